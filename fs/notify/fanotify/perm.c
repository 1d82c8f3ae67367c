// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify permission events: the accessing task waits for verdicts.
 *
 * A permission event is queued like any other, but
 *  - never refused for a full queue: the number of permission events is
 *    bounded by the number of tasks blocked on them (one per task and
 *    group), so admitting them always is safe, and dropping one would let
 *    an access through that nobody judged;
 *  - never folded into another event: the waiting task owns its event;
 *  - once read, filed in the listener's pending table by the fd it was
 *    reported with, so that a verdict finds it without a walk of every
 *    pending event;
 *  - answered by waking only the task that waits for it.
 *
 * One access, many groups.  The handler does not wait: it queues a copy of
 * the event to its group, links it to the access's decision (struct
 * fsnotify_perm_decision, on fsnotify()'s stack) and returns, so that every
 * group of one priority hears of the access before any of them has
 * answered.  fsnotify() then calls fanotify_perm_await() once, which sleeps
 * until every copy has an answer or one of them is a denial: deny if any
 * group denies, allow when all allow.  What is left is then taken back:
 * unread copies leave their queues, read ones are left to their listeners,
 * whose answers are taken and ignored.
 *
 * Life of a copy, every change under its group's notification_lock:
 *
 *   QUEUED --read()--> REPORTED --write()--> ANSWERED --waiter frees it
 *      |                  |
 *      |                  +--decided, killed--> ABANDONED --write()/close--> freed
 *      |                  +--deadline---------> EXPIRED ----write()/close--> freed
 *      +--decided, killed or deadline--> off the queue, freed by the waiter
 *
 * Closing the listener answers every QUEUED or REPORTED copy with
 * FAN_ALLOW, as upstream does, or with FAN_DENY for a FAN_FAIL_CLOSED
 * group.  A FAN_DEADLINE group may bound the wait for its copy; the waiter
 * then applies the group's policy itself, and a late answer gets
 * ETIMEDOUT.
 *
 * The decision's fields change under its wait queue's lock, taken inside a
 * group's notification_lock by whoever answers a copy.  The waiter is done
 * with the decision once it has detached every copy under that copy's
 * group lock: from then on no answer can reach it.
 */

#include <linux/audit.h>
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "fanotify.h"

static struct kmem_cache *fanotify_perm_cache __ro_after_init;
static struct kmem_cache *fanotify_perm_ext_cache __ro_after_init;

/* What decided an access whose copy ran out of time, its policy denying. */
static char denied_by_deadline;

/**
 * fanotify_perm_cache_init() - create the slab caches of permission events
 *
 * Return: 0, or -ENOMEM.
 */
int __init fanotify_perm_cache_init(void)
{
	fanotify_perm_cache = KMEM_CACHE(fanotify_perm_event, SLAB_ACCOUNT);
	fanotify_perm_ext_cache = KMEM_CACHE(fanotify_perm_ext_event,
					     SLAB_ACCOUNT);
	return fanotify_perm_cache && fanotify_perm_ext_cache ? 0 : -ENOMEM;
}

static struct list_head *pending_bucket(struct fanotify_listener *listener,
					int fd)
{
	return &listener->pending[hash_32(fd, FANOTIFY_PENDING_BITS)];
}

static void perm_event_free_memory(struct fanotify_perm_event *pe)
{
	if (pe->extended)
		kmem_cache_free(fanotify_perm_ext_cache, to_perm_ext_event(pe));
	else
		kmem_cache_free(fanotify_perm_cache, pe);
}

/*
 * A new permission event for @group: its spare if it is of the size
 * wanted, else one from the slab charged to the group's memcg.
 */
