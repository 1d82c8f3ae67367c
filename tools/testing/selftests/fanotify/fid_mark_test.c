// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify_mark() in FID groups: the errors specific to FID modes, and what each filesystem of
 * the test guest allows, according to its fsid and its file handle support: tmpfs and ext4
 * (decodable handles), the 9p root, procfs and ramfs (no export operations: handles can be
 * encoded, not decoded), overlayfs without and with nfs_export.
 *
 * Behaviour reference: upstream 6.12 do_fanotify_mark(), fanotify_events_supported(),
 * fanotify_test_fsid(), fanotify_test_fid() and fanotify_set_mark_fsid() in
 * fs/notify/fanotify/fanotify_user.c; exportfs_can_encode_fid()/exportfs_can_decode_fh() in
 * include/linux/exportfs.h.
 *
 * Not covered because this guest cannot provoke it: ENODEV (a zero fsid; since simple_statfs()
 * reports the device number every filesystem here has a nonzero fsid, fuse is not configured)
 * and EXDEV (a "weak" fsid: zero, or a btrfs subvolume whose fsid differs from its root's).
 */

#include "fid_common.h"

enum target {
	T_ROOT,
	T_DIR,
	T_FILE,
	T_COUNT,
};

FIXTURE(fmark)
{
	char dir[DIR_PATH_LEN];
	char path[T_COUNT][FILE_PATH_LEN];
};

FIXTURE_VARIANT(fmark)
{
	unsigned int init_flags;
	unsigned int mark_flags;
	uint64_t mask;
	enum target target;
	int expected_errno;
};

FIXTURE_SETUP(fmark)
{
	ASSERT_EQ(0, setup_private_tmpfs(self->dir));
	snprintf(self->path[T_ROOT], FILE_PATH_LEN, "%s", self->dir);
	snprintf(self->path[T_DIR], FILE_PATH_LEN, "%s/d", self->dir);
	snprintf(self->path[T_FILE], FILE_PATH_LEN, "%s/d/file", self->dir);
	ASSERT_EQ(0, mkdir(self->path[T_DIR], 0755));
	ASSERT_EQ(0, create_file(self->path[T_FILE], "file\n"));
}

FIXTURE_TEARDOWN(fmark)
{
	EXPECT_EQ(0, teardown_private_tmpfs(self->dir));
}

#define FMARK(_name, _init, _flags, _mask, _target, _errno)			\
	FIXTURE_VARIANT_ADD(fmark, _name) {					\
		.init_flags = (_init), .mark_flags = (_flags), .mask = (_mask),	\
		.target = (_target), .expected_errno = (_errno),		\
	}

#define ADD FAN_MARK_ADD
#define MNT (FAN_MARK_ADD | FAN_MARK_MOUNT)
#define SB (FAN_MARK_ADD | FAN_MARK_FILESYSTEM)
#define TGT FAN_REPORT_DFID_NAME_TARGET
#define IGN_SURV (FAN_MARK_ADD | FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY)
/* Every event a FID group can ask for, FAN_FS_ERROR aside. */
#define ALL_FID_EVENTS							\
	(FAN_ACCESS | FAN_MODIFY | FAN_ATTRIB | FAN_CLOSE | FAN_OPEN |	\
	 FAN_OPEN_EXEC | FAN_MOVED_FROM | FAN_MOVED_TO | FAN_CREATE |	\
	 FAN_DELETE | FAN_DELETE_SELF | FAN_MOVE_SELF | FAN_RENAME |	\
	 FAN_ONDIR | FAN_EVENT_ON_CHILD)

/* Events without a path to report are never allowed on mount marks, even in FID groups. */
FMARK(mount_create, FAN_REPORT_FID, MNT, FAN_CREATE, T_ROOT, EINVAL);
FMARK(mount_attrib, FAN_REPORT_DFID_NAME, MNT, FAN_ATTRIB, T_ROOT, EINVAL);
FMARK(mount_delete_self, FAN_REPORT_FID, MNT, FAN_DELETE_SELF, T_ROOT, EINVAL);
FMARK(mount_moved_from, FAN_REPORT_DFID_NAME_TARGET, MNT, FAN_MOVED_FROM, T_ROOT, EINVAL);
FMARK(mount_rename, FAN_REPORT_DFID_NAME, MNT, FAN_RENAME, T_ROOT, EINVAL);
FMARK(mount_open_with_create, FAN_REPORT_FID, MNT, FAN_OPEN | FAN_CREATE, T_ROOT, EINVAL);
/* Path events are fine on a mount mark of a FID group (tmpfs handles decode). */
FMARK(mount_open, FAN_REPORT_FID, MNT, FAN_OPEN | FAN_CLOSE | FAN_ONDIR, T_ROOT, 0);
FMARK(mount_modify_target, FAN_REPORT_DFID_NAME_TARGET, MNT, FAN_MODIFY, T_ROOT, 0);
/* FAN_RENAME needs FAN_REPORT_NAME: there is no record type for old/new parent alone. */
FMARK(rename_fid, FAN_REPORT_FID, ADD, FAN_RENAME, T_DIR, EINVAL);
FMARK(rename_dir_fid, FAN_REPORT_DIR_FID, ADD, FAN_RENAME, T_DIR, EINVAL);
FMARK(rename_fid_dir_fid, FAN_REPORT_FID | FAN_REPORT_DIR_FID, ADD, FAN_RENAME, T_DIR, EINVAL);
FMARK(rename_fid_fs, FAN_REPORT_FID, SB, FAN_RENAME, T_ROOT, EINVAL);
FMARK(rename_dfid_name, FAN_REPORT_DFID_NAME, ADD, FAN_RENAME, T_DIR, 0);
FMARK(rename_dfid_name_fs, FAN_REPORT_DFID_NAME, SB, FAN_RENAME | FAN_ONDIR, T_ROOT, 0);
/* FAN_RENAME in the mask makes the directory-only checks strict, in any group. */
FMARK(rename_on_file, FAN_REPORT_DFID_NAME, ADD, FAN_RENAME, T_FILE, ENOTDIR);
/* With TARGET_FID, directory-only bits on a non-directory inode mark are ENOTDIR. */
FMARK(target_create_on_file, TGT, ADD, FAN_CREATE, T_FILE, ENOTDIR);
FMARK(target_delete_on_file, TGT, ADD, FAN_DELETE | FAN_MODIFY, T_FILE, ENOTDIR);
FMARK(target_ondir_on_file, TGT, ADD, FAN_OPEN | FAN_ONDIR, T_FILE, ENOTDIR);
FMARK(target_on_child_on_file, TGT, ADD, FAN_MODIFY | FAN_EVENT_ON_CHILD, T_FILE, ENOTDIR);
FMARK(target_open_on_file, TGT, ADD, FAN_OPEN | FAN_DELETE_SELF, T_FILE, 0);
FMARK(target_create_on_dir, TGT, ADD, FAN_CREATE | FAN_ONDIR, T_DIR, 0);
/* Only inode marks are checked: a filesystem mark through a file's path is fine. */
FMARK(target_create_fs_via_file, TGT, SB, FAN_CREATE, T_FILE, 0);
/* Only additions are checked; removing from a nonexistent mark is ENOENT. */
FMARK(target_remove_create_on_file, TGT, FAN_MARK_REMOVE, FAN_CREATE, T_FILE, ENOENT);
/* Without TARGET_FID (or RENAME, or FAN_MARK_IGNORE) the old leniency stays. */
FMARK(dfid_name_create_on_file, FAN_REPORT_DFID_NAME, ADD, FAN_CREATE | FAN_ONDIR, T_FILE, 0);
FMARK(fid_create_on_file, FAN_REPORT_FID, ADD, FAN_CREATE, T_FILE, 0);
FMARK(ignore_ondir_on_file, FAN_REPORT_FID, IGN_SURV, FAN_OPEN | FAN_ONDIR, T_FILE, ENOTDIR);
/* FAN_FS_ERROR is for filesystem marks only. */
FMARK(fs_error_inode, FAN_REPORT_FID, ADD, FAN_FS_ERROR, T_DIR, EINVAL);
FMARK(fs_error_mount, FAN_REPORT_FID, MNT, FAN_FS_ERROR, T_ROOT, EINVAL);
FMARK(fs_error_fs, FAN_REPORT_FID, SB, FAN_FS_ERROR, T_ROOT, 0);
FMARK(fs_error_fs_dfid_name, FAN_REPORT_DFID_NAME, SB, FAN_FS_ERROR | FAN_CREATE, T_ROOT, 0);
/* FID groups are FAN_CLASS_NOTIF, which cannot have permission events. */
FMARK(open_perm, FAN_REPORT_FID, ADD, FAN_OPEN_PERM, T_FILE, EINVAL);
FMARK(access_perm_fs, FAN_REPORT_DFID_NAME, SB, FAN_ACCESS_PERM, T_ROOT, EINVAL);
/* Every event a FID group can ask for, on a directory and on the filesystem. */
FMARK(all_events_dir, TGT, ADD, ALL_FID_EVENTS, T_DIR, 0);
FMARK(all_events_fs, TGT, SB, ALL_FID_EVENTS | FAN_FS_ERROR, T_ROOT, 0);

TEST_F(fmark, mark)
{
	int fd, ret;

	fd = sys_fanotify_init(variant->init_flags | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, fd);
	ret = sys_fanotify_mark(fd, variant->mark_flags, variant->mask, AT_FDCWD,
				self->path[variant->target]);
	if (variant->expected_errno) {
		EXPECT_EQ(-1, ret);
		EXPECT_EQ(variant->expected_errno, errno);
	} else {
		EXPECT_EQ(0, ret) {
			TH_LOG("fanotify_mark: %s", strerror(errno));
		}
	}
	close(fd);
}

/* The file system type of the mount at @path, from /proc/self/mountinfo. */
static int mount_fstype(const char *path, char *type, size_t len)
{
	char line[1024], mnt[512], fstype[64];
	int found = -1;
	FILE *f;

	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");

		if (!sep || sscanf(line, "%*s %*s %*s %*s %511s", mnt) != 1 ||
		    sscanf(sep, " - %63s", fstype) != 1)
			continue;
		if (!strcmp(mnt, path)) {
			snprintf(type, len, "%s", fstype);
			found = 0;	/* the last match is the visible mount */
		}
	}
	fclose(f);
	return found;
}

