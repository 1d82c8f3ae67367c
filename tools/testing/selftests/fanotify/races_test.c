// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify object lifetime and concurrency tests: marks removed, files unlinked or renamed,
 * groups closed and filesystems unmounted while events are queued; concurrent readers; pid
 * namespaces.
 *
 * Behaviour reference: upstream 6.12 fanotify_read(), get_one_event(), copy_event_to_user()
 * (pid_vnr() in the reader's pid namespace) and fanotify_release() in
 * fs/notify/fanotify/fanotify_user.c; fanotify_alloc_path_event() in fanotify.c (the event holds
 * a reference to the path, hence to the mount); fsnotify_sb_delete() in fs/notify/fsnotify.c and
 * fsnotify_vfsmount_delete() (marks go away with the filesystem or mount).
 */

#include <pthread.h>
#include <sys/wait.h>

#include "common.h"

enum target {
	T_FILE,		/* mnt/file, on the inner tmpfs */
	T_FILE2,	/* mnt/file2 */
	T_MNT,		/* mnt: the inner tmpfs mount */
	T_OTHER_DIR,	/* other/: a directory on the outer tmpfs */
};

FIXTURE(races)
{
	char dir[DIR_PATH_LEN];
	char path[4][FILE_PATH_LEN];
	int fan_fd;
};

static void world_setup(struct __test_metadata *const _metadata, FIXTURE_DATA(races) *self)
{
	self->fan_fd = -1;
	ASSERT_EQ(0, setup_private_tmpfs(self->dir));
	snprintf(self->path[T_MNT], FILE_PATH_LEN, "%s/mnt", self->dir);
	snprintf(self->path[T_FILE], FILE_PATH_LEN, "%s/mnt/file", self->dir);
	snprintf(self->path[T_FILE2], FILE_PATH_LEN, "%s/mnt/file2", self->dir);
	snprintf(self->path[T_OTHER_DIR], FILE_PATH_LEN, "%s/other", self->dir);
	ASSERT_EQ(0, mkdir(self->path[T_MNT], 0755));
	ASSERT_EQ(0, mkdir(self->path[T_OTHER_DIR], 0755));
	ASSERT_EQ(0, mount_tmpfs(self->path[T_MNT]));
	ASSERT_EQ(0, create_file(self->path[T_FILE], "file\n"));
	ASSERT_EQ(0, create_file(self->path[T_FILE2], "file2\n"));
	self->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
					 O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fan_fd);
}

static void world_teardown(struct __test_metadata *const _metadata, FIXTURE_DATA(races) *self)
{
	if (self->fan_fd >= 0)
		close(self->fan_fd);
	EXPECT_EQ(0, teardown_private_tmpfs(self->dir));
}

FIXTURE_SETUP(races)
{
	world_setup(_metadata, self);
}

FIXTURE_TEARDOWN(races)
{
	world_teardown(_metadata, self);
}

/* Number of "fanotify " mark lines in the fdinfo of @fd. */
static int fdinfo_marks(int fd)
{
	char path[64], line[512];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "fanotify ", 9) && strncmp(line, "fanotify flags:", 15))
			n++;
	fclose(f);
	return n;
}

/* Tests run once per mark type. */
FIXTURE(per_type)
{
	FIXTURE_DATA(races) w;
};

FIXTURE_VARIANT(per_type)
{
	unsigned int type;
	enum target target;
};

FIXTURE_SETUP(per_type)
{
	world_setup(_metadata, &self->w);
}

FIXTURE_TEARDOWN(per_type)
{
	world_teardown(_metadata, &self->w);
}

/* clang-format off */
FIXTURE_VARIANT_ADD(per_type, inode) {
	/* clang-format on */
	.type = FAN_MARK_INODE, .target = T_FILE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(per_type, mount) {
	/* clang-format on */
	.type = FAN_MARK_MOUNT, .target = T_MNT,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(per_type, filesystem) {
	/* clang-format on */
	.type = FAN_MARK_FILESYSTEM, .target = T_MNT,
};

static int add_mark(FIXTURE_DATA(races) *w, const FIXTURE_VARIANT(per_type) *variant,
		    uint64_t mask)
{
	return sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD | variant->type, mask, AT_FDCWD,
				 w->path[variant->target]);
}

/* Events queued before the mark is removed are still read, with valid fds. */
TEST_F(per_type, mark_removed_with_events_queued)
{
	FIXTURE_DATA(races) *w = &self->w;
	struct fanotify_event_metadata m;

	ASSERT_EQ(0, add_mark(w, variant, FAN_OPEN));
	ASSERT_EQ(0, open_close_file(w->path[T_FILE], O_RDONLY));
	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_REMOVE | variant->type, FAN_OPEN,
				       AT_FDCWD, w->path[variant->target]));
	EXPECT_EQ(0, fdinfo_marks(w->fan_fd));
	ASSERT_EQ(0, read_one_record(w->fan_fd, &m));
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_TRUE(fd_is_path(m.fd, w->path[T_FILE]));
	EXPECT_EQ(0, close(m.fd));
	ASSERT_EQ(0, open_close_file(w->path[T_FILE], O_RDONLY));
	EXPECT_TRUE(no_event(w->fan_fd));
}

