// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify: memory of queued events is charged to the listener's memory
 * cgroup, not to the task that caused them; the fd works with epoll.
 */

#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "common.h"

/*
 * The memcg charges in per-cpu batches of 64 pages (256 KiB), so queue
 * enough events (8000 x ~70 bytes) to need at least one new batch whatever
 * the per-cpu stock held before.
 */
#define QUEUED_EVENTS 8000

/*
 * A listener in a cgroup of its own, set up in a private mount namespace
 * (cgroup2 mounted on a temp dir) so nothing leaks to the host.
 */
FIXTURE(memcg) {
	char dir[DIR_PATH_LEN];
	char cg_root[FILE_PATH_LEN];
	char cg_path[FILE_PATH_LEN + 64];
	bool mounted;
};

FIXTURE_SETUP(memcg)
{
	char controllers[256] = "";
	ssize_t len;
	int fd;

	ASSERT_EQ(0, private_mount_ns());
	ASSERT_EQ(0, make_temp_dir(self->dir));
	snprintf(self->cg_root, sizeof(self->cg_root), "%s/cg", self->dir);
	ASSERT_EQ(0, mkdir(self->cg_root, 0755));
	if (mount("none", self->cg_root, "cgroup2", 0, NULL))
		SKIP(return, "cgroup2 cannot be mounted: %s", strerror(errno));
	self->mounted = true;

	snprintf(self->cg_path, sizeof(self->cg_path), "%s/cgroup.controllers",
		 self->cg_root);
	fd = open(self->cg_path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	len = read(fd, controllers, sizeof(controllers) - 1);
	close(fd);
	ASSERT_LE(0, len);
	if (!strstr(controllers, "memory"))
		SKIP(return, "no memory controller (CONFIG_MEMCG)");

	snprintf(self->cg_path, sizeof(self->cg_path), "%s/cgroup.subtree_control",
		 self->cg_root);
	fd = open(self->cg_path, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(7, write(fd, "+memory", 7));
	close(fd);

	snprintf(self->cg_path, sizeof(self->cg_path), "%s/listener", self->cg_root);
	ASSERT_EQ(0, mkdir(self->cg_path, 0755));
}

FIXTURE_TEARDOWN(memcg)
{
	if (self->mounted) {
		rmdir(self->cg_path);
		umount2(self->cg_root, MNT_DETACH);
	}
	remove_tree(self->dir);
}

static long read_cg_long(const char *cg, const char *file)
{
	char path[FILE_PATH_LEN * 2], buf[64] = "";
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", cg, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return len > 0 ? atol(buf) : -1;
}

static int join_cgroup(const char *cg)
{
	char path[FILE_PATH_LEN * 2];
	int fd, ok;

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ok = write(fd, "0", 1) == 1;
	close(fd);
	return ok ? 0 : -1;
}

/*
 * The listener joins the cgroup and creates its group there; this process
 * (outside the cgroup) then causes many distinct events that stay queued.
 * The cgroup's usage must grow by at least a few bytes per event.
 */
/* Thousands of file operations: minutes under KASAN. */
TEST_F_TIMEOUT(memcg, queued_events_charged_to_listener, 300)
{
	int ready[2], done[2], fan_fd, i;
	long before, after;
	char path[FILE_PATH_LEN];
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(done));
	for (i = 0; i < QUEUED_EVENTS; i++) {
		snprintf(path, sizeof(path), "%s/f%d", self->dir, i);
		ASSERT_EQ(0, create_file(path, ""));
	}

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (join_cgroup(self->cg_path))
			_exit(10);
		fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF, O_RDONLY);
		if (fan_fd < 0)
			_exit(11);
		if (sys_fanotify_mark(fan_fd, FAN_MARK_ADD, FAN_OPEN | FAN_EVENT_ON_CHILD,
				      AT_FDCWD, self->dir))
			_exit(12);
		/* Keep the group, and so its queue, alive until told. */
		if (write(ready[1], "r", 1) != 1 || read(done[0], &c, 1) != 1)
			_exit(13);
		_exit(0);
	}

	ASSERT_EQ(1, read(ready[0], &c, 1));
	before = read_cg_long(self->cg_path, "memory.current");
	ASSERT_LE(0, before);
	for (i = 0; i < QUEUED_EVENTS; i++) {
		snprintf(path, sizeof(path), "%s/f%d", self->dir, i);
		ASSERT_EQ(0, open_close_file(path, O_RDONLY));
	}
	after = read_cg_long(self->cg_path, "memory.current");
	ASSERT_EQ(1, write(done[1], "d", 1));
	ASSERT_EQ(pid, waitpid(pid, &i, 0));
	ASSERT_TRUE(WIFEXITED(i));
	ASSERT_EQ(0, WEXITSTATUS(i));

	/* An event pins a path and a pid: surely more than 16 bytes. */
	TH_LOG("listener cgroup grew by %ld bytes for %d events", after - before,
	       QUEUED_EVENTS);
	EXPECT_LT(before + 16L * QUEUED_EVENTS, after);
}

