/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the FID reporting mode tests (fid_test.c, fid_mark_test.c, fid_rename_test.c):
 * a strict parser of events carrying fanotify_event_info_fid records, file handle capture with
 * name_to_handle_at(2), and a checker comparing parsed events with expected records.
 *
 * Behaviour reference: upstream 6.12 copy_fid_info_to_user(), copy_info_records_to_user() and
 * fanotify_event_len() in fs/notify/fanotify/fanotify_user.c.
 */

#ifndef _SELFTESTS_FANOTIFY_FID_COMMON_H
#define _SELFTESTS_FANOTIFY_FID_COMMON_H

#include "common.h"	/* first: it defines _GNU_SOURCE */

#include <sys/statfs.h>
#include <sys/wait.h>

#ifndef AT_HANDLE_FID
/* name_to_handle_at(): a handle that need not be decodable, as fanotify reports (6.5+). */
#define AT_HANDLE_FID 0x200
#endif

#ifndef FILEID_INVALID
#define FILEID_INVALID 0xff
#endif

/* struct fanotify_event_info_fid followed by struct file_handle: 12 + 8 bytes. */
#define FID_INFO_HDR_LEN (sizeof(struct fanotify_event_info_fid) + sizeof(struct file_handle))

#define FID_MAX_RECS 4
#define FID_MAX_EVENTS 32
#define FID_READ_BUF 16384

/* A file handle as user space sees it (struct file_handle without the flexible array). */
struct fid_fh {
	unsigned int bytes;
	int type;
	unsigned char f[MAX_HANDLE_SZ];
};

struct fid_rec {
	uint8_t type;
	uint16_t len;
	__kernel_fsid_t fsid;
	struct fid_fh fh;
	bool has_name;
	char name[NAME_MAX + 1];
};

struct fid_event {
	uint64_t mask;
	uint32_t event_len;
	int32_t fd;
	int pid;
	int nrec;
	struct fid_rec rec[FID_MAX_RECS];
};

/* An object of the test tree: its handle and inode are captured while it still exists. */
struct fid_obj {
	char path[FILE_PATH_LEN];
	struct fid_fh fh;
	ino_t ino;
	dev_t dev;
};

/* One expected info record: @obj's handle, and @name for the *_DFID_NAME types. */
struct fid_exp {
	uint8_t type;
	const struct fid_obj *obj;
	const char *name;
};

static inline __maybe_unused size_t fid_roundup4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* The length 6.12 gives an info record: header, handle and name with its NUL, 4-aligned. */
static inline __maybe_unused size_t fid_info_len(unsigned int handle_bytes, const char *name)
{
	return fid_roundup4(FID_INFO_HDR_LEN + handle_bytes + (name ? strlen(name) + 1 : 0));
}

static inline __maybe_unused bool fid_type_has_name(uint8_t type)
{
	return type == FAN_EVENT_INFO_TYPE_DFID_NAME || type == FAN_EVENT_INFO_TYPE_OLD_DFID_NAME ||
	       type == FAN_EVENT_INFO_TYPE_NEW_DFID_NAME;
}

/* name_to_handle_at(AT_HANDLE_FID) of @path, not following a final symlink. */
static inline __maybe_unused int fid_get_fh(int dirfd, const char *path, struct fid_fh *out)
{
	char buf[sizeof(struct file_handle) + MAX_HANDLE_SZ] __attribute__((aligned(8)));
	struct file_handle *fh = (void *)buf;
	int mnt_id;

	memset(buf, 0, sizeof(buf));
	fh->handle_bytes = MAX_HANDLE_SZ;
	if (name_to_handle_at(dirfd, path, fh, &mnt_id, AT_HANDLE_FID))
		return -1;
	memset(out, 0, sizeof(*out));
	out->bytes = fh->handle_bytes;
	out->type = fh->handle_type;
	memcpy(out->f, fh->f_handle, fh->handle_bytes);
	return 0;
}

