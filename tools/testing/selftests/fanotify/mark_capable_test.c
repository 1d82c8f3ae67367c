// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify_mark(2) asks whether the caller has CAP_SYS_ADMIN on every call that gets past the
 * argument decoding and the fanotify fd lookup, whatever the mark type, command and outcome: only
 * mount and filesystem marks need the capability, but audit and LSMs see every query.
 *
 * A successful capable() sets PF_SUPERPRIV ("used super-user privileges") on the task, which
 * /proc/self/stat shows in its flags field and fork() clears.  Each probe runs in a fresh child
 * that has made no privileged call yet, so the flag tells whether this one fanotify_mark() asked.
 *
 * This is 6.12's behaviour, which our kernel matches; later upstream kernels (6.18 checked) ask
 * only for mount and filesystem marks, so the inode probes fail there.
 *
 * Behaviour reference: upstream 6.12 do_fanotify_mark() in fs/notify/fanotify/fanotify_user.c
 * (the capable() call before the class, FAN_FS_ERROR, evictable and FID checks), ns_capable() in
 * kernel/capability.c, do_task_stat() in fs/proc/array.c.
 */

#include "common.h"

#include <linux/capability.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PF_SUPERPRIV 0x00000100U

/* A mark flag bit unknown to every kernel up to 6.18. */
#define UNKNOWN_MARK_FLAG 0x00001000U

enum fd_kind {
	FD_GROUP,
	FD_BAD,
	FD_NOT_FANOTIFY,
};

enum path_kind {
	P_FILE,
	P_DIR,
	P_NONEXISTENT,
	P_NONE,		/* FAN_MARK_FLUSH: no path */
};

struct probe_result {
	int ret;
	int err;
	long flags_before;	/* the task flags, -1 if /proc/self/stat could not be read */
	long flags_after;
	int setup_err;		/* errno of a failed capability drop */
};

FIXTURE(cap)
{
	char dir[DIR_PATH_LEN];
	char file[FILE_PATH_LEN];
	int fan_fd;
	int other_fd;
	struct probe_result *res;
};

FIXTURE_VARIANT(cap)
{
	unsigned int flags;
	__u64 mask;
	enum fd_kind fd;
	enum path_kind path;
	/* Call without CAP_SYS_ADMIN in the effective set (still uid 0). */
	bool no_admin;
	int err;		/* errno the call fails with, 0 if it succeeds */
	bool asks;		/* the call sets PF_SUPERPRIV */
};

FIXTURE_SETUP(cap)
{
	self->fan_fd = -1;
	self->other_fd = -1;
	self->res = MAP_FAILED;
	ASSERT_EQ(0, make_temp_dir(self->dir));
	snprintf(self->file, sizeof(self->file), "%s/file", self->dir);
	ASSERT_EQ(0, create_file(self->file, "file\n"));
	self->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
					 O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fan_fd);
	self->other_fd = open(self->file, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->other_fd);
	self->res = mmap(NULL, sizeof(*self->res), PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->res);
}

FIXTURE_TEARDOWN(cap)
{
	if (self->res != MAP_FAILED)
		munmap(self->res, sizeof(*self->res));
	if (self->other_fd >= 0)
		close(self->other_fd);
	if (self->fan_fd >= 0)
		close(self->fan_fd);
	if (self->dir[0])
		EXPECT_EQ(0, remove_tree(self->dir));
}

/* The flags field (the 9th) of /proc/self/stat, or -1. */
static long task_flags(void)
{
	char buf[1024], *p;
	unsigned int flags;
	ssize_t len;
	int fd;

	fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	/* The command name may contain anything but ends with the last ')'. */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %u", &flags) != 1)
		return -1;
	return flags;
}

/* Clears CAP_SYS_ADMIN from the effective set only. */
static int drop_effective_admin(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(__NR_capget, &hdr, data))
		return -1;
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	return syscall(__NR_capset, &hdr, data);
}