static struct fanotify_perm_event *perm_event_alloc(struct fsnotify_group *group,
						    bool extended)
{
	struct fanotify_listener *listener = group_listener(group);
	struct fanotify_perm_event *pe = xchg(&listener->spare_perm, NULL);
	struct mem_cgroup *old_memcg;

	if (pe && pe->extended == extended)
		return pe;
	if (pe)
		perm_event_free_memory(pe);
	old_memcg = set_active_memcg(group->memcg);
	pe = kmem_cache_alloc(extended ? fanotify_perm_ext_cache :
				     fanotify_perm_cache, fanotify_event_gfp(group));
	set_active_memcg(old_memcg);
	return pe;
}

/**
 * fanotify_perm_event_free() - free a permission event's memory
 * @pe: the event; it is on no list, and its group is still alive
 *
 * The event becomes its group's spare, for the next access to take
 * without a trip through the slab and the memcg's charge and uncharge:
 * with CONFIG_SLUB_TINY those were about a tenth of a round trip, less
 * with per-CPU slabs.  The spare it replaces, if any, is freed.
 */
void fanotify_perm_event_free(struct fanotify_perm_event *pe)
{
	struct fanotify_listener *listener = group_listener(pe->group);

	if (pe->state == FANOTIFY_PERM_ANSWERED)
		kfree(pe->rule);
	pe = xchg(&listener->spare_perm, pe);
	if (pe)
		perm_event_free_memory(pe);
}

/**
 * fanotify_perm_spare_free() - free a group's spare permission event
 * @listener: the state of a group being freed; none of its events is left
 */
void fanotify_perm_spare_free(struct fanotify_listener *listener)
{
	if (listener->spare_perm)
		perm_event_free_memory(listener->spare_perm);
}

static bool is_denial(u32 response)
{
	return (response & FANOTIFY_RESPONSE_ACCESS) != FAN_ALLOW;
}

/* Whether the task that raised @pe stopped waiting for it. */
static bool waiter_gone(struct fanotify_perm_event *pe)
{
	return pe->state == FANOTIFY_PERM_ABANDONED ||
	       pe->state == FANOTIFY_PERM_EXPIRED;
}

/* The access's decision has all it needs: every answer, or a denial. */
static bool decision_settled(struct fsnotify_perm_decision *decision)
{
	return !READ_ONCE(decision->outstanding) || READ_ONCE(decision->decided);
}

/*
 * One question of @decision has its answer: @denial if it denies (the
 * first denial decides).  Wakes the waiter once it has all it needs.
 */
static void decision_answered(struct fsnotify_perm_decision *decision,
			      void *denial)
{
	spin_lock(&decision->settled.lock);
	WRITE_ONCE(decision->outstanding, decision->outstanding - 1);
	if (denial && !decision->decided)
		WRITE_ONCE(decision->decided, denial);
	if (decision_settled(decision))
		wake_up_locked(&decision->settled);
	spin_unlock(&decision->settled.lock);
}

/*
 * Record the verdict of a copy; @rule, if any, is the copy's from now on.
 * Return: false if its waiter is gone, so that the caller frees it once
 * the lock is dropped.
 */
static bool settle(struct fsnotify_group *group, struct fanotify_perm_event *pe,
		   u32 response,
		   struct fanotify_response_info_audit_rule *rule)
{
	lockdep_assert_held(&group->notification_lock);

	pe->response = response & ~FAN_INFO;
	if (waiter_gone(pe)) {
		kfree(rule);
		return false;
	}
	/* Nobody looks up the copy by its fd any more: @rule takes its room. */
	pe->rule = rule;
	pe->state = FANOTIFY_PERM_ANSWERED;
	decision_answered(pe->pev.ev.decision, is_denial(response) ? pe : NULL);
	return true;
}

static void settle_and_unlock(struct fsnotify_group *group,
			      struct fanotify_perm_event *pe, u32 response,
			      struct fanotify_response_info_audit_rule *rule)
	__releases(&group->notification_lock)
{
	bool waiter_alive = settle(group, pe, response, rule);

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
		settle_and_unlock(group, pe, FAN_DENY, NULL);
		return;
	}
	/*
	 * REPORTED, or ABANDONED or EXPIRED if the waiter stopped waiting
	 * meanwhile: either way the listener's answer, or its close, finds the
	 * event here.
	 */
	pe->fd = fd;
	pe->reader = task_tgid_nr(current);
	list_add_tail(&pe->pev.ev.fse.list,
		      pending_bucket(group_listener(group), fd));
	spin_unlock(&group->notification_lock);
}

