// SPDX-License-Identifier: GPL-2.0
/*
 * exec-io PROG [ARG...]: execs PROG stopped before its first instruction and prints
 * the read counters of its /proc/PID/io (proc(5)) as they stand then:
 *
 *	rchar: N
 *	syscr: N
 *	read_bytes: N
 *
 * Why: the kernel_read()s of an exec (bprm->buf, the program header tables, the
 * PT_INTERP path, the interpreter's ELF header) count in the task's I/O accounting,
 * rchar by their bytes and syscr by one each, as read(2)s do. A fork starts the
 * child's counters at zero and the child reads nothing before its execve(), so at
 * the stop these are the exec's reads alone: two loaders that read the same bytes
 * the same way print the same lines.
 *
 * The child stops itself (PTRACE_TRACEME, then SIGSTOP) before the execve(); the
 * parent lets it go on, and a successful execve() stops it again with SIGTRAP
 * before it runs anything. An execve() that fails prints errno:ENAME; one that
 * dies after the point of no return prints signal:SIGNAME. Either exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outcome.h"

extern char **environ;

/* The rchar, syscr and read_bytes lines of /proc/PID/io; -1 if unreadable. */
static int print_io(pid_t pid)
{
	char path[64], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/io", pid);
	f = fopen(path, "r");
	if (!f) {
		printf("io: unreadable (%s)\n", strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "rchar:", 6) || !strncmp(line, "syscr:", 6) ||
		    !strncmp(line, "read_bytes:", 11))
			fputs(line, stdout);
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	int report[2], status, err, sig;
	ssize_t got;
	pid_t pid;

	if (argc < 2) {
		fprintf(stderr, "usage: exec-io PROG [ARG...]\n");
		return 2;
	}
	if (pipe2(report, O_CLOEXEC)) {
		perror("pipe2");
		return 2;
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 2;
	}
	if (pid == 0) {
		close(report[0]);
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) || raise(SIGSTOP))
			_exit(125);
		execve(argv[1], argv + 1, environ);
		err = errno;
		if (write(report[1], &err, sizeof(err)) != sizeof(err))
			_exit(126);
		_exit(127);
	}
	close(report[1]);
	if (waitpid(pid, &status, 0) != pid || !WIFSTOPPED(status) ||
	    WSTOPSIG(status) != SIGSTOP) {
		fprintf(stderr, "exec-io: the child did not stop before its exec\n");
		kill(pid, SIGKILL);
		return 2;
	}
	/* Until the exec's SIGTRAP; another signal is passed on. */
	for (sig = 0;; sig = WSTOPSIG(status)) {
		if (ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig)) {
			perror("exec-io: PTRACE_CONT");
			kill(pid, SIGKILL);
			return 2;
		}
		if (waitpid(pid, &status, 0) != pid) {
			perror("exec-io: waitpid");
			return 2;
		}
		if (!WIFSTOPPED(status) || WSTOPSIG(status) == SIGTRAP)
			break;
		/*
		 * An exec that fails past the point of no return ends in
		 * force_fatal_sig(SIGSEGV); a tracer sees that signal's stop first.
		 */
		if (WSTOPSIG(status) == SIGSEGV) {
			print_signal(SIGSEGV);
			printf("\n");
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			return 1;
		}
	}
	if (WIFSTOPPED(status)) {
		print_io(pid);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return 0;
	}
	do
		got = read(report[0], &err, sizeof(err));
	while (got < 0 && errno == EINTR);
	if (got == sizeof(err)) {
		print_exec_errno(err);
		printf("\n");
	} else if (WIFSIGNALED(status)) {
		print_signal(WTERMSIG(status));
		printf("\n");
	} else {
		printf("exit:%d before the exec stopped\n", WEXITSTATUS(status));
	}
	return 1;
}
