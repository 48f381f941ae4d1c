// SPDX-License-Identifier: GPL-2.0

//! Bytes of the files an exec loads: the program header tables, the PT_INTERP
//! path and the interpreter's ELF header, which `load_elf_binary()` reads with
//! `kmalloc()` and `elf_read()`.
//!
//! They are read the same way here, so each read meets what a read meets in the
//! C: `rw_verify_area()` (the LSM `file_permission` hook and fanotify's
//! `FAN_ACCESS_PERM`, decided per read), `fsnotify_access()` and the task's I/O
//! accounting (`/proc/PID/io`). And the loader decides from its private copy:
//! what it checked is what it uses, whatever a writer does to the file meanwhile.

use core::ffi::c_void;
use core::ops::Deref;
use core::ptr::NonNull;
use kernel::error::{code::ENOMEM, Result};

use crate::bindings;
use crate::exec_file;

/// `len` bytes of a file, in a `kmalloc()` buffer of their own.
///
/// # Invariants
///
/// `ptr` is a `kmalloc(len)` allocation this value owns, all `len` bytes of it
/// written by the read; it is freed on drop.
pub(crate) struct FileBuf {
    ptr: NonNull<u8>,
    len: usize,
}

impl FileBuf {
    /// `kmalloc(len, GFP_KERNEL)` and `elf_read()` of the `len` bytes at `pos` of
    /// `file`, with their errors (`-ENOMEM`, or `-EIO` for a short read, or the
    /// read's own errno).
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
        let buf = FileBuf { ptr, len };
        // INVARIANT: on success all `len` bytes were written; on failure `buf` is
        // only dropped, which frees it without reading it.
        read.map(|()| buf)
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
