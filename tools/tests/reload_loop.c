// SPDX-License-Identifier: GPL-2.0
/*
 * reload-loop MODULE.ko PARAMS STOPFILE: unloads and reloads a module until
 * STOPFILE exists, then prints "RELOADS BUSY": the reloads done and the unloads
 * refused because something held the module.
 *
 * One process does it with delete_module(2) and finit_module(2): rmmod and insmod
 * would be two execs each, and an exec binfmt_rs loaded pins the module for as long
 * as the process lives, rmmod included.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec pause = { 0, 1000 * 1000 };
	long reloads = 0, busy = 0;
	const char *name;
	char stem[256];

	if (argc != 4) {
		fprintf(stderr, "usage: reload-loop MODULE.ko PARAMS STOPFILE\n");
		return 2;
	}
	name = strrchr(argv[1], '/');
	name = name ? name + 1 : argv[1];
	snprintf(stem, sizeof(stem), "%.*s", (int)strcspn(name, "."), name);
	while (access(argv[3], F_OK) != 0) {
		int fd;

		if (syscall(SYS_delete_module, stem, O_NONBLOCK) != 0) {
			if (errno != EAGAIN && errno != EBUSY && errno != EWOULDBLOCK) {
				perror("delete_module");
				return 1;
			}
			busy++;
			nanosleep(&pause, NULL);
			continue;
		}
		fd = open(argv[1], O_RDONLY | O_CLOEXEC);
		if (fd < 0 || syscall(SYS_finit_module, fd, argv[2], 0) != 0) {
			perror("finit_module");
			return 1;
		}
		close(fd);
		reloads++;
		nanosleep(&pause, NULL);
	}
	printf("%ld %ld\n", reloads, busy);
	return 0;
}
