// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify_mark(2) tests: inode marks (add, remove, flush), path resolution and argument
 * validation with its check order.
 *
 * Behaviour reference: upstream 6.12 do_fanotify_mark(), fanotify_find_path() and
 * fanotify_remove_mark() in fs/notify/fanotify/fanotify_user.c.
 */

#include "common.h"

/* Mark flag bits unknown to every kernel up to 6.18. */
#define UNKNOWN_MARK_FLAG_1 0x00001000U
#define UNKNOWN_MARK_FLAG_2 0x80000000U
/* Mask bits that are not events a user can ask for. */
#define UNKNOWN_MASK_BIT_1 0x00002000ULL
#define UNKNOWN_MASK_BIT_2 0x80000000ULL

FIXTURE(mark)
{
	char dir[DIR_PATH_LEN];
	char file[FILE_PATH_LEN];
	char subdir[FILE_PATH_LEN];
	char link[FILE_PATH_LEN];
	int fan_fd;
	int dir_fd;
	int file_fd;
};

static void world_setup(struct __test_metadata *const _metadata, FIXTURE_DATA(mark) *self)
{
	self->fan_fd = -1;
	self->dir_fd = -1;
	self->file_fd = -1;
	ASSERT_EQ(0, make_temp_dir(self->dir));
	snprintf(self->file, sizeof(self->file), "%s/file", self->dir);
	snprintf(self->subdir, sizeof(self->subdir), "%s/subdir", self->dir);
	snprintf(self->link, sizeof(self->link), "%s/link", self->dir);
	ASSERT_EQ(0, create_file(self->file, "content\n"));
	ASSERT_EQ(0, mkdir(self->subdir, 0755));
	ASSERT_EQ(0, symlink("file", self->link));
	self->dir_fd = open(self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, self->dir_fd);
	self->file_fd = open(self->file, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->file_fd);
	self->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
					 O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fan_fd);
}

static void world_teardown(struct __test_metadata *const _metadata, FIXTURE_DATA(mark) *self)
{
	if (self->fan_fd >= 0)
		close(self->fan_fd);
	if (self->file_fd >= 0)
		close(self->file_fd);
	if (self->dir_fd >= 0)
		close(self->dir_fd);
	if (self->dir[0])
		EXPECT_EQ(0, remove_tree(self->dir));
}

FIXTURE_SETUP(mark)
{
	world_setup(_metadata, self);
}

FIXTURE_TEARDOWN(mark)
{
	world_teardown(_metadata, self);
}

/* Opens and closes @path read-only, which generates FAN_OPEN and FAN_CLOSE_NOWRITE. */
static int open_close(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	return close(fd);
}

/* Union of the masks of the events about @path (and no event about anything else). */
static uint64_t events_mask_for(struct __test_metadata *const _metadata, int fan_fd,
				const char *path)
{
	struct event_summary sum;
	struct stat st;

	EXPECT_EQ(0, stat(path, &st));
	EXPECT_LE(0, collect_events(fan_fd, &st, &sum, EVENT_TIMEOUT_MS));
	EXPECT_EQ(0, sum.others);
	EXPECT_EQ(0, sum.bad_records);
	return sum.mask;
}

/* Successful additions, each followed by removals. */

enum mark_target {
	TARGET_FILE,
	TARGET_DIR,
	TARGET_SUBDIR,
	TARGET_LINK,
	/* @dir_fd with a relative path. */
	TARGET_FILE_RELATIVE,
	/* dirfd of the file itself and a NULL pathname. */
	TARGET_FILE_FD_NULL,
	TARGET_DIR_FD_NULL,
	/* Errors. */
	TARGET_NONEXISTENT,
	TARGET_THROUGH_FILE,
	TARGET_RELATIVE_BAD_DIRFD,
	TARGET_RELATIVE_FILE_DIRFD,
	TARGET_NULL_BAD_DIRFD,
	TARGET_EMPTY,
};

