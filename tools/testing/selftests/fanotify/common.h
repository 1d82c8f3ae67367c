/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fanotify selftest helpers
 *
 * Syscall wrappers, temporary directory management and event reading helpers shared by the
 * fanotify tests.  The behaviour reference is upstream Linux 6.12
 * (fs/notify/fanotify/fanotify_user.c and fanotify.c).
 */

#ifndef _SELFTESTS_FANOTIFY_COMMON_H
#define _SELFTESTS_FANOTIFY_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* unshare(), setresuid() */
#endif

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/fanotify.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <unistd.h>

#include "../kselftest_harness.h"

#ifndef __maybe_unused
#define __maybe_unused __attribute__((__unused__))
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Timeout used to prove that no event is queued: short, the queue is filled synchronously. */
#define NO_EVENT_TIMEOUT_MS 200
/* Timeout used when an event is expected (it should already be queued). */
#define EVENT_TIMEOUT_MS 2000

#define EVENT_BUF_LEN (64 * FAN_EVENT_METADATA_LEN)

#ifndef sys_fanotify_init
static inline int sys_fanotify_init(unsigned int flags, unsigned int event_f_flags)
{
	return syscall(__NR_fanotify_init, flags, event_f_flags);
}
#endif

#ifndef sys_fanotify_mark
static inline int sys_fanotify_mark(int fanotify_fd, unsigned int flags, uint64_t mask,
				    int dirfd, const char *pathname)
{
#if defined(__LP64__) || defined(__ILP32__) && defined(__x86_64__)
	return syscall(__NR_fanotify_mark, fanotify_fd, flags, mask, dirfd, pathname);
#else
	/* 32-bit ABIs split the 64-bit mask in two registers. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return syscall(__NR_fanotify_mark, fanotify_fd, flags, (uint32_t)mask,
		       (uint32_t)(mask >> 32), dirfd, pathname);
#else
	return syscall(__NR_fanotify_mark, fanotify_fd, flags, (uint32_t)(mask >> 32),
		       (uint32_t)mask, dirfd, pathname);
#endif
#endif
}
#endif

/* Whether the tested kernel is upstream ("stock") or ours ("ours", the default). */
static inline __maybe_unused bool kernel_is_stock(void)
{
	const char *k = getenv("FANOTIFY_KERNEL");

	return k && !strcmp(k, "stock");
}

/*
 * Value of O_LARGEFILE as the kernel sees it.  The C library may define O_LARGEFILE as 0 on 64-bit
 * ABIs (the kernel forces it there), so learn it from the kernel: open(2) on a 64-bit kernel adds
 * O_LARGEFILE to f_flags (force_o_largefile()), and F_GETFL reports f_flags.
 */
static inline __maybe_unused int kernel_o_largefile(void)
{
	int fd, fl;

	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	fl = fcntl(fd, F_GETFL);
	close(fd);
	if (fl < 0)
		return 0;
	return fl & ~(O_ACCMODE | O_CLOEXEC);
}

/* Short path buffers keep the compiler's snprintf() truncation analysis quiet. */
#define DIR_PATH_LEN 64
#define FILE_PATH_LEN 128

/* Creates a private temporary directory under /tmp; @buf must hold DIR_PATH_LEN bytes. */
static inline __maybe_unused int make_temp_dir(char *buf)
{
	snprintf(buf, DIR_PATH_LEN, "/tmp/fanotify_test.XXXXXX");
	return mkdtemp(buf) ? 0 : -1;
}

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	return remove(path);
}

