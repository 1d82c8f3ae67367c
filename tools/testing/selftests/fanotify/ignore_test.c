// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify ignore mask tests: FAN_MARK_IGNORED_MASK (legacy) and FAN_MARK_IGNORE (5.19+ API),
 * merging of the ignore masks of all the marks of a group, FAN_MARK_IGNORED_SURV_MODIFY and the
 * clearing of ignore masks on FAN_MODIFY, the legacy directory rules and the errors.
 *
 * Behaviour reference: upstream 6.12 do_fanotify_mark(), fanotify_events_supported(),
 * fanotify_may_update_existing_mark() and fanotify_mark_remove_from_mask() in
 * fs/notify/fanotify/fanotify_user.c; send_to_group() in fs/notify/fsnotify.c;
 * fsnotify_ignore_mask(), fsnotify_effective_ignore_mask() and fsnotify_calc_mask() in
 * include/linux/fsnotify_backend.h.
 *
 * Every test runs on a private tmpfs in a private mount namespace, so mount and filesystem marks
 * only see the test's own files.
 */

#include "common.h"

enum target {
	T_FILE,		/* tmpfs/file */
	T_FILE2,	/* tmpfs/file2 */
	T_SUBDIR,	/* tmpfs/subdir */
	T_CHILD,	/* tmpfs/subdir/child */
	T_ROOT,		/* the tmpfs mount root */
};

FIXTURE(ign)
{
	char dir[DIR_PATH_LEN];
	char path[5][FILE_PATH_LEN];
	int fan_fd;
	int fan_fd2;
};

static void world_setup(struct __test_metadata *const _metadata, FIXTURE_DATA(ign) *self)
{
	self->fan_fd = -1;
	self->fan_fd2 = -1;
	ASSERT_EQ(0, setup_private_tmpfs(self->dir));
	snprintf(self->path[T_FILE], FILE_PATH_LEN, "%s/file", self->dir);
	snprintf(self->path[T_FILE2], FILE_PATH_LEN, "%s/file2", self->dir);
	snprintf(self->path[T_SUBDIR], FILE_PATH_LEN, "%s/subdir", self->dir);
	snprintf(self->path[T_CHILD], FILE_PATH_LEN, "%s/subdir/child", self->dir);
	snprintf(self->path[T_ROOT], FILE_PATH_LEN, "%s", self->dir);
	ASSERT_EQ(0, create_file(self->path[T_FILE], "file\n"));
	ASSERT_EQ(0, create_file(self->path[T_FILE2], "file2\n"));
	ASSERT_EQ(0, mkdir(self->path[T_SUBDIR], 0755));
	ASSERT_EQ(0, create_file(self->path[T_CHILD], "child\n"));
	self->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
					 O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fan_fd);
	self->fan_fd2 = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
					  O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fan_fd2);
}

static void world_teardown(struct __test_metadata *const _metadata, FIXTURE_DATA(ign) *self)
{
	if (self->fan_fd >= 0)
		close(self->fan_fd);
	if (self->fan_fd2 >= 0)
		close(self->fan_fd2);
	EXPECT_EQ(0, teardown_private_tmpfs(self->dir));
}

FIXTURE_SETUP(ign)
{
	world_setup(_metadata, self);
}

FIXTURE_TEARDOWN(ign)
{
	world_teardown(_metadata, self);
}

static int mark(FIXTURE_DATA(ign) *self, int fan_fd, unsigned int flags, uint64_t mask,
		enum target t)
{
	return sys_fanotify_mark(fan_fd, flags, mask, AT_FDCWD, self->path[t]);
}

/*
 * Union of the masks of the records about @t; checks that there is no record about anything
 * else.  Waits for a record only when @expected is not zero.
 */
static uint64_t got(struct __test_metadata *const _metadata, FIXTURE_DATA(ign) *self, int fan_fd,
		    enum target t, uint64_t expected)
{
	struct event_summary sum;
	struct stat st;

	EXPECT_EQ(0, stat(self->path[t], &st));
	EXPECT_LE(0, collect_events(fan_fd, &st, &sum,
				    expected ? EVENT_TIMEOUT_MS : NO_EVENT_TIMEOUT_MS));
	EXPECT_EQ(0, sum.others);
	EXPECT_EQ(0, sum.bad_records);
	return sum.mask;
}

#define EXPECT_EVENTS(fan_fd, t, expected)					\
	do {								\
		uint64_t _want = (expected);				\
		EXPECT_EQ(_want, got(_metadata, self, fan_fd, t, _want));	\
	} while (0)

static int open_close_dir(const char *path)
{
	return open_close_file(path, O_RDONLY | O_DIRECTORY);
}

/*
 * An event mark (inode, mount or filesystem) and an ignore mark on another (or the same) object
 * of the same group: the ignore masks of all the marks of the group that take part in the event
 * are merged (send_to_group()).
 */
FIXTURE(merge)
{
	FIXTURE_DATA(ign) w;
};

FIXTURE_SETUP(merge)
{
	world_setup(_metadata, &self->w);
}

FIXTURE_TEARDOWN(merge)
{
	world_teardown(_metadata, &self->w);
}

FIXTURE_VARIANT(merge)
{
	unsigned int event_type;
	enum target event_target;
	uint64_t event_mask;
	unsigned int ignore_type;
	enum target ignore_target;
	unsigned int ignore_flags;
	/* Events expected on file (which is always ignored) and on file2 (-1: not watched). */
	uint64_t file_expected;
	int64_t file2_expected;
};

