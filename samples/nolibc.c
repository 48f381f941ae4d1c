// SPDX-License-Identifier: GPL-2.0
/*
 * A C program with no libc at all: its own _start, two raw system calls. The
 * kernel hands it nothing but the initial stack and the registers exec set.
 */

static long syscall3(long nr, long a, long b, long c)
{
	long ret;

	asm volatile("syscall"
		     : "=a"(ret)
		     : "a"(nr), "D"(a), "S"(b), "d"(c)
		     : "rcx", "r11", "memory");
	return ret;
}

void _start(void)
{
	static const char msg[] = "hello from nolibc\n";

	syscall3(1 /* write */, 1, (long)msg, sizeof(msg) - 1);
	syscall3(60 /* exit */, 0, 0, 0);
	__builtin_unreachable();
}
