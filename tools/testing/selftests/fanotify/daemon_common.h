/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the tests that run real fanotify programs from Debian, unmodified, against the
 * kernel under test: fapolicyd, ClamAV's clamd + clamonacc and the fanotify(7) example.
 *
 * The guest's root is the host's, shared read-only over 9p, so /etc and /var/lib cannot be
 * written: a daemon gets a writable copy of its configuration and state directories, bound over
 * the originals in the test's private mount namespace (nothing is changed outside of it).
 * Daemons run in the foreground with their output in a log file; every wait is bounded, and
 * every operation that a permission listener might hold (open, exec) runs in a child process,
 * so that a daemon that never answers fails the test instead of hanging it.
 */
#ifndef _SELFTESTS_FANOTIFY_DAEMON_COMMON_H
#define _SELFTESTS_FANOTIFY_DAEMON_COMMON_H

#include <pwd.h>
#include <signal.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "common.h"
#include "ext4_image.h"

/* Returned by the child_*() helpers when the operation did not finish in time. */
#define DAEMON_TIMED_OUT (-2)

/*
 * Seconds for one wait (daemon start, one verdict): TCG is slow, the debug kernel (KASAN,
 * lockdep) several times slower still.
 */
static inline __maybe_unused int daemon_budget(int normal)
{
	return kernel_is_debug() ? normal * 8 : normal;
}

static inline __maybe_unused double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Writes @len bytes of @data to a new file @path with @mode.  Returns 0 or -1. */
static inline __maybe_unused int write_file(const char *path, const void *data, size_t len,
					    mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, data, len);
	if (close(fd) || n < 0 || (size_t)n != len)
		return -1;
	/* open() applies the umask; the caller asked for this exact mode. */
	return chmod(path, mode);
}

/* Copies the regular file @from to @to with @mode.  Returns 0 or -1. */
static inline __maybe_unused int copy_file(const char *from, const char *to, mode_t mode)
{
	char *buf = NULL;
	struct stat st;
	int fd, ret = -1;

	fd = open(from, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		goto out;
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf || read(fd, buf, st.st_size) != st.st_size)
		goto out;
	ret = write_file(to, buf, st.st_size, mode);
out:
	free(buf);
	close(fd);
	return ret;
}

/*
 * Reads the whole of @path into a NUL-terminated buffer (at most @max bytes).  Returns it (to
 * be freed) or NULL.
 */
static inline __maybe_unused char *read_text(const char *path, size_t max)
{
	char *buf = malloc(max + 1);
	ssize_t n;
	int fd;

	if (!buf)
		return NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return NULL;
	}
	n = read(fd, buf, max);
	close(fd);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

/* Whether the text file @path contains @needle. */
static inline __maybe_unused bool file_has(const char *path, const char *needle)
{
	char *text = read_text(path, 1 << 20);
	bool found = text && strstr(text, needle);

	free(text);
	return found;
}

/*
 * Replaces the directory @dir, for this mount namespace only, with a writable copy of it made
 * in @scratch (a new directory on the test's tmpfs, owned by @uid/@gid): a bind mount over the
 * read-only original.  @empty starts from an empty directory instead of a copy.
 */
static inline __maybe_unused int writable_copy(const char *dir, const char *scratch,
					       uid_t uid, gid_t gid, bool empty)
{
	char src[PATH_MAX + 4];
	char *cp_argv[] = { "/bin/cp", "-a", src, (char *)scratch, NULL };

	if (mkdir(scratch, 0755) && errno != EEXIST)
		return -1;
	snprintf(src, sizeof(src), "%s/.", dir);
	if (!empty && run_prog(cp_argv, false))
		return -1;
	if (chown(scratch, uid, gid))
		return -1;
	return mount(scratch, dir, NULL, MS_BIND, NULL);
}

/*
 * Starts @argv[0] with @argv in the background: stdin from @in_fd (or /dev/null if negative),
 * stdout and stderr appended to @log.  Returns the pid or -1.
 */
static inline __maybe_unused pid_t spawn_daemon(char *const argv[], const char *log, int in_fd)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	/*
	 * Die with the test.  Daemons that switch to their own user lose this on the uid
	 * change; the test stops those itself, within bounded waits.
	 */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	setpgid(0, 0);
	if (in_fd < 0)
		in_fd = open("/dev/null", O_RDONLY);
	if (in_fd >= 0 && in_fd != STDIN_FILENO)
		dup2(in_fd, STDIN_FILENO);
	if (log) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);

		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
	}
	execv(argv[0], argv);
	fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/*
 * Waits up to @secs for @pid to exit.  Returns its wait status, or -1 if it is still running
 * (or was never ours).
 */
static inline __maybe_unused int wait_exit(pid_t pid, int secs)
{
	struct timespec start;
	int status;

	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r < 0)
			return -1;
		usleep(20000);
	} while (seconds_since(&start) < secs);
	return -1;
}

/*
 * Stops a daemon started by spawn_daemon(): @sig, then SIGKILL to its process group after
 * @secs.  Returns its wait status if it exited on @sig within @secs, -1 otherwise.  *@pid is
 * reset so that teardown does not stop it twice.
 */
static inline __maybe_unused int stop_daemon(pid_t *pid, int sig, int secs)
{
	int status;

	if (*pid <= 0)
		return -1;
	kill(*pid, sig);
	status = wait_exit(*pid, secs);
	if (status == -1) {
		kill(-*pid, SIGKILL);
		kill(*pid, SIGKILL);
		waitpid(*pid, NULL, 0);
	}
	*pid = -1;
	return status;
}

/*
 * The mount id of the mount @path is on, as fanotify prints it in fdinfo, from this process's
 * own fdinfo (mount ids are global, so the daemon's fdinfo names the same number).
 */
