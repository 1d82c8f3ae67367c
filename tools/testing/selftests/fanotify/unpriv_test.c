// SPDX-License-Identifier: GPL-2.0
/*
 * Unprivileged fanotify listeners: which fanotify_init() flags need CAP_SYS_ADMIN (EPERM) and
 * which are merely invalid (EINVAL), the FID-only notification groups an unprivileged user gets,
 * the inode-only marks of such groups, the pid and fd hiding of their events, the per-user group,
 * mark and queue limits, and the same rules inside a user namespace.  Two matrices: every
 * fanotify_init() flag (ours beyond upstream included: upstream refuses them with EINVAL) and
 * every fanotify_mark() command, type and flag, each with upstream's exact answer.
 *
 * Behaviour reference: upstream 6.12 fanotify_init() (FANOTIFY_ADMIN_INIT_FLAGS and
 * FANOTIFY_USER_INIT_FLAGS of include/linux/fanotify.h, internal flag FANOTIFY_UNPRIV),
 * do_fanotify_mark() (EPERM for mount and filesystem marks when the caller lacks CAP_SYS_ADMIN
 * or the group is FANOTIFY_UNPRIV; MAY_READ on the marked inode), copy_event_to_user()
 * (metadata.pid is 0 unless the event's pid is the reading task's thread group; never an fd) in
 * fs/notify/fanotify/fanotify_user.c.  capable() is checked against the initial user namespace,
 * so root of a child user namespace is unprivileged here.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "common.h"

#define SYSCTL_QUEUED "/proc/sys/fs/fanotify/max_queued_events"
#define SYSCTL_GROUPS "/proc/sys/fs/fanotify/max_user_groups"
#define SYSCTL_MARKS "/proc/sys/fs/fanotify/max_user_marks"

#define NOBODY 65534
#define NFILES 8

/* Every fanotify_init() flag an unprivileged caller may use (FANOTIFY_USER_INIT_FLAGS). */
#define FID_FLAGS (FAN_CLASS_NOTIF | FAN_REPORT_FID)

FIXTURE(unpriv)
{
	char dir[DIR_PATH_LEN];
	char file[NFILES][FILE_PATH_LEN];
	char secret_dir[FILE_PATH_LEN];
	char secret_file[FILE_PATH_LEN];
	char own_dir[DIR_PATH_LEN + 16];
	long saved_queued, saved_groups, saved_marks;
	bool saved;
};

/*
 * Runs as root, before the test drops its privileges: a world-readable directory of
 * world-readable files, a root-only directory and file, and a directory owned by nobody.
 */
FIXTURE_SETUP(unpriv)
{
	int i;

	self->saved = false;
	ASSERT_EQ(0, sysctl_read(SYSCTL_QUEUED, &self->saved_queued));
	ASSERT_EQ(0, sysctl_read(SYSCTL_GROUPS, &self->saved_groups));
	ASSERT_EQ(0, sysctl_read(SYSCTL_MARKS, &self->saved_marks));
	self->saved = true;
	ASSERT_EQ(0, make_temp_dir(self->dir));
	ASSERT_EQ(0, chmod(self->dir, 0755));
	for (i = 0; i < NFILES; i++) {
		snprintf(self->file[i], FILE_PATH_LEN, "%s/f%d", self->dir, i);
		ASSERT_EQ(0, create_file(self->file[i], "unpriv\n"));
	}
	snprintf(self->secret_dir, FILE_PATH_LEN, "%s/secret", self->dir);
	ASSERT_EQ(0, mkdir(self->secret_dir, 0700));
	snprintf(self->secret_file, FILE_PATH_LEN, "%s/secret_file", self->dir);
	ASSERT_EQ(0, create_file(self->secret_file, "root only\n"));
	ASSERT_EQ(0, chmod(self->secret_file, 0600));
	snprintf(self->own_dir, sizeof(self->own_dir), "%s/nobody", self->dir);
	ASSERT_EQ(0, mkdir(self->own_dir, 0755));
	ASSERT_EQ(0, chown(self->own_dir, NOBODY, NOBODY));
}

/* In the parent: the test process may have dropped its privileges or died. */
FIXTURE_TEARDOWN_PARENT(unpriv)
{
	if (self->saved) {
		EXPECT_EQ(0, sysctl_write(SYSCTL_QUEUED, self->saved_queued));
		EXPECT_EQ(0, sysctl_write(SYSCTL_GROUPS, self->saved_groups));
		EXPECT_EQ(0, sysctl_write(SYSCTL_MARKS, self->saved_marks));
	}
	if (self->dir[0])
		EXPECT_EQ(0, remove_tree(self->dir));
}

static int fid_init(unsigned int flags)
{
	return sys_fanotify_init(flags | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY);
}

static int mark_inode(int fan_fd, uint64_t mask, const char *path)
{
	return sys_fanotify_mark(fan_fd, FAN_MARK_ADD, mask, AT_FDCWD, path);
}

