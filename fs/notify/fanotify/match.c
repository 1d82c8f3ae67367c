// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify's fsnotify backend: decide whether a group reports an event.
 *
 * The fsnotify core calls us once per group with the group's marks that
 * might be interested (inode, its parent, mount, filesystem, and the
 * group's subtree marks on the object's ancestors taken together), under
 * fsnotify_mark_srcu.  The core has already checked that the union of the
 * marks' masks, less their ignore masks, overlaps the event; we redo that
 * per mark because a mark's mask applies to directories and to children of
 * a watched directory only when it says so (FAN_ONDIR, FAN_EVENT_ON_CHILD).
 */

#include <linux/dcache.h>
#include <linux/slab.h>

#include "fanotify.h"

/* User-visible event bits are the fsnotify core's bits, passed through. */
#define FAN_BIT_IS_CORE_BIT(ev)	static_assert(FAN_##ev == FS_##ev)
FAN_BIT_IS_CORE_BIT(ACCESS);
FAN_BIT_IS_CORE_BIT(MODIFY);
FAN_BIT_IS_CORE_BIT(ATTRIB);
FAN_BIT_IS_CORE_BIT(CLOSE_WRITE);
FAN_BIT_IS_CORE_BIT(CLOSE_NOWRITE);
FAN_BIT_IS_CORE_BIT(OPEN);
FAN_BIT_IS_CORE_BIT(MOVED_FROM);
FAN_BIT_IS_CORE_BIT(MOVED_TO);
FAN_BIT_IS_CORE_BIT(CREATE);
FAN_BIT_IS_CORE_BIT(DELETE);
FAN_BIT_IS_CORE_BIT(DELETE_SELF);
FAN_BIT_IS_CORE_BIT(MOVE_SELF);
FAN_BIT_IS_CORE_BIT(OPEN_EXEC);
FAN_BIT_IS_CORE_BIT(Q_OVERFLOW);
FAN_BIT_IS_CORE_BIT(OPEN_PERM);
FAN_BIT_IS_CORE_BIT(ACCESS_PERM);
FAN_BIT_IS_CORE_BIT(OPEN_EXEC_PERM);
FAN_BIT_IS_CORE_BIT(PRE_ACCESS);
FAN_BIT_IS_CORE_BIT(EVENT_ON_CHILD);
FAN_BIT_IS_CORE_BIT(RENAME);
FAN_BIT_IS_CORE_BIT(MNT_ATTACH);
FAN_BIT_IS_CORE_BIT(MNT_DETACH);
static_assert(FAN_FS_ERROR == FS_ERROR);
static_assert(FAN_ONDIR == FS_ISDIR);

/* Bits the fd-reporting mode shows to the listener. */
#define FD_MODE_REPORTED_BITS	(FANOTIFY_OUTGOING_EVENTS & ~FANOTIFY_EVENT_FLAGS)

/*
 * Bits a FID group keeps.  FAN_ONDIR is reported (it tells mkdir from
 * creat when no name is reported); FAN_EVENT_ON_CHILD is kept internally
 * and never shown.
 */
#define FID_MODE_KEPT_BITS	(FANOTIFY_OUTGOING_EVENTS | FANOTIFY_EVENT_FLAGS)

/*
 * The bits of @mask that the marks in @iter_info ask for and do not ignore.
 * *@matched_types gets BIT(FSNOTIFY_ITER_TYPE_*) of the marks that asked.
 */