/* An event on a file unlinked afterwards gives an fd on the unlinked inode. */
TEST_F(per_type, unlinked_with_events_queued)
{
	FIXTURE_DATA(races) *w = &self->w;
	struct fanotify_event_metadata m;
	struct stat st, fst;
	char c;

	ASSERT_EQ(0, stat(w->path[T_FILE], &st));
	ASSERT_EQ(0, add_mark(w, variant, FAN_CLOSE_NOWRITE));
	ASSERT_EQ(0, open_close_file(w->path[T_FILE], O_RDONLY));
	ASSERT_EQ(0, unlink(w->path[T_FILE]));
	ASSERT_EQ(0, read_one_record(w->fan_fd, &m));
	EXPECT_EQ(FAN_CLOSE_NOWRITE, m.mask);
	ASSERT_LE(0, m.fd);
	ASSERT_EQ(0, fstat(m.fd, &fst));
	EXPECT_EQ(st.st_ino, fst.st_ino);
	EXPECT_EQ(st.st_dev, fst.st_dev);
	EXPECT_EQ(0, fst.st_nlink);
	EXPECT_EQ(1, read(m.fd, &c, 1));
	EXPECT_EQ('f', c);
	EXPECT_EQ(0, close(m.fd));
}

/* Closing a group with queued events leaks no fd and releases the mount. */
TEST_F(per_type, group_closed_with_events_queued)
{
	FIXTURE_DATA(races) *w = &self->w;
	int before, i;

	before = count_open_fds();
	ASSERT_LE(0, before);
	ASSERT_EQ(0, add_mark(w, variant, FAN_OPEN | FAN_CLOSE));
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(0, open_close_file(w->path[T_FILE], O_RDONLY));
		ASSERT_EQ(0, open_close_file(w->path[T_FILE2], O_WRONLY));
	}
	ASSERT_EQ(1, wait_readable(w->fan_fd, EVENT_TIMEOUT_MS));
	/* The queued events pin the mount. */
	EXPECT_EQ(-1, umount(w->path[T_MNT]));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(0, close(w->fan_fd));
	w->fan_fd = -1;
	EXPECT_EQ(before - 1, count_open_fds());
	EXPECT_EQ(0, umount(w->path[T_MNT]));
}

/*
 * Unmount with queued events: the events pin the mount (umount fails with EBUSY) until they are
 * read and their fds closed.  Then the unmount destroys the marks of the mount and of its
 * filesystem, and a new filesystem mounted at the same place is not marked.
 */
TEST_F(per_type, umount_with_events_queued)
{
	FIXTURE_DATA(races) *w = &self->w;
	struct fanotify_event_metadata m;

	ASSERT_EQ(0, add_mark(w, variant, FAN_OPEN));
	ASSERT_EQ(0, open_close_file(w->path[T_FILE], O_RDONLY));
	ASSERT_EQ(1, wait_readable(w->fan_fd, EVENT_TIMEOUT_MS));
	EXPECT_EQ(-1, umount(w->path[T_MNT]));
	EXPECT_EQ(EBUSY, errno);

	ASSERT_EQ(0, read_one_record(w->fan_fd, &m));
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_TRUE(fd_is_path(m.fd, w->path[T_FILE]));
	/* The event fd pins it too. */
	EXPECT_EQ(-1, umount(w->path[T_MNT]));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(0, close(m.fd));

	EXPECT_EQ(1, fdinfo_marks(w->fan_fd));
	ASSERT_EQ(0, umount(w->path[T_MNT]));
	EXPECT_EQ(0, fdinfo_marks(w->fan_fd));
	EXPECT_TRUE(no_event(w->fan_fd));

	/* A new filesystem at the same place: no mark there. */
	ASSERT_EQ(0, mount_tmpfs(w->path[T_MNT]));
	ASSERT_EQ(0, create_file(w->path[T_FILE], "new\n"));
	EXPECT_EQ(-1, sys_fanotify_mark(w->fan_fd, FAN_MARK_REMOVE | variant->type, FAN_OPEN,
					AT_FDCWD, w->path[variant->target]));
	EXPECT_EQ(ENOENT, errno);
	ASSERT_EQ(0, open_close_file(w->path[T_FILE], O_RDONLY));
	EXPECT_TRUE(no_event(w->fan_fd));
	/* The group still works. */
	ASSERT_EQ(0, add_mark(w, variant, FAN_OPEN));
	ASSERT_EQ(0, open_close_file(w->path[T_FILE], O_RDONLY));
	ASSERT_EQ(0, read_one_record(w->fan_fd, &m));
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_EQ(0, close(m.fd));
}

