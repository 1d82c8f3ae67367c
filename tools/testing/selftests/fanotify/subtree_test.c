// SPDX-License-Identifier: GPL-2.0
/*
 * FAN_MARK_SUBTREE: an inode mark on a directory that applies to everything below it in the
 * same filesystem (not an upstream flag; see Documentation/filesystems/fanotify.rst).
 *
 * On the stock kernel the flag is refused with EINVAL, which is how programs probe for it: the
 * fixture checks exactly that errno and then skips.
 *
 * The tree, on a private tmpfs:
 *   R/f  R/a/f  R/a/b/f  R/a/b/c/d/e/g/h/f  (R/a/b/c/d/e/g/h is 7 directories below R)
 *   O/x/f                                    (outside R, same filesystem)
 */

#include "fid_common.h"
#include "perm_common.h"

#include <pthread.h>
#include <sys/inotify.h>
#include <time.h>
#include <sys/wait.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE 2
#endif

#ifndef FAN_MARK_SUBTREE
#define FAN_MARK_SUBTREE 0x40000000
#endif

#ifndef FAN_CACHE
#define FAN_CACHE 0x00800000
#endif

#define DEEP "a/b/c/d/e/g/h"
/* How deep the long chain goes; deeper than any fixed-size stack array would hold. */
#define CHAIN_DEPTH 2000

FIXTURE(subtree) {
	char base[DIR_PATH_LEN];
	char root[DIR_PATH_LEN + 8];
	char out[DIR_PATH_LEN + 8];
	int fan;
};

/* @out (FILE_PATH_LEN * 2 bytes) gets "@dir/@rel". */
static char *path_in(const char *dir, char *out, const char *rel)
{
	snprintf(out, FILE_PATH_LEN * 2, "%s/%s", dir, rel);
	return out;
}

/* mkdir -p of a relative path below @dir, and an empty file "f" in every directory made. */
static int make_dirs_with_files(const char *dir, const char *rel)
{
	char path[FILE_PATH_LEN * 2], file[FILE_PATH_LEN * 2 + 4];
	const char *p = rel;

	for (;;) {
		p = strchr(p, '/');
		snprintf(path, sizeof(path), "%s/%.*s", dir,
			 p ? (int)(p - rel) : (int)strlen(rel), rel);
		if (mkdir(path, 0755) && errno != EEXIST)
			return -1;
		snprintf(file, sizeof(file), "%s/f", path);
		if (create_file(file, ""))
			return -1;
		if (!p)
			return 0;
		p++;
	}
}

/* The world of the tests: a private tmpfs at @base with R/f, R/DEEP and O/x (see above). */
static int make_world(char *base, char root[DIR_PATH_LEN + 8], char out[DIR_PATH_LEN + 8])
{
	char path[FILE_PATH_LEN * 2];

	if (setup_private_tmpfs(base))
		return -1;
	snprintf(root, DIR_PATH_LEN + 8, "%s/R", base);
	snprintf(out, DIR_PATH_LEN + 8, "%s/O", base);
	if (mkdir(root, 0755) || mkdir(out, 0755) || create_file(path_in(root, path, "f"), ""))
		return -1;
	if (make_dirs_with_files(root, DEEP) || make_dirs_with_files(out, "x"))
		return -1;
	return 0;
}

/*
 * The probe a program would make: @ret is what a first fanotify_mark() with FAN_MARK_SUBTREE
 * returned.  Ours takes it; the stock kernel refuses it with EINVAL, and then the caller skips.
 * Returns whether the kernel is the stock one.
 */
static bool subtree_refused(struct __test_metadata *const _metadata, int ret)
{
	int err = errno;

	if (!kernel_is_stock()) {
		ASSERT_EQ(0, ret);
		return false;
	}
	ASSERT_EQ(-1, ret);
	ASSERT_EQ(EINVAL, err);
	return true;
}

FIXTURE_SETUP(subtree)
{
	int ret;

	self->fan = -1;
	ASSERT_EQ(0, make_world(self->base, self->root, self->out));
	self->fan = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, self->fan);
	ret = sys_fanotify_mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN, AT_FDCWD,
				self->root);
	if (subtree_refused(_metadata, ret))
		SKIP(return, "no FAN_MARK_SUBTREE upstream: refused with EINVAL");
	ASSERT_EQ(0, sys_fanotify_mark(self->fan, FAN_MARK_REMOVE | FAN_MARK_SUBTREE, FAN_OPEN,
				       AT_FDCWD, self->root));
}

FIXTURE_TEARDOWN(subtree)
{
	if (self->fan >= 0)
		close(self->fan);
	teardown_private_tmpfs(self->base);
}

/* Opens and closes @path, then expects exactly one record of @want for it (or none: 0). */
static void expect_open(struct __test_metadata *const _metadata, int fan, const char *path,
			uint64_t want)
{
	struct event_summary sum;
	struct stat st;

	ASSERT_EQ(0, stat(path, &st));
	ASSERT_EQ(0, open_close_file(path, O_RDONLY));
	if (!want) {
		EXPECT_TRUE(no_event(fan)) TH_LOG("unexpected event for %s", path);
		return;
	}
	ASSERT_LE(1, collect_events(fan, &st, &sum, EVENT_TIMEOUT_MS));
	EXPECT_EQ(1, sum.records) TH_LOG("%s", path);
	EXPECT_EQ(want, sum.mask) TH_LOG("%s", path);
	EXPECT_EQ(0, sum.others);
	EXPECT_EQ(0, sum.bad_records);
}

static int mark(int fan, unsigned int flags, uint64_t mask, const char *path)
{
	return sys_fanotify_mark(fan, flags, mask, AT_FDCWD, path);
}

TEST_F(subtree, errors)
{
	char file[FILE_PATH_LEN * 2];
	const unsigned int add = FAN_MARK_ADD | FAN_MARK_SUBTREE;

	path_in(self->root, file, "f");
	/* Only inode marks can be subtree marks. */
	EXPECT_EQ(-1, mark(self->fan, add | FAN_MARK_MOUNT, FAN_OPEN, self->root));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, mark(self->fan, add | FAN_MARK_FILESYSTEM, FAN_OPEN, self->root));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, mark(self->fan, FAN_MARK_FLUSH | FAN_MARK_SUBTREE | FAN_MARK_MOUNT, 0,
			   NULL));
	EXPECT_EQ(EINVAL, errno);
	/* Neither the legacy ignore API nor an evictable root. */
	EXPECT_EQ(-1, mark(self->fan, add | FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORED_SURV_MODIFY,
			   FAN_OPEN, self->root));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, mark(self->fan, add | FAN_MARK_EVICTABLE, FAN_OPEN, self->root));
	EXPECT_EQ(EINVAL, errno);
	/* The root of a tree is a directory. */
	EXPECT_EQ(-1, mark(self->fan, add, FAN_OPEN, file));
	EXPECT_EQ(ENOTDIR, errno);
	EXPECT_EQ(-1, mark(self->fan, FAN_MARK_REMOVE | FAN_MARK_SUBTREE, FAN_OPEN, file));
	EXPECT_EQ(ENOTDIR, errno);
	/* The directory rule of FAN_MARK_IGNORE: survival spelled out. */
	EXPECT_EQ(-1, mark(self->fan, add | FAN_MARK_IGNORE, FAN_OPEN, self->root));
	EXPECT_EQ(EISDIR, errno);
	EXPECT_EQ(0, mark(self->fan, add | FAN_MARK_IGNORE_SURV, FAN_OPEN, self->root));
	EXPECT_EQ(0, mark(self->fan, FAN_MARK_FLUSH | FAN_MARK_SUBTREE, 0, NULL));

	/* One mark per group and directory: plain or subtree, never both. */
	EXPECT_EQ(0, mark(self->fan, FAN_MARK_ADD, FAN_OPEN, self->root));
	EXPECT_EQ(-1, mark(self->fan, add, FAN_OPEN, self->root));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(-1, mark(self->fan, FAN_MARK_REMOVE | FAN_MARK_SUBTREE, FAN_OPEN, self->root));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, mark(self->fan, FAN_MARK_REMOVE, FAN_OPEN, self->root));
	EXPECT_EQ(0, mark(self->fan, add, FAN_OPEN, self->root));
	EXPECT_EQ(-1, mark(self->fan, FAN_MARK_ADD, FAN_OPEN, self->root));
	EXPECT_EQ(EEXIST, errno);
	EXPECT_EQ(-1, mark(self->fan, FAN_MARK_REMOVE, FAN_OPEN, self->root));
	EXPECT_EQ(ENOENT, errno);
	/* Removing the last event removes the mark, kernel-added FAN_EVENT_ON_CHILD or not. */
	EXPECT_EQ(0, mark(self->fan, FAN_MARK_REMOVE | FAN_MARK_SUBTREE, FAN_OPEN, self->root));
	EXPECT_EQ(-1, mark(self->fan, FAN_MARK_REMOVE | FAN_MARK_SUBTREE, FAN_OPEN, self->root));
	EXPECT_EQ(ENOENT, errno);
}

