// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify_init(2) tests: valid flag combinations, properties of the returned file descriptor,
 * /proc/<pid>/fdinfo and argument validation.
 *
 * Behaviour reference: upstream 6.12 fanotify_init() in fs/notify/fanotify/fanotify_user.c and
 * fanotify_show_fdinfo() in fs/notify/fdinfo.c.
 */

#include <sys/wait.h>

#include "common.h"

/*
 * Bits that no kernel up to 6.18 accepts in fanotify_init() flags.  0x80000000 is the internal
 * FANOTIFY_UNPRIV group flag, which user space must not be able to set.  FAN_ENABLE_AUDIT
 * (0x40) is deliberately not used: it depends on CONFIG_AUDITSYSCALL.
 */
#define UNKNOWN_INIT_FLAG_1 0x00008000U
#define UNKNOWN_INIT_FLAG_2 0x00010000U
#define UNKNOWN_INIT_FLAG_3 0x80000000U

/* Reads "fanotify flags:%x event-flags:%x" from /proc/self/fdinfo/@fd. */
static int read_fdinfo(int fd, unsigned int *flags, unsigned int *event_flags)
{
	char path[64], line[256];
	int found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "fanotify flags:%x event-flags:%x", flags, event_flags) == 2) {
			found = 0;
			break;
		}
	}
	fclose(f);
	return found;
}

/* Valid combinations: each must give a working fanotify file descriptor. */

FIXTURE(init_valid) {};

FIXTURE_SETUP(init_valid) {}

FIXTURE_TEARDOWN(init_valid) {}

FIXTURE_VARIANT(init_valid)
{
	unsigned int flags;
	unsigned int event_f_flags;
	/* Add the kernel's O_LARGEFILE to event_f_flags (the libc may define it as 0). */
	bool largefile;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, class_notif) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDONLY,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, class_content) {
	/* clang-format on */
	.flags = FAN_CLASS_CONTENT,
	.event_f_flags = O_RDONLY,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, class_pre_content) {
	/* clang-format on */
	.flags = FAN_CLASS_PRE_CONTENT,
	.event_f_flags = O_RDONLY,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, cloexec) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | FAN_CLOEXEC,
	.event_f_flags = O_RDONLY,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, nonblock) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | FAN_NONBLOCK,
	.event_f_flags = O_RDONLY,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, cloexec_nonblock) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
	.event_f_flags = O_RDONLY,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, unlimited_queue) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | FAN_UNLIMITED_QUEUE,
	.event_f_flags = O_RDONLY,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, unlimited_marks) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | FAN_UNLIMITED_MARKS,
	.event_f_flags = O_RDONLY,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, content_all_flags) {
	/* clang-format on */
	.flags = FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK | FAN_UNLIMITED_QUEUE |
		 FAN_UNLIMITED_MARKS,
	.event_f_flags = O_RDWR | O_CLOEXEC,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, pre_content_all_flags) {
	/* clang-format on */
	.flags = FAN_CLASS_PRE_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK | FAN_UNLIMITED_QUEUE |
		 FAN_UNLIMITED_MARKS,
	.event_f_flags = O_WRONLY | O_APPEND,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, event_rdwr) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDWR,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, event_wronly) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_WRONLY,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, event_append) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_WRONLY | O_APPEND,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, event_nonblock) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDONLY | O_NONBLOCK,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, event_sync) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDWR | O_SYNC,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, event_dsync) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDWR | O_DSYNC,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, event_cloexec) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDONLY | O_CLOEXEC,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, event_largefile) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDONLY,
	.largefile = true,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, event_noatime) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDONLY | O_NOATIME,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_valid, event_all_allowed) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDWR | O_APPEND | O_NONBLOCK | O_SYNC | O_DSYNC | O_CLOEXEC |
			 O_NOATIME,
	.largefile = true,
};

static unsigned int variant_event_f_flags(const FIXTURE_VARIANT(init_valid) *variant)
{
	return variant->event_f_flags | (variant->largefile ? kernel_o_largefile() : 0);
}

TEST_F(init_valid, returns_fd)
{
	int fd;

	fd = sys_fanotify_init(variant->flags, variant_event_f_flags(variant));
	ASSERT_LE(0, fd)
	{
		TH_LOG("fanotify_init(0x%x, 0x%x): %s", variant->flags,
		       variant_event_f_flags(variant), strerror(errno));
	}
	EXPECT_EQ(0, close(fd));
}

