// SPDX-License-Identifier: GPL-2.0

//! The task doing the exec (`current`), its credentials and, once
//! `begin_new_exec()` has switched to it, its new mm.
//!
//! C headers: include/linux/sched.h, include/linux/mm_types.h, include/linux/cred.h

use core::mem::MaybeUninit;

use crate::bindings;
use crate::loader::kernel_twins::AT_VECTOR_SIZE;
use crate::loader_core::auxv::SavedAuxv;
use crate::loader_core::class::Word;
use crate::loader_core::effects::MmArgs;
use crate::wrappers::bprm::NewExec;

/// `current`, the task running the exec.
///
/// # Invariants
///
/// `task` is `current`; it lives at least as long as the exec it runs.
pub(crate) struct Current {
    task: *mut bindings::task_struct,
}

impl Current {
    pub(crate) fn get() -> Self {
        // SAFETY: reading `current` is always valid in process context, where
        // `load_binary` runs.
        let task = unsafe { bindings::binfmt_rs_current() };
        // INVARIANT: `task` is `current`.
        Current { task }
    }

    /// `current->personality`.
    pub(crate) fn personality(&self) -> u32 {
        // SAFETY: `task` is live (type invariant); only this task writes its own
        // personality during exec.
        unsafe { (*self.task).personality }
    }

    /// `current->flags & PF_RANDOMIZE`.
    pub(crate) fn randomizes(&self) -> bool {
        // SAFETY: as in `personality()`.
        unsafe { (*self.task).flags & bindings::PF_RANDOMIZE != 0 }
    }

    /// `current->flags |= PF_RANDOMIZE` (BE:1008-1009).
    pub(crate) fn set_randomize(&self) {
        // SAFETY: `task->flags` of `current` is written only by `current` itself.
        unsafe { (*self.task).flags |= bindings::PF_RANDOMIZE };
    }

    /// `task_pid_nr(current)`.
    pub(crate) fn pid(&self) -> i32 {
        // SAFETY: as in `personality()`; the pid of a task never changes.
        unsafe { (*self.task).pid }
    }

    /// `current->mm` once `begin_new_exec()` has switched to it: the mm being
    /// built, which no other thread shares (`de_thread()` ended them).
    pub(crate) fn new_mm(&self, _proof: &NewExec) -> Mm {
        // SAFETY: `task` is live; `mm` was set by exec_mmap() in begin_new_exec(),
        // which `NewExec` proves succeeded in this exec.
        let mm = unsafe { (*self.task).mm };
        // INVARIANT: `current->mm` after begin_new_exec(), and `NewExec` lives only
        // until load_binary returns.
        Mm { mm }
    }

    /// `STACK_TOP`, `TASK_SIZE`, `ELF_ET_DYN_BASE` (`COMPAT_ELF_ET_DYN_BASE` when
    /// `compat`) and `ELF_HWCAP`, which depend on the personality
    /// `SET_PERSONALITY()` gave the task (and on 5-level paging).
    pub(crate) fn task_constants(&self, compat: bool) -> TaskConstants {
        // Not zeroed first: the helper writes every field.
        let mut c = MaybeUninit::<bindings::binfmt_rs_task_constants>::uninit();
        // SAFETY: `c` is writable; the macros read `current`, which is `task`.
        unsafe { bindings::binfmt_rs_task_constants(c.as_mut_ptr(), compat) };
        // SAFETY: binfmt_rs_task_constants() wrote each field of `c`.
        let c = unsafe { c.assume_init() };
        TaskConstants {
            stack_top: c.stack_top as u64,
            task_size: c.task_size as u64,
            elf_et_dyn_base: c.elf_et_dyn_base as u64,
            elf_hwcap: c.elf_hwcap as u64,
        }
    }

    /// `set_personality_ia32(false)` (arch/x86/kernel/process_64.c), what
    /// `COMPAT_SET_PERSONALITY()` does: the current task becomes an i386 one
    /// (`TIF_ADDR32`, `TS_COMPAT`, `orig_ax` of a 32-bit execve), so the 32-bit
    /// `TASK_SIZE`, `STACK_TOP` and mmap layout apply from here on.
    #[cfg(CONFIG_IA32_EMULATION)]
    pub(crate) fn set_personality_ia32() {
        // SAFETY: exported for binfmts; it changes only the current task and its mm,
        // as it does for compat_binfmt_elf right after begin_new_exec().
        unsafe { bindings::set_personality_ia32(false) };
    }

