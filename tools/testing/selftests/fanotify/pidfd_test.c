// SPDX-License-Identifier: GPL-2.0
/*
 * FAN_REPORT_PIDFD and FAN_REPORT_TID: the pidfd info record (layout, place among the records,
 * event_len), the pidfd itself (close-on-exec, O_RDWR, names the acting thread-group leader),
 * FAN_NOPIDFD / FAN_EPIDFD and their FAN_REPORT_FD_ERROR counterparts, pid namespaces, the
 * FAN_REPORT_PIDFD / FAN_REPORT_TID exclusion, thread ids and the absence of fd leaks.
 *
 * Behaviour reference: upstream 6.12 fanotify_init() and copy_event_to_user(),
 * copy_info_records_to_user(), copy_pidfd_info_to_user() and fanotify_event_len() in
 * fs/notify/fanotify/fanotify_user.c; fanotify_alloc_event() in fanotify.c (event->pid is the
 * thread-group leader's pid unless FAN_REPORT_TID); pidfd_prepare() in kernel/fork.c (the fd is
 * reserved with O_CLOEXEC, the file is O_RDWR) and pidfd_show_fdinfo() in kernel/pid.c.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "common.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

#define PIDFD_INFO_LEN ((int)sizeof(struct fanotify_event_info_pidfd))

static int sys_pidfd_send_signal(int pidfd, int sig)
{
	return syscall(__NR_pidfd_send_signal, pidfd, sig, NULL, 0);
}

/* The "Pid:" line of a pidfd's fdinfo: the pid it refers to, -1 once reaped, -2 on error. */
static int pidfd_fdinfo_pid(int pidfd)
{
	char path[64], line[256];
	int pid = -2;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	f = fopen(path, "re");
	if (!f)
		return -2;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Pid: %d", &pid) == 1)
			break;
	fclose(f);
	return pid;
}

/* Returns the info record of @type in event @m, or NULL. */
static const struct fanotify_event_info_header *
find_record(const struct fanotify_event_metadata *m, int type)
{
	const char *p = (const char *)m + m->metadata_len;
	const char *end = (const char *)m + m->event_len;

	while (p + sizeof(struct fanotify_event_info_header) <= end) {
		const struct fanotify_event_info_header *h = (const void *)p;

		if (h->len < sizeof(*h) || p + h->len > end)
			return NULL;
		if (h->info_type == type)
			return h;
		p += h->len;
	}
	return NULL;
}

/* Counts the info records of event @m; -1 if they do not tile event_len exactly. */
static int count_records(const struct fanotify_event_metadata *m)
{
	const char *p = (const char *)m + m->metadata_len;
	const char *end = (const char *)m + m->event_len;
	int n = 0;

	while (p < end) {
		const struct fanotify_event_info_header *h = (const void *)p;

		if (p + sizeof(*h) > end || h->len < sizeof(*h) || p + h->len > end)
			return -1;
		p += h->len;
		n++;
	}
	return n;
}

/* The pidfd carried by event @m, or INT_MIN if it has no pidfd record. */
static int event_pidfd(const struct fanotify_event_metadata *m)
{
	const struct fanotify_event_info_pidfd *r = (const void *)find_record(m,
									FAN_EVENT_INFO_TYPE_PIDFD);

	if (!r || r->hdr.len != PIDFD_INFO_LEN)
		return INT_MIN;
	return r->pidfd;
}

FIXTURE(pidfd)
{
	char dir[DIR_PATH_LEN];
	char file[FILE_PATH_LEN];
	int fan_fd;
};

FIXTURE_SETUP(pidfd)
{
	self->fan_fd = -1;
	ASSERT_EQ(0, make_temp_dir(self->dir));
	snprintf(self->file, sizeof(self->file), "%s/file", self->dir);
	ASSERT_EQ(0, create_file(self->file, "pidfd\n"));
}

