// SPDX-License-Identifier: GPL-2.0
/*
 * A real permission listener: Debian's fapolicyd, unmodified, with a configuration and a rule
 * set written by this test, decides which executables on an ext4 loop mount may run.
 *
 * What fapolicyd 1.1 needs from the kernel: fanotify_init(FAN_CLASS_CONTENT, with
 * FAN_UNLIMITED_QUEUE and FAN_UNLIMITED_MARKS), FAN_MARK_ADD | FAN_MARK_MOUNT with FAN_OPEN_PERM
 * and FAN_OPEN_EXEC_PERM on every mount of a watched filesystem type listed in /proc/mounts
 * (9p is not one, so the guest's root is never watched), an event fd it can read (with
 * "integrity = sha256" it hashes the file through that fd) and a verdict that execve() honours
 * with EPERM.
 *
 * The set-up: one ext4 image mounted in the test's private mount namespace, with two copies of
 * /bin/true: "trusted/true" is in the trust file (path, size, SHA-256: the "file" trust
 * back-end), "untrusted/true" is not.  The rules allow executing trusted files, deny executing
 * anything else on that mount and allow all other accesses.  fapolicyd runs as its own user
 * with writable copies of /etc/fapolicyd, /var/lib/fapolicyd and a private /run, in the
 * foreground (--debug-deny: denials are printed on stderr).
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <grp.h>

#include "daemon_common.h"

#define FAPOLICYD "/usr/sbin/fapolicyd"
#define FAGENRULES "/usr/sbin/fagenrules"
#define FAPOLICYD_TIMEOUT 300

FIXTURE(fapolicyd)
{
	char base[DIR_PATH_LEN];
	char mnt[DIR_PATH_LEN + 8];
	char trusted[DIR_PATH_LEN + 32];
	char untrusted[DIR_PATH_LEN + 32];
	char log[DIR_PATH_LEN + 16];
	bool mounted;
	pid_t daemon;
	double start_secs;
};

static int write_config(FIXTURE_DATA(fapolicyd) *self)
{
	static const char conf[] =
		"permissive = 0\n"
		"nice_val = 0\n"
		"q_size = 640\n"
		"uid = fapolicyd\n"
		"gid = fapolicyd\n"
		"do_stat_report = 0\n"
		"detailed_report = 0\n"
		"db_max_size = 8\n"
		"subj_cache_size = 1549\n"
		"obj_cache_size = 8191\n"
		"watch_fs = ext4\n"
		"trust = file\n"
		"integrity = sha256\n"
		"syslog_format = rule,dec,perm,pid,exe,:,path,ftype,trust\n"
		"rpm_sha256_only = 0\n"
		"allow_filesystem_mark = 0\n";
	char rules[512], trust[PATH_MAX + 128], cmd[PATH_MAX + 32], sum[65];
	struct stat st;
	FILE *p;
	int n;

	if (write_file("/etc/fapolicyd/fapolicyd.conf", conf, strlen(conf), 0644))
		return -1;
	/* Replace the package's rules.d (it denies every untrusted execution) with ours. */
	if (unlink("/etc/fapolicyd/rules.d/90-deny-execute.rules") && errno != ENOENT)
		return -1;
	n = snprintf(rules, sizeof(rules),
		     "# written by the fanotify selftest fapolicyd_test\n"
		     "allow perm=execute all : trust=1\n"
		     "deny perm=execute all : dir=%s/\n"
		     "allow perm=any all : all\n", self->mnt);
	if (write_file("/etc/fapolicyd/rules.d/50-fanotify-selftest.rules", rules, n, 0644))
		return -1;

	/* The trust file: "path size sha256", as fapolicyd-cli --file add writes it. */
	if (stat(self->trusted, &st))
		return -1;
	snprintf(cmd, sizeof(cmd), "sha256sum '%s'", self->trusted);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fscanf(p, "%64s", sum);
	if (pclose(p) || n != 1)
		return -1;
	n = snprintf(trust, sizeof(trust), "%s %lld %s\n", self->trusted,
		     (long long)st.st_size, sum);
	return write_file("/etc/fapolicyd/fapolicyd.trust", trust, n, 0644);
}

