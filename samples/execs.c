// SPDX-License-Identifier: GPL-2.0
/*
 * Execs its arguments: built as an i386 program (execs32), it takes a process
 * from compat mode back to a 64-bit program, and its exec from a 64-bit shell
 * takes it there.
 */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s PROGRAM [ARG...]\n", argv[0]);
		return 2;
	}
	execv(argv[1], argv + 1);
	perror(argv[1]);
	return 1;
}