#define OPEN_CLOSE (FAN_OPEN | FAN_CLOSE_NOWRITE)

/* clang-format off */
FIXTURE_VARIANT_ADD(merge, inode_ignored_on_same_inode) {
	/* clang-format on */
	.event_type = FAN_MARK_INODE, .event_target = T_FILE, .event_mask = OPEN_CLOSE,
	.ignore_type = FAN_MARK_INODE, .ignore_target = T_FILE,
	.ignore_flags = FAN_MARK_IGNORED_MASK,
	.file_expected = FAN_CLOSE_NOWRITE, .file2_expected = -1,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(merge, inode_ignore_new_api) {
	/* clang-format on */
	.event_type = FAN_MARK_INODE, .event_target = T_FILE, .event_mask = OPEN_CLOSE,
	.ignore_type = FAN_MARK_INODE, .ignore_target = T_FILE,
	.ignore_flags = FAN_MARK_IGNORE,
	.file_expected = FAN_CLOSE_NOWRITE, .file2_expected = -1,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(merge, mount_mark_inode_ignore) {
	/* clang-format on */
	.event_type = FAN_MARK_MOUNT, .event_target = T_ROOT, .event_mask = OPEN_CLOSE,
	.ignore_type = FAN_MARK_INODE, .ignore_target = T_FILE,
	.ignore_flags = FAN_MARK_IGNORED_MASK,
	.file_expected = FAN_CLOSE_NOWRITE, .file2_expected = OPEN_CLOSE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(merge, mount_mark_inode_ignore_new_api) {
	/* clang-format on */
	.event_type = FAN_MARK_MOUNT, .event_target = T_ROOT, .event_mask = OPEN_CLOSE,
	.ignore_type = FAN_MARK_INODE, .ignore_target = T_FILE,
	.ignore_flags = FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY,
	.file_expected = FAN_CLOSE_NOWRITE, .file2_expected = OPEN_CLOSE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(merge, fs_mark_inode_ignore) {
	/* clang-format on */
	.event_type = FAN_MARK_FILESYSTEM, .event_target = T_ROOT, .event_mask = OPEN_CLOSE,
	.ignore_type = FAN_MARK_INODE, .ignore_target = T_FILE,
	.ignore_flags = FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORED_SURV_MODIFY,
	.file_expected = FAN_CLOSE_NOWRITE, .file2_expected = OPEN_CLOSE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(merge, fs_mark_inode_ignore_new_api) {
	/* clang-format on */
	.event_type = FAN_MARK_FILESYSTEM, .event_target = T_ROOT, .event_mask = OPEN_CLOSE,
	.ignore_type = FAN_MARK_INODE, .ignore_target = T_FILE,
	.ignore_flags = FAN_MARK_IGNORE,
	.file_expected = FAN_CLOSE_NOWRITE, .file2_expected = OPEN_CLOSE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(merge, parent_mark_inode_ignore) {
	/* clang-format on */
	.event_type = FAN_MARK_INODE, .event_target = T_ROOT,
	.event_mask = OPEN_CLOSE | FAN_EVENT_ON_CHILD,
	.ignore_type = FAN_MARK_INODE, .ignore_target = T_FILE,
	.ignore_flags = FAN_MARK_IGNORED_MASK,
	.file_expected = FAN_CLOSE_NOWRITE, .file2_expected = OPEN_CLOSE,
};

/* An ignore mask on the mount silences an inode mark of the same group. */
/* clang-format off */
FIXTURE_VARIANT_ADD(merge, inode_mark_mount_ignore) {
	/* clang-format on */
	.event_type = FAN_MARK_INODE, .event_target = T_FILE, .event_mask = OPEN_CLOSE,
	.ignore_type = FAN_MARK_MOUNT, .ignore_target = T_ROOT,
	.ignore_flags = FAN_MARK_IGNORED_MASK,
	.file_expected = FAN_CLOSE_NOWRITE, .file2_expected = -1,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(merge, inode_mark_fs_ignore_new_api) {
	/* clang-format on */
	.event_type = FAN_MARK_INODE, .event_target = T_FILE, .event_mask = OPEN_CLOSE,
	.ignore_type = FAN_MARK_FILESYSTEM, .ignore_target = T_ROOT,
	.ignore_flags = FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY,
	.file_expected = FAN_CLOSE_NOWRITE, .file2_expected = -1,
};

/* Mount event mark, filesystem ignore mark: every file of the filesystem is ignored. */
/* clang-format off */
FIXTURE_VARIANT_ADD(merge, mount_mark_fs_ignore) {
	/* clang-format on */
	.event_type = FAN_MARK_MOUNT, .event_target = T_ROOT, .event_mask = OPEN_CLOSE,
	.ignore_type = FAN_MARK_FILESYSTEM, .ignore_target = T_ROOT,
	.ignore_flags = FAN_MARK_IGNORED_MASK,
	.file_expected = FAN_CLOSE_NOWRITE, .file2_expected = FAN_CLOSE_NOWRITE,
};

TEST_F(merge, across_marks)
{
	FIXTURE_DATA(ign) *self_w = &self->w;
#define self self_w
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | variant->event_type,
			  variant->event_mask, variant->event_target));
	ASSERT_EQ(0, mark(self, self->fan_fd,
			  FAN_MARK_ADD | variant->ignore_type | variant->ignore_flags, FAN_OPEN,
			  variant->ignore_target));

	ASSERT_EQ(0, open_close_file(self->path[T_FILE], O_RDONLY));
	EXPECT_EVENTS(self->fan_fd, T_FILE, variant->file_expected);
	if (variant->file2_expected >= 0) {
		ASSERT_EQ(0, open_close_file(self->path[T_FILE2], O_RDONLY));
		EXPECT_EVENTS(self->fan_fd, T_FILE2, variant->file2_expected);
	}

	/* The same ignore mark in another group changes nothing for this group. */
	ASSERT_EQ(0, mark(self, self->fan_fd2, FAN_MARK_ADD | variant->event_type,
			  variant->event_mask, variant->event_target));
	ASSERT_EQ(0, open_close_file(self->path[T_FILE], O_RDONLY));
	EXPECT_EVENTS(self->fan_fd2, T_FILE, OPEN_CLOSE);
	EXPECT_EVENTS(self->fan_fd, T_FILE, variant->file_expected);
#undef self
}

/* The ignore mask of another group never silences a group. */
TEST_F(ign, other_group_ignore_mask)
{
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD, OPEN_CLOSE, T_FILE));
	ASSERT_EQ(0, mark(self, self->fan_fd2, FAN_MARK_ADD, OPEN_CLOSE, T_FILE));
	ASSERT_EQ(0, mark(self, self->fan_fd2, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK,
			  FAN_OPEN | FAN_CLOSE_NOWRITE, T_FILE));
	ASSERT_EQ(0, mark(self, self->fan_fd2,
			  FAN_MARK_ADD | FAN_MARK_MOUNT | FAN_MARK_IGNORED_MASK,
			  FAN_OPEN | FAN_CLOSE_NOWRITE, T_ROOT));
	ASSERT_EQ(0, mark(self, self->fan_fd2,
			  FAN_MARK_ADD | FAN_MARK_FILESYSTEM | FAN_MARK_IGNORE |
			  FAN_MARK_IGNORED_SURV_MODIFY,
			  FAN_OPEN | FAN_CLOSE_NOWRITE, T_ROOT));

	ASSERT_EQ(0, open_close_file(self->path[T_FILE], O_RDONLY));
	EXPECT_EVENTS(self->fan_fd, T_FILE, OPEN_CLOSE);
	EXPECT_EVENTS(self->fan_fd2, T_FILE, 0);
}

/*
 * FAN_MODIFY clears the ignore masks of the marks involved in the event unless they have
 * FAN_MARK_IGNORED_SURV_MODIFY.  The group does not need to ask for FAN_MODIFY: a mark with an
 * ignore mask that does not survive modification listens to FS_MODIFY (fsnotify_calc_mask()).
 */
FIXTURE(surv)
{
	FIXTURE_DATA(ign) w;
};

FIXTURE_VARIANT(surv)
{
	unsigned int ignore_type;
	unsigned int ignore_flags;
	bool survives;
};

FIXTURE_SETUP(surv)
{
	FIXTURE_DATA(ign) *w = &self->w;

	w->fan_fd = -1;
	w->fan_fd2 = -1;
	ASSERT_EQ(0, setup_private_tmpfs(w->dir));
	snprintf(w->path[T_FILE], FILE_PATH_LEN, "%s/file", w->dir);
	snprintf(w->path[T_ROOT], FILE_PATH_LEN, "%s", w->dir);
	ASSERT_EQ(0, create_file(w->path[T_FILE], "file\n"));
	w->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
				      O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, w->fan_fd);
}

FIXTURE_TEARDOWN(surv)
{
	if (self->w.fan_fd >= 0)
		close(self->w.fan_fd);
	EXPECT_EQ(0, teardown_private_tmpfs(self->w.dir));
}

/* clang-format off */
FIXTURE_VARIANT_ADD(surv, inode_legacy) {
	/* clang-format on */
	.ignore_type = FAN_MARK_INODE, .ignore_flags = FAN_MARK_IGNORED_MASK, .survives = false,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(surv, inode_legacy_surv) {
	/* clang-format on */
	.ignore_type = FAN_MARK_INODE,
	.ignore_flags = FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORED_SURV_MODIFY,
	.survives = true,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(surv, inode_new_api) {
	/* clang-format on */
	.ignore_type = FAN_MARK_INODE, .ignore_flags = FAN_MARK_IGNORE, .survives = false,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(surv, inode_new_api_surv) {
	/* clang-format on */
	.ignore_type = FAN_MARK_INODE,
	.ignore_flags = FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY,
	.survives = true,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(surv, mount_legacy) {
	/* clang-format on */
	.ignore_type = FAN_MARK_MOUNT, .ignore_flags = FAN_MARK_IGNORED_MASK, .survives = false,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(surv, mount_new_api_surv) {
	/* clang-format on */
	.ignore_type = FAN_MARK_MOUNT,
	.ignore_flags = FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY,
	.survives = true,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(surv, fs_legacy) {
	/* clang-format on */
	.ignore_type = FAN_MARK_FILESYSTEM, .ignore_flags = FAN_MARK_IGNORED_MASK,
	.survives = false,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(surv, fs_legacy_surv) {
	/* clang-format on */
	.ignore_type = FAN_MARK_FILESYSTEM,
	.ignore_flags = FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORED_SURV_MODIFY,
	.survives = true,
};

TEST_F(surv, modify_clears_ignore_mask)
{
	FIXTURE_DATA(ign) *w = &self->w;
	int fd;

	/* The event mark does not ask for FAN_MODIFY. */
	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD,
				       w->path[T_FILE]));
	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd,
				       FAN_MARK_ADD | variant->ignore_type | variant->ignore_flags,
				       FAN_OPEN, AT_FDCWD,
				       variant->ignore_type == FAN_MARK_INODE ? w->path[T_FILE] :
										w->path[T_ROOT]));

	ASSERT_EQ(0, open_close_file(w->path[T_FILE], O_RDONLY));
	EXPECT_EQ(0, got(_metadata, w, w->fan_fd, T_FILE, 0));

	/* Opening for write is still ignored; the write clears a non-surviving ignore mask. */
	fd = open(w->path[T_FILE], O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "x", 1));
	ASSERT_EQ(0, close(fd));
	EXPECT_EQ(0, got(_metadata, w, w->fan_fd, T_FILE, 0));

	ASSERT_EQ(0, open_close_file(w->path[T_FILE], O_RDONLY));
	EXPECT_EQ(variant->survives ? 0 : FAN_OPEN,
		  got(_metadata, w, w->fan_fd, T_FILE, variant->survives ? 0 : FAN_OPEN));

	/* An ignore mask cleared by FAN_MODIFY can be set again. */
	if (!variant->survives) {
		ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd,
					       FAN_MARK_ADD | variant->ignore_type |
					       variant->ignore_flags,
					       FAN_OPEN, AT_FDCWD,
					       variant->ignore_type == FAN_MARK_INODE ?
					       w->path[T_FILE] : w->path[T_ROOT]));
		ASSERT_EQ(0, open_close_file(w->path[T_FILE], O_RDONLY));
		EXPECT_EQ(0, got(_metadata, w, w->fan_fd, T_FILE, 0));
	}
}

/*
 * Ignore marks on a directory (subdir), events from a mount mark for FAN_OPEN|FAN_ONDIR.
 * Legacy ignore masks (fsnotify_ignore_mask()): always apply to events on the directory itself,
 * apply to events on children only when the mark's (non-ignore) mask has FAN_EVENT_ON_CHILD.
 * FAN_MARK_IGNORE: FAN_ONDIR and FAN_EVENT_ON_CHILD of the ignore mask decide.
 */
FIXTURE(dir_ignore)
{
	FIXTURE_DATA(ign) w;
};

FIXTURE_VARIANT(dir_ignore)
{
	unsigned int ignore_flags;
	uint64_t ignore_mask;
	/* Non-ignore mask of the directory mark, added before the ignore mask (0: none). */
	uint64_t dir_mask;
	bool dir_ignored;
	bool child_ignored;
};

FIXTURE_SETUP(dir_ignore)
{
	FIXTURE_DATA(ign) *w = &self->w;

	w->fan_fd = -1;
	w->fan_fd2 = -1;
	ASSERT_EQ(0, setup_private_tmpfs(w->dir));
	snprintf(w->path[T_SUBDIR], FILE_PATH_LEN, "%s/subdir", w->dir);
	snprintf(w->path[T_CHILD], FILE_PATH_LEN, "%s/subdir/child", w->dir);
	snprintf(w->path[T_ROOT], FILE_PATH_LEN, "%s", w->dir);
	ASSERT_EQ(0, mkdir(w->path[T_SUBDIR], 0755));
	ASSERT_EQ(0, create_file(w->path[T_CHILD], "child\n"));
	w->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
				      O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, w->fan_fd);
}

FIXTURE_TEARDOWN(dir_ignore)
{
	if (self->w.fan_fd >= 0)
		close(self->w.fan_fd);
	EXPECT_EQ(0, teardown_private_tmpfs(self->w.dir));
}

/* clang-format off */
FIXTURE_VARIANT_ADD(dir_ignore, legacy) {
	/* clang-format on */
	.ignore_flags = FAN_MARK_IGNORED_MASK, .ignore_mask = FAN_OPEN,
	.dir_ignored = true, .child_ignored = false,
};

/* Event flags are dropped from a legacy ignore mask: the result is the same. */
/* clang-format off */
FIXTURE_VARIANT_ADD(dir_ignore, legacy_with_event_flags) {
	/* clang-format on */
	.ignore_flags = FAN_MARK_IGNORED_MASK,
	.ignore_mask = FAN_OPEN | FAN_ONDIR | FAN_EVENT_ON_CHILD,
	.dir_ignored = true, .child_ignored = false,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(dir_ignore, legacy_mark_watches_children) {
	/* clang-format on */
	.ignore_flags = FAN_MARK_IGNORED_MASK, .ignore_mask = FAN_OPEN,
	.dir_mask = FAN_CLOSE_WRITE | FAN_EVENT_ON_CHILD,
	.dir_ignored = true, .child_ignored = true,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(dir_ignore, legacy_mark_without_children) {
	/* clang-format on */
	.ignore_flags = FAN_MARK_IGNORED_MASK, .ignore_mask = FAN_OPEN,
	.dir_mask = FAN_CLOSE_WRITE,
	.dir_ignored = true, .child_ignored = false,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(dir_ignore, new_api_no_flags) {
	/* clang-format on */
	.ignore_flags = FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY, .ignore_mask = FAN_OPEN,
	.dir_ignored = false, .child_ignored = false,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(dir_ignore, new_api_ondir) {
	/* clang-format on */
	.ignore_flags = FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY,
	.ignore_mask = FAN_OPEN | FAN_ONDIR,
	.dir_ignored = true, .child_ignored = false,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(dir_ignore, new_api_on_child) {
	/* clang-format on */
	.ignore_flags = FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY,
	.ignore_mask = FAN_OPEN | FAN_EVENT_ON_CHILD,
	.dir_ignored = false, .child_ignored = true,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(dir_ignore, new_api_both) {
	/* clang-format on */
	.ignore_flags = FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY,
	.ignore_mask = FAN_OPEN | FAN_ONDIR | FAN_EVENT_ON_CHILD,
	.dir_ignored = true, .child_ignored = true,
};

/* The mark's own FAN_EVENT_ON_CHILD does not matter with the new API. */
/* clang-format off */
FIXTURE_VARIANT_ADD(dir_ignore, new_api_mark_watches_children) {
	/* clang-format on */
	.ignore_flags = FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY,
	.ignore_mask = FAN_OPEN | FAN_ONDIR,
	.dir_mask = FAN_CLOSE_WRITE | FAN_EVENT_ON_CHILD,
	.dir_ignored = true, .child_ignored = false,
};

TEST_F(dir_ignore, events)
{
	FIXTURE_DATA(ign) *w = &self->w;

	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD | FAN_MARK_MOUNT,
				       FAN_OPEN | FAN_ONDIR, AT_FDCWD, w->path[T_ROOT]));
	if (variant->dir_mask)
		ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD, variant->dir_mask,
					       AT_FDCWD, w->path[T_SUBDIR]));
	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD | variant->ignore_flags,
				       variant->ignore_mask, AT_FDCWD, w->path[T_SUBDIR]));

	ASSERT_EQ(0, open_close_dir(w->path[T_SUBDIR]));
	/* FAN_ONDIR is not reported in fd mode (fanotify_group_event_mask()). */
	EXPECT_EQ(variant->dir_ignored ? 0 : FAN_OPEN,
		  got(_metadata, w, w->fan_fd, T_SUBDIR, !variant->dir_ignored));
	ASSERT_EQ(0, open_close_file(w->path[T_CHILD], O_RDONLY));
	EXPECT_EQ(variant->child_ignored ? 0 : FAN_OPEN,
		  got(_metadata, w, w->fan_fd, T_CHILD, !variant->child_ignored));
	/* The mount root is never ignored. */
	ASSERT_EQ(0, open_close_dir(w->path[T_ROOT]));
	EXPECT_EQ(FAN_OPEN, got(_metadata, w, w->fan_fd, T_ROOT, 1));
}

/* Errors of ignore mask requests; each is checked on a fresh group. */
FIXTURE(ign_err)
{
	FIXTURE_DATA(ign) w;
};

FIXTURE_VARIANT(ign_err)
{
	unsigned int flags;
	uint64_t mask;
	enum target target;
	int expected_errno;
};

FIXTURE_SETUP(ign_err)
{
	FIXTURE_DATA(ign) *w = &self->w;

	w->fan_fd = -1;
	w->fan_fd2 = -1;
	ASSERT_EQ(0, setup_private_tmpfs(w->dir));
	snprintf(w->path[T_FILE], FILE_PATH_LEN, "%s/file", w->dir);
	snprintf(w->path[T_SUBDIR], FILE_PATH_LEN, "%s/subdir", w->dir);
	snprintf(w->path[T_ROOT], FILE_PATH_LEN, "%s", w->dir);
	ASSERT_EQ(0, create_file(w->path[T_FILE], "file\n"));
	ASSERT_EQ(0, mkdir(w->path[T_SUBDIR], 0755));
	w->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
				      O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, w->fan_fd);
}

