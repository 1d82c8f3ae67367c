// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify_mark(): which objects a group watches, for which events, and
 * which events it has already decided to ignore (ignore masks, the
 * in-kernel cache of a listener's decisions).
 *
 * A group has at most one mark per object (inode, mount, filesystem or,
 * for a FAN_REPORT_MNT group, mount namespace).
 * Masks and flags of a mark change under the group's mark_mutex and the
 * mark's own spinlock; see the lock order in fanotify.h.
 */

#include <linux/compat.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/syscalls.h>

#include "../fsnotify.h"
#include "fanotify.h"

/**
 * struct mark_request - one fanotify_mark() call, decoded
 * @flags: the FAN_MARK_* flags
 * @mask: the events to add or remove
 * @keep: event flags that this request leaves alone and that, once nothing
 *	else is left in a mark's masks, do not keep the mark alive (see
 *	fit_request_to_target() for which)
 * @cmd: FAN_MARK_ADD, FAN_MARK_REMOVE or FAN_MARK_FLUSH
 * @ignore: which ignore-mask API, if any: FAN_MARK_IGNORED_MASK (legacy:
 *	event flags of the mask are meaningless) or FAN_MARK_IGNORE
 * @obj_type: FSNOTIFY_OBJ_TYPE_* of the target
 * @fsid: for groups that report file handles, the target's filesystem id,
 *	to be cached in a new mark
 * @fsid_weak: whether @fsid fails to identify the filesystem uniquely
 * @sb: the target's filesystem
 */
struct mark_request {
	unsigned int flags;
	u32 mask;
	u32 keep;
	unsigned int cmd;
	unsigned int ignore;
	unsigned int obj_type;
	__kernel_fsid_t fsid;
	bool fsid_weak;
	struct super_block *sb;
};

/* Events a mark may ask for. */
#ifdef CONFIG_FANOTIFY_ACCESS_PERMISSIONS
#define MARKABLE_BITS	(FANOTIFY_EVENTS | FANOTIFY_EVENT_FLAGS | \
			 FANOTIFY_PERM_EVENTS)
#else
#define MARKABLE_BITS	(FANOTIFY_EVENTS | FANOTIFY_EVENT_FLAGS)
#endif

static bool mark_type_to_obj_type(unsigned int mark_type,
				  unsigned int *obj_type)
{
	if (mark_type == FAN_MARK_INODE)
		*obj_type = FSNOTIFY_OBJ_TYPE_INODE;
	else if (mark_type == FAN_MARK_MOUNT)
		*obj_type = FSNOTIFY_OBJ_TYPE_VFSMOUNT;
	else if (mark_type == FAN_MARK_FILESYSTEM)
		*obj_type = FSNOTIFY_OBJ_TYPE_SB;
	else if (mark_type == FAN_MARK_MNTNS)
		*obj_type = FSNOTIFY_OBJ_TYPE_MNTNS;
	else
		return false;
	return true;
}

static int decode_request(struct mark_request *req, unsigned int flags,
			  u64 mask)
{
	/* Only the low 32 bits carry events so far. */
	if (upper_32_bits(mask))
		return -EINVAL;
	if (flags & ~FANOTIFY_MARK_FLAGS)
		return -EINVAL;

	if (!mark_type_to_obj_type(flags & FANOTIFY_MARK_TYPE_BITS,
				   &req->obj_type))
		return -EINVAL;

	/*
	 * A subtree mark is an inode mark on a directory.  It may not be
	 * evicted (the tree would silently stop being watched) nor use the
	 * legacy ignore API, whose event flags are meaningless.
	 */
	if ((flags & FAN_MARK_SUBTREE) &&
	    (req->obj_type != FSNOTIFY_OBJ_TYPE_INODE ||
	     (flags & (FAN_MARK_IGNORED_MASK | FAN_MARK_EVICTABLE))))
		return -EINVAL;

	/* Exactly one command; ADD and REMOVE need events, FLUSH takes none. */
	req->cmd = flags & FANOTIFY_MARK_CMD_BITS;
	if (hweight32(req->cmd) != 1)
		return -EINVAL;
	if (req->cmd == FAN_MARK_FLUSH) {
		if (flags & ~(FANOTIFY_MARK_TYPE_BITS | FAN_MARK_FLUSH |
			      FAN_MARK_SUBTREE))
			return -EINVAL;
	} else if (!mask) {
		return -EINVAL;
	}

	if (mask & ~MARKABLE_BITS)
		return -EINVAL;

	req->ignore = flags & FANOTIFY_MARK_IGNORE_BITS;
	if (req->ignore == FANOTIFY_MARK_IGNORE_BITS)
		return -EINVAL;

	req->flags = flags;
	req->mask = mask;
	req->keep = 0;
	/* The legacy ignore mask has no event flags: drop them silently. */
	if (req->ignore == FAN_MARK_IGNORED_MASK) {
		req->mask &= ~FANOTIFY_EVENT_FLAGS;
		req->keep = FANOTIFY_EVENT_FLAGS;
	}
	return 0;
}

