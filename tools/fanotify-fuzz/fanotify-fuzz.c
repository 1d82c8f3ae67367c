// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify-fuzz - a seeded, targeted fuzzer of the fanotify ABI that checks
 * invariants as it goes.  kit/stress runs it on the debug kernel (KASAN,
 * lockdep, kmemleak) next to trinity and stress-ng; it also runs by hand as
 * root on any kernel (our beyond-upstream flags are probed, and only used
 * where the kernel accepts them).
 *
 * Usage: fanotify-fuzz [-s SEED] [-t SECONDS] [-n ITERATIONS] [-i FIRST]
 *                      [-d DIR] [-v]
 *
 * The run is a sequence of iterations; iteration I draws everything it does
 * from a generator seeded with (SEED, I), so "-s SEED -i I -n 1" replays the
 * operations of one iteration (the interleaving of its processes and
 * threads is the scheduler's, so a race may need a few replays).  An
 * iteration:
 *
 *   - mounts a tmpfs of its own and fills it with files and directories;
 *   - creates 1-3 groups with random fanotify_init() flags (classes, FID
 *     modes, pidfd/tid, fd errors, our deadline, fail-closed, self-exclusion,
 *     fd-less permission events, response batches, now and then unknown
 *     bits) and random marks (inode, mount, filesystem; ignore masks,
 *     evictable, ignore, subtree; add, remove, flush);
 *   - runs 1-4 actor processes doing file operations there (open, read,
 *     write, truncate, rename storms, exchange, unlink, mkdir, rmdir, link,
 *     symlink, chmod, xattrs, mount/umount of a tmpfs), which block on
 *     permission events;
 *   - runs 1-2 reader threads per group that read with random buffer sizes
 *     and answer every permission event: allow or deny, sometimes with
 *     FAN_CACHE, sometimes late, in batches, after a malformed answer or an
 *     answer for an fd that is not pending;
 *   - meanwhile, at random, kills an actor mid-wait, closes a group with
 *     events pending, lazily unmounts the tmpfs under the actors' feet.
 *
 * Invariants (a failure prints "VIOLATION" with the iteration and its
 * seed, and counts):
 *   - every answer the kernel accepted was the only one for its event (a
 *     second answer to the same, still open, event fd fails);
 *   - malformed answers and answers for an fd that is not pending fail;
 *   - an access denied by an accepted answer fails with EPERM, and (with a
 *     single permission group that can only allow on its own) an access
 *     that nobody denied does not;
 *   - an actor never has two permission events of one group outstanding
 *     (no event is reported twice, a blocked access waits for one verdict);
 *   - a file created and written once is reported closed-for-writing at
 *     most once per group;
 *   - every record read is well formed (version, lengths, info records);
 *   - every blocked access ends: actors finish once the groups answer or
 *     go away;
 *   - no fd is leaked by the kernel's records (the process's fd count is
 *     the same before and after each iteration);
 *   - the tmpfs unmounts once every group is closed.
 *
 * The last line is "fuzz: seed S iterations N operations M violations V".
 * Slab counters are compared by the caller (kit/guest/jobs/stress), which
 * sees every fuzzer of the run.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

/* Our beyond-upstream values (../../shared/ABI-RESERVED.md), for stock headers. */
#ifndef FAN_DEADLINE
#define FAN_DEADLINE		0x40000000
#endif
#ifndef FAN_FAIL_CLOSED
#define FAN_FAIL_CLOSED		0x20000000
#endif
#ifndef FAN_EXCLUDE_SELF
#define FAN_EXCLUDE_SELF	0x10000000
#endif
#ifndef FAN_PERM_NO_FD
#define FAN_PERM_NO_FD		0x08000000
#endif
#ifndef FAN_RESPONSE_BATCH
#define FAN_RESPONSE_BATCH	0x04000000
#endif
#ifndef FAN_CACHE
#define FAN_CACHE		0x00800000
#endif
#ifndef FAN_CACHE_SURV_MODIFY
#define FAN_CACHE_SURV_MODIFY	0x00200000
#endif
#ifndef FAN_EVENT_INFO_TYPE_PERM_ID
#define FAN_EVENT_INFO_TYPE_PERM_ID	255
#endif
#ifndef FAN_IOC_SET_DEADLINE
struct fanotify_deadline {
	__u32 msecs;
	__u32 response;
};
#define FAN_IOC_SET_DEADLINE	_IOW(0xF4, 1, struct fanotify_deadline)
#define FAN_IOC_GET_DEADLINE	_IOR(0xF4, 2, struct fanotify_deadline)
#define FAN_IOC_EXCLUDE_PROCESS	_IOW(0xF4, 3, __s32)
#define FAN_IOC_INCLUDE_PROCESS	_IOW(0xF4, 4, __s32)
#endif
#ifndef FAN_DEADLINE_MAX_MSECS
#define FAN_DEADLINE_MAX_MSECS	3600000
#endif
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#define FAN_MARK_SUBTREE_BIT	0x40000000	/* reserved for subtree marks */
#ifndef FAN_REPORT_FD_ERROR
#define FAN_REPORT_FD_ERROR	0x00002000
#endif
#ifndef FAN_MARK_IGNORE
#define FAN_MARK_IGNORE		0x00000400
#endif

#define MAX_GROUPS	3
#define MAX_READERS	2
#define MAX_ACTORS	4
#define NFILES		16
#define NDIRS		4
#define MAX_ONCE	256
/* Records per read() of 8 KiB: a bare permission record is 24 bytes. */
#define MAX_PEND	352

/* ---- seeded generator (splitmix64) ---- */

static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

struct rng {
	uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix(r->s);
}

static unsigned int below(struct rng *r, unsigned int n)
{
	return n ? rnd(r) % n : 0;
}

static bool chance(struct rng *r, unsigned int percent)
{
	return below(r, 100) < percent;
}

