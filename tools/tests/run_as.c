// SPDX-License-Identifier: GPL-2.0
/*
 * run-as UID PROG [ARG...]: drops to UID (and GID UID) and execs PROG, so that a
 * setuid program runs as it would for an ordinary user.
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	uid_t id;

	if (argc < 3) {
		fprintf(stderr, "usage: run-as UID PROG [ARG...]\n");
		return 2;
	}
	id = (uid_t)strtoul(argv[1], NULL, 10);
	if (setgroups(0, NULL) || setgid(id) || setuid(id)) {
		perror("run-as");
		return 1;
	}
	execve(argv[2], argv + 2, environ);
	perror("run-as: execve");
	return 1;
}