/* Checks that depend on the group, in upstream's order. */
static int check_group_may(struct fsnotify_group *group,
			   const struct mark_request *req)
{
	unsigned int fid_mode = group->fanotify_data.flags & FANOTIFY_FID_BITS;
	bool inode_mark = req->obj_type == FSNOTIFY_OBJ_TYPE_INODE;
	bool mntns_mark = req->obj_type == FSNOTIFY_OBJ_TYPE_MNTNS;
	/*
	 * Asked on every call, although only mount and filesystem marks need
	 * the answer: upstream 6.12 does, and audit, LSMs and PF_SUPERPRIV
	 * make the question visible to user space.
	 */
	bool admin = capable(CAP_SYS_ADMIN);

	/*
	 * Mount events and namespace marks go together, in groups made for
	 * them, and such a group can hear of nothing else: its records carry
	 * a mount id where others carry a file.  Checked before privilege:
	 * to a group of another kind FAN_MARK_MNTNS is no mark type at all,
	 * as to upstream before 6.15.
	 */
	if (group_has_flag(group, FAN_REPORT_MNT) != mntns_mark)
		return -EINVAL;
	if (mntns_mark && (req->mask & ~FANOTIFY_MOUNT_EVENTS))
		return -EINVAL;
	if ((req->mask & FANOTIFY_MOUNT_EVENTS) && !mntns_mark)
		return -EINVAL;

	/*
	 * Mount, filesystem and namespace marks watch other users' objects;
	 * so do subtree marks, whose events come from below directories the
	 * listener may not be allowed to search.
	 */
	if ((!inode_mark || (req->flags & FAN_MARK_SUBTREE)) &&
	    (!admin || group_has_flag(group, FANOTIFY_UNPRIV)))
		return -EPERM;

	/* Only content classes are asked for verdicts. */
	if ((req->mask & FANOTIFY_PERM_EVENTS) &&
	    group->priority < FSNOTIFY_PRIO_CONTENT)
		return -EINVAL;
	/* Content is filled in by the class that runs first. */
	if ((req->mask & FANOTIFY_PRE_CONTENT_EVENTS) &&
	    group->priority < FSNOTIFY_PRIO_PRE_CONTENT)
		return -EINVAL;

	if ((req->mask & FAN_FS_ERROR) &&
	    req->obj_type != FSNOTIFY_OBJ_TYPE_SB)
		return -EINVAL;

	/* Only an inode can be evicted. */
	if ((req->flags & FAN_MARK_EVICTABLE) && !inode_mark)
		return -EINVAL;

	/*
	 * Events without a path cannot carry an fd, and cannot be told apart
	 * by mount: they need file handles, and not a mount mark.
	 */
	if ((req->mask & ~(FANOTIFY_FD_EVENTS | FANOTIFY_EVENT_FLAGS |
			   FANOTIFY_MOUNT_EVENTS)) &&
	    (!fid_mode || req->obj_type == FSNOTIFY_OBJ_TYPE_VFSMOUNT))
		return -EINVAL;

	/* FAN_RENAME is reported as old and new directory plus name. */
	if ((req->mask & FAN_RENAME) && !(fid_mode & FAN_REPORT_NAME))
		return -EINVAL;
	return 0;
}

