/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Small ext4 images for the fanotify selftests that need a real block
 * filesystem (FAN_FS_ERROR, fatrace): helper programs from the host root
 * (mkfs.ext4, debugfs) and loop mounts through /dev/loop-control.
 */
#ifndef _SELFTESTS_FANOTIFY_EXT4_IMAGE_H
#define _SELFTESTS_FANOTIFY_EXT4_IMAGE_H

#include <linux/loop.h>
#include <sys/wait.h>

#include "common.h"

static const char *const mkfs_cands[] __maybe_unused = {
	"/usr/sbin/mkfs.ext4", "/sbin/mkfs.ext4", NULL
};

static const char *const debugfs_cands[] __maybe_unused = {
	"/usr/sbin/debugfs", "/sbin/debugfs", NULL
};

/* The first of @cands that is executable, or NULL. */
static inline __maybe_unused const char *find_prog(const char *const *cands)
{
	for (; *cands; cands++)
		if (!access(*cands, X_OK))
			return *cands;
	return NULL;
}

/*
 * Runs @argv with stdout discarded, and stderr too if @quiet (debugfs prints its banner there;
 * failures show in the status).  Returns the exit status, -1 if it could not run.
 */
static inline __maybe_unused int run_prog(char *const argv[], bool quiet)
{
	int status, null;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			if (quiet)
				dup2(null, STDERR_FILENO);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * Binds @img to a free loop device (autoclear: it goes away with the last user) and mounts it
 * on @mnt as ext4 with @opts.  Returns 0 or -1.
 */
static inline __maybe_unused int loop_mount(const char *img, const char *mnt, const char *opts)
{
	int ctl, lfd = -1, ffd, n, tries, ret = -1;
	struct loop_config cfg;
	char dev[32];

	ffd = open(img, O_RDWR | O_CLOEXEC);
	if (ffd < 0)
		return -1;
	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		goto out;
	for (tries = 0; tries < 10; tries++) {
		n = ioctl(ctl, LOOP_CTL_GET_FREE);
		if (n < 0)
			break;
		snprintf(dev, sizeof(dev), "/dev/loop%d", n);
		lfd = open(dev, O_RDWR | O_CLOEXEC);
		if (lfd < 0)
			break;
		memset(&cfg, 0, sizeof(cfg));
		cfg.fd = ffd;
		cfg.info.lo_flags = LO_FLAGS_AUTOCLEAR;
		if (!ioctl(lfd, LOOP_CONFIGURE, &cfg))
			break;
		close(lfd);
		lfd = -1;
		/* Raced with another user of that device: take the next one. */
		if (errno != EBUSY)
			break;
	}
	close(ctl);
	if (lfd < 0)
		goto out;
	ret = mount(dev, mnt, "ext4", 0, opts);
	/* The mount holds the device now; autoclear detaches it after the unmount. */
	close(lfd);
out:
	close(ffd);
	return ret;
}

#endif /* _SELFTESTS_FANOTIFY_EXT4_IMAGE_H */
