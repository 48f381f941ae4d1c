// SPDX-License-Identifier: GPL-2.0
/*
 * The C side of binfmt_rs: macros and static inlines that Rust cannot call.
 *
 * The module! macro of 6.12 declares no parameters, so module_param_cb() (a macro
 * that places a struct kernel_param in the __param section) lives here; the
 * callbacks themselves are Rust functions (rust/params/). The trace events are
 * declared in rust/binfmt_rs_trace.h and the debugfs file's operations made by
 * DEFINE_SHOW_ATTRIBUTE() here, around Rust's show function (rust/film/ring.rs).
 */

#include <linux/cred.h>
#include <linux/debugfs.h>
#include <linux/elf.h>
#include <linux/elf-randomize.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/binfmts.h>
#include <linux/list.h>
#include <linux/mmap_lock.h>
#include <linux/poison.h>
#include <linux/printk.h>
#include <linux/spinlock.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>
#ifdef CONFIG_ARM64
#include <asm/hwcap.h>
#include <asm/spectre.h>
#endif
#ifdef CONFIG_IA32_EMULATION
#include <asm/ia32.h>
#include <asm/vdso.h>
#endif

#include "bindings_helper.h"

#define CREATE_TRACE_POINTS
#include "binfmt_rs_trace.h"

#ifdef CONFIG_X86
/* cpu_feature_enabled() is a macro over alternatives; see rust/wrappers/symbols.rs. */
bool binfmt_rs_ibt_enforced(void)
{
	return cpu_feature_enabled(X86_FEATURE_IBT);
}
#endif

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

#ifdef CONFIG_X86_64
/*
 * ELF_PLAT_INIT(regs, 0) and START_THREAD() of x86_64, on current_pt_regs(): the
 * two macros load_elf_binary() ends with, in one call.
 */
void binfmt_rs_start_thread(unsigned long new_ip, unsigned long new_sp)
{
	struct pt_regs *regs = current_pt_regs();

	ELF_PLAT_INIT(regs, 0);
	start_thread(regs, new_ip, new_sp);
}
#endif

/*
 * The macros load_elf_binary() reads once SET_PERSONALITY() has run: STACK_TOP,
 * TASK_SIZE and ELF_ET_DYN_BASE depend on the task (TIF_ADDR32, TIF_32BIT, and
 * 5-level paging), ELF_HWCAP on the boot CPU. One call for all of them. For a
 * 32-bit program compat_binfmt_elf.c replaces ELF_ET_DYN_BASE by
 * COMPAT_ELF_ET_DYN_BASE. arm64's ELF_HWCAP calls cpu_get_elf_hwcap(), which is
 * not exported: rust/wrappers/arm64.rs calls it, and 0 stands here.
 */
void binfmt_rs_task_constants(struct binfmt_rs_task_constants *c, bool compat)
{
	c->stack_top = STACK_TOP;
	c->task_size = TASK_SIZE;
#ifdef COMPAT_ELF_ET_DYN_BASE
	if (compat)
		c->elf_et_dyn_base = COMPAT_ELF_ET_DYN_BASE;
	else
#endif
		c->elf_et_dyn_base = ELF_ET_DYN_BASE;
#ifdef CONFIG_X86
	c->elf_hwcap = ELF_HWCAP;
#else
	c->elf_hwcap = 0;
#endif
}

#ifdef CONFIG_IA32_EMULATION

/* ia32_enabled(): the ia32_emulation= boot option, read from its variable. */
bool binfmt_rs_ia32_enabled(const bool *ia32_enabled)
{
	return READ_ONCE(*ia32_enabled);
}

/* VDSO_ENTRY (arch/x86/include/asm/elf.h): AT_SYSINFO of an i386 program. */
unsigned long binfmt_rs_vdso32_entry(const struct vdso_image *image, unsigned long vdso)
{
	return vdso + image->sym___kernel_vsyscall;
}
#endif

void binfmt_rs_exe_file_allow_write_access(struct file *file)
{
	exe_file_allow_write_access(file);
}

/*
 * elf_map()'s line when MAP_FIXED_NOREPLACE finds the range taken, printed by the
 * same pr_info() format: no module prefix, comm as it is.
 */
