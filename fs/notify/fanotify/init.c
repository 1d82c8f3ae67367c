// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify_init(): argument checks, group creation, per-user limits and the
 * fs.fanotify sysctls.
 */

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/fcntl.h>
#include <linux/init.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/syscalls.h>
#include <linux/sysctl.h>
#include <linux/user_namespace.h>

#include "fanotify.h"

struct kmem_cache *fanotify_mark_cache __ro_after_init;

/* fs.fanotify.max_queued_events; applies to groups created afterwards. */
static int max_queued_events __read_mostly = FANOTIFY_DEFAULT_MAX_QUEUED;

/*
 * The open flags a listener may ask event fds to be opened with.  Only
 * flags that describe an open file are allowed; FMODE_* and other internal
 * bits of f_flags are not.
 */
#define EVENT_F_FLAGS_ALLOWED	(O_ACCMODE | O_APPEND | O_NONBLOCK | \
				 __O_SYNC | O_DSYNC | O_CLOEXEC | \
				 O_LARGEFILE | O_NOATIME)

#ifdef CONFIG_SYSCTL
static long sysctl_long_zero;
static long sysctl_long_int_max = INT_MAX;

static struct ctl_table fanotify_sysctls[] = {
	{
		.procname	= "max_queued_events",
		.data		= &max_queued_events,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
	},
	{
		.procname	= "max_user_groups",
		.data		= &init_user_ns.ucount_max[UCOUNT_FANOTIFY_GROUPS],
		.maxlen		= sizeof(long),
		.mode		= 0644,
		.proc_handler	= proc_doulongvec_minmax,
		.extra1		= &sysctl_long_zero,
		.extra2		= &sysctl_long_int_max,
	},
	{
		.procname	= "max_user_marks",
		.data		= &init_user_ns.ucount_max[UCOUNT_FANOTIFY_MARKS],
		.maxlen		= sizeof(long),
		.mode		= 0644,
		.proc_handler	= proc_doulongvec_minmax,
		.extra1		= &sysctl_long_zero,
		.extra2		= &sysctl_long_int_max,
	},
};
#endif

/*
 * Check the flags in the order upstream does, so that a combination of
 * mistakes yields the same errno on both kernels.
 */
