// SPDX-License-Identifier: GPL-2.0
/*
 * A permission event whose fd cannot be opened for the listener is denied at once: no verdict
 * could name it.  The listener has no free descriptor (RLIMIT_NOFILE) when it reads the event.
 * A FAN_REPORT_FD_ERROR group reads the record with -EMFILE in place of the fd; any other group
 * gets EMFILE from read() and never sees the record.  Either way the opener fails with EPERM
 * without waiting for the listener to close its group, and nothing is left to answer.
 *
 * Behaviour reference: upstream 6.12 fanotify_read() (FAN_DENY when copy_event_to_user() fails
 * or the event's fd is negative) and copy_event_to_user() in fs/notify/fanotify/fanotify_user.c.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "perm_common.h"

#include <sys/resource.h>

FIXTURE(fdless)
{
	char dir[DIR_PATH_LEN];
	char file[FILE_PATH_LEN];
	int fan_fd;
	pid_t child;
};

FIXTURE_VARIANT(fdless)
{
	unsigned int init_flags;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(fdless, fd_error_in_read) {
	/* clang-format on */
	.init_flags = 0,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(fdless, fd_error_in_record) {
	/* clang-format on */
	.init_flags = FAN_REPORT_FD_ERROR,
};

FIXTURE_SETUP(fdless)
{
	self->fan_fd = -1;
	self->child = 0;
	ASSERT_EQ(0, perm_mount_tmpfs(self->dir));
	snprintf(self->file, sizeof(self->file), "%s/file", self->dir);
	ASSERT_EQ(0, create_file(self->file, "file\n"));
	self->fan_fd = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK |
					 variant->init_flags, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fan_fd)
	{
		TH_LOG("fanotify_init: %s", strerror(errno));
	}
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD,
				       self->file));
}

FIXTURE_TEARDOWN(fdless)
{
	kill_child(self->child);
	if (self->fan_fd >= 0)
		close(self->fan_fd);
	perm_umount_tmpfs(self->dir);
}

/* The lowest descriptor number not in use: with it as the limit, no new fd can be made. */
static int lowest_free_fd(int some_fd)
{
	int fd = fcntl(some_fd, F_DUPFD_CLOEXEC, 0);

	if (fd >= 0)
		close(fd);
	return fd;
}

TEST_F(fdless, denied_at_once)
{
	struct fanotify_event_metadata buf[8];
	const struct fanotify_event_metadata *m = buf;
	struct rlimit old, lim;
	ssize_t len;
	int read_err, free_fd;

	self->child = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, self->child);
	ASSERT_EQ(1, wait_readable(self->fan_fd, EVENT_TIMEOUT_MS));

	free_fd = lowest_free_fd(self->fan_fd);
	ASSERT_LE(0, free_fd);
	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
	lim = old;
	lim.rlim_cur = free_fd;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &lim));
	len = read(self->fan_fd, buf, sizeof(buf));
	read_err = errno;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &old));

	if (variant->init_flags & FAN_REPORT_FD_ERROR) {
		ASSERT_EQ(FAN_EVENT_METADATA_LEN, len)
		{
			TH_LOG("read: %s", strerror(read_err));
		}
		EXPECT_EQ(FAN_EVENT_METADATA_LEN, m->event_len);
		EXPECT_EQ(FAN_OPEN_PERM, m->mask);
		EXPECT_EQ(-EMFILE, m->fd);
		EXPECT_EQ(self->child, m->pid);
	} else {
		EXPECT_EQ(-1, len);
		EXPECT_EQ(EMFILE, read_err);
	}

	/* Denied without an answer, while the listener is still open. */
	EXPECT_EQ(EPERM, wait_child(self->child, CHILD_EXIT_TIMEOUT_MS));
	self->child = 0;

	/* Nothing is queued or waiting any more. */
	EXPECT_EQ(-1, read(self->fan_fd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	/* An answer naming the would-be fd finds no event. */
	EXPECT_EQ(-1, respond(self->fan_fd, free_fd, FAN_ALLOW));
	EXPECT_EQ(ENOENT, errno);
}

TEST_HARNESS_MAIN