TEST_F(cap, asks)
{
	const char *path = NULL;
	int fan_fd, status;
	pid_t pid;

	switch (variant->fd) {
	case FD_GROUP:
		fan_fd = self->fan_fd;
		break;
	case FD_BAD:
		fan_fd = -1;
		break;
	default:
		fan_fd = self->other_fd;
		break;
	}
	switch (variant->path) {
	case P_FILE:
		path = self->file;
		break;
	case P_DIR:
		path = self->dir;
		break;
	case P_NONEXISTENT:
		path = "/nonexistent/fanotify_test";
		break;
	case P_NONE:
		break;
	}

	memset(self->res, 0, sizeof(*self->res));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		struct probe_result *r = self->res;

		if (variant->no_admin && drop_effective_admin()) {
			r->setup_err = errno;
			_exit(0);
		}
		r->flags_before = task_flags();
		errno = 0;
		r->ret = sys_fanotify_mark(fan_fd, variant->flags, variant->mask, AT_FDCWD, path);
		r->err = errno;
		r->flags_after = task_flags();
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, self->res->setup_err);
	ASSERT_LE(0, self->res->flags_before);
	ASSERT_LE(0, self->res->flags_after);
	/* Nothing in the child asked for a capability before the probe. */
	ASSERT_EQ(0, self->res->flags_before & PF_SUPERPRIV);

	if (variant->err) {
		EXPECT_EQ(-1, self->res->ret);
		EXPECT_EQ(variant->err, self->res->err);
	} else {
		EXPECT_EQ(0, self->res->ret)
		{
			TH_LOG("fanotify_mark: %s", strerror(self->res->err));
		}
	}
	EXPECT_EQ(variant->asks ? PF_SUPERPRIV : 0, self->res->flags_after & PF_SUPERPRIV);
}

/* Inode marks do not need the capability, but the question is asked all the same. */
/* clang-format off */
FIXTURE_VARIANT_ADD(cap, inode_add) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_OPEN, .path = P_FILE, .asks = true,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(cap, inode_remove_without_mark) {
	/* clang-format on */
	.flags = FAN_MARK_REMOVE, .mask = FAN_OPEN, .path = P_FILE, .err = ENOENT, .asks = true,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(cap, inode_flush) {
	/* clang-format on */
	.flags = FAN_MARK_FLUSH, .path = P_NONE, .asks = true,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(cap, mount_add) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT, .mask = FAN_OPEN, .path = P_DIR, .asks = true,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(cap, filesystem_flush) {
	/* clang-format on */
	.flags = FAN_MARK_FLUSH | FAN_MARK_FILESYSTEM, .path = P_NONE, .asks = true,
};

/* Asked before the group's class is checked ... */
/* clang-format off */
FIXTURE_VARIANT_ADD(cap, inode_perm_event_in_notif_group) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_OPEN_PERM, .path = P_FILE, .err = EINVAL, .asks = true,
};

/* ... and before the evictable check ... */
/* clang-format off */
FIXTURE_VARIANT_ADD(cap, mount_evictable) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT | FAN_MARK_EVICTABLE, .mask = FAN_OPEN,
	.path = P_DIR, .err = EINVAL, .asks = true,
};

/* ... and before the path lookup. */
/* clang-format off */
FIXTURE_VARIANT_ADD(cap, inode_nonexistent_path) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_OPEN, .path = P_NONEXISTENT, .err = ENOENT,
	.asks = true,
};

/* Not asked when the call fails in decoding the arguments or looking up the group. */
/* clang-format off */
FIXTURE_VARIANT_ADD(cap, unknown_flag) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | UNKNOWN_MARK_FLAG, .mask = FAN_OPEN, .path = P_FILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(cap, zero_mask) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .path = P_FILE, .err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(cap, bad_fd) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_OPEN, .fd = FD_BAD, .path = P_FILE, .err = EBADF,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(cap, not_fanotify_fd) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_OPEN, .fd = FD_NOT_FANOTIFY, .path = P_FILE,
	.err = EINVAL,
};

/* Without the capability: inode marks work, mount and filesystem marks are refused. */
/* clang-format off */
FIXTURE_VARIANT_ADD(cap, no_admin_inode_add) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask = FAN_OPEN, .path = P_FILE, .no_admin = true,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(cap, no_admin_mount_add) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT, .mask = FAN_OPEN, .path = P_DIR,
	.no_admin = true, .err = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(cap, no_admin_filesystem_flush) {
	/* clang-format on */
	.flags = FAN_MARK_FLUSH | FAN_MARK_FILESYSTEM, .path = P_NONE, .no_admin = true,
	.err = EPERM,
};

/* The capability is checked before the class: EPERM, not EINVAL. */
/* clang-format off */
FIXTURE_VARIANT_ADD(cap, no_admin_mount_perm_event_in_notif_group) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT, .mask = FAN_OPEN_PERM, .path = P_DIR,
	.no_admin = true, .err = EPERM,
};

TEST_HARNESS_MAIN
