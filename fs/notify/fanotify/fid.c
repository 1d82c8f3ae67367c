// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify file-handle (FID) reporting: events of groups that identify
 * objects by filesystem id and file handle instead of an open fd, and the
 * checks that a marked filesystem can produce such ids.
 *
 * A FID event is built when it happens and pins nothing: an fd would keep
 * a deleted file alive and cannot name an entry that no longer exists, a
 * handle and a name can.  What an event identifies depends on the event
 * and on the group's FAN_REPORT_* flags; see fill_slots().
 */

#include <linux/dcache.h>
#include <linux/exportfs.h>
#include <linux/jhash.h>
#include <linux/memcontrol.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/statfs.h>

#include "../fsnotify.h"
#include "fanotify.h"

/**
 * fanotify_encode_fh() - encode the file handle of an inode
 * @inode: the object; may be NULL
 * @buf: where to put the handle, or NULL to learn its length only
 * @room: bytes available at @buf
 * @type: gets the handle type
 *
 * With @buf NULL (and @room 0) only the length is computed.
 *
 * Return: the handle's length in bytes, or 0 if the inode has none that
 * fits in @room (or in MAX_HANDLE_SZ, when only the length is asked for).
 */
int fanotify_encode_fh(struct inode *inode, void *buf, int room, u8 *type)
{
	int dwords = room >> 2;
	int fh_type;

	if (!inode)
		return 0;
	fh_type = exportfs_encode_fid(inode, buf, &dwords);
	if (!buf) {
		/* Asking with no room reports how much is needed. */
		return dwords > 0 && dwords << 2 <= MAX_HANDLE_SZ ? dwords << 2 : 0;
	}
	/* struct file_handle carries the type and length in a byte each here. */
	if (fh_type <= 0 || fh_type >= FILEID_INVALID ||
	    dwords <= 0 || dwords << 2 > room) {
		pr_warn_ratelimited("fanotify: cannot encode a file handle (type %d, %d bytes)\n",
				    fh_type, dwords << 2);
		return 0;
	}
	*type = fh_type;
	return dwords << 2;
}

/**
 * fanotify_iter_fsid() - the filesystem id of an event's object
 * @iter_info: the marks that matched
 * @fsid: gets the id cached in the first mark that has one
 *
 * Every mark of a FID group caches the fsid of its object's filesystem
 * when it is created, so no filesystem call is needed per event.  @fsid
 * is zeroed if no mark has one.
 */
void fanotify_iter_fsid(struct fsnotify_iter_info *iter_info,
			__kernel_fsid_t *fsid)
{
	struct fsnotify_mark *mark;
	int type;

	fsnotify_foreach_iter_mark_type(iter_info, mark, type) {
		if (mark->flags & FSNOTIFY_MARK_FLAG_HAS_FSID) {
			*fsid = to_fanotify_mark(mark)->fsid;
			return;
		}
	}
	memset(fsid, 0, sizeof(*fsid));
}

/* What one slot of a new event is to identify. */
struct slot_source {
	struct inode *inode;
	const struct qstr *name;
};

/*
 * Decide which objects an event identifies, following upstream's rules:
 *
 * - The object of a directory-entry event (create, delete, move) is the
 *   directory, unless FAN_REPORT_TARGET_FID asks for the entry itself.
 * - With FAN_REPORT_DIR_FID, a directory is reported in the DIR slot: the
 *   modified directory, the directory the event happened on, or the parent
 *   of a non-directory the event was reported to.  The object then moves
 *   there, and the child is kept in the OBJECT slot only when the group
 *   also asked for it (FAN_REPORT_FID, or FAN_REPORT_TARGET_FID for entry
 *   events).
 * - Names go with the DIR slot, and only with FAN_REPORT_NAME.
 * - FAN_RENAME reports the old directory and name to a mark on the old
 *   directory, the new ones to a mark on the new directory, and both to a
 *   filesystem mark.
 *
 * Return: whether the event names a directory entry, that is uses the DIR
 * or NEW_DIR slot; otherwise only the OBJECT slot is used.
 */
