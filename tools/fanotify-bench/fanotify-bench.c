// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify-bench - micro-benchmarks of fanotify, meant to run on our kernel
 * and on stock upstream with the same binary (kit/bench runs it in QEMU).
 *
 * Usage: fanotify-bench [-w WORKLOAD] [-r REPS] [-n OPENS] [-f FILES]
 *                       [-t THREADS] [-p OPENS_PER_THREAD] [-d SCRATCH_DIR]
 *                       [-c CPU] [-D DECISION_US]
 *
 * WORKLOAD is one of floor, pipe, perm, cached, listeners, decide, notif,
 * mt, mem, subtree, or all (the default).  Every measurement is repeated REPS times (default
 * 5); the program prints one machine-readable line per row,
 *
 *   R KEY MEDIAN MIN MAX UNIT        or        R KEY na REASON
 *
 * and human-readable comment lines starting with '#'.  Timed loops use
 * CLOCK_MONOTONIC.  The workloads with one opener (all but mt and mem)
 * run pinned to CPU (default 0; -c -1: no pinning) with all their threads:
 * under emulation a wakeup across vCPUs costs 2-3x a local one, and where
 * the scheduler happens to place the listener would otherwise decide the
 * number.  Needs root (fanotify permission events, tmpfs mounts,
 * cgroup2 for the memory rows).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/ioctl.h>
#include <sys/inotify.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_REPS 64
/* Our beyond-upstream values, for headers that lack them (upstream refuses them). */
#ifndef FAN_PERM_NO_FD
#define FAN_DEADLINE			0x40000000
#define FAN_PERM_NO_FD			0x08000000
#define FAN_CACHE			0x00800000
#define FAN_EVENT_INFO_TYPE_PERM_ID	255
struct fanotify_deadline {
	__u32 msecs;
	__u32 response;
};
#define FAN_IOC_SET_DEADLINE	_IOW(0xF4, 1, struct fanotify_deadline)
#endif
#ifndef FAN_RESPONSE_BATCH
#define FAN_RESPONSE_BATCH		0x04000000
#endif
#ifndef FAN_MARK_SUBTREE
#define FAN_MARK_SUBTREE		0x40000000
#endif

#define MAX_LISTENERS 8
#define PERM_BUF (64 * 1024)
#define NOTIF_BUF (1024 * 1024)
#define MEM_OPENERS 64
#define CGROUP_ROOT "/sys/fs/cgroup"
#define CGROUP_BENCH CGROUP_ROOT "/fanotify-bench"

static int reps = 5;
static long n_opens = 2000;
static long n_files = 10000;
static int n_threads = 64;
static long per_thread = 32;
static char scratch[256] = "/tmp/fanotify-bench";
static char target[300];		/* the file opened by the open loops */
static char notif_dir[300];	/* n_files files for the notification rows */
static char mt_dir[300];		/* one file per thread */
static int pin_cpu;
static long decide_us = 200;	/* decide: each listener's fixed decision time */
static cpu_set_t all_cpus;

/* ---------------------------------------------------------------- helpers */

static void die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stdout, "# error: ");
	va_start(ap, fmt);
	vfprintf(stdout, fmt, ap);
	va_end(ap);
	fprintf(stdout, " (errno %d: %s)\n", errno, strerror(errno));
	fflush(stdout);
	exit(1);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Smallest step of CLOCK_MONOTONIC seen: 4 ms means a jiffies clocksource. */
static double clock_step(void)
{
	double best = 1e12;

	for (int i = 0; i < 200; i++) {
		double a = now_ns(), b;

		while ((b = now_ns()) == a)
			;
		if (b - a < best)
			best = b - a;
		if (best < 1000)
			break;
	}
	return best;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Print one row: median, min, max over the repetitions. */
static void report(const char *key, const char *label, double *v, int n, const char *unit)
{
	double med = median(v, n);

	/* Four decimals: ratios such as write() calls per event are small. */
	printf("R %s %.4f %.4f %.4f %s\n", key, med, v[0], v[n - 1], unit);
	printf("# %-44s %14.4f %s  (min %.4f, max %.4f, %d runs)\n", label, med, unit,
	       v[0], v[n - 1], n);
	fflush(stdout);
}

static void report_na(const char *key, const char *label, const char *why)
{
	printf("R %s na %s\n", key, why);
	printf("# %-44s n/a (%s)\n", label, why);
	fflush(stdout);
}

static void touch(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);

	if (fd < 0)
		die("create %s", path);
	close(fd);
}

static double time_opens(const char *path, long n)
{
	double t0 = now_ns();

	for (long i = 0; i < n; i++) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			die("open %s", path);
		close(fd);
	}
	return (now_ns() - t0) / n;
}

static int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = write(fd, s, strlen(s));
	close(fd);
	return r == (ssize_t)strlen(s) ? 0 : -1;
}

/* ------------------------------------------------- permission listeners */

struct listener {
	int fd;
	int cache;		/* 1: ignore mask on the first event; 2: FAN_CACHE */
	int by_id;		/* FAN_PERM_NO_FD: answer by the PERM_ID record */
	int batch;		/* FAN_RESPONSE_BATCH: one write() per read() */
	long delay_us;		/* sleep this long before each answer */
	long events;
	long writes;		/* write() calls that carried answers */
	pthread_t thread;
	char *buf;
};

/* The id a FAN_PERM_NO_FD event is answered by, or -1. */
static int perm_id(const struct fanotify_event_metadata *m)
{
	const char *p = (const char *)m + m->metadata_len;
	const char *end = (const char *)m + m->event_len;

	while (p + sizeof(struct fanotify_event_info_header) <= end) {
		const struct fanotify_event_info_header *h = (const void *)p;

		if (h->len < sizeof(*h))
			break;
		if (h->info_type == FAN_EVENT_INFO_TYPE_PERM_ID)
			return *(const __u32 *)(p + sizeof(*h));
		p += h->len;
	}
	return -1;
}

