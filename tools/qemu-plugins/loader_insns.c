// SPDX-License-Identifier: GPL-2.0
/*
 * A QEMU TCG plugin that counts the guest instructions each binfmt's load_binary
 * executes, callees included: the deterministic half of `make bench`
 * (tools/bench-insns). Time under TCG varies by several per cent from run to run;
 * the instructions an exec takes do not.
 *
 *	-plugin loader_insns.so,out=FILE,ret=ADDR[,ret=ADDR],kernel=ADDR,module=ADDR,marker=ADDR
 *
 * ret: the return addresses of search_binary_handler()'s calls of
 * fmt->load_binary(); kernel: binfmt_elf's load_elf_binary(); module: binfmt_rs's
 * load_binary(); marker: a function the guest calls between batches (the set hook
 * of binfmt_rs's claim parameter). A load starts at the first block of kernel or
 * module and ends when control comes back to a return address.
 *
 * FILE gets "K insns blocks" for each call of load_elf_binary() and "M insns
 * blocks" for each call of binfmt_rs's load_binary(), from the first marker on.
 * At each marker it gets "T pc insns k m" for every translation block that ran
 * inside those loads since the last marker, with the times it ran inside
 * load_elf_binary() (k) and inside binfmt_rs (m), then "B".
 *
 * Written against the plugin API of QEMU 7.2 (version 1), which Debian 12 ships
 * without its header; the few declarations it needs are below.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
typedef struct qemu_info qemu_info_t;

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   void (*cb)(qemu_plugin_id_t, struct qemu_plugin_tb *));
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb,
					  void (*cb)(unsigned int, void *), int flags, void *udata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
				    void (*cb)(qemu_plugin_id_t, void *), void *udata);

#define EXPORT __attribute__((visibility("default")))
#define QEMU_PLUGIN_CB_NO_REGS 0
#define KERNEL_SPACE 0xffff800000000000ull
#define MAX_RET 4

EXPORT int qemu_plugin_version = 1;

struct block {
	uint64_t pc, insns;
	uint64_t runs[2];	/* inside load_elf_binary(), inside binfmt_rs */
	struct block *next;
};

static struct block *blocks;
static uint64_t ret[MAX_RET], kernel, module, marker;
static int nret, started;
static int inside = -1;		/* -1, or 0 (kernel) / 1 (module) */
static uint64_t insns, runs;
static FILE *out;

/* Closes a batch: the blocks that ran inside loads since the last marker. */
static void end_batch(void)
{
	struct block *b;

	for (b = blocks; b; b = b->next) {
		if (b->runs[0] || b->runs[1])
			fprintf(out, "T %" PRIx64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "\n",
				b->pc, b->insns, b->runs[0], b->runs[1]);
		b->runs[0] = b->runs[1] = 0;
	}
	fputs("B\n", out);
}

static void block_ran(unsigned int vcpu, void *udata)
{
	struct block *b = udata;
	int i;

	(void)vcpu;
	if (b->pc == marker) {
		end_batch();
		started = 1;
	}
	if (inside >= 0) {
		for (i = 0; i < nret; i++) {
			if (b->pc == ret[i]) {
				fprintf(out, "%c %" PRIu64 " %" PRIu64 "\n", inside ? 'M' : 'K',
					insns, runs);
				inside = -1;
				break;
			}
		}
	}
	if (inside < 0 && started && (b->pc == kernel || b->pc == module)) {
		inside = b->pc == module;
		insns = runs = 0;
	}
	if (inside >= 0) {
		insns += b->insns;
		runs++;
		b->runs[inside]++;
	}
}

static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	struct block *b;

	(void)id;
	if (qemu_plugin_tb_vaddr(tb) < KERNEL_SPACE)
		return;
	b = calloc(1, sizeof(*b));
	if (!b)
		abort();
	b->pc = qemu_plugin_tb_vaddr(tb);
	b->insns = qemu_plugin_tb_n_insns(tb);
	b->next = blocks;
	blocks = b;
	qemu_plugin_register_vcpu_tb_exec_cb(tb, block_ran, QEMU_PLUGIN_CB_NO_REGS, b);
}

static void finished(qemu_plugin_id_t id, void *udata)
{
	(void)id;
	(void)udata;
	fclose(out);
}

static int address(const char *arg, const char *name, uint64_t *value)
{
	size_t n = strlen(name);

	if (strncmp(arg, name, n) || arg[n] != '=')
		return 0;
	*value = strtoull(arg + n + 1, NULL, 16);
	return 1;
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
			       char **argv)
{
	const char *path = NULL;
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4))
			path = argv[i] + 4;
		else if (nret < MAX_RET && address(argv[i], "ret", &ret[nret]))
			nret++;
		else if (!address(argv[i], "kernel", &kernel) &&
			 !address(argv[i], "module", &module) &&
			 !address(argv[i], "marker", &marker)) {
			fprintf(stderr, "loader_insns: unknown argument %s\n", argv[i]);
			return -1;
		}
	}
	if (!path || !nret || !kernel || !module || !marker) {
		fprintf(stderr, "loader_insns: out, ret, kernel, module and marker are needed\n");
		return -1;
	}
	out = fopen(path, "w");
	if (!out)
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
	qemu_plugin_register_atexit_cb(id, finished, NULL);
	return 0;
}