/* Resolves a target into (dirfd, pathname). */
static const char *target_path(FIXTURE_DATA(mark) *self, enum mark_target target, int *dirfd)
{
	*dirfd = AT_FDCWD;
	switch (target) {
	case TARGET_FILE:
		return self->file;
	case TARGET_DIR:
		return self->dir;
	case TARGET_SUBDIR:
		return self->subdir;
	case TARGET_LINK:
		return self->link;
	case TARGET_FILE_RELATIVE:
		*dirfd = self->dir_fd;
		return "file";
	case TARGET_FILE_FD_NULL:
		*dirfd = self->file_fd;
		return NULL;
	case TARGET_DIR_FD_NULL:
		*dirfd = self->dir_fd;
		return NULL;
	case TARGET_NONEXISTENT:
		*dirfd = self->dir_fd;
		return "nonexistent";
	case TARGET_THROUGH_FILE:
		*dirfd = self->dir_fd;
		return "file/child";
	case TARGET_RELATIVE_BAD_DIRFD:
		*dirfd = -1;
		return "file";
	case TARGET_RELATIVE_FILE_DIRFD:
		*dirfd = self->file_fd;
		return "child";
	case TARGET_NULL_BAD_DIRFD:
		*dirfd = -1;
		return NULL;
	case TARGET_EMPTY:
		*dirfd = self->dir_fd;
		return "";
	}
	return NULL;
}

FIXTURE(mark_ok)
{
	FIXTURE_DATA(mark) m;
};

FIXTURE_VARIANT(mark_ok)
{
	unsigned int flags;
	uint64_t mask;
	enum mark_target target;
};

FIXTURE_SETUP(mark_ok)
{
	world_setup(_metadata, &self->m);
}

FIXTURE_TEARDOWN(mark_ok)
{
	world_teardown(_metadata, &self->m);
}

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_ok, file_open) {
	/* clang-format on */
	.mask = FAN_OPEN,
	.target = TARGET_FILE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_ok, file_all_events) {
	/* clang-format on */
	.mask = FAN_ACCESS | FAN_MODIFY | FAN_CLOSE_WRITE | FAN_CLOSE_NOWRITE | FAN_OPEN |
		FAN_OPEN_EXEC,
	.target = TARGET_FILE,
};

/* FAN_ONDIR and FAN_EVENT_ON_CHILD are accepted (and ignored) on a non-directory. */
/* clang-format off */
FIXTURE_VARIANT_ADD(mark_ok, file_event_flags) {
	/* clang-format on */
	.mask = FAN_MODIFY | FAN_ONDIR | FAN_EVENT_ON_CHILD,
	.target = TARGET_FILE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_ok, file_dont_follow) {
	/* clang-format on */
	.flags = FAN_MARK_DONT_FOLLOW,
	.mask = FAN_CLOSE_WRITE,
	.target = TARGET_FILE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_ok, file_relative) {
	/* clang-format on */
	.mask = FAN_ACCESS,
	.target = TARGET_FILE_RELATIVE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_ok, file_fd_null_path) {
	/* clang-format on */
	.mask = FAN_OPEN | FAN_CLOSE,
	.target = TARGET_FILE_FD_NULL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_ok, dir_open) {
	/* clang-format on */
	.mask = FAN_OPEN,
	.target = TARGET_DIR,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_ok, dir_ondir_on_child) {
	/* clang-format on */
	.mask = FAN_OPEN | FAN_CLOSE | FAN_ACCESS | FAN_ONDIR | FAN_EVENT_ON_CHILD,
	.target = TARGET_DIR,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_ok, dir_onlydir) {
	/* clang-format on */
	.flags = FAN_MARK_ONLYDIR,
	.mask = FAN_OPEN | FAN_ONDIR,
	.target = TARGET_SUBDIR,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_ok, dir_fd_null_path_onlydir) {
	/* clang-format on */
	.flags = FAN_MARK_ONLYDIR,
	.mask = FAN_CLOSE_NOWRITE | FAN_ONDIR,
	.target = TARGET_DIR_FD_NULL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_ok, dir_only_ondir_flag) {
	/* clang-format on */
	.mask = FAN_ONDIR,
	.target = TARGET_DIR,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_ok, symlink_followed) {
	/* clang-format on */
	.mask = FAN_OPEN,
	.target = TARGET_LINK,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_ok, symlink_dont_follow) {
	/* clang-format on */
	.flags = FAN_MARK_DONT_FOLLOW,
	.mask = FAN_OPEN,
	.target = TARGET_LINK,
};