static bool fill_slots(struct slot_source *src, unsigned int fid_mode, u32 mask,
		       const void *data, int data_type, struct inode *dir,
		       const struct qstr *name, unsigned int matched_types)
{
	struct inode *inode = fsnotify_data_inode(data, data_type);
	bool entry_event = mask & ALL_FSNOTIFY_DIRENT_EVENTS;
	bool on_dir = mask & FAN_ONDIR;
	struct inode *object, *parent, *old_parent, *child = NULL;
	bool wants_name_slot = false;
	bool want_child;

	memset(src, 0, sizeof(*src) * FANOTIFY_SLOTS);

	object = (entry_event && !(fid_mode & FAN_REPORT_TARGET_FID)) ? dir : inode;
	if (entry_event)
		parent = dir;
	else if (inode && S_ISDIR(inode->i_mode))
		parent = inode;
	else
		parent = dir;

	if (!(fid_mode & FAN_REPORT_DIR_FID) || !parent) {
		src[FANOTIFY_SLOT_OBJECT].inode = object;
		return false;
	}

	if (entry_event)
		want_child = fid_mode & FAN_REPORT_TARGET_FID;
	else
		want_child = (fid_mode & FAN_REPORT_FID) && !on_dir;
	if (want_child && object != parent)
		child = object;

	if (!(fid_mode & FAN_REPORT_NAME)) {
		/* Two handles and no name still need the DIR slot. */
		wants_name_slot = child;
		name = NULL;
	} else if (entry_event || !on_dir) {
		wants_name_slot = true;
	}

	old_parent = parent;
	if (mask & FAN_RENAME) {
		bool whole_fs = matched_types & BIT(FSNOTIFY_ITER_TYPE_SB);

		if (whole_fs || (matched_types & BIT(FSNOTIFY_ITER_TYPE_INODE2))) {
			struct dentry *moved = fsnotify_data_dentry(data, data_type);

			if (moved) {
				src[FANOTIFY_SLOT_NEW_DIR].inode = d_inode(moved->d_parent);
				src[FANOTIFY_SLOT_NEW_DIR].name = &moved->d_name;
			}
		}
		if (!whole_fs && !(matched_types & BIT(FSNOTIFY_ITER_TYPE_INODE))) {
			old_parent = NULL;
			name = NULL;
		}
	}

	if (wants_name_slot &&
	    (name || child || src[FANOTIFY_SLOT_NEW_DIR].inode)) {
		src[FANOTIFY_SLOT_DIR].inode = old_parent;
		src[FANOTIFY_SLOT_DIR].name = name;
		src[FANOTIFY_SLOT_OBJECT].inode = child;
		return true;
	}
	/* A directory reporting on itself: the directory is the object. */
	memset(&src[FANOTIFY_SLOT_NEW_DIR], 0, sizeof(src[0]));
	src[FANOTIFY_SLOT_OBJECT].inode = parent;
	return false;
}

/*
 * Room for an event built on the stack: the handles and names of nearly all
 * events fit (two handles and two short names for FAN_RENAME).
 */
#define FID_EARLY_EVENT_SIZE	192

/*
 * Allocate @size bytes for an event of @group, charged to its memcg: the
 * accessing task pays nothing, the listener that asked for the event does.
 */
static struct fanotify_fid_event *fid_event_mem(struct fsnotify_group *group,
						size_t size)
{
	struct fanotify_fid_event *fe;
	struct mem_cgroup *old_memcg;

	old_memcg = set_active_memcg(group->memcg);
	fe = kmalloc(size, fanotify_event_gfp(group));
	set_active_memcg(old_memcg);
	return fe;
}

/**
 * fanotify_fid_event_queue() - report an event of a group that reports
 *	file handles
 * @group: the group; memory is charged to its memcg
 * @mask: the FAN_* bits to report, with FAN_ONDIR for a directory
 * @data: the fsnotify core's event data
 * @data_type: FSNOTIFY_EVENT_*
 * @dir: the directory of a directory-entry event, or the watched parent
 * @name: the entry's name, with @dir
 * @matched_types: BIT(FSNOTIFY_ITER_TYPE_*) of the marks that matched
 * @fsid: the object's filesystem id
 *
 * Most occurrences fold into an unread event that names the same objects:
 * a small event is built on the stack and compared first, and only copied
 * to memory of its own when it needs a place in the queue.  Failure to
 * allocate is reported as a queue overflow.
 */
