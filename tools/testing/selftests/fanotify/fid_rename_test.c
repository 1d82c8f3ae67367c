// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify FID reporting modes: FAN_RENAME (OLD_DFID_NAME and NEW_DFID_NAME records),
 * FAN_MOVED_FROM/FAN_MOVED_TO, FAN_MOVE_SELF and FAN_DELETE_SELF, with and without FAN_ONDIR,
 * per FID mode, for inode marks and filesystem marks, on tmpfs and ext4.
 *
 * Behaviour reference: upstream 6.12 fsnotify_move() (include/linux/fsnotify.h: FS_RENAME,
 * then FS_MOVED_FROM, FS_MOVED_TO, FS_MOVE_SELF), fanotify_alloc_event() (which of the old and
 * new parent+name a FAN_RENAME event reports, from the marks that matched) and
 * copy_info_records_to_user() in fs/notify/fanotify/.
 */

#include "fid_common.h"

FIXTURE(frn)
{
	struct fid_world w;
};

FIXTURE_VARIANT(frn)
{
	enum fid_mode_id mode;
	bool fs_mark;
	enum fid_fs fs;
};

#define FRN(_name, _mode, _fs_mark, _fs)					\
	FIXTURE_VARIANT_ADD(frn, _name) {					\
		.mode = (_mode), .fs_mark = (_fs_mark), .fs = (_fs),		\
	}

FRN(fid_inode, MODE_FID, false, FS_TMPFS);
FRN(fid_fs, MODE_FID, true, FS_TMPFS);
FRN(dir_fid_inode, MODE_DIR_FID, false, FS_TMPFS);
FRN(dir_fid_fs, MODE_DIR_FID, true, FS_TMPFS);
FRN(fid_dir_fid_inode, MODE_FID_DIR_FID, false, FS_TMPFS);
FRN(fid_dir_fid_fs, MODE_FID_DIR_FID, true, FS_TMPFS);
FRN(dfid_name_inode, MODE_DFID_NAME, false, FS_TMPFS);
FRN(dfid_name_fs, MODE_DFID_NAME, true, FS_TMPFS);
FRN(fid_dfid_name_inode, MODE_FID_DFID_NAME, false, FS_TMPFS);
FRN(fid_dfid_name_fs, MODE_FID_DFID_NAME, true, FS_TMPFS);
FRN(target_inode, MODE_DFID_NAME_TARGET, false, FS_TMPFS);
FRN(target_fs, MODE_DFID_NAME_TARGET, true, FS_TMPFS);
FRN(ext4_fid_inode, MODE_FID, false, FS_EXT4);
FRN(ext4_target_inode, MODE_DFID_NAME_TARGET, false, FS_EXT4);
FRN(ext4_target_fs, MODE_DFID_NAME_TARGET, true, FS_EXT4);

FIXTURE_SETUP(frn)
{
	fid_world_setup(_metadata, &self->w, variant->fs, fid_modes[variant->mode].flags);
}

FIXTURE_TEARDOWN(frn)
{
	fid_world_teardown(_metadata, &self->w);
}

/*
 * Marks the filesystem, or @target with an inode mark; directories get FAN_EVENT_ON_CHILD (a
 * non-directory must not: with TARGET_FID that is ENOTDIR).
 */
static int rn_mark(const FIXTURE_VARIANT(frn) *v, struct fid_world *w, uint64_t mask, int target)
{
	if (v->fs_mark)
		return sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, mask,
					 AT_FDCWD, w->root);
	if (target != O_FILE)
		mask |= FAN_EVENT_ON_CHILD;
	return sys_fanotify_mark(w->fan_fd, FAN_MARK_ADD, mask, AT_FDCWD, w->o[target].path);
}

static bool mode_has_name(const FIXTURE_VARIANT(frn) *v)
{
	return fid_modes[v->mode].flags & FAN_REPORT_NAME;
}

/* Whether dirent events carry the child's fid (TARGET_FID). */
static bool mode_has_target(const FIXTURE_VARIANT(frn) *v)
{
	return fid_modes[v->mode].flags & FAN_REPORT_TARGET_FID;
}

/*
 * Adds the FAN_RENAME marks, or checks that a group without FAN_REPORT_NAME cannot have them
 * (EINVAL).  Returns false in that case: the test is done.
 */
