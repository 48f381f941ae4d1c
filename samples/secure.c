// SPDX-License-Identifier: GPL-2.0
/*
 * Prints what a setuid program learns from exec: AT_SECURE and its ids. Run
 * setuid by an ordinary user, the dynamic loader must also have ignored
 * LD_PRELOAD (libpreload.so prints a line when it is loaded).
 */
#include <stdio.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(void)
{
	printf("AT_SECURE=%lu uid=%d euid=%d\n", getauxval(AT_SECURE), getuid(), geteuid());
	return 0;
}
