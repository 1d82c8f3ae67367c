// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify event tests: generation of each event type on inode marks, content of the event
 * metadata and of the event fd, read()/poll()/FIONREAD semantics and event merging.
 *
 * Behaviour reference: upstream 6.12 fanotify_read(), get_one_event(), copy_event_to_user(),
 * create_fd() and fanotify_ioctl() in fs/notify/fanotify/fanotify_user.c, and
 * fanotify_group_event_mask(), fanotify_should_merge() and fanotify_merge() in
 * fs/notify/fanotify/fanotify.c.
 */

#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "common.h"

#define FILE_CONTENT "fanotify test content\n"

FIXTURE(ev)
{
	char dir[DIR_PATH_LEN];
	char file[FILE_PATH_LEN];
	char file2[FILE_PATH_LEN];
	char subdir[FILE_PATH_LEN];
	int fan_fd;
};

static void ev_world_setup(struct __test_metadata *const _metadata, FIXTURE_DATA(ev) *self,
			   unsigned int init_flags, unsigned int event_f_flags)
{
	self->fan_fd = -1;
	ASSERT_EQ(0, make_temp_dir(self->dir));
	snprintf(self->file, sizeof(self->file), "%s/file", self->dir);
	snprintf(self->file2, sizeof(self->file2), "%s/file2", self->dir);
	snprintf(self->subdir, sizeof(self->subdir), "%s/subdir", self->dir);
	ASSERT_EQ(0, create_file(self->file, FILE_CONTENT));
	ASSERT_EQ(0, create_file(self->file2, FILE_CONTENT));
	ASSERT_EQ(0, mkdir(self->subdir, 0755));
	self->fan_fd = sys_fanotify_init(init_flags, event_f_flags);
	ASSERT_LE(0, self->fan_fd);
}

static void ev_world_teardown(struct __test_metadata *const _metadata, FIXTURE_DATA(ev) *self)
{
	if (self->fan_fd >= 0)
		close(self->fan_fd);
	if (self->dir[0])
		EXPECT_EQ(0, remove_tree(self->dir));
}

FIXTURE_SETUP(ev)
{
	ev_world_setup(_metadata, self, FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
		       O_RDONLY | O_CLOEXEC);
}

FIXTURE_TEARDOWN(ev)
{
	ev_world_teardown(_metadata, self);
}

static int open_close(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		return -1;
	return close(fd);
}

static int mark_add(int fan_fd, uint64_t mask, const char *path)
{
	return sys_fanotify_mark(fan_fd, FAN_MARK_ADD, mask, AT_FDCWD, path);
}

/* Reads exactly one record (waiting for it) and checks its generic fields. */
static void read_one(struct __test_metadata *const _metadata, int fan_fd,
		     struct fanotify_event_metadata *m)
{
	ASSERT_EQ(1, wait_readable(fan_fd, EVENT_TIMEOUT_MS));
	ASSERT_EQ(FAN_EVENT_METADATA_LEN, read(fan_fd, m, FAN_EVENT_METADATA_LEN));
	ASSERT_EQ(FAN_EVENT_METADATA_LEN, m->event_len);
	ASSERT_EQ(FANOTIFY_METADATA_VERSION, m->vers);
	ASSERT_EQ(FAN_EVENT_METADATA_LEN, m->metadata_len);
	ASSERT_LE(0, m->fd);
}

/* Event types. */

enum op {
	OP_OPEN_RDONLY,
	OP_OPEN_WRONLY,
	OP_READ,
	OP_WRITE,
	OP_EXEC,
};

FIXTURE(event_type)
{
	FIXTURE_DATA(ev) w;
};

FIXTURE_VARIANT(event_type)
{
	uint64_t mark_mask;
	enum op op;
	unsigned int event_f_flags;
	/* 0: no event expected. */
	uint64_t expected;
};

FIXTURE_SETUP(event_type)
{
	ev_world_setup(_metadata, &self->w, FAN_CLASS_NOTIF | FAN_CLOEXEC,
		       variant->event_f_flags);
}

FIXTURE_TEARDOWN(event_type)
{
	ev_world_teardown(_metadata, &self->w);
}