static void *listener_main(void *arg)
{
	struct listener *l = arg;
	struct timespec delay = { l->delay_us / 1000000, l->delay_us % 1000000 * 1000 };

	/*
	 * The default 50 us of timer slack would be part of the decision time;
	 * 1 ns makes the sleep as exact as the kernel's timers allow.
	 */
	if (l->delay_us && prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL))
		die("prctl(PR_SET_TIMERSLACK)");
	for (;;) {
		ssize_t len = read(l->fd, l->buf, PERM_BUF);
		struct fanotify_event_metadata *m = (void *)l->buf;
		struct fanotify_response batch[PERM_BUF / sizeof(*m)];
		size_t batched = 0;

		if (len < 0 && errno == EINTR)
			continue;
		if (len <= 0)
			break;
		for (; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
			struct fanotify_response r = { .fd = m->fd, .response = FAN_ALLOW };

			if (l->by_id)
				r.fd = perm_id(m);
			if (r.fd < 0)
				continue;
			if (l->cache == 2)
				r.response |= FAN_CACHE;
			if (l->cache == 1 &&
			    fanotify_mark(l->fd, FAN_MARK_ADD | FAN_MARK_IGNORED_MASK |
					  FAN_MARK_IGNORED_SURV_MODIFY, FAN_OPEN_PERM,
					  m->fd, NULL) < 0)
				die("fanotify_mark(ignored mask)");
			if (l->delay_us)
				while (nanosleep(&delay, &delay) && errno == EINTR)
					;
			if (!(m->mask & FAN_OPEN_PERM))
				;
			else if (l->batch)
				batch[batched++] = r;
			else if (write(l->fd, &r, sizeof(r)) != sizeof(r))
				die("write(response)");
			else
				l->writes++;
			if (m->fd >= 0)
				close(m->fd);
			l->events++;
		}
		if (batched) {
			ssize_t want = batched * sizeof(batch[0]);

			if (write(l->fd, batch, want) != want)
				die("write(%zu responses)", batched);
			l->writes++;
		}
	}
	return NULL;
}

/*
 * A permission listener thread on PATH (a file, or a directory's children);
 * its group gets the extra fanotify_init() flags INIT_FLAGS.  Returns 0, or
 * -1 with errno when the kernel refuses the group or the mark.
 */
static int listener_start(struct listener *l, const char *path, unsigned int mark_flags,
			  uint64_t mask, int cache, long delay_us, unsigned int init_flags)
{
	memset(l, 0, sizeof(*l));
	l->cache = cache;
	l->delay_us = delay_us;
	l->by_id = !!(init_flags & FAN_PERM_NO_FD);
	l->batch = !!(init_flags & FAN_RESPONSE_BATCH);
	l->fd = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | init_flags, O_RDONLY | O_LARGEFILE);
	if (l->fd < 0)
		return -1;
	if (init_flags & FAN_DEADLINE) {
		/* Never reached: what is measured is the cost of having one. */
		struct fanotify_deadline d = { .msecs = 60000, .response = FAN_ALLOW };

		if (ioctl(l->fd, FAN_IOC_SET_DEADLINE, &d))
			die("FAN_IOC_SET_DEADLINE");
	}
	if (fanotify_mark(l->fd, FAN_MARK_ADD | mark_flags, mask, AT_FDCWD, path) < 0) {
		int e = errno;

		close(l->fd);
		errno = e;
		return -1;
	}
	l->buf = aligned_alloc(8, PERM_BUF);
	if (!l->buf || pthread_create(&l->thread, NULL, listener_main, l))
		die("listener thread");
	return 0;
}

/* A FAN_OPEN_PERM listener on the file PATH, or on a directory's children. */
static int listener_try(struct listener *l, const char *path, int on_children, int cache,
			long delay_us, unsigned int init_flags)
{
	return listener_start(l, path, 0,
			      FAN_OPEN_PERM | (on_children ? FAN_EVENT_ON_CHILD : 0),
			      cache, delay_us, init_flags);
}

/* Only called when no opener is waiting: nothing is left unanswered. */
static void listener_stop(struct listener *l)
{
	pthread_cancel(l->thread);
	pthread_join(l->thread, NULL);
	close(l->fd);
	free(l->buf);
}

/* ------------------------------------------------------------ workloads */

static void wl_floor(void)
{
	double v[MAX_REPS];

	time_opens(target, n_opens / 10 + 1);	/* warm the dentry and file caches */
	for (int r = 0; r < reps; r++)
		v[r] = time_opens(target, n_opens);
	report("floor", "open+close, no listener", v, reps, "ns/op");
}

static int pipe_ab[2], pipe_ba[2];

static void *pipe_echo(void *arg)
{
	char c;

	(void)arg;
	while (read(pipe_ab[0], &c, 1) == 1)
		if (write(pipe_ba[1], &c, 1) != 1)
			break;
	return NULL;
}

static void wl_pipe(void)
{
	double v[MAX_REPS];
	pthread_t th;
	char c = 'x';

	if (pipe2(pipe_ab, O_CLOEXEC) || pipe2(pipe_ba, O_CLOEXEC))
		die("pipe");
	if (pthread_create(&th, NULL, pipe_echo, NULL))
		die("pthread_create");
	for (int r = -1; r < reps; r++) {
		double t0 = now_ns();

		for (long i = 0; i < n_opens; i++)
			if (write(pipe_ab[1], &c, 1) != 1 || read(pipe_ba[0], &c, 1) != 1)
				die("pipe round trip");
		if (r >= 0)	/* r == -1 is a warm-up */
			v[r] = (now_ns() - t0) / n_opens;
	}
	close(pipe_ab[1]);
	pthread_join(th, NULL);
	close(pipe_ab[0]); close(pipe_ba[0]); close(pipe_ba[1]);
	report("pipe_rt", "pipe round trip between two threads", v, reps, "ns/rt");
}

/*
 * N opens+closes of the target under K listeners (groups with the extra
 * INIT_FLAGS) each deciding in DELAY_US; CACHE: verdict cached.  Returns ns
 * per open, or -1 with errno when the kernel refuses such a listener.
 */
static double perm_run_opts(int k, int cache, long delay_us, unsigned int init_flags, long n)
{
	struct listener l[MAX_LISTENERS];
	double ns;

	for (int i = 0; i < k; i++)
		if (listener_try(&l[i], target, 0, cache, delay_us, init_flags)) {
			int e = errno;

			while (i--)
				listener_stop(&l[i]);
			errno = e;
			return -1;
		}
	time_opens(target, cache ? 1 : delay_us ? 2 : 20);	/* warm up; with CACHE this is the event */
	ns = time_opens(target, n);
	for (int i = 0; i < k; i++)
		listener_stop(&l[i]);
	return ns;
}