static int check_init_flags(unsigned int flags, unsigned int event_f_flags,
			    bool admin)
{
	unsigned int fid_mode = flags & FANOTIFY_FID_BITS;
	unsigned int known = FANOTIFY_INIT_FLAGS;

	if (!admin && ((flags & FANOTIFY_ADMIN_INIT_FLAGS) || !fid_mode))
		return -EPERM;

	if (IS_ENABLED(CONFIG_AUDITSYSCALL))
		known |= FAN_ENABLE_AUDIT;
	if (flags & ~known)
		return -EINVAL;

	/* A pidfd names a thread group, never a single thread. */
	if ((flags & FAN_REPORT_PIDFD) && (flags & FAN_REPORT_TID))
		return -EINVAL;

	if (event_f_flags & ~EVENT_F_FLAGS_ALLOWED)
		return -EINVAL;
	if ((event_f_flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;

	if (fid_mode && (flags & FANOTIFY_CLASS_BITS) != FAN_CLASS_NOTIF &&
	    !(flags & FAN_PERM_NO_FD))
		return -EINVAL;
	/* A name is only meaningful relative to its directory. */
	if ((fid_mode & FAN_REPORT_NAME) && !(fid_mode & FAN_REPORT_DIR_FID))
		return -EINVAL;
	if ((fid_mode & FAN_REPORT_TARGET_FID) &&
	    (fid_mode & (FAN_REPORT_NAME | FAN_REPORT_FID)) !=
	    (FAN_REPORT_NAME | FAN_REPORT_FID))
		return -EINVAL;
	/*
	 * A FAN_REPORT_MNT group reports mounts by id and nothing else: no
	 * file handles, and no verdicts (a mount event waits for none).
	 */
	if ((flags & FAN_REPORT_MNT) &&
	    (fid_mode || (flags & FANOTIFY_CLASS_BITS) != FAN_CLASS_NOTIF))
		return -EINVAL;
	/* Deadlines, fail-closed and batches are about verdicts: no class, no sense. */
	if ((flags & FANOTIFY_PERM_GUARD_FLAGS) &&
	    !(flags & FANOTIFY_PERM_CLASSES))
		return -EINVAL;
	/* Permission events by handle: the object's own handle names it. */
	if ((flags & FAN_PERM_NO_FD) &&
	    (fid_mode != FAN_REPORT_FID || !(flags & FANOTIFY_PERM_CLASSES)))
		return -EINVAL;
	return 0;
}

static int class_priority(unsigned int flags, enum fsnotify_group_prio *prio)
{
	switch (flags & FANOTIFY_CLASS_BITS) {
	case FAN_CLASS_NOTIF:
		*prio = FSNOTIFY_PRIO_NORMAL;
		return 0;
	case FAN_CLASS_CONTENT:
		*prio = FSNOTIFY_PRIO_CONTENT;
		return 0;
	case FAN_CLASS_PRE_CONTENT:
		*prio = FSNOTIFY_PRIO_PRE_CONTENT;
		return 0;
	default:
		return -EINVAL;
	}
}

/*
 * Fill in a new group.  On error the caller destroys the group, which frees
 * whatever was set up here (free_group_priv copes with a partial state).
 */
static int setup_group(struct fsnotify_group *group, unsigned int flags,
		       unsigned int event_f_flags, bool admin)
{
	bool perm = IS_ENABLED(CONFIG_FANOTIFY_ACCESS_PERMISSIONS) &&
		    (flags & FANOTIFY_PERM_CLASSES);
	struct fanotify_listener *listener;
	struct fanotify_event *overflow;
	int ret;

	/*
	 * Programs create notification groups by the thousand: keep them
	 * small, and cheap to set up.  kzalloc() would clear the whole slab
	 * object (2 KiB, 4 KiB with the pending table) a byte at a time;
	 * clearing the fixed part only, whose size the compiler knows, is a
	 * fraction of that, and the pending table is initialised below anyway.
	 */
	listener = kmalloc(struct_size(listener, pending,
				       perm ? FANOTIFY_PENDING_BUCKETS : 0),
			   GFP_KERNEL_ACCOUNT);
	if (!listener)
		return -ENOMEM;
	memset(listener, 0, offsetof(struct fanotify_listener, pending));
	group->fanotify_data.listener = listener;
	for (int i = 0; perm && i < FANOTIFY_PENDING_BUCKETS; i++)
		INIT_LIST_HEAD(&listener->pending[i]);
#ifdef CONFIG_FANOTIFY_ACCESS_PERMISSIONS
	INIT_LIST_HEAD(&listener->watchdog_link);
	listener->group = group;
	listener->deadline_response = FAN_ALLOW;
	listener->next_perm_id = 1;
#endif

	listener->ucounts = inc_ucount(current_user_ns(), current_euid(),
				       UCOUNT_FANOTIFY_GROUPS);
	if (!listener->ucounts)
		return -EMFILE;

	group->fanotify_data.flags = flags | (admin ? 0 : FANOTIFY_UNPRIV);
	group->memcg = get_mem_cgroup_from_mm(current->mm);
	ret = fanotify_control_init(group);
	if (ret)
		return ret;

	overflow = fanotify_event_alloc_overflow();
	if (!overflow)
		return -ENOMEM;
	group->overflow_event = &overflow->fse;

	if (force_o_largefile())
		event_f_flags |= O_LARGEFILE;
	group->fanotify_data.f_flags = event_f_flags;

	ret = class_priority(flags, &group->priority);
	if (ret)
		return ret;

	if (flags & FAN_UNLIMITED_QUEUE) {
		if (!admin)
			return -EPERM;
		group->max_events = UINT_MAX;
	} else {
		group->max_events = max_queued_events;
	}
	if ((flags & FAN_UNLIMITED_MARKS) && !admin)
		return -EPERM;
	if ((flags & FAN_ENABLE_AUDIT) && !capable(CAP_AUDIT_WRITE))
		return -EPERM;
	return 0;
}

SYSCALL_DEFINE2(fanotify_init, unsigned int, flags, unsigned int, event_f_flags)
{
	bool admin = capable(CAP_SYS_ADMIN);
	struct fsnotify_group *group;
	unsigned int fd_flags;
	int ret;

	ret = check_init_flags(flags, event_f_flags, admin);
	if (ret)
		return ret;

	group = fsnotify_alloc_group(&fanotify_fsnotify_ops, FSNOTIFY_GROUP_USER);
	if (IS_ERR(group))
		return PTR_ERR(group);

	ret = setup_group(group, flags, event_f_flags, admin);
	if (ret)
		goto destroy_group;
	/* Before the fd exists: its release takes the group off the list. */
	if (flags & FANOTIFY_PERM_CLASSES)
		fanotify_watchdog_add(group);

	fd_flags = O_RDWR | __FMODE_NONOTIFY;
	if (flags & FAN_CLOEXEC)
		fd_flags |= O_CLOEXEC;
	if (flags & FAN_NONBLOCK)
		fd_flags |= O_NONBLOCK;
	ret = anon_inode_getfd("[fanotify]", &fanotify_fops, group, fd_flags);
	if (ret < 0) {
		fanotify_watchdog_del(group);
		goto destroy_group;
	}
	return ret;

destroy_group:
	fsnotify_destroy_group(group);
	return ret;
}

static long default_max_user_marks(void)
{
	struct sysinfo si;
	u64 budget;

	si_meminfo(&si);
	budget = (u64)(si.totalram - si.totalhigh) * FANOTIFY_MARKS_MEMORY_PERCENT /
		 100 * PAGE_SIZE;
	return clamp_t(u64, div_u64(budget, FANOTIFY_INODE_MARK_COST),
		       FANOTIFY_MIN_MAX_USER_MARKS, FANOTIFY_MAX_MAX_USER_MARKS);
}

static int __init fanotify_setup(void)
{
	BUILD_BUG_ON(FANOTIFY_INIT_FLAGS & FANOTIFY_INTERNAL_GROUP_FLAGS);
	BUILD_BUG_ON(hweight32(FANOTIFY_INIT_FLAGS) != 19);
	BUILD_BUG_ON(hweight32(FANOTIFY_MARK_FLAGS) != 12);
	BUILD_BUG_ON(hweight32(ALL_FANOTIFY_EVENT_BITS) != 24);

	fanotify_mark_cache = KMEM_CACHE(fanotify_mark, SLAB_PANIC | SLAB_ACCOUNT);
	if (fanotify_event_cache_init() || fanotify_perm_cache_init())
		panic("fanotify: cannot create the event caches\n");
	if (fanotify_watchdog_init())
		pr_err("fanotify: fs.fanotify.watchdog_timeout is not available\n");

	init_user_ns.ucount_max[UCOUNT_FANOTIFY_GROUPS] = FANOTIFY_DEFAULT_MAX_GROUPS;
	init_user_ns.ucount_max[UCOUNT_FANOTIFY_MARKS] = default_max_user_marks();
#ifdef CONFIG_SYSCTL
	register_sysctl("fs/fanotify", fanotify_sysctls);
#endif
	return 0;
}

/* The VFS hooks are always built in: there is no way to fail gracefully. */
device_initcall(fanotify_setup);
