// SPDX-License-Identifier: GPL-2.0
/*
 * A real fanotify client: Debian's fatrace(8) traces an ext4 loop mount while the test creates,
 * opens, writes, renames and deletes files there; its output must name each operation with the
 * right path.
 *
 * What fatrace 0.17 needs from the kernel: fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID, 0)
 * (it falls back to fanotify_init(0, 0) and then reports no directory events),
 * FAN_MARK_ADD | FAN_MARK_FILESYSTEM with FAN_ACCESS | FAN_MODIFY | FAN_OPEN | FAN_CLOSE |
 * FAN_CREATE | FAN_DELETE | FAN_MOVE | FAN_ONDIR | FAN_EVENT_ON_CHILD on "." (-c) or on every
 * mount point with a device path, a first info record of type FAN_EVENT_INFO_TYPE_FID (it exits
 * on anything else) whose fsid equals statfs()'s f_fsid of the mount (it maps fsid to a mount fd
 * for open_by_handle_at()) and whose handle open_by_handle_at() accepts, metadata.pid of the
 * acting process (it reads /proc/PID/comm).  Directory entry events carry the directory's fid in
 * FAN_REPORT_FID mode, so fatrace prints the directory for '+', 'D', '<' and '>'.
 * Output lines are printf("%s(%i): %-3s %s\n", comm, pid, events, path) with events from R, C,
 * W (FAN_MODIFY or FAN_CLOSE_WRITE), O, +, D, <, > (merged events show several letters).
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <signal.h>
#include <time.h>
#include <sys/wait.h>

#include "common.h"
#include "ext4_image.h"

#define FATRACE "/usr/sbin/fatrace"
#define FATRACE_TIMEOUT 300

FIXTURE(fatrace)
{
	char base[DIR_PATH_LEN];
	char mnt[DIR_PATH_LEN + 8];
	char dir[DIR_PATH_LEN + 16];
	char out[DIR_PATH_LEN + 16];
	char comm[32];
	bool mounted;
	bool missed;
	pid_t tracer;
};

FIXTURE_SETUP(fatrace)
{
	char img[DIR_PATH_LEN + 8];
	const char *mkfs = find_prog(mkfs_cands);
	char *argv[] = { NULL, "-q", "-F", "-b", "1024", "-O", "^has_journal", NULL, "8M", NULL };
	int fd;
	ssize_t len;

	self->mounted = false;
	self->missed = false;
	self->tracer = -1;
	self->base[0] = '\0';
	/* Not a skip: the kit installs fatrace, and without it nothing here is tested. */
	ASSERT_EQ(0, access(FATRACE, X_OK))
		TH_LOG("%s not found: install the Debian package fatrace %s", FATRACE,
		       "(apt-get install fatrace; the kit's fk_deps installs it)");
	ASSERT_NE(NULL, mkfs) TH_LOG("mkfs.ext4 not found (e2fsprogs)");
	ASSERT_EQ(0, private_mount_ns());
	ASSERT_EQ(0, make_temp_dir(self->base));
	snprintf(img, sizeof(img), "%s/img", self->base);
	snprintf(self->mnt, sizeof(self->mnt), "%s/mnt", self->base);
	snprintf(self->dir, sizeof(self->dir), "%s/dir", self->mnt);
	snprintf(self->out, sizeof(self->out), "%s/trace", self->base);
	ASSERT_EQ(0, mkdir(self->mnt, 0755));
	argv[0] = (char *)mkfs;
	argv[7] = img;
	ASSERT_EQ(0, run_prog(argv, false));
	ASSERT_EQ(0, loop_mount(img, self->mnt, NULL));
	self->mounted = true;
	ASSERT_EQ(0, mkdir(self->dir, 0755));
	fd = open("/proc/self/comm", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	len = read(fd, self->comm, sizeof(self->comm) - 1);
	close(fd);
	ASSERT_LT(0, len);
	self->comm[len] = '\0';
	self->comm[strcspn(self->comm, "\n")] = '\0';
}