/* A caller without CAP_SYS_ADMIN: EPERM, as for mount and filesystem marks. */
TEST_F(subtree, unprivileged_caller)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (drop_to_nobody())
			_exit(2);
		if (!mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN, self->root))
			_exit(3);
		_exit(errno == EPERM ? 0 : 4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_F(subtree, open_at_every_depth)
{
	char path[FILE_PATH_LEN * 2];

	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN | FAN_CLOSE_WRITE,
			  self->root));
	expect_open(_metadata, self->fan, path_in(self->root, path, "f"), FAN_OPEN);
	expect_open(_metadata, self->fan, path_in(self->root, path, "a/f"), FAN_OPEN);
	expect_open(_metadata, self->fan, path_in(self->root, path, "a/b/f"), FAN_OPEN);
	expect_open(_metadata, self->fan, path_in(self->root, path, DEEP "/f"), FAN_OPEN);
	/* Outside the tree, and the tree's own directories without FAN_ONDIR: nothing. */
	expect_open(_metadata, self->fan, path_in(self->out, path, "x/f"), 0);
	expect_open(_metadata, self->fan, self->root, 0);
	expect_open(_metadata, self->fan, path_in(self->root, path, "a/b"), 0);

	/* A write below: FAN_OPEN and FAN_CLOSE_WRITE, merged. */
	{
		struct event_summary sum;
		struct stat st;

		path_in(self->root, path, "a/b/c/f");
		ASSERT_EQ(0, stat(path, &st));
		ASSERT_EQ(0, open_close_file(path, O_WRONLY));
		ASSERT_LE(1, collect_events(self->fan, &st, &sum, EVENT_TIMEOUT_MS));
		EXPECT_EQ(FAN_OPEN | FAN_CLOSE_WRITE, sum.mask);
		EXPECT_EQ(0, sum.others);
	}

	/* FAN_ONDIR: the root and the directories below it are reported too. */
	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN | FAN_ONDIR,
			  self->root));
	/* (fd mode does not show FAN_ONDIR) */
	expect_open(_metadata, self->fan, self->root, FAN_OPEN);
	expect_open(_metadata, self->fan, path_in(self->root, path, "a/b"), FAN_OPEN);
	expect_open(_metadata, self->fan, self->out, 0);
}

TEST_F(subtree, create_reported_with_dir_fid_and_name)
{
	char path[FILE_PATH_LEN * 2], dir_path[FILE_PATH_LEN];
	struct fid_event ev[4];
	struct fid_obj dir;
	int fan, n;

	fan = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_REPORT_DFID_NAME, 0);
	ASSERT_LE(0, fan);
	ASSERT_EQ(0, mark(fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_CREATE, self->root));
	snprintf(dir_path, sizeof(dir_path), "%s/a/b", self->root);
	ASSERT_EQ(0, fid_capture(&dir, dir_path));

	ASSERT_EQ(0, create_file(path_in(self->root, path, "a/b/new"), ""));
	n = fid_read(_metadata, fan, ev, 4, EVENT_TIMEOUT_MS);
	ASSERT_EQ(1, n);
	EXPECT_EQ(FAN_CREATE, ev[0].mask);
	ASSERT_EQ(1, ev[0].nrec);
	EXPECT_EQ(FAN_EVENT_INFO_TYPE_DFID_NAME, ev[0].rec[0].type);
	EXPECT_TRUE(fid_fh_equal(&dir.fh, &ev[0].rec[0].fh));
	EXPECT_STREQ("new", ev[0].rec[0].name);

	/* Deep, and outside. */
	ASSERT_EQ(0, create_file(path_in(self->root, path, DEEP "/new"), ""));
	n = fid_read(_metadata, fan, ev, 4, EVENT_TIMEOUT_MS);
	ASSERT_EQ(1, n);
	EXPECT_STREQ("new", ev[0].rec[0].name);
	ASSERT_EQ(0, create_file(path_in(self->out, path, "x/new"), ""));
	EXPECT_TRUE(no_event(fan));
	/* mkdir needs FAN_ONDIR, as for an inode mark on the directory. */
	ASSERT_EQ(0, mkdir(path_in(self->root, path, "a/b/newdir"), 0755));
	EXPECT_TRUE(no_event(fan));
	close(fan);
}

/* A filesystem mark with a subtree ignore mark: the tree is silent, the rest is reported. */
TEST_F(subtree, ignore_excludes_tree_from_filesystem_mark)
{
	char path[FILE_PATH_LEN * 2];

	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_OPEN, self->base));
	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE | FAN_MARK_IGNORE_SURV,
			  FAN_OPEN, path_in(self->root, path, "a")));
	expect_open(_metadata, self->fan, path_in(self->root, path, "a/f"), 0);
	expect_open(_metadata, self->fan, path_in(self->root, path, "a/b/f"), 0);
	expect_open(_metadata, self->fan, path_in(self->root, path, DEEP "/f"), 0);
	expect_open(_metadata, self->fan, path_in(self->root, path, "f"), FAN_OPEN);
	expect_open(_metadata, self->fan, path_in(self->out, path, "x/f"), FAN_OPEN);
	/* Removing the ignore mark gives the tree back. */
	ASSERT_EQ(0, mark(self->fan, FAN_MARK_REMOVE | FAN_MARK_SUBTREE | FAN_MARK_IGNORE,
			  FAN_OPEN, path_in(self->root, path, "a")));
	expect_open(_metadata, self->fan, path_in(self->root, path, "a/b/f"), FAN_OPEN);
}

/* An ignore mark above a watch mark of the same group wins. */
TEST_F(subtree, ignore_above_watch)
{
	char path[FILE_PATH_LEN * 2];

	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN,
			  path_in(self->root, path, "a/b")));
	expect_open(_metadata, self->fan, path_in(self->root, path, "a/b/c/f"), FAN_OPEN);
	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE | FAN_MARK_IGNORE_SURV,
			  FAN_OPEN, path_in(self->root, path, "a")));
	expect_open(_metadata, self->fan, path_in(self->root, path, "a/b/c/f"), 0);
	expect_open(_metadata, self->fan, path_in(self->root, path, DEEP "/f"), 0);
}

