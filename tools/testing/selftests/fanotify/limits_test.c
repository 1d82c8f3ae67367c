// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify limits: the event queue limit and its overflow record, FAN_UNLIMITED_QUEUE, the per
 * user group and mark limits, their sysctls and FAN_UNLIMITED_* privileges.
 *
 * Behaviour reference: upstream 6.12 fanotify_init() (max_events taken at init),
 * fanotify_add_new_mark() (ENOSPC), fanotify_alloc_overflow_event() and copy_event_to_user() in
 * fs/notify/fanotify/fanotify_user.c; fsnotify_insert_event() in fs/notify/notification.c (a
 * single overflow event); the fs.fanotify sysctls of fanotify_user.c, which are the ucount limits
 * of the initial user namespace, also exposed as user.max_fanotify_{groups,marks} by
 * kernel/ucount.c.
 *
 * The sysctls are global: every test saves them in setup, restores them in teardown and keeps
 * the window with a lowered limit short.
 */

#include <sys/wait.h>

#include "common.h"

#define SYSCTL_QUEUED "/proc/sys/fs/fanotify/max_queued_events"
#define SYSCTL_GROUPS "/proc/sys/fs/fanotify/max_user_groups"
#define SYSCTL_MARKS "/proc/sys/fs/fanotify/max_user_marks"
#define UCOUNT_GROUPS "/proc/sys/user/max_fanotify_groups"
#define UCOUNT_MARKS "/proc/sys/user/max_fanotify_marks"

#define CAP_SYS_RESOURCE_BIT 24

/* Whether the calling process has capability @bit in its effective set. */
static bool has_cap(int bit)
{
	unsigned long long eff = 0;
	char line[256];
	bool found = false;
	FILE *f;

	f = fopen("/proc/self/status", "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1) {
			found = true;
			break;
		}
	fclose(f);
	return found && (eff >> bit) & 1;
}

#define MAX_FILES 64
#define MAX_GROUPS 64

FIXTURE(lim)
{
	char dir[DIR_PATH_LEN];
	long saved_queued, saved_groups, saved_marks;
	bool saved;
	int fan_fd;
};

static void lim_world_setup(struct __test_metadata *const _metadata, FIXTURE_DATA(lim) *self)
{
	char path[FILE_PATH_LEN];
	int i;

	self->fan_fd = -1;
	self->saved = false;
	self->dir[0] = '\0';
	ASSERT_EQ(0, sysctl_read(SYSCTL_QUEUED, &self->saved_queued));
	ASSERT_EQ(0, sysctl_read(SYSCTL_GROUPS, &self->saved_groups));
	ASSERT_EQ(0, sysctl_read(SYSCTL_MARKS, &self->saved_marks));
	self->saved = true;
	ASSERT_EQ(0, setup_private_tmpfs(self->dir));
	for (i = 0; i < MAX_FILES; i++) {
		snprintf(path, sizeof(path), "%s/f%d", self->dir, i);
		ASSERT_EQ(0, create_file(path, "x"));
	}
}

static void restore_sysctls(struct __test_metadata *const _metadata, FIXTURE_DATA(lim) *self)
{
	if (!self->saved)
		return;
	EXPECT_EQ(0, sysctl_write(SYSCTL_QUEUED, self->saved_queued));
	EXPECT_EQ(0, sysctl_write(SYSCTL_GROUPS, self->saved_groups));
	EXPECT_EQ(0, sysctl_write(SYSCTL_MARKS, self->saved_marks));
}

/*
 * Runs in the parent of the test process (FIXTURE_TEARDOWN_PARENT) so that the sysctls are
 * restored even when the test dies.  The tmpfs was only mounted in the test process's mount
 * namespace, which is gone: only the directory is left to remove.  The test process's fds died
 * with it.
 */
