// SPDX-License-Identifier: GPL-2.0
/*
 * FAN_MARK_REMOVE: which bits keep a mark alive once events are removed from it.
 *
 * Upstream destroys a mark when nothing is left in its mask and ignore mask but bits of a
 * per-call "umask", and the umask depends on the target and on the ignore API of the call:
 *
 *   call \ target              directory inode     other inode, mount, filesystem
 *   plain or FAN_MARK_IGNORE   nothing             FAN_EVENT_ON_CHILD
 *   FAN_MARK_IGNORED_MASK      FAN_ONDIR and       FAN_EVENT_ON_CHILD
 *                              FAN_EVENT_ON_CHILD
 *
 * So FAN_ONDIR alone keeps a mark alive everywhere except after a legacy ignore-mask removal on
 * a directory; FAN_EVENT_ON_CHILD alone keeps only a directory mark alive, and only after a
 * plain or FAN_MARK_IGNORE removal.  Either flag counts in either mask.  FAN_MARK_EVICTABLE and
 * FAN_MARK_IGNORED_SURV_MODIFY play no part.  A legacy ignore-mask removal never removes the
 * event flags it is given.  A group that reports directory file handles has FAN_EVENT_ON_CHILD
 * set by the kernel on its non-directory marks; it does not keep them alive.  Only a removal
 * destroys a mark: an addition that adds nothing (a legacy ignore mask of event flags only)
 * leaves an empty mark.
 *
 * Every step is checked against the group's fdinfo: the mark's mask and ignore mask, or no mark.
 *
 * Behaviour reference: upstream 6.12 do_fanotify_mark(), fanotify_remove_mark() and
 * fanotify_mark_remove_from_mask() in fs/notify/fanotify/fanotify_user.c, fanotify_fdinfo() in
 * fs/notify/fdinfo.c.
 */

#include "common.h"

#define FDINFO_LEN 8192

enum target {
	T_FILE,		/* an inode mark on a regular file */
	T_DIR,		/* an inode mark on a directory */
	T_MOUNT,	/* a mount mark on the tmpfs root */
	T_SB,		/* a filesystem mark on the tmpfs */
};

#define ONDIR FAN_ONDIR
#define ON_CHILD FAN_EVENT_ON_CHILD
#define LEGACY FAN_MARK_IGNORED_MASK
#define NEW_IGNORE (FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY)

/*
 * One fanotify_mark() call (the mark type flag is added from the target) and the state it leaves:
 * either no mark, or a mark with exactly these masks.
 */
struct step {
	unsigned int flags;
	__u64 mask;
	int err;		/* errno the call fails with, 0 if it succeeds */
	bool gone;		/* no mark is left */
	__u32 left;		/* otherwise the mark's mask */
	__u32 left_ignored;	/* and its ignore mask */
};

#define MAX_STEPS 6

FIXTURE(rm)
{
	char dir[DIR_PATH_LEN];
	/* What each target marks, by enum target. */
	char path[T_SB + 1][FILE_PATH_LEN];
	int fan_fd;
};

FIXTURE_VARIANT(rm)
{
	enum target target;
	/* Extra fanotify_init() flags: FAN_REPORT_DIR_FID for the kernel-set FAN_EVENT_ON_CHILD. */
	unsigned int init_flags;
	struct step steps[MAX_STEPS];
};

FIXTURE_SETUP(rm)
{
	self->fan_fd = -1;
	ASSERT_EQ(0, setup_private_tmpfs(self->dir));
	snprintf(self->path[T_FILE], FILE_PATH_LEN, "%s/file", self->dir);
	snprintf(self->path[T_DIR], FILE_PATH_LEN, "%s/subdir", self->dir);
	snprintf(self->path[T_MOUNT], FILE_PATH_LEN, "%s", self->dir);
	snprintf(self->path[T_SB], FILE_PATH_LEN, "%s", self->dir);
	ASSERT_EQ(0, create_file(self->path[T_FILE], "file\n"));
	ASSERT_EQ(0, mkdir(self->path[T_DIR], 0755));
	self->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK |
					 variant->init_flags, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fan_fd)
	{
		TH_LOG("fanotify_init: %s", strerror(errno));
	}
}