/* Records @path's handle, inode number and device in @o. */
static inline __maybe_unused int fid_capture(struct fid_obj *o, const char *path)
{
	struct stat st;

	snprintf(o->path, sizeof(o->path), "%s", path);
	if (lstat(path, &st))
		return -1;
	o->ino = st.st_ino;
	o->dev = st.st_dev;
	return fid_get_fh(AT_FDCWD, path, &o->fh);
}

/* open_by_handle_at(O_PATH) of a reported handle; returns the fd or -1 (errno set). */
static inline __maybe_unused int fid_open_fh(int mount_fd, const struct fid_fh *h)
{
	char buf[sizeof(struct file_handle) + MAX_HANDLE_SZ] __attribute__((aligned(8)));
	struct file_handle *fh = (void *)buf;

	fh->handle_bytes = h->bytes;
	fh->handle_type = h->type;
	memcpy(fh->f_handle, h->f, h->bytes);
	return open_by_handle_at(mount_fd, fh, O_PATH | O_CLOEXEC);
}

static inline __maybe_unused int fid_statfs_fsid(const char *path, __kernel_fsid_t *fsid)
{
	struct statfs sfs;

	if (statfs(path, &sfs))
		return -1;
	memcpy(fsid, &sfs.f_fsid, sizeof(*fsid));
	return 0;
}

/*
 * Parses @len bytes read from a FID group into @ev (at most @max events).  Every structural rule
 * of 6.12 is checked here: metadata version and length, fd == FAN_NOFD, each info record's length
 * equals fid_info_len() of its content, names are NUL-terminated, padding is zero, records fill
 * the event exactly and events fill the buffer exactly.  Returns the number of events, or -1 with
 * *@why set.
 */
static inline __maybe_unused int fid_parse(const char *buf, ssize_t len, struct fid_event *ev,
					   int max, const char **why)
{
	const struct fanotify_event_metadata *m = (const void *)buf;
	int n = 0;

	for (; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
		const char *p = (const char *)m + m->metadata_len;
		const char *end = (const char *)m + m->event_len;
		struct fid_event *e = &ev[n];

		if (n == max) {
			*why = "too many events";
			return -1;
		}
		memset(e, 0, sizeof(*e));
		if (m->vers != FANOTIFY_METADATA_VERSION) {
			*why = "bad metadata version";
			return -1;
		}
		if (m->metadata_len != FAN_EVENT_METADATA_LEN) {
			*why = "metadata_len != FAN_EVENT_METADATA_LEN";
			return -1;
		}
		e->mask = m->mask;
		e->event_len = m->event_len;
		e->fd = m->fd;
		e->pid = m->pid;
		while (p < end) {
			const struct fanotify_event_info_fid *info = (const void *)p;
			const struct file_handle *fh;
			struct fid_rec *r = &e->rec[e->nrec];
			size_t hb, namelen = 0, want, i;

			if (e->nrec == FID_MAX_RECS) {
				*why = "too many info records";
				return -1;
			}
			if (end - p < (ssize_t)FID_INFO_HDR_LEN ||
			    info->hdr.len < FID_INFO_HDR_LEN ||
			    info->hdr.len > end - p) {
				*why = "info record length out of bounds";
				return -1;
			}
			if (info->hdr.pad) {
				*why = "info header pad not zero";
				return -1;
			}
			r->type = info->hdr.info_type;
			r->len = info->hdr.len;
			if (r->type != FAN_EVENT_INFO_TYPE_FID &&
			    r->type != FAN_EVENT_INFO_TYPE_DFID &&
			    !fid_type_has_name(r->type)) {
				*why = "unexpected info type";
				return -1;
			}
			memcpy(&r->fsid, &info->fsid, sizeof(r->fsid));
			fh = (const void *)(p + sizeof(*info));
			hb = fh->handle_bytes;
			if (hb == 0 || hb > MAX_HANDLE_SZ || FID_INFO_HDR_LEN + hb > r->len) {
				*why = "bad handle_bytes";
				return -1;
			}
			r->fh.bytes = hb;
			r->fh.type = fh->handle_type;
			memcpy(r->fh.f, fh->f_handle, hb);
			if (fid_type_has_name(r->type)) {
				const char *name = p + FID_INFO_HDR_LEN + hb;
				size_t room = r->len - FID_INFO_HDR_LEN - hb;

				namelen = strnlen(name, room);
				if (namelen == room || namelen == 0 || namelen > NAME_MAX) {
					*why = "name missing or not NUL-terminated";
					return -1;
				}
				r->has_name = true;
				memcpy(r->name, name, namelen + 1);
				namelen++;
			}
			want = fid_roundup4(FID_INFO_HDR_LEN + hb + namelen);
			if (want != r->len) {
				*why = "info len != roundup(hdr + handle + name + 1, 4)";
				return -1;
			}
			for (i = FID_INFO_HDR_LEN + hb + namelen; i < r->len; i++) {
				if (p[i]) {
					*why = "padding not zero";
					return -1;
				}
			}
			e->nrec++;
			p += r->len;
		}
		n++;
	}
	if (len != 0) {
		*why = "trailing bytes after the last event";
		return -1;
	}
	return n;
}