/* A lazy unmount with queued events succeeds; the events stay readable. */
TEST_F(per_type, lazy_umount_with_events_queued)
{
	FIXTURE_DATA(races) *w = &self->w;
	struct fanotify_event_metadata m;
	struct stat st;
	char c;

	ASSERT_EQ(0, stat(w->path[T_FILE], &st));
	ASSERT_EQ(0, add_mark(w, variant, FAN_OPEN));
	ASSERT_EQ(0, open_close_file(w->path[T_FILE], O_RDONLY));
	ASSERT_EQ(1, wait_readable(w->fan_fd, EVENT_TIMEOUT_MS));
	ASSERT_EQ(0, umount2(w->path[T_MNT], MNT_DETACH));
	ASSERT_EQ(0, read_one_record(w->fan_fd, &m));
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_TRUE(fd_is_inode(m.fd, &st));
	EXPECT_EQ(1, read(m.fd, &c, 1));
	EXPECT_EQ(0, close(m.fd));
	/* The filesystem is gone with the last reference, and the marks with it. */
	EXPECT_EQ(0, fdinfo_marks(w->fan_fd));
}

/* A renamed file keeps its inode mark, wherever it goes on the filesystem. */
TEST_F(races, rename_keeps_inode_mark)
{
	char renamed[FILE_PATH_LEN], moved[FILE_PATH_LEN], sub[FILE_PATH_LEN];
	struct fanotify_event_metadata m;

	snprintf(renamed, sizeof(renamed), "%s/mnt/renamed", self->dir);
	snprintf(sub, sizeof(sub), "%s/mnt/sub", self->dir);
	snprintf(moved, sizeof(moved), "%s/mnt/sub/moved", self->dir);
	ASSERT_EQ(0, mkdir(sub, 0755));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD,
				       self->path[T_FILE]));
	ASSERT_EQ(0, rename(self->path[T_FILE], renamed));
	ASSERT_EQ(0, open_close_file(renamed, O_RDONLY));
	ASSERT_EQ(0, read_one_record(self->fan_fd, &m));
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_TRUE(fd_is_path(m.fd, renamed));
	EXPECT_EQ(0, close(m.fd));

	ASSERT_EQ(0, rename(renamed, moved));
	ASSERT_EQ(0, open_close_file(moved, O_RDONLY));
	ASSERT_EQ(0, read_one_record(self->fan_fd, &m));
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_TRUE(fd_is_path(m.fd, moved));
	EXPECT_EQ(0, close(m.fd));

	/* Replacing the old name by a new file does not mark the new file. */
	ASSERT_EQ(0, create_file(self->path[T_FILE], "new\n"));
	ASSERT_EQ(0, open_close_file(self->path[T_FILE], O_RDONLY));
	EXPECT_TRUE(no_event(self->fan_fd));
	/* The mark is found through the new name only. */
	EXPECT_EQ(-1, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD,
					self->path[T_FILE]));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE, FAN_OPEN, AT_FDCWD, moved));
}

/* Renaming over a marked file: the mark goes with the replaced inode. */
TEST_F(races, rename_over_marked_file)
{
	struct fanotify_event_metadata m;
	struct stat st;

	ASSERT_EQ(0, stat(self->path[T_FILE], &st));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD,
				       self->path[T_FILE]));
	ASSERT_EQ(0, open_close_file(self->path[T_FILE], O_RDONLY));
	ASSERT_EQ(0, rename(self->path[T_FILE2], self->path[T_FILE]));
	/* The queued event refers to the replaced (now unlinked) inode. */
	ASSERT_EQ(0, read_one_record(self->fan_fd, &m));
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_TRUE(fd_is_inode(m.fd, &st));
	EXPECT_EQ(0, close(m.fd));
	ASSERT_EQ(0, open_close_file(self->path[T_FILE], O_RDONLY));
	EXPECT_TRUE(no_event(self->fan_fd));
}