static int lookup_target(int dfd, const char __user *pathname,
			 unsigned int flags, struct path *path)
{
	unsigned int lookup_flags = 0;

	if (pathname) {
		if (!(flags & FAN_MARK_DONT_FOLLOW))
			lookup_flags |= LOOKUP_FOLLOW;
		if (flags & FAN_MARK_ONLYDIR)
			lookup_flags |= LOOKUP_DIRECTORY;
		return user_path_at(dfd, pathname, lookup_flags, path);
	}

	/* No pathname: the target is what dfd itself refers to. */
	CLASS(fd, f)(dfd);
	if (fd_empty(f))
		return -EBADF;
	if ((flags & FAN_MARK_ONLYDIR) &&
	    !S_ISDIR(file_inode(fd_file(f))->i_mode))
		return -ENOTDIR;
	*path = fd_file(f)->f_path;
	path_get(path);
	return 0;
}

/* Whether the target's filesystem can carry what is asked (ADD only). */
static int check_target_supports(struct fsnotify_group *group,
				 const struct mark_request *req,
				 const struct path *path)
{
	struct super_block *sb = path->mnt->mnt_sb;
	bool strict_dir_bits = group_has_flag(group, FAN_REPORT_TARGET_FID) ||
			       (req->mask & FAN_RENAME) ||
			       (req->flags & FAN_MARK_IGNORE);

	/*
	 * Pre-content events need a filesystem that raises them on every
	 * path to a file's content and lets the listener write the file
	 * meanwhile (SB_I_ALLOW_HSM); only regular files and directories
	 * have content to fill in.
	 */
	if (req->mask & FANOTIFY_PRE_CONTENT_EVENTS) {
		if (!(sb->s_iflags & SB_I_ALLOW_HSM))
			return -EOPNOTSUPP;
		if (!d_is_dir(path->dentry) && !d_is_reg(path->dentry))
			return -EINVAL;
	}

	/* Some pseudo filesystems take odd locks in open: no verdicts there. */
	if ((req->mask & FANOTIFY_PERM_EVENTS) &&
	    (sb->s_type->fs_flags & FS_DISALLOW_NOTIFY_PERM))
		return -EINVAL;

	/* A whole internal filesystem (pipes, sockets) is not watchable. */
	if (req->obj_type != FSNOTIFY_OBJ_TYPE_INODE && (sb->s_flags & SB_NOUSER))
		return -EINVAL;

	/*
	 * Directory-only bits on a non-directory have always been accepted
	 * and ignored; the APIs added since 5.17 refuse them.
	 */
	if (strict_dir_bits && req->obj_type == FSNOTIFY_OBJ_TYPE_INODE &&
	    !d_is_dir(path->dentry) && (req->mask & FANOTIFY_DIRONLY_EVENT_BITS))
		return -ENOTDIR;
	return 0;
}

static void *mark_object(const struct mark_request *req, const struct path *path)
{
	switch (req->obj_type) {
	case FSNOTIFY_OBJ_TYPE_INODE:
		return d_inode(path->dentry);
	case FSNOTIFY_OBJ_TYPE_VFSMOUNT:
		return path->mnt;
	default:
		return path->mnt->mnt_sb;
	}
}

static bool changes_ignore_mask(const struct mark_request *req)
{
	return req->ignore != 0;
}

/*
 * Apply the request's mask to an existing mark.
 *
 * Return: whether the object's combined interest may have changed.
 */
static bool mark_add_bits(struct fsnotify_mark *mark,
			  const struct mark_request *req)
{
	bool recalc = false;

	spin_lock(&mark->lock);
	if (changes_ignore_mask(req)) {
		mark->ignore_mask |= req->mask;
		recalc = true;
	} else if ((mark->mask | req->mask) != mark->mask) {
		mark->mask |= req->mask;
		recalc = true;
	}

	/* Once FAN_MARK_IGNORE is used, event flags in the ignore mask count. */
	if (req->ignore == FAN_MARK_IGNORE)
		mark->flags |= FSNOTIFY_MARK_FLAG_HAS_IGNORE_FLAGS;

	/*
	 * A surviving ignore mask no longer needs FS_MODIFY to be watched
	 * (it was, to clear the ignore mask on modification).
	 */
	if (req->ignore && (req->flags & FAN_MARK_IGNORED_SURV_MODIFY) &&
	    !(mark->flags & FSNOTIFY_MARK_FLAG_IGNORED_SURV_MODIFY)) {
		mark->flags |= FSNOTIFY_MARK_FLAG_IGNORED_SURV_MODIFY;
		recalc |= !(mark->mask & FS_MODIFY);
	}

	/* An evictable inode mark becomes pinning when added without the flag. */
	if (mark->connector->type == FSNOTIFY_OBJ_TYPE_INODE &&
	    (mark->flags & FSNOTIFY_MARK_FLAG_NO_IREF) &&
	    !(req->flags & FAN_MARK_EVICTABLE)) {
		mark->flags &= ~FSNOTIFY_MARK_FLAG_NO_IREF;
		recalc = true;
	}
	spin_unlock(&mark->lock);
	return recalc;
}

