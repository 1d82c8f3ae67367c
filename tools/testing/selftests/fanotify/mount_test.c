// SPDX-License-Identifier: GPL-2.0
/*
 * Mount events (upstream 6.15): a FAN_REPORT_MNT group marks a mount
 * namespace with FAN_MARK_MNTNS and hears FAN_MNT_ATTACH / FAN_MNT_DETACH,
 * each with an info record naming the mount by its unique id.
 *
 * Every test runs in a private mount namespace of its own (the harness forks
 * per test), on a tmpfs mounted there, so that nothing it mounts is seen
 * elsewhere.  Ids are checked against statx() STATX_MNT_ID_UNIQUE.
 *
 * On the stock 6.12 kernel every test skips after checking that
 * fanotify_init(FAN_REPORT_MNT) is refused with EINVAL.
 */

#define _GNU_SOURCE
#include <signal.h>
#include <sys/wait.h>

#include "common.h"

#ifndef FAN_MNT_ATTACH
#define FAN_MNT_ATTACH		0x01000000
#define FAN_MNT_DETACH		0x02000000
#endif
#ifndef FAN_REPORT_MNT
#define FAN_REPORT_MNT		0x00004000
#endif
#ifndef FAN_MARK_MNTNS
#define FAN_MARK_MNTNS		0x00000110
#endif
#ifndef FAN_EVENT_INFO_TYPE_MNT
#define FAN_EVENT_INFO_TYPE_MNT	7
struct fanotify_event_info_mnt {
	struct fanotify_event_info_header hdr;
	__u64 mnt_id;
};
#endif
#ifndef STATX_MNT_ID_UNIQUE
#define STATX_MNT_ID_UNIQUE	0x00004000U
#endif

#define MNT_EVENT_LEN (FAN_EVENT_METADATA_LEN + sizeof(struct fanotify_event_info_mnt))
#define MAX_MNT_EVENTS 16

struct mnt_event {
	uint64_t mask;
	uint64_t mnt_id;
	int32_t pid;
};

/* The unique id of the mount whose root @path is, 0 on failure. */
static uint64_t unique_mnt_id(const char *path)
{
	struct statx stx;

	if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID_UNIQUE, &stx))
		return 0;
	if (!(stx.stx_mask & STATX_MNT_ID_UNIQUE))
		return 0;
	return stx.stx_mnt_id;
}

/*
 * Reads the mount events that are pending (waiting up to @timeout_ms for the first), checking the
 * layout of each record.  Returns how many were stored in @ev, or -1 if a record is malformed.
 */
static int read_mnt_events(int fan, struct mnt_event *ev, int max, int timeout_ms)
{
	uint64_t buf[EVENT_BUF_LEN / sizeof(uint64_t)];
	int n = 0;

	for (;;) {
		ssize_t len = read_events(fan, buf, n ? 0 : timeout_ms);
		struct fanotify_event_metadata *m = (void *)buf;

		if (len < 0 && errno == EAGAIN)
			break;
		if (len <= 0)
			return len < 0 ? -1 : n;
		for (; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
			struct fanotify_event_info_mnt *info = (void *)(m + 1);

			if (m->vers != FANOTIFY_METADATA_VERSION || m->fd != FAN_NOFD ||
			    m->event_len != MNT_EVENT_LEN ||
			    m->metadata_len != FAN_EVENT_METADATA_LEN ||
			    info->hdr.info_type != FAN_EVENT_INFO_TYPE_MNT ||
			    info->hdr.len != sizeof(*info) || info->hdr.pad || n == max)
				return -1;
			ev[n].mask = m->mask;
			ev[n].mnt_id = info->mnt_id;
			ev[n].pid = m->pid;
			n++;
		}
		if (len)
			return -1;
	}
	return n;
}

FIXTURE(mnt) {
	int fan;
	char base[DIR_PATH_LEN];
	char a[FILE_PATH_LEN];
	char b[FILE_PATH_LEN];
	char src[FILE_PATH_LEN];
};