/* Concurrent readers of one group never get the same event twice, and lose none. */

#define NR_EVENTS 200
#define NR_READERS 3

struct reader {
	pthread_t thread;
	int fan_fd;
	int count;
	int errors;
	ino_t inos[NR_EVENTS];
	int *stop;	/* read and written with __atomic builtins */
};

static void *reader_fn(void *arg)
{
	struct reader *r = arg;
	struct fanotify_event_metadata m[2];
	struct stat st;
	ssize_t len;
	int i;

	while (!__atomic_load_n(r->stop, __ATOMIC_RELAXED)) {
		if (wait_readable(r->fan_fd, 10) <= 0)
			continue;
		len = read(r->fan_fd, m, sizeof(m));
		if (len < 0) {
			if (errno != EAGAIN)
				r->errors++;
			continue;
		}
		for (i = 0; i < len / (ssize_t)sizeof(m[0]); i++) {
			if (m[i].mask != FAN_OPEN || m[i].fd < 0 || fstat(m[i].fd, &st))
				r->errors++;
			else if (r->count < NR_EVENTS)
				r->inos[r->count++] = st.st_ino;
			else
				r->errors++;
			if (m[i].fd >= 0)
				close(m[i].fd);
		}
		if (len % sizeof(m[0]))
			r->errors++;
	}
	return NULL;
}

FIXTURE(readers)
{
	FIXTURE_DATA(races) w;
	char files[NR_EVENTS][FILE_PATH_LEN];
};

FIXTURE_VARIANT(readers)
{
	/* Generate the events while the readers run (else before they start). */
	bool concurrent;
};

FIXTURE_SETUP(readers)
{
	int i;

	world_setup(_metadata, &self->w);
	for (i = 0; i < NR_EVENTS; i++) {
		snprintf(self->files[i], FILE_PATH_LEN, "%s/mnt/r%d", self->w.dir, i);
		ASSERT_EQ(0, create_file(self->files[i], "r"));
	}
}

FIXTURE_TEARDOWN(readers)
{
	world_teardown(_metadata, &self->w);
}

/* clang-format off */
FIXTURE_VARIANT_ADD(readers, queued_before) {
	/* clang-format on */
	.concurrent = false,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(readers, concurrent) {
	/* clang-format on */
	.concurrent = true,
};

static int cmp_ino(const void *a, const void *b)
{
	ino_t x = *(const ino_t *)a, y = *(const ino_t *)b;

	return x < y ? -1 : x > y;
}

TEST_F(readers, no_duplicates)
{
	static struct reader r[NR_READERS];
	static ino_t all[NR_EVENTS * NR_READERS];
	int stop = 0;
	int i, j, n = 0, total, tries;

	ASSERT_EQ(0, sys_fanotify_mark(self->w.fan_fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN,
				       AT_FDCWD, self->w.path[T_MNT]));
	if (!variant->concurrent)
		for (i = 0; i < NR_EVENTS; i++)
			ASSERT_EQ(0, open_close_file(self->files[i], O_RDONLY));
	for (i = 0; i < NR_READERS; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].fan_fd = self->w.fan_fd;
		r[i].stop = &stop;
		ASSERT_EQ(0, pthread_create(&r[i].thread, NULL, reader_fn, &r[i]));
	}
	if (variant->concurrent)
		for (i = 0; i < NR_EVENTS; i++)
			ASSERT_EQ(0, open_close_file(self->files[i], O_RDONLY));
	/* Wait until everything is read (at most ~10 s). */
	for (tries = 0; tries < 1000; tries++) {
		total = 0;
		for (i = 0; i < NR_READERS; i++)
			total += __atomic_load_n(&r[i].count, __ATOMIC_RELAXED);
		if (total >= NR_EVENTS)
			break;
		usleep(10 * 1000);
	}
	/* Let a late duplicate show up. */
	usleep(50 * 1000);
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (i = 0; i < NR_READERS; i++)
		ASSERT_EQ(0, pthread_join(r[i].thread, NULL));

	for (i = 0; i < NR_READERS; i++) {
		EXPECT_EQ(0, r[i].errors);
		for (j = 0; j < r[i].count; j++)
			all[n++] = r[i].inos[j];
	}
	EXPECT_EQ(NR_EVENTS, n);
	qsort(all, n, sizeof(all[0]), cmp_ino);
	for (i = 1; i < n; i++)
		EXPECT_NE(all[i - 1], all[i]);
	EXPECT_TRUE(no_event(self->w.fan_fd));
}