FIXTURE_TEARDOWN(ign_err)
{
	if (self->w.fan_fd >= 0)
		close(self->w.fan_fd);
	EXPECT_EQ(0, teardown_private_tmpfs(self->w.dir));
}

/* clang-format off */
FIXTURE_VARIANT_ADD(ign_err, both_apis) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_IGNORE | FAN_MARK_IGNORED_MASK,
	.mask = FAN_OPEN, .target = T_FILE, .expected_errno = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(ign_err, both_apis_remove) {
	/* clang-format on */
	.flags = FAN_MARK_REMOVE | FAN_MARK_IGNORE | FAN_MARK_IGNORED_MASK,
	.mask = FAN_OPEN, .target = T_FILE, .expected_errno = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(ign_err, both_apis_surv) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_IGNORE | FAN_MARK_IGNORED_MASK |
		 FAN_MARK_IGNORED_SURV_MODIFY,
	.mask = FAN_OPEN, .target = T_FILE, .expected_errno = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(ign_err, new_api_dir_no_surv) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_IGNORE,
	.mask = FAN_OPEN, .target = T_SUBDIR, .expected_errno = EISDIR,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(ign_err, new_api_dir_ondir_no_surv) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_IGNORE,
	.mask = FAN_OPEN | FAN_ONDIR, .target = T_SUBDIR, .expected_errno = EISDIR,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(ign_err, new_api_mount_no_surv) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT | FAN_MARK_IGNORE,
	.mask = FAN_OPEN, .target = T_ROOT, .expected_errno = EINVAL,
};

