// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify mark type tests: FAN_MARK_MOUNT and FAN_MARK_FILESYSTEM events and their scope,
 * FAN_MARK_EVICTABLE, FAN_MARK_FLUSH per mark type, mark type errors and the CAP_SYS_ADMIN
 * requirement of mount and filesystem marks.
 *
 * Behaviour reference: upstream 6.12 do_fanotify_mark(), fanotify_events_supported(),
 * fanotify_add_mark(), fanotify_may_update_existing_mark() and fanotify_mark_update_flags() in
 * fs/notify/fanotify/fanotify_user.c.
 *
 * Every test runs on a private tmpfs in a private mount namespace.
 */

#include <sys/wait.h>

#include "common.h"

enum target {
	T_ROOT,		/* tmpfs root */
	T_FILE,		/* tmpfs/file */
	T_CHILD,	/* tmpfs/subdir/deeper/child */
	T_BIND_CHILD,	/* tmpfs/bind/deeper/child: the same inode through a bind mount of subdir */
	T_SUBDIR,	/* tmpfs/subdir */
	T_BIND,		/* tmpfs/bind: root of the bind mount */
	T_PIPE,		/* a pipe (dirfd with a NULL pathname) */
	T_COUNT,
};

FIXTURE(mt)
{
	char dir[DIR_PATH_LEN];
	char path[T_COUNT][FILE_PATH_LEN];
	int pipefd[2];
	int fan_fd;
};

static void world_setup(struct __test_metadata *const _metadata, FIXTURE_DATA(mt) *self)
{
	char deeper[FILE_PATH_LEN];

	self->fan_fd = -1;
	self->pipefd[0] = -1;
	self->pipefd[1] = -1;
	ASSERT_EQ(0, setup_private_tmpfs(self->dir));
	snprintf(self->path[T_ROOT], FILE_PATH_LEN, "%s", self->dir);
	snprintf(self->path[T_FILE], FILE_PATH_LEN, "%s/file", self->dir);
	snprintf(self->path[T_SUBDIR], FILE_PATH_LEN, "%s/subdir", self->dir);
	snprintf(deeper, FILE_PATH_LEN, "%s/subdir/deeper", self->dir);
	snprintf(self->path[T_CHILD], FILE_PATH_LEN, "%s/subdir/deeper/child", self->dir);
	snprintf(self->path[T_BIND], FILE_PATH_LEN, "%s/bind", self->dir);
	snprintf(self->path[T_BIND_CHILD], FILE_PATH_LEN, "%s/bind/deeper/child", self->dir);
	ASSERT_EQ(0, create_file(self->path[T_FILE], "file\n"));
	ASSERT_EQ(0, mkdir(self->path[T_SUBDIR], 0755));
	ASSERT_EQ(0, mkdir(deeper, 0755));
	ASSERT_EQ(0, create_file(self->path[T_CHILD], "child\n"));
	ASSERT_EQ(0, mkdir(self->path[T_BIND], 0755));
	ASSERT_EQ(0, mount(self->path[T_SUBDIR], self->path[T_BIND], NULL, MS_BIND, NULL));
	ASSERT_EQ(0, pipe2(self->pipefd, O_CLOEXEC));
	self->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
					 O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fan_fd);
}

static void world_teardown(struct __test_metadata *const _metadata, FIXTURE_DATA(mt) *self)
{
	if (self->fan_fd >= 0)
		close(self->fan_fd);
	if (self->pipefd[0] >= 0)
		close(self->pipefd[0]);
	if (self->pipefd[1] >= 0)
		close(self->pipefd[1]);
	/* The lazy unmount of the tmpfs also detaches the bind mount below it. */
	EXPECT_EQ(0, teardown_private_tmpfs(self->dir));
}

FIXTURE_SETUP(mt)
{
	world_setup(_metadata, self);
}

FIXTURE_TEARDOWN(mt)
{
	world_teardown(_metadata, self);
}

