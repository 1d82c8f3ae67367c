// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/<pid>/fdinfo/<fanotify fd>: the group header line and one line per mark, for inode,
 * mount and filesystem marks, with the mark flags (mflags), mask and ignore mask.
 *
 * Behaviour reference: upstream 6.12 fanotify_show_fdinfo(), fanotify_fdinfo() and
 * show_mark_fhandle() in fs/notify/fdinfo.c, fanotify_mark_user_flags() in
 * fs/notify/fanotify/fanotify.h.  The formats are:
 *
 *   fanotify flags:%x event-flags:%x
 *   fanotify ino:%lx sdev:%x mflags:%x mask:%x ignored_mask:%x <fhandle>
 *   fanotify mnt_id:%x mflags:%x mask:%x ignored_mask:%x
 *   fanotify sdev:%x mflags:%x mask:%x ignored_mask:%x
 *
 * where <fhandle> is "fhandle-bytes:%x fhandle-type:%x f_handle:<hex bytes>" when the kernel
 * has CONFIG_EXPORTFS and the filesystem can encode a file handle, and empty otherwise (the
 * space before it is always printed).  sdev is the kernel's internal dev_t.
 */

#include "common.h"

#define FDINFO_LEN 16384
#define MAX_LINES 32
#define LINE_LEN 512

struct fdinfo {
	char header[LINE_LEN];
	int nmarks;
	char marks[MAX_LINES][LINE_LEN];
};

/* Reads the "fanotify " lines of the fdinfo of @fd. */
static int read_fdinfo(int fd, struct fdinfo *fi)
{
	char path[64], *buf, *line, *save;
	ssize_t len, total = 0;
	int pfd;

	memset(fi, 0, sizeof(*fi));
	buf = malloc(FDINFO_LEN);
	if (!buf)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	pfd = open(path, O_RDONLY | O_CLOEXEC);
	if (pfd < 0) {
		free(buf);
		return -1;
	}
	while ((len = read(pfd, buf + total, FDINFO_LEN - 1 - total)) > 0)
		total += len;
	close(pfd);
	buf[total] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "fanotify ", 9))
			continue;
		if (!strncmp(line, "fanotify flags:", 15))
			snprintf(fi->header, LINE_LEN, "%s", line);
		else if (fi->nmarks < MAX_LINES)
			snprintf(fi->marks[fi->nmarks++], LINE_LEN, "%s", line);
	}
	free(buf);
	return 0;
}

/* The mnt_id of the mount of @path, as /proc/self/fdinfo of an fd on it tells. */
static int mount_id_of(const char *path)
{
	char fdpath[64], buf[1024], *p;
	int fd, pfd, id = -1;
	ssize_t len;

	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -1;
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fdinfo/%d", fd);
	pfd = open(fdpath, O_RDONLY | O_CLOEXEC);
	if (pfd >= 0) {
		len = read(pfd, buf, sizeof(buf) - 1);
		if (len > 0) {
			buf[len] = '\0';
			p = strstr(buf, "mnt_id:");
			if (p)
				id = atoi(p + 7);
		}
		close(pfd);
	}
	close(fd);
	return id;
}

/*
 * Checks that @rest is what show_mark_fhandle() prints for @path after the mask fields: a space,
 * then either nothing or the file handle that name_to_handle_at() also gives.
 */
