// SPDX-License-Identifier: GPL-2.0
/*
 * .data that ends in the middle of a page, followed by a large .bss: the loader
 * must clear the rest of the last file page (padzero) and map the bss anonymous.
 */
#include <stdio.h>

char data[5000] = { 1 };
char bss[3 << 20];

int main(int argc, char **argv)
{
	unsigned long sum = 0;

	(void)argc;
	for (unsigned long i = 0; i < sizeof(bss); i += 4096)
		sum += bss[i];
	printf("hello from %s, data[0]=%d bss sum=%lu\n", argv[0], data[0], sum);
	return 0;
}
