// SPDX-License-Identifier: GPL-2.0
/*
 * Beyond upstream: permission listeners that cannot hang the machine.
 *
 *  - FAN_DEADLINE: an access waits for a group's verdict at most the time
 *    set with FAN_IOC_SET_DEADLINE, then the group's policy applies; the
 *    unread event leaves the queue, a late answer gets ETIMEDOUT, fdinfo
 *    counts expired events;
 *  - FAN_FAIL_CLOSED: a group that goes away denies what it still holds;
 *  - FAN_EXCLUDE_SELF: the creator's accesses (and those of processes
 *    registered with FAN_IOC_EXCLUDE_PROCESS) raise no event for the group;
 *  - fs.fanotify.watchdog_timeout (upstream 6.18's meaning): a listener that
 *    sits on a read event is named in the kernel log.
 *
 * On the stock kernel every new flag must be refused with EINVAL (that is
 * how programs probe) and the new ioctls with ENOTTY; the rest skips there.
 * Deadline tests only assert order-of-magnitude bounds.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/klog.h>

#include "perm_common.h"

/* The headers of the stock kernel do not have our values. */
#ifndef FAN_IOC_MAGIC
#define FAN_DEADLINE		0x40000000
#define FAN_FAIL_CLOSED		0x20000000
#define FAN_EXCLUDE_SELF	0x10000000
#define FAN_IOC_MAGIC		0xF4
struct fanotify_deadline {
	__u32 msecs;
	__u32 response;
};

#define FAN_DEADLINE_MAX_MSECS	3600000
#define FAN_IOC_SET_DEADLINE	_IOW(FAN_IOC_MAGIC, 1, struct fanotify_deadline)
#define FAN_IOC_GET_DEADLINE	_IOR(FAN_IOC_MAGIC, 2, struct fanotify_deadline)
#define FAN_IOC_EXCLUDE_PROCESS	_IOW(FAN_IOC_MAGIC, 3, __s32)
#define FAN_IOC_INCLUDE_PROCESS	_IOW(FAN_IOC_MAGIC, 4, __s32)
#endif

#ifndef __NR_pidfd_open
#define __NR_pidfd_open 434
#endif

#define BEYOND "beyond upstream: deadlines, fail-closed and self-exclusion are ours"

/* A deadline short enough for tests, long against a verdict's round trip. */
#define SHORT_DEADLINE_MS 300
/* No access may take this long when a deadline bounds it. */
#define CEILING_MS 20000

#define WATCHDOG_SYSCTL "/proc/sys/fs/fanotify/watchdog_timeout"
#define RESPONSE_LEN_GUARD ((ssize_t)sizeof(struct fanotify_response))

static int listener(unsigned int flags)
{
	return sys_fanotify_init(flags | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY | O_CLOEXEC);
}

static int set_deadline(int fan_fd, unsigned int msecs, unsigned int response)
{
	struct fanotify_deadline d = { .msecs = msecs, .response = response };

	return ioctl(fan_fd, FAN_IOC_SET_DEADLINE, &d);
}

static int pidfd_of(pid_t pid)
{
	return syscall(__NR_pidfd_open, pid, 0);
}

/* The number after @key in the fdinfo of @fd, or -1. */
static long fdinfo_number(int fd, const char *key)
{
	char path[64], line[512], *at;
	long val = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		at = strstr(line, key);
		if (at) {
			val = strtol(at + strlen(key), NULL, 10);
			break;
		}
	}
	fclose(f);
	return val;
}

/* Milliseconds an access child took to end, or CHILD_TIMEOUT; *code gets its exit code. */
static long timed_wait(pid_t pid, long long start, int *code)
{
	*code = wait_child(pid, CEILING_MS);
	if (*code == CHILD_TIMEOUT)
		return CHILD_TIMEOUT;
	return (now_ns() - start) / 1000000;
}

FIXTURE(guard)
{
	char dir[DIR_PATH_LEN];
	char file[FILE_PATH_LEN];
	int fan_fd;
	pid_t child;
	bool restore_watchdog;
	long saved_watchdog;
};

FIXTURE_SETUP(guard)
{
	self->fan_fd = -1;
	self->child = -1;
	ASSERT_EQ(0, perm_mount_tmpfs(self->dir)) {
		TH_LOG("private tmpfs: %s", strerror(errno));
	}
	snprintf(self->file, sizeof(self->file), "%s/file", self->dir);
	ASSERT_EQ(0, create_file(self->file, "guarded\n"));
}

/*
 * Runs in the harness's parent, which shares the fixture data: after a failed assertion the test
 * process may skip its own teardown.  The descriptors die with the test process; a blocked
 * accessor is not the parent's child, so it is only killed here.
 */
