// SPDX-License-Identifier: GPL-2.0
/*
 * A program marked for Branch Target Identification: built with
 * -mbranch-protection=standard, its one object carries
 * GNU_PROPERTY_AARCH64_FEATURE_1_BTI in PT_GNU_PROPERTY, and the loader maps its
 * executable segment with PROT_BTI (arch_elf_adjust_prot(),
 * arch/arm64/kernel/process.c), which /proc/self/smaps shows as "bt" in VmFlags.
 * No libc: Debian's glibc objects have no landing pads, and an indirect branch
 * into them would fault. It copies /proc/self/smaps to stdout and exits 0.
 */
#define __NR_openat 56
#define __NR_read 63
#define __NR_write 64
#define __NR_exit 93
#define AT_FDCWD -100

static long sys4(long nr, long a, long b, long c, long d)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
	return x0;
}

void _start(void)
{
	static char buf[4096];
	long fd = sys4(__NR_openat, AT_FDCWD, (long)"/proc/self/smaps", 0, 0);
	long n;

	while (fd >= 0 && (n = sys4(__NR_read, fd, (long)buf, sizeof(buf), 0)) > 0)
		sys4(__NR_write, 1, (long)buf, n, 0);
	sys4(__NR_exit, fd < 0, 0, 0, 0);
	for (;;)
		;
}
