// SPDX-License-Identifier: GPL-2.0
/*
 * Differential dump of file-handle reporting (run by kit/diff on stock and
 * on ours; the outputs must be identical).  Asserts nothing itself: the
 * other kernel's output is the oracle.  Handles are printed as the label
 * of the object name_to_handle_at() gave the same handle for; pids as
 * self/other/0; fds as 99 when valid.
 */
#define _GNU_SOURCE
#include "fanotify/common.h"
#include <sys/statfs.h>
#include <sys/vfs.h>
#include <sys/wait.h>

static char root[DIR_PATH_LEN];
struct known { char label[64]; unsigned char fh[128]; int len; int type; };
static struct known known[256];
static int nknown;
static __kernel_fsid_t fsid;

static void learn(const char *label, const char *path)
{
	struct { struct file_handle h; unsigned char b[128]; } fh;
	int mnt;
	fh.h.handle_bytes = 128;
	if (name_to_handle_at(AT_FDCWD, path, &fh.h, &mnt, 0))
		return;
	struct known *k = &known[nknown++ % 256];
	snprintf(k->label, sizeof(k->label), "%s", label);
	memcpy(k->fh, fh.h.f_handle, fh.h.handle_bytes);
	k->len = fh.h.handle_bytes;
	k->type = fh.h.handle_type;
}

static const char *lookup(unsigned char *b, int len, int type)
{
	for (int i = nknown - 1; i >= 0; i--)
		if (known[i].len == len && known[i].type == type && !memcmp(known[i].fh, b, len))
			return known[i].label;
	return "?";
}

static void dump(int fd, const char *tag)
{
	char buf[65536] __attribute__((aligned(8)));
	int n = 0;
	ioctl(fd, FIONREAD, &n);
	printf("[%s] fionread=%d\n", tag, n);
	ssize_t len = read(fd, buf, sizeof(buf));
	if (len < 0) { printf("  read errno=%d\n", errno); return; }
	for (struct fanotify_event_metadata *m = (void *)buf; FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
		printf("  ev len=%u mask=%llx pid=%s fd=%d\n", m->event_len, (unsigned long long)m->mask,
		       m->pid == getpid() ? "self" : (m->pid ? "other" : "0"), m->fd >= 0 ? 99 : m->fd);
		if (m->fd >= 0) close(m->fd);
		char *p = (char *)(m + 1), *end = (char *)m + m->event_len;
		while (p < end) {
			struct fanotify_event_info_header *h = (void *)p;
			printf("    info type=%u len=%u", h->info_type, h->len);
			if (h->info_type == FAN_EVENT_INFO_TYPE_PIDFD) {
				struct fanotify_event_info_pidfd *pi = (void *)h;
				printf(" pidfd=%s", pi->pidfd >= 0 ? "ok" : (pi->pidfd == FAN_NOPIDFD ? "NOPIDFD" : "err"));
				if (pi->pidfd >= 0) close(pi->pidfd);
			} else if (h->info_type == FAN_EVENT_INFO_TYPE_ERROR) {
				struct fanotify_event_info_error *e = (void *)h;
				printf(" error=%d count=%u", e->error, e->error_count);
			} else {
				struct fanotify_event_info_fid *fi = (void *)h;
				struct file_handle *fh = (void *)fi->handle;
				printf(" fsid=%s htype=%d hbytes=%u obj=%s", memcmp(&fi->fsid, &fsid, sizeof(fsid)) ? "OTHER" : "ok",
				       fh->handle_type, fh->handle_bytes, lookup(fh->f_handle, fh->handle_bytes, fh->handle_type));
				char *name = (char *)fh->f_handle + fh->handle_bytes;
				if (name < p + h->len && *name) printf(" name='%s'", name);
				/* padding bytes */
				int nonzero = 0;
				char *q = name + (name < p + h->len && *name ? strlen(name) + 1 : 0);
				for (; q < p + h->len; q++) nonzero |= *q;
				if (nonzero) printf(" PADDING-NONZERO");
			}
			printf("\n");
			if (!h->len) break;
			p += h->len;
		}
	}
}

