// SPDX-License-Identifier: GPL-2.0
/*
 * An AArch32 program that calls the kernel-provided user helpers in [vectors]
 * (Documentation/arch/arm/kernel_user_helpers.rst), which an arm64 kernel maps for
 * compat tasks with CONFIG_KUSER_HELPERS (aarch32_setup_additional_pages()):
 * it prints its [vectors] mapping, reads kuser_helper_version and calls
 * kuser_get_tls, kuser_cmpxchg, kuser_memory_barrier and kuser_cmpxchg64, and
 * checks what each returns.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define KUSER_HELPER_VERSION (*(const int32_t *)0xffff0ffc)
typedef void *(get_tls_fn)(void);
typedef int(cmpxchg_fn)(int oldval, int newval, volatile int *ptr);
typedef void(barrier_fn)(void);
typedef int(cmpxchg64_fn)(const int64_t *oldval, const int64_t *newval, volatile int64_t *ptr);

int main(void)
{
	get_tls_fn *get_tls = (get_tls_fn *)0xffff0fe0;
	cmpxchg_fn *cmpxchg = (cmpxchg_fn *)0xffff0fc0;
	barrier_fn *barrier = (barrier_fn *)0xffff0fa0;
	cmpxchg64_fn *cmpxchg64 = (cmpxchg64_fn *)0xffff0f60;
	void *tls;
	volatile int word = 1;
	volatile int64_t dword = 1;
	int64_t old64 = 1, new64 = 0x100000002LL;
	int ok;

	FILE *maps = fopen("/proc/self/maps", "r");
	char line[256];

	while (maps && fgets(line, sizeof(line), maps))
		if (strstr(line, "[vectors]"))
			fputs(line, stdout);
	__asm__ volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(tls));
	printf("kuser_helper_version %d\n", KUSER_HELPER_VERSION);
	printf("kuser_get_tls %s\n", get_tls() == tls ? "matches TPIDRURO" : "differs");
	ok = cmpxchg(1, 2, &word) == 0 && word == 2 && cmpxchg(1, 3, &word) != 0 && word == 2;
	printf("kuser_cmpxchg %s\n", ok ? "ok" : "wrong");
	barrier();
	printf("kuser_memory_barrier returned\n");
	ok = cmpxchg64(&old64, &new64, &dword) == 0 && dword == new64;
	printf("kuser_cmpxchg64 %s\n", ok ? "ok" : "wrong");
	return KUSER_HELPER_VERSION >= 5 ? 0 : 1;
}