static void lim_world_teardown(struct __test_metadata *const _metadata, FIXTURE_DATA(lim) *self)
{
	restore_sysctls(_metadata, self);
	if (self->dir[0])
		EXPECT_EQ(0, rmdir(self->dir));
}

FIXTURE_SETUP(lim)
{
	lim_world_setup(_metadata, self);
}

FIXTURE_TEARDOWN_PARENT(lim)
{
	lim_world_teardown(_metadata, self);
}

static void file_path(FIXTURE_DATA(lim) *self, int i, char *buf)
{
	snprintf(buf, FILE_PATH_LEN, "%s/f%d", self->dir, i);
}

/* Opens and closes f0..f(n-1): n FAN_OPEN events on distinct objects (never merged). */
static int open_files(FIXTURE_DATA(lim) *self, int n)
{
	char path[FILE_PATH_LEN];
	int i;

	for (i = 0; i < n; i++) {
		file_path(self, i, path);
		if (open_close_file(path, O_RDONLY))
			return -1;
	}
	return 0;
}

/* Counts of what a drained queue contained. */
struct drained {
	int opens;
	int overflows;
	int others;
	/* Index of the overflow record among all records (-1: none). */
	int overflow_pos;
	bool overflow_ok;
};

static int drain(int fan_fd, struct drained *d)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	int n = 0;
	ssize_t len;

	memset(d, 0, sizeof(*d));
	d->overflow_pos = -1;
	for (;;) {
		const struct fanotify_event_metadata *m = (void *)buf;

		len = read_events(fan_fd, buf, n ? 0 : EVENT_TIMEOUT_MS);
		if (len < 0)
			return -1;
		if (len == 0)
			return 0;
		for (; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len), n++) {
			if (m->mask == FAN_Q_OVERFLOW) {
				d->overflows++;
				d->overflow_pos = n;
				/* No object, no process. */
				d->overflow_ok = m->fd == FAN_NOFD && m->pid == 0 &&
						 m->event_len == FAN_EVENT_METADATA_LEN &&
						 m->vers == FANOTIFY_METADATA_VERSION;
			} else if (m->mask == FAN_OPEN && m->fd >= 0 && m->pid == getpid()) {
				d->opens++;
			} else {
				d->others++;
			}
			if (m->fd >= 0)
				close(m->fd);
		}
	}
}

/* Overflow of the event queue. */
FIXTURE(queue)
{
	FIXTURE_DATA(lim) w;
};

FIXTURE_SETUP(queue)
{
	lim_world_setup(_metadata, &self->w);
}

FIXTURE_TEARDOWN_PARENT(queue)
{
	lim_world_teardown(_metadata, &self->w);
}

