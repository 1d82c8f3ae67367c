// SPDX-License-Identifier: GPL-2.0
/*
 * FAN_FS_ERROR on a deliberately corrupted ext4 image: the mark rules (filesystem marks of FID
 * groups only), the event (metadata, FID record of the inode ext4 blames, error record), the
 * merging of further errors into the queued event (error_count, first error kept) and what does
 * not merge.
 *
 * The image is made in the guest with mkfs.ext4 -d and corrupted with debugfs "clri" on a
 * directory entry's inode; ext4_lookup() then reports "deleted inode referenced" against the
 * directory with EFSCORRUPTED, once per lookup (a failed lookup leaves no dentry behind).
 *
 * Behaviour reference: upstream 6.12 do_fanotify_mark() (FAN_FS_ERROR: EINVAL unless
 * FAN_MARK_FILESYSTEM, EINVAL without a FID mode), fanotify_alloc_error_event(),
 * fanotify_merge() and fanotify_error_event_equal() (errors of one filesystem by one thread
 * group merge: err_count++, the first error stays) in fs/notify/fanotify/fanotify.c;
 * fanotify_event_len(), copy_info_records_to_user() (FID record, [pidfd,] error record) and
 * copy_error_info_to_user() in fanotify_user.c; __ext4_error_inode() and ext4_lookup() in
 * fs/ext4.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/statfs.h>
#include <sys/wait.h>

#include "common.h"
#include "ext4_image.h"

#ifndef EFSCORRUPTED
#define EFSCORRUPTED EUCLEAN
#endif
#ifndef FILEID_INVALID
#define FILEID_INVALID 0xff
#endif

#define ERROR_INFO_LEN ((int)sizeof(struct fanotify_event_info_error))

/* Slow kernels (KASAN, TCG) take a while for mkfs and the first ext4 mount. */
#define FSERR_TIMEOUT 300

FIXTURE(fserr)
{
	char base[DIR_PATH_LEN];
	char mnt[DIR_PATH_LEN + 8];
	char dir[FILE_PATH_LEN];
	char bad[FILE_PATH_LEN];
	char good[FILE_PATH_LEN];
	bool mounted;
	int fan_fd;
};

/*
 * The two corruptions: a directory entry whose inode was cleared (an error blamed on the
 * directory inode), or a block bitmap that does not mark its own block (an error blamed on no
 * inode, reported when the bitmap is first read, for a block allocation).  Without flex_bg and
 * resize_inode, the block bitmap of the only group of a 4 MiB, 1 KiB-block image is block 3.
 */
enum corruption {
	CLEARED_INODE,
	BAD_BLOCK_BITMAP,
};

static void world_setup(struct __test_metadata *const _metadata, FIXTURE_DATA(fserr) *self,
			enum corruption kind)
{
	char src[FILE_PATH_LEN], img[FILE_PATH_LEN], path[FILE_PATH_LEN + 16];
	const char *mkfs = find_prog(mkfs_cands), *debugfs = find_prog(debugfs_cands);
	char *mkfs_argv[] = { NULL, "-q", "-F", "-b", "1024", "-O", "^has_journal,^metadata_csum",
			      "-d", NULL, NULL, "4M", NULL };
	char *debugfs_argv[] = { NULL, "-w", "-R", "clri /d/bad", NULL, NULL };
	/* The bitmap must be read (and fail) in the test's context, on the first allocation. */
	const char *opts = "errors=continue";