static bool rename_marks(struct __test_metadata *const _metadata, const FIXTURE_VARIANT(frn) *v,
			 struct fid_world *w, uint64_t mask, bool old_dir, bool new_dir)
{
	if (!mode_has_name(v)) {
		EXPECT_EQ(-1, rn_mark(v, w, mask, O_D));
		EXPECT_EQ(EINVAL, errno);
		return false;
	}
	if (old_dir || v->fs_mark)
		EXPECT_EQ(0, rn_mark(v, w, mask, O_D));
	if (new_dir && !v->fs_mark)
		EXPECT_EQ(0, rn_mark(v, w, mask, O_D2));
	return true;
}

/* Reads exactly one FAN_RENAME event and checks its records. */
static void expect_rename(struct __test_metadata *const _metadata, const FIXTURE_VARIANT(frn) *v,
			  struct fid_world *w, uint64_t mask, const struct fid_obj *old_dir,
			  const char *old_name, const struct fid_obj *new_dir,
			  const char *new_name, const struct fid_obj *obj)
{
	struct fid_event ev[FID_MAX_EVENTS];
	struct fid_exp exp[3];
	int n = 0;

	if (old_dir)
		exp[n++] = (struct fid_exp){ FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, old_dir, old_name };
	if (new_dir)
		exp[n++] = (struct fid_exp){ FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, new_dir, new_name };
	if (mode_has_target(v))
		exp[n++] = (struct fid_exp){ FAN_EVENT_INFO_TYPE_FID, obj, NULL };
	ASSERT_EQ(1, fid_read_counted(_metadata, w->fan_fd, ev, FID_MAX_EVENTS));
	fid_check(_metadata, &ev[0], mask, exp, n, &w->fsid, w->mount_fd);
}

/* Moves root/d/file to root/d2/moved and captures the moved file as O_NEW. */
static int move_file(struct fid_world *w)
{
	char p[FILE_PATH_LEN];

	if (rename(w->o[O_FILE].path, fid_path(w, "d2/moved", p)))
		return -1;
	return fid_capture(&w->o[O_NEW], p);
}

/* Both parents watched (or the filesystem): old and new parent+name, old first. */
TEST_F(frn, rename_across)
{
	struct fid_world *w = &self->w;

	if (!rename_marks(_metadata, variant, w, FAN_RENAME, true, true))
		return;
	ASSERT_EQ(0, move_file(w));
	expect_rename(_metadata, variant, w, FAN_RENAME, &w->o[O_D], "file", &w->o[O_D2], "moved",
		      &w->o[O_NEW]);
}

/* Only the old parent watched: only the old parent+name (a filesystem mark reports both). */
TEST_F(frn, rename_old_dir_only)
{
	struct fid_world *w = &self->w;

	if (!rename_marks(_metadata, variant, w, FAN_RENAME, true, false))
		return;
	ASSERT_EQ(0, move_file(w));
	expect_rename(_metadata, variant, w, FAN_RENAME, &w->o[O_D], "file",
		      variant->fs_mark ? &w->o[O_D2] : NULL, "moved", &w->o[O_NEW]);
}

TEST_F(frn, rename_new_dir_only)
{
	struct fid_world *w = &self->w;

	if (!rename_marks(_metadata, variant, w, FAN_RENAME, false, true))
		return;
	ASSERT_EQ(0, move_file(w));
	expect_rename(_metadata, variant, w, FAN_RENAME, variant->fs_mark ? &w->o[O_D] : NULL,
		      "file", &w->o[O_D2], "moved", &w->o[O_NEW]);
}

TEST_F(frn, rename_same_dir)
{
	struct fid_world *w = &self->w;
	char p[FILE_PATH_LEN];

	if (!rename_marks(_metadata, variant, w, FAN_RENAME, true, false))
		return;
	ASSERT_EQ(0, rename(w->o[O_FILE].path, fid_path(w, "d/renamed", p)));
	expect_rename(_metadata, variant, w, FAN_RENAME, &w->o[O_D], "file", &w->o[O_D],
		      "renamed", &w->o[O_FILE]);
}

