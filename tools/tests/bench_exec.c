// SPDX-License-Identifier: GPL-2.0
/*
 * bench-exec [-c] [-r ROUNDS] [-n ITERS] PROG...: fork+exec+wait loops under both
 * loaders in one boot. Each round runs every PROG ITERS times under claim=none and
 * then ITERS times under claim=all, or the other way round, alternating, with the
 * module's timing probes on. One line per (round, claim, PROG):
 *
 *	round R claim C prog P execs N wall_ns W kernel_calls K kernel_ns KT
 *	binfmt_rs_calls B binfmt_rs_ns BT
 *
 * W is the wall time of the N fork+exec+wait cycles; the others are how the
 * timing parameter's counters moved meanwhile. A round 0 before them warms the
 * caches and is not printed. With -c (timing=2) each such line is followed by one
 * for the kernel functions both loaders call:
 *
 *	callees round R claim C prog P NAME CALLS NS NAME CALLS NS ...
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PARAMS "/sys/module/binfmt_rs/parameters/"

#define MAX_CALLEES 16

struct timing {
	long long kernel_calls, kernel_ns, rs_calls, rs_ns;
	int callees;
	char name[MAX_CALLEES][48];
	long long calls[MAX_CALLEES], ns[MAX_CALLEES];
};

static void put(const char *param, const char *value)
{
	int fd = open(param, O_WRONLY);

	if (fd < 0 || write(fd, value, strlen(value)) < 0) {
		perror(param);
		exit(1);
	}
	close(fd);
}

static struct timing read_timing(void)
{
	struct timing t = { 0 };
	int on, missed;
	FILE *f = fopen(PARAMS "timing", "r");

	if (!f || fscanf(f, "on=%d kernel_calls=%lld kernel_ns=%lld binfmt_rs_calls=%lld binfmt_rs_ns=%lld missed=%d",
			 &on, &t.kernel_calls, &t.kernel_ns, &t.rs_calls, &t.rs_ns, &missed) != 6) {
		fprintf(stderr, "bench-exec: cannot read " PARAMS "timing\n");
		exit(1);
	}
	/* Then, with timing=2, " NAME=CALLS/NS" per callee. */
	while (t.callees < MAX_CALLEES &&
	       fscanf(f, " %47[^=]=%lld/%lld", t.name[t.callees], &t.calls[t.callees],
		      &t.ns[t.callees]) == 3)
		t.callees++;
	fclose(f);
	return t;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* n fork+exec+wait cycles of prog; every one must exit 0. */
static long long loop(const char *prog, int n)
{
	char *argv[] = { (char *)prog, NULL };
	char *envp[] = { NULL };
	long long start = now_ns();

	for (int i = 0; i < n; i++) {
		int status;
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			exit(1);
		}
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);

			dup2(null, 1);
			execve(prog, argv, envp);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "bench-exec: %s did not exit 0 (status %#x)\n", prog, status);
			exit(1);
		}
	}
	return now_ns() - start;
}

int main(int argc, char **argv)
{
	static const char *const claims[] = { "none", "all" };
	int rounds = 7, iters = 100, opt;
	const char *level = "1";

	while ((opt = getopt(argc, argv, "cr:n:")) != -1) {
		if (opt == 'c')
			level = "2";
		else if (opt == 'r')
			rounds = atoi(optarg);
		else if (opt == 'n')
			iters = atoi(optarg);
		else
			goto usage;
	}
	if (optind >= argc || rounds < 1 || iters < 1)
		goto usage;
	put(PARAMS "timing", level);
	for (int r = 0; r <= rounds; r++) {
		for (int p = optind; p < argc; p++) {
			for (int c = 0; c < 2; c++) {
				/*
				 * The two loaders' batches of one program run back to back,
				 * and which goes first alternates, so drift weighs on both.
				 */
				const char *claim = claims[(c + r + p) % 2];
				struct timing before, after;
				long long wall;

				put(PARAMS "claim", claim);
				before = read_timing();
				wall = loop(argv[p], r ? iters : 2);
				after = read_timing();
				if (r == 0)
					continue;
				printf("round %d claim %s prog %s execs %d wall_ns %lld kernel_calls %lld kernel_ns %lld binfmt_rs_calls %lld binfmt_rs_ns %lld\n",
				       r, claim, argv[p], iters, wall,
				       after.kernel_calls - before.kernel_calls,
				       after.kernel_ns - before.kernel_ns,
				       after.rs_calls - before.rs_calls,
				       after.rs_ns - before.rs_ns);
				if (after.callees) {
					printf("callees round %d claim %s prog %s", r, claim, argv[p]);
					for (int i = 0; i < after.callees && i < before.callees; i++)
						printf(" %s %lld %lld", after.name[i],
						       after.calls[i] - before.calls[i],
						       after.ns[i] - before.ns[i]);
					printf("\n");
				}
				fflush(stdout);
			}
		}
	}
	put(PARAMS "claim", "none");
	put(PARAMS "timing", "0");
	return 0;
usage:
	fprintf(stderr, "usage: bench-exec [-c] [-r ROUNDS] [-n ITERS] PROG...\n");
	return 2;
}