TEST_F(init_valid, fd_is_anon_inode)
{
	char link[64], target[64] = {};
	int fd;

	fd = sys_fanotify_init(variant->flags, variant_event_f_flags(variant));
	ASSERT_LE(0, fd);
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ASSERT_LT(0, readlink(link, target, sizeof(target) - 1));
	EXPECT_STREQ("anon_inode:[fanotify]", target);
	EXPECT_EQ(0, close(fd));
}

TEST_F(init_valid, fd_cloexec)
{
	int fd, fdflags;

	fd = sys_fanotify_init(variant->flags, variant_event_f_flags(variant));
	ASSERT_LE(0, fd);
	fdflags = fcntl(fd, F_GETFD);
	ASSERT_LE(0, fdflags);
	EXPECT_EQ(!!(variant->flags & FAN_CLOEXEC), !!(fdflags & FD_CLOEXEC));
	EXPECT_EQ(0, close(fd));
}

/*
 * The fanotify fd is opened O_RDWR, plus O_NONBLOCK with FAN_NONBLOCK; anon_inode_getfd() keeps
 * only O_ACCMODE | O_NONBLOCK in f_flags (__anon_inode_getfile()).
 */
TEST_F(init_valid, fd_status_flags)
{
	int fd, fl;

	fd = sys_fanotify_init(variant->flags, variant_event_f_flags(variant));
	ASSERT_LE(0, fd);
	fl = fcntl(fd, F_GETFL);
	ASSERT_LE(0, fl);
	EXPECT_EQ(O_RDWR, fl & O_ACCMODE);
	EXPECT_EQ(!!(variant->flags & FAN_NONBLOCK), !!(fl & O_NONBLOCK));
	/* The event file flags must not leak into the group fd. */
	EXPECT_EQ(0, fl & (O_APPEND | O_SYNC | O_DSYNC | O_NOATIME));
	EXPECT_EQ(0, close(fd));
}

/*
 * fanotify_show_fdinfo() prints the init flags (masked with FANOTIFY_INIT_FLAGS) and the stored
 * event_f_flags, to which fanotify_init() adds O_LARGEFILE when force_o_largefile().
 */
TEST_F(init_valid, fdinfo)
{
	unsigned int flags = 0, event_flags = 0;
	int fd;

	fd = sys_fanotify_init(variant->flags, variant_event_f_flags(variant));
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, read_fdinfo(fd, &flags, &event_flags));
	EXPECT_EQ(variant->flags, flags);
	EXPECT_EQ(variant_event_f_flags(variant) | kernel_o_largefile(), event_flags);
	EXPECT_EQ(0, close(fd));
}

/* A fresh group has no event: poll() does not report POLLIN, FIONREAD is 0. */
TEST_F(init_valid, empty_queue)
{
	struct pollfd pfd;
	int fd, n = -1;

	fd = sys_fanotify_init(variant->flags | FAN_NONBLOCK, variant_event_f_flags(variant));
	ASSERT_LE(0, fd);
	pfd.fd = fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	EXPECT_EQ(0, ioctl_fionread(fd, &n));
	EXPECT_EQ(0, n);
	EXPECT_EQ(0, close(fd));
}

/* Invalid arguments. */

FIXTURE(init_invalid) {};

FIXTURE_SETUP(init_invalid) {}

FIXTURE_TEARDOWN(init_invalid) {}

FIXTURE_VARIANT(init_invalid)
{
	unsigned int flags;
	unsigned int event_f_flags;
	int err;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, unknown_flag_8000) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | UNKNOWN_INIT_FLAG_1,
	.event_f_flags = O_RDONLY,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, unknown_flag_10000) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | UNKNOWN_INIT_FLAG_2,
	.event_f_flags = O_RDONLY,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, internal_unpriv_flag) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | UNKNOWN_INIT_FLAG_3,
	.event_f_flags = O_RDONLY,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, unknown_flag_with_valid_ones) {
	/* clang-format on */
	.flags = FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK | UNKNOWN_INIT_FLAG_2,
	.event_f_flags = O_RDONLY,
	.err = EINVAL,
};

/* Both class bits: the switch on the class in fanotify_init() rejects it. */
/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, both_class_bits) {
	/* clang-format on */
	.flags = FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT,
	.event_f_flags = O_RDONLY,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, both_class_bits_cloexec) {
	/* clang-format on */
	.flags = FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT | FAN_CLOEXEC,
	.event_f_flags = O_RDWR,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, event_accmode_3) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_ACCMODE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, event_accmode_3_cloexec) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_ACCMODE | O_CLOEXEC,
	.err = EINVAL,
};

