// SPDX-License-Identifier: GPL-2.0
/*
 * Several permission groups judging one access.
 *
 * Upstream asks the groups of one class one after the other, each waiting
 * for its verdict before the next hears of the access.  Ours asks every
 * group of a class at once and waits once: deny if any group denies (the
 * first denial ends the wait and takes the other copies back), allow when
 * all allow.  Classes keep their order: every FAN_CLASS_PRE_CONTENT group
 * before any FAN_CLASS_CONTENT group, and a denial in the first means the
 * second is never asked.
 *
 * Tests that only observe what upstream also guarantees run on both
 * kernels; those that need the groups of a class to hear of the access
 * together say so and skip on the stock kernel.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <pthread.h>

#include "perm_common.h"

#define BEYOND "beyond upstream: the groups of a class are asked together"
#define NGROUPS 3

FIXTURE(parallel)
{
	char dir[DIR_PATH_LEN];
	char file[FILE_PATH_LEN];
	int fan[NGROUPS];
	pid_t child;
};

FIXTURE_SETUP(parallel)
{
	int i;

	self->child = -1;
	for (i = 0; i < NGROUPS; i++)
		self->fan[i] = -1;
	ASSERT_EQ(0, perm_mount_tmpfs(self->dir)) {
		TH_LOG("private tmpfs: %s", strerror(errno));
	}
	snprintf(self->file, sizeof(self->file), "%s/file", self->dir);
	ASSERT_EQ(0, create_file(self->file, "judged\n"));
}

/* In the parent: a blocked accessor is not its child, it is only killed. */
FIXTURE_TEARDOWN_PARENT(parallel)
{
	if (self->child > 0)
		kill(self->child, SIGKILL);
	perm_umount_tmpfs(self->dir);
}

static int open_group(FIXTURE_DATA(parallel) *self, int i, unsigned int class)
{
	self->fan[i] = sys_fanotify_init(class | FAN_CLOEXEC | FAN_NONBLOCK,
					 O_RDONLY | O_CLOEXEC);
	if (self->fan[i] < 0)
		return -1;
	return sys_fanotify_mark(self->fan[i], FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD,
				 self->file);
}

static int queued_bytes(int fan_fd)
{
	int n = -1;

	if (ioctl_fionread(fan_fd, &n))
		return -1;
	return n;
}

/* Every group of the class has the access queued before any answered. */
TEST_F(parallel, all_groups_hear_at_once)
{
	struct fanotify_event_metadata m[NGROUPS];
	int i, code;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	for (i = 0; i < NGROUPS; i++)
		ASSERT_EQ(0, open_group(self, i, FAN_CLASS_CONTENT));
	self->child = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, self->child);
	for (i = 0; i < NGROUPS; i++)
		ASSERT_EQ(0, read_one_event(self->fan[i], &m[i], EVENT_TIMEOUT_MS)) {
			TH_LOG("group %d never heard of the access", i);
		}
	/* Two allows are not enough: the access waits for the third. */
	EXPECT_EQ(sizeof(struct fanotify_response), respond(self->fan[2], m[2].fd, FAN_ALLOW));
	EXPECT_EQ(sizeof(struct fanotify_response), respond(self->fan[0], m[0].fd, FAN_ALLOW));
	EXPECT_TRUE(still_blocked(self->child, BLOCKED_MS));
	EXPECT_EQ(sizeof(struct fanotify_response), respond(self->fan[1], m[1].fd, FAN_ALLOW));
	code = wait_child(self->child, CHILD_EXIT_TIMEOUT_MS);
	self->child = -1;
	EXPECT_EQ(0, code);
	for (i = 0; i < NGROUPS; i++)
		close(m[i].fd);
}

/*
 * One group denies at once, one never reads, one reads and never answers:
 * the access is denied promptly, the unread copy leaves its queue, and the
 * read one still takes its (moot) answer.
 */