FIXTURE_TEARDOWN(rm)
{
	if (self->fan_fd >= 0)
		close(self->fan_fd);
	EXPECT_EQ(0, teardown_private_tmpfs(self->dir));
}

/*
 * Reads the masks of the group's only mark from fdinfo.  Returns the number of marks (the masks
 * are those of the last one), or -1 if fdinfo cannot be read or parsed.
 */
static int read_mark(int fan_fd, __u32 *mask, __u32 *ignored)
{
	char path[64], *buf, *line, *save, *m;
	ssize_t len, total = 0;
	int fd, marks = 0;

	buf = malloc(FDINFO_LEN);
	if (!buf)
		return -1;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fan_fd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -1;
	}
	while (total < FDINFO_LEN - 1 &&
	       (len = read(fd, buf + total, FDINFO_LEN - 1 - total)) > 0)
		total += len;
	close(fd);
	buf[total] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "fanotify ", 9) || !strncmp(line, "fanotify flags:", 15))
			continue;
		m = strstr(line, " mask:");
		if (!m || sscanf(m, " mask:%x ignored_mask:%x", mask, ignored) != 2) {
			marks = -1;
			break;
		}
		marks++;
	}
	free(buf);
	return marks;
}

static unsigned int target_type(enum target t)
{
	switch (t) {
	case T_MOUNT:
		return FAN_MARK_MOUNT;
	case T_SB:
		return FAN_MARK_FILESYSTEM;
	default:
		return FAN_MARK_INODE;
	}
}

TEST_F(rm, steps)
{
	const struct step *s;
	__u32 mask, ignored;
	int i, ret, marks;

	for (i = 0; i < MAX_STEPS && variant->steps[i].flags; i++) {
		s = &variant->steps[i];
		errno = 0;
		ret = sys_fanotify_mark(self->fan_fd, s->flags | target_type(variant->target),
					s->mask, AT_FDCWD, self->path[variant->target]);
		if (s->err) {
			EXPECT_EQ(-1, ret);
			EXPECT_EQ(s->err, errno);
		} else {
			EXPECT_EQ(0, ret);
		}
		if (ret != (s->err ? -1 : 0) || (s->err && errno != s->err))
			TH_LOG("step %d (flags 0x%x mask 0x%llx): ret %d, %s", i, s->flags,
			       (unsigned long long)s->mask, ret, strerror(errno));

		mask = 0;
		ignored = 0;
		marks = read_mark(self->fan_fd, &mask, &ignored);
		ASSERT_EQ(s->gone ? 0 : 1, marks)
		{
			TH_LOG("after step %d", i);
		}
		if (s->gone)
			continue;
		EXPECT_EQ(s->left, mask)
		{
			TH_LOG("mask after step %d: 0x%x", i, mask);
		}
		EXPECT_EQ(s->left_ignored, ignored)
		{
			TH_LOG("ignore mask after step %d: 0x%x", i, ignored);
		}
	}
}

/*
 * The report of issue 16: FAN_ONDIR left in the mask of a non-directory keeps the mark through a
 * legacy ignore-mask removal, and a plain removal of FAN_ONDIR then finds the mark.
 */
#define LEGACY_KEEPS_ONDIR(t)							\
	.target = (t),								\
	.steps = {								\
		{ FAN_MARK_ADD, FAN_OPEN | ONDIR,				\
		  .left = FAN_OPEN | ONDIR },					\
		{ FAN_MARK_ADD | LEGACY, FAN_CLOSE_NOWRITE,			\
		  .left = FAN_OPEN | ONDIR, .left_ignored = FAN_CLOSE_NOWRITE },\
		{ FAN_MARK_REMOVE, FAN_OPEN,					\
		  .left = ONDIR, .left_ignored = FAN_CLOSE_NOWRITE },		\
		{ FAN_MARK_REMOVE | LEGACY, FAN_CLOSE_NOWRITE, .left = ONDIR },	\
		{ FAN_MARK_REMOVE, ONDIR, .gone = true },			\
		{ FAN_MARK_REMOVE, ONDIR, .err = ENOENT, .gone = true },	\
	}

/* clang-format off */
FIXTURE_VARIANT_ADD(rm, file_legacy_ignore_removal_keeps_ondir) {
	/* clang-format on */
	LEGACY_KEEPS_ONDIR(T_FILE),
};