FIXTURE_SETUP(fapolicyd)
{
	char img[DIR_PATH_LEN + 8], dir[DIR_PATH_LEN + 32], needle[32];
	char *mkfs_argv[] = { NULL, "-q", "-F", "-b", "1024", "-O", "^has_journal", img, "8M",
			      NULL };
	char *gen_argv[] = { FAGENRULES, NULL };
	char *argv[] = { FAPOLICYD, "--debug-deny", NULL };
	struct timespec start;
	struct passwd *pw;

	self->mounted = false;
	self->daemon = -1;
	self->base[0] = '\0';
	if (access(FAPOLICYD, X_OK))
		SKIP(return, "%s not installed: Debian package fapolicyd (kit/lib/common.sh %s)",
		     FAPOLICYD, "fk_deps installs it; apt-get install fapolicyd");
	pw = getpwnam("fapolicyd");
	ASSERT_NE(NULL, pw) TH_LOG("fapolicyd is installed but its user is missing");
	mkfs_argv[0] = (char *)find_prog(mkfs_cands);
	ASSERT_NE(NULL, mkfs_argv[0]) TH_LOG("mkfs.ext4 not found (e2fsprogs)");

	ASSERT_EQ(0, private_mount_ns());
	ASSERT_EQ(0, make_temp_dir(self->base));
	snprintf(img, sizeof(img), "%s/img", self->base);
	snprintf(self->mnt, sizeof(self->mnt), "%s/mnt", self->base);
	snprintf(self->trusted, sizeof(self->trusted), "%s/trusted/true", self->mnt);
	snprintf(self->untrusted, sizeof(self->untrusted), "%s/untrusted/true", self->mnt);
	snprintf(self->log, sizeof(self->log), "%s/fapolicyd.log", self->base);

	/* The untrusted mount: an ext4 image, like a USB stick. */
	ASSERT_EQ(0, mkdir(self->mnt, 0755));
	ASSERT_EQ(0, run_prog(mkfs_argv, false));
	ASSERT_EQ(0, loop_mount(img, self->mnt, NULL));
	self->mounted = true;
	snprintf(dir, sizeof(dir), "%s/trusted", self->mnt);
	ASSERT_EQ(0, mkdir(dir, 0755));
	snprintf(dir, sizeof(dir), "%s/untrusted", self->mnt);
	ASSERT_EQ(0, mkdir(dir, 0755));
	ASSERT_EQ(0, copy_file("/bin/true", self->trusted, 0755));
	ASSERT_EQ(0, copy_file("/bin/true", self->untrusted, 0755));

	/* Writable state: a private /run, copies of /etc/fapolicyd and /var/lib/fapolicyd. */
	ASSERT_EQ(0, mount("fanotify_test", "/run", "tmpfs", 0, "mode=0755,size=4m"));
	ASSERT_EQ(0, mkdir("/run/fapolicyd", 0755));
	ASSERT_EQ(0, chown("/run/fapolicyd", pw->pw_uid, pw->pw_gid));
	snprintf(dir, sizeof(dir), "%s/etc", self->base);
	ASSERT_EQ(0, writable_copy("/etc/fapolicyd", dir, 0, pw->pw_gid, false));
	snprintf(dir, sizeof(dir), "%s/lib", self->base);
	ASSERT_EQ(0, writable_copy("/var/lib/fapolicyd", dir, pw->pw_uid, pw->pw_gid, true));
	ASSERT_EQ(0, write_config(self));
	/* Debian's own rule compiler makes /etc/fapolicyd/compiled.rules from rules.d. */
	ASSERT_EQ(0, run_prog(gen_argv, false));
	ASSERT_EQ(0, access("/etc/fapolicyd/compiled.rules", R_OK));

	clock_gettime(CLOCK_MONOTONIC, &start);
	self->daemon = spawn_daemon(argv, self->log, -1);
	ASSERT_LT(0, self->daemon);
	ASSERT_EQ(0, mount_mark_needle(self->mnt, needle, sizeof(needle)));
	if (wait_fanotify_mark(self->daemon, needle, daemon_budget(60))) {
		/* Teardown does not run after a failed setup: stop the daemon here. */
		stop_daemon(&self->daemon, SIGTERM, daemon_budget(10));
		dump_log("fapolicyd", self->log);
		ASSERT_TRUE(false) TH_LOG("fapolicyd did not mark %s", self->mnt);
	}
	self->start_secs = seconds_since(&start);
	TH_LOG("fapolicyd marked the mount %.1f s after it was started", self->start_secs);
}

