// SPDX-License-Identifier: GPL-2.0
/*
 * exec-fail-nth [-m MAX] [-s FIRST] [-r REPEAT] PROG [ARG...]: for N = FIRST
 * (default 1), FIRST + 1, ... execs PROG in a child whose N-th fault-injectable
 * call fails (an allocation from slab or pages, or a user copy:
 * /proc/thread-self/fail-nth), and prints one line per N:
 *
 *	N OUTCOME[ clean]
 *
 * OUTCOME is errno:ENAME when execve() returned, exit:N or signal:SIGNAME when
 * the child ended after the exec (an exec that fails after the point of no return
 * ends in SIGSEGV), or timeout when the child ran longer than 5 s and was killed.
 * "clean" means the N-th call was never reached: the exec and the program ran
 * without a failure. The sweep stops after the first clean N or after N = MAX
 * (default 5000) and exits 0; 2 on a usage error, 1 when it could not run a child.
 * -r runs each N REPEAT times, a line each (a clean N: clean every time); -s N
 * -m N runs N alone. Two loaders that take the same failure paths print the
 * same lines: the sweep compares every error path of an exec, one allocation or
 * copy at a time. Which calls count depends on /sys/kernel/debug/{failslab,
 * fail_page_alloc}; see tools/tests/guest/faultinject.sh.
 *
 * The count covers everything the child does between writing N and its exit: the
 * exec, the program and the exit. The child therefore touches every page it uses
 * after writing N (its stack, errno, the environment strings) beforehand, so that
 * no copy-on-write fault of its own counts, and opens the fail-nth file first.
 * The parent waits with WNOWAIT: the zombie's /proc/PID/fail-nth is the count
 * still left, non-zero when the N-th call was never reached. A child whose
 * execve() returns reads that count itself (a read whose copy to user space is
 * the N-th call fails with EFAULT: one was left), sets it to 0 so that nothing
 * after counts or fails, and reports the errno and the count through a pipe.
 * The program's stdin, stdout and stderr are /dev/null; it gets no core file and
 * a fixed environment.
 *
 * The slab and percpu allocators' own page allocations count too, and whether
 * an exec needs one depends on what earlier ones left: objects freed after an RCU
 * grace period (VMAs, tasks) come back later, on the CPU that freed them. So that
 * every N starts from the same state as far as possible, the sweep runs on one
 * CPU, the same one every time, and after each child waits for a grace period
 * (membarrier MEMBARRIER_CMD_GLOBAL) and 1 ms more for the callbacks. What the
 * previous child did still counts (a failed exec frees other objects than a
 * program that ran), and so does what other processes did meanwhile: a site
 * moves now and then, for every loader alike. Running the N again (-s N -m N -r
 * 2, under each loader in turn) tells such noise from a real difference.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/membarrier.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "outcome.h"

#define FAIL_NTH "/proc/thread-self/fail-nth"
#define TIMEOUT_MS 5000

/* What a child whose execve() returned tells the parent. */
struct report {
	int setup_failed;	/* 1: could not set fail-nth; err says why */
	int err;		/* the errno */
	unsigned int left;	/* fail-nth when execve() returned */
};

static void __attribute__((noreturn, noinline)) child(char **argv, unsigned int n, int report)
{
	struct rlimit no_core = { 0, 0 };
	char path_env[] = "PATH=/bin:/sbin:/usr/bin:/usr/sbin";
	char home_env[] = "HOME=/";
	char *envp[] = { path_env, home_env, NULL };
	char num[16], buf[16] = { 0 }, zero[] = "0";
	struct report r;
	int len, fd, null;
	ssize_t got, i;

	memset(&r, 0, sizeof(r));
	errno = 0;
	setrlimit(RLIMIT_CORE, &no_core);
	null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	fd = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	len = snprintf(num, sizeof(num), "%u", n);
	if (fd < 0 || write(fd, num, len) != len) {
		r.setup_failed = 1;
		r.err = errno;
		if (write(report, &r, sizeof(r)) != sizeof(r))
			_exit(126);
		_exit(127);
	}
	execve(argv[0], argv, envp);
	r.err = errno;
	/*
	 * Nothing but system calls on pages touched above until fail-nth is 0.
	 * The read formats the count before its copy to user space, which counts
	 * too. The write position is still 0: a proc write does not move it.
	 */
	got = read(fd, buf, sizeof(buf) - 1);
	if (got < 0)
		r.left = errno == EFAULT;
	for (i = 0; i < got && buf[i] >= '0' && buf[i] <= '9'; i++)
		r.left = r.left * 10 + (buf[i] - '0');
	while (write(fd, zero, 1) != 1 && errno == EFAULT)
		;
	if (write(report, &r, sizeof(r)) != sizeof(r))
		_exit(126);
	_exit(127);
}