/* clang-format off */
FIXTURE_VARIANT_ADD(rm, mount_legacy_ignore_removal_keeps_ondir) {
	/* clang-format on */
	LEGACY_KEEPS_ONDIR(T_MOUNT),
};

/* clang-format off */
FIXTURE_VARIANT_ADD(rm, sb_legacy_ignore_removal_keeps_ondir) {
	/* clang-format on */
	LEGACY_KEEPS_ONDIR(T_SB),
};

/* On a directory the same legacy removal takes the mark: both event flags are its umask. */
/* clang-format off */
FIXTURE_VARIANT_ADD(rm, dir_legacy_ignore_removal_drops_ondir) {
	/* clang-format on */
	.target = T_DIR,
	.steps = {
		{ FAN_MARK_ADD, FAN_OPEN | ONDIR, .left = FAN_OPEN | ONDIR },
		{ FAN_MARK_ADD | LEGACY, FAN_CLOSE_NOWRITE,
		  .left = FAN_OPEN | ONDIR, .left_ignored = FAN_CLOSE_NOWRITE },
		{ FAN_MARK_REMOVE, FAN_OPEN, .left = ONDIR, .left_ignored = FAN_CLOSE_NOWRITE },
		{ FAN_MARK_REMOVE | LEGACY, FAN_CLOSE_NOWRITE, .gone = true },
		{ FAN_MARK_REMOVE, ONDIR, .err = ENOENT, .gone = true },
	},
};

/* clang-format off */
FIXTURE_VARIANT_ADD(rm, dir_legacy_ignore_removal_drops_on_child) {
	/* clang-format on */
	.target = T_DIR,
	.steps = {
		{ FAN_MARK_ADD, FAN_OPEN | ON_CHILD, .left = FAN_OPEN | ON_CHILD },
		{ FAN_MARK_ADD | LEGACY, FAN_CLOSE_NOWRITE,
		  .left = FAN_OPEN | ON_CHILD, .left_ignored = FAN_CLOSE_NOWRITE },
		{ FAN_MARK_REMOVE, FAN_OPEN, .left = ON_CHILD, .left_ignored = FAN_CLOSE_NOWRITE },
		{ FAN_MARK_REMOVE | LEGACY, FAN_CLOSE_NOWRITE, .gone = true },
	},
};

/* A legacy removal that removes nothing (its flags are dropped) still applies the umask. */
/* clang-format off */
FIXTURE_VARIANT_ADD(rm, dir_legacy_removal_of_flags_only_drops_flags_only_mark) {
	/* clang-format on */
	.target = T_DIR,
	.steps = {
		{ FAN_MARK_ADD, FAN_OPEN | ONDIR, .left = FAN_OPEN | ONDIR },
		{ FAN_MARK_REMOVE, FAN_OPEN, .left = ONDIR },
		{ FAN_MARK_REMOVE | LEGACY, ONDIR, .gone = true },
	},
};

/* clang-format off */
FIXTURE_VARIANT_ADD(rm, mount_legacy_removal_of_flags_only_keeps_mark) {
	/* clang-format on */
	.target = T_MOUNT,
	.steps = {
		{ FAN_MARK_ADD, FAN_OPEN | ONDIR, .left = FAN_OPEN | ONDIR },
		{ FAN_MARK_REMOVE | LEGACY, ONDIR, .left = FAN_OPEN | ONDIR },
		{ FAN_MARK_REMOVE, FAN_OPEN, .left = ONDIR },
		{ FAN_MARK_REMOVE | LEGACY, ONDIR, .left = ONDIR },
		{ FAN_MARK_REMOVE, ONDIR, .gone = true },
	},
};

/*
 * A legacy ignore-mask addition of event flags only adds nothing, but creates the mark: an empty
 * mark, which the next removal of anything destroys.
 */
/* clang-format off */
FIXTURE_VARIANT_ADD(rm, file_legacy_ignore_add_of_flags_only_makes_empty_mark) {
	/* clang-format on */
	.target = T_FILE,
	.steps = {
		{ FAN_MARK_ADD | LEGACY, ONDIR },
		{ FAN_MARK_REMOVE, FAN_OPEN, .gone = true },
		{ FAN_MARK_REMOVE, FAN_OPEN, .err = ENOENT, .gone = true },
	},
};

