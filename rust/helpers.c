// SPDX-License-Identifier: GPL-2.0
/*
 * The C side of binfmt_rs: macros and static inlines that Rust cannot call.
 *
 * The module! macro of 6.12 declares no parameters, so module_param_cb() (a macro
 * that places a struct kernel_param in the __param section) lives here; the
 * callbacks themselves are Rust functions (rust/claim.rs, rust/stats.rs).
 */

#include <linux/cred.h>
#include <linux/elf.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/pagemap.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>

#include "bindings_helper.h"

/* cpu_feature_enabled() is a macro over alternatives; see rust/symbols.rs. */
bool binfmt_rs_ibt_enforced(void)
{
	return cpu_feature_enabled(X86_FEATURE_IBT);
}

struct task_struct *binfmt_rs_current(void)
{
	return current;
}

/*
 * AT_UID, AT_EUID, AT_GID and AT_EGID as create_elf_tables() computes them, from
 * the new credentials (from_k[ug]id_munged() are static inlines without
 * CONFIG_USER_NS): one call for the four.
 */
void binfmt_rs_auxv_ids(unsigned int ids[4])
{
	const struct cred *cred = current_cred();

	ids[0] = from_kuid_munged(cred->user_ns, cred->uid);
	ids[1] = from_kuid_munged(cred->user_ns, cred->euid);
	ids[2] = from_kgid_munged(cred->user_ns, cred->gid);
	ids[3] = from_kgid_munged(cred->user_ns, cred->egid);
}

struct pt_regs *binfmt_rs_current_pt_regs(void)
{
	return current_pt_regs();
}

/*
 * The macros load_elf_binary() reads once SET_PERSONALITY() has run: STACK_TOP,
 * TASK_SIZE and ELF_ET_DYN_BASE depend on the task (and on 5-level paging),
 * ELF_HWCAP on the boot CPU. One call for all of them.
 */
void binfmt_rs_task_constants(struct binfmt_rs_task_constants *c)
{
	c->stack_top = STACK_TOP;
	c->task_size = TASK_SIZE;
	c->elf_et_dyn_base = ELF_ET_DYN_BASE;
	c->elf_hwcap = ELF_HWCAP;
}

void binfmt_rs_elf_plat_init(struct pt_regs *regs)
{
	ELF_PLAT_INIT(regs, 0);
}

void binfmt_rs_exe_file_allow_write_access(struct file *file)
{
	exe_file_allow_write_access(file);
}

int binfmt_rs_mmap_write_lock_killable(struct mm_struct *mm)
{
	return mmap_write_lock_killable(mm);
}

void binfmt_rs_mmap_write_unlock(struct mm_struct *mm)
{
	mmap_write_unlock(mm);
}

/* kmalloc() is an inline over the slab allocator's entry points. */
void *binfmt_rs_kmalloc(size_t size)
{
	return kmalloc(size, GFP_KERNEL);
}

/*
 * The len bytes at pos of a file that exec has already read through the VFS,
 * where they lie in the page cache: their address, with a reference on their
 * folio in *foliop. NULL when they are not all in one uptodate folio below i_size,
 * or the file cannot be read; the caller then reads them with kernel_read(), as
 * binfmt_elf does, and meets the same errors. filemap_get_folio() does no I/O and
 * calls into no filesystem.
 */
const void *binfmt_rs_cached_bytes(struct file *file, loff_t pos, size_t len,
				   struct folio **foliop)
{
	struct address_space *mapping = file->f_mapping;
	struct folio *folio;
	loff_t size = i_size_read(mapping->host);
	size_t offset;

	if (IS_ENABLED(CONFIG_HIGHMEM) || !(file->f_mode & FMODE_CAN_READ))
		return NULL;
	if (pos < 0 || len == 0 || len > size || pos > size - (loff_t)len)
		return NULL;
	folio = filemap_get_folio(mapping, pos >> PAGE_SHIFT);
	if (IS_ERR(folio))
		return NULL;
	offset = offset_in_folio(folio, pos);
	if (!folio_test_uptodate(folio) || offset + len > folio_size(folio)) {
		folio_put(folio);
		return NULL;
	}
	*foliop = folio;
	return folio_address(folio) + offset;
}

void binfmt_rs_folio_put(struct folio *folio)
{
	folio_put(folio);
}

unsigned long binfmt_rs_clear_user(void __user *to, unsigned long n)
{
	return clear_user(to, n);
}

unsigned long binfmt_rs_copy_to_user(void __user *to, const void *from, unsigned long n)
{
	return copy_to_user(to, from, n);
}

/*
 * put_user() of each word in turn, as create_elf_tables() writes argc, argv and
 * envp, stopping at the first fault: the number of words written.
 */
unsigned long binfmt_rs_put_user_words(unsigned long __user *to, const unsigned long *words,
				       unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		if (put_user(words[i], to + i))
			break;
	return i;
}

int binfmt_rs_claim_set(const char *val, const struct kernel_param *kp);
int binfmt_rs_claim_get(char *buffer, const struct kernel_param *kp);
int binfmt_rs_read_only_set(const char *val, const struct kernel_param *kp);
int binfmt_rs_stats_get(char *buffer, const struct kernel_param *kp);

static const struct kernel_param_ops claim_ops = {
	.set = binfmt_rs_claim_set,
	.get = binfmt_rs_claim_get,
};
module_param_cb(claim, &claim_ops, NULL, 0644);
MODULE_PARM_DESC(claim,
	"ELF files binfmt_rs loads itself: none (every file falls through to the kernel's loader) or all");

int binfmt_rs_trace_set(const char *val, const struct kernel_param *kp);
int binfmt_rs_trace_get(char *buffer, const struct kernel_param *kp);

static const struct kernel_param_ops trace_ops = {
	.set = binfmt_rs_trace_set,
	.get = binfmt_rs_trace_get,
};
module_param_cb(trace, &trace_ops, NULL, 0644);
MODULE_PARM_DESC(trace, "1: log each step of every exec binfmt_rs loads");

static const struct kernel_param_ops stats_ops = {
	.set = binfmt_rs_read_only_set,
	.get = binfmt_rs_stats_get,
};
module_param_cb(stats, &stats_ops, NULL, 0444);
MODULE_PARM_DESC(stats, "what binfmt_rs has seen since it was loaded (read-only)");

int binfmt_rs_timing_set(const char *val, const struct kernel_param *kp);
int binfmt_rs_timing_get(char *buffer, const struct kernel_param *kp);

static const struct kernel_param_ops timing_ops = {
	.set = binfmt_rs_timing_set,
	.get = binfmt_rs_timing_get,
};
module_param_cb(timing, &timing_ops, NULL, 0644);
MODULE_PARM_DESC(timing,
	"1: time load_elf_binary() and binfmt_rs's load_binary() with kretprobes, for make bench");
