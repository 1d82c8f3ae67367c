// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify permission event tests: FAN_OPEN_PERM, FAN_ACCESS_PERM and FAN_OPEN_EXEC_PERM on
 * inode, mount and filesystem marks, verdicts, the event record, malformed responses, the order
 * in which group classes are asked, killed waiters, listener close, ignore marks and the absence
 * of merging.
 *
 * Every access runs in a child process (spawn_access()) while the test reads and answers its
 * event.  Everything happens on a private tmpfs in a private mount namespace, so mount and
 * filesystem marks never see another process's files.
 *
 * Behaviour reference: upstream 6.12 fanotify_handle_event() and fanotify_get_response() in
 * fs/notify/fanotify/fanotify.c, fanotify_write(), process_access_response(),
 * process_access_response_info(), fanotify_release() and do_fanotify_mark() in
 * fs/notify/fanotify/fanotify_user.c.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "perm_common.h"

#define FILE_CONTENT "fanotify permission test content\n"

static const char *const true_paths[] = { "/bin/true", "/usr/bin/true" };

/* Marks and verdicts on every mark type, for both permission classes. */

enum mark_type {
	MARK_INODE,
	MARK_MOUNT,
	MARK_FILESYSTEM,
};

FIXTURE(perm_mark)
{
	char dir[DIR_PATH_LEN];
	char file[FILE_PATH_LEN];
	char prog[FILE_PATH_LEN];
	bool have_prog;
	int fan_fd;
	pid_t owner;
};

