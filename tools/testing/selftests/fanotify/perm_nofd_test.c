// SPDX-License-Identifier: GPL-2.0
/*
 * Beyond upstream: FAN_PERM_NO_FD, permission events without an fd.
 *
 * A FAN_REPORT_FID group of a permission class created with FAN_PERM_NO_FD
 * gets permission events whose metadata.fd is FAN_NOFD, followed by a FID
 * record naming the object and a PERM_ID record with the id to answer by
 * (in fanotify_response.fd).  The listener opens the object by handle only
 * if it needs the content; with FAN_EXCLUDE_SELF that open raises nothing.
 *
 * On the stock kernel a file-handle group of a permission class is refused
 * with EINVAL, with or without the flag (checked); the rest skips there.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <sys/statfs.h>

#include "perm_common.h"

#define BEYOND "beyond upstream: FAN_PERM_NO_FD is ours"

FIXTURE(nofd)
{
	char dir[DIR_PATH_LEN];
	char file[FILE_PATH_LEN];
	int fan_fd;
	pid_t child;
};

FIXTURE_SETUP(nofd)
{
	self->fan_fd = -1;
	self->child = -1;
	ASSERT_EQ(0, perm_mount_tmpfs(self->dir)) {
		TH_LOG("private tmpfs: %s", strerror(errno));
	}
	snprintf(self->file, sizeof(self->file), "%s/file", self->dir);
	ASSERT_EQ(0, create_file(self->file, "by handle\n"));
}

FIXTURE_TEARDOWN_PARENT(nofd)
{
	if (self->child > 0)
		kill(self->child, SIGKILL);
	perm_umount_tmpfs(self->dir);
}

static int nofd_listener(FIXTURE_DATA(nofd) *self, unsigned int flags)
{
	self->fan_fd = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_REPORT_FID | FAN_PERM_NO_FD |
					 FAN_CLOEXEC | FAN_NONBLOCK | flags, O_RDONLY | O_CLOEXEC);
	if (self->fan_fd < 0)
		return -1;
	return sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
				 FAN_OPEN_PERM | FAN_ACCESS_PERM, AT_FDCWD, self->dir);
}

static int answer(int fan_fd, __u32 id, uint32_t response)
{
	return respond(fan_fd, (int)id, response);
}

/* Upstream refuses a file-handle group of a permission class; so do we without the flag. */
TEST(init_flags)
{
	int fd;

	fd = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_REPORT_FID, 0);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	fd = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_REPORT_FID | FAN_PERM_NO_FD, 0);
	if (kernel_is_stock()) {
		EXPECT_EQ(-1, fd);
		EXPECT_EQ(EINVAL, errno);
		return;
	}
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
	/* Needs FAN_REPORT_FID alone, and a permission class. */
	fd = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_PERM_NO_FD, 0);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	fd = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_REPORT_DFID_NAME | FAN_REPORT_FID |
			       FAN_PERM_NO_FD, 0);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID | FAN_PERM_NO_FD, 0);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(EINVAL, errno);
	fd = sys_fanotify_init(FAN_CLASS_PRE_CONTENT | FAN_REPORT_FID | FAN_PERM_NO_FD, 0);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
}

