// SPDX-License-Identifier: GPL-2.0
/*
 * The compat (32-bit) fanotify entry points, called from a 64-bit process with int $0x80 and the
 * i386 syscall numbers: fanotify_init (338), fanotify_mark (339, the 64-bit mask split in two
 * 32-bit arguments, low half first on x86) and read (3).  Pointers passed to them live below
 * 4 GiB (MAP_32BIT).
 *
 * Behaviour reference: upstream 6.12 SYSCALL32_DEFINE6(fanotify_mark) and do_fanotify_mark()
 * ("we only use the lower 32 bits": upper_32_bits(mask) -> EINVAL) in
 * fs/notify/fanotify/fanotify_user.c; arch/x86/entry/syscalls/syscall_32.tbl.
 *
 * Skipped when the kernel cannot run int $0x80 from 64-bit code (no IA32_EMULATION, or
 * ia32_emulation=false): the probe runs in a child, which either dies (SIGSEGV) or gets -ENOSYS.
 */

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "common.h"

#define I386_NR_READ 3
#define I386_NR_GETPID 20
#define I386_NR_FANOTIFY_INIT 338
#define I386_NR_FANOTIFY_MARK 339

#if defined(__x86_64__)

/* A 32-bit system call: returns the kernel's return value (-errno on error). */
static long int80(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r8 __asm__("r8") = a6;
	long ret = nr;

	/*
	 * The sixth argument goes in %ebp, which the compiler may use: save it, and step over the
	 * red zone before pushing.
	 */
	__asm__ volatile("sub $128, %%rsp\n\t"
			 "push %%rbp\n\t"
			 "mov %%r8, %%rbp\n\t"
			 "int $0x80\n\t"
			 "pop %%rbp\n\t"
			 "add $128, %%rsp\n\t"
			 : "+a"(ret), "+r"(r8)
			 : "b"(a1), "c"(a2), "d"(a3), "S"(a4), "D"(a5)
			 : "memory", "cc", "r9", "r10", "r11");
	/* The result is a 32-bit int. */
	return (int)ret;
}

/* 0 if int $0x80 works, else the reason why not. */
static const char *ia32_unavailable(void)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return "fork() failed";
	if (pid == 0) {
		long ret = int80(I386_NR_GETPID, 0, 0, 0, 0, 0, 0);

		if (ret == -ENOSYS)
			_exit(1);
		_exit(ret == getpid() ? 0 : 2);
	}
	if (waitpid(pid, &status, 0) != pid)
		return "waitpid() failed";
	if (WIFSIGNALED(status))
		return "int $0x80 kills the process: no IA32 emulation";
	if (!WIFEXITED(status))
		return "probe did not exit";
	if (WEXITSTATUS(status) == 1)
		return "int $0x80 returns -ENOSYS: IA32 emulation disabled";
	if (WEXITSTATUS(status))
		return "int $0x80 getpid() returned a wrong value";
	return NULL;
}

static long mark32(int fan_fd, unsigned int flags, uint32_t mask_lo,
		   uint32_t mask_hi, int dfd, const char *path)
{
	return int80(I386_NR_FANOTIFY_MARK, fan_fd, flags, mask_lo, mask_hi, (unsigned int)dfd,
		     (unsigned long)path);
}

#define LOW_LEN 4096

FIXTURE(compat)
{
	char dir[DIR_PATH_LEN];
	char file[FILE_PATH_LEN];
	/* Below 4 GiB: the pathnames and buffers given to the compat calls. */
	char *low;
	int fan_fd;
};

static void world_setup(struct __test_metadata *const _metadata, FIXTURE_DATA(compat) *self)
{
	const char *why;

	self->fan_fd = -1;
	self->low = MAP_FAILED;
	self->dir[0] = '\0';
	why = ia32_unavailable();
	if (why)
		SKIP(return, "%s", why);
	self->low = mmap(NULL, LOW_LEN, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	ASSERT_NE(MAP_FAILED, self->low);
	ASSERT_GT(1ULL << 32, (unsigned long long)(uintptr_t)self->low + LOW_LEN);
	ASSERT_EQ(0, setup_private_tmpfs(self->dir));
	snprintf(self->file, sizeof(self->file), "%s/file", self->dir);
	ASSERT_EQ(0, create_file(self->file, "file\n"));
	self->fan_fd = sys_fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
					 O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->fan_fd);
}

static void world_teardown(struct __test_metadata *const _metadata, FIXTURE_DATA(compat) *self)
{
	if (self->fan_fd >= 0)
		close(self->fan_fd);
	if (self->low != MAP_FAILED)
		munmap(self->low, LOW_LEN);
	EXPECT_EQ(0, teardown_private_tmpfs(self->dir));
}