/* Flags of an existing mark that a request may not downgrade. */
static int check_mark_compatible(struct fsnotify_mark *mark,
				 const struct mark_request *req)
{
	if ((req->flags & FAN_MARK_EVICTABLE) &&
	    !(mark->flags & FSNOTIFY_MARK_FLAG_NO_IREF))
		return -EEXIST;
	if (req->ignore == FAN_MARK_IGNORED_MASK &&
	    (mark->flags & FSNOTIFY_MARK_FLAG_HAS_IGNORE_FLAGS))
		return -EEXIST;
	if (req->ignore == FAN_MARK_IGNORE &&
	    !(req->flags & FAN_MARK_IGNORED_SURV_MODIFY) &&
	    (mark->flags & FSNOTIFY_MARK_FLAG_IGNORED_SURV_MODIFY))
		return -EEXIST;
	/* One mark per group and inode: a plain mark or a subtree mark. */
	if (!(req->flags & FAN_MARK_SUBTREE) !=
	    !(mark->flags & FSNOTIFY_MARK_FLAG_SUBTREE))
		return -EEXIST;
	return 0;
}

static struct fsnotify_mark *create_mark(struct fsnotify_group *group,
					 void *obj, const struct mark_request *req)
{
	struct ucounts *ucounts = group_listener(group)->ucounts;
	bool counted = !group_has_flag(group, FAN_UNLIMITED_MARKS);
	struct fanotify_mark *fmark;
	struct fsnotify_mark *mark;
	int ret;

	fsnotify_group_assert_locked(group);

	if (counted && !inc_ucount(ucounts->ns, ucounts->uid,
				   UCOUNT_FANOTIFY_MARKS))
		return ERR_PTR(-ENOSPC);

	fmark = kmem_cache_zalloc(fanotify_mark_cache, GFP_KERNEL);
	if (!fmark) {
		ret = -ENOMEM;
		goto uncount;
	}
	mark = &fmark->fsn;
	fsnotify_init_mark(mark, group);
	if (req->flags & FAN_MARK_EVICTABLE)
		mark->flags |= FSNOTIFY_MARK_FLAG_NO_IREF;
	/* Never changes once attached: the fsnotify core reads it locklessly. */
	if (req->flags & FAN_MARK_SUBTREE)
		mark->flags |= FSNOTIFY_MARK_FLAG_SUBTREE;

	if (group_fid_mode(group)) {
		ret = fanotify_fid_set_mark_fsid(group, fmark, req->sb,
						 &req->fsid, req->fsid_weak);
		if (ret) {
			fsnotify_put_mark(mark);
			goto uncount;
		}
	}

	/* From here on, freeing_mark() gives the count back. */
	ret = fsnotify_add_mark_locked(mark, obj, req->obj_type, 0);
	if (ret) {
		fsnotify_put_mark(mark);
		goto uncount;
	}
	return mark;

uncount:
	if (counted)
		dec_ucount(ucounts, UCOUNT_FANOTIFY_MARKS);
	return ERR_PTR(ret);
}

static int add_to_mark(struct fsnotify_group *group, void *obj,
		       const struct mark_request *req)
{
	struct fsnotify_mark *mark;
	int ret = 0;

	fsnotify_group_lock(group);
	mark = fsnotify_find_mark(obj, req->obj_type, group);
	if (!mark) {
		mark = create_mark(group, obj, req);
		if (IS_ERR(mark)) {
			fsnotify_group_unlock(group);
			return PTR_ERR(mark);
		}
	}
	ret = check_mark_compatible(mark, req);
	/* Error events are reserved for groups that will get some. */
	if (!ret && !req->ignore && (req->mask & FAN_FS_ERROR))
		ret = fanotify_error_pool_init(group);
	if (!ret && mark_add_bits(mark, req))
		fsnotify_recalc_mask(mark->connector);
	fsnotify_group_unlock(group);
	fsnotify_put_mark(mark);
	return ret;
}