    /// `current->personality |= READ_IMPLIES_EXEC` (BE:1005-1006).
    pub(crate) fn set_read_implies_exec(&self) {
        // SAFETY: as in `set_randomize()`: only `current` writes its personality.
        unsafe { (*self.task).personality |= bindings::READ_IMPLIES_EXEC };
    }

    /// `ELF_PLAT_INIT(regs, 0)`, which clears the registers the x86_64 ABI wants
    /// zero at the entry point, then `START_THREAD()` (arch/x86/kernel/process_64.c):
    /// the task returns to user space at `entry` with its stack pointer at `sp`
    /// when the exec completes.
    #[cfg(CONFIG_X86_64)]
    pub(crate) fn start_thread(&self, entry: u64, sp: u64) {
        // SAFETY: the helper sets the user registers of `current`, saved on its
        // kernel stack, and its thread's segment state; nothing else.
        unsafe { bindings::binfmt_rs_start_thread(entry as usize, sp as usize) };
    }

    /// `load_elf_binary()`'s warning when page 0 cannot be sealed, rate-limited as
    /// the C's `pr_warn_ratelimited()` is.
    pub(crate) fn report_page_zero_seal(ret: i32) {
        // SAFETY: prints a line about `current`.
        unsafe { bindings::binfmt_rs_report_page_zero_seal(ret) };
    }

    /// The ids `create_elf_tables()` puts in the auxv (`AT_UID`, `AT_EUID`, `AT_GID`,
    /// `AT_EGID`), as `from_k[ug]id_munged(cred->user_ns, ...)` of the current task's
    /// new creds, in that order.
    pub(crate) fn ids() -> [u32; 4] {
        // Not zeroed first: the helper writes all four.
        let mut ids = MaybeUninit::<[u32; 4]>::uninit();
        // SAFETY: `ids` is writable for four ids; `current_cred()` is valid while the
        // task runs and, after begin_new_exec(), holds the new credentials.
        unsafe { bindings::binfmt_rs_auxv_ids(ids.as_mut_ptr().cast()) };
        // SAFETY: binfmt_rs_auxv_ids() wrote each of them.
        unsafe { ids.assume_init() }
    }
}

/// The values of [`Current::task_constants`].
pub(crate) struct TaskConstants {
    pub(crate) stack_top: u64,
    pub(crate) task_size: u64,
    pub(crate) elf_et_dyn_base: u64,
    pub(crate) elf_hwcap: u64,
}

/// The mm an exec is building.
///
/// # Invariants
///
/// `mm` is `current->mm` after `begin_new_exec()`, used only by `current` until
/// `load_binary` returns.
pub(crate) struct Mm {
    mm: *mut bindings::mm_struct,
}

/// The fields `load_elf_binary()` sets at the end (BE:1288-1315).
pub(crate) struct MmLayout {
    pub(crate) start_code: u64,
    pub(crate) end_code: u64,
    pub(crate) start_data: u64,
    pub(crate) end_data: u64,
    pub(crate) start_stack: u64,
    pub(crate) start_brk: u64,
    pub(crate) brk: u64,
}

/// `mm->saved_auxv`, which /proc/PID/auxv and core dumps read, as words `W`:
/// compat_binfmt_elf fills the same `unsigned long[AT_VECTOR_SIZE]` with twice as
/// many 4-byte `elf_addr_t`s. `setup_new_exec()` has dropped `exec_update_lock`
/// by now, so a reader of /proc/PID/auxv may read the array at any moment, as it
/// may while the C fills it in place: it is written word by word through a raw
/// pointer, and no `&mut` to it is ever made.
pub(crate) struct SavedAuxvOf<'a, W: Word> {
    /// `mm->saved_auxv`: `unsigned long[AT_VECTOR_SIZE]`, the layout of `[u64;
    /// AT_VECTOR_SIZE]` on x86_64 (kernel_twins checks both sizes), viewed as
    /// `SAVED_AUXV_BYTES / size_of::<W>()` words.
    words: *mut W,
    _mm: &'a Mm,
}