/*
 * pid namespaces: the pid in a record is the pid of the process that caused the event as seen
 * from the pid namespace of the reader (pid_vnr() at read time), 0 if it is not visible there.
 */

/* Reads one int from @fd, -1 on error. */
static int read_int(int fd)
{
	int v;

	return read(fd, &v, sizeof(v)) == sizeof(v) ? v : -1;
}

static int write_int(int fd, int v)
{
	return write(fd, &v, sizeof(v)) == sizeof(v) ? 0 : -1;
}

/* An event caused in a child pid namespace, read in the parent namespace. */
TEST_F(races, pidns_event_from_child_ns)
{
	struct fanotify_event_metadata m;
	int pipefd[2], status, inner;
	pid_t pid;

	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD,
				       self->path[T_FILE]));
	ASSERT_EQ(0, pipe2(pipefd, O_CLOEXEC));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pid_t gc;

		if (unshare(CLONE_NEWPID))
			_exit(1);
		gc = fork();
		if (gc < 0)
			_exit(2);
		if (gc == 0) {
			/* pid 1 of the new namespace. */
			if (getpid() != 1)
				_exit(3);
			_exit(open_close_file(self->path[T_FILE], O_RDONLY) ? 4 : 0);
		}
		/* The child still lives in the parent namespace: gc is the outer pid. */
		if (write_int(pipefd[1], gc))
			_exit(5);
		if (waitpid(gc, &status, 0) != gc || !WIFEXITED(status))
			_exit(6);
		_exit(WEXITSTATUS(status));
	}
	close(pipefd[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	inner = read_int(pipefd[0]);
	close(pipefd[0]);
	ASSERT_LT(1, inner);

	ASSERT_EQ(0, read_one_record(self->fan_fd, &m));
	EXPECT_EQ(FAN_OPEN, m.mask);
	EXPECT_EQ(inner, m.pid);
	EXPECT_EQ(0, close(m.fd));
}

/*
 * A listener in a child pid namespace: events caused by the parent namespace report pid 0,
 * events caused by the listener report its pid in its own namespace.  @create_inside chooses
 * whether the group is created inside the namespace or inherited from the parent: only the
 * reader's namespace matters.
 */
static void pidns_listener(struct __test_metadata *const _metadata, FIXTURE_DATA(races) *self,
			   bool create_inside)
{
	int ready[2], go[2], status;
	pid_t pid;

	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	if (!create_inside)
		ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD,
					       self->path[T_FILE]));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pid_t gc;

		if (unshare(CLONE_NEWPID))
			_exit(1);
		gc = fork();
		if (gc < 0)
			_exit(2);
		if (gc == 0) {
			struct fanotify_event_metadata m;
			int fan_fd = self->fan_fd;

			if (create_inside) {
				fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC |
							   FAN_NONBLOCK, O_RDONLY | O_CLOEXEC);
				if (fan_fd < 0 ||
				    sys_fanotify_mark(fan_fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD,
						      self->path[T_FILE]))
					_exit(10);
			}
			if (write_int(ready[1], 0) || read_int(go[0]))
				_exit(11);
			/* The parent opened the file. */
			if (read_one_record(fan_fd, &m))
				_exit(12);
			close(m.fd);
			if (m.mask != FAN_OPEN)
				_exit(13);
			if (m.pid != 0)
				_exit(14);
			/* Our own event. */
			if (open_close_file(self->path[T_FILE], O_RDONLY))
				_exit(15);
			if (read_one_record(fan_fd, &m))
				_exit(16);
			close(m.fd);
			if (m.pid != 1 || getpid() != 1)
				_exit(17);
			_exit(0);
		}
		if (waitpid(gc, &status, 0) != gc || !WIFEXITED(status))
			_exit(3);
		_exit(WEXITSTATUS(status));
	}
	close(ready[1]);
	close(go[0]);
	ASSERT_EQ(0, read_int(ready[0]));
	ASSERT_EQ(0, open_close_file(self->path[T_FILE], O_RDONLY));
	ASSERT_EQ(0, write_int(go[1], 0));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(ready[0]);
	close(go[1]);
}

TEST_F(races, pidns_listener_in_child_ns)
{
	pidns_listener(_metadata, self, true);
}

TEST_F(races, pidns_reader_in_child_ns)
{
	pidns_listener(_metadata, self, false);
}

TEST_HARNESS_MAIN