/*
 * Reads every event available within @timeout_ms (then until the queue is empty) and parses
 * them.  Returns the number of events, -1 on a parse or read error (reported via the harness).
 */
static inline __maybe_unused int fid_read(struct __test_metadata *const _metadata, int fan_fd,
					  struct fid_event *ev, int max, int timeout_ms)
{
	char buf[FID_READ_BUF] __attribute__((aligned(8)));
	const char *why = NULL;
	int total = 0, n;
	ssize_t len;

	for (;;) {
		if (wait_readable(fan_fd, total ? 0 : timeout_ms) != 1)
			break;
		len = read(fan_fd, buf, sizeof(buf));
		EXPECT_LT(0, len);
		if (len <= 0)
			return -1;
		n = fid_parse(buf, len, ev + total, max - total, &why);
		if (n < 0) {
			TH_LOG("parse error: %s", why);
			EXPECT_EQ(NULL, why);
			return -1;
		}
		total += n;
	}
	return total;
}

static inline __maybe_unused const char *fid_type_str(uint8_t type)
{
	switch (type) {
	case FAN_EVENT_INFO_TYPE_FID:
		return "FID";
	case FAN_EVENT_INFO_TYPE_DFID_NAME:
		return "DFID_NAME";
	case FAN_EVENT_INFO_TYPE_DFID:
		return "DFID";
	case FAN_EVENT_INFO_TYPE_OLD_DFID_NAME:
		return "OLD_DFID_NAME";
	case FAN_EVENT_INFO_TYPE_NEW_DFID_NAME:
		return "NEW_DFID_NAME";
	}
	return "?";
}

static inline __maybe_unused void fid_dump(struct __test_metadata *const _metadata,
					   const struct fid_event *e)
{
	int i;

	TH_LOG("event mask 0x%llx len %u fd %d, %d records", (unsigned long long)e->mask,
	       e->event_len, e->fd, e->nrec);
	for (i = 0; i < e->nrec; i++)
		TH_LOG("  %s len %u handle type %d bytes %u name '%s'",
		       fid_type_str(e->rec[i].type), e->rec[i].len, e->rec[i].fh.type,
		       e->rec[i].fh.bytes, e->rec[i].has_name ? e->rec[i].name : "");
}

static inline __maybe_unused bool fid_fh_equal(const struct fid_fh *a, const struct fid_fh *b)
{
	return a->bytes == b->bytes && a->type == b->type && !memcmp(a->f, b->f, a->bytes);
}

/*
 * Checks one parsed event: mask, no fd, event_len, and for each record in order its type,
 * length, fsid, handle (same bytes as name_to_handle_at() gave for the expected object) and name.
 * A handle of a live object must decode with open_by_handle_at() through @mount_fd to the
 * expected inode; one of an object marked gone (ino 0) must fail with ESTALE.  Pass a negative
 * @mount_fd for handles that are not decodable.
 */
