// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify FID reporting modes: fanotify_init() flag combinations, the info records of
 * directory entry and child events per FID mode, for inode marks on a directory and for
 * filesystem marks, on tmpfs and ext4, event merging, FIONREAD and fdinfo of FID groups.
 *
 * Behaviour reference: upstream 6.12 fanotify_init(), copy_info_records_to_user() and
 * fanotify_event_len() in fs/notify/fanotify/fanotify_user.c, fanotify_alloc_event() and
 * fanotify_should_merge() in fanotify.c, fanotify_fdinfo() in fs/notify/fdinfo.c.
 *
 * Every event test runs in a private mount namespace on a private tmpfs; the ext4 variants
 * loop-mount a small image made on it with mkfs.ext4.
 */

#include "fid_common.h"

/* Reads "fanotify flags:%x event-flags:%x" from /proc/self/fdinfo/@fd. */
static int read_fdinfo_flags(int fd, unsigned int *flags, unsigned int *event_flags)
{
	char path[64], line[512];
	int found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "fanotify flags:%x event-flags:%x", flags, event_flags) == 2) {
			found = 0;
			break;
		}
	}
	fclose(f);
	return found;
}

/*
 * fanotify_init(): 6.12 checks, in this order, unknown flags, PIDFD with TID, event_f_flags,
 * then FID mode with a class other than FAN_CLASS_NOTIF, NAME without DIR_FID and TARGET_FID
 * without both NAME and FID.  Every rejection is EINVAL.
 */
FIXTURE(fid_init) {};

FIXTURE_SETUP(fid_init) {}

FIXTURE_TEARDOWN(fid_init) {}

FIXTURE_VARIANT(fid_init)
{
	unsigned int flags;
	unsigned int event_f_flags;
	int expected_errno;
};

#define FID_INIT(_name, _flags, _f_flags, _errno)		\
	FIXTURE_VARIANT_ADD(fid_init, _name) {			\
		.flags = (_flags), .event_f_flags = (_f_flags),	\
		.expected_errno = (_errno),			\
	}

FID_INIT(fid, FAN_REPORT_FID, O_RDONLY, 0);
FID_INIT(dir_fid, FAN_REPORT_DIR_FID, O_RDONLY, 0);
FID_INIT(fid_dir_fid, FAN_REPORT_FID | FAN_REPORT_DIR_FID, O_RDONLY, 0);
FID_INIT(dfid_name, FAN_REPORT_DFID_NAME, O_RDONLY, 0);
FID_INIT(fid_dfid_name, FAN_REPORT_FID | FAN_REPORT_DFID_NAME, O_RDONLY, 0);
FID_INIT(dfid_name_target, FAN_REPORT_DFID_NAME_TARGET, O_RDONLY, 0);
FID_INIT(fid_all_flags, FAN_REPORT_DFID_NAME_TARGET | FAN_CLOEXEC | FAN_NONBLOCK |
	 FAN_UNLIMITED_QUEUE | FAN_UNLIMITED_MARKS | FAN_REPORT_TID, O_RDWR | O_CLOEXEC, 0);
/* event_f_flags mean nothing to a group that never opens files, but are still validated. */
FID_INIT(fid_event_f_wronly, FAN_REPORT_FID, O_WRONLY | O_NOATIME, 0);
FID_INIT(fid_event_f_bad_accmode, FAN_REPORT_FID, O_ACCMODE, EINVAL);
FID_INIT(fid_class_content, FAN_CLASS_CONTENT | FAN_REPORT_FID, O_RDONLY, EINVAL);
FID_INIT(fid_class_pre_content, FAN_CLASS_PRE_CONTENT | FAN_REPORT_FID, O_RDONLY, EINVAL);
FID_INIT(dir_fid_class_content, FAN_CLASS_CONTENT | FAN_REPORT_DIR_FID, O_RDONLY, EINVAL);
FID_INIT(dfid_name_class_pre_content, FAN_CLASS_PRE_CONTENT | FAN_REPORT_DFID_NAME, O_RDONLY,
	 EINVAL);
FID_INIT(target_class_content, FAN_CLASS_CONTENT | FAN_REPORT_DFID_NAME_TARGET, O_RDONLY,
	 EINVAL);
