// SPDX-License-Identifier: GPL-2.0
/*
 * The info records that follow an event's metadata in groups created with
 * FAN_REPORT_FID, FAN_REPORT_DIR_FID, FAN_REPORT_NAME, FAN_REPORT_PIDFD or
 * FAN_REPORT_MNT.
 *
 * Their order and types are ABI (see fanotify(7)):
 *   1. the directory and the entry's name (the old ones for FAN_RENAME),
 *   2. the new directory and name of FAN_RENAME,
 *   3. the object,
 *   4. a pidfd of the acting process,
 *   5. the error of FAN_FS_ERROR,
 *   6. the file range of FAN_PRE_ACCESS (in every group, info modes or
 *      not: the event is useless without it),
 *   7. the mount of FAN_MNT_ATTACH and FAN_MNT_DETACH (FAN_REPORT_MNT),
 *   8. beyond upstream, the id a FAN_PERM_NO_FD permission event is
 *      answered by.
 * Each record is padded with zeros to a multiple of 4 bytes.
 *
 * fanotify_event_record_len() and fanotify_emit_record() make the
 * same decisions, one to size the record, the other to write it; read()
 * relies on them agreeing.
 */

#include <linux/uaccess.h>

#include "fanotify.h"

#define RECORD_ALIGN	4

/* Bytes of a file-identifier record with a handle and maybe a name. */
static size_t fid_record_len(size_t fh_len, size_t name_len)
{
	size_t len = sizeof(struct fanotify_event_info_fid) +
		     sizeof(struct file_handle) + fh_len;

	if (name_len)
		len += name_len + 1;
	return round_up(len, RECORD_ALIGN);
}

/* The handle, type and name of the record of an event's object. */
struct object_record {
	bool present;
	u8 info_type;
	u8 fh_type;
	u8 fh_len;
	const unsigned char *fh;
	const __kernel_fsid_t *fsid;
	const char *name;
	size_t name_len;
};

/*
 * Which record identifies the object.  With FAN_REPORT_FID alone, or after
 * a directory record, it is always FID.  Otherwise the record of a
 * directory tells which directory it is: one reporting on itself in a
 * FAN_REPORT_NAME group is the entry "." of itself.
 */
static void describe_object(struct fsnotify_group *group,
			    struct fanotify_event *event, bool after_dir_record,
			    struct object_record *obj)
{
	unsigned int fid_mode = group_fid_mode(group);

	memset(obj, 0, sizeof(*obj));
	switch (fanotify_event_kind(group, event)) {
	case FANOTIFY_KIND_FID: {
		struct fanotify_fid_event *fe = to_fid_event(event);
		const struct fanotify_fid_slot *slot = &fe->slot[FANOTIFY_SLOT_OBJECT];

		if (!slot->fh_len)
			return;
		obj->fh_type = slot->fh_type;
		obj->fh_len = slot->fh_len;
		obj->fh = fe->data + slot->fh_offset;
		obj->fsid = &fe->fsid;
		break;
	}
	case FANOTIFY_KIND_ERROR: {
		struct fanotify_error_event *ee = to_error_event(event);

		/* Reported even without a handle, so that the fsid is known. */
		obj->fh_type = ee->fh_type;
		obj->fh_len = ee->fh_len;
		obj->fh = ee->fh;
		obj->fsid = &ee->fsid;
		break;
	}
#ifdef CONFIG_FANOTIFY_ACCESS_PERMISSIONS
	case FANOTIFY_KIND_PATH: {
		struct fanotify_perm_ext_event *pfe;

		if (!fanotify_event_by_handle(group, event))
			return;
		pfe = to_perm_ext_event(to_perm_event(event));
		obj->fh_type = pfe->fh_type;
		obj->fh_len = pfe->fh_len;
		obj->fh = pfe->fh;
		obj->fsid = &pfe->fsid;
		break;
	}
#endif
	default:
		return;
	}
	obj->present = true;