FIXTURE_TEARDOWN_PARENT(guard)
{
	if (self->child > 0)
		kill(self->child, SIGKILL);
	if (self->restore_watchdog)
		sysctl_write(WATCHDOG_SYSCTL, self->saved_watchdog);
	perm_umount_tmpfs(self->dir);
}

/* A group of @flags with FAN_OPEN_PERM on the fixture's file. */
static int guarded_listener(FIXTURE_DATA(guard) *self, unsigned int flags)
{
	self->fan_fd = listener(FAN_CLASS_CONTENT | flags);
	if (self->fan_fd < 0)
		return -1;
	return sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD,
				 self->file);
}

/* Probes: on stock EINVAL, on ours accepted where it makes sense. */
TEST(init_flags_probe)
{
	static const unsigned int flags[] = { FAN_DEADLINE, FAN_FAIL_CLOSED, FAN_EXCLUDE_SELF };
	int i, fd;

	for (i = 0; i < ARRAY_SIZE(flags); i++) {
		fd = listener(FAN_CLASS_CONTENT | flags[i]);
		if (kernel_is_stock()) {
			EXPECT_EQ(-1, fd);
			EXPECT_EQ(EINVAL, errno);
		} else {
			EXPECT_LE(0, fd) {
				TH_LOG("flag 0x%x: %s", flags[i], strerror(errno));
			}
		}
		if (fd >= 0)
			close(fd);
	}
	/* All three together. */
	fd = listener(FAN_CLASS_PRE_CONTENT | FAN_DEADLINE | FAN_FAIL_CLOSED | FAN_EXCLUDE_SELF);
	if (kernel_is_stock()) {
		EXPECT_EQ(-1, fd);
		EXPECT_EQ(EINVAL, errno);
	} else {
		EXPECT_LE(0, fd);
	}
	if (fd >= 0)
		close(fd);
}

/* Deadlines and fail-closed are about verdicts: refused for a notification group. */
TEST(init_flags_need_permission_class)
{
	int fd;

	fd = listener(FAN_CLASS_NOTIF | FAN_DEADLINE);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	fd = listener(FAN_CLASS_NOTIF | FAN_FAIL_CLOSED);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	fd = listener(FAN_CLASS_NOTIF | FAN_EXCLUDE_SELF);
	if (kernel_is_stock()) {
		EXPECT_EQ(-1, fd);
		EXPECT_EQ(EINVAL, errno);
	} else {
		EXPECT_LE(0, fd);
	}
	if (fd >= 0)
		close(fd);
}

/* An unprivileged listener may not set verdict policies (it cannot judge at all). */
TEST(init_flags_unprivileged)
{
	int fd;

	if (geteuid() != 0)
		SKIP(return, "needs root to drop privileges");
	ASSERT_EQ(0, drop_to_nobody());
	fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID | FAN_DEADLINE, 0);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(kernel_is_stock() ? EINVAL : EPERM, errno);
	fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID | FAN_EXCLUDE_SELF, 0);
	if (kernel_is_stock()) {
		EXPECT_EQ(-1, fd);
		EXPECT_EQ(EINVAL, errno);
	} else {
		EXPECT_LE(0, fd) {
			TH_LOG("unprivileged FAN_EXCLUDE_SELF: %s", strerror(errno));
		}
	}
	if (fd >= 0)
		close(fd);
}

/* Unknown ioctls stay ENOTTY; our controls are ENOTTY on stock, EINVAL without their flag. */
TEST(ioctl_errors)
{
	struct fanotify_deadline d = { .msecs = 100, .response = FAN_ALLOW };
	int fd, pidfd;

	fd = listener(FAN_CLASS_CONTENT);
	ASSERT_LE(0, fd);
	pidfd = pidfd_of(getpid());
	ASSERT_LE(0, pidfd);

	EXPECT_EQ(-1, ioctl(fd, _IOW(FAN_IOC_MAGIC, 9, __u32), &d));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(fd, _IO(FAN_IOC_MAGIC, 1)));
	EXPECT_EQ(ENOTTY, errno);

	EXPECT_EQ(-1, ioctl(fd, FAN_IOC_SET_DEADLINE, &d));
	EXPECT_EQ(kernel_is_stock() ? ENOTTY : EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, FAN_IOC_GET_DEADLINE, &d));
	EXPECT_EQ(kernel_is_stock() ? ENOTTY : EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, FAN_IOC_EXCLUDE_PROCESS, &pidfd));
	EXPECT_EQ(kernel_is_stock() ? ENOTTY : EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, FAN_IOC_INCLUDE_PROCESS, &pidfd));
	EXPECT_EQ(kernel_is_stock() ? ENOTTY : EINVAL, errno);
	close(pidfd);
	close(fd);
}

