/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fanotify: flag sets shared by the fanotify implementation and the rest of
 * the kernel (fdinfo, LSMs).  The user-visible values live in the UAPI
 * header; this file only groups them.  The deprecated FAN_ALL_* sets of the
 * UAPI header are frozen and must not be used inside the kernel: they are
 * undefined beside the set that replaces each.
 */
#ifndef _LINUX_FANOTIFY_H
#define _LINUX_FANOTIFY_H

#include <linux/sysctl.h>
#include <uapi/linux/fanotify.h>

/* ---- fanotify_init() ---- */

/* Classes whose groups may take permission decisions. */
#define FANOTIFY_PERM_CLASSES	(FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT)
/* Both bits of the two-bit class value. */
#define FANOTIFY_CLASS_BITS	(FAN_CLASS_NOTIF | FANOTIFY_PERM_CLASSES)
#undef FAN_ALL_CLASS_BITS

/* Flags that select file-handle (FID) reporting. */
#define FANOTIFY_FID_BITS	(FAN_REPORT_FID | FAN_REPORT_DIR_FID | \
				 FAN_REPORT_NAME | FAN_REPORT_TARGET_FID)
/* Flags that add info records after the metadata. */
#define FANOTIFY_INFO_MODES	(FANOTIFY_FID_BITS | FAN_REPORT_PIDFD | \
				 FAN_REPORT_MNT)

/*
 * Flags an unprivileged caller may pass.  Such a group only ever reports
 * file handles, never fds, so one FID flag is required as well.
 */
#define FANOTIFY_USER_INIT_FLAGS	(FAN_CLOEXEC | FAN_NONBLOCK | \
					 FAN_CLASS_NOTIF | FANOTIFY_FID_BITS | \
					 FAN_EXCLUDE_SELF)

/*
 * Beyond upstream: flags about verdicts (bounds on the wait, batches of
 * answers).  Meaningless without a permission class.
 */
#define FANOTIFY_PERM_GUARD_FLAGS	(FAN_DEADLINE | FAN_FAIL_CLOSED | \
					 FAN_RESPONSE_BATCH)

/*
 * Flags that need CAP_SYS_ADMIN: verdicts on other tasks' accesses, other
 * tasks' identities, and resources beyond the per-user limits.
 */
#define FANOTIFY_ADMIN_INIT_FLAGS	(FANOTIFY_PERM_CLASSES | \
					 FAN_REPORT_TID | FAN_REPORT_PIDFD | \
					 FAN_REPORT_FD_ERROR | \
					 FAN_REPORT_MNT | \
					 FAN_UNLIMITED_QUEUE | \
					 FAN_UNLIMITED_MARKS | \
					 FANOTIFY_PERM_GUARD_FLAGS | \
					 FAN_PERM_NO_FD)

/*
 * All flags shown in /proc/PID/fdinfo.  FAN_ENABLE_AUDIT is accepted by
 * fanotify_init() only with CONFIG_AUDITSYSCALL and is not part of this set.
 */
#define FANOTIFY_INIT_FLAGS	(FANOTIFY_USER_INIT_FLAGS | \
				 FANOTIFY_ADMIN_INIT_FLAGS)
#undef FAN_ALL_INIT_FLAGS

/* Group flags that are never passed by user space (the top bits). */
#define FANOTIFY_UNPRIV			0x80000000
#define FANOTIFY_INTERNAL_GROUP_FLAGS	FANOTIFY_UNPRIV

/* ---- fanotify_mark() ---- */

/* FAN_MARK_MNTNS is the fourth value of the two-bit type, not a flag. */
#define FANOTIFY_MARK_TYPE_BITS	(FAN_MARK_INODE | FAN_MARK_MOUNT | \
				 FAN_MARK_FILESYSTEM | FAN_MARK_MNTNS)
#define FANOTIFY_MARK_CMD_BITS	(FAN_MARK_ADD | FAN_MARK_REMOVE | FAN_MARK_FLUSH)
#define FANOTIFY_MARK_IGNORE_BITS	(FAN_MARK_IGNORED_MASK | FAN_MARK_IGNORE)

#define FANOTIFY_MARK_FLAGS	(FANOTIFY_MARK_TYPE_BITS | \
				 FANOTIFY_MARK_CMD_BITS | \
				 FANOTIFY_MARK_IGNORE_BITS | \
				 FAN_MARK_DONT_FOLLOW | FAN_MARK_ONLYDIR | \
				 FAN_MARK_IGNORED_SURV_MODIFY | \
				 FAN_MARK_EVICTABLE | FAN_MARK_SUBTREE)
