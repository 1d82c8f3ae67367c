/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private types of fanotify, shared by the files of fs/notify/fanotify/.
 *
 * The flow of one event, file by file:
 *   match.c  the fsnotify backend: which of a group's marks want the event
 *   event.c  the event object: allocation, merging, the queue
 *   fid.c    file handles: events of groups that report them, fsid checks
 *   error.c  FAN_FS_ERROR events and their pool
 *   mount.c  FAN_MNT_ATTACH/DETACH events and mount namespace marks
 *   record.c the info records that follow an event's metadata
 *   read.c   the listener's fd: read(), poll(), ioctl(), release
 *   init.c   fanotify_init(), limits and sysctls
 *   mark.c   fanotify_mark()
 *   perm.c   permission events: waiting for and applying verdicts
 *   control.c   group controls on the fd: deadlines, excluded processes
 *   watchdog.c  fs.fanotify.watchdog_timeout: logs overdue verdicts
 *
 * Lock order, outermost first:
 *
 *   watched_lock                 (watchdog.c: the list of permission groups)
 *   group->mark_mutex            (fsnotify_group_lock(); marks of a group,
 *                                 a group's excluded processes)
 *     mark->lock                 (a mark's masks and flags)
 *   group->notification_lock     (the event queue, q_len, merge buckets,
 *                                 the mask of every queued event, the
 *                                 pending table and permission states)
 *     decision->settled.lock     (an access's outstanding verdicts, perm.c)
 *
 * Nothing but a waitqueue's own lock (wake_up(), or a decision's) is taken
 * while holding notification_lock, and no fanotify code sleeps with it
 * held.  The fsnotify core calls our handle_event() under
 * fsnotify_mark_srcu only; we may sleep there (allocation).  A task waits
 * for verdicts in fanotify_perm_await(), which the core calls after it has
 * left the SRCU read side (fsnotify_prepare_user_wait()).
 */
#ifndef _FS_NOTIFY_FANOTIFY_H
#define _FS_NOTIFY_FANOTIFY_H

#include <linux/exportfs.h>
#include <linux/fanotify.h>
#include <linux/fsnotify_backend.h>
#include <linux/mempool.h>
#include <linux/path.h>
#include <linux/pid.h>
#include <linux/sched.h>

#include "limits.h"

struct mnt_namespace;
struct seq_file;

/**
 * struct fanotify_listener - fanotify's state of one group
 * @ucounts: the user's group count, charged at fanotify_init() and given
 *	back when the group is freed; marks are charged to it too
 * @merge_buckets: queued events not yet read, hashed by object, so that a
 *	new event can find an identical one to fold into without walking the
 *	whole queue [group->notification_lock]
 * @merge_hints: per merge bucket, a byte of the merge key of the event
 *	queued last into it; read without a lock, only to guess whether a new
 *	event is worth trying to fold before it is allocated [written under
 *	group->notification_lock]
 * @error_pool: FAN_FS_ERROR events, set up when the first mark asks for
 *	them [group->mark_mutex to set up]
 * @error_pool_ready: @error_pool may be used; set with release semantics
 *	once it is set up, since event handlers find it without the mutex
 * @creator: the thread group that called fanotify_init(), named in the
 *	messages about this group (a reference is held)
 * @creator_comm: the creator's command name at that time
 * @deadline_msecs: FAN_DEADLINE: longest wait for a verdict, 0 for none
 *	[group->notification_lock]
 * @deadline_response: FAN_DEADLINE: verdict applied when the time runs out
 *	[group->notification_lock]
 * @expired: FAN_DEADLINE: permission events whose time ran out
 *	[group->notification_lock to change]
 * @cache_failed: FAN_RESPONSE_BATCH: FAN_CACHE verdicts of a batch that
 *	could not be remembered [group->notification_lock to change]
 * @next_perm_id: FAN_PERM_NO_FD: the id the next permission event read is
 *	given, if no pending event has it [group->notification_lock]
 * @spare_perm: the last permission event freed, kept for the next one to
 *	reuse; NULL if none [xchg()]
 * @excluded: FAN_EXCLUDE_SELF: thread groups whose accesses raise no event
 *	for this group, a reference held on each; NULL slots are free
 *	[group->mark_mutex to change; read without a lock, see control.c]
 * @watchdog_link: membership of the watchdog's list of permission groups
 *	[watchdog.c's watched_lock]
 * @group: the group this is the state of, for the watchdog
 * @pending: permission events read by the listener and not yet answered,
 *	hashed by the fd their record carried, in the order they were read
 *	[group->notification_lock]; FANOTIFY_PENDING_BUCKETS of them in a
 *	group of a permission class, none in a notification group, whose
 *	listener is then smaller and cheaper to set up
 *
 * Allocated by fanotify_init() and freed with the group (free_group_priv),
 * after the queue was flushed.  Reached through
 * group->fanotify_data.listener.
 */
struct fanotify_listener {
	struct ucounts *ucounts;
	struct hlist_head merge_buckets[FANOTIFY_MERGE_BUCKETS];
	u8 merge_hints[FANOTIFY_MERGE_BUCKETS];
	mempool_t error_pool;
	bool error_pool_ready;
	struct pid *creator;
	char creator_comm[TASK_COMM_LEN];
#ifdef CONFIG_FANOTIFY_ACCESS_PERMISSIONS
	unsigned int deadline_msecs;
	u32 deadline_response;
	unsigned long expired;
	unsigned long cache_failed;
	int next_perm_id;
	struct fanotify_perm_event *spare_perm;
	struct list_head watchdog_link;
	struct fsnotify_group *group;
#endif
	struct pid *excluded[FANOTIFY_MAX_EXCLUDED];
	struct list_head pending[];
};

struct fanotify_perm_event;

/**
 * struct fanotify_event - what every queued event has
 * @fse: the fsnotify core's queue link [group->notification_lock]; a
 *	permission event that was read is linked by it into the listener's
 *	pending table instead
 * @mask: the FAN_* bits to report; grows while later identical events are
 *	folded into it [group->notification_lock while queued]; a permission
 *	event's mask never changes and says what kind of event this is
 * @merge_key: hash of everything that identifies the occurrence (object,
 *	acting process, directory or not); picks the merge bucket
 * @expires: a permission event's deadline, in jiffies (the low 32 bits:
 *	deadlines are at most an hour away); 0 for none [the waiter only]
 * @merge_link: membership of a merge bucket, from queueing until read()
 *	takes the event off the queue [group->notification_lock]
 * @decision: a permission event's access, which an answer updates; NULL
 *	once the waiter stopped waiting for this copy
 *	[group->notification_lock]
 * @next_asked: the next copy of the same access, in the waiter's list
 *	[the waiter only]
 * @pid: the acting thread group (or thread, FAN_REPORT_TID); a reference
 *	is held; NULL for the overflow event
 *
 * A permission event is never folded, so it keeps its own fields where a
 * notification event keeps what folding needs: a pending permission event
 * then costs no more memory than upstream's.
 *
 * The rest of an event depends on its kind (enum fanotify_event_kind),
 * which follows from the group's reporting mode and the mask, so it is not
 * stored.  Owned by the queue from fanotify_event_queue() until read() or
 * the group's destruction takes it off; freed by fanotify_event_free().
 */
struct fanotify_event {
	struct fsnotify_event fse;
	u32 mask;
	union {
		u32 merge_key;
		u32 expires;
	};
	union {
		struct hlist_node merge_link;
		struct {
			struct fsnotify_perm_decision *decision;
			struct fanotify_perm_event *next_asked;
		};
	};
	struct pid *pid;
};

/**
 * enum fanotify_event_kind - how an event names its object
 * @FANOTIFY_KIND_BARE: nothing to name: the overflow event
 * @FANOTIFY_KIND_PATH: a path, opened for the listener at read() time;
 *	struct fanotify_path_event or struct fanotify_perm_event
 * @FANOTIFY_KIND_FID: file handles and names; struct fanotify_fid_event
 * @FANOTIFY_KIND_ERROR: a filesystem error; struct fanotify_error_event
 * @FANOTIFY_KIND_MNT: a mount, by id; struct fanotify_mnt_event
 */
enum fanotify_event_kind {
	FANOTIFY_KIND_BARE,
	FANOTIFY_KIND_PATH,
	FANOTIFY_KIND_FID,
	FANOTIFY_KIND_ERROR,
	FANOTIFY_KIND_MNT,
};

/**
 * struct fanotify_path_event - an event of a group that reports fds
 * @ev: the common part
 * @path: the object, pinned so that read() can open an fd on it
 */
struct fanotify_path_event {
	struct fanotify_event ev;
	struct path path;
};

/*
 * The objects a FID event may identify, in the order their info records
 * are reported: the directory of a name (the old one for FAN_RENAME), the
 * new directory of FAN_RENAME, and the object itself.
 */
enum fanotify_fid_slot_index {
	FANOTIFY_SLOT_DIR,
	FANOTIFY_SLOT_NEW_DIR,
	FANOTIFY_SLOT_OBJECT,
	FANOTIFY_SLOTS
};

/**
 * struct fanotify_fid_slot - one object of a FID event
 * @fh_type: file handle type, as the filesystem's encoder returned it
 * @fh_len: bytes of the file handle; 0 if the slot is unused
 * @name_len: bytes of the name, without its NUL; 0 if no name
 * @fh_offset: where the handle starts in the event's data
 * @name_offset: where the NUL-terminated name starts in the event's data
 */
struct fanotify_fid_slot {
	u8 fh_type;
	u8 fh_len;
	u16 name_len;
	u16 fh_offset;
	u16 name_offset;
};

/**
 * struct fanotify_fid_event - an event of a group that reports file handles
 * @ev: the common part
 * @fsid: the filesystem id cached in the mark that matched
 * @slot: which objects are identified, see enum fanotify_fid_slot_index
 * @data_len: bytes used in @data
 * @names_entry: whether the event names a directory entry (uses the DIR or
 *	NEW_DIR slot), even if a handle there could not be encoded
 * @data: the handles of the slots, then their names; handles are multiples
 *	of 4 bytes and come first, so each is 4-byte aligned as the
 *	filesystems' encoders expect
 *
 * Handles are encoded when the event happens: the objects are not pinned,
 * so the listener can be told about an object that is long gone.
 */
struct fanotify_fid_event {
	struct fanotify_event ev;
	__kernel_fsid_t fsid;
	struct fanotify_fid_slot slot[FANOTIFY_SLOTS];
	u16 data_len;
	bool names_entry;
	unsigned char data[] __aligned(4);
};

/**
 * struct fanotify_error_event - a filesystem reported corruption or an I/O
 *	error (FAN_FS_ERROR)
 * @ev: the common part
 * @fsid: the filesystem id cached in the mark that matched
 * @error: the first error reported, a positive errno
 * @count: how many errors were folded into this event [notification_lock]
 * @fh_type: type of @fh; FILEID_INVALID when no inode was involved
 * @fh_len: bytes of @fh
 * @fh: the handle of the inode the filesystem blamed, aligned for the
 *	filesystems' encoders
 *
 * Taken from the group's pool of error events (see error.c): filesystems
 * report errors from contexts where a failed allocation would lose them.
 */
struct fanotify_error_event {
	struct fanotify_event ev;
	__kernel_fsid_t fsid;
	int error;
	u32 count;
	u8 fh_type;
	u8 fh_len;
	unsigned char fh[MAX_HANDLE_SZ] __aligned(4);
};

/**
 * struct fanotify_mnt_event - a mount entered or left a marked namespace
 * @ev: the common part
 * @mnt_id: the mount's unique id; the mount itself is not pinned (a
 *	detached one is about to be freed)
 */
struct fanotify_mnt_event {
	struct fanotify_event ev;
	u64 mnt_id;
};

static inline bool same_fsid(const __kernel_fsid_t *a, const __kernel_fsid_t *b)
{
	return a->val[0] == b->val[0] && a->val[1] == b->val[1];
}

static inline struct fanotify_event *to_fanotify_event(struct fsnotify_event *fse)
{
	return container_of(fse, struct fanotify_event, fse);
}

static inline struct fanotify_path_event *to_path_event(struct fanotify_event *event)
{
	return container_of(event, struct fanotify_path_event, ev);
}

static inline struct fanotify_fid_event *to_fid_event(struct fanotify_event *event)
{
	return container_of(event, struct fanotify_fid_event, ev);
}

static inline struct fanotify_error_event *to_error_event(struct fanotify_event *event)
{
	return container_of(event, struct fanotify_error_event, ev);
}

static inline struct fanotify_mnt_event *to_mnt_event(struct fanotify_event *event)
{
	return container_of(event, struct fanotify_mnt_event, ev);
}

/**
 * struct fanotify_mark - a mark of a fanotify group
 * @fsn: the fsnotify core's mark
 * @fsid: for groups that report file handles, the id of the filesystem the
 *	marked object lives on, cached when the mark was created so that
 *	events need not ask the filesystem (statfs may sleep or fail)
 */
struct fanotify_mark {
	struct fsnotify_mark fsn;
	__kernel_fsid_t fsid;
};

static inline struct fanotify_mark *to_fanotify_mark(struct fsnotify_mark *mark)
{
	return container_of(mark, struct fanotify_mark, fsn);
}

/**
 * enum fanotify_perm_state - where a permission event is in its life
 * @FANOTIFY_PERM_QUEUED: on the queue, not read yet
 * @FANOTIFY_PERM_REPORTED: read, in the listener's pending table
 * @FANOTIFY_PERM_ANSWERED: has a verdict; the waiter frees it
 * @FANOTIFY_PERM_ABANDONED: the waiter was killed after the event was
 *	read; whoever removes it from the pending table frees it
 * @FANOTIFY_PERM_EXPIRED: the group's deadline ran out after the event was
 *	read; as ABANDONED, but a late answer is refused with ETIMEDOUT
 */
enum fanotify_perm_state {
	FANOTIFY_PERM_QUEUED,
	FANOTIFY_PERM_REPORTED,
	FANOTIFY_PERM_ANSWERED,
	FANOTIFY_PERM_ABANDONED,
	FANOTIFY_PERM_EXPIRED,
};

/**
 * struct fanotify_perm_event - one group's copy of an access that waits
 * @pev: the event as queued and read; its common part holds the access's
 *	decision, the waiter's list and the deadline (see struct
 *	fanotify_event)
 * @group: the group asked; the waiter holds a reference on it until the
 *	copy is freed or handed to the listener
 * @fd: the fd the listener got with the event, its key for the verdict
 *	(the id of a FAN_PERM_NO_FD event) [group->notification_lock]
 * @reader: the thread group that read the event, as the watchdog names
 *	it (a number in the initial namespace: nothing is pinned)
 * @rule: once ANSWERED: what the listener said about its verdict
 *	(FAN_INFO), allocated by the answer and freed with the event; NULL
 *	if it said nothing
 * @response: the verdict, FAN_ALLOW or FAN_DENY with FAN_AUDIT, and the
 *	errno of FAN_DENY_ERRNO()
 * @state: an enum fanotify_perm_state, kept in a byte
 *	[group->notification_lock]
 * @on_expiry: the group's policy when it was asked: FAN_ALLOW or FAN_DENY,
 *	possibly with FAN_AUDIT (all below 0x100)
 * @watchdog_scans: how many watchdog scans found it unanswered, up to 2:
 *	it was then reported [group->notification_lock]
 * @extended: the event is the @pe of a struct fanotify_perm_ext_event
 *
 * One per waiting task and group, so their number is bounded by the number
 * of tasks blocked in an access; that is why they bypass the queue limit.
 * @fd and @reader serve only until the answer, @rule only after it, so they
 * share their room: a pending event is charged no more than upstream's.
 */
struct fanotify_perm_event {
	struct fanotify_path_event pev;
	struct fsnotify_group *group;
	union {
		struct {
			int fd;
			pid_t reader;
		};
		struct fanotify_response_info_audit_rule *rule;
	};
	u32 response;
	u8 state;
	u8 on_expiry;
	u8 watchdog_scans;
	bool extended;
};

/**
 * struct fanotify_perm_ext_event - a permission event that reports more
 *	than its object: the file range of a pre-content event, the file
 *	handle of a FAN_PERM_NO_FD group's event
 * @pe: the event
 * @range_pos: FAN_PRE_ACCESS: first byte of the range about to be
 *	accessed, or FANOTIFY_NO_RANGE if the event reports none
 * @range_count: FAN_PRE_ACCESS: bytes in that range
 * @fsid: FAN_PERM_NO_FD: the id of the object's filesystem, from the mark
 * @fh_type: FAN_PERM_NO_FD: type of @fh
 * @fh_len: FAN_PERM_NO_FD: bytes of @fh; 0 if the object could not be
 *	encoded (the record then says FILEID_INVALID, as FID records do)
 * @fh: FAN_PERM_NO_FD: the object's file handle, encoded when asked:
 *	read() sizes records under the group's spinlock and may not sleep to
 *	encode it
 *
 * The common permission event, an open in an fd-reporting group, does not
 * pay for these: such events come from a cache of their own.
 */
struct fanotify_perm_ext_event {
	struct fanotify_perm_event pe;
	loff_t range_pos;
	u64 range_count;
	__kernel_fsid_t fsid;
	u8 fh_type;
	u8 fh_len;
	unsigned char fh[MAX_HANDLE_SZ] __aligned(4);
};

/* range_pos of a permission event that reports no range. */
#define FANOTIFY_NO_RANGE	((loff_t)-1)

static inline bool fanotify_is_perm_event(const struct fanotify_event *event)
{
	return event->mask & FANOTIFY_PERM_EVENTS;
}

static inline struct fanotify_perm_event *to_perm_event(struct fanotify_event *event)
{
	return container_of(event, struct fanotify_perm_event, pev.ev);
}

static inline struct fanotify_perm_ext_event *
to_perm_ext_event(struct fanotify_perm_event *pe)
{
	return container_of(pe, struct fanotify_perm_ext_event, pe);
}

static inline struct fanotify_listener *group_listener(struct fsnotify_group *group)
{
	return group->fanotify_data.listener;
}

static inline bool group_has_flag(struct fsnotify_group *group, unsigned int flag)
{
	return group->fanotify_data.flags & flag;
}

/* The FAN_REPORT_* flags that select file-handle records; 0 in fd mode. */
static inline unsigned int group_fid_mode(struct fsnotify_group *group)
{
	return group->fanotify_data.flags & FANOTIFY_FID_BITS;
}

/*
 * A permission event is a path event in every group: the waiting task pins
 * its object.  A FAN_PERM_NO_FD group reports it by handle all the same.
 */
static __always_inline enum fanotify_event_kind
fanotify_event_kind(struct fsnotify_group *group, const struct fanotify_event *event)
{
	if (event->mask & FAN_Q_OVERFLOW)
		return FANOTIFY_KIND_BARE;
	if (event->mask & FAN_FS_ERROR)
		return FANOTIFY_KIND_ERROR;
	if (event->mask & FANOTIFY_MOUNT_EVENTS)
		return FANOTIFY_KIND_MNT;
	if (group_fid_mode(group) && !(event->mask & FANOTIFY_PERM_EVENTS))
		return FANOTIFY_KIND_FID;
	return FANOTIFY_KIND_PATH;
}

/* A permission event reported by file handle and answered by id. */
static inline bool fanotify_event_by_handle(struct fsnotify_group *group,
					    const struct fanotify_event *event)
{
	return group_fid_mode(group) && (event->mask & FANOTIFY_PERM_EVENTS);
}

/**
 * fanotify_mark_user_flags() - the FAN_MARK_* flags a mark shows in fdinfo
 * @mark: a mark of a fanotify group
 *
 * Return: the flags that describe how @mark behaves, as user space set them.
 */
static inline unsigned int fanotify_mark_user_flags(struct fsnotify_mark *mark)
{
	static const struct {
		unsigned int core;
		unsigned int user;
	} shown[] = {
		{ FSNOTIFY_MARK_FLAG_IGNORED_SURV_MODIFY, FAN_MARK_IGNORED_SURV_MODIFY },
		{ FSNOTIFY_MARK_FLAG_NO_IREF, FAN_MARK_EVICTABLE },
		{ FSNOTIFY_MARK_FLAG_HAS_IGNORE_FLAGS, FAN_MARK_IGNORE },
		{ FSNOTIFY_MARK_FLAG_SUBTREE, FAN_MARK_SUBTREE },
	};
	unsigned int user = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(shown); i++)
		if (mark->flags & shown[i].core)
			user |= shown[i].user;
	return user;
}

/* init.c */
extern struct kmem_cache *fanotify_mark_cache;

/* match.c */
extern const struct fsnotify_ops fanotify_fsnotify_ops;

/* event.c */
int __init fanotify_event_cache_init(void);
gfp_t fanotify_event_gfp(struct fsnotify_group *group);
void fanotify_event_init(struct fsnotify_group *group,
			 struct fanotify_event *event, u32 mask, u32 object_key);
void fanotify_path_event_init(struct fsnotify_group *group,
			      struct fanotify_path_event *pev, u32 mask,
			      const struct path *path);
void fanotify_event_init_early(struct fsnotify_group *group,
			       struct fanotify_event *event, u32 mask,
			       u32 object_key);
void fanotify_event_adopt(struct fanotify_event *event);
bool fanotify_event_fold_early(struct fsnotify_group *group,
			       struct fanotify_event *event);
void fanotify_path_event_queue(struct fsnotify_group *group, u32 mask,
			       const struct path *path);
struct fanotify_event *fanotify_event_alloc_overflow(void);
void fanotify_event_queue(struct fsnotify_group *group,
			  struct fanotify_event *event);
struct fanotify_event *fanotify_event_take(struct fsnotify_group *group,
					   size_t room, size_t *record_len);
void fanotify_event_free(struct fsnotify_group *group,
			 struct fsnotify_event *fse);

/* fid.c */
int fanotify_encode_fh(struct inode *inode, void *buf, int room, u8 *type);
void fanotify_iter_fsid(struct fsnotify_iter_info *iter_info,
			__kernel_fsid_t *fsid);
void fanotify_fid_event_queue(struct fsnotify_group *group, u32 mask,
			      const void *data, int data_type,
			      struct inode *dir, const struct qstr *name,
			      unsigned int matched_types,
			      const __kernel_fsid_t *fsid);
bool fanotify_fid_event_equal(const struct fanotify_fid_event *a,
			      const struct fanotify_fid_event *b);
int fanotify_fid_check_target(struct fsnotify_group *group,
			      unsigned int obj_type, struct dentry *dentry,
			      __kernel_fsid_t *fsid, bool *weak);
int fanotify_fid_set_mark_fsid(struct fsnotify_group *group,
			       struct fanotify_mark *fmark,
			       struct super_block *sb,
			       const __kernel_fsid_t *fsid, bool weak);

/* error.c */
int fanotify_error_pool_init(struct fsnotify_group *group);
void fanotify_error_pool_exit(struct fanotify_listener *listener);
struct fanotify_event *fanotify_error_event_alloc(struct fsnotify_group *group,
						  const void *data,
						  int data_type,
						  const __kernel_fsid_t *fsid);
void fanotify_error_event_free(struct fsnotify_group *group,
			       struct fanotify_error_event *ee);

/* mount.c */
struct fanotify_event *fanotify_mnt_event_alloc(struct fsnotify_group *group,
						u32 mask, u64 mnt_id);
void fanotify_mnt_event_free(struct fanotify_mnt_event *me);
struct mnt_namespace *fanotify_mntns_target(const struct path *path);

/* record.c */
bool fanotify_event_has_records(struct fsnotify_group *group,
				struct fanotify_event *event);
size_t fanotify_event_record_len(struct fsnotify_group *group,
				 struct fanotify_event *event);
int fanotify_emit_record(struct fsnotify_group *group,
			 struct fanotify_event *event,
			 const struct fanotify_event_metadata *meta,
			 int pidfd, int perm_id, char __user *buf);

/* mark.c */
int fanotify_mark_cache_allow(struct fsnotify_group *group,
			      struct inode *inode, bool survive_modify,
			      const __kernel_fsid_t *fsid);

/* read.c */
extern const struct file_operations fanotify_fops;

/* control.c */
int fanotify_control_init(struct fsnotify_group *group);
void fanotify_control_exit(struct fanotify_listener *listener);
long fanotify_control_ioctl(struct fsnotify_group *group, unsigned int cmd,
			    void __user *arg);
bool fanotify_access_excluded(struct fsnotify_group *group);
void fanotify_show_controls(struct seq_file *m, struct fsnotify_group *group);

/* perm.c */
#ifdef CONFIG_FANOTIFY_ACCESS_PERMISSIONS
int __init fanotify_perm_cache_init(void);
int fanotify_perm_ask(struct fsnotify_group *group, u32 mask,
		      const struct path *path, const struct file_range *range,
		      const __kernel_fsid_t *fsid,
		      struct fsnotify_iter_info *iter_info);
void fanotify_perm_take_id(struct fsnotify_group *group,
			   struct fanotify_perm_event *pe);
void fanotify_perm_reported(struct fsnotify_group *group,
			    struct fanotify_perm_event *pe, int fd,
			    bool delivered);
void fanotify_perm_event_free(struct fanotify_perm_event *pe);
void fanotify_perm_spare_free(struct fanotify_listener *listener);
ssize_t fanotify_write(struct file *file, const char __user *buf,
		       size_t count, loff_t *pos);
void fanotify_perm_release(struct fsnotify_group *group);
int fanotify_perm_set_deadline(struct fsnotify_group *group,
			       const struct fanotify_deadline *deadline);
void fanotify_perm_get_deadline(struct fsnotify_group *group,
				struct fanotify_deadline *deadline);

/* watchdog.c */
int __init fanotify_watchdog_init(void);
void fanotify_watchdog_add(struct fsnotify_group *group);
void fanotify_watchdog_del(struct fsnotify_group *group);
#else
static inline int fanotify_perm_cache_init(void)
{
	return 0;
}

static inline void fanotify_perm_release(struct fsnotify_group *group)
{
}

static inline void fanotify_perm_spare_free(struct fanotify_listener *listener)
{
}

static inline int fanotify_watchdog_init(void)
{
	return 0;
}

/* Never called: without the option no event is a permission event. */
static inline void fanotify_perm_take_id(struct fsnotify_group *group,
					 struct fanotify_perm_event *pe)
{
}

static inline void fanotify_watchdog_add(struct fsnotify_group *group)
{
}

static inline void fanotify_watchdog_del(struct fsnotify_group *group)
{
}

/* Never called: without the option no event is a permission event. */
static inline void fanotify_perm_reported(struct fsnotify_group *group,
					  struct fanotify_perm_event *pe,
					  int fd, bool delivered)
{
}
#endif

#endif /* _FS_NOTIFY_FANOTIFY_H */