TEST(deadline_values)
{
	struct fanotify_deadline d;
	int fd, audit_fd;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	fd = listener(FAN_CLASS_CONTENT | FAN_DEADLINE);
	ASSERT_LE(0, fd);

	/* Never set: no deadline, FAN_ALLOW. */
	memset(&d, 0xff, sizeof(d));
	ASSERT_EQ(0, ioctl(fd, FAN_IOC_GET_DEADLINE, &d));
	EXPECT_EQ(0, d.msecs);
	EXPECT_EQ(FAN_ALLOW, d.response);

	EXPECT_EQ(-1, set_deadline(fd, FAN_DEADLINE_MAX_MSECS + 1, FAN_DENY));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, set_deadline(fd, 100, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, set_deadline(fd, 100, FAN_ALLOW | FAN_DENY));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, set_deadline(fd, 100, FAN_DENY | FAN_INFO));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, set_deadline(fd, 100, FAN_DENY | 0x100));
	EXPECT_EQ(EINVAL, errno);
	/* FAN_AUDIT needs a FAN_ENABLE_AUDIT group. */
	EXPECT_EQ(-1, set_deadline(fd, 100, FAN_DENY | FAN_AUDIT));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, FAN_IOC_SET_DEADLINE, NULL));
	EXPECT_EQ(EFAULT, errno);

	/* Nothing changed by the refused calls. */
	ASSERT_EQ(0, ioctl(fd, FAN_IOC_GET_DEADLINE, &d));
	EXPECT_EQ(0, d.msecs);
	EXPECT_EQ(FAN_ALLOW, d.response);

	EXPECT_EQ(0, set_deadline(fd, FAN_DEADLINE_MAX_MSECS, FAN_DENY));
	ASSERT_EQ(0, ioctl(fd, FAN_IOC_GET_DEADLINE, &d));
	EXPECT_EQ(FAN_DEADLINE_MAX_MSECS, d.msecs);
	EXPECT_EQ(FAN_DENY, d.response);
	EXPECT_EQ(FAN_DEADLINE_MAX_MSECS, fdinfo_number(fd, "deadline-ms:"));
	EXPECT_EQ(0, fdinfo_number(fd, "expired:"));
	EXPECT_EQ(0, set_deadline(fd, 0, FAN_ALLOW));
	close(fd);

	audit_fd = listener(FAN_CLASS_CONTENT | FAN_DEADLINE | FAN_ENABLE_AUDIT);
	if (audit_fd < 0)
		return; /* no CONFIG_AUDITSYSCALL: covered by the EINVAL above */
	EXPECT_EQ(0, set_deadline(audit_fd, 100, FAN_DENY | FAN_AUDIT));
	close(audit_fd);
}

/* A listener that never reads: the unread event expires and leaves the queue. */
TEST_F(guard, deadline_unread_deny)
{
	long long start;
	long ms;
	int code, n;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, guarded_listener(self, FAN_DEADLINE));
	ASSERT_EQ(0, set_deadline(self->fan_fd, SHORT_DEADLINE_MS, FAN_DENY));

	start = now_ns();
	self->child = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, self->child);
	ms = timed_wait(self->child, start, &code);
	self->child = -1;
	ASSERT_NE(CHILD_TIMEOUT, ms);
	EXPECT_EQ(EPERM, code);
	EXPECT_LE(SHORT_DEADLINE_MS - 20, ms);
	/* The event left the queue with the access. */
	ASSERT_EQ(0, ioctl_fionread(self->fan_fd, &n));
	EXPECT_EQ(0, n);
	EXPECT_TRUE(no_event(self->fan_fd));
	EXPECT_EQ(1, fdinfo_number(self->fan_fd, "expired:"));
}

TEST_F(guard, deadline_unread_allow)
{
	long long start;
	long ms;
	int code;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, guarded_listener(self, FAN_DEADLINE));
	ASSERT_EQ(0, set_deadline(self->fan_fd, SHORT_DEADLINE_MS, FAN_ALLOW));

	start = now_ns();
	self->child = spawn_access(PERM_OP_READ, self->file);
	ASSERT_LT(0, self->child);
	ms = timed_wait(self->child, start, &code);
	self->child = -1;
	ASSERT_NE(CHILD_TIMEOUT, ms);
	EXPECT_EQ(0, code);
	EXPECT_LE(SHORT_DEADLINE_MS - 20, ms);
	EXPECT_TRUE(no_event(self->fan_fd));
	EXPECT_EQ(1, fdinfo_number(self->fan_fd, "expired:"));
}