static double perm_run(int k, int cache)
{
	double ns = perm_run_opts(k, cache, 0, 0, n_opens);

	if (ns < 0)
		die("permission listener on %s", target);
	return ns;
}

/* "EINVAL", or strerror with '_' for blanks: one word for an "R KEY na" line. */
static void errno_word(int e, char *why, size_t len)
{
	snprintf(why, len, "%s", e == EINVAL ? "EINVAL" : strerror(e));
	for (char *s = why; *s; s++)
		if (*s == ' ')
			*s = '_';
}

/*
 * Whether the kernel takes FAN_CACHE in a response: a response for FAN_NOFD
 * with FAN_INFO is only validated, so no event is needed to ask.
 */
static int kernel_takes_cache(void)
{
	struct {
		struct fanotify_response r;
		struct fanotify_response_info_audit_rule rule;
	} __attribute__((packed)) probe = {
		.r = { .fd = FAN_NOFD, .response = FAN_ALLOW | FAN_CACHE | FAN_INFO },
		.rule = { .hdr = { .type = FAN_RESPONSE_INFO_AUDIT_RULE,
				   .len = sizeof(probe.rule) } },
	};
	int fd = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY);
	int ok;

	if (fd < 0)
		return 0;
	ok = write(fd, &probe, sizeof(probe)) == sizeof(probe);
	close(fd);
	return ok;
}

/* A row of permission round trips in a group of INIT_FLAGS; n/a if refused. */
static void perm_variant(const char *key, const char *label, int cache,
			 unsigned int init_flags)
{
	double v[MAX_REPS];
	char why[64];

	if (cache == 2 && !kernel_takes_cache()) {
		errno_word(errno, why, sizeof(why));
		report_na(key, label, why);
		return;
	}

	for (int r = 0; r < reps; r++) {
		v[r] = perm_run_opts(1, cache, 0, init_flags, n_opens);
		if (v[r] < 0) {
			errno_word(errno, why, sizeof(why));
			report_na(key, label, why);
			return;
		}
	}
	report(key, label, v, reps, "ns/op");
}

/*
 * The round trip without an fd in the event: a FAN_REPORT_FID group of
 * class FAN_CLASS_CONTENT with FAN_PERM_NO_FD.  Kernels that do not offer
 * that refuse the group (EINVAL) and the row says so.  Part of `perm`, and
 * a workload of its own for kit/profile (-w nofd).
 */
static void wl_nofd(void)
{
	perm_variant("perm_nofd", "open+close, 1 listener, no fd", 0,
		     FAN_REPORT_FID | FAN_PERM_NO_FD);
}

static void wl_perm(void)
{
	double v[MAX_REPS];

	for (int r = 0; r < reps; r++)
		v[r] = perm_run(1, 0);
	report("perm", "open+close, 1 FAN_OPEN_PERM listener", v, reps, "ns/op");
	wl_nofd();
	/* The same round trip in a group with a deadline that never runs out. */
	perm_variant("perm_deadline", "open+close, 1 listener with a deadline", 0,
		     FAN_DEADLINE);
}

static void wl_cached(void)
{
	double v[MAX_REPS];

	for (int r = 0; r < reps; r++)
		v[r] = perm_run(1, 1);
	report("cached", "open+close, verdict cached (ignore mask)", v, reps, "ns/op");
	/* Cached by FAN_CACHE in the first answer instead of fanotify_mark(). */
	perm_variant("cached_answer", "open+close, verdict cached by FAN_CACHE", 2, 0);
}

/*
 * K listeners that each take a fixed decision time (a sleep of decide_us
 * before every answer): whether the kernel asks them one after the other
 * or all at once shows directly.  Fewer opens: each costs at least the
 * decision time.
 */
static void wl_decide(void)
{
	static const int ks[] = { 1, 2, 4, 8 };
	long n = n_opens / 10 > 5 ? n_opens / 10 : 5;
	double v[MAX_REPS];
	char key[32], label[64];

	for (unsigned int i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		for (int r = 0; r < reps; r++) {
			v[r] = perm_run_opts(ks[i], 0, decide_us, 0, n);
			if (v[r] < 0)
				die("permission listener on %s", target);
		}
		snprintf(key, sizeof(key), "d%d", ks[i]);
		snprintf(label, sizeof(label), "open+close, %d listener(s) deciding in %ld us",
			 ks[i], decide_us);
		report(key, label, v, reps, "ns/op");
	}
}

static void wl_listeners(void)
{
	static const int ks[] = { 1, 2, 4, 8 };
	double v[MAX_REPS];
	char key[32], label[64];

	for (unsigned int i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		for (int r = 0; r < reps; r++)
			v[r] = perm_run(ks[i], 0);
		snprintf(key, sizeof(key), "l%d", ks[i]);
		snprintf(label, sizeof(label), "open+close, %d perm listener(s)", ks[i]);
		report(key, label, v, reps, "ns/op");
	}
}

/* Open for write and close every file of notif_dir: ns per file. */
static double produce(void)
{
	char path[PATH_MAX];
	double t0 = now_ns();

	for (long i = 0; i < n_files; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/f%ld", notif_dir, i);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0)
			die("open %s", path);
		close(fd);
	}
	return (now_ns() - t0) / n_files;
}

enum notif_kind { NOTIF_FD, NOTIF_FID, NOTIF_INOTIFY };

/*
 * One repetition: attach a listener, produce, then consume everything
 * queued.  Returns 0, or -1 with errno when the kernel refuses the listener.
 */
