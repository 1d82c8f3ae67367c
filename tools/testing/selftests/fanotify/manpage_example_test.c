// SPDX-License-Identifier: GPL-2.0
/*
 * The example program of the fanotify(7) man page, fanotify_example.c, built at build time from
 * the installed page (Debian package manpages; see manpage_example.sh and the Makefile), runs
 * on a tmpfs mount and must print exactly the opens and closes this test makes there.
 *
 * What the example needs from the kernel: fanotify_init(FAN_CLOEXEC | FAN_CLASS_CONTENT |
 * FAN_NONBLOCK, O_RDONLY | O_LARGEFILE), FAN_MARK_ADD | FAN_MARK_MOUNT of FAN_OPEN_PERM |
 * FAN_CLOSE_WRITE, records whose fd resolves through /proc/self/fd to the file's path, a
 * FAN_ALLOW answer that lets the open go on, and a non-blocking read that ends with EAGAIN.
 * It prints "FAN_OPEN_PERM: File PATH" and "FAN_CLOSE_WRITE: File PATH" lines and stops when a
 * line arrives on its stdin.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include "daemon_common.h"

#define EXAMPLE_NAME "fanotify_example"
#define EXAMPLE_TIMEOUT 120

FIXTURE(example)
{
	char base[DIR_PATH_LEN];
	char mnt[DIR_PATH_LEN + 8];
	char out[DIR_PATH_LEN + 16];
	char prog[PATH_MAX];
	bool mounted;
	int stdin_w;
	pid_t pid;
};

/* The example sits next to this program (TEST_GEN_PROGS_EXTENDED). */
static int find_example(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - sizeof(EXAMPLE_NAME) - 1);
	char *slash;

	if (n < 0)
		return -1;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	memcpy(slash + 1, EXAMPLE_NAME, sizeof(EXAMPLE_NAME));
	return access(buf, X_OK);
}

FIXTURE_SETUP(example)
{
	char needle[32];
	int pfd[2];
	char *argv[] = { self->prog, self->mnt, NULL };

	self->mounted = false;
	self->stdin_w = -1;
	self->pid = -1;
	self->base[0] = '\0';
	if (find_example(self->prog, sizeof(self->prog)))
		SKIP(return, "%s was not built next to this test: %s", EXAMPLE_NAME,
		     "the fanotify(7) page was missing at build time (Debian package manpages)");
	ASSERT_EQ(0, private_mount_ns());
	ASSERT_EQ(0, make_temp_dir(self->base));
	snprintf(self->mnt, sizeof(self->mnt), "%s/mnt", self->base);
	snprintf(self->out, sizeof(self->out), "%s/output", self->base);
	ASSERT_EQ(0, mkdir(self->mnt, 0755));
	ASSERT_EQ(0, mount_tmpfs(self->mnt));
	self->mounted = true;

	ASSERT_EQ(0, pipe2(pfd, O_CLOEXEC));
	self->stdin_w = pfd[1];
	self->pid = spawn_daemon(argv, self->out, pfd[0]);
	close(pfd[0]);
	ASSERT_LT(0, self->pid);
	ASSERT_EQ(0, mount_mark_needle(self->mnt, needle, sizeof(needle)));
	if (wait_fanotify_mark(self->pid, needle, daemon_budget(30))) {
		/* Teardown does not run after a failed setup. */
		stop_daemon(&self->pid, SIGKILL, daemon_budget(10));
		dump_log("example", self->out);
		ASSERT_TRUE(false) TH_LOG("the example did not mark %s", self->mnt);
	}
}

FIXTURE_TEARDOWN(example)
{
	if (self->stdin_w >= 0)
		close(self->stdin_w);
	stop_daemon(&self->pid, SIGKILL, daemon_budget(10));
	if (self->mounted)
		EXPECT_EQ(0, umount2(self->mnt, MNT_DETACH));
	if (self->base[0])
		EXPECT_EQ(0, remove_tree(self->base));
}

