// SPDX-License-Identifier: GPL-2.0
/*
 * execprobe-vdso32: the child `execprobe vdso32` drives to call the 32-bit vDSO
 * (arch/x86/entry/vdso/vdso32/) that an i386 process gets: execprobe, a 64-bit
 * program, cannot call 32-bit code itself. Built with gcc -m32 -static.
 *
 * The protocol, one line each way at a time: this process prints "ready" and
 * waits; execprobe reads its /proc/PID/maps, auxv and [vdso] image, and writes
 * "NAME ADDRESS" for each function it found, then "go". This process calls each
 * one between two system calls made with int $0x80, and prints per call
 *
 *   call FUNCTION ARGUMENT UNIT BEFORE RETURNED VALUE AFTER
 *
 * (ARGUMENT "-" for none; BEFORE and AFTER the system call's readings, or, for
 * __kernel_vsyscall and clock_getres, the system call's answer twice), then
 * "done". It decides nothing: execprobe compares.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NR_time 13
#define NR_getpid 20
#define NR_gettimeofday 78
#define NR_clock_getres 266
#define NR_clock_gettime64 403

struct ts32 {
	int32_t sec, nsec;
};
struct ts64 {
	int64_t sec, nsec;
};
struct tv32 {
	int32_t sec, usec;
};

/* int $0x80 with up to two arguments. */
static long sys2(long nr, long a, long b)
{
	long ret;

	asm volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b) : "memory");
	return ret;
}

static int64_t ns64(const struct ts64 *t)
{
	return t->sec * 1000000000LL + t->nsec;
}

static int64_t sys_clock_gettime_ns(int clock)
{
	struct ts64 t;

	if (sys2(NR_clock_gettime64, clock, (long)&t))
		return -1;
	return ns64(&t);
}

static int64_t sys_gettimeofday_us(void)
{
	struct tv32 t;

	if (sys2(NR_gettimeofday, (long)&t, 0))
		return -1;
	return t.sec * 1000000LL + t.usec;
}

struct fn {
	const char *name;
	uintptr_t addr;
};
static struct fn fns[] = {
	{ "__vdso_clock_gettime", 0 },   { "__vdso_clock_gettime64", 0 }, { "__vdso_clock_getres", 0 },
	{ "__vdso_gettimeofday", 0 },    { "__vdso_time", 0 },            { "__kernel_vsyscall", 0 },
};
#define NFNS (sizeof(fns) / sizeof(fns[0]))

static uintptr_t lookup(const char *name)
{
	for (size_t i = 0; i < NFNS; i++)
		if (!strcmp(fns[i].name, name))
			return fns[i].addr;
	return 0;
}

static const struct {
	const char *name;
	int id;
} clocks[] = {
	{ "CLOCK_REALTIME", CLOCK_REALTIME },
	{ "CLOCK_MONOTONIC", CLOCK_MONOTONIC },
	{ "CLOCK_MONOTONIC_RAW", CLOCK_MONOTONIC_RAW },
	{ "CLOCK_REALTIME_COARSE", CLOCK_REALTIME_COARSE },
	{ "CLOCK_MONOTONIC_COARSE", CLOCK_MONOTONIC_COARSE },
	{ "CLOCK_BOOTTIME", CLOCK_BOOTTIME },
	{ "CLOCK_TAI", CLOCK_TAI },
};

int main(void)
{
	char line[256];

	setvbuf(stdout, NULL, _IOLBF, 0);
	puts("ready");
	while (fgets(line, sizeof(line), stdin) && strcmp(line, "go\n")) {
		char name[128];
		unsigned long long addr;

		if (sscanf(line, "%127s %llx", name, &addr) != 2)
			return 2;
		for (size_t i = 0; i < NFNS; i++)
			if (!strcmp(fns[i].name, name))
				fns[i].addr = (uintptr_t)addr;
	}

	uintptr_t f = lookup("__vdso_clock_gettime");
	for (size_t i = 0; f && i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		struct ts32 t;
		int64_t before = sys_clock_gettime_ns(clocks[i].id);
		int ret = ((int (*)(int, struct ts32 *))f)(clocks[i].id, &t);
		int64_t after = sys_clock_gettime_ns(clocks[i].id);

		printf("call __vdso_clock_gettime %s ns %lld %d %lld %lld\n", clocks[i].name,
		       (long long)before, ret, t.sec * 1000000000LL + t.nsec, (long long)after);
	}
	f = lookup("__vdso_clock_gettime64");
	for (size_t i = 0; f && i < 2; i++) {
		struct ts64 t;
		int64_t before = sys_clock_gettime_ns(clocks[i].id);
		int ret = ((int (*)(int, struct ts64 *))f)(clocks[i].id, &t);
		int64_t after = sys_clock_gettime_ns(clocks[i].id);

		printf("call __vdso_clock_gettime64 %s ns %lld %d %lld %lld\n", clocks[i].name,
		       (long long)before, ret, (long long)ns64(&t), (long long)after);
	}
	f = lookup("__vdso_clock_getres");
	for (size_t i = 0; f && i < 2; i++) {
		struct ts32 sys, t;
		long sret = sys2(NR_clock_getres, clocks[i].id, (long)&sys);
		int ret = ((int (*)(int, struct ts32 *))f)(clocks[i].id, &t);
		long long s = sret ? -1 : sys.sec * 1000000000LL + sys.nsec;

		printf("call __vdso_clock_getres %s ns %lld %d %lld %lld\n", clocks[i].name, s, ret,
		       t.sec * 1000000000LL + t.nsec, s);
	}
	f = lookup("__vdso_gettimeofday");
	if (f) {
		struct tv32 t;
		int64_t before = sys_gettimeofday_us();
		int ret = ((int (*)(struct tv32 *, void *))f)(&t, NULL);
		int64_t after = sys_gettimeofday_us();

		printf("call __vdso_gettimeofday - us %lld %d %lld %lld\n", (long long)before, ret,
		       t.sec * 1000000LL + t.usec, (long long)after);
	}
	f = lookup("__vdso_time");
	if (f) {
		long before = sys2(NR_time, 0, 0);
		int32_t t = ((int32_t (*)(int32_t *))f)(NULL);
		long after = sys2(NR_time, 0, 0);

		printf("call __vdso_time - s %ld 0 %ld %ld\n", before, (long)t, after);
	}
	f = lookup("__kernel_vsyscall");
	if (f) {
		/* The system call entry AT_SYSINFO points at: getpid through it. */
		long pid = sys2(NR_getpid, 0, 0);
		long got;

		asm volatile("call *%[f]" : "=a"(got) : "a"(NR_getpid), [f] "r"(f)
			     : "memory", "ecx", "edx");
		printf("call __kernel_vsyscall getpid pid %ld 0 %ld %ld\n", pid, got, pid);
	}
	puts("done");
	return 0;
}