/* ---- state shared with the actor processes (MAP_SHARED) ---- */

struct actor_slot {
	_Atomic uint32_t seq;		/* number of the syscall in progress */
	_Atomic uint32_t denied_seq;	/* a group's accepted deny for that syscall */
	_Atomic uint32_t allowed_seq;	/* a group's accepted allow for that syscall */
	_Atomic uint32_t outstanding[MAX_GROUPS]; /* perm events read, not answered */
};

struct shared {
	_Atomic uint64_t ops;
	_Atomic uint32_t violations;
	_Atomic int stop;		/* actors: finish the current op and exit */
	_Atomic uint64_t records, answers, checks, groups, marks;
	struct actor_slot actor[MAX_ACTORS];
	/* CLOSE_WRITE records per group and once-file, indexed [group][actor * 64 + k]. */
	_Atomic uint8_t once_seen[MAX_GROUPS][MAX_ONCE];
};

static struct shared *sh;
static uint64_t run_seed, cur_iter;
static bool verbose, have_ours;
static char base_dir[256] = "/tmp/fanotify-fuzz";

static void violation(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	atomic_fetch_add(&sh->violations, 1);
	printf("VIOLATION iter %llu (replay: fanotify-fuzz -s %llu -i %llu -n 1): %s\n",
	       (unsigned long long)cur_iter, (unsigned long long)run_seed,
	       (unsigned long long)cur_iter, msg);
	fflush(stdout);
}

static void op(void)
{
	atomic_fetch_add_explicit(&sh->ops, 1, memory_order_relaxed);
}

static int fan_init(unsigned int flags, unsigned int f_flags)
{
	op();
	return syscall(__NR_fanotify_init, flags, f_flags);
}

static int fan_mark(int fd, unsigned int flags, uint64_t mask, int dfd, const char *path)
{
	op();
	return syscall(__NR_fanotify_mark, fd, flags, mask, dfd, path);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int count_fds(void)
{
	struct dirent *de;
	int n = 0;
	DIR *d = opendir("/proc/self/fd");

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;
}

/* ---- one iteration's world ---- */

struct group {
	int fd;
	unsigned int flags;
	unsigned int f_flags;	/* event_f_flags */
	bool perm;		/* a permission class */
	bool nofd;		/* answered by id */
	bool deadline;		/* a deadline is set */
	unsigned int deadline_policy;
	int readers;
	pthread_t reader[MAX_READERS];
	int reader_fd[MAX_READERS];	/* each reader reads its own dup of fd */
	_Atomic int stop;
	bool closed;
};

struct iter {
	struct rng r;
	char dir[300];
	bool mounted, detached;
	int ngroups, nperm;
	struct group g[MAX_GROUPS];
	int nactors;
	pid_t actor[MAX_ACTORS];
	bool killed[MAX_ACTORS];
	bool strict;		/* EPERM only from an accepted deny */
	bool one_wait;		/* an access waits for one group, without a deadline */
};

static struct iter *it;

static int actor_index(pid_t pid)
{
	for (int i = 0; i < it->nactors; i++)
		if (it->actor[i] == pid)
			return i;
	return -1;
}

/* ---- readers: parse records, answer permission events ---- */

struct reader_arg {
	int gi, ri;
	uint64_t seed;
};

static bool fd_is_pending_mode(const struct group *g)
{
	return g->perm && !g->nofd;
}

/* Checks one record; fills @id for fd-less permission events; closes pidfds. */
static bool check_record(const struct group *g, const struct fanotify_event_metadata *m,
			 size_t left, uint32_t *id, const char **name)
{
	const char *p = (const char *)m + m->metadata_len;
	const char *end = (const char *)m + m->event_len;

	*id = 0;
	*name = NULL;
	if (left < sizeof(*m) || m->event_len < sizeof(*m) || m->event_len > left) {
		violation("record of %u bytes in %zu left", left < sizeof(*m) ? 0 : m->event_len,
			  left);
		return false;
	}
	if (m->vers != FANOTIFY_METADATA_VERSION || m->metadata_len != sizeof(*m) ||
	    m->reserved) {
		violation("bad metadata: vers %u len %u reserved %u", m->vers, m->metadata_len,
			  m->reserved);
		return false;
	}
	while (p < end) {
		const struct fanotify_event_info_header *h = (const void *)p;

		if (end - p < (long)sizeof(*h) || h->len < sizeof(*h) || h->len > end - p) {
			violation("info record overruns its event (mask %llx)",
				  (unsigned long long)m->mask);
			return false;
		}
		if (h->info_type == FAN_EVENT_INFO_TYPE_PIDFD) {
			const struct fanotify_event_info_pidfd *pf = (const void *)h;

			if (pf->pidfd >= 0)
				close(pf->pidfd);
		} else if (h->info_type == FAN_EVENT_INFO_TYPE_PERM_ID) {
			*id = ((const uint32_t *)p)[1];
		} else if (h->info_type == FAN_EVENT_INFO_TYPE_DFID_NAME) {
			const struct fanotify_event_info_fid *fid = (const void *)h;
			const struct file_handle *fh = (const void *)fid->handle;

			*name = (const char *)fh->f_handle + fh->handle_bytes;
		}
		p += h->len;
	}
	return true;
}

/* Which once-file a record names, or -1. */
static int once_index(const struct fanotify_event_metadata *m, const char *name)
{
	char path[64], link[PATH_MAX];
	const char *base = name;
	unsigned int a, k;
	ssize_t n;

	if (!base && m->fd >= 0) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", m->fd);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			return -1;
		link[n] = 0;
		base = strrchr(link, '/');
		base = base ? base + 1 : link;
	}
	if (!base || sscanf(base, "once_%u_%u", &a, &k) != 2 || a >= MAX_ACTORS || k >= 64)
		return -1;
	return a * 64 + k;
}

