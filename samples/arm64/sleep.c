// SPDX-License-Identifier: GPL-2.0
/*
 * An AArch32 program that stays running: it sleeps for the number of seconds its
 * argument gives (default 60), so that a test can look at an AArch32 process's
 * /proc/PID/maps ([vectors], [sigpage], its [vdso]) from outside.
 */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned int seconds = argc > 1 ? (unsigned int)atoi(argv[1]) : 60;

	while (seconds)
		seconds = sleep(seconds);
	return 0;
}