/* Read but never answered: the policy applies, a late answer gets ETIMEDOUT. */
TEST_F(guard, deadline_read_late_answer)
{
	struct fanotify_event_metadata m;
	long long start;
	long ms;
	int code;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, guarded_listener(self, FAN_DEADLINE));
	ASSERT_EQ(0, set_deadline(self->fan_fd, SHORT_DEADLINE_MS, FAN_DENY));

	start = now_ns();
	self->child = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, self->child);
	ASSERT_EQ(0, read_one_event(self->fan_fd, &m, EVENT_TIMEOUT_MS));
	EXPECT_EQ(FAN_OPEN_PERM, m.mask);
	ms = timed_wait(self->child, start, &code);
	self->child = -1;
	ASSERT_NE(CHILD_TIMEOUT, ms);
	EXPECT_EQ(EPERM, code);
	EXPECT_LE(SHORT_DEADLINE_MS - 20, ms);

	EXPECT_EQ(-1, respond(self->fan_fd, m.fd, FAN_ALLOW));
	EXPECT_EQ(ETIMEDOUT, errno);
	/* Answered once, even if late: the fd is no longer pending. */
	EXPECT_EQ(-1, respond(self->fan_fd, m.fd, FAN_ALLOW));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(1, fdinfo_number(self->fan_fd, "expired:"));
	close(m.fd);
}

/* An answer before the deadline decides, and nothing expires. */
TEST_F(guard, deadline_answer_in_time)
{
	struct fanotify_event_metadata m;
	int code;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, guarded_listener(self, FAN_DEADLINE));
	/* Long enough that the answer always wins, even on the debug kernel. */
	ASSERT_EQ(0, set_deadline(self->fan_fd, 60000, FAN_ALLOW));

	self->child = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, self->child);
	ASSERT_EQ(0, read_one_event(self->fan_fd, &m, EVENT_TIMEOUT_MS));
	EXPECT_EQ(sizeof(struct fanotify_response), respond(self->fan_fd, m.fd, FAN_DENY));
	code = wait_child(self->child, CHILD_EXIT_TIMEOUT_MS);
	self->child = -1;
	EXPECT_EQ(EPERM, code);
	EXPECT_EQ(0, fdinfo_number(self->fan_fd, "expired:"));
	close(m.fd);
}

/* Two groups: each group's own deadline bounds its own wait. */
TEST_F(guard, deadline_two_groups)
{
	struct fanotify_event_metadata m;
	long long start;
	int other, code;
	long ms;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, guarded_listener(self, FAN_DEADLINE));
	ASSERT_EQ(0, set_deadline(self->fan_fd, SHORT_DEADLINE_MS, FAN_ALLOW));
	other = listener(FAN_CLASS_PRE_CONTENT);
	ASSERT_LE(0, other);
	ASSERT_EQ(0, sys_fanotify_mark(other, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD,
				       self->file));

	start = now_ns();
	self->child = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, self->child);
	/* The pre-content group has no deadline: the access waits for it. */
	ASSERT_EQ(0, read_one_event(other, &m, EVENT_TIMEOUT_MS));
	EXPECT_TRUE(still_blocked(self->child, SHORT_DEADLINE_MS + 200));
	EXPECT_EQ(sizeof(struct fanotify_response), respond(other, m.fd, FAN_ALLOW));
	close(m.fd);
	/* Then the content group's deadline runs out and its policy allows. */
	ms = timed_wait(self->child, start, &code);
	self->child = -1;
	ASSERT_NE(CHILD_TIMEOUT, ms);
	EXPECT_EQ(0, code);
	EXPECT_EQ(1, fdinfo_number(self->fan_fd, "expired:"));
	close(other);
}

/*
 * Deadline against answer, many rounds: the deadline allows, the listener
 * denies right at the deadline.  Whichever wins, the two ends agree: a
 * denial that was taken (write succeeds) failed the access; a late one
 * (ETIMEDOUT) did not.
 */
TEST_F_TIMEOUT(guard, deadline_races_answer, 300)
{
	struct fanotify_event_metadata m;
	int round, code, taken = 0, late = 0;
	ssize_t ret;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, guarded_listener(self, FAN_DEADLINE));
	/* One timer tick or two, depending on where in the tick it starts. */
	ASSERT_EQ(0, set_deadline(self->fan_fd, 5, FAN_ALLOW));
	for (round = 0; round < 100; round++) {
		self->child = spawn_access(PERM_OP_OPEN, self->file);
		ASSERT_LT(0, self->child);
		/* An unread event cannot outlive its 5 ms: no stale one is left. */
		if (read_one_event(self->fan_fd, &m, 500)) {
			/* Expired before we read it: allowed, and gone. */
			EXPECT_EQ(0, wait_child(self->child, CHILD_EXIT_TIMEOUT_MS));
			self->child = -1;
			continue;
		}
		/* Answer at 0, 2, 4, 6 or 8 ms: around the deadline. */
		usleep((round % 5) * 2000);
		ret = respond(self->fan_fd, m.fd, FAN_DENY);
		code = wait_child(self->child, CHILD_EXIT_TIMEOUT_MS);
		self->child = -1;
		if (ret == RESPONSE_LEN_GUARD) {
			EXPECT_EQ(EPERM, code);
			taken++;
		} else {
			EXPECT_EQ(ETIMEDOUT, errno);
			EXPECT_EQ(0, code);
			late++;
		}
		close(m.fd);
	}
	TH_LOG("%d denials taken, %d late", taken, late);
}