void fanotify_fid_event_queue(struct fsnotify_group *group, u32 mask,
			      const void *data, int data_type,
			      struct inode *dir, const struct qstr *name,
			      unsigned int matched_types,
			      const __kernel_fsid_t *fsid)
{
	union {
		struct fanotify_fid_event fe;
		u8 bytes[FID_EARLY_EVENT_SIZE];
	} early;
	struct slot_source src[FANOTIFY_SLOTS];
	int fh_len[FANOTIFY_SLOTS] = {};
	size_t fh_bytes = 0, name_bytes = 0, size;
	struct fanotify_fid_event *fe, *copy;
	unsigned int fh_at, name_at;
	bool names_entry;
	u8 unused;
	u32 key;
	int i;

	names_entry = fill_slots(src, group_fid_mode(group), mask, data,
				 data_type, dir, name, matched_types);

	for (i = 0; i < FANOTIFY_SLOTS; i++) {
		/* Most events use one slot: no call for the empty ones. */
		if (!src[i].inode)
			continue;
		fh_len[i] = fanotify_encode_fh(src[i].inode, NULL, 0, &unused);
		if (!fh_len[i])
			continue;
		fh_bytes += fh_len[i];
		if (src[i].name && src[i].name->len)
			name_bytes += src[i].name->len + 1;
	}
	if (WARN_ON_ONCE(fh_bytes + name_bytes > U16_MAX))
		goto overflow;

	size = struct_size(fe, data, fh_bytes + name_bytes);
	if (size <= sizeof(early)) {
		fe = &early.fe;
	} else {
		fe = fid_event_mem(group, size);
		if (!fe)
			goto overflow;
	}

	memset(fe->slot, 0, sizeof(fe->slot));
	fe->fsid = *fsid;
	fe->names_entry = names_entry;
	/* Handles first, names after them: every handle stays aligned. */
	fh_at = 0;
	name_at = fh_bytes;
	for (i = 0; i < FANOTIFY_SLOTS; i++) {
		struct fanotify_fid_slot *slot = &fe->slot[i];
		u8 type;

		if (!fh_len[i])
			continue;
		/* A handle that changed size since it was measured is dropped. */
		if (fanotify_encode_fh(src[i].inode, fe->data + fh_at, fh_len[i],
				       &type) != fh_len[i])
			continue;
		slot->fh_type = type;
		slot->fh_len = fh_len[i];
		slot->fh_offset = fh_at;
		fh_at += fh_len[i];
		if (src[i].name && src[i].name->len) {
			slot->name_len = src[i].name->len;
			slot->name_offset = name_at;
			memcpy(fe->data + name_at, src[i].name->name, slot->name_len);
			fe->data[name_at + slot->name_len] = '\0';
			name_at += slot->name_len + 1;
		}
	}
	/* Zero the room of a dropped handle: data is hashed and compared. */
	memset(fe->data + fh_at, 0, fh_bytes - fh_at);
	fe->data_len = name_at;
	key = jhash(fe->data, fe->data_len,
		    jhash_2words(fsid->val[0], fsid->val[1], 0));

	if (fe != &early.fe) {
		fanotify_event_init(group, &fe->ev, mask, key);
		fanotify_event_queue(group, &fe->ev);
		return;
	}

	fanotify_event_init_early(group, &fe->ev, mask, key);
	if (fanotify_event_fold_early(group, &fe->ev))
		return;
	copy = fid_event_mem(group, size);
	if (!copy)
		goto overflow;
	memcpy(copy, fe, size);
	fanotify_event_adopt(&copy->ev);
	fanotify_event_queue(group, &copy->ev);
	return;

overflow:
	fsnotify_queue_overflow(group);
}

/**
 * fanotify_fid_event_equal() - whether two FID events name the same objects
 * @a: a queued event
 * @b: a new event
 *
 * Events whose primary handle (the directory of an event that names an
 * entry, the object otherwise) could not be encoded never compare equal:
 * nothing says they are about the same object.
 *
 * Return: true if @b may be folded into @a.
 */
