// SPDX-License-Identifier: GPL-2.0
/*
 * Mount events (upstream 6.15): FAN_MNT_ATTACH and FAN_MNT_DETACH tell a
 * FAN_REPORT_MNT group that a mount entered or left a mount namespace it
 * marked with FAN_MARK_MNTNS.
 *
 * The fsnotify core raises them from namespace_unlock() (fs/namespace.c)
 * with the namespace and the mount's unique id; a move within a namespace
 * comes as one event with both bits.  The event names no file, so it
 * carries no fd: the mount is named by an info record with its id, the one
 * statmount(2) and statx() STATX_MNT_ID_UNIQUE give.  Such a group hears
 * of nothing else, and its marks are on namespaces only (mark.c).
 */

#include <linux/capability.h>
#include <linux/hash.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "../../mount.h"
#include "fanotify.h"

/**
 * fanotify_mnt_event_alloc() - build a mount event
 * @group: the group the event is for; memory is charged to its memcg
 * @mask: FAN_MNT_ATTACH and/or FAN_MNT_DETACH
 * @mnt_id: the mount's unique id
 *
 * Return: the event, or NULL when memory is short.
 */
struct fanotify_event *fanotify_mnt_event_alloc(struct fsnotify_group *group,
						u32 mask, u64 mnt_id)
{
	struct fanotify_mnt_event *me;
	struct mem_cgroup *old_memcg;

	/* As for path events: the listener pays, not the task that mounted. */
	old_memcg = set_active_memcg(group->memcg);
	me = kmalloc(sizeof(*me), fanotify_event_gfp(group));
	set_active_memcg(old_memcg);
	if (!me)
		return NULL;
	me->mnt_id = mnt_id;
	fanotify_event_init(group, &me->ev, mask, hash_64(mnt_id, 32));
	return &me->ev;
}

/**
 * fanotify_mnt_event_free() - free a mount event
 * @me: the event, off the queue
 */
void fanotify_mnt_event_free(struct fanotify_mnt_event *me)
{
	kfree(me);
}

/**
 * fanotify_mntns_target() - the mount namespace a FAN_MARK_MNTNS mark is for
 * @path: what fanotify_mark() named: it must be a mount namespace's nsfs
 *	file, such as /proc/PID/ns/mnt; the caller holds it, which keeps the
 *	namespace alive
 *
 * Watching a namespace's mounts is administering it: the caller needs
 * CAP_SYS_ADMIN in the user namespace that owns it.
 *
 * Return: the namespace, ERR_PTR(-EINVAL) if @path is no such file, or
 * ERR_PTR(-EPERM).
 */
struct mnt_namespace *fanotify_mntns_target(const struct path *path)
{
	struct mnt_namespace *mntns = mnt_ns_of_nsfs_dentry(path->dentry);

	if (!mntns)
		return ERR_PTR(-EINVAL);
	if (!ns_capable(mntns->user_ns, CAP_SYS_ADMIN))
		return ERR_PTR(-EPERM);
	return mntns;
}