/* clang-format off */
FIXTURE_VARIANT_ADD(rm, mount_legacy_ignore_add_of_flags_only_makes_empty_mark) {
	/* clang-format on */
	.target = T_MOUNT,
	.steps = {
		{ FAN_MARK_ADD | LEGACY, ONDIR | ON_CHILD },
		{ FAN_MARK_REMOVE | LEGACY, FAN_OPEN, .gone = true },
	},
};

/* Plain removals: the event flags keep a mark, but FAN_EVENT_ON_CHILD only on a directory. */
/* clang-format off */
FIXTURE_VARIANT_ADD(rm, file_plain_removal_keeps_ondir) {
	/* clang-format on */
	.target = T_FILE,
	.steps = {
		{ FAN_MARK_ADD, FAN_OPEN | ONDIR, .left = FAN_OPEN | ONDIR },
		{ FAN_MARK_REMOVE, FAN_OPEN, .left = ONDIR },
		{ FAN_MARK_REMOVE, ONDIR, .gone = true },
	},
};

/* clang-format off */
FIXTURE_VARIANT_ADD(rm, file_on_child_is_not_stored) {
	/* clang-format on */
	.target = T_FILE,
	.steps = {
		{ FAN_MARK_ADD, FAN_OPEN | ON_CHILD, .left = FAN_OPEN },
		{ FAN_MARK_REMOVE, FAN_OPEN | ON_CHILD, .gone = true },
	},
};

/* clang-format off */
FIXTURE_VARIANT_ADD(rm, dir_plain_removal_keeps_ondir) {
	/* clang-format on */
	.target = T_DIR,
	.steps = {
		{ FAN_MARK_ADD, FAN_OPEN | ONDIR, .left = FAN_OPEN | ONDIR },
		{ FAN_MARK_REMOVE, FAN_OPEN, .left = ONDIR },
		{ FAN_MARK_REMOVE, ONDIR, .gone = true },
		{ FAN_MARK_REMOVE, ONDIR, .err = ENOENT, .gone = true },
	},
};

/* clang-format off */
FIXTURE_VARIANT_ADD(rm, dir_plain_removal_keeps_on_child) {
	/* clang-format on */
	.target = T_DIR,
	.steps = {
		{ FAN_MARK_ADD, FAN_OPEN | ON_CHILD, .left = FAN_OPEN | ON_CHILD },
		{ FAN_MARK_REMOVE, FAN_OPEN, .left = ON_CHILD },
		{ FAN_MARK_REMOVE, ON_CHILD, .gone = true },
	},
};

/* clang-format off */
FIXTURE_VARIANT_ADD(rm, mount_plain_removal_keeps_ondir) {
	/* clang-format on */
	.target = T_MOUNT,
	.steps = {
		{ FAN_MARK_ADD, FAN_OPEN | ONDIR | ON_CHILD, .left = FAN_OPEN | ONDIR },
		{ FAN_MARK_REMOVE, FAN_OPEN, .left = ONDIR },
		{ FAN_MARK_REMOVE, ONDIR, .gone = true },
	},
};

/* clang-format off */
FIXTURE_VARIANT_ADD(rm, sb_plain_removal_keeps_ondir) {
	/* clang-format on */
	.target = T_SB,
	.steps = {
		{ FAN_MARK_ADD, FAN_OPEN | ONDIR, .left = FAN_OPEN | ONDIR },
		{ FAN_MARK_REMOVE, FAN_OPEN, .left = ONDIR },
		{ FAN_MARK_REMOVE, ONDIR, .gone = true },
	},
};

/* Either mask keeps the mark: a plain removal of the last event leaves the ignore mask. */
/* clang-format off */
FIXTURE_VARIANT_ADD(rm, file_ignore_mask_keeps_mark) {
	/* clang-format on */
	.target = T_FILE,
	.steps = {
		{ FAN_MARK_ADD, FAN_OPEN, .left = FAN_OPEN },
		{ FAN_MARK_ADD | LEGACY, FAN_CLOSE_NOWRITE,
		  .left = FAN_OPEN, .left_ignored = FAN_CLOSE_NOWRITE },
		{ FAN_MARK_REMOVE, FAN_OPEN, .left_ignored = FAN_CLOSE_NOWRITE },
		{ FAN_MARK_REMOVE | LEGACY, FAN_CLOSE_NOWRITE, .gone = true },
	},
};