static inline __maybe_unused bool fid_check(struct __test_metadata *const _metadata,
					    const struct fid_event *e, uint64_t mask,
					    const struct fid_exp *exp, int nexp,
					    const __kernel_fsid_t *fsid, int mount_fd)
{
	size_t want_len = FAN_EVENT_METADATA_LEN;
	bool ok = true;
	int i;

	for (i = 0; i < nexp; i++)
		want_len += fid_info_len(exp[i].obj->fh.bytes, exp[i].name);
	EXPECT_EQ(mask, e->mask) ok = false;
	EXPECT_EQ(FAN_NOFD, e->fd) ok = false;
	EXPECT_EQ(nexp, e->nrec) ok = false;
	EXPECT_EQ(want_len, e->event_len) ok = false;
	for (i = 0; ok && i < nexp; i++) {
		const struct fid_rec *r = &e->rec[i];
		const struct fid_obj *o = exp[i].obj;
		struct stat st;
		int fd;

		EXPECT_STREQ(fid_type_str(exp[i].type), fid_type_str(r->type)) ok = false;
		EXPECT_EQ(fid_info_len(o->fh.bytes, exp[i].name), r->len) ok = false;
		EXPECT_EQ(0, memcmp(fsid, &r->fsid, sizeof(*fsid))) ok = false;
		EXPECT_TRUE(fid_fh_equal(&o->fh, &r->fh)) {
			TH_LOG("record %d: handle is not that of %s", i, o->path);
			ok = false;
		}
		EXPECT_EQ(!!exp[i].name, r->has_name) ok = false;
		if (exp[i].name && r->has_name)
			EXPECT_STREQ(exp[i].name, r->name) ok = false;
		if (mount_fd < 0 || !ok)
			continue;
		fd = fid_open_fh(mount_fd, &r->fh);
		if (!o->ino) {
			EXPECT_EQ(-1, fd) ok = false;
			EXPECT_EQ(ESTALE, errno) ok = false;
		} else {
			EXPECT_LE(0, fd) {
				TH_LOG("open_by_handle_at(%s): %s", o->path, strerror(errno));
				ok = false;
			}
			if (fd >= 0) {
				EXPECT_EQ(0, fstat(fd, &st));
				EXPECT_EQ(o->ino, st.st_ino) ok = false;
			}
		}
		if (fd >= 0)
			close(fd);
	}
	if (!ok)
		fid_dump(_metadata, e);
	return ok;
}

/*
 * Record shapes.  An event is about an object X named N in directory D; which records it carries
 * depends on the group's FID mode and on the kind of event (see struct fid_mode).
 */
enum fid_shape {
	S_END,
	S_FID_DIR,	/* FID record carrying D */
	S_DFID_DIR,	/* DFID record carrying D */
	S_DFID_NAME,	/* DFID_NAME record carrying D and N */
	S_FID_OBJ,	/* FID record carrying X */
	S_DFID_OBJ,	/* DFID record carrying X (X is a directory) */
	S_DOT,		/* DFID_NAME record carrying X (a directory) and the name "." */
};

/*
 * The records 6.12 reports, per FID mode (copy_info_records_to_user(), fanotify_alloc_event()):
 * @dirent:   create/delete/moved_from/moved_to of X in D;
 * @child:    an event on non-directory X that is reported with its parent D (via a watching
 *            parent, or a filesystem mark, to which groups with DIR_FID add FAN_EVENT_ON_CHILD);
 * @dirself:  an event on directory X that is not a dirent event (attrib, delete_self, ...): the
 *            directory reports itself, never its parent;
 * @fileself: delete_self/move_self of non-directory X, which carry no parent: groups without
 *            FAN_REPORT_FID have nothing to report and drop the event.
 */
struct fid_mode {
	const char *name;
	unsigned int flags;
	enum fid_shape dirent[3], child[3], dirself[3], fileself[3];
};

enum fid_mode_id {
	MODE_FID,
	MODE_DIR_FID,
	MODE_FID_DIR_FID,
	MODE_DFID_NAME,
	MODE_FID_DFID_NAME,
	MODE_DFID_NAME_TARGET,
	MODE_COUNT,
};