TEST_F(parallel, first_denial_decides)
{
	struct fanotify_event_metadata deny, silent;
	int code;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, open_group(self, 0, FAN_CLASS_CONTENT));
	ASSERT_EQ(0, open_group(self, 1, FAN_CLASS_CONTENT));
	ASSERT_EQ(0, open_group(self, 2, FAN_CLASS_CONTENT));
	self->child = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, self->child);

	ASSERT_EQ(0, read_one_event(self->fan[2], &silent, EVENT_TIMEOUT_MS));
	ASSERT_EQ(0, wait_readable(self->fan[1], EVENT_TIMEOUT_MS) > 0 ? 0 : -1);
	EXPECT_EQ(FAN_EVENT_METADATA_LEN, queued_bytes(self->fan[1]));
	ASSERT_EQ(0, read_one_event(self->fan[0], &deny, EVENT_TIMEOUT_MS));
	EXPECT_EQ(sizeof(struct fanotify_response), respond(self->fan[0], deny.fd, FAN_DENY));

	code = wait_child(self->child, CHILD_EXIT_TIMEOUT_MS);
	self->child = -1;
	EXPECT_EQ(EPERM, code);
	/* Withdrawn: the group that never read it never will. */
	EXPECT_EQ(0, queued_bytes(self->fan[1]));
	EXPECT_TRUE(no_event(self->fan[1]));
	/* Read before the denial: the answer is taken, and changes nothing. */
	EXPECT_EQ(sizeof(struct fanotify_response), respond(self->fan[2], silent.fd, FAN_ALLOW));
	EXPECT_EQ(-1, respond(self->fan[2], silent.fd, FAN_ALLOW));
	EXPECT_EQ(ENOENT, errno);
	close(deny.fd);
	close(silent.fd);
}

/* A denial's errno and the next access: nothing of the first access lingers. */
TEST_F(parallel, next_access_after_denial)
{
	struct fanotify_event_metadata m;
	int i, code;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, open_group(self, i, FAN_CLASS_CONTENT));
	self->child = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, self->child);
	ASSERT_EQ(0, read_one_event(self->fan[1], &m, EVENT_TIMEOUT_MS));
	EXPECT_EQ(sizeof(struct fanotify_response), respond(self->fan[1], m.fd, FAN_DENY));
	close(m.fd);
	code = wait_child(self->child, CHILD_EXIT_TIMEOUT_MS);
	self->child = -1;
	EXPECT_EQ(EPERM, code);
	EXPECT_TRUE(no_event(self->fan[0]));

	/* Second access: both groups are asked again, both allow. */
	self->child = spawn_access(PERM_OP_READ, self->file);
	ASSERT_LT(0, self->child);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, read_one_event(self->fan[i], &m, EVENT_TIMEOUT_MS));
		EXPECT_EQ(sizeof(struct fanotify_response), respond(self->fan[i], m.fd, FAN_ALLOW));
		close(m.fd);
	}
	code = wait_child(self->child, CHILD_EXIT_TIMEOUT_MS);
	self->child = -1;
	EXPECT_EQ(0, code);
}

/*
 * Answer whatever event any of the @n groups has, @verdict for group
 * @deciding and FAN_ALLOW for the others, until @child ends.  Return: how
 * many events were answered; *@code gets the child's exit code.
 */
static int serve_until_done(int *fan, int n, int deciding, uint32_t verdict,
			    pid_t child, int *code)
{
	struct fanotify_event_metadata m;
	int answered = 0, i;

	for (;;) {
		for (i = 0; i < n; i++) {
			if (read(fan[i], &m, sizeof(m)) != sizeof(m))
				continue;
			respond(fan[i], m.fd, i == deciding ? verdict : FAN_ALLOW);
			close(m.fd);
			answered++;
		}
		*code = wait_child(child, 2);
		if (*code != CHILD_TIMEOUT)
			return answered;
	}
}