FIXTURE_TEARDOWN(pidfd)
{
	if (self->fan_fd >= 0)
		close(self->fan_fd);
	EXPECT_EQ(0, remove_tree(self->dir));
}

static int init_mark(FIXTURE_DATA(pidfd) *self, unsigned int flags, uint64_t mask)
{
	self->fan_fd = sys_fanotify_init(flags | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY | O_CLOEXEC);
	if (self->fan_fd < 0)
		return -1;
	return sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, mask, AT_FDCWD, self->file);
}

/* Reads the queue into @buf; returns the byte count (0 if nothing came). */
static ssize_t read_all(int fan_fd, char *buf)
{
	ssize_t len = read_events(fan_fd, buf, EVENT_TIMEOUT_MS);

	return len < 0 ? -1 : len;
}

/* Closes the event fd and a valid pidfd of every event in @buf. */
static void close_event_fds(char *buf, ssize_t len)
{
	const struct fanotify_event_metadata *m = (void *)buf;

	for (; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
		int pidfd = event_pidfd(m);

		if (m->fd >= 0)
			close(m->fd);
		if (pidfd >= 0)
			close(pidfd);
	}
}

/* Forks a child that opens @path, then exits; returns its pid (not reaped). */
static pid_t child_opens(const char *path)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(open_close_file(path, O_RDONLY) ? 1 : 0);
	return pid;
}

/* FAN_REPORT_PIDFD and FAN_REPORT_TID are exclusive: a pidfd names a thread-group leader. */

TEST(init_pidfd_with_tid)
{
	int fd;

	fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_PIDFD | FAN_REPORT_TID, 0);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID | FAN_REPORT_PIDFD | FAN_REPORT_TID,
			       0);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	/* Either alone is fine, in both reporting modes. */
	fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_PIDFD, 0);
	ASSERT_LE(0, fd);
	close(fd);
	fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_PIDFD | FAN_REPORT_FID, 0);
	ASSERT_LE(0, fd);
	close(fd);
	fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_TID | FAN_REPORT_FID, 0);
	ASSERT_LE(0, fd);
	close(fd);
}

/* The pidfd mode is visible in fdinfo's flags like any other init flag. */
TEST(fdinfo_flags)
{
	char path[64], line[256];
	unsigned int flags = 0;
	bool found = false;
	FILE *f;
	int fd;

	fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_PIDFD, 0);
	ASSERT_LE(0, fd);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "fanotify flags:%x", &flags) == 1)
			found = true;
	fclose(f);
	close(fd);
	ASSERT_TRUE(found);
	EXPECT_EQ(FAN_REPORT_PIDFD, flags);
}

/* fd mode: metadata, then one pidfd record; the pidfd names the reader's own process. */
TEST_F(pidfd, fd_mode_own_event)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	const struct fanotify_event_info_pidfd *r;
	int before, pidfd, fl;
	ssize_t len;

	before = count_open_fds();
	ASSERT_EQ(0, init_mark(self, FAN_CLASS_NOTIF | FAN_REPORT_PIDFD, FAN_OPEN));
	ASSERT_EQ(0, open_close_file(self->file, O_RDONLY));
	len = read_all(self->fan_fd, buf);
	ASSERT_EQ(FAN_EVENT_METADATA_LEN + PIDFD_INFO_LEN, len);
	EXPECT_EQ(FAN_EVENT_METADATA_LEN + PIDFD_INFO_LEN, m->event_len);
	EXPECT_EQ(FAN_EVENT_METADATA_LEN, m->metadata_len);
	EXPECT_EQ(FANOTIFY_METADATA_VERSION, m->vers);
	EXPECT_EQ(FAN_OPEN, m->mask);
	EXPECT_EQ(getpid(), m->pid);
	ASSERT_LE(0, m->fd);
	EXPECT_TRUE(fd_is_path(m->fd, self->file));
	EXPECT_EQ(1, count_records(m));
	r = (const void *)(buf + FAN_EVENT_METADATA_LEN);
	EXPECT_EQ(FAN_EVENT_INFO_TYPE_PIDFD, r->hdr.info_type);
	EXPECT_EQ(PIDFD_INFO_LEN, r->hdr.len);
	EXPECT_EQ(0, r->hdr.pad);
	pidfd = r->pidfd;
	ASSERT_LE(0, pidfd);
	EXPECT_NE(m->fd, pidfd);
	/* pidfd_prepare(): fd reserved with O_CLOEXEC, file opened O_RDWR. */
	EXPECT_EQ(FD_CLOEXEC, fcntl(pidfd, F_GETFD));
	fl = fcntl(pidfd, F_GETFL);
	ASSERT_LE(0, fl);
	EXPECT_EQ(O_RDWR, fl & O_ACCMODE);
	EXPECT_EQ(0, sys_pidfd_send_signal(pidfd, 0));
	EXPECT_EQ(getpid(), pidfd_fdinfo_pid(pidfd));
	close(pidfd);
	close(m->fd);
	close(self->fan_fd);
	self->fan_fd = -1;
	EXPECT_EQ(before, count_open_fds());
}