TEST_F(mark_ok, add_remove)
{
	const char *path;
	int dirfd;

	path = target_path(&self->m, variant->target, &dirfd);
	ASSERT_EQ(0, sys_fanotify_mark(self->m.fan_fd, FAN_MARK_ADD | variant->flags,
				       variant->mask, dirfd, path))
	{
		TH_LOG("fanotify_mark(ADD): %s", strerror(errno));
	}
	/* Adding the same mask again updates the existing mark. */
	ASSERT_EQ(0, sys_fanotify_mark(self->m.fan_fd, FAN_MARK_ADD | variant->flags,
				       variant->mask, dirfd, path));
	ASSERT_EQ(0, sys_fanotify_mark(self->m.fan_fd, FAN_MARK_REMOVE | variant->flags,
				       variant->mask, dirfd, path));
	/* The mark was destroyed when its mask became empty. */
	ASSERT_EQ(-1, sys_fanotify_mark(self->m.fan_fd, FAN_MARK_REMOVE | variant->flags,
					variant->mask, dirfd, path));
	ASSERT_EQ(ENOENT, errno);
}

TEST_F(mark_ok, add_flush)
{
	const char *path;
	int dirfd;

	path = target_path(&self->m, variant->target, &dirfd);
	ASSERT_EQ(0, sys_fanotify_mark(self->m.fan_fd, FAN_MARK_ADD | variant->flags,
				       variant->mask, dirfd, path));
	ASSERT_EQ(0, sys_fanotify_mark(self->m.fan_fd, FAN_MARK_FLUSH, 0, AT_FDCWD, NULL));
	ASSERT_EQ(-1, sys_fanotify_mark(self->m.fan_fd, FAN_MARK_REMOVE | variant->flags,
					variant->mask, dirfd, path));
	ASSERT_EQ(ENOENT, errno);
}

/* Errors, in upstream's check order. */

enum fan_fd_kind {
	FAN_FD_GROUP,
	FAN_FD_BAD,
	FAN_FD_CLOSED,
	FAN_FD_NOT_FANOTIFY,
};

FIXTURE(mark_err)
{
	FIXTURE_DATA(mark) m;
};

FIXTURE_VARIANT(mark_err)
{
	enum fan_fd_kind fan;
	unsigned int flags;
	uint64_t mask;
	enum mark_target target;
	/* Mark to set (with FAN_MARK_ADD) on the target before the tested call. */
	uint64_t premark;
	int err;
};

FIXTURE_SETUP(mark_err)
{
	world_setup(_metadata, &self->m);
}

FIXTURE_TEARDOWN(mark_err)
{
	world_teardown(_metadata, &self->m);
}

/* The mask has only 32 valid bits: checked before anything else. */
/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, mask_upper_bits) {
	/* clang-format on */
	.fan = FAN_FD_BAD,
	.flags = FAN_MARK_ADD,
	.mask = (1ULL << 32) | FAN_OPEN,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, mask_bit_63) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD,
	.mask = (1ULL << 63) | FAN_OPEN,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* Unknown flags are rejected before the fanotify fd is looked up. */