FIXTURE_SETUP(mnt)
{
	self->fan = sys_fanotify_init(FAN_REPORT_MNT | FAN_NONBLOCK | FAN_CLOEXEC, 0);
	if (kernel_is_stock()) {
		/* Upstream 6.12 knows no FAN_REPORT_MNT. */
		ASSERT_EQ(-1, self->fan);
		ASSERT_EQ(EINVAL, errno);
		SKIP(return, "mount events are upstream 6.15; refused with EINVAL here");
	}
	ASSERT_LE(0, self->fan);

	ASSERT_EQ(0, private_mount_ns());
	ASSERT_EQ(0, make_temp_dir(self->base));
	ASSERT_EQ(0, mount_tmpfs(self->base));
	snprintf(self->a, sizeof(self->a), "%s/a", self->base);
	snprintf(self->b, sizeof(self->b), "%s/b", self->base);
	snprintf(self->src, sizeof(self->src), "%s/src", self->base);
	ASSERT_EQ(0, mkdir(self->a, 0755));
	ASSERT_EQ(0, mkdir(self->b, 0755));
	ASSERT_EQ(0, mkdir(self->src, 0755));
	/* Marked after the setup's own mounts: the tests start from silence. */
	ASSERT_EQ(0, sys_fanotify_mark(self->fan, FAN_MARK_ADD | FAN_MARK_MNTNS,
				       FAN_MNT_ATTACH | FAN_MNT_DETACH, AT_FDCWD,
				       "/proc/self/ns/mnt"));
}

FIXTURE_TEARDOWN(mnt)
{
	if (self->fan >= 0)
		close(self->fan);
	/* The private namespace dies with the test process, and its mounts with it. */
}

/* A new mount is reported attached, and detached when unmounted, by its unique id. */
TEST_F(mnt, attach_then_detach)
{
	struct mnt_event ev[MAX_MNT_EVENTS];
	uint64_t id;

	ASSERT_EQ(0, mount_tmpfs(self->a));
	id = unique_mnt_id(self->a);
	ASSERT_NE(0, id);
	ASSERT_NE(unique_mnt_id(self->base), id);
	ASSERT_EQ(1, read_mnt_events(self->fan, ev, MAX_MNT_EVENTS, EVENT_TIMEOUT_MS));
	EXPECT_EQ(FAN_MNT_ATTACH, ev[0].mask);
	EXPECT_EQ(id, ev[0].mnt_id);
	EXPECT_EQ(getpid(), ev[0].pid);

	ASSERT_EQ(0, umount(self->a));
	ASSERT_EQ(1, read_mnt_events(self->fan, ev, MAX_MNT_EVENTS, EVENT_TIMEOUT_MS));
	EXPECT_EQ(FAN_MNT_DETACH, ev[0].mask);
	EXPECT_EQ(id, ev[0].mnt_id);
	EXPECT_TRUE(no_event(self->fan));
}

/* A bind mount is a mount too; a recursive one attaches every mount of the tree. */
TEST_F(mnt, bind_mounts)
{
	struct mnt_event ev[MAX_MNT_EVENTS];
	char sub[FILE_PATH_LEN + 8], bsub[FILE_PATH_LEN + 8];
	uint64_t sub_id, b_id, bsub_id;
	int n, i, seen = 0;

	ASSERT_EQ(0, mount(self->src, self->a, NULL, MS_BIND, NULL));
	ASSERT_EQ(1, read_mnt_events(self->fan, ev, MAX_MNT_EVENTS, EVENT_TIMEOUT_MS));
	EXPECT_EQ(FAN_MNT_ATTACH, ev[0].mask);
	EXPECT_EQ(unique_mnt_id(self->a), ev[0].mnt_id);

	/* src gets a submount, then src is bound recursively on b: two new mounts. */
	snprintf(sub, sizeof(sub), "%s/sub", self->src);
	ASSERT_EQ(0, mkdir(sub, 0755));
	ASSERT_EQ(0, mount_tmpfs(sub));
	ASSERT_EQ(1, read_mnt_events(self->fan, ev, MAX_MNT_EVENTS, EVENT_TIMEOUT_MS));
	sub_id = unique_mnt_id(sub);
	EXPECT_EQ(sub_id, ev[0].mnt_id);

	ASSERT_EQ(0, mount(self->src, self->b, NULL, MS_BIND | MS_REC, NULL));
	snprintf(bsub, sizeof(bsub), "%s/sub", self->b);
	b_id = unique_mnt_id(self->b);
	bsub_id = unique_mnt_id(bsub);
	ASSERT_NE(0, bsub_id);
	ASSERT_NE(sub_id, bsub_id);
	n = read_mnt_events(self->fan, ev, MAX_MNT_EVENTS, EVENT_TIMEOUT_MS);
	ASSERT_EQ(2, n);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(FAN_MNT_ATTACH, ev[i].mask);
		if (ev[i].mnt_id == b_id)
			seen |= 1;
		if (ev[i].mnt_id == bsub_id)
			seen |= 2;
	}
	EXPECT_EQ(3, seen);

	/* A lazy unmount of the tree detaches both. */
	ASSERT_EQ(0, umount2(self->b, MNT_DETACH));
	n = read_mnt_events(self->fan, ev, MAX_MNT_EVENTS, EVENT_TIMEOUT_MS);
	ASSERT_EQ(2, n);
	EXPECT_EQ(FAN_MNT_DETACH, ev[0].mask);
	EXPECT_EQ(FAN_MNT_DETACH, ev[1].mask);
	EXPECT_EQ(b_id ^ bsub_id, ev[0].mnt_id ^ ev[1].mnt_id);
}