void binfmt_rs_report_segment_collision(unsigned long addr)
{
	pr_info("%d (%s): Uhuuh, elf segment at %px requested but the memory is mapped already\n",
		task_pid_nr(current), current->comm, (void *)addr);
}

/* load_elf_binary()'s MMAP_PAGE_ZERO warning, rate-limited as the C's is. */
void binfmt_rs_report_page_zero_seal(int ret)
{
	pr_warn_ratelimited("pid=%d, couldn't seal address 0, ret=%d.\n",
			    task_pid_nr(current), ret);
}

/*
 * Puts fmt on the list of formats just before before (binfmt_elf's elf_format),
 * under binfmt_lock as __register_binfmt() does: whatever sits ahead of
 * binfmt_elf, binfmt_misc and binfmt_script among them, keeps its place, and a
 * binfmt_misc loaded later still goes to the head. The list's head is a static of
 * fs/exec.c whose name other files use too, so the list is reached through
 * before's own node, checked to be on it. -ENOENT when it is not.
 */
int binfmt_rs_register_binfmt_before(struct linux_binfmt *fmt, struct linux_binfmt *before,
				     rwlock_t *lock)
{
	struct list_head *node = &before->lh;
	int ret = -ENOENT;

	write_lock(lock);
	if (node->next && node->next != LIST_POISON1 && node->next != node &&
	    node->next->prev == node && node->prev->next == node) {
		list_add_tail(&fmt->lh, node);
		ret = 0;
	}
	write_unlock(lock);
	return ret;
}

/*
 * Calls to the kernel functions a module cannot link against, whose addresses
 * rust/wrappers/symbols.rs finds at init. Each trampoline calls the address as the
 * function its header declares, so the compiler checks the call against the real
 * prototype, and under CONFIG_CFI_CLANG the indirect call carries that
 * prototype's type hash.
 */
#define BINFMT_RS_AS(name, fn) ((typeof(&name))(fn))

int binfmt_rs_call_arch_setup_additional_pages(const void *fn, struct linux_binprm *bprm,
					       int uses_interp)
{
	return BINFMT_RS_AS(arch_setup_additional_pages, fn)(bprm, uses_interp);
}

#ifdef CONFIG_X86_64
void binfmt_rs_call_set_personality_64bit(const void *fn)
{
	BINFMT_RS_AS(set_personality_64bit, fn)();
}

unsigned long binfmt_rs_call_get_sigframe_size(const void *fn)
{
	return BINFMT_RS_AS(get_sigframe_size, fn)();
}
#endif

unsigned long binfmt_rs_call_randomize_stack_top(const void *fn, unsigned long stack_top)
{
	return BINFMT_RS_AS(randomize_stack_top, fn)(stack_top);
}

#ifdef CONFIG_IA32_EMULATION
/* COMPAT_ARCH_SETUP_ADDITIONAL_PAGES() for an i386 program (x32 false). */
int binfmt_rs_call_compat_arch_setup_additional_pages(const void *fn, struct linux_binprm *bprm,
						      int uses_interp)
{
	return BINFMT_RS_AS(compat_arch_setup_additional_pages, fn)(bprm, uses_interp, false);
}

/*
 * COMPAT_ELF_PLAT_INIT(regs, 0) and COMPAT_START_THREAD() for an i386 program (x32
 * false), on current_pt_regs(), in one call.
 */
void binfmt_rs_call_compat_start_thread(const void *fn, u32 new_ip, u32 new_sp)
{
	struct pt_regs *regs = current_pt_regs();

	COMPAT_ELF_PLAT_INIT(regs, 0);
	BINFMT_RS_AS(compat_start_thread, fn)(regs, new_ip, new_sp, false);
}
#endif

#ifdef CONFIG_ARM64
/*
 * SET_PERSONALITY() and COMPAT_SET_PERSONALITY() (arch/arm64/include/asm/elf.h),
 * of the header at ex: TIF_32BIT, and READ_IMPLIES_EXEC dropped for an AArch64
 * program only.
 */