/* The name is reported with the parent's fid, so NAME requires DIR_FID. */
FID_INIT(name_alone, FAN_REPORT_NAME, O_RDONLY, EINVAL);
FID_INIT(name_fid, FAN_REPORT_NAME | FAN_REPORT_FID, O_RDONLY, EINVAL);
/* TARGET_FID requires both NAME and FID. */
FID_INIT(target_alone, FAN_REPORT_TARGET_FID, O_RDONLY, EINVAL);
FID_INIT(target_fid, FAN_REPORT_TARGET_FID | FAN_REPORT_FID, O_RDONLY, EINVAL);
FID_INIT(target_dir_fid, FAN_REPORT_TARGET_FID | FAN_REPORT_DIR_FID, O_RDONLY, EINVAL);
FID_INIT(target_dfid_name, FAN_REPORT_TARGET_FID | FAN_REPORT_DFID_NAME, O_RDONLY, EINVAL);
FID_INIT(target_fid_dir_fid, FAN_REPORT_TARGET_FID | FAN_REPORT_FID | FAN_REPORT_DIR_FID,
	 O_RDONLY, EINVAL);
/* NAME without DIR_FID is caught even when TARGET_FID's own rule holds. */
FID_INIT(target_fid_name, FAN_REPORT_TARGET_FID | FAN_REPORT_FID | FAN_REPORT_NAME, O_RDONLY,
	 EINVAL);
FID_INIT(fid_pidfd_tid, FAN_REPORT_FID | FAN_REPORT_PIDFD | FAN_REPORT_TID, O_RDONLY, EINVAL);

TEST_F(fid_init, init)
{
	unsigned int flags = ~0U, event_flags = ~0U;
	int fd;

	fd = sys_fanotify_init(variant->flags, variant->event_f_flags);
	if (variant->expected_errno) {
		EXPECT_EQ(-1, fd);
		EXPECT_EQ(variant->expected_errno, errno);
		if (fd >= 0)
			close(fd);
		return;
	}
	ASSERT_LE(0, fd);
	/* fdinfo shows the init flags, FID bits included, and the event_f_flags as stored. */
	EXPECT_EQ(0, read_fdinfo_flags(fd, &flags, &event_flags));
	EXPECT_EQ(variant->flags, flags);
	EXPECT_EQ(variant->event_f_flags | kernel_o_largefile(), event_flags);
	EXPECT_EQ(0, close(fd));
}

/*
 * Events and their records.  Each variant is a FID mode, a mark type (an inode mark on root/d
 * with FAN_EVENT_ON_CHILD, or a filesystem mark) and a filesystem; the expected records come
 * from fid_modes[] (fid_common.h).
 */
FIXTURE(fev)
{
	struct fid_world w;
};

FIXTURE_VARIANT(fev)
{
	enum fid_mode_id mode;
	bool fs_mark;
	enum fid_fs fs;
};

#define FEV(_name, _mode, _fs_mark, _fs)					\
	FIXTURE_VARIANT_ADD(fev, _name) {					\
		.mode = (_mode), .fs_mark = (_fs_mark), .fs = (_fs),		\
	}

FEV(fid_inode, MODE_FID, false, FS_TMPFS);
FEV(fid_fs, MODE_FID, true, FS_TMPFS);
FEV(dir_fid_inode, MODE_DIR_FID, false, FS_TMPFS);
FEV(dir_fid_fs, MODE_DIR_FID, true, FS_TMPFS);
FEV(fid_dir_fid_inode, MODE_FID_DIR_FID, false, FS_TMPFS);
FEV(fid_dir_fid_fs, MODE_FID_DIR_FID, true, FS_TMPFS);
FEV(dfid_name_inode, MODE_DFID_NAME, false, FS_TMPFS);
FEV(dfid_name_fs, MODE_DFID_NAME, true, FS_TMPFS);
FEV(fid_dfid_name_inode, MODE_FID_DFID_NAME, false, FS_TMPFS);
FEV(fid_dfid_name_fs, MODE_FID_DFID_NAME, true, FS_TMPFS);
FEV(target_inode, MODE_DFID_NAME_TARGET, false, FS_TMPFS);
FEV(target_fs, MODE_DFID_NAME_TARGET, true, FS_TMPFS);
FEV(ext4_fid_inode, MODE_FID, false, FS_EXT4);
FEV(ext4_fid_dir_fid_fs, MODE_FID_DIR_FID, true, FS_EXT4);
FEV(ext4_target_inode, MODE_DFID_NAME_TARGET, false, FS_EXT4);
FEV(ext4_target_fs, MODE_DFID_NAME_TARGET, true, FS_EXT4);