/*
 * Stops the example the way its page says (a line on stdin; the blank line in the page's sample
 * session is the terminal's echo): it must exit 0 within the budget.  Its stdout is a file,
 * fully buffered, so everything it printed is in self->out only after that.
 */
static int stop_example(FIXTURE_DATA(example) *self)
{
	int status;

	if (write(self->stdin_w, "\n", 1) != 1)
		return -1;
	status = wait_exit(self->pid, daemon_budget(30));
	if (status == -1)
		return -1;
	self->pid = -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * Reading a file, creating and writing another: the lines in order, nothing for the read
 * itself (not in the mask) and nothing for a file outside the marked mount.
 */
TEST_F_TIMEOUT(example, prints_opens_and_closes, EXAMPLE_TIMEOUT)
{
	char one[DIR_PATH_LEN + 32], two[DIR_PATH_LEN + 32], outside[DIR_PATH_LEN + 32];
	char want[1024], buf[16];
	char *got;
	int fd;

	snprintf(one, sizeof(one), "%s/one", self->mnt);
	snprintf(two, sizeof(two), "%s/two", self->mnt);
	snprintf(outside, sizeof(outside), "%s/outside", self->base);
	/* Outside the marked mount: no line. */
	ASSERT_EQ(0, child_open(outside, O_WRONLY | O_CREAT, -1, daemon_budget(30)));

	ASSERT_EQ(0, child_open(one, O_WRONLY | O_CREAT, -1, daemon_budget(30)));
	fd = open(one, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, read(fd, buf, sizeof(buf)));
	ASSERT_EQ(0, close(fd));
	fd = open(two, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(4, write(fd, "data", 4));
	ASSERT_EQ(0, close(fd));
	/*
	 * The example quits on a line on stdin without reading what is still
	 * queued, so the close-write above could be lost to the stop.  A last
	 * open for reading is answered only once the example has read the
	 * queue up to it, close-write included.
	 */
	ASSERT_EQ(0, child_open(two, O_RDONLY, -1, daemon_budget(30)));

	ASSERT_EQ(0, stop_example(self)) TH_LOG("the example did not stop cleanly");
	snprintf(want, sizeof(want),
		 "Press enter key to terminate.\n"
		 "Listening for events.\n"
		 "FAN_OPEN_PERM: File %s\n"
		 "FAN_CLOSE_WRITE: File %s\n"
		 "FAN_OPEN_PERM: File %s\n"
		 "FAN_OPEN_PERM: File %s\n"
		 "FAN_CLOSE_WRITE: File %s\n"
		 "FAN_OPEN_PERM: File %s\n"
		 "Listening for events stopped.\n", one, one, one, two, two, two);
	got = read_text(self->out, 1 << 16);
	ASSERT_NE(NULL, got);
	EXPECT_STREQ(want, got);
	free(got);
}

/* A file opened only for reading: one FAN_OPEN_PERM line, no FAN_CLOSE_WRITE. */
TEST_F_TIMEOUT(example, read_only_open, EXAMPLE_TIMEOUT)
{
	char one[DIR_PATH_LEN + 32], want[512];
	char *got;

	snprintf(one, sizeof(one), "%s/one", self->mnt);
	/* Created read-only: the file is never open for writing, so no close-write. */
	ASSERT_EQ(0, child_open(one, O_RDONLY | O_CREAT, -1, daemon_budget(30)));
	ASSERT_EQ(0, stop_example(self)) TH_LOG("the example did not stop cleanly");
	snprintf(want, sizeof(want),
		 "Press enter key to terminate.\n"
		 "Listening for events.\n"
		 "FAN_OPEN_PERM: File %s\n"
		 "Listening for events stopped.\n", one);
	got = read_text(self->out, 1 << 16);
	ASSERT_NE(NULL, got);
	EXPECT_STREQ(want, got);
	free(got);
}

TEST_HARNESS_MAIN