	self->fan_fd = -1;
	self->mounted = false;
	self->base[0] = '\0';
	ASSERT_NE(NULL, mkfs) TH_LOG("mkfs.ext4 not found (e2fsprogs)");
	ASSERT_NE(NULL, debugfs) TH_LOG("debugfs not found (e2fsprogs)");
	ASSERT_EQ(0, private_mount_ns());
	ASSERT_EQ(0, make_temp_dir(self->base));
	snprintf(src, sizeof(src), "%s/src", self->base);
	snprintf(img, sizeof(img), "%s/img", self->base);
	snprintf(self->mnt, sizeof(self->mnt), "%s/mnt", self->base);
	ASSERT_EQ(0, mkdir(src, 0755));
	ASSERT_EQ(0, mkdir(self->mnt, 0755));
	snprintf(path, sizeof(path), "%s/d", src);
	ASSERT_EQ(0, mkdir(path, 0755));
	snprintf(path, sizeof(path), "%s/d/bad", src);
	ASSERT_EQ(0, create_file(path, "bad\n"));
	snprintf(path, sizeof(path), "%s/d/good", src);
	ASSERT_EQ(0, create_file(path, "good\n"));
	/* No journal, no checksums: the zeroed inode is "deleted", not "bad crc". */
	if (kind == BAD_BLOCK_BITMAP) {
		mkfs_argv[6] = "^has_journal,^metadata_csum,^flex_bg,^resize_inode";
		debugfs_argv[3] = "freeb 3";
		opts = "errors=continue,no_prefetch_block_bitmaps,nodelalloc";
	}
	mkfs_argv[0] = (char *)mkfs;
	mkfs_argv[8] = src;
	mkfs_argv[9] = img;
	ASSERT_EQ(0, run_prog(mkfs_argv, true));
	debugfs_argv[0] = (char *)debugfs;
	debugfs_argv[4] = img;
	ASSERT_EQ(0, run_prog(debugfs_argv, true));
	ASSERT_EQ(0, loop_mount(img, self->mnt, opts));
	self->mounted = true;
	snprintf(self->dir, sizeof(self->dir), "%s/d", self->mnt);
	snprintf(self->bad, sizeof(self->bad), "%s/d/bad", self->mnt);
	snprintf(self->good, sizeof(self->good), "%s/d/good", self->mnt);
}

static void world_teardown(struct __test_metadata *const _metadata, FIXTURE_DATA(fserr) *self)
{
	if (self->fan_fd >= 0)
		close(self->fan_fd);
	if (self->mounted)
		EXPECT_EQ(0, umount2(self->mnt, MNT_DETACH));
	if (self->base[0])
		EXPECT_EQ(0, remove_tree(self->base));
}

FIXTURE_SETUP(fserr)
{
	world_setup(_metadata, self, CLEARED_INODE);
}

FIXTURE_TEARDOWN(fserr)
{
	world_teardown(_metadata, self);
}

/* Looks up the corrupted entry: one ext4 error, EFSCORRUPTED to the caller. */
static int trigger(FIXTURE_DATA(fserr) *self)
{
	struct stat st;

	if (stat(self->bad, &st) == 0)
		return -1;
	return errno == EFSCORRUPTED ? 0 : -1;
}

static int fserr_group(FIXTURE_DATA(fserr) *self, unsigned int flags)
{
	self->fan_fd = sys_fanotify_init(flags | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY);
	if (self->fan_fd < 0)
		return -1;
	return sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_FS_ERROR,
				 AT_FDCWD, self->mnt);
}

/* What a FAN_FS_ERROR event looked like. */
struct fserr_event {
	uint64_t mask;
	int fd;
	pid_t pid;
	int records;
	int error;
	unsigned int error_count;
	/* Record types in order. */
	int types[4];
	bool fid_ok;
	bool error_ok;
	bool pidfd_seen;
};

/*
 * Parses one FAN_FS_ERROR event: the FID record must carry the filesystem's fsid and the
 * handle of @fid_path (or an empty FILEID_INVALID handle if @fid_path is NULL).
 */
static void parse_event(const struct fanotify_event_metadata *m, const char *mnt,
			const char *fid_path, struct fserr_event *e)
{
	const char *p = (const char *)m + m->metadata_len;
	const char *end = (const char *)m + m->event_len;
	struct statfs sfs;

	memset(e, 0, sizeof(*e));
	e->mask = m->mask;
	e->fd = m->fd;
	e->pid = m->pid;
	if (statfs(mnt, &sfs))
		return;
	while (p + sizeof(struct fanotify_event_info_header) <= end) {
		const struct fanotify_event_info_header *h = (const void *)p;

		if (h->len < sizeof(*h) || p + h->len > end)
			return;
		if (e->records < (int)ARRAY_SIZE(e->types))
			e->types[e->records] = h->info_type;
		e->records++;
		if (h->info_type == FAN_EVENT_INFO_TYPE_FID) {
			const struct fanotify_event_info_fid *fid = (const void *)h;
			const struct file_handle *fh = (const void *)fid->handle;
			struct {
				struct file_handle h;
				unsigned char buf[MAX_HANDLE_SZ];
			} want;
			size_t len = (sizeof(*fid) + sizeof(*fh) + fh->handle_bytes + 3) & ~3UL;
			int mount_id;

			e->fid_ok = h->len == len && !memcmp(&fid->fsid, &sfs.f_fsid,
							      sizeof(fid->fsid));
			if (!fid_path) {
				e->fid_ok = e->fid_ok && fh->handle_bytes == 0 &&
					    fh->handle_type == FILEID_INVALID;
			} else {
				want.h.handle_bytes = MAX_HANDLE_SZ;
				if (name_to_handle_at(AT_FDCWD, fid_path, &want.h, &mount_id, 0))
					e->fid_ok = false;
				else
					e->fid_ok = e->fid_ok &&
						    want.h.handle_bytes == fh->handle_bytes &&
						    want.h.handle_type == fh->handle_type &&
						    !memcmp(want.h.f_handle, fh->f_handle,
							    fh->handle_bytes);
			}
		} else if (h->info_type == FAN_EVENT_INFO_TYPE_ERROR) {
			const struct fanotify_event_info_error *er = (const void *)h;

			e->error_ok = h->len == ERROR_INFO_LEN && h->pad == 0;
			e->error = er->error;
			e->error_count = er->error_count;
		} else if (h->info_type == FAN_EVENT_INFO_TYPE_PIDFD) {
			const struct fanotify_event_info_pidfd *pr = (const void *)h;

			e->pidfd_seen = true;
			if (pr->pidfd >= 0)
				close(pr->pidfd);
		}
		p += h->len;
	}
	if (p != end)
		e->records = -1;
}