FIXTURE_SETUP(fev)
{
	fid_world_setup(_metadata, &self->w, variant->fs, fid_modes[variant->mode].flags);
}

FIXTURE_TEARDOWN(fev)
{
	fid_world_teardown(_metadata, &self->w);
}

/*
 * Marks the whole filesystem, or @target with an inode mark.  Directory inode marks get
 * FAN_EVENT_ON_CHILD so that they see events on their children; filesystem marks accept and
 * ignore it.
 */
static int ev_mark(const FIXTURE_VARIANT(fev) *v, struct fid_world *w, uint64_t mask, int target)
{
	if (v->fs_mark)
		return sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
					 mask | FAN_EVENT_ON_CHILD, AT_FDCWD, w->root);
	return sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD, mask | FAN_EVENT_ON_CHILD, AT_FDCWD,
				 w->o[target].path);
}

/*
 * Expects exactly one event, @mask, shaped by @shape for @obj named @name in @dir, or no event
 * at all when the mode reports nothing for @shape.
 */
static void expect_one(struct __test_metadata *const _metadata, struct fid_world *w,
		       const enum fid_shape *shape, uint64_t mask, const struct fid_obj *dir,
		       const char *name, const struct fid_obj *obj)
{
	struct fid_event ev[FID_MAX_EVENTS];
	struct fid_exp exp[3];
	int n, nexp;

	nexp = fid_expand(shape, dir, name, obj, exp);
	if (!nexp) {
		EXPECT_TRUE(no_event(w->fan_fd));
		return;
	}
	n = fid_read_counted(_metadata, w->fan_fd, ev, FID_MAX_EVENTS);
	ASSERT_EQ(1, n) {
		while (n-- > 0)
			fid_dump(_metadata, &ev[n]);
	}
	fid_check(_metadata, &ev[0], mask, exp, nexp, &w->fsid, w->mount_fd);
}

static bool shape_has_name(const enum fid_shape *shape)
{
	int i;

	for (i = 0; i < 3 && shape[i] != S_END; i++)
		if (shape[i] == S_DFID_NAME || shape[i] == S_FID_OBJ)
			return true;
	return false;
}

TEST_F(fev, create)
{
	struct fid_world *w = &self->w;
	char p[FILE_PATH_LEN];

	ASSERT_EQ(0, ev_mark(variant, w, FAN_CREATE, O_D));
	ASSERT_EQ(0, create_file(fid_path(w, "d/new", p), ""));
	ASSERT_EQ(0, fid_capture(&w->o[O_NEW], p));
	expect_one(_metadata, w, fid_modes[variant->mode].dirent, FAN_CREATE, &w->o[O_D], "new",
		   &w->o[O_NEW]);
}

/* mkdir is reported, with FAN_ONDIR in the mask, only to marks that ask for FAN_ONDIR. */
TEST_F(fev, mkdir_ondir)
{
	struct fid_world *w = &self->w;
	char p[FILE_PATH_LEN];

	ASSERT_EQ(0, ev_mark(variant, w, FAN_CREATE | FAN_ONDIR, O_D));
	ASSERT_EQ(0, mkdir(fid_path(w, "d/newdir", p), 0755));
	ASSERT_EQ(0, fid_capture(&w->o[O_NEW], p));
	expect_one(_metadata, w, fid_modes[variant->mode].dirent, FAN_CREATE | FAN_ONDIR,
		   &w->o[O_D], "newdir", &w->o[O_NEW]);
}

TEST_F(fev, mkdir_no_ondir)
{
	struct fid_world *w = &self->w;
	char p[FILE_PATH_LEN];

	ASSERT_EQ(0, ev_mark(variant, w, FAN_CREATE, O_D));
	ASSERT_EQ(0, mkdir(fid_path(w, "d/newdir", p), 0755));
	EXPECT_TRUE(no_event(w->fan_fd));
	/* The mark works: a regular file's creation is reported, without FAN_ONDIR. */
	ASSERT_EQ(0, create_file(fid_path(w, "d/new", p), ""));
	ASSERT_EQ(0, fid_capture(&w->o[O_NEW], p));
	expect_one(_metadata, w, fid_modes[variant->mode].dirent, FAN_CREATE, &w->o[O_D], "new",
		   &w->o[O_NEW]);
}

