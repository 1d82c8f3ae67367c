/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * fanotify: file access notification and permission decisions.
 *
 * Every value in this file is ABI shared with upstream Linux 6.12: programs
 * built against either header must run unchanged on either kernel.  New
 * flags of our own may only take bits that no released upstream kernel uses
 * (see Documentation/filesystems/fanotify.rst).
 */
#ifndef _UAPI_LINUX_FANOTIFY_H
#define _UAPI_LINUX_FANOTIFY_H

#include <linux/types.h>
#include <linux/ioctl.h>

/*
 * Event bits, used in the mask of fanotify_mark() and in
 * fanotify_event_metadata.mask.
 */
#define FAN_ACCESS		0x00000001	/* file content was read */
#define FAN_MODIFY		0x00000002	/* file content was written */
#define FAN_ATTRIB		0x00000004	/* metadata changed */
#define FAN_CLOSE_WRITE		0x00000008	/* a writable file was closed */
#define FAN_CLOSE_NOWRITE	0x00000010	/* a read-only file was closed */
#define FAN_OPEN		0x00000020	/* a file was opened */
#define FAN_MOVED_FROM		0x00000040	/* an entry left a directory */
#define FAN_MOVED_TO		0x00000080	/* an entry arrived in a directory */
#define FAN_CREATE		0x00000100	/* an entry was created */
#define FAN_DELETE		0x00000200	/* an entry was deleted */
#define FAN_DELETE_SELF		0x00000400	/* the watched object was deleted */
#define FAN_MOVE_SELF		0x00000800	/* the watched object was moved */
#define FAN_OPEN_EXEC		0x00001000	/* a file was opened to execute */

#define FAN_Q_OVERFLOW		0x00004000	/* events were lost */
#define FAN_FS_ERROR		0x00008000	/* a filesystem reported an error */

#define FAN_OPEN_PERM		0x00010000	/* open, waiting for a verdict */
#define FAN_ACCESS_PERM		0x00020000	/* read, waiting for a verdict */
#define FAN_OPEN_EXEC_PERM	0x00040000	/* exec open, waiting for a verdict */
/* 0x00080000 was FAN_DIR_MODIFY in 5.7 and is never reused. */
/* Upstream 6.14: a file range is about to be accessed (FAN_CLASS_PRE_CONTENT). */
#define FAN_PRE_ACCESS		0x00100000

/* Upstream 6.15: a mount entered or left a marked namespace (FAN_MARK_MNTNS). */
#define FAN_MNT_ATTACH		0x01000000
#define FAN_MNT_DETACH		0x02000000

#define FAN_EVENT_ON_CHILD	0x08000000	/* also report for a dir's children */

#define FAN_RENAME		0x10000000	/* an entry was renamed */

#define FAN_ONDIR		0x40000000	/* the object is a directory */

#define FAN_CLOSE		(FAN_CLOSE_WRITE | FAN_CLOSE_NOWRITE)
#define FAN_MOVE		(FAN_MOVED_FROM | FAN_MOVED_TO)

/* fanotify_init() flags */
#define FAN_CLOEXEC		0x00000001
#define FAN_NONBLOCK		0x00000002

/* The notification class is a two-bit value, not a set of flags. */
#define FAN_CLASS_NOTIF		0x00000000
#define FAN_CLASS_CONTENT	0x00000004
#define FAN_CLASS_PRE_CONTENT	0x00000008

/* Deprecated: frozen, never extended.  New programs must not use it. */
#define FAN_ALL_CLASS_BITS	(FAN_CLASS_NOTIF | FAN_CLASS_CONTENT | \
				 FAN_CLASS_PRE_CONTENT)

#define FAN_UNLIMITED_QUEUE	0x00000010
#define FAN_UNLIMITED_MARKS	0x00000020
#define FAN_ENABLE_AUDIT	0x00000040

/* What an event record carries besides the metadata. */
#define FAN_REPORT_PIDFD	0x00000080	/* a pidfd of the acting process */
#define FAN_REPORT_TID		0x00000100	/* pid is the thread id */
#define FAN_REPORT_FID		0x00000200	/* a file handle of the object */
#define FAN_REPORT_DIR_FID	0x00000400	/* a file handle of its directory */
#define FAN_REPORT_NAME		0x00000800	/* the entry name in the directory */
#define FAN_REPORT_TARGET_FID	0x00001000	/* the child of a dirent event too */
#define FAN_REPORT_FD_ERROR	0x00002000	/* fd may carry -errno */
#define FAN_REPORT_MNT		0x00004000	/* mount events, by mount id (6.15) */

