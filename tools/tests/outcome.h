/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What became of an exec, as every test helper prints it: errno:ENAME when
 * execve() returned, timeout when the helper killed the program after its time
 * limit, exit:N or signal:SIGNAME when the program ran (or the exec failed past
 * the point of no return, which the kernel turns into SIGSEGV). Scripts compare
 * these words between the two loaders, so the helpers share one spelling.
 */
#ifndef BINFMT_RS_TESTS_OUTCOME_H
#define BINFMT_RS_TESTS_OUTCOME_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * In a forked child: no core file, stdin, stdout and stderr on /dev/null, then
 * execve(); if that returns, its errno goes to the pipe end report (O_CLOEXEC,
 * so a successful exec closes it and the parent reads nothing).
 */
static inline void exec_quietly(const char *path, char **argv, char **envp, int report)
{
	struct rlimit no_core = { 0, 0 };
	int null = open("/dev/null", O_RDWR);
	int err;

	setrlimit(RLIMIT_CORE, &no_core);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
	}
	execve(path, argv, envp);
	err = errno;
	if (write(report, &err, sizeof(err)) != sizeof(err))
		_exit(126);
	_exit(127);
}

/* "errno:ENAME" for the errno execve() returned. */
static inline void print_exec_errno(int err)
{
	const char *name = strerrorname_np(err);

	if (name)
		printf("errno:%s", name);
	else
		printf("errno:%d", err);
}

/* "signal:SIGNAME" for a program a signal ended. */
static inline void print_signal(int sig)
{
	const char *abbrev = sigabbrev_np(sig);

	if (abbrev)
		printf("signal:SIG%s", abbrev);
	else
		printf("signal:%d", sig);
}

/* "exit:N" or "signal:SIGNAME" for a wait status. */
static inline void print_wait_status(int status)
{
	if (WIFEXITED(status))
		printf("exit:%d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		print_signal(WTERMSIG(status));
	else
		printf("unknown");
}

#endif