/*
 * Queue without the notification limit and take the group's deadline as it
 * is now.  Return: false if the group is closing.
 */
static bool queue_perm_event(struct fsnotify_group *group,
			     struct fanotify_perm_event *pe)
{
	struct fanotify_listener *listener = group_listener(group);
	u32 expires = 0;

	spin_lock(&group->notification_lock);
	if (group->shutdown) {
		spin_unlock(&group->notification_lock);
		return false;
	}
	/* 0 means no deadline: one that falls on jiffies 0 ends a tick later. */
	if (listener->deadline_msecs)
		expires = (u32)(jiffies +
				msecs_to_jiffies(listener->deadline_msecs)) ?: 1;
	pe->pev.ev.expires = expires;
	BUILD_BUG_ON((FAN_ALLOW | FAN_DENY | FAN_AUDIT) > U8_MAX);
	pe->on_expiry = listener->deadline_response;
	list_add_tail(&pe->pev.ev.fse.list, &group->notification_list);
	group->q_len++;
	spin_unlock(&group->notification_lock);
	wake_up(&group->notification_waitq);
	return true;
}

/* The errno of an access that no listener of @group could be asked about. */
static int unasked_verdict(struct fsnotify_group *group)
{
	return group_has_flag(group, FAN_FAIL_CLOSED) ? -EPERM : 0;
}

static int fanotify_perm_await(struct fsnotify_perm_decision *decision,
			       bool withdraw);

/*
 * FAN_PERM_NO_FD: the object's handle, encoded now, where sleeping is
 * allowed (read() sizes records under the group's spinlock).
 */
static void encode_object(struct fanotify_perm_event *pe,
			  const __kernel_fsid_t *fsid)
{
	struct fanotify_perm_ext_event *pfe = to_perm_ext_event(pe);

	pfe->fsid = *fsid;
	pfe->fh_type = FILEID_INVALID;
	pfe->fh_len = fanotify_encode_fh(d_inode(pe->pev.path.dentry), pfe->fh,
					 sizeof(pfe->fh), &pfe->fh_type);
}

/**
 * fanotify_perm_ask() - put an access to a listener, without waiting
 * @group: the listener's group
 * @mask: the permission event to report (with FAN_ONDIR stripped)
 * @path: the object being accessed
 * @range: for a pre-content event, the file range about to be accessed;
 *	NULL if there is none (a directory read) or for other events
 * @fsid: for a FAN_PERM_NO_FD group, the id of the object's filesystem;
 *	NULL otherwise
 * @iter_info: the fsnotify core's iterator, with the access's decision
 *
 * The copy is queued and recorded in the decision; the fsnotify core calls
 * fanotify_perm_await() once every group of this priority has been asked.
 *
 * Return: 0 if the group was asked (or need not be), -EPERM if a closing
 * FAN_FAIL_CLOSED group denies at once, -ENOMEM if the event could not be
 * built (the access is then denied).
 */
int fanotify_perm_ask(struct fsnotify_group *group, u32 mask,
		      const struct path *path, const struct file_range *range,
		      const __kernel_fsid_t *fsid,
		      struct fsnotify_iter_info *iter_info)
{
	struct fsnotify_perm_decision *decision = iter_info->decision;
	/* Only a pre-content event reports its range (upstream's rule). */
	bool has_range = range && (mask & FANOTIFY_PRE_CONTENT_EVENTS);
	bool extended = fsid || has_range;
	struct fanotify_perm_event *pe;