TEST_F(frn, rename_dir_ondir)
{
	struct fid_world *w = &self->w;
	char p[FILE_PATH_LEN];

	if (!rename_marks(_metadata, variant, w, FAN_RENAME | FAN_ONDIR, true, true))
		return;
	ASSERT_EQ(0, rename(w->o[O_SUB].path, fid_path(w, "d2/subm", p)));
	expect_rename(_metadata, variant, w, FAN_RENAME | FAN_ONDIR, &w->o[O_D], "sub",
		      &w->o[O_D2], "subm", &w->o[O_SUB]);
}

TEST_F(frn, rename_dir_no_ondir)
{
	struct fid_world *w = &self->w;
	char p[FILE_PATH_LEN];

	if (!rename_marks(_metadata, variant, w, FAN_RENAME, true, true))
		return;
	ASSERT_EQ(0, rename(w->o[O_SUB].path, fid_path(w, "d2/subm", p)));
	EXPECT_TRUE(no_event(w->fan_fd));
	ASSERT_EQ(0, move_file(w));
	expect_rename(_metadata, variant, w, FAN_RENAME, &w->o[O_D], "file", &w->o[O_D2], "moved",
		      &w->o[O_NEW]);
}

/* MOVED_FROM then MOVED_TO, each a dirent event of its own directory. */
TEST_F(frn, moved_across)
{
	const enum fid_shape *shape = fid_modes[variant->mode].dirent;
	struct fid_world *w = &self->w;
	struct fid_event ev[FID_MAX_EVENTS];
	struct fid_exp exp[3];
	int nexp;

	ASSERT_EQ(0, rn_mark(variant, w, FAN_MOVED_FROM | FAN_MOVED_TO, O_D));
	if (!variant->fs_mark)
		ASSERT_EQ(0, rn_mark(variant, w, FAN_MOVED_FROM | FAN_MOVED_TO, O_D2));
	ASSERT_EQ(0, move_file(w));
	ASSERT_EQ(2, fid_read_counted(_metadata, w->fan_fd, ev, FID_MAX_EVENTS));
	nexp = fid_expand(shape, &w->o[O_D], "file", &w->o[O_NEW], exp);
	fid_check(_metadata, &ev[0], FAN_MOVED_FROM, exp, nexp, &w->fsid, w->mount_fd);
	nexp = fid_expand(shape, &w->o[O_D2], "moved", &w->o[O_NEW], exp);
	fid_check(_metadata, &ev[1], FAN_MOVED_TO, exp, nexp, &w->fsid, w->mount_fd);
}

/*
 * A rename within one directory: without names both events are about the directory alone and
 * merge into one MOVED_FROM|MOVED_TO event; with names they stay two.
 */
TEST_F(frn, moved_same_dir)
{
	const enum fid_shape *shape = fid_modes[variant->mode].dirent;
	struct fid_world *w = &self->w;
	struct fid_event ev[FID_MAX_EVENTS];
	struct fid_exp exp[3];
	char p[FILE_PATH_LEN];
	int n, nexp;

	ASSERT_EQ(0, rn_mark(variant, w, FAN_MOVED_FROM | FAN_MOVED_TO, O_D));
	ASSERT_EQ(0, rename(w->o[O_FILE].path, fid_path(w, "d/renamed", p)));
	n = fid_read_counted(_metadata, w->fan_fd, ev, FID_MAX_EVENTS);
	if (!mode_has_name(variant)) {
		ASSERT_EQ(1, n);
		nexp = fid_expand(shape, &w->o[O_D], NULL, NULL, exp);
		fid_check(_metadata, &ev[0], FAN_MOVED_FROM | FAN_MOVED_TO, exp, nexp, &w->fsid,
			  w->mount_fd);
		return;
	}
	ASSERT_EQ(2, n);
	nexp = fid_expand(shape, &w->o[O_D], "file", &w->o[O_FILE], exp);
	fid_check(_metadata, &ev[0], FAN_MOVED_FROM, exp, nexp, &w->fsid, w->mount_fd);
	nexp = fid_expand(shape, &w->o[O_D], "renamed", &w->o[O_FILE], exp);
	fid_check(_metadata, &ev[1], FAN_MOVED_TO, exp, nexp, &w->fsid, w->mount_fd);
}