/* An accessor killed while its event waits on a deadline: nothing leaks, nothing expires. */
TEST_F(guard, deadline_killed_accessor)
{
	struct fanotify_event_metadata m;
	pid_t second;
	int code;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, guarded_listener(self, FAN_DEADLINE));
	ASSERT_EQ(0, set_deadline(self->fan_fd, 2000, FAN_DENY));

	/* One read, one unread, both accessors killed. */
	self->child = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, self->child);
	ASSERT_EQ(0, read_one_event(self->fan_fd, &m, EVENT_TIMEOUT_MS));
	second = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, second);
	ASSERT_EQ(0, wait_readable(self->fan_fd, EVENT_TIMEOUT_MS) > 0 ? 0 : -1);
	kill(self->child, SIGKILL);
	kill(second, SIGKILL);
	EXPECT_EQ(CHILD_SIGNALED + SIGKILL, wait_child(self->child, CHILD_EXIT_TIMEOUT_MS));
	EXPECT_EQ(CHILD_SIGNALED + SIGKILL, wait_child(second, CHILD_EXIT_TIMEOUT_MS));
	self->child = -1;
	/* The answer to the abandoned event is taken, as for any killed waiter. */
	EXPECT_EQ(sizeof(struct fanotify_response), respond(self->fan_fd, m.fd, FAN_ALLOW));
	EXPECT_TRUE(no_event(self->fan_fd));
	EXPECT_EQ(0, fdinfo_number(self->fan_fd, "expired:"));
	close(m.fd);
	/* A later access still works. */
	ASSERT_EQ(0, set_deadline(self->fan_fd, SHORT_DEADLINE_MS, FAN_ALLOW));
	self->child = spawn_access(PERM_OP_OPEN, self->file);
	code = wait_child(self->child, CEILING_MS);
	self->child = -1;
	EXPECT_EQ(0, code);
}

/*
 * A listener process holding events read and unread dies.  With fail-closed
 * every blocked access is denied; without it they are allowed (upstream).
 */
static void listener_dies(struct __test_metadata *_metadata, FIXTURE_DATA(guard) *self,
			  unsigned int flags, bool handed_on, int expect)
{
	struct fanotify_event_metadata m;
	pid_t accessors[2], holder;
	int sync[2], i;
	char c;

	ASSERT_EQ(0, pipe(sync));
	accessors[0] = -1;
	accessors[1] = -1;
	holder = fork();
	ASSERT_LE(0, holder);
	if (holder == 0) {
		int fd = listener(FAN_CLASS_CONTENT | flags);
		pid_t heir;

		if (fd < 0 || sys_fanotify_mark(fd, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD,
						self->file))
			_exit(1);
		c = 'r';
		if (write(sync[1], &c, 1) != 1)
			_exit(1);
		/* Wait for the first access and read it; leave the second unread. */
		if (read_one_event(fd, &m, EVENT_TIMEOUT_MS))
			_exit(2);
		c = 'e';
		if (write(sync[1], &c, 1) != 1)
			_exit(1);
		if (handed_on) {
			/* The heir holds the group and dies last. */
			heir = fork();
			if (heir == 0) {
				usleep(300 * 1000);
				_exit(0);
			}
		}
		pause();
		_exit(0);
	}
	ASSERT_EQ(1, read(sync[0], &c, 1));
	accessors[0] = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, accessors[0]);
	ASSERT_EQ(1, read(sync[0], &c, 1));
	ASSERT_EQ('e', c);
	accessors[1] = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, accessors[1]);
	EXPECT_TRUE(still_blocked(accessors[1], BLOCKED_MS));
	kill(holder, SIGKILL);
	EXPECT_EQ(CHILD_SIGNALED + SIGKILL, wait_child(holder, CHILD_EXIT_TIMEOUT_MS));
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(expect, wait_child(accessors[i], CEILING_MS)) {
			TH_LOG("accessor %d (%s)", i, i ? "unread" : "read");
		}
	}
	close(sync[0]);
	close(sync[1]);
}

TEST_F(guard, fail_closed_listener_killed)
{
	if (kernel_is_stock())
		SKIP(return, BEYOND);
	listener_dies(_metadata, self, FAN_FAIL_CLOSED, false, EPERM);
}

TEST_F(guard, fail_closed_fd_handed_on)
{
	if (kernel_is_stock())
		SKIP(return, BEYOND);
	listener_dies(_metadata, self, FAN_FAIL_CLOSED, true, EPERM);
}