/**
 * fanotify_mark_cache_allow() - remember an allow verdict for an inode
 * @group: the group that gave the verdict
 * @inode: the inode the verdict was about
 * @survive_modify: whether a modification of the file keeps the verdict
 * @fsid: for a file-handle group, the filesystem id its marks cache (the
 *	one of the mark that matched the event); NULL otherwise
 *
 * Adds the access permission events (FAN_OPEN_PERM, FAN_ACCESS_PERM,
 * FAN_OPEN_EXEC_PERM) to the ignore mask of the group's mark on @inode, as
 * FAN_MARK_ADD | FAN_MARK_IGNORED_MASK | FAN_MARK_EVICTABLE would, so that
 * the group is not asked again.  A mark the listener made
 * itself keeps its own flags: it stays pinning if it was, and an ignore
 * mask that survives modification keeps doing so.  A new mark counts
 * against the mark limits like any other.
 *
 * Return: 0, -ENOSPC at the mark limit, -ENOMEM.
 */
int fanotify_mark_cache_allow(struct fsnotify_group *group,
			      struct inode *inode, bool survive_modify,
			      const __kernel_fsid_t *fsid)
{
	struct mark_request req = {
		.flags = FAN_MARK_ADD | FAN_MARK_EVICTABLE |
			 (survive_modify ? FAN_MARK_IGNORED_SURV_MODIFY : 0),
		/*
		 * The access checks; not FAN_PRE_ACCESS, which asks for a
		 * file's content rather than about it, and which a content
		 * group may not name in a mark.
		 */
		.mask = FANOTIFY_PERM_EVENTS & ~FANOTIFY_PRE_CONTENT_EVENTS,
		.cmd = FAN_MARK_ADD,
		.ignore = FAN_MARK_IGNORED_MASK,
		.obj_type = FSNOTIFY_OBJ_TYPE_INODE,
		.sb = inode->i_sb,
	};
	struct fsnotify_mark *mark;

	if (fsid)
		req.fsid = *fsid;
	fsnotify_group_lock(group);
	mark = fsnotify_find_mark(inode, FSNOTIFY_OBJ_TYPE_INODE, group);
	/*
	 * An ignore mask on a subtree mark would silence the whole tree, not
	 * the one directory the verdict was about: nothing is cached.
	 */
	if (mark && (mark->flags & FSNOTIFY_MARK_FLAG_SUBTREE)) {
		fsnotify_group_unlock(group);
		fsnotify_put_mark(mark);
		return 0;
	}
	if (mark) {
		/* Fit the cache to the listener's mark, never the reverse. */
		if (!(mark->flags & FSNOTIFY_MARK_FLAG_NO_IREF))
			req.flags &= ~FAN_MARK_EVICTABLE;
		if (mark->flags & FSNOTIFY_MARK_FLAG_HAS_IGNORE_FLAGS)
			req.ignore = FAN_MARK_IGNORE;
		if (mark->flags & FSNOTIFY_MARK_FLAG_IGNORED_SURV_MODIFY)
			req.flags |= FAN_MARK_IGNORED_SURV_MODIFY;
	}
	/*
	 * As for fanotify_mark(): a file open for writing would clear an
	 * ignore mask that does not survive modification at any moment, so
	 * none is added.
	 */
	if (!(req.flags & FAN_MARK_IGNORED_SURV_MODIFY) &&
	    inode_is_open_for_write(inode)) {
		fsnotify_group_unlock(group);
		if (mark)
			fsnotify_put_mark(mark);
		return 0;
	}
	if (!mark) {
		mark = create_mark(group, inode, &req);
		if (IS_ERR(mark)) {
			fsnotify_group_unlock(group);
			return PTR_ERR(mark);
		}
	}
	if (mark_add_bits(mark, &req))
		fsnotify_recalc_mask(mark->connector);
	fsnotify_group_unlock(group);
	fsnotify_put_mark(mark);
	return 0;
}