static void P(char *out, const char *rel) { snprintf(out, 256, "%s/%s", root, rel); }

static void run(unsigned int init, const char *iname, unsigned int mtype, const char *mname, int mark_file)
{
	char a[256], b[256], c[256], d[256], dir2[256], sub[256];
	int fd = sys_fanotify_init(init | FAN_NONBLOCK, O_RDONLY);
	printf("== %s %s%s\n", iname, mname, mark_file ? " (file)" : "");
	if (fd < 0) { printf("init errno=%d\n", errno); return; }
	P(a, "d1"); P(dir2, "d2"); mkdir(a, 0755); mkdir(dir2, 0755);
	learn("d1", a); learn("d2", dir2); learn("root", root);
	P(b, "d1/f"); create_file(b, "x"); learn("d1/f", b);
	uint64_t mask = FAN_CREATE | FAN_DELETE | FAN_MOVED_FROM | FAN_MOVED_TO | FAN_ATTRIB | FAN_DELETE_SELF |
			FAN_MOVE_SELF | FAN_MODIFY | FAN_CLOSE_WRITE | FAN_OPEN | FAN_ONDIR;
	if (init & FAN_REPORT_NAME) mask |= FAN_RENAME;
	if (mtype == FAN_MARK_INODE && !mark_file) mask |= FAN_EVENT_ON_CHILD;
	int r = sys_fanotify_mark(fd, FAN_MARK_ADD | mtype, mask, AT_FDCWD, mark_file ? b : a);
	if (r) { printf("mark errno=%d\n", errno); goto out; }
	if (!mark_file && mtype == FAN_MARK_INODE) {
		r = sys_fanotify_mark(fd, FAN_MARK_ADD | mtype, mask, AT_FDCWD, dir2);
		printf("mark2 r=%d errno=%d\n", r, r ? errno : 0);
	}
	int w = open(b, O_WRONLY); write(w, "y", 1); close(w);
	chmod(b, 0600);
	dump(fd, "modify+attrib file");
	P(c, "d1/new"); create_file(c, "z"); learn("d1/new", c);
	P(sub, "d1/sub"); mkdir(sub, 0755); learn("d1/sub", sub);
	chmod(a, 0700);
	dump(fd, "create file+mkdir+chmod dir");
	P(d, "d1/renamed"); rename(c, d);
	dump(fd, "rename in dir");
	P(d, "d2/moved"); rename(b, d); 
	dump(fd, "rename across");
	char s2[256]; P(s2, "d2/sub2"); rename(sub, s2);
	dump(fd, "rename dir across");
	unlink(d); rmdir(s2);
	dump(fd, "unlink+rmdir");
	P(c, "d1/renamed"); unlink(c);
	dump(fd, "unlink2");
out:
	close(fd);
	remove_tree(a); remove_tree(dir2);
	nknown = 0;
}