/* A deleted object's handle is still reported; it no longer decodes (ESTALE). */
TEST_F(fev, delete)
{
	struct fid_world *w = &self->w;
	char p[FILE_PATH_LEN];

	ASSERT_EQ(0, ev_mark(variant, w, FAN_DELETE, O_D));
	ASSERT_EQ(0, unlink(fid_path(w, "d/file", p)));
	w->o[O_FILE].ino = 0;
	expect_one(_metadata, w, fid_modes[variant->mode].dirent, FAN_DELETE, &w->o[O_D], "file",
		   &w->o[O_FILE]);
}

TEST_F(fev, rmdir_ondir)
{
	struct fid_world *w = &self->w;
	char p[FILE_PATH_LEN];

	ASSERT_EQ(0, ev_mark(variant, w, FAN_DELETE | FAN_ONDIR, O_D));
	ASSERT_EQ(0, rmdir(fid_path(w, "d/sub", p)));
	w->o[O_SUB].ino = 0;
	expect_one(_metadata, w, fid_modes[variant->mode].dirent, FAN_DELETE | FAN_ONDIR,
		   &w->o[O_D], "sub", &w->o[O_SUB]);
}

TEST_F(fev, rmdir_no_ondir)
{
	struct fid_world *w = &self->w;
	char p[FILE_PATH_LEN];

	ASSERT_EQ(0, ev_mark(variant, w, FAN_DELETE, O_D));
	ASSERT_EQ(0, rmdir(fid_path(w, "d/sub", p)));
	EXPECT_TRUE(no_event(w->fan_fd));
	ASSERT_EQ(0, unlink(fid_path(w, "d/file", p)));
	w->o[O_FILE].ino = 0;
	expect_one(_metadata, w, fid_modes[variant->mode].dirent, FAN_DELETE, &w->o[O_D], "file",
		   &w->o[O_FILE]);
}

/* Events that would carry an fd in legacy mode carry FID records and FAN_NOFD instead. */
TEST_F(fev, modify)
{
	struct fid_world *w = &self->w;
	int fd;

	ASSERT_EQ(0, ev_mark(variant, w, FAN_MODIFY, O_D));
	fd = open(w->o[O_FILE].path, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "x", 1));
	ASSERT_EQ(0, close(fd));
	expect_one(_metadata, w, fid_modes[variant->mode].child, FAN_MODIFY, &w->o[O_D], "file",
		   &w->o[O_FILE]);
}

/* open, write and close of one file are about the same object: merged into one event. */
TEST_F(fev, open_modify_close_write)
{
	struct fid_world *w = &self->w;
	int fd;

	ASSERT_EQ(0, ev_mark(variant, w, FAN_OPEN | FAN_MODIFY | FAN_CLOSE_WRITE, O_D));
	fd = open(w->o[O_FILE].path, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "x", 1));
	ASSERT_EQ(0, close(fd));
	expect_one(_metadata, w, fid_modes[variant->mode].child,
		   FAN_OPEN | FAN_MODIFY | FAN_CLOSE_WRITE, &w->o[O_D], "file", &w->o[O_FILE]);
}

TEST_F(fev, attrib_file)
{
	struct fid_world *w = &self->w;

	ASSERT_EQ(0, ev_mark(variant, w, FAN_ATTRIB, O_D));
	ASSERT_EQ(0, chmod(w->o[O_FILE].path, 0600));
	expect_one(_metadata, w, fid_modes[variant->mode].child, FAN_ATTRIB, &w->o[O_D], "file",
		   &w->o[O_FILE]);
}

/* A subdirectory reports itself (name "." with FAN_REPORT_NAME), not its parent. */
TEST_F(fev, attrib_subdir_ondir)
{
	struct fid_world *w = &self->w;

	ASSERT_EQ(0, ev_mark(variant, w, FAN_ATTRIB | FAN_ONDIR, O_D));
	ASSERT_EQ(0, chmod(w->o[O_SUB].path, 0700));
	expect_one(_metadata, w, fid_modes[variant->mode].dirself, FAN_ATTRIB | FAN_ONDIR,
		   &w->o[O_D], NULL, &w->o[O_SUB]);
}