	pe = perm_event_alloc(group, extended);
	if (!pe)
		return -ENOMEM;
	fanotify_path_event_init(group, &pe->pev, mask, path);
	pe->pev.ev.decision = decision;
	pe->group = group;
	pe->state = FANOTIFY_PERM_QUEUED;
	pe->watchdog_scans = 0;
	pe->response = 0;
	pe->fd = FAN_NOFD;
	pe->reader = 0;
	pe->extended = extended;
	if (extended) {
		struct fanotify_perm_ext_event *ext = to_perm_ext_event(pe);

		ext->range_pos = has_range ? range->pos : FANOTIFY_NO_RANGE;
		ext->range_count = has_range ? range->count : 0;
		ext->fh_len = 0;
	}
	if (fsid)
		encode_object(pe, fsid);

	/* Counted before it is queued: the answer may come at once. */
	spin_lock(&decision->settled.lock);
	decision->outstanding++;
	spin_unlock(&decision->settled.lock);

	if (!queue_perm_event(group, pe)) {
		spin_lock(&decision->settled.lock);
		decision->outstanding--;
		spin_unlock(&decision->settled.lock);
		fsnotify_destroy_event(group, &pe->pev.ev.fse);
		return unasked_verdict(group);
	}

	/* The group must outlive the wait, which leaves fsnotify_mark_srcu. */
	fsnotify_get_group(group);
	pe->pev.ev.next_asked = decision->asked;
	decision->asked = pe;
	decision->await = fanotify_perm_await;
	return 0;
}

/* Of type FAN_RESPONSE_INFO_NONE: the listener said nothing more. */
static struct fanotify_response_info_audit_rule no_rule;

static void audit_verdict(struct fanotify_perm_event *pe)
{
	/* The audit record has the verdict's kind, not its errno. */
	if (pe->response & FAN_AUDIT)
		audit_fanotify(pe->response & ~(FAN_AUDIT | FANOTIFY_RESPONSE_ERRNO),
			       pe->rule ?: &no_rule);
}

/*
 * The errno an access gets from the copy that decided it: the one its
 * listener chose with FAN_DENY_ERRNO(), else EPERM.
 */
static int denial_errno(void *decided)
{
	struct fanotify_perm_event *pe = decided;
	int err;

	if (decided == &denied_by_deadline)
		return -EPERM;
	err = fanotify_response_errno(pe->response);
	return err ? -err : -EPERM;
}

/*
 * The deadline of a copy passed: say so and apply the group's policy.  The
 * copy may be gone (handed to its listener); only the caller's data is used.
 */
static void deadline_passed(struct fsnotify_group *group, u32 policy,
			    struct dentry *dentry)
{
	struct fanotify_listener *listener = group_listener(group);

	/* The deadline named is the group's now, which it rarely changes. */
	pr_notice_ratelimited("fanotify: listener %d (%s) gave no verdict within %u ms on %pd for %d (%s): %s\n",
			      pid_nr(listener->creator), listener->creator_comm,
			      READ_ONCE(listener->deadline_msecs), dentry,
			      task_tgid_nr(current), current->comm,
			      is_denial(policy) ? "denied" : "allowed");
	if (policy & FAN_AUDIT)
		audit_fanotify(policy & ~FAN_AUDIT, &no_rule);
}

/*
 * Take one copy back from its group.  @why is the state a read copy is
 * left in.  Return: true if the waiter still owns the copy and must free
 * it, false if the copy now belongs to its listener.
 */
static bool take_back(struct fanotify_perm_event *pe, u8 why, bool *expired)
{
	struct fsnotify_group *group = pe->group;
	bool owned = true;

	spin_lock(&group->notification_lock);
	switch (pe->state) {
	case FANOTIFY_PERM_QUEUED:
		fsnotify_remove_queued_event(group, &pe->pev.ev.fse);
		break;
	case FANOTIFY_PERM_REPORTED:
		pe->state = why;
		owned = false;
		break;
	default:
		/* Answered: nothing to take back. */
		if (expired)
			*expired = false;
		break;
	}
	if (expired && *expired)
		group_listener(group)->expired++;
	/* No answer may reach the decision through this copy any more. */
	pe->pev.ev.decision = NULL;
	spin_unlock(&group->notification_lock);
	return owned;
}