/* Nested watch marks of one group: the union; two groups: each its own answer. */
TEST_F(subtree, nesting_and_two_groups)
{
	char path[FILE_PATH_LEN * 2];
	struct event_summary sum;
	struct stat st;
	int fan2;

	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN, self->root));
	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_CLOSE_WRITE,
			  path_in(self->root, path, "a/b")));
	fan2 = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, fan2);
	ASSERT_EQ(0, mark(fan2, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_CLOSE_WRITE,
			  path_in(self->root, path, "a")));

	path_in(self->root, path, DEEP "/f");
	ASSERT_EQ(0, stat(path, &st));
	ASSERT_EQ(0, open_close_file(path, O_WRONLY));
	ASSERT_LE(1, collect_events(self->fan, &st, &sum, EVENT_TIMEOUT_MS));
	EXPECT_EQ(FAN_OPEN | FAN_CLOSE_WRITE, sum.mask);
	ASSERT_LE(1, collect_events(fan2, &st, &sum, EVENT_TIMEOUT_MS));
	EXPECT_EQ(FAN_CLOSE_WRITE, sum.mask);

	/* R/f: only the first group's mark on R applies. */
	path_in(self->root, path, "f");
	ASSERT_EQ(0, stat(path, &st));
	ASSERT_EQ(0, open_close_file(path, O_WRONLY));
	ASSERT_LE(1, collect_events(self->fan, &st, &sum, EVENT_TIMEOUT_MS));
	EXPECT_EQ(FAN_OPEN, sum.mask);
	EXPECT_TRUE(no_event(fan2));
	close(fan2);
}

/* After a rename the new place decides. */
TEST_F(subtree, rename_into_and_out_of_tree)
{
	char from[FILE_PATH_LEN * 2], to[FILE_PATH_LEN * 2], path[FILE_PATH_LEN * 2];

	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN,
			  path_in(self->root, path, "a")));
	/* O/x moves into the tree. */
	ASSERT_EQ(0, rename(path_in(self->out, from, "x"), path_in(self->root, to, "a/b/x")));
	expect_open(_metadata, self->fan, path_in(self->root, path, "a/b/x/f"), FAN_OPEN);
	/* R/a/b/c moves out of it. */
	ASSERT_EQ(0, rename(path_in(self->root, from, "a/b/c"), path_in(self->out, to, "c")));
	expect_open(_metadata, self->fan, path_in(self->out, path, "c/d/e/g/h/f"), 0);
	expect_open(_metadata, self->fan, path_in(self->out, path, "c/f"), 0);
	/* Moving the root moves the tree. */
	ASSERT_EQ(0, rename(path_in(self->root, from, "a"), path_in(self->out, to, "a2")));
	expect_open(_metadata, self->fan, path_in(self->out, path, "a2/b/x/f"), FAN_OPEN);
}

/* FAN_RENAME: each side is reported when its directory is in the tree, as marks there would. */
TEST_F(subtree, rename_event_sides)
{
	char from[FILE_PATH_LEN * 2], to[FILE_PATH_LEN * 2], dir_path[FILE_PATH_LEN];
	struct fid_obj a, b;
	struct fid_event ev[4];
	int fan, n;

	fan = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_REPORT_DFID_NAME, 0);
	ASSERT_LE(0, fan);
	ASSERT_EQ(0, mark(fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_RENAME, self->root));
	snprintf(dir_path, sizeof(dir_path), "%s/a", self->root);
	ASSERT_EQ(0, fid_capture(&a, dir_path));
	snprintf(dir_path, sizeof(dir_path), "%s/a/b", self->root);
	ASSERT_EQ(0, fid_capture(&b, dir_path));

	/* Within the tree: both sides. */
	ASSERT_EQ(0, rename(path_in(self->root, from, "a/f"), path_in(self->root, to, "a/b/f2")));
	n = fid_read(_metadata, fan, ev, 4, EVENT_TIMEOUT_MS);
	ASSERT_EQ(1, n);
	EXPECT_EQ(FAN_RENAME, ev[0].mask);
	ASSERT_EQ(2, ev[0].nrec);
	EXPECT_EQ(FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, ev[0].rec[0].type);
	EXPECT_TRUE(fid_fh_equal(&a.fh, &ev[0].rec[0].fh));
	EXPECT_STREQ("f", ev[0].rec[0].name);
	EXPECT_EQ(FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, ev[0].rec[1].type);
	EXPECT_TRUE(fid_fh_equal(&b.fh, &ev[0].rec[1].fh));
	EXPECT_STREQ("f2", ev[0].rec[1].name);

	/* Into the tree: the new side only. */
	ASSERT_EQ(0, rename(path_in(self->out, from, "x/f"), path_in(self->root, to, "a/f3")));
	n = fid_read(_metadata, fan, ev, 4, EVENT_TIMEOUT_MS);
	ASSERT_EQ(1, n);
	ASSERT_EQ(1, ev[0].nrec);
	EXPECT_EQ(FAN_EVENT_INFO_TYPE_NEW_DFID_NAME, ev[0].rec[0].type);
	EXPECT_TRUE(fid_fh_equal(&a.fh, &ev[0].rec[0].fh));
	EXPECT_STREQ("f3", ev[0].rec[0].name);

	/* Out of it: the old side only. */
	ASSERT_EQ(0, rename(path_in(self->root, from, "a/b/f2"), path_in(self->out, to, "x/g")));
	n = fid_read(_metadata, fan, ev, 4, EVENT_TIMEOUT_MS);
	ASSERT_EQ(1, n);
	ASSERT_EQ(1, ev[0].nrec);
	EXPECT_EQ(FAN_EVENT_INFO_TYPE_OLD_DFID_NAME, ev[0].rec[0].type);
	EXPECT_TRUE(fid_fh_equal(&b.fh, &ev[0].rec[0].fh));
	EXPECT_STREQ("f2", ev[0].rec[0].name);

	/* Outside: nothing. */
	ASSERT_EQ(0, rename(path_in(self->out, from, "x/g"), path_in(self->out, to, "x/h")));
	EXPECT_TRUE(no_event(fan));
	close(fan);
}

/* A hard link: the path used for the access decides. */
TEST_F(subtree, hard_link)
{
	char path[FILE_PATH_LEN * 2], link_path[FILE_PATH_LEN * 2];

	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN, self->root));
	path_in(self->out, link_path, "x/linked");
	ASSERT_EQ(0, link(path_in(self->root, path, "a/b/f"), link_path));
	expect_open(_metadata, self->fan, link_path, 0);
	expect_open(_metadata, self->fan, path, FAN_OPEN);
}

/* A filesystem mounted below the root is not part of the tree. */
TEST_F(subtree, other_filesystem_below)
{
	char path[FILE_PATH_LEN * 2];

	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN, self->root));
	ASSERT_EQ(0, mount_tmpfs(path_in(self->root, path, "a/b")));
	ASSERT_EQ(0, create_file(path_in(self->root, path, "a/b/f"), ""));
	expect_open(_metadata, self->fan, path, 0);
	ASSERT_EQ(0, umount2(path_in(self->root, path, "a/b"), MNT_DETACH));
	expect_open(_metadata, self->fan, path_in(self->root, path, "a/b/f"), FAN_OPEN);
}

/* Whether fdinfo of @fan shows an inode mark with @mflags. */
static int count_marks(int fan, unsigned int mflags)
{
	char name[64], line[512], want[32];
	int n = 0;
	FILE *f;

	snprintf(name, sizeof(name), "/proc/self/fdinfo/%d", fan);
	snprintf(want, sizeof(want), "mflags:%x ", mflags);
	f = fopen(name, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "fanotify ino:", 13) && strstr(line, want))
			n++;
	fclose(f);
	return n;
}

