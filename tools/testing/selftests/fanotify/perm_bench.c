// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify permission event benchmark (a program, not a test).
 *
 * Usage: perm_bench [TOTAL_OPENS]   (default 1024)
 *
 * Prints the aggregate cost of one open() + close() (wall time / number of opens, median of 5
 * repetitions):
 *   bare_open_ns=...     no listener
 *   perm_open_1_ns=...   one thread opening a FAN_OPEN_PERM-marked file
 *   perm_open_64_ns=...  64 threads, each opening its own marked file
 * A single listener thread answers FAN_ALLOW as fast as it can, reading many events per read().
 * Marks are inode marks on files in a private temporary directory.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <pthread.h>

/* The helpers come with the test harness, whose runner this program does not use. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "perm_common.h"
#pragma GCC diagnostic pop

#define REPS 5
#define MAX_THREADS 64
#define DEFAULT_OPENS 1024

static char dir[DIR_PATH_LEN];
static char files[MAX_THREADS][FILE_PATH_LEN];
static int fan_fd = -1;
static int stop_listener;
static long opens_per_thread;
static long failures;
static pthread_barrier_t start_barrier;

static void *listener(void *arg)
{
	static char buf[1024 * FAN_EVENT_METADATA_LEN] __attribute__((aligned(8)));

	while (!__atomic_load_n(&stop_listener, __ATOMIC_RELAXED)) {
		const struct fanotify_event_metadata *m = (void *)buf;
		ssize_t len;

		if (wait_readable(fan_fd, 20) <= 0)
			continue;
		len = read(fan_fd, buf, sizeof(buf));
		if (len <= 0)
			continue;
		for (; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
			if (m->fd < 0)
				continue;
			if (respond(fan_fd, m->fd, FAN_ALLOW) != sizeof(struct fanotify_response))
				__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
			close(m->fd);
		}
	}
	return NULL;
}

static void *opener(void *arg)
{
	const char *path = arg;
	long i;
	int fd;

	pthread_barrier_wait(&start_barrier);
	for (i = 0; i < opens_per_thread; i++) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			__atomic_add_fetch(&failures, 1, __ATOMIC_RELAXED);
			continue;
		}
		close(fd);
	}
	pthread_barrier_wait(&start_barrier);
	return NULL;
}

/* Wall time in ns of @nthreads threads each opening its own file opens_per_thread times. */
static long long run_openers(int nthreads)
{
	pthread_t threads[MAX_THREADS];
	long long t0, t1;
	int i;

	if (pthread_barrier_init(&start_barrier, NULL, nthreads + 1))
		return -1;
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&threads[i], NULL, opener, files[i])) {
			fprintf(stderr, "pthread_create failed\n");
			exit(1);
		}
	pthread_barrier_wait(&start_barrier);
	t0 = now_ns();
	pthread_barrier_wait(&start_barrier);
	t1 = now_ns();
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	pthread_barrier_destroy(&start_barrier);
	return t1 - t0;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* Median over REPS runs of the aggregate cost per open with @nthreads openers. */
static long long measure(int nthreads, long total)
{
	long long res[REPS];
	int r;

	opens_per_thread = total / nthreads;
	if (opens_per_thread < 1)
		opens_per_thread = 1;
	for (r = 0; r < REPS; r++)
		res[r] = run_openers(nthreads) / (opens_per_thread * nthreads);
	qsort(res, REPS, sizeof(res[0]), cmp_ll);
	return res[REPS / 2];
}

static void cleanup(void)
{
	int i;

	if (fan_fd >= 0)
		close(fan_fd);
	for (i = 0; i < MAX_THREADS; i++)
		if (files[i][0])
			unlink(files[i]);
	if (dir[0])
		rmdir(dir);
}

int main(int argc, char **argv)
{
	long total = argc > 1 ? strtol(argv[1], NULL, 0) : DEFAULT_OPENS;
	long long bare, one, many;
	pthread_t lt;
	int i;

	if (total < MAX_THREADS) {
		fprintf(stderr, "usage: %s [TOTAL_OPENS >= %d]\n", argv[0], MAX_THREADS);
		return 2;
	}
	if (make_temp_dir(dir)) {
		perror("mkdtemp");
		return 1;
	}
	atexit(cleanup);
	for (i = 0; i < MAX_THREADS; i++) {
		snprintf(files[i], sizeof(files[i]), "%s/f%d", dir, i);
		if (create_file(files[i], "x")) {
			perror("create");
			return 1;
		}
	}

	bare = measure(1, total);

	fan_fd = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK,
				   O_RDONLY | O_CLOEXEC);
	if (fan_fd < 0) {
		perror("fanotify_init");
		return 1;
	}
	for (i = 0; i < MAX_THREADS; i++)
		if (sys_fanotify_mark(fan_fd, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD, files[i])) {
			perror("fanotify_mark");
			return 1;
		}
	if (pthread_create(&lt, NULL, listener, NULL)) {
		fprintf(stderr, "pthread_create failed\n");
		return 1;
	}
	one = measure(1, total);
	many = measure(MAX_THREADS, total);
	__atomic_store_n(&stop_listener, 1, __ATOMIC_RELAXED);
	pthread_join(lt, NULL);

	printf("opens=%ld reps=%d\n", total, REPS);
	printf("bare_open_ns=%lld\n", bare);
	printf("perm_open_1_ns=%lld\n", one);
	printf("perm_open_64_ns=%lld\n", many);
	if (__atomic_load_n(&failures, __ATOMIC_RELAXED)) {
		fprintf(stderr, "%ld failed opens or responses\n", failures);
		return 1;
	}
	return 0;
}
