// SPDX-License-Identifier: GPL-2.0
/*
 * Group controls beyond upstream, set through ioctl()s on the fanotify fd:
 * the verdict deadline of a FAN_DEADLINE group and the excluded processes
 * of a FAN_EXCLUDE_SELF group, and the fdinfo line that shows them.
 *
 * Excluded processes are kept as struct pid pointers of thread groups.  The
 * event path compares them with task_tgid(current) without a lock and
 * without dereferencing them: a slot read while it held a reference names
 * a live pid, and two live pids never share an address, so a match always
 * means "this is the registered process", even if the slot is being
 * cleared at that moment.  That is why no RCU grace period is needed
 * before a removed pid is put.
 */

#include <linux/file.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "fanotify.h"

/**
 * fanotify_access_excluded() - whether the current task's accesses are
 *	excluded from a FAN_EXCLUDE_SELF group
 * @group: a group with FAN_EXCLUDE_SELF
 *
 * Return: true if the current thread group is registered with @group.
 */
bool fanotify_access_excluded(struct fsnotify_group *group)
{
	struct fanotify_listener *listener = group_listener(group);
	struct pid *self = task_tgid(current);
	int i;

	for (i = 0; i < FANOTIFY_MAX_EXCLUDED; i++)
		if (READ_ONCE(listener->excluded[i]) == self)
			return true;
	return false;
}

/**
 * fanotify_control_init() - set up the controls of a new group
 * @group: the group, its listener allocated and its flags set
 *
 * Remembers the creator for messages about the group, and excludes it
 * from a FAN_EXCLUDE_SELF group.
 *
 * Return: 0 (nothing here can fail today).
 */
int fanotify_control_init(struct fsnotify_group *group)
{
	struct fanotify_listener *listener = group_listener(group);

	listener->creator = get_pid(task_tgid(current));
	get_task_comm(listener->creator_comm, current);
	if (group_has_flag(group, FAN_EXCLUDE_SELF))
		listener->excluded[0] = get_pid(listener->creator);
	return 0;
}

/**
 * fanotify_control_exit() - drop what the controls of a group hold
 * @listener: the listener of a group being freed
 */
void fanotify_control_exit(struct fanotify_listener *listener)
{
	int i;

	/* Most groups exclude no one: no call per empty slot. */
	for (i = 0; i < FANOTIFY_MAX_EXCLUDED; i++)
		if (listener->excluded[i])
			put_pid(listener->excluded[i]);
	put_pid(listener->creator);
}

/*
 * The thread group a pidfd names.  A pidfd of a single thread that does not
 * lead its thread group is refused: exclusion is per process.
 *
 * Return: a reference on the pid, or ERR_PTR(-errno).
 */
static struct pid *pidfd_thread_group(const s32 __user *arg)
{
	unsigned int f_flags;
	struct pid *pid;
	s32 pidfd;

	if (get_user(pidfd, arg))
		return ERR_PTR(-EFAULT);
	if (pidfd < 0)
		return ERR_PTR(-EBADF);
	pid = pidfd_get_pid(pidfd, &f_flags);
	if (IS_ERR(pid))
		return pid;
	if (!pid_has_task(pid, PIDTYPE_TGID)) {
		int err = pid_has_task(pid, PIDTYPE_PID) ? -EINVAL : -ESRCH;

		put_pid(pid);
		return ERR_PTR(err);
	}
	return pid;
}

static int exclude_process(struct fsnotify_group *group, const s32 __user *arg)
{
	struct fanotify_listener *listener = group_listener(group);
	int i, free_slot = -1, ret = 0;
	struct pid *pid;

	pid = pidfd_thread_group(arg);
	if (IS_ERR(pid))
		return PTR_ERR(pid);

	fsnotify_group_lock(group);
	for (i = 0; i < FANOTIFY_MAX_EXCLUDED; i++) {
		if (listener->excluded[i] == pid) {
			ret = -EEXIST;
			break;
		}
		if (!listener->excluded[i] && free_slot < 0)
			free_slot = i;
	}
	if (!ret && free_slot < 0)
		ret = -ENOSPC;
	if (!ret) {
		/* The slot takes over our reference. */
		WRITE_ONCE(listener->excluded[free_slot], pid);
		pid = NULL;
	}
	fsnotify_group_unlock(group);
	put_pid(pid);
	return ret;
}