/* The mount mark error does not depend on the object being a directory. */
/* clang-format off */
FIXTURE_VARIANT_ADD(ign_err, new_api_mount_file_no_surv) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT | FAN_MARK_IGNORE,
	.mask = FAN_OPEN, .target = T_FILE, .expected_errno = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(ign_err, new_api_fs_no_surv) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_FILESYSTEM | FAN_MARK_IGNORE,
	.mask = FAN_OPEN, .target = T_ROOT, .expected_errno = EINVAL,
};

/* Strict directory-only bits on a non-directory with FAN_MARK_IGNORE. */
/* clang-format off */
FIXTURE_VARIANT_ADD(ign_err, new_api_ondir_on_file) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY,
	.mask = FAN_OPEN | FAN_ONDIR, .target = T_FILE, .expected_errno = ENOTDIR,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(ign_err, new_api_on_child_on_file) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_IGNORE,
	.mask = FAN_OPEN | FAN_EVENT_ON_CHILD, .target = T_FILE, .expected_errno = ENOTDIR,
};

/* ENOTDIR (fanotify_events_supported()) is checked before EISDIR/EINVAL of missing SURV. */
/* clang-format off */
FIXTURE_VARIANT_ADD(ign_err, new_api_ondir_on_file_no_surv) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_IGNORE,
	.mask = FAN_OPEN | FAN_ONDIR, .target = T_FILE, .expected_errno = ENOTDIR,
};

