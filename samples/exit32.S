/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A 32-bit (i386) program: write a line and exit through int $0x80. It has no
 * PT_GNU_STACK, so the compat loader (compat_binfmt_elf, or binfmt_rs's ELF32
 * loader) sets READ_IMPLIES_EXEC for it (elf_read_implies_exec()).
 */
	.code32
	.text
	.global _start
_start:
	movl $4, %eax		/* write */
	movl $1, %ebx
	movl $msg, %ecx
	movl $len, %edx
	int $0x80
	movl $1, %eax		/* exit */
	xorl %ebx, %ebx
	int $0x80

	.data
msg:	.ascii "hello from exit32\n"
	len = . - msg
