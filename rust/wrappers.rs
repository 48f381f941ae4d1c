// SPDX-License-Identifier: GPL-2.0

//! One thin wrapper per C object the loader uses, each owning its raw pointer
//! and stating its invariants. Every `unsafe` line of the loader is here (and in
//! the entry points and parameters, which the kernel calls).

#[cfg(CONFIG_ARM64)]
pub(crate) mod arm64;
pub(crate) mod bprm;
pub(crate) mod current;
pub(crate) mod debugfs;
pub(crate) mod exec_file;
pub(crate) mod file_buf;
pub(crate) mod interpreter;
pub(crate) mod mm_view;
pub(crate) mod new_mm;
#[cfg(CONFIG_ARCH_USE_GNU_PROPERTY)]
pub(crate) mod note_buf;
pub(crate) mod rng;
pub(crate) mod symbols;
pub(crate) mod trace_events;
#[cfg(CONFIG_X86_64)]
pub(crate) mod x86;

/// `kernel::error::to_result()`, inlined: the kernel crate's is a call into the
/// kernel's own Rust objects for each check of a return value (three per exec:
/// `begin_new_exec()`, `setup_arg_pages()` and `arch_setup_additional_pages()`).
#[inline(always)]
pub(crate) fn to_result(ret: core::ffi::c_int) -> kernel::error::Result {
    if ret < 0 {
        Err(kernel::error::Error::from_errno(ret))
    } else {
        Ok(())
    }
}