FIXTURE_VARIANT(perm_mark)
{
	unsigned int class;
	enum mark_type mark;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(perm_mark, content_inode) {
	/* clang-format on */
	.class = FAN_CLASS_CONTENT,
	.mark = MARK_INODE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(perm_mark, content_mount) {
	/* clang-format on */
	.class = FAN_CLASS_CONTENT,
	.mark = MARK_MOUNT,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(perm_mark, content_filesystem) {
	/* clang-format on */
	.class = FAN_CLASS_CONTENT,
	.mark = MARK_FILESYSTEM,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(perm_mark, pre_content_inode) {
	/* clang-format on */
	.class = FAN_CLASS_PRE_CONTENT,
	.mark = MARK_INODE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(perm_mark, pre_content_mount) {
	/* clang-format on */
	.class = FAN_CLASS_PRE_CONTENT,
	.mark = MARK_MOUNT,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(perm_mark, pre_content_filesystem) {
	/* clang-format on */
	.class = FAN_CLASS_PRE_CONTENT,
	.mark = MARK_FILESYSTEM,
};

FIXTURE_SETUP(perm_mark)
{
	int i;

	self->fan_fd = -1;
	self->owner = getpid();
	ASSERT_EQ(0, perm_mount_tmpfs(self->dir)) {
		TH_LOG("private tmpfs: %s", strerror(errno));
	}
	snprintf(self->file, sizeof(self->file), "%s/file", self->dir);
	snprintf(self->prog, sizeof(self->prog), "%s/prog", self->dir);
	ASSERT_EQ(0, create_file(self->file, FILE_CONTENT));
	for (i = 0; i < ARRAY_SIZE(true_paths) && !self->have_prog; i++)
		self->have_prog = !copy_program(true_paths[i], self->prog);
	self->fan_fd = sys_fanotify_init(variant->class | FAN_CLOEXEC | FAN_NONBLOCK,
					 O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fan_fd);
}

/*
 * Teardowns run in the parent: after the harness's longjmp() on a failed assertion the test
 * process may skip a plain FIXTURE_TEARDOWN(), which would leave the temporary directory behind.
 * The parent does not see the private tmpfs, only the empty directory under it; the descriptors
 * belong to the test process and die with it.
 */
FIXTURE_TEARDOWN_PARENT(perm_mark)
{
	if (self->fan_fd >= 0 && getpid() == self->owner)
		close(self->fan_fd);
	perm_umount_tmpfs(self->dir);
}

static int perm_mark_add(FIXTURE_DATA(perm_mark) *self, const FIXTURE_VARIANT(perm_mark) *variant,
			 uint64_t mask, const char *path)
{
	switch (variant->mark) {
	case MARK_MOUNT:
		return sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_MOUNT, mask,
					 AT_FDCWD, self->dir);
	case MARK_FILESYSTEM:
		return sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, mask,
					 AT_FDCWD, self->dir);
	default:
		return sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, mask, AT_FDCWD, path);
	}
}

/*
 * Marks @mask, has a child perform @op on @path, checks the event it waits for (mask exactly
 * @mask, fd on @path, pid of the child), answers @response and checks the child's result.
 */
static void check_verdict(struct __test_metadata *const _metadata,
			  FIXTURE_DATA(perm_mark) *self,
			  const FIXTURE_VARIANT(perm_mark) *variant, uint64_t mask,
			  enum perm_op op, const char *path, uint32_t response, int expected)
{
	struct fanotify_event_metadata m;
	pid_t pid;

	ASSERT_EQ(0, perm_mark_add(self, variant, mask, path));
	pid = spawn_access(op, path);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, read_one_event(self->fan_fd, &m, EVENT_TIMEOUT_MS)) {
		TH_LOG("no permission event: %s", strerror(errno));
	}
	EXPECT_EQ(mask, m.mask);
	EXPECT_EQ(pid, m.pid);
	ASSERT_LE(0, m.fd);
	EXPECT_TRUE(fd_is_path(m.fd, path));
	/* The child waits for the verdict. */
	EXPECT_EQ(CHILD_TIMEOUT, wait_child(pid, 0));
	ASSERT_EQ(sizeof(struct fanotify_response), respond(self->fan_fd, m.fd, response));
	EXPECT_EQ(0, close(m.fd));
	EXPECT_EQ(expected, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
	/* Exactly one event for one access. */
	EXPECT_TRUE(no_event(self->fan_fd));
}

TEST_F(perm_mark, open_allow)
{
	check_verdict(_metadata, self, variant, FAN_OPEN_PERM, PERM_OP_OPEN, self->file,
		      FAN_ALLOW, 0);
}

TEST_F(perm_mark, open_deny)
{
	check_verdict(_metadata, self, variant, FAN_OPEN_PERM, PERM_OP_OPEN, self->file,
		      FAN_DENY, EPERM);
}

/* The file is opened after marking, so that the open file is subject to access permission. */
TEST_F(perm_mark, access_allow)
{
	check_verdict(_metadata, self, variant, FAN_ACCESS_PERM, PERM_OP_READ, self->file,
		      FAN_ALLOW, 0);
}

TEST_F(perm_mark, access_deny)
{
	check_verdict(_metadata, self, variant, FAN_ACCESS_PERM, PERM_OP_READ, self->file,
		      FAN_DENY, EPERM);
}

TEST_F(perm_mark, exec_allow)
{
	if (!self->have_prog)
		SKIP(return, "no true(1) to copy");
	check_verdict(_metadata, self, variant, FAN_OPEN_EXEC_PERM, PERM_OP_EXEC, self->prog,
		      FAN_ALLOW, 0);
}

TEST_F(perm_mark, exec_deny)
{
	if (!self->have_prog)
		SKIP(return, "no true(1) to copy");
	check_verdict(_metadata, self, variant, FAN_OPEN_EXEC_PERM, PERM_OP_EXEC, self->prog,
		      FAN_DENY, EPERM);
}

/* A FAN_CLASS_CONTENT group with FAN_OPEN_PERM on one file, and the rest of the tests. */

FIXTURE(perm)
{
	char dir[DIR_PATH_LEN];
	char file[FILE_PATH_LEN];
	int fan_fd;
	int extra_fd[2];
	pid_t owner;
};

static void perm_world_setup(struct __test_metadata *const _metadata, FIXTURE_DATA(perm) *self)
{
	self->fan_fd = -1;
	self->extra_fd[0] = -1;
	self->extra_fd[1] = -1;
	self->owner = getpid();
	ASSERT_EQ(0, perm_mount_tmpfs(self->dir)) {
		TH_LOG("private tmpfs: %s", strerror(errno));
	}
	snprintf(self->file, sizeof(self->file), "%s/file", self->dir);
	ASSERT_EQ(0, create_file(self->file, FILE_CONTENT));
	self->fan_fd = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK,
					 O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fan_fd);
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD,
				       self->file));
}