/* FAN_MARK_IGNORE stores the event flags in the ignore mask, where they count too. */
/* clang-format off */
FIXTURE_VARIANT_ADD(rm, dir_new_ignore_keeps_ondir) {
	/* clang-format on */
	.target = T_DIR,
	.steps = {
		{ FAN_MARK_ADD | NEW_IGNORE, FAN_OPEN | ONDIR, .left_ignored = FAN_OPEN | ONDIR },
		{ FAN_MARK_REMOVE | FAN_MARK_IGNORE, FAN_OPEN, .left_ignored = ONDIR },
		{ FAN_MARK_REMOVE | FAN_MARK_IGNORE, ONDIR, .gone = true },
	},
};

/* clang-format off */
FIXTURE_VARIANT_ADD(rm, dir_new_ignore_keeps_on_child) {
	/* clang-format on */
	.target = T_DIR,
	.steps = {
		{ FAN_MARK_ADD | NEW_IGNORE, FAN_OPEN | ON_CHILD,
		  .left_ignored = FAN_OPEN | ON_CHILD },
		{ FAN_MARK_REMOVE | FAN_MARK_IGNORE, FAN_OPEN, .left_ignored = ON_CHILD },
		{ FAN_MARK_REMOVE | FAN_MARK_IGNORE, ON_CHILD, .gone = true },
	},
};

/* clang-format off */
FIXTURE_VARIANT_ADD(rm, mount_new_ignore_keeps_ondir) {
	/* clang-format on */
	.target = T_MOUNT,
	.steps = {
		{ FAN_MARK_ADD | NEW_IGNORE, FAN_OPEN | ONDIR, .left_ignored = FAN_OPEN | ONDIR },
		{ FAN_MARK_REMOVE | FAN_MARK_IGNORE, FAN_OPEN, .left_ignored = ONDIR },
		{ FAN_MARK_REMOVE | FAN_MARK_IGNORE, ONDIR, .gone = true },
	},
};

/*
 * A legacy removal from a FAN_MARK_IGNORE ignore mask is allowed; it leaves the event flags
 * there, and they keep the mark or not by the legacy umask of the target.
 */
/* clang-format off */
FIXTURE_VARIANT_ADD(rm, dir_legacy_removal_from_new_ignore_drops_ondir) {
	/* clang-format on */
	.target = T_DIR,
	.steps = {
		{ FAN_MARK_ADD | NEW_IGNORE, FAN_OPEN | ONDIR, .left_ignored = FAN_OPEN | ONDIR },
		{ FAN_MARK_REMOVE | LEGACY, FAN_OPEN | ONDIR, .gone = true },
	},
};

/* clang-format off */
FIXTURE_VARIANT_ADD(rm, mount_legacy_removal_from_new_ignore_keeps_ondir) {
	/* clang-format on */
	.target = T_MOUNT,
	.steps = {
		{ FAN_MARK_ADD | NEW_IGNORE, FAN_OPEN | ONDIR, .left_ignored = FAN_OPEN | ONDIR },
		{ FAN_MARK_REMOVE | LEGACY, FAN_OPEN | ONDIR, .left_ignored = ONDIR },
		{ FAN_MARK_REMOVE | FAN_MARK_IGNORE, ONDIR, .gone = true },
	},
};

/* FAN_MARK_EVICTABLE and FAN_MARK_IGNORED_SURV_MODIFY do not change the rules. */
/* clang-format off */
FIXTURE_VARIANT_ADD(rm, file_evictable_legacy_ignore_removal_keeps_ondir) {
	/* clang-format on */
	.target = T_FILE,
	.steps = {
		{ FAN_MARK_ADD | FAN_MARK_EVICTABLE, FAN_OPEN | ONDIR, .left = FAN_OPEN | ONDIR },
		{ FAN_MARK_ADD | FAN_MARK_EVICTABLE | LEGACY | FAN_MARK_IGNORED_SURV_MODIFY,
		  FAN_CLOSE_NOWRITE, .left = FAN_OPEN | ONDIR, .left_ignored = FAN_CLOSE_NOWRITE },
		{ FAN_MARK_REMOVE, FAN_OPEN, .left = ONDIR, .left_ignored = FAN_CLOSE_NOWRITE },
		{ FAN_MARK_REMOVE | LEGACY, FAN_CLOSE_NOWRITE, .left = ONDIR },
		{ FAN_MARK_REMOVE, ONDIR, .gone = true },
	},
};

