// SPDX-License-Identifier: GPL-2.0
/*
 * fs.fanotify.watchdog_timeout: name the listeners that leave permission
 * events unanswered for too long.  It changes nothing about the events; it
 * tells an administrator whom to blame when tasks hang in open().  The
 * meaning is upstream's (Linux 6.18): off at 0, the default; otherwise an
 * event read by a listener and still unanswered after between one and two
 * timeouts is reported once.
 *
 * Every group of a permission class is on one list.  A delayed work walks
 * the list once per timeout and counts, per read event, the scans that
 * found it unanswered: the second one reports it.  With the watchdog off,
 * the cost is joining and leaving the list once per group.
 */

#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sysctl.h>
#include <linux/workqueue.h>

#include "fanotify.h"

/* Seconds; 0 turns the watchdog off. */
static int watchdog_timeout __read_mostly;

/* Lock order: watched_lock, then a group's notification_lock. */
static DEFINE_MUTEX(watched_lock);
static LIST_HEAD(watched_groups);

static void watchdog_scan(struct work_struct *work);
static DECLARE_DELAYED_WORK(watchdog_work, watchdog_scan);

static void watchdog_arm(void)
{
	int secs = READ_ONCE(watchdog_timeout);

	if (secs > 0)
		mod_delayed_work(system_wq, &watchdog_work,
				 min_t(unsigned long, (unsigned long)secs * HZ,
				       MAX_JIFFY_OFFSET));
}

/*
 * Scan one group.  Return: how many events turned overdue; *reader gets
 * the thread group that read the first of them.
 */
static unsigned int scan_group(struct fanotify_listener *listener,
			       pid_t *reader)
{
	struct fsnotify_group *group = listener->group;
	struct fanotify_perm_event *pe;
	unsigned int overdue = 0;
	int i;

	spin_lock(&group->notification_lock);
	for (i = 0; i < FANOTIFY_PENDING_BUCKETS; i++) {
		list_for_each_entry(pe, &listener->pending[i], pev.ev.fse.list) {
			if (pe->state != FANOTIFY_PERM_REPORTED ||
			    pe->watchdog_scans >= 2)
				continue;
			if (++pe->watchdog_scans < 2)
				continue;
			if (!overdue++)
				*reader = pe->reader;
		}
	}
	spin_unlock(&group->notification_lock);
	return overdue;
}

static void report(pid_t reader, unsigned int overdue, int secs)
{
	char comm[TASK_COMM_LEN] = "?";
	struct task_struct *task;

	rcu_read_lock();
	task = find_task_by_pid_ns(reader, &init_pid_ns);
	if (task)
		get_task_comm(comm, task);
	rcu_read_unlock();
	pr_warn_ratelimited("PID %d (%s) failed to respond to fanotify queue for more than %d seconds (%u events)\n",
			    reader, comm, secs, overdue);
}

static void watchdog_scan(struct work_struct *work)
{
	int secs = READ_ONCE(watchdog_timeout);
	struct fanotify_listener *listener;
	unsigned int overdue;
	pid_t reader = 0;

	if (secs <= 0)
		return;
	mutex_lock(&watched_lock);
	list_for_each_entry(listener, &watched_groups, watchdog_link) {
		overdue = scan_group(listener, &reader);
		if (overdue)
			report(reader, overdue, secs);
	}
	mutex_unlock(&watched_lock);
	watchdog_arm();
}

static int watchdog_timeout_write(const struct ctl_table *table, int write,
				  void *buffer, size_t *lenp, loff_t *ppos)
{
	int ret = proc_dointvec_minmax(table, write, buffer, lenp, ppos);

	if (!ret && write)
		watchdog_arm();
	return ret;
}

static struct ctl_table watchdog_sysctls[] = {
	{
		.procname	= "watchdog_timeout",
		.data		= &watchdog_timeout,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= watchdog_timeout_write,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_INT_MAX,
	},
};

/**
 * fanotify_watchdog_init() - register fs.fanotify.watchdog_timeout
 *
 * Return: 0, or -ENOMEM.
 */
int __init fanotify_watchdog_init(void)
{
	return register_sysctl("fs/fanotify", watchdog_sysctls) ? 0 : -ENOMEM;
}

/**
 * fanotify_watchdog_add() - put a permission group under the watchdog
 * @group: a new group of a permission class, not yet visible to user space
 */
void fanotify_watchdog_add(struct fsnotify_group *group)
{
	struct fanotify_listener *listener = group_listener(group);

	mutex_lock(&watched_lock);
	list_add_tail(&listener->watchdog_link, &watched_groups);
	mutex_unlock(&watched_lock);
}

/**
 * fanotify_watchdog_del() - take a group off the watchdog's list
 * @group: a group going away; calling this again, or for a group that was
 *	never added, does nothing
 */
void fanotify_watchdog_del(struct fsnotify_group *group)
{
	struct fanotify_listener *listener = group_listener(group);

	mutex_lock(&watched_lock);
	list_del_init(&listener->watchdog_link);
	mutex_unlock(&watched_lock);
}
