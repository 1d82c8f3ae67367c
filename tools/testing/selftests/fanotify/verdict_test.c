// SPDX-License-Identifier: GPL-2.0
/*
 * Beyond upstream: verdicts that cost less.
 *
 *  - FAN_CACHE with FAN_ALLOW remembers the verdict for the event's inode
 *    as an evictable ignore mark of the group, made before the verdict
 *    applies; a modification clears it unless FAN_CACHE_SURV_MODIFY;
 *  - FAN_RESPONSE_BATCH groups may write several responses at once.
 *
 * On the stock kernel the response bits and the init flag are refused with
 * EINVAL (that is how programs probe); the rest skips there.  Upstream's
 * own behaviour for a write of two responses without the flag (the first
 * is taken, 8 bytes are returned) is checked on both kernels.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "perm_common.h"

#ifndef FAN_CACHE
#define FAN_EXCLUDE_SELF	0x10000000
#define FAN_RESPONSE_BATCH	0x04000000
#define FAN_CACHE		0x00800000
#define FAN_CACHE_SURV_MODIFY	0x00200000
#endif

#define BEYOND "beyond upstream: FAN_CACHE and FAN_RESPONSE_BATCH are ours"
#define RESPONSE_LEN ((ssize_t)sizeof(struct fanotify_response))
#define MAX_USER_MARKS "/proc/sys/fs/fanotify/max_user_marks"

FIXTURE(verdict)
{
	char dir[DIR_PATH_LEN];
	char file[FILE_PATH_LEN];
	char other[FILE_PATH_LEN];
	int fan_fd;
	pid_t child;
	bool restore_marks;
	long saved_marks;
};

FIXTURE_SETUP(verdict)
{
	self->fan_fd = -1;
	self->child = -1;
	ASSERT_EQ(0, perm_mount_tmpfs(self->dir)) {
		TH_LOG("private tmpfs: %s", strerror(errno));
	}
	snprintf(self->file, sizeof(self->file), "%s/file", self->dir);
	snprintf(self->other, sizeof(self->other), "%s/other", self->dir);
	ASSERT_EQ(0, create_file(self->file, "cached\n"));
	ASSERT_EQ(0, create_file(self->other, "other\n"));
}

/* In the parent: a blocked accessor is not its child, it is only killed. */
FIXTURE_TEARDOWN_PARENT(verdict)
{
	if (self->child > 0)
		kill(self->child, SIGKILL);
	if (self->restore_marks)
		sysctl_write(MAX_USER_MARKS, self->saved_marks);
	perm_umount_tmpfs(self->dir);
}

static int perm_listener(FIXTURE_DATA(verdict) *self, unsigned int flags)
{
	self->fan_fd = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK | flags,
					 O_RDONLY | O_CLOEXEC);
	if (self->fan_fd < 0)
		return -1;
	/* A filesystem mark: the cache is a mark of its own on the inode. */
	return sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
				 FAN_OPEN_PERM, AT_FDCWD, self->dir);
}

/* Starts an access of @path and reads its event into @m. */
static int access_and_read(FIXTURE_DATA(verdict) *self, enum perm_op op, const char *path,
			   struct fanotify_event_metadata *m)
{
	self->child = spawn_access(op, path);
	if (self->child <= 0)
		return -1;
	return read_one_event(self->fan_fd, m, EVENT_TIMEOUT_MS);
}

static int finish_access(FIXTURE_DATA(verdict) *self)
{
	int code = wait_child(self->child, CHILD_EXIT_TIMEOUT_MS);

	self->child = -1;
	return code;
}

/* An access of @path that the group must not be asked about. */
static int unasked_access(FIXTURE_DATA(verdict) *self, enum perm_op op, const char *path)
{
	self->child = spawn_access(op, path);
	if (self->child <= 0)
		return -1;
	return finish_access(self);
}

/* The "fanotify ino:" line of the group's mark on @path, or an empty string. */
static void inode_mark_line(int fan_fd, const char *path, char *out, size_t len)
{
	char fdinfo[64], line[512], want[64];
	struct stat st;
	FILE *f;

	out[0] = '\0';
	if (stat(path, &st))
		return;
	snprintf(want, sizeof(want), "fanotify ino:%lx ", (unsigned long)st.st_ino);
	snprintf(fdinfo, sizeof(fdinfo), "/proc/self/fdinfo/%d", fan_fd);
	f = fopen(fdinfo, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, want, strlen(want))) {
			snprintf(out, len, "%s", line);
			break;
		}
	fclose(f);
}