/* Checks the generic shape of an unprivileged FID event: no fd, one FID record. */
static bool fid_event_ok(const struct fanotify_event_metadata *m)
{
	const struct fanotify_event_info_fid *fid = (const void *)(m + 1);
	const struct file_handle *fh = (const void *)fid->handle;

	if (m->vers != FANOTIFY_METADATA_VERSION || m->metadata_len != FAN_EVENT_METADATA_LEN)
		return false;
	if (m->fd != FAN_NOFD)
		return false;
	if (m->event_len < FAN_EVENT_METADATA_LEN + sizeof(*fid) + sizeof(*fh))
		return false;
	if (fid->hdr.info_type != FAN_EVENT_INFO_TYPE_FID)
		return false;
	return m->event_len == FAN_EVENT_METADATA_LEN + fid->hdr.len &&
	       fid->hdr.len == ((sizeof(*fid) + sizeof(*fh) + fh->handle_bytes + 3) & ~3UL);
}

/* Whether the FID record of @m is the file handle of @path. */
static bool fid_is_path(const struct fanotify_event_metadata *m, const char *path)
{
	const struct fanotify_event_info_fid *fid = (const void *)(m + 1);
	const struct file_handle *fh = (const void *)fid->handle;
	struct {
		struct file_handle h;
		unsigned char buf[MAX_HANDLE_SZ];
	} want;
	int mount_id;

	want.h.handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(AT_FDCWD, path, &want.h, &mount_id, 0))
		return false;
	return want.h.handle_bytes == fh->handle_bytes &&
	       want.h.handle_type == fh->handle_type &&
	       !memcmp(want.h.f_handle, fh->f_handle, fh->handle_bytes);
}

/* Reads one event (waiting for it) into @buf; false on timeout or error. */
static bool read_one(int fan_fd, char *buf)
{
	const struct fanotify_event_metadata *m = (void *)buf;
	ssize_t len = read_events(fan_fd, buf, EVENT_TIMEOUT_MS);

	return len > 0 && m->event_len == len;
}

/* fanotify_init() as nobody: what needs CAP_SYS_ADMIN and what is invalid anyway. */

FIXTURE(init)
{
	int unused;
};

FIXTURE_VARIANT(init)
{
	unsigned int flags;
	unsigned int event_f_flags;
	/* 0: success. */
	int err;
	/* A flag beyond upstream: upstream answers EINVAL (unknown bit) or EPERM. */
	bool beyond;
	int err_stock;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, notif_no_fid) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, cloexec_nonblock_no_fid) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, report_fid) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | FAN_REPORT_FID,
	.err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, report_dir_fid) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | FAN_REPORT_DIR_FID,
	.err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, report_dfid_name) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME,
	.err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, report_dfid_name_target_cloexec_nonblock) {
	/* clang-format on */
	.flags = FAN_REPORT_DFID_NAME_TARGET | FAN_CLOEXEC | FAN_NONBLOCK,
	.event_f_flags = O_RDWR | O_LARGEFILE,
	.err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, class_content_fid) {
	/* clang-format on */
	.flags = FAN_CLASS_CONTENT | FAN_REPORT_FID,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, class_pre_content_fid) {
	/* clang-format on */
	.flags = FAN_CLASS_PRE_CONTENT | FAN_REPORT_FID,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, class_content_no_fid) {
	/* clang-format on */
	.flags = FAN_CLASS_CONTENT,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, unlimited_queue_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID | FAN_UNLIMITED_QUEUE,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, unlimited_marks_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID | FAN_UNLIMITED_MARKS,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, report_pidfd_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID | FAN_REPORT_PIDFD,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, report_tid_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID | FAN_REPORT_TID,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, report_fd_error_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID | FAN_REPORT_FD_ERROR,
	.err = EPERM,
};

/* FAN_ENABLE_AUDIT is neither admin nor user flag: it fails later, on CAP_AUDIT_WRITE. */
/* clang-format off */
FIXTURE_VARIANT_ADD(init, enable_audit_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID | FAN_ENABLE_AUDIT,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, enable_audit_no_fid) {
	/* clang-format on */
	.flags = FAN_ENABLE_AUDIT,
	.err = EPERM,
};

/*
 * The privilege check comes first: an unknown bit without FID is EPERM, with FID EINVAL.
 * (0x4000, unknown to 6.12, is upstream 6.15's FAN_REPORT_MNT, which needs privilege.)
 */
/* clang-format off */
FIXTURE_VARIANT_ADD(init, unknown_bit_no_fid) {
	/* clang-format on */
	.flags = 0x8000,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, unknown_bit_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID | 0x8000,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, name_without_dir_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID | FAN_REPORT_NAME,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, bad_event_f_flags_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID,
	.event_f_flags = O_ACCMODE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, bad_event_f_flags_no_fid) {
	/* clang-format on */
	.flags = 0,
	.event_f_flags = O_ACCMODE,
	.err = EPERM,
};