/* FID mode: records are FID then PIDFD; event_len covers both; no event fd. */
TEST_F(pidfd, fid_mode_own_event)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	const struct fanotify_event_info_fid *fid;
	const struct fanotify_event_info_header *h;
	const struct file_handle *fh;
	int pidfd, fid_len;
	ssize_t len;

	ASSERT_EQ(0, init_mark(self, FAN_CLASS_NOTIF | FAN_REPORT_FID | FAN_REPORT_PIDFD,
			       FAN_OPEN));
	ASSERT_EQ(0, open_close_file(self->file, O_RDONLY));
	len = read_all(self->fan_fd, buf);
	ASSERT_LT(FAN_EVENT_METADATA_LEN, len);
	ASSERT_EQ(len, m->event_len);
	EXPECT_EQ(FAN_OPEN, m->mask);
	EXPECT_EQ(FAN_NOFD, m->fd);
	EXPECT_EQ(getpid(), m->pid);
	EXPECT_EQ(2, count_records(m));
	/* Upstream order: object fid, then pidfd (copy_info_records_to_user()). */
	fid = (const void *)(buf + FAN_EVENT_METADATA_LEN);
	EXPECT_EQ(FAN_EVENT_INFO_TYPE_FID, fid->hdr.info_type);
	fh = (const void *)fid->handle;
	fid_len = sizeof(*fid) + sizeof(*fh) + fh->handle_bytes;
	fid_len = (fid_len + 3) & ~3;
	EXPECT_EQ(fid_len, fid->hdr.len);
	h = (const void *)(buf + FAN_EVENT_METADATA_LEN + fid->hdr.len);
	EXPECT_EQ(FAN_EVENT_INFO_TYPE_PIDFD, h->info_type);
	EXPECT_EQ(PIDFD_INFO_LEN, h->len);
	EXPECT_EQ(FAN_EVENT_METADATA_LEN + fid_len + PIDFD_INFO_LEN, m->event_len);
	pidfd = event_pidfd(m);
	ASSERT_LE(0, pidfd);
	EXPECT_EQ(FD_CLOEXEC, fcntl(pidfd, F_GETFD));
	EXPECT_EQ(0, sys_pidfd_send_signal(pidfd, 0));
	EXPECT_EQ(getpid(), pidfd_fdinfo_pid(pidfd));
	close(pidfd);
}