TEST_F(fev, attrib_subdir_no_ondir)
{
	struct fid_world *w = &self->w;

	ASSERT_EQ(0, ev_mark(variant, w, FAN_ATTRIB, O_D));
	ASSERT_EQ(0, chmod(w->o[O_SUB].path, 0700));
	EXPECT_TRUE(no_event(w->fan_fd));
	ASSERT_EQ(0, chmod(w->o[O_FILE].path, 0600));
	expect_one(_metadata, w, fid_modes[variant->mode].child, FAN_ATTRIB, &w->o[O_D], "file",
		   &w->o[O_FILE]);
}

/* An event on the marked directory itself. */
TEST_F(fev, attrib_marked_dir)
{
	struct fid_world *w = &self->w;

	ASSERT_EQ(0, ev_mark(variant, w, FAN_ATTRIB | FAN_ONDIR, O_D));
	ASSERT_EQ(0, chmod(w->o[O_D].path, 0700));
	expect_one(_metadata, w, fid_modes[variant->mode].dirself, FAN_ATTRIB | FAN_ONDIR,
		   &w->o[O_ROOT], NULL, &w->o[O_D]);
}

/* Opening a subdirectory, with FAN_ONDIR. */
TEST_F(fev, open_subdir_ondir)
{
	struct fid_world *w = &self->w;

	ASSERT_EQ(0, ev_mark(variant, w, FAN_OPEN | FAN_ONDIR, O_D));
	ASSERT_EQ(0, open_close_file(w->o[O_SUB].path, O_RDONLY | O_DIRECTORY));
	expect_one(_metadata, w, fid_modes[variant->mode].dirself, FAN_OPEN | FAN_ONDIR,
		   &w->o[O_D], NULL, &w->o[O_SUB]);
}

/*
 * Merging: two creations in one directory are one event when the records only name the
 * directory (FID, DIR_FID, FID|DIR_FID); with names (or a child fid) they stay two events.
 */
TEST_F(fev, merge_two_creates)
{
	const enum fid_shape *shape = fid_modes[variant->mode].dirent;
	struct fid_world *w = &self->w;
	struct fid_event ev[FID_MAX_EVENTS];
	struct fid_obj a, b;
	struct fid_exp exp[3];
	char p[FILE_PATH_LEN];
	int n, nexp;

	ASSERT_EQ(0, ev_mark(variant, w, FAN_CREATE, O_D));
	ASSERT_EQ(0, create_file(fid_path(w, "d/a", p), ""));
	ASSERT_EQ(0, fid_capture(&a, p));
	ASSERT_EQ(0, create_file(fid_path(w, "d/b", p), ""));
	ASSERT_EQ(0, fid_capture(&b, p));
	n = fid_read_counted(_metadata, w->fan_fd, ev, FID_MAX_EVENTS);
	if (!shape_has_name(shape)) {
		ASSERT_EQ(1, n);
		nexp = fid_expand(shape, &w->o[O_D], NULL, NULL, exp);
		fid_check(_metadata, &ev[0], FAN_CREATE, exp, nexp, &w->fsid, w->mount_fd);
		return;
	}
	ASSERT_EQ(2, n);
	nexp = fid_expand(shape, &w->o[O_D], "a", &a, exp);
	fid_check(_metadata, &ev[0], FAN_CREATE, exp, nexp, &w->fsid, w->mount_fd);
	nexp = fid_expand(shape, &w->o[O_D], "b", &b, exp);
	fid_check(_metadata, &ev[1], FAN_CREATE, exp, nexp, &w->fsid, w->mount_fd);
}

/* A creation and a deletion of entries in one directory merge in the same modes. */
TEST_F(fev, merge_create_delete)
{
	const enum fid_shape *shape = fid_modes[variant->mode].dirent;
	struct fid_world *w = &self->w;
	struct fid_event ev[FID_MAX_EVENTS];
	struct fid_exp exp[3];
	char p[FILE_PATH_LEN];
	int n, nexp;

	ASSERT_EQ(0, ev_mark(variant, w, FAN_CREATE | FAN_DELETE, O_D));
	ASSERT_EQ(0, create_file(fid_path(w, "d/new", p), ""));
	ASSERT_EQ(0, fid_capture(&w->o[O_NEW], p));
	ASSERT_EQ(0, unlink(w->o[O_FILE].path));
	w->o[O_FILE].ino = 0;
	n = fid_read_counted(_metadata, w->fan_fd, ev, FID_MAX_EVENTS);
	if (!shape_has_name(shape)) {
		ASSERT_EQ(1, n);
		nexp = fid_expand(shape, &w->o[O_D], NULL, NULL, exp);
		fid_check(_metadata, &ev[0], FAN_CREATE | FAN_DELETE, exp, nexp, &w->fsid,
			  w->mount_fd);
		return;
	}
	ASSERT_EQ(2, n);
	nexp = fid_expand(shape, &w->o[O_D], "new", &w->o[O_NEW], exp);
	fid_check(_metadata, &ev[0], FAN_CREATE, exp, nexp, &w->fsid, w->mount_fd);
	nexp = fid_expand(shape, &w->o[O_D], "file", &w->o[O_FILE], exp);
	fid_check(_metadata, &ev[1], FAN_DELETE, exp, nexp, &w->fsid, w->mount_fd);
}