/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, unknown_flag_1000_bad_fd) {
	/* clang-format on */
	.fan = FAN_FD_BAD,
	.flags = FAN_MARK_ADD | UNKNOWN_MARK_FLAG_1,
	.mask = FAN_OPEN,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, unknown_flag_1000) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD | UNKNOWN_MARK_FLAG_1,
	.mask = FAN_OPEN,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, unknown_flag_high) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD | UNKNOWN_MARK_FLAG_2,
	.mask = FAN_OPEN,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, no_command) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = 0,
	.mask = FAN_OPEN,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, no_command_bad_fd) {
	/* clang-format on */
	.fan = FAN_FD_BAD,
	.flags = FAN_MARK_DONT_FOLLOW,
	.mask = FAN_OPEN,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, add_and_remove) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD | FAN_MARK_REMOVE,
	.mask = FAN_OPEN,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, add_and_remove_bad_fd) {
	/* clang-format on */
	.fan = FAN_FD_BAD,
	.flags = FAN_MARK_ADD | FAN_MARK_REMOVE,
	.mask = FAN_OPEN,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, add_and_flush) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD | FAN_MARK_FLUSH,
	.mask = FAN_OPEN,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, remove_and_flush) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_REMOVE | FAN_MARK_FLUSH,
	.mask = FAN_OPEN,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, add_remove_flush) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD | FAN_MARK_REMOVE | FAN_MARK_FLUSH,
	.mask = FAN_OPEN,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* An empty mask is refused for ADD and REMOVE, before the fd lookup. */
/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, add_zero_mask) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD,
	.mask = 0,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, add_zero_mask_bad_fd) {
	/* clang-format on */
	.fan = FAN_FD_BAD,
	.flags = FAN_MARK_ADD,
	.mask = 0,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, add_zero_mask_nonexistent) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD,
	.mask = 0,
	.target = TARGET_NONEXISTENT,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, remove_zero_mask) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_REMOVE,
	.mask = 0,
	.target = TARGET_FILE,
	.premark = FAN_OPEN,
	.err = EINVAL,
};

/* FAN_MARK_FLUSH only accepts mark type bits besides itself. */
/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, flush_dont_follow) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_FLUSH | FAN_MARK_DONT_FOLLOW,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, flush_onlydir) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_FLUSH | FAN_MARK_ONLYDIR,
	.target = TARGET_DIR,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, flush_onlydir_bad_fd) {
	/* clang-format on */
	.fan = FAN_FD_BAD,
	.flags = FAN_MARK_FLUSH | FAN_MARK_ONLYDIR,
	.target = TARGET_DIR,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, flush_bad_fd) {
	/* clang-format on */
	.fan = FAN_FD_BAD,
	.flags = FAN_MARK_FLUSH,
	.target = TARGET_FILE,
	.err = EBADF,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, flush_not_fanotify) {
	/* clang-format on */
	.fan = FAN_FD_NOT_FANOTIFY,
	.flags = FAN_MARK_FLUSH,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* Mask bits that are not user events are refused, before the fd lookup. */
/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, unknown_mask_2000) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD,
	.mask = FAN_OPEN | UNKNOWN_MASK_BIT_1,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, unknown_mask_2000_bad_fd) {
	/* clang-format on */
	.fan = FAN_FD_BAD,
	.flags = FAN_MARK_ADD,
	.mask = FAN_OPEN | UNKNOWN_MASK_BIT_1,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, unknown_mask_high) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD,
	.mask = FAN_OPEN | UNKNOWN_MASK_BIT_2,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* FAN_Q_OVERFLOW is reported to user space but cannot be asked for. */
/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, mask_q_overflow) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD,
	.mask = FAN_Q_OVERFLOW,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, remove_unknown_mask) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_REMOVE,
	.mask = FAN_OPEN | UNKNOWN_MASK_BIT_1,
	.target = TARGET_FILE,
	.premark = FAN_OPEN,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, bad_fd) {
	/* clang-format on */
	.fan = FAN_FD_BAD,
	.flags = FAN_MARK_ADD,
	.mask = FAN_OPEN,
	.target = TARGET_FILE,
	.err = EBADF,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, closed_fd) {
	/* clang-format on */
	.fan = FAN_FD_CLOSED,
	.flags = FAN_MARK_ADD,
	.mask = FAN_OPEN,
	.target = TARGET_FILE,
	.err = EBADF,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, remove_bad_fd) {
	/* clang-format on */
	.fan = FAN_FD_BAD,
	.flags = FAN_MARK_REMOVE,
	.mask = FAN_OPEN,
	.target = TARGET_FILE,
	.err = EBADF,
};