/* event_len counts the pidfd record: a buffer one byte short is EINVAL, the event stays. */
TEST_F(pidfd, buffer_one_byte_short)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	int before;

	before = count_open_fds();
	ASSERT_EQ(0, init_mark(self, FAN_CLASS_NOTIF | FAN_REPORT_PIDFD, FAN_OPEN));
	ASSERT_EQ(0, open_close_file(self->file, O_RDONLY));
	ASSERT_EQ(1, wait_readable(self->fan_fd, EVENT_TIMEOUT_MS));
	EXPECT_EQ(-1, read(self->fan_fd, buf, FAN_EVENT_METADATA_LEN + PIDFD_INFO_LEN - 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, read(self->fan_fd, buf, FAN_EVENT_METADATA_LEN));
	EXPECT_EQ(EINVAL, errno);
	/* Nothing was installed by the failed reads. */
	EXPECT_EQ(before + 1, count_open_fds());
	ASSERT_EQ(FAN_EVENT_METADATA_LEN + PIDFD_INFO_LEN,
		  read(self->fan_fd, buf, FAN_EVENT_METADATA_LEN + PIDFD_INFO_LEN));
	EXPECT_EQ(FAN_OPEN, m->mask);
	ASSERT_LE(0, event_pidfd(m));
	close_event_fds(buf, m->event_len);
	EXPECT_EQ(before + 1, count_open_fds());
}

/*
 * A fault while copying the records: the read fails with EFAULT and neither the event fd nor
 * the pidfd is left installed (both are installed only after a successful copy).
 */
TEST_F(pidfd, efault_leaks_no_fd)
{
	long page = sysconf(_SC_PAGESIZE);
	int before;
	char *map;

	before = count_open_fds();
	ASSERT_EQ(0, init_mark(self, FAN_CLASS_NOTIF | FAN_REPORT_PIDFD, FAN_OPEN));
	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + page, page));
	ASSERT_EQ(0, open_close_file(self->file, O_RDONLY));
	ASSERT_EQ(1, wait_readable(self->fan_fd, EVENT_TIMEOUT_MS));
	/* The metadata fits in the mapped page; the pidfd record falls in the hole. */
	EXPECT_EQ(-1, read(self->fan_fd, map + page - FAN_EVENT_METADATA_LEN,
			   FAN_EVENT_METADATA_LEN + PIDFD_INFO_LEN));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(before + 1, count_open_fds());
	munmap(map, page);
}

/* The pidfd names the acting process (a live child): it can signal and wait for it. */
TEST_F(pidfd, names_acting_child)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	int p[2], status, pidfd;
	siginfo_t si;
	pid_t pid;
	char c;

	ASSERT_EQ(0, init_mark(self, FAN_CLASS_NOTIF | FAN_REPORT_PIDFD, FAN_OPEN));
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(p[1]);
		if (open_close_file(self->file, O_RDONLY))
			_exit(1);
		/* Stay alive until killed (or the parent goes away). */
		read(p[0], &c, 1);
		_exit(2);
	}
	close(p[0]);
	ASSERT_LT(0, read_all(self->fan_fd, buf));
	EXPECT_EQ(pid, m->pid);
	pidfd = event_pidfd(m);
	ASSERT_LE(0, pidfd);
	EXPECT_EQ(pid, pidfd_fdinfo_pid(pidfd));
	EXPECT_EQ(0, sys_pidfd_send_signal(pidfd, SIGKILL));
	memset(&si, 0, sizeof(si));
	EXPECT_EQ(0, waitid(P_PIDFD, pidfd, &si, WEXITED));
	EXPECT_EQ(pid, si.si_pid);
	EXPECT_EQ(CLD_KILLED, si.si_code);
	EXPECT_EQ(SIGKILL, si.si_status);
	close(p[1]);
	close_event_fds(buf, m->event_len);
	EXPECT_EQ(-1, waitpid(pid, &status, WNOHANG));
}