/* Every other fanotify_init() flag of 6.12, one at a time, with and without a FID mode. */

/* clang-format off */
FIXTURE_VARIANT_ADD(init, class_both_bits_fid) {
	/* clang-format on */
	.flags = FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT | FAN_REPORT_FID,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, report_target_fid_alone) {
	/* clang-format on */
	.flags = FAN_REPORT_TARGET_FID,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, report_target_fid_with_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID | FAN_REPORT_TARGET_FID,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, report_dir_fid_and_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID | FAN_REPORT_DIR_FID,
	.err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, report_name_alone) {
	/* clang-format on */
	.flags = FAN_REPORT_NAME,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, report_tid_no_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_TID,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, report_pidfd_no_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_PIDFD,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, unlimited_queue_no_fid) {
	/* clang-format on */
	.flags = FAN_UNLIMITED_QUEUE,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, event_f_flags_wronly_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID,
	.event_f_flags = O_WRONLY,
	.err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, event_f_flags_unknown_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID,
	.event_f_flags = O_DIRECTORY,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, top_bit_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID | 0x80000000,
	.err = EINVAL,
};

/*
 * Our flags beyond upstream (values in Documentation/filesystems/fanotify.rst).  The verdict
 * flags need a permission class, hence CAP_SYS_ADMIN: EPERM, as for every flag an
 * unprivileged caller may not use.  Self-exclusion only hides events the listener would be
 * shown anyway: allowed.  Upstream does not know the bits: EINVAL once the FID check passes.
 */

/* clang-format off */
FIXTURE_VARIANT_ADD(init, deadline_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID | 0x40000000,
	.err = EPERM,
	.beyond = true,
	.err_stock = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, fail_closed_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID | 0x20000000,
	.err = EPERM,
	.beyond = true,
	.err_stock = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, exclude_self_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID | 0x10000000,
	.err = 0,
	.beyond = true,
	.err_stock = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, perm_no_fd_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID | 0x08000000,
	.err = EPERM,
	.beyond = true,
	.err_stock = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, response_batch_fid) {
	/* clang-format on */
	.flags = FAN_REPORT_FID | 0x04000000,
	.err = EPERM,
	.beyond = true,
	.err_stock = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, perm_no_fd_content_fid) {
	/* clang-format on */
	.flags = FAN_CLASS_CONTENT | FAN_REPORT_FID | 0x08000000,
	.err = EPERM,
};

/* Without a FID mode the privilege check answers first, on both kernels. */

/* clang-format off */
FIXTURE_VARIANT_ADD(init, deadline_no_fid) {
	/* clang-format on */
	.flags = 0x40000000,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, fail_closed_no_fid) {
	/* clang-format on */
	.flags = 0x20000000,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, exclude_self_no_fid) {
	/* clang-format on */
	.flags = 0x10000000,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, perm_no_fd_no_fid) {
	/* clang-format on */
	.flags = 0x08000000,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init, response_batch_no_fid) {
	/* clang-format on */
	.flags = 0x04000000,
	.err = EPERM,
};

FIXTURE_SETUP(init)
{
}

FIXTURE_TEARDOWN(init)
{
}

TEST_F(init, as_nobody)
{
	char path[64], line[256];
	unsigned int flags = ~0U;
	FILE *f;
	int fd;

	ASSERT_EQ(0, drop_to_nobody());
	fd = sys_fanotify_init(variant->flags, variant->event_f_flags);
	if (variant->beyond && kernel_is_stock()) {
		/* Upstream's answer first; what ours does is not upstream's business. */
		ASSERT_EQ(-1, fd);
		ASSERT_EQ(variant->err_stock, errno);
		SKIP(return, "flag 0x%x is beyond upstream", variant->flags & 0x7c000000);
	}
	if (variant->err) {
		EXPECT_EQ(-1, fd);
		EXPECT_EQ(variant->err, errno);
		return;
	}
	ASSERT_LE(0, fd);
	/* The internal unprivileged flag is not shown in fdinfo. */
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		sscanf(line, "fanotify flags:%x", &flags);
	fclose(f);
	EXPECT_EQ(variant->flags, flags);
	EXPECT_EQ(variant->flags & FAN_CLOEXEC ? FD_CLOEXEC : 0, fcntl(fd, F_GETFD));
	close(fd);
}

/*
 * fanotify_mark() as nobody on its own FID group: every command, type and flag, upstream's
 * answer for each (the order of its checks decides between EINVAL, EPERM and the rest).
 */

#ifndef FAN_MARK_EVICTABLE
#define FAN_MARK_EVICTABLE 0x00000200
#endif
#ifndef FAN_MARK_IGNORE
#define FAN_MARK_IGNORE 0x00000400
#endif
#ifndef FAN_MARK_IGNORE_SURV
#define FAN_MARK_IGNORE_SURV (FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY)
#endif

enum mark_target { T_FILE, T_DIR, T_SECRET, T_NONE };