/// The bytes of `mm->saved_auxv`.
const SAVED_AUXV_BYTES: usize = AT_VECTOR_SIZE * core::mem::size_of::<u64>();

impl<W: Word> SavedAuxv<W> for SavedAuxvOf<'_, W> {
    const WORDS: usize = SAVED_AUXV_BYTES / core::mem::size_of::<W>();

    #[inline]
    fn set(&mut self, index: usize, word: W) {
        if index < Self::WORDS {
            // The array is a live mm's (the borrow of `Mm`), 8-aligned, which suits
            // any `Word`; a concurrent reader only reads it, as it reads the C's.
            // SAFETY: `index` is within the array (checked just above).
            unsafe { self.words.add(index).write(word) };
        }
    }

    #[inline]
    fn clear_from(&mut self, from: usize) {
        if from < Self::WORDS {
            // SAFETY: as in `set()`: words `from..WORDS` of the array.
            unsafe { self.words.add(from).write_bytes(0, Self::WORDS - from) };
        }
    }

    #[inline]
    fn words(&self, len: usize) -> &[W] {
        // Only this exec writes a new mm's saved_auxv before it runs
        // (PR_SET_MM_AUXV acts on its caller's own mm), and it is done writing;
        // `Word`s are plain integers, valid for any bytes.
        // SAFETY: the array is live for the borrow of `Mm`, and nothing writes it
        // while the slice lives; concurrent readers only read.
        unsafe { core::slice::from_raw_parts(self.words, len.min(Self::WORDS)) }
    }
}

impl Mm {
    pub(crate) fn as_ptr(&self) -> *mut bindings::mm_struct {
        self.mm
    }

    fn fields(&self) -> *mut bindings::mm_struct__bindgen_ty_1 {
        // SAFETY: `mm` is live (type invariant); this only computes a field address.
        unsafe { &raw mut (*self.mm).__bindgen_anon_1 }
    }

    /// `mm->arg_start`, set by `setup_arg_pages()`.
    pub(crate) fn arg_start(&self) -> u64 {
        // SAFETY: `mm` is live and only `current` writes it (type invariant).
        unsafe { (*self.fields()).arg_start as u64 }
    }

    /// `mm->context.vdso`: where `arch_setup_additional_pages()` put the vDSO.
    pub(crate) fn vdso(&self) -> u64 {
        // SAFETY: as in `arg_start()`.
        unsafe { (*self.fields()).context.vdso as u64 }
    }

    /// `mm->saved_auxv`, for `create_elf_tables()` to build the auxv in.
    pub(crate) fn saved_auxv<W: Word>(&self) -> SavedAuxvOf<'_, W> {
        // SAFETY: `mm` is live (type invariant); this only computes a field address.
        let words = unsafe { (&raw mut (*self.fields()).saved_auxv).cast::<W>() };
        SavedAuxvOf { words, _mm: self }
    }

    /// `mm->arg_end`, `mm->env_start`, `mm->env_end`, as far as
    /// `create_elf_tables()` set them.
    pub(crate) fn set_args(&self, args: &MmArgs) {
        let f = self.fields();
        // SAFETY: as in `arg_start()`.
        unsafe {
            if let Some(arg_end) = args.arg_end {
                (*f).arg_end = arg_end as usize;
            }
            if let Some((env_start, env_end)) = args.env {
                (*f).env_start = env_start as usize;
                (*f).env_end = env_end as usize;
            }
        }
    }

    /// The code, data, stack and brk fields (BE:1288-1315).
    pub(crate) fn set_layout(&mut self, l: &MmLayout) {
        let f = self.fields();
        // SAFETY: as in `arg_start()`.
        unsafe {
            (*f).end_code = l.end_code as usize;
            (*f).start_code = l.start_code as usize;
            (*f).start_data = l.start_data as usize;
            (*f).end_data = l.end_data as usize;
            (*f).start_stack = l.start_stack as usize;
            (*f).start_brk = l.start_brk as usize;
            (*f).brk = l.brk as usize;
        }
    }
}
