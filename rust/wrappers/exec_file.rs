// SPDX-License-Identifier: GPL-2.0

//! Reading the files an exec loads: the program and its interpreter.
//!
//! C header: include/linux/fs.h

use core::ffi::c_void;
use kernel::error::{code::EIO, Error, Result};

use crate::bindings;

/// `elf_read()` (BE:466-475): exactly `len` bytes at `pos` into `buf`, which need
/// not be initialised; a short read is `-EIO`, a failed one its errno.
///
/// # Safety
///
/// `buf` must be writable for `len` bytes, and `file` an open file that stays open
/// during the call.
pub(crate) unsafe fn elf_read_raw(
    file: *mut bindings::file,
    buf: *mut c_void,
    len: usize,
    pos: u64,
) -> Result {
    let mut pos = pos as i64;
    // SAFETY: `buf` is writable for `len` bytes; `file` is open (the contract).
    let read = unsafe { bindings::kernel_read(file, buf, len, &mut pos) };
    match usize::try_from(read) {
        Ok(n) if n == len => Ok(()),
        Ok(_) => Err(EIO),
        // kernel_read() returns a negative errno, which fits an int.
        Err(_) => Err(Error::from_errno(read as i32)),
    }
}

/// `kernel_read(file, buf, len, &pos)`, as `parse_elf_properties()` reads a
/// note: the bytes read, fewer at the end of the file, or the read's errno.
///
/// # Safety
///
/// `buf` must be writable for `len` bytes (it need not be initialised), and
/// `file` an open file that stays open during the call.
#[cfg(CONFIG_ARCH_USE_GNU_PROPERTY)]
pub(crate) unsafe fn kernel_read(
    file: *mut bindings::file,
    buf: *mut c_void,
    len: usize,
    pos: u64,
) -> Result<usize> {
    let mut pos = pos as i64;
    // SAFETY: `buf` is writable for `len` bytes; `file` is open (the contract).
    let read = unsafe { bindings::kernel_read(file, buf, len, &mut pos) };
    // kernel_read() returns a negative errno, which fits an int.
    usize::try_from(read).map_err(|_| Error::from_errno(read as i32))
}

/// `file->f_op->mmap`: whether the file's filesystem can map it.
///
/// # Safety
///
/// `file` must be an open file.
pub(crate) unsafe fn can_mmap(file: *mut bindings::file) -> bool {
    // SAFETY: an open file always has `f_op`, which lives as long as the file.
    unsafe { (*(*file).f_op).mmap.is_some() }
}