static int mark(FIXTURE_DATA(mt) *self, int fan_fd, unsigned int flags, uint64_t mask,
		enum target t)
{
	if (t == T_PIPE)
		return sys_fanotify_mark(fan_fd, flags, mask, self->pipefd[0], NULL);
	return sys_fanotify_mark(fan_fd, flags, mask, AT_FDCWD, self->path[t]);
}

/* Union of the masks of the records about @t; no record about anything else. */
static uint64_t got(struct __test_metadata *const _metadata, FIXTURE_DATA(mt) *self, int fan_fd,
		    enum target t, bool wait)
{
	struct event_summary sum;
	struct stat st;

	EXPECT_EQ(0, stat(self->path[t], &st));
	EXPECT_LE(0, collect_events(fan_fd, &st, &sum, wait ? EVENT_TIMEOUT_MS :
							     NO_EVENT_TIMEOUT_MS));
	EXPECT_EQ(0, sum.others);
	EXPECT_EQ(0, sum.bad_records);
	return sum.mask;
}

enum op {
	OP_OPEN_CLOSE,
	OP_READ,
	OP_WRITE,
};

static int do_op(const char *path, enum op op)
{
	int fd, ret = 0;
	char c;

	fd = open(path, (op == OP_WRITE ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (op == OP_READ && read(fd, &c, 1) != 1)
		ret = -1;
	if (op == OP_WRITE && write(fd, "w", 1) != 1)
		ret = -1;
	if (close(fd))
		ret = -1;
	return ret;
}

#define ALL_FD_EVENTS (FAN_OPEN | FAN_ACCESS | FAN_MODIFY | FAN_CLOSE)

/* Events seen by mount and filesystem marks on the tmpfs root. */
FIXTURE(scope)
{
	FIXTURE_DATA(mt) w;
};

FIXTURE_SETUP(scope)
{
	world_setup(_metadata, &self->w);
}

FIXTURE_TEARDOWN(scope)
{
	world_teardown(_metadata, &self->w);
}

FIXTURE_VARIANT(scope)
{
	unsigned int mark_type;
	enum target target;
	enum op op;
	uint64_t expected;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(scope, mount_open_close) {
	/* clang-format on */
	.mark_type = FAN_MARK_MOUNT, .target = T_FILE, .op = OP_OPEN_CLOSE,
	.expected = FAN_OPEN | FAN_CLOSE_NOWRITE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(scope, mount_read_deep) {
	/* clang-format on */
	.mark_type = FAN_MARK_MOUNT, .target = T_CHILD, .op = OP_READ,
	.expected = FAN_OPEN | FAN_ACCESS | FAN_CLOSE_NOWRITE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(scope, mount_write_deep) {
	/* clang-format on */
	.mark_type = FAN_MARK_MOUNT, .target = T_CHILD, .op = OP_WRITE,
	.expected = FAN_OPEN | FAN_MODIFY | FAN_CLOSE_WRITE,
};

/* A mount mark only sees accesses through its own mount, not through a bind mount. */
/* clang-format off */
FIXTURE_VARIANT_ADD(scope, mount_via_bind_mount) {
	/* clang-format on */
	.mark_type = FAN_MARK_MOUNT, .target = T_BIND_CHILD, .op = OP_READ,
	.expected = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(scope, fs_open_close) {
	/* clang-format on */
	.mark_type = FAN_MARK_FILESYSTEM, .target = T_FILE, .op = OP_OPEN_CLOSE,
	.expected = FAN_OPEN | FAN_CLOSE_NOWRITE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(scope, fs_read_deep) {
	/* clang-format on */
	.mark_type = FAN_MARK_FILESYSTEM, .target = T_CHILD, .op = OP_READ,
	.expected = FAN_OPEN | FAN_ACCESS | FAN_CLOSE_NOWRITE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(scope, fs_write) {
	/* clang-format on */
	.mark_type = FAN_MARK_FILESYSTEM, .target = T_FILE, .op = OP_WRITE,
	.expected = FAN_OPEN | FAN_MODIFY | FAN_CLOSE_WRITE,
};

/* A filesystem mark sees every mount of the filesystem. */
/* clang-format off */
FIXTURE_VARIANT_ADD(scope, fs_via_bind_mount) {
	/* clang-format on */
	.mark_type = FAN_MARK_FILESYSTEM, .target = T_BIND_CHILD, .op = OP_WRITE,
	.expected = FAN_OPEN | FAN_MODIFY | FAN_CLOSE_WRITE,
};

TEST_F(scope, events)
{
	FIXTURE_DATA(mt) *self_w = &self->w;
#define self self_w
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | variant->mark_type, ALL_FD_EVENTS,
			  T_ROOT));
	ASSERT_EQ(0, do_op(self->path[variant->target], variant->op));
	EXPECT_EQ(variant->expected, got(_metadata, self, self->fan_fd, variant->target,
					 variant->expected));
	/* The mark may be given by any path of the mount; only the object counts. */
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_REMOVE | variant->mark_type,
			  ALL_FD_EVENTS, T_FILE));
	ASSERT_EQ(0, do_op(self->path[variant->target], variant->op));
	EXPECT_EQ(0, got(_metadata, self, self->fan_fd, variant->target, false));
	EXPECT_EQ(-1, mark(self, self->fan_fd, FAN_MARK_REMOVE | variant->mark_type,
			   ALL_FD_EVENTS, T_ROOT));
	EXPECT_EQ(ENOENT, errno);
#undef self
}

/* A mount mark on the bind mount sees the accesses through it only. */
TEST_F(mt, mount_mark_on_bind_mount)
{
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN, T_BIND));
	ASSERT_EQ(0, do_op(self->path[T_CHILD], OP_OPEN_CLOSE));
	EXPECT_EQ(0, got(_metadata, self, self->fan_fd, T_CHILD, false));
	ASSERT_EQ(0, do_op(self->path[T_BIND_CHILD], OP_OPEN_CLOSE));
	EXPECT_EQ(FAN_OPEN, got(_metadata, self, self->fan_fd, T_BIND_CHILD, true));
	/* The root of the outer mount is not the bind mount: no such mark there. */
	EXPECT_EQ(-1, mark(self, self->fan_fd, FAN_MARK_REMOVE | FAN_MARK_MOUNT, FAN_OPEN, T_ROOT));
	EXPECT_EQ(ENOENT, errno);
	/* A filesystem mark is the same object whichever mount names it. */
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_CLOSE_NOWRITE,
			  T_BIND));
	EXPECT_EQ(0, mark(self, self->fan_fd, FAN_MARK_REMOVE | FAN_MARK_FILESYSTEM,
			  FAN_CLOSE_NOWRITE, T_FILE));
}