/* The fd is checked before the path is looked up. */
/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, bad_fd_nonexistent) {
	/* clang-format on */
	.fan = FAN_FD_BAD,
	.flags = FAN_MARK_ADD,
	.mask = FAN_OPEN,
	.target = TARGET_NONEXISTENT,
	.err = EBADF,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, not_fanotify) {
	/* clang-format on */
	.fan = FAN_FD_NOT_FANOTIFY,
	.flags = FAN_MARK_ADD,
	.mask = FAN_OPEN,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, not_fanotify_nonexistent) {
	/* clang-format on */
	.fan = FAN_FD_NOT_FANOTIFY,
	.flags = FAN_MARK_ADD,
	.mask = FAN_OPEN,
	.target = TARGET_NONEXISTENT,
	.err = EINVAL,
};

/*
 * Events without an fd to report (directory entry events) need a group reporting file handles;
 * checked after the fd lookup.
 */
/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, dirent_event_without_fid) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD,
	.mask = FAN_CREATE,
	.target = TARGET_DIR,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, dirent_event_without_fid_bad_fd) {
	/* clang-format on */
	.fan = FAN_FD_BAD,
	.flags = FAN_MARK_ADD,
	.mask = FAN_CREATE,
	.target = TARGET_DIR,
	.err = EBADF,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, delete_self_without_fid) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD,
	.mask = FAN_OPEN | FAN_DELETE_SELF,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* Permission events need at least FAN_CLASS_CONTENT (or are unknown without the config). */
/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, perm_event_class_notif) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD,
	.mask = FAN_OPEN_PERM,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* FAN_FS_ERROR is only valid on filesystem marks. */
/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, fs_error_inode_mark) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD,
	.mask = FAN_FS_ERROR,
	.target = TARGET_FILE,
	.err = EINVAL,
};

/* Path resolution errors. */
/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, nonexistent) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD,
	.mask = FAN_OPEN,
	.target = TARGET_NONEXISTENT,
	.err = ENOENT,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, remove_nonexistent_path) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_REMOVE,
	.mask = FAN_OPEN,
	.target = TARGET_NONEXISTENT,
	.err = ENOENT,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, empty_path) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD,
	.mask = FAN_OPEN,
	.target = TARGET_EMPTY,
	.err = ENOENT,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, path_through_file) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD,
	.mask = FAN_OPEN,
	.target = TARGET_THROUGH_FILE,
	.err = ENOTDIR,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, onlydir_on_file) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD | FAN_MARK_ONLYDIR,
	.mask = FAN_OPEN,
	.target = TARGET_FILE,
	.err = ENOTDIR,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, onlydir_on_file_fd_null_path) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD | FAN_MARK_ONLYDIR,
	.mask = FAN_OPEN,
	.target = TARGET_FILE_FD_NULL,
	.err = ENOTDIR,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, onlydir_on_symlink_to_file) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD | FAN_MARK_ONLYDIR,
	.mask = FAN_OPEN,
	.target = TARGET_LINK,
	.err = ENOTDIR,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, onlydir_dont_follow_symlink) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD | FAN_MARK_ONLYDIR | FAN_MARK_DONT_FOLLOW,
	.mask = FAN_OPEN,
	.target = TARGET_LINK,
	.err = ENOTDIR,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, relative_bad_dirfd) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD,
	.mask = FAN_OPEN,
	.target = TARGET_RELATIVE_BAD_DIRFD,
	.err = EBADF,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, relative_file_dirfd) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD,
	.mask = FAN_OPEN,
	.target = TARGET_RELATIVE_FILE_DIRFD,
	.err = ENOTDIR,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, null_path_bad_dirfd) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_ADD,
	.mask = FAN_OPEN,
	.target = TARGET_NULL_BAD_DIRFD,
	.err = EBADF,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, remove_null_path_bad_dirfd) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_REMOVE,
	.mask = FAN_OPEN,
	.target = TARGET_NULL_BAD_DIRFD,
	.err = EBADF,
};

/* Removing a mark that does not exist. */
/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, remove_no_mark_file) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_REMOVE,
	.mask = FAN_OPEN,
	.target = TARGET_FILE,
	.err = ENOENT,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, remove_no_mark_dir) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_REMOVE,
	.mask = FAN_OPEN | FAN_ONDIR,
	.target = TARGET_DIR,
	.err = ENOENT,
};

