/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fanotify limits: defaults of the sysctls and sizes of internal tables.
 */
#ifndef _FS_NOTIFY_FANOTIFY_LIMITS_H
#define _FS_NOTIFY_FANOTIFY_LIMITS_H

#include <linux/bits.h>

/* Default of fs.fanotify.max_queued_events: events queued per group. */
#define FANOTIFY_DEFAULT_MAX_QUEUED	16384

/* Default of fs.fanotify.max_user_groups: groups per user and namespace. */
#define FANOTIFY_DEFAULT_MAX_GROUPS	128

/*
 * fs.fanotify.max_user_marks defaults to what 1% of memory buys in inode
 * marks, bounded below by the old per-group limit and above by the old
 * per-group limit times the group limit (the effective old per-user limit).
 * An inode mark pins its inode; filesystem inodes are larger than the VFS
 * inode, so twice its size is counted per mark.
 */
#define FANOTIFY_MIN_MAX_USER_MARKS	8192
#define FANOTIFY_MAX_MAX_USER_MARKS	(FANOTIFY_MIN_MAX_USER_MARKS * \
					 FANOTIFY_DEFAULT_MAX_GROUPS)
#define FANOTIFY_INODE_MARK_COST	(2 * sizeof(struct inode))
#define FANOTIFY_MARKS_MEMORY_PERCENT	1

/*
 * Merge buckets per group: a new event is compared against the unread
 * events of its bucket only, and against at most FANOTIFY_MERGE_SCAN of
 * them, so the cost of queueing stays bounded however long the queue is.
 */
#define FANOTIFY_MERGE_BITS		7
#define FANOTIFY_MERGE_BUCKETS		BIT(FANOTIFY_MERGE_BITS)
#define FANOTIFY_MERGE_SCAN		128

/*
 * Buckets of a group's table of permission events awaiting a verdict,
 * keyed by fd.  Their number is bounded by the tasks blocked on the group.
 */
#define FANOTIFY_PENDING_BITS		6
#define FANOTIFY_PENDING_BUCKETS	BIT(FANOTIFY_PENDING_BITS)

/*
 * Processes a FAN_EXCLUDE_SELF group may exclude: the daemon and a few
 * helpers.  Each event of such a group scans the table, so it stays small.
 */
#define FANOTIFY_MAX_EXCLUDED		16

#endif /* _FS_NOTIFY_FANOTIFY_LIMITS_H */