/* A zombie still has its thread-group pid: a pidfd is made, and reports the exit. */
TEST_F(pidfd, zombie_gets_pidfd)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	struct pollfd pfd;
	int pidfd;
	siginfo_t si;
	pid_t pid;

	ASSERT_EQ(0, init_mark(self, FAN_CLASS_NOTIF | FAN_REPORT_PIDFD, FAN_OPEN));
	pid = child_opens(self->file);
	ASSERT_LE(0, pid);
	/* Wait for the exit without reaping. */
	memset(&si, 0, sizeof(si));
	ASSERT_EQ(0, waitid(P_PID, pid, &si, WEXITED | WNOWAIT));
	ASSERT_EQ(0, si.si_status);
	ASSERT_LT(0, read_all(self->fan_fd, buf));
	EXPECT_EQ(pid, m->pid);
	pidfd = event_pidfd(m);
	ASSERT_LE(0, pidfd);
	EXPECT_EQ(pid, pidfd_fdinfo_pid(pidfd));
	pfd.fd = pidfd;
	pfd.events = POLLIN;
	EXPECT_EQ(1, poll(&pfd, 1, EVENT_TIMEOUT_MS));
	EXPECT_TRUE(pfd.revents & POLLIN);
	memset(&si, 0, sizeof(si));
	EXPECT_EQ(0, waitid(P_PIDFD, pidfd, &si, WEXITED));
	EXPECT_EQ(pid, si.si_pid);
	EXPECT_EQ(CLD_EXITED, si.si_code);
	close_event_fds(buf, m->event_len);
}

/* Reaped before the read: FAN_NOPIDFD (or -ESRCH with FAN_REPORT_FD_ERROR); pid stays. */
FIXTURE(reaped)
{
	FIXTURE_DATA(pidfd) w;
};