/* Free a copy the waiter owns, and let go of its group. */
static void release_copy(struct fanotify_perm_event *pe)
{
	struct fsnotify_group *group = pe->group;

	fsnotify_destroy_event(group, &pe->pev.ev.fse);
	fsnotify_put_group(group);
}

/*
 * Apply the deadlines that have passed.  Their copies leave the decision:
 * a denying policy decides the access, an allowing one counts as an answer.
 */
static void expire_due(struct fsnotify_perm_decision *decision)
{
	struct fanotify_perm_event **link = (struct fanotify_perm_event **)&decision->asked;
	struct fanotify_perm_event *pe;

	while ((pe = *link)) {
		struct fanotify_event *ev = &pe->pev.ev;
		struct fanotify_perm_event *next = ev->next_asked;
		struct fsnotify_group *group = pe->group;
		u32 policy = pe->on_expiry;
		struct dentry *dentry;
		bool expired = true;
		bool owned;

		if (!ev->expires || time_before32((u32)jiffies, ev->expires)) {
			link = &ev->next_asked;
			continue;
		}
		/*
		 * Once handed to its listener the copy may be freed at any
		 * moment: everything needed of it is read before.
		 */
		dentry = dget(pe->pev.path.dentry);
		owned = take_back(pe, FANOTIFY_PERM_EXPIRED, &expired);
		if (!expired) {
			/* Answered just in time: it stays, its answer counts. */
			ev->expires = 0;
			link = &ev->next_asked;
			dput(dentry);
			continue;
		}
		decision_answered(decision, is_denial(policy) ?
				  &denied_by_deadline : NULL);
		*link = next;
		/* Said while our reference keeps the group alive. */
		deadline_passed(group, policy, dentry);
		dput(dentry);
		if (owned)
			release_copy(pe);
		else
			fsnotify_put_group(group);
	}
}

/* The soonest deadline among the copies still asked, or 0 if none has one. */
static u32 next_deadline(struct fsnotify_perm_decision *decision)
{
	struct fanotify_perm_event *pe;
	u32 next = 0;

	for (pe = decision->asked; pe; pe = pe->pev.ev.next_asked) {
		u32 expires = pe->pev.ev.expires;

		if (expires && (!next || time_before32(expires, next)))
			next = expires;
	}
	return next;
}

/*
 * Sleep until the decision is settled or @timeout jiffies have passed,
 * killable and freezable like the wait without a deadline.  Return: as
 * wait_event_killable_timeout().
 */
static long wait_settled_timeout(struct fsnotify_perm_decision *decision,
				 long timeout)
{
	long __ret = timeout;

	if (!___wait_cond_timeout(decision_settled(decision)))
		__ret = ___wait_event(decision->settled,
				      ___wait_cond_timeout(decision_settled(decision)),
				      (TASK_KILLABLE | TASK_FREEZABLE), 0, timeout,
				      __ret = schedule_timeout(__ret));
	return __ret;
}

/* Sleep until the decision is settled.  Return: 0, or -ERESTARTSYS if killed. */
static int wait_for_verdicts(struct fsnotify_perm_decision *decision)
{
	for (;;) {
		u32 next = next_deadline(decision);
		/* One read of jiffies: a tick between two would wrap the sum. */
		long left = (s32)(next - (u32)jiffies);

		if (!next)
			return wait_event_state(decision->settled,
						decision_settled(decision),
						(TASK_KILLABLE | TASK_FREEZABLE));
		if (left > 0) {
			left = wait_settled_timeout(decision, left);
			if (left < 0)
				return left;
		}
		if (decision_settled(decision))
			return 0;
		expire_due(decision);
		if (decision_settled(decision))
			return 0;
	}
}