FIXTURE_VARIANT(queue)
{
	int max_queued;
	int events;
	bool unlimited;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(queue, queue_1_events_2) {
	/* clang-format on */
	.max_queued = 1, .events = 2,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(queue, queue_8_events_9) {
	/* clang-format on */
	.max_queued = 8, .events = 9,
};

/* However many events are lost, there is a single overflow record. */
/* clang-format off */
FIXTURE_VARIANT_ADD(queue, queue_8_events_60) {
	/* clang-format on */
	.max_queued = 8, .events = 60,
};

/* Exactly full: no overflow. */
/* clang-format off */
FIXTURE_VARIANT_ADD(queue, queue_16_events_16) {
	/* clang-format on */
	.max_queued = 16, .events = 16,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(queue, unlimited_queue) {
	/* clang-format on */
	.max_queued = 8, .events = 60, .unlimited = true,
};

TEST_F(queue, overflow)
{
	FIXTURE_DATA(lim) *w = &self->w;
	int expected_records, n = -1;
	struct drained d;

	ASSERT_EQ(0, sysctl_write(SYSCTL_QUEUED, variant->max_queued));
	w->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK |
					 (variant->unlimited ? FAN_UNLIMITED_QUEUE : 0),
					 O_RDONLY | O_CLOEXEC);
	/* The group took the limit at creation: restore the sysctl right away. */
	ASSERT_EQ(0, sysctl_write(SYSCTL_QUEUED, w->saved_queued));
	ASSERT_LE(0, w->fan_fd);
	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD, FAN_OPEN | FAN_EVENT_ON_CHILD,
				       AT_FDCWD, w->dir));

	ASSERT_EQ(0, open_files(w, variant->events));
	if (variant->unlimited || variant->events <= variant->max_queued)
		expected_records = variant->events;
	else
		expected_records = variant->max_queued + 1;
	ASSERT_EQ(0, ioctl_fionread(w->fan_fd, &n));
	EXPECT_EQ(expected_records * FAN_EVENT_METADATA_LEN, n);

	ASSERT_EQ(0, drain(w->fan_fd, &d));
	EXPECT_EQ(0, d.others);
	if (variant->unlimited || variant->events <= variant->max_queued) {
		EXPECT_EQ(variant->events, d.opens);
		EXPECT_EQ(0, d.overflows);
	} else {
		EXPECT_EQ(variant->max_queued, d.opens);
		EXPECT_EQ(1, d.overflows);
		/* The overflow record comes after the queued events. */
		EXPECT_EQ(variant->max_queued, d.overflow_pos);
		EXPECT_TRUE(d.overflow_ok);
	}

	/* Once the queue is read, events are queued again. */
	ASSERT_EQ(0, open_files(w, 1));
	ASSERT_EQ(0, drain(w->fan_fd, &d));
	EXPECT_EQ(1, d.opens);
	EXPECT_EQ(0, d.overflows);
	EXPECT_EQ(0, d.others);
}

/* The overflow record is not merged with anything and is queued again after being read. */
TEST_F(lim, overflow_twice)
{
	struct drained d;
	int round;

	ASSERT_EQ(0, sysctl_write(SYSCTL_QUEUED, 2));
	self->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
					 O_RDONLY | O_CLOEXEC);
	ASSERT_EQ(0, sysctl_write(SYSCTL_QUEUED, self->saved_queued));
	ASSERT_LE(0, self->fan_fd);
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN | FAN_EVENT_ON_CHILD,
				       AT_FDCWD, self->dir));
	for (round = 0; round < 2; round++) {
		ASSERT_EQ(0, open_files(self, 5));
		ASSERT_EQ(0, drain(self->fan_fd, &d));
		EXPECT_EQ(2, d.opens);
		EXPECT_EQ(1, d.overflows);
		EXPECT_EQ(2, d.overflow_pos);
		EXPECT_TRUE(d.overflow_ok);
		EXPECT_EQ(0, d.others);
	}
}

/* Changing the sysctl does not change the limit of an existing group. */
TEST_F(lim, queue_limit_taken_at_init)
{
	struct drained d;

	self->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
					 O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fan_fd);
	ASSERT_EQ(0, sysctl_write(SYSCTL_QUEUED, 2));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN | FAN_EVENT_ON_CHILD,
				       AT_FDCWD, self->dir));
	ASSERT_EQ(0, open_files(self, 10));
	ASSERT_EQ(0, sysctl_write(SYSCTL_QUEUED, self->saved_queued));
	ASSERT_EQ(0, drain(self->fan_fd, &d));
	if (self->saved_queued >= 10) {
		EXPECT_EQ(10, d.opens);
		EXPECT_EQ(0, d.overflows);
	}
	EXPECT_EQ(0, d.others);
}

/* Retries fanotify_init() for up to a second: a closed group may be freed a bit later. */
static int init_retry(bool expect_ok)
{
	int i, fd = -1;

	for (i = 0; i < 100; i++) {
		fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
		if (expect_ok ? fd >= 0 : fd < 0)
			break;
		if (fd >= 0)
			close(fd);
		usleep(10 * 1000);
	}
	return fd;
}