/* Mount and filesystem marks combine with inode marks of the same group into one record. */
TEST_F(mt, union_of_mark_types)
{
	struct fanotify_event_metadata m;

	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD, FAN_OPEN, T_FILE));
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN, T_ROOT));
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_OPEN,
			  T_ROOT));
	ASSERT_EQ(0, do_op(self->path[T_FILE], OP_OPEN_CLOSE));
	ASSERT_EQ(0, read_one_record(self->fan_fd, &m));
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_TRUE(fd_is_path(m.fd, self->path[T_FILE]));
	EXPECT_EQ(0, close(m.fd));
	EXPECT_TRUE(no_event(self->fan_fd));
}

/* Errors specific to mark types. */
FIXTURE(mt_err)
{
	FIXTURE_DATA(mt) w;
};

FIXTURE_VARIANT(mt_err)
{
	unsigned int flags;
	uint64_t mask;
	enum target target;
	int expected_errno;
};

FIXTURE_SETUP(mt_err)
{
	/* Same world as mt. */
	FIXTURE_DATA(mt) *w = &self->w;
	char deeper[FILE_PATH_LEN];

	w->fan_fd = -1;
	w->pipefd[0] = -1;
	w->pipefd[1] = -1;
	ASSERT_EQ(0, setup_private_tmpfs(w->dir));
	snprintf(w->path[T_ROOT], FILE_PATH_LEN, "%s", w->dir);
	snprintf(w->path[T_FILE], FILE_PATH_LEN, "%s/file", w->dir);
	snprintf(w->path[T_SUBDIR], FILE_PATH_LEN, "%s/subdir", w->dir);
	snprintf(deeper, FILE_PATH_LEN, "%s/subdir/deeper", w->dir);
	ASSERT_EQ(0, create_file(w->path[T_FILE], "file\n"));
	ASSERT_EQ(0, mkdir(w->path[T_SUBDIR], 0755));
	ASSERT_EQ(0, mkdir(deeper, 0755));
	ASSERT_EQ(0, pipe2(w->pipefd, O_CLOEXEC));
	w->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
				      O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, w->fan_fd);
}