/*
 * Waits for an event of this process and checks its single record: type FID, @path's fsid and
 * the handle name_to_handle_at(AT_HANDLE_FID) gives for @path, and @name if not NULL.
 */
static void expect_own_fid_event(struct __test_metadata *const _metadata, int fan_fd,
				 uint64_t mask, uint8_t type, const char *path, const char *name,
				 int mount_fd)
{
	struct fid_event ev[FID_MAX_EVENTS];
	struct fid_exp exp = { type, NULL, name };
	__kernel_fsid_t fsid;
	struct fid_obj o;
	int n, i, mine = -1;

	ASSERT_EQ(0, fid_capture(&o, path));
	ASSERT_EQ(0, fid_statfs_fsid(path, &fsid));
	exp.obj = &o;
	n = fid_read(_metadata, fan_fd, ev, FID_MAX_EVENTS, EVENT_TIMEOUT_MS);
	/* Other processes may touch a shared filesystem: only this process's event counts. */
	for (i = 0; i < n; i++)
		if (ev[i].pid == getpid())
			mine = i;
	ASSERT_LE(0, mine);
	fid_check(_metadata, &ev[mine], mask, &exp, 1, &fsid, mount_fd);
}

/*
 * Handles of a filesystem without decoding support neither come from name_to_handle_at()
 * without AT_HANDLE_FID (EOPNOTSUPP) nor decode (ESTALE).
 */
