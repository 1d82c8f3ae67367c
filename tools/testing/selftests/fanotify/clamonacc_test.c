// SPDX-License-Identifier: GPL-2.0
/*
 * A real permission listener that scans: ClamAV's on-access scanner from Debian, unmodified.
 * clamd loads a database this test writes (one signature of its own, matching a marker text
 * made up at run time: no real virus anywhere) and listens on a local socket; clamonacc marks
 * a directory, hands the fd of every access to clamd (--fdpass) and answers FAN_DENY for a file
 * clamd reports.
 *
 * What clamonacc 1.4 needs from the kernel (with OnAccessPrevention and OnAccessDisableDDD):
 * fanotify_init(FAN_CLASS_CONTENT | FAN_UNLIMITED_QUEUE | FAN_UNLIMITED_MARKS, O_LARGEFILE),
 * FAN_MARK_ADD of FAN_OPEN_PERM | FAN_ACCESS_PERM | FAN_EVENT_ON_CHILD on the directory, event
 * fds that can travel over a unix socket (SCM_RIGHTS) and be read by clamd under another user,
 * metadata.pid of the accessing process (it excludes clamd's user by the uid in
 * /proc/PID/status) and verdicts that open() and read() honour with EPERM.
 *
 * clamd runs as the clamav user with a private /run (its socket, pid and log) and writable
 * copies of /etc/clamav and /var/lib/clamav; the kernel has no INET, so the socket is a unix
 * one, as in Debian's default configuration.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/socket.h>
#include <sys/un.h>

#include "daemon_common.h"

#define CLAMD "/usr/sbin/clamd"
#define CLAMONACC "/usr/sbin/clamonacc"
#define CLAMD_SOCKET "/run/clamav/clamd.ctl"
#define CLAMAV_TIMEOUT 300

FIXTURE(clamonacc)
{
	char base[DIR_PATH_LEN];
	char watched[DIR_PATH_LEN + 16];
	char infected[DIR_PATH_LEN + 32];
	char clean[DIR_PATH_LEN + 32];
	char log[DIR_PATH_LEN + 16];
	char marker[96];
	uid_t clamav_uid;
	pid_t clamd;
	pid_t onacc;
};

/* Sends clamd's "zPING" command on its socket; 0 if it answered PONG. */
static int clamd_ping(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char reply[16] = "";
	ssize_t n;
	int s;

	s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -1;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", CLAMD_SOCKET);
	if (connect(s, (struct sockaddr *)&sun, sizeof(sun)) ||
	    send(s, "zPING", 6, MSG_NOSIGNAL) != 6) {
		close(s);
		return -1;
	}
	n = recv(s, reply, sizeof(reply) - 1, 0);
	close(s);
	return n >= 4 && !strncmp(reply, "PONG", 4) ? 0 : -1;
}

static int write_clamav_config(FIXTURE_DATA(clamonacc) *self)
{
	char conf[2048], db[256], hex[2 * sizeof(self->marker) + 1];
	size_t i;
	int n;

	n = snprintf(conf, sizeof(conf),
		     "# written by the fanotify selftest clamonacc_test\n"
		     "LocalSocket %s\n"
		     "FixStaleSocket true\n"
		     "LocalSocketGroup clamav\n"
		     "LocalSocketMode 666\n"
		     "User clamav\n"
		     "Foreground true\n"
		     "LogFile /run/clamav/clamd.log\n"
		     "LogTime true\n"
		     "PidFile /run/clamav/clamd.pid\n"
		     "DatabaseDirectory /var/lib/clamav\n"
		     "TemporaryDirectory /run/clamav\n"
		     "Bytecode false\n"
		     "SelfCheck 3600\n"
		     "OnAccessIncludePath %s\n"
		     "OnAccessPrevention true\n"
		     "OnAccessDisableDDD true\n"
		     "OnAccessExcludeUname clamav\n"
		     "OnAccessMaxThreads 2\n"
		     "OnAccessCurlTimeout %d\n",
		     CLAMD_SOCKET, self->watched, daemon_budget(60) * 1000);
	if (n >= (int)sizeof(conf) || write_file("/etc/clamav/clamd.conf", conf, n, 0644))
		return -1;

	/* An extended (.ndb) signature: any file type, anywhere, the marker's bytes in hex. */
	for (i = 0; self->marker[i]; i++)
		sprintf(hex + 2 * i, "%02x", (unsigned char)self->marker[i]);
	n = snprintf(db, sizeof(db), "Fanotify.Selftest.Marker:0:*:%s\n", hex);
	return write_file("/var/lib/clamav/fanotify-selftest.ndb", db, n, 0644);
}