/* The count /proc/PID/fail-nth still holds; -1 if unreadable. */
static long fail_nth_left(pid_t pid)
{
	char path[64], buf[32];
	ssize_t got;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/fail-nth", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (got <= 0)
		return -1;
	buf[got] = '\0';
	return strtol(buf, NULL, 10);
}

/*
 * Lets what the last child freed through RCU reach the allocators again: a grace
 * period (synchronize_rcu() in membarrier()), then time for the callbacks.
 */
static void quiesce(void)
{
	struct timespec ms = { 0, 1000 * 1000 };

	syscall(SYS_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0);
	nanosleep(&ms, NULL);
}

/*
 * Keeps the sweep, children included, on the first CPU it may use: the same CPU
 * for every sweep, since each CPU has slabs of its own.
 */
static void pin(void)
{
	cpu_set_t set;
	int cpu;

	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &set); cpu++)
		;
	if (cpu == CPU_SETSIZE)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* Runs one child with fail-nth N and prints its line. Returns 1 when clean. */
static int one(char **argv, unsigned int n)
{
	struct pollfd pfd = { .events = POLLIN };
	int pipefd[2], timed_out = 0, clean, ready;
	struct report r;
	siginfo_t info;
	ssize_t got;
	long left;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC)) {
		perror("exec-fail-nth: pipe2");
		exit(1);
	}
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		perror("exec-fail-nth: fork");
		exit(1);
	}
	if (pid == 0) {
		close(pipefd[0]);
		child(argv, n, pipefd[1]);
	}
	close(pipefd[1]);
	pfd.fd = pidfd_open(pid, 0);
	if (pfd.fd < 0) {
		perror("exec-fail-nth: pidfd_open");
		kill(pid, SIGKILL);
		exit(1);
	}
	/* The pidfd becomes readable when the child has exited. */
	do
		ready = poll(&pfd, 1, TIMEOUT_MS);
	while (ready < 0 && errno == EINTR);
	if (ready == 0) {
		timed_out = 1;
		kill(pid, SIGKILL);
	}
	close(pfd.fd);
	/* Exited but not reaped: its fail-nth is still there to read. */
	memset(&info, 0, sizeof(info));
	while (waitid(P_PID, pid, &info, WEXITED | WNOWAIT)) {
		if (errno != EINTR) {
			perror("exec-fail-nth: waitid");
			exit(1);
		}
	}
	left = fail_nth_left(pid);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	quiesce();
	/* Every write end is closed now: the report or end of file. */
	do
		got = read(pipefd[0], &r, sizeof(r));
	while (got < 0 && errno == EINTR);
	close(pipefd[0]);

	if (got == sizeof(r) && r.setup_failed) {
		fprintf(stderr, "exec-fail-nth: the child could not write %u to %s: %s\n",
			n, FAIL_NTH, strerror(r.err));
		exit(1);
	}
	if (left < 0) {
		fprintf(stderr, "exec-fail-nth: /proc/%d/fail-nth is unreadable\n", pid);
		exit(1);
	}
	clean = left != 0;
	printf("%u ", n);
	if (got == sizeof(r)) {
		print_exec_errno(r.err);
		clean = r.left != 0;
	} else if (timed_out) {
		printf("timeout");
	} else if (info.si_code == CLD_EXITED) {
		printf("exit:%d", info.si_status);
	} else if (info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED) {
		print_signal(info.si_status);
	} else {
		printf("unknown:%d", info.si_code);
	}
	printf("%s\n", clean ? " clean" : "");
	fflush(stdout);
	return clean;
}

int main(int argc, char **argv)
{
	unsigned long max = 5000, first = 1, repeat = 1, *value;
	unsigned int n, k;
	char *end;
	int opt, clean;

	/* "+": options end at PROG, whose own arguments may start with '-'. */
	while ((opt = getopt(argc, argv, "+m:r:s:")) != -1) {
		if (opt == 'm')
			value = &max;
		else if (opt == 'r')
			value = &repeat;
		else if (opt == 's')
			value = &first;
		else
			goto usage;
		errno = 0;
		*value = strtoul(optarg, &end, 10);
		if (errno || *end || !*optarg || *value == 0 || *value > 1000000)
			goto usage;
	}
	if (optind >= argc || first > max)
		goto usage;
	pin();
	/* What the exec of this program freed, too. */
	quiesce();
	for (n = first; n <= max; n++) {
		clean = 1;
		for (k = 0; k < repeat; k++)
			clean &= one(argv + optind, n);
		if (clean)
			break;
	}
	return 0;
usage:
	fprintf(stderr, "usage: exec-fail-nth [-m MAX] [-s FIRST] [-r REPEAT] PROG [ARG...]\n");
	return 2;
}