FIXTURE_SETUP(compat)
{
	world_setup(_metadata, self);
}

FIXTURE_TEARDOWN(compat)
{
	world_teardown(_metadata, self);
}

/* The same world, for the tests without variants. */
FIXTURE(compat1)
{
	FIXTURE_DATA(compat) w;
};

FIXTURE_SETUP(compat1)
{
	world_setup(_metadata, &self->w);
}

FIXTURE_TEARDOWN(compat1)
{
	world_teardown(_metadata, &self->w);
}

/* Copies @s to the low buffer (at @off) and returns its address there. */
static const char *low_str(FIXTURE_DATA(compat) *self, const char *s, int off)
{
	snprintf(self->low + off, LOW_LEN / 2, "%s", s);
	return self->low + off;
}

/* Union of the masks of the events about the file (none about anything else). */
static uint64_t file_events(struct __test_metadata *const _metadata, FIXTURE_DATA(compat) *self,
			    bool wait)
{
	struct event_summary sum;
	struct stat st;

	EXPECT_EQ(0, stat(self->file, &st));
	EXPECT_LE(0, collect_events(self->fan_fd, &st, &sum,
				    wait ? EVENT_TIMEOUT_MS : NO_EVENT_TIMEOUT_MS));
	EXPECT_EQ(0, sum.others);
	EXPECT_EQ(0, sum.bad_records);
	return sum.mask;
}

FIXTURE_VARIANT(compat)
{
	unsigned int flags;
	uint32_t mask_lo;
	uint32_t mask_hi;
	/* Pass "file" relative to AT_FDCWD (checks the sign extension of dfd). */
	bool relative;
	/* 0 or -errno. */
	long expected;
	uint64_t events;
};

/* clang-format off */
FIXTURE_VARIANT_ADD(compat, add_open) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask_lo = FAN_OPEN, .expected = 0, .events = FAN_OPEN,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(compat, add_open_close) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask_lo = FAN_OPEN | FAN_CLOSE_NOWRITE, .expected = 0,
	.events = FAN_OPEN | FAN_CLOSE_NOWRITE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(compat, add_relative_at_fdcwd) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask_lo = FAN_CLOSE_NOWRITE, .relative = true, .expected = 0,
	.events = FAN_CLOSE_NOWRITE,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(compat, add_mount) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_MOUNT, .mask_lo = FAN_OPEN, .expected = 0,
	.events = FAN_OPEN,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(compat, add_filesystem) {
	/* clang-format on */
	.flags = FAN_MARK_ADD | FAN_MARK_FILESYSTEM, .mask_lo = FAN_OPEN, .relative = true,
	.expected = 0, .events = FAN_OPEN,
};

/* The high half of the mask must be zero. */
/* clang-format off */
FIXTURE_VARIANT_ADD(compat, high_bit_0) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask_lo = FAN_OPEN, .mask_hi = 1, .expected = -EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(compat, high_bit_31) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask_lo = FAN_OPEN, .mask_hi = 0x80000000U, .expected = -EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(compat, high_only) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask_lo = 0, .mask_hi = 0x20, .expected = -EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(compat, remove_high_bit) {
	/* clang-format on */
	.flags = FAN_MARK_REMOVE, .mask_lo = FAN_OPEN, .mask_hi = 2, .expected = -EINVAL,
};

/* The low half is checked as usual. */
/* clang-format off */
FIXTURE_VARIANT_ADD(compat, unknown_low_bit) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask_lo = FAN_OPEN | 0x80000000U, .expected = -EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(compat, zero_mask) {
	/* clang-format on */
	.flags = FAN_MARK_ADD, .mask_lo = 0, .expected = -EINVAL,
};

/* clang-format off */
FIXTURE_VARIANT_ADD(compat, remove_unmarked) {
	/* clang-format on */
	.flags = FAN_MARK_REMOVE, .mask_lo = FAN_OPEN, .expected = -ENOENT,
};