TEST(fid_dump)
{
	struct statfs st;
	ASSERT_EQ(0, setup_private_tmpfs(root));
	ASSERT_EQ(0, statfs(root, &st));
	memcpy(&fsid, &st.f_fsid, sizeof(fsid));
	struct { unsigned int f; const char *n; } modes[] = {
		{ FAN_REPORT_FID, "FID" }, { FAN_REPORT_DIR_FID, "DIR_FID" }, { FAN_REPORT_DFID_NAME, "DFID_NAME" },
		{ FAN_REPORT_FID | FAN_REPORT_DIR_FID, "FID|DIR_FID" }, { FAN_REPORT_DFID_NAME | FAN_REPORT_FID, "DFID_NAME|FID" },
		{ FAN_REPORT_DFID_NAME_TARGET, "DFID_NAME_TARGET" },
		{ FAN_REPORT_FID | FAN_REPORT_PIDFD, "FID|PIDFD" }, { FAN_REPORT_DFID_NAME | FAN_REPORT_FD_ERROR, "DFID_NAME|FD_ERROR" },
	};
	for (int i = 0; i < ARRAY_SIZE(modes); i++) {
		run(modes[i].f, modes[i].n, FAN_MARK_INODE, "inode", 0);
		run(modes[i].f, modes[i].n, FAN_MARK_INODE, "inode", 1);
		run(modes[i].f, modes[i].n, FAN_MARK_FILESYSTEM, "fs", 0);
		run(modes[i].f, modes[i].n, FAN_MARK_MOUNT, "mount", 0);
	}
	/* fd mode + pidfd */
	char a[256], b[256];
	int fd = sys_fanotify_init(FAN_REPORT_PIDFD | FAN_NONBLOCK, O_RDONLY);
	P(a, "pf"); create_file(a, "1");
	printf("pidfd init fd=%d\n", fd >= 0);
	sys_fanotify_mark(fd, FAN_MARK_ADD, FAN_OPEN | FAN_CLOSE, AT_FDCWD, a);
	open_close_file(a, O_RDONLY);
	dump(fd, "fd+pidfd");
	close(fd);
	/* A full queue: overflow records carry a pidfd record too. */
	long saved;
	ASSERT_EQ(0, sysctl_read("/proc/sys/fs/fanotify/max_queued_events", &saved));
	ASSERT_EQ(0, sysctl_write("/proc/sys/fs/fanotify/max_queued_events", 2));
	fd = sys_fanotify_init(FAN_REPORT_DFID_NAME | FAN_REPORT_PIDFD | FAN_NONBLOCK, O_RDONLY);
	ASSERT_EQ(0, sysctl_write("/proc/sys/fs/fanotify/max_queued_events", saved));
	P(a, "ovf"); mkdir(a, 0755); learn("ovf", a);
	printf("overflow mark %d\n", sys_fanotify_mark(fd, FAN_MARK_ADD, FAN_CREATE, AT_FDCWD, a));
	for (int i = 0; i < 5; i++) {
		char f[300];
		snprintf(f, sizeof(f), "%s/f%d", a, i);
		create_file(f, "");
	}
	dump(fd, "overflow");
	close(fd);
	/* FAN_REPORT_TID with FID, events from this thread */
	fd = sys_fanotify_init(FAN_REPORT_FID | FAN_REPORT_TID | FAN_NONBLOCK, O_RDONLY);
	printf("tid mark %d\n", sys_fanotify_mark(fd, FAN_MARK_ADD, FAN_CREATE | FAN_ONDIR, AT_FDCWD, a));
	P(b, "ovf/sub"); mkdir(b, 0755);
	dump(fd, "tid");
	close(fd);
	fflush(stdout);
	teardown_private_tmpfs(root);
}

static void fdinfo(int fd)
{
	char path[64], line[512];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "fanotify", 8)) {
			char *h = strstr(line, " fhandle-bytes"); if (h) *h = 0;
			char *i = strstr(line, "ino:"); if (i) { char *sp = strchr(i, ' '); memmove(i, sp, strlen(sp) + 1); }
			char *m = strstr(line, "mnt_id:"); if (m) { char *sp = strchr(m, ' '); if (sp) memmove(m, sp, strlen(sp) + 1); }
			char *sd = strstr(line, "sdev:"); if (sd) { char *sp = strchr(sd, ' '); if (sp) memmove(sd, sp, strlen(sp) + 1); else *sd = 0; }
			printf("   fdinfo: %s", line);
			if (line[strlen(line) - 1] != '\n') printf("\n");
		}
	}
	if (f) fclose(f);
}

