// SPDX-License-Identifier: GPL-2.0
/*
 * bench-exec [-r ROUNDS] [-n ITERS] PROG...: fork+exec+wait loops under both
 * loaders in one boot. Each round runs every PROG ITERS times under claim=none and
 * then ITERS times under claim=all, or the other way round, alternating. One line
 * per (round, claim, PROG):
 *
 *	round R claim C prog P execs N wall_ns W offered O loaded L
 *
 * W is the wall time of the N fork+exec+wait cycles; O and L are how the module's
 * stats counters moved meanwhile: under claim=all L == N proves binfmt_rs loaded
 * every exec, under claim=none L == 0 that it loaded none. A round 0 before them
 * warms the caches and is not printed. The time inside each loader is not measured
 * here: tools/bench-insns counts its instructions, which TCG's clock cannot tell
 * apart to a few percent.
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

struct stats {
	long long offered, loaded;
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

static struct stats read_stats(void)
{
	struct stats t = { 0 };
	long long elf, failed;
	FILE *f = fopen(PARAMS "stats", "r");

	if (!f || fscanf(f, "offered=%lld elf=%lld loaded=%lld failed=%lld", &t.offered, &elf,
			 &t.loaded, &failed) != 4) {
		fprintf(stderr, "bench-exec: cannot read " PARAMS "stats\n");
		exit(1);
	}
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

	while ((opt = getopt(argc, argv, "r:n:")) != -1) {
		if (opt == 'r')
			rounds = atoi(optarg);
		else if (opt == 'n')
			iters = atoi(optarg);
		else
			goto usage;
	}
	if (optind >= argc || rounds < 1 || iters < 1)
		goto usage;
	for (int r = 0; r <= rounds; r++) {
		for (int p = optind; p < argc; p++) {
			for (int c = 0; c < 2; c++) {
				/*
				 * The two loaders' batches of one program run back to back,
				 * and which goes first alternates, so drift weighs on both.
				 */
				const char *claim = claims[(c + r + p) % 2];
				struct stats before, after;
				long long wall;

				put(PARAMS "claim", claim);
				before = read_stats();
				wall = loop(argv[p], r ? iters : 2);
				after = read_stats();
				if (r == 0)
					continue;
				printf("round %d claim %s prog %s execs %d wall_ns %lld offered %lld loaded %lld\n",
				       r, claim, argv[p], iters, wall, after.offered - before.offered,
				       after.loaded - before.loaded);
				fflush(stdout);
			}
		}
	}
	put(PARAMS "claim", "none");
	return 0;
usage:
	fprintf(stderr, "usage: bench-exec [-r ROUNDS] [-n ITERS] PROG...\n");
	return 2;
}