FIXTURE_TEARDOWN(mt_err)
{
	FIXTURE_DATA(mt) *w = &self->w;

	if (w->fan_fd >= 0)
		close(w->fan_fd);
	if (w->pipefd[0] >= 0)
		close(w->pipefd[0]);
	if (w->pipefd[1] >= 0)
		close(w->pipefd[1]);
	EXPECT_EQ(0, teardown_private_tmpfs(w->dir));
}

/* Events without an fd to report need a FID group, and are never allowed on mount marks. */
/* clang-format off */
FIXTURE_VARIANT_ADD(mt_err, mount_create) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT, .mask = FAN_CREATE,
	.target = T_ROOT, .expected_errno = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mt_err, mount_open_and_delete_self) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT, .mask = FAN_OPEN | FAN_DELETE_SELF,
	.target = T_ROOT, .expected_errno = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mt_err, mount_attrib) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT, .mask = FAN_ATTRIB,
	.target = T_FILE, .expected_errno = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mt_err, fs_move) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_FILESYSTEM, .mask = FAN_MOVE,
	.target = T_ROOT, .expected_errno = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mt_err, inode_create) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_CREATE | FAN_ONDIR,
	.target = T_SUBDIR, .expected_errno = EINVAL,
};

/* Removal is validated the same way. */
/* clang-format off */
FIXTURE_VARIANT_ADD(mt_err, mount_remove_delete) {
	/* clang-format on */
	.flags = FAN_MARK_REMOVE | FAN_MARK_MOUNT, .mask = FAN_DELETE,
	.target = T_ROOT, .expected_errno = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mt_err, mount_evictable) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT | FAN_MARK_EVICTABLE, .mask = FAN_OPEN,
	.target = T_ROOT, .expected_errno = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mt_err, fs_evictable) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_FILESYSTEM | FAN_MARK_EVICTABLE, .mask = FAN_OPEN,
	.target = T_ROOT, .expected_errno = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mt_err, inode_fs_error) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_FS_ERROR,
	.target = T_FILE, .expected_errno = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mt_err, mount_fs_error) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT, .mask = FAN_FS_ERROR,
	.target = T_ROOT, .expected_errno = EINVAL,
};

/* FAN_FS_ERROR is only for filesystem marks of FID groups. */
/* clang-format off */
FIXTURE_VARIANT_ADD(mt_err, fs_fs_error_fd_mode) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_FILESYSTEM, .mask = FAN_FS_ERROR,
	.target = T_ROOT, .expected_errno = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mt_err, mount_and_filesystem) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT | FAN_MARK_FILESYSTEM, .mask = FAN_OPEN,
	.target = T_ROOT, .expected_errno = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mt_err, flush_mount_and_filesystem) {
	/* clang-format on */
	.flags = FAN_MARK_FLUSH | FAN_MARK_MOUNT | FAN_MARK_FILESYSTEM, .mask = 0,
	.target = T_ROOT, .expected_errno = EINVAL,
};

/* Internal pseudo filesystems (SB_NOUSER, like pipefs) cannot have mount or sb marks. */
/* clang-format off */
FIXTURE_VARIANT_ADD(mt_err, mount_pipe) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT, .mask = FAN_OPEN,
	.target = T_PIPE, .expected_errno = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mt_err, fs_pipe) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_FILESYSTEM, .mask = FAN_ACCESS,
	.target = T_PIPE, .expected_errno = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mt_err, mount_remove_unmarked) {
	/* clang-format on */
	.flags = FAN_MARK_REMOVE | FAN_MARK_MOUNT, .mask = FAN_OPEN,
	.target = T_ROOT, .expected_errno = ENOENT,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mt_err, fs_remove_unmarked) {
	/* clang-format on */
	.flags = FAN_MARK_REMOVE | FAN_MARK_FILESYSTEM, .mask = FAN_OPEN,
	.target = T_FILE, .expected_errno = ENOENT,
};

