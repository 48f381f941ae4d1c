// SPDX-License-Identifier: GPL-2.0
/*
 * fanotify-deny ALLOW FILE PROG [ARG...]: execs PROG while a fanotify listener
 * holds a FAN_ACCESS_PERM mark on FILE (the program or its interpreter), lets the
 * first ALLOW reads of FILE through and denies every later one, then prints one
 * line:
 *
 *	OUTCOME reads=N
 *
 * OUTCOME is errno:ENAME when execve() returned, exit:N or signal:SIGNAME when the
 * new program ran (or exec failed after the point of no return, which the kernel
 * turns into SIGSEGV), or timeout when the child took more than 5 s and was killed.
 * N is the number of permission events FILE raised.
 *
 * Why: a read that passes rw_verify_area() raises FAN_ACCESS_PERM and waits for the
 * listener's answer; a denied one fails with -EPERM. An exec's reads of its program
 * (bprm->buf, the program header table, the PT_INTERP path) and of its interpreter
 * (the ELF header, the program header table) are kernel_read()s, so the events
 * count them and a denial shows which errno each one turns into. Two loaders that
 * read the same bytes the same way print the same line.
 *
 * The listener never reads FILE (it looks at the event's fd only with fstat()) and
 * answers FAN_ALLOW to any event that is not a read of FILE, without counting it.
 * It waits with poll() on the fanotify fd and on a pidfd of the child, so it never
 * blocks on one while the other needs it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "outcome.h"

#define TIMEOUT_MS 5000

extern char **environ;

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static long allow;	/* reads of FILE let through before the denials */
static long reads;	/* permission events for reads of FILE so far */
static struct stat target;

/* Answers the events one read of fan returns (poll() said it has some); -1 on error. */
static int answer_events(int fan)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct fanotify_event_metadata))));
	struct fanotify_event_metadata *ev;
	ssize_t len;

	len = read(fan, buf, sizeof(buf));
	if (len < 0)
		return errno == EINTR ? 0 : -1;
	for (ev = (void *)buf; FAN_EVENT_OK(ev, len); ev = FAN_EVENT_NEXT(ev, len)) {
		struct fanotify_response resp = { .fd = ev->fd, .response = FAN_ALLOW };
		struct stat st;

		if (ev->vers != FANOTIFY_METADATA_VERSION) {
			fprintf(stderr, "fanotify-deny: event version %u\n", ev->vers);
			return -1;
		}
		if (ev->fd < 0)
			continue;	/* FAN_Q_OVERFLOW: no file, no answer */
		if ((ev->mask & FAN_ACCESS_PERM) && fstat(ev->fd, &st) == 0 &&
		    st.st_dev == target.st_dev && st.st_ino == target.st_ino) {
			reads++;
			if (reads > allow)
				resp.response = FAN_DENY;
		} else {
			fprintf(stderr, "fanotify-deny: unexpected event, mask 0x%llx, allowed\n",
				(unsigned long long)ev->mask);
		}
		if (ev->mask & (FAN_OPEN_PERM | FAN_ACCESS_PERM | FAN_OPEN_EXEC_PERM) &&
		    write(fan, &resp, sizeof(resp)) != sizeof(resp))
			perror("fanotify-deny: answer");
		close(ev->fd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int fan, pidfd, report[2], err, status, timed_out = 0;
	long long deadline;
	char *end;
	ssize_t got;
	pid_t pid;

	if (argc < 4)
		goto usage;
	allow = strtol(argv[1], &end, 10);
	if (*argv[1] == '\0' || *end != '\0' || allow < 0)
		goto usage;
	if (stat(argv[2], &target)) {
		perror(argv[2]);
		return 2;
	}
	fan = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY);
	if (fan < 0) {
		perror("fanotify_init");
		return 2;
	}
	if (fanotify_mark(fan, FAN_MARK_ADD, FAN_ACCESS_PERM, AT_FDCWD, argv[2])) {
		perror("fanotify_mark");
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
		close(fan);
		exec_quietly(argv[3], argv + 3, environ, report[1]);
	}
	close(report[1]);
	/* A pidfd polls readable once the child has exited. */
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		perror("pidfd_open");
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return 2;
	}
	deadline = now_ms() + TIMEOUT_MS;
	for (;;) {
		struct pollfd fds[2] = {
			{ .fd = fan, .events = POLLIN },
			{ .fd = pidfd, .events = POLLIN },
		};
		long long left = deadline - now_ms();
		int n;

		if (left <= 0 && !timed_out) {
			timed_out = 1;
			kill(pid, SIGKILL);
		}
		n = poll(fds, 2, timed_out ? 1000 : (int)left);
		if (n < 0 && errno != EINTR) {
			perror("poll");
			kill(pid, SIGKILL);
			break;
		}
		if (n > 0 && (fds[0].revents & POLLIN) && answer_events(fan)) {
			perror("fanotify-deny: read");
			kill(pid, SIGKILL);
			break;
		}
		if (n > 0 && (fds[1].revents & POLLIN))
			break;
	}
	/* The child is gone: answer what is left, though nothing can wait for it. */
	for (;;) {
		struct pollfd left = { .fd = fan, .events = POLLIN };

		if (poll(&left, 1, 0) != 1 || !(left.revents & POLLIN) || answer_events(fan))
			break;
	}
	if (waitpid(pid, &status, 0) != pid) {
		perror("waitpid");
		return 2;
	}
	/* A successful exec closed the write end: read returns 0. */
	do
		got = read(report[0], &err, sizeof(err));
	while (got < 0 && errno == EINTR);

	if (got == sizeof(err))
		print_exec_errno(err);
	else if (timed_out)
		printf("timeout");
	else
		print_wait_status(status);
	printf(" reads=%ld\n", reads);
	return 0;
usage:
	fprintf(stderr, "usage: fanotify-deny ALLOW FILE PROG [ARG...]\n");
	return 2;
}