FIXTURE_VARIANT(reaped)
{
	unsigned int flags;
	int expected;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(reaped, fd_mode) {
	/* clang-format on */
	.flags = FAN_REPORT_PIDFD,
	.expected = FAN_NOPIDFD,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(reaped, fid_mode) {
	/* clang-format on */
	.flags = FAN_REPORT_PIDFD | FAN_REPORT_FID,
	.expected = FAN_NOPIDFD,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(reaped, fd_mode_fd_error) {
	/* clang-format on */
	.flags = FAN_REPORT_PIDFD | FAN_REPORT_FD_ERROR,
	.expected = -ESRCH,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(reaped, fid_mode_fd_error) {
	/* clang-format on */
	.flags = FAN_REPORT_PIDFD | FAN_REPORT_FID | FAN_REPORT_FD_ERROR,
	.expected = -ESRCH,
};

FIXTURE_SETUP(reaped)
{
	self->w.fan_fd = -1;
	ASSERT_EQ(0, make_temp_dir(self->w.dir));
	snprintf(self->w.file, sizeof(self->w.file), "%s/file", self->w.dir);
	ASSERT_EQ(0, create_file(self->w.file, "pidfd\n"));
}

FIXTURE_TEARDOWN(reaped)
{
	if (self->w.fan_fd >= 0)
		close(self->w.fan_fd);
	EXPECT_EQ(0, remove_tree(self->w.dir));
}

TEST_F(reaped, nopidfd)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	int status, before;
	pid_t pid;

	ASSERT_EQ(0, init_mark(&self->w, FAN_CLASS_NOTIF | variant->flags, FAN_OPEN));
	pid = child_opens(self->w.file);
	ASSERT_LE(0, pid);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	before = count_open_fds();
	ASSERT_LT(0, read_all(self->w.fan_fd, buf));
	EXPECT_EQ(FAN_OPEN, m->mask);
	/* The pid number is still reported: the event holds a reference on the struct pid. */
	EXPECT_EQ(pid, m->pid);
	EXPECT_EQ(variant->expected, event_pidfd(m));
	if (variant->flags & FAN_REPORT_FID) {
		/*
		 * No object fd in FID mode.  With FAN_REPORT_FD_ERROR, 6.12 reports the raw
		 * initial value of copy_event_to_user()'s fd, -EBADF, instead of FAN_NOFD.
		 */
		EXPECT_EQ(variant->flags & FAN_REPORT_FD_ERROR ? -EBADF : FAN_NOFD, m->fd);
		EXPECT_EQ(before, count_open_fds());
	} else {
		ASSERT_LE(0, m->fd);
		EXPECT_TRUE(fd_is_path(m->fd, self->w.file));
		EXPECT_EQ(before + 1, count_open_fds());
	}
	close_event_fds(buf, m->event_len);
	EXPECT_EQ(before, count_open_fds());
}

/*
 * No free descriptor for the pidfd: FAN_EPIDFD (or the -EMFILE itself with
 * FAN_REPORT_FD_ERROR).  FID mode only, so that the event needs no other descriptor.
 */
FIXTURE(no_fd)
{
	FIXTURE_DATA(pidfd) w;
};

FIXTURE_VARIANT(no_fd)
{
	unsigned int flags;
	int expected;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(no_fd, epidfd) {
	/* clang-format on */
	.flags = FAN_REPORT_PIDFD | FAN_REPORT_FID,
	.expected = FAN_EPIDFD,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(no_fd, fd_error_emfile) {
	/* clang-format on */
	.flags = FAN_REPORT_PIDFD | FAN_REPORT_FID | FAN_REPORT_FD_ERROR,
	.expected = -EMFILE,
};

FIXTURE_SETUP(no_fd)
{
	self->w.fan_fd = -1;
	ASSERT_EQ(0, make_temp_dir(self->w.dir));
	snprintf(self->w.file, sizeof(self->w.file), "%s/file", self->w.dir);
	ASSERT_EQ(0, create_file(self->w.file, "pidfd\n"));
}

FIXTURE_TEARDOWN(no_fd)
{
	if (self->w.fan_fd >= 0)
		close(self->w.fan_fd);
	EXPECT_EQ(0, remove_tree(self->w.dir));
}

TEST_F(no_fd, pidfd_error)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	struct rlimit old, lim;
	int fds[64], n = 0, i;
	ssize_t len;

	ASSERT_EQ(0, init_mark(&self->w, FAN_CLASS_NOTIF | variant->flags, FAN_OPEN));
	ASSERT_EQ(0, open_close_file(self->w.file, O_RDONLY));
	ASSERT_EQ(1, wait_readable(self->w.fan_fd, EVENT_TIMEOUT_MS));
	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
	lim = old;
	lim.rlim_cur = 32;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &lim));
	/* Fill every descriptor below the limit. */
	while (n < (int)ARRAY_SIZE(fds)) {
		int fd = dup(self->w.fan_fd);

		if (fd < 0)
			break;
		fds[n++] = fd;
	}
	len = read(self->w.fan_fd, buf, sizeof(buf));
	for (i = 0; i < n; i++)
		close(fds[i]);
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &old));
	ASSERT_LT(0, n);
	ASSERT_LT(0, len);
	EXPECT_EQ(len, m->event_len);
	EXPECT_EQ(getpid(), m->pid);
	EXPECT_EQ(variant->flags & FAN_REPORT_FD_ERROR ? -EBADF : FAN_NOFD, m->fd);
	EXPECT_EQ(variant->expected, event_pidfd(m));
}

/*
 * A listener in a child pid namespace: an event by a process it cannot see has pid 0 and
 * FAN_NOPIDFD (no pidfd is attempted for pid 0); its own events carry its namespace pid.
 */
