// SPDX-License-Identifier: GPL-2.0
/*
 * A C program built several ways (static, static-pie, dynamic PIE) to give the
 * loader each kind of ELF file. It prints its argument count and the first
 * argument, so a test sees that argv arrived.
 */
#include <stdio.h>

int main(int argc, char **argv)
{
	printf("hello from %s, argc=%d\n", argv[0], argc);
	return 0;
}