/*
 * A denial decides while another group holds a read copy, whose answer
 * comes at once: the waiter must let go of that copy before the answer
 * frees it.  Many rounds, so that the debug kernel (KASAN) sees the race.
 */
TEST_F_TIMEOUT(parallel, moot_answers_race_the_waiter, 300)
{
	struct fanotify_event_metadata deny, moot;
	int round, rounds = kernel_is_debug() ? 50 : 200;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	ASSERT_EQ(0, open_group(self, 0, FAN_CLASS_CONTENT));
	ASSERT_EQ(0, open_group(self, 1, FAN_CLASS_CONTENT));
	for (round = 0; round < rounds; round++) {
		self->child = spawn_access(PERM_OP_OPEN, self->file);
		ASSERT_LT(0, self->child);
		ASSERT_EQ(0, read_one_event(self->fan[0], &deny, EVENT_TIMEOUT_MS));
		ASSERT_EQ(0, read_one_event(self->fan[1], &moot, EVENT_TIMEOUT_MS));
		ASSERT_EQ(sizeof(struct fanotify_response),
			  respond(self->fan[0], deny.fd, FAN_DENY));
		ASSERT_EQ(sizeof(struct fanotify_response),
			  respond(self->fan[1], moot.fd, FAN_ALLOW));
		ASSERT_EQ(EPERM, wait_child(self->child, CHILD_EXIT_TIMEOUT_MS));
		self->child = -1;
		close(deny.fd);
		close(moot.fd);
	}
}

/* Upstream's class order, on both kernels: PRE_CONTENT decides first. */
TEST_F(parallel, pre_content_denial_spares_content)
{
	struct fanotify_event_metadata m;
	int code;

	ASSERT_EQ(0, open_group(self, 0, FAN_CLASS_PRE_CONTENT));
	ASSERT_EQ(0, open_group(self, 1, FAN_CLASS_CONTENT));
	ASSERT_EQ(0, open_group(self, 2, FAN_CLASS_CONTENT));
	self->child = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, self->child);
	ASSERT_EQ(0, read_one_event(self->fan[0], &m, EVENT_TIMEOUT_MS));
	/* The content groups are not asked while the pre-content one decides. */
	EXPECT_TRUE(no_event(self->fan[1]));
	EXPECT_TRUE(no_event(self->fan[2]));
	EXPECT_EQ(sizeof(struct fanotify_response), respond(self->fan[0], m.fd, FAN_DENY));
	close(m.fd);
	code = wait_child(self->child, CHILD_EXIT_TIMEOUT_MS);
	self->child = -1;
	EXPECT_EQ(EPERM, code);
	EXPECT_TRUE(no_event(self->fan[1]));
	EXPECT_TRUE(no_event(self->fan[2]));
}

TEST_F(parallel, pre_content_allows_content_decides)
{
	struct fanotify_event_metadata m;
	int code, answered;

	ASSERT_EQ(0, open_group(self, 0, FAN_CLASS_PRE_CONTENT));
	ASSERT_EQ(0, open_group(self, 1, FAN_CLASS_CONTENT));
	ASSERT_EQ(0, open_group(self, 2, FAN_CLASS_CONTENT));
	self->child = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, self->child);
	ASSERT_EQ(0, read_one_event(self->fan[0], &m, EVENT_TIMEOUT_MS));
	EXPECT_EQ(sizeof(struct fanotify_response), respond(self->fan[0], m.fd, FAN_ALLOW));
	close(m.fd);
	/*
	 * The content groups decide, the second one denies.  Ours asks both at
	 * once; upstream may ask the denying one first and stop there.
	 */
	if (!kernel_is_stock()) {
		/* Ours: both copies are out before either group answers. */
		ASSERT_LT(0, wait_readable(self->fan[1], EVENT_TIMEOUT_MS));
		ASSERT_LT(0, wait_readable(self->fan[2], EVENT_TIMEOUT_MS));
	}
	answered = serve_until_done(&self->fan[1], 2, 1, FAN_DENY, self->child, &code);
	self->child = -1;
	EXPECT_EQ(EPERM, code);
	EXPECT_LE(1, answered);
	if (!kernel_is_stock())
		EXPECT_EQ(2, answered);
}