static int notif_run(enum notif_kind kind, double *prod, double *cons)
{
	static char *buf;
	long seen = 0;
	int fd;
	double t0;

	if (!buf && !(buf = aligned_alloc(8, NOTIF_BUF)))
		die("malloc");
	if (kind == NOTIF_INOTIFY) {
		fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
		if (fd < 0 || inotify_add_watch(fd, notif_dir, IN_CLOSE_WRITE) < 0)
			die("inotify");
	} else {
		unsigned int flags = FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK;

		if (kind == NOTIF_FID)
			flags |= FAN_REPORT_FID;
		fd = fanotify_init(flags, O_RDONLY | O_LARGEFILE);
		if (fd < 0)
			return -1;
		if (fanotify_mark(fd, FAN_MARK_ADD, FAN_CLOSE_WRITE | FAN_EVENT_ON_CHILD,
				  AT_FDCWD, notif_dir) < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
	}
	*prod = produce();
	t0 = now_ns();
	for (;;) {
		ssize_t len = read(fd, buf, NOTIF_BUF);

		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0 && errno == EAGAIN)
			break;
		if (len <= 0)
			die("read(notification queue)");
		if (kind == NOTIF_INOTIFY) {
			for (char *p = buf; p < buf + len;
			     p += sizeof(struct inotify_event) + ((struct inotify_event *)p)->len)
				seen++;
		} else {
			struct fanotify_event_metadata *m = (void *)buf;

			for (; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
				if (m->mask & FAN_Q_OVERFLOW)
					printf("# warning: queue overflow\n");
				if (m->fd >= 0)
					close(m->fd);
				seen++;
			}
		}
	}
	*cons = (now_ns() - t0) / (seen ? seen : 1);
	if (seen != n_files)
		printf("# warning: %ld events read, %ld expected\n", seen, n_files);
	close(fd);
	return 0;
}

static void wl_notif(void)
{
	static const struct {
		enum notif_kind kind;
		const char *key, *label;
	} kinds[] = {
		{ NOTIF_FD, "fd", "fanotify fd mode" },
		{ NOTIF_FID, "fid", "fanotify FAN_REPORT_FID" },
		{ NOTIF_INOTIFY, "ino", "inotify (reference)" },
	};
	double p[MAX_REPS], c[MAX_REPS];
	char key[32], label[80];

	produce();	/* warm up */
	for (int r = 0; r < reps; r++)
		p[r] = produce();
	report("notif_none", "close_write producer, no listener", p, reps, "ns/ev");
	for (unsigned int k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		int failed = 0;

		for (int r = 0; r < reps && !failed; r++)
			if (notif_run(kinds[k].kind, &p[r], &c[r]) < 0)
				failed = errno;
		if (failed) {
			char why[64];

			errno_word(failed, why, sizeof(why));
			snprintf(key, sizeof(key), "notif_prod_%s", kinds[k].key);
			snprintf(label, sizeof(label), "close_write producer, %s", kinds[k].label);
			report_na(key, label, why);
			snprintf(key, sizeof(key), "notif_cons_%s", kinds[k].key);
			snprintf(label, sizeof(label), "close_write consumer, %s", kinds[k].label);
			report_na(key, label, why);
			continue;
		}
		snprintf(key, sizeof(key), "notif_prod_%s", kinds[k].key);
		snprintf(label, sizeof(label), "close_write producer, %s", kinds[k].label);
		report(key, label, p, reps, "ns/ev");
		snprintf(key, sizeof(key), "notif_cons_%s", kinds[k].key);
		snprintf(label, sizeof(label), "close_write consumer, %s", kinds[k].label);
		report(key, label, c, reps, "ns/ev");
	}
}

/* 64 threads, each opening its own file, one listener on the directory. */
static pthread_barrier_t mt_barrier;
static double *mt_lat;

static void *mt_opener(void *arg)
{
	long id = (long)arg;
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/t%ld", mt_dir, id);
	pthread_barrier_wait(&mt_barrier);
	for (long j = 0; j < per_thread; j++) {
		double t0 = now_ns();
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		mt_lat[id * per_thread + j] = now_ns() - t0;
		if (fd < 0)
			die("open %s", path);
		close(fd);
	}
	return NULL;
}

/*
 * One row set of (6): 64 openers against one listener whose group gets
 * INIT_FLAGS.  Returns 0, or -1 with errno if the kernel refuses the group.
 */
static int mt_rows(const char *suffix, const char *what, unsigned int init_flags)
{
	double tput[MAX_REPS], agg[MAX_REPS], p99[MAX_REPS], wpe[MAX_REPS], lcpu[MAX_REPS];
	long total = n_threads * per_thread;
	pthread_t *th = calloc(n_threads, sizeof(*th));
	char key[64], label[128];
	struct listener l;

	mt_lat = calloc(total, sizeof(*mt_lat));
	if (!th || !mt_lat)
		die("calloc");
	/*
	 * r == -1 is a warm-up: the first run after setup grows slabs and
	 * faults in thread stacks, and its tail latency was up to 20x the
	 * others' (it decided the p99 median's run-to-run spread).
	 */
	for (int r = -1; r < reps; r++) {
		double t0, a, p, cpu;
		clockid_t cid;
		struct timespec ts;

		if (listener_try(&l, mt_dir, 1, 0, 0, init_flags)) {
			int e = errno;

			free(th);
			free(mt_lat);
			errno = e;
			return -1;
		}
		pthread_barrier_init(&mt_barrier, NULL, n_threads + 1);
		for (long i = 0; i < n_threads; i++)
			if (pthread_create(&th[i], NULL, mt_opener, (void *)i))
				die("pthread_create");
		pthread_barrier_wait(&mt_barrier);
		t0 = now_ns();
		for (int i = 0; i < n_threads; i++)
			pthread_join(th[i], NULL);
		a = (now_ns() - t0) / total;
		/*
		 * The listener's own CPU time (user and kernel), what batching
		 * is for; the thread is waiting in read() by now.
		 */
		if (pthread_getcpuclockid(l.thread, &cid) || clock_gettime(cid, &ts))
			die("listener CPU time");
		cpu = ts.tv_sec * 1e9 + ts.tv_nsec;
		qsort(mt_lat, total, sizeof(*mt_lat), cmp_double);
		p = mt_lat[(long)(total * 0.99) < total ? (long)(total * 0.99) : total - 1] / 1000;
		pthread_barrier_destroy(&mt_barrier);
		listener_stop(&l);
		printf("# mt%s run %d%s: %.0f opens/s, %.0f ns/op, p99 %.0f us, %.3f writes/event,"
		       " listener %.0f ns/event\n",
		       suffix, r, r < 0 ? " (warm-up, not counted)" : "", 1e9 / a, a, p,
		       l.events ? (double)l.writes / l.events : 0.0,
		       l.events ? cpu / l.events : 0.0);
		if (r < 0)
			continue;
		agg[r] = a;
		tput[r] = 1e9 / a;
		p99[r] = p;
		wpe[r] = l.events ? (double)l.writes / l.events : 0;
		lcpu[r] = l.events ? cpu / l.events : 0;
	}
	snprintf(key, sizeof(key), "mt%s_tput", suffix);
	snprintf(label, sizeof(label), "64 threads, 1 perm listener%s: throughput", what);
	report(key, label, tput, reps, "opens/s");
	snprintf(key, sizeof(key), "mt%s_agg", suffix);
	snprintf(label, sizeof(label), "64 threads, 1 perm listener%s: aggregate", what);
	report(key, label, agg, reps, "ns/op");
	snprintf(key, sizeof(key), "mt%s_p99", suffix);
	snprintf(label, sizeof(label), "64 threads, 1 perm listener%s: p99 open", what);
	report(key, label, p99, reps, "us");
	snprintf(key, sizeof(key), "mt%s_wpe", suffix);
	snprintf(label, sizeof(label), "64 threads, 1 perm listener%s: write() per event", what);
	report(key, label, wpe, reps, "writes/ev");
	snprintf(key, sizeof(key), "mt%s_lcpu", suffix);
	snprintf(label, sizeof(label), "64 threads, 1 perm listener%s: listener CPU per event",
		 what);
	report(key, label, lcpu, reps, "ns/ev");
	free(th);
	free(mt_lat);
	return 0;
}