/*
 * event_f_flags outside FANOTIFY_INIT_ALL_EVENT_F_BITS (O_ACCMODE, O_APPEND, O_NONBLOCK, __O_SYNC,
 * O_DSYNC, O_CLOEXEC, O_LARGEFILE, O_NOATIME) are rejected.
 */
/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, event_creat) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDONLY | O_CREAT,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, event_excl) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDONLY | O_EXCL,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, event_noctty) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDONLY | O_NOCTTY,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, event_trunc) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDWR | O_TRUNC,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, event_directory) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDONLY | O_DIRECTORY,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, event_nofollow) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDONLY | O_NOFOLLOW,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, event_direct) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDONLY | O_DIRECT,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, event_async) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDONLY | O_ASYNC,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, event_path) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_PATH,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, event_tmpfile) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDWR | O_TMPFILE,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, event_unknown_high_bit) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF,
	.event_f_flags = O_RDONLY | 0x80000000U,
	.err = EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(init_invalid, unknown_flag_and_bad_event_flags) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | UNKNOWN_INIT_FLAG_2,
	.event_f_flags = O_ACCMODE | O_CREAT,
	.err = EINVAL,
};

TEST_F(init_invalid, fails)
{
	int fd;

	fd = sys_fanotify_init(variant->flags, variant->event_f_flags);
	ASSERT_EQ(-1, fd)
	{
		close(fd);
	}
	EXPECT_EQ(variant->err, errno);
}

/*
 * Without CAP_SYS_ADMIN, fanotify_init() refuses groups that do not report file handles with
 * EPERM, and this check comes first (before the validation of unknown flags).
 */
static int init_errno_unprivileged(unsigned int flags, unsigned int event_f_flags)
{
	int status, fd;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* Dropping root through setuid() clears the capability sets. */
		if (setgid(65534) || setuid(65534))
			_exit(255);
		fd = sys_fanotify_init(flags, event_f_flags);
		if (fd >= 0)
			_exit(0);
		_exit(errno);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST(unprivileged_eperm)
{
	EXPECT_EQ(EPERM, init_errno_unprivileged(FAN_CLASS_NOTIF, O_RDONLY));
	EXPECT_EQ(EPERM, init_errno_unprivileged(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
						 O_RDONLY));
	EXPECT_EQ(EPERM, init_errno_unprivileged(FAN_CLASS_CONTENT, O_RDONLY));
	EXPECT_EQ(EPERM, init_errno_unprivileged(FAN_CLASS_NOTIF | FAN_UNLIMITED_QUEUE, O_RDONLY));
	/* The capability check precedes the check of unknown bits and event_f_flags. */
	EXPECT_EQ(EPERM, init_errno_unprivileged(FAN_CLASS_NOTIF | UNKNOWN_INIT_FLAG_2, O_RDONLY));
	EXPECT_EQ(EPERM, init_errno_unprivileged(FAN_CLASS_NOTIF, O_ACCMODE));
}

/* Several groups can coexist, each with its own fd and flags. */
TEST(independent_groups)
{
	unsigned int flags, event_flags;
	int fd1, fd2;

	fd1 = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, fd1);
	fd2 = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_NONBLOCK, O_RDWR);
	ASSERT_LE(0, fd2);
	EXPECT_NE(fd1, fd2);
	ASSERT_EQ(0, read_fdinfo(fd1, &flags, &event_flags));
	EXPECT_EQ(FAN_CLASS_NOTIF | FAN_CLOEXEC, flags);
	EXPECT_EQ(O_RDONLY | kernel_o_largefile(), event_flags);
	ASSERT_EQ(0, read_fdinfo(fd2, &flags, &event_flags));
	EXPECT_EQ(FAN_CLASS_CONTENT | FAN_NONBLOCK, flags);
	EXPECT_EQ(O_RDWR | kernel_o_largefile(), event_flags);
	EXPECT_EQ(0, close(fd1));
	EXPECT_EQ(0, close(fd2));
}

/* A failed fanotify_init() does not consume a file descriptor. */
TEST(no_fd_leak_on_error)
{
	int before, after, i;

	before = count_open_fds();
	ASSERT_LE(0, before);
	for (i = 0; i < 16; i++) {
		ASSERT_EQ(-1, sys_fanotify_init(FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT,
						O_RDONLY));
		ASSERT_EQ(EINVAL, errno);
	}
	after = count_open_fds();
	EXPECT_EQ(before, after);
}

TEST_HARNESS_MAIN