TEST_F(mt_err, fails)
{
	errno = 0;
	EXPECT_EQ(-1, mark(&self->w, self->w.fan_fd, variant->flags, variant->mask,
			   variant->target));
	EXPECT_EQ(variant->expected_errno, errno);
}

/*
 * An inode mark on a pipe is fine.  Whether pipe I/O generates events differs between kernels
 * (6.14 made pseudo files FMODE_NONOTIFY), so only the mark itself is checked.
 */
TEST_F(mt, inode_mark_on_pipe)
{
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD, FAN_MODIFY | FAN_ACCESS, T_PIPE));
	EXPECT_EQ(0, mark(self, self->fan_fd, FAN_MARK_REMOVE, FAN_MODIFY, T_PIPE));
	EXPECT_EQ(0, mark(self, self->fan_fd, FAN_MARK_REMOVE, FAN_ACCESS, T_PIPE));
	EXPECT_EQ(-1, mark(self, self->fan_fd, FAN_MARK_REMOVE, FAN_ACCESS, T_PIPE));
	EXPECT_EQ(ENOENT, errno);
}

/* FAN_MARK_EVICTABLE. */

TEST_F(mt, evictable_mark_reports_events)
{
	int pin;

	/* Keep the inode in memory so that the evictable mark cannot go away. */
	pin = open(self->path[T_FILE], O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, pin);
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_EVICTABLE, FAN_OPEN, T_FILE));
	ASSERT_EQ(0, do_op(self->path[T_FILE], OP_OPEN_CLOSE));
	EXPECT_EQ(FAN_OPEN, got(_metadata, self, self->fan_fd, T_FILE, true));

	/* Adding again with EVICTABLE keeps the mark evictable and updates it. */
	EXPECT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_EVICTABLE, FAN_CLOSE_NOWRITE,
			  T_FILE));
	/* Adding without EVICTABLE upgrades the mark to a normal one... */
	EXPECT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD, FAN_ACCESS, T_FILE));
	/* ...which cannot be downgraded. */
	EXPECT_EQ(-1, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_EVICTABLE, FAN_ACCESS,
			   T_FILE));
	EXPECT_EQ(EEXIST, errno);
	/* The failed update did not change the mask. */
	ASSERT_EQ(0, do_op(self->path[T_FILE], OP_READ));
	EXPECT_EQ(FAN_OPEN | FAN_ACCESS | FAN_CLOSE_NOWRITE,
		  got(_metadata, self, self->fan_fd, T_FILE, true));
	EXPECT_EQ(0, close(pin));
}

TEST_F(mt, evictable_on_normal_mark_eexist)
{
	ASSERT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD, FAN_OPEN, T_FILE));
	EXPECT_EQ(-1, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_EVICTABLE, FAN_ACCESS,
			   T_FILE));
	EXPECT_EQ(EEXIST, errno);
	/* Also with an ignore mask request. */
	EXPECT_EQ(-1, mark(self, self->fan_fd,
			   FAN_MARK_ADD | FAN_MARK_EVICTABLE | FAN_MARK_IGNORED_MASK, FAN_ACCESS,
			   T_FILE));
	EXPECT_EQ(EEXIST, errno);
	/* Removal with EVICTABLE is accepted. */
	EXPECT_EQ(0, mark(self, self->fan_fd, FAN_MARK_REMOVE | FAN_MARK_EVICTABLE, FAN_OPEN,
			  T_FILE));
	ASSERT_EQ(0, do_op(self->path[T_FILE], OP_READ));
	EXPECT_EQ(0, got(_metadata, self, self->fan_fd, T_FILE, false));
	/* The mark is gone with its last event: a new one may be evictable. */
	EXPECT_EQ(0, mark(self, self->fan_fd, FAN_MARK_ADD | FAN_MARK_EVICTABLE, FAN_OPEN,
			  T_FILE));
}

