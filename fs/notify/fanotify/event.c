// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify event objects: allocation, folding of identical events, the queue.
 *
 * An event lives on the group's notification queue (the fsnotify core's
 * list) and, until read() takes it, in one merge bucket of the listener.
 * Both are protected by group->notification_lock.  A new event that names
 * the same object, by the same process, as an unread one is folded into
 * it: listeners see one record with the union of the bits, as they always
 * have.
 */

#include <linux/hash.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "fanotify.h"

static struct kmem_cache *fanotify_path_event_cache __ro_after_init;

/**
 * fanotify_event_cache_init() - create the slab cache of path events
 *
 * Return: 0, or -ENOMEM.
 */
int __init fanotify_event_cache_init(void)
{
	fanotify_path_event_cache = KMEM_CACHE(fanotify_path_event, SLAB_ACCOUNT);
	return fanotify_path_event_cache ? 0 : -ENOMEM;
}

static u32 merge_index(const struct fanotify_event *event)
{
	return hash_32(event->merge_key, FANOTIFY_MERGE_BITS);
}

static struct hlist_head *merge_bucket(struct fsnotify_group *group,
				       const struct fanotify_event *event)
{
	return &group_listener(group)->merge_buckets[merge_index(event)];
}

/* The bits of the merge key that merge_index() does not use. */
static u8 merge_hint(const struct fanotify_event *event)
{
	return event->merge_key;
}

/* The process an event is charged to; no reference is taken. */
static struct pid *acting_pid(struct fsnotify_group *group)
{
	if (group_has_flag(group, FAN_REPORT_TID))
		return task_pid(current);
	return task_tgid(current);
}

static void init_common(struct fanotify_event *event, u32 mask,
			u32 object_key, struct pid *pid)
{
	fsnotify_init_event(&event->fse);
	INIT_HLIST_NODE(&event->merge_link);
	event->mask = mask;
	event->pid = pid;
	event->merge_key = object_key ^
			   hash_ptr((void *)((unsigned long)pid |
					     (mask & FAN_ONDIR ? 1UL : 0UL)), 32);
}

/**
 * fanotify_event_init() - fill in the common part of a new event
 * @group: the group the event is for
 * @event: the event, not queued yet
 * @mask: the FAN_* bits to report
 * @object_key: a hash of what the event names, from its kind's builder
 *
 * Events by different processes, or about a directory and a file, are
 * never folded together, so both are part of the merge key.
 */
void fanotify_event_init(struct fsnotify_group *group,
			 struct fanotify_event *event, u32 mask, u32 object_key)
{
	init_common(event, mask, object_key, get_pid(acting_pid(group)));
}

/**
 * fanotify_event_init_early() - fill in an event built on the stack
 * @group: the group the event is for
 * @event: the event, in the caller's frame
 * @mask: the FAN_* bits to report
 * @object_key: a hash of what the event names
 *
 * As fanotify_event_init(), but the event holds no reference: it is only
 * compared with queued events (fanotify_event_fold_early()), and copied to
 * memory of its own with fanotify_event_adopt() if it has to be queued.
 */
void fanotify_event_init_early(struct fsnotify_group *group,
			       struct fanotify_event *event, u32 mask,
			       u32 object_key)
{
	init_common(event, mask, object_key, acting_pid(group));
}

/**
 * fanotify_event_adopt() - make a copy of an early event a real one
 * @event: the copy, in allocated memory; its links still point to the
 *	original
 */
void fanotify_event_adopt(struct fanotify_event *event)
{
	fsnotify_init_event(&event->fse);
	INIT_HLIST_NODE(&event->merge_link);
	get_pid(event->pid);
}

static u32 path_key(const struct path *path)
{
	return hash_ptr(path->dentry, 32) ^ hash_ptr(path->mnt, 32);
}

/**
 * fanotify_path_event_init() - fill in a new event that carries a path
 * @group: the group the event is for
 * @pev: the event, not queued yet
 * @mask: the FAN_* bits to report
 * @path: the object; a reference is taken
 */
void fanotify_path_event_init(struct fsnotify_group *group,
			      struct fanotify_path_event *pev, u32 mask,
			      const struct path *path)
{
	pev->path = *path;
	path_get(&pev->path);
	fanotify_event_init(group, &pev->ev, mask, path_key(path));
}

/**
 * fanotify_event_gfp() - how hard to try allocating an event for a group
 * @group: the group the event is for
 *
 * A group with an unlimited queue was promised that nothing is lost, so
 * its events may not fail.  Other groups fail rather than wake the OOM
 * killer in the listener's memcg, which would itself be an attack surface;
 * the loss then shows as an overflow (or a denied access).
 *
 * Return: the allocation flags.
 */
gfp_t fanotify_event_gfp(struct fsnotify_group *group)
{
	if (group->max_events == UINT_MAX)
		return GFP_KERNEL_ACCOUNT | __GFP_NOFAIL;
	return GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN;
}