/* clang-format off */
FIXTURE_VARIANT_ADD(event_type, open) {
	/* clang-format on */
	.mark_mask = FAN_OPEN,
	.op = OP_OPEN_RDONLY,
	.event_f_flags = O_RDONLY,
	.expected = FAN_OPEN,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(event_type, open_wronly_event_rdwr_nonblock_cloexec) {
	/* clang-format on */
	.mark_mask = FAN_OPEN,
	.op = OP_OPEN_WRONLY,
	.event_f_flags = O_RDWR | O_NONBLOCK | O_CLOEXEC,
	.expected = FAN_OPEN,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(event_type, access) {
	/* clang-format on */
	.mark_mask = FAN_ACCESS,
	.op = OP_READ,
	.event_f_flags = O_RDONLY | O_NOATIME,
	.expected = FAN_ACCESS,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(event_type, access_not_on_open) {
	/* clang-format on */
	.mark_mask = FAN_ACCESS,
	.op = OP_OPEN_RDONLY,
	.event_f_flags = O_RDONLY,
	.expected = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(event_type, modify) {
	/* clang-format on */
	.mark_mask = FAN_MODIFY,
	.op = OP_WRITE,
	.event_f_flags = O_WRONLY | O_APPEND,
	.expected = FAN_MODIFY,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(event_type, modify_not_on_read) {
	/* clang-format on */
	.mark_mask = FAN_MODIFY,
	.op = OP_READ,
	.event_f_flags = O_RDONLY,
	.expected = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(event_type, close_write) {
	/* clang-format on */
	.mark_mask = FAN_CLOSE_WRITE,
	.op = OP_OPEN_WRONLY,
	.event_f_flags = O_RDONLY | O_CLOEXEC,
	.expected = FAN_CLOSE_WRITE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(event_type, close_write_not_on_rdonly) {
	/* clang-format on */
	.mark_mask = FAN_CLOSE_WRITE,
	.op = OP_OPEN_RDONLY,
	.event_f_flags = O_RDONLY,
	.expected = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(event_type, close_nowrite) {
	/* clang-format on */
	.mark_mask = FAN_CLOSE_NOWRITE,
	.op = OP_OPEN_RDONLY,
	.event_f_flags = O_RDWR,
	.expected = FAN_CLOSE_NOWRITE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(event_type, close_nowrite_not_on_wronly) {
	/* clang-format on */
	.mark_mask = FAN_CLOSE_NOWRITE,
	.op = OP_OPEN_WRONLY,
	.event_f_flags = O_RDONLY,
	.expected = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(event_type, close_both_on_wronly) {
	/* clang-format on */
	.mark_mask = FAN_CLOSE,
	.op = OP_OPEN_WRONLY,
	.event_f_flags = O_RDONLY,
	.expected = FAN_CLOSE_WRITE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(event_type, open_exec) {
	/* clang-format on */
	.mark_mask = FAN_OPEN_EXEC,
	.op = OP_EXEC,
	.event_f_flags = O_RDONLY,
	.expected = FAN_OPEN_EXEC,
};

/* fsnotify_open() reports FAN_OPEN and FAN_OPEN_EXEC together for an exec open. */
/* clang-format off */
FIXTURE_VARIANT_ADD(event_type, open_and_open_exec) {
	/* clang-format on */
	.mark_mask = FAN_OPEN | FAN_OPEN_EXEC,
	.op = OP_EXEC,
	.event_f_flags = O_RDONLY,
	.expected = FAN_OPEN | FAN_OPEN_EXEC,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(event_type, open_exec_not_on_open) {
	/* clang-format on */
	.mark_mask = FAN_OPEN_EXEC,
	.op = OP_OPEN_RDONLY,
	.event_f_flags = O_RDONLY,
	.expected = 0,
};

/* Copies the running test binary to @path, executable. */
static int copy_self(const char *path)
{
	char buf[65536];
	int in, out;
	ssize_t n;

	in = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (out < 0) {
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, n) != n) {
			n = -1;
			break;
		}
	}
	close(in);
	if (close(out) || n < 0)
		return -1;
	return 0;
}

/*
 * Executes @path ("-l" only lists the tests) in a child.  Returns the child pid once it has
 * exited, or -errno if execve() failed.
 */
static pid_t exec_and_wait(const char *path)
{
	int pipefd[2], err = 0, status;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		close(pipefd[0]);
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execl(path, path, "-l", (char *)NULL);
		err = errno;
		if (write(pipefd[1], &err, sizeof(err)) != sizeof(err))
			_exit(2);
		_exit(1);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -ECHILD;
	return err ? -err : pid;
}

TEST_F(event_type, metadata_and_fd)
{
	const char *target = self->w.file;
	char exe[FILE_PATH_LEN + 8];
	struct fanotify_event_metadata m;
	pid_t actor = getpid();
	int fd, fl;
	char c;

	if (variant->op == OP_EXEC) {
		snprintf(exe, sizeof(exe), "%s/exe", self->w.dir);
		ASSERT_EQ(0, copy_self(exe));
		target = exe;
	}
	ASSERT_EQ(0, mark_add(self->w.fan_fd, variant->mark_mask, target));

	switch (variant->op) {
	case OP_OPEN_RDONLY:
		ASSERT_EQ(0, open_close(target, O_RDONLY));
		break;
	case OP_OPEN_WRONLY:
		ASSERT_EQ(0, open_close(target, O_WRONLY));
		break;
	case OP_READ:
		fd = open(target, O_RDONLY | O_CLOEXEC);
		ASSERT_LE(0, fd);
		ASSERT_EQ(1, read(fd, &c, 1));
		ASSERT_EQ(0, close(fd));
		break;
	case OP_WRITE:
		fd = open(target, O_WRONLY | O_APPEND | O_CLOEXEC);
		ASSERT_LE(0, fd);
		ASSERT_EQ(1, write(fd, "x", 1));
		ASSERT_EQ(0, close(fd));
		break;
	case OP_EXEC:
		actor = exec_and_wait(target);
		if (actor == -EACCES || actor == -EPERM)
			SKIP(return, "cannot execute files in %s (noexec mount?)", self->w.dir);
		ASSERT_LT(0, actor)
		{
			TH_LOG("execve: %s", strerror(-actor));
		}
		break;
	}

	if (!variant->expected) {
		EXPECT_TRUE(no_event(self->w.fan_fd));
		return;
	}

	read_one(_metadata, self->w.fan_fd, &m);
	EXPECT_EQ(variant->expected, m.mask);
	EXPECT_EQ(actor, m.pid);
	EXPECT_TRUE(fd_is_path(m.fd, target));
	EXPECT_EQ(0, m.reserved);

	/* The event fd is opened with the group's event_f_flags. */
	fl = fcntl(m.fd, F_GETFL);
	ASSERT_LE(0, fl);
	EXPECT_EQ(variant->event_f_flags & O_ACCMODE, fl & O_ACCMODE);
	EXPECT_EQ(variant->event_f_flags & O_NONBLOCK, fl & O_NONBLOCK);
	EXPECT_EQ(variant->event_f_flags & O_APPEND, fl & O_APPEND);
	EXPECT_EQ(variant->event_f_flags & O_NOATIME, fl & O_NOATIME);
	/* fanotify_init() stores O_LARGEFILE in the event flags when force_o_largefile(). */
	EXPECT_EQ(kernel_o_largefile(), fl & kernel_o_largefile());
	fl = fcntl(m.fd, F_GETFD);
	ASSERT_LE(0, fl);
	EXPECT_EQ(!!(variant->event_f_flags & O_CLOEXEC), !!(fl & FD_CLOEXEC));
	/* A fresh open file: the offset starts at 0. */
	EXPECT_EQ(0, lseek(m.fd, 0, SEEK_CUR));
	EXPECT_EQ(0, close(m.fd));

	EXPECT_TRUE(no_event(self->w.fan_fd));
}

/* FAN_EVENT_ON_CHILD */

FIXTURE(on_child)
{
	FIXTURE_DATA(ev) w;
};

FIXTURE_VARIANT(on_child)
{
	uint64_t mark_mask;
	bool child_is_dir;
	bool reported;
};

FIXTURE_SETUP(on_child)
{
	ev_world_setup(_metadata, &self->w, FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
		       O_RDONLY | O_CLOEXEC);
}

FIXTURE_TEARDOWN(on_child)
{
	ev_world_teardown(_metadata, &self->w);
}

/* clang-format off */
FIXTURE_VARIANT_ADD(on_child, file_with_flag) {
	/* clang-format on */
	.mark_mask = FAN_OPEN | FAN_EVENT_ON_CHILD,
	.reported = true,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(on_child, file_without_flag) {
	/* clang-format on */
	.mark_mask = FAN_OPEN,
	.reported = false,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(on_child, file_with_flag_and_ondir) {
	/* clang-format on */
	.mark_mask = FAN_OPEN | FAN_EVENT_ON_CHILD | FAN_ONDIR,
	.reported = true,
};

/* A subdirectory is a directory: FAN_ONDIR is needed too (fsnotify_mask_applicable()). */
/* clang-format off */
FIXTURE_VARIANT_ADD(on_child, subdir_with_flag) {
	/* clang-format on */
	.mark_mask = FAN_OPEN | FAN_EVENT_ON_CHILD,
	.child_is_dir = true,
	.reported = false,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(on_child, subdir_with_flag_and_ondir) {
	/* clang-format on */
	.mark_mask = FAN_OPEN | FAN_EVENT_ON_CHILD | FAN_ONDIR,
	.child_is_dir = true,
	.reported = true,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(on_child, subdir_ondir_without_flag) {
	/* clang-format on */
	.mark_mask = FAN_OPEN | FAN_ONDIR,
	.child_is_dir = true,
	.reported = false,
};

TEST_F(on_child, open_child)
{
	const char *child = variant->child_is_dir ? self->w.subdir : self->w.file;
	struct fanotify_event_metadata m;

	ASSERT_EQ(0, mark_add(self->w.fan_fd, variant->mark_mask, self->w.dir));
	ASSERT_EQ(0, open_close(child, O_RDONLY));
	if (!variant->reported) {
		EXPECT_TRUE(no_event(self->w.fan_fd));
		return;
	}
	read_one(_metadata, self->w.fan_fd, &m);
	/* FAN_ONDIR is not reported to groups without FID (fanotify_group_event_mask()). */
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_EQ(getpid(), m.pid);
	/* The event fd refers to the child, not to the marked directory. */
	EXPECT_TRUE(fd_is_path(m.fd, child));
	EXPECT_EQ(0, close(m.fd));
	EXPECT_TRUE(no_event(self->w.fan_fd));
}

/* Grandchildren are not reported by a mark on the directory. */
TEST_F(ev, on_child_not_recursive)
{
	char grandchild[FILE_PATH_LEN * 2];

	snprintf(grandchild, sizeof(grandchild), "%s/file", self->subdir);
	ASSERT_EQ(0, create_file(grandchild, "x"));
	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN | FAN_EVENT_ON_CHILD, self->dir));
	ASSERT_EQ(0, open_close(grandchild, O_RDONLY));
	EXPECT_TRUE(no_event(self->fan_fd));
}

/*
 * FAN_ONDIR: an open of the marked directory is reported only with FAN_ONDIR in the mark.  Upstream
 * 6.12 does not report FAN_ONDIR in the mask to groups without FID reporting
 * (fanotify_group_event_mask() clears FANOTIFY_EVENT_FLAGS from user_mask).
 */
TEST_F(ev, ondir_required_for_dir_events)
{
	struct fanotify_event_metadata m;
	struct stat st;

	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN, self->subdir));
	ASSERT_EQ(0, open_close(self->subdir, O_RDONLY | O_DIRECTORY));
	EXPECT_TRUE(no_event(self->fan_fd));

	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_ONDIR, self->subdir));
	ASSERT_EQ(0, open_close(self->subdir, O_RDONLY | O_DIRECTORY));
	read_one(_metadata, self->fan_fd, &m);
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_EQ(getpid(), m.pid);
	EXPECT_TRUE(fd_is_path(m.fd, self->subdir));
	ASSERT_EQ(0, fstat(m.fd, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_EQ(0, close(m.fd));
	EXPECT_TRUE(no_event(self->fan_fd));
}

/* Removing FAN_ONDIR from the mark stops directory events again. */
TEST_F(ev, ondir_removed)
{
	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN | FAN_ONDIR, self->subdir));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_ONDIR, AT_FDCWD,
				       self->subdir));
	ASSERT_EQ(0, open_close(self->subdir, O_RDONLY | O_DIRECTORY));
	EXPECT_TRUE(no_event(self->fan_fd));
}

/* read() semantics */

/* get_one_event() returns -EINVAL when the first record does not fit; it stays queued. */
TEST_F(ev, read_buffer_too_small)
{
	char buf[FAN_EVENT_METADATA_LEN];
	struct fanotify_event_metadata m;

	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN, self->file));
	ASSERT_EQ(0, open_close(self->file, O_RDONLY));
	ASSERT_EQ(1, wait_readable(self->fan_fd, EVENT_TIMEOUT_MS));

	ASSERT_EQ(-1, read(self->fan_fd, buf, FAN_EVENT_METADATA_LEN - 1));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, read(self->fan_fd, buf, 1));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, read(self->fan_fd, buf, 0));
	ASSERT_EQ(EINVAL, errno);

	read_one(_metadata, self->fan_fd, &m);
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_TRUE(fd_is_path(m.fd, self->file));
	EXPECT_EQ(0, close(m.fd));
}

/* On an empty non-blocking queue, read() returns EAGAIN whatever the buffer size. */
TEST_F(ev, read_nonblock_empty)
{
	char buf[EVENT_BUF_LEN];

	ASSERT_EQ(-1, read(self->fan_fd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(-1, read(self->fan_fd, buf, 1));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN, self->file));
	ASSERT_EQ(-1, read(self->fan_fd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);
}

/* A buffer holding one and a half records returns exactly one whole record. */
TEST_F(ev, read_partial_buffer)
{
	char buf[FAN_EVENT_METADATA_LEN * 3 / 2] __attribute__((aligned(8)));
	struct fanotify_event_metadata *m = (void *)buf;
	struct stat st1, st2;
	bool seen1 = false, seen2 = false;
	int i;

	ASSERT_EQ(0, stat(self->file, &st1));
	ASSERT_EQ(0, stat(self->file2, &st2));
	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN, self->file));
	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN, self->file2));
	/* Two objects: these events are never merged. */
	ASSERT_EQ(0, open_close(self->file, O_RDONLY));
	ASSERT_EQ(0, open_close(self->file2, O_RDONLY));
	ASSERT_EQ(1, wait_readable(self->fan_fd, EVENT_TIMEOUT_MS));

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(FAN_EVENT_METADATA_LEN, read(self->fan_fd, buf, sizeof(buf)));
		ASSERT_EQ(FAN_EVENT_METADATA_LEN, m->event_len);
		ASSERT_EQ(FAN_OPEN, m->mask);
		ASSERT_LE(0, m->fd);
		if (fd_is_inode(m->fd, &st1))
			seen1 = true;
		else if (fd_is_inode(m->fd, &st2))
			seen2 = true;
		EXPECT_EQ(0, close(m->fd));
	}
	EXPECT_TRUE(seen1);
	EXPECT_TRUE(seen2);
	ASSERT_EQ(-1, read(self->fan_fd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);
}

