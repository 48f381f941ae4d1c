/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seed for AArch64: no libc, no data, one branch to itself forever. Beyond its
 * PT_LOAD, its /proc/PID/maps shows what exec put there: [stack], [vvar] and
 * [vdso], and no [vsyscall] (arm64 has no gate area).
 */
	.text
	.global _start
_start:
	b _start