static u32 wanted_bits(struct fsnotify_iter_info *iter_info, u32 mask,
		       unsigned int *matched_types)
{
	bool on_dir = mask & FS_ISDIR;
	struct fsnotify_mark *mark;
	u32 wanted = 0, ignored = 0;
	int type;

	*matched_types = 0;
	fsnotify_foreach_iter_mark_type(iter_info, mark, type) {
		u32 mark_mask = fsnotify_iter_mark_mask(iter_info, type, mark);

		ignored |= fsnotify_iter_ignore_mask(iter_info, type, mark,
						     on_dir);
		if (!fsnotify_mask_applicable(mark_mask, on_dir, type))
			continue;
		wanted |= mark_mask;
		*matched_types |= BIT(type);
		/*
		 * Subtree marks above the old directory of a FAN_RENAME act as
		 * a mark on it (side 0), those above the new one as a mark on
		 * that (side 1): fill_slots() reports the sides they match.
		 */
		if (type == FSNOTIFY_ITER_TYPE_SUBTREE) {
			if (iter_info->subtree.sides & BIT(0))
				*matched_types |= BIT(FSNOTIFY_ITER_TYPE_INODE);
			if (iter_info->subtree.sides & BIT(1))
				*matched_types |= BIT(FSNOTIFY_ITER_TYPE_INODE2);
		}
	}
	return mask & wanted & ~ignored;
}

/*
 * In fd mode a record must carry an fd, so only events that come with a
 * path to a regular file or directory can be reported.
 */
static bool can_open_fd_for(const struct path *path)
{
	return path && (d_is_reg(path->dentry) || d_can_lookup(path->dentry));
}

#ifndef CONFIG_FANOTIFY_ACCESS_PERMISSIONS
/* Without the option no mark can ask for permission events. */
static int fanotify_perm_ask(struct fsnotify_group *group, u32 mask,
			     const struct path *path,
			     const struct file_range *range,
			     const __kernel_fsid_t *fsid,
			     struct fsnotify_iter_info *iter_info)
{
	return 0;
}
#endif

/* Queue a new event; a failed allocation shows up as an overflow. */
static void queue_or_overflow(struct fsnotify_group *group,
			      struct fanotify_event *event)
{
	if (event)
		fanotify_event_queue(group, event);
	else
		fsnotify_queue_overflow(group);
}

static int handle_fd_mode_event(struct fsnotify_group *group, u32 mask,
				const void *data, int data_type,
				struct fsnotify_iter_info *iter_info)
{
	const struct path *path = fsnotify_data_path(data, data_type);
	unsigned int matched_types;
	u32 report;

	if (!can_open_fd_for(path))
		return 0;

	report = wanted_bits(iter_info, mask, &matched_types) &
		 FD_MODE_REPORTED_BITS;
	if (!report)
		return 0;

	if (report & FANOTIFY_PERM_EVENTS)
		return fanotify_perm_ask(group, report, path,
					 fsnotify_data_file_range(data, data_type),
					 NULL, iter_info);

	fanotify_path_event_queue(group, report, path);
	return 0;
}

/*
 * FAN_PERM_NO_FD: a permission event of a file-handle group.  Like one of
 * fd mode (same objects, same bits), but named by handle when read.
 */
static int handle_fid_perm_event(struct fsnotify_group *group, u32 mask,
				 const void *data, int data_type,
				 struct fsnotify_iter_info *iter_info)
{
	const struct path *path = fsnotify_data_path(data, data_type);
	unsigned int matched_types;
	__kernel_fsid_t fsid;
	u32 report;

	if (!can_open_fd_for(path))
		return 0;
	report = wanted_bits(iter_info, mask, &matched_types) &
		 FANOTIFY_PERM_EVENTS;
	if (!report)
		return 0;
	fanotify_iter_fsid(iter_info, &fsid);
	return fanotify_perm_ask(group, report, path,
				 fsnotify_data_file_range(data, data_type),
				 &fsid, iter_info);
}

static int handle_fid_mode_event(struct fsnotify_group *group, u32 mask,
				 const void *data, int data_type,
				 struct inode *dir, const struct qstr *name,
				 struct fsnotify_iter_info *iter_info)
{
	unsigned int matched_types;
	__kernel_fsid_t fsid;
	u32 report;

	/*
	 * Without FAN_REPORT_FID only directories are identified: an event
	 * on a non-directory needs the parent it was reported to.
	 */
	if (!group_has_flag(group, FAN_REPORT_FID) && !dir && !(mask & FAN_ONDIR))
		return 0;