TEST_F(subtree, flush_fdinfo_and_rmdir)
{
	char path[FILE_PATH_LEN * 2];

	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN, self->root));
	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD, FAN_OPEN, self->out));
	EXPECT_EQ(1, count_marks(self->fan, FAN_MARK_SUBTREE));
	EXPECT_EQ(1, count_marks(self->fan, 0));
	/* FLUSH | SUBTREE keeps the plain mark. */
	ASSERT_EQ(0, mark(self->fan, FAN_MARK_FLUSH | FAN_MARK_SUBTREE, 0, NULL));
	EXPECT_EQ(0, count_marks(self->fan, FAN_MARK_SUBTREE));
	EXPECT_EQ(1, count_marks(self->fan, 0));
	expect_open(_metadata, self->fan, path_in(self->root, path, "a/f"), 0);
	/* Plain FLUSH removes subtree marks too. */
	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN,
			  path_in(self->root, path, "a/b/c")));
	ASSERT_EQ(0, mark(self->fan, FAN_MARK_FLUSH, 0, NULL));
	EXPECT_EQ(0, count_marks(self->fan, FAN_MARK_SUBTREE));
	EXPECT_EQ(0, count_marks(self->fan, 0));

	/* rmdir of the root takes the mark with it. */
	path_in(self->root, path, DEEP);
	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN, path));
	EXPECT_EQ(1, count_marks(self->fan, FAN_MARK_SUBTREE));
	ASSERT_EQ(0, unlink(path_in(self->root, path, DEEP "/f")));
	ASSERT_EQ(0, rmdir(path_in(self->root, path, DEEP)));
	EXPECT_EQ(0, count_marks(self->fan, FAN_MARK_SUBTREE));
}

/* Unmount with a subtree mark and a subtree ignore mark in place: the marks go, nothing leaks. */
TEST_F(subtree, unmount_with_marks)
{
	char path[FILE_PATH_LEN * 2];

	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN, self->root));
	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE | FAN_MARK_IGNORE_SURV,
			  FAN_OPEN, path_in(self->root, path, "a/b")));
	expect_open(_metadata, self->fan, path_in(self->root, path, "a/f"), FAN_OPEN);
	ASSERT_EQ(0, umount2(self->base, 0));
	EXPECT_EQ(0, count_marks(self->fan, FAN_MARK_SUBTREE));
	EXPECT_EQ(0, count_marks(self->fan, FAN_MARK_SUBTREE | FAN_MARK_IGNORE |
					    FAN_MARK_IGNORED_SURV_MODIFY));
}

/* A chain far deeper than any stack array: the walk is iterative. */
TEST_F(subtree, deep_chain)
{
	struct event_summary sum;
	struct stat st;
	int dfd, next, i;

	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN, self->root));
	dfd = open(self->root, O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, dfd);
	for (i = 0; i < CHAIN_DEPTH; i++) {
		ASSERT_EQ(0, mkdirat(dfd, "d", 0755));
		next = openat(dfd, "d", O_DIRECTORY | O_CLOEXEC);
		ASSERT_LE(0, next);
		close(dfd);
		dfd = next;
	}
	/* The directory opens above are opens of directories: no FAN_ONDIR, no events. */
	EXPECT_TRUE(no_event(self->fan));
	next = openat(dfd, "f", O_CREAT | O_RDWR | O_CLOEXEC, 0644);
	ASSERT_LE(0, next);
	ASSERT_EQ(0, fstat(next, &st));
	close(next);
	ASSERT_LE(1, collect_events(self->fan, &st, &sum, EVENT_TIMEOUT_MS));
	EXPECT_EQ(1, sum.records);
	EXPECT_EQ(FAN_OPEN, sum.mask);
	close(dfd);
}

/*
 * Renames racing accesses: one thread swaps R/a/x and O/x (RENAME_EXCHANGE, so both names
 * always exist) while two others open a file below each name.  Every open must succeed and
 * nothing may hang; with a permission mark every question is answered (allowed) by us.
 */
#define RACE_MS 2000

struct race {
	char in[FILE_PATH_LEN * 2];
	char outside[FILE_PATH_LEN * 2];
	char in_file[FILE_PATH_LEN * 2];
	char out_file[FILE_PATH_LEN * 2];
	int stop;
	int open_errors;
	int running;
	long renames;
	long opens;
};

static void *race_renamer(void *arg)
{
	struct race *r = arg;

	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		if (syscall(SYS_renameat2, AT_FDCWD, r->in, AT_FDCWD, r->outside,
			    RENAME_EXCHANGE) == 0)
			__atomic_add_fetch(&r->renames, 1, __ATOMIC_RELAXED);
	}
	__atomic_sub_fetch(&r->running, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void *race_opener(void *arg)
{
	struct race *r = arg;
	int i = 0;

	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		const char *path = (i++ & 1) ? r->in_file : r->out_file;

		if (open_close_file(path, O_RDONLY))
			__atomic_add_fetch(&r->open_errors, 1, __ATOMIC_RELAXED);
		else
			__atomic_add_fetch(&r->opens, 1, __ATOMIC_RELAXED);
	}
	__atomic_sub_fetch(&r->running, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Drains (and with @perm allows) events until the threads are done; returns the count. */
static long race_run(struct __test_metadata *const _metadata, int fan, struct race *r, bool perm)
{
	char buf[EVENT_BUF_LEN] __attribute__((aligned(8)));
	struct timespec t0, now;
	pthread_t th[3];
	long events = 0, ms;
	int i;

	r->running = 3;
	ASSERT_EQ(0, pthread_create(&th[0], NULL, race_renamer, r));
	ASSERT_EQ(0, pthread_create(&th[1], NULL, race_opener, r));
	ASSERT_EQ(0, pthread_create(&th[2], NULL, race_opener, r));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		const struct fanotify_event_metadata *m = (void *)buf;
		ssize_t len;

		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
		if (ms > RACE_MS)
			__atomic_store_n(&r->stop, 1, __ATOMIC_RELAXED);
		if (ms > RACE_MS && !__atomic_load_n(&r->running, __ATOMIC_ACQUIRE))
			break;
		len = read_events(fan, buf, 20);
		if (len <= 0)
			continue;
		for (; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
			events++;
			if (perm && (m->mask & FAN_OPEN_PERM)) {
				struct fanotify_response resp = {
					.fd = m->fd, .response = FAN_ALLOW
				};

				EXPECT_EQ(sizeof(resp), write(fan, &resp, sizeof(resp)));
			}
			if (m->fd >= 0)
				close(m->fd);
		}
	}
	for (i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	return events;
}

static void race_setup(struct __test_metadata *const _metadata, FIXTURE_DATA(subtree) *self,
		       struct race *r)
{
	memset(r, 0, sizeof(*r));
	path_in(self->root, r->in, "a/x");
	path_in(self->out, r->outside, "x");
	ASSERT_EQ(0, make_dirs_with_files(self->root, "a/x/y"));
	ASSERT_EQ(0, make_dirs_with_files(self->out, "x/y"));
	path_in(self->root, r->in_file, "a/x/y/f");
	path_in(self->out, r->out_file, "x/y/f");
}

TEST_F(subtree, rename_race_notification)
{
	struct race r;
	long events;

	race_setup(_metadata, self, &r);
	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN, self->root));
	events = race_run(_metadata, self->fan, &r, false);
	TH_LOG("%ld renames, %ld opens, %ld events", r.renames, r.opens, events);
	EXPECT_EQ(0, r.open_errors);
	EXPECT_LT(0, r.renames);
	EXPECT_LT(0, events);
	EXPECT_GE(r.opens, events);
}

TEST_F(subtree, rename_race_permission)
{
	struct race r;
	long events;
	int fan;

	race_setup(_metadata, self, &r);
	fan = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, fan);
	ASSERT_EQ(0, mark(fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN_PERM, self->root));
	events = race_run(_metadata, fan, &r, true);
	TH_LOG("%ld renames, %ld opens, %ld questions", r.renames, r.opens, events);
	EXPECT_EQ(0, r.open_errors);
	EXPECT_LT(0, events);
	close(fan);
}

/*
 * Bind mounts: the tree is the filesystem's directory tree.  An object below the root is in it
 * through every mount that shows it; a directory from outside bind-mounted below the root is not.
 */