/* A mark on the directory is not a mark on its children. */
/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, remove_no_mark_child_of_marked_dir) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_REMOVE,
	.mask = FAN_OPEN,
	.target = TARGET_SUBDIR,
	.err = ENOENT,
};

/* The symlink itself carries no mark when its target was marked. */
/* clang-format off */
FIXTURE_VARIANT_ADD(mark_err, remove_dont_follow_target_marked) {
	/* clang-format on */
	.fan = FAN_FD_GROUP,
	.flags = FAN_MARK_REMOVE | FAN_MARK_DONT_FOLLOW,
	.mask = FAN_OPEN,
	.target = TARGET_LINK,
	.premark = FAN_OPEN,
	.err = ENOENT,
};

TEST_F(mark_err, fails)
{
	const char *path;
	int fan_fd, dirfd, ret;

	path = target_path(&self->m, variant->target, &dirfd);
	if (variant->premark) {
		int pre_dirfd;
		const char *pre_path;

		if (variant->target == TARGET_SUBDIR) {
			pre_path = target_path(&self->m, TARGET_DIR, &pre_dirfd);
		} else {
			/* Mark the object, following symlinks. */
			pre_path = target_path(&self->m, variant->target, &pre_dirfd);
		}
		ASSERT_EQ(0, sys_fanotify_mark(self->m.fan_fd, FAN_MARK_ADD, variant->premark,
					       pre_dirfd, pre_path));
	}
	if (variant->target == TARGET_SUBDIR && !variant->premark)
		ASSERT_EQ(0, sys_fanotify_mark(self->m.fan_fd, FAN_MARK_ADD,
					       FAN_OPEN | FAN_EVENT_ON_CHILD | FAN_ONDIR,
					       AT_FDCWD, self->m.dir));

	switch (variant->fan) {
	case FAN_FD_GROUP:
		fan_fd = self->m.fan_fd;
		break;
	case FAN_FD_BAD:
		fan_fd = -1;
		break;
	case FAN_FD_CLOSED:
		fan_fd = dup(self->m.fan_fd);
		ASSERT_LE(0, fan_fd);
		ASSERT_EQ(0, close(fan_fd));
		break;
	case FAN_FD_NOT_FANOTIFY:
	default:
		fan_fd = self->m.dir_fd;
		break;
	}

	ret = sys_fanotify_mark(fan_fd, variant->flags, variant->mask, dirfd, path);
	ASSERT_EQ(-1, ret);
	ASSERT_EQ(variant->err, errno)
	{
		TH_LOG("expected %s, got %s", strerror(variant->err), strerror(errno));
	}
}

/* Behaviour of marks. */

/* Removing events that are not in the mark succeeds and keeps the mark. */
TEST_F(mark, remove_unset_events)
{
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, self->file));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_ACCESS | FAN_MODIFY,
				       AT_FDCWD, self->file));
	ASSERT_EQ(0, open_close(self->file));
	EXPECT_EQ(FAN_OPEN, events_mask_for(_metadata, self->fan_fd, self->file));

	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD,
				       self->file));
	ASSERT_EQ(0, open_close(self->file));
	EXPECT_TRUE(no_event(self->fan_fd));
	ASSERT_EQ(-1, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD,
					self->file));
	ASSERT_EQ(ENOENT, errno);
}

/* ADD ORs events into the existing mark; REMOVE clears only the given events. */
TEST_F(mark, add_is_cumulative)
{
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, self->file));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_CLOSE_NOWRITE, AT_FDCWD,
				       self->file));
	ASSERT_EQ(0, open_close(self->file));
	EXPECT_EQ(FAN_OPEN | FAN_CLOSE_NOWRITE,
		  events_mask_for(_metadata, self->fan_fd, self->file));

	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD,
				       self->file));
	ASSERT_EQ(0, open_close(self->file));
	EXPECT_EQ(FAN_CLOSE_NOWRITE, events_mask_for(_metadata, self->fan_fd, self->file));
}

