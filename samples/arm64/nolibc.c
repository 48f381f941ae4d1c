// SPDX-License-Identifier: GPL-2.0
/*
 * AArch64 without a libc: its own _start writes a line and exits 0 through svc #0,
 * so only the kernel's initial registers and stack are in play.
 */
#define __NR_write 64
#define __NR_exit 93

static long sys3(long nr, long a, long b, long c)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
}

void _start(void)
{
	static const char msg[] = "hello from nolibc (aarch64)\n";

	sys3(__NR_write, 1, (long)msg, sizeof(msg) - 1);
	sys3(__NR_exit, 0, 0, 0);
	for (;;)
		;
}