/**
 * fanotify_path_event_queue() - report a notification event about a path
 * @group: the group the event is for; memory is charged to its memcg
 * @mask: the FAN_* bits to report
 * @path: the object; a reference is taken if the event is queued
 *
 * Most occurrences fold into an unread event of the same object: the event
 * is first built on the stack and compared, and only allocated (and the
 * path pinned) when it needs a place in the queue of its own.  Failure to
 * allocate is reported as a queue overflow.
 */
void fanotify_path_event_queue(struct fsnotify_group *group, u32 mask,
			       const struct path *path)
{
	struct fanotify_path_event early, *pev;
	struct mem_cgroup *old_memcg;

	early.path = *path;
	fanotify_event_init_early(group, &early.ev, mask, path_key(path));
	if (fanotify_event_fold_early(group, &early.ev))
		return;

	/*
	 * The accessing task pays nothing: the listener that asked for the
	 * event is charged.
	 */
	old_memcg = set_active_memcg(group->memcg);
	pev = kmem_cache_alloc(fanotify_path_event_cache, fanotify_event_gfp(group));
	set_active_memcg(old_memcg);
	if (!pev) {
		fsnotify_queue_overflow(group);
		return;
	}
	*pev = early;
	path_get(&pev->path);
	fanotify_event_adopt(&pev->ev);
	fanotify_event_queue(group, &pev->ev);
}

/**
 * fanotify_event_alloc_overflow() - build a group's overflow event
 *
 * Each group owns one, queued at most once, when an event could not be.
 *
 * Return: the event, or NULL when memory is short.
 */
struct fanotify_event *fanotify_event_alloc_overflow(void)
{
	struct fanotify_event *event;

	/* Cleared here, where its size is known: cheaper than kzalloc(). */
	event = kmalloc(sizeof(*event), GFP_KERNEL_ACCOUNT);
	if (!event)
		return NULL;
	memset(event, 0, sizeof(*event));
	fsnotify_init_event(&event->fse);
	INIT_HLIST_NODE(&event->merge_link);
	event->mask = FAN_Q_OVERFLOW;
	return event;
}

static bool same_occurrence(struct fsnotify_group *group,
			    struct fanotify_event *queued,
			    struct fanotify_event *new)
{
	enum fanotify_event_kind kind;

	/*
	 * Almost every event of the bucket differs from the new one, and the
	 * merge key or the pid says so at once.  The kinds, which cost a call
	 * each, are only worth computing for the few that pass: this test
	 * runs for up to FANOTIFY_MERGE_SCAN queued events per new event.
	 */
	if (queued->merge_key != new->merge_key || queued->pid != new->pid)
		return false;
	kind = fanotify_event_kind(group, new);
	if (fanotify_event_kind(group, queued) != kind)
		return false;
	/*
	 * "Created a file and deleted a directory" must not read as "created
	 * and deleted a directory"; FAN_RENAME has records of its own.
	 */
	if ((queued->mask ^ new->mask) & (FAN_ONDIR | FAN_RENAME))
		return false;

	switch (kind) {
	case FANOTIFY_KIND_PATH:
		return path_equal(&to_path_event(queued)->path,
				  &to_path_event(new)->path);
	case FANOTIFY_KIND_FID:
		return fanotify_fid_event_equal(to_fid_event(queued),
						to_fid_event(new));
	case FANOTIFY_KIND_ERROR:
		/* Errors of one filesystem are counted, not listed. */
		return same_fsid(&to_error_event(queued)->fsid,
				 &to_error_event(new)->fsid);
	case FANOTIFY_KIND_MNT:
		/*
		 * Never folded: "detached, attached" of one mount id would
		 * read as one move, and the order is what a listener that
		 * mirrors the mount table needs.
		 */
		return false;
	default:
		return false;
	}
}

/* Called by the fsnotify core with notification_lock held and a non-empty queue. */
static int fold_into_queued(struct fsnotify_group *group,
			    struct fsnotify_event *fse)
{
	struct fanotify_event *new = to_fanotify_event(fse);
	struct fanotify_event *queued;
	unsigned int scanned = 0;

	lockdep_assert_held(&group->notification_lock);

	hlist_for_each_entry(queued, merge_bucket(group, new), merge_link) {
		if (++scanned > FANOTIFY_MERGE_SCAN)
			break;
		if (same_occurrence(group, queued, new)) {
			queued->mask |= new->mask;
			if (fanotify_event_kind(group, queued) == FANOTIFY_KIND_ERROR)
				to_error_event(queued)->count++;
			return 1;
		}
	}
	return 0;
}

/**
 * fanotify_event_fold_early() - fold an event built on the stack
 * @group: the listener's group
 * @event: the new event, from fanotify_event_init_early()
 *
 * Does what fsnotify_insert_event() would do with an event that folds,
 * before any memory is spent on it: a group going away or a full queue
 * takes no event at all (the core then drops it or reports the overflow),
 * so those are left to it, as is an event that does not fold.  A folded
 * event wakes no one, as in the core.
 *
 * Return: true if @event was folded into a queued one; it is then done.
 */