/* Reads exactly one event into @buf; returns its length or -1. */
static ssize_t read_single(int fan_fd, char *buf)
{
	const struct fanotify_event_metadata *m = (void *)buf;
	ssize_t len = read_events(fan_fd, buf, EVENT_TIMEOUT_MS);

	if (len <= 0 || !FAN_EVENT_OK(m, len) || m->event_len != len)
		return -1;
	return len;
}

/* Mark rules. */

TEST_F_TIMEOUT(fserr, mark_rules, FSERR_TIMEOUT)
{
	int fd;

	/* Not in fd mode, even on a filesystem mark: the event has no path to open. */
	fd = sys_fanotify_init(FAN_CLASS_NOTIF, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_FS_ERROR,
					AT_FDCWD, self->mnt));
	EXPECT_EQ(EINVAL, errno);
	close(fd);

	fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID, O_RDONLY);
	ASSERT_LE(0, fd);
	/* Only on a filesystem mark. */
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD, FAN_FS_ERROR, AT_FDCWD, self->mnt));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD, FAN_FS_ERROR, AT_FDCWD, self->dir));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_FS_ERROR,
					AT_FDCWD, self->mnt));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
				       FAN_FS_ERROR | FAN_CREATE | FAN_ONDIR, AT_FDCWD, self->mnt));
	/* As an ignore mask too (no pool is needed for it). */
	EXPECT_EQ(0, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM | FAN_MARK_IGNORE |
				       FAN_MARK_IGNORED_SURV_MODIFY, FAN_FS_ERROR, AT_FDCWD,
				       self->mnt));
	EXPECT_EQ(0, sys_fanotify_mark(fd, FAN_MARK_REMOVE | FAN_MARK_FILESYSTEM, FAN_FS_ERROR,
				       AT_FDCWD, self->mnt));
	close(fd);
}

/* The event and its records, per reporting mode. */

FIXTURE(fserr_event)
{
	FIXTURE_DATA(fserr) w;
};