/* Upstream behaviour, on both kernels: a dying listener allows what it held. */
TEST_F(guard, fail_open_by_default)
{
	listener_dies(_metadata, self, 0, false, 0);
}

/*
 * Accesses racing the close of a fail-closed group: denied or never asked,
 * never let through unjudged.
 */
TEST_F_TIMEOUT(guard, fail_closed_race_with_close, 120)
{
	pid_t kids[8];
	int i, code, denied = 0, allowed = 0;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, guarded_listener(self, FAN_FAIL_CLOSED));
	for (i = 0; i < ARRAY_SIZE(kids); i++) {
		kids[i] = spawn_access(PERM_OP_OPEN, self->file);
		ASSERT_LT(0, kids[i]);
	}
	/* Let some of them reach the group, then close it under them. */
	usleep(50 * 1000);
	close(self->fan_fd);
	self->fan_fd = -1;
	for (i = 0; i < ARRAY_SIZE(kids); i++) {
		code = wait_child(kids[i], CEILING_MS);
		EXPECT_TRUE(code == EPERM || code == 0) {
			TH_LOG("accessor %d: %d", i, code);
		}
		denied += code == EPERM;
		allowed += code == 0;
	}
	/* The group was gone for those that came after the close; the others were denied. */
	TH_LOG("%d denied, %d after the group was gone", denied, allowed);
	EXPECT_EQ(ARRAY_SIZE(kids), denied + allowed);
}

/* The creator's own accesses raise nothing; a forked child's do (exclusion is not inherited). */
TEST_F(guard, exclude_self_creator_and_fork)
{
	struct fanotify_event_metadata m;
	int fd, code;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	/* A deadline as a safety net: were we not excluded, our open would wait for ourselves. */
	ASSERT_EQ(0, guarded_listener(self, FAN_EXCLUDE_SELF | FAN_DEADLINE));
	ASSERT_EQ(0, set_deadline(self->fan_fd, 2000, FAN_DENY));
	fd = open(self->file, O_RDONLY);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
	EXPECT_TRUE(no_event(self->fan_fd));
	EXPECT_EQ(0, fdinfo_number(self->fan_fd, "expired:"));
	EXPECT_EQ(getpid(), fdinfo_number(self->fan_fd, "excluded-pids: "));

	self->child = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, self->child);
	ASSERT_EQ(0, read_one_event(self->fan_fd, &m, EVENT_TIMEOUT_MS));
	EXPECT_EQ(self->child, m.pid);
	EXPECT_EQ(sizeof(struct fanotify_response), respond(self->fan_fd, m.fd, FAN_ALLOW));
	code = wait_child(self->child, CHILD_EXIT_TIMEOUT_MS);
	self->child = -1;
	EXPECT_EQ(0, code);
	close(m.fd);
}

/* Notification events of the creator are excluded too (no feedback loop). */
TEST_F(guard, exclude_self_notification)
{
	struct fanotify_event_metadata m;
	pid_t pid;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	self->fan_fd = listener(FAN_CLASS_NOTIF | FAN_EXCLUDE_SELF);
	ASSERT_LE(0, self->fan_fd);
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN | FAN_CLOSE,
				       AT_FDCWD, self->file));
	ASSERT_EQ(0, open_close_file(self->file, O_RDONLY));
	EXPECT_TRUE(no_event(self->fan_fd));

	pid = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
	ASSERT_EQ(0, read_one_event(self->fan_fd, &m, EVENT_TIMEOUT_MS));
	EXPECT_EQ(pid, m.pid);
	close(m.fd);
}