	if (fid_mode == FAN_REPORT_FID || after_dir_record) {
		obj->info_type = FAN_EVENT_INFO_TYPE_FID;
	} else if ((fid_mode & FAN_REPORT_NAME) && (event->mask & FAN_ONDIR)) {
		obj->info_type = FAN_EVENT_INFO_TYPE_DFID_NAME;
		obj->name = ".";
		obj->name_len = 1;
	} else if (event->mask & (ALL_FSNOTIFY_DIRENT_EVENTS | FAN_ONDIR)) {
		obj->info_type = FAN_EVENT_INFO_TYPE_DFID;
	} else {
		obj->info_type = FAN_EVENT_INFO_TYPE_FID;
	}
}

/* The directory slots in use; only FID events have them. */
static const struct fanotify_fid_slot *dir_slot(struct fsnotify_group *group,
						struct fanotify_event *event,
						int index)
{
	const struct fanotify_fid_slot *slot;

	if (fanotify_event_kind(group, event) != FANOTIFY_KIND_FID)
		return NULL;
	slot = &to_fid_event(event)->slot[index];
	return slot->fh_len ? slot : NULL;
}

/* Whether @event carries a range record: a pre-content event with one. */
static bool has_range_record(struct fsnotify_group *group,
			     struct fanotify_event *event)
{
#ifdef CONFIG_FANOTIFY_ACCESS_PERMISSIONS
	return (event->mask & FANOTIFY_PRE_CONTENT_EVENTS) &&
	       fanotify_event_kind(group, event) == FANOTIFY_KIND_PATH &&
	       to_perm_event(event)->extended &&
	       to_perm_ext_event(to_perm_event(event))->range_pos !=
	       FANOTIFY_NO_RANGE;
#else
	return false;
#endif
}

/**
 * fanotify_event_has_records() - whether info records follow the metadata
 * @group: the listener's group
 * @event: the event being read
 *
 * Return: true if fanotify_emit_record() has anything to write.
 */
bool fanotify_event_has_records(struct fsnotify_group *group,
				struct fanotify_event *event)
{
	return group_has_flag(group, FANOTIFY_INFO_MODES) ||
	       has_range_record(group, event);
}

/**
 * fanotify_event_record_len() - bytes read() returns for an event
 * @group: the listener's group
 * @event: a queued event
 *
 * Return: the length of the record, metadata and info records together.
 */
size_t fanotify_event_record_len(struct fsnotify_group *group,
				 struct fanotify_event *event)
{
	size_t len = FAN_EVENT_METADATA_LEN;
	const struct fanotify_fid_slot *slot;
	bool after_dir_record = false;
	struct object_record obj;
	int i;

	if (has_range_record(group, event))
		len += sizeof(struct fanotify_event_info_range);
	if (!group_has_flag(group, FANOTIFY_INFO_MODES))
		return len;

	for (i = FANOTIFY_SLOT_DIR; i <= FANOTIFY_SLOT_NEW_DIR; i++) {
		slot = dir_slot(group, event, i);
		if (slot) {
			len += fid_record_len(slot->fh_len, slot->name_len);
			after_dir_record = true;
		}
	}
	describe_object(group, event, after_dir_record, &obj);
	if (obj.present)
		len += fid_record_len(obj.fh_len, obj.name_len);
	if (group_has_flag(group, FAN_REPORT_PIDFD))
		len += sizeof(struct fanotify_event_info_pidfd);
	if (fanotify_event_kind(group, event) == FANOTIFY_KIND_ERROR)
		len += sizeof(struct fanotify_event_info_error);
	if (fanotify_event_kind(group, event) == FANOTIFY_KIND_MNT)
		len += sizeof(struct fanotify_event_info_mnt);
	if (fanotify_event_by_handle(group, event))
		len += sizeof(struct fanotify_event_info_perm_id);
	return len;
}

/*
 * The record is put together in a buffer on the stack and copied to user
 * memory in as few copies as it takes, usually one: a copy to user memory
 * has a fixed cost that is larger than a small record's bytes.  A record
 * longer than the buffer goes out in pieces, each info record whole.
 */
#define RECORD_STAGE	512

/* The largest file-identifier record: a full handle and a full name. */
#define FID_RECORD_MAX	round_up(sizeof(struct fanotify_event_info_fid) + \
				 sizeof(struct file_handle) + MAX_HANDLE_SZ + \
				 NAME_MAX + 1, RECORD_ALIGN)

