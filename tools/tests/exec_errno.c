// SPDX-License-Identifier: GPL-2.0
/*
 * exec-errno PATH [ARG...]: execve(PATH, [PATH, ARG...], environ) and, if it
 * returns, print the errno's name and exit 1. Shells retry a file that fails
 * with ENOEXEC as a script, which hides the loader's answer; this does not.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static const char *errno_name(int e)
{
	switch (e) {
	case E2BIG: return "E2BIG";
	case EACCES: return "EACCES";
	case EFAULT: return "EFAULT";
	case EINVAL: return "EINVAL";
	case EIO: return "EIO";
	case EISDIR: return "EISDIR";
	case ELIBBAD: return "ELIBBAD";
	case ELOOP: return "ELOOP";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case ENOENT: return "ENOENT";
	case ENOEXEC: return "ENOEXEC";
	case ENOMEM: return "ENOMEM";
	case ENOTDIR: return "ENOTDIR";
	case EPERM: return "EPERM";
	case ETXTBSY: return "ETXTBSY";
	default: return NULL;
	}
}

int main(int argc, char **argv)
{
	const char *name;

	if (argc < 2) {
		fprintf(stderr, "usage: exec-errno PATH [ARG...]\n");
		return 2;
	}
	execve(argv[1], argv + 1, environ);
	name = errno_name(errno);
	if (name)
		printf("%s\n", name);
	else
		printf("errno %d\n", errno);
	return 1;
}
