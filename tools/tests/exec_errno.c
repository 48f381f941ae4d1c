// SPDX-License-Identifier: GPL-2.0
/*
 * exec-errno [-n BYTES] PATH [ARG...]: execve(PATH, [PATH, ARG...], environ)
 * and, if it returns, print the errno's name and exit 1. Shells retry a file that
 * fails with ENOEXEC as a script, which hides the loader's answer; this does not.
 * -n adds one argument of BYTES bytes (its NUL included), made here so that it
 * does not have to pass through an exec of exec-errno itself.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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

	char **args = argv + 1;

	if (argc > 3 && strcmp(argv[1], "-n") == 0) {
		size_t bytes = strtoul(argv[2], NULL, 0);
		char *big = malloc(bytes ? bytes : 1);

		args = calloc(argc, sizeof(*args));
		if (!big || !args)
			return 2;
		memset(big, 'a', bytes ? bytes - 1 : 0);
		big[bytes ? bytes - 1 : 0] = '\0';
		/* PATH [ARG...] then the big argument. */
		memcpy(args, argv + 3, (argc - 3) * sizeof(*args));
		args[argc - 3] = big;
		args[argc - 2] = NULL;
	}
	if (!args[0]) {
		fprintf(stderr, "usage: exec-errno [-n BYTES] PATH [ARG...]\n");
		return 2;
	}
	execve(args[0], args, environ);
	name = errno_name(errno);
	if (name)
		printf("%s\n", name);
	else
		printf("errno %d\n", errno);
	return 1;
}