void binfmt_rs_arm64_set_personality(const void *ex, bool compat)
{
#ifdef CONFIG_COMPAT
	if (compat) {
		COMPAT_SET_PERSONALITY(*(const struct elf32_hdr *)ex);
		return;
	}
#endif
	SET_PERSONALITY(*(const struct elf64_hdr *)ex);
}

/*
 * ELF_PLAT_INIT(regs, 0) (arm64 defines no COMPAT_ELF_PLAT_INIT, so AArch32 has
 * the same) and start_thread() or compat_start_thread()
 * (arch/arm64/include/asm/processor.h), static inlines that call
 * spectre_v4_enable_task_mitigation(), which is not exported: their bodies, with
 * that call made through its address, fn.
 */
void binfmt_rs_arm64_start_thread(const void *fn, unsigned long pc, unsigned long sp,
				  bool compat)
{
	struct pt_regs *regs = current_pt_regs();

	ELF_PLAT_INIT(regs, 0);
	start_thread_common(regs, pc);
#ifdef CONFIG_COMPAT
	if (compat) {
		regs->pstate = PSR_AA32_MODE_USR;
		if (pc & 1)
			regs->pstate |= PSR_AA32_T_BIT;
#ifdef __AARCH64EB__
		regs->pstate |= PSR_AA32_E_BIT;
#endif
		BINFMT_RS_AS(spectre_v4_enable_task_mitigation, fn)(current);
		regs->compat_sp = sp;
		return;
	}
#endif
	regs->pstate = PSR_MODE_EL0t;
	BINFMT_RS_AS(spectre_v4_enable_task_mitigation, fn)(current);
	regs->sp = sp;
}

/* system_supports_bti(): a CPU capability, read through alternatives. */
bool binfmt_rs_system_supports_bti(void)
{
	return system_supports_bti();
}

/* ELF_HWCAP and ELF_HWCAP2 (arch/arm64/include/asm/hwcap.h). */
unsigned long binfmt_rs_call_cpu_get_elf_hwcap(const void *fn)
{
	return BINFMT_RS_AS(cpu_get_elf_hwcap, fn)();
}

unsigned long binfmt_rs_call_cpu_get_elf_hwcap2(const void *fn)
{
	return BINFMT_RS_AS(cpu_get_elf_hwcap2, fn)();
}

#ifdef CONFIG_COMPAT
/* compat_elf_check_arch() (arch/arm64/kernel/process.c) of an ELF32 header. */
int binfmt_rs_call_compat_elf_check_arch(const void *fn, const void *hdr)
{
	return BINFMT_RS_AS(compat_elf_check_arch, fn)(hdr);
}

/* COMPAT_ARCH_SETUP_ADDITIONAL_PAGES(): aarch32_setup_additional_pages(). */
int binfmt_rs_call_aarch32_setup_additional_pages(const void *fn, struct linux_binprm *bprm,
						  int uses_interp)
{
	return BINFMT_RS_AS(aarch32_setup_additional_pages, fn)(bprm, uses_interp);
}
#endif
#endif

unsigned long binfmt_rs_call_arch_mmap_rnd(const void *fn)
{
	return BINFMT_RS_AS(arch_mmap_rnd, fn)();
}

int binfmt_rs_call_do_mseal(const void *fn, unsigned long start, size_t len, unsigned long flags)
{
	return BINFMT_RS_AS(do_mseal, fn)(start, len, flags);
}

/*
 * create_elf_tables()'s stack extension: find_extend_vma_locked() under the mmap
 * lock, -EINTR if a fatal signal interrupts the wait for it, -EFAULT when the
 * stack cannot reach addr.
 */