TEST_F(pidfd, child_pid_namespace)
{
	int ready[2], go[2], status;
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
		const struct fanotify_event_metadata *m = (void *)buf;
		int pidfd;

		close(ready[0]);
		close(go[1]);
		if (getpid() != 1)
			_exit(10);
		if (init_mark(self, FAN_CLASS_NOTIF | FAN_REPORT_PIDFD, FAN_OPEN))
			_exit(11);
		if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(12);
		if (read_all(self->fan_fd, buf) <= 0)
			_exit(13);
		if (m->pid != 0)
			_exit(14);
		if (event_pidfd(m) != FAN_NOPIDFD)
			_exit(15);
		close_event_fds(buf, m->event_len);
		/* Our own event: pid 1 here, and a working pidfd. */
		if (open_close_file(self->file, O_RDONLY) || read_all(self->fan_fd, buf) <= 0)
			_exit(16);
		if (m->pid != 1)
			_exit(17);
		pidfd = event_pidfd(m);
		if (pidfd < 0 || sys_pidfd_send_signal(pidfd, 0))
			_exit(18);
		close_event_fds(buf, m->event_len);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(0, open_close_file(self->file, O_RDONLY));
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* Events of two processes do not merge: each has its own pidfd naming its own process. */
TEST_F(pidfd, two_processes_two_pidfds)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	int p[2], n = 0, before, seen_self = 0, seen_child = 0;
	ssize_t len, total;
	pid_t pid;
	char c;

	before = count_open_fds();
	ASSERT_EQ(0, init_mark(self, FAN_CLASS_NOTIF | FAN_REPORT_PIDFD | FAN_REPORT_FID,
			       FAN_OPEN));
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(p[1]);
		if (open_close_file(self->file, O_RDONLY))
			_exit(1);
		read(p[0], &c, 1);
		_exit(0);
	}
	close(p[0]);
	/* Make sure the child's event is queued first. */
	ASSERT_EQ(1, wait_readable(self->fan_fd, EVENT_TIMEOUT_MS));
	ASSERT_EQ(0, open_close_file(self->file, O_RDONLY));
	len = read_all(self->fan_fd, buf);
	total = len;
	ASSERT_LT(0, len);
	for (; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
		int pidfd = event_pidfd(m);

		n++;
		ASSERT_LE(0, pidfd);
		EXPECT_EQ(m->pid, pidfd_fdinfo_pid(pidfd));
		if (m->pid == pid)
			seen_child++;
		else if (m->pid == getpid())
			seen_self++;
	}
	EXPECT_EQ(2, n);
	EXPECT_EQ(1, seen_child);
	EXPECT_EQ(1, seen_self);
	close_event_fds(buf, total);
	close(p[1]);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	close(self->fan_fd);
	self->fan_fd = -1;
	EXPECT_EQ(before, count_open_fds());
}

/* Many events, many pidfds: after closing them all the table is back where it was. */
TEST_F(pidfd, many_events_no_leak)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	int before, i, events = 0;
	pid_t pids[8];
	ssize_t len, total;

	before = count_open_fds();
	ASSERT_EQ(0, init_mark(self, FAN_CLASS_NOTIF | FAN_REPORT_PIDFD, FAN_OPEN));
	for (i = 0; i < (int)ARRAY_SIZE(pids); i++) {
		pids[i] = child_opens(self->file);
		ASSERT_LE(0, pids[i]);
	}
	for (i = 0; i < (int)ARRAY_SIZE(pids); i++)
		ASSERT_EQ(pids[i], waitpid(pids[i], NULL, 0));
	while ((total = read_events(self->fan_fd, buf, events ? 0 : EVENT_TIMEOUT_MS)) > 0) {
		const struct fanotify_event_metadata *m = (void *)buf;

		/* FAN_EVENT_NEXT() consumes len: keep the total for close_event_fds(). */
		len = total;
		for (; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
			events++;
			/* All reaped: fd mode still opens the object, but no pidfd. */
			EXPECT_EQ(FAN_NOPIDFD, event_pidfd(m));
			EXPECT_LE(0, m->fd);
		}
		close_event_fds(buf, total);
	}
	EXPECT_EQ(ARRAY_SIZE(pids), events);
	close(self->fan_fd);
	self->fan_fd = -1;
	EXPECT_EQ(before, count_open_fds());
}

/* FAN_REPORT_TID: the pid of an event by a non-leader thread is that thread's id. */

struct thread_arg {
	const char *path;
	pid_t tid;
	int ret;
};

static void *thread_open(void *p)
{
	struct thread_arg *a = p;

	a->tid = syscall(__NR_gettid);
	a->ret = open_close_file(a->path, O_RDONLY);
	return NULL;
}

FIXTURE(tid)
{
	FIXTURE_DATA(pidfd) w;
};