static bool fhandle_ok(struct __test_metadata *const _metadata, const char *rest,
		       const char *path)
{
	char expected[LINE_LEN];
	struct file_handle *fh;
	unsigned char *bytes;
	unsigned int i;
	int mnt_id, n;

	if (!strcmp(rest, " "))
		return true;
	fh = malloc(sizeof(*fh) + MAX_HANDLE_SZ);
	if (!fh)
		return false;
	fh->handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, path, fh, &mnt_id, 0)) {
		TH_LOG("fhandle printed but name_to_handle_at() fails: %s", rest);
		free(fh);
		return false;
	}
	n = snprintf(expected, sizeof(expected), " fhandle-bytes:%x fhandle-type:%x f_handle:",
		     fh->handle_bytes, fh->handle_type);
	bytes = fh->f_handle;
	for (i = 0; i < fh->handle_bytes; i++)
		n += snprintf(expected + n, sizeof(expected) - n, "%02x", bytes[i]);
	free(fh);
	if (strcmp(rest, expected)) {
		TH_LOG("fhandle: got '%s', expected '%s'", rest, expected);
		return false;
	}
	return true;
}

enum target {
	T_FILE,
	T_DIR,
	T_ROOT,
};

FIXTURE(fdinfo)
{
	char dir[DIR_PATH_LEN];
	char path[3][FILE_PATH_LEN];
	int fan_fd;
};

static void world_setup(struct __test_metadata *const _metadata, FIXTURE_DATA(fdinfo) *self)
{
	self->fan_fd = -1;
	ASSERT_EQ(0, setup_private_tmpfs(self->dir));
	snprintf(self->path[T_FILE], FILE_PATH_LEN, "%s/file", self->dir);
	snprintf(self->path[T_DIR], FILE_PATH_LEN, "%s/dir", self->dir);
	snprintf(self->path[T_ROOT], FILE_PATH_LEN, "%s", self->dir);
	ASSERT_EQ(0, create_file(self->path[T_FILE], "file\n"));
	ASSERT_EQ(0, mkdir(self->path[T_DIR], 0755));
	self->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
					 O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fan_fd);
}

static void world_teardown(struct __test_metadata *const _metadata, FIXTURE_DATA(fdinfo) *self)
{
	if (self->fan_fd >= 0)
		close(self->fan_fd);
	EXPECT_EQ(0, teardown_private_tmpfs(self->dir));
}

FIXTURE_SETUP(fdinfo)
{
	world_setup(_metadata, self);
}

FIXTURE_TEARDOWN(fdinfo)
{
	world_teardown(_metadata, self);
}

/* The same world, for the tests that have no variant. */
FIXTURE(marks)
{
	FIXTURE_DATA(fdinfo) w;
};

FIXTURE_SETUP(marks)
{
	world_setup(_metadata, &self->w);
}

FIXTURE_TEARDOWN(marks)
{
	world_teardown(_metadata, &self->w);
}

/* The beginning of the line of a mark of @type on @t, up to "mflags:". */
static void mark_prefix(FIXTURE_DATA(fdinfo) *self, unsigned int type, enum target t, char *buf)
{
	struct stat st;

	stat(self->path[t], &st);
	if (type == FAN_MARK_INODE)
		snprintf(buf, LINE_LEN, "fanotify ino:%lx sdev:%x ", (unsigned long)st.st_ino,
			 kernel_dev(st.st_dev));
	else if (type == FAN_MARK_MOUNT)
		snprintf(buf, LINE_LEN, "fanotify mnt_id:%x ", mount_id_of(self->path[t]));
	else
		snprintf(buf, LINE_LEN, "fanotify sdev:%x ", kernel_dev(st.st_dev));
}

/* Checks that @line is the line of a mark of @type on @t with the given values. */
static bool mark_line_ok(struct __test_metadata *const _metadata, FIXTURE_DATA(fdinfo) *self,
			 const char *line, unsigned int type, enum target t, unsigned int mflags,
			 unsigned int mask, unsigned int ignored)
{
	char expected[LINE_LEN];
	size_t n;

	mark_prefix(self, type, t, expected);
	n = strlen(expected);
	snprintf(expected + n, LINE_LEN - n, "mflags:%x mask:%x ignored_mask:%x", mflags, mask,
		 ignored);
	n = strlen(expected);
	if (strncmp(line, expected, n)) {
		TH_LOG("got '%s', expected '%s'", line, expected);
		return false;
	}
	if (type == FAN_MARK_INODE)
		return fhandle_ok(_metadata, line + n, self->path[t]);
	if (line[n]) {
		TH_LOG("trailing '%s' in '%s'", line + n, line);
		return false;
	}
	return true;
}