FIXTURE(mark)
{
	char dir[DIR_PATH_LEN];
	char file[FILE_PATH_LEN];
	char secret[FILE_PATH_LEN];
};

FIXTURE_VARIANT(mark)
{
	/* An earlier successful ADD of FAN_OPEN with these flags on the target (0: none). */
	unsigned int pre_flags;
	unsigned int flags;
	uint64_t mask;
	enum mark_target target;
	/* 0: success. */
	int err;
	/* The stock kernel's errno where it differs (0: the same as @err). */
	int stock_err;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, inode_add_file) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_OPEN | FAN_CLOSE_WRITE, .target = T_FILE, .err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, inode_add_dir_children) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_OPEN | FAN_EVENT_ON_CHILD | FAN_ONDIR,
	.target = T_DIR, .err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, inode_add_dirent_events) {
	/* clang-format on */
	.flags = FAN_MARK_ADD,
	.mask = FAN_CREATE | FAN_DELETE | FAN_MOVED_FROM | FAN_MOVED_TO | FAN_DELETE_SELF |
		FAN_MOVE_SELF | FAN_ATTRIB,
	.target = T_DIR, .err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, inode_add_open_exec) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_OPEN_EXEC, .target = T_FILE, .err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, inode_remove_unmarked) {
	/* clang-format on */
	.flags = FAN_MARK_REMOVE, .mask = FAN_OPEN, .target = T_FILE, .err = ENOENT,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, inode_remove_marked) {
	/* clang-format on */
	.pre_flags = FAN_MARK_ADD,
	.flags = FAN_MARK_REMOVE, .mask = FAN_OPEN, .target = T_FILE, .err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, inode_flush) {
	/* clang-format on */
	.pre_flags = FAN_MARK_ADD,
	.flags = FAN_MARK_FLUSH, .target = T_NONE, .err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, mount_add) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT, .mask = FAN_OPEN, .target = T_DIR, .err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, mount_remove) {
	/* clang-format on */
	.flags = FAN_MARK_REMOVE | FAN_MARK_MOUNT, .mask = FAN_OPEN, .target = T_DIR,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, mount_flush) {
	/* clang-format on */
	.flags = FAN_MARK_FLUSH | FAN_MARK_MOUNT, .target = T_NONE, .err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, mount_add_evictable) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT | FAN_MARK_EVICTABLE, .mask = FAN_OPEN,
	.target = T_DIR, .err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, mount_add_fid_event) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT, .mask = FAN_CREATE, .target = T_DIR,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, mount_add_no_mask) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT, .mask = 0, .target = T_DIR, .err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, filesystem_add) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_FILESYSTEM, .mask = FAN_OPEN, .target = T_DIR,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, filesystem_add_fs_error) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_FILESYSTEM, .mask = FAN_FS_ERROR, .target = T_DIR,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, filesystem_remove) {
	/* clang-format on */
	.flags = FAN_MARK_REMOVE | FAN_MARK_FILESYSTEM, .mask = FAN_OPEN, .target = T_DIR,
	.err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, filesystem_flush) {
	/* clang-format on */
	.flags = FAN_MARK_FLUSH | FAN_MARK_FILESYSTEM, .target = T_NONE, .err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, mount_and_filesystem_type) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT | FAN_MARK_FILESYSTEM, .mask = FAN_OPEN,
	.target = T_DIR, .err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, add_and_remove) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_REMOVE, .mask = FAN_OPEN, .target = T_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, no_command) {
	/* clang-format on */
	.flags = 0, .mask = FAN_OPEN, .target = T_FILE, .err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, flush_with_dont_follow) {
	/* clang-format on */
	.flags = FAN_MARK_FLUSH | FAN_MARK_DONT_FOLLOW, .target = T_NONE, .err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, dont_follow_file) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_DONT_FOLLOW, .mask = FAN_OPEN, .target = T_FILE,
	.err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, onlydir_file) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_ONLYDIR, .mask = FAN_OPEN, .target = T_FILE,
	.err = ENOTDIR,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, onlydir_dir) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_ONLYDIR, .mask = FAN_OPEN, .target = T_DIR, .err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, ignored_mask_file) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_IGNORED_MASK, .mask = FAN_OPEN, .target = T_FILE,
	.err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, ignored_surv_modify_file) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORED_SURV_MODIFY,
	.mask = FAN_OPEN | FAN_MODIFY, .target = T_FILE, .err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, ignore_file) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_IGNORE, .mask = FAN_OPEN, .target = T_FILE, .err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, ignore_dir_without_surv) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_IGNORE, .mask = FAN_OPEN, .target = T_DIR,
	.err = EISDIR,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, ignore_surv_dir) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_IGNORE_SURV, .mask = FAN_OPEN | FAN_ONDIR,
	.target = T_DIR, .err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, ignore_and_ignored_mask) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_IGNORE | FAN_MARK_IGNORED_MASK, .mask = FAN_OPEN,
	.target = T_FILE, .err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, evictable_file) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_EVICTABLE, .mask = FAN_OPEN, .target = T_FILE,
	.err = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, evictable_on_pinned_mark) {
	/* clang-format on */
	.pre_flags = FAN_MARK_ADD,
	.flags = FAN_MARK_ADD | FAN_MARK_EVICTABLE, .mask = FAN_OPEN, .target = T_FILE,
	.err = EEXIST,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, ignored_mask_on_ignore_mark) {
	/* clang-format on */
	.pre_flags = FAN_MARK_ADD | FAN_MARK_IGNORE,
	.flags = FAN_MARK_ADD | FAN_MARK_IGNORED_MASK, .mask = FAN_OPEN, .target = T_FILE,
	.err = EEXIST,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, ignore_dropping_surv_modify) {
	/* clang-format on */
	.pre_flags = FAN_MARK_ADD | FAN_MARK_IGNORE_SURV,
	.flags = FAN_MARK_ADD | FAN_MARK_IGNORE, .mask = FAN_OPEN, .target = T_FILE,
	.err = EEXIST,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, unknown_flag) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | 0x00000800, .mask = FAN_OPEN, .target = T_FILE, .err = EINVAL,
};

