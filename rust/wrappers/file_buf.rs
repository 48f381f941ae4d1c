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

use core::ops::Deref;
use kernel::alloc::{flags::GFP_KERNEL, KVec};
use kernel::error::{code::ENOMEM, Result};

use crate::bindings;
use crate::wrappers::exec_file;

/// `len` bytes of a file, in a `kmalloc()` buffer of their own (a `KVec`, which
/// allocates with one `krealloc(NULL, len, GFP_KERNEL)`, i.e. one `kmalloc()`).
pub(crate) struct FileBuf(KVec<u8>);

impl FileBuf {
    /// `kmalloc(len, GFP_KERNEL)` and `elf_read()` of the `len` bytes at `pos` of
    /// `file`, with their errors (`-ENOMEM`, or `-EIO` for a short read, or the
    /// read's own errno).
    ///
    /// # Safety
    ///
    /// `file` must be an open file that stays open during the call.
    pub(crate) unsafe fn read(file: *mut bindings::file, len: usize, pos: u64) -> Result<Self> {
        let mut buf = KVec::with_capacity(len, GFP_KERNEL)?;
        let spare = buf.spare_capacity_mut();
        if spare.len() < len {
            return Err(ENOMEM);
        }
        // SAFETY: `spare` is writable for at least `len` bytes, and `file` is open
        // (the contract); the bytes are not read before the read filled them all.
        unsafe { exec_file::elf_read_raw(file, spare.as_mut_ptr().cast(), len, pos) }?;
        // SAFETY: the read wrote all `len` bytes, within the capacity.
        unsafe { buf.set_len(len) };
        Ok(FileBuf(buf))
    }
}

impl Deref for FileBuf {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.0
    }
}