/*
 * The accessor is killed while three groups hold copies, read and unread;
 * then every group answers or closes.  Nothing leaks (kmemleak on the
 * debug kernel) and nothing is answered twice.
 */
TEST_F(parallel, accessor_killed_with_copies_out)
{
	struct fanotify_event_metadata m0, m1;

	if (kernel_is_stock())
		SKIP(return, BEYOND);
	for (int i = 0; i < NGROUPS; i++)
		ASSERT_EQ(0, open_group(self, i, FAN_CLASS_CONTENT));
	self->child = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, self->child);
	ASSERT_EQ(0, read_one_event(self->fan[0], &m0, EVENT_TIMEOUT_MS));
	ASSERT_EQ(0, read_one_event(self->fan[1], &m1, EVENT_TIMEOUT_MS));
	ASSERT_EQ(0, wait_readable(self->fan[2], EVENT_TIMEOUT_MS) > 0 ? 0 : -1);
	kill(self->child, SIGKILL);
	EXPECT_EQ(CHILD_SIGNALED + SIGKILL, wait_child(self->child, CHILD_EXIT_TIMEOUT_MS));
	self->child = -1;
	/* The unread copy is gone; the read ones take one answer each. */
	EXPECT_EQ(0, queued_bytes(self->fan[2]));
	EXPECT_EQ(sizeof(struct fanotify_response), respond(self->fan[0], m0.fd, FAN_DENY));
	EXPECT_EQ(-1, respond(self->fan[0], m0.fd, FAN_DENY));
	EXPECT_EQ(ENOENT, errno);
	/* The other read copy goes with its group. */
	close(self->fan[1]);
	self->fan[1] = -1;
	close(m0.fd);
	close(m1.fd);
}

/* One group closes while the others hold copies: the others still decide. */
TEST_F(parallel, one_group_closes)
{
	struct fanotify_event_metadata m;
	int code, answered;

	for (int i = 0; i < NGROUPS; i++)
		ASSERT_EQ(0, open_group(self, i, FAN_CLASS_CONTENT));
	self->child = spawn_access(PERM_OP_OPEN, self->file);
	ASSERT_LT(0, self->child);
	if (!kernel_is_stock()) {
		/* Ours: group 0 holds its copy unanswered while it closes. */
		ASSERT_EQ(0, read_one_event(self->fan[0], &m, EVENT_TIMEOUT_MS));
		close(m.fd);
	}
	close(self->fan[0]);
	self->fan[0] = -1;
	/* The closed group allowed; of the other two, one denies. */
	if (!kernel_is_stock()) {
		/* Ours: both copies are out before either group answers. */
		ASSERT_LT(0, wait_readable(self->fan[1], EVENT_TIMEOUT_MS));
		ASSERT_LT(0, wait_readable(self->fan[2], EVENT_TIMEOUT_MS));
	}
	answered = serve_until_done(&self->fan[1], 2, 1, FAN_DENY, self->child, &code);
	self->child = -1;
	EXPECT_EQ(EPERM, code);
	EXPECT_LE(1, answered);
	if (!kernel_is_stock())
		EXPECT_EQ(2, answered);
}

/*
 * 64 accessors, 4 listeners, each a thread of its own: file i is denied by
 * listener i % 4 if i % 3 == 0, allowed by everyone otherwise.  Every
 * access must get exactly the combined verdict; no event is lost or
 * answered twice.  Upstream's behaviour too, on both kernels.
 */
#define NACCESSORS 64
#define NLISTENERS 4

struct listener_arg {
	int fan_fd;
	int index;
	int answered;
	int errors;
	bool *stop;	/* read and written with __atomic builtins */
};