int binfmt_rs_call_find_extend_vma_locked(const void *fn, struct mm_struct *mm,
					  unsigned long addr)
{
	struct vm_area_struct *vma;

	if (mmap_write_lock_killable(mm))
		return -EINTR;
	vma = BINFMT_RS_AS(find_extend_vma_locked, fn)(mm, addr);
	mmap_write_unlock(mm);
	return vma ? 0 : -EFAULT;
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
 * kmalloc() is a static inline that picks the size class; called here as
 * load_elf_phdrs() and load_elf_binary() call it for the buffers they read into.
 * The loader reads a program header table as 8-byte words (FileBuf::words()),
 * which needs kmalloc()'s alignment guarantee to be at least that.
 */
static_assert(ARCH_KMALLOC_MINALIGN >= 8);

void *binfmt_rs_kmalloc(size_t size)
{
	return kmalloc(size, GFP_KERNEL);
}

/*
 * kmalloc(sizeof(*interp_elf_ex), GFP_KERNEL), the interpreter's header buffer of
 * load_elf_binary() (compat_binfmt_elf.c's elfhdr being elf32_hdr): with the size
 * a constant, kmalloc() picks its cache at compile time (__kmalloc_cache_noprof())
 * instead of looking it up from the size at each call.
 */
void *binfmt_rs_kmalloc_ehdr(bool elf32)
{
	if (elf32)
		return kmalloc(sizeof(struct elf32_hdr), GFP_KERNEL);
	return kmalloc(sizeof(struct elf64_hdr), GFP_KERNEL);
}

/*
 * create_elf_tables()'s argc, argv and envp as one run of its put_user() and
 * strnlen_user() calls: put_user((elf_addr_t)argc, to), then for each of argc
 * strings laid end to end from p, put_user((elf_addr_t)p, ++to) and
 * p += strnlen_user(p, MAX_ARG_STRLEN), then put_user(0, ++to); the same for the
 * envc strings that follow, and a last put_user(0, ++to). Stops at the first
 * put_user() that faults (-EFAULT) or string whose length is 0 (a read faulted,
 * or reached the end of the address space) or over MAX_ARG_STRLEN (-EINVAL).
 * Returns 0 or that errno, with the words written, the end of the argv strings
 * (once argv's NULL is written) and the end of the last string measured in *res,
 * all three written on every path (the caller does not zero them first).
 *
 * One user access section. The stores are the put_user()s': each word in turn,
 * the same page faults in the same order (a store that faults is retried after
 * the fault is handled, as put_user()'s is), no fault-injection site (put_user()
 * has none). The words lie below bprm->p, within TASK_SIZE, so the range check
 * of the run passes exactly when each put_user()'s would.
 *
 * The strings are read in one pass: strnlen_user() (lib/strnlen_user.c) reads a
 * string's words from the one it starts in to the one its NUL is in, or until it
 * has seen MAX_ARG_STRLEN of its bytes or reached the end of the address space,
 * and each string starts in the word the one before it ends in (or the next), so
 * this reads the same words in the same order, each once, every NUL of a word
 * found at once (zero_bytes()). Reads have no fault-injection site either.
 */
#ifdef __BIG_ENDIAN
#error "the string pointers' NULs are found with the lowest-addressed byte least significant"
#endif

/* The top bit of each byte of c that is 0, and no other bit: no carries between bytes. */
static __always_inline unsigned long zero_bytes(unsigned long c)
{
	const unsigned long low7 = REPEAT_BYTE(0x7f);

	return ~(((c & low7) + low7) | c | low7);
}

#if can_do_masked_user_access()
/*
 * x86-64: as put_user() and strnlen_user() check a user address, by masking it
 * (a kernel address becomes one that faults), without a fence.
 */
#define binfmt_rs_user_access_begin(to, len)					\
	({ (to) = masked_user_access_begin(to); true; })

/* In the open section: the address masked, the reads' only bound their faults. */
static __always_inline bool binfmt_rs_user_read_range(unsigned long p, unsigned long addr,
						      unsigned long start,
						      const unsigned long __user **src,
						      unsigned long *end)
{
	*src = (const unsigned long __user *)
		((const char __user *)mask_user_address((const char __user *)p) - start);
	*end = ULONG_MAX;
	return true;
}
#else
#define binfmt_rs_user_access_begin(to, len) user_access_begin(to, len)

/* strnlen_user()'s checks, up to the end of the address space. */
static __always_inline bool binfmt_rs_user_read_range(unsigned long p, unsigned long addr,
						      unsigned long start,
						      const unsigned long __user **src,
						      unsigned long *end)
{
	if (addr >= TASK_SIZE_MAX)
		return false;
	*end = TASK_SIZE_MAX - addr + start;
	*src = (const unsigned long __user *)(p - start);
	return access_ok((const char __user *)p, *end - start);
}
#endif

#define BINFMT_RS_PUT_ARGV_ENVP(name, type)					\
int name(type __user *to, unsigned long argc, unsigned long p, unsigned long envc, \
	 struct binfmt_rs_argv_envp *res)					\
{										\
	const unsigned long size = sizeof(unsigned long);			\
	/*									\
	 * The word in hand (w) and the first one strnlen_user() of the string	\
	 * does not read (stop): MAX_ARG_STRLEN of its bytes on, or at the end	\
	 * of the address space. In bytes from src, the aligned start: the	\
	 * string's start, that end and the NUL found. left: the strings of	\
	 * the run (argv's, then envp's) not yet measured.			\
	 */									\
	const unsigned long __user *src, *w, *stop;				\
	unsigned long addr, start, end, c, zeros, nul, left;			\
	type __user *first;							\
	bool in_argv = true;							\
										\
	res->arg_end = p;							\
	might_fault();								\
	if (!binfmt_rs_user_access_begin(to, (argc + envc + 3) * sizeof(*to))) { \
		res->written = 0;						\
		res->end = p;							\
		return -EFAULT;							\
	}									\
	first = to;								\
	unsafe_put_user((type)argc, to, put_fault);				\
	to++;									\
	left = argc;								\
	if (!left) {								\
		/* No argv strings: argv's NULL, and envp from the same place. */ \
		unsafe_put_user((type)0, to, put_fault);			\
		to++;								\
		in_argv = false;						\
		left = envc;							\
		if (!left)							\
			goto last_null;						\
	}									\
	unsafe_put_user((type)p, to, put_fault);				\
	to++;									\
	/* strnlen_user()'s checks of the first string's address. */		\
	addr = untagged_addr(p);						\
	start = addr & (size - 1);						\
	if (!binfmt_rs_user_read_range(p, addr, start, &src, &end))		\
		goto bad_string;						\
	w = src;								\
	stop = src + DIV_ROUND_UP(min(start + MAX_ARG_STRLEN, end), size);	\
	unsafe_get_user(c, w, bad_string);					\
	/* The bytes before the first string are not its. */			\
	zeros = zero_bytes(c) & ~aligned_byte_mask(start);			\
	for (;;) {								\
		while (!zeros) {						\
			if (++w >= stop)					\
				goto bad_string;				\
			unsafe_get_user(c, w, bad_string);			\
			zeros = zero_bytes(c);					\
		}								\
		nul = (w - src) * size + (__ffs(zeros) >> 3);			\
		if (nul + 1 - start > MAX_ARG_STRLEN)				\
			goto bad_string;					\
		p += nul + 1 - start;						\
		if (!--left) {							\
			if (!in_argv)						\
				goto last_null;					\
			/* The last argv string: argv's NULL, then envp's. */	\
			unsafe_put_user((type)0, to, put_fault);		\
			to++;							\
			res->arg_end = p;					\
			in_argv = false;					\
			left = envc;						\
			if (!left)						\
				goto last_null;					\
		}								\
		/* The next string, from the byte after the NUL. */		\
		start = nul + 1;						\
		unsafe_put_user((type)p, to, put_fault);			\
		to++;								\
		stop = src + DIV_ROUND_UP(min(start + MAX_ARG_STRLEN, end), size); \
		/* Its NUL may be in this word too. */				\
		zeros &= zeros - 1;						\
	}									\
last_null:									\
	unsafe_put_user((type)0, to, put_fault);				\
	to++;									\
	user_access_end();							\
	res->written = to - first;						\
	res->end = p;								\
	return 0;								\
bad_string:									\
	user_access_end();							\
	res->written = to - first;						\
	res->end = p;								\
	return -EINVAL;								\
put_fault:									\
	user_access_end();							\
	res->written = to - first;						\
	res->end = p;								\
	return -EFAULT;								\
}

BINFMT_RS_PUT_ARGV_ENVP(binfmt_rs_put_argv_envp, unsigned long)
/* The same for compat_binfmt_elf's 4-byte elf_addr_t. */
BINFMT_RS_PUT_ARGV_ENVP(binfmt_rs_put_argv_envp32, u32)

/*
 * The trace event of step (enum FilmStep's index in rust/core/src/film.rs, then
 * load_elf_binary()'s return): each trace_*() is a static inline over a static key.
 */
void binfmt_rs_trace_step(unsigned int step, const char *call, long result)
{
	switch (step) {
	case 0: trace_bprm_mm_init(call, result); break;
	case 1: trace_begin_new_exec(call, result); break;
	case 2: trace_setup_arg_pages(call, result); break;
	case 3: trace_elf_load(call, result); break;
	case 4: trace_load_elf_interp(call, result); break;
	case 5: trace_arch_setup_additional_pages(call, result); break;
	case 6: trace_create_elf_tables(call, result); break;
	case 7: trace_set_brk(call, result); break;
	case 8: trace_map_page_zero(call, result); break;
	case 9: trace_start_thread(call, result); break;
	case 10: trace_load_elf_binary(call, result); break;
	}
}

/* The film's view of the mm (rust/wrappers/mm_view.rs): static inlines. */
void binfmt_rs_mmap_read_lock(struct mm_struct *mm)
{
	mmap_read_lock(mm);
}

void binfmt_rs_mmap_read_unlock(struct mm_struct *mm)
{
	mmap_read_unlock(mm);
}

bool binfmt_rs_vma_is_initial_heap(const struct vm_area_struct *vma)
{
	return vma_is_initial_heap(vma);
}

bool binfmt_rs_vma_is_initial_stack(const struct vm_area_struct *vma)
{
	return vma_is_initial_stack(vma);
}

const struct path *binfmt_rs_file_user_path(struct file *file)
{
	return file_user_path(file);
}

/* anon_vma_name() is a static inline without CONFIG_ANON_VMA_NAME. */
const char *binfmt_rs_anon_vma_name(struct vm_area_struct *vma)
{
	struct anon_vma_name *name = anon_vma_name(vma);

	return name ? name->name : NULL;
}

/*
 * /sys/kernel/debug/binfmt_rs/films: DEFINE_SHOW_ATTRIBUTE() makes the seq_file
 * operations around the show function; the debugfs calls are static inlines
 * without CONFIG_DEBUG_FS.
 */
int binfmt_rs_films_show(struct seq_file *m, void *v);
DEFINE_SHOW_ATTRIBUTE(binfmt_rs_films);

struct dentry *binfmt_rs_debugfs_create(void)
{
	struct dentry *dir = debugfs_create_dir("binfmt_rs", NULL);

	debugfs_create_file("films", 0444, dir, NULL, &binfmt_rs_films_fops);
	return dir;
}

void binfmt_rs_debugfs_remove(struct dentry *dir)
{
	debugfs_remove(dir);
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

int binfmt_rs_film_set(const char *val, const struct kernel_param *kp);
int binfmt_rs_film_get(char *buffer, const struct kernel_param *kp);

static const struct kernel_param_ops film_ops = {
	.set = binfmt_rs_film_set,
	.get = binfmt_rs_film_get,
};
module_param_cb(film, &film_ops, NULL, 0644);
MODULE_PARM_DESC(film,
	"1: record the address space after each step of every exec binfmt_rs loads (/sys/kernel/debug/binfmt_rs/films)");

int binfmt_rs_film_keep_set(const char *val, const struct kernel_param *kp);
int binfmt_rs_film_keep_get(char *buffer, const struct kernel_param *kp);

static const struct kernel_param_ops film_keep_ops = {
	.set = binfmt_rs_film_keep_set,
	.get = binfmt_rs_film_keep_get,
};
module_param_cb(film_keep, &film_keep_ops, NULL, 0644);
MODULE_PARM_DESC(film_keep, "how many films the record keeps, the oldest dropped first (1 to 64)");

static const struct kernel_param_ops stats_ops = {
	.set = binfmt_rs_read_only_set,
	.get = binfmt_rs_stats_get,
};
module_param_cb(stats, &stats_ops, NULL, 0444);
MODULE_PARM_DESC(stats, "what binfmt_rs has seen since it was loaded (read-only)");
