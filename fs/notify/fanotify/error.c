// SPDX-License-Identifier: GPL-2.0
/*
 * FAN_FS_ERROR: a filesystem found corruption or failed I/O.
 *
 * Filesystems report errors from deep inside their own code, where failing
 * to allocate would lose the report and reclaiming into the filesystem
 * could deadlock.  So a group that asks for errors gets a pool of error
 * events, allocated with GFP_NOFS and backed by reserved elements.  While
 * an error event of a filesystem is queued, later errors of that
 * filesystem (by the same process) are only counted in it: a broken
 * filesystem can flood the queue no faster than the listener reads.
 */

#include <linux/jhash.h>
#include <linux/mempool.h>
#include <linux/slab.h>

#include "fanotify.h"

/* Reserved error events per group: enough for a burst on a few filesystems. */
#define FANOTIFY_ERROR_POOL_RESERVE	32

/**
 * fanotify_error_pool_init() - give a group its pool of error events
 * @group: a group a mark of which now asks for FAN_FS_ERROR; mark_mutex
 *	is held
 *
 * Return: 0 or -ENOMEM.
 */
int fanotify_error_pool_init(struct fsnotify_group *group)
{
	struct fanotify_listener *listener = group_listener(group);

	int err;

	fsnotify_group_assert_locked(group);

	if (listener->error_pool_ready)
		return 0;
	err = mempool_init_kmalloc_pool(&listener->error_pool,
					FANOTIFY_ERROR_POOL_RESERVE,
					sizeof(struct fanotify_error_event));
	if (err)
		return err;
	/* Pairs with the acquire in fanotify_error_event_alloc(). */
	smp_store_release(&listener->error_pool_ready, true);
	return 0;
}

/**
 * fanotify_error_pool_exit() - free a group's pool of error events
 * @listener: the group's state; every event has been freed
 */
void fanotify_error_pool_exit(struct fanotify_listener *listener)
{
	if (listener->error_pool_ready)
		mempool_exit(&listener->error_pool);
}

/**
 * fanotify_error_event_alloc() - build a FAN_FS_ERROR event
 * @group: a group with an error pool (it has a mark that asked for errors)
 * @data: the fsnotify core's struct fs_error_report
 * @data_type: FSNOTIFY_EVENT_ERROR
 * @fsid: the filesystem's id
 *
 * Return: the event, or NULL if the report is malformed or the group has
 * no pool (its marks only ignore errors).
 */
struct fanotify_event *fanotify_error_event_alloc(struct fsnotify_group *group,
						  const void *data,
						  int data_type,
						  const __kernel_fsid_t *fsid)
{
	struct fs_error_report *report = fsnotify_data_error_report(data, data_type);
	struct fanotify_listener *listener = group_listener(group);
	struct fanotify_error_event *ee;

	if (WARN_ON_ONCE(!report))
		return NULL;
	/*
	 * The mark that matched may predate the pool; only a pool published
	 * by fanotify_error_pool_init() is complete.
	 */
	if (!smp_load_acquire(&listener->error_pool_ready))
		return NULL;

	/* Sleeps for a reserved element rather than fail. */
	ee = mempool_alloc(&listener->error_pool, GFP_NOFS);
	if (!ee)
		return NULL;

	ee->fsid = *fsid;
	ee->error = report->error;
	ee->count = 1;
	/* An error not tied to an inode is reported with an invalid handle. */
	ee->fh_type = FILEID_INVALID;
	ee->fh_len = fanotify_encode_fh(report->inode, ee->fh, sizeof(ee->fh),
					&ee->fh_type);
	if (!ee->fh_len)
		ee->fh_type = FILEID_INVALID;

	fanotify_event_init(group, &ee->ev, FAN_FS_ERROR,
			    jhash_2words(fsid->val[0], fsid->val[1], 0));
	return &ee->ev;
}

/**
 * fanotify_error_event_free() - give an error event back to its pool
 * @group: the group it was allocated for
 * @ee: the event
 */
void fanotify_error_event_free(struct fsnotify_group *group,
			       struct fanotify_error_event *ee)
{
	mempool_free(ee, &group_listener(group)->error_pool);
}
