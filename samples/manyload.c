// SPDX-License-Identifier: GPL-2.0
/*
 * Many PT_LOADs and a large bss, no libc: eight sections linked far apart (see
 * the Makefile's --section-start flags), alternately read-only and writable, so
 * that each is a PT_LOAD of its own, and a 64 MiB bss. It touches one byte of
 * each and exits: an exec whose cost is the loader's work on many segments.
 */
#define RO(n) __attribute__((section(".ro" #n), used)) static const char ro##n[] = #n
#define RW(n) __attribute__((section(".rw" #n), used)) static char rw##n[] = #n

RO(1); RW(2); RO(3); RW(4); RO(5); RW(6); RO(7); RW(8);

char bss[64 << 20];

void _start(void)
{
	long sum = ro1[0] + rw2[0] + ro3[0] + rw4[0] + ro5[0] + rw6[0] + ro7[0] + rw8[0] +
		   *(volatile char *)&bss[sizeof(bss) - 1];

	asm volatile("syscall" : : "a"(60 /* exit */), "D"(sum != 8 * '0' + 36) : "rcx", "r11", "memory");
	__builtin_unreachable();
}