bool fanotify_event_fold_early(struct fsnotify_group *group,
			       struct fanotify_event *event)
{
	struct fanotify_listener *listener = group_listener(group);
	bool folded = false;

	/*
	 * An occurrence usually folds into the event queued last into its
	 * bucket.  Unless that one looks like it, do not scan the bucket
	 * twice (here and in the core) for an event that will not fold: a
	 * wrong guess either way only costs time, the core decides.
	 */
	if (READ_ONCE(listener->merge_hints[merge_index(event)]) !=
	    merge_hint(event))
		return false;

	spin_lock(&group->notification_lock);
	if (!group->shutdown && group->q_len < group->max_events &&
	    !list_empty(&group->notification_list))
		folded = fold_into_queued(group, &event->fse);
	spin_unlock(&group->notification_lock);
	return folded;
}

/* Called by the fsnotify core with notification_lock held, once queued. */
static void index_queued(struct fsnotify_group *group,
			 struct fsnotify_event *fse)
{
	struct fanotify_event *event = to_fanotify_event(fse);

	lockdep_assert_held(&group->notification_lock);

	if (event == to_fanotify_event(group->overflow_event))
		return;
	hlist_add_head(&event->merge_link, merge_bucket(group, event));
	WRITE_ONCE(group_listener(group)->merge_hints[merge_index(event)],
		   merge_hint(event));
}

/**
 * fanotify_event_queue() - hand an event to the group's queue
 * @group: the listener's group
 * @event: a new event; the queue owns it from now on
 *
 * The event is folded into an identical unread one, or appended.  When the
 * queue is full (or the group is going away) it is dropped, and the full
 * queue gets its single overflow record instead.
 */
void fanotify_event_queue(struct fsnotify_group *group,
			  struct fanotify_event *event)
{
	int ret;

	ret = fsnotify_insert_event(group, &event->fse, fold_into_queued,
				    index_queued);
	if (ret)
		fsnotify_destroy_event(group, &event->fse);
}

/**
 * fanotify_event_take() - take the oldest event off the queue
 * @group: the listener's group
 * @room: bytes left in the reader's buffer
 * @record_len: gets the length of the event's record, which the group's
 *	reporting mode fixes, so that read() need not size it again
 *
 * Return: the event, now owned by the caller; NULL if the queue is empty;
 * ERR_PTR(-EINVAL) if its record does not fit in @room (it stays queued).
 */
struct fanotify_event *fanotify_event_take(struct fsnotify_group *group,
					   size_t room, size_t *record_len)
{
	struct fanotify_event *event = NULL;
	struct fsnotify_event *fse;

	spin_lock(&group->notification_lock);
	fse = fsnotify_peek_first_event(group);
	if (!fse)
		goto unlock;
	event = to_fanotify_event(fse);
	*record_len = fanotify_event_record_len(group, event);
	if (*record_len > room) {
		event = ERR_PTR(-EINVAL);
		goto unlock;
	}
	fsnotify_remove_first_event(group);
	if (fanotify_is_perm_event(event)) {
		/* From now on the reader, not the queue, holds it. */
		to_perm_event(event)->state = FANOTIFY_PERM_REPORTED;
		if (fanotify_event_by_handle(group, event))
			fanotify_perm_take_id(group, to_perm_event(event));
	} else if (!hlist_unhashed(&event->merge_link)) {
		/* Once read, later occurrences start a record of their own. */
		hlist_del_init(&event->merge_link);
	}
unlock:
	spin_unlock(&group->notification_lock);
	return event;
}

/**
 * fanotify_event_free() - release an event and what it pins
 * @group: the group it was queued on
 * @fse: the event; no longer on the queue nor in a merge bucket, or the
 *	whole group is being freed
 *
 * This is the fsnotify_ops free_event callback.
 */
void fanotify_event_free(struct fsnotify_group *group,
			 struct fsnotify_event *fse)
{
	struct fanotify_event *event = to_fanotify_event(fse);

	put_pid(event->pid);
	switch (fanotify_event_kind(group, event)) {
	case FANOTIFY_KIND_BARE:
		kfree(event);
		break;
	case FANOTIFY_KIND_FID:
		kfree(to_fid_event(event));
		break;
	case FANOTIFY_KIND_ERROR:
		fanotify_error_event_free(group, to_error_event(event));
		break;
	case FANOTIFY_KIND_MNT:
		fanotify_mnt_event_free(to_mnt_event(event));
		break;
	case FANOTIFY_KIND_PATH:
		path_put(&to_path_event(event)->path);
#ifdef CONFIG_FANOTIFY_ACCESS_PERMISSIONS
		if (fanotify_is_perm_event(event)) {
			fanotify_perm_event_free(to_perm_event(event));
			break;
		}
#endif
		kmem_cache_free(fanotify_path_event_cache, to_path_event(event));
		break;
	}
}