TEST_F(lim, max_user_groups)
{
	int fds[MAX_GROUPS + 3];
	int i, n = 0, fd;

	/* Limit 0: nobody of this user may create a group. */
	ASSERT_EQ(0, sysctl_write(SYSCTL_GROUPS, 0));
	fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EMFILE, errno);
	if (fd >= 0)
		close(fd);

	/* Other groups of this user may exist: count how many more we may create. */
	ASSERT_EQ(0, sysctl_write(SYSCTL_GROUPS, MAX_GROUPS));
	while (n < MAX_GROUPS + 1) {
		fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
		if (fd < 0)
			break;
		fds[n++] = fd;
	}
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EMFILE, errno);
	EXPECT_GE(MAX_GROUPS, n);
	/* FAN_UNLIMITED_MARKS and FAN_UNLIMITED_QUEUE do not lift the group limit. */
	EXPECT_EQ(-1, sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_UNLIMITED_QUEUE |
					FAN_UNLIMITED_MARKS, O_RDONLY));
	EXPECT_EQ(EMFILE, errno);

	if (n > 0) {
		/* Closing a group gives back its slot. */
		EXPECT_EQ(0, close(fds[--n]));
		fds[n] = init_retry(true);
		EXPECT_LE(0, fds[n]);
		if (fds[n] >= 0)
			n++;
		EXPECT_EQ(-1, sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY));
		EXPECT_EQ(EMFILE, errno);

		/* Raising the limit by 2 allows exactly 2 more groups. */
		ASSERT_EQ(0, sysctl_write(SYSCTL_GROUPS, MAX_GROUPS + 2));
		for (i = 0; i < 2; i++) {
			fds[n] = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
			EXPECT_LE(0, fds[n]);
			if (fds[n] >= 0)
				n++;
		}
		EXPECT_EQ(-1, sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY));
		EXPECT_EQ(EMFILE, errno);
	} else {
		TH_LOG("this user already has %d or more fanotify groups", MAX_GROUPS);
	}

	/* Lowering the limit below the usage keeps the existing groups working. */
	ASSERT_EQ(0, sysctl_write(SYSCTL_GROUPS, 0));
	if (n > 0)
		EXPECT_EQ(0, sys_fanotify_mark(fds[0], FAN_MARK_ADD, FAN_OPEN, AT_FDCWD,
					       self->dir));
	ASSERT_EQ(0, sysctl_write(SYSCTL_GROUPS, self->saved_groups));
	for (i = 0; i < n; i++)
		EXPECT_EQ(0, close(fds[i]));
}

TEST_F(lim, max_user_marks)
{
	char path[FILE_PATH_LEN];
	int unlimited, i, n = 0, ret = 0;

	self->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
					 O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fan_fd);
	unlimited = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK |
				      FAN_UNLIMITED_MARKS, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, unlimited);
	/* A mark created before the limit is lowered. */
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD,
				       self->dir));

	ASSERT_EQ(0, sysctl_write(SYSCTL_MARKS, 0));
	file_path(self, 0, path);
	EXPECT_EQ(-1, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, path));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(-1, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN,
					AT_FDCWD, path));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(-1, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK,
					FAN_OPEN, AT_FDCWD, path));
	EXPECT_EQ(ENOSPC, errno);
	/* Updating an existing mark allocates nothing. */
	EXPECT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_CLOSE, AT_FDCWD,
				       self->dir));
	/* FAN_UNLIMITED_MARKS groups are not limited. */
	EXPECT_EQ(0, sys_fanotify_mark(unlimited, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, path));
	EXPECT_EQ(0, sys_fanotify_mark(unlimited, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_OPEN,
				       AT_FDCWD, path));

	/* Count how many marks we may add with the limit at MAX_FILES / 2. */
	ASSERT_EQ(0, sysctl_write(SYSCTL_MARKS, MAX_FILES / 2));
	for (i = 0; i < MAX_FILES; i++) {
		file_path(self, i, path);
		ret = sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, path);
		if (ret)
			break;
		n++;
	}
	EXPECT_EQ(-1, ret);
	EXPECT_EQ(ENOSPC, errno);
	/* Our own directory mark counts. */
	EXPECT_GT(MAX_FILES / 2, n);
	if (n > 0) {
		/* Removing a mark gives back its slot. */
		file_path(self, 0, path);
		EXPECT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD,
					       path));
		EXPECT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD,
					       path));
		file_path(self, n, path);
		EXPECT_EQ(-1, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD,
						path));
		EXPECT_EQ(ENOSPC, errno);

		/* Raising the limit by 2 allows exactly 2 more marks. */
		ASSERT_EQ(0, sysctl_write(SYSCTL_MARKS, MAX_FILES / 2 + 2));
		for (i = n; i < n + 2; i++) {
			file_path(self, i, path);
			EXPECT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN,
						       AT_FDCWD, path));
		}
		file_path(self, n + 2, path);
		EXPECT_EQ(-1, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD,
						path));
		EXPECT_EQ(ENOSPC, errno);
	} else {
		TH_LOG("this user already has %d or more fanotify marks", MAX_FILES / 2);
	}

	/* Closing the group gives back all its marks. */
	EXPECT_EQ(0, close(self->fan_fd));
	self->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
					 O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fan_fd);
	if (n > 0) {
		for (i = 0; i < n; i++) {
			file_path(self, i, path);
			ret = sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD,
						path);
			if (ret)
				break;
		}
		EXPECT_EQ(0, ret);
	}
	ASSERT_EQ(0, sysctl_write(SYSCTL_MARKS, self->saved_marks));
	EXPECT_EQ(0, close(unlimited));
}

/* fs.fanotify.max_user_{groups,marks} and user.max_fanotify_{groups,marks} are one value each. */
FIXTURE(mirror)
{
	long saved;
	bool saved_ok;
};