static int file_index(int fd)
{
	char link[64], target[PATH_MAX];
	const char *base;
	ssize_t len;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	len = readlink(link, target, sizeof(target) - 1);
	if (len < 0)
		return -1;
	target[len] = '\0';
	base = strrchr(target, '/');
	return base && !strncmp(base, "/f", 2) ? atoi(base + 2) : -1;
}

static bool denied_by(int file, int listener)
{
	return file % 3 == 0 && file % NLISTENERS == listener;
}

static void *listener_thread(void *p)
{
	struct listener_arg *arg = p;
	struct fanotify_event_metadata m;
	struct pollfd pfd = { .fd = arg->fan_fd, .events = POLLIN };
	int file;

	while (!__atomic_load_n(arg->stop, __ATOMIC_RELAXED)) {
		if (poll(&pfd, 1, 50) <= 0)
			continue;
		if (read(arg->fan_fd, &m, sizeof(m)) != sizeof(m))
			continue;
		file = file_index(m.fd);
		if (file < 0)
			arg->errors++;
		if (respond(arg->fan_fd, m.fd, denied_by(file, arg->index) ?
			    FAN_DENY : FAN_ALLOW) != sizeof(struct fanotify_response))
			arg->errors++;
		close(m.fd);
		arg->answered++;
	}
	return NULL;
}

TEST_F_TIMEOUT(parallel, many_accessors_many_listeners, 600)
{
	struct listener_arg args[NLISTENERS];
	pthread_t threads[NLISTENERS];
	pid_t kids[NACCESSORS];
	char path[FILE_PATH_LEN];
	bool stop = false;
	int i, code, total = 0, denied = 0;

	for (i = 0; i < NACCESSORS; i++) {
		snprintf(path, sizeof(path), "%s/f%d", self->dir, i);
		ASSERT_EQ(0, create_file(path, "x"));
	}
	for (i = 0; i < NLISTENERS; i++) {
		args[i].fan_fd = sys_fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK,
						   O_RDONLY | O_CLOEXEC);
		ASSERT_LE(0, args[i].fan_fd);
		ASSERT_EQ(0, sys_fanotify_mark(args[i].fan_fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM,
					       FAN_OPEN_PERM, AT_FDCWD, self->dir));
		args[i].index = i;
		args[i].answered = 0;
		args[i].errors = 0;
		args[i].stop = &stop;
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, listener_thread, &args[i]));
	}
	for (i = 0; i < NACCESSORS; i++) {
		snprintf(path, sizeof(path), "%s/f%d", self->dir, i);
		kids[i] = spawn_access(PERM_OP_OPEN, path);
		ASSERT_LT(0, kids[i]);
	}
	for (i = 0; i < NACCESSORS; i++) {
		bool deny = false;
		int l;

		for (l = 0; l < NLISTENERS; l++)
			deny |= denied_by(i, l);
		code = wait_child(kids[i], kernel_is_debug() ? 300000 : 60000);
		EXPECT_EQ(deny ? EPERM : 0, code) {
			TH_LOG("accessor of f%d", i);
		}
		denied += deny;
	}
	__atomic_store_n(&stop, true, __ATOMIC_RELAXED);
	for (i = 0; i < NLISTENERS; i++) {
		pthread_join(threads[i], NULL);
		EXPECT_EQ(0, args[i].errors);
		total += args[i].answered;
		close(args[i].fan_fd);
	}
	/*
	 * Every listener answers every access it was asked about: all of them
	 * when the access was allowed; after a denial the others may or may
	 * not have been asked (upstream stops at the first denial, ours takes
	 * unread copies back), so only bounds hold there.
	 */
	EXPECT_LE((NACCESSORS - denied) * NLISTENERS + denied, total);
	EXPECT_GE(NACCESSORS * NLISTENERS, total);
}

TEST_HARNESS_MAIN