/*
 * Notes the verdict for the actor's syscall @seq.  Called before the answer
 * is written: the actor runs on as soon as the kernel takes it, and must
 * find the note then.  unrecord_verdict() takes it back if the kernel
 * refused the answer.
 */
static void record_verdict(int ai, uint32_t seq, unsigned int resp)
{
	struct actor_slot *s;

	if (ai < 0)
		return;
	s = &sh->actor[ai];
	if ((resp & 0xff & ~FAN_AUDIT) == FAN_DENY)
		atomic_store(&s->denied_seq, seq);
	else
		atomic_store(&s->allowed_seq, seq);
}

static void unrecord_verdict(int ai, uint32_t seq, unsigned int resp)
{
	struct actor_slot *s;
	uint32_t want = seq;

	if (ai < 0)
		return;
	s = &sh->actor[ai];
	if ((resp & 0xff & ~FAN_AUDIT) == FAN_DENY)
		atomic_compare_exchange_strong(&s->denied_seq, &want, 0);
	else
		atomic_compare_exchange_strong(&s->allowed_seq, &want, 0);
}

struct pending {
	int fd;			/* event fd or id */
	int ai;			/* actor index or -1 */
	uint32_t seq;
	unsigned int resp;
};

static unsigned int pick_response(struct rng *r, const struct group *g)
{
	unsigned int resp = chance(r, 70) ? FAN_ALLOW : FAN_DENY;

	if (have_ours && resp == FAN_ALLOW && chance(r, 10))
		resp |= FAN_CACHE | (chance(r, 50) ? FAN_CACHE_SURV_MODIFY : 0);
	return resp;
}

/* Sends answers that must fail; a success is a violation. */
static void send_malformed(struct rng *r, struct group *g, int rfd, int devnull,
			   const struct pending *p)
{
	struct fanotify_response bad = { .fd = p->fd };
	int len = sizeof(bad);
	ssize_t ret;

	switch (below(r, 4)) {
	case 0:
		bad.response = 0;
		break;
	case 1:
		bad.response = FAN_ALLOW | FAN_DENY;
		break;
	case 2:
		bad.response = FAN_ALLOW | 0x100;
		break;
	default:
		bad.response = FAN_ALLOW;
		len = 4;	/* short write */
		break;
	}
	op();
	ret = write(rfd, &bad, len);
	if (ret >= 0)
		violation("malformed answer {fd %d, response %#x, len %d} accepted (%zd)",
			  bad.fd, bad.response, len, ret);
	/* An fd that is open in this process but is no pending event. */
	if (fd_is_pending_mode(g) && devnull >= 0) {
		bad.fd = devnull;
		bad.response = FAN_ALLOW;
		op();
		ret = write(rfd, &bad, sizeof(bad));
		if (ret >= 0)
			violation("answer for fd %d, not a pending event, accepted", devnull);
	}
}

/* Answers one pending event; returns true if the kernel accepted it. */
static bool answer_one(struct rng *r, struct group *g, int gi, int rfd, struct pending *p)
{
	struct fanotify_response resp = { .fd = p->fd, .response = p->resp };
	ssize_t ret;
	int err;

	if (!g->nofd && p->fd < 0)
		return false;	/* no fd to answer by (FAN_REPORT_FD_ERROR) */
	op();
	record_verdict(p->ai, p->seq, p->resp);
	ret = write(rfd, &resp, sizeof(resp));
	err = errno;
	if (ret == sizeof(resp)) {
		atomic_fetch_add(&sh->answers, 1);
		/* Once answered, the event is gone: a second answer must fail. */
		if (fd_is_pending_mode(g) && chance(r, 30)) {
			op();
			if (write(rfd, &resp, sizeof(resp)) >= 0)
				violation("a second answer to event fd %d was accepted", p->fd);
		}
		return true;
	}
	if ((p->resp & FAN_CACHE) && ret < 0 && err != ENOENT && err != EINVAL &&
	    err != ETIMEDOUT) {
		/* The verdict applied; only the cache mark failed (ENOSPC/ENOMEM). */
		return true;
	}
	unrecord_verdict(p->ai, p->seq, p->resp);
	if (ret >= 0) {
		violation("answer write returned %zd", ret);
		return false;
	}
	if (err == ETIMEDOUT && g->deadline)
		return false;	/* the deadline decided */
	/* ENOENT: the access went away (killed, or another group denied first). */
	if (err != ENOENT)
		violation("answer {fd %d, %#x} failed with errno %d", p->fd, p->resp, err);
	return false;
}

