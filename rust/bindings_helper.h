/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C declarations binfmt_rs uses, for bindgen. rust/bindgen_parameters lists the
 * items taken from them; everything else stays out of the generated file.
 */

#include <linux/binfmts.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/elf.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/personality.h>
#include <linux/random.h>
#include <linux/rseq.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

/* Macros whose values are expressions, which bindgen only evaluates as enumerators. */
enum {
	BINFMT_RS_MAX_ARG_STRLEN = MAX_ARG_STRLEN,
	/* PAGE_SIZE on arm64. */
	BINFMT_RS_ELF_EXEC_PAGESIZE = ELF_EXEC_PAGESIZE,
	/*
	 * Whether copy_to_user() inlines its copy (arm64) or calls the exported
	 * _copy_to_user() (x86), which Rust then calls itself.
	 */
#ifdef INLINE_COPY_TO_USER
	BINFMT_RS_INLINE_COPY_TO_USER = 1,
#else
	BINFMT_RS_INLINE_COPY_TO_USER = 0,
#endif
};

/* rust/helpers.c: wrappers of macros and static inlines. */
bool binfmt_rs_ibt_enforced(void);
struct task_struct *binfmt_rs_current(void);
void binfmt_rs_auxv_ids(unsigned int ids[4]);
void binfmt_rs_start_thread(unsigned long new_ip, unsigned long new_sp);
struct binfmt_rs_task_constants {
	unsigned long stack_top, task_size, elf_et_dyn_base, elf_hwcap;
};
void binfmt_rs_task_constants(struct binfmt_rs_task_constants *c, bool compat);
struct vdso_image;
bool binfmt_rs_ia32_enabled(const bool *ia32_enabled);
unsigned long binfmt_rs_vdso32_entry(const struct vdso_image *image, unsigned long vdso);
int binfmt_rs_call_compat_arch_setup_additional_pages(const void *fn, struct linux_binprm *bprm,
						      int uses_interp);
void binfmt_rs_call_compat_start_thread(const void *fn, u32 new_ip, u32 new_sp);
struct binfmt_rs_argv_envp {
	unsigned long written, arg_end, end;
};
int binfmt_rs_put_argv_envp32(u32 __user *to, unsigned long argc, unsigned long p,
			      unsigned long envc, struct binfmt_rs_argv_envp *res);
void binfmt_rs_exe_file_allow_write_access(struct file *file);
void binfmt_rs_report_segment_collision(unsigned long addr);
void binfmt_rs_report_page_zero_seal(int ret);
int binfmt_rs_register_binfmt_before(struct linux_binfmt *fmt, struct linux_binfmt *before,
				     rwlock_t *lock);
int binfmt_rs_call_arch_setup_additional_pages(const void *fn, struct linux_binprm *bprm,
					       int uses_interp);
void binfmt_rs_call_set_personality_64bit(const void *fn);
unsigned long binfmt_rs_call_randomize_stack_top(const void *fn, unsigned long stack_top);
unsigned long binfmt_rs_call_arch_mmap_rnd(const void *fn);
unsigned long binfmt_rs_call_get_sigframe_size(const void *fn);
int binfmt_rs_call_do_mseal(const void *fn, unsigned long start, size_t len, unsigned long flags);
int binfmt_rs_call_find_extend_vma_locked(const void *fn, struct mm_struct *mm,
					  unsigned long addr);
unsigned long binfmt_rs_clear_user(void __user *to, unsigned long n);
unsigned long binfmt_rs_copy_to_user(void __user *to, const void *from, unsigned long n);
void *binfmt_rs_kmalloc(size_t size);
void *binfmt_rs_kmalloc_ehdr(bool elf32);
int binfmt_rs_put_argv_envp(unsigned long __user *to, unsigned long argc, unsigned long p,
			    unsigned long envc, struct binfmt_rs_argv_envp *res);
void binfmt_rs_trace_step(unsigned int step, const char *call, long result);
void binfmt_rs_mmap_read_lock(struct mm_struct *mm);
void binfmt_rs_mmap_read_unlock(struct mm_struct *mm);
bool binfmt_rs_vma_is_initial_heap(const struct vm_area_struct *vma);
bool binfmt_rs_vma_is_initial_stack(const struct vm_area_struct *vma);
const struct path *binfmt_rs_file_user_path(struct file *file);
const char *binfmt_rs_anon_vma_name(struct vm_area_struct *vma);
struct dentry *binfmt_rs_debugfs_create(void);
void binfmt_rs_debugfs_remove(struct dentry *dir);
void binfmt_rs_arm64_set_personality(const void *ex, bool compat);
void binfmt_rs_arm64_start_thread(const void *fn, unsigned long pc, unsigned long sp,
				  bool compat);
bool binfmt_rs_system_supports_bti(void);
unsigned long binfmt_rs_call_cpu_get_elf_hwcap(const void *fn);
unsigned long binfmt_rs_call_cpu_get_elf_hwcap2(const void *fn);
int binfmt_rs_call_compat_elf_check_arch(const void *fn, const void *hdr);
int binfmt_rs_call_aarch32_setup_additional_pages(const void *fn, struct linux_binprm *bprm,
						  int uses_interp);
