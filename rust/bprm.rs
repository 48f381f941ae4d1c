// SPDX-License-Identifier: GPL-2.0

//! `struct linux_binprm`: the exec in progress, as the exec core hands it to a binfmt.
//!
//! C header: include/linux/binfmts.h

use crate::bindings;
use crate::loader_core::elf::BINPRM_BUF_SIZE;

/// A `struct linux_binprm` borrowed for one call of `load_binary`.
///
/// # Invariants
///
/// `ptr` points to the live `linux_binprm` that `search_binary_handler()` passed to
/// `load_binary`, with `buf` already filled by `prepare_binprm()`.
pub(crate) struct Bprm {
    ptr: *mut bindings::linux_binprm,
}

impl Bprm {
    /// # Safety
    ///
    /// `ptr` must be the argument `search_binary_handler()` passed to `load_binary`,
    /// and the `Bprm` must not outlive that call.
    pub(crate) unsafe fn from_raw(ptr: *mut bindings::linux_binprm) -> Self {
        // INVARIANT: guaranteed by the safety contract.
        Bprm { ptr }
    }

    /// The first `BINPRM_BUF_SIZE` bytes of the file, zero-filled past its end.
    pub(crate) fn buf(&self) -> &[u8; BINPRM_BUF_SIZE] {
        // SAFETY: by the type invariant `ptr` is live for the lifetime of `self`, and
        // `buf` is an array of `BINPRM_BUF_SIZE` `c_char`s, which have the size and
        // alignment of `u8`.
        unsafe { &*(&raw const (*self.ptr).buf).cast::<[u8; BINPRM_BUF_SIZE]>() }
    }
}
