// SPDX-License-Identifier: GPL-2.0
/*
 * An AArch32 program whose signal handler returns through [sigpage]: it installs
 * the handler with the raw rt_sigaction call and no SA_RESTORER (glibc's
 * sigaction() would give its own restorer), so the kernel points the handler's
 * return address at the sigreturn code in the page aarch32_setup_additional_pages()
 * mapped (compat_setup_return(), arch/arm64/kernel/signal32.c). The handler
 * prints which mapping its return address is in.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct kernel_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask[2];
};

static unsigned long ret_addr;

static void handler(int sig)
{
	(void)sig;
	ret_addr = (unsigned long)__builtin_return_address(0);
}

/* The name /proc/self/maps gives the mapping that holds addr. */
static void mapping_of(unsigned long addr, char *name, size_t len)
{
	FILE *maps = fopen("/proc/self/maps", "r");
	char line[256];
	unsigned long lo, hi;

	snprintf(name, len, "none");
	while (maps && fgets(line, sizeof(line), maps)) {
		char *path = strchr(line, '/') ? strchr(line, '/') : strchr(line, '[');

		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && addr >= lo && addr < hi) {
			snprintf(name, len, "%s", path ? path : "anonymous\n");
			name[strcspn(name, "\n")] = 0;
		}
	}
	if (maps)
		fclose(maps);
}

int main(void)
{
	struct kernel_sigaction act = { .handler = handler };
	char name[128];

	if (syscall(SYS_rt_sigaction, SIGUSR1, &act, NULL, 8) != 0) {
		perror("rt_sigaction");
		return 1;
	}
	raise(SIGUSR1);
	mapping_of(ret_addr, name, sizeof(name));
	printf("the handler returned through %s\n", name);
	return strcmp(name, "[sigpage]") != 0;
}