static int include_process(struct fsnotify_group *group, const s32 __user *arg)
{
	struct fanotify_listener *listener = group_listener(group);
	struct pid *pid, *removed = NULL;
	int i;

	pid = pidfd_thread_group(arg);
	if (IS_ERR(pid))
		return PTR_ERR(pid);

	fsnotify_group_lock(group);
	for (i = 0; i < FANOTIFY_MAX_EXCLUDED; i++) {
		if (listener->excluded[i] == pid) {
			removed = pid;
			WRITE_ONCE(listener->excluded[i], NULL);
			break;
		}
	}
	fsnotify_group_unlock(group);
	put_pid(removed);
	put_pid(pid);
	return removed ? 0 : -ENOENT;
}

#ifdef CONFIG_FANOTIFY_ACCESS_PERMISSIONS
static int set_deadline(struct fsnotify_group *group,
			const struct fanotify_deadline __user *arg)
{
	struct fanotify_deadline deadline;

	if (copy_from_user(&deadline, arg, sizeof(deadline)))
		return -EFAULT;
	return fanotify_perm_set_deadline(group, &deadline);
}

static int get_deadline(struct fsnotify_group *group,
			struct fanotify_deadline __user *arg)
{
	struct fanotify_deadline deadline;

	fanotify_perm_get_deadline(group, &deadline);
	return copy_to_user(arg, &deadline, sizeof(deadline)) ? -EFAULT : 0;
}
#endif

/**
 * fanotify_control_ioctl() - the FAN_IOC_* controls of a group
 * @group: the group of the fanotify fd
 * @cmd: the ioctl command
 * @arg: its argument, a user pointer
 *
 * Return: 0, -errno, or -ENOTTY if @cmd is no control of ours.  A control
 * the group was not created for is refused with -EINVAL.
 */
long fanotify_control_ioctl(struct fsnotify_group *group, unsigned int cmd,
			    void __user *arg)
{
	switch (cmd) {
#ifdef CONFIG_FANOTIFY_ACCESS_PERMISSIONS
	case FAN_IOC_SET_DEADLINE:
		if (!group_has_flag(group, FAN_DEADLINE))
			return -EINVAL;
		return set_deadline(group, arg);
	case FAN_IOC_GET_DEADLINE:
		if (!group_has_flag(group, FAN_DEADLINE))
			return -EINVAL;
		return get_deadline(group, arg);
#endif
	case FAN_IOC_EXCLUDE_PROCESS:
		if (!group_has_flag(group, FAN_EXCLUDE_SELF))
			return -EINVAL;
		return exclude_process(group, arg);
	case FAN_IOC_INCLUDE_PROCESS:
		if (!group_has_flag(group, FAN_EXCLUDE_SELF))
			return -EINVAL;
		return include_process(group, arg);
	default:
		return -ENOTTY;
	}
}

/**
 * fanotify_show_controls() - the fdinfo lines of a group's controls
 * @m: the fdinfo file
 * @group: the group of the fanotify fd
 *
 * Nothing is shown for a group created without a control's flag, so the
 * fdinfo of every other group reads exactly as upstream's.
 */
void fanotify_show_controls(struct seq_file *m, struct fsnotify_group *group)
{
	struct fanotify_listener *listener = group_listener(group);
	int i;

#ifdef CONFIG_FANOTIFY_ACCESS_PERMISSIONS
	if (group_has_flag(group, FAN_DEADLINE)) {
		struct fanotify_deadline deadline;

		fanotify_perm_get_deadline(group, &deadline);
		seq_printf(m, "fanotify deadline-ms:%u deadline-response:%x expired:%lu\n",
			   deadline.msecs, deadline.response,
			   READ_ONCE(listener->expired));
	}
	if (group_has_flag(group, FAN_RESPONSE_BATCH))
		seq_printf(m, "fanotify cache-failed:%lu\n",
			   READ_ONCE(listener->cache_failed));
#endif
	if (group_has_flag(group, FAN_EXCLUDE_SELF)) {
		seq_puts(m, "fanotify excluded-pids:");
		fsnotify_group_lock(group);
		for (i = 0; i < FANOTIFY_MAX_EXCLUDED; i++)
			if (listener->excluded[i])
				seq_printf(m, " %d", pid_vnr(listener->excluded[i]));
		fsnotify_group_unlock(group);
		seq_putc(m, '\n');
	}
}