/*
 * Called by the fsnotify core once the groups of one priority were asked:
 * wait for their verdicts (or, with @withdraw, do not), then take back what
 * is still out and combine what came in.
 */
static int fanotify_perm_await(struct fsnotify_perm_decision *decision,
			       bool withdraw)
{
	struct fanotify_perm_event *pe, *next, *owned = NULL;
	void *decided;
	int ret = 0;

	if (!withdraw)
		ret = wait_for_verdicts(decision);

	for (pe = decision->asked; pe; pe = next) {
		/* A copy handed to its listener may be freed at once. */
		struct fsnotify_group *group = pe->group;

		next = pe->pev.ev.next_asked;
		if (take_back(pe, FANOTIFY_PERM_ABANDONED, NULL)) {
			pe->pev.ev.next_asked = owned;
			owned = pe;
		} else {
			fsnotify_put_group(group);
		}
	}
	decision->asked = NULL;

	/* Every copy is detached: nobody else looks at the decision now. */
	decided = decision->decided;
	if (!ret && !withdraw) {
		/* Every verdict given before the access was decided is audited. */
		for (pe = owned; pe; pe = pe->pev.ev.next_asked)
			if (pe->state == FANOTIFY_PERM_ANSWERED)
				audit_verdict(pe);
		if (decided)
			ret = denial_errno(decided);
	}
	for (pe = owned; pe; pe = next) {
		next = pe->pev.ev.next_asked;
		release_copy(pe);
	}
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

	/* A notification group has no table: its answers find nothing. */
	if (group->priority == FSNOTIFY_PRIO_NORMAL)
		return NULL;
	list_for_each_entry(pe, pending_bucket(group_listener(group), fd),
			    pev.ev.fse.list)
		if (pe->fd == fd)
			return pe;
	return NULL;
}

/**
 * fanotify_perm_take_id() - give a FAN_PERM_NO_FD event the id it is
 *	answered by
 * @group: a FAN_PERM_NO_FD group, whose listener is reading @pe
 * @pe: the event read() is taking off the queue
 *
 * Ids count up from 1 and wrap; one still waiting for its answer is
 * skipped, so the answer finds exactly one event.  The id is kept in
 * @pe->fd, the key of the pending table.
 */
void fanotify_perm_take_id(struct fsnotify_group *group,
			   struct fanotify_perm_event *pe)
{
	struct fanotify_listener *listener = group_listener(group);
	int id;

	lockdep_assert_held(&group->notification_lock);

	do {
		id = listener->next_perm_id;
		listener->next_perm_id = id == INT_MAX ? 1 : id + 1;
	} while (find_pending(group, id));
	pe->fd = id;
}

/*
 * Remember an allow verdict (FAN_CACHE) before it is applied, so that no
 * access that comes after the answer asks the group again.  The event is
 * off the pending table meanwhile, claimed by this answer; the listener's
 * file, whose write() this is, cannot be released under us.
 */
static int cache_verdict(struct fsnotify_group *group,
			 struct fanotify_perm_event *pe, u32 response)
{
	return fanotify_mark_cache_allow(group, d_inode(pe->pev.path.dentry),
					 response & FAN_CACHE_SURV_MODIFY,
					 group_fid_mode(group) ?
					 &to_perm_ext_event(pe)->fsid : NULL);
}

/*
 * FAN_DENY_ERRNO(): only a pre-content group may choose the errno of a
 * denial, and only one that read(), write() or open() of a regular file
 * may return anyway (upstream's list), so that programs meet no errno
 * they could not expect.
 */
