// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify permission events: the accessing task waits for a verdict.
 *
 * A permission event is queued like any other, but
 *  - never refused for a full queue: the number of permission events is
 *    bounded by the number of tasks blocked on them (one per task and
 *    group), so admitting them always is safe, and dropping one would let
 *    an access through that nobody judged;
 *  - never folded into another event: the waiting task owns its event;
 *  - once read, filed in the listener's pending table by the fd it was
 *    reported with, so that a verdict finds it in O(1);
 *  - answered by waking only the task that waits for it.
 *
 * Life of a permission event, every change under group->notification_lock:
 *
 *   QUEUED --read()--> REPORTED --write()--> ANSWERED --waiter frees it
 *      |                  |
 *      |                  +--waiter killed--> ABANDONED --write()/close--> freed
 *      +--waiter killed--> off the queue, freed by the waiter
 *
 * Closing the listener answers every QUEUED or REPORTED event with
 * FAN_ALLOW, as upstream does.
 */

#include <linux/audit.h>
#include <linux/hash.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "fanotify.h"

static struct kmem_cache *fanotify_perm_cache __ro_after_init;

/**
 * fanotify_perm_cache_init() - create the slab cache of permission events
 *
 * Return: 0, or -ENOMEM.
 */
int __init fanotify_perm_cache_init(void)
{
	fanotify_perm_cache = KMEM_CACHE(fanotify_perm_event, SLAB_ACCOUNT);
	return fanotify_perm_cache ? 0 : -ENOMEM;
}

static struct list_head *pending_bucket(struct fanotify_listener *listener,
					int fd)
{
	return &listener->pending[hash_32(fd, FANOTIFY_PENDING_BITS)];
}

/**
 * fanotify_perm_event_free() - free a permission event's memory
 * @pe: the event; it is on no list
 */
void fanotify_perm_event_free(struct fanotify_perm_event *pe)
{
	kmem_cache_free(fanotify_perm_cache, pe);
}

/* Record the verdict; the caller wakes the waiter or frees an abandoned event. */
static bool settle(struct fanotify_perm_event *pe, u32 response,
		   const struct fanotify_response_info_audit_rule *rule)
{
	pe->response = response & ~FAN_INFO;
	if (rule)
		pe->audit_rule = *rule;
	if (pe->state == FANOTIFY_PERM_ABANDONED)
		return false;
	/* Pairs with the READ_ONCE() in the waiter's condition. */
	WRITE_ONCE(pe->state, FANOTIFY_PERM_ANSWERED);
	return true;
}

static void settle_and_wake(struct fsnotify_group *group,
			    struct fanotify_perm_event *pe, u32 response,
			    const struct fanotify_response_info_audit_rule *rule)
	__releases(&group->notification_lock)
{
	bool waiter_alive;

	lockdep_assert_held(&group->notification_lock);
	waiter_alive = settle(pe, response, rule);
	/*
	 * wake_up() under the lock: once the lock is dropped the waiter may
	 * see ANSWERED, free the event and with it the waitqueue head.
	 */
	if (waiter_alive)
		wake_up(&pe->answered);
	spin_unlock(&group->notification_lock);
	if (!waiter_alive)
		fsnotify_destroy_event(group, &pe->pev.ev.fse);
}

/**
 * fanotify_perm_reported() - file a permission event that read() returned
 * @group: the listener's group
 * @pe: the event, just taken off the queue by read()
 * @fd: the fd its record carries, or a negative value if none could be
 *	made (the access is then denied: nobody can answer for it)
 * @delivered: whether the record reached user space
 */
void fanotify_perm_reported(struct fsnotify_group *group,
			    struct fanotify_perm_event *pe, int fd,
			    bool delivered)
{
	spin_lock(&group->notification_lock);
	if (!delivered || fd < 0) {
		settle_and_wake(group, pe, FAN_DENY, NULL);
		return;
	}
	/*
	 * REPORTED, or ABANDONED if the waiter died meanwhile: either way the
	 * listener's answer, or its close, finds the event here.
	 */
	pe->fd = fd;
	list_add_tail(&pe->pending_link,
		      pending_bucket(group_listener(group), fd));
	spin_unlock(&group->notification_lock);
}