/*
 * The rows of (6) with batched answers.  Beyond upstream: n/a where
 * FAN_RESPONSE_BATCH is refused.  Part of `mt`, and a workload of its own
 * for kit/profile (-w mtbatch).
 */
static void wl_mtbatch(void)
{
	char why[64];

	if (mt_rows("_batch", ", batched answers", FAN_RESPONSE_BATCH)) {
		errno_word(errno, why, sizeof(why));
		report_na("mt_batch_agg", "64 threads, batched answers: aggregate", why);
		report_na("mt_batch_wpe", "64 threads, batched answers: write() per event", why);
		report_na("mt_batch_lcpu", "64 threads, batched answers: listener CPU per event",
			  why);
	}
}

static void wl_mt(void)
{
	if (mt_rows("", "", 0))
		die("permission listener on %s", mt_dir);
	wl_mtbatch();
}

/* ---------------------------------------------------------------- memory */

static int have_memcg;

/* Create the bench cgroup with the memory controller; 0 if usable. */
static int memcg_setup(void)
{
	if (access(CGROUP_ROOT "/cgroup.controllers", R_OK))
		return -1;
	if (write_file(CGROUP_ROOT "/cgroup.subtree_control", "+memory"))
		return -1;
	if (mkdir(CGROUP_BENCH, 0755) && errno != EEXIST)
		return -1;
	return access(CGROUP_BENCH "/memory.stat", R_OK);
}

static void move_self(const char *cg)
{
	char path[PATH_MAX], pid[32];

	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	snprintf(pid, sizeof(pid), "%d", getpid());
	if (write_file(path, pid))
		die("move to %s", cg);
}

/*
 * A group created while we are in the bench cgroup: the kernel charges its
 * events to that memcg; we go back to the root right away so that nothing
 * else (files, thread stacks) is charged there.
 */
static int group_in_memcg(unsigned int flags)
{
	int fd;

	if (have_memcg)
		move_self(CGROUP_BENCH);
	fd = fanotify_init(flags, O_RDONLY | O_LARGEFILE);
	if (have_memcg)
		move_self(CGROUP_ROOT);
	if (fd < 0)
		die("fanotify_init");
	return fd;
}