/*
 * Where the bytes of a record go: @staged bytes wait in @stage for user
 * memory at @to, which has room for @room bytes more after them.
 */
struct record_cursor {
	char __user *to;
	size_t room;
	size_t staged;
	u8 stage[RECORD_STAGE] __aligned(8);
};

static int cursor_flush(struct record_cursor *cur)
{
	if (copy_to_user(cur->to, cur->stage, cur->staged))
		return -EFAULT;
	cur->to += cur->staged;
	cur->staged = 0;
	return 0;
}

/*
 * Room for @len bytes of the record, in the stage: the caller fills all of
 * them.  Return: where they go, or ERR_PTR(-EFAULT).
 */
static void *cursor_reserve(struct record_cursor *cur, size_t len)
{
	void *at;

	BUILD_BUG_ON(FID_RECORD_MAX > RECORD_STAGE);
	/* read() sized the buffer with fanotify_event_record_len(). */
	if (WARN_ON_ONCE(len > cur->room || len > RECORD_STAGE))
		return ERR_PTR(-EFAULT);
	if (cur->staged + len > RECORD_STAGE && cursor_flush(cur))
		return ERR_PTR(-EFAULT);
	at = cur->stage + cur->staged;
	cur->staged += len;
	cur->room -= len;
	return at;
}

static int cursor_put(struct record_cursor *cur, const void *src, size_t len)
{
	void *at = cursor_reserve(cur, len);

	if (IS_ERR(at))
		return PTR_ERR(at);
	memcpy(at, src, len);
	return 0;
}

static int put_fid_record(struct record_cursor *cur, u8 info_type,
			  const __kernel_fsid_t *fsid, u8 fh_type, u8 fh_len,
			  const unsigned char *fh, const char *name,
			  size_t name_len)
{
	size_t len = fid_record_len(fh_len, name_len);
	struct fanotify_event_info_fid *info = cursor_reserve(cur, len);
	struct file_handle *handle;
	unsigned char *end;

	if (IS_ERR(info))
		return PTR_ERR(info);
	handle = (void *)info->handle;
	end = handle->f_handle;
	info->hdr.info_type = info_type;
	info->hdr.pad = 0;
	info->hdr.len = len;
	info->fsid = *fsid;
	handle->handle_bytes = fh_len;
	/* A record without a handle says so in its type. */
	handle->handle_type = fh_len ? fh_type : FILEID_INVALID;
	memcpy(end, fh, fh_len);
	end += fh_len;
	if (name_len) {
		/* The name is stored NUL-terminated, or is the literal ".". */
		memcpy(end, name, name_len + 1);
		end += name_len + 1;
	}
	memset(end, 0, (unsigned char *)info + len - end);
	return 0;
}

static int put_dir_records(struct fsnotify_group *group,
			   struct fanotify_event *event,
			   struct record_cursor *cur, bool *after_dir_record)
{
	struct fanotify_fid_event *fe;
	int i, err;

	for (i = FANOTIFY_SLOT_DIR; i <= FANOTIFY_SLOT_NEW_DIR; i++) {
		const struct fanotify_fid_slot *slot = dir_slot(group, event, i);
		u8 info_type;

		if (!slot)
			continue;
		fe = to_fid_event(event);
		if (i == FANOTIFY_SLOT_NEW_DIR)
			info_type = FAN_EVENT_INFO_TYPE_NEW_DFID_NAME;
		else if (event->mask & FAN_RENAME)
			info_type = FAN_EVENT_INFO_TYPE_OLD_DFID_NAME;
		else if (slot->name_len)
			info_type = FAN_EVENT_INFO_TYPE_DFID_NAME;
		else
			info_type = FAN_EVENT_INFO_TYPE_DFID;
		err = put_fid_record(cur, info_type, &fe->fsid, slot->fh_type,
				     slot->fh_len, fe->data + slot->fh_offset,
				     (const char *)fe->data + slot->name_offset,
				     slot->name_len);
		if (err)
			return err;
		*after_dir_record = true;
	}
	return 0;
}

/*
 * The info records of @event, after its metadata.  Return: 0, or -EFAULT.
 */