/*
 * FAN_MARK_SUBTREE (0x40000000): privileged, as mount and filesystem marks are (EPERM); an
 * unknown flag upstream (EINVAL).
 */
/* clang-format off */
FIXTURE_VARIANT_ADD(mark, subtree_flag) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | 0x40000000, .mask = FAN_OPEN, .target = T_DIR, .err = EPERM,
	.stock_err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, mask_high_bits) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_OPEN | (1ULL << 32), .target = T_FILE, .err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, mask_overflow_bit) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_Q_OVERFLOW, .target = T_FILE, .err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, permission_event) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_OPEN_PERM, .target = T_FILE, .err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, fs_error_on_inode) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_FS_ERROR, .target = T_DIR, .err = EINVAL,
};

/* FAN_RENAME needs a group that reports names. */
/* clang-format off */
FIXTURE_VARIANT_ADD(mark, rename_without_names) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_RENAME, .target = T_DIR, .err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, unreadable_file) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_OPEN, .target = T_SECRET, .err = EACCES,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mark, unreadable_file_remove) {
	/* clang-format on */
	.flags = FAN_MARK_REMOVE, .mask = FAN_OPEN, .target = T_SECRET, .err = EACCES,
};

FIXTURE_SETUP(mark)
{
	ASSERT_EQ(0, make_temp_dir(self->dir));
	ASSERT_EQ(0, chmod(self->dir, 0755));
	snprintf(self->file, sizeof(self->file), "%s/file", self->dir);
	ASSERT_EQ(0, create_file(self->file, "x"));
	snprintf(self->secret, sizeof(self->secret), "%s/secret", self->dir);
	ASSERT_EQ(0, create_file(self->secret, "x"));
	ASSERT_EQ(0, chmod(self->secret, 0600));
}

FIXTURE_TEARDOWN_PARENT(mark)
{
	if (self->dir[0])
		EXPECT_EQ(0, remove_tree(self->dir));
}

TEST_F(mark, as_nobody)
{
	const char *path = variant->target == T_FILE ? self->file :
			   variant->target == T_DIR ? self->dir :
			   variant->target == T_SECRET ? self->secret : NULL;
	int fd, ret;

	ASSERT_EQ(0, drop_to_nobody());
	fd = fid_init(FID_FLAGS);
	ASSERT_LE(0, fd);
	if (variant->pre_flags)
		ASSERT_EQ(0, sys_fanotify_mark(fd, variant->pre_flags, FAN_OPEN, AT_FDCWD,
					       path ? path : self->file));
	ret = sys_fanotify_mark(fd, variant->flags, variant->mask, AT_FDCWD, path);
	if (variant->err) {
		EXPECT_EQ(-1, ret);
		EXPECT_EQ(kernel_is_stock() && variant->stock_err ? variant->stock_err :
			  variant->err, errno);
	} else {
		EXPECT_EQ(0, ret) {
			TH_LOG("fanotify_mark: %s", strerror(errno));
		}
	}
	close(fd);
}

/* The fds: a bad one is EBADF, one that is not a fanotify group EINVAL (after the flags). */
TEST_F(unpriv, mark_fds)
{
	int fd, devnull;

	ASSERT_EQ(0, drop_to_nobody());
	fd = fid_init(FID_FLAGS);
	ASSERT_LE(0, fd);
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, devnull);
	EXPECT_EQ(-1, sys_fanotify_mark(-1, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, self->dir));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, sys_fanotify_mark(devnull, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, self->dir));
	EXPECT_EQ(EINVAL, errno);
	/* Flags are checked before the fd: a bad flag on a bad fd is EINVAL. */
	EXPECT_EQ(-1, sys_fanotify_mark(-1, FAN_MARK_ADD | 0x800, FAN_OPEN, AT_FDCWD, self->dir));
	EXPECT_EQ(EINVAL, errno);
	/* ... and the fd before the privilege: a mount mark on a bad fd is EBADF. */
	EXPECT_EQ(-1, sys_fanotify_mark(-1, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN, AT_FDCWD,
					self->dir));
	EXPECT_EQ(EBADF, errno);
	close(devnull);
	/* A mark on the object of an fd (no path): nobody may mark what it opened. */
	devnull = open(self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, devnull);
	EXPECT_EQ(0, sys_fanotify_mark(fd, FAN_MARK_ADD, FAN_OPEN, devnull, NULL));
	close(devnull);
	close(fd);
}