static void expect_not_decodable(struct __test_metadata *const _metadata, const char *path)
{
	char buf[sizeof(struct file_handle) + MAX_HANDLE_SZ] __attribute__((aligned(8)));
	struct file_handle *fh = (void *)buf;
	struct fid_fh h;
	int mnt_id, fd, mfd;

	fh->handle_bytes = MAX_HANDLE_SZ;
	EXPECT_EQ(-1, name_to_handle_at(AT_FDCWD, path, fh, &mnt_id, 0));
	EXPECT_EQ(EOPNOTSUPP, errno);
	ASSERT_EQ(0, fid_get_fh(AT_FDCWD, path, &h));
	mfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, mfd);
	fd = fid_open_fh(mfd, &h);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(ESTALE, errno);
	if (fd >= 0)
		close(fd);
	close(mfd);
}

/*
 * The guest's root is the host's / over 9p, which has no export operations: since 6.7 an inode
 * mark only needs handles that can be encoded (exportfs_can_encode_fid() is true for a NULL
 * s_export_op) and is allowed; mount and filesystem marks need decodable handles: EOPNOTSUPP.
 */
TEST(ninep_root_marks)
{
	char type[64];
	int fd;

	ASSERT_EQ(0, mount_fstype("/", type, sizeof(type)));
	if (strcmp(type, "9p"))
		SKIP(return, "the root is %s, not 9p", type);
	fd = sys_fanotify_init(FAN_REPORT_DFID_NAME | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, sys_fanotify_mark(fd, FAN_MARK_ADD, FAN_CREATE | FAN_ONDIR, AT_FDCWD, "/"));
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_CREATE,
					AT_FDCWD, "/"));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN, AT_FDCWD,
					"/"));
	EXPECT_EQ(EOPNOTSUPP, errno);
	/* The mount mark's own checks come first: dirent events on a mount are EINVAL. */
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_CREATE, AT_FDCWD,
					"/"));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	/* A group without FID does not care about handles. */
	fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_CLOSE_WRITE,
				       AT_FDCWD, "/"));
	close(fd);
}