/* Recursively removes @path (without following symlinks). */
static inline __maybe_unused int remove_tree(const char *path)
{
	return nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Creates (or truncates) a regular file containing @content. */
static inline __maybe_unused int create_file(const char *path, const char *content)
{
	ssize_t len = strlen(content);
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (write(fd, content, len) != len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* Returns the number of open file descriptors of the current process. */
static inline __maybe_unused int count_open_fds(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir("/proc/self/fd");
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	/* Do not count the descriptor used by opendir(). */
	return n - 1;
}

/*
 * Waits up to @timeout_ms for the fanotify fd to become readable.  Returns 1 if readable, 0 on
 * timeout, -1 on error.
 */
static inline __maybe_unused int wait_readable(int fan_fd, int timeout_ms)
{
	struct pollfd pfd = { .fd = fan_fd, .events = POLLIN };
	int ret;

	do {
		ret = poll(&pfd, 1, timeout_ms);
	} while (ret < 0 && errno == EINTR);
	if (ret > 0 && !(pfd.revents & POLLIN))
		return -1;
	return ret;
}

/*
 * Reads the pending events into @buf (EVENT_BUF_LEN bytes), waiting at most @timeout_ms for the
 * first one.  Returns the number of bytes read, 0 on timeout, -1 on error (errno set).
 */
static inline __maybe_unused ssize_t read_events(int fan_fd, void *buf, int timeout_ms)
{
	int ret = wait_readable(fan_fd, timeout_ms);

	if (ret <= 0)
		return ret;
	return read(fan_fd, buf, EVENT_BUF_LEN);
}

/* Returns true if no event becomes readable within NO_EVENT_TIMEOUT_MS. */
static inline __maybe_unused bool no_event(int fan_fd)
{
	return wait_readable(fan_fd, NO_EVENT_TIMEOUT_MS) == 0;
}

/* Whether @fd refers to the same inode as @path (not following a final symlink). */
static inline __maybe_unused bool fd_is_path(int fd, const char *path)
{
	struct stat a, b;

	if (fstat(fd, &a) || lstat(path, &b))
		return false;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* Whether @fd refers to the inode @st describes. */
static inline __maybe_unused bool fd_is_inode(int fd, const struct stat *st)
{
	struct stat a;

	if (fstat(fd, &a))
		return false;
	return a.st_dev == st->st_dev && a.st_ino == st->st_ino;
}

/*
 * Summary of the records read from a group, for the objects a test cares about: the union of the
 * masks of the records whose fd refers to @st, the number of such records and the number of other
 * records.  Every event fd is checked then closed.
 */
struct event_summary {
	uint64_t mask;
	int records;
	int others;
	int bad_records;
	pid_t last_pid;
};

/*
 * Reads every record available within @timeout_ms (and then until the queue is empty) and
 * accumulates them in @sum.  Returns the number of records read, or -1 on read error.
 */
static inline __maybe_unused int collect_events(int fan_fd, const struct stat *st,
						struct event_summary *sum, int timeout_ms)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	int total = 0;
	ssize_t len;

	memset(sum, 0, sizeof(*sum));
	for (;;) {
		const struct fanotify_event_metadata *m = (void *)buf;

		len = read_events(fan_fd, buf, total ? 0 : timeout_ms);
		if (len < 0)
			return -1;
		if (len == 0)
			break;
		for (; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
			total++;
			if (m->vers != FANOTIFY_METADATA_VERSION ||
			    m->metadata_len != FAN_EVENT_METADATA_LEN ||
			    m->event_len != FAN_EVENT_METADATA_LEN || m->fd < 0) {
				sum->bad_records++;
				if (m->fd >= 0)
					close(m->fd);
				continue;
			}
			if (fd_is_inode(m->fd, st)) {
				sum->mask |= m->mask;
				sum->records++;
				sum->last_pid = m->pid;
			} else {
				sum->others++;
			}
			close(m->fd);
		}
		if (len != 0)
			sum->bad_records++;
	}
	return total;
}

/* FIONREAD on a fanotify fd stores the byte count of the queued records in an int. */
static inline __maybe_unused int ioctl_fionread(int fan_fd, int *n)
{
	return ioctl(fan_fd, FIONREAD, n);
}

/* Whether the tested kernel is the slow debug build (KASAN, lockdep). */
static inline __maybe_unused bool kernel_is_debug(void)
{
	const char *k = getenv("FANOTIFY_DEBUG_KERNEL");

	return k && !strcmp(k, "1");
}

/*
 * Moves the calling process to a private mount namespace in which nothing propagates back to the
 * parent namespace.  Tests call it from fixture setup: the harness runs every test in its own
 * child process, so the namespace dies with the test.
 */
static inline __maybe_unused int private_mount_ns(void)
{
	if (unshare(CLONE_NEWNS))
		return -1;
	return mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
}

/* Mounts a fresh tmpfs on @path. */
static inline __maybe_unused int mount_tmpfs(const char *path)
{
	return mount("fanotify_test", path, "tmpfs", 0, "mode=0755,size=16m");
}

/* Drops every privilege: no supplementary groups, uid/gid 65534, no capability left. */
static inline __maybe_unused int drop_to_nobody(void)
{
	gid_t none[1];

	if (syscall(__NR_setgroups, 0, none))
		return -1;
	if (setresgid(65534, 65534, 65534))
		return -1;
	/* Changing every uid from 0 clears the permitted and effective capabilities. */
	return setresuid(65534, 65534, 65534);
}

/* Reads an integer from a /proc/sys file. */
static inline __maybe_unused int sysctl_read(const char *path, long *val)
{
	char buf[64];
	ssize_t len;
	char *end;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	errno = 0;
	*val = strtol(buf, &end, 10);
	if (errno || end == buf || *end != '\n')
		return -1;
	return 0;
}

/* Writes an integer to a /proc/sys file. */
static inline __maybe_unused int sysctl_write(const char *path, long val)
{
	char buf[64];
	int fd, len, ret;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = snprintf(buf, sizeof(buf), "%ld\n", val);
	ret = write(fd, buf, len) == len ? 0 : -1;
	close(fd);
	return ret;
}

/* Opens and closes @path with @flags, which generates FAN_OPEN and a FAN_CLOSE_* event. */
static inline __maybe_unused int open_close_file(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		return -1;
	return close(fd);
}

/*
 * Reads exactly one record, waiting up to EVENT_TIMEOUT_MS for it.  Returns 0 on success, -1 on
 * timeout, read error or short read.
 */
static inline __maybe_unused int read_one_record(int fan_fd, struct fanotify_event_metadata *m)
{
	if (wait_readable(fan_fd, EVENT_TIMEOUT_MS) != 1)
		return -1;
	if (read(fan_fd, m, sizeof(*m)) != sizeof(*m))
		return -1;
	if (m->vers != FANOTIFY_METADATA_VERSION || m->event_len != FAN_EVENT_METADATA_LEN ||
	    m->metadata_len != FAN_EVENT_METADATA_LEN)
		return -1;
	return 0;
}

/*
 * Creates a temporary directory under /tmp and mounts a private tmpfs on it, in a new private
 * mount namespace (see private_mount_ns()).  @buf must hold DIR_PATH_LEN bytes.
 */
static inline __maybe_unused int setup_private_tmpfs(char *buf)
{
	buf[0] = '\0';
	if (private_mount_ns())
		return -1;
	if (make_temp_dir(buf))
		return -1;
	return mount_tmpfs(buf);
}

/* Undoes setup_private_tmpfs(); lazily, so that leftover references do not matter. */
static inline __maybe_unused int teardown_private_tmpfs(const char *dir)
{
	if (!dir[0])
		return 0;
	umount2(dir, MNT_DETACH);
	return rmdir(dir);
}

/*
 * The sdev value fanotify prints in fdinfo: the kernel's internal dev_t of the superblock
 * (MAJOR << 20 | MINOR), not the st_dev encoding of stat(2).
 */
static inline __maybe_unused unsigned int kernel_dev(dev_t dev)
{
	return (major(dev) << 20) | minor(dev);
}

#endif /* _SELFTESTS_FANOTIFY_COMMON_H */