TEST_F(verdict, cache_probe_on_stock)
{
	struct fanotify_event_metadata m;

	if (!kernel_is_stock())
		SKIP(return, "probes the stock kernel");
	ASSERT_EQ(0, perm_listener(self, 0));
	ASSERT_EQ(0, access_and_read(self, PERM_OP_OPEN, self->file, &m));
	EXPECT_EQ(-1, respond(self->fan_fd, m.fd, FAN_ALLOW | FAN_CACHE));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(RESPONSE_LEN, respond(self->fan_fd, m.fd, FAN_ALLOW));
	EXPECT_EQ(0, finish_access(self));
	close(m.fd);
	EXPECT_EQ(-1, sys_fanotify_init(FAN_CLASS_CONTENT | FAN_RESPONSE_BATCH, 0));
	EXPECT_EQ(EINVAL, errno);
}

/* The cached verdict: the next accesses are not asked, until a modification. */
TEST_F(verdict, cache_allow_until_modified)
{
	struct fanotify_event_metadata m;
	char line[512];

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, perm_listener(self, 0));
	ASSERT_EQ(0, access_and_read(self, PERM_OP_OPEN, self->file, &m));
	EXPECT_EQ(RESPONSE_LEN, respond(self->fan_fd, m.fd, FAN_ALLOW | FAN_CACHE));
	EXPECT_EQ(0, finish_access(self));
	close(m.fd);

	/* An evictable mark with the permission events in its ignore mask. */
	inode_mark_line(self->fan_fd, self->file, line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, "mflags:200 ")) {
		TH_LOG("mark: %s", line);
	}
	EXPECT_NE(NULL, strstr(line, "ignored_mask:70000")) {
		TH_LOG("mark: %s", line);
	}
	EXPECT_EQ(0, unasked_access(self, PERM_OP_OPEN, self->file));
	EXPECT_EQ(0, unasked_access(self, PERM_OP_READ, self->file));
	EXPECT_TRUE(no_event(self->fan_fd));
	/* Another file is still asked about. */
	ASSERT_EQ(0, access_and_read(self, PERM_OP_OPEN, self->other, &m));
	EXPECT_EQ(RESPONSE_LEN, respond(self->fan_fd, m.fd, FAN_DENY));
	EXPECT_EQ(EPERM, finish_access(self));
	close(m.fd);

	/* A modification (by a process the group allows) clears the cache. */
	ASSERT_EQ(0, unasked_access(self, PERM_OP_WRITE, self->file));
	ASSERT_EQ(0, access_and_read(self, PERM_OP_OPEN, self->file, &m));
	EXPECT_EQ(RESPONSE_LEN, respond(self->fan_fd, m.fd, FAN_DENY));
	EXPECT_EQ(EPERM, finish_access(self));
	close(m.fd);
}

TEST_F(verdict, cache_survives_modification)
{
	struct fanotify_event_metadata m;
	char line[512];

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, perm_listener(self, 0));
	ASSERT_EQ(0, access_and_read(self, PERM_OP_OPEN, self->file, &m));
	EXPECT_EQ(RESPONSE_LEN, respond(self->fan_fd, m.fd,
					FAN_ALLOW | FAN_CACHE | FAN_CACHE_SURV_MODIFY));
	EXPECT_EQ(0, finish_access(self));
	close(m.fd);
	inode_mark_line(self->fan_fd, self->file, line, sizeof(line));
	/* Evictable and surviving modification. */
	EXPECT_NE(NULL, strstr(line, "mflags:240 ")) {
		TH_LOG("mark: %s", line);
	}
	EXPECT_EQ(0, unasked_access(self, PERM_OP_WRITE, self->file));
	EXPECT_EQ(0, unasked_access(self, PERM_OP_OPEN, self->file));
	EXPECT_TRUE(no_event(self->fan_fd));
}