/* The record: no fd, the object's handle and fsid, an id; answered by that id. */
TEST_F(nofd, record_and_answer)
{
	struct fanotify_event_metadata m;
	unsigned char want_buf[sizeof(struct file_handle) + MAX_HANDLE_SZ];
	struct file_handle *want = (void *)want_buf, *got;
	struct nofd_event ev;
	struct statfs sfs;
	int mount_id, fds_before;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, nofd_listener(self, 0));
	want->handle_bytes = MAX_HANDLE_SZ;
	ASSERT_EQ(0, name_to_handle_at(AT_FDCWD, self->file, want, &mount_id, 0));
	ASSERT_EQ(0, statfs(self->file, &sfs));
	fds_before = count_open_fds();

	self->child = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, self->child);
	ASSERT_EQ(0, read_nofd_event(self->fan_fd, &ev));
	EXPECT_EQ(FAN_OPEN_PERM, ev.meta.mask);
	EXPECT_EQ(FAN_NOFD, ev.meta.fd);
	EXPECT_EQ(self->child, ev.meta.pid);
	EXPECT_EQ(1, ev.fid_records);
	EXPECT_EQ(1, ev.id_records);
	EXPECT_LT(0, (int)ev.id);
	EXPECT_EQ(0, memcmp(&ev.fsid, &sfs.f_fsid, sizeof(ev.fsid)));
	got = (void *)ev.handle_buf;
	EXPECT_EQ(want->handle_type, got->handle_type);
	ASSERT_EQ(want->handle_bytes, got->handle_bytes);
	EXPECT_EQ(0, memcmp(want->f_handle, got->f_handle, want->handle_bytes));
	/* No fd was installed in the listener. */
	EXPECT_EQ(fds_before, count_open_fds());

	/* Not an id that is pending: ENOENT; the right one decides. */
	EXPECT_EQ(-1, answer(self->fan_fd, ev.id + 1000, FAN_ALLOW));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(sizeof(struct fanotify_response), answer(self->fan_fd, ev.id, FAN_DENY));
	EXPECT_EQ(EPERM, wait_child(self->child, CHILD_EXIT_TIMEOUT_MS));
	self->child = -1;
	EXPECT_EQ(-1, answer(self->fan_fd, ev.id, FAN_ALLOW));
	EXPECT_EQ(ENOENT, errno);

	/* A second access gets another id. */
	self->child = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, self->child);
	ASSERT_EQ(0, read_nofd_event(self->fan_fd, &ev));
	m = ev.meta;
	EXPECT_EQ(FAN_NOFD, m.fd);
	EXPECT_EQ(sizeof(struct fanotify_response), answer(self->fan_fd, ev.id, FAN_ALLOW));
	EXPECT_EQ(0, wait_child(self->child, CHILD_EXIT_TIMEOUT_MS));
	self->child = -1;
}

/* The listener reads the content by handle; excluded, its own open raises nothing. */
TEST_F(nofd, open_by_handle_excluded)
{
	struct nofd_event ev;
	char content[64] = "";
	int mount_fd, fd;
	ssize_t n;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, nofd_listener(self, FAN_EXCLUDE_SELF));
	mount_fd = open(self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, mount_fd);

	self->child = spawn_access(PERM_OP_READ, self->file);
	ASSERT_LT(0, self->child);
	ASSERT_EQ(0, read_nofd_event(self->fan_fd, &ev));
	fd = open_by_handle_at(mount_fd, (struct file_handle *)ev.handle_buf, O_RDONLY);
	ASSERT_LE(0, fd) {
		TH_LOG("open_by_handle_at: %s", strerror(errno));
	}
	n = read(fd, content, sizeof(content) - 1);
	EXPECT_EQ((ssize_t)strlen("by handle\n"), n);
	EXPECT_STREQ("by handle\n", content);
	close(fd);
	/* Neither the open nor the read by the listener raised an event. */
	EXPECT_TRUE(no_event(self->fan_fd));
	EXPECT_EQ(sizeof(struct fanotify_response), answer(self->fan_fd, ev.id, FAN_ALLOW));
	/* The accessor's read raises FAN_ACCESS_PERM next. */
	ASSERT_EQ(0, read_nofd_event(self->fan_fd, &ev));
	EXPECT_EQ(FAN_ACCESS_PERM, ev.meta.mask);
	EXPECT_EQ(sizeof(struct fanotify_response), answer(self->fan_fd, ev.id, FAN_ALLOW));
	EXPECT_EQ(0, wait_child(self->child, CHILD_EXIT_TIMEOUT_MS));
	self->child = -1;
	close(mount_fd);
}

/* Closing the group allows what it held; a killed accessor's answer is taken. */
TEST_F(nofd, close_and_kill)
{
	struct nofd_event ev;
	pid_t second;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, nofd_listener(self, 0));
	self->child = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, self->child);
	ASSERT_EQ(0, read_nofd_event(self->fan_fd, &ev));
	kill(self->child, SIGKILL);
	EXPECT_EQ(CHILD_SIGNALED + SIGKILL, wait_child(self->child, CHILD_EXIT_TIMEOUT_MS));
	self->child = -1;
	EXPECT_EQ(sizeof(struct fanotify_response), answer(self->fan_fd, ev.id, FAN_DENY));

	second = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, second);
	self->child = second;
	ASSERT_EQ(0, read_nofd_event(self->fan_fd, &ev));
	close(self->fan_fd);
	self->fan_fd = -1;
	EXPECT_EQ(0, wait_child(second, CHILD_EXIT_TIMEOUT_MS));
	self->child = -1;
}

TEST_HARNESS_MAIN
