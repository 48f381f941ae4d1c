// SPDX-License-Identifier: GPL-2.0

//! Bytes of the files an exec loads: the program header tables and the PT_INTERP
//! path, which `load_elf_binary()` gets with `kmalloc()` and `elf_read()`.
//!
//! Each of them is a second read of a file exec has already read through the VFS
//! (`prepare_binprm()` read the program's first bytes, and the interpreter's ELF
//! header was read before its program headers), so the bytes are usually in the
//! page cache already: they are used in place there, with no allocation and no
//! copy. Otherwise they are read as the C reads them, into a `kmalloc()` buffer,
//! with the same errors (Documentation/performance.rst).

use core::ffi::c_void;
use core::ops::Deref;
use core::ptr::{self, NonNull};
use kernel::error::{code::ENOMEM, Result};

use crate::bindings;
use crate::exec_file;

/// `len` bytes of a file.
///
/// # Invariants
///
/// `ptr` points to `len` initialised bytes that live as long as this value: in a
/// page cache folio this value holds a reference on (`folio` non-null), or in a
/// `kmalloc()` allocation it owns (`folio` null). Either is released on drop.
/// Nothing writes the folio meanwhile: exec denies writes to the program and to
/// its interpreter (`deny_write_access()`), and both stay open.
pub(crate) struct FileBuf {
    ptr: NonNull<u8>,
    len: usize,
    folio: *mut bindings::folio,
}

impl FileBuf {
    /// The `len` bytes at `pos` of `file`: in place in the page cache when they are
    /// all there, else `kmalloc(len)` and `elf_read()` of them, with its errors
    /// (`-ENOMEM`, or `-EIO` for a short read, or the read's own errno).
    ///
    /// # Safety
    ///
    /// `file` must be an open file that stays open while the result lives.
    pub(crate) unsafe fn read(file: *mut bindings::file, len: usize, pos: u64) -> Result<Self> {
        let mut folio = ptr::null_mut();
        // A position beyond i64::MAX is negative to the VFS, which refuses it;
        // the helper does too, and kernel_read() below gives the errno.
        // SAFETY: `file` is open (the contract); `folio` is writable.
        let cached = unsafe { bindings::binfmt_rs_cached_bytes(file, pos as i64, len, &mut folio) };
        if let Some(ptr) = NonNull::new(cached.cast_mut().cast::<u8>()) {
            // INVARIANT: `len` bytes of an uptodate folio, which the helper
            // referenced for us.
            return Ok(FileBuf { ptr, len, folio });
        }
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
        Ok(FileBuf {
            ptr,
            len,
            folio: ptr::null_mut(),
        })
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
        if self.folio.is_null() {
            // SAFETY: by the type invariant, a kmalloc() allocation this value owns.
            unsafe { bindings::kfree(self.ptr.as_ptr().cast::<c_void>()) };
        } else {
            // SAFETY: by the type invariant, the reference the helper took for us.
            unsafe { bindings::binfmt_rs_folio_put(self.folio) };
        }
    }
}