/* A large buffer gets every queued record in one read(), in queue order. */
TEST_F(ev, read_several_records)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	struct fanotify_event_metadata *m = (void *)buf;
	ssize_t len;

	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN, self->file));
	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN, self->file2));
	ASSERT_EQ(0, open_close(self->file, O_RDONLY));
	ASSERT_EQ(0, open_close(self->file2, O_RDONLY));
	ASSERT_EQ(1, wait_readable(self->fan_fd, EVENT_TIMEOUT_MS));
	len = read(self->fan_fd, buf, sizeof(buf));
	ASSERT_EQ(2 * FAN_EVENT_METADATA_LEN, len);
	ASSERT_TRUE(FAN_EVENT_OK(m, len));
	EXPECT_TRUE(fd_is_path(m->fd, self->file));
	EXPECT_EQ(0, close(m->fd));
	m = FAN_EVENT_NEXT(m, len);
	ASSERT_TRUE(FAN_EVENT_OK(m, len));
	EXPECT_TRUE(fd_is_path(m->fd, self->file2));
	EXPECT_EQ(0, close(m->fd));
	m = FAN_EVENT_NEXT(m, len);
	EXPECT_EQ(0, len);
}

/* poll() reports POLLIN only while events are queued (fanotify_poll()). */
TEST_F(ev, poll)
{
	struct pollfd pfd = { .fd = self->fan_fd, .events = POLLIN | POLLOUT };
	struct fanotify_event_metadata m;

	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN, self->file));
	ASSERT_EQ(0, poll(&pfd, 1, 0));
	EXPECT_EQ(0, pfd.revents);

	ASSERT_EQ(0, open_close(self->file, O_RDONLY));
	ASSERT_EQ(1, poll(&pfd, 1, EVENT_TIMEOUT_MS));
	EXPECT_EQ(POLLIN, pfd.revents);

	read_one(_metadata, self->fan_fd, &m);
	EXPECT_EQ(0, close(m.fd));
	pfd.revents = 0;
	ASSERT_EQ(0, poll(&pfd, 1, 0));
	EXPECT_EQ(0, pfd.revents);
}