/*
 * A mount moved within the namespace is reported once, with both bits (upstream's
 * "FAN_MNT_ATTACH | FAN_MNT_DETACH"), by the same id; its submounts, which move along, are not.
 */
TEST_F(mnt, move_within_namespace)
{
	struct mnt_event ev[MAX_MNT_EVENTS];
	char sub[FILE_PATH_LEN + 8];
	uint64_t id;

	ASSERT_EQ(0, mount_tmpfs(self->a));
	snprintf(sub, sizeof(sub), "%s/sub", self->a);
	ASSERT_EQ(0, mkdir(sub, 0755));
	ASSERT_EQ(0, mount_tmpfs(sub));
	id = unique_mnt_id(self->a);
	ASSERT_EQ(2, read_mnt_events(self->fan, ev, MAX_MNT_EVENTS, EVENT_TIMEOUT_MS));

	ASSERT_EQ(0, mount(self->a, self->b, NULL, MS_MOVE, NULL));
	ASSERT_EQ(id, unique_mnt_id(self->b));
	ASSERT_EQ(1, read_mnt_events(self->fan, ev, MAX_MNT_EVENTS, EVENT_TIMEOUT_MS));
	EXPECT_EQ(FAN_MNT_ATTACH | FAN_MNT_DETACH, ev[0].mask);
	EXPECT_EQ(id, ev[0].mnt_id);
	EXPECT_TRUE(no_event(self->fan));
}

/* pivot_root() moves two mounts within the namespace: the new root and the old one. */
TEST_F(mnt, pivot_root_moves_two)
{
	struct mnt_event ev[MAX_MNT_EVENTS];
	char old[FILE_PATH_LEN + 8];
	uint64_t new_id, old_id;
	int n, i, seen = 0;

	ASSERT_EQ(0, mount_tmpfs(self->a));
	snprintf(old, sizeof(old), "%s/old", self->a);
	ASSERT_EQ(0, mkdir(old, 0755));
	ASSERT_EQ(1, read_mnt_events(self->fan, ev, MAX_MNT_EVENTS, EVENT_TIMEOUT_MS));
	new_id = unique_mnt_id(self->a);
	old_id = unique_mnt_id("/");
	ASSERT_EQ(0, chdir(self->a));
	if (syscall(__NR_pivot_root, ".", "old")) {
		/* The initramfs root (rootfs) cannot be pivoted away from. */
		ASSERT_EQ(EINVAL, errno);
		ASSERT_EQ(0, chdir("/"));
		SKIP(return, "the root of this system cannot be pivoted");
	}
	n = read_mnt_events(self->fan, ev, MAX_MNT_EVENTS, EVENT_TIMEOUT_MS);
	ASSERT_EQ(2, n);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(FAN_MNT_ATTACH | FAN_MNT_DETACH, ev[i].mask);
		if (ev[i].mnt_id == new_id)
			seen |= 1;
		if (ev[i].mnt_id == old_id)
			seen |= 2;
	}
	EXPECT_EQ(3, seen);
}

