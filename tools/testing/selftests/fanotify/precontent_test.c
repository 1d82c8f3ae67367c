// SPDX-License-Identifier: GPL-2.0
/*
 * Pre-content events (upstream 6.14): FAN_PRE_ACCESS, its range record and
 * FAN_DENY_ERRNO().
 *
 * The test plays a hierarchical storage manager.  A file on an ext4 loop
 * mount is "offline": its size is right but its blocks are holes, the real
 * content is kept in this program.  Accesses are made by child processes;
 * the test reads their FAN_PRE_ACCESS events, writes the requested range
 * into the file through the event's fd (from inside the handler, while the
 * child waits) and allows the access, or fails it with EAGAIN while
 * "offline".  The child checks that it sees the served content.
 *
 * On the stock 6.12 kernel every test skips after checking that the mark is
 * refused with EINVAL and FAN_DENY_ERRNO() too (upstream 6.12's answers).
 */

#define _GNU_SOURCE
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "ext4_image.h"
#include "perm_common.h"

#ifndef FAN_PRE_ACCESS
#define FAN_PRE_ACCESS		0x00100000
#endif
#ifndef FAN_EVENT_INFO_TYPE_RANGE
#define FAN_EVENT_INFO_TYPE_RANGE	6
struct fanotify_event_info_range {
	struct fanotify_event_info_header hdr;
	__u32 pad;
	__u64 offset;
	__u64 count;
};
#endif
#ifndef FAN_DENY_ERRNO
#define FAN_ERRNO_BITS	8
#define FAN_ERRNO_SHIFT	(32 - FAN_ERRNO_BITS)
#define FAN_ERRNO_MASK	((1 << FAN_ERRNO_BITS) - 1)
#define FAN_DENY_ERRNO(err) \
	(FAN_DENY | ((((__u32)(err)) & FAN_ERRNO_MASK) << FAN_ERRNO_SHIFT))
#endif

#define ACCESS_BITS	(FAN_ALLOW | FAN_DENY)

#define PG		4096
#define FILE_PAGES	3
#define FILE_SIZE	(FILE_PAGES * PG)

/* What a child reports when it saw other bytes than the served content. */
#define CHILD_BAD_DATA	200

/* The content kept "elsewhere": byte i of the file is content_byte(i). */
static unsigned char content_byte(off_t i)
{
	return 'a' + i % 23;
}

enum access_op {
	OP_READ,	/* pread() 100 bytes at 5000 */
	OP_WRITE,	/* pwrite() 10 bytes at 100 */
	OP_MMAP,	/* mmap() the whole file, check every byte */
	OP_MMAP_PAGE,	/* mmap() the second page only */
	OP_FTRUNCATE,	/* ftruncate() to 5000 */
	OP_TRUNCATE,	/* truncate() to 2 pages */
	OP_READDIR,	/* getdents() of the directory */
};

FIXTURE(precontent) {
	char base[DIR_PATH_LEN];
	char mnt[DIR_PATH_LEN + 8];
	char file[FILE_PATH_LEN];
	char dir[FILE_PATH_LEN];
	bool mounted;
	int fan;
};

static int check_bytes(const unsigned char *p, off_t off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != content_byte(off + i))
			return CHILD_BAD_DATA;
	return 0;
}

/* The child's access; its exit code is 0, the errno of the failed call, or CHILD_BAD_DATA. */
static int child_access(enum access_op op, const char *file, const char *dir)
{
	unsigned char buf[100];
	struct dirent *de;
	unsigned char *map;
	DIR *d;
	int fd, ret;

	if (op == OP_TRUNCATE)
		return truncate(file, 2 * PG) ? errno : 0;
	if (op == OP_READDIR) {
		d = opendir(dir);
		if (!d)
			return errno;
		errno = 0;
		de = readdir(d);
		ret = de ? 0 : (errno ? errno : ENOENT);
		closedir(d);
		return ret;
	}
	fd = open(file, op == OP_READ || op == OP_MMAP || op == OP_MMAP_PAGE ? O_RDONLY : O_RDWR);
	if (fd < 0)
		return errno;
	switch (op) {
	case OP_READ:
		if (pread(fd, buf, sizeof(buf), 5000) != sizeof(buf))
			return errno ? errno : EIO;
		return check_bytes(buf, 5000, sizeof(buf));
	case OP_WRITE:
		return pwrite(fd, "0123456789", 10, 100) == 10 ? 0 : errno;
	case OP_MMAP:
		map = mmap(NULL, FILE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED)
			return errno;
		return check_bytes(map, 0, FILE_SIZE);
	case OP_MMAP_PAGE:
		map = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, PG);
		if (map == MAP_FAILED)
			return errno;
		return check_bytes(map, PG, PG);
	case OP_FTRUNCATE:
		return ftruncate(fd, 5000) ? errno : 0;
	default:
		/* Every operation is handled above. */
		abort();
	}
}