/* Registering and unregistering another process through a pidfd. */
TEST_F(guard, exclude_registered_process)
{
	struct fanotify_event_metadata m;
	int pidfd, sync[2], go[2], n;
	pid_t helper;
	char c;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	self->fan_fd = listener(FAN_CLASS_NOTIF | FAN_EXCLUDE_SELF);
	ASSERT_LE(0, self->fan_fd);
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD,
				       self->file));
	ASSERT_EQ(0, pipe(sync));
	ASSERT_EQ(0, pipe(go));
	/* A helper that opens the file each time it is told to. */
	helper = fork();
	ASSERT_LE(0, helper);
	if (helper == 0) {
		close(go[1]);
		close(sync[0]);
		while (read(go[0], &c, 1) == 1) {
			if (open_close_file(self->file, O_RDONLY))
				_exit(1);
			if (write(sync[1], &c, 1) != 1)
				_exit(1);
		}
		_exit(0);
	}
	self->child = helper;
	pidfd = pidfd_of(helper);
	ASSERT_LE(0, pidfd);

	ASSERT_EQ(0, ioctl(self->fan_fd, FAN_IOC_EXCLUDE_PROCESS, &pidfd));
	EXPECT_EQ(-1, ioctl(self->fan_fd, FAN_IOC_EXCLUDE_PROCESS, &pidfd));
	EXPECT_EQ(EEXIST, errno);
	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(1, read(sync[0], &c, 1));
	EXPECT_TRUE(no_event(self->fan_fd));

	ASSERT_EQ(0, ioctl(self->fan_fd, FAN_IOC_INCLUDE_PROCESS, &pidfd));
	EXPECT_EQ(-1, ioctl(self->fan_fd, FAN_IOC_INCLUDE_PROCESS, &pidfd));
	EXPECT_EQ(ENOENT, errno);
	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(1, read(sync[0], &c, 1));
	ASSERT_EQ(0, read_one_event(self->fan_fd, &m, EVENT_TIMEOUT_MS));
	EXPECT_EQ(helper, m.pid);
	close(m.fd);

	/* Bad pidfds. */
	n = -1;
	EXPECT_EQ(-1, ioctl(self->fan_fd, FAN_IOC_EXCLUDE_PROCESS, &n));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, ioctl(self->fan_fd, FAN_IOC_EXCLUDE_PROCESS, &self->fan_fd));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(-1, ioctl(self->fan_fd, FAN_IOC_EXCLUDE_PROCESS, NULL));
	EXPECT_EQ(EFAULT, errno);

	close(go[1]);
	EXPECT_EQ(0, wait_child(helper, CHILD_EXIT_TIMEOUT_MS));
	self->child = -1;
	/* A pidfd of a process that has exited (and been reaped) names nobody. */
	EXPECT_EQ(-1, ioctl(self->fan_fd, FAN_IOC_EXCLUDE_PROCESS, &pidfd));
	EXPECT_EQ(ESRCH, errno);
	close(pidfd);
	close(go[0]);
	close(sync[0]);
	close(sync[1]);
}

/* The table of excluded processes is bounded: the creator plus 15 others. */
TEST_F(guard, exclude_table_full)
{
	pid_t kids[16];
	int pidfds[16], i;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	self->fan_fd = listener(FAN_CLASS_NOTIF | FAN_EXCLUDE_SELF);
	ASSERT_LE(0, self->fan_fd);
	for (i = 0; i < ARRAY_SIZE(kids); i++) {
		kids[i] = fork();
		ASSERT_LE(0, kids[i]);
		if (kids[i] == 0) {
			pause();
			_exit(0);
		}
		pidfds[i] = pidfd_of(kids[i]);
		ASSERT_LE(0, pidfds[i]);
	}
	for (i = 0; i < 15; i++)
		EXPECT_EQ(0, ioctl(self->fan_fd, FAN_IOC_EXCLUDE_PROCESS, &pidfds[i]));
	EXPECT_EQ(-1, ioctl(self->fan_fd, FAN_IOC_EXCLUDE_PROCESS, &pidfds[15]));
	EXPECT_EQ(ENOSPC, errno);
	/* A free slot makes room again. */
	EXPECT_EQ(0, ioctl(self->fan_fd, FAN_IOC_INCLUDE_PROCESS, &pidfds[3]));
	EXPECT_EQ(0, ioctl(self->fan_fd, FAN_IOC_EXCLUDE_PROCESS, &pidfds[15]));
	for (i = 0; i < ARRAY_SIZE(kids); i++) {
		kill_child(kids[i]);
		close(pidfds[i]);
	}
}

/*
 * A daemon that logs every verdict to a file inside the tree it guards.  Excluded, it serves
 * 1,000 accesses; not excluded, its own log write waits for itself until the deadline.
 */
static int serve_with_log(struct __test_metadata *_metadata, FIXTURE_DATA(guard) *self,
			  int accesses)
{
	struct fanotify_event_metadata m;
	char log[FILE_PATH_LEN];
	int served = 0, logfd, code;
	pid_t pid;

	snprintf(log, sizeof(log), "%s/verdicts.log", self->dir);
	pid = fork();
	if (pid == 0) {
		int i;

		syscall(__NR_close_range, 3, ~0U, 0);
		for (i = 0; i < accesses; i++)
			if (open_close_file(self->file, O_RDONLY))
				_exit(errno);
		_exit(0);
	}
	if (pid < 0)
		return -1;
	self->child = pid;
	while (served < accesses) {
		if (read_one_event(self->fan_fd, &m, CEILING_MS))
			break;
		/* Every verdict is logged, in the guarded tree. */
		logfd = open(log, O_WRONLY | O_APPEND | O_CREAT, 0644);
		if (logfd >= 0) {
			dprintf(logfd, "allow pid %d\n", m.pid);
			close(logfd);
		}
		/* A verdict that comes after the deadline is refused: it is late, not lost. */
		if (respond(self->fan_fd, m.fd, FAN_ALLOW) != sizeof(struct fanotify_response) &&
		    errno != ETIMEDOUT)
			break;
		close(m.fd);
		served++;
	}
	code = wait_child(pid, CEILING_MS);
	self->child = -1;
	EXPECT_EQ(0, code);
	return served;
}