/* As fanotify_mark() does, nothing is remembered for a file open for writing. */
TEST_F(verdict, cache_skipped_while_open_for_write)
{
	struct fanotify_event_metadata m;
	char line[512];
	int wfd;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, perm_listener(self, FAN_EXCLUDE_SELF));
	/* Our own open for writing raises nothing (excluded). */
	wfd = open(self->file, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, wfd);
	ASSERT_EQ(0, access_and_read(self, PERM_OP_OPEN, self->file, &m));
	EXPECT_EQ(RESPONSE_LEN, respond(self->fan_fd, m.fd, FAN_ALLOW | FAN_CACHE));
	EXPECT_EQ(0, finish_access(self));
	close(m.fd);
	inode_mark_line(self->fan_fd, self->file, line, sizeof(line));
	EXPECT_STREQ("", line);
	/* So the next access is asked again. */
	ASSERT_EQ(0, access_and_read(self, PERM_OP_OPEN, self->file, &m));
	EXPECT_EQ(RESPONSE_LEN, respond(self->fan_fd, m.fd,
					FAN_ALLOW | FAN_CACHE | FAN_CACHE_SURV_MODIFY));
	EXPECT_EQ(0, finish_access(self));
	close(m.fd);
	/* A surviving cache is made even so. */
	EXPECT_EQ(0, unasked_access(self, PERM_OP_OPEN, self->file));
	EXPECT_TRUE(no_event(self->fan_fd));
	close(wfd);
}

/* A mark the listener made keeps its flags: caching on it never makes it evictable. */
TEST_F(verdict, cache_on_listener_mark)
{
	struct fanotify_event_metadata m;
	char line[512];

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, perm_listener(self, 0));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_CLOSE_WRITE, AT_FDCWD,
				       self->file));
	ASSERT_EQ(0, access_and_read(self, PERM_OP_OPEN, self->file, &m));
	EXPECT_EQ(RESPONSE_LEN, respond(self->fan_fd, m.fd, FAN_ALLOW | FAN_CACHE));
	EXPECT_EQ(0, finish_access(self));
	close(m.fd);
	inode_mark_line(self->fan_fd, self->file, line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, "mflags:0 ")) {
		TH_LOG("mark: %s", line);
	}
	EXPECT_NE(NULL, strstr(line, "mask:8 ")) {
		TH_LOG("mark: %s", line);
	}
	EXPECT_EQ(0, unasked_access(self, PERM_OP_OPEN, self->file));
	EXPECT_TRUE(no_event(self->fan_fd));
}

TEST_F(verdict, cache_bad_responses)
{
	struct fanotify_event_metadata m;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, perm_listener(self, 0));
	ASSERT_EQ(0, access_and_read(self, PERM_OP_OPEN, self->file, &m));
	/* A denial cannot be remembered as "do not ask". */
	EXPECT_EQ(-1, respond(self->fan_fd, m.fd, FAN_DENY | FAN_CACHE));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, respond(self->fan_fd, m.fd, FAN_ALLOW | FAN_CACHE_SURV_MODIFY));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, respond(self->fan_fd, m.fd, FAN_ALLOW | FAN_CACHE | 0x00400000));
	EXPECT_EQ(EINVAL, errno);
	/* An fd that is not pending. */
	EXPECT_EQ(-1, respond(self->fan_fd, m.fd + 100, FAN_ALLOW | FAN_CACHE));
	EXPECT_EQ(ENOENT, errno);
	/* The refused answers left the event pending. */
	EXPECT_TRUE(still_blocked(self->child, 50));
	EXPECT_EQ(RESPONSE_LEN, respond(self->fan_fd, m.fd, FAN_DENY));
	EXPECT_EQ(EPERM, finish_access(self));
	close(m.fd);
}