/* Marks of an unprivileged group. */

TEST_F(unpriv, marks)
{
	int fd;

	ASSERT_EQ(0, drop_to_nobody());
	fd = fid_init(FID_FLAGS);
	ASSERT_LE(0, fd);
	/* Mount and filesystem marks need CAP_SYS_ADMIN, whatever the command. */
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN, AT_FDCWD,
					self->dir));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_OPEN, AT_FDCWD,
					self->dir));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_REMOVE | FAN_MARK_MOUNT, FAN_OPEN, AT_FDCWD,
					self->dir));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_FLUSH | FAN_MARK_FILESYSTEM, 0, AT_FDCWD,
					NULL));
	EXPECT_EQ(EPERM, errno);
	/* Argument validation still comes first. */
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT, 0, AT_FDCWD,
					self->dir));
	EXPECT_EQ(EINVAL, errno);
	/* Inode marks work on what nobody can read. */
	EXPECT_EQ(0, mark_inode(fd, FAN_OPEN | FAN_CREATE | FAN_EVENT_ON_CHILD, self->dir));
	EXPECT_EQ(0, mark_inode(fd, FAN_OPEN | FAN_CLOSE_WRITE, self->file[0]));
	EXPECT_EQ(0, sys_fanotify_mark(fd, FAN_MARK_FLUSH, 0, AT_FDCWD, NULL));
	/* ... and not on what it cannot read (MAY_READ on the inode). */
	EXPECT_EQ(-1, mark_inode(fd, FAN_OPEN, self->secret_dir));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(-1, mark_inode(fd, FAN_OPEN, self->secret_file));
	EXPECT_EQ(EACCES, errno);
	/* A notification group: no permission events; FAN_FS_ERROR needs a filesystem mark. */
	EXPECT_EQ(-1, mark_inode(fd, FAN_OPEN_PERM, self->file[0]));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, mark_inode(fd, FAN_FS_ERROR, self->dir));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/*
 * A privileged group stays privileged for mark types only as long as the caller is: a root
 * group used after dropping privileges cannot add mount marks, and its events keep their fds
 * and pids (the pid hiding is a property of the group, not of the reader).
 */
TEST_F(unpriv, root_group_used_by_nobody)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	pid_t pid;
	int fd;

	fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, drop_to_nobody());
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN, AT_FDCWD,
					self->dir));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_OPEN, AT_FDCWD,
					self->dir));
	EXPECT_EQ(EPERM, errno);
	ASSERT_EQ(0, mark_inode(fd, FAN_OPEN, self->file[0]));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(open_close_file(self->file[0], O_RDONLY) ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	ASSERT_TRUE(read_one(fd, buf));
	EXPECT_EQ(FAN_OPEN, m->mask);
	EXPECT_EQ(pid, m->pid);
	ASSERT_LE(0, m->fd);
	EXPECT_TRUE(fd_is_path(m->fd, self->file[0]));
	close(m->fd);
	close(fd);
}

/* Events of an unprivileged group: FID record, no fd, pid only for the reader's own process. */

struct thread_arg {
	const char *path;
	int ret;
};

static void *thread_open(void *p)
{
	struct thread_arg *a = p;

	a->ret = open_close_file(a->path, O_RDONLY);
	return NULL;
}

TEST_F(unpriv, event_pids)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	struct thread_arg a = { .path = self->file[1] };
	pthread_t t;
	pid_t pid;
	int fd;

	ASSERT_EQ(0, drop_to_nobody());
	fd = fid_init(FID_FLAGS);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mark_inode(fd, FAN_OPEN | FAN_EVENT_ON_CHILD, self->dir));

	/* Our own event: our pid. */
	ASSERT_EQ(0, open_close_file(self->file[0], O_RDONLY));
	ASSERT_TRUE(read_one(fd, buf));
	EXPECT_EQ(FAN_OPEN, m->mask);
	EXPECT_TRUE(fid_event_ok(m));
	EXPECT_TRUE(fid_is_path(m, self->file[0]));
	EXPECT_EQ(getpid(), m->pid);

	/* Another thread of ours: still our thread group, so our pid. */
	ASSERT_EQ(0, pthread_create(&t, NULL, thread_open, &a));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(0, a.ret);
	ASSERT_TRUE(read_one(fd, buf));
	EXPECT_TRUE(fid_event_ok(m));
	EXPECT_TRUE(fid_is_path(m, self->file[1]));
	EXPECT_EQ(getpid(), m->pid);

	/* A child process, even our own and of the same user: pid 0. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(open_close_file(self->file[2], O_RDONLY) ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	ASSERT_TRUE(read_one(fd, buf));
	EXPECT_TRUE(fid_event_ok(m));
	EXPECT_TRUE(fid_is_path(m, self->file[2]));
	EXPECT_EQ(0, m->pid);
	EXPECT_EQ(FAN_NOFD, m->fd);
	EXPECT_TRUE(no_event(fd));
	close(fd);
}

/*
 * The pid test uses the thread group of the task that read()s, not of the group's creator: a
 * child reading the group sees 0 for the parent's events and its own pid for its own.
 */