static void perm_world_teardown(FIXTURE_DATA(perm) *self)
{
	int i;

	if (getpid() != self->owner)
		goto out;
	for (i = 0; i < ARRAY_SIZE(self->extra_fd); i++)
		if (self->extra_fd[i] >= 0)
			close(self->extra_fd[i]);
	if (self->fan_fd >= 0)
		close(self->fan_fd);
out:
	perm_umount_tmpfs(self->dir);
}

FIXTURE_SETUP(perm)
{
	perm_world_setup(_metadata, self);
}

FIXTURE_TEARDOWN_PARENT(perm)
{
	perm_world_teardown(self);
}

/* Starts a child opening the file and reads its FAN_OPEN_PERM event from @fan_fd. */
static pid_t start_open(struct __test_metadata *const _metadata, int fan_fd, const char *path,
			struct fanotify_event_metadata *m)
{
	pid_t pid = spawn_access(PERM_OP_OPEN, path);

	if (pid < 0) {
		TH_LOG("fork: %s", strerror(errno));
		return -1;
	}
	if (read_one_event(fan_fd, m, EVENT_TIMEOUT_MS)) {
		TH_LOG("no permission event: %s", strerror(errno));
		kill_child(pid);
		return -1;
	}
	if (m->mask != FAN_OPEN_PERM || m->pid != pid || m->fd < 0) {
		TH_LOG("unexpected event mask=0x%llx pid=%d fd=%d",
		       (unsigned long long)m->mask, m->pid, m->fd);
		kill_child(pid);
		return -1;
	}
	return pid;
}

/* Answers @m with @response and checks that the child @pid ends with @expected. */
static void finish_open(struct __test_metadata *const _metadata, int fan_fd, pid_t pid,
			struct fanotify_event_metadata *m, uint32_t response, int expected)
{
	EXPECT_EQ(CHILD_TIMEOUT, wait_child(pid, 0));
	EXPECT_EQ(sizeof(struct fanotify_response), respond(fan_fd, m->fd, response));
	close(m->fd);
	EXPECT_EQ(expected, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
}

TEST_F(perm, notif_group_perm_mark_einval)
{
	static const uint64_t masks[] = { FAN_OPEN_PERM, FAN_ACCESS_PERM, FAN_OPEN_EXEC_PERM };
	int i, fd;

	fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, fd);
	self->extra_fd[0] = fd;
	for (i = 0; i < ARRAY_SIZE(masks); i++) {
		EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD, masks[i], AT_FDCWD, self->file));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, masks[i],
						AT_FDCWD, self->dir));
		EXPECT_EQ(EINVAL, errno);
	}
	/* The same mark is fine on a content group. */
	EXPECT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_ACCESS_PERM, AT_FDCWD,
				       self->file));
}

/* Malformed responses: each is refused and leaves the event pending. */

TEST_F(perm, response_short_write_einval)
{
	struct fanotify_event_metadata m;
	struct fanotify_response r;
	pid_t pid;

	pid = start_open(_metadata, self->fan_fd, self->file, &m);
	ASSERT_LT(0, pid);
	r.fd = m.fd;
	r.response = FAN_ALLOW;
	EXPECT_EQ(-1, write(self->fan_fd, &r, sizeof(r) - 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, write(self->fan_fd, &r, sizeof(r.fd)));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, write(self->fan_fd, &r, 1));
	EXPECT_EQ(EINVAL, errno);
	finish_open(_metadata, self->fan_fd, pid, &m, FAN_DENY, EPERM);
}

TEST_F(perm, response_unknown_bits_einval)
{
	static const uint32_t bad[] = { FAN_ALLOW | 0x40, FAN_DENY | 0x100, FAN_ALLOW | 0x8,
					FAN_ALLOW | 0x10000 };
	struct fanotify_event_metadata m;
	pid_t pid;
	int i;

	pid = start_open(_metadata, self->fan_fd, self->file, &m);
	ASSERT_LT(0, pid);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-1, respond(self->fan_fd, m.fd, bad[i]));
		EXPECT_EQ(EINVAL, errno) {
			TH_LOG("response 0x%x", bad[i]);
		}
	}
	finish_open(_metadata, self->fan_fd, pid, &m, FAN_ALLOW, 0);
}