/* A file and a directory created in one directory are never merged (FAN_ONDIR differs). */
TEST_F(fev, no_merge_create_mkdir)
{
	const enum fid_shape *shape = fid_modes[variant->mode].dirent;
	struct fid_world *w = &self->w;
	struct fid_event ev[FID_MAX_EVENTS];
	struct fid_exp exp[3];
	struct fid_obj nd;
	char p[FILE_PATH_LEN];
	int nexp;

	ASSERT_EQ(0, ev_mark(variant, w, FAN_CREATE | FAN_ONDIR, O_D));
	ASSERT_EQ(0, create_file(fid_path(w, "d/new", p), ""));
	ASSERT_EQ(0, fid_capture(&w->o[O_NEW], p));
	ASSERT_EQ(0, mkdir(fid_path(w, "d/newdir", p), 0755));
	ASSERT_EQ(0, fid_capture(&nd, p));
	ASSERT_EQ(2, fid_read_counted(_metadata, w->fan_fd, ev, FID_MAX_EVENTS));
	nexp = fid_expand(shape, &w->o[O_D], "new", &w->o[O_NEW], exp);
	fid_check(_metadata, &ev[0], FAN_CREATE, exp, nexp, &w->fsid, w->mount_fd);
	nexp = fid_expand(shape, &w->o[O_D], "newdir", &nd, exp);
	fid_check(_metadata, &ev[1], FAN_CREATE | FAN_ONDIR, exp, nexp, &w->fsid, w->mount_fd);
}

/* Two modifications of one file are one event in every mode. */
TEST_F(fev, merge_modify_twice)
{
	struct fid_world *w = &self->w;
	int i, fd;

	ASSERT_EQ(0, ev_mark(variant, w, FAN_MODIFY, O_D));
	for (i = 0; i < 2; i++) {
		fd = open(w->o[O_FILE].path, O_WRONLY | O_APPEND | O_CLOEXEC);
		ASSERT_LE(0, fd);
		ASSERT_EQ(1, write(fd, "x", 1));
		ASSERT_EQ(0, close(fd));
	}
	expect_one(_metadata, w, fid_modes[variant->mode].child, FAN_MODIFY, &w->o[O_D], "file",
		   &w->o[O_FILE]);
}

/*
 * Modifications of two files of one directory: DIR_FID alone reports only the directory, so
 * both are one event; every other mode names or identifies the child.
 */
TEST_F(fev, merge_modify_two_files)
{
	const enum fid_shape *shape = fid_modes[variant->mode].child;
	struct fid_world *w = &self->w;
	struct fid_event ev[FID_MAX_EVENTS];
	struct fid_exp exp[3];
	char p[FILE_PATH_LEN];
	int n, nexp;

	ASSERT_EQ(0, create_file(fid_path(w, "d/other", p), ""));
	ASSERT_EQ(0, fid_capture(&w->o[O_NEW], p));
	ASSERT_EQ(0, ev_mark(variant, w, FAN_MODIFY, O_D));
	ASSERT_EQ(0, create_file(w->o[O_FILE].path, "a"));
	ASSERT_EQ(0, create_file(w->o[O_NEW].path, "b"));
	n = fid_read_counted(_metadata, w->fan_fd, ev, FID_MAX_EVENTS);
	if (!shape_has_name(shape)) {
		ASSERT_EQ(1, n);
		nexp = fid_expand(shape, &w->o[O_D], NULL, NULL, exp);
		fid_check(_metadata, &ev[0], FAN_MODIFY, exp, nexp, &w->fsid, w->mount_fd);
		return;
	}
	ASSERT_EQ(2, n);
	nexp = fid_expand(shape, &w->o[O_D], "file", &w->o[O_FILE], exp);
	fid_check(_metadata, &ev[0], FAN_MODIFY, exp, nexp, &w->fsid, w->mount_fd);
	nexp = fid_expand(shape, &w->o[O_D], "other", &w->o[O_NEW], exp);
	fid_check(_metadata, &ev[1], FAN_MODIFY, exp, nexp, &w->fsid, w->mount_fd);
}