/* clang-format off */
FIXTURE_VARIANT_ADD(rm, dir_evictable_legacy_ignore_removal_drops_ondir) {
	/* clang-format on */
	.target = T_DIR,
	.steps = {
		{ FAN_MARK_ADD | FAN_MARK_EVICTABLE, FAN_OPEN | ONDIR, .left = FAN_OPEN | ONDIR },
		{ FAN_MARK_ADD | FAN_MARK_EVICTABLE | LEGACY | FAN_MARK_IGNORED_SURV_MODIFY,
		  FAN_CLOSE_NOWRITE, .left = FAN_OPEN | ONDIR, .left_ignored = FAN_CLOSE_NOWRITE },
		{ FAN_MARK_REMOVE, FAN_OPEN, .left = ONDIR, .left_ignored = FAN_CLOSE_NOWRITE },
		{ FAN_MARK_REMOVE | LEGACY, FAN_CLOSE_NOWRITE, .gone = true },
	},
};

/*
 * A group reporting directory file handles gets FAN_EVENT_ON_CHILD on its non-directory marks
 * from the kernel (to receive the parent and name); it does not keep them alive, and a removal
 * cannot take it away.
 */
/* clang-format off */
FIXTURE_VARIANT_ADD(rm, dir_fid_file_kernel_on_child_does_not_keep) {
	/* clang-format on */
	.target = T_FILE,
	.init_flags = FAN_REPORT_DIR_FID,
	.steps = {
		{ FAN_MARK_ADD, FAN_OPEN, .left = FAN_OPEN | ON_CHILD },
		{ FAN_MARK_REMOVE, ON_CHILD, .left = FAN_OPEN | ON_CHILD },
		{ FAN_MARK_REMOVE, FAN_OPEN, .gone = true },
	},
};

/* clang-format off */
FIXTURE_VARIANT_ADD(rm, dir_fid_file_ondir_keeps) {
	/* clang-format on */
	.target = T_FILE,
	.init_flags = FAN_REPORT_DIR_FID,
	.steps = {
		{ FAN_MARK_ADD, FAN_OPEN | ONDIR, .left = FAN_OPEN | ONDIR | ON_CHILD },
		{ FAN_MARK_ADD | LEGACY, FAN_CLOSE_NOWRITE,
		  .left = FAN_OPEN | ONDIR | ON_CHILD, .left_ignored = FAN_CLOSE_NOWRITE },
		{ FAN_MARK_REMOVE, FAN_OPEN,
		  .left = ONDIR | ON_CHILD, .left_ignored = FAN_CLOSE_NOWRITE },
		{ FAN_MARK_REMOVE | LEGACY, FAN_CLOSE_NOWRITE, .left = ONDIR | ON_CHILD },
		{ FAN_MARK_REMOVE, ONDIR, .gone = true },
	},
};

/* clang-format off */
FIXTURE_VARIANT_ADD(rm, dir_fid_mount_kernel_on_child_does_not_keep) {
	/* clang-format on */
	.target = T_MOUNT,
	.init_flags = FAN_REPORT_DIR_FID,
	.steps = {
		{ FAN_MARK_ADD, FAN_OPEN, .left = FAN_OPEN | ON_CHILD },
		{ FAN_MARK_REMOVE, FAN_OPEN, .gone = true },
	},
};

/* clang-format off */
FIXTURE_VARIANT_ADD(rm, dir_fid_dir_no_kernel_on_child) {
	/* clang-format on */
	.target = T_DIR,
	.init_flags = FAN_REPORT_DIR_FID,
	.steps = {
		{ FAN_MARK_ADD, FAN_OPEN, .left = FAN_OPEN },
		{ FAN_MARK_REMOVE, FAN_OPEN, .gone = true },
	},
};

TEST_HARNESS_MAIN