/* FIONREAD returns the byte count of the queued records (fanotify_ioctl()). */
TEST_F(ev, fionread)
{
	struct fanotify_event_metadata m;
	int n = -1;

	ASSERT_EQ(0, ioctl_fionread(self->fan_fd, &n));
	EXPECT_EQ(0, n);
	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN, self->file));
	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN, self->file2));
	ASSERT_EQ(0, open_close(self->file, O_RDONLY));
	ASSERT_EQ(0, open_close(self->file2, O_RDONLY));
	ASSERT_EQ(1, wait_readable(self->fan_fd, EVENT_TIMEOUT_MS));
	ASSERT_EQ(0, ioctl_fionread(self->fan_fd, &n));
	EXPECT_EQ(2 * FAN_EVENT_METADATA_LEN, n);

	read_one(_metadata, self->fan_fd, &m);
	EXPECT_EQ(0, close(m.fd));
	ASSERT_EQ(0, ioctl_fionread(self->fan_fd, &n));
	EXPECT_EQ(FAN_EVENT_METADATA_LEN, n);

	read_one(_metadata, self->fan_fd, &m);
	EXPECT_EQ(0, close(m.fd));
	ASSERT_EQ(0, ioctl_fionread(self->fan_fd, &n));
	EXPECT_EQ(0, n);
}