/* At the mark limit the verdict applies and the write reports ENOSPC. */
TEST_F(verdict, cache_at_mark_limit)
{
	struct fanotify_event_metadata m;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	if (geteuid() != 0)
		SKIP(return, "needs root for the sysctl");
	ASSERT_EQ(0, perm_listener(self, 0));
	ASSERT_EQ(0, sysctl_read(MAX_USER_MARKS, &self->saved_marks));
	self->restore_marks = true;
	/* Room for nothing more: the filesystem mark (and other tests' marks) count. */
	ASSERT_EQ(0, sysctl_write(MAX_USER_MARKS, 0));
	ASSERT_EQ(0, access_and_read(self, PERM_OP_OPEN, self->file, &m));
	EXPECT_EQ(-1, respond(self->fan_fd, m.fd, FAN_ALLOW | FAN_CACHE));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(0, finish_access(self));
	/* Answered: no longer pending. */
	EXPECT_EQ(-1, respond(self->fan_fd, m.fd, FAN_ALLOW));
	EXPECT_EQ(ENOENT, errno);
	close(m.fd);
	ASSERT_EQ(0, sysctl_write(MAX_USER_MARKS, self->saved_marks));
	self->restore_marks = false;
	/* Nothing was remembered. */
	ASSERT_EQ(0, access_and_read(self, PERM_OP_OPEN, self->file, &m));
	EXPECT_EQ(RESPONSE_LEN, respond(self->fan_fd, m.fd, FAN_ALLOW));
	EXPECT_EQ(0, finish_access(self));
	close(m.fd);
}

/* Upstream, on both kernels: without the flag, a write of two responses takes the first. */
TEST_F(verdict, two_responses_without_batch)
{
	struct fanotify_event_metadata m1, m2;
	struct fanotify_response r[2];
	pid_t first;

	ASSERT_EQ(0, perm_listener(self, 0));
	ASSERT_EQ(0, access_and_read(self, PERM_OP_OPEN, self->file, &m1));
	first = self->child;
	ASSERT_EQ(0, access_and_read(self, PERM_OP_OPEN, self->other, &m2));
	r[0] = (struct fanotify_response){ .fd = m1.fd, .response = FAN_ALLOW };
	r[1] = (struct fanotify_response){ .fd = m2.fd, .response = FAN_DENY };
	EXPECT_EQ(RESPONSE_LEN, write(self->fan_fd, r, sizeof(r)));
	EXPECT_EQ(0, wait_child(first, CHILD_EXIT_TIMEOUT_MS));
	EXPECT_TRUE(still_blocked(self->child, 50));
	EXPECT_EQ(RESPONSE_LEN, respond(self->fan_fd, m2.fd, FAN_DENY));
	EXPECT_EQ(EPERM, finish_access(self));
	close(m1.fd);
	close(m2.fd);
}

/* Several accesses answered by one write(). */
TEST_F(verdict, batch_answers)
{
	struct fanotify_event_metadata m[3];
	struct fanotify_response r[3];
	pid_t kids[3];
	int i;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, perm_listener(self, FAN_RESPONSE_BATCH));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, access_and_read(self, PERM_OP_OPEN, i == 1 ? self->other : self->file,
					     &m[i]));
		kids[i] = self->child;
		r[i] = (struct fanotify_response){
			.fd = m[i].fd, .response = i == 1 ? FAN_DENY : FAN_ALLOW
		};
	}
	self->child = -1;
	EXPECT_EQ(sizeof(r), write(self->fan_fd, r, sizeof(r)));
	EXPECT_EQ(0, wait_child(kids[0], CHILD_EXIT_TIMEOUT_MS));
	EXPECT_EQ(EPERM, wait_child(kids[1], CHILD_EXIT_TIMEOUT_MS));
	EXPECT_EQ(0, wait_child(kids[2], CHILD_EXIT_TIMEOUT_MS));
	for (i = 0; i < 3; i++)
		close(m[i].fd);
	EXPECT_TRUE(no_event(self->fan_fd));
}