/* Events on 9p carry the encodable, not decodable, handle and the fsid statfs() reports. */
TEST(ninep_root_event)
{
	char type[64];
	int fd;

	ASSERT_EQ(0, mount_fstype("/", type, sizeof(type)));
	if (strcmp(type, "9p"))
		SKIP(return, "the root is %s, not 9p", type);
	expect_not_decodable(_metadata, "/");
	fd = sys_fanotify_init(FAN_REPORT_FID | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sys_fanotify_mark(fd, FAN_MARK_ADD, FAN_OPEN | FAN_ONDIR, AT_FDCWD, "/"));
	ASSERT_EQ(0, open_close_file("/", O_RDONLY | O_DIRECTORY));
	expect_own_fid_event(_metadata, fd, FAN_OPEN | FAN_ONDIR, FAN_EVENT_INFO_TYPE_FID, "/",
			     NULL, -1);
	close(fd);
}

/* procfs: nonzero fsid (simple_statfs()), no export operations. */
TEST(procfs_marks)
{
	int fd;

	fd = sys_fanotify_init(FAN_REPORT_FID | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, sys_fanotify_mark(fd, FAN_MARK_ADD, FAN_OPEN | FAN_ONDIR, AT_FDCWD, "/proc"));
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_OPEN,
					AT_FDCWD, "/proc"));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN, AT_FDCWD,
					"/proc"));
	EXPECT_EQ(EOPNOTSUPP, errno);
	close(fd);
}

/* Private scratch space for the filesystem tests below. */
FIXTURE(ffs)
{
	char dir[DIR_PATH_LEN];
	char a[DIR_PATH_LEN + 8], b[DIR_PATH_LEN + 8];
	int fan_fd;
};

FIXTURE_SETUP(ffs)
{
	self->fan_fd = -1;
	ASSERT_EQ(0, setup_private_tmpfs(self->dir));
	snprintf(self->a, sizeof(self->a), "%s/a", self->dir);
	snprintf(self->b, sizeof(self->b), "%s/b", self->dir);
	ASSERT_EQ(0, mkdir(self->a, 0755));
	ASSERT_EQ(0, mkdir(self->b, 0755));
}

FIXTURE_TEARDOWN(ffs)
{
	if (self->fan_fd >= 0)
		close(self->fan_fd);
	umount2(self->a, MNT_DETACH);
	umount2(self->b, MNT_DETACH);
	EXPECT_EQ(0, teardown_private_tmpfs(self->dir));
}