/* Queue without the notification limit; false if the group is closing. */
static bool queue_perm_event(struct fsnotify_group *group,
			     struct fanotify_perm_event *pe)
{
	spin_lock(&group->notification_lock);
	if (group->shutdown) {
		spin_unlock(&group->notification_lock);
		return false;
	}
	list_add_tail(&pe->pev.ev.fse.list, &group->notification_list);
	group->q_len++;
	spin_unlock(&group->notification_lock);
	wake_up(&group->notification_waitq);
	return true;
}

static bool answered(struct fanotify_perm_event *pe)
{
	return READ_ONCE(pe->state) == FANOTIFY_PERM_ANSWERED;
}

/* The waiter was killed.  Return: whether the waiter still owns @pe. */
static bool abandon(struct fsnotify_group *group,
		    struct fanotify_perm_event *pe)
{
	bool owned = true;

	spin_lock(&group->notification_lock);
	switch (pe->state) {
	case FANOTIFY_PERM_QUEUED:
		fsnotify_remove_queued_event(group, &pe->pev.ev.fse);
		break;
	case FANOTIFY_PERM_REPORTED:
		/* The listener holds the fd; its answer will free the event. */
		pe->state = FANOTIFY_PERM_ABANDONED;
		owned = false;
		break;
	default:
		/* Answered while the signal arrived: the answer is moot. */
		break;
	}
	spin_unlock(&group->notification_lock);
	return owned;
}

static int verdict_to_errno(struct fanotify_perm_event *pe)
{
	if (pe->response & FAN_AUDIT)
		audit_fanotify(pe->response & ~FAN_AUDIT, &pe->audit_rule);
	return (pe->response & FANOTIFY_RESPONSE_ACCESS) == FAN_ALLOW ? 0 : -EPERM;
}

/**
 * fanotify_perm_decide() - ask a listener whether an access may go on
 * @group: the listener's group
 * @mask: the permission event to report (with FAN_ONDIR stripped)
 * @path: the object being accessed
 * @iter_info: the fsnotify core's iterator; its marks stay pinned while we
 *	sleep, and fsnotify_mark_srcu is not held then
 *
 * Return: 0 to allow, -EPERM if denied, -ENOMEM if the event could not be
 * built (the access is then denied), or -ERESTARTSYS if a fatal signal
 * ended the wait.
 */
int fanotify_perm_decide(struct fsnotify_group *group, u32 mask,
			 const struct path *path,
			 struct fsnotify_iter_info *iter_info)
{
	struct fanotify_perm_event *pe;
	struct mem_cgroup *old_memcg;
	int ret;

	/* The mark is going away: nobody is left to ask. */
	if (!fsnotify_prepare_user_wait(iter_info))
		return 0;

	old_memcg = set_active_memcg(group->memcg);
	pe = kmem_cache_alloc(fanotify_perm_cache, fanotify_event_gfp(group));
	set_active_memcg(old_memcg);
	if (!pe) {
		ret = -ENOMEM;
		goto finish;
	}
	fanotify_path_event_init(group, &pe->pev, mask, path);
	INIT_LIST_HEAD(&pe->pending_link);
	init_waitqueue_head(&pe->answered);
	pe->state = FANOTIFY_PERM_QUEUED;
	pe->response = 0;
	pe->fd = FAN_NOFD;
	/* Type FAN_RESPONSE_INFO_NONE unless the listener sends a rule. */
	memset(&pe->audit_rule, 0, sizeof(pe->audit_rule));

	if (!queue_perm_event(group, pe)) {
		fsnotify_destroy_event(group, &pe->pev.ev.fse);
		ret = 0;
		goto finish;
	}

	ret = wait_event_state(pe->answered, answered(pe),
			       (TASK_KILLABLE | TASK_FREEZABLE));
	if (ret && !abandon(group, pe))
		goto finish;
	if (!ret) {
		/*
		 * The answering side wakes us with notification_lock held and
		 * may still be in wake_up() when we see ANSWERED: taking the
		 * lock waits for it to be done with the event.
		 */
		spin_lock(&group->notification_lock);
		spin_unlock(&group->notification_lock);
		ret = verdict_to_errno(pe);
	}
	fsnotify_destroy_event(group, &pe->pev.ev.fse);
finish:
	fsnotify_finish_user_wait(iter_info);
	return ret;
}

static int read_audit_rule(const char __user *buf, size_t len,
			   struct fanotify_response_info_audit_rule *rule)
{
	if (len != sizeof(*rule))
		return -EINVAL;
	if (copy_from_user(rule, buf, sizeof(*rule)))
		return -EFAULT;
	if (rule->hdr.type != FAN_RESPONSE_INFO_AUDIT_RULE ||
	    rule->hdr.pad || rule->hdr.len != sizeof(*rule))
		return -EINVAL;
	return len;
}