TEST_F(perm, response_neither_nor_both_einval)
{
	struct fanotify_event_metadata m;
	pid_t pid;

	pid = start_open(_metadata, self->fan_fd, self->file, &m);
	ASSERT_LT(0, pid);
	EXPECT_EQ(-1, respond(self->fan_fd, m.fd, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, respond(self->fan_fd, m.fd, FAN_ALLOW | FAN_DENY));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, respond(self->fan_fd, m.fd, FAN_AUDIT));
	EXPECT_EQ(EINVAL, errno);
	finish_open(_metadata, self->fan_fd, pid, &m, FAN_ALLOW, 0);
}

TEST_F(perm, response_audit_without_enable_audit_einval)
{
	struct fanotify_event_metadata m;
	pid_t pid;

	pid = start_open(_metadata, self->fan_fd, self->file, &m);
	ASSERT_LT(0, pid);
	EXPECT_EQ(-1, respond(self->fan_fd, m.fd, FAN_ALLOW | FAN_AUDIT));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, respond(self->fan_fd, m.fd, FAN_DENY | FAN_AUDIT));
	EXPECT_EQ(EINVAL, errno);
	finish_open(_metadata, self->fan_fd, pid, &m, FAN_DENY, EPERM);
}

TEST_F(perm, response_not_pending_fd_enoent)
{
	struct fanotify_event_metadata m;
	pid_t pid;

	/* Nothing pending at all. */
	EXPECT_EQ(-1, respond(self->fan_fd, 0, FAN_ALLOW));
	EXPECT_EQ(ENOENT, errno);

	pid = start_open(_metadata, self->fan_fd, self->file, &m);
	ASSERT_LT(0, pid);
	/* Another fd number than the event's. */
	EXPECT_EQ(-1, respond(self->fan_fd, self->fan_fd, FAN_ALLOW));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, respond(self->fan_fd, m.fd + 100, FAN_DENY));
	EXPECT_EQ(ENOENT, errno);
	finish_open(_metadata, self->fan_fd, pid, &m, FAN_ALLOW, 0);
}

TEST_F(perm, response_negative_fd_einval)
{
	struct fanotify_event_metadata m;
	pid_t pid;

	pid = start_open(_metadata, self->fan_fd, self->file, &m);
	ASSERT_LT(0, pid);
	EXPECT_EQ(-1, respond(self->fan_fd, FAN_NOFD, FAN_ALLOW));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, respond(self->fan_fd, -2, FAN_DENY));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, respond(self->fan_fd, INT_MIN, FAN_ALLOW));
	EXPECT_EQ(EINVAL, errno);
	finish_open(_metadata, self->fan_fd, pid, &m, FAN_ALLOW, 0);
}

