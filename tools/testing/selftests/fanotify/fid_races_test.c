// SPDX-License-Identifier: GPL-2.0
/*
 * What users of file-handle (FID) groups run into around event lifetimes:
 * - a FID event pins nothing, so a filesystem with unread events can be unmounted, and the
 *   events read afterwards still carry the handles of objects that are gone;
 * - a listener that exits (or closes its group) with FID, rename and error events queued frees
 *   them all (the debug kernel's kmemleak scan after the run checks that nothing leaks);
 * - an object renamed or deleted between the event and read() is reported as it was.
 *
 * Behaviour reference: upstream 6.12 (events hold encoded handles, not paths).
 */

#include "fid_common.h"

FIXTURE(fid_races)
{
	char dir[DIR_PATH_LEN];
	char path[FILE_PATH_LEN];
	char sub[FILE_PATH_LEN];
	int fan_fd;
};

FIXTURE_SETUP(fid_races)
{
	ASSERT_EQ(0, setup_private_tmpfs(self->dir));
	snprintf(self->sub, sizeof(self->sub), "%s/sub", self->dir);
	ASSERT_EQ(0, mkdir(self->sub, 0755));
	snprintf(self->path, sizeof(self->path), "%s/sub/file", self->dir);
	self->fan_fd = sys_fanotify_init(FAN_REPORT_DFID_NAME_TARGET | FAN_NONBLOCK, O_RDONLY);
	ASSERT_LE(0, self->fan_fd);
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
				       FAN_CREATE | FAN_DELETE | FAN_RENAME | FAN_MOVED_FROM |
				       FAN_MOVED_TO | FAN_ONDIR, AT_FDCWD, self->dir));
}

FIXTURE_TEARDOWN(fid_races)
{
	if (self->fan_fd >= 0)
		close(self->fan_fd);
	teardown_private_tmpfs(self->dir);
}

/* Events queued on a filesystem do not keep it mounted, and stay readable after umount. */
TEST_F(fid_races, umount_with_events_queued)
{
	struct fid_event ev[FID_MAX_EVENTS];
	struct fid_obj file;
	int n, i, fd;

	ASSERT_EQ(0, create_file(self->path, "x"));
	ASSERT_EQ(0, fid_capture(&file, self->path));
	ASSERT_EQ(0, unlink(self->path));

	/* Not lazy: an event that pinned the mount would make this fail with EBUSY. */
	ASSERT_EQ(0, umount2(self->dir, 0));

	n = fid_read(_metadata, self->fan_fd, ev, FID_MAX_EVENTS, EVENT_TIMEOUT_MS);
	/* Same directory, name and child, same process: one record. */
	ASSERT_EQ(1, n);
	EXPECT_EQ(FAN_CREATE | FAN_DELETE, ev[0].mask);
	for (i = 0; i < n; i++) {
		/* Parent+name, then the child itself (FAN_REPORT_TARGET_FID). */
		ASSERT_EQ(2, ev[i].nrec);
		EXPECT_EQ(FAN_EVENT_INFO_TYPE_DFID_NAME, ev[i].rec[0].type);
		EXPECT_STREQ("file", ev[i].rec[0].name);
		EXPECT_EQ(FAN_EVENT_INFO_TYPE_FID, ev[i].rec[1].type);
		EXPECT_TRUE(fid_fh_equal(&file.fh, &ev[i].rec[1].fh));
	}
	/* The filesystem is gone: its handles resolve to nothing under the old path. */
	fd = fid_open_fh(AT_FDCWD, &file.fh);
	EXPECT_EQ(-1, fd);
	if (fd >= 0)
		close(fd);
	/* Nothing is left to unmount: remove the mount point ourselves. */
	ASSERT_EQ(0, rmdir(self->dir));
	self->dir[0] = '\0';
}

/* read() reports an entry as it was named when the event happened, not as it is now. */
TEST_F(fid_races, renamed_before_read)
{
	struct fid_event ev[FID_MAX_EVENTS];
	char moved[FILE_PATH_LEN];
	int n;

	ASSERT_EQ(0, create_file(self->path, "x"));
	snprintf(moved, sizeof(moved), "%s/moved", self->dir);
	ASSERT_EQ(0, rename(self->path, moved));
	ASSERT_EQ(0, unlink(moved));

	n = fid_read(_metadata, self->fan_fd, ev, FID_MAX_EVENTS, EVENT_TIMEOUT_MS);
	/*
	 * Events with the same directory, name and child fold together: the old name's CREATE
	 * and MOVED_FROM, the new name's MOVED_TO and DELETE.  FAN_RENAME stays on its own.
	 */
	ASSERT_EQ(3, n);
	EXPECT_EQ(FAN_CREATE | FAN_MOVED_FROM, ev[0].mask);
	EXPECT_STREQ("file", ev[0].rec[0].name);
	EXPECT_EQ(FAN_RENAME, ev[1].mask);
	ASSERT_LE(2, ev[1].nrec);
	EXPECT_EQ(FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, ev[1].rec[0].type);
	EXPECT_STREQ("file", ev[1].rec[0].name);
	EXPECT_EQ(FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, ev[1].rec[1].type);
	EXPECT_STREQ("moved", ev[1].rec[1].name);
	EXPECT_EQ(FAN_MOVED_TO | FAN_DELETE, ev[2].mask);
	EXPECT_STREQ("moved", ev[2].rec[0].name);
}

/* A listener that exits with events of every kind queued leaves nothing behind. */
TEST_F(fid_races, listener_exits_with_events_queued)
{
	char name[FILE_PATH_LEN + 16];
	int status, i;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = sys_fanotify_init(FAN_REPORT_DFID_NAME_TARGET | FAN_REPORT_PIDFD,
					   O_RDONLY);

		if (fd < 0 || sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
						FAN_CREATE | FAN_RENAME | FAN_DELETE |
						FAN_ONDIR, AT_FDCWD, self->dir))
			_exit(1);
		for (i = 0; i < 64; i++) {
			snprintf(name, sizeof(name), "%s/f%d", self->sub, i);
			if (create_file(name, ""))
				_exit(2);
			if (i % 2 && rename(name, self->path))
				_exit(3);
		}
		/* Exit without reading: the group goes with the last reference to its fd. */
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	/* Our own group, still open, saw everything the child did. */
	EXPECT_EQ(false, no_event(self->fan_fd));
}

TEST_HARNESS_MAIN
