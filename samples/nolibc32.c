// SPDX-License-Identifier: GPL-2.0
/*
 * An i386 program with no libc: its own _start, which finds AT_SYSINFO in the
 * auxv the kernel left above argc and writes its line through that vDSO entry
 * (__kernel_vsyscall, ARCH_DLINFO_IA32 in arch/x86/include/asm/elf.h), then exits
 * through int $0x80. Without AT_SYSINFO (no vDSO) it writes through int $0x80 too.
 */

#define AT_NULL 0
#define AT_SYSINFO 32

static long int80(long nr, long a, long b, long c)
{
	long ret;

	asm volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return ret;
}

static long vsyscall(unsigned long entry, long nr, long a, long b, long c)
{
	long ret;

	asm volatile("call *%[entry]"
		     : "=a"(ret)
		     : [entry] "S"(entry), "a"(nr), "b"(a), "c"(b), "d"(c)
		     : "memory");
	return ret;
}

/* sp: the initial stack pointer, where argc is. */
__attribute__((used, noreturn)) static void start(unsigned long *sp)
{
	static const char msg[] = "hello from nolibc32\n";
	unsigned long *p = sp + 1 + sp[0] + 1; /* past argc, argv and its NULL */
	unsigned long sysinfo = 0;

	while (*p)
		p++; /* envp */
	for (p++; p[0] != AT_NULL; p += 2)
		if (p[0] == AT_SYSINFO)
			sysinfo = p[1];
	if (sysinfo)
		vsyscall(sysinfo, 4 /* write */, 1, (long)msg, sizeof(msg) - 1);
	else
		int80(4, 1, (long)msg, sizeof(msg) - 1);
	int80(1 /* exit */, 0, 0, 0);
	__builtin_unreachable();
}

asm(".text\n"
    ".global _start\n"
    "_start:\n"
    "	movl %esp, %eax\n"
    "	andl $-16, %esp\n"
    "	subl $12, %esp\n"
    "	pushl %eax\n"
    "	call start\n");