TEST_F(subtree, bind_mounts)
{
	char path[FILE_PATH_LEN * 2], mnt[FILE_PATH_LEN * 2];

	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN,
			  path_in(self->root, path, "a")));
	/* The whole filesystem again, through a bind mount of its root. */
	ASSERT_EQ(0, mkdir(path_in(self->out, mnt, "all"), 0755));
	ASSERT_EQ(0, mount(self->base, mnt, NULL, MS_BIND, NULL));
	expect_open(_metadata, self->fan, path_in(self->out, path, "all/R/a/b/f"), FAN_OPEN);
	expect_open(_metadata, self->fan, path_in(self->out, path, "all/R/f"), 0);
	/* A subdirectory of the tree mounted outside it: its files are still below the root. */
	ASSERT_EQ(0, mkdir(path_in(self->out, mnt, "sub"), 0755));
	ASSERT_EQ(0, mount(path_in(self->root, path, "a/b"), mnt, NULL, MS_BIND, NULL));
	expect_open(_metadata, self->fan, path_in(self->out, path, "sub/f"), FAN_OPEN);
	expect_open(_metadata, self->fan, path_in(self->out, path, "sub/c/d/e/g/h/f"), FAN_OPEN);
	/* A directory from outside mounted inside the tree: still outside it. */
	ASSERT_EQ(0, mkdir(path_in(self->root, mnt, "a/b/outside"), 0755));
	ASSERT_EQ(0, mount(path_in(self->out, path, "x"), mnt, NULL, MS_BIND, NULL));
	expect_open(_metadata, self->fan, path_in(self->root, path, "a/b/outside/f"), 0);
	ASSERT_EQ(0, umount2(mnt, 0));
	expect_open(_metadata, self->fan, path_in(self->out, path, "x/f"), 0);
}

/* Reads what @fan has queued (waiting up to @timeout_ms for the first); returns the count. */
static int count_records(int fan, int timeout_ms)
{
	struct event_summary sum;
	struct stat none = { .st_dev = 0 };

	return collect_events(fan, &none, &sum, timeout_ms);
}

/*
 * Opens @ov/d1/d2/f with a subtree mark on @layer/d1 (group @subtree_fan) and an inode mark with
 * FAN_EVENT_ON_CHILD on @layer/d1/d2 (@plain_fan): both get the layer's event, once, and the
 * overlay's mark of @ov_fan gets its own.  The marks are removed after.
 */
static void expect_layer_open(struct __test_metadata *const _metadata, int ov_fan,
			      int subtree_fan, int plain_fan, const char *layer, const char *ov)
{
	char path[FILE_PATH_LEN * 2];
	int n_plain, n_subtree;

	ASSERT_EQ(0, mark(subtree_fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN,
			  path_in(layer, path, "d1")));
	ASSERT_EQ(0, mark(plain_fan, FAN_MARK_ADD, FAN_OPEN | FAN_EVENT_ON_CHILD,
			  path_in(layer, path, "d1/d2")));
	ASSERT_EQ(0, open_close_file(path_in(ov, path, "d1/d2/f"), O_RDONLY));
	/* Counted before the overlay's event fd is made: that open reaches the layer too. */
	n_plain = count_records(plain_fan, EVENT_TIMEOUT_MS);
	n_subtree = count_records(subtree_fan, NO_EVENT_TIMEOUT_MS);
	TH_LOG("open through the overlay: %d event(s) in the layer %s", n_plain, layer);
	EXPECT_EQ(1, n_plain);
	EXPECT_EQ(n_plain, n_subtree);
	EXPECT_EQ(1, count_records(ov_fan, EVENT_TIMEOUT_MS));
	ASSERT_EQ(0, mark(subtree_fan, FAN_MARK_FLUSH, 0, NULL));
	ASSERT_EQ(0, mark(plain_fan, FAN_MARK_FLUSH, 0, NULL));
	count_records(subtree_fan, NO_EVENT_TIMEOUT_MS);
	count_records(plain_fan, 0);
}

/*
 * overlayfs: a subtree mark on an overlay directory reports opens through the overlay, once.
 * overlayfs opens the file of the layer itself, and that open is an event of the layer's
 * filesystem: a subtree mark on a layer's directory gets it exactly as an inode mark with
 * FAN_EVENT_ON_CHILD on the file's directory in that layer does.
 */
TEST_F(subtree, overlayfs)
{
	char lower[FILE_PATH_LEN], upper[FILE_PATH_LEN], work[FILE_PATH_LEN], ov[FILE_PATH_LEN];
	char opts[FILE_PATH_LEN * 4], path[FILE_PATH_LEN * 2];
	int subtree_fan, plain_fan;

	snprintf(lower, sizeof(lower), "%s/ol", self->base);
	snprintf(upper, sizeof(upper), "%s/ou", self->base);
	snprintf(work, sizeof(work), "%s/ow", self->base);
	snprintf(ov, sizeof(ov), "%s/ov", self->base);
	ASSERT_EQ(0, mkdir(lower, 0755));
	ASSERT_EQ(0, make_dirs_with_files(lower, "d1/d2"));
	ASSERT_EQ(0, mkdir(upper, 0755));
	ASSERT_EQ(0, mkdir(work, 0755));
	ASSERT_EQ(0, mkdir(ov, 0755));
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s", lower, upper, work);
	ASSERT_EQ(0, mount("overlay", ov, "overlay", 0, opts));

	/* On the overlay: one event, for the overlay's file. */
	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN,
			  path_in(ov, path, "d1")));
	expect_open(_metadata, self->fan, path_in(ov, path, "d1/d2/f"), FAN_OPEN);
	expect_open(_metadata, self->fan, path_in(ov, path, "d1/f"), FAN_OPEN);

	/* The lower layer, then after a copy-up (an open for writing) the upper one. */
	subtree_fan = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, subtree_fan);
	plain_fan = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, plain_fan);
	expect_layer_open(_metadata, self->fan, subtree_fan, plain_fan, lower, ov);
	ASSERT_EQ(0, open_close_file(path_in(ov, path, "d1/d2/f"), O_WRONLY));
	EXPECT_EQ(1, count_records(self->fan, EVENT_TIMEOUT_MS));
	expect_layer_open(_metadata, self->fan, subtree_fan, plain_fan, upper, ov);
	close(subtree_fan);
	close(plain_fan);
	ASSERT_EQ(0, umount2(ov, 0));
}

#define SYSCTL_MARKS "/proc/sys/fs/fanotify/max_user_marks"
/* Plain marks tried against the lowered limit; more than it allows. */
#define LIMIT_MARKS 24
#define BIG_TREE_DIRS 1000

/* Adds plain FAN_OPEN marks on O/m0, O/m1, ... until one fails; returns how many succeeded. */
static int add_marks_until_full(int fan, const char *out, int *err)
{
	char path[FILE_PATH_LEN * 2], name[16];
	int i;

	for (i = 0; i < LIMIT_MARKS; i++) {
		snprintf(name, sizeof(name), "m%d", i);
		if (mark(fan, FAN_MARK_ADD, FAN_OPEN, path_in(out, path, name))) {
			*err = errno;
			return i;
		}
	}
	*err = 0;
	return i;
}

/*
 * A subtree mark is one mark against max_user_marks, however large its tree: with the limit
 * lowered, one subtree mark on a tree of 1,000 directories leaves room for exactly one plain mark
 * fewer, and setting it needs no room per directory.  Counted relative to the marks the user
 * already holds elsewhere.
 */