TEST_F_TIMEOUT(guard, exclude_self_logging_daemon, 600)
{
	int accesses = 1000;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	self->fan_fd = listener(FAN_CLASS_CONTENT | FAN_EXCLUDE_SELF | FAN_DEADLINE);
	ASSERT_LE(0, self->fan_fd);
	ASSERT_EQ(0, set_deadline(self->fan_fd, 5000, FAN_DENY));
	/* The whole tree is guarded: a filesystem mark. */
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
				       FAN_OPEN_PERM, AT_FDCWD, self->dir));
	EXPECT_EQ(accesses, serve_with_log(_metadata, self, accesses));
	EXPECT_EQ(0, fdinfo_number(self->fan_fd, "expired:"));
}

TEST_F_TIMEOUT(guard, logging_daemon_hangs_without_exclusion, 120)
{
	long long start;
	long ms;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	self->fan_fd = listener(FAN_CLASS_CONTENT | FAN_DEADLINE);
	ASSERT_LE(0, self->fan_fd);
	ASSERT_EQ(0, set_deadline(self->fan_fd, SHORT_DEADLINE_MS, FAN_ALLOW));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
				       FAN_OPEN_PERM, AT_FDCWD, self->dir));
	/*
	 * Each log write waits for the daemon itself, so each verdict costs a deadline (and the
	 * access it was for times out meanwhile too).
	 */
	start = now_ns();
	EXPECT_EQ(3, serve_with_log(_metadata, self, 3));
	ms = (now_ns() - start) / 1000000;
	EXPECT_LE(3 * (SHORT_DEADLINE_MS - 20), ms);
	EXPECT_LE(3, fdinfo_number(self->fan_fd, "expired:"));
}

/* Reads the kernel log and tells whether @needle is in it. */
static bool kernel_log_has(const char *needle)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	bool found = false;
	char *buf;

	if (len <= 0)
		return false;
	buf = malloc(len + 1);
	if (!buf)
		return false;
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	if (len > 0) {
		buf[len] = '\0';
		found = strstr(buf, needle);
	}
	free(buf);
	return found;
}

/* fs.fanotify.watchdog_timeout names the listener that sits on a read event. */
TEST_F_TIMEOUT(guard, watchdog_names_slow_listener, 120)
{
	struct fanotify_event_metadata m;
	char needle[64];
	int code, i;

	if (access(WATCHDOG_SYSCTL, F_OK))
		SKIP(return, "no fs.fanotify.watchdog_timeout (upstream before 6.18)");
	ASSERT_EQ(0, sysctl_read(WATCHDOG_SYSCTL, &self->saved_watchdog));
	self->restore_watchdog = true;
	ASSERT_EQ(0, sysctl_write(WATCHDOG_SYSCTL, 1));
	ASSERT_EQ(0, guarded_listener(self, 0));

	self->child = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, self->child);
	ASSERT_EQ(0, read_one_event(self->fan_fd, &m, EVENT_TIMEOUT_MS));
	snprintf(needle, sizeof(needle), "PID %d (", getpid());
	/* Reported after one to two timeouts; give the emulated guest room. */
	for (i = 0; i < 100 && !kernel_log_has(needle); i++)
		usleep(100 * 1000);
	EXPECT_TRUE(kernel_log_has(needle));
	EXPECT_TRUE(kernel_log_has("failed to respond to fanotify queue"));
	/* It changed nothing: the access still waits for our verdict. */
	EXPECT_TRUE(still_blocked(self->child, 10));
	EXPECT_EQ(sizeof(struct fanotify_response), respond(self->fan_fd, m.fd, FAN_DENY));
	code = wait_child(self->child, CHILD_EXIT_TIMEOUT_MS);
	self->child = -1;
	EXPECT_EQ(EPERM, code);
	close(m.fd);
}

TEST(watchdog_sysctl_values)
{
	long saved, val;

	if (access(WATCHDOG_SYSCTL, F_OK))
		SKIP(return, "no fs.fanotify.watchdog_timeout (upstream before 6.18)");
	ASSERT_EQ(0, sysctl_read(WATCHDOG_SYSCTL, &saved));
	EXPECT_EQ(-1, sysctl_write(WATCHDOG_SYSCTL, -1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, sysctl_write(WATCHDOG_SYSCTL, 7));
	ASSERT_EQ(0, sysctl_read(WATCHDOG_SYSCTL, &val));
	EXPECT_EQ(7, val);
	EXPECT_EQ(0, sysctl_write(WATCHDOG_SYSCTL, saved));
}

TEST_HARNESS_MAIN