FIXTURE_TEARDOWN(fapolicyd)
{
	stop_daemon(&self->daemon, SIGTERM, daemon_budget(30));
	if (self->mounted)
		EXPECT_EQ(0, umount2(self->mnt, MNT_DETACH));
	if (self->base[0]) {
		umount2("/etc/fapolicyd", MNT_DETACH);
		umount2("/var/lib/fapolicyd", MNT_DETACH);
		EXPECT_EQ(0, remove_tree(self->base));
	}
}

/* The copy listed in the trust file runs; the daemon hashed it through the event's fd. */
TEST_F_TIMEOUT(fapolicyd, trusted_runs, FAPOLICYD_TIMEOUT)
{
	int status = -1;

	ASSERT_EQ(0, child_exec(self->trusted, daemon_budget(30), &status));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	if (_metadata->exit_code)
		dump_log("fapolicyd", self->log);
}

/*
 * The identical copy that is not in the trust file may not run (EPERM from execve()), and
 * fapolicyd logged the denial; reading it is still allowed (the rules deny only execution).
 */
TEST_F_TIMEOUT(fapolicyd, untrusted_denied, FAPOLICYD_TIMEOUT)
{
	struct timespec start;
	bool logged = false;

	ASSERT_EQ(EPERM, child_exec(self->untrusted, daemon_budget(30), NULL));
	ASSERT_EQ(0, child_open(self->untrusted, O_RDONLY, -1, daemon_budget(30)));
	/* The denial line is written after the verdict: give it a moment. */
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!logged && seconds_since(&start) < daemon_budget(10)) {
		char *text = read_text(self->log, 1 << 20);

		logged = text && strstr(text, "dec=deny") && strstr(text, self->untrusted);
		free(text);
		if (!logged)
			usleep(50000);
	}
	EXPECT_TRUE(logged) TH_LOG("fapolicyd logged no denial of %s", self->untrusted);
	/* The trusted copy still runs next to it. */
	EXPECT_EQ(0, child_exec(self->trusted, daemon_budget(30), NULL));
	if (_metadata->exit_code)
		dump_log("fapolicyd", self->log);
}

/*
 * fapolicyd stops cleanly on SIGTERM (it removes its marks and exits 0), after which nothing
 * on the mount is policed any more.
 */
TEST_F_TIMEOUT(fapolicyd, clean_stop, FAPOLICYD_TIMEOUT)
{
	int status;

	ASSERT_EQ(EPERM, child_exec(self->untrusted, daemon_budget(30), NULL));
	status = stop_daemon(&self->daemon, SIGTERM, daemon_budget(30));
	ASSERT_NE(-1, status) TH_LOG("fapolicyd did not exit on SIGTERM");
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	status = -1;
	EXPECT_EQ(0, child_exec(self->untrusted, daemon_budget(30), &status));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (_metadata->exit_code)
		dump_log("fapolicyd", self->log);
}

TEST_HARNESS_MAIN