static long read_kv(const char *path, const char *key)
{
	char line[256];
	size_t kl = strlen(key);
	long v = -1;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && (line[kl] == ' ' || line[kl] == ':')) {
			v = strtol(line + kl + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

struct memsnap { long memcg_slab, sunreclaim; };

/* Let the 2 s memcg stats flusher and the 1 s vmstat update run first. */
static void snap(struct memsnap *s)
{
	usleep(2200 * 1000);
	s->memcg_slab = have_memcg ? read_kv(CGROUP_BENCH "/memory.stat", "slab") : -1;
	s->sunreclaim = read_kv("/proc/meminfo", "SUnreclaim") * 1024;
}

static pthread_barrier_t mem_barrier;

static void *mem_opener(void *arg)
{
	int fd;

	(void)arg;
	pthread_barrier_wait(&mem_barrier);
	fd = open(target, O_RDONLY | O_CLOEXEC);	/* blocks until answered */
	if (fd < 0)
		die("open %s", target);
	close(fd);
	return NULL;
}

static void wl_mem(void)
{
	double nc[MAX_REPS], ns[MAX_REPS], pc[MAX_REPS], ps[MAX_REPS];
	static char buf[PERM_BUF] __attribute__((aligned(8)));
	pthread_t th[MEM_OPENERS];
	struct memsnap a, b;

	have_memcg = !memcg_setup();
	if (!have_memcg)
		printf("# memory: no cgroup2 memory controller, /proc/meminfo only\n");

	for (int r = 0; r < reps; r++) {	/* queued notification events */
		int fd = group_in_memcg(FAN_CLASS_NOTIF | FAN_CLOEXEC);

		if (fanotify_mark(fd, FAN_MARK_ADD, FAN_CLOSE_WRITE | FAN_EVENT_ON_CHILD,
				  AT_FDCWD, notif_dir) < 0)
			die("fanotify_mark");
		snap(&a);
		produce();
		snap(&b);
		nc[r] = (double)(b.memcg_slab - a.memcg_slab) / n_files;
		ns[r] = (double)(b.sunreclaim - a.sunreclaim) / n_files;
		close(fd);
	}
	for (int r = 0; r < reps; r++) {	/* pending permission events */
		int fd = group_in_memcg(FAN_CLASS_CONTENT | FAN_CLOEXEC), got = 0;
		int efd[MEM_OPENERS];

		if (fanotify_mark(fd, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD, target) < 0)
			die("fanotify_mark");
		pthread_barrier_init(&mem_barrier, NULL, MEM_OPENERS + 1);
		for (long i = 0; i < MEM_OPENERS; i++)
			if (pthread_create(&th[i], NULL, mem_opener, NULL))
				die("pthread_create");
		snap(&a);
		pthread_barrier_wait(&mem_barrier);
		while (got < MEM_OPENERS) {
			ssize_t len = read(fd, buf, sizeof(buf));
			struct fanotify_event_metadata *m = (void *)buf;

			if (len < 0 && errno == EINTR)
				continue;
			if (len <= 0)
				die("read");
			for (; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len))
				if (m->fd >= 0 && got < MEM_OPENERS)
					efd[got++] = m->fd;
		}
		snap(&b);
		for (int i = 0; i < got; i++) {
			struct fanotify_response resp = { .fd = efd[i], .response = FAN_ALLOW };

			if (write(fd, &resp, sizeof(resp)) != sizeof(resp))
				die("write(response)");
			close(efd[i]);
		}
		for (int i = 0; i < MEM_OPENERS; i++)
			pthread_join(th[i], NULL);
		pthread_barrier_destroy(&mem_barrier);
		pc[r] = (double)(b.memcg_slab - a.memcg_slab) / MEM_OPENERS;
		ps[r] = (double)(b.sunreclaim - a.sunreclaim) / MEM_OPENERS;
		close(fd);
	}
	if (have_memcg) {
		report("mem_notif_memcg", "queued notification event, memcg slab", nc, reps, "B/ev");
		report("mem_perm_memcg", "pending permission event, memcg slab", pc, reps, "B/ev");
	} else {
		report_na("mem_notif_memcg", "queued notification event, memcg slab", "no_cgroup2");
		report_na("mem_perm_memcg", "pending permission event, memcg slab", "no_cgroup2");
	}
	report("mem_notif_slab", "queued notification event, SUnreclaim", ns, reps, "B/ev");
	report("mem_perm_slab", "pending permission event, SUnreclaim", ps, reps, "B/ev");
	if (have_memcg)
		rmdir(CGROUP_BENCH);
}

/* ----------------------------------------------------------------- setup */

static void mkdir_p(const char *d)
{
	if (mkdir(d, 0755) && errno != EEXIST)
		die("mkdir %s", d);
}

static void setup(void)
{
	struct rlimit rl = { 1 << 16, 1 << 16 };
	char path[PATH_MAX];

	/* fd mode: every event read opens an fd in the reader. */
	if (setrlimit(RLIMIT_NOFILE, &rl) && !getrlimit(RLIMIT_NOFILE, &rl)) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		if (rl.rlim_cur < (rlim_t)n_files + 64)
			printf("# warning: RLIMIT_NOFILE %lu < files + 64\n",
			       (unsigned long)rl.rlim_cur);
	}
	mkdir_p(scratch);
	/* A private tmpfs: nothing else generates events there. */
	if (mount("fanotify-bench", scratch, "tmpfs", 0, "mode=0755"))
		printf("# warning: no private tmpfs at %s (%s)\n", scratch, strerror(errno));
	snprintf(target, sizeof(target), "%s/target", scratch);
	touch(target);
	snprintf(notif_dir, sizeof(notif_dir), "%s/notif", scratch);
	mkdir_p(notif_dir);
	for (long i = 0; i < n_files; i++) {
		snprintf(path, sizeof(path), "%s/f%ld", notif_dir, i);
		touch(path);
	}
	snprintf(mt_dir, sizeof(mt_dir), "%s/mt", scratch);
	mkdir_p(mt_dir);
	for (long i = 0; i < n_threads; i++) {
		snprintf(path, sizeof(path), "%s/t%ld", mt_dir, i);
		touch(path);
	}
}

/* --------------------------------------------------------- subtree marks */

/*
 * Subtree marks (ours only; upstream refuses FAN_MARK_SUBTREE with EINVAL).
 * Two directory chains of the same depth on the private tmpfs,
 *
 *   st/d1/.../d7/fN	inside the tree of st (st is 8 levels above fN)
 *   out/d1/.../d7/fN	outside it
 *
 * and a timed loop that opens and closes every file of one chain's last
 * directory once (openat() on that directory: the path walk is the same
 * for every row).  Distinct files, so that no event folds into another.
 * The listeners are FAN_OPEN notification groups whose queue is read
 * after the loop: the producer's cost of the ancestor walk shows without
 * a verdict round trip around it.
 */
#define ST_DEPTH 7
#define ST_BIG_DIRS 100000
static char st_root[300], st_leaf[PATH_MAX], out_leaf[PATH_MAX];
static char st_small[300], st_big[300];

/* Make ROOT/d1/.../dDEPTH; the last directory's path goes to LEAF. */
static void make_chain(const char *root, char *leaf, size_t len)
{
	mkdir_p(root);
	snprintf(leaf, len, "%s", root);
	for (int i = 1; i <= ST_DEPTH; i++) {
		size_t used = strlen(leaf);

		snprintf(leaf + used, len - used, "/d%d", i);
		mkdir_p(leaf);
	}
}

static void make_files(const char *dir, long n)
{
	char path[PATH_MAX];

	for (long i = 0; i < n; i++) {
		if (snprintf(path, sizeof(path), "%s/f%ld", dir, i) >= (int)sizeof(path))
			die("path too long: %s", dir);
		touch(path);
	}
}

/* Open+close of each of DIR's n_opens files: ns per file. */
static double st_produce(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char name[32];
	double t0;

	if (dfd < 0)
		die("open %s", dir);
	t0 = now_ns();
	for (long i = 0; i < n_opens; i++) {
		int fd;

		snprintf(name, sizeof(name), "f%ld", i);
		fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die("open %s/%s", dir, name);
		close(fd);
	}
	t0 = now_ns() - t0;
	close(dfd);
	return t0 / n_opens;
}

/*
 * Under -icount every instruction counts wherever it runs: let the work a
 * closed group leaves behind (SRCU callbacks, the mark reaper) run while
 * the guest is idle, not inside the next timed loop.
 */
static void st_settle(void)
{
	usleep(100 * 1000);
}

/* Read and close everything queued on the notification group FD. */
static void st_drain(int fd)
{
	static char *buf;

	if (!buf && !(buf = aligned_alloc(8, NOTIF_BUF)))
		die("malloc");
	for (;;) {
		ssize_t len = read(fd, buf, NOTIF_BUF);
		struct fanotify_event_metadata *m = (void *)buf;

		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0 && errno == EAGAIN)
			return;
		if (len <= 0)
			die("read(notification queue)");
		for (; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len))
			if (m->fd >= 0)
				close(m->fd);
	}
}