TEST_F(unpriv, pid_is_relative_to_reader)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	int fd, status, go[2];
	pid_t pid;
	char c;

	ASSERT_EQ(0, drop_to_nobody());
	fd = fid_init(FID_FLAGS);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mark_inode(fd, FAN_OPEN | FAN_EVENT_ON_CHILD, self->dir));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(10);
		/* The parent's event, read here. */
		if (!read_one(fd, buf) || !fid_event_ok(m))
			_exit(11);
		if (!fid_is_path(m, self->file[0]))
			_exit(12);
		if (m->pid != 0)
			_exit(13);
		/* Our own event, read here. */
		if (open_close_file(self->file[1], O_RDONLY) || !read_one(fd, buf))
			_exit(14);
		if (!fid_is_path(m, self->file[1]))
			_exit(15);
		if (m->pid != getpid())
			_exit(16);
		/* Leave one for the parent. */
		if (open_close_file(self->file[2], O_RDONLY))
			_exit(17);
		_exit(0);
	}
	close(go[0]);
	ASSERT_EQ(0, open_close_file(self->file[0], O_RDONLY));
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_TRUE(read_one(fd, buf));
	EXPECT_TRUE(fid_is_path(m, self->file[2]));
	EXPECT_EQ(0, m->pid);
	close(fd);
}

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = "f", .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	char b;
	struct iovec iov = { .iov_base = &b, .iov_len = 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &msg, 0) != 1)
		return -1;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/*
 * An unprivileged group handed to root stays unprivileged: no mount or filesystem marks even
 * for a CAP_SYS_ADMIN caller, no fd and no foreign pid in its events.
 */
TEST_F(unpriv, unpriv_group_used_by_root)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	int sv[2], fd, status;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (drop_to_nobody())
			_exit(10);
		fd = fid_init(FID_FLAGS);
		if (fd < 0)
			_exit(11);
		_exit(send_fd(sv[1], fd) ? 12 : 0);
	}
	fd = recv_fd(sv[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN, AT_FDCWD,
					self->dir));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_OPEN, AT_FDCWD,
					self->dir));
	EXPECT_EQ(EPERM, errno);
	/* Root may mark what nobody could not read. */
	ASSERT_EQ(0, mark_inode(fd, FAN_OPEN, self->secret_file));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(open_close_file(self->secret_file, O_RDONLY) ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	ASSERT_TRUE(read_one(fd, buf));
	EXPECT_TRUE(fid_event_ok(m));
	EXPECT_EQ(0, m->pid);
	ASSERT_EQ(0, open_close_file(self->secret_file, O_RDONLY));
	ASSERT_TRUE(read_one(fd, buf));
	EXPECT_TRUE(fid_event_ok(m));
	EXPECT_EQ(getpid(), m->pid);
	close(fd);
}

/* Per-user limits apply to unprivileged groups as to any other (no FAN_UNLIMITED_*). */

TEST_F(unpriv, group_limit)
{
	int fds[4], i;

	ASSERT_EQ(0, sysctl_write(SYSCTL_GROUPS, 3));
	ASSERT_EQ(0, drop_to_nobody());
	for (i = 0; i < 3; i++) {
		fds[i] = fid_init(FID_FLAGS);
		ASSERT_LE(0, fds[i]);
	}
	EXPECT_EQ(-1, fid_init(FID_FLAGS));
	EXPECT_EQ(EMFILE, errno);
	close(fds[0]);
	/* The count is released with the group (on the last close). */
	fds[0] = fid_init(FID_FLAGS);
	EXPECT_LE(0, fds[0]);
	for (i = 0; i < 3; i++)
		close(fds[i]);
}

TEST_F(unpriv, mark_limit)
{
	int fd, i;

	ASSERT_EQ(0, sysctl_write(SYSCTL_MARKS, 3));
	ASSERT_EQ(0, drop_to_nobody());
	fd = fid_init(FID_FLAGS);
	ASSERT_LE(0, fd);
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, mark_inode(fd, FAN_OPEN, self->file[i]));
	/* Updating an existing mark needs no new one. */
	EXPECT_EQ(0, mark_inode(fd, FAN_CLOSE_WRITE, self->file[0]));
	EXPECT_EQ(-1, mark_inode(fd, FAN_OPEN, self->file[3]));
	EXPECT_EQ(ENOSPC, errno);
	close(fd);
}