/*
 * Beyond upstream: fanotify_init() flags of this implementation.  Their
 * values come from the top down, clear of upstream's; a kernel without one
 * refuses it with EINVAL, which is how a program probes for it.
 */
#define FAN_DEADLINE		0x40000000	/* verdicts may time out */
#define FAN_FAIL_CLOSED		0x20000000	/* closing denies, not allows */
#define FAN_EXCLUDE_SELF	0x10000000	/* own accesses raise no event */
#define FAN_PERM_NO_FD		0x08000000	/* permission events by handle */
#define FAN_RESPONSE_BATCH	0x04000000	/* several responses per write() */

/* FAN_REPORT_NAME is only valid together with FAN_REPORT_DIR_FID. */
#define FAN_REPORT_DFID_NAME	(FAN_REPORT_DIR_FID | FAN_REPORT_NAME)
/* FAN_REPORT_TARGET_FID is only valid together with all other FID flags. */
#define FAN_REPORT_DFID_NAME_TARGET (FAN_REPORT_DFID_NAME | \
				     FAN_REPORT_FID | FAN_REPORT_TARGET_FID)

/* Deprecated: frozen, never extended.  New programs must not use it. */
#define FAN_ALL_INIT_FLAGS	(FAN_CLOEXEC | FAN_NONBLOCK | \
				 FAN_ALL_CLASS_BITS | FAN_UNLIMITED_QUEUE |\
				 FAN_UNLIMITED_MARKS)

/* fanotify_mark() flags */
#define FAN_MARK_ADD		0x00000001
#define FAN_MARK_REMOVE		0x00000002
#define FAN_MARK_DONT_FOLLOW	0x00000004
#define FAN_MARK_ONLYDIR	0x00000008
/* 0x00000010 is FAN_MARK_MOUNT, below */
#define FAN_MARK_IGNORED_MASK	0x00000020
#define FAN_MARK_IGNORED_SURV_MODIFY	0x00000040
#define FAN_MARK_FLUSH		0x00000080
/* 0x00000100 is FAN_MARK_FILESYSTEM, below */
#define FAN_MARK_EVICTABLE	0x00000200
/* FAN_MARK_IGNORE and FAN_MARK_IGNORED_MASK exclude each other. */
#define FAN_MARK_IGNORE		0x00000400
/*
 * An inode mark on a directory that also applies to every file and
 * directory below it, in the same filesystem.  Not an upstream flag: taken
 * from the top of the word, where upstream adds none.
 */
#define FAN_MARK_SUBTREE	0x40000000

/* The mark type is a two-bit value, not a set of flags. */
#define FAN_MARK_INODE		0x00000000
#define FAN_MARK_MOUNT		0x00000010
#define FAN_MARK_FILESYSTEM	0x00000100
#define FAN_MARK_MNTNS		0x00000110	/* upstream 6.15: a mount namespace */

/* Mount and filesystem marks need FAN_MARK_IGNORE to come with SURV_MODIFY. */
#define FAN_MARK_IGNORE_SURV	(FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY)

/* Deprecated: frozen, never extended.  New programs must not use it. */
#define FAN_ALL_MARK_FLAGS	(FAN_MARK_ADD |\
				 FAN_MARK_REMOVE |\
				 FAN_MARK_DONT_FOLLOW |\
				 FAN_MARK_ONLYDIR |\
				 FAN_MARK_MOUNT |\
				 FAN_MARK_IGNORED_MASK |\
				 FAN_MARK_IGNORED_SURV_MODIFY |\
				 FAN_MARK_FLUSH)

/* Deprecated: frozen, never extended.  New programs must not use it. */
#define FAN_ALL_EVENTS (FAN_ACCESS |\
			FAN_MODIFY |\
			FAN_CLOSE |\
			FAN_OPEN)

/* Deprecated: frozen, never extended.  New programs must not use it. */
#define FAN_ALL_PERM_EVENTS (FAN_OPEN_PERM |\
			     FAN_ACCESS_PERM)

/* Deprecated: frozen, never extended.  New programs must not use it. */
#define FAN_ALL_OUTGOING_EVENTS	(FAN_ALL_EVENTS |\
				 FAN_ALL_PERM_EVENTS |\
				 FAN_Q_OVERFLOW)

#define FANOTIFY_METADATA_VERSION	3

/**
 * struct fanotify_event_metadata - the fixed head of every event record
 * @event_len: length of the whole record, info records included
 * @vers: FANOTIFY_METADATA_VERSION
 * @reserved: always zero
 * @metadata_len: sizeof(struct fanotify_event_metadata)
 * @mask: the FAN_* bits that happened
 * @fd: an fd open on the object, FAN_NOFD, or -errno (FAN_REPORT_FD_ERROR)
 * @pid: the acting process (or thread), as seen by the reader
 */
