// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify-gate: decide who may open two files.
 *
 * Usage: fanotify-gate DENIED ALLOWED [COUNT]
 *
 * Marks both files for FAN_OPEN_PERM, so that every open() of them waits
 * until this program answers.  Opens of DENIED are refused (the opener
 * gets EPERM), opens of ALLOWED go on.  Each decision is printed as
 * "allow|deny pid=PID path=PATH".  Stops after COUNT decisions (default:
 * never) or on SIGINT/SIGTERM; once it is gone, opens are no longer asked
 * about.  Needs CAP_SYS_ADMIN and a kernel with
 * CONFIG_FANOTIFY_ACCESS_PERMISSIONS.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <unistd.h>

static bool same_file(int fd, const struct stat *st)
{
	struct stat fst;

	return !fstat(fd, &fst) && fst.st_dev == st->st_dev &&
	       fst.st_ino == st->st_ino;
}

/* Answer one permission event and say what was decided. */
static int decide(int fan_fd, const struct fanotify_event_metadata *ev,
		  const struct stat *denied)
{
	struct fanotify_response resp = { .fd = ev->fd, .response = FAN_ALLOW };
	char link[64], path[PATH_MAX];
	ssize_t len;

	/*
	 * Compare the opened inode, not its name: the name may have changed,
	 * or be reachable through a link, by the time the event is read.
	 */
	if (same_file(ev->fd, denied))
		resp.response = FAN_DENY;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", ev->fd);
	len = readlink(link, path, sizeof(path) - 1);
	if (len < 0)
		len = snprintf(path, sizeof(path), "?");
	path[len] = '\0';

	/* The opener waits for this write, whatever else fails. */
	if (write(fan_fd, &resp, sizeof(resp)) != sizeof(resp)) {
		perror("write");
		return -1;
	}
	printf("%-5s pid=%d path=%s\n",
	       resp.response == FAN_DENY ? "deny" : "allow", ev->pid, path);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	long limit = argc > 3 ? atol(argv[3]) : -1;
	struct fanotify_event_metadata buf[4096 / sizeof(struct fanotify_event_metadata)];
	struct stat denied;
	long seen = 0;
	int fd, i;

	if (argc < 3) {
		fprintf(stderr, "usage: %s DENIED ALLOWED [COUNT]\n", argv[0]);
		return 2;
	}
	if (stat(argv[1], &denied)) {
		perror(argv[1]);
		return 1;
	}

	/* Only content classes are asked for verdicts. */
	fd = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY | O_LARGEFILE);
	if (fd < 0) {
		perror("fanotify_init");
		return 1;
	}
	for (i = 1; i <= 2; i++) {
		if (fanotify_mark(fd, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD,
				  argv[i])) {
			perror("fanotify_mark");
			return 1;
		}
	}
	printf("gating %s (deny) and %s (allow)\n", argv[1], argv[2]);
	fflush(stdout);

	while (limit < 0 || seen < limit) {
		struct fanotify_event_metadata *ev = buf;
		ssize_t len = read(fd, buf, sizeof(buf));

		if (len < 0) {
			if (errno == EINTR)
				continue;
			perror("read");
			return 1;
		}
		for (; FAN_EVENT_OK(ev, len); ev = FAN_EVENT_NEXT(ev, len)) {
			if (ev->vers != FANOTIFY_METADATA_VERSION) {
				fprintf(stderr, "unexpected metadata version\n");
				return 1;
			}
			/* Without an fd the kernel has already denied it. */
			if (ev->fd < 0)
				continue;
			if ((ev->mask & FAN_OPEN_PERM) && decide(fd, ev, &denied))
				return 1;
			close(ev->fd);
			seen++;
		}
	}
	return 0;
}