static const struct fid_mode fid_modes[MODE_COUNT] __maybe_unused = {
	[MODE_FID] = {
		"FID", FAN_REPORT_FID,
		/* Without DIR_FID a dirent event reports D as its only object, type FID. */
		.dirent = { S_FID_DIR }, .child = { S_FID_OBJ },
		.dirself = { S_FID_OBJ }, .fileself = { S_FID_OBJ },
	},
	[MODE_DIR_FID] = {
		"DIR_FID", FAN_REPORT_DIR_FID,
		/*
		 * A child event carries only D, but as an object record: its type is FID, not
		 * DFID (copy_info_records_to_user() gives DFID only to dirent events and to
		 * events with FAN_ONDIR).
		 */
		.dirent = { S_DFID_DIR }, .child = { S_FID_DIR },
		.dirself = { S_DFID_OBJ }, .fileself = { S_END },
	},
	[MODE_FID_DIR_FID] = {
		"FID|DIR_FID", FAN_REPORT_FID | FAN_REPORT_DIR_FID,
		/* The child fid is reported for non-dirent events only (no TARGET_FID). */
		.dirent = { S_DFID_DIR }, .child = { S_DFID_DIR, S_FID_OBJ },
		.dirself = { S_DFID_OBJ }, .fileself = { S_FID_OBJ },
	},
	[MODE_DFID_NAME] = {
		"DFID_NAME", FAN_REPORT_DFID_NAME,
		.dirent = { S_DFID_NAME }, .child = { S_DFID_NAME },
		.dirself = { S_DOT }, .fileself = { S_END },
	},
	[MODE_FID_DFID_NAME] = {
		"FID|DFID_NAME", FAN_REPORT_FID | FAN_REPORT_DFID_NAME,
		.dirent = { S_DFID_NAME }, .child = { S_DFID_NAME, S_FID_OBJ },
		.dirself = { S_DOT }, .fileself = { S_FID_OBJ },
	},
	[MODE_DFID_NAME_TARGET] = {
		"DFID_NAME_TARGET", FAN_REPORT_DFID_NAME_TARGET,
		.dirent = { S_DFID_NAME, S_FID_OBJ }, .child = { S_DFID_NAME, S_FID_OBJ },
		.dirself = { S_DOT }, .fileself = { S_FID_OBJ },
	},
};

/* Expands @shape for an event about @obj named @name in @dir; returns the record count. */
static inline __maybe_unused int fid_expand(const enum fid_shape *shape,
					    const struct fid_obj *dir, const char *name,
					    const struct fid_obj *obj, struct fid_exp *out)
{
	int n;

	for (n = 0; n < 3 && shape[n] != S_END; n++) {
		switch (shape[n]) {
		case S_FID_DIR:
			out[n] = (struct fid_exp){ FAN_EVENT_INFO_TYPE_FID, dir, NULL };
			break;
		case S_DFID_DIR:
			out[n] = (struct fid_exp){ FAN_EVENT_INFO_TYPE_DFID, dir, NULL };
			break;
		case S_DFID_NAME:
			out[n] = (struct fid_exp){ FAN_EVENT_INFO_TYPE_DFID_NAME, dir, name };
			break;
		case S_FID_OBJ:
			out[n] = (struct fid_exp){ FAN_EVENT_INFO_TYPE_FID, obj, NULL };
			break;
		case S_DFID_OBJ:
			out[n] = (struct fid_exp){ FAN_EVENT_INFO_TYPE_DFID, obj, NULL };
			break;
		case S_DOT:
			out[n] = (struct fid_exp){ FAN_EVENT_INFO_TYPE_DFID_NAME, obj, "." };
			break;
		default:
			break;
		}
	}
	return n;
}

enum fid_fs { FS_TMPFS, FS_EXT4 };

/*
 * The tree the event tests work on, on a private tmpfs (or an ext4 image loop-mounted on it):
 * root/d (the watched directory), root/d/file, root/d/sub, root/d2.
 */
enum fid_obj_id {
	O_ROOT,
	O_D,
	O_FILE,
	O_SUB,
	O_D2,
	O_NEW,		/* captured by the test that creates or moves it */
	O_COUNT,
};

struct fid_world {
	char dir[DIR_PATH_LEN];
	char root[DIR_PATH_LEN + 16];
	struct fid_obj o[O_COUNT];
	__kernel_fsid_t fsid;
	int mount_fd;
	int fan_fd;
};