struct fanotify_event_metadata {
	__u32 event_len;
	__u8 vers;
	__u8 reserved;
	__u16 metadata_len;
	__aligned_u64 mask;
	__s32 fd;
	__s32 pid;
};

/* Info record types that may follow the metadata. */
#define FAN_EVENT_INFO_TYPE_FID		1
#define FAN_EVENT_INFO_TYPE_DFID_NAME	2
#define FAN_EVENT_INFO_TYPE_DFID	3
#define FAN_EVENT_INFO_TYPE_PIDFD	4
#define FAN_EVENT_INFO_TYPE_ERROR	5
#define FAN_EVENT_INFO_TYPE_RANGE	6	/* upstream 6.14 */
#define FAN_EVENT_INFO_TYPE_MNT		7	/* upstream 6.15 */

/*
 * Beyond upstream: a permission event of a FAN_PERM_NO_FD group carries the
 * id to answer it by (in fanotify_response.fd), in a record of its own.
 * Types are taken from the top down, clear of upstream's.
 */
#define FAN_EVENT_INFO_TYPE_PERM_ID	255

/* FAN_RENAME reports the old and the new directory and name. */
#define FAN_EVENT_INFO_TYPE_OLD_DFID_NAME	10
/* 11 is reserved for an old-directory record without name */
#define FAN_EVENT_INFO_TYPE_NEW_DFID_NAME	12
/* 13 is reserved for a new-directory record without name */

/**
 * struct fanotify_event_info_header - head of every info record
 * @info_type: FAN_EVENT_INFO_TYPE_*
 * @pad: always zero
 * @len: length of the info record, this header included
 */
struct fanotify_event_info_header {
	__u8 info_type;
	__u8 pad;
	__u16 len;
};

/**
 * struct fanotify_event_info_fid - a file identifier
 * @hdr: type FID, DFID or DFID_NAME (and the FAN_RENAME variants)
 * @fsid: identifies the filesystem
 * @handle: a struct file_handle usable with open_by_handle_at(); for the
 *	DFID_NAME types a NUL-terminated name follows the handle
 */
struct fanotify_event_info_fid {
	struct fanotify_event_info_header hdr;
	__kernel_fsid_t fsid;
	unsigned char handle[];
};

/**
 * struct fanotify_event_info_pidfd - a pidfd of the acting process
 * @hdr: type PIDFD
 * @pidfd: the pidfd, FAN_NOPIDFD or FAN_EPIDFD
 */
struct fanotify_event_info_pidfd {
	struct fanotify_event_info_header hdr;
	__s32 pidfd;
};

/**
 * struct fanotify_event_info_perm_id - what to answer a permission event by
 * @hdr: type PERM_ID
 * @id: the value for fanotify_response.fd; positive, unique among the
 *	group's events that wait for an answer
 */
struct fanotify_event_info_perm_id {
	struct fanotify_event_info_header hdr;
	__u32 id;
};

/**
 * struct fanotify_event_info_error - a filesystem error report
 * @hdr: type ERROR
 * @error: the first error seen
 * @error_count: how many errors were folded into this event
 */
struct fanotify_event_info_error {
	struct fanotify_event_info_header hdr;
	__s32 error;
	__u32 error_count;
};

/**
 * struct fanotify_event_info_range - the file range a FAN_PRE_ACCESS event
 *	is about (upstream 6.14)
 * @hdr: type RANGE
 * @pad: always zero
 * @offset: first byte of the range
 * @count: bytes in the range; 0 for a truncate to exactly @offset
 */
struct fanotify_event_info_range {
	struct fanotify_event_info_header hdr;
	__u32 pad;
	__u64 offset;
	__u64 count;
};

/**
 * struct fanotify_event_info_mnt - the mount a FAN_MNT_ATTACH or
 *	FAN_MNT_DETACH event is about (upstream 6.15)
 * @hdr: type MNT
 * @mnt_id: the mount's unique id, as statmount(2) and statx()
 *	STATX_MNT_ID_UNIQUE give it
 */
struct fanotify_event_info_mnt {
	struct fanotify_event_info_header hdr;
	__u64 mnt_id;
};

/* Types of the optional information that may follow a response. */
#define FAN_RESPONSE_INFO_NONE		0
#define FAN_RESPONSE_INFO_AUDIT_RULE	1

/**
 * struct fanotify_response - a verdict written to the fanotify fd
 * @fd: the fd of the permission event being answered
 * @response: FAN_ALLOW or FAN_DENY, optionally with FAN_AUDIT and FAN_INFO
 */
