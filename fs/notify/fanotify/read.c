// SPDX-License-Identifier: GPL-2.0
/*
 * The listener's side of a fanotify fd: read() turns queued events into
 * records, poll() and FIONREAD tell what is waiting, release tears the
 * group down.
 */

#include <linux/anon_inodes.h>
#include <linux/compat.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>

#include <asm/ioctls.h>

#include "../fdinfo.h"
#include "fanotify.h"

/*
 * Open the object of an event for the listener.  The new file is marked
 * FMODE_NONOTIFY, so the listener's own use of it raises no events (no
 * feedback loop).  On success *filep holds the file; the fd is reserved but
 * not installed, so that a failed copy to user space can undo both.
 *
 * Return: the reserved fd, or -errno.
 */
static int open_event_object(struct fsnotify_group *group,
			     const struct path *path, struct file **filep)
{
	unsigned int f_flags = group->fanotify_data.f_flags;
	struct file *file;
	int fd;

	fd = get_unused_fd_flags(f_flags);
	if (fd < 0)
		return fd;
	file = dentry_open(path, f_flags | __FMODE_NONOTIFY, current_cred());
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	*filep = file;
	return fd;
}

/*
 * The pid a listener sees.  An unprivileged listener only learns whether an
 * event was its own doing: other processes' pids are not its business.
 */
static pid_t reported_pid(struct fsnotify_group *group,
			  struct fanotify_event *event)
{
	if (group_has_flag(group, FANOTIFY_UNPRIV) &&
	    event->pid != task_tgid(current))
		return 0;
	return pid_vnr(event->pid);
}

/*
 * A pidfd for the acting process, for FAN_REPORT_PIDFD groups.  On success
 * *filep holds its file, to be installed once the record is written.
 *
 * Return: the reserved fd, or what the record says instead: -errno with
 * FAN_REPORT_FD_ERROR, else FAN_NOPIDFD if the process is gone (or its pid
 * is not visible) and FAN_EPIDFD for any other failure.
 */
static int open_pidfd(struct fsnotify_group *group, struct fanotify_event *event,
		      pid_t pid, struct file **filep)
{
	int pidfd = -ESRCH;

	/* A process that has exited has no pidfd to give, even if reaped late. */
	if (pid && pid_has_task(event->pid, PIDTYPE_TGID))
		pidfd = pidfd_prepare(event->pid, 0, filep);
	if (pidfd >= 0 || group_has_flag(group, FAN_REPORT_FD_ERROR))
		return pidfd;
	return pidfd == -ESRCH ? FAN_NOPIDFD : FAN_EPIDFD;
}

/*
 * Write the record of @event, @len bytes, to @buf.  *@fdp gets the fd the
 * record carries (FAN_NOFD or -errno if none).
 *
 * Return: the record's length; 0 if the event is silently skipped; -errno.
 */
static ssize_t emit_record(struct fsnotify_group *group,
			   struct fanotify_event *event, size_t len,
			   char __user *buf, int *fdp)
{
	struct fanotify_event_metadata meta = {
		.event_len	= len,
		.vers		= FANOTIFY_METADATA_VERSION,
		.metadata_len	= FAN_EVENT_METADATA_LEN,
		.mask		= event->mask & FANOTIFY_OUTGOING_EVENTS,
		.pid		= reported_pid(group, event),
	};
	struct file *file = NULL, *pidfd_file = NULL;
	bool fd_error = group_has_flag(group, FAN_REPORT_FD_ERROR);
	/* Upstream reports -EBADF, not FAN_NOFD, for fd-less records then. */
	int fd = fd_error ? -EBADF : FAN_NOFD;
	int pidfd = 0, perm_id = 0;
	ssize_t ret;

	*fdp = FAN_NOFD;
	if (fanotify_event_by_handle(group, event)) {
		/*
		 * FAN_PERM_NO_FD: no open; the answer names the id the event
		 * got when it was taken off the queue.
		 */
		perm_id = to_perm_event(event)->fd;
	} else if (fanotify_event_kind(group, event) == FANOTIFY_KIND_PATH &&
		   !group_has_flag(group, FANOTIFY_UNPRIV)) {
		/* Unprivileged groups never get fds: the object may not be theirs. */
		fd = open_event_object(group, &to_path_event(event)->path, &file);
		if (fd < 0 && !fd_error) {
			*fdp = fd;
			/*
			 * A stale NFS handle has always made the event vanish
			 * without an error; listeners rely on that.
			 */
			return fd == -EOPENSTALE ? 0 : fd;
		}
	}
	meta.fd = fd;

	if (group_has_flag(group, FAN_REPORT_PIDFD))
		pidfd = open_pidfd(group, event, meta.pid, &pidfd_file);

	if (fanotify_event_has_records(group, event))
		ret = fanotify_emit_record(group, event, &meta, pidfd, perm_id,
					   buf);
	else
		ret = copy_to_user(buf, &meta, sizeof(meta)) ? -EFAULT : 0;
	if (ret)
		goto undo;

	if (file)
		fd_install(fd, file);
	if (pidfd_file)
		fd_install(pidfd, pidfd_file);
	*fdp = perm_id ? perm_id : fd;
	return meta.event_len;

undo:
	if (file) {
		put_unused_fd(fd);
		fput(file);
	}
	if (pidfd_file) {
		put_unused_fd(pidfd);
		fput(pidfd_file);
	}
	return ret;
}