TEST_F(subtree, counts_once_against_mark_limit)
{
	char path[FILE_PATH_LEN * 2], name[32];
	int fan, n_plain, n_after, err, i;
	long saved, limit;

	for (i = 0; i < LIMIT_MARKS; i++) {
		snprintf(name, sizeof(name), "m%d", i);
		ASSERT_EQ(0, mkdir(path_in(self->out, path, name), 0755));
	}
	ASSERT_EQ(0, mkdir(path_in(self->root, path, "big"), 0755));
	for (i = 0; i < BIG_TREE_DIRS; i++) {
		snprintf(name, sizeof(name), "big/%d", i / 100);
		if (!(i % 100))
			ASSERT_EQ(0, mkdir(path_in(self->root, path, name), 0755));
		snprintf(name, sizeof(name), "big/%d/%d", i / 100, i);
		ASSERT_EQ(0, mkdir(path_in(self->root, path, name), 0755));
	}
	fan = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, fan);
	ASSERT_EQ(0, sysctl_read(SYSCTL_MARKS, &saved));

	/* How many plain marks fit under a limit of LIMIT_MARKS / 2 ... */
	limit = LIMIT_MARKS / 2;
	ASSERT_EQ(0, sysctl_write(SYSCTL_MARKS, limit));
	n_plain = add_marks_until_full(fan, self->out, &err);
	EXPECT_EQ(ENOSPC, err);
	ASSERT_EQ(0, mark(fan, FAN_MARK_FLUSH, 0, NULL));
	/* ... and how many with one subtree mark on the big tree in place. */
	if (n_plain > 0) {
		ASSERT_EQ(0, mark(fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN,
				  path_in(self->root, path, "big")));
		n_after = add_marks_until_full(fan, self->out, &err);
		EXPECT_EQ(ENOSPC, err);
		EXPECT_EQ(n_plain - 1, n_after);
		/* Full: another subtree mark is refused, a change of the existing one is not. */
		EXPECT_EQ(-1, mark(fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN,
				   path_in(self->root, path, "a")));
		EXPECT_EQ(ENOSPC, errno);
		EXPECT_EQ(0, mark(fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_CLOSE_WRITE,
				  path_in(self->root, path, "big")));
		/* The mark watches the whole tree. */
		expect_open(_metadata, fan, path_in(self->root, path, "big/9"), 0);
		ASSERT_EQ(0, create_file(path_in(self->root, path, "big/9/999/f"), ""));
		count_records(fan, NO_EVENT_TIMEOUT_MS);
		expect_open(_metadata, fan, path, FAN_OPEN);
		/* Removing it gives its one slot back. */
		ASSERT_EQ(0, mark(fan, FAN_MARK_REMOVE | FAN_MARK_SUBTREE,
				  FAN_OPEN | FAN_CLOSE_WRITE, path_in(self->root, path, "big")));
		EXPECT_EQ(0, mark(fan, FAN_MARK_ADD, FAN_OPEN, self->root));
	} else {
		TH_LOG("this user already holds %ld or more marks", limit);
	}
	ASSERT_EQ(0, sysctl_write(SYSCTL_MARKS, saved));
	EXPECT_LT(0, n_plain);
	close(fan);
}

/* fdinfo of a subtree mark: mflags with 0x40000000, FAN_EVENT_ON_CHILD added to the mask. */
TEST_F(subtree, fdinfo_masks)
{
	unsigned int mflags, mask, ignored;
	char name[64], line[512];
	char path[FILE_PATH_LEN * 2];
	const char *p;
	int found = 0;
	FILE *f;

	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN, self->root));
	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE | FAN_MARK_IGNORE_SURV,
			  FAN_OPEN, path_in(self->root, path, "a")));
	snprintf(name, sizeof(name), "/proc/self/fdinfo/%d", self->fan);
	f = fopen(name, "r");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, " mflags:");
		if (strncmp(line, "fanotify ino:", 13) || !p ||
		    sscanf(p, " mflags:%x mask:%x ignored_mask:%x", &mflags, &mask, &ignored) != 3)
			continue;
		if (mflags == FAN_MARK_SUBTREE && mask == (FAN_OPEN | FAN_EVENT_ON_CHILD) &&
		    !ignored)
			found |= 1;
		else if (mflags == (FAN_MARK_SUBTREE | FAN_MARK_IGNORE_SURV) && !mask &&
			 ignored == (FAN_OPEN | FAN_EVENT_ON_CHILD))
			found |= 2;
		else
			found |= 4;
	}
	fclose(f);
	EXPECT_EQ(3, found);
}

/* Permission events through a subtree mark. */
FIXTURE(subtree_perm) {
	char base[DIR_PATH_LEN];
	char root[DIR_PATH_LEN + 8];
	char out[DIR_PATH_LEN + 8];
	int fan;
};

FIXTURE_SETUP(subtree_perm)
{
	int ret;

	self->fan = -1;
	ASSERT_EQ(0, make_world(self->base, self->root, self->out));
	ASSERT_EQ(0, make_dirs_with_files(self->root, "var/x"));
	self->fan = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, self->fan);
	ret = sys_fanotify_mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN_PERM,
				AT_FDCWD, self->root);
	if (subtree_refused(_metadata, ret))
		SKIP(return, "no FAN_MARK_SUBTREE upstream: refused with EINVAL");
}

FIXTURE_TEARDOWN(subtree_perm)
{
	if (self->fan >= 0)
		close(self->fan);
	teardown_private_tmpfs(self->base);
}

/*
 * A child opens @path; we answer @verdict to a question if one comes.  Returns whether a
 * question came; *@child_errno gets the open's errno (0 on success).
 */
static bool perm_open(struct __test_metadata *const _metadata, int fan, const char *path,
		      unsigned int verdict, int *child_errno)
{
	struct fanotify_event_metadata m;
	struct fanotify_response resp;
	bool asked = false;
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			_exit(errno);
		close(fd);
		_exit(0);
	}
	EXPECT_LE(0, pid);
	/* Answer whatever comes until the child is done: it must never be left waiting. */
	for (;;) {
		if (wait_readable(fan, 50) == 1) {
			EXPECT_EQ(0, read_one_record(fan, &m));
			EXPECT_EQ(FAN_OPEN_PERM, m.mask);
			EXPECT_TRUE(fd_is_path(m.fd, path));
			resp.fd = m.fd;
			resp.response = verdict;
			EXPECT_EQ(sizeof(resp), write(fan, &resp, sizeof(resp)));
			close(m.fd);
			asked = true;
		}
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
	}
	EXPECT_TRUE(WIFEXITED(status));
	*child_errno = WEXITSTATUS(status);
	return asked;
}

/* perm_open() of @dir/@rel: whether a question came and the open's errno must be as given. */
static void expect_asked(struct __test_metadata *const _metadata, int fan, const char *dir,
			 const char *rel, unsigned int verdict, bool asked, int want_errno)
{
	char path[FILE_PATH_LEN * 2];
	int err;

	path_in(dir, path, rel);
	EXPECT_EQ(asked, perm_open(_metadata, fan, path, verdict, &err)) TH_LOG("%s", path);
	EXPECT_EQ(want_errno, err) TH_LOG("%s", path);
}

TEST_F(subtree_perm, deny_inside_allow_outside)
{
	expect_asked(_metadata, self->fan, self->root, DEEP "/f", FAN_DENY, true, EPERM);
	expect_asked(_metadata, self->fan, self->root, "a/f", FAN_ALLOW, true, 0);
	expect_asked(_metadata, self->fan, self->out, "x/f", FAN_DENY, false, 0);
}

TEST_F(subtree_perm, ignore_tree_inside_filesystem_mark)
{
	char path[FILE_PATH_LEN * 2];

	ASSERT_EQ(0, mark(self->fan, FAN_MARK_FLUSH | FAN_MARK_SUBTREE, 0, NULL));
	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_OPEN_PERM,
			  self->base));
	snprintf(path, sizeof(path), "%s/var", self->root);
	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE | FAN_MARK_IGNORE_SURV,
			  FAN_OPEN_PERM, path));
	expect_asked(_metadata, self->fan, self->root, "var/x/f", FAN_DENY, false, 0);
	expect_asked(_metadata, self->fan, self->root, "var/f", FAN_DENY, false, 0);
	expect_asked(_metadata, self->fan, self->out, "x/f", FAN_DENY, true, EPERM);
	expect_asked(_metadata, self->fan, self->root, "a/b/f", FAN_ALLOW, true, 0);
}