/* Mount and filesystem marks are not inode marks: no ENOTDIR, but missing SURV is EINVAL. */
/* clang-format off */
FIXTURE_VARIANT_ADD(ign_err, new_api_mount_ondir_file_no_surv) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT | FAN_MARK_IGNORE,
	.mask = FAN_OPEN | FAN_ONDIR, .target = T_FILE, .expected_errno = EINVAL,
};

/* Directory entry events are not supported in fd reporting mode, ignore mask or not. */
/* clang-format off */
FIXTURE_VARIANT_ADD(ign_err, new_api_dirent_event) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY,
	.mask = FAN_CREATE, .target = T_SUBDIR, .expected_errno = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(ign_err, legacy_dirent_event) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_IGNORED_MASK,
	.mask = FAN_DELETE, .target = T_SUBDIR, .expected_errno = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(ign_err, remove_missing_ignore_mark) {
	/* clang-format on */
	.flags = FAN_MARK_REMOVE | FAN_MARK_IGNORED_MASK,
	.mask = FAN_OPEN, .target = T_FILE, .expected_errno = ENOENT,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(ign_err, remove_missing_ignore_mark_new_api_dir) {
	/* clang-format on */
	.flags = FAN_MARK_REMOVE | FAN_MARK_IGNORE,
	.mask = FAN_OPEN, .target = T_SUBDIR, .expected_errno = ENOENT,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(ign_err, ignore_zero_mask) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_IGNORED_MASK,
	.mask = 0, .target = T_FILE, .expected_errno = EINVAL,
};

TEST_F(ign_err, fails)
{
	FIXTURE_DATA(ign) *w = &self->w;

	errno = 0;
	EXPECT_EQ(-1, sys_fanotify_mark(w->fan_fd, variant->flags, variant->mask, AT_FDCWD,
					w->path[variant->target]));
	EXPECT_EQ(variant->expected_errno, errno);
	/* Nothing was set up: no event. */
	ASSERT_EQ(0, open_close_file(w->path[T_FILE], O_RDONLY));
	EXPECT_TRUE(no_event(w->fan_fd));
}

/* EEXIST: the flags of an existing mark cannot be downgraded. */

/* After FAN_MARK_IGNORE, the legacy API can no longer update the ignore mask of the mark. */
TEST_F(ign, eexist_legacy_after_new_api)
{
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_IGNORE, FAN_OPEN, T_FILE));
	EXPECT_EQ(-1, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK, FAN_ACCESS,
			   T_FILE));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(-1, mark(self, self->fan_fd,
			   FAN_MARK_ADD | FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORED_SURV_MODIFY,
			   FAN_ACCESS, T_FILE));
	EXPECT_EQ(EEXIST, errno);
	/* The new API and plain (non-ignore) additions still work. */
	EXPECT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_IGNORE, FAN_ACCESS, T_FILE));
	EXPECT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD, OPEN_CLOSE, T_FILE));
	/* Removal with the legacy API is allowed. */
	EXPECT_EQ(0, mark(self, self->fan_fd, FAN_MARK_REMOVE | FAN_MARK_IGNORED_MASK, FAN_ACCESS,
			  T_FILE));

	ASSERT_EQ(0, open_close_file(self->path[T_FILE], O_RDONLY));
	EXPECT_EVENTS(self->fan_fd, T_FILE, FAN_CLOSE_NOWRITE);
}