/*
 * A read buffer that cannot hold the first event fails with EINVAL and consumes nothing; one
 * that holds exactly one event returns exactly that event.
 */
TEST_F(fev, read_buffer_too_small)
{
	struct fid_world *w = &self->w;
	char buf[FID_READ_BUF] __attribute__((aligned(8)));
	char p[FILE_PATH_LEN];
	int avail = 0;

	ASSERT_EQ(0, ev_mark(variant, w, FAN_CREATE, O_D));
	ASSERT_EQ(0, create_file(fid_path(w, "d/new", p), ""));
	ASSERT_EQ(1, wait_readable(w->fan_fd, EVENT_TIMEOUT_MS));
	ASSERT_EQ(0, ioctl_fionread(w->fan_fd, &avail));
	ASSERT_LT(FAN_EVENT_METADATA_LEN, avail);
	EXPECT_EQ(-1, read(w->fan_fd, buf, avail - 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(avail, read(w->fan_fd, buf, avail));
}

/*
 * The overflow event of a FID group carries no info record at all: FAN_NOFD and an event_len
 * of the bare metadata.  The queue limit is read at fanotify_init() time.
 */
TEST(overflow_no_records)
{
	const char *sysctl = "/proc/sys/fs/fanotify/max_queued_events";
	struct fid_event ev[FID_MAX_EVENTS];
	char dir[DIR_PATH_LEN], p[FILE_PATH_LEN];
	long saved;
	int fd, i, n;

	ASSERT_EQ(0, setup_private_tmpfs(dir));
	ASSERT_EQ(0, sysctl_read(sysctl, &saved));
	ASSERT_EQ(0, sysctl_write(sysctl, 3));
	fd = sys_fanotify_init(FAN_REPORT_DFID_NAME | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY);
	ASSERT_EQ(0, sysctl_write(sysctl, saved));
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sys_fanotify_mark(fd, FAN_MARK_ADD, FAN_CREATE, AT_FDCWD, dir));
	/* Different names: nothing merges. */
	for (i = 0; i < 5; i++) {
		snprintf(p, sizeof(p), "%s/f%d", dir, i);
		ASSERT_EQ(0, create_file(p, ""));
	}
	n = fid_read_counted(_metadata, fd, ev, FID_MAX_EVENTS);
	ASSERT_EQ(4, n);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(FAN_CREATE, ev[i].mask);
		EXPECT_EQ(1, ev[i].nrec);
	}
	EXPECT_EQ(FAN_Q_OVERFLOW, ev[3].mask);
	EXPECT_EQ(FAN_NOFD, ev[3].fd);
	EXPECT_EQ(0, ev[3].nrec);
	EXPECT_EQ(FAN_EVENT_METADATA_LEN, ev[3].event_len);
	close(fd);
	EXPECT_EQ(0, teardown_private_tmpfs(dir));
}

/* fdinfo of FID groups: init flags, and the marks with their implicit FAN_EVENT_ON_CHILD. */
FIXTURE(fid_fdinfo)
{
	struct fid_world w;
};

FIXTURE_SETUP(fid_fdinfo)
{
	fid_world_setup(_metadata, &self->w, FS_TMPFS, FAN_REPORT_DFID_NAME);
}

FIXTURE_TEARDOWN(fid_fdinfo)
{
	fid_world_teardown(_metadata, &self->w);
}

/* Returns the fdinfo line of @fd that starts with @prefix (in @line, 1024 bytes), or -1. */
static int fdinfo_line(int fd, const char *prefix, char *line)
{
	char path[64];
	int found = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, 1024, f)) {
		if (!strncmp(line, prefix, strlen(prefix))) {
			found = 0;
			break;
		}
	}
	fclose(f);
	return found;
}