TEST_F(frn, moved_dir_ondir)
{
	const enum fid_shape *shape = fid_modes[variant->mode].dirent;
	struct fid_world *w = &self->w;
	struct fid_event ev[FID_MAX_EVENTS];
	struct fid_exp exp[3];
	char p[FILE_PATH_LEN];
	int nexp;

	ASSERT_EQ(0, rn_mark(variant, w, FAN_MOVED_FROM | FAN_MOVED_TO | FAN_ONDIR, O_D));
	if (!variant->fs_mark)
		ASSERT_EQ(0, rn_mark(variant, w, FAN_MOVED_FROM | FAN_MOVED_TO | FAN_ONDIR, O_D2));
	ASSERT_EQ(0, rename(w->o[O_SUB].path, fid_path(w, "d2/subm", p)));
	ASSERT_EQ(2, fid_read_counted(_metadata, w->fan_fd, ev, FID_MAX_EVENTS));
	nexp = fid_expand(shape, &w->o[O_D], "sub", &w->o[O_SUB], exp);
	fid_check(_metadata, &ev[0], FAN_MOVED_FROM | FAN_ONDIR, exp, nexp, &w->fsid,
		  w->mount_fd);
	nexp = fid_expand(shape, &w->o[O_D2], "subm", &w->o[O_SUB], exp);
	fid_check(_metadata, &ev[1], FAN_MOVED_TO | FAN_ONDIR, exp, nexp, &w->fsid, w->mount_fd);
}

/*
 * One rename, every move event: FAN_RENAME first, then MOVED_FROM, MOVED_TO and MOVE_SELF
 * (which groups without FAN_REPORT_FID drop: a file's MOVE_SELF has no parent to report).
 */
TEST_F(frn, all_move_events_in_order)
{
	const struct fid_mode *m = &fid_modes[variant->mode];
	const uint64_t dmask = FAN_RENAME | FAN_MOVED_FROM | FAN_MOVED_TO;
	struct fid_world *w = &self->w;
	struct fid_event ev[FID_MAX_EVENTS];
	struct fid_exp exp[3];
	int n, nexp, i = 0;

	if (!rename_marks(_metadata, variant, w, dmask | FAN_MOVE_SELF, true, true))
		return;
	if (!variant->fs_mark)
		ASSERT_EQ(0, rn_mark(variant, w, FAN_MOVE_SELF, O_FILE));
	ASSERT_EQ(0, move_file(w));
	n = fid_read_counted(_metadata, w->fan_fd, ev, FID_MAX_EVENTS);
	ASSERT_EQ(m->fileself[0] == S_END ? 3 : 4, n);
	nexp = 0;
	exp[nexp++] = (struct fid_exp){ FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, &w->o[O_D], "file" };
	exp[nexp++] = (struct fid_exp){ FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, &w->o[O_D2], "moved" };
	if (mode_has_target(variant))
		exp[nexp++] = (struct fid_exp){ FAN_EVENT_INFO_TYPE_FID, &w->o[O_NEW], NULL };
	fid_check(_metadata, &ev[i++], FAN_RENAME, exp, nexp, &w->fsid, w->mount_fd);
	nexp = fid_expand(m->dirent, &w->o[O_D], "file", &w->o[O_NEW], exp);
	fid_check(_metadata, &ev[i++], FAN_MOVED_FROM, exp, nexp, &w->fsid, w->mount_fd);
	nexp = fid_expand(m->dirent, &w->o[O_D2], "moved", &w->o[O_NEW], exp);
	fid_check(_metadata, &ev[i++], FAN_MOVED_TO, exp, nexp, &w->fsid, w->mount_fd);
	if (i < n) {
		nexp = fid_expand(m->fileself, NULL, NULL, &w->o[O_NEW], exp);
		fid_check(_metadata, &ev[i], FAN_MOVE_SELF, exp, nexp, &w->fsid, w->mount_fd);
	}
}

/* Expects one event shaped by @shape, or none if the mode reports nothing for it. */
static void expect_self(struct __test_metadata *const _metadata, struct fid_world *w,
			const enum fid_shape *shape, uint64_t mask, const struct fid_obj *obj)
{
	struct fid_event ev[FID_MAX_EVENTS];
	struct fid_exp exp[3];
	int nexp;

	nexp = fid_expand(shape, NULL, NULL, obj, exp);
	if (!nexp) {
		EXPECT_TRUE(no_event(w->fan_fd));
		return;
	}
	ASSERT_EQ(1, fid_read_counted(_metadata, w->fan_fd, ev, FID_MAX_EVENTS));
	fid_check(_metadata, &ev[0], mask, exp, nexp, &w->fsid, w->mount_fd);
}