/* Index of the line of the mark of @type on @t, -1 if none. */
static int find_mark(FIXTURE_DATA(fdinfo) *self, const struct fdinfo *fi, unsigned int type,
		     enum target t)
{
	char prefix[LINE_LEN];
	int i;

	mark_prefix(self, type, t, prefix);
	for (i = 0; i < fi->nmarks; i++)
		if (!strncmp(fi->marks[i], prefix, strlen(prefix)) &&
		    !strncmp(fi->marks[i] + strlen(prefix), "mflags:", 7))
			return i;
	return -1;
}

struct mark_op {
	unsigned int flags;
	uint64_t mask;
};

FIXTURE_VARIANT(fdinfo)
{
	unsigned int type;
	enum target target;
	struct mark_op ops[3];
	unsigned int mflags;
	unsigned int mask;
	unsigned int ignored;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(fdinfo, inode_file) {
	/* clang-format on */
	.type = FAN_MARK_INODE, .target = T_FILE,
	.ops = { { FAN_MARK_ADD, FAN_OPEN | FAN_CLOSE_WRITE } },
	.mask = FAN_OPEN | FAN_CLOSE_WRITE,
};

/* FAN_EVENT_ON_CHILD is dropped on a non-directory, FAN_ONDIR is kept. */
/* clang-format off */
FIXTURE_VARIANT_ADD(fdinfo, inode_file_event_flags) {
	/* clang-format on */
	.type = FAN_MARK_INODE, .target = T_FILE,
	.ops = { { FAN_MARK_ADD, FAN_OPEN | FAN_ONDIR | FAN_EVENT_ON_CHILD } },
	.mask = FAN_OPEN | FAN_ONDIR,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(fdinfo, inode_dir_event_flags) {
	/* clang-format on */
	.type = FAN_MARK_INODE, .target = T_DIR,
	.ops = { { FAN_MARK_ADD, FAN_ACCESS | FAN_ONDIR | FAN_EVENT_ON_CHILD } },
	.mask = FAN_ACCESS | FAN_ONDIR | FAN_EVENT_ON_CHILD,
};

/* Removal of some bits. */
/* clang-format off */
FIXTURE_VARIANT_ADD(fdinfo, inode_partial_remove) {
	/* clang-format on */
	.type = FAN_MARK_INODE, .target = T_FILE,
	.ops = { { FAN_MARK_ADD, FAN_OPEN | FAN_ACCESS | FAN_MODIFY },
		 { FAN_MARK_REMOVE, FAN_ACCESS } },
	.mask = FAN_OPEN | FAN_MODIFY,
};

/* Legacy ignore mask: event flags are dropped. */
/* clang-format off */
FIXTURE_VARIANT_ADD(fdinfo, inode_legacy_ignore) {
	/* clang-format on */
	.type = FAN_MARK_INODE, .target = T_FILE,
	.ops = { { FAN_MARK_ADD, FAN_OPEN },
		 { FAN_MARK_ADD | FAN_MARK_IGNORED_MASK, FAN_ACCESS | FAN_ONDIR } },
	.mask = FAN_OPEN, .ignored = FAN_ACCESS,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(fdinfo, inode_ignore_only_surv) {
	/* clang-format on */
	.type = FAN_MARK_INODE, .target = T_FILE,
	.ops = { { FAN_MARK_ADD | FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORED_SURV_MODIFY,
		   FAN_OPEN | FAN_CLOSE_NOWRITE } },
	.mflags = FAN_MARK_IGNORED_SURV_MODIFY, .ignored = FAN_OPEN | FAN_CLOSE_NOWRITE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(fdinfo, inode_new_ignore_dir) {
	/* clang-format on */
	.type = FAN_MARK_INODE, .target = T_DIR,
	.ops = { { FAN_MARK_ADD | FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY,
		   FAN_OPEN | FAN_ONDIR | FAN_EVENT_ON_CHILD } },
	.mflags = FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY,
	.ignored = FAN_OPEN | FAN_ONDIR | FAN_EVENT_ON_CHILD,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(fdinfo, inode_new_ignore_file) {
	/* clang-format on */
	.type = FAN_MARK_INODE, .target = T_FILE,
	.ops = { { FAN_MARK_ADD, FAN_CLOSE },
		 { FAN_MARK_ADD | FAN_MARK_IGNORE, FAN_OPEN } },
	.mflags = FAN_MARK_IGNORE, .mask = FAN_CLOSE, .ignored = FAN_OPEN,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(fdinfo, inode_evictable) {
	/* clang-format on */
	.type = FAN_MARK_INODE, .target = T_FILE,
	.ops = { { FAN_MARK_ADD | FAN_MARK_EVICTABLE, FAN_OPEN } },
	.mflags = FAN_MARK_EVICTABLE, .mask = FAN_OPEN,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(fdinfo, inode_evictable_upgraded) {
	/* clang-format on */
	.type = FAN_MARK_INODE, .target = T_FILE,
	.ops = { { FAN_MARK_ADD | FAN_MARK_EVICTABLE, FAN_OPEN },
		 { FAN_MARK_ADD, FAN_ACCESS } },
	.mask = FAN_OPEN | FAN_ACCESS,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(fdinfo, inode_evictable_surv) {
	/* clang-format on */
	.type = FAN_MARK_INODE, .target = T_FILE,
	.ops = { { FAN_MARK_ADD | FAN_MARK_EVICTABLE, FAN_OPEN },
		 { FAN_MARK_ADD | FAN_MARK_EVICTABLE | FAN_MARK_IGNORED_MASK |
		   FAN_MARK_IGNORED_SURV_MODIFY, FAN_ACCESS } },
	.mflags = FAN_MARK_EVICTABLE | FAN_MARK_IGNORED_SURV_MODIFY,
	.mask = FAN_OPEN, .ignored = FAN_ACCESS,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(fdinfo, mount) {
	/* clang-format on */
	.type = FAN_MARK_MOUNT, .target = T_ROOT,
	.ops = { { FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN | FAN_CLOSE_WRITE | FAN_ONDIR } },
	.mask = FAN_OPEN | FAN_CLOSE_WRITE | FAN_ONDIR,
};

/* FAN_EVENT_ON_CHILD is dropped on mount marks. */
/* clang-format off */
FIXTURE_VARIANT_ADD(fdinfo, mount_event_on_child) {
	/* clang-format on */
	.type = FAN_MARK_MOUNT, .target = T_ROOT,
	.ops = { { FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_MODIFY | FAN_EVENT_ON_CHILD } },
	.mask = FAN_MODIFY,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(fdinfo, mount_new_ignore) {
	/* clang-format on */
	.type = FAN_MARK_MOUNT, .target = T_ROOT,
	.ops = { { FAN_MARK_ADD | FAN_MARK_MOUNT | FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY,
		   FAN_ACCESS | FAN_ONDIR } },
	.mflags = FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY,
	.ignored = FAN_ACCESS | FAN_ONDIR,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(fdinfo, filesystem) {
	/* clang-format on */
	.type = FAN_MARK_FILESYSTEM, .target = T_ROOT,
	.ops = { { FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_MODIFY },
		 { FAN_MARK_ADD | FAN_MARK_FILESYSTEM | FAN_MARK_IGNORED_MASK, FAN_OPEN } },
	.mask = FAN_MODIFY, .ignored = FAN_OPEN,
};

/* A filesystem mark may be named by any object of the filesystem. */
/* clang-format off */
FIXTURE_VARIANT_ADD(fdinfo, filesystem_via_file) {
	/* clang-format on */
	.type = FAN_MARK_FILESYSTEM, .target = T_FILE,
	.ops = { { FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_CLOSE_NOWRITE },
		 { FAN_MARK_ADD | FAN_MARK_FILESYSTEM | FAN_MARK_IGNORED_MASK |
		   FAN_MARK_IGNORED_SURV_MODIFY, FAN_OPEN } },
	.mflags = FAN_MARK_IGNORED_SURV_MODIFY, .mask = FAN_CLOSE_NOWRITE, .ignored = FAN_OPEN,
};

TEST_F(fdinfo, mark_line)
{
	struct fdinfo fi;
	int i;

	for (i = 0; i < ARRAY_SIZE(variant->ops) && variant->ops[i].flags; i++)
		ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, variant->ops[i].flags,
					       variant->ops[i].mask, AT_FDCWD,
					       self->path[variant->target])) TH_LOG("op %d", i);
	ASSERT_EQ(0, read_fdinfo(self->fan_fd, &fi));
	ASSERT_EQ(1, fi.nmarks);
	EXPECT_TRUE(mark_line_ok(_metadata, self, fi.marks[0], variant->type, variant->target,
				 variant->mflags, variant->mask, variant->ignored));
	EXPECT_EQ(0, find_mark(self, &fi, variant->type, variant->target));
	EXPECT_EQ(0, strncmp(fi.header, "fanotify flags:", 15));
}

/* One line per mark; other groups and removed marks do not show. */
TEST_F(marks, several_marks)
{
	FIXTURE_DATA(fdinfo) *w = &self->w;
	struct fdinfo fi;
	int other, i;

	other = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, other);
	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD,
				       w->path[T_FILE]));
	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD, FAN_CLOSE, AT_FDCWD,
				       w->path[T_DIR]));
	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_ACCESS,
				       AT_FDCWD, w->path[T_ROOT]));
	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
				       FAN_MODIFY, AT_FDCWD, w->path[T_ROOT]));
	ASSERT_EQ(0, sys_fanotify_mark(other, FAN_MARK_ADD, FAN_ACCESS, AT_FDCWD,
				       w->path[T_FILE]));

	ASSERT_EQ(0, read_fdinfo(w->fan_fd, &fi));
	ASSERT_EQ(4, fi.nmarks);
	i = find_mark(w, &fi, FAN_MARK_INODE, T_FILE);
	ASSERT_LE(0, i);
	EXPECT_TRUE(mark_line_ok(_metadata, w, fi.marks[i], FAN_MARK_INODE, T_FILE, 0,
				 FAN_OPEN, 0));
	i = find_mark(w, &fi, FAN_MARK_INODE, T_DIR);
	ASSERT_LE(0, i);
	EXPECT_TRUE(mark_line_ok(_metadata, w, fi.marks[i], FAN_MARK_INODE, T_DIR, 0,
				 FAN_CLOSE, 0));
	i = find_mark(w, &fi, FAN_MARK_MOUNT, T_ROOT);
	ASSERT_LE(0, i);
	EXPECT_TRUE(mark_line_ok(_metadata, w, fi.marks[i], FAN_MARK_MOUNT, T_ROOT, 0,
				 FAN_ACCESS, 0));
	ASSERT_LE(0, find_mark(w, &fi, FAN_MARK_FILESYSTEM, T_ROOT));
	EXPECT_TRUE(mark_line_ok(_metadata, w,
				 fi.marks[find_mark(w, &fi, FAN_MARK_FILESYSTEM, T_ROOT)],
				 FAN_MARK_FILESYSTEM, T_ROOT, 0, FAN_MODIFY, 0));

	ASSERT_EQ(0, read_fdinfo(other, &fi));
	ASSERT_EQ(1, fi.nmarks);
	EXPECT_TRUE(mark_line_ok(_metadata, w, fi.marks[0], FAN_MARK_INODE, T_FILE, 0,
				 FAN_ACCESS, 0));

	/* Removing the last bit of a mark removes its line. */
	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_REMOVE | FAN_MARK_MOUNT, FAN_ACCESS,
				       AT_FDCWD, w->path[T_ROOT]));
	ASSERT_EQ(0, read_fdinfo(w->fan_fd, &fi));
	EXPECT_EQ(3, fi.nmarks);
	EXPECT_EQ(-1, find_mark(w, &fi, FAN_MARK_MOUNT, T_ROOT));

	/* Flushing inode marks leaves the filesystem mark. */
	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_FLUSH, 0, AT_FDCWD, NULL));
	ASSERT_EQ(0, read_fdinfo(w->fan_fd, &fi));
	EXPECT_EQ(1, fi.nmarks);
	EXPECT_LE(0, find_mark(w, &fi, FAN_MARK_FILESYSTEM, T_ROOT));
	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_FLUSH | FAN_MARK_FILESYSTEM, 0,
				       AT_FDCWD, NULL));
	ASSERT_EQ(0, read_fdinfo(w->fan_fd, &fi));
	EXPECT_EQ(0, fi.nmarks);
	EXPECT_EQ(0, close(other));
}