/* The legacy API may be followed by the new one (which then owns the mark). */
TEST_F(ign, legacy_then_new_api)
{
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK, FAN_OPEN,
			  T_FILE));
	EXPECT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_IGNORE, FAN_ACCESS, T_FILE));
	EXPECT_EQ(-1, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK, FAN_OPEN,
			   T_FILE));
	EXPECT_EQ(EEXIST, errno);
}

/* FAN_MARK_IGNORE without SURV_MODIFY on a mark whose ignore mask survives modification. */
TEST_F(ign, eexist_surv_downgrade)
{
	ASSERT_EQ(0, mark(self, self->fan_fd,
			  FAN_MARK_ADD | FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY, FAN_OPEN,
			  T_FILE));
	EXPECT_EQ(-1, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_IGNORE, FAN_ACCESS,
			   T_FILE));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(0, mark(self, self->fan_fd,
			  FAN_MARK_ADD | FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY,
			  FAN_ACCESS, T_FILE));
	/* A non-ignore addition does not need SURV_MODIFY. */
	EXPECT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD, OPEN_CLOSE, T_FILE));
	ASSERT_EQ(0, open_close_file(self->path[T_FILE], O_RDONLY));
	EXPECT_EVENTS(self->fan_fd, T_FILE, FAN_CLOSE_NOWRITE);
}