static int remove_from_mark(struct fsnotify_group *group, void *obj,
			    const struct mark_request *req)
{
	u32 drop = req->mask & ~req->keep;
	struct fsnotify_mark *mark;
	u32 interest_before, interest_after;
	bool destroy;

	fsnotify_group_lock(group);
	mark = fsnotify_find_mark(obj, req->obj_type, group);
	if (mark && !(req->flags & FAN_MARK_SUBTREE) !=
		    !(mark->flags & FSNOTIFY_MARK_FLAG_SUBTREE)) {
		/* No mark of the kind the request names. */
		fsnotify_put_mark(mark);
		mark = NULL;
	}
	if (!mark) {
		fsnotify_group_unlock(group);
		return -ENOENT;
	}

	spin_lock(&mark->lock);
	interest_before = fsnotify_calc_mask(mark);
	if (changes_ignore_mask(req))
		mark->ignore_mask &= ~drop;
	else
		mark->mask &= ~drop;
	interest_after = fsnotify_calc_mask(mark);
	/*
	 * A mark left with only FAN_ONDIR or FAN_EVENT_ON_CHILD stays, so
	 * that masks can be taken apart bit by bit, unless those flags are
	 * ones the request says do not count.
	 */
	destroy = !((mark->mask | mark->ignore_mask) & ~req->keep);
	spin_unlock(&mark->lock);

	/*
	 * Less interest needs a recalculation only if the object showed it.
	 * Less ignored may mean more interest: a non-directory's interest
	 * leaves out what its marks ignore (fsnotify_ignore_cleared()).
	 */
	if (changes_ignore_mask(req) ||
	    ((interest_before & ~interest_after) &
	     fsnotify_conn_mask(mark->connector)))
		fsnotify_recalc_mask(mark->connector);
	if (destroy)
		fsnotify_detach_mark(mark);
	fsnotify_group_unlock(group);
	if (destroy)
		fsnotify_free_mark(mark);
	fsnotify_put_mark(mark);
	return 0;
}

/*
 * FAN_MARK_FLUSH on inode marks removes subtree marks too (they are inode
 * marks); FAN_MARK_FLUSH | FAN_MARK_SUBTREE removes only those.
 */
static void flush_marks(struct fsnotify_group *group,
			const struct mark_request *req)
{
	if (req->flags & FAN_MARK_SUBTREE)
		fsnotify_clear_flagged_marks_by_group(group, req->obj_type,
						      FSNOTIFY_MARK_FLAG_SUBTREE);
	else
		fsnotify_clear_marks_by_group(group, req->obj_type);
}

/*
 * Adjust the request to its target once the path is known.
 *
 * Return: 0 to go on, 1 to succeed without doing anything, or -errno.
 */
static int fit_request_to_target(struct fsnotify_group *group,
				 struct mark_request *req,
				 const struct path *path)
{
	struct inode *inode = d_inode(path->dentry);
	bool inode_mark = req->obj_type == FSNOTIFY_OBJ_TYPE_INODE;
	bool dir_target = inode_mark && S_ISDIR(inode->i_mode);

	if (req->cmd == FAN_MARK_ADD && req->ignore &&
	    !(req->flags & FAN_MARK_IGNORED_SURV_MODIFY)) {
		/* The new API wants survival spelled out where it is implied. */
		if (req->ignore == FAN_MARK_IGNORE && !inode_mark)
			return -EINVAL;
		if (req->ignore == FAN_MARK_IGNORE && dir_target)
			return -EISDIR;
		/*
		 * A writer would clear the ignore mask at once: an ignore
		 * mask for a file open for write is a silent no-op.
		 */
		if (inode_mark && inode_is_open_for_write(inode))
			return 1;
	}

	/*
	 * Only a directory has children to watch.  Elsewhere FAN_EVENT_ON_CHILD
	 * is only ever set by the kernel (below), so it alone does not keep a
	 * mark; FAN_ONDIR does, even after a legacy ignore-mask removal, which
	 * on a directory would let such a mark go.  That is upstream's ABI:
	 * programs remove their bits one call at a time and expect the mark
	 * to be there for the next call.
	 */
	/*
	 * A subtree mark acts as a mark with FAN_EVENT_ON_CHILD on every
	 * directory of the tree: the flag is the kernel's to set, in the
	 * mask or the ignore mask the request changes, and alone it keeps
	 * no mark.
	 */
	if (req->flags & FAN_MARK_SUBTREE) {
		req->mask |= FAN_EVENT_ON_CHILD;
		req->keep |= FAN_EVENT_ON_CHILD;
		return 0;
	}

	if (!dir_target) {
		req->mask &= ~FAN_EVENT_ON_CHILD;
		req->keep = FAN_EVENT_ON_CHILD;
		/*
		 * To report the parent of a non-directory, its events must
		 * come with the parent and name: FAN_EVENT_ON_CHILD on such
		 * a mark asks the fsnotify core for exactly that.
		 */
		if ((group_fid_mode(group) & FAN_REPORT_DIR_FID) &&
		    req->cmd == FAN_MARK_ADD && !req->ignore)
			req->mask |= FAN_EVENT_ON_CHILD;
	}
	return 0;
}