static bool queue_has_events(struct fsnotify_group *group)
{
	return !list_empty_careful(&group->notification_list);
}

static ssize_t fanotify_read(struct file *file, char __user *buf,
			     size_t count, loff_t *pos)
{
	struct fsnotify_group *group = file->private_data;
	char __user *start = buf;
	ssize_t ret = 0;

	for (;;) {
		struct fanotify_event *event;
		size_t len;

		/* Records were copied and nothing else waits: no need to lock. */
		if (buf != start && !queue_has_events(group))
			break;
		event = fanotify_event_take(group, count, &len);
		if (IS_ERR(event)) {
			ret = PTR_ERR(event);
			break;
		}
		if (event) {
			int fd;

			ret = emit_record(group, event, len, buf, &fd);
			if (fanotify_is_perm_event(event))
				fanotify_perm_reported(group, to_perm_event(event),
						       fd, ret > 0);
			else
				fsnotify_destroy_event(group, &event->fse);
			if (ret < 0)
				break;
			buf += ret;
			count -= ret;
			/* A huge buffer must not hog the CPU. */
			cond_resched();
			continue;
		}
		/* Queue empty: return what we have, or wait for more. */
		if (buf != start)
			break;
		if (file->f_flags & O_NONBLOCK) {
			ret = -EAGAIN;
			break;
		}
		ret = wait_event_interruptible(group->notification_waitq,
					       queue_has_events(group));
		if (ret)
			break;
	}

	/* Records already copied are not lost to a later error, but -EFAULT is. */
	if (buf != start && ret != -EFAULT)
		return buf - start;
	return ret;
}

static __poll_t fanotify_poll(struct file *file, poll_table *wait)
{
	struct fsnotify_group *group = file->private_data;

	/* Registered before looking, so a racing queueing still wakes us. */
	poll_wait(file, &group->notification_waitq, wait);
	return queue_has_events(group) ? EPOLLIN | EPOLLRDNORM : 0;
}

/* FIONREAD: how many bytes read() would return with an unlimited buffer. */
static int pending_bytes(struct fsnotify_group *group, int __user *out)
{
	struct fsnotify_event *fse;
	size_t bytes = 0;

	spin_lock(&group->notification_lock);
	list_for_each_entry(fse, &group->notification_list, list)
		bytes += fanotify_event_record_len(group, to_fanotify_event(fse));
	spin_unlock(&group->notification_lock);
	return put_user(bytes, out);
}

static long fanotify_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	switch (cmd) {
	case FIONREAD:
		return pending_bytes(file->private_data, (int __user *)arg);
	default:
		return fanotify_control_ioctl(file->private_data, cmd,
					      (void __user *)arg);
	}
}

static int fanotify_release(struct inode *inode, struct file *file)
{
	struct fsnotify_group *group = file->private_data;

	/* No new event may arrive while the waiting tasks are let go. */
	fsnotify_group_stop_queueing(group);
	fanotify_perm_release(group);
	/*
	 * Detaches every mark, waits for handlers still running, flushes the
	 * queue and drops the fanotify_init() reference.
	 */
	fsnotify_destroy_group(group);
	return 0;
}

/*
 * Without permission events there is no ->write: the VFS then answers
 * write() with -EINVAL, as upstream does in that configuration.
 */
const struct file_operations fanotify_fops = {
	.read		= fanotify_read,
#ifdef CONFIG_FANOTIFY_ACCESS_PERMISSIONS
	.write		= fanotify_write,
#endif
	.poll		= fanotify_poll,
	.unlocked_ioctl	= fanotify_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
#ifdef CONFIG_PROC_FS
	.show_fdinfo	= fanotify_show_fdinfo,
#endif
	.release	= fanotify_release,
	.llseek		= noop_llseek,
};