/* FLUSH removes every inode mark of the group. */
TEST_F(mark, flush)
{
	char child[FILE_PATH_LEN * 2];

	snprintf(child, sizeof(child), "%s/file", self->subdir);
	ASSERT_EQ(0, create_file(child, "x"));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, self->file));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD,
				       FAN_OPEN | FAN_ONDIR | FAN_EVENT_ON_CHILD, AT_FDCWD,
				       self->subdir));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_FLUSH, 0, AT_FDCWD, NULL));

	ASSERT_EQ(0, open_close(self->file));
	ASSERT_EQ(0, open_close(self->subdir));
	ASSERT_EQ(0, open_close(child));
	EXPECT_TRUE(no_event(self->fan_fd));
	ASSERT_EQ(-1, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD,
					self->file));
	ASSERT_EQ(ENOENT, errno);
	ASSERT_EQ(-1, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD,
					self->subdir));
	ASSERT_EQ(ENOENT, errno);
	/* The group is still usable. */
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, self->file));
	ASSERT_EQ(0, open_close(self->file));
	EXPECT_EQ(FAN_OPEN, events_mask_for(_metadata, self->fan_fd, self->file));
}

/* FLUSH does not look at the mask nor at the path (do_fanotify_mark() returns early). */
TEST_F(mark, flush_ignores_mask_and_path)
{
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, self->file));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_FLUSH, FAN_ACCESS | FAN_MODIFY, -1,
				       "nonexistent/path"));
	ASSERT_EQ(-1, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD,
					self->file));
	ASSERT_EQ(ENOENT, errno);
}

/* FLUSH of a group without marks succeeds, and can be repeated. */
TEST_F(mark, flush_empty)
{
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_FLUSH, 0, AT_FDCWD, NULL));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_FLUSH, 0, AT_FDCWD, NULL));
}

/* FLUSH only affects the marks of its own group. */
TEST_F(mark, flush_other_group)
{
	int other;

	other = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY);
	ASSERT_LE(0, other);
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, self->file));
	ASSERT_EQ(0, sys_fanotify_mark(other, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, self->file));
	ASSERT_EQ(0, sys_fanotify_mark(other, FAN_MARK_FLUSH, 0, AT_FDCWD, NULL));
	ASSERT_EQ(0, open_close(self->file));
	EXPECT_EQ(FAN_OPEN, events_mask_for(_metadata, self->fan_fd, self->file));
	EXPECT_TRUE(no_event(other));
	EXPECT_EQ(0, close(other));
}

/* Marks belong to a group: another group cannot remove them. */
TEST_F(mark, remove_other_group)
{
	int other;

	other = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY);
	ASSERT_LE(0, other);
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, self->file));
	ASSERT_EQ(-1, sys_fanotify_mark(other, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD, self->file));
	ASSERT_EQ(ENOENT, errno);
	ASSERT_EQ(0, open_close(self->file));
	EXPECT_EQ(FAN_OPEN, events_mask_for(_metadata, self->fan_fd, self->file));
	EXPECT_EQ(0, close(other));
}

/* A NULL pathname marks the object dirfd refers to, the same inode as its path. */
TEST_F(mark, null_pathname_marks_dirfd)
{
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, self->file_fd, NULL));
	ASSERT_EQ(0, open_close(self->file));
	EXPECT_EQ(FAN_OPEN, events_mask_for(_metadata, self->fan_fd, self->file));
	/* The mark is found again through the path. */
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD,
				       self->file));
	ASSERT_EQ(-1, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_OPEN, self->file_fd,
					NULL));
	ASSERT_EQ(ENOENT, errno);
}

/* A NULL pathname with a directory dirfd marks the directory, not an entry. */
TEST_F(mark, null_pathname_dirfd_directory)
{
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN | FAN_ONDIR,
				       self->dir_fd, NULL));
	ASSERT_EQ(0, open_close(self->file));
	EXPECT_TRUE(no_event(self->fan_fd));
	ASSERT_EQ(0, open_close(self->dir));
	EXPECT_EQ(FAN_OPEN, events_mask_for(_metadata, self->fan_fd, self->dir));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_OPEN | FAN_ONDIR,
				       AT_FDCWD, self->dir));
}