static pid_t spawn(enum access_op op, FIXTURE_DATA(precontent) *self)
{
	pid_t pid = fork();

	if (pid == 0) {
		close(self->fan);
		_exit(child_access(op, self->file, self->dir));
	}
	return pid;
}

/* One event as a storage manager sees it. */
struct pre_event {
	struct fanotify_event_metadata m;
	bool has_range;
	struct fanotify_event_info_range range;
};

/*
 * Reads one record: the metadata and at most one range record, which must be the only info
 * record.  Returns 0, or -1 (nothing in time, or a malformed record).
 */
static int read_pre_event(int fan, struct pre_event *ev)
{
	char buf[256];
	ssize_t len;

	memset(ev, 0, sizeof(*ev));
	if (wait_readable(fan, EVENT_TIMEOUT_MS) != 1)
		return -1;
	len = read(fan, buf, sizeof(buf));
	if (len < (ssize_t)sizeof(ev->m))
		return -1;
	memcpy(&ev->m, buf, sizeof(ev->m));
	if (ev->m.event_len != len || ev->m.vers != FANOTIFY_METADATA_VERSION)
		return -1;
	if (len == sizeof(ev->m))
		return 0;
	if (len != sizeof(ev->m) + sizeof(ev->range))
		return -1;
	memcpy(&ev->range, buf + sizeof(ev->m), sizeof(ev->range));
	ev->has_range = true;
	return 0;
}

/* Writes the real content of [off, off + count) into the file through the event's fd. */
static int serve(int fd, off_t off, size_t count)
{
	unsigned char buf[FILE_SIZE];
	size_t i;

	if (off >= FILE_SIZE)
		return 0;
	if (off + count > FILE_SIZE)
		count = FILE_SIZE - off;
	for (i = 0; i < count; i++)
		buf[i] = content_byte(off + i);
	return pwrite(fd, buf, count, off) == (ssize_t)count ? 0 : -1;
}

/* A response with an audit rule record: with FAN_NOFD it only validates @response. */
static ssize_t probe_response(int fan, uint32_t response)
{
	struct response_with_rule b;

	fill_response_with_rule(&b, FAN_NOFD, response);
	return write(fan, &b, sizeof(b));
}