TEST_F(unpriv, queue_limit)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	int fd, i, opens = 0, overflows = 0, others = 0;
	ssize_t len;

	/* The limit is taken at fanotify_init(). */
	ASSERT_EQ(0, sysctl_write(SYSCTL_QUEUED, 4));
	ASSERT_EQ(0, drop_to_nobody());
	fd = fid_init(FID_FLAGS);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mark_inode(fd, FAN_OPEN | FAN_EVENT_ON_CHILD, self->dir));
	/* Distinct objects: no merging. */
	for (i = 0; i < 6; i++)
		ASSERT_EQ(0, open_close_file(self->file[i], O_RDONLY));
	while ((len = read_events(fd, buf, opens + overflows ? 0 : EVENT_TIMEOUT_MS)) > 0) {
		const struct fanotify_event_metadata *m = (void *)buf;

		for (; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
			if (m->mask == FAN_Q_OVERFLOW) {
				overflows++;
				/* No object and no process: metadata only. */
				EXPECT_EQ(FAN_EVENT_METADATA_LEN, m->event_len);
				EXPECT_EQ(FAN_NOFD, m->fd);
				EXPECT_EQ(0, m->pid);
			} else if (m->mask == FAN_OPEN && fid_event_ok(m) && m->pid == getpid()) {
				opens++;
			} else {
				others++;
			}
		}
	}
	EXPECT_EQ(4, opens);
	EXPECT_EQ(1, overflows);
	EXPECT_EQ(0, others);
	close(fd);
}

/* Directory events with names work for nobody in its own directory. */
TEST_F(unpriv, dfid_name_create)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	const struct fanotify_event_info_fid *fid = (const void *)(m + 1);
	const struct file_handle *fh = (const void *)fid->handle;
	char path[FILE_PATH_LEN];
	int fd;

	ASSERT_EQ(0, drop_to_nobody());
	fd = fid_init(FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, mark_inode(fd, FAN_CREATE, self->own_dir));
	snprintf(path, sizeof(path), "%s/new", self->own_dir);
	ASSERT_EQ(0, create_file(path, "x"));
	ASSERT_TRUE(read_one(fd, buf));
	EXPECT_EQ(FAN_CREATE, m->mask);
	EXPECT_EQ(FAN_NOFD, m->fd);
	EXPECT_EQ(getpid(), m->pid);
	ASSERT_EQ(FAN_EVENT_INFO_TYPE_DFID_NAME, fid->hdr.info_type);
	EXPECT_EQ(m->event_len, FAN_EVENT_METADATA_LEN + fid->hdr.len);
	EXPECT_STREQ("new", (const char *)fh->f_handle + fh->handle_bytes);
	EXPECT_TRUE(fid_is_path(m, self->own_dir));
	close(fd);
}

/* Root of a child user namespace is an unprivileged fanotify user. */

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t len = strlen(s);

	if (fd < 0)
		return -1;
	if (write(fd, s, len) != len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

TEST_F(unpriv, user_namespace_root)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	pid_t pid;
	int fd;

	ASSERT_EQ(0, unshare(CLONE_NEWUSER));
	ASSERT_EQ(0, write_file("/proc/self/setgroups", "deny"));
	ASSERT_EQ(0, write_file("/proc/self/uid_map", "0 0 1"));
	ASSERT_EQ(0, write_file("/proc/self/gid_map", "0 0 1"));
	/* Full capabilities, but in the namespace only. */
	ASSERT_EQ(0, getuid());

	EXPECT_EQ(-1, sys_fanotify_init(FAN_CLASS_NOTIF, O_RDONLY));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, fid_init(FID_FLAGS | FAN_UNLIMITED_QUEUE));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, fid_init(FAN_CLASS_CONTENT | FAN_REPORT_FID));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, fid_init(FID_FLAGS | FAN_REPORT_PIDFD));
	EXPECT_EQ(EPERM, errno);
	fd = fid_init(FID_FLAGS);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN, AT_FDCWD,
					self->dir));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_OPEN, AT_FDCWD,
					self->dir));
	EXPECT_EQ(EPERM, errno);
	/* The files belong to the namespace's root (uid 0 is mapped to itself). */
	ASSERT_EQ(0, mark_inode(fd, FAN_OPEN, self->secret_file));
	ASSERT_EQ(0, open_close_file(self->secret_file, O_RDONLY));
	ASSERT_TRUE(read_one(fd, buf));
	EXPECT_TRUE(fid_event_ok(m));
	EXPECT_TRUE(fid_is_path(m, self->secret_file));
	EXPECT_EQ(getpid(), m->pid);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(open_close_file(self->secret_file, O_RDONLY) ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	ASSERT_TRUE(read_one(fd, buf));
	EXPECT_TRUE(fid_event_ok(m));
	EXPECT_EQ(0, m->pid);
	close(fd);
}

TEST_HARNESS_MAIN