/* ramfs has no export operations: inode marks yes, filesystem marks EOPNOTSUPP. */
TEST_F(ffs, ramfs)
{
	char p[FILE_PATH_LEN];
	__kernel_fsid_t zero = {};
	__kernel_fsid_t fsid;

	ASSERT_EQ(0, mount("fanotify_test", self->a, "ramfs", 0, NULL));
	ASSERT_EQ(0, fid_statfs_fsid(self->a, &fsid));
	EXPECT_NE(0, memcmp(&fsid, &zero, sizeof(fsid)));
	expect_not_decodable(_metadata, self->a);
	self->fan_fd = sys_fanotify_init(FAN_REPORT_DFID_NAME | FAN_CLOEXEC | FAN_NONBLOCK,
					 O_RDONLY);
	ASSERT_LE(0, self->fan_fd);
	EXPECT_EQ(-1, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
					FAN_CREATE, AT_FDCWD, self->a));
	EXPECT_EQ(EOPNOTSUPP, errno);
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_CREATE, AT_FDCWD,
				       self->a));
	snprintf(p, sizeof(p), "%s/new", self->a);
	ASSERT_EQ(0, create_file(p, ""));
	expect_own_fid_event(_metadata, self->fan_fd, FAN_CREATE, FAN_EVENT_INFO_TYPE_DFID_NAME,
			     self->a, "new", -1);
}

/*
 * One group may watch several filesystems with strong fsids; each event carries the fsid of
 * its own filesystem.
 */
TEST_F(ffs, two_filesystems)
{
	struct fid_event ev[FID_MAX_EVENTS];
	__kernel_fsid_t fa, fb;
	struct fid_obj oa, ob;
	struct fid_exp exp;
	char p[FILE_PATH_LEN];
	int ma, mb;

	ASSERT_EQ(0, mount_tmpfs(self->a));
	ASSERT_EQ(0, mount_tmpfs(self->b));
	ASSERT_EQ(0, fid_statfs_fsid(self->a, &fa));
	ASSERT_EQ(0, fid_statfs_fsid(self->b, &fb));
	ASSERT_NE(0, memcmp(&fa, &fb, sizeof(fa)));
	ASSERT_EQ(0, fid_capture(&oa, self->a));
	ASSERT_EQ(0, fid_capture(&ob, self->b));
	self->fan_fd = sys_fanotify_init(FAN_REPORT_DIR_FID | FAN_CLOEXEC | FAN_NONBLOCK,
					 O_RDONLY);
	ASSERT_LE(0, self->fan_fd);
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
				       FAN_CREATE, AT_FDCWD, self->a));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_CREATE, AT_FDCWD, self->b));
	snprintf(p, sizeof(p), "%s/x", self->a);
	ASSERT_EQ(0, create_file(p, ""));
	snprintf(p, sizeof(p), "%s/y", self->b);
	ASSERT_EQ(0, create_file(p, ""));
	ASSERT_EQ(2, fid_read(_metadata, self->fan_fd, ev, FID_MAX_EVENTS, EVENT_TIMEOUT_MS));
	ma = open(self->a, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	mb = open(self->b, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, ma);
	ASSERT_LE(0, mb);
	exp = (struct fid_exp){ FAN_EVENT_INFO_TYPE_DFID, &oa, NULL };
	fid_check(_metadata, &ev[0], FAN_CREATE, &exp, 1, &fa, ma);
	exp = (struct fid_exp){ FAN_EVENT_INFO_TYPE_DFID, &ob, NULL };
	fid_check(_metadata, &ev[1], FAN_CREATE, &exp, 1, &fb, mb);
	close(ma);
	close(mb);
}

/* Mounts an overlay on self->b with lower, upper and work directories below self->a. */
static int mount_overlay(FIXTURE_DATA(ffs) *self, const char *extra)
{
	char opts[512], p[FILE_PATH_LEN];
	static const char * const sub[] = { "l", "u", "w" };
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/%s", self->a, sub[i]);
		if (mkdir(p, 0755))
			return -1;
	}
	snprintf(opts, sizeof(opts), "lowerdir=%s/l,upperdir=%s/u,workdir=%s/w%s", self->a,
		 self->a, self->a, extra);
	return mount("overlay", self->b, "overlay", 0, opts);
}

/*
 * overlayfs without nfs_export encodes non-decodable handles (ovl_export_fid_operations): inode
 * marks are allowed, mount and filesystem marks of FID groups are EOPNOTSUPP.
 */
