/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The smallest program there is: no libc, no data, one instruction that jumps to
 * itself forever. Everything in its /proc/PID/maps beyond its one PT_LOAD was put
 * there by exec: [stack], [vvar], [vdso] and the [vsyscall] gate.
 */
	.text
	.global _start
_start:
	jmp _start