/* A group that asked for one of the two bits gets only that one. */
TEST_F(mnt, one_bit_only)
{
	struct mnt_event ev[MAX_MNT_EVENTS];

	ASSERT_EQ(0, sys_fanotify_mark(self->fan, FAN_MARK_REMOVE | FAN_MARK_MNTNS,
				       FAN_MNT_ATTACH, AT_FDCWD, "/proc/self/ns/mnt"));
	ASSERT_EQ(0, mount_tmpfs(self->a));
	EXPECT_TRUE(no_event(self->fan));
	ASSERT_EQ(0, umount(self->a));
	ASSERT_EQ(1, read_mnt_events(self->fan, ev, MAX_MNT_EVENTS, EVENT_TIMEOUT_MS));
	EXPECT_EQ(FAN_MNT_DETACH, ev[0].mask);

	/* Removing the last bit removes the mark: nothing more. */
	ASSERT_EQ(0, sys_fanotify_mark(self->fan, FAN_MARK_REMOVE | FAN_MARK_MNTNS,
				       FAN_MNT_DETACH, AT_FDCWD, "/proc/self/ns/mnt"));
	ASSERT_EQ(0, mount_tmpfs(self->a));
	ASSERT_EQ(0, umount(self->a));
	EXPECT_TRUE(no_event(self->fan));
	ASSERT_EQ(-1, sys_fanotify_mark(self->fan, FAN_MARK_REMOVE | FAN_MARK_MNTNS,
					FAN_MNT_DETACH, AT_FDCWD, "/proc/self/ns/mnt"));
	EXPECT_EQ(ENOENT, errno);
}

/* Mounts made in another namespace, even a copy of the marked one, are not reported. */
TEST_F(mnt, other_namespace_is_silent)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (private_mount_ns() || mount_tmpfs(self->a) || umount(self->a))
			_exit(1);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	EXPECT_TRUE(no_event(self->fan));
}

/* Whether the fdinfo of @fan shows a mount namespace mark. */
static bool fdinfo_has_mntns_mark(int fan)
{
	char path[64], line[256];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fan);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "fanotify mnt_ns:", 16))
			found = true;
	fclose(f);
	return found;
}

/*
 * Another process's namespace is marked through /proc/PID/ns/mnt; its mounts are reported to
 * us.  When that namespace dies, its mark goes with it: the group is left without marks (fdinfo)
 * and keeps working.
 */
TEST_F(mnt, marked_namespace_dies)
{
	struct mnt_event ev[MAX_MNT_EVENTS];
	int go[2], ready[2], status, i;
	char nspath[64], c;
	pid_t pid;

	ASSERT_EQ(0, sys_fanotify_mark(self->fan, FAN_MARK_FLUSH | FAN_MARK_MNTNS, 0,
				       AT_FDCWD, NULL));
	EXPECT_FALSE(fdinfo_has_mntns_mark(self->fan));
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (private_mount_ns() || write(ready[1], "r", 1) != 1 ||
		    read(go[0], &c, 1) != 1 || mount_tmpfs(self->a))
			_exit(1);
		_exit(0);
	}
	ASSERT_EQ(1, read(ready[0], &c, 1));
	snprintf(nspath, sizeof(nspath), "/proc/%d/ns/mnt", pid);
	ASSERT_EQ(0, sys_fanotify_mark(self->fan, FAN_MARK_ADD | FAN_MARK_MNTNS,
				       FAN_MNT_ATTACH | FAN_MNT_DETACH, AT_FDCWD, nspath));
	EXPECT_TRUE(fdinfo_has_mntns_mark(self->fan));
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));

	/* The child's mount, made in the marked namespace. */
	ASSERT_EQ(1, read_mnt_events(self->fan, ev, MAX_MNT_EVENTS, EVENT_TIMEOUT_MS));
	EXPECT_EQ(FAN_MNT_ATTACH, ev[0].mask);
	EXPECT_EQ(pid, ev[0].pid);

	/* The namespace is freed once its last task has exited; allow for a late put. */
	for (i = 0; i < 50 && fdinfo_has_mntns_mark(self->fan); i++)
		usleep(20000);
	EXPECT_FALSE(fdinfo_has_mntns_mark(self->fan));
	/* A namespace being torn down reports nothing of its mounts. */
	EXPECT_TRUE(no_event(self->fan));

	/* The group still works on our own namespace. */
	ASSERT_EQ(0, sys_fanotify_mark(self->fan, FAN_MARK_ADD | FAN_MARK_MNTNS,
				       FAN_MNT_ATTACH, AT_FDCWD, "/proc/self/ns/mnt"));
	ASSERT_EQ(0, mount_tmpfs(self->a));
	ASSERT_EQ(1, read_mnt_events(self->fan, ev, MAX_MNT_EVENTS, EVENT_TIMEOUT_MS));
	close(go[0]);
	close(go[1]);
	close(ready[0]);
	close(ready[1]);
}