FIXTURE_SETUP(clamonacc)
{
	char *clamd_argv[] = { CLAMD, NULL };
	char *onacc_argv[] = { CLAMONACC, "--foreground", "--verbose", "--fdpass", NULL, NULL };
	char dir[DIR_PATH_LEN + 16], logopt[DIR_PATH_LEN + 32], needle[64];
	struct timespec start;
	struct passwd *pw;
	double clamd_secs;
	char text[160];
	int n;

	self->clamd = -1;
	self->onacc = -1;
	self->base[0] = '\0';
	if (access(CLAMD, X_OK) || access(CLAMONACC, X_OK))
		SKIP(return, "%s or %s not installed: Debian package clamav-daemon (%s; %s)",
		     CLAMD, CLAMONACC, "kit/lib/common.sh fk_deps installs it",
		     "apt-get install clamav-daemon");
	pw = getpwnam("clamav");
	ASSERT_NE(NULL, pw) TH_LOG("clamav-daemon is installed but the clamav user is missing");
	self->clamav_uid = pw->pw_uid;

	ASSERT_EQ(0, private_mount_ns());
	ASSERT_EQ(0, make_temp_dir(self->base));
	/* clamd's user must reach the files (it scans passed fds; the exclusion test opens). */
	ASSERT_EQ(0, chmod(self->base, 0755));
	snprintf(self->watched, sizeof(self->watched), "%s/watched", self->base);
	snprintf(self->infected, sizeof(self->infected), "%s/infected", self->watched);
	snprintf(self->clean, sizeof(self->clean), "%s/clean", self->watched);
	snprintf(self->log, sizeof(self->log), "%s/clamonacc.log", self->base);
	/* Made up now, so that no file on the host (this binary included) matches. */
	snprintf(self->marker, sizeof(self->marker), "fanotify-selftest-clamav-marker-%d-%ld",
		 getpid(), (long)time(NULL));
	ASSERT_EQ(0, mkdir(self->watched, 0755));
	n = snprintf(text, sizeof(text), "text before\n%s\ntext after\n", self->marker);
	ASSERT_EQ(0, write_file(self->infected, text, n, 0644));
	ASSERT_EQ(0, write_file(self->clean, "nothing to see here\n", 20, 0644));

	/* A private /run for the socket, pid and log files; writable /etc and /var/lib copies. */
	ASSERT_EQ(0, mount("fanotify_test", "/run", "tmpfs", 0, "mode=0755,size=4m"));
	ASSERT_EQ(0, mkdir("/run/clamav", 0755));
	ASSERT_EQ(0, chown("/run/clamav", pw->pw_uid, pw->pw_gid));
	snprintf(dir, sizeof(dir), "%s/etc", self->base);
	ASSERT_EQ(0, writable_copy("/etc/clamav", dir, 0, 0, false));
	snprintf(dir, sizeof(dir), "%s/lib", self->base);
	ASSERT_EQ(0, writable_copy("/var/lib/clamav", dir, pw->pw_uid, pw->pw_gid, true));
	ASSERT_EQ(0, write_clamav_config(self));

	clock_gettime(CLOCK_MONOTONIC, &start);
	snprintf(dir, sizeof(dir), "%s/clamd.out", self->base);
	self->clamd = spawn_daemon(clamd_argv, dir, -1);
	ASSERT_LT(0, self->clamd);
	while (clamd_ping() && seconds_since(&start) < daemon_budget(120)) {
		if (waitpid(self->clamd, NULL, WNOHANG) == self->clamd) {
			self->clamd = -1;
			break;
		}
		usleep(100000);
	}
	clamd_secs = seconds_since(&start);
	if (clamd_ping()) {
		/* Teardown does not run after a failed setup: stop clamd here. */
		stop_daemon(&self->clamd, SIGTERM, daemon_budget(10));
		dump_log("clamd", "/run/clamav/clamd.log");
		dump_log("clamd", dir);
		ASSERT_TRUE(false) TH_LOG("clamd did not answer PING within %.0f s", clamd_secs);
	}

	snprintf(logopt, sizeof(logopt), "--log=%s", self->log);
	onacc_argv[4] = logopt;
	clock_gettime(CLOCK_MONOTONIC, &start);
	/* Its stdout and stderr go to its log too (O_APPEND, like its own writes). */
	self->onacc = spawn_daemon(onacc_argv, self->log, -1);
	ASSERT_LT(0, self->onacc);
	ASSERT_EQ(0, inode_mark_needle(self->watched, needle, sizeof(needle)));
	if (wait_fanotify_mark(self->onacc, needle, daemon_budget(60))) {
		stop_daemon(&self->onacc, SIGTERM, daemon_budget(10));
		stop_daemon(&self->clamd, SIGTERM, daemon_budget(10));
		dump_log("clamonacc", self->log);
		ASSERT_TRUE(false) TH_LOG("clamonacc did not mark %s", self->watched);
	}
	TH_LOG("clamd answered after %.1f s, clamonacc marked the directory %.1f s later",
	       clamd_secs, seconds_since(&start));
}

