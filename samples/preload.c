// SPDX-License-Identifier: GPL-2.0
/* A library for LD_PRELOAD that says when it has been loaded. */
#include <stdio.h>

__attribute__((constructor)) static void announce(void)
{
	printf("preloaded\n");
}