TEST_F(frn, move_self_file)
{
	struct fid_world *w = &self->w;

	ASSERT_EQ(0, rn_mark(variant, w, FAN_MOVE_SELF, O_FILE));
	ASSERT_EQ(0, move_file(w));
	expect_self(_metadata, w, fid_modes[variant->mode].fileself, FAN_MOVE_SELF, &w->o[O_NEW]);
}

/* A directory's self events report the directory itself: DFID, or DFID_NAME with ".". */
TEST_F(frn, move_self_dir_ondir)
{
	struct fid_world *w = &self->w;
	char p[FILE_PATH_LEN];

	ASSERT_EQ(0, rn_mark(variant, w, FAN_MOVE_SELF | FAN_ONDIR, O_SUB));
	ASSERT_EQ(0, rename(w->o[O_SUB].path, fid_path(w, "d2/subm", p)));
	expect_self(_metadata, w, fid_modes[variant->mode].dirself, FAN_MOVE_SELF | FAN_ONDIR,
		    &w->o[O_SUB]);
}

/* Without FAN_ONDIR even the directory's own inode mark does not see its self events. */
TEST_F(frn, move_self_dir_no_ondir)
{
	struct fid_world *w = &self->w;
	char p[FILE_PATH_LEN];

	ASSERT_EQ(0, rn_mark(variant, w, FAN_MOVE_SELF, O_SUB));
	ASSERT_EQ(0, rename(w->o[O_SUB].path, fid_path(w, "d2/subm", p)));
	EXPECT_TRUE(no_event(w->fan_fd));
}

TEST_F(frn, delete_self_file)
{
	struct fid_world *w = &self->w;

	ASSERT_EQ(0, rn_mark(variant, w, FAN_DELETE_SELF, O_FILE));
	ASSERT_EQ(0, unlink(w->o[O_FILE].path));
	w->o[O_FILE].ino = 0;
	expect_self(_metadata, w, fid_modes[variant->mode].fileself, FAN_DELETE_SELF,
		    &w->o[O_FILE]);
}

TEST_F(frn, delete_self_dir_ondir)
{
	struct fid_world *w = &self->w;

	ASSERT_EQ(0, rn_mark(variant, w, FAN_DELETE_SELF | FAN_ONDIR, O_SUB));
	ASSERT_EQ(0, rmdir(w->o[O_SUB].path));
	w->o[O_SUB].ino = 0;
	expect_self(_metadata, w, fid_modes[variant->mode].dirself, FAN_DELETE_SELF | FAN_ONDIR,
		    &w->o[O_SUB]);
}

TEST_F(frn, delete_self_dir_no_ondir)
{
	struct fid_world *w = &self->w;

	ASSERT_EQ(0, rn_mark(variant, w, FAN_DELETE_SELF, O_SUB));
	ASSERT_EQ(0, rmdir(w->o[O_SUB].path));
	EXPECT_TRUE(no_event(w->fan_fd));
}

/*
 * An inode mark on the file itself: groups with DIR_FID get FAN_EVENT_ON_CHILD added to it, so
 * the event still carries the parent (and name), as through a watching parent.
 */
TEST_F(frn, attrib_file_own_mark)
{
	const enum fid_shape *shape = fid_modes[variant->mode].child;
	struct fid_world *w = &self->w;
	struct fid_event ev[FID_MAX_EVENTS];
	struct fid_exp exp[3];
	int nexp;

	ASSERT_EQ(0, rn_mark(variant, w, FAN_ATTRIB, O_FILE));
	ASSERT_EQ(0, chmod(w->o[O_FILE].path, 0600));
	ASSERT_EQ(1, fid_read_counted(_metadata, w->fan_fd, ev, FID_MAX_EVENTS));
	nexp = fid_expand(shape, &w->o[O_D], "file", &w->o[O_FILE], exp);
	fid_check(_metadata, &ev[0], FAN_ATTRIB, exp, nexp, &w->fsid, w->mount_fd);
}

TEST_HARNESS_MAIN