FIXTURE_SETUP(precontent)
{
	char *argv[] = { NULL, "-q", "-F", "-b", "1024", "-O", "^has_journal", NULL, "8M", NULL };
	const char *mkfs = find_prog(mkfs_cands);
	char img[DIR_PATH_LEN + 8];
	int fd, ret;

	self->mounted = false;
	self->fan = -1;
	self->base[0] = '\0';
	ASSERT_NE(NULL, mkfs) TH_LOG("mkfs.ext4 not found (e2fsprogs)");
	ASSERT_EQ(0, private_mount_ns());
	ASSERT_EQ(0, make_temp_dir(self->base));
	snprintf(img, sizeof(img), "%s/img", self->base);
	snprintf(self->mnt, sizeof(self->mnt), "%s/mnt", self->base);
	snprintf(self->dir, sizeof(self->dir), "%s/dir", self->mnt);
	snprintf(self->file, sizeof(self->file), "%s/dir/data", self->mnt);
	ASSERT_EQ(0, mkdir(self->mnt, 0755));
	argv[0] = (char *)mkfs;
	argv[7] = img;
	ASSERT_EQ(0, run_prog(argv, false));
	ASSERT_EQ(0, loop_mount(img, self->mnt, NULL));
	self->mounted = true;
	ASSERT_EQ(0, mkdir(self->dir, 0755));
	/* Offline: the right size, holes for content. */
	fd = open(self->file, O_CREAT | O_RDWR | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, FILE_SIZE));
	close(fd);

	self->fan = sys_fanotify_init(FAN_CLASS_PRE_CONTENT | FAN_CLOEXEC, O_RDWR | O_LARGEFILE);
	ASSERT_LE(0, self->fan);
	ret = sys_fanotify_mark(self->fan, FAN_MARK_ADD, FAN_PRE_ACCESS, AT_FDCWD, self->file);
	if (kernel_is_stock()) {
		/* Upstream 6.12 knows neither the event nor the errno byte. */
		ASSERT_EQ(-1, ret);
		ASSERT_EQ(EINVAL, errno);
		ASSERT_EQ(-1, probe_response(self->fan, FAN_DENY_ERRNO(EAGAIN) | FAN_INFO));
		ASSERT_EQ(EINVAL, errno);
		ASSERT_EQ(sizeof(struct response_with_rule),
			  probe_response(self->fan, FAN_DENY | FAN_INFO));
		SKIP(return, "pre-content events are upstream 6.14; refused with EINVAL here");
	}
	ASSERT_EQ(0, ret);
}

FIXTURE_TEARDOWN(precontent)
{
	if (self->fan >= 0)
		close(self->fan);
	if (self->mounted)
		umount2(self->mnt, MNT_DETACH);
	if (self->base[0])
		remove_tree(self->base);
}

/*
 * Answers one access of @op: checks its event (FAN_PRE_ACCESS with the range [@off, @off +
 * @count), or no range if @count is -1), serves the range, answers @response and returns the
 * child's exit code.
 */
static int handle_one(struct __test_metadata *_metadata, FIXTURE_DATA(precontent) *self,
		      enum access_op op, long long off, long long count, uint32_t response)
{
	struct pre_event ev;
	pid_t pid = spawn(op, self);
	int ret;

	EXPECT_LT(0, pid);
	if (pid <= 0)
		return -1;
	if (read_pre_event(self->fan, &ev)) {
		kill_child(pid);
		EXPECT_TRUE(false) TH_LOG("no FAN_PRE_ACCESS event for op %d", op);
		return -1;
	}
	EXPECT_EQ(pid, ev.m.pid);
	EXPECT_LE(0, ev.m.fd);
	EXPECT_EQ(count < 0, !ev.has_range);
	if (count >= 0 && ev.has_range) {
		EXPECT_EQ(FAN_EVENT_INFO_TYPE_RANGE, ev.range.hdr.info_type);
		EXPECT_EQ(0, ev.range.hdr.pad);
		EXPECT_EQ(sizeof(ev.range), ev.range.hdr.len);
		EXPECT_EQ(0, ev.range.pad);
		EXPECT_EQ(off, ev.range.offset);
		EXPECT_EQ(count, ev.range.count);
		/* The listener writes the file while the access waits for it. */
		if ((response & ACCESS_BITS) == FAN_ALLOW)
			EXPECT_EQ(0, serve(ev.m.fd, ev.range.offset, ev.range.count));
	}
	EXPECT_EQ(sizeof(struct fanotify_response), respond(self->fan, ev.m.fd, response));
	if (ev.m.fd >= 0)
		close(ev.m.fd);
	ret = wait_child(pid, CHILD_EXIT_TIMEOUT_MS);
	if (ret == CHILD_TIMEOUT)
		kill_child(pid);
	return ret;
}