#undef FAN_ALL_MARK_FLAGS

/* ---- events ---- */

/* Events raised with a path, so an fd can be opened for the listener. */
#define FANOTIFY_PATH_EVENTS	(FAN_ACCESS | FAN_MODIFY | FAN_CLOSE | \
				 FAN_OPEN | FAN_OPEN_EXEC)

/*
 * Events asked before file content is accessed, so that the listener can
 * fill it in first (FAN_CLASS_PRE_CONTENT groups only).
 */
#define FANOTIFY_PRE_CONTENT_EVENTS	FAN_PRE_ACCESS

/* Events that need a verdict before the access may go on. */
#define FANOTIFY_PERM_EVENTS	(FAN_OPEN_PERM | FAN_ACCESS_PERM | \
				 FAN_OPEN_EXEC_PERM | \
				 FANOTIFY_PRE_CONTENT_EVENTS)
#undef FAN_ALL_PERM_EVENTS

/* Events that can be reported with an fd in metadata.fd. */
#define FANOTIFY_FD_EVENTS	(FANOTIFY_PATH_EVENTS | FANOTIFY_PERM_EVENTS)

/* Changes of directory entries, reported to the directory itself only. */
#define FANOTIFY_DIRENT_EVENTS	(FAN_MOVE | FAN_CREATE | FAN_DELETE | \
				 FAN_RENAME)

/* Events raised without a path: reported only as file handles. */
#define FANOTIFY_INODE_EVENTS	(FANOTIFY_DIRENT_EVENTS | FAN_ATTRIB | \
				 FAN_MOVE_SELF | FAN_DELETE_SELF)

/* Events raised by a filesystem about itself. */
#define FANOTIFY_ERROR_EVENTS	FAN_FS_ERROR

/*
 * Events about the mounts of a namespace: only for FAN_REPORT_MNT groups,
 * only on a FAN_MARK_MNTNS mark, and nothing else is reported there.
 */
#define FANOTIFY_MOUNT_EVENTS	(FAN_MNT_ATTACH | FAN_MNT_DETACH)

/* Non-permission events a mark may ask for. */
#define FANOTIFY_EVENTS		(FANOTIFY_PATH_EVENTS | \
				 FANOTIFY_INODE_EVENTS | \
				 FANOTIFY_ERROR_EVENTS | \
				 FANOTIFY_MOUNT_EVENTS)
#undef FAN_ALL_EVENTS

/* Flags that steer matching rather than name an event. */
#define FANOTIFY_EVENT_FLAGS	(FAN_EVENT_ON_CHILD | FAN_ONDIR)

/* Bits that may appear in fanotify_event_metadata.mask. */
#define FANOTIFY_OUTGOING_EVENTS	(FANOTIFY_EVENTS | \
					 FANOTIFY_PERM_EVENTS | \
					 FAN_Q_OVERFLOW | FAN_ONDIR)
#undef FAN_ALL_OUTGOING_EVENTS

/* Bits that only make sense on a directory. */
#define FANOTIFY_DIRONLY_EVENT_BITS	(FANOTIFY_DIRENT_EVENTS | \
					 FANOTIFY_EVENT_FLAGS)

#define ALL_FANOTIFY_EVENT_BITS	(FANOTIFY_OUTGOING_EVENTS | \
				 FANOTIFY_EVENT_FLAGS)

/* ---- responses ---- */

#define FANOTIFY_RESPONSE_ACCESS	(FAN_ALLOW | FAN_DENY)
#define FANOTIFY_RESPONSE_CACHE		(FAN_CACHE | FAN_CACHE_SURV_MODIFY)
#define FANOTIFY_RESPONSE_FLAGS		(FAN_AUDIT | FAN_INFO | \
					 FANOTIFY_RESPONSE_CACHE)
/* FAN_DENY_ERRNO(): the errno a pre-content group denies with. */
#define FANOTIFY_RESPONSE_ERRNO		(FAN_ERRNO_MASK << FAN_ERRNO_SHIFT)
#define FANOTIFY_RESPONSE_VALID_MASK	(FANOTIFY_RESPONSE_ACCESS | \
					 FANOTIFY_RESPONSE_FLAGS | \
					 FANOTIFY_RESPONSE_ERRNO)

/* The errno of a FAN_DENY_ERRNO() response, 0 if none was given. */
static inline int fanotify_response_errno(u32 response)
{
	return (response >> FAN_ERRNO_SHIFT) & FAN_ERRNO_MASK;
}

#endif /* _LINUX_FANOTIFY_H */
