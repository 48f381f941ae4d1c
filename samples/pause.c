// SPDX-License-Identifier: GPL-2.0
/*
 * A dynamic program that waits for a signal: something to look at, or to crash
 * on purpose, with its interpreter and libraries mapped.
 */
#include <unistd.h>

int main(void)
{
	pause();
	return 0;
}