struct fanotify_response {
	__s32 fd;
	__u32 response;
};

/**
 * struct fanotify_response_info_header - head of a response info record
 * @type: FAN_RESPONSE_INFO_*
 * @pad: always zero
 * @len: length of the record, this header included
 */
struct fanotify_response_info_header {
	__u8 type;
	__u8 pad;
	__u16 len;
};

/**
 * struct fanotify_response_info_audit_rule - why the listener decided
 * @hdr: type FAN_RESPONSE_INFO_AUDIT_RULE
 * @rule_number: the listener's rule that made the decision
 * @subj_trust: trust of the subject, as the listener sees it
 * @obj_trust: trust of the object, as the listener sees it
 */
struct fanotify_response_info_audit_rule {
	struct fanotify_response_info_header hdr;
	__u32 rule_number;
	__u32 subj_trust;
	__u32 obj_trust;
};

/* Verdicts for permission events */
#define FAN_ALLOW	0x01
#define FAN_DENY	0x02
#define FAN_AUDIT	0x10	/* also emit an audit record */
#define FAN_INFO	0x20	/* an info record follows the response */

/*
 * Upstream 6.14: a FAN_CLASS_PRE_CONTENT group may deny with an errno of
 * its choice, kept in the top byte of the response: FAN_DENY_ERRNO(EAGAIN).
 */
#define FAN_ERRNO_BITS	8
#define FAN_ERRNO_SHIFT	(32 - FAN_ERRNO_BITS)
#define FAN_ERRNO_MASK	((1 << FAN_ERRNO_BITS) - 1)
#define FAN_DENY_ERRNO(err) \
	(FAN_DENY | ((((__u32)(err)) & FAN_ERRNO_MASK) << FAN_ERRNO_SHIFT))

/*
 * Beyond upstream: with FAN_ALLOW, also remember the verdict for the
 * event's inode in this group, as an evictable ignore mark for permission
 * events; a modification of the file clears it unless FAN_CACHE_SURV_MODIFY
 * is given too.  A kernel without them refuses them with EINVAL.
 */
#define FAN_CACHE		0x00800000
#define FAN_CACHE_SURV_MODIFY	0x00200000

/* Values of fd and pidfd that are not descriptors */
#define FAN_NOFD	-1
#define FAN_NOPIDFD	FAN_NOFD
#define FAN_EPIDFD	-2

/*
 * Beyond upstream: controls of a group, ioctl()s on the fanotify fd.  A
 * kernel without them answers ENOTTY; a group created without the init
 * flag that enables a control answers EINVAL.
 */
#define FAN_IOC_MAGIC		0xF4

/**
 * struct fanotify_deadline - how long an access waits for this group
 * @msecs: the longest wait for this group's verdict, in milliseconds, from
 *	1 to FAN_DEADLINE_MAX_MSECS; 0 waits for ever (the default)
 * @response: the verdict applied when the time runs out: FAN_ALLOW or
 *	FAN_DENY, optionally with FAN_AUDIT (FAN_ENABLE_AUDIT groups only)
 */
struct fanotify_deadline {
	__u32 msecs;
	__u32 response;
};

#define FAN_DEADLINE_MAX_MSECS	3600000		/* one hour */

/* Set or read the deadline of a FAN_DEADLINE group. */
#define FAN_IOC_SET_DEADLINE	_IOW(FAN_IOC_MAGIC, 1, struct fanotify_deadline)
#define FAN_IOC_GET_DEADLINE	_IOR(FAN_IOC_MAGIC, 2, struct fanotify_deadline)
/*
 * Add or remove a process (the __s32 argument is a pidfd) whose accesses
 * raise no event for a FAN_EXCLUDE_SELF group.
 */
#define FAN_IOC_EXCLUDE_PROCESS	_IOW(FAN_IOC_MAGIC, 3, __s32)
#define FAN_IOC_INCLUDE_PROCESS	_IOW(FAN_IOC_MAGIC, 4, __s32)

/* Walking a buffer of event records */
#define FAN_EVENT_METADATA_LEN (sizeof(struct fanotify_event_metadata))

#define FAN_EVENT_NEXT(meta, len) ((len) -= (meta)->event_len, \
				   (struct fanotify_event_metadata*)(((char *)(meta)) + \
				   (meta)->event_len))

#define FAN_EVENT_OK(meta, len)	((long)(len) >= (long)FAN_EVENT_METADATA_LEN && \
				(long)(meta)->event_len >= (long)FAN_EVENT_METADATA_LEN && \
				(long)(meta)->event_len <= (long)(len))

#endif /* _UAPI_LINUX_FANOTIFY_H */