/* FAN_ALLOW | FAN_CACHE on a file below the root: the next open of that file is not asked. */
TEST_F(subtree_perm, cache_below_root)
{
	expect_asked(_metadata, self->fan, self->root, "a/b/f", FAN_ALLOW | FAN_CACHE, true, 0);
	expect_asked(_metadata, self->fan, self->root, "a/b/f", FAN_DENY, false, 0);
	/* Only that file: its neighbours and the rest of the tree are still asked. */
	expect_asked(_metadata, self->fan, self->root, "a/f", FAN_DENY, true, EPERM);
	expect_asked(_metadata, self->fan, self->root, DEEP "/f", FAN_ALLOW, true, 0);
}

/* FAN_CACHE on the root's own open caches nothing: the root and its tree are asked again. */
TEST_F(subtree_perm, cache_on_root_not_kept)
{
	ASSERT_EQ(0, mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN_PERM | FAN_ONDIR,
			  self->root));
	expect_asked(_metadata, self->fan, self->root, ".", FAN_ALLOW | FAN_CACHE, true, 0);
	expect_asked(_metadata, self->fan, self->root, ".", FAN_DENY, true, EPERM);
	expect_asked(_metadata, self->fan, self->root, "f", FAN_DENY, true, EPERM);
	expect_asked(_metadata, self->fan, self->root, "a/b", FAN_ALLOW, true, 0);
}

/* A FAN_PERM_NO_FD group: a handle and an id for an open below the root; answered by id. */
TEST_F(subtree_perm, perm_no_fd)
{
	char path[FILE_PATH_LEN];
	struct nofd_event ev;
	struct file_handle *fh = (void *)ev.handle_buf;
	struct fid_obj file;
	unsigned int i;
	int fan;
	pid_t pid;

	/* This group alone asks: the fixture's group would ask too, and nobody answers it. */
	ASSERT_EQ(0, mark(self->fan, FAN_MARK_FLUSH | FAN_MARK_SUBTREE, 0, NULL));
	fan = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_REPORT_FID | FAN_PERM_NO_FD |
				FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fan);
	ASSERT_EQ(0, mark(fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FAN_OPEN_PERM, self->root));
	snprintf(path, sizeof(path), "%s/" DEEP "/f", self->root);
	ASSERT_EQ(0, fid_capture(&file, path));

	for (i = 0; i < 2; i++) {
		uint32_t verdict = i ? FAN_ALLOW : FAN_DENY;

		pid = spawn_access(PERM_OP_OPEN, path);
		ASSERT_LE(0, pid);
		ASSERT_EQ(0, read_nofd_event(fan, &ev)) {
			kill_child(pid);
		}
		EXPECT_EQ(FAN_OPEN_PERM, ev.meta.mask);
		EXPECT_EQ(FAN_NOFD, ev.meta.fd);
		EXPECT_EQ(pid, ev.meta.pid);
		EXPECT_EQ(1, ev.fid_records);
		EXPECT_EQ(1, ev.id_records);
		EXPECT_LT(0, (int)ev.id);
		EXPECT_EQ(file.fh.bytes, fh->handle_bytes);
		EXPECT_EQ(file.fh.type, fh->handle_type);
		EXPECT_EQ(0, memcmp(file.fh.f, fh->f_handle, file.fh.bytes));
		EXPECT_EQ(sizeof(struct fanotify_response), respond(fan, (int)ev.id, verdict));
		EXPECT_EQ(i ? 0 : EPERM, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
	}
	/* Outside the tree: not asked. */
	snprintf(path, sizeof(path), "%s/x/f", self->out);
	pid = spawn_access(PERM_OP_OPEN, path);
	ASSERT_LE(0, pid);
	EXPECT_EQ(0, wait_child(pid, CHILD_EXIT_TIMEOUT_MS));
	EXPECT_TRUE(no_event(fan));
	close(fan);
}

/* Handle-reporting groups: the records of events below the root, and nothing outside it. */
FIXTURE(subtree_fid) {
	char base[DIR_PATH_LEN];
	char root[DIR_PATH_LEN + 8];
	char out[DIR_PATH_LEN + 8];
	__kernel_fsid_t fsid;
	int mount_fd;
	int fan;
};

FIXTURE_VARIANT(subtree_fid) {
	unsigned int init_flags;
};

/* Records name the object (the directory for directory-entry events). */
FIXTURE_VARIANT_ADD(subtree_fid, report_fid) {
	.init_flags = FAN_REPORT_FID,
};

/* Records name the directory and the entry. */
FIXTURE_VARIANT_ADD(subtree_fid, report_dfid_name) {
	.init_flags = FAN_REPORT_DFID_NAME,
};

#define FID_EVENTS (FAN_OPEN | FAN_CLOSE_WRITE | FAN_CREATE | FAN_DELETE | FAN_MOVE)

FIXTURE_SETUP(subtree_fid)
{
	int ret;

	self->fan = -1;
	self->mount_fd = -1;
	ASSERT_EQ(0, make_world(self->base, self->root, self->out));
	ASSERT_EQ(0, fid_statfs_fsid(self->base, &self->fsid));
	self->mount_fd = open(self->base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, self->mount_fd);

	self->fan = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | variant->init_flags, 0);
	ASSERT_LE(0, self->fan);
	ret = mark(self->fan, FAN_MARK_ADD | FAN_MARK_SUBTREE, FID_EVENTS, self->root);
	if (subtree_refused(_metadata, ret))
		SKIP(return, "no FAN_MARK_SUBTREE upstream: refused with EINVAL");
}

FIXTURE_TEARDOWN(subtree_fid)
{
	if (self->fan >= 0)
		close(self->fan);
	if (self->mount_fd >= 0)
		close(self->mount_fd);
	teardown_private_tmpfs(self->base);
}

/* The one record expected: with FAN_REPORT_FID @obj's handle, else @dir's handle and @name. */
static struct fid_exp fid_expect(const FIXTURE_VARIANT(subtree_fid) *variant,
				 const struct fid_obj *obj, const struct fid_obj *dir,
				 const char *name)
{
	if (variant->init_flags & FAN_REPORT_NAME)
		return (struct fid_exp){ FAN_EVENT_INFO_TYPE_DFID_NAME, dir, name };
	return (struct fid_exp){ FAN_EVENT_INFO_TYPE_FID, obj, NULL };
}

/* Expects events whose masks add up to @mask, each with the one record fid_expect() gives. */
static void expect_fid(struct __test_metadata *const _metadata,
		       FIXTURE_DATA(subtree_fid) *self, const FIXTURE_VARIANT(subtree_fid) *variant,
		       uint64_t mask, const struct fid_obj *obj, const struct fid_obj *dir,
		       const char *name)
{
	struct fid_exp exp = fid_expect(variant, obj, dir, name);
	struct fid_event ev[4];
	uint64_t all = 0;
	int n, i;

	n = fid_read(_metadata, self->fan, ev, 4, EVENT_TIMEOUT_MS);
	ASSERT_LE(1, n);
	for (i = 0; i < n; i++) {
		EXPECT_TRUE(fid_check(_metadata, &ev[i], ev[i].mask, &exp, 1, &self->fsid,
				      self->mount_fd));
		all |= ev[i].mask;
	}
	EXPECT_EQ(mask, all);
}