/* Other ioctls are not supported (fanotify_ioctl() returns -ENOTTY). */
TEST_F(ev, unknown_ioctl)
{
	int n;

	ASSERT_EQ(-1, ioctl(self->fan_fd, _IOR(0xfa, 0xfa, int), &n));
	ASSERT_EQ(ENOTTY, errno);
}

/*
 * The listener's event fd is opened with FMODE_NONOTIFY (create_fd()): reading, writing and
 * closing it generates no event.
 */
TEST(no_feedback_loop)
{
	char dir[DIR_PATH_LEN], file[FILE_PATH_LEN];
	struct fanotify_event_metadata m;
	int fan_fd, fd;
	char c;

	ASSERT_EQ(0, make_temp_dir(dir));
	snprintf(file, sizeof(file), "%s/file", dir);
	ASSERT_EQ(0, create_file(file, FILE_CONTENT));
	fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
				   O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fan_fd);
	ASSERT_EQ(0, sys_fanotify_mark(fan_fd, FAN_MARK_ADD,
				       FAN_OPEN | FAN_ACCESS | FAN_MODIFY | FAN_CLOSE, AT_FDCWD,
				       file));

	fd = open(file, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	read_one(_metadata, fan_fd, &m);
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_EQ(0, close(fd));

	/* Use the event fd: read, write, close. */
	EXPECT_EQ(1, read(m.fd, &c, 1));
	EXPECT_EQ(FILE_CONTENT[0], c);
	EXPECT_EQ(1, pwrite(m.fd, "F", 1, 0));
	EXPECT_EQ(0, close(m.fd));

	/* Only the close of the listener's own open fd is reported. */
	read_one(_metadata, fan_fd, &m);
	EXPECT_EQ(FAN_CLOSE_NOWRITE, m.mask);
	EXPECT_EQ(0, close(m.fd));
	EXPECT_TRUE(no_event(fan_fd));

	EXPECT_EQ(0, close(fan_fd));
	EXPECT_EQ(0, remove_tree(dir));
}

