/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fanotify permission event selftest helpers
 *
 * A private tmpfs to watch (so that mount and filesystem marks only ever see the test's own
 * files), accesses performed by child processes (so that the test can read and answer the
 * permission events they wait for) and verdict helpers.
 *
 * Behaviour reference: upstream 6.12 fanotify_get_response() in fs/notify/fanotify/fanotify.c and
 * fanotify_write(), process_access_response() and fanotify_release() in
 * fs/notify/fanotify/fanotify_user.c.
 */

#ifndef _SELFTESTS_FANOTIFY_PERM_COMMON_H
#define _SELFTESTS_FANOTIFY_PERM_COMMON_H

#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <time.h>

#include "common.h"

#ifndef __NR_close_range
#define __NR_close_range 436
#endif

/* How long an access child may take once it has been answered. */
#define CHILD_EXIT_TIMEOUT_MS 5000
/* How long a child must stay blocked to be considered waiting for a verdict. */
#define BLOCKED_MS 300

/* Result of wait_child() for a child that did not exit in time. */
#define CHILD_TIMEOUT (-1)
/* wait_child() returns CHILD_SIGNALED + signal number for a child killed by a signal. */
#define CHILD_SIGNALED 1000

enum perm_op {
	PERM_OP_OPEN,		/* open(O_RDONLY) + close() */
	PERM_OP_READ,		/* open(O_RDONLY) + read() + close() */
	PERM_OP_WRITE,		/* open(O_WRONLY | O_APPEND) + write() + close() */
	PERM_OP_EXEC,		/* execve() */
};

static inline __maybe_unused long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * Makes @dir (a fresh temporary directory, DIR_PATH_LEN bytes) the root of a private tmpfs in a
 * private mount namespace of the calling process.  Returns 0, or -1 with errno set.
 */
static inline __maybe_unused int perm_mount_tmpfs(char *dir)
{
	if (make_temp_dir(dir))
		return -1;
	if (unshare(CLONE_NEWNS))
		return -1;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	return mount("fanotify_perm", dir, "tmpfs", 0, "size=32m,mode=0755");
}

static inline __maybe_unused void perm_umount_tmpfs(const char *dir)
{
	if (!dir[0])
		return;
	umount2(dir, MNT_DETACH);
	rmdir(dir);
}

/* Copies @src to @dst with mode 0755; returns 0 or -1. */
static inline __maybe_unused int copy_program(const char *src, const char *dst)
{
	char buf[65536];
	int in, out, ret = -1;
	ssize_t n;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (out < 0)
		goto out_in;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			goto out_out;
	if (n == 0)
		ret = 0;
out_out:
	if (close(out))
		ret = -1;
out_in:
	close(in);
	return ret;
}

/* Body of an access child: never returns; the exit code is 0 or the errno of the failure. */
static inline __maybe_unused void perm_child_run(enum perm_op op, const char *path)
{
	char *argv[] = { "true", NULL };
	char *envp[] = { NULL };
	char c = 'x';
	int fd;

	switch (op) {
	case PERM_OP_EXEC:
		execve(path, argv, envp);
		_exit(errno);
	case PERM_OP_WRITE:
		fd = open(path, O_WRONLY | O_APPEND);
		if (fd < 0)
			_exit(errno);
		if (write(fd, &c, 1) != 1)
			_exit(errno ? errno : 255);
		break;
	case PERM_OP_READ:
		fd = open(path, O_RDONLY);
		if (fd < 0)
			_exit(errno);
		if (read(fd, &c, 1) < 0)
			_exit(errno);
		break;
	default:
		fd = open(path, O_RDONLY);
		if (fd < 0)
			_exit(errno);
		break;
	}
	close(fd);
	_exit(0);
}

/*
 * Forks a child that performs @op on @path.  The child first closes every descriptor but the
 * standard ones, so that it holds no reference to a listener: closing a listener in the test must
 * really release its group.
 */
static inline __maybe_unused pid_t spawn_access(enum perm_op op, const char *path)
{
	pid_t pid = fork();

	if (pid == 0) {
		syscall(__NR_close_range, 3, ~0U, 0);
		perm_child_run(op, path);
	}
	return pid;
}

/*
 * Waits up to @timeout_ms for @pid to end.  Returns its exit code, CHILD_SIGNALED + the signal
 * that killed it, or CHILD_TIMEOUT (the child is left running).
 */
static inline __maybe_unused int wait_child(pid_t pid, int timeout_ms)
{
	long long deadline = now_ns() + timeout_ms * 1000000LL;
	int status;
	pid_t ret;

	for (;;) {
		ret = waitpid(pid, &status, WNOHANG);
		if (ret == pid) {
			if (WIFEXITED(status))
				return WEXITSTATUS(status);
			if (WIFSIGNALED(status))
				return CHILD_SIGNALED + WTERMSIG(status);
		}
		if (ret < 0 || now_ns() > deadline)
			return CHILD_TIMEOUT;
		usleep(2000);
	}
}