/* FAN_MARK_FLUSH removes the marks of the given type only. */
FIXTURE(flush)
{
	FIXTURE_DATA(mt) w;
};

FIXTURE_VARIANT(flush)
{
	unsigned int flush_type;
	uint64_t remaining;
	/* Type whose FAN_MARK_REMOVE must now fail with ENOENT. */
	uint64_t flushed_event;
};

FIXTURE_SETUP(flush)
{
	FIXTURE_DATA(mt) *w = &self->w;

	w->fan_fd = -1;
	w->pipefd[0] = -1;
	w->pipefd[1] = -1;
	ASSERT_EQ(0, setup_private_tmpfs(w->dir));
	snprintf(w->path[T_ROOT], FILE_PATH_LEN, "%s", w->dir);
	snprintf(w->path[T_FILE], FILE_PATH_LEN, "%s/file", w->dir);
	ASSERT_EQ(0, create_file(w->path[T_FILE], "file\n"));
	w->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
				      O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, w->fan_fd);
}

FIXTURE_TEARDOWN(flush)
{
	if (self->w.fan_fd >= 0)
		close(self->w.fan_fd);
	EXPECT_EQ(0, teardown_private_tmpfs(self->w.dir));
}

/* clang-format off */
FIXTURE_VARIANT_ADD(flush, inode) {
	/* clang-format on */
	.flush_type = FAN_MARK_INODE, .remaining = FAN_ACCESS | FAN_CLOSE_NOWRITE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(flush, mount) {
	/* clang-format on */
	.flush_type = FAN_MARK_MOUNT, .remaining = FAN_OPEN | FAN_ACCESS,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(flush, filesystem) {
	/* clang-format on */
	.flush_type = FAN_MARK_FILESYSTEM, .remaining = FAN_OPEN | FAN_CLOSE_NOWRITE,
};

TEST_F(flush, only_one_type)
{
	FIXTURE_DATA(mt) *w = &self->w;
	static const struct {
		unsigned int type;
		uint64_t event;
	} marks[] = {
		{ FAN_MARK_INODE, FAN_OPEN },
		{ FAN_MARK_MOUNT, FAN_CLOSE_NOWRITE },
		{ FAN_MARK_FILESYSTEM, FAN_ACCESS },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(marks); i++)
		ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD | marks[i].type,
					       marks[i].event, AT_FDCWD,
					       marks[i].type == FAN_MARK_INODE ? w->path[T_FILE] :
										 w->path[T_ROOT]));
	ASSERT_EQ(0, do_op(w->path[T_FILE], OP_READ));
	EXPECT_EQ(FAN_OPEN | FAN_ACCESS | FAN_CLOSE_NOWRITE,
		  got(_metadata, w, w->fan_fd, T_FILE, true));

	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_FLUSH | variant->flush_type, 0,
				       AT_FDCWD, NULL));
	ASSERT_EQ(0, do_op(w->path[T_FILE], OP_READ));
	EXPECT_EQ(variant->remaining, got(_metadata, w, w->fan_fd, T_FILE, true));

	for (i = 0; i < ARRAY_SIZE(marks); i++) {
		int ret = sys_fanotify_mark(w->fan_fd, FAN_MARK_REMOVE | marks[i].type,
					    marks[i].event, AT_FDCWD,
					    marks[i].type == FAN_MARK_INODE ? w->path[T_FILE] :
									      w->path[T_ROOT]);

		if (marks[i].type == variant->flush_type) {
			EXPECT_EQ(-1, ret);
			EXPECT_EQ(ENOENT, errno);
		} else {
			EXPECT_EQ(0, ret);
		}
	}
	ASSERT_EQ(0, do_op(w->path[T_FILE], OP_READ));
	EXPECT_EQ(0, got(_metadata, w, w->fan_fd, T_FILE, false));
}