/* The expected inode mark line: the fhandle is the FID name_to_handle_at() gives. */
static void inode_mark_line(const struct fid_obj *o, unsigned int mask, char *out, size_t len)
{
	int n, i;

	n = snprintf(out, len,
		     "fanotify ino:%lx sdev:%x mflags:0 mask:%x ignored_mask:0 fhandle-bytes:%x fhandle-type:%x f_handle:",
		     (unsigned long)o->ino, kernel_dev(o->dev), mask, o->fh.bytes, o->fh.type);
	for (i = 0; i < (int)o->fh.bytes && n < (int)len - 3; i++)
		n += snprintf(out + n, len - n, "%02x", o->fh.f[i]);
	snprintf(out + n, len - n, "\n");
}

TEST_F(fid_fdinfo, dir_inode_mark)
{
	struct fid_world *w = &self->w;
	char line[1024], want[1024];

	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD, FAN_CREATE | FAN_ONDIR, AT_FDCWD,
				       w->o[O_D].path));
	ASSERT_EQ(0, fdinfo_line(w->fan_fd, "fanotify ino:", line));
	inode_mark_line(&w->o[O_D], FAN_CREATE | FAN_ONDIR, want, sizeof(want));
	EXPECT_STREQ(want, line);
}

/* A DIR_FID group's mark on a non-directory gets FAN_EVENT_ON_CHILD, to learn the parent. */
TEST_F(fid_fdinfo, file_inode_mark_on_child)
{
	struct fid_world *w = &self->w;
	char line[1024], want[1024];

	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD, FAN_MODIFY, AT_FDCWD,
				       w->o[O_FILE].path));
	ASSERT_EQ(0, fdinfo_line(w->fan_fd, "fanotify ino:", line));
	inode_mark_line(&w->o[O_FILE], FAN_MODIFY | FAN_EVENT_ON_CHILD, want, sizeof(want));
	EXPECT_STREQ(want, line);
}

/* Without DIR_FID nothing is added. */
TEST_F(fid_fdinfo, file_inode_mark_fid_only)
{
	struct fid_world *w = &self->w;
	char line[1024], want[1024];
	int fd;

	fd = sys_fanotify_init(FAN_REPORT_FID | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sys_fanotify_mark(fd, FAN_MARK_ADD, FAN_MODIFY, AT_FDCWD, w->o[O_FILE].path));
	ASSERT_EQ(0, fdinfo_line(fd, "fanotify ino:", line));
	inode_mark_line(&w->o[O_FILE], FAN_MODIFY, want, sizeof(want));
	EXPECT_STREQ(want, line);
	close(fd);
}

TEST_F(fid_fdinfo, sb_mark_on_child)
{
	struct fid_world *w = &self->w;
	char line[1024], want[1024];

	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
				       FAN_CREATE | FAN_EVENT_ON_CHILD, AT_FDCWD, w->root));
	ASSERT_EQ(0, fdinfo_line(w->fan_fd, "fanotify sdev:", line));
	snprintf(want, sizeof(want), "fanotify sdev:%x mflags:0 mask:%x ignored_mask:0\n",
		 kernel_dev(w->o[O_ROOT].dev), FAN_CREATE | FAN_EVENT_ON_CHILD);
	EXPECT_STREQ(want, line);
	/* Removing the event leaves an empty mask, and the mark goes away with its last bit. */
	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_REMOVE | FAN_MARK_FILESYSTEM,
				       FAN_CREATE, AT_FDCWD, w->root));
	EXPECT_EQ(-1, fdinfo_line(w->fan_fd, "fanotify sdev:", line));
}

/* An ignore mask does not get FAN_EVENT_ON_CHILD added. */
TEST_F(fid_fdinfo, sb_ignore_mark)
{
	struct fid_world *w = &self->w;
	char line[1024], want[1024];

	ASSERT_EQ(0, sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM |
				       FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORED_SURV_MODIFY,
				       FAN_MODIFY, AT_FDCWD, w->root));
	ASSERT_EQ(0, fdinfo_line(w->fan_fd, "fanotify sdev:", line));
	snprintf(want, sizeof(want), "fanotify sdev:%x mflags:%x mask:0 ignored_mask:%x\n",
		 kernel_dev(w->o[O_ROOT].dev), FAN_MARK_IGNORED_SURV_MODIFY, FAN_MODIFY);
	EXPECT_STREQ(want, line);
}

TEST_HARNESS_MAIN