static int put_info_records(struct fsnotify_group *group,
			    struct fanotify_event *event, int pidfd,
			    int perm_id, struct record_cursor *cur)
{
	bool after_dir_record = false;
	struct object_record obj;
	int err;

	err = put_dir_records(group, event, cur, &after_dir_record);
	if (err)
		return err;

	describe_object(group, event, after_dir_record, &obj);
	if (obj.present) {
		err = put_fid_record(cur, obj.info_type, obj.fsid, obj.fh_type,
				     obj.fh_len, obj.fh, obj.name, obj.name_len);
		if (err)
			return err;
	}

	if (group_has_flag(group, FAN_REPORT_PIDFD)) {
		struct fanotify_event_info_pidfd info = {
			.hdr.info_type	= FAN_EVENT_INFO_TYPE_PIDFD,
			.hdr.len	= sizeof(info),
			.pidfd		= pidfd,
		};

		err = cursor_put(cur, &info, sizeof(info));
		if (err)
			return err;
	}

	if (fanotify_event_kind(group, event) == FANOTIFY_KIND_ERROR) {
		struct fanotify_error_event *ee = to_error_event(event);
		struct fanotify_event_info_error info = {
			.hdr.info_type	= FAN_EVENT_INFO_TYPE_ERROR,
			.hdr.len	= sizeof(info),
			.error		= ee->error,
			.error_count	= ee->count,
		};

		err = cursor_put(cur, &info, sizeof(info));
		if (err)
			return err;
	}

#ifdef CONFIG_FANOTIFY_ACCESS_PERMISSIONS
	if (has_range_record(group, event)) {
		struct fanotify_perm_ext_event *ext =
			to_perm_ext_event(to_perm_event(event));
		struct fanotify_event_info_range info = {
			.hdr.info_type	= FAN_EVENT_INFO_TYPE_RANGE,
			.hdr.len	= sizeof(info),
			.offset		= ext->range_pos,
			.count		= ext->range_count,
		};

		err = cursor_put(cur, &info, sizeof(info));
		if (err)
			return err;
	}
#endif

	if (fanotify_event_kind(group, event) == FANOTIFY_KIND_MNT) {
		struct fanotify_event_info_mnt info;

		/* The record has a hole after its header: no stack bytes out. */
		memset(&info, 0, sizeof(info));
		info.hdr.info_type = FAN_EVENT_INFO_TYPE_MNT;
		info.hdr.len = sizeof(info);
		info.mnt_id = to_mnt_event(event)->mnt_id;
		err = cursor_put(cur, &info, sizeof(info));
		if (err)
			return err;
	}

	if (fanotify_event_by_handle(group, event)) {
		struct fanotify_event_info_perm_id info = {
			.hdr.info_type	= FAN_EVENT_INFO_TYPE_PERM_ID,
			.hdr.len	= sizeof(info),
			.id		= perm_id,
		};

		err = cursor_put(cur, &info, sizeof(info));
		if (err)
			return err;
	}
	return 0;
}

/**
 * fanotify_emit_record() - write the record of an event with info records
 * @group: the listener's group
 * @event: the event being read
 * @meta: the event's metadata, which starts the record
 * @pidfd: for FAN_REPORT_PIDFD groups, the pidfd or the error to report
 * @perm_id: for a FAN_PERM_NO_FD permission event, the id to answer by
 * @buf: user memory with room for @meta->event_len bytes, the length
 *	fanotify_event_record_len() gave
 *
 * Return: 0, or -EFAULT (some bytes may have been written).
 */
int fanotify_emit_record(struct fsnotify_group *group,
			 struct fanotify_event *event,
			 const struct fanotify_event_metadata *meta,
			 int pidfd, int perm_id, char __user *buf)
{
	/* Every staged byte is written before it is copied: no zeroing. */
	struct record_cursor cur __uninitialized;
	int err;

	cur.to = buf;
	cur.room = meta->event_len;
	cur.staged = 0;
	err = cursor_put(&cur, meta, sizeof(*meta));
	if (!err)
		err = put_info_records(group, event, pidfd, perm_id, &cur);
	if (!err)
		err = cursor_flush(&cur);
	return err;
}