/* A listener that goes away with events unread, and with its mark in place, frees both. */
TEST_F(mnt, close_with_events_pending)
{
	int i;

	for (i = 0; i < 8; i++) {
		ASSERT_EQ(0, mount_tmpfs(self->a));
		ASSERT_EQ(0, umount(self->a));
	}
	ASSERT_EQ(1, wait_readable(self->fan, EVENT_TIMEOUT_MS));
	ASSERT_EQ(0, close(self->fan));
	self->fan = -1;
	/* Mounting on after the group is gone must not touch it. */
	ASSERT_EQ(0, mount_tmpfs(self->a));
	ASSERT_EQ(0, umount(self->a));
}

/* Many mounts come and go while the listener reads and another group closes: no event is lost. */
TEST_F(mnt, churn_with_a_closing_group)
{
	struct mnt_event ev[MAX_MNT_EVENTS];
	int total = 0, n, i, other;

	for (i = 0; i < 32; i++) {
		other = sys_fanotify_init(FAN_REPORT_MNT | FAN_NONBLOCK, 0);
		ASSERT_LE(0, other);
		ASSERT_EQ(0, sys_fanotify_mark(other, FAN_MARK_ADD | FAN_MARK_MNTNS,
					       FAN_MNT_ATTACH | FAN_MNT_DETACH, AT_FDCWD,
					       "/proc/self/ns/mnt"));
		ASSERT_EQ(0, mount_tmpfs(self->a));
		ASSERT_EQ(0, close(other));
		ASSERT_EQ(0, umount(self->a));
		n = read_mnt_events(self->fan, ev, MAX_MNT_EVENTS, EVENT_TIMEOUT_MS);
		ASSERT_LE(0, n);
		total += n;
	}
	while ((n = read_mnt_events(self->fan, ev, MAX_MNT_EVENTS, NO_EVENT_TIMEOUT_MS)) > 0)
		total += n;
	EXPECT_EQ(64, total);
}

FIXTURE(mnt_errors) {
	int fan;
	int plain;
	char base[DIR_PATH_LEN];
};

FIXTURE_SETUP(mnt_errors)
{
	self->plain = -1;
	self->fan = sys_fanotify_init(FAN_REPORT_MNT, 0);
	if (kernel_is_stock()) {
		ASSERT_EQ(-1, self->fan);
		ASSERT_EQ(EINVAL, errno);
		SKIP(return, "mount events are upstream 6.15; refused with EINVAL here");
	}
	ASSERT_LE(0, self->fan);
	self->plain = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID, 0);
	ASSERT_LE(0, self->plain);
	ASSERT_EQ(0, make_temp_dir(self->base));
}

FIXTURE_TEARDOWN(mnt_errors)
{
	if (self->fan >= 0)
		close(self->fan);
	if (self->plain >= 0)
		close(self->plain);
	if (self->base[0])
		rmdir(self->base);
}

/* FAN_REPORT_MNT reports mount ids only: no file handles, no permission classes. */
TEST_F(mnt_errors, init_combinations)
{
	static const unsigned int bad[] = {
		FAN_REPORT_FID, FAN_REPORT_DIR_FID, FAN_REPORT_DFID_NAME,
		FAN_REPORT_DFID_NAME_TARGET, FAN_CLASS_CONTENT, FAN_CLASS_PRE_CONTENT,
	};
	int i, fd;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		fd = sys_fanotify_init(FAN_REPORT_MNT | bad[i], 0);
		EXPECT_EQ(-1, fd);
		EXPECT_EQ(EINVAL, errno);
		if (fd >= 0)
			close(fd);
	}
	/* What does combine. */
	fd = sys_fanotify_init(FAN_REPORT_MNT | FAN_REPORT_PIDFD | FAN_UNLIMITED_QUEUE, 0);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
}