/* Events queued before a mark is removed stay queued and readable. */
TEST_F(ev, queued_events_survive_mark_removal)
{
	struct fanotify_event_metadata m;

	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN, self->file));
	ASSERT_EQ(0, open_close(self->file, O_RDONLY));
	ASSERT_EQ(1, wait_readable(self->fan_fd, EVENT_TIMEOUT_MS));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD,
				       self->file));
	read_one(_metadata, self->fan_fd, &m);
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_TRUE(fd_is_path(m.fd, self->file));
	EXPECT_EQ(0, close(m.fd));
	/* No new event after the removal. */
	ASSERT_EQ(0, open_close(self->file, O_RDONLY));
	EXPECT_TRUE(no_event(self->fan_fd));
}

TEST_F(ev, queued_events_survive_flush)
{
	struct fanotify_event_metadata m;

	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN, self->file));
	ASSERT_EQ(0, open_close(self->file, O_RDONLY));
	ASSERT_EQ(1, wait_readable(self->fan_fd, EVENT_TIMEOUT_MS));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_FLUSH, 0, AT_FDCWD, NULL));
	read_one(_metadata, self->fan_fd, &m);
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_TRUE(fd_is_path(m.fd, self->file));
	EXPECT_EQ(0, close(m.fd));
	ASSERT_EQ(0, open_close(self->file, O_RDONLY));
	EXPECT_TRUE(no_event(self->fan_fd));
}

/* Events on a file that was deleted after the event are still delivered with a valid fd. */
TEST_F(ev, event_on_unlinked_file)
{
	struct fanotify_event_metadata m;
	struct stat st;

	ASSERT_EQ(0, stat(self->file, &st));
	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN, self->file));
	ASSERT_EQ(0, open_close(self->file, O_RDONLY));
	ASSERT_EQ(0, unlink(self->file));
	read_one(_metadata, self->fan_fd, &m);
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_TRUE(fd_is_inode(m.fd, &st));
	EXPECT_EQ(0, close(m.fd));
}

/* Closing a group with queued events releases everything and creates no fd. */
TEST(close_group_with_queued_events)
{
	char dir[DIR_PATH_LEN], file[FILE_PATH_LEN];
	int before, fan_fd, i;

	ASSERT_EQ(0, make_temp_dir(dir));
	snprintf(file, sizeof(file), "%s/file", dir);
	ASSERT_EQ(0, create_file(file, FILE_CONTENT));
	before = count_open_fds();
	ASSERT_LE(0, before);

	for (i = 0; i < 4; i++) {
		fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
		ASSERT_LE(0, fan_fd);
		ASSERT_EQ(0, sys_fanotify_mark(fan_fd, FAN_MARK_ADD, FAN_OPEN | FAN_CLOSE,
					       AT_FDCWD, file));
		ASSERT_EQ(0, open_close(file, O_RDONLY));
		ASSERT_EQ(0, open_close(file, O_WRONLY));
		ASSERT_EQ(1, wait_readable(fan_fd, EVENT_TIMEOUT_MS));
		ASSERT_EQ(0, close(fan_fd));
		EXPECT_EQ(before, count_open_fds());
	}

	/* A new group does not inherit anything: no mark, no event. */
	fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY);
	ASSERT_LE(0, fan_fd);
	ASSERT_EQ(0, open_close(file, O_RDONLY));
	EXPECT_TRUE(no_event(fan_fd));
	EXPECT_EQ(0, close(fan_fd));
	EXPECT_EQ(before, count_open_fds());
	EXPECT_EQ(0, remove_tree(dir));
}