static struct fanotify_perm_event *find_pending(struct fsnotify_group *group,
						int fd)
{
	struct fanotify_perm_event *pe;

	lockdep_assert_held(&group->notification_lock);

	list_for_each_entry(pe, pending_bucket(group_listener(group), fd),
			    pending_link)
		if (pe->fd == fd)
			return pe;
	return NULL;
}

/*
 * Apply one verdict.  Return: bytes consumed after the response struct,
 * or -errno.
 */
static int judge(struct fsnotify_group *group,
		 const struct fanotify_response *verdict,
		 const char __user *info, size_t info_len)
{
	struct fanotify_response_info_audit_rule rule;
	u32 response = verdict->response;
	struct fanotify_perm_event *pe;
	int used = 0;

	if (response & ~FANOTIFY_RESPONSE_VALID_MASK)
		return -EINVAL;
	/* Exactly one of FAN_ALLOW and FAN_DENY. */
	if (hweight32(response & FANOTIFY_RESPONSE_ACCESS) != 1)
		return -EINVAL;
	if ((response & FAN_AUDIT) && !group_has_flag(group, FAN_ENABLE_AUDIT))
		return -EINVAL;

	if (response & FAN_INFO) {
		used = read_audit_rule(info, info_len, &rule);
		if (used < 0)
			return used;
		/* FAN_NOFD with FAN_INFO only validates the record. */
		if (verdict->fd == FAN_NOFD)
			return used;
	}
	if (verdict->fd < 0)
		return -EINVAL;

	spin_lock(&group->notification_lock);
	pe = find_pending(group, verdict->fd);
	if (!pe) {
		spin_unlock(&group->notification_lock);
		return -ENOENT;
	}
	list_del_init(&pe->pending_link);
	settle_and_wake(group, pe, response,
			(response & FAN_INFO) ? &rule : NULL);
	return used;
}

/**
 * fanotify_write() - a listener writes a verdict
 * @file: the fanotify fd
 * @buf: a struct fanotify_response, optionally followed by an info record
 * @count: bytes in @buf
 * @pos: unused
 *
 * Return: the bytes consumed, or -errno.
 */
ssize_t fanotify_write(struct file *file, const char __user *buf,
		       size_t count, loff_t *pos)
{
	struct fanotify_response verdict;
	int used;

	if (count < sizeof(verdict))
		return -EINVAL;
	if (copy_from_user(&verdict, buf, sizeof(verdict)))
		return -EFAULT;

	used = judge(file->private_data, &verdict, buf + sizeof(verdict),
		     count - sizeof(verdict));
	return used < 0 ? used : sizeof(verdict) + used;
}

/**
 * fanotify_perm_release() - allow every access still waiting on a group
 * @group: a group whose listener closed its fd; queueing has stopped
 *
 * Unanswered events are allowed, as upstream does; notification events
 * stay queued for fsnotify_destroy_group() to flush.
 */
void fanotify_perm_release(struct fsnotify_group *group)
{
	struct fanotify_listener *listener = group_listener(group);
	struct fsnotify_event *fse, *fse_next;
	struct fanotify_perm_event *pe;
	LIST_HEAD(waiting);
	int i;

	spin_lock(&group->notification_lock);
	for (i = 0; i < ARRAY_SIZE(listener->pending); i++)
		list_splice_tail_init(&listener->pending[i], &waiting);
	/*
	 * Unread ones leave the queue now, as if read: a waiter killed from
	 * here on abandons its event to us instead of freeing it, so the
	 * list below cannot change under us while the lock is dropped.
	 */
	list_for_each_entry_safe(fse, fse_next, &group->notification_list, list) {
		if (!fanotify_is_perm_event(to_fanotify_event(fse)))
			continue;
		pe = to_perm_event(to_fanotify_event(fse));
		fsnotify_remove_queued_event(group, fse);
		pe->state = FANOTIFY_PERM_REPORTED;
		list_add_tail(&pe->pending_link, &waiting);
	}
	while ((pe = list_first_entry_or_null(&waiting, struct fanotify_perm_event,
					      pending_link))) {
		list_del_init(&pe->pending_link);
		settle_and_wake(group, pe, FAN_ALLOW, NULL);
		spin_lock(&group->notification_lock);
	}
	spin_unlock(&group->notification_lock);
}