TEST_F(subtree_fid, events_deep_and_outside)
{
	char path[FILE_PATH_LEN * 2], to[FILE_PATH_LEN * 2];
	char obj_path[FILE_PATH_LEN];
	struct fid_obj a, h, file;
	struct fid_event ev[4];
	struct fid_exp exp;

	snprintf(obj_path, sizeof(obj_path), "%s/a", self->root);
	ASSERT_EQ(0, fid_capture(&a, obj_path));
	snprintf(obj_path, sizeof(obj_path), "%s/" DEEP, self->root);
	ASSERT_EQ(0, fid_capture(&h, obj_path));
	snprintf(obj_path, sizeof(obj_path), "%s/" DEEP "/f", self->root);
	ASSERT_EQ(0, fid_capture(&file, obj_path));

	/* A file 8 levels down: opened and written. */
	ASSERT_EQ(0, open_close_file(file.path, O_WRONLY));
	expect_fid(_metadata, self, variant, FAN_OPEN | FAN_CLOSE_WRITE, &file, &h, "f");
	/* Directory-entry events: the directory's handle (and the name). */
	ASSERT_EQ(0, mknod(path_in(self->root, path, DEEP "/n"), S_IFREG | 0644, 0));
	expect_fid(_metadata, self, variant, FAN_CREATE, &h, &h, "n");
	ASSERT_EQ(0, rename(path, path_in(self->root, to, "a/n2")));
	ASSERT_EQ(2, fid_read(_metadata, self->fan, ev, 4, EVENT_TIMEOUT_MS));
	exp = fid_expect(variant, &h, &h, "n");
	EXPECT_TRUE(fid_check(_metadata, &ev[0], FAN_MOVED_FROM, &exp, 1, &self->fsid,
			      self->mount_fd));
	exp = fid_expect(variant, &a, &a, "n2");
	EXPECT_TRUE(fid_check(_metadata, &ev[1], FAN_MOVED_TO, &exp, 1, &self->fsid,
			      self->mount_fd));
	ASSERT_EQ(0, unlink(to));
	expect_fid(_metadata, self, variant, FAN_DELETE, &a, &a, "n2");

	/* Out of the tree and into it: one side each. */
	ASSERT_EQ(0, mknod(path_in(self->root, path, DEEP "/o"), S_IFREG | 0644, 0));
	expect_fid(_metadata, self, variant, FAN_CREATE, &h, &h, "o");
	ASSERT_EQ(0, rename(path, path_in(self->out, to, "x/o")));
	expect_fid(_metadata, self, variant, FAN_MOVED_FROM, &h, &h, "o");
	EXPECT_TRUE(no_event(self->fan));
	ASSERT_EQ(0, rename(to, path_in(self->root, path, "a/o")));
	expect_fid(_metadata, self, variant, FAN_MOVED_TO, &a, &a, "o");
	EXPECT_TRUE(no_event(self->fan));

	/* Outside: nothing at all. */
	ASSERT_EQ(0, open_close_file(path_in(self->out, path, "x/f"), O_WRONLY));
	ASSERT_EQ(0, mknod(path_in(self->out, path, "x/n"), S_IFREG | 0644, 0));
	ASSERT_EQ(0, rename(path, path_in(self->out, to, "x/m")));
	ASSERT_EQ(0, unlink(to));
	EXPECT_TRUE(no_event(self->fan));
}

/*
 * Other watchers of the file or of its directory, wanting other events, do not change what a
 * subtree mark reports: the directory and the name still come with the event.  (The core used
 * to look for a tree only when nothing else wanted an event, and FAN_REPORT_DFID_NAME groups
 * then got the event without its directory and dropped it.)
 */
TEST_F(subtree_fid, other_watchers_keep_the_name)
{
	char obj_path[FILE_PATH_LEN];
	struct fid_obj h, file;
	int ino, other;

	snprintf(obj_path, sizeof(obj_path), "%s/" DEEP, self->root);
	ASSERT_EQ(0, fid_capture(&h, obj_path));
	snprintf(obj_path, sizeof(obj_path), "%s/" DEEP "/f", self->root);
	ASSERT_EQ(0, fid_capture(&file, obj_path));

	/* The parent watches its children, for another event. */
	ino = inotify_init1(IN_CLOEXEC);
	ASSERT_LE(0, ino);
	ASSERT_LE(0, inotify_add_watch(ino, h.path, IN_CLOSE_WRITE));
	ASSERT_EQ(0, open_close_file(file.path, O_RDONLY));
	expect_fid(_metadata, self, variant, FAN_OPEN, &file, &h, "f");
	close(ino);

	/* A mark of another group on the file itself, for another event. */
	other = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY);
	ASSERT_LE(0, other);
	ASSERT_EQ(0, mark(other, FAN_MARK_ADD, FAN_CLOSE_NOWRITE, file.path));
	ASSERT_EQ(0, open_close_file(file.path, O_RDONLY));
	expect_fid(_metadata, self, variant, FAN_OPEN, &file, &h, "f");
	close(other);
	EXPECT_TRUE(no_event(self->fan));
}

/*
 * Events raised with an inode and no path (link-count FAN_ATTRIB, FAN_DELETE_SELF,
 * FAN_MOVE_SELF) start no walk: a subtree mark reports them for its root only, not for anything
 * below it, its direct children included.  The same events' path-based kin (a chmod) are.
 */
TEST_F(subtree_fid, inode_only_events)
{
	char path[FILE_PATH_LEN * 2], to[FILE_PATH_LEN * 2], e[FILE_PATH_LEN];
	struct fid_event ev[4];
	int fan;

	snprintf(e, sizeof(e), "%s/e", self->root);
	ASSERT_EQ(0, mkdir(e, 0755));
	ASSERT_EQ(0, mkdir(path_in(e, path, "s"), 0755));
	ASSERT_EQ(0, mknod(path_in(e, path, "f"), S_IFREG | 0644, 0));
	ASSERT_EQ(0, mknod(path_in(e, path, "s/g"), S_IFREG | 0644, 0));
	fan = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | variant->init_flags, 0);
	ASSERT_LE(0, fan);
	ASSERT_EQ(0, mark(fan, FAN_MARK_ADD | FAN_MARK_SUBTREE,
			  FAN_ATTRIB | FAN_DELETE_SELF | FAN_MOVE_SELF | FAN_ONDIR, e));

	/* Link counts, self moves and self deletes below the root: nothing. */
	ASSERT_EQ(0, link(path_in(e, path, "f"), path_in(e, to, "l")));
	ASSERT_EQ(0, link(path_in(e, path, "s/g"), path_in(e, to, "s/l")));
	ASSERT_EQ(0, rename(path_in(e, path, "f"), path_in(e, to, "f2")));
	ASSERT_EQ(0, rename(path_in(e, path, "s/g"), path_in(e, to, "s/g2")));
	ASSERT_EQ(0, unlink(path_in(e, path, "l")));
	ASSERT_EQ(0, unlink(path_in(e, path, "f2")));
	ASSERT_EQ(0, unlink(path_in(e, path, "s/l")));
	ASSERT_EQ(0, unlink(path_in(e, path, "s/g2")));
	EXPECT_TRUE(no_event(fan));

	/* A chmod below the root is reported. */
	ASSERT_EQ(0, mknod(path_in(e, path, "s/h"), S_IFREG | 0644, 0));
	ASSERT_EQ(0, chmod(path, 0600));
	ASSERT_EQ(1, fid_read(_metadata, fan, ev, 4, EVENT_TIMEOUT_MS));
	EXPECT_EQ(FAN_ATTRIB, ev[0].mask);
	ASSERT_EQ(0, unlink(path));
	ASSERT_EQ(0, rmdir(path_in(e, path, "s")));
	EXPECT_TRUE(no_event(fan));

	/* The root's own self events are. */
	ASSERT_EQ(0, rename(e, path_in(self->root, to, "e2")));
	ASSERT_EQ(1, fid_read(_metadata, fan, ev, 4, EVENT_TIMEOUT_MS));
	EXPECT_EQ(FAN_MOVE_SELF | FAN_ONDIR, ev[0].mask);
	ASSERT_EQ(0, rmdir(to));
	ASSERT_EQ(1, fid_read(_metadata, fan, ev, 4, EVENT_TIMEOUT_MS));
	EXPECT_EQ(FAN_DELETE_SELF | FAN_ONDIR, ev[0].mask);
	close(fan);
}

TEST_HARNESS_MAIN