static void stop_tracer(FIXTURE_DATA(fatrace) *self)
{
	int i, status;

	if (self->tracer <= 0)
		return;
	kill(self->tracer, SIGINT);
	for (i = 0; i < 200; i++) {
		if (waitpid(self->tracer, &status, WNOHANG) == self->tracer) {
			self->tracer = -1;
			return;
		}
		usleep(50000);
	}
	kill(self->tracer, SIGKILL);
	waitpid(self->tracer, &status, 0);
	self->tracer = -1;
}

FIXTURE_TEARDOWN(fatrace)
{
	stop_tracer(self);
	if (self->mounted)
		EXPECT_EQ(0, umount2(self->mnt, MNT_DETACH));
	if (self->base[0])
		EXPECT_EQ(0, remove_tree(self->base));
}

/*
 * Seconds to wait for a line: TCG is slow, a debug kernel much slower.  Once a line failed to
 * show up, fatrace had all that time to catch up: later waits are short, so that a kernel which
 * misses a feature fails within the test timeout.
 */
static int wait_budget(FIXTURE_DATA(fatrace) *self)
{
	int full = kernel_is_debug() ? 80 : 15;

	return self->missed ? full / 5 : full;
}

/*
 * Starts fatrace with its working directory @cwd, output to self->out, and waits until it
 * created the output file (its marks are in place before that).
 */
static int start_tracer(FIXTURE_DATA(fatrace) *self, const char *cwd, bool current_mount)
{
	struct timespec start, now;

	self->tracer = fork();
	if (self->tracer < 0)
		return -1;
	if (self->tracer == 0) {
		int null = open("/dev/null", O_WRONLY);

		if (chdir(cwd))
			_exit(126);
		/* Marks on unmarkable mounts (9p root, ...) only warn: keep stderr quiet. */
		if (!current_mount && null >= 0)
			dup2(null, STDERR_FILENO);
		if (current_mount)
			execl(FATRACE, "fatrace", "-c", "-o", self->out, (char *)NULL);
		else
			execl(FATRACE, "fatrace", "-o", self->out, (char *)NULL);
		_exit(127);
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		int status;

		if (!access(self->out, F_OK))
			return 0;
		if (waitpid(self->tracer, &status, WNOHANG) == self->tracer) {
			self->tracer = -1;
			return -1;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > wait_budget(self))
			return -1;
		usleep(20000);
	}
}

/*
 * Whether the output has a line "COMM(PID): EVENTS PATH" by us whose EVENTS contain every
 * letter of @letters and whose PATH is @path.
 */
static bool has_line(FIXTURE_DATA(fatrace) *self, const char *letters, const char *path)
{
	char line[PATH_MAX + 128], prefix[64];
	bool found = false;
	FILE *f;

	snprintf(prefix, sizeof(prefix), "%s(%d): ", self->comm, getpid());
	f = fopen(self->out, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		char *ev, *p;
		const char *l;

		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, prefix, strlen(prefix)))
			continue;
		ev = line + strlen(prefix);
		p = strchr(ev, ' ');
		if (!p)
			continue;
		/* The letters are printed "%-3s ": skip the padding. */
		*p++ = '\0';
		p += strspn(p, " ");
		if (strcmp(p, path))
			continue;
		found = true;
		for (l = letters; *l; l++)
			if (!strchr(ev, *l))
				found = false;
	}
	fclose(f);
	return found;
}

/* Waits for has_line(); fatrace resolves paths when it reads, so each step waits for its line. */
static bool wait_line(FIXTURE_DATA(fatrace) *self, const char *letters, const char *path)
{
	struct timespec start, now;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (has_line(self, letters, path))
			return true;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > wait_budget(self)) {
			self->missed = true;
			return false;
		}
		usleep(20000);
	}
}

static void dump_output(struct __test_metadata *const _metadata, FIXTURE_DATA(fatrace) *self)
{
	char line[PATH_MAX + 128];
	FILE *f = fopen(self->out, "re");

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		TH_LOG("fatrace: %s", strtok(line, "\n"));
	fclose(f);
}