FIXTURE_VARIANT(mirror)
{
	const char *fs_sysctl;
	const char *user_sysctl;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mirror, groups) {
	/* clang-format on */
	.fs_sysctl = SYSCTL_GROUPS, .user_sysctl = UCOUNT_GROUPS,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(mirror, marks) {
	/* clang-format on */
	.fs_sysctl = SYSCTL_MARKS, .user_sysctl = UCOUNT_MARKS,
};

FIXTURE_SETUP(mirror)
{
	self->saved_ok = false;
	ASSERT_EQ(0, sysctl_read(variant->fs_sysctl, &self->saved));
	self->saved_ok = true;
}

FIXTURE_TEARDOWN_PARENT(mirror)
{
	if (self->saved_ok)
		EXPECT_EQ(0, sysctl_write(variant->fs_sysctl, self->saved));
}

TEST_F(mirror, same_value)
{
	long a = -1, b = -2;

	ASSERT_EQ(0, sysctl_read(variant->fs_sysctl, &a));
	ASSERT_EQ(0, sysctl_read(variant->user_sysctl, &b));
	EXPECT_EQ(a, b);
	EXPECT_LT(0, a);

	ASSERT_EQ(0, sysctl_write(variant->fs_sysctl, self->saved + 7));
	EXPECT_EQ(0, sysctl_read(variant->user_sysctl, &b));
	EXPECT_EQ(self->saved + 7, b);

	/*
	 * Writing the user.* files needs CAP_SYS_RESOURCE (set_permissions() in kernel/ucount.c),
	 * the fs.fanotify ones only need the file mode (0644, root).
	 */
	if (has_cap(CAP_SYS_RESOURCE_BIT)) {
		EXPECT_EQ(0, sysctl_write(variant->user_sysctl, self->saved + 3));
		EXPECT_EQ(0, sysctl_read(variant->fs_sysctl, &a));
		EXPECT_EQ(self->saved + 3, a);
		EXPECT_EQ(-1, sysctl_write(variant->user_sysctl, -1));
		EXPECT_EQ(EINVAL, errno);
	} else {
		TH_LOG("no CAP_SYS_RESOURCE: user.* sysctls not written");
		EXPECT_EQ(-1, sysctl_write(variant->user_sysctl, self->saved + 3));
		EXPECT_EQ(EACCES, errno);
		EXPECT_EQ(0, sysctl_write(variant->fs_sysctl, self->saved + 3));
	}

	/* Negative values are refused (proc_doulongvec_minmax with a minimum of 0). */
	EXPECT_EQ(-1, sysctl_write(variant->fs_sysctl, -1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, sysctl_read(variant->fs_sysctl, &a));
	EXPECT_EQ(self->saved + 3, a);

	/* 0 is a valid limit. */
	EXPECT_EQ(0, sysctl_write(variant->fs_sysctl, 0));
	EXPECT_EQ(0, sysctl_read(variant->user_sysctl, &b));
	EXPECT_EQ(0, b);
	EXPECT_EQ(0, sysctl_write(variant->fs_sysctl, self->saved));
}

/* The sysctls exist and hold positive values (the defaults are not asserted). */
TEST(sysctl_values)
{
	static const char * const files[] = {
		SYSCTL_QUEUED, SYSCTL_GROUPS, SYSCTL_MARKS, UCOUNT_GROUPS, UCOUNT_MARKS,
	};
	long v;
	int i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		v = -1;
		EXPECT_EQ(0, sysctl_read(files[i], &v)) TH_LOG("%s", files[i]);
		EXPECT_LT(0, v) TH_LOG("%s", files[i]);
		EXPECT_GE(INT_MAX, v) TH_LOG("%s", files[i]);
	}
}

TEST(max_queued_events_negative)
{
	long saved, v;

	ASSERT_EQ(0, sysctl_read(SYSCTL_QUEUED, &saved));
	EXPECT_EQ(-1, sysctl_write(SYSCTL_QUEUED, -5));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, sysctl_read(SYSCTL_QUEUED, &v));
	EXPECT_EQ(saved, v);
	if (v != saved)
		sysctl_write(SYSCTL_QUEUED, saved);
}

/* FAN_UNLIMITED_QUEUE and FAN_UNLIMITED_MARKS need CAP_SYS_ADMIN; so do the sysctls. */
FIXTURE(unpriv) {};

FIXTURE_VARIANT(unpriv)
{
	unsigned int init_flags;
	const char *sysctl;
	int expected_errno;
};

FIXTURE_SETUP(unpriv)
{
}

FIXTURE_TEARDOWN(unpriv)
{
}

/* clang-format off */
FIXTURE_VARIANT_ADD(unpriv, unlimited_queue) {
	/* clang-format on */
	.init_flags = FAN_CLASS_NOTIF | FAN_UNLIMITED_QUEUE, .expected_errno = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(unpriv, unlimited_marks) {
	/* clang-format on */
	.init_flags = FAN_CLASS_NOTIF | FAN_UNLIMITED_MARKS, .expected_errno = EPERM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(unpriv, write_max_queued_events) {
	/* clang-format on */
	.sysctl = SYSCTL_QUEUED, .expected_errno = EACCES,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(unpriv, write_max_user_marks) {
	/* clang-format on */
	.sysctl = SYSCTL_MARKS, .expected_errno = EACCES,
};

TEST_F(unpriv, fails)
{
	long cur = 0;
	int status;
	pid_t pid;

	/* Write the current value: harmless should the write succeed. */
	if (variant->sysctl)
		ASSERT_EQ(0, sysctl_read(variant->sysctl, &cur));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int ret;

		if (drop_to_nobody())
			_exit(100);
		if (variant->sysctl)
			ret = sysctl_write(variant->sysctl, cur);
		else
			ret = sys_fanotify_init(variant->init_flags, O_RDONLY);
		_exit(ret >= 0 ? 0 : errno);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(variant->expected_errno, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
