// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify-watch: print one line per fanotify event on the files of a
 * directory.
 *
 * Usage: fanotify-watch DIR [COUNT]
 *
 * Marks DIR for opens, reads, writes and closes of the files in it and
 * prints each event as "pid=PID mask=NAMES path=PATH".  Stops after COUNT
 * events (default: never) or on SIGINT/SIGTERM.  Needs CAP_SYS_ADMIN.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define WATCHED (FAN_OPEN | FAN_ACCESS | FAN_MODIFY | FAN_CLOSE | \
		 FAN_EVENT_ON_CHILD)

static const struct {
	unsigned long long bit;
	const char *name;
} names[] = {
	{ FAN_OPEN, "open" },
	{ FAN_ACCESS, "access" },
	{ FAN_MODIFY, "modify" },
	{ FAN_CLOSE_WRITE, "close_write" },
	{ FAN_CLOSE_NOWRITE, "close_nowrite" },
	{ FAN_Q_OVERFLOW, "overflow" },
};

static void print_mask(unsigned long long mask)
{
	const char *sep = "";
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		if (mask & names[i].bit) {
			printf("%s%s", sep, names[i].name);
			sep = "|";
		}
	}
}

static void print_event(const struct fanotify_event_metadata *ev)
{
	char link[64], path[PATH_MAX];
	ssize_t len = -1;

	if (ev->fd >= 0) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", ev->fd);
		len = readlink(link, path, sizeof(path) - 1);
		close(ev->fd);
	}
	if (len < 0)
		snprintf(path, sizeof(path), "?");
	else
		path[len] = '\0';

	printf("pid=%d mask=", ev->pid);
	print_mask(ev->mask);
	printf(" path=%s\n", path);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	long limit = argc > 2 ? atol(argv[2]) : -1;
	struct fanotify_event_metadata buf[4096 / sizeof(struct fanotify_event_metadata)];
	long seen = 0;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR [COUNT]\n", argv[0]);
		return 2;
	}

	fd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY | O_LARGEFILE);
	if (fd < 0) {
		perror("fanotify_init");
		return 1;
	}
	if (fanotify_mark(fd, FAN_MARK_ADD, WATCHED, AT_FDCWD, argv[1])) {
		perror("fanotify_mark");
		return 1;
	}
	printf("watching %s\n", argv[1]);
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
			print_event(ev);
			seen++;
		}
	}
	return 0;
}