FIXTURE(ep) {
	char dir[DIR_PATH_LEN];
	char file[FILE_PATH_LEN];
	int fan_fd;
	int ep_fd;
};

FIXTURE_SETUP(ep)
{
	struct epoll_event ev = { .events = EPOLLIN };

	ASSERT_EQ(0, make_temp_dir(self->dir));
	snprintf(self->file, sizeof(self->file), "%s/file", self->dir);
	ASSERT_EQ(0, create_file(self->file, "x"));
	self->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_NONBLOCK | FAN_CLOEXEC,
					 O_RDONLY);
	ASSERT_LE(0, self->fan_fd);
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD,
				       self->file));
	self->ep_fd = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, self->ep_fd);
	ev.data.fd = self->fan_fd;
	ASSERT_EQ(0, epoll_ctl(self->ep_fd, EPOLL_CTL_ADD, self->fan_fd, &ev));
}

FIXTURE_TEARDOWN(ep)
{
	close(self->ep_fd);
	close(self->fan_fd);
	remove_tree(self->dir);
}

/* Level-triggered: ready while records are queued, not after they are read. */
TEST_F(ep, readiness_follows_queue)
{
	struct fanotify_event_metadata m;
	struct epoll_event out;

	EXPECT_EQ(0, epoll_wait(self->ep_fd, &out, 1, 0));
	ASSERT_EQ(0, open_close_file(self->file, O_RDONLY));
	ASSERT_EQ(1, epoll_wait(self->ep_fd, &out, 1, EVENT_TIMEOUT_MS));
	EXPECT_EQ(self->fan_fd, out.data.fd);
	EXPECT_TRUE(out.events & EPOLLIN);
	/* Still ready until read. */
	EXPECT_EQ(1, epoll_wait(self->ep_fd, &out, 1, 0));

	ASSERT_EQ(0, read_one_record(self->fan_fd, &m));
	EXPECT_EQ(FAN_OPEN, m.mask);
	close(m.fd);
	EXPECT_EQ(0, epoll_wait(self->ep_fd, &out, 1, 0));
}

/* Edge-triggered: one wakeup per arrival of new records. */
TEST_F(ep, edge_triggered_wakes_once_per_arrival)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	struct fanotify_event_metadata m;
	struct epoll_event out;

	ev.data.fd = self->fan_fd;
	ASSERT_EQ(0, epoll_ctl(self->ep_fd, EPOLL_CTL_MOD, self->fan_fd, &ev));
	ASSERT_EQ(0, open_close_file(self->file, O_RDONLY));
	ASSERT_EQ(1, epoll_wait(self->ep_fd, &out, 1, EVENT_TIMEOUT_MS));
	EXPECT_EQ(0, epoll_wait(self->ep_fd, &out, 1, 0));

	ASSERT_EQ(0, read_one_record(self->fan_fd, &m));
	close(m.fd);
	ASSERT_EQ(0, open_close_file(self->file, O_RDONLY));
	EXPECT_EQ(1, epoll_wait(self->ep_fd, &out, 1, EVENT_TIMEOUT_MS));
}

TEST_HARNESS_MAIN