/* A relative pathname is resolved from dirfd. */
TEST_F(mark, relative_to_dirfd)
{
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, self->dir_fd, "file"));
	ASSERT_EQ(0, open_close(self->file));
	EXPECT_EQ(FAN_OPEN, events_mask_for(_metadata, self->fan_fd, self->file));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD,
				       self->file));
}

/* A relative pathname with AT_FDCWD is resolved from the working directory. */
TEST_F(mark, relative_to_cwd)
{
	char cwd[PATH_MAX];

	ASSERT_NE(NULL, getcwd(cwd, sizeof(cwd)));
	ASSERT_EQ(0, chdir(self->dir));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, "file"));
	ASSERT_EQ(0, chdir(cwd));
	ASSERT_EQ(0, open_close(self->file));
	EXPECT_EQ(FAN_OPEN, events_mask_for(_metadata, self->fan_fd, self->file));
}

/* Without FAN_MARK_DONT_FOLLOW, a symlink is followed and its target is marked. */
TEST_F(mark, symlink_follow_marks_target)
{
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, self->link));
	ASSERT_EQ(0, open_close(self->file));
	EXPECT_EQ(FAN_OPEN, events_mask_for(_metadata, self->fan_fd, self->file));
	/* The mark is on the target: the link itself has none. */
	ASSERT_EQ(-1, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE | FAN_MARK_DONT_FOLLOW,
					FAN_OPEN, AT_FDCWD, self->link));
	ASSERT_EQ(ENOENT, errno);
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD,
				       self->file));
}

/* With FAN_MARK_DONT_FOLLOW, the symlink itself is marked: events on the target are not seen. */
TEST_F(mark, symlink_dont_follow_marks_link)
{
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_DONT_FOLLOW,
				       FAN_OPEN | FAN_CLOSE | FAN_ACCESS, AT_FDCWD, self->link));
	ASSERT_EQ(0, open_close(self->file));
	ASSERT_EQ(0, open_close(self->link));
	EXPECT_TRUE(no_event(self->fan_fd));
	/* The target has no mark; the link has one. */
	ASSERT_EQ(-1, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD,
					self->file));
	ASSERT_EQ(ENOENT, errno);
	ASSERT_EQ(-1, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD,
					self->link));
	ASSERT_EQ(ENOENT, errno);
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE | FAN_MARK_DONT_FOLLOW,
				       FAN_OPEN | FAN_CLOSE | FAN_ACCESS, AT_FDCWD, self->link));
}

/* FAN_MARK_DONT_FOLLOW only concerns the last component. */
TEST_F(mark, dont_follow_intermediate_symlink)
{
	char dirlink[FILE_PATH_LEN], real[FILE_PATH_LEN * 2], via[FILE_PATH_LEN];

	snprintf(dirlink, sizeof(dirlink), "%s/dirlink", self->dir);
	snprintf(real, sizeof(real), "%s/file", self->subdir);
	snprintf(via, sizeof(via), "%s/dirlink/file", self->dir);
	ASSERT_EQ(0, create_file(real, "x"));
	ASSERT_EQ(0, symlink("subdir", dirlink));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_DONT_FOLLOW, FAN_OPEN,
				       AT_FDCWD, via));
	ASSERT_EQ(0, open_close(real));
	EXPECT_EQ(FAN_OPEN, events_mask_for(_metadata, self->fan_fd, real));
}

/* A mark stays after the fd used to set it is closed. */
TEST_F(mark, mark_outlives_dirfd)
{
	int fd = open(self->file, O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_CLOSE_NOWRITE, fd, NULL));
	ASSERT_EQ(0, close(fd));
	/* The close of the fd used as dirfd happens after the mark is set: it is reported. */
	EXPECT_EQ(FAN_CLOSE_NOWRITE, events_mask_for(_metadata, self->fan_fd, self->file));
	ASSERT_EQ(0, open_close(self->file));
	EXPECT_EQ(FAN_CLOSE_NOWRITE, events_mask_for(_metadata, self->fan_fd, self->file));
}

TEST_HARNESS_MAIN