static void operations(struct __test_metadata *const _metadata, FIXTURE_DATA(fatrace) *self)
{
	char f1[DIR_PATH_LEN + 32], f2[DIR_PATH_LEN + 32], buf[16];
	bool ok;
	int fd;

	snprintf(f1, sizeof(f1), "%s/one", self->dir);
	snprintf(f2, sizeof(f2), "%s/two", self->dir);

	/* Create and write: '+' on the directory, then open/modify/close-write on the file. */
	fd = open(f1, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(4, write(fd, "data", 4));
	ASSERT_EQ(0, close(fd));
	ok = wait_line(self, "+", self->dir);
	EXPECT_TRUE(ok) TH_LOG("no create ('+') line for %s", self->dir);
	ok = wait_line(self, "CW", f1);
	EXPECT_TRUE(ok) TH_LOG("no close-write ('CW') line for %s", f1);
	ok = wait_line(self, "O", f1);
	EXPECT_TRUE(ok) TH_LOG("no open ('O') line for %s", f1);

	/* Open and read: read access ('R') on the file. */
	fd = open(f1, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(4, read(fd, buf, sizeof(buf)));
	ASSERT_EQ(0, close(fd));
	ok = wait_line(self, "R", f1);
	EXPECT_TRUE(ok) TH_LOG("no read ('R') line for %s", f1);

	/* Rename within the directory: '<' and '>' on the directory. */
	ASSERT_EQ(0, rename(f1, f2));
	ok = wait_line(self, "<", self->dir);
	EXPECT_TRUE(ok) TH_LOG("no moved-from ('<') line for %s", self->dir);
	ok = wait_line(self, ">", self->dir);
	EXPECT_TRUE(ok) TH_LOG("no moved-to ('>') line for %s", self->dir);
	/* The renamed file is found under its new name. */
	ASSERT_EQ(0, open_close_file(f2, O_RDONLY));
	ok = wait_line(self, "O", f2);
	EXPECT_TRUE(ok) TH_LOG("no open ('O') line for %s", f2);

	/* Delete: 'D' on the directory. */
	ASSERT_EQ(0, unlink(f2));
	ok = wait_line(self, "D", self->dir);
	EXPECT_TRUE(ok) TH_LOG("no delete ('D') line for %s", self->dir);
	if (!ok || _metadata->exit_code)
		dump_output(_metadata, self);
}

/* fatrace -c in the ext4 mount: only this filesystem, handles resolved against the cwd. */
TEST_F_TIMEOUT(fatrace, current_mount, FATRACE_TIMEOUT)
{
	ASSERT_EQ(0, start_tracer(self, self->mnt, true)) TH_LOG("fatrace did not start");
	operations(_metadata, self);
}

/*
 * fatrace without -c: it marks every mount with a device and maps each event's fsid back to
 * its mount point, so the paths are right only if the fsid of the records is statfs()'s.
 */
TEST_F_TIMEOUT(fatrace, all_mounts, FATRACE_TIMEOUT)
{
	ASSERT_EQ(0, start_tracer(self, "/", false)) TH_LOG("fatrace did not start");
	operations(_metadata, self);
}

/* The output is complete after a clean stop (SIGINT), and fatrace exits 0. */
TEST_F_TIMEOUT(fatrace, clean_exit, FATRACE_TIMEOUT)
{
	char f[DIR_PATH_LEN + 32];
	int status, i;

	ASSERT_EQ(0, start_tracer(self, self->mnt, true));
	snprintf(f, sizeof(f), "%s/three", self->dir);
	ASSERT_EQ(0, create_file(f, "x"));
	ASSERT_TRUE(wait_line(self, "CW", f));
	ASSERT_EQ(0, kill(self->tracer, SIGINT));
	for (i = 0; i < 20 * wait_budget(self); i++) {
		if (waitpid(self->tracer, &status, WNOHANG) == self->tracer)
			break;
		usleep(50000);
	}
	ASSERT_GT(20 * wait_budget(self), i);
	self->tracer = -1;
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN
