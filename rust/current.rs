// SPDX-License-Identifier: GPL-2.0

//! The task doing the exec (`current`), its credentials and, once
//! `begin_new_exec()` has switched to it, its new mm.
//!
//! C headers: include/linux/sched.h, include/linux/mm_types.h, include/linux/cred.h

use crate::bindings;
use crate::kernel_twins::AT_VECTOR_SIZE;
use crate::loader_core::stack::MmArgs;

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

    /// `current->mm`: after `begin_new_exec()`, the mm being built.
    ///
    /// # Safety
    ///
    /// Only between `begin_new_exec()` and the end of `load_binary`, when `current->mm`
    /// is the new mm and no other thread shares it (`de_thread()` ended them).
    pub(crate) unsafe fn new_mm(&self) -> Mm {
        // SAFETY: `task` is live; `mm` was set by exec_mmap() in begin_new_exec().
        let mm = unsafe { (*self.task).mm };
        // INVARIANT: the safety contract.
        Mm { mm }
    }

    /// The ids `create_elf_tables()` puts in the auxv (`AT_UID`, `AT_EUID`, `AT_GID`,
    /// `AT_EGID`), as `from_k[ug]id_munged(cred->user_ns, ...)` of the current task's
    /// new creds.
    pub(crate) fn ids() -> [u32; 4] {
        let mut ids = [0u32; 4];
        // SAFETY: `ids` is writable for four ids; `current_cred()` is valid while the
        // task runs and, after begin_new_exec(), holds the new credentials.
        unsafe { bindings::binfmt_rs_auxv_ids(ids.as_mut_ptr()) };
        ids
    }
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

    /// `&mm->saved_auxv`, which `create_elf_tables()` fills and /proc/PID/auxv shows.
    /// Only `current` touches the new mm (type invariant), so the array may be
    /// written through the pointer while no other reference to it is live.
    pub(crate) fn saved_auxv(&self) -> *mut [u64; AT_VECTOR_SIZE] {
        // `saved_auxv` is `unsigned long[AT_VECTOR_SIZE]`, the layout of `[u64;
        // AT_VECTOR_SIZE]` on x86_64 (kernel_twins checks both sizes).
        // SAFETY: `mm` is live (type invariant); this only computes a field address.
        unsafe { (&raw mut (*self.fields()).saved_auxv).cast::<[u64; AT_VECTOR_SIZE]>() }
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