/*
 * One row: a FAN_OPEN group with a mark of MARK_FLAGS and MASK on
 * MARK_PATH, the loop on DIR's files.  n/a with the errno word when the
 * kernel refuses the mark.  FLOOR_KEY: each repetition first runs the same
 * loop with the group but before its mark is added, reported as that row.
 * (Without any fanotify group at all the loop costs about 1,400 more
 * instructions per open+close, on upstream as on ours: not a cost of
 * marks, so not the floor of the marked loop.)
 */
static void st_row(const char *key, const char *label, const char *floor_key,
		   const char *mark_path, unsigned int mark_flags, uint64_t mask,
		   const char *dir)
{
	double v[MAX_REPS], f[MAX_REPS];

	char why[64] = "";

	st_produce(dir);	/* warm the dentries */
	for (int r = 0; r < reps; r++) {
		int fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
				       O_RDONLY | O_LARGEFILE);

		if (fd < 0)
			die("fanotify_init");
		if (floor_key) {
			st_settle();
			f[r] = st_produce(dir);
		}
		if (why[0] ||
		    fanotify_mark(fd, FAN_MARK_ADD | mark_flags, mask, AT_FDCWD, mark_path) < 0) {
			if (!why[0])
				errno_word(errno, why, sizeof(why));
			close(fd);
			continue;
		}
		st_settle();
		v[r] = st_produce(dir);
		st_drain(fd);
		close(fd);
	}
	if (why[0])
		report_na(key, label, why);
	else
		report(key, label, v, reps, "ns/op");
	if (floor_key)
		report(floor_key, "the same loop, group without a mark", f, reps, "ns/op");
}

/*
 * Outside the tree with a permission listener that cares only about the
 * tree: ours marks the tree (no event outside it), a kernel without
 * subtree marks needs a filesystem mark and a listener that allows what
 * lies outside.  Row st_perm_sub is the first, st_perm_fs the second.
 */
static void st_perm_row(const char *key, const char *label, unsigned int mark_flags,
			const char *mark_path)
{
	double v[MAX_REPS];
	struct listener l;

	for (int r = 0; r < reps; r++) {
		if (listener_start(&l, mark_path, mark_flags, FAN_OPEN_PERM, 0, 0, 0)) {
			char why[64];

			errno_word(errno, why, sizeof(why));
			report_na(key, label, why);
			return;
		}
		st_produce(out_leaf);	/* warm up */
		st_settle();
		v[r] = st_produce(out_leaf);
		listener_stop(&l);
	}
	report(key, label, v, reps, "ns/op");
}

/*
 * Setting a subtree mark: time of a FAN_MARK_ADD + FAN_MARK_REMOVE pair,
 * and the slab bytes one mark charges to the memcg of the task that adds
 * it, on a directory with one subdirectory and on one with ST_BIG_DIRS
 * below it.  The bytes are those of ST_MEM_GROUPS groups marking the same
 * directory, divided by their number: the memcg's statistics are flushed
 * only after enough updates, so the few bytes of one mark never show.
 */
#define ST_MEM_GROUPS 100
#define CGROUP_FLUSH CGROUP_ROOT "/fanotify-bench-flush"

/*
 * Slab statistics of a memcg wait in a per-CPU cache until about a page
 * has gathered or a task of another memcg allocates: a struct file
 * allocated in a second cgroup pushes the bench cgroup's into its
 * memory.stat.
 */
static void memcg_push_stats(void)
{
	int fd;

	move_self(CGROUP_FLUSH);
	fd = open("/", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		close(fd);
	move_self(CGROUP_ROOT);
}
static void st_mark_rows(const char *key, const char *label, const char *root)
{
	double t[MAX_REPS], m[MAX_REPS];
	int fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	int gfd[ST_MEM_GROUPS];
	char tkey[48], mkey[48], tlabel[96], mlabel[96];
	struct memsnap a, b;

	snprintf(tkey, sizeof(tkey), "%s_time", key);
	snprintf(mkey, sizeof(mkey), "%s_mem", key);
	snprintf(tlabel, sizeof(tlabel), "%s: add+remove", label);
	snprintf(mlabel, sizeof(mlabel), "%s: memcg slab per mark", label);
	if (fd < 0)
		die("fanotify_init");
	if (fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN, AT_FDCWD, root)) {
		char why[64];

		errno_word(errno, why, sizeof(why));
		report_na(tkey, tlabel, why);
		report_na(mkey, mlabel, why);
		close(fd);
		return;
	}
	fanotify_mark(fd, FAN_MARK_REMOVE | FAN_MARK_SUBTREE, FAN_OPEN, AT_FDCWD, root);
	for (int r = 0; r < reps; r++) {
		double t0 = now_ns();

		for (long i = 0; i < n_opens; i++)
			if (fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN,
					  AT_FDCWD, root) ||
			    fanotify_mark(fd, FAN_MARK_REMOVE | FAN_MARK_SUBTREE, FAN_OPEN,
					  AT_FDCWD, root))
				die("fanotify_mark(%s)", root);
		t[r] = (now_ns() - t0) / n_opens;
		if (!have_memcg)
			continue;
		for (int g = 0; g < ST_MEM_GROUPS; g++) {
			gfd[g] = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
			if (gfd[g] < 0)
				die("fanotify_init (group %d)", g);
		}
		memcg_push_stats();
		snap(&a);
		move_self(CGROUP_BENCH);
		for (int g = 0; g < ST_MEM_GROUPS; g++)
			if (fanotify_mark(gfd[g], FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN,
					  AT_FDCWD, root))
				die("fanotify_mark(%s)", root);
		move_self(CGROUP_ROOT);
		memcg_push_stats();
		snap(&b);
		m[r] = (double)(b.memcg_slab - a.memcg_slab) / ST_MEM_GROUPS;
		for (int g = 0; g < ST_MEM_GROUPS; g++)
			close(gfd[g]);
	}
	report(tkey, tlabel, t, reps, "ns/op");
	if (have_memcg)
		report(mkey, mlabel, m, reps, "B");
	else
		report_na(mkey, mlabel, "no_cgroup2");
	close(fd);
}

