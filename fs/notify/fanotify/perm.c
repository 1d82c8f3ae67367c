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
 *    reported with, so that a verdict searches one of 64 buckets;
 *  - answered by waking only the task that waits for it.
 *
 * Life of a permission event, every change under group->notification_lock:
 *
 *   QUEUED --read()--> REPORTED --write()--> ANSWERED --waiter frees it
 *      |                  |
 *      |                  +--waiter killed--> ABANDONED --write()/close--> freed
 *      |                  +--deadline-------> EXPIRED ----write()/close--> freed
 *      +--waiter killed or deadline--> off the queue, freed by the waiter
 *
 * Closing the listener answers every QUEUED or REPORTED event with
 * FAN_ALLOW, as upstream does, or with FAN_DENY for a FAN_FAIL_CLOSED
 * group.  A FAN_DEADLINE group may bound the wait; the waiter then applies
 * the group's policy itself and leaves the event to the listener, whose
 * late answer gets ETIMEDOUT.
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

/* Whether the task that raised @pe stopped waiting for it. */
static bool waiter_gone(struct fanotify_perm_event *pe)
{
	return pe->state == FANOTIFY_PERM_ABANDONED ||
	       pe->state == FANOTIFY_PERM_EXPIRED;
}

/* Record the verdict; the caller wakes the waiter or frees an abandoned event. */
static bool settle(struct fanotify_perm_event *pe, u32 response,
		   const struct fanotify_response_info_audit_rule *rule)
{
	pe->response = response & ~FAN_INFO;
	if (rule)
		pe->audit_rule = *rule;
	if (waiter_gone(pe))
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
	 * REPORTED, or ABANDONED or EXPIRED if the waiter stopped waiting
	 * meanwhile: either way the listener's answer, or its close, finds the
	 * event here.
	 */
	pe->fd = fd;
	pe->reader = task_tgid_nr(current);
	list_add_tail(&pe->pending_link,
		      pending_bucket(group_listener(group), fd));
	spin_unlock(&group->notification_lock);
}

/*
 * Queue without the notification limit and take the group's deadline as it
 * is now.  Return: false if the group is closing.
 */
static bool queue_perm_event(struct fsnotify_group *group,
			     struct fanotify_perm_event *pe,
			     struct fanotify_deadline *deadline)
{
	struct fanotify_listener *listener = group_listener(group);

	spin_lock(&group->notification_lock);
	if (group->shutdown) {
		spin_unlock(&group->notification_lock);
		return false;
	}
	deadline->msecs = listener->deadline_msecs;
	deadline->response = listener->deadline_response;
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

/**
 * enum give_up_outcome - what became of an event its waiter stops waiting for
 * @GAVE_UP_UNREAD: it was still queued and is withdrawn; the waiter frees it
 * @GAVE_UP_HANDED_OFF: the listener has read it; the listener's answer or
 *	close frees it, the waiter must not touch it again
 * @GAVE_UP_TOO_LATE: a verdict arrived first; the waiter owns and frees it
 */
enum give_up_outcome {
	GAVE_UP_UNREAD,
	GAVE_UP_HANDED_OFF,
	GAVE_UP_TOO_LATE,
};

/*
 * The waiter stops waiting: it was killed (@why ABANDONED) or the group's
 * deadline passed (@why EXPIRED).
 */
static enum give_up_outcome give_up(struct fsnotify_group *group,
				    struct fanotify_perm_event *pe, u8 why)
{
	enum give_up_outcome outcome;

