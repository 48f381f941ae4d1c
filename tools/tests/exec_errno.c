// SPDX-License-Identifier: GPL-2.0
/*
 * exec-errno [-n BYTES] PATH [ARG...]: execve(PATH, [PATH, ARG...], environ)
 * and, if it returns, print the errno's name and exit 1. Shells retry a file that
 * fails with ENOEXEC as a script, which hides the loader's answer; this does not.
 * -n adds one argument of BYTES bytes (its NUL included), made here so that it
 * does not have to pass through an exec of exec-errno itself; -e BYTES adds one
 * environment string of BYTES bytes ("E=aaa...", its NUL included) the same way.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* A string of bytes bytes, its NUL included: prefix then 'a's. */
static char *big_string(const char *prefix, size_t bytes)
{
	size_t len = strlen(prefix);
	char *s = malloc(bytes > len ? bytes : len + 1);

	if (!s)
		exit(2);
	strcpy(s, prefix);
	if (bytes > len + 1)
		memset(s + len, 'a', bytes - len - 1);
	s[bytes > len ? bytes - 1 : len] = '\0';
	return s;
}

int main(int argc, char **argv)
{
	char **args = argv + 1, **env = environ;
	const char *name;

	if (argc > 3 && strcmp(argv[1], "-n") == 0) {
		args = calloc(argc, sizeof(*args));
		if (!args)
			return 2;
		/* PATH [ARG...] then the big argument. */
		memcpy(args, argv + 3, (argc - 3) * sizeof(*args));
		args[argc - 3] = big_string("", strtoul(argv[2], NULL, 0));
		args[argc - 2] = NULL;
	} else if (argc > 3 && strcmp(argv[1], "-e") == 0) {
		size_t n = 0;

		while (environ[n])
			n++;
		env = calloc(n + 2, sizeof(*env));
		if (!env)
			return 2;
		memcpy(env, environ, n * sizeof(*env));
		env[n] = big_string("E=", strtoul(argv[2], NULL, 0));
		args = argv + 3;
	}
	if (!args[0]) {
		fprintf(stderr, "usage: exec-errno [-n BYTES | -e BYTES] PATH [ARG...]\n");
		return 2;
	}
	execve(args[0], args, env);
	name = strerrorname_np(errno);
	if (name)
		printf("%s\n", name);
	else
		printf("errno %d\n", errno);
	return 1;
}