TEST_F(precontent, serve_on_first_read)
{
	char buf[100];
	int fd;

	/* The read asks for the page around bytes 5000..5099, sees what was served there. */
	ASSERT_EQ(0, handle_one(_metadata, self, OP_READ, PG, PG, FAN_ALLOW));
	/* Once resident, the storage manager lets go of the file: reads are plain reads. */
	ASSERT_EQ(0, sys_fanotify_mark(self->fan, FAN_MARK_REMOVE, FAN_PRE_ACCESS, AT_FDCWD,
				       self->file));
	fd = open(self->file, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(sizeof(buf), pread(fd, buf, sizeof(buf), 5000));
	ASSERT_EQ(0, check_bytes((unsigned char *)buf, 5000, sizeof(buf)));
	close(fd);
	ASSERT_TRUE(no_event(self->fan));
}

TEST_F(precontent, serve_on_mmap)
{
	/* Asked once, at mmap() time, for the whole mapped range; faults ask nothing. */
	ASSERT_EQ(0, handle_one(_metadata, self, OP_MMAP, 0, FILE_SIZE, FAN_ALLOW));
	ASSERT_TRUE(no_event(self->fan));
}

TEST_F(precontent, serve_on_mmap_of_one_page)
{
	ASSERT_EQ(0, handle_one(_metadata, self, OP_MMAP_PAGE, PG, PG, FAN_ALLOW));
	ASSERT_TRUE(no_event(self->fan));
}

TEST_F(precontent, write_asks_first)
{
	char buf[10];
	int fd;

	/* A write of bytes 100..109 asks for the first page: the rest of it must be filled. */
	ASSERT_EQ(0, handle_one(_metadata, self, OP_WRITE, 0, PG, FAN_ALLOW));
	/* Our own reads would ask us: let go of the file first. */
	ASSERT_EQ(0, sys_fanotify_mark(self->fan, FAN_MARK_REMOVE, FAN_PRE_ACCESS, AT_FDCWD,
				       self->file));
	fd = open(self->file, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(sizeof(buf), pread(fd, buf, sizeof(buf), 100));
	ASSERT_EQ(0, memcmp(buf, "0123456789", sizeof(buf)));
	ASSERT_EQ(sizeof(buf), pread(fd, buf, sizeof(buf), 0));
	ASSERT_EQ(0, check_bytes((unsigned char *)buf, 0, sizeof(buf)));
	close(fd);
}

TEST_F(precontent, ftruncate_asks_for_what_it_keeps)
{
	struct stat st;

	/* The new size 5000 keeps part of the second page. */
	ASSERT_EQ(0, handle_one(_metadata, self, OP_FTRUNCATE, PG, PG, FAN_ALLOW));
	ASSERT_EQ(0, stat(self->file, &st));
	ASSERT_EQ(5000, st.st_size);
}

TEST_F(precontent, truncate_at_a_page_boundary)
{
	struct stat st;

	ASSERT_EQ(0, handle_one(_metadata, self, OP_TRUNCATE, 2 * PG, 0, FAN_ALLOW));
	ASSERT_EQ(0, stat(self->file, &st));
	ASSERT_EQ(2 * PG, st.st_size);
}

/* While the storage is offline, every access fails with EAGAIN, and the file is unchanged. */
TEST_F(precontent, offline_eagain)
{
	static const enum access_op ops[] = { OP_READ, OP_WRITE, OP_MMAP, OP_FTRUNCATE,
					      OP_TRUNCATE };
	static const long long off[] = { PG, 0, 0, PG, 2 * PG };
	static const long long count[] = { PG, PG, FILE_SIZE, PG, 0 };
	struct stat st;
	int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++)
		EXPECT_EQ(EAGAIN, handle_one(_metadata, self, ops[i], off[i], count[i],
					     FAN_DENY_ERRNO(EAGAIN)))
			TH_LOG("op %d", ops[i]);
	ASSERT_EQ(0, stat(self->file, &st));
	ASSERT_EQ(FILE_SIZE, st.st_size);
}

TEST_F(precontent, deny_errno_reaches_the_reader)
{
	static const int errs[] = { EIO, ENOSPC, EDQUOT };
	int i;

	for (i = 0; i < ARRAY_SIZE(errs); i++)
		EXPECT_EQ(errs[i], handle_one(_metadata, self, OP_READ, PG, PG,
					      FAN_DENY_ERRNO(errs[i])));
	/* A plain denial is EPERM, as ever. */
	EXPECT_EQ(EPERM, handle_one(_metadata, self, OP_READ, PG, PG, FAN_DENY));
}

TEST_F(precontent, directory_read_has_no_range)
{
	/* A directory cannot be opened for writing: this listener asks for read-only fds. */
	close(self->fan);
	self->fan = sys_fanotify_init(FAN_CLASS_PRE_CONTENT | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, self->fan);
	ASSERT_EQ(0, sys_fanotify_mark(self->fan, FAN_MARK_ADD, FAN_PRE_ACCESS | FAN_ONDIR,
				       AT_FDCWD, self->dir));
	ASSERT_EQ(0, handle_one(_metadata, self, OP_READDIR, 0, -1, FAN_ALLOW));
}

/* Pre-content events come first, so that FAN_ACCESS_PERM listeners see the served content. */
TEST_F(precontent, before_access_perm)
{
	struct pre_event ev, ev2;
	pid_t pid;

	ASSERT_EQ(0, sys_fanotify_mark(self->fan, FAN_MARK_ADD, FAN_ACCESS_PERM, AT_FDCWD,
				       self->file));
	pid = spawn(OP_READ, self);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, read_pre_event(self->fan, &ev));
	ASSERT_EQ(FAN_PRE_ACCESS, ev.m.mask);
	ASSERT_TRUE(ev.has_range);
	ASSERT_TRUE(no_event(self->fan));
	ASSERT_EQ(0, serve(ev.m.fd, ev.range.offset, ev.range.count));
	ASSERT_EQ(sizeof(struct fanotify_response), respond(self->fan, ev.m.fd, FAN_ALLOW));
	ASSERT_EQ(0, read_pre_event(self->fan, &ev2));
	/* The access event has no range record. */
	ASSERT_EQ(FAN_ACCESS_PERM, ev2.m.mask);
	ASSERT_FALSE(ev2.has_range);
	ASSERT_EQ(sizeof(struct fanotify_response), respond(self->fan, ev2.m.fd, FAN_ALLOW));
	close(ev.m.fd);
	close(ev2.m.fd);
	ASSERT_EQ(0, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
}

/*
 * Events with and without a range, one after the other in one group: each gets the record of
 * its own kind (ours reuses a group's last permission event for its next one; an event with a
 * range is larger than one without).
 */
TEST_F(precontent, kinds_alternate)
{
	struct pre_event ev, ev2;
	int round;
	pid_t pid;

	ASSERT_EQ(0, sys_fanotify_mark(self->fan, FAN_MARK_ADD, FAN_ACCESS_PERM, AT_FDCWD,
				       self->file));
	for (round = 0; round < 4; round++) {
		pid = spawn(OP_READ, self);
		ASSERT_LT(0, pid);
		ASSERT_EQ(0, read_pre_event(self->fan, &ev));
		ASSERT_EQ(FAN_PRE_ACCESS, ev.m.mask);
		ASSERT_TRUE(ev.has_range);
		ASSERT_EQ(PG, ev.range.offset);
		ASSERT_EQ(PG, ev.range.count);
		ASSERT_EQ(0, serve(ev.m.fd, ev.range.offset, ev.range.count));
		ASSERT_EQ(sizeof(struct fanotify_response),
			  respond(self->fan, ev.m.fd, FAN_ALLOW));
		ASSERT_EQ(0, read_pre_event(self->fan, &ev2));
		ASSERT_EQ(FAN_ACCESS_PERM, ev2.m.mask);
		ASSERT_FALSE(ev2.has_range);
		ASSERT_EQ(pid, ev2.m.pid);
		ASSERT_EQ(sizeof(struct fanotify_response),
			  respond(self->fan, ev2.m.fd, FAN_ALLOW));
		close(ev.m.fd);
		close(ev2.m.fd);
		ASSERT_EQ(0, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
	}
	ASSERT_TRUE(no_event(self->fan));
}

TEST_F(precontent, mark_errors)
{
	char path[FILE_PATH_LEN + 8];
	int fan;

	/* Only a FAN_CLASS_PRE_CONTENT group. */
	fan = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, fan);
	ASSERT_EQ(-1, sys_fanotify_mark(fan, FAN_MARK_ADD, FAN_PRE_ACCESS, AT_FDCWD, self->file));
	ASSERT_EQ(EINVAL, errno);
	close(fan);
	fan = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, fan);
	ASSERT_EQ(-1, sys_fanotify_mark(fan, FAN_MARK_ADD, FAN_PRE_ACCESS, AT_FDCWD, self->file));
	ASSERT_EQ(EINVAL, errno);
	close(fan);

	/* Only regular files and directories have content to fill in. */
	snprintf(path, sizeof(path), "%s/fifo", self->dir);
	ASSERT_EQ(0, mkfifo(path, 0600));
	ASSERT_EQ(-1, sys_fanotify_mark(self->fan, FAN_MARK_ADD, FAN_PRE_ACCESS, AT_FDCWD, path));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(0, sys_fanotify_mark(self->fan, FAN_MARK_ADD, FAN_PRE_ACCESS, AT_FDCWD,
				       self->dir));
	/* Mount and filesystem marks on a filesystem that allows it. */
	ASSERT_EQ(0, sys_fanotify_mark(self->fan, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_PRE_ACCESS,
				       AT_FDCWD, self->mnt));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
				       FAN_PRE_ACCESS, AT_FDCWD, self->mnt));

	/* A filesystem that does not allow pre-content events (tmpfs) refuses them. */
	snprintf(path, sizeof(path), "%s/tmpfs", self->base);
	ASSERT_EQ(0, mkdir(path, 0755));
	ASSERT_EQ(0, mount_tmpfs(path));
	ASSERT_EQ(-1, sys_fanotify_mark(self->fan, FAN_MARK_ADD, FAN_PRE_ACCESS, AT_FDCWD, path));
	ASSERT_EQ(EOPNOTSUPP, errno);
	ASSERT_EQ(-1, sys_fanotify_mark(self->fan, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
					FAN_PRE_ACCESS, AT_FDCWD, path));
	ASSERT_EQ(EOPNOTSUPP, errno);
	/* Other permission events stay allowed there. */
	ASSERT_EQ(0, sys_fanotify_mark(self->fan, FAN_MARK_ADD, FAN_ACCESS_PERM, AT_FDCWD, path));
	umount2(path, MNT_DETACH);
}

