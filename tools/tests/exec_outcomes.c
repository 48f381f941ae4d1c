// SPDX-License-Identifier: GPL-2.0
/*
 * exec-outcomes [-t SECONDS] DIR < NAMES: execs DIR/NAME for every NAME read from
 * stdin, one at a time, and prints one line per file:
 *
 *	NAME OUTCOME offered=+N elf=+N loaded=+N failed=+N
 *
 * OUTCOME is errno:ENAME when execve() returned, exit:N or signal:SIGNAME when the
 * new program ran (or exec failed after the point of no return, which the kernel
 * turns into SIGSEGV), or timeout when it ran longer than SECONDS (default 3) and
 * was killed. The counters are the change in binfmt_rs's stats parameter around
 * the exec, so a caller can tell which loader did the work; "-" when the module
 * is not loaded.
 *
 * One process execs the whole corpus: no shell runs between two files, so the
 * counters change by the corpus file's exec alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "outcome.h"

#define STATS "/sys/module/binfmt_rs/parameters/stats"

struct stats {
	long long offered, elf, loaded, failed;
	int valid;
};

static struct stats read_stats(void)
{
	struct stats s = { 0 };
	FILE *f = fopen(STATS, "r");

	if (!f)
		return s;
	s.valid = fscanf(f, "offered=%lld elf=%lld loaded=%lld failed=%lld", &s.offered, &s.elf,
			 &s.loaded, &s.failed) == 4;
	fclose(f);
	return s;
}

/* Waits for pid for at most seconds; kills it when the time is up. */
static int wait_bounded(pid_t pid, int seconds, int *timed_out)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int status;
	long ticks = seconds * 100L;

	*timed_out = 0;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return status;
		if (r < 0 && errno != EINTR)
			return -1;
		if (ticks-- == 0 && !*timed_out) {
			*timed_out = 1;
			kill(pid, SIGKILL);
		}
		nanosleep(&tick, NULL);
	}
}

static void one(const char *dir, const char *name, int seconds)
{
	char path[4096];
	int pipefd[2], err, timed_out, status;
	/* The program alone in its argv, and an empty environment. */
	char *child_argv[] = { path, NULL };
	char *empty_env[] = { NULL };
	struct stats before, after;
	ssize_t got;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (pipe2(pipefd, O_CLOEXEC)) {
		perror("pipe2");
		exit(2);
	}
	before = read_stats();
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0) {
		close(pipefd[0]);
		exec_quietly(path, child_argv, empty_env, pipefd[1]);
	}
	close(pipefd[1]);
	/* A successful exec closes the pipe's write end: read returns 0. */
	do
		got = read(pipefd[0], &err, sizeof(err));
	while (got < 0 && errno == EINTR);
	close(pipefd[0]);
	status = wait_bounded(pid, seconds, &timed_out);
	after = read_stats();

	printf("%s ", name);
	if (got == sizeof(err))
		print_exec_errno(err);
	else if (timed_out)
		printf("timeout");
	else if (status >= 0)
		print_wait_status(status);
	else
		printf("unknown");
	if (before.valid && after.valid)
		printf(" offered=+%lld elf=+%lld loaded=+%lld failed=+%lld\n",
		       after.offered - before.offered, after.elf - before.elf,
		       after.loaded - before.loaded, after.failed - before.failed);
	else
		printf(" offered=- elf=- loaded=- failed=-\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	char name[1024];
	int seconds = 3;
	int opt;

	while ((opt = getopt(argc, argv, "t:")) != -1) {
		if (opt != 't')
			goto usage;
		seconds = atoi(optarg);
	}
	if (optind + 1 != argc || seconds <= 0)
		goto usage;
	while (fgets(name, sizeof(name), stdin)) {
		name[strcspn(name, " \t\n")] = '\0';
		if (name[0] && name[0] != '#')
			one(argv[optind], name, seconds);
	}
	return 0;
usage:
	fprintf(stderr, "usage: exec-outcomes [-t SECONDS] DIR < NAMES\n");
	return 2;
}