static int deny_errno_valid(struct fsnotify_group *group, u32 response)
{
	int err = fanotify_response_errno(response);

	if (!err)
		return 0;
	if ((response & FANOTIFY_RESPONSE_ACCESS) != FAN_DENY ||
	    group->priority != FSNOTIFY_PRIO_PRE_CONTENT)
		return -EINVAL;
	switch (err) {
	case EPERM:
	case EIO:
	case EBUSY:
	case ETXTBSY:
	case EAGAIN:
	case ENOSPC:
	case EDQUOT:
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * Apply one verdict.  Return: bytes consumed after the response struct,
 * or -errno.  *@cache_err gets the error of a FAN_CACHE that could not be
 * made; the verdict applies regardless.
 */
static int judge(struct fsnotify_group *group,
		 const struct fanotify_response *verdict,
		 const char __user *info, size_t info_len, int *cache_err)
{
	struct fanotify_response_info_audit_rule *rule = NULL;
	u32 response = verdict->response;
	struct fanotify_perm_event *pe;
	int used = 0, err;

	*cache_err = 0;
	if (response & ~FANOTIFY_RESPONSE_VALID_MASK)
		return -EINVAL;
	/* Exactly one of FAN_ALLOW and FAN_DENY. */
	if (hweight32(response & FANOTIFY_RESPONSE_ACCESS) != 1)
		return -EINVAL;
	err = deny_errno_valid(group, response);
	if (err)
		return err;
	if ((response & FAN_AUDIT) && !group_has_flag(group, FAN_ENABLE_AUDIT))
		return -EINVAL;
	/* Only an allow can be remembered: an ignore mark means "do not ask". */
	if ((response & FANOTIFY_RESPONSE_CACHE) &&
	    ((response & FANOTIFY_RESPONSE_ACCESS) != FAN_ALLOW ||
	     !(response & FAN_CACHE)))
		return -EINVAL;

	if (response & FAN_INFO) {
		/* The copy keeps it until its waiter audits the verdict. */
		rule = kmalloc(sizeof(*rule), GFP_KERNEL_ACCOUNT);
		if (!rule)
			return -ENOMEM;
		used = read_audit_rule(info, info_len, rule);
		/* FAN_NOFD with FAN_INFO only validates the record. */
		if (used < 0 || verdict->fd == FAN_NOFD) {
			kfree(rule);
			return used;
		}
	}
	if (verdict->fd < 0) {
		kfree(rule);
		return -EINVAL;
	}

	spin_lock(&group->notification_lock);
	pe = find_pending(group, verdict->fd);
	if (!pe) {
		spin_unlock(&group->notification_lock);
		kfree(rule);
		return -ENOENT;
	}
	list_del_init(&pe->pev.ev.fse.list);
	if ((response & FAN_CACHE) && pe->state != FANOTIFY_PERM_EXPIRED) {
		spin_unlock(&group->notification_lock);
		*cache_err = cache_verdict(group, pe, response);
		spin_lock(&group->notification_lock);
	}
	/*
	 * The deadline's policy applied (maybe while the cache was made):
	 * this answer comes too late.
	 */
	if (pe->state == FANOTIFY_PERM_EXPIRED) {
		spin_unlock(&group->notification_lock);
		fsnotify_destroy_event(group, &pe->pev.ev.fse);
		kfree(rule);
		return -ETIMEDOUT;
	}
	settle_and_unlock(group, pe, response & ~FANOTIFY_RESPONSE_CACHE, rule);
	return used;
}

/*
 * The length of the info record that follows a response in a batch, from
 * its header; the record must fit in the @room bytes that are left.
 */
static ssize_t batch_info_len(const char __user *buf, size_t room)
{
	struct fanotify_response_info_header hdr;

	if (room < sizeof(hdr))
		return -EINVAL;
	if (copy_from_user(&hdr, buf, sizeof(hdr)))
		return -EFAULT;
	if (hdr.len < sizeof(hdr) || hdr.len > room)
		return -EINVAL;
	return hdr.len;
}

/*
 * FAN_RESPONSE_BATCH: apply the responses of @buf in order.  A bad one
 * stops the batch: the bytes before it are returned, or its errno if it is
 * the first.  A cache that could not be made is counted, not reported.
 */
static ssize_t judge_batch(struct fsnotify_group *group,
			   const char __user *buf, size_t count)
{
	struct fanotify_listener *listener = group_listener(group);
	struct fanotify_response verdict;
	int used = -EINVAL, cache_err;
	size_t done = 0;

	while (count - done >= sizeof(verdict)) {
		const char __user *info = buf + done + sizeof(verdict);
		size_t room = count - done - sizeof(verdict);
		ssize_t info_len = 0;

		if (copy_from_user(&verdict, buf + done, sizeof(verdict))) {
			used = -EFAULT;
			break;
		}
		if (verdict.response & FAN_INFO) {
			info_len = batch_info_len(info, room);
			if (info_len < 0) {
				used = info_len;
				break;
			}
		}
		used = judge(group, &verdict, info, info_len, &cache_err);
		if (used < 0)
			break;
		if (cache_err) {
			spin_lock(&group->notification_lock);
			listener->cache_failed++;
			spin_unlock(&group->notification_lock);
		}
		done += sizeof(verdict) + used;
	}
	if (!done)
		return count < sizeof(verdict) ? -EINVAL : used;
	return done;
}

/**
 * fanotify_write() - a listener writes a verdict
 * @file: the fanotify fd
 * @buf: a struct fanotify_response, optionally followed by an info record;
 *	for a FAN_RESPONSE_BATCH group, any number of those in a row
 * @count: bytes in @buf
 * @pos: unused
 *
 * Return: the bytes consumed, or -errno.  -ENOSPC or -ENOMEM for a single
 * FAN_CACHE response whose verdict applied but could not be remembered.
 */
ssize_t fanotify_write(struct file *file, const char __user *buf,
		       size_t count, loff_t *pos)
{
	struct fsnotify_group *group = file->private_data;
	struct fanotify_response verdict;
	int used, cache_err;

	if (group_has_flag(group, FAN_RESPONSE_BATCH))
		return judge_batch(group, buf, count);

	if (count < sizeof(verdict))
		return -EINVAL;
	if (copy_from_user(&verdict, buf, sizeof(verdict)))
		return -EFAULT;

	used = judge(group, &verdict, buf + sizeof(verdict),
		     count - sizeof(verdict), &cache_err);
	if (used < 0)
		return used;
	/* The verdict applied; only remembering it failed. */
	if (cache_err)
		return cache_err;
	return sizeof(verdict) + used;
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
	struct list_head *bucket;
	LIST_HEAD(waiting);

	/* A notification group never has a permission event to let go. */
	if (group->priority == FSNOTIFY_PRIO_NORMAL)
		return;
	fanotify_watchdog_del(group);

	spin_lock(&group->notification_lock);
	/* Walked by pointer: this runs for every permission group closed. */
	for (bucket = listener->pending;
	     bucket < listener->pending + FANOTIFY_PENDING_BUCKETS; bucket++)
		list_splice_tail_init(bucket, &waiting);
	/*
	 * Unread ones leave the queue now, as if read: a waiter that gives
	 * up from here on leaves its event to us instead of freeing it, so
	 * the list below cannot change under us while the lock is dropped.
	 */
	list_for_each_entry_safe(fse, fse_next, &group->notification_list, list) {
		if (!fanotify_is_perm_event(to_fanotify_event(fse)))
			continue;
		pe = to_perm_event(to_fanotify_event(fse));
		fsnotify_remove_queued_event(group, fse);
		pe->state = FANOTIFY_PERM_REPORTED;
		list_add_tail(&pe->pev.ev.fse.list, &waiting);
	}
	while ((pe = list_first_entry_or_null(&waiting, struct fanotify_perm_event,
					      pev.ev.fse.list))) {
		list_del_init(&pe->pev.ev.fse.list);
		settle_and_unlock(group, pe, verdict, NULL);
		spin_lock(&group->notification_lock);
	}
	spin_unlock(&group->notification_lock);
}

/**
 * fanotify_perm_set_deadline() - bound how long accesses wait for a group
 * @group: a FAN_DEADLINE group
 * @deadline: the new deadline; applies to accesses that ask the group
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