static void *reader_main(void *argp)
{
	struct reader_arg *a = argp;
	struct group *g = &it->g[a->gi];
	int rfd = g->reader_fd[a->ri], devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	struct rng r = { mix(a->seed) };
	struct pending pend[MAX_PEND];
	char buf[8192] __attribute__((aligned(8)));

	while (!atomic_load(&g->stop)) {
		struct pollfd pfd = { .fd = rfd, .events = POLLIN };
		size_t size;
		ssize_t len;
		int n = 0;

		op();
		if (poll(&pfd, 1, 20) <= 0)
			continue;
		/* Sometimes a buffer too small for any record: EINVAL, nothing lost. */
		size = chance(&r, 3) ? 8 : chance(&r, 30) ? 24 + below(&r, 512) : sizeof(buf);
		op();
		len = read(rfd, buf, size);
		if (len < 0) {
			/*
			 * Opening the event's fd may fail for many reasons (a
			 * directory opened for writing: EISDIR); the kernel then
			 * denies a permission event itself.
			 */
			if (errno == EFAULT || errno == EBADF)
				violation("read of group %d failed: errno %d", a->gi, errno);
			continue;
		}
		for (const struct fanotify_event_metadata *m = (void *)buf;
		     len >= (ssize_t)sizeof(*m); ) {
			const char *name;
			uint32_t id;
			int oi;

			if (!check_record(g, m, len, &id, &name))
				break;
			atomic_fetch_add_explicit(&sh->records, 1, memory_order_relaxed);
			if (m->mask & FAN_CLOSE_WRITE) {
				oi = once_index(m, name);
				if (oi >= 0 && atomic_fetch_add(&sh->once_seen[a->gi][oi], 1))
					violation("group %d: CLOSE_WRITE of once_%d_%d reported twice",
						  a->gi, oi / 64, oi % 64);
			}
			if (g->perm && (m->mask & (FAN_OPEN_PERM | FAN_ACCESS_PERM |
						   FAN_OPEN_EXEC_PERM))) {
				struct pending *p = &pend[n < MAX_PEND ? n++ : MAX_PEND - 1];
				int ai = actor_index(m->pid);

				p->fd = g->nofd ? (int)id : m->fd;
				p->ai = ai;
				p->seq = ai >= 0 ? atomic_load(&sh->actor[ai].seq) : 0;
				p->resp = pick_response(&r, g);
				if (g->nofd && !id)
					violation("fd-less permission event without an id");
				if (ai >= 0 && atomic_fetch_add(&sh->actor[ai].outstanding[a->gi], 1) &&
				    it->one_wait)
					violation("group %d: actor %d has two permission events outstanding",
						  a->gi, ai);
			} else if (m->fd >= 0) {
				close(m->fd);
			}
			len -= m->event_len;
			m = (const void *)((const char *)m + m->event_len);
		}
		if (!n)
			continue;
		/* Late answers let deadlines, kills and closes race the verdict. */
		if (chance(&r, 10))
			sleep_ms(below(&r, g->deadline ? 400 : 150));
		if (chance(&r, 15))
			send_malformed(&r, g, rfd, devnull, &pend[0]);
		/*
		 * No longer outstanding once we start answering: the actor may run
		 * on (and raise its next event) as soon as the answer is written.
		 */
		for (int i = 0; i < n; i++)
			if (pend[i].ai >= 0)
				atomic_fetch_sub(&sh->actor[pend[i].ai].outstanding[a->gi], 1);
		if ((g->flags & FAN_RESPONSE_BATCH) && n > 1 && chance(&r, 70)) {
			struct fanotify_response rs[MAX_PEND];
			ssize_t ret;
			int i, done;

			for (i = 0; i < n; i++) {
				rs[i].fd = pend[i].fd;
				rs[i].response = pend[i].resp;
			}
			for (i = 0; i < n; i++)
				record_verdict(pend[i].ai, pend[i].seq, pend[i].resp);
			op();
			ret = write(rfd, rs, n * sizeof(rs[0]));
			done = ret > 0 ? ret / sizeof(rs[0]) : 0;
			atomic_fetch_add(&sh->answers, done);
			for (i = done; i < n; i++) {
				unrecord_verdict(pend[i].ai, pend[i].seq, pend[i].resp);
				answer_one(&r, g, a->gi, rfd, &pend[i]);
			}
		} else {
			for (int i = 0; i < n; i++)
				answer_one(&r, g, a->gi, rfd, &pend[i]);
		}
		if (!g->nofd)
			for (int i = 0; i < n; i++)
				if (pend[i].fd >= 0)
					close(pend[i].fd);
	}
	if (devnull >= 0)
		close(devnull);
	return NULL;
}

/* ---- actors: file operations that raise events and wait for verdicts ---- */

static const char *pick_name(struct rng *r, char *buf, size_t len)
{
	switch (below(r, 4)) {
	case 0:
		snprintf(buf, len, "d%u", below(r, NDIRS));
		break;
	case 1:
		snprintf(buf, len, "d%u/g%u", below(r, NDIRS), below(r, 4));
		break;
	case 2:
		snprintf(buf, len, "mnt/h%u", below(r, 4));
		break;
	default:
		snprintf(buf, len, "f%u", below(r, NFILES));
		break;
	}
	return buf;
}

/*
 * Checks the verdict of an open() or read() that may have raised a
 * permission event: an accepted deny means EPERM; with a single group that
 * cannot deny on its own, EPERM means an accepted deny.
 */
static void check_verdict(int ai, uint32_t seq, int ret, int err, const char *what)
{
	struct actor_slot *s = &sh->actor[ai];
	bool denied = atomic_load(&s->denied_seq) == seq;

	if (!it->one_wait)
		return;
	if (denied || atomic_load(&s->allowed_seq) == seq)
		atomic_fetch_add(&sh->checks, 1);
	if (denied && (ret >= 0 || err != EPERM))
		violation("actor %d: %s #%u was denied but returned %d (errno %d)", ai, what, seq,
			  ret, ret < 0 ? err : 0);
	if (it->strict && !denied && ret < 0 && err == EPERM)
		violation("actor %d: %s #%u failed with EPERM, no deny was accepted", ai, what,
			  seq);
}