/*
 * Legacy: adding without SURV_MODIFY to an ignore mask that survives modification is accepted and
 * the mark keeps surviving modification (the flag is never removed).
 */
TEST_F(ign, legacy_surv_is_sticky)
{
	int fd;

	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD, FAN_OPEN, T_FILE));
	ASSERT_EQ(0, mark(self, self->fan_fd,
			  FAN_MARK_ADD | FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORED_SURV_MODIFY,
			  FAN_OPEN, T_FILE));
	EXPECT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK, FAN_ACCESS,
			  T_FILE));
	fd = open(self->path[T_FILE], O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "x", 1));
	ASSERT_EQ(0, close(fd));
	ASSERT_EQ(0, open_close_file(self->path[T_FILE], O_RDONLY));
	EXPECT_EVENTS(self->fan_fd, T_FILE, 0);
}

/* A mount mark with FAN_MARK_IGNORE|SURV_MODIFY cannot be updated without SURV_MODIFY either. */
TEST_F(ign, eexist_surv_downgrade_mount)
{
	ASSERT_EQ(0, mark(self, self->fan_fd,
			  FAN_MARK_ADD | FAN_MARK_MOUNT | FAN_MARK_IGNORE |
			  FAN_MARK_IGNORED_SURV_MODIFY,
			  FAN_OPEN, T_ROOT));
	/* EINVAL (missing SURV on a mount) is checked before the existing mark is looked up. */
	EXPECT_EQ(-1, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_MOUNT | FAN_MARK_IGNORE,
			   FAN_ACCESS, T_ROOT));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, mark(self, self->fan_fd,
			   FAN_MARK_ADD | FAN_MARK_MOUNT | FAN_MARK_IGNORED_MASK,
			   FAN_ACCESS, T_ROOT));
	EXPECT_EQ(EEXIST, errno);
}

/*
 * Adding an ignore mask without SURV_MODIFY to an inode open for write silently does nothing
 * (returns 0; no mark is created or updated).
 */
FIXTURE(open_for_write)
{
	FIXTURE_DATA(ign) w;
};

FIXTURE_VARIANT(open_for_write)
{
	unsigned int ignore_flags;
	bool applied;
};

FIXTURE_SETUP(open_for_write)
{
	FIXTURE_DATA(ign) *w = &self->w;

	w->fan_fd = -1;
	w->fan_fd2 = -1;
	ASSERT_EQ(0, setup_private_tmpfs(w->dir));
	snprintf(w->path[T_FILE], FILE_PATH_LEN, "%s/file", w->dir);
	snprintf(w->path[T_ROOT], FILE_PATH_LEN, "%s", w->dir);
	ASSERT_EQ(0, create_file(w->path[T_FILE], "file\n"));
	w->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
				      O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, w->fan_fd);
}

FIXTURE_TEARDOWN(open_for_write)
{
	if (self->w.fan_fd >= 0)
		close(self->w.fan_fd);
	EXPECT_EQ(0, teardown_private_tmpfs(self->w.dir));
}

/* clang-format off */
FIXTURE_VARIANT_ADD(open_for_write, legacy) {
	/* clang-format on */
	.ignore_flags = FAN_MARK_IGNORED_MASK, .applied = false,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(open_for_write, new_api) {
	/* clang-format on */
	.ignore_flags = FAN_MARK_IGNORE, .applied = false,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(open_for_write, legacy_surv) {
	/* clang-format on */
	.ignore_flags = FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORED_SURV_MODIFY, .applied = true,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(open_for_write, new_api_surv) {
	/* clang-format on */
	.ignore_flags = FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY, .applied = true,
};

TEST_F(open_for_write, ignore_add)
{
	FIXTURE_DATA(ign) *w = &self->w;
	int wfd, ret;

	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN,
				       AT_FDCWD, w->path[T_ROOT]));
	wfd = open(w->path[T_FILE], O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, wfd);
	EXPECT_EQ(FAN_OPEN, got(_metadata, w, w->fan_fd, T_FILE, FAN_OPEN));

	EXPECT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD | variant->ignore_flags, FAN_OPEN,
				       AT_FDCWD, w->path[T_FILE]));
	ASSERT_EQ(0, open_close_file(w->path[T_FILE], O_RDONLY));
	EXPECT_EQ(variant->applied ? 0 : FAN_OPEN,
		  got(_metadata, w, w->fan_fd, T_FILE, variant->applied ? 0 : FAN_OPEN));

	/* Without a mark on the inode, removing the ignore mask fails with ENOENT. */
	ret = sys_fanotify_mark(w->fan_fd, FAN_MARK_REMOVE |
				(variant->ignore_flags & ~FAN_MARK_IGNORED_SURV_MODIFY),
				FAN_OPEN, AT_FDCWD, w->path[T_FILE]);
	if (variant->applied) {
		EXPECT_EQ(0, ret);
	} else {
		EXPECT_EQ(-1, ret);
		EXPECT_EQ(ENOENT, errno);
	}
	EXPECT_EQ(0, close(wfd));

	/* Once the writer is gone, the same request takes effect. */
	EXPECT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD | variant->ignore_flags, FAN_OPEN,
				       AT_FDCWD, w->path[T_FILE]));
	ASSERT_EQ(0, open_close_file(w->path[T_FILE], O_RDONLY));
	EXPECT_EQ(0, got(_metadata, w, w->fan_fd, T_FILE, 0));
}