/* The ignore mask cleared by FAN_MODIFY shows as 0. */
TEST_F(marks, ignore_mask_cleared_by_modify)
{
	FIXTURE_DATA(fdinfo) *w = &self->w;
	struct fdinfo fi;
	int fd;

	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD,
				       w->path[T_FILE]));
	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK,
				       FAN_OPEN, AT_FDCWD, w->path[T_FILE]));
	ASSERT_EQ(0, read_fdinfo(w->fan_fd, &fi));
	ASSERT_EQ(1, fi.nmarks);
	EXPECT_TRUE(mark_line_ok(_metadata, w, fi.marks[0], FAN_MARK_INODE, T_FILE, 0,
				 FAN_OPEN, FAN_OPEN));
	fd = open(w->path[T_FILE], O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "x", 1));
	ASSERT_EQ(0, close(fd));
	ASSERT_EQ(0, read_fdinfo(w->fan_fd, &fi));
	ASSERT_EQ(1, fi.nmarks);
	EXPECT_TRUE(mark_line_ok(_metadata, w, fi.marks[0], FAN_MARK_INODE, T_FILE, 0,
				 FAN_OPEN, 0));
}

/* The header: init flags (masked with FANOTIFY_INIT_FLAGS) and event_f_flags. */
FIXTURE(header) {};

FIXTURE_VARIANT(header)
{
	unsigned int flags;
	unsigned int event_f_flags;
};

FIXTURE_SETUP(header)
{
}

FIXTURE_TEARDOWN(header)
{
}

/* clang-format off */
FIXTURE_VARIANT_ADD(header, notif) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF, .event_f_flags = O_RDONLY,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(header, content_cloexec_nonblock) {
	/* clang-format on */
	.flags = FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK,
	.event_f_flags = O_RDWR | O_CLOEXEC,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(header, unlimited) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | FAN_UNLIMITED_QUEUE | FAN_UNLIMITED_MARKS,
	.event_f_flags = O_WRONLY | O_NOATIME,
};

TEST_F(header, line)
{
	char expected[LINE_LEN];
	struct fdinfo fi;
	int fd;

	fd = sys_fanotify_init(variant->flags, variant->event_f_flags);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, read_fdinfo(fd, &fi));
	snprintf(expected, sizeof(expected), "fanotify flags:%x event-flags:%x", variant->flags,
		 variant->event_f_flags | kernel_o_largefile());
	EXPECT_STREQ(expected, fi.header);
	EXPECT_EQ(0, fi.nmarks);
	EXPECT_EQ(0, close(fd));
}

TEST_HARNESS_MAIN