static void actor_main(int ai, uint64_t seed, bool rename_storm)
{
	struct actor_slot *s = &sh->actor[ai];
	struct rng r = { mix(seed) };
	char a[32], b[32], buf[256];
	unsigned int once = 0;
	uint32_t seq = 0;

	if (chdir(it->dir))
		_exit(1);
	memset(buf, 'x', sizeof(buf));
	while (!atomic_load(&sh->stop)) {
		unsigned int k = rename_storm && chance(&r, 80) ? 4 : below(&r, 14);
		int fd, ret, err, fl;

		op();
		switch (k) {
		case 0:	/* open */
			fl = (int[]){ O_RDONLY, O_WRONLY, O_RDWR }[below(&r, 3)];
			fl |= chance(&r, 30) ? O_CREAT : 0;
			fl |= chance(&r, 10) ? O_TRUNC : 0;
			atomic_store(&s->seq, ++seq);
			fd = open(pick_name(&r, a, sizeof(a)), fl | O_CLOEXEC, 0644);
			err = errno;
			check_verdict(ai, seq, fd, err, "open");
			if (fd >= 0)
				close(fd);
			break;
		case 1:	/* read: the open and the read may each wait for a verdict */
			atomic_store(&s->seq, ++seq);
			fd = open(pick_name(&r, a, sizeof(a)), O_RDONLY | O_CLOEXEC);
			err = errno;
			check_verdict(ai, seq, fd, err, "open");
			if (fd < 0)
				break;
			atomic_store(&s->seq, ++seq);
			ret = read(fd, buf, sizeof(buf));
			err = errno;
			check_verdict(ai, seq, ret, err, "read");
			close(fd);
			break;
		case 2:	/* write */
			fd = open(pick_name(&r, a, sizeof(a)), O_WRONLY | O_APPEND | O_CLOEXEC);
			if (fd >= 0) {
				if (write(fd, buf, 1 + below(&r, 64)) < 0)
					(void)0;
				close(fd);
			}
			break;
		case 3:
			if (truncate(pick_name(&r, a, sizeof(a)), below(&r, 128)))
				(void)0;
			break;
		case 4:	/* rename, exchange, no-replace */
			pick_name(&r, a, sizeof(a));
			pick_name(&r, b, sizeof(b));
			if (chance(&r, 70))
				ret = rename(a, b);
			else
				ret = syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b,
					      chance(&r, 50) ? RENAME_EXCHANGE : RENAME_NOREPLACE);
			(void)ret;
			break;
		case 5:
			if (unlink(pick_name(&r, a, sizeof(a))))
				(void)0;
			break;
		case 6:
			if (chance(&r, 50) ? mkdir(pick_name(&r, a, sizeof(a)), 0755) :
					      rmdir(pick_name(&r, a, sizeof(a))))
				(void)0;
			break;
		case 7:
			pick_name(&r, a, sizeof(a));
			pick_name(&r, b, sizeof(b));
			if (chance(&r, 50) ? link(a, b) : symlink(a, b))
				(void)0;
			break;
		case 8:
			if (chance(&r, 50) ? chmod(pick_name(&r, a, sizeof(a)), 0600 | below(&r, 0100)) :
					      utimes(pick_name(&r, a, sizeof(a)), NULL))
				(void)0;
			break;
		case 9:
			if (chance(&r, 60) ? setxattr(pick_name(&r, a, sizeof(a)), "user.fz", "v", 1, 0) :
					      removexattr(pick_name(&r, a, sizeof(a)), "user.fz"))
				(void)0;
			break;
		case 10: /* mount / unmount a tmpfs inside the iteration's tmpfs */
			if (chance(&r, 50))
				ret = mount("fz", "mnt", "tmpfs", 0, "size=1m");
			else
				ret = umount2("mnt", chance(&r, 50) ? MNT_DETACH : 0);
			(void)ret;
			break;
		case 11: /* a file closed for writing exactly once */
			if (once >= 64)
				break;
			snprintf(a, sizeof(a), "once_%d_%u", ai, once++);
			fd = open(a, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
			if (fd >= 0) {
				if (write(fd, buf, 8) < 0)
					(void)0;
				close(fd);
			}
			break;
		case 12: { /* list a directory: open and access events on it */
			DIR *d = opendir(chance(&r, 50) ? "." : pick_name(&r, a, sizeof(a)));

			if (d) {
				while (readdir(d))
					;
				closedir(d);
			}
			break;
		}
		default: {
			struct stat st;

			if (stat(pick_name(&r, a, sizeof(a)), &st))
				(void)0;
			break;
		}
		}
	}
	fflush(stdout);
	_exit(0);
}

/* ---- groups and marks ---- */

/* Events any group may ask for, and those that need a file-handle group. */
static const uint64_t fd_event_bits[] = {
	FAN_ACCESS, FAN_MODIFY, FAN_CLOSE_WRITE, FAN_CLOSE_NOWRITE, FAN_OPEN, FAN_OPEN_EXEC,
	FAN_ONDIR, FAN_EVENT_ON_CHILD,
};

static const uint64_t fid_event_bits[] = {
	FAN_ATTRIB, FAN_MOVED_FROM, FAN_MOVED_TO, FAN_CREATE, FAN_DELETE, FAN_DELETE_SELF,
	FAN_MOVE_SELF, FAN_RENAME,
};

static unsigned int random_init_flags(struct rng *r, unsigned int *f_flags)
{
	static const unsigned int fid_modes[] = {
		0, 0, 0, FAN_REPORT_FID, FAN_REPORT_DIR_FID, FAN_REPORT_DFID_NAME,
		FAN_REPORT_DFID_NAME_TARGET, FAN_REPORT_FID | FAN_REPORT_DIR_FID,
	};
	unsigned int cls = (unsigned int[]){ FAN_CLASS_NOTIF, FAN_CLASS_NOTIF, FAN_CLASS_CONTENT,
					      FAN_CLASS_CONTENT, FAN_CLASS_PRE_CONTENT }[below(r, 5)];
	unsigned int f = cls | FAN_CLOEXEC;

	if (cls == FAN_CLASS_NOTIF)
		f |= fid_modes[below(r, ARRAY_SIZE(fid_modes))];
	f |= chance(r, 30) ? FAN_NONBLOCK : 0;
	f |= chance(r, 10) ? FAN_UNLIMITED_QUEUE : 0;
	f |= chance(r, 10) ? FAN_UNLIMITED_MARKS : 0;
	f |= chance(r, 3) ? FAN_ENABLE_AUDIT : 0;
	if (chance(r, 15))
		f |= chance(r, 50) ? FAN_REPORT_TID : FAN_REPORT_PIDFD;
	f |= chance(r, 15) ? FAN_REPORT_FD_ERROR : 0;
	if (have_ours && cls != FAN_CLASS_NOTIF) {
		f |= chance(r, 30) ? FAN_DEADLINE : 0;
		f |= chance(r, 20) ? FAN_FAIL_CLOSED : 0;
		f |= chance(r, 30) ? FAN_RESPONSE_BATCH : 0;
		if (chance(r, 25))
			f |= FAN_PERM_NO_FD | FAN_REPORT_FID;
	}
	f |= have_ours && chance(r, 25) ? FAN_EXCLUDE_SELF : 0;
	if (chance(r, 5))
		f |= 1u << below(r, 32);	/* now and then a bit nobody knows */
	*f_flags = (unsigned int[]){ O_RDONLY, O_RDONLY, O_RDWR, O_WRONLY,
				     O_RDONLY | O_LARGEFILE, O_RDONLY | O_NOATIME,
				     O_RDONLY | O_CLOEXEC, O_ACCMODE }[below(r, 8)];
	return f;
}