TEST(errno_matrix)
{
	char tmp[DIR_PATH_LEN], ovl[256], lower[256], upper[256], work[256], opts[1024], file[256];
	ASSERT_EQ(0, setup_private_tmpfs(tmp));
	snprintf(lower, 256, "%s/lower", tmp); snprintf(upper, 256, "%s/upper", tmp);
	snprintf(work, 256, "%s/work", tmp); snprintf(ovl, 256, "%s/ovl", tmp);
	mkdir(lower, 0755); mkdir(upper, 0755); mkdir(work, 0755); mkdir(ovl, 0755);
	snprintf(file, 256, "%s/lf", lower); create_file(file, "x");
	snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s", lower, upper, work);
	int r = mount("overlay", ovl, "overlay", 0, opts);
	printf("overlay mount %d\n", r);
	snprintf(file, 256, "%s/lf", ovl);
	const char *targets[] = { "/", "/usr/bin", "/proc/self", "/sys", tmp, ovl, file, "/dev/null", "/dev" };
	unsigned int modes[] = { 0, FAN_REPORT_FID, FAN_REPORT_DIR_FID, FAN_REPORT_DFID_NAME, FAN_REPORT_DFID_NAME_TARGET, FAN_REPORT_FID | FAN_REPORT_FD_ERROR };
	unsigned int mtypes[] = { FAN_MARK_INODE, FAN_MARK_MOUNT, FAN_MARK_FILESYSTEM };
	uint64_t masks[] = { FAN_OPEN, FAN_CREATE | FAN_ONDIR, FAN_RENAME, FAN_FS_ERROR, FAN_DELETE_SELF | FAN_EVENT_ON_CHILD, FAN_ATTRIB | FAN_ONDIR | FAN_EVENT_ON_CHILD };
	for (int m = 0; m < ARRAY_SIZE(modes); m++) {
		for (int t = 0; t < ARRAY_SIZE(targets); t++) {
			for (int y = 0; y < ARRAY_SIZE(mtypes); y++) {
				printf("mode=%x target=%d type=%x:", modes[m], t, mtypes[y]);
				for (int k = 0; k < ARRAY_SIZE(masks); k++) {
					int fd = sys_fanotify_init(modes[m], O_RDONLY);
					int r = sys_fanotify_mark(fd, FAN_MARK_ADD | mtypes[y], masks[k], AT_FDCWD, targets[t]);
					printf(" %d", r ? errno : 0);
					if (!r && k == 5) fdinfo(fd);
					/* ignore variants */
					r = sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_IGNORE | mtypes[y], masks[k], AT_FDCWD, targets[t]);
					printf("/%d", r ? errno : 0);
					r = sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_IGNORE | FAN_MARK_IGNORED_SURV_MODIFY | FAN_MARK_EVICTABLE | mtypes[y], masks[k], AT_FDCWD, targets[t]);
					printf("/%d", r ? errno : 0);
					r = sys_fanotify_mark(fd, FAN_MARK_REMOVE | mtypes[y], masks[k], AT_FDCWD, targets[t]);
					printf("/%d", r ? errno : 0);
					close(fd);
				}
				printf("\n");
			}
		}
	}
	/* mixing weak and strong fsid: 9p (maybe weak) then tmpfs */
	for (int m = 1; m < 3; m++) {
		int fd = sys_fanotify_init(modes[m], O_RDONLY);
		int r1 = sys_fanotify_mark(fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, "/usr/bin");
		int e1 = errno;
		int r2 = sys_fanotify_mark(fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, tmp);
		int e2 = errno;
		int r3 = sys_fanotify_mark(fd, FAN_MARK_ADD, FAN_OPEN, AT_FDCWD, "/usr");
		printf("mix mode=%x: %d/%d %d/%d %d/%d\n", modes[m], r1, r1 ? e1 : 0, r2, r2 ? e2 : 0, r3, r3 ? errno : 0);
		fdinfo(fd);
		close(fd);
	}
	/* unprivileged */
	pid_t pid = fork();
	if (!pid) {
		drop_to_nobody();
		for (int m = 0; m < ARRAY_SIZE(modes); m++) {
			int fd = sys_fanotify_init(modes[m], O_RDONLY);
			printf("unpriv init mode=%x -> %d\n", modes[m], fd < 0 ? errno : 0);
			if (fd >= 0) {
				int r = sys_fanotify_mark(fd, FAN_MARK_ADD, FAN_OPEN | FAN_ONDIR, AT_FDCWD, "/tmp");
				printf("  inode mark %d\n", r ? errno : 0);
				r = sys_fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_OPEN, AT_FDCWD, "/tmp");
				printf("  fs mark %d\n", r ? errno : 0);
				fdinfo(fd);
				close(fd);
			}
		}
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	fflush(stdout);
	umount2(ovl, MNT_DETACH);
	teardown_private_tmpfs(tmp);
}
TEST_HARNESS_MAIN
