// SPDX-License-Identifier: GPL-2.0

//! Buffers read from the files an exec loads: the program header tables and the
//! PT_INTERP path, which `load_elf_binary()` gets with `kmalloc()` and `elf_read()`.
//!
//! The kernel crate's `KVec` allocates through `krealloc()` and fills its elements
//! one by one; in the exec path a plain `kmalloc()` and one read cost several times
//! less (Documentation/performance.rst).

use core::ffi::c_void;
use core::ops::Deref;
use core::ptr::NonNull;
use kernel::error::{code::ENOMEM, Result};

use crate::bindings;
use crate::exec_file;

/// `len` bytes of a file, in a buffer of their own.
///
/// # Invariants
///
/// `ptr` is a live `kmalloc()` allocation of `len` bytes, all of them initialised,
/// owned by this value and freed on drop.
pub(crate) struct FileBuf {
    ptr: NonNull<u8>,
    len: usize,
}

impl FileBuf {
    /// `kmalloc(len)` and `elf_read()` of `len` bytes at `pos`: `-ENOMEM`, or
    /// `elf_read()`'s errno (`-EIO` for a short read).
    ///
    /// # Safety
    ///
    /// `file` must be an open file that stays open during the call.
    pub(crate) unsafe fn read(file: *mut bindings::file, len: usize, pos: u64) -> Result<Self> {
        // SAFETY: kmalloc() may be called with any size from process context.
        let raw = unsafe { bindings::binfmt_rs_kmalloc(len) };
        let ptr = NonNull::new(raw.cast::<u8>()).ok_or(ENOMEM)?;
        // SAFETY: `ptr` is writable for `len` bytes, and `file` is open (the
        // contract); the bytes are not read before the read filled them all.
        let read = unsafe { exec_file::elf_read_raw(file, ptr.as_ptr().cast(), len, pos) };
        if let Err(e) = read {
            // SAFETY: allocated just above and never handed out.
            unsafe { bindings::kfree(ptr.as_ptr().cast::<c_void>()) };
            return Err(e);
        }
        // INVARIANT: a kmalloc() allocation of `len` bytes, all written by the read.
        Ok(FileBuf { ptr, len })
    }
}

impl Deref for FileBuf {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        // SAFETY: by the type invariant, `len` initialised bytes live at `ptr`
        // (kmalloc(0)'s ZERO_SIZE_PTR is non-null and fit for an empty slice).
        unsafe { core::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}

impl Drop for FileBuf {
    fn drop(&mut self) {
        // SAFETY: by the type invariant, a kmalloc() allocation this value owns.
        unsafe { bindings::kfree(self.ptr.as_ptr().cast::<c_void>()) };
    }
}