/* Events caused by a child process carry the child's pid (the tgid). */
TEST_F(ev, pid_of_child)
{
	struct fanotify_event_metadata m;
	int status;
	pid_t pid;

	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN, self->file));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(open_close(self->file, O_RDONLY) ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));

	read_one(_metadata, self->fan_fd, &m);
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_EQ(pid, m.pid);
	EXPECT_NE(getpid(), m.pid);
	EXPECT_TRUE(fd_is_path(m.fd, self->file));
	EXPECT_EQ(0, close(m.fd));
	EXPECT_TRUE(no_event(self->fan_fd));
}

/* fanotify_should_merge() never merges events of different processes. */
TEST_F(ev, no_merge_across_pids)
{
	struct fanotify_event_metadata m1, m2;
	int status;
	pid_t pid;

	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN, self->file));
	ASSERT_EQ(0, open_close(self->file, O_RDONLY));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(open_close(self->file, O_RDONLY) ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));

	read_one(_metadata, self->fan_fd, &m1);
	read_one(_metadata, self->fan_fd, &m2);
	EXPECT_EQ(FAN_OPEN, m1.mask);
	EXPECT_EQ(FAN_OPEN, m2.mask);
	EXPECT_EQ(getpid(), m1.pid);
	EXPECT_EQ(pid, m2.pid);
	EXPECT_EQ(0, close(m1.fd));
	EXPECT_EQ(0, close(m2.fd));
	EXPECT_TRUE(no_event(self->fan_fd));
}

/*
 * Identical queued events on the same object from the same process are merged
 * (fanotify_merge()): two writes give one FAN_MODIFY record.
 */
TEST_F(ev, merge_identical_modify)
{
	struct fanotify_event_metadata m;
	int fd, n = -1;

	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_MODIFY, self->file));
	fd = open(self->file, O_WRONLY | O_APPEND | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "a", 1));
	ASSERT_EQ(1, write(fd, "b", 1));
	ASSERT_EQ(0, close(fd));
	ASSERT_EQ(1, wait_readable(self->fan_fd, EVENT_TIMEOUT_MS));
	ASSERT_EQ(0, ioctl_fionread(self->fan_fd, &n));
	EXPECT_EQ(FAN_EVENT_METADATA_LEN, n);
	read_one(_metadata, self->fan_fd, &m);
	EXPECT_EQ(FAN_MODIFY, m.mask);
	EXPECT_EQ(getpid(), m.pid);
	EXPECT_EQ(0, close(m.fd));
	EXPECT_TRUE(no_event(self->fan_fd));
}

/*
 * Different events on the same object may be merged into one record (upstream merges all unread
 * path events of a process on an object): only the union of the masks is asserted.
 */
TEST_F(ev, open_read_close_union)
{
	struct event_summary sum;
	struct stat st;
	int fd;
	char c;

	ASSERT_EQ(0, stat(self->file, &st));
	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN | FAN_ACCESS | FAN_MODIFY | FAN_CLOSE,
			      self->file));
	fd = open(self->file, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, read(fd, &c, 1));
	ASSERT_EQ(0, close(fd));

	ASSERT_LT(0, collect_events(self->fan_fd, &st, &sum, EVENT_TIMEOUT_MS));
	EXPECT_EQ(FAN_OPEN | FAN_ACCESS | FAN_CLOSE_NOWRITE, sum.mask);
	EXPECT_LE(1, sum.records);
	EXPECT_GE(3, sum.records);
	EXPECT_EQ(getpid(), sum.last_pid);
	EXPECT_EQ(0, sum.others);
	EXPECT_EQ(0, sum.bad_records);
}

TEST_F(ev, open_write_close_union)
{
	struct event_summary sum;
	struct stat st;
	int fd;

	ASSERT_EQ(0, stat(self->file, &st));
	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN | FAN_ACCESS | FAN_MODIFY | FAN_CLOSE,
			      self->file));
	fd = open(self->file, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "x", 1));
	ASSERT_EQ(0, close(fd));

	ASSERT_LT(0, collect_events(self->fan_fd, &st, &sum, EVENT_TIMEOUT_MS));
	EXPECT_EQ(FAN_OPEN | FAN_MODIFY | FAN_CLOSE_WRITE, sum.mask);
	EXPECT_LE(1, sum.records);
	EXPECT_GE(3, sum.records);
	EXPECT_EQ(0, sum.others);
	EXPECT_EQ(0, sum.bad_records);
}