/* Bytes after a response without FAN_INFO are not consumed: write() returns the response size. */
TEST_F(perm, response_trailing_bytes_not_consumed)
{
	struct fanotify_event_metadata m;
	struct response_with_rule b;
	pid_t pid;

	pid = start_open(_metadata, self->fan_fd, self->file, &m);
	ASSERT_LT(0, pid);
	fill_response_with_rule(&b, m.fd, FAN_DENY);
	EXPECT_EQ(sizeof(b.r), write(self->fan_fd, &b, sizeof(b)));
	close(m.fd);
	EXPECT_EQ(EPERM, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
}

/* FAN_INFO with fd FAN_NOFD only validates the information: nothing is answered. */
TEST_F(perm, response_info_nofd_answers_nothing)
{
	struct fanotify_event_metadata m;
	struct response_with_rule b;
	pid_t pid;

	pid = start_open(_metadata, self->fan_fd, self->file, &m);
	ASSERT_LT(0, pid);
	fill_response_with_rule(&b, FAN_NOFD, FAN_DENY | FAN_INFO);
	EXPECT_EQ(sizeof(b), write(self->fan_fd, &b, sizeof(b)));
	fill_response_with_rule(&b, FAN_NOFD, FAN_ALLOW | FAN_INFO);
	EXPECT_EQ(sizeof(b), write(self->fan_fd, &b, sizeof(b)));
	/* The child still waits, and the event is still pending. */
	EXPECT_TRUE(still_blocked(pid, NO_EVENT_TIMEOUT_MS));
	finish_open(_metadata, self->fan_fd, pid, &m, FAN_ALLOW, 0);
}

/* FAN_INFO on a real event answers it and consumes the whole buffer. */
TEST_F(perm, response_info_with_fd)
{
	struct fanotify_event_metadata m;
	struct response_with_rule b;
	pid_t pid;

	pid = start_open(_metadata, self->fan_fd, self->file, &m);
	ASSERT_LT(0, pid);
	fill_response_with_rule(&b, m.fd, FAN_DENY | FAN_INFO);
	EXPECT_EQ(sizeof(b), write(self->fan_fd, &b, sizeof(b)));
	close(m.fd);
	EXPECT_EQ(EPERM, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
	EXPECT_EQ(-1, write(self->fan_fd, &b, sizeof(b)));
	EXPECT_EQ(ENOENT, errno);
}

TEST_F(perm, response_info_malformed_einval)
{
	struct fanotify_event_metadata m;
	struct response_with_rule b;
	char big[sizeof(b) + 8];
	pid_t pid;
	int nofd;

	pid = start_open(_metadata, self->fan_fd, self->file, &m);
	ASSERT_LT(0, pid);
	for (nofd = 0; nofd < 2; nofd++) {
		int fd = nofd ? FAN_NOFD : m.fd;

		/* No information at all. */
		fill_response_with_rule(&b, fd, FAN_ALLOW | FAN_INFO);
		EXPECT_EQ(-1, write(self->fan_fd, &b, sizeof(b.r)));
		EXPECT_EQ(EINVAL, errno);
		/* Information shorter or longer than an audit rule. */
		EXPECT_EQ(-1, write(self->fan_fd, &b, sizeof(b) - 1));
		EXPECT_EQ(EINVAL, errno);
		memset(big, 0, sizeof(big));
		memcpy(big, &b, sizeof(b));
		EXPECT_EQ(-1, write(self->fan_fd, big, sizeof(big)));
		EXPECT_EQ(EINVAL, errno);
		/* Wrong type. */
		b.rule.hdr.type = FAN_RESPONSE_INFO_NONE;
		EXPECT_EQ(-1, write(self->fan_fd, &b, sizeof(b)));
		EXPECT_EQ(EINVAL, errno);
		b.rule.hdr.type = 2;
		EXPECT_EQ(-1, write(self->fan_fd, &b, sizeof(b)));
		EXPECT_EQ(EINVAL, errno);
		/* Non-zero pad. */
		fill_response_with_rule(&b, fd, FAN_ALLOW | FAN_INFO);
		b.rule.hdr.pad = 1;
		EXPECT_EQ(-1, write(self->fan_fd, &b, sizeof(b)));
		EXPECT_EQ(EINVAL, errno);
		/* Wrong header length. */
		fill_response_with_rule(&b, fd, FAN_ALLOW | FAN_INFO);
		b.rule.hdr.len = sizeof(b.rule) - 1;
		EXPECT_EQ(-1, write(self->fan_fd, &b, sizeof(b)));
		EXPECT_EQ(EINVAL, errno);
		b.rule.hdr.len = sizeof(b.rule) + 1;
		EXPECT_EQ(-1, write(self->fan_fd, &b, sizeof(b)));
		EXPECT_EQ(EINVAL, errno);
	}
	finish_open(_metadata, self->fan_fd, pid, &m, FAN_DENY, EPERM);
}

TEST_F(perm, response_twice_enoent)
{
	struct fanotify_event_metadata m;
	pid_t pid;

	pid = start_open(_metadata, self->fan_fd, self->file, &m);
	ASSERT_LT(0, pid);
	EXPECT_EQ(sizeof(struct fanotify_response), respond(self->fan_fd, m.fd, FAN_DENY));
	EXPECT_EQ(-1, respond(self->fan_fd, m.fd, FAN_ALLOW));
	EXPECT_EQ(ENOENT, errno);
	close(m.fd);
	/* The first verdict stands. */
	EXPECT_EQ(EPERM, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
	EXPECT_EQ(-1, respond(self->fan_fd, m.fd, FAN_ALLOW));
	EXPECT_EQ(ENOENT, errno);
}

/* FAN_ENABLE_AUDIT groups may add FAN_AUDIT (needs CONFIG_AUDITSYSCALL and CAP_AUDIT_WRITE). */
TEST_F(perm, response_audit)
{
	struct fanotify_event_metadata m;
	struct response_with_rule b;
	pid_t pid;
	int fd;

	fd = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_ENABLE_AUDIT | FAN_CLOEXEC | FAN_NONBLOCK,
			       O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == EINVAL)
		SKIP(return, "FAN_ENABLE_AUDIT not supported (CONFIG_AUDITSYSCALL)");
	if (fd < 0 && errno == EPERM)
		SKIP(return, "FAN_ENABLE_AUDIT needs CAP_AUDIT_WRITE");
	ASSERT_LE(0, fd);
	self->extra_fd[0] = fd;
	/* Only the audit group answers. */
	close(self->fan_fd);
	self->fan_fd = -1;
	ASSERT_EQ(0, sys_fanotify_mark(fd, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD, self->file));

	pid = start_open(_metadata, fd, self->file, &m);
	ASSERT_LT(0, pid);
	finish_open(_metadata, fd, pid, &m, FAN_ALLOW | FAN_AUDIT, 0);

	pid = start_open(_metadata, fd, self->file, &m);
	ASSERT_LT(0, pid);
	fill_response_with_rule(&b, m.fd, FAN_DENY | FAN_AUDIT | FAN_INFO);
	EXPECT_EQ(sizeof(b), write(fd, &b, sizeof(b)));
	close(m.fd);
	EXPECT_EQ(EPERM, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
}

/*
 * Classes: a FAN_CLASS_PRE_CONTENT group is asked before a FAN_CLASS_CONTENT group, and a denial
 * stops the access before the next group is asked and before FAN_OPEN is generated.
 */
static void check_class_order(struct __test_metadata *const _metadata,
			      FIXTURE_DATA(perm) *self, uint32_t pre_response)
{
	struct fanotify_event_metadata m, mc;
	int pre, notif;
	pid_t pid;

	pre = sys_fanotify_init(FAN_CLASS_PRE_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK,
				O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, pre);
	self->extra_fd[0] = pre;
	notif = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
				  O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, notif);
	self->extra_fd[1] = notif;
	ASSERT_EQ(0, sys_fanotify_mark(notif, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, self->file));
	ASSERT_EQ(0, sys_fanotify_mark(pre, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD, self->file));

	pid = start_open(_metadata, pre, self->file, &m);
	ASSERT_LT(0, pid);
	/* The content group is not asked before the pre-content group answers. */
	EXPECT_TRUE(no_event(self->fan_fd));
	EXPECT_EQ(0, wait_readable(notif, 0));
	EXPECT_EQ(CHILD_TIMEOUT, wait_child(pid, 0));
	ASSERT_EQ(sizeof(struct fanotify_response), respond(pre, m.fd, pre_response));
	close(m.fd);

	if (pre_response == FAN_DENY) {
		EXPECT_EQ(EPERM, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
		EXPECT_TRUE(no_event(self->fan_fd));
		EXPECT_TRUE(no_event(notif));
		EXPECT_TRUE(no_event(pre));
		return;
	}

	ASSERT_EQ(0, read_one_event(self->fan_fd, &mc, EVENT_TIMEOUT_MS));
	EXPECT_EQ(FAN_OPEN_PERM, mc.mask);
	EXPECT_EQ(pid, mc.pid);
	EXPECT_TRUE(fd_is_path(mc.fd, self->file));
	/* FAN_OPEN comes once the open succeeded. */
	EXPECT_EQ(0, wait_readable(notif, 0));
	finish_open(_metadata, self->fan_fd, pid, &mc, FAN_ALLOW, 0);
	ASSERT_EQ(0, read_one_event(notif, &m, EVENT_TIMEOUT_MS));
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_EQ(pid, m.pid);
	EXPECT_TRUE(fd_is_path(m.fd, self->file));
	close(m.fd);
	EXPECT_TRUE(no_event(pre));
}

TEST_F(perm, class_order_pre_content_allows)
{
	check_class_order(_metadata, self, FAN_ALLOW);
}

TEST_F(perm, class_order_pre_content_denies)
{
	check_class_order(_metadata, self, FAN_DENY);
}

/* The waiting task can be killed before its event is read: the event disappears. */
TEST_F(perm, kill_waiter_event_unread)
{
	struct fanotify_event_metadata m;
	long long t;
	pid_t pid;

	pid = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, pid);
	ASSERT_EQ(1, wait_readable(self->fan_fd, EVENT_TIMEOUT_MS));
	EXPECT_EQ(CHILD_TIMEOUT, wait_child(pid, 0));
	t = now_ns();
	ASSERT_EQ(0, kill(pid, SIGKILL));
	EXPECT_EQ(CHILD_SIGNALED + SIGKILL, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
	EXPECT_GT(2000LL, (now_ns() - t) / 1000000);
	/* The abandoned event is gone from the queue. */
	EXPECT_TRUE(no_event(self->fan_fd));

	/* The listener still works. */
	pid = start_open(_metadata, self->fan_fd, self->file, &m);
	ASSERT_LT(0, pid);
	finish_open(_metadata, self->fan_fd, pid, &m, FAN_DENY, EPERM);
}

/*
 * The waiting task can be killed after its event was read: a late answer is still accepted once
 * (the event waits for it in the canceled state), then the fd is unknown.
 */
TEST_F(perm, kill_waiter_event_read)
{
	struct fanotify_event_metadata m, m2;
	long long t;
	pid_t pid;

	pid = start_open(_metadata, self->fan_fd, self->file, &m);
	ASSERT_LT(0, pid);
	t = now_ns();
	ASSERT_EQ(0, kill(pid, SIGKILL));
	EXPECT_EQ(CHILD_SIGNALED + SIGKILL, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
	EXPECT_GT(2000LL, (now_ns() - t) / 1000000);
	EXPECT_TRUE(no_event(self->fan_fd));

	/* Another access is served while the abandoned event is unanswered. */
	pid = start_open(_metadata, self->fan_fd, self->file, &m2);
	ASSERT_LT(0, pid);
	EXPECT_NE(m.fd, m2.fd);
	finish_open(_metadata, self->fan_fd, pid, &m2, FAN_ALLOW, 0);

	EXPECT_EQ(sizeof(struct fanotify_response), respond(self->fan_fd, m.fd, FAN_ALLOW));
	EXPECT_EQ(-1, respond(self->fan_fd, m.fd, FAN_ALLOW));
	EXPECT_EQ(ENOENT, errno);
	close(m.fd);
}

/* A killed waiter whose event is never answered does not hold up the listener's close. */
TEST_F(perm, kill_waiter_then_close)
{
	struct fanotify_event_metadata m;
	long long t;
	pid_t pid;

	pid = start_open(_metadata, self->fan_fd, self->file, &m);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	EXPECT_EQ(CHILD_SIGNALED + SIGKILL, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
	close(m.fd);
	t = now_ns();
	EXPECT_EQ(0, close(self->fan_fd));
	self->fan_fd = -1;
	EXPECT_GT(2000LL, (now_ns() - t) / 1000000);
	/* Nobody watches any more. */
	pid = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
}

/* Closing the listener allows every waiting access, read or not. */
TEST_F(perm, close_listener_allows_waiters)
{
	struct fanotify_event_metadata m;
	long long deadline;
	pid_t pid[3];
	int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(pid); i++) {
		pid[i] = spawn_access(PERM_OP_OPEN, self->file);
		ASSERT_LT(0, pid[i]);
	}
	/* Wait for the three events to be queued. */
	deadline = now_ns() + EVENT_TIMEOUT_MS * 1000000LL;
	while (now_ns() < deadline) {
		ASSERT_EQ(0, ioctl_fionread(self->fan_fd, &n));
		if (n >= 3 * (int)FAN_EVENT_METADATA_LEN)
			break;
		usleep(2000);
	}
	ASSERT_EQ(3 * FAN_EVENT_METADATA_LEN, n);
	/* Read one of them, leave two queued. */
	ASSERT_EQ(0, read_one_event(self->fan_fd, &m, 0));
	EXPECT_EQ(FAN_OPEN_PERM, m.mask);
	for (i = 0; i < ARRAY_SIZE(pid); i++)
		EXPECT_EQ(CHILD_TIMEOUT, wait_child(pid[i], 0));

	EXPECT_EQ(0, close(self->fan_fd));
	self->fan_fd = -1;
	for (i = 0; i < ARRAY_SIZE(pid); i++)
		EXPECT_EQ(0, wait_child(pid[i], CHILD_EXIT_TIMEOUT_MS));
	close(m.fd);
}

/* Permission events are never merged: two waiters on one file get two events. */
TEST_F(perm, never_merged)
{
	struct fanotify_event_metadata ev[2];
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	long long deadline;
	pid_t pid[2];
	int i, n = 0;

	for (i = 0; i < 2; i++) {
		pid[i] = spawn_access(PERM_OP_OPEN, self->file);
		ASSERT_LT(0, pid[i]);
	}
	deadline = now_ns() + EVENT_TIMEOUT_MS * 1000000LL;
	while (n < 2 && now_ns() < deadline) {
		const struct fanotify_event_metadata *m = (void *)buf;
		ssize_t len = read_events(self->fan_fd, buf, 50);

		ASSERT_LE(0, len);
		for (; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
			ASSERT_GT(2, n);
			ev[n++] = *m;
		}
	}
	ASSERT_EQ(2, n);
	EXPECT_TRUE(no_event(self->fan_fd));
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(FAN_OPEN_PERM, ev[i].mask);
		EXPECT_TRUE(fd_is_path(ev[i].fd, self->file));
	}
	EXPECT_NE(ev[0].fd, ev[1].fd);
	EXPECT_NE(ev[0].pid, ev[1].pid);
	EXPECT_TRUE(ev[0].pid == pid[0] || ev[0].pid == pid[1]);
	EXPECT_TRUE(ev[1].pid == pid[0] || ev[1].pid == pid[1]);

	/* Each event is answered on its own: allow the first, deny the second. */
	ASSERT_EQ(sizeof(struct fanotify_response), respond(self->fan_fd, ev[0].fd, FAN_ALLOW));
	EXPECT_EQ(0, wait_child(ev[0].pid, CHILD_EXIT_TIMEOUT_MS));
	EXPECT_EQ(CHILD_TIMEOUT, wait_child(ev[1].pid, 0));
	ASSERT_EQ(sizeof(struct fanotify_response), respond(self->fan_fd, ev[1].fd, FAN_DENY));
	EXPECT_EQ(EPERM, wait_child(ev[1].pid, CHILD_EXIT_TIMEOUT_MS));
	close(ev[0].fd);
	close(ev[1].fd);
}

/* Ignore marks cache a verdict until the file is modified (unless they survive modification). */

FIXTURE(perm_ignore)
{
	FIXTURE_DATA(perm) p;
};

FIXTURE_VARIANT(perm_ignore)
{
	bool surv_modify;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(perm_ignore, cleared_by_modify) {
	/* clang-format on */
	.surv_modify = false,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(perm_ignore, surv_modify) {
	/* clang-format on */
	.surv_modify = true,
};

FIXTURE_SETUP(perm_ignore)
{
	perm_world_setup(_metadata, &self->p);
}

FIXTURE_TEARDOWN_PARENT(perm_ignore)
{
	perm_world_teardown(&self->p);
}

TEST_F(perm_ignore, ignore_mask)
{
	unsigned int flags = FAN_MARK_ADD | FAN_MARK_IGNORED_MASK;
	struct fanotify_event_metadata m;
	int fan_fd = self->p.fan_fd;
	const char *file = self->p.file;
	pid_t pid;

	if (variant->surv_modify)
		flags |= FAN_MARK_IGNORED_SURV_MODIFY;

	pid = start_open(_metadata, fan_fd, file, &m);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, sys_fanotify_mark(fan_fd, flags, FAN_OPEN_PERM, AT_FDCWD, file));
	finish_open(_metadata, fan_fd, pid, &m, FAN_ALLOW, 0);

	/* Ignored: not reported, not blocked. */
	pid = spawn_access(PERM_OP_OPEN, file);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
	EXPECT_TRUE(no_event(fan_fd));

	/* A modification: its open is still ignored. */
	pid = spawn_access(PERM_OP_WRITE, file);
	ASSERT_LT(0, pid);
	EXPECT_EQ(0, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
	EXPECT_TRUE(no_event(fan_fd));

	if (variant->surv_modify) {
		pid = spawn_access(PERM_OP_OPEN, file);
		ASSERT_LT(0, pid);
		EXPECT_EQ(0, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
		EXPECT_TRUE(no_event(fan_fd));
		return;
	}
	/* The modification cleared the ignore mask: the next open is asked again. */
	pid = start_open(_metadata, fan_fd, file, &m);
	ASSERT_LT(0, pid);
	finish_open(_metadata, fan_fd, pid, &m, FAN_DENY, EPERM);
}

TEST_HARNESS_MAIN