static void wl_subtree(void)
{
	char out_root[300], path[PATH_MAX];
	long big = n_files * 10 < ST_BIG_DIRS ? n_files * 10 : ST_BIG_DIRS;

	snprintf(st_root, sizeof(st_root), "%s/st", scratch);
	snprintf(out_root, sizeof(out_root), "%s/out", scratch);
	make_chain(st_root, st_leaf, sizeof(st_leaf));
	make_chain(out_root, out_leaf, sizeof(out_leaf));
	make_files(st_leaf, n_opens);
	make_files(out_leaf, n_opens);

	st_row("st_dir", "open+close, FAN_OPEN on the parent with ON_CHILD", NULL, st_leaf, 0,
	       FAN_OPEN | FAN_EVENT_ON_CHILD, st_leaf);
	st_row("st_in8", "open+close, FAN_OPEN subtree mark 8 levels up", NULL, st_root,
	       FAN_MARK_SUBTREE, FAN_OPEN, st_leaf);
	/* Measured around each marked run; alone where the mark is refused. */
	st_row("st_out", "open+close outside a FAN_OPEN subtree mark", "st_floor", st_root,
	       FAN_MARK_SUBTREE, FAN_OPEN, out_leaf);
	st_perm_row("st_perm_sub", "open outside, FAN_OPEN_PERM subtree mark", FAN_MARK_SUBTREE,
		    st_root);
	st_perm_row("st_perm_fs", "open outside, FAN_OPEN_PERM filesystem mark", FAN_MARK_FILESYSTEM,
		    scratch);

	have_memcg = !memcg_setup() && !(mkdir(CGROUP_FLUSH, 0755) && errno != EEXIST);
	snprintf(st_small, sizeof(st_small), "%s/small", scratch);
	mkdir_p(st_small);
	snprintf(path, sizeof(path), "%s/d", st_small);
	mkdir_p(path);
	/*
	 * ST_BIG_DIRS directories, 100 per parent, all below one child of the
	 * root: like any mark with FAN_EVENT_ON_CHILD, adding the mark flags
	 * the cached dentries of the root's own children, so both roots have
	 * one, and the difference is the tree below.
	 */
	snprintf(st_big, sizeof(st_big), "%s/big", scratch);
	mkdir_p(st_big);
	snprintf(path, sizeof(path), "%s/d", st_big);
	mkdir_p(path);
	for (long i = 0; i < big; i++) {
		if (i % 100 == 0) {
			snprintf(path, sizeof(path), "%s/d/p%ld", st_big, i / 100);
			mkdir_p(path);
		}
		snprintf(path, sizeof(path), "%s/d/p%ld/d%ld", st_big, i / 100, i);
		mkdir_p(path);
	}
	printf("# subtree: %ld directories below %s\n", 1 + big + (big + 99) / 100, st_big);
	st_mark_rows("st_mark_small", "subtree mark on a tree of 1 directory", st_small);
	st_mark_rows("st_mark_big", "subtree mark on a tree of 100,000 directories", st_big);
	if (have_memcg) {
		rmdir(CGROUP_BENCH);
		rmdir(CGROUP_FLUSH);
	}
}

static const struct {
	const char *name;
	void (*fn)(void);
	int pinned;
	int named_only;		/* not part of "all" (a subset for kit/profile) */
} workloads[] = {
	{ "floor", wl_floor, 1, 0 },
	{ "pipe", wl_pipe, 1, 0 },
	{ "perm", wl_perm, 1, 0 },
	{ "cached", wl_cached, 1, 0 },
	{ "listeners", wl_listeners, 1, 0 },
	{ "decide", wl_decide, 1, 0 },
	{ "notif", wl_notif, 1, 0 },
	{ "mt", wl_mt, 0, 0 },
	{ "mem", wl_mem, 0, 0 },
	{ "subtree", wl_subtree, 1, 0 },
	{ "nofd", wl_nofd, 1, 1 },
	{ "mtbatch", wl_mtbatch, 0, 1 },
};

/* Threads inherit the affinity of the thread that creates them. */
static void pin(int pinned)
{
	cpu_set_t one;

	if (!pinned || pin_cpu < 0) {
		sched_setaffinity(0, sizeof(all_cpus), &all_cpus);
		return;
	}
	CPU_ZERO(&one);
	CPU_SET(pin_cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		die("sched_setaffinity(%d)", pin_cpu);
}

int main(int argc, char **argv)
{
	const char *which = "all";
	int opt, ran = 0;

	while ((opt = getopt(argc, argv, "w:r:n:f:t:p:d:c:D:")) != -1) {
		switch (opt) {
		case 'w': which = optarg; break;
		case 'r': reps = atoi(optarg); break;
		case 'n': n_opens = atol(optarg); break;
		case 'f': n_files = atol(optarg); break;
		case 't': n_threads = atoi(optarg); break;
		case 'p': per_thread = atol(optarg); break;
		case 'd': snprintf(scratch, sizeof(scratch), "%s", optarg); break;
		case 'c': pin_cpu = atoi(optarg); break;
		case 'D': decide_us = atol(optarg); break;
		default:
			fprintf(stderr, "usage: %s [-w WORKLOAD|all] [-r REPS] [-n OPENS] [-f FILES]"
				" [-t THREADS] [-p OPENS_PER_THREAD] [-d DIR] [-c CPU|-1]"
				" [-D DECISION_US]\n", argv[0]);
			return 2;
		}
	}
	if (reps < 1 || reps > MAX_REPS || n_opens < 1 || n_files < 1 ||
	    n_threads < 1 || per_thread < 1 || decide_us < 1) {
		fprintf(stderr, "%s: bad arguments\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (sched_getaffinity(0, sizeof(all_cpus), &all_cpus))
		die("sched_getaffinity");
	setup();
	printf("# fanotify-bench: reps=%d opens=%ld files=%ld threads=%d per_thread=%ld pin=%d"
	       " decide_us=%ld\n", reps, n_opens, n_files, n_threads, per_thread, pin_cpu, decide_us);
	printf("C clock_step_ns %.0f\n", clock_step());
	for (unsigned int i = 0; i < sizeof(workloads) / sizeof(workloads[0]); i++) {
		if (strcmp(which, workloads[i].name) &&
		    (strcmp(which, "all") || workloads[i].named_only))
			continue;
		pin(workloads[i].pinned);
		workloads[i].fn();
		ran++;
	}
	umount2(scratch, MNT_DETACH);
	if (!ran) {
		fprintf(stderr, "%s: no workload named %s\n", argv[0], which);
		return 2;
	}
	return 0;
}