bool fanotify_fid_event_equal(const struct fanotify_fid_event *a,
			      const struct fanotify_fid_event *b)
{
	int primary = a->names_entry ? FANOTIFY_SLOT_DIR : FANOTIFY_SLOT_OBJECT;

	if (!a->slot[primary].fh_len)
		return false;
	return same_fsid(&a->fsid, &b->fsid) && a->data_len == b->data_len &&
	       a->names_entry == b->names_entry &&
	       !memcmp(a->slot, b->slot, sizeof(a->slot)) &&
	       !memcmp(a->data, b->data, a->data_len);
}

/**
 * fanotify_fid_check_target() - whether a FID group can mark an object
 * @group: a group that reports file handles
 * @obj_type: FSNOTIFY_OBJ_TYPE_* of the mark
 * @dentry: the object
 * @fsid: gets the filesystem id to cache in the mark
 * @weak: gets whether @fsid does not identify the filesystem uniquely
 *
 * Handles are only useful with an fsid that tells filesystems apart: a
 * zero fsid (ENODEV) or one that differs from the filesystem root's, as
 * btrfs subvolumes do (EXDEV), is refused except for inode marks, where
 * the listener knows the object anyway.  A filesystem must be able to
 * encode handles, and for mount and filesystem marks also to decode them,
 * or the listener could never find out what an event is about
 * (EOPNOTSUPP).
 *
 * Return: 0 or -errno.
 */
int fanotify_fid_check_target(struct fsnotify_group *group,
			      unsigned int obj_type, struct dentry *dentry,
			      __kernel_fsid_t *fsid, bool *weak)
{
	const struct export_operations *ops = dentry->d_sb->s_export_op;
	bool inode_mark = obj_type == FSNOTIFY_OBJ_TYPE_INODE;
	__kernel_fsid_t root_fsid;
	int err;

	err = vfs_get_fsid(dentry, fsid);
	if (err)
		return err;
	*weak = true;
	if (!fsid->val[0] && !fsid->val[1]) {
		if (!inode_mark)
			return -ENODEV;
	} else {
		err = vfs_get_fsid(dentry->d_sb->s_root, &root_fsid);
		if (err)
			return err;
		if (same_fsid(fsid, &root_fsid))
			*weak = false;
		else if (!inode_mark)
			return -EXDEV;
	}

	if (!exportfs_can_encode_fid(ops))
		return -EOPNOTSUPP;
	if (!inode_mark && !exportfs_can_decode_fh(ops))
		return -EOPNOTSUPP;
	return 0;
}

/**
 * fanotify_fid_set_mark_fsid() - cache the fsid in a new mark of a FID group
 * @group: the group, mark_mutex held
 * @fmark: the new mark, not attached yet
 * @sb: the filesystem of the marked object
 * @fsid: its id, from fanotify_fid_check_target()
 * @weak: whether @fsid is weak
 *
 * A group may watch several filesystems with unique fsids, but records
 * with a weak fsid are only unambiguous if every mark of the group is on
 * the same filesystem (and the same btrfs subvolume), with the same kind
 * of fsid.
 *
 * Return: 0, or -EXDEV if the new mark would make records ambiguous.
 */
int fanotify_fid_set_mark_fsid(struct fsnotify_group *group,
			       struct fanotify_mark *fmark,
			       struct super_block *sb,
			       const __kernel_fsid_t *fsid, bool weak)
{
	struct fsnotify_mark *other;

	fsnotify_group_assert_locked(group);

	fmark->fsid = *fsid;
	fmark->fsn.flags |= FSNOTIFY_MARK_FLAG_HAS_FSID;
	if (weak)
		fmark->fsn.flags |= FSNOTIFY_MARK_FLAG_WEAK_FSID;

	list_for_each_entry(other, &group->marks_list, g_list) {
		struct fsnotify_mark_connector *conn = READ_ONCE(other->connector);
		struct super_block *other_sb;

		if (!conn)
			continue;
		other_sb = fsnotify_connector_sb(conn);
		if (!other_sb)
			continue;
		/* The first attached mark decides for the whole group. */
		if ((other->flags ^ fmark->fsn.flags) & FSNOTIFY_MARK_FLAG_WEAK_FSID)
			return -EXDEV;
		if (!weak)
			return 0;
		if (other_sb != sb ||
		    !same_fsid(&to_fanotify_mark(other)->fsid, fsid))
			return -EXDEV;
		return 0;
	}
	return 0;
}