/*
 * Mount and filesystem marks need CAP_SYS_ADMIN at fanotify_mark() time, even on a group created
 * with it; inode marks only need read permission on the object.
 */
FIXTURE(unpriv)
{
	FIXTURE_DATA(mt) w;
};

FIXTURE_VARIANT(unpriv)
{
	unsigned int flags;
	uint64_t mask;
	enum target target;
	/* 0: success. */
	int expected_errno;
};

FIXTURE_SETUP(unpriv)
{
	FIXTURE_DATA(mt) *w = &self->w;

	w->fan_fd = -1;
	w->pipefd[0] = -1;
	w->pipefd[1] = -1;
	ASSERT_EQ(0, setup_private_tmpfs(w->dir));
	snprintf(w->path[T_ROOT], FILE_PATH_LEN, "%s", w->dir);
	snprintf(w->path[T_FILE], FILE_PATH_LEN, "%s/file", w->dir);
	snprintf(w->path[T_SUBDIR], FILE_PATH_LEN, "%s/subdir", w->dir);
	ASSERT_EQ(0, create_file(w->path[T_FILE], "file\n"));
	ASSERT_EQ(0, chmod(w->path[T_FILE], 0644));
	/* Not readable by others. */
	ASSERT_EQ(0, mkdir(w->path[T_SUBDIR], 0700));
	w->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
				      O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, w->fan_fd);
}

FIXTURE_TEARDOWN(unpriv)
{
	if (self->w.fan_fd >= 0)
		close(self->w.fan_fd);
	EXPECT_EQ(0, teardown_private_tmpfs(self->w.dir));
}

/* clang-format off */
FIXTURE_VARIANT_ADD(unpriv, mount_add) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT, .mask = FAN_OPEN, .target = T_ROOT,
	.expected_errno = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(unpriv, fs_add) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_FILESYSTEM, .mask = FAN_OPEN, .target = T_FILE,
	.expected_errno = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(unpriv, mount_remove) {
	/* clang-format on */
	.flags = FAN_MARK_REMOVE | FAN_MARK_MOUNT, .mask = FAN_OPEN, .target = T_ROOT,
	.expected_errno = EPERM,
};

/* EPERM comes before the lookup of the path. */
/* clang-format off */
FIXTURE_VARIANT_ADD(unpriv, fs_add_unreadable) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_FILESYSTEM, .mask = FAN_OPEN, .target = T_SUBDIR,
	.expected_errno = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(unpriv, flush_mount) {
	/* clang-format on */
	.flags = FAN_MARK_FLUSH | FAN_MARK_MOUNT, .mask = 0, .target = T_ROOT,
	.expected_errno = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(unpriv, flush_fs) {
	/* clang-format on */
	.flags = FAN_MARK_FLUSH | FAN_MARK_FILESYSTEM, .mask = 0, .target = T_ROOT,
	.expected_errno = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(unpriv, inode_add) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_OPEN, .target = T_FILE, .expected_errno = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(unpriv, inode_add_unreadable) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_OPEN | FAN_ONDIR, .target = T_SUBDIR,
	.expected_errno = EACCES,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(unpriv, inode_flush) {
	/* clang-format on */
	.flags = FAN_MARK_FLUSH, .mask = 0, .target = T_ROOT, .expected_errno = 0,
};

TEST_F(unpriv, mark)
{
	FIXTURE_DATA(mt) *w = &self->w;
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int ret;

		if (drop_to_nobody())
			_exit(100);
		ret = sys_fanotify_mark(w->fan_fd, variant->flags, variant->mask, AT_FDCWD,
					w->path[variant->target]);
		_exit(ret ? errno : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(variant->expected_errno, WEXITSTATUS(status));

	/* A mark added by the unprivileged process works for the group. */
	if (!variant->expected_errno && (variant->flags & FAN_MARK_ADD)) {
		ASSERT_EQ(0, do_op(w->path[variant->target], OP_OPEN_CLOSE));
		EXPECT_EQ(variant->mask, got(_metadata, w, w->fan_fd, variant->target, true));
	}
}

TEST_HARNESS_MAIN