/* Whether @pid is still running (blocked) after @ms milliseconds. */
static inline __maybe_unused bool still_blocked(pid_t pid, int ms)
{
	return wait_child(pid, ms) == CHILD_TIMEOUT;
}

/* Kills and reaps @pid (used on failure paths). */
static inline __maybe_unused void kill_child(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/*
 * Reads exactly one event record from @fan_fd, waiting at most @timeout_ms for it.  Returns 0, or
 * -1 (timeout, error or malformed record; errno set for a read error, ETIMEDOUT on timeout).
 */
static inline __maybe_unused int read_one_event(int fan_fd, struct fanotify_event_metadata *m,
						int timeout_ms)
{
	int ret = wait_readable(fan_fd, timeout_ms);
	ssize_t len;

	if (ret == 0)
		errno = ETIMEDOUT;
	if (ret <= 0)
		return -1;
	len = read(fan_fd, m, sizeof(*m));
	if (len != sizeof(*m) || m->event_len != FAN_EVENT_METADATA_LEN ||
	    m->vers != FANOTIFY_METADATA_VERSION || m->metadata_len != FAN_EVENT_METADATA_LEN) {
		if (len >= 0)
			errno = EBADMSG;
		return -1;
	}
	return 0;
}

/* Writes a plain response; returns what write() returns. */
static inline __maybe_unused ssize_t respond(int fan_fd, int fd, uint32_t response)
{
	struct fanotify_response r = { .fd = fd, .response = response };

	return write(fan_fd, &r, sizeof(r));
}

/* A response followed by an audit rule information record, as one write() buffer. */
struct response_with_rule {
	struct fanotify_response r;
	struct fanotify_response_info_audit_rule rule;
} __attribute__((packed));

static inline __maybe_unused void fill_response_with_rule(struct response_with_rule *b, int fd,
							  uint32_t response)
{
	memset(b, 0, sizeof(*b));
	b->r.fd = fd;
	b->r.response = response;
	b->rule.hdr.type = FAN_RESPONSE_INFO_AUDIT_RULE;
	b->rule.hdr.pad = 0;
	b->rule.hdr.len = sizeof(b->rule);
	b->rule.rule_number = 42;
	b->rule.subj_trust = 1;
	b->rule.obj_trust = 2;
}

/* Beyond upstream: FAN_PERM_NO_FD events carry a handle and the id to answer them by. */
#ifndef FAN_PERM_NO_FD
#define FAN_PERM_NO_FD			0x08000000
#define FAN_EXCLUDE_SELF		0x10000000
#define FAN_EVENT_INFO_TYPE_PERM_ID	255
struct fanotify_event_info_perm_id {
	struct fanotify_event_info_header hdr;
	__u32 id;
};
#endif

/* One permission event, parsed. */
struct nofd_event {
	struct fanotify_event_metadata meta;
	__kernel_fsid_t fsid;
	unsigned char handle_buf[sizeof(struct file_handle) + MAX_HANDLE_SZ];
	int fid_records;
	int id_records;
	__u32 id;
};

/* Reads and parses one event; returns 0 or -1 (errno set). */
static inline __maybe_unused int read_nofd_event(int fan_fd, struct nofd_event *ev)
{
	char buf[4096] __attribute__((aligned(8)));
	struct fanotify_event_info_header *hdr;
	ssize_t len;
	size_t off;

	memset(ev, 0, sizeof(*ev));
	if (wait_readable(fan_fd, EVENT_TIMEOUT_MS) != 1) {
		errno = ETIMEDOUT;
		return -1;
	}
	len = read(fan_fd, buf, sizeof(buf));
	if (len < (ssize_t)sizeof(ev->meta))
		return -1;
	memcpy(&ev->meta, buf, sizeof(ev->meta));
	if (ev->meta.event_len != len) {
		errno = EBADMSG;
		return -1;
	}
	for (off = ev->meta.metadata_len; off + sizeof(*hdr) <= (size_t)len; off += hdr->len) {
		hdr = (struct fanotify_event_info_header *)(buf + off);
		if (hdr->len < sizeof(*hdr) || off + hdr->len > (size_t)len) {
			errno = EBADMSG;
			return -1;
		}
		if (hdr->info_type == FAN_EVENT_INFO_TYPE_FID) {
			struct fanotify_event_info_fid *fid = (void *)hdr;
			struct file_handle *fh = (void *)fid->handle;

			ev->fsid = fid->fsid;
			memcpy(ev->handle_buf, fh, sizeof(*fh) + fh->handle_bytes);
			ev->fid_records++;
		} else if (hdr->info_type == FAN_EVENT_INFO_TYPE_PERM_ID) {
			struct fanotify_event_info_perm_id *pid = (void *)hdr;

			if (hdr->len != sizeof(*pid)) {
				errno = EBADMSG;
				return -1;
			}
			ev->id = pid->id;
			ev->id_records++;
		}
	}
	return 0;
}

#endif /* _SELFTESTS_FANOTIFY_PERM_COMMON_H */