static inline __maybe_unused int mount_id_of(const char *path)
{
	char fdinfo[64], line[256];
	int fd, id = -1;
	FILE *f;

	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return -1;
	snprintf(fdinfo, sizeof(fdinfo), "/proc/self/fdinfo/%d", fd);
	f = fopen(fdinfo, "re");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "mnt_id: %d", &id) == 1)
			break;
	if (f)
		fclose(f);
	close(fd);
	return id;
}

/* Whether any fanotify group fd of process @pid has a mark line containing @needle. */
static inline __maybe_unused bool has_fanotify_mark(pid_t pid, const char *needle)
{
	char dir[64], link[PATH_MAX], path[PATH_MAX + 64], line[512];
	struct dirent *de;
	bool found = false;
	DIR *d;

	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	d = opendir(dir);
	if (!d)
		return false;
	while (!found && (de = readdir(d))) {
		ssize_t n;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		if (strcmp(link, "anon_inode:[fanotify]"))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", pid, de->d_name);
		f = fopen(path, "re");
		while (f && !found && fgets(line, sizeof(line), f))
			found = !strncmp(line, "fanotify ", 9) && strstr(line, needle);
		if (f)
			fclose(f);
	}
	closedir(d);
	return found;
}

/*
 * Waits up to @secs until process @pid holds a fanotify mark whose fdinfo line contains
 * @needle: the daemon is then ready, every access it watches waits for its verdict.  Returns
 * 0, or -1 if the time ran out or the daemon exited.
 */
static inline __maybe_unused int wait_fanotify_mark(pid_t pid, const char *needle, int secs)
{
	struct timespec start;
	int status;

	clock_gettime(CLOCK_MONOTONIC, &start);
	do {
		if (has_fanotify_mark(pid, needle))
			return 0;
		if (waitpid(pid, &status, WNOHANG) == pid)
			return -1;
		usleep(50000);
	} while (seconds_since(&start) < secs);
	return -1;
}

/* The fdinfo needle of an inode mark on @path: "ino:HEX sdev:HEX". */
static inline __maybe_unused int inode_mark_needle(const char *path, char *buf, size_t len)
{
	struct stat st;

	if (stat(path, &st))
		return -1;
	snprintf(buf, len, "ino:%lx sdev:%x ", (unsigned long)st.st_ino, kernel_dev(st.st_dev));
	return 0;
}

/* The fdinfo needle of a mount mark on the mount of @path: "mnt_id:HEX". */
static inline __maybe_unused int mount_mark_needle(const char *path, char *buf, size_t len)
{
	int id = mount_id_of(path);

	if (id < 0)
		return -1;
	snprintf(buf, len, "mnt_id:%x ", id);
	return 0;
}

/*
 * Reports the child's errno through a close-on-exec pipe: nothing arrives when the child's
 * operation succeeded (or it exec'd).
 */
static inline int child_result(pid_t pid, int rfd, int secs, int *status)
{
	struct pollfd p = { .fd = rfd, .events = POLLIN };
	int err = 0, st;

	if (poll(&p, 1, secs * 1000) != 1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(rfd);
		return DAEMON_TIMED_OUT;
	}
	if (read(rfd, &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(rfd);
	st = wait_exit(pid, secs);
	if (st == -1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return DAEMON_TIMED_OUT;
	}
	if (status)
		*status = st;
	return err;
}

/*
 * Opens @path with @flags in a child process running as @uid (-1: unchanged), reads a byte
 * if it opened for reading, and closes it.  Returns 0 if that worked, the errno of the open
 * (or read) otherwise, DAEMON_TIMED_OUT if it did not finish within @secs.
 */
static inline __maybe_unused int child_open(const char *path, int flags, uid_t uid, int secs)
{
	int pfd[2];
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int fd, err = 0;
		char c;

		close(pfd[0]);
		if (uid != (uid_t)-1 && (setresgid(uid, uid, uid) || setresuid(uid, uid, uid)))
			err = errno;
		if (!err) {
			fd = open(path, flags | O_CLOEXEC, 0644);
			if (fd < 0)
				err = errno;
			else if ((flags & O_ACCMODE) != O_WRONLY && read(fd, &c, 1) < 0)
				err = errno;
			if (fd >= 0)
				close(fd);
		}
		if (err && write(pfd[1], &err, sizeof(err)) != sizeof(err))
			_exit(2);
		_exit(0);
	}
	close(pfd[1]);
	return child_result(pid, pfd[0], secs, NULL);
}

/*
 * Runs @path (no arguments) in a child process.  Returns 0 if execve() worked (the program's
 * wait status in *@status), its errno if it failed, DAEMON_TIMED_OUT after @secs.
 */
static inline __maybe_unused int child_exec(const char *path, int secs, int *status)
{
	char *argv[] = { (char *)path, NULL };
	int pfd[2];
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int err;

		close(pfd[0]);
		execv(path, argv);
		err = errno;
		if (write(pfd[1], &err, sizeof(err)) != sizeof(err))
			_exit(126);
		_exit(127);
	}
	close(pfd[1]);
	return child_result(pid, pfd[0], secs, status);
}

/* Logs every line of @path (a daemon's log) through TH_LOG, prefixed with @tag. */
#define dump_log(tag, path)							\
	do {									\
		char _line[1024];						\
		FILE *_f = fopen((path), "re");					\
										\
		while (_f && fgets(_line, sizeof(_line), _f)) {			\
			_line[strcspn(_line, "\n")] = '\0';			\
			TH_LOG("%s: %s", (tag), _line);				\
		}								\
		if (_f)								\
			fclose(_f);						\
	} while (0)

#endif /* _SELFTESTS_FANOTIFY_DAEMON_COMMON_H */