FIXTURE_TEARDOWN(clamonacc)
{
	/* clamonacc first: stopping it lets go of the accesses it still holds. */
	stop_daemon(&self->onacc, SIGTERM, daemon_budget(30));
	stop_daemon(&self->clamd, SIGTERM, daemon_budget(30));
	if (self->base[0]) {
		umount2("/etc/clamav", MNT_DETACH);
		umount2("/var/lib/clamav", MNT_DETACH);
		EXPECT_EQ(0, remove_tree(self->base));
	}
}

/* A file without the marker opens and reads: clamd found nothing, clamonacc allowed it. */
TEST_F_TIMEOUT(clamonacc, clean_opens, CLAMAV_TIMEOUT)
{
	ASSERT_EQ(0, child_open(self->clean, O_RDONLY, -1, daemon_budget(60)));
	if (_metadata->exit_code)
		dump_log("clamonacc", self->log);
}

/*
 * Opening the file with the marker fails with EPERM: clamd matched the signature on the fd
 * clamonacc passed, clamonacc answered FAN_DENY.  It says so in its log.  The clean file next
 * to it still opens.
 */
TEST_F_TIMEOUT(clamonacc, infected_denied, CLAMAV_TIMEOUT)
{
	ASSERT_EQ(EPERM, child_open(self->infected, O_RDONLY, -1, daemon_budget(60)));
	EXPECT_TRUE(file_has(self->log, "Fanotify.Selftest.Marker"))
		TH_LOG("clamonacc's log does not name the signature");
	EXPECT_EQ(0, child_open(self->clean, O_RDONLY, -1, daemon_budget(60)));
	if (_metadata->exit_code)
		dump_log("clamonacc", self->log);
}

/*
 * clamd's own user is excluded (OnAccessExcludeUname clamav): a process of that user opens
 * the file with the marker without a scan, while root is still denied.
 */
TEST_F_TIMEOUT(clamonacc, clamd_user_excluded, CLAMAV_TIMEOUT)
{
	ASSERT_EQ(0, child_open(self->infected, O_RDONLY, self->clamav_uid, daemon_budget(60)));
	EXPECT_EQ(EPERM, child_open(self->infected, O_RDONLY, -1, daemon_budget(60)));
	if (_metadata->exit_code)
		dump_log("clamonacc", self->log);
}

TEST_HARNESS_MAIN