FIXTURE_VARIANT(tid)
{
	unsigned int flags;
	bool report_tid;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(tid, fd_mode_tid) {
	/* clang-format on */
	.flags = FAN_REPORT_TID,
	.report_tid = true,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(tid, fid_mode_tid) {
	/* clang-format on */
	.flags = FAN_REPORT_TID | FAN_REPORT_FID,
	.report_tid = true,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(tid, fd_mode_tgid) {
	/* clang-format on */
	.flags = 0,
	.report_tid = false,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(tid, pidfd_tgid) {
	/* clang-format on */
	.flags = FAN_REPORT_PIDFD,
	.report_tid = false,
};

FIXTURE_SETUP(tid)
{
	self->w.fan_fd = -1;
	ASSERT_EQ(0, make_temp_dir(self->w.dir));
	snprintf(self->w.file, sizeof(self->w.file), "%s/file", self->w.dir);
	ASSERT_EQ(0, create_file(self->w.file, "tid\n"));
}

FIXTURE_TEARDOWN(tid)
{
	if (self->w.fan_fd >= 0)
		close(self->w.fan_fd);
	EXPECT_EQ(0, remove_tree(self->w.dir));
}

TEST_F(tid, thread_event)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	struct thread_arg a = { .path = self->w.file };
	pthread_t t;
	int pidfd;

	ASSERT_EQ(0, init_mark(&self->w, FAN_CLASS_NOTIF | variant->flags, FAN_OPEN));
	ASSERT_EQ(0, pthread_create(&t, NULL, thread_open, &a));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(0, a.ret);
	ASSERT_NE(getpid(), a.tid);
	ASSERT_LT(0, read_all(self->w.fan_fd, buf));
	EXPECT_EQ(FAN_OPEN, m->mask);
	EXPECT_EQ(variant->report_tid ? a.tid : getpid(), m->pid);
	pidfd = event_pidfd(m);
	if (variant->flags & FAN_REPORT_PIDFD) {
		/* The pidfd names the thread group, not the (gone) thread. */
		ASSERT_LE(0, pidfd);
		EXPECT_EQ(getpid(), pidfd_fdinfo_pid(pidfd));
	} else {
		EXPECT_EQ(INT_MIN, pidfd);
	}
	close_event_fds(buf, m->event_len);
	/* The leader's own event reports the leader's id in every mode. */
	ASSERT_EQ(0, open_close_file(self->w.file, O_RDONLY));
	ASSERT_LT(0, read_all(self->w.fan_fd, buf));
	EXPECT_EQ(getpid(), m->pid);
	close_event_fds(buf, m->event_len);
}

/* Same thread, same object: events of two threads are not merged under FAN_REPORT_TID. */
TEST_F(tid, threads_not_merged)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	struct thread_arg a = { .path = self->w.file };
	const struct fanotify_event_metadata *m;
	int n = 0, pids = 0;
	pthread_t t;
	ssize_t len, total;

	ASSERT_EQ(0, init_mark(&self->w, FAN_CLASS_NOTIF | variant->flags, FAN_OPEN));
	ASSERT_EQ(0, open_close_file(self->w.file, O_RDONLY));
	ASSERT_EQ(0, pthread_create(&t, NULL, thread_open, &a));
	ASSERT_EQ(0, pthread_join(t, NULL));
	ASSERT_EQ(0, a.ret);
	len = read_all(self->w.fan_fd, buf);
	total = len;
	ASSERT_LT(0, len);
	for (m = (void *)buf; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
		n++;
		if (m->pid == a.tid)
			pids++;
	}
	close_event_fds(buf, total);
	if (variant->report_tid) {
		EXPECT_EQ(2, n);
		EXPECT_EQ(1, pids);
	} else {
		/* One thread group, one object, one event mask: merged. */
		EXPECT_EQ(1, n);
		EXPECT_EQ(0, pids);
	}
}

TEST_HARNESS_MAIN