	report = wanted_bits(iter_info, mask, &matched_types) &
		 FID_MODE_KEPT_BITS;
	/* FAN_ONDIR alone is no event. */
	if (!(report & ~FANOTIFY_EVENT_FLAGS))
		return 0;

	fanotify_iter_fsid(iter_info, &fsid);
	if (report & FAN_FS_ERROR)
		queue_or_overflow(group, fanotify_error_event_alloc(group, data,
								    data_type,
								    &fsid));
	else
		fanotify_fid_event_queue(group, report, data, data_type, dir,
					 name, matched_types, &fsid);
	return 0;
}

/*
 * FAN_REPORT_MNT: the group's marks are all on mount namespaces (mark.c
 * allows no other), so every event it is asked about is a mount event.
 */
static int handle_mnt_mode_event(struct fsnotify_group *group, u32 mask,
				 const void *data, int data_type,
				 struct fsnotify_iter_info *iter_info)
{
	const struct fsnotify_mnt *mnt = fsnotify_data_mnt(data, data_type);
	unsigned int matched_types;
	u32 report;

	if (WARN_ON_ONCE(!mnt))
		return 0;
	report = wanted_bits(iter_info, mask, &matched_types) &
		 FANOTIFY_MOUNT_EVENTS;
	if (!report)
		return 0;
	queue_or_overflow(group, fanotify_mnt_event_alloc(group, report,
							  mnt->mnt_id));
	return 0;
}

static int fanotify_handle_event(struct fsnotify_group *group, u32 mask,
				 const void *data, int data_type,
				 struct inode *dir, const struct qstr *name,
				 u32 cookie, struct fsnotify_iter_info *iter_info)
{
	/*
	 * A FAN_EXCLUDE_SELF listener is not told of its own accesses, nor of
	 * its helpers'.  A filesystem error is no access: it is reported
	 * whoever ran into it.
	 */
	if (unlikely(group_has_flag(group, FAN_EXCLUDE_SELF)) &&
	    !(mask & FS_ERROR) && fanotify_access_excluded(group))
		return 0;
	if (group_has_flag(group, FAN_REPORT_MNT))
		return handle_mnt_mode_event(group, mask, data, data_type,
					     iter_info);
	if (group_fid_mode(group)) {
		if (mask & FANOTIFY_PERM_EVENTS)
			return handle_fid_perm_event(group, mask, data,
						     data_type, iter_info);
		return handle_fid_mode_event(group, mask, data, data_type, dir,
					     name, iter_info);
	}
	return handle_fd_mode_event(group, mask, data, data_type, iter_info);
}

static void fanotify_free_group_priv(struct fsnotify_group *group)
{
	struct fanotify_listener *listener = group_listener(group);

	if (!listener)
		return;
	if (listener->ucounts)
		dec_ucount(listener->ucounts, UCOUNT_FANOTIFY_GROUPS);
	fanotify_error_pool_exit(listener);
	fanotify_perm_spare_free(listener);
	fanotify_control_exit(listener);
	kfree(listener);
}

/* A mark leaves its object: give back its place in the user's mark count. */
static void fanotify_freeing_mark(struct fsnotify_mark *mark,
				  struct fsnotify_group *group)
{
	if (!group_has_flag(group, FAN_UNLIMITED_MARKS))
		dec_ucount(group_listener(group)->ucounts, UCOUNT_FANOTIFY_MARKS);
}

static void fanotify_free_mark(struct fsnotify_mark *mark)
{
	kmem_cache_free(fanotify_mark_cache, to_fanotify_mark(mark));
}

const struct fsnotify_ops fanotify_fsnotify_ops = {
	.handle_event		= fanotify_handle_event,
	.free_group_priv	= fanotify_free_group_priv,
	.free_event		= fanotify_event_free,
	.freeing_mark		= fanotify_freeing_mark,
	.free_mark		= fanotify_free_mark,
};