/* Runs a shell command quietly; returns 0 if it exited with status 0. */
static inline __maybe_unused int fid_run(const char *cmd)
{
	int st = system(cmd);

	return st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* Formats "@w->root/@rel" into @buf (FILE_PATH_LEN bytes). */
static inline __maybe_unused char *fid_path(const struct fid_world *w, const char *rel,
					    char *buf)
{
	snprintf(buf, FILE_PATH_LEN, "%s/%s", w->root, rel);
	return buf;
}

static inline __maybe_unused void fid_world_setup(struct __test_metadata *const _metadata,
						  struct fid_world *w, enum fid_fs fs,
						  unsigned int init_flags)
{
	char p[FILE_PATH_LEN], cmd[512];

	w->mount_fd = -1;
	w->fan_fd = -1;
	ASSERT_EQ(0, setup_private_tmpfs(w->dir));
	snprintf(w->root, sizeof(w->root), "%s", w->dir);
	if (fs == FS_EXT4) {
		/* A small image on the private tmpfs; mount -o loop detaches it on umount. */
		snprintf(w->root, sizeof(w->root), "%s/ext4", w->dir);
		ASSERT_EQ(0, mkdir(w->root, 0755));
		snprintf(cmd, sizeof(cmd),
			 "mkfs.ext4 -q -F -O ^has_journal %s/img 4M >/dev/null 2>&1 && mount -o loop %s/img %s",
			 w->dir, w->dir, w->root);
		ASSERT_EQ(0, fid_run(cmd));
	}
	ASSERT_EQ(0, mkdir(fid_path(w, "d", p), 0755));
	ASSERT_EQ(0, mkdir(fid_path(w, "d/sub", p), 0755));
	ASSERT_EQ(0, mkdir(fid_path(w, "d2", p), 0755));
	ASSERT_EQ(0, create_file(fid_path(w, "d/file", p), "file\n"));
	ASSERT_EQ(0, fid_capture(&w->o[O_ROOT], w->root));
	ASSERT_EQ(0, fid_capture(&w->o[O_D], fid_path(w, "d", p)));
	ASSERT_EQ(0, fid_capture(&w->o[O_FILE], fid_path(w, "d/file", p)));
	ASSERT_EQ(0, fid_capture(&w->o[O_SUB], fid_path(w, "d/sub", p)));
	ASSERT_EQ(0, fid_capture(&w->o[O_D2], fid_path(w, "d2", p)));
	ASSERT_EQ(0, fid_statfs_fsid(w->root, &w->fsid));
	w->mount_fd = open(w->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, w->mount_fd);
	w->fan_fd = sys_fanotify_init(init_flags | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY);
	ASSERT_LE(0, w->fan_fd);
}

static inline __maybe_unused void fid_world_teardown(struct __test_metadata *const _metadata,
						     struct fid_world *w)
{
	char p[FILE_PATH_LEN];

	if (w->fan_fd >= 0)
		close(w->fan_fd);
	if (w->mount_fd >= 0)
		close(w->mount_fd);
	if (strcmp(w->root, w->dir))
		umount2(w->root, MNT_DETACH);
	snprintf(p, sizeof(p), "%s", w->dir);
	EXPECT_EQ(0, teardown_private_tmpfs(p));
}

/*
 * Reads the queued events; FIONREAD must announce exactly their byte count first.  Returns the
 * number of events parsed into @ev.
 */
static inline __maybe_unused int fid_read_counted(struct __test_metadata *const _metadata,
						  int fan_fd, struct fid_event *ev, int max)
{
	int avail = -1, n, i;
	uint32_t total = 0;

	if (wait_readable(fan_fd, EVENT_TIMEOUT_MS) != 1)
		return 0;
	EXPECT_EQ(0, ioctl_fionread(fan_fd, &avail));
	n = fid_read(_metadata, fan_fd, ev, max, 0);
	for (i = 0; i < n; i++)
		total += ev[i].event_len;
	if (n > 0)
		EXPECT_EQ(avail, (int)total);
	return n;
}

#endif /* _SELFTESTS_FANOTIFY_FID_COMMON_H */