/* A bad response stops the batch: the ones before it apply, the rest stay pending. */
TEST_F(verdict, batch_partial_failure)
{
	struct fanotify_event_metadata m[2];
	struct fanotify_response r[3];
	pid_t kids[2];
	char buf[sizeof(r) + 4];
	int i;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, perm_listener(self, FAN_RESPONSE_BATCH));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, access_and_read(self, PERM_OP_OPEN, self->file, &m[i]));
		kids[i] = self->child;
	}
	self->child = -1;
	r[0] = (struct fanotify_response){ .fd = m[0].fd, .response = FAN_ALLOW };
	r[1] = (struct fanotify_response){ .fd = m[1].fd, .response = FAN_ALLOW | FAN_DENY };
	r[2] = (struct fanotify_response){ .fd = m[1].fd, .response = FAN_ALLOW };
	EXPECT_EQ(RESPONSE_LEN, write(self->fan_fd, r, sizeof(r)));
	EXPECT_EQ(0, wait_child(kids[0], CHILD_EXIT_TIMEOUT_MS));
	EXPECT_TRUE(still_blocked(kids[1], 50));

	/* A bad first response returns its errno. */
	EXPECT_EQ(-1, write(self->fan_fd, &r[1], 2 * sizeof(r[0])));
	EXPECT_EQ(EINVAL, errno);
	/* An fd that is not pending, first: ENOENT. */
	r[0].fd = m[1].fd + 100;
	EXPECT_EQ(-1, write(self->fan_fd, &r[0], sizeof(r[0])));
	EXPECT_EQ(ENOENT, errno);
	/* Fewer bytes than a response: EINVAL. */
	EXPECT_EQ(-1, write(self->fan_fd, &r[2], 4));
	EXPECT_EQ(EINVAL, errno);
	/* A whole response and a tail too short for another: the tail is not consumed. */
	memcpy(buf, &r[2], sizeof(r[2]));
	memset(buf + sizeof(r[2]), 0, 4);
	EXPECT_EQ(RESPONSE_LEN, write(self->fan_fd, buf, sizeof(r[2]) + 4));
	EXPECT_EQ(0, wait_child(kids[1], CHILD_EXIT_TIMEOUT_MS));
	for (i = 0; i < 2; i++)
		close(m[i].fd);
}

/* Info records in a batch are delimited by their headers; a truncated one is refused. */
TEST_F(verdict, batch_info_records)
{
	struct fanotify_event_metadata m[2];
	struct response_with_rule b[2];
	pid_t kids[2];
	int i;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	self->fan_fd = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK |
					 FAN_RESPONSE_BATCH | FAN_ENABLE_AUDIT,
					 O_RDONLY | O_CLOEXEC);
	if (self->fan_fd < 0 && errno == EINVAL)
		SKIP(return, "FAN_ENABLE_AUDIT not supported (CONFIG_AUDITSYSCALL)");
	if (self->fan_fd < 0 && errno == EPERM)
		SKIP(return, "FAN_ENABLE_AUDIT needs CAP_AUDIT_WRITE");
	ASSERT_LE(0, self->fan_fd);
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
				       FAN_OPEN_PERM, AT_FDCWD, self->dir));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, access_and_read(self, PERM_OP_OPEN, self->file, &m[i]));
		kids[i] = self->child;
		fill_response_with_rule(&b[i], m[i].fd, FAN_ALLOW | FAN_AUDIT | FAN_INFO);
	}
	self->child = -1;
	/* The second record is cut short: only the first response applies. */
	EXPECT_EQ(sizeof(b[0]), write(self->fan_fd, b, sizeof(b) - 1));
	EXPECT_EQ(0, wait_child(kids[0], CHILD_EXIT_TIMEOUT_MS));
	EXPECT_TRUE(still_blocked(kids[1], 50));
	/* Whole, it applies. */
	EXPECT_EQ(sizeof(b[1]), write(self->fan_fd, &b[1], sizeof(b[1])));
	EXPECT_EQ(0, wait_child(kids[1], CHILD_EXIT_TIMEOUT_MS));
	for (i = 0; i < 2; i++)
		close(m[i].fd);
}

/* FAN_CACHE in a batch: remembered; a failure is counted in fdinfo, not reported. */
TEST_F(verdict, batch_with_cache)
{
	struct fanotify_event_metadata m;
	struct fanotify_response r;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, perm_listener(self, FAN_RESPONSE_BATCH));
	ASSERT_EQ(0, access_and_read(self, PERM_OP_OPEN, self->file, &m));
	r = (struct fanotify_response){ .fd = m.fd, .response = FAN_ALLOW | FAN_CACHE };
	EXPECT_EQ(RESPONSE_LEN, write(self->fan_fd, &r, sizeof(r)));
	EXPECT_EQ(0, finish_access(self));
	close(m.fd);
	EXPECT_EQ(0, unasked_access(self, PERM_OP_OPEN, self->file));
	EXPECT_TRUE(no_event(self->fan_fd));
}

TEST(batch_needs_permission_class)
{
	int fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_RESPONSE_BATCH, 0);

	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	if (fd >= 0)
		close(fd);
}

TEST_HARNESS_MAIN