	spin_lock(&group->notification_lock);
	switch (pe->state) {
	case FANOTIFY_PERM_QUEUED:
		fsnotify_remove_queued_event(group, &pe->pev.ev.fse);
		outcome = GAVE_UP_UNREAD;
		break;
	case FANOTIFY_PERM_REPORTED:
		pe->state = why;
		outcome = GAVE_UP_HANDED_OFF;
		break;
	default:
		outcome = GAVE_UP_TOO_LATE;
		break;
	}
	if (why == FANOTIFY_PERM_EXPIRED && outcome != GAVE_UP_TOO_LATE)
		group_listener(group)->expired++;
	spin_unlock(&group->notification_lock);
	return outcome;
}

/* Wait for a verdict, at most @msecs if not 0.  Return: 0 or -errno. */
static int wait_for_verdict(struct fanotify_perm_event *pe, unsigned int msecs)
{
	long left;

	if (!msecs)
		return wait_event_state(pe->answered, answered(pe),
					(TASK_KILLABLE | TASK_FREEZABLE));
	left = wait_event_killable_timeout(pe->answered, answered(pe),
					   msecs_to_jiffies(msecs));
	if (left < 0)
		return left;
	return left ? 0 : -ETIMEDOUT;
}

/*
 * The deadline passed: say so and apply the group's policy.  @pe may be
 * gone (handed off to the listener); only the caller's data is used.
 */
static int deadline_passed(struct fsnotify_group *group, u32 mask,
			   const struct path *path,
			   const struct fanotify_deadline *deadline)
{
	struct fanotify_listener *listener = group_listener(group);
	bool allow = (deadline->response & FANOTIFY_RESPONSE_ACCESS) == FAN_ALLOW;

	pr_notice_ratelimited("fanotify: listener %d (%s) gave no verdict within %u ms on %pd for %d (%s): %s\n",
			      pid_nr(listener->creator), listener->creator_comm,
			      deadline->msecs, path->dentry,
			      task_tgid_nr(current), current->comm,
			      allow ? "allowed" : "denied");
	if (deadline->response & FAN_AUDIT) {
		struct fanotify_response_info_audit_rule no_rule = {};

		audit_fanotify(deadline->response & ~FAN_AUDIT, &no_rule);
	}
	return allow ? 0 : -EPERM;
}

/* The errno of an access that no listener of @group could be asked about. */
static int unasked_verdict(struct fsnotify_group *group)
{
	return group_has_flag(group, FAN_FAIL_CLOSED) ? -EPERM : 0;
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
 * ended the wait.  When the group's deadline passes, its policy decides.
 */
int fanotify_perm_decide(struct fsnotify_group *group, u32 mask,
			 const struct path *path,
			 struct fsnotify_iter_info *iter_info)
{
	struct fanotify_deadline deadline;
	struct fanotify_perm_event *pe;
	struct mem_cgroup *old_memcg;
	int ret;

	/* The mark is going away: nobody is left to ask. */
	if (!fsnotify_prepare_user_wait(iter_info))
		return unasked_verdict(group);

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
	pe->watchdog_scans = 0;
	pe->response = 0;
	pe->fd = FAN_NOFD;
	pe->reader = 0;
	/* Type FAN_RESPONSE_INFO_NONE unless the listener sends a rule. */
	memset(&pe->audit_rule, 0, sizeof(pe->audit_rule));

	if (!queue_perm_event(group, pe, &deadline)) {
		fsnotify_destroy_event(group, &pe->pev.ev.fse);
		ret = unasked_verdict(group);
		goto finish;
	}

	ret = wait_for_verdict(pe, deadline.msecs);
	if (ret) {
		u8 why = ret == -ETIMEDOUT ? FANOTIFY_PERM_EXPIRED :
					     FANOTIFY_PERM_ABANDONED;

		switch (give_up(group, pe, why)) {
		case GAVE_UP_TOO_LATE:
			/* A verdict beat the deadline; a killed task is moot. */
			if (ret == -ETIMEDOUT)
				ret = 0;
			break;
		case GAVE_UP_HANDED_OFF:
			pe = NULL;
			fallthrough;
		case GAVE_UP_UNREAD:
			if (ret == -ETIMEDOUT)
				ret = deadline_passed(group, mask, path, &deadline);
			break;
		}
		if (!pe)
			goto finish;
	}
	if (!ret && answered(pe)) {
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
	if (pe->state == FANOTIFY_PERM_EXPIRED) {
		/* The deadline's policy applied; this answer comes too late. */
		spin_unlock(&group->notification_lock);
		fsnotify_destroy_event(group, &pe->pev.ev.fse);
		return -ETIMEDOUT;
	}
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
 * fanotify_perm_release() - let go every access still waiting on a group
 * @group: a group whose listener closed its fd; queueing has stopped
 *
 * Unanswered events are allowed, as upstream does, or denied if the group
 * is FAN_FAIL_CLOSED; notification events stay queued for
 * fsnotify_destroy_group() to flush.
 */
void fanotify_perm_release(struct fsnotify_group *group)
{
	u32 verdict = group_has_flag(group, FAN_FAIL_CLOSED) ? FAN_DENY : FAN_ALLOW;
	struct fanotify_listener *listener = group_listener(group);
	struct fsnotify_event *fse, *fse_next;
	struct fanotify_perm_event *pe;
	LIST_HEAD(waiting);
	int i;

	fanotify_watchdog_del(group);

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
		settle_and_wake(group, pe, verdict, NULL);
		spin_lock(&group->notification_lock);
	}
	spin_unlock(&group->notification_lock);
}

/**
 * fanotify_perm_set_deadline() - bound how long accesses wait for a group
 * @group: a FAN_DEADLINE group
 * @deadline: the new deadline; applies to accesses that start waiting
 *	from now on
 *
 * Return: 0, or -EINVAL for a time out of range or a policy that is not
 * exactly one of FAN_ALLOW and FAN_DENY (plus FAN_AUDIT, if the group may
 * audit).
 */
int fanotify_perm_set_deadline(struct fsnotify_group *group,
			       const struct fanotify_deadline *deadline)
{
	struct fanotify_listener *listener = group_listener(group);
	u32 response = deadline->response;

	if (deadline->msecs > FAN_DEADLINE_MAX_MSECS)
		return -EINVAL;
	if (response & ~(FANOTIFY_RESPONSE_ACCESS | FAN_AUDIT))
		return -EINVAL;
	if (hweight32(response & FANOTIFY_RESPONSE_ACCESS) != 1)
		return -EINVAL;
	if ((response & FAN_AUDIT) && !group_has_flag(group, FAN_ENABLE_AUDIT))
		return -EINVAL;

	spin_lock(&group->notification_lock);
	listener->deadline_msecs = deadline->msecs;
	listener->deadline_response = response;
	spin_unlock(&group->notification_lock);
	return 0;
}

/**
 * fanotify_perm_get_deadline() - the deadline of a group
 * @group: a FAN_DEADLINE group
 * @deadline: filled in; a group whose deadline was never set waits for
 *	ever and reports FAN_ALLOW as its policy
 */
void fanotify_perm_get_deadline(struct fsnotify_group *group,
				struct fanotify_deadline *deadline)
{
	struct fanotify_listener *listener = group_listener(group);

	spin_lock(&group->notification_lock);
	deadline->msecs = listener->deadline_msecs;
	deadline->response = listener->deadline_response;
	spin_unlock(&group->notification_lock);
}