FIXTURE_VARIANT(fserr_event)
{
	unsigned int flags;
	/*
	 * Without FAN_REPORT_FID the mark is accepted, but fanotify_group_event_mask() drops
	 * every event that has no directory to report, which FAN_FS_ERROR never has.
	 */
	bool dropped;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(fserr_event, report_fid) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | FAN_REPORT_FID,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(fserr_event, report_dfid_name) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME,
	.dropped = true,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(fserr_event, report_dir_fid) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | FAN_REPORT_DIR_FID,
	.dropped = true,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(fserr_event, report_dfid_name_target) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME_TARGET,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(fserr_event, report_fid_pidfd) {
	/* clang-format on */
	.flags = FAN_CLASS_NOTIF | FAN_REPORT_FID | FAN_REPORT_PIDFD,
};

FIXTURE_SETUP(fserr_event)
{
	world_setup(_metadata, &self->w, CLEARED_INODE);
}

FIXTURE_TEARDOWN(fserr_event)
{
	world_teardown(_metadata, &self->w);
}

TEST_F_TIMEOUT(fserr_event, one_error, FSERR_TIMEOUT)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	bool pidfd = variant->flags & FAN_REPORT_PIDFD;
	struct fserr_event e;
	struct stat st;
	int fid_len;

	ASSERT_EQ(0, fserr_group(&self->w, variant->flags));
	/* Healthy lookups and directory reads report nothing. */
	ASSERT_EQ(0, stat(self->w.good, &st));
	ASSERT_EQ(0, open_close_file(self->w.dir, O_RDONLY | O_DIRECTORY));
	EXPECT_TRUE(no_event(self->w.fan_fd));

	ASSERT_EQ(0, trigger(&self->w));
	if (variant->dropped) {
		EXPECT_TRUE(no_event(self->w.fan_fd));
		return;
	}
	ASSERT_LT(0, read_single(self->w.fan_fd, buf));
	parse_event(m, self->w.mnt, self->w.dir, &e);
	EXPECT_EQ(FAN_FS_ERROR, e.mask);
	EXPECT_EQ(FAN_NOFD, e.fd);
	EXPECT_EQ(getpid(), e.pid);
	/* Upstream order: FID, then pidfd if asked for, then the error record. */
	ASSERT_EQ(pidfd ? 3 : 2, e.records);
	EXPECT_EQ(FAN_EVENT_INFO_TYPE_FID, e.types[0]);
	EXPECT_EQ(pidfd ? FAN_EVENT_INFO_TYPE_PIDFD : FAN_EVENT_INFO_TYPE_ERROR, e.types[1]);
	if (pidfd)
		EXPECT_EQ(FAN_EVENT_INFO_TYPE_ERROR, e.types[2]);
	/* The blamed inode is the directory holding the dangling entry. */
	EXPECT_TRUE(e.fid_ok);
	EXPECT_TRUE(e.error_ok);
	EXPECT_EQ(EFSCORRUPTED, e.error);
	EXPECT_EQ(1, e.error_count);
	fid_len = ((const struct fanotify_event_info_header *)(m + 1))->len;
	EXPECT_EQ(FAN_EVENT_METADATA_LEN + fid_len + ERROR_INFO_LEN +
		  (pidfd ? (int)sizeof(struct fanotify_event_info_pidfd) : 0), m->event_len);
	EXPECT_TRUE(no_event(self->w.fan_fd));
}

/* Further errors merge into the queued event; a read starts a new one. */
TEST_F_TIMEOUT(fserr, error_count, FSERR_TIMEOUT)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	struct fserr_event e;
	int i;

	ASSERT_EQ(0, fserr_group(self, FAN_CLASS_NOTIF | FAN_REPORT_FID));
	for (i = 0; i < 5; i++)
		ASSERT_EQ(0, trigger(self));
	ASSERT_LT(0, read_single(self->fan_fd, buf));
	parse_event(m, self->mnt, self->dir, &e);
	EXPECT_EQ(FAN_FS_ERROR, e.mask);
	EXPECT_EQ(2, e.records);
	EXPECT_TRUE(e.fid_ok);
	EXPECT_EQ(EFSCORRUPTED, e.error);
	EXPECT_EQ(5, e.error_count);
	EXPECT_TRUE(no_event(self->fan_fd));

	ASSERT_EQ(0, trigger(self));
	ASSERT_LT(0, read_single(self->fan_fd, buf));
	parse_event(m, self->mnt, self->dir, &e);
	EXPECT_EQ(1, e.error_count);
	EXPECT_EQ(EFSCORRUPTED, e.error);
}

/*
 * A listener that closes its group with an error event queued, and a second group on the same
 * filesystem that keeps its own: the first group's event and pool go with it (the debug
 * kernel's kmemleak scan checks that), the second still reads its error, and the filesystem
 * then unmounts normally.
 */
TEST_F_TIMEOUT(fserr, close_with_error_queued, FSERR_TIMEOUT)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	struct fserr_event e;
	int first;

	ASSERT_EQ(0, fserr_group(self, FAN_CLASS_NOTIF | FAN_REPORT_FID));
	first = self->fan_fd;
	ASSERT_EQ(0, fserr_group(self, FAN_CLASS_NOTIF | FAN_REPORT_FID));
	ASSERT_EQ(0, trigger(self));
	ASSERT_EQ(0, trigger(self));
	ASSERT_EQ(0, close(first));

	ASSERT_LT(0, read_single(self->fan_fd, buf));
	parse_event(m, self->mnt, self->dir, &e);
	EXPECT_EQ(FAN_FS_ERROR, e.mask);
	EXPECT_EQ(2, e.error_count);
	ASSERT_EQ(0, close(self->fan_fd));
	self->fan_fd = -1;
	/* Not lazy: nothing of either group may keep the filesystem busy. */
	ASSERT_EQ(0, umount2(self->mnt, 0));
	self->mounted = false;
}

/*
 * Error events merge only within one thread group (the pid is part of the merge key): errors
 * by a child and by us are two events, each counted on its own.
 */