TEST_F(compat, mark)
{
	const char *path;
	long ret;

	if (variant->relative) {
		ASSERT_EQ(0, chdir(self->dir));
		path = low_str(self, "file", 0);
	} else {
		path = low_str(self, self->file, 0);
	}
	ret = mark32(self->fan_fd, variant->flags, variant->mask_lo,
		     variant->mask_hi, AT_FDCWD, path);
	EXPECT_EQ(variant->expected, ret);
	ASSERT_EQ(0, open_close_file(self->file, O_RDONLY));
	EXPECT_EQ(variant->events, file_events(_metadata, self, variant->events));
	if (ret)
		return;

	/* Removal through the compat entry as well. */
	EXPECT_EQ(0, mark32(self->fan_fd, (variant->flags & ~FAN_MARK_ADD) |
					  FAN_MARK_REMOVE, variant->mask_lo, 0, AT_FDCWD, path));
	ASSERT_EQ(0, open_close_file(self->file, O_RDONLY));
	EXPECT_EQ(0, file_events(_metadata, self, false));
	EXPECT_EQ(-ENOENT, mark32(self->fan_fd, (variant->flags & ~FAN_MARK_ADD) |
						FAN_MARK_REMOVE, variant->mask_lo, 0, AT_FDCWD,
						path));
}

/* A bad fd and a bad pathname pointer. */
TEST_F(compat1, bad_arguments)
{
	FIXTURE_DATA(compat) *self_w = &self->w;
#define self self_w
	const char *path = low_str(self, self->file, 0);
	int fd;

	EXPECT_EQ(-EBADF, mark32(-1, FAN_MARK_ADD, FAN_OPEN, 0, AT_FDCWD, path));
	EXPECT_EQ(-EFAULT, mark32(self->fan_fd, FAN_MARK_ADD, FAN_OPEN, 0,
				  AT_FDCWD, (const char *)8));
	/* The high mask half is checked before the fd. */
	EXPECT_EQ(-EINVAL, mark32(-1, FAN_MARK_ADD, FAN_OPEN, 1, AT_FDCWD, path));
	/* NULL pathname: the object is dfd. */
	fd = open(self->file, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, mark32(self->fan_fd, FAN_MARK_ADD, FAN_CLOSE_NOWRITE, 0, fd, NULL));
	EXPECT_EQ(0, close(fd));
	EXPECT_EQ(FAN_CLOSE_NOWRITE, file_events(_metadata, self, true));
#undef self
}

/* fanotify_init and read through the compat entries. */
TEST_F(compat1, init_and_read)
{
	FIXTURE_DATA(compat) *self_w = &self->w;
#define self self_w
	const char *path = low_str(self, self->file, 0);
	struct fanotify_event_metadata *m = (void *)(self->low + LOW_LEN / 2);
	char fdinfo[64], line[256];
	unsigned int flags = 0, event_flags = 0;
	bool found = false;
	long fan_fd;
	FILE *f;

	fan_fd = int80(I386_NR_FANOTIFY_INIT, FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK,
		       O_RDONLY, 0, 0, 0, 0);
	ASSERT_LE(0, fan_fd);
	/* On a 64-bit kernel, force_o_largefile() holds for compat callers too. */
	snprintf(fdinfo, sizeof(fdinfo), "/proc/self/fdinfo/%ld", fan_fd);
	f = fopen(fdinfo, "re");
	ASSERT_NE(NULL, f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "fanotify flags:%x event-flags:%x", &flags, &event_flags) == 2)
			found = true;
	fclose(f);
	EXPECT_TRUE(found);
	EXPECT_EQ(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, flags);
	EXPECT_EQ(kernel_o_largefile(), event_flags);

	EXPECT_EQ(0, mark32(fan_fd, FAN_MARK_ADD, FAN_OPEN, 0, AT_FDCWD, path));
	ASSERT_EQ(0, open_close_file(self->file, O_RDONLY));
	ASSERT_EQ(1, wait_readable(fan_fd, EVENT_TIMEOUT_MS));
	EXPECT_EQ(-EINVAL, int80(I386_NR_READ, fan_fd, (unsigned long)m,
				 FAN_EVENT_METADATA_LEN - 1, 0, 0, 0));
	ASSERT_EQ(FAN_EVENT_METADATA_LEN, int80(I386_NR_READ, fan_fd, (unsigned long)m,
						LOW_LEN / 2, 0, 0, 0));
	EXPECT_EQ(FAN_EVENT_METADATA_LEN, m->event_len);
	EXPECT_EQ(FANOTIFY_METADATA_VERSION, m->vers);
	EXPECT_EQ(FAN_OPEN, m->mask);
	EXPECT_EQ(getpid(), m->pid);
	EXPECT_TRUE(fd_is_path(m->fd, self->file));
	EXPECT_EQ(0, close(m->fd));
	EXPECT_EQ(-EAGAIN, int80(I386_NR_READ, fan_fd, (unsigned long)m, LOW_LEN / 2, 0, 0, 0));
	EXPECT_EQ(0, close(fan_fd));
#undef self
}

#else /* !__x86_64__ */

TEST(compat)
{
	SKIP(return, "int $0x80 compat calls are only tested on x86_64");
}

#endif

TEST_HARNESS_MAIN