/* A mask that is mostly valid for @g and the mark type, now and then not. */
static uint64_t random_mask(struct rng *r, const struct group *g, unsigned int type)
{
	bool fid = g->flags & (FAN_REPORT_FID | FAN_REPORT_DIR_FID);
	uint64_t m = 0;
	unsigned int n = 1 + below(r, 5);

	while (n--) {
		if (fid && chance(r, 50))
			m |= fid_event_bits[below(r, ARRAY_SIZE(fid_event_bits))];
		else
			m |= fd_event_bits[below(r, ARRAY_SIZE(fd_event_bits))];
	}
	if (g->perm && chance(r, 70))
		m |= (uint64_t[]){ FAN_OPEN_PERM, FAN_ACCESS_PERM, FAN_OPEN_EXEC_PERM,
				   FAN_OPEN_PERM | FAN_ACCESS_PERM }[below(r, 4)];
	if (type == FAN_MARK_FILESYSTEM && fid && chance(r, 20))
		m |= FAN_FS_ERROR;
	if (chance(r, 3))
		m |= chance(r, 50) ? FAN_Q_OVERFLOW : FAN_FS_ERROR;
	if (chance(r, 2))
		m |= 1ULL << below(r, 64);
	return m;
}

static void random_mark(struct rng *r, struct group *g)
{
	static const char *const targets[] = { ".", "d0", "d1", "d2", "d3", "f0", "f1", "f2",
					       "f3", "d0/g0", "d1/g1", "mnt", "once_0_0" };
	unsigned int flags, type;
	uint64_t mask;
	char path[400];
	int dfd = AT_FDCWD, ret;

	type = (unsigned int[]){ FAN_MARK_INODE, FAN_MARK_INODE, FAN_MARK_INODE,
				 FAN_MARK_MOUNT, FAN_MARK_FILESYSTEM }[below(r, 5)];
	mask = random_mask(r, g, type);
	flags = chance(r, 80) ? FAN_MARK_ADD : chance(r, 75) ? FAN_MARK_REMOVE : FAN_MARK_FLUSH;
	flags |= type;
	flags |= chance(r, 10) ? FAN_MARK_DONT_FOLLOW : 0;
	flags |= chance(r, 10) ? FAN_MARK_ONLYDIR : 0;
	if (chance(r, 15))
		flags |= FAN_MARK_IGNORED_MASK | (chance(r, 60) ? FAN_MARK_IGNORED_SURV_MODIFY : 0);
	else if (chance(r, 10))
		flags |= FAN_MARK_IGNORE | (chance(r, 60) ? FAN_MARK_IGNORED_SURV_MODIFY : 0);
	flags |= chance(r, 10) ? FAN_MARK_EVICTABLE : 0;
	flags |= have_ours && chance(r, 5) ? FAN_MARK_SUBTREE_BIT : 0;
	if (chance(r, 3))
		flags |= 1u << below(r, 32);
	snprintf(path, sizeof(path), "%s/%s", it->dir, targets[below(r, ARRAY_SIZE(targets))]);
	if (chance(r, 5)) {
		/* The object of an fd: the iteration's directory, or the group itself. */
		dfd = chance(r, 50) ? open(it->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : g->fd;
		ret = fan_mark(g->fd, flags, mask, dfd, NULL);
		if (dfd != g->fd && dfd >= 0)
			close(dfd);
	} else {
		ret = fan_mark(g->fd, flags, mask, AT_FDCWD, path);
	}
	if (ret == 0)
		atomic_fetch_add(&sh->marks, 1);
	if (verbose)
		printf("# mark group fd %d flags %#x mask %#llx -> %d (%d)\n", g->fd, flags,
		       (unsigned long long)mask, ret, ret < 0 ? errno : 0);
}

static void random_ioctls(struct rng *r, struct group *g)
{
	struct fanotify_deadline d;
	int n;

	op();
	if (ioctl(g->fd, FIONREAD, &n))
		violation("FIONREAD failed: errno %d", errno);
	op();
	if (ioctl(g->fd, _IO(0xF4, 99)) == 0 || errno != ENOTTY)
		violation("an unknown ioctl did not fail with ENOTTY");
	if (!have_ours)
		return;
	op();
	if (ioctl(g->fd, FAN_IOC_GET_DEADLINE, &d) && !(g->flags & FAN_DEADLINE) && errno != EINVAL)
		violation("FAN_IOC_GET_DEADLINE without FAN_DEADLINE: errno %d", errno);
	if (g->flags & FAN_DEADLINE && chance(r, 70)) {
		d.msecs = chance(r, 10) ? FAN_DEADLINE_MAX_MSECS + 1 : 1 + below(r, 300);
		d.response = chance(r, 50) ? FAN_ALLOW : FAN_DENY;
		if (chance(r, 5))
			d.response = FAN_ALLOW | FAN_DENY;
		op();
		if (ioctl(g->fd, FAN_IOC_SET_DEADLINE, &d) == 0) {
			if (d.msecs > FAN_DEADLINE_MAX_MSECS || d.response == (FAN_ALLOW | FAN_DENY))
				violation("FAN_IOC_SET_DEADLINE accepted {%u, %#x}", d.msecs,
					  d.response);
			g->deadline = true;
			g->deadline_policy = d.response;
		}
	}
}

static void close_group(struct group *g)
{
	if (g->fd < 0 || g->closed)
		return;
	atomic_store(&g->stop, 1);
	for (int i = 0; i < g->readers; i++) {
		/*
		 * A reader of a blocking group may sleep in read() after losing a
		 * race for the event poll() announced: a signal ends that sleep.
		 */
		while (pthread_tryjoin_np(g->reader[i], NULL)) {
			pthread_kill(g->reader[i], SIGUSR1);
			sleep_ms(5);
		}
		close(g->reader_fd[i]);
	}
	g->readers = 0;
	close(g->fd);
	g->closed = true;
}

static void populate(void)
{
	char p[400];

	for (int i = 0; i < NFILES; i++) {
		snprintf(p, sizeof(p), "%s/f%d", it->dir, i);
		close(open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
	}
	for (int i = 0; i < NDIRS; i++) {
		snprintf(p, sizeof(p), "%s/d%d", it->dir, i);
		mkdir(p, 0755);
		for (int j = 0; j < 2; j++) {
			snprintf(p, sizeof(p), "%s/d%d/g%d", it->dir, i, j);
			close(open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
		}
	}
	snprintf(p, sizeof(p), "%s/mnt", it->dir);
	mkdir(p, 0755);
}

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb; (void)type; (void)ftw;
	return remove(path);
}

/* Waits for the actors until @deadline; returns how many are left. */
static int reap_actors(double deadline)
{
	int left;

	do {
		left = 0;
		for (int i = 0; i < it->nactors; i++) {
			if (!it->actor[i])
				continue;
			if (waitpid(it->actor[i], NULL, WNOHANG) == it->actor[i])
				it->actor[i] = 0;
			else
				left++;
		}
		if (left)
			sleep_ms(10);
	} while (left && now() < deadline);
	return left;
}

static void run_iteration(uint64_t iter)
{
	struct iter w = { 0 };
	struct rng *r = &w.r;
	struct reader_arg ra[MAX_GROUPS][MAX_READERS];
	double end;
	int fds_before, fds_after, left, tries;
	bool rename_storm;

	it = &w;
	cur_iter = iter;
	r->s = mix(run_seed ^ mix(iter + 1));
	memset(sh->actor, 0, sizeof(sh->actor));
	memset(sh->once_seen, 0, sizeof(sh->once_seen));
	atomic_store(&sh->stop, 0);
	snprintf(w.dir, sizeof(w.dir), "%s/it%llu", base_dir, (unsigned long long)iter);
	if (mkdir(w.dir, 0755) && errno != EEXIST) {
		violation("mkdir %s: errno %d", w.dir, errno);
		return;
	}
	if (mount("fuzz", w.dir, "tmpfs", 0, "size=8m")) {
		violation("mount tmpfs on %s: errno %d", w.dir, errno);
		return;
	}
	w.mounted = true;
	populate();
	fds_before = count_fds();

	w.ngroups = 1 + below(r, MAX_GROUPS);
	for (int gi = 0; gi < w.ngroups; gi++) {
		struct group *g = &w.g[gi];
		unsigned int f_flags;

		g->fd = -1;
		for (tries = 0; tries < 8 && g->fd < 0; tries++) {
			g->flags = random_init_flags(r, &f_flags);
			g->fd = fan_init(g->flags, f_flags);
		}
		g->f_flags = f_flags;
		if (g->fd < 0)
			continue;
		atomic_fetch_add(&sh->groups, 1);
		g->perm = g->flags & (FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT);
		g->nofd = g->perm && (g->flags & FAN_PERM_NO_FD);
		w.nperm += g->perm;
		for (int m = 1 + below(r, 5); m > 0; m--)
			random_mark(r, g);
		random_ioctls(r, g);
	}
	w.one_wait = w.nperm == 1;
	for (int gi = 0; gi < w.ngroups; gi++)
		if (w.g[gi].fd >= 0 && w.g[gi].perm && w.g[gi].deadline)
			w.one_wait = false;
	w.strict = w.one_wait;
	for (int gi = 0; gi < w.ngroups; gi++)
		if (w.g[gi].fd >= 0 && w.g[gi].perm &&
		    ((w.g[gi].flags & FAN_FAIL_CLOSED) ||
		     /* an event fd that cannot be opened (EISDIR) is a deny */
		     (!w.g[gi].nofd && (w.g[gi].f_flags & O_ACCMODE) != O_RDONLY)))
			w.strict = false;

	/* Actors first (they inherit the final `it`), then the readers. */
	rename_storm = chance(r, 20);
	w.nactors = 1 + below(r, MAX_ACTORS);
	fflush(stdout);
	for (int i = 0; i < w.nactors; i++) {
		uint64_t seed = rnd(r);
		pid_t pid = fork();

		if (pid == 0) {
			for (int gi = 0; gi < w.ngroups; gi++)
				if (w.g[gi].fd >= 0)
					close(w.g[gi].fd);
			actor_main(i, seed, rename_storm);
		}
		w.actor[i] = pid > 0 ? pid : 0;
	}
	for (int gi = 0; gi < w.ngroups; gi++) {
		struct group *g = &w.g[gi];

		if (g->fd < 0)
			continue;
		g->readers = 1 + below(r, MAX_READERS);
		for (int i = 0; i < g->readers; i++) {
			ra[gi][i] = (struct reader_arg){ gi, i, rnd(r) };
			g->reader_fd[i] = fcntl(g->fd, F_DUPFD_CLOEXEC, 0);
			pthread_create(&g->reader[i], NULL, reader_main, &ra[gi][i]);
		}
		/* Self-exclusion of an actor (FAN_IOC_EXCLUDE_PROCESS takes a pidfd). */
		if (have_ours && (g->flags & FAN_EXCLUDE_SELF) && chance(r, 30) && w.actor[0]) {
			int pidfd = syscall(SYS_pidfd_open, w.actor[0], 0);

			if (pidfd >= 0) {
				op();
				if (ioctl(g->fd, FAN_IOC_EXCLUDE_PROCESS, &pidfd) && errno != ESRCH)
					violation("FAN_IOC_EXCLUDE_PROCESS: errno %d", errno);
				close(pidfd);
			}
		}
	}

	/* Let them run, and disturb them now and then. */
	end = now() + (300 + below(r, 2200)) / 1000.0;
	while (now() < end) {
		unsigned int k = below(r, 100);
		int gi = below(r, w.ngroups);

		sleep_ms(20 + below(r, 200));
		if (k < 4) {
			int ai = below(r, w.nactors);

			if (w.actor[ai] && !w.killed[ai]) {
				kill(w.actor[ai], SIGKILL);
				w.killed[ai] = true;
			}
		} else if (k < 8 && w.g[gi].fd >= 0) {
			close_group(&w.g[gi]);
		} else if (k < 10 && !w.detached) {
			op();
			if (umount2(w.dir, MNT_DETACH) == 0)
				w.detached = true;
		} else if (k < 30 && w.g[gi].fd >= 0 && !w.g[gi].closed && !w.detached) {
			random_mark(r, &w.g[gi]);
		}
	}

	/* Every blocked access must end while the readers still answer ... */
	atomic_store(&sh->stop, 1);
	left = reap_actors(now() + 60);
	if (left)
		violation("%d actor(s) still blocked 60 s after being told to stop", left);
	for (int gi = 0; gi < w.ngroups; gi++)
		close_group(&w.g[gi]);
	/* ... or at the latest once every group is gone. */
	if (left && reap_actors(now() + 20)) {
		violation("actor(s) still blocked 20 s after every group was closed");
		for (int i = 0; i < w.nactors; i++)
			if (w.actor[i])
				kill(w.actor[i], SIGKILL);
		reap_actors(now() + 20);
	}
	fds_after = count_fds();
	if (fds_after != fds_before)
		violation("fd leak: %d fds before the iteration, %d after", fds_before, fds_after);
	if (!w.detached) {
		char sub[400];

		snprintf(sub, sizeof(sub), "%s/mnt", w.dir);
		while (umount2(sub, 0) == 0)
			;
		for (tries = 0; umount2(w.dir, 0) && tries < 50; tries++) {
			if (errno != EBUSY)
				break;
			sleep_ms(20);
		}
		if (tries == 50) {
			violation("tmpfs still busy 1 s after every group and actor is gone");
			umount2(w.dir, MNT_DETACH);
		}
	}
	nftw(w.dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	it = NULL;
}

static void on_sigusr1(int sig)
{
}

static void usage(void)
{
	fprintf(stderr,
		"usage: fanotify-fuzz [-s SEED] [-t SECONDS] [-n ITERATIONS] [-i FIRST] [-d DIR] [-v]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t first = 0, iters = UINT64_MAX, i;
	double secs = 60, t0;
	int c, fd;

	run_seed = time(NULL);
	while ((c = getopt(argc, argv, "s:t:n:i:d:vh")) != -1) {
		switch (c) {
		case 's':
			run_seed = strtoull(optarg, NULL, 0);
			break;
		case 't':
			secs = atof(optarg);
			break;
		case 'n':
			iters = strtoull(optarg, NULL, 0);
			break;
		case 'i':
			first = strtoull(optarg, NULL, 0);
			break;
		case 'd':
			snprintf(base_dir, sizeof(base_dir), "%s", optarg);
			break;
		case 'v':
			verbose = true;
			break;
		default:
			usage();
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* No SA_RESTART: SIGUSR1 interrupts a reader's blocking read(). */
	sigaction(SIGUSR1, &(struct sigaction){ .sa_handler = on_sigusr1 }, NULL);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	/* A mount namespace of our own: our tmpfs mounts are nobody else's business. */
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		perror("unshare/mount --make-rprivate");
		return 2;
	}
	mkdir(base_dir, 0755);
	fd = fan_init(FAN_CLASS_CONTENT | FAN_DEADLINE, O_RDONLY);
	have_ours = fd >= 0;
	if (fd >= 0)
		close(fd);
	printf("fuzz: seed %llu, first iteration %llu, %s, beyond-upstream flags %s\n",
	       (unsigned long long)run_seed, (unsigned long long)first,
	       iters == UINT64_MAX ? "until time is up" : "fixed count",
	       have_ours ? "in use" : "refused (stock kernel)");
	t0 = now();
	for (i = first; i - first < iters && now() - t0 < secs; i++) {
		if (verbose)
			printf("# iteration %llu\n", (unsigned long long)i);
		run_iteration(i);
	}
	printf("fuzz: %llu groups, %llu marks, %llu records read, %llu verdicts accepted, %llu verdicts checked\n",
	       (unsigned long long)sh->groups, (unsigned long long)sh->marks,
	       (unsigned long long)sh->records, (unsigned long long)sh->answers,
	       (unsigned long long)sh->checks);
	printf("fuzz: seed %llu iterations %llu operations %llu violations %u (%.0f s)\n",
	       (unsigned long long)run_seed, (unsigned long long)(i - first),
	       (unsigned long long)atomic_load(&sh->ops), atomic_load(&sh->violations),
	       now() - t0);
	return atomic_load(&sh->violations) ? 1 : 0;
}