/*
 * FAN_MARK_MNTNS: the path is a mount namespace's nsfs file, which stands
 * for the namespace; nothing about the file itself matters.
 */
static int mark_mntns(struct fsnotify_group *group, struct mark_request *req,
		      const struct path *path)
{
	struct mnt_namespace *mntns = fanotify_mntns_target(path);
	int ret;

	if (IS_ERR(mntns))
		return PTR_ERR(mntns);
	ret = security_path_notify(path, req->mask, req->obj_type);
	if (ret)
		return ret;
	if (req->cmd == FAN_MARK_ADD)
		return add_to_mark(group, mntns, req);
	return remove_from_mark(group, mntns, req);
}

static int mark_path(struct fsnotify_group *group, struct mark_request *req,
		     int dfd, const char __user *pathname)
{
	struct path path;
	int ret;

	ret = lookup_target(dfd, pathname, req->flags, &path);
	if (ret)
		return ret;

	/* A tree has a directory at its root, as FAN_MARK_ONLYDIR says. */
	if ((req->flags & FAN_MARK_SUBTREE) && !d_is_dir(path.dentry)) {
		ret = -ENOTDIR;
		goto put_path;
	}
	if (req->obj_type == FSNOTIFY_OBJ_TYPE_MNTNS) {
		ret = mark_mntns(group, req, &path);
		goto put_path;
	}

	if (req->cmd == FAN_MARK_ADD) {
		ret = check_target_supports(group, req, &path);
		if (ret)
			goto put_path;
	}

	/* Watching an object is reading it. */
	ret = path_permission(&path, MAY_READ);
	if (ret)
		goto put_path;
	ret = security_path_notify(&path, req->mask, req->obj_type);
	if (ret)
		goto put_path;

	if (group_fid_mode(group)) {
		ret = fanotify_fid_check_target(group, req->obj_type, path.dentry,
						&req->fsid, &req->fsid_weak);
		if (ret)
			goto put_path;
		req->sb = path.dentry->d_sb;
	}

	ret = fit_request_to_target(group, req, &path);
	if (ret)
		goto put_path;

	if (req->cmd == FAN_MARK_ADD)
		ret = add_to_mark(group, mark_object(req, &path), req);
	else
		ret = remove_from_mark(group, mark_object(req, &path), req);
put_path:
	path_put(&path);
	return ret > 0 ? 0 : ret;
}

static int do_fanotify_mark(int fanotify_fd, unsigned int flags, u64 mask,
			    int dfd, const char __user *pathname)
{
	struct fsnotify_group *group;
	struct mark_request req;
	int ret;

	ret = decode_request(&req, flags, mask);
	if (ret)
		return ret;

	CLASS(fd, f)(fanotify_fd);
	if (fd_empty(f))
		return -EBADF;
	if (fd_file(f)->f_op != &fanotify_fops)
		return -EINVAL;
	group = fd_file(f)->private_data;

	ret = check_group_may(group, &req);
	if (ret)
		return ret;

	if (req.cmd == FAN_MARK_FLUSH) {
		flush_marks(group, &req);
		return 0;
	}
	return mark_path(group, &req, dfd, pathname);
}

SYSCALL_DEFINE5(fanotify_mark, int, fanotify_fd, unsigned int, flags,
		__u64, mask, int, dfd, const char __user *, pathname)
{
	return do_fanotify_mark(fanotify_fd, flags, mask, dfd, pathname);
}

#ifdef CONFIG_COMPAT
/* 32-bit callers pass the 64-bit mask as two 32-bit halves. */
COMPAT_SYSCALL_DEFINE6(fanotify_mark, int, fanotify_fd, unsigned int, flags,
		       compat_arg_u64_dual(mask), int, dfd,
		       const char __user *, pathname)
{
	return do_fanotify_mark(fanotify_fd, flags, compat_arg_u64_glue(mask),
				dfd, pathname);
}
#endif