TEST_F_TIMEOUT(fserr, other_process_not_merged, FSERR_TIMEOUT)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	int status, n = 0, child_count = 0, own_count = 0;
	const struct fanotify_event_metadata *m;
	struct fserr_event e;
	ssize_t len;
	pid_t pid;

	ASSERT_EQ(0, fserr_group(self, FAN_CLASS_NOTIF | FAN_REPORT_FID));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(trigger(self) || trigger(self) ? 1 : 0);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
	ASSERT_EQ(0, trigger(self));
	len = read_events(self->fan_fd, buf, EVENT_TIMEOUT_MS);
	ASSERT_LT(0, len);
	for (m = (void *)buf; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
		n++;
		parse_event(m, self->mnt, self->dir, &e);
		EXPECT_EQ(FAN_FS_ERROR, e.mask);
		EXPECT_TRUE(e.fid_ok);
		EXPECT_EQ(EFSCORRUPTED, e.error);
		if (e.pid == pid)
			child_count += e.error_count;
		else if (e.pid == getpid())
			own_count += e.error_count;
	}
	EXPECT_EQ(2, n);
	EXPECT_EQ(2, child_count);
	EXPECT_EQ(1, own_count);
}

/* Errors of a filesystem without the mark are not reported; removing the mark stops them. */
TEST_F_TIMEOUT(fserr, mark_scope, FSERR_TIMEOUT)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	int fd;

	/* A filesystem mark on another filesystem (/tmp) sees nothing of this one. */
	fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_FID | FAN_NONBLOCK, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_FS_ERROR,
				       AT_FDCWD, self->base));
	ASSERT_EQ(0, fserr_group(self, FAN_CLASS_NOTIF | FAN_REPORT_FID));
	ASSERT_EQ(0, trigger(self));
	EXPECT_TRUE(no_event(fd));
	ASSERT_LT(0, read_single(self->fan_fd, buf));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_REMOVE | FAN_MARK_FILESYSTEM,
				       FAN_FS_ERROR, AT_FDCWD, self->mnt));
	ASSERT_EQ(0, trigger(self));
	EXPECT_TRUE(no_event(self->fan_fd));
	close(fd);
}

/* An error without an inode: the FID record has the fsid and an empty, invalid handle. */
FIXTURE(sb_error)
{
	FIXTURE_DATA(fserr) w;
};

FIXTURE_SETUP(sb_error)
{
	world_setup(_metadata, &self->w, BAD_BLOCK_BITMAP);
}

FIXTURE_TEARDOWN(sb_error)
{
	world_teardown(_metadata, &self->w);
}

TEST_F_TIMEOUT(sb_error, no_inode, FSERR_TIMEOUT)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	const struct fanotify_event_metadata *m = (void *)buf;
	const struct fanotify_event_info_fid *fid = (const void *)(m + 1);
	char path[FILE_PATH_LEN + 8], data[4096];
	struct fserr_event e;
	int fd;

	ASSERT_EQ(0, fserr_group(&self->w, FAN_CLASS_NOTIF | FAN_REPORT_FID));
	snprintf(path, sizeof(path), "%s/new", self->w.dir);
	memset(data, 'x', sizeof(data));
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	ASSERT_LE(0, fd);
	/* The allocation fails one way or another; only the report matters here. */
	if (write(fd, data, sizeof(data)) == sizeof(data))
		fsync(fd);
	close(fd);
	ASSERT_LT(0, read_single(self->w.fan_fd, buf));
	parse_event(m, self->w.mnt, NULL, &e);
	EXPECT_EQ(FAN_FS_ERROR, e.mask);
	EXPECT_EQ(FAN_NOFD, e.fd);
	EXPECT_EQ(getpid(), e.pid);
	ASSERT_EQ(2, e.records);
	EXPECT_EQ(FAN_EVENT_INFO_TYPE_FID, e.types[0]);
	EXPECT_EQ(FAN_EVENT_INFO_TYPE_ERROR, e.types[1]);
	EXPECT_TRUE(e.fid_ok);
	/* Header, fsid and an 8-byte struct file_handle with no handle bytes. */
	EXPECT_EQ(sizeof(*fid) + sizeof(struct file_handle), fid->hdr.len);
	EXPECT_TRUE(e.error_ok);
	EXPECT_EQ(EFSCORRUPTED, e.error);
	EXPECT_LE(1, e.error_count);
	EXPECT_EQ(FAN_EVENT_METADATA_LEN + fid->hdr.len + ERROR_INFO_LEN, m->event_len);
}

TEST_HARNESS_MAIN