TEST_F(ffs, overlay)
{
	__kernel_fsid_t fo, fu;
	char p[FILE_PATH_LEN];

	ASSERT_EQ(0, mount_overlay(self, ""));
	/* uuid=auto (the default): the overlay has its own fsid, not the upper tmpfs's. */
	ASSERT_EQ(0, fid_statfs_fsid(self->b, &fo));
	ASSERT_EQ(0, fid_statfs_fsid(self->a, &fu));
	EXPECT_NE(0, memcmp(&fo, &fu, sizeof(fo)));
	expect_not_decodable(_metadata, self->b);
	self->fan_fd = sys_fanotify_init(FAN_REPORT_DFID_NAME | FAN_CLOEXEC | FAN_NONBLOCK,
					 O_RDONLY);
	ASSERT_LE(0, self->fan_fd);
	EXPECT_EQ(-1, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
					FAN_CREATE, AT_FDCWD, self->b));
	EXPECT_EQ(EOPNOTSUPP, errno);
	EXPECT_EQ(-1, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN,
					AT_FDCWD, self->b));
	EXPECT_EQ(EOPNOTSUPP, errno);
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_CREATE, AT_FDCWD,
				       self->b));
	snprintf(p, sizeof(p), "%s/new", self->b);
	ASSERT_EQ(0, create_file(p, ""));
	expect_own_fid_event(_metadata, self->fan_fd, FAN_CREATE, FAN_EVENT_INFO_TYPE_DFID_NAME,
			     self->b, "new", -1);
}

/* A group without FID can still put a filesystem mark on that overlay. */
TEST_F(ffs, overlay_no_fid)
{
	ASSERT_EQ(0, mount_overlay(self, ""));
	self->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, self->fan_fd);
	EXPECT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
				       FAN_OPEN, AT_FDCWD, self->b));
}

/* With nfs_export=on the overlay's handles decode, so every mark type works. */
TEST_F(ffs, overlay_nfs_export)
{
	struct fid_event ev[FID_MAX_EVENTS];
	struct fid_obj dir, obj;
	struct fid_exp exp[2];
	__kernel_fsid_t fsid;
	char p[FILE_PATH_LEN];
	int mfd;

	ASSERT_EQ(0, mount_overlay(self, ",index=on,nfs_export=on"));
	ASSERT_EQ(0, fid_capture(&dir, self->b));
	ASSERT_EQ(0, fid_statfs_fsid(self->b, &fsid));
	self->fan_fd = sys_fanotify_init(FAN_REPORT_DFID_NAME_TARGET | FAN_CLOEXEC |
					 FAN_NONBLOCK, O_RDONLY);
	ASSERT_LE(0, self->fan_fd);
	EXPECT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN,
				       AT_FDCWD, self->b));
	ASSERT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
				       FAN_CREATE, AT_FDCWD, self->b));
	snprintf(p, sizeof(p), "%s/new", self->b);
	ASSERT_EQ(0, create_file(p, ""));
	ASSERT_EQ(0, fid_capture(&obj, p));
	mfd = open(self->b, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, mfd);
	/*
	 * The mount mark's FAN_OPEN of the new file carries the same parent, name and child
	 * fid as the filesystem mark's FAN_CREATE (TARGET_FID): the two merge into one event.
	 */
	ASSERT_EQ(1, fid_read(_metadata, self->fan_fd, ev, FID_MAX_EVENTS, EVENT_TIMEOUT_MS));
	exp[0] = (struct fid_exp){ FAN_EVENT_INFO_TYPE_DFID_NAME, &dir, "new" };
	exp[1] = (struct fid_exp){ FAN_EVENT_INFO_TYPE_FID, &obj, NULL };
	fid_check(_metadata, &ev[0], FAN_CREATE | FAN_OPEN, exp, 2, &fsid, mfd);
	close(mfd);
}

/*
 * ext4 handles decode: mount and filesystem marks work; the fsid is the one statfs() gives.
 */
TEST_F(ffs, ext4_marks)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd),
		 "mkfs.ext4 -q -F -O ^has_journal %s/img 4M >/dev/null 2>&1 && mount -o loop %s/img %s",
		 self->dir, self->dir, self->a);
	ASSERT_EQ(0, fid_run(cmd));
	self->fan_fd = sys_fanotify_init(FAN_REPORT_DFID_NAME_TARGET | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, self->fan_fd);
	EXPECT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
				       FAN_CREATE | FAN_FS_ERROR, AT_FDCWD, self->a));
	EXPECT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN,
				       AT_FDCWD, self->a));
	EXPECT_EQ(0, sys_fanotify_mark(self->fan_fd, FAN_MARK_ADD, FAN_CREATE, AT_FDCWD,
				       self->a));
}

TEST_HARNESS_MAIN