/* Events are not merged with events already read: a read() splits the sequence. */
TEST_F(ev, no_merge_after_read)
{
	struct fanotify_event_metadata m;

	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN | FAN_CLOSE_NOWRITE, self->file));
	ASSERT_EQ(0, open_close(self->file, O_RDONLY));
	ASSERT_EQ(1, wait_readable(self->fan_fd, EVENT_TIMEOUT_MS));
	/* Drain what the first open/close produced. */
	while (read(self->fan_fd, &m, sizeof(m)) == sizeof(m))
		close(m.fd);
	ASSERT_EQ(EAGAIN, errno);

	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_MODIFY, self->file));
	ASSERT_EQ(0, open_close(self->file, O_RDONLY));
	ASSERT_EQ(1, wait_readable(self->fan_fd, EVENT_TIMEOUT_MS));
	read_one(_metadata, self->fan_fd, &m);
	/* The new records only contain the new events. */
	EXPECT_EQ(0, m.mask & ~(uint64_t)(FAN_OPEN | FAN_CLOSE_NOWRITE));
	EXPECT_TRUE(m.mask & FAN_OPEN);
	EXPECT_EQ(0, close(m.fd));
}

/* Every group with a mark on the object gets its own copy of the event. */
TEST_F(ev, two_groups)
{
	struct fanotify_event_metadata m;
	int other;

	other = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY);
	ASSERT_LE(0, other);
	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_OPEN, self->file));
	ASSERT_EQ(0, mark_add(other, FAN_OPEN, self->file));
	ASSERT_EQ(0, open_close(self->file, O_RDONLY));

	read_one(_metadata, self->fan_fd, &m);
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_TRUE(fd_is_path(m.fd, self->file));
	EXPECT_EQ(0, close(m.fd));
	read_one(_metadata, other, &m);
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_TRUE(fd_is_path(m.fd, self->file));
	EXPECT_EQ(0, close(m.fd));
	EXPECT_TRUE(no_event(other));
	EXPECT_EQ(0, close(other));
}

/* The event fd gives access to the file content. */
TEST_F(ev, event_fd_reads_content)
{
	struct fanotify_event_metadata m;
	char buf[sizeof(FILE_CONTENT)] = {};

	ASSERT_EQ(0, mark_add(self->fan_fd, FAN_CLOSE_NOWRITE, self->file));
	ASSERT_EQ(0, open_close(self->file, O_RDONLY));
	read_one(_metadata, self->fan_fd, &m);
	EXPECT_EQ(FAN_CLOSE_NOWRITE, m.mask);
	EXPECT_EQ(sizeof(FILE_CONTENT) - 1, read(m.fd, buf, sizeof(buf)));
	EXPECT_STREQ(FILE_CONTENT, buf);
	EXPECT_EQ(0, close(m.fd));
}

/* A blocked read() is interrupted by a signal whose handler lacks SA_RESTART. */
static void on_alarm(int sig)
{
}

TEST(read_interrupted_by_signal)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	/* Periodic, in case the first expiry happens before read() blocks. */
	struct itimerval it = {
		.it_value = { .tv_usec = 100 * 1000 },
		.it_interval = { .tv_usec = 100 * 1000 },
	};
	struct itimerval off = {};
	char buf[EVENT_BUF_LEN];
	int fan_fd;

	fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, fan_fd);
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &it, NULL));
	ASSERT_EQ(-1, read(fan_fd, buf, sizeof(buf)));
	ASSERT_EQ(EINTR, errno);
	ASSERT_EQ(0, setitimer(ITIMER_REAL, &off, NULL));
	EXPECT_EQ(0, close(fan_fd));
}

/* A blocked read() returns as soon as an event arrives. */
TEST(blocking_read_wakes_up)
{
	char dir[DIR_PATH_LEN], file[FILE_PATH_LEN];
	struct fanotify_event_metadata m;
	int fan_fd, status;
	pid_t pid;

	ASSERT_EQ(0, make_temp_dir(dir));
	snprintf(file, sizeof(file), "%s/file", dir);
	ASSERT_EQ(0, create_file(file, FILE_CONTENT));
	fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, fan_fd);
	ASSERT_EQ(0, sys_fanotify_mark(fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, file));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/*
		 * Give the parent a chance to block in read(); correctness
		 * does not depend on it.
		 */
		usleep(50 * 1000);
		_exit(open_close(file, O_RDONLY) ? 1 : 0);
	}
	alarm(10);
	ASSERT_EQ(FAN_EVENT_METADATA_LEN, read(fan_fd, &m, sizeof(m)));
	alarm(0);
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_EQ(pid, m.pid);
	EXPECT_EQ(0, close(m.fd));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, close(fan_fd));
	EXPECT_EQ(0, remove_tree(dir));
}

TEST_HARNESS_MAIN