/* FAN_MARK_MNTNS takes only the two mount events, and only a mount namespace file. */
TEST_F(mnt_errors, mark_arguments)
{
	int dirfd, netns;

	/* Any other bit with them. */
	EXPECT_EQ(-1, sys_fanotify_mark(self->fan, FAN_MARK_ADD | FAN_MARK_MNTNS,
					FAN_MNT_ATTACH | FAN_OPEN, AT_FDCWD, "/proc/self/ns/mnt"));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, sys_fanotify_mark(self->fan, FAN_MARK_ADD | FAN_MARK_MNTNS,
					FAN_MNT_DETACH | FAN_ONDIR, AT_FDCWD, "/proc/self/ns/mnt"));
	EXPECT_EQ(EINVAL, errno);
	/* Not a namespace file: a directory, by fd and by path; another kind of namespace. */
	dirfd = open(self->base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, dirfd);
	EXPECT_EQ(-1, sys_fanotify_mark(self->fan, FAN_MARK_ADD | FAN_MARK_MNTNS,
					FAN_MNT_ATTACH, dirfd, NULL));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, sys_fanotify_mark(self->fan, FAN_MARK_ADD | FAN_MARK_MNTNS,
					FAN_MNT_ATTACH, AT_FDCWD, self->base));
	EXPECT_EQ(EINVAL, errno);
	close(dirfd);
	netns = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (netns >= 0) {
		EXPECT_EQ(-1, sys_fanotify_mark(self->fan, FAN_MARK_ADD | FAN_MARK_MNTNS,
						FAN_MNT_ATTACH, netns, NULL));
		EXPECT_EQ(EINVAL, errno);
		close(netns);
	}
	/* By fd, with no path, it works. */
	netns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, netns);
	EXPECT_EQ(0, sys_fanotify_mark(self->fan, FAN_MARK_ADD | FAN_MARK_MNTNS,
				       FAN_MNT_ATTACH, netns, NULL));
	close(netns);
}

/* Mount events only on a namespace mark, namespace marks only in FAN_REPORT_MNT groups. */
TEST_F(mnt_errors, events_and_mark_types)
{
	static const unsigned int other_types[] = {
		FAN_MARK_INODE, FAN_MARK_MOUNT, FAN_MARK_FILESYSTEM,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(other_types); i++) {
		/* Mount events on another kind of mark, in either kind of group. */
		EXPECT_EQ(-1, sys_fanotify_mark(self->fan, FAN_MARK_ADD | other_types[i],
						FAN_MNT_ATTACH, AT_FDCWD, self->base));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(-1, sys_fanotify_mark(self->plain, FAN_MARK_ADD | other_types[i],
						FAN_MNT_DETACH, AT_FDCWD, self->base));
		EXPECT_EQ(EINVAL, errno);
		/* File events in a mount group. */
		EXPECT_EQ(-1, sys_fanotify_mark(self->fan, FAN_MARK_ADD | other_types[i],
						FAN_CREATE | FAN_OPEN, AT_FDCWD, self->base));
		EXPECT_EQ(EINVAL, errno);
	}
	/* A namespace mark in a group that does not report mounts. */
	EXPECT_EQ(-1, sys_fanotify_mark(self->plain, FAN_MARK_ADD | FAN_MARK_MNTNS,
					FAN_MNT_ATTACH, AT_FDCWD, "/proc/self/ns/mnt"));
	EXPECT_EQ(EINVAL, errno);
}

/*
 * Without CAP_SYS_ADMIN: no FAN_REPORT_MNT group (it has no file handles, so it is no
 * unprivileged group), and a group made while privileged cannot mark a namespace either.
 */
TEST_F(mnt_errors, unprivileged)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd;

		if (drop_to_nobody())
			_exit(10);
		fd = sys_fanotify_init(FAN_REPORT_MNT, 0);
		if (fd >= 0 || errno != EPERM)
			_exit(11);
		if (sys_fanotify_mark(self->fan, FAN_MARK_ADD | FAN_MARK_MNTNS,
				      FAN_MNT_ATTACH, AT_FDCWD, "/proc/self/ns/mnt") != -1 ||
		    errno != EPERM)
			_exit(12);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