/* FAN_MARK_REMOVE|FAN_MARK_IGNORED_MASK removes bits from the ignore mask only. */
TEST_F(ign, remove_ignore_mask)
{
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD, OPEN_CLOSE, T_FILE));
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK, OPEN_CLOSE,
			  T_FILE));
	ASSERT_EQ(0, open_close_file(self->path[T_FILE], O_RDONLY));
	EXPECT_EVENTS(self->fan_fd, T_FILE, 0);

	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_REMOVE | FAN_MARK_IGNORED_MASK, FAN_OPEN,
			  T_FILE));
	ASSERT_EQ(0, open_close_file(self->path[T_FILE], O_RDONLY));
	EXPECT_EVENTS(self->fan_fd, T_FILE, FAN_OPEN);

	/* A plain removal of FAN_OPEN leaves the ignore mask of FAN_CLOSE_NOWRITE alone. */
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_REMOVE, FAN_OPEN, T_FILE));
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD, FAN_OPEN, T_FILE));
	ASSERT_EQ(0, open_close_file(self->path[T_FILE], O_RDONLY));
	EXPECT_EVENTS(self->fan_fd, T_FILE, FAN_OPEN);
}

/* A mark with only an ignore mask is destroyed when the ignore mask becomes empty. */
TEST_F(ign, remove_last_ignore_bits_destroys_mark)
{
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN, T_ROOT));
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK, FAN_OPEN,
			  T_FILE));
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_REMOVE | FAN_MARK_IGNORED_MASK, FAN_OPEN,
			  T_FILE));
	EXPECT_EQ(-1, mark(self, self->fan_fd, FAN_MARK_REMOVE | FAN_MARK_IGNORED_MASK, FAN_OPEN,
			   T_FILE));
	EXPECT_EQ(ENOENT, errno);
	ASSERT_EQ(0, open_close_file(self->path[T_FILE], O_RDONLY));
	EXPECT_EVENTS(self->fan_fd, T_FILE, FAN_OPEN);

	/* The same with the new API on a mount mark. */
	ASSERT_EQ(0, mark(self, self->fan_fd2, FAN_MARK_ADD | FAN_MARK_MOUNT | FAN_MARK_IGNORE |
			  FAN_MARK_IGNORED_SURV_MODIFY, FAN_OPEN | FAN_ONDIR, T_ROOT));
	ASSERT_EQ(0, mark(self, self->fan_fd2, FAN_MARK_REMOVE | FAN_MARK_MOUNT | FAN_MARK_IGNORE,
			  FAN_OPEN, T_ROOT));
	/* Only FAN_ONDIR remains: the mark stays (flags may be removed incrementally). */
	ASSERT_EQ(0, mark(self, self->fan_fd2, FAN_MARK_REMOVE | FAN_MARK_MOUNT | FAN_MARK_IGNORE,
			  FAN_ONDIR, T_ROOT));
	EXPECT_EQ(-1, mark(self, self->fan_fd2, FAN_MARK_REMOVE | FAN_MARK_MOUNT | FAN_MARK_IGNORE,
			   FAN_ONDIR, T_ROOT));
	EXPECT_EQ(ENOENT, errno);
}

/*
 * A mark on a file that both asks for and ignores FAN_OPEN: nothing for its
 * group, while another group's mark on the same file still gets its events;
 * the ignored events come back at once when the ignore mask loses them, by
 * FAN_MARK_REMOVE or by a truncation (a modification that clears an ignore
 * mask which does not survive it), also through a second name of the file.
 */
TEST_F(ign, wanted_and_ignored_on_one_file)
{
	char alias[FILE_PATH_LEN];

	snprintf(alias, sizeof(alias), "%s/link", self->dir);
	ASSERT_EQ(0, link(self->path[T_FILE], alias));
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD, FAN_OPEN, T_FILE));
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK |
			  FAN_MARK_IGNORED_SURV_MODIFY, FAN_OPEN, T_FILE));
	ASSERT_EQ(0, mark(self, self->fan_fd2, FAN_MARK_ADD, FAN_OPEN, T_FILE));
	ASSERT_EQ(0, open_close_file(alias, O_RDONLY));
	EXPECT_EVENTS(self->fan_fd, T_FILE, 0);
	EXPECT_EVENTS(self->fan_fd2, T_FILE, FAN_OPEN);

	/* The other group goes away: still nothing for the ignoring one. */
	ASSERT_EQ(0, mark(self, self->fan_fd2, FAN_MARK_REMOVE, FAN_OPEN, T_FILE));
	ASSERT_EQ(0, open_close_file(self->path[T_FILE], O_RDONLY));
	EXPECT_EVENTS(self->fan_fd, T_FILE, 0);

	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_REMOVE | FAN_MARK_IGNORED_MASK, FAN_OPEN,
			  T_FILE));
	ASSERT_EQ(0, open_close_file(alias, O_RDONLY));
	EXPECT_EVENTS(self->fan_fd, T_FILE, FAN_OPEN);

	/* On another file, ignored until a truncation clears the ignore mask. */
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD, FAN_OPEN, T_FILE2));
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK, FAN_OPEN,
			  T_FILE2));
	ASSERT_EQ(0, open_close_file(self->path[T_FILE2], O_RDONLY));
	EXPECT_EVENTS(self->fan_fd, T_FILE2, 0);
	ASSERT_EQ(0, truncate(self->path[T_FILE2], 1));
	ASSERT_EQ(0, open_close_file(self->path[T_FILE2], O_RDONLY));
	EXPECT_EVENTS(self->fan_fd, T_FILE2, FAN_OPEN);
	ASSERT_EQ(0, unlink(alias));
}

TEST_HARNESS_MAIN
