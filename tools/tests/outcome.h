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

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

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