TEST_F(precontent, deny_errno_probe)
{
	static const int allowed[] = { EPERM, EIO, EBUSY, ETXTBSY, EAGAIN, ENOSPC, EDQUOT };
	static const int refused[] = { ENOENT, EINVAL, EINTR, EACCES, 255 };
	int i, fan;

	/* FAN_NOFD with an info record validates the response, and applies it to nothing. */
	for (i = 0; i < ARRAY_SIZE(allowed); i++)
		EXPECT_EQ(sizeof(struct response_with_rule),
			  probe_response(self->fan, FAN_DENY_ERRNO(allowed[i]) | FAN_INFO))
			TH_LOG("errno %d", allowed[i]);
	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		EXPECT_EQ(-1, probe_response(self->fan, FAN_DENY_ERRNO(refused[i]) | FAN_INFO));
		EXPECT_EQ(EINVAL, errno) TH_LOG("errno %d", refused[i]);
	}
	/* An errno goes with a denial only. */
	ASSERT_EQ(-1, probe_response(self->fan, FAN_ALLOW | (EAGAIN << FAN_ERRNO_SHIFT) |
						FAN_INFO));
	ASSERT_EQ(EINVAL, errno);
	/* Without an info record FAN_NOFD is no event: EINVAL, as for any response. */
	ASSERT_EQ(-1, respond(self->fan, FAN_NOFD, FAN_DENY_ERRNO(EAGAIN)));
	ASSERT_EQ(EINVAL, errno);
	/* An event that is not pending: ENOENT, as for FAN_DENY. */
	ASSERT_EQ(-1, respond(self->fan, 1000, FAN_DENY_ERRNO(EAGAIN)));
	ASSERT_EQ(ENOENT, errno);

	/* Only a pre-content group chooses the errno. */
	fan = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, fan);
	ASSERT_EQ(-1, probe_response(fan, FAN_DENY_ERRNO(EAGAIN) | FAN_INFO));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(sizeof(struct response_with_rule), probe_response(fan, FAN_DENY | FAN_INFO));
	close(fan);
}

TEST_HARNESS_MAIN
