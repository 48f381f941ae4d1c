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
use core::ptr::NonNull;
use kernel::error::{code::ENOMEM, Result};

use crate::bindings;
use crate::loader_core::class::{ElfClass, Word};
use crate::wrappers::exec_file;

/// `len` bytes of a file, in a `kmalloc()` buffer of their own, freed with
/// `kfree()`.
///
/// Not a `KVec`: 6.12's kernel crate allocates through `krealloc(NULL, len)`
/// (`ReallocFunc`), which `make bench --by-function` measures at about 100
/// instructions per buffer more than the `kmalloc()` the C calls, and a dynamic
/// exec reads into four of them. The same slab allocation either way, so fault
/// injection meets the same sites.
///
/// Invariant: `ptr` is a `kmalloc()` allocation of at least `len` bytes, owned by
/// this value; every `FileBuf` that leaves `read()` has had all of them written.
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
        // SAFETY: kmalloc() may be called with any size in process context.
        let ptr = unsafe { bindings::binfmt_rs_kmalloc(len) };
        // SAFETY: `ptr` is that allocation, of `len` bytes; `file` is open (the
        // contract).
        unsafe { Self::fill(ptr, len, file, pos) }
    }

    /// `kmalloc(sizeof(*interp_elf_ex), GFP_KERNEL)` and `elf_read()` of the ELF
    /// header of class `C` at the start of `file`, with [`FileBuf::read`]'s errors:
    /// the C's constant-size allocation, whose cache is chosen at compile time.
    ///
    /// # Safety
    ///
    /// As for [`FileBuf::read`].
    pub(crate) unsafe fn read_ehdr<C: ElfClass>(file: *mut bindings::file) -> Result<Self> {
        // kernel_twins checks that EHDR_SIZE is the size of the kernel's struct.
        let elf32 = C::EHDR_SIZE == core::mem::size_of::<bindings::elf32_hdr>();
        // SAFETY: as in `read()`; the buffer has `sizeof(struct elf32_hdr)` or
        // `sizeof(struct elf64_hdr)` bytes, `C::EHDR_SIZE`.
        let ptr = unsafe { bindings::binfmt_rs_kmalloc_ehdr(elf32) };
        // SAFETY: `ptr` is that allocation, of `C::EHDR_SIZE` bytes; `file` is open
        // (the contract).
        unsafe { Self::fill(ptr, C::EHDR_SIZE, file, 0) }
    }

    /// Takes `ptr` (freed on failure) and reads `len` bytes at `pos` of `file`
    /// into it.
    ///
    /// # Safety
    ///
    /// `ptr` is null or a `kmalloc()` allocation of at least `len` bytes that
    /// nothing else owns; `file` is open during the call.
    #[inline(always)]
    unsafe fn fill(
        ptr: *mut core::ffi::c_void,
        len: usize,
        file: *mut bindings::file,
        pos: u64,
    ) -> Result<Self> {
        // Owned from here, so that a failed read frees it; it is returned, and
        // so read, only once the read filled it.
        let buf = FileBuf {
            ptr: NonNull::new(ptr.cast::<u8>()).ok_or(ENOMEM)?,
            len,
        };
        // SAFETY: `buf.ptr` holds `len` writable bytes, and `file` is open (the
        // contract).
        unsafe { exec_file::elf_read_raw(file, buf.ptr.as_ptr().cast(), len, pos) }?;
        Ok(buf)
    }

    /// The buffer as words of `W` (`u32` or `u64`), as many as it holds whole: how
    /// the core reads a program header table (a whole number of its class's
    /// words) and an interpreter's header (as `u64`s; the 52 bytes of an
    /// `Elf32_Ehdr` hold its fields in the first 48), a field to an aligned load.
    pub(crate) fn words<W: Word>(&self) -> &[W] {
        // kmalloc() aligns its buffers to ARCH_KMALLOC_MINALIGN (include/linux/slab.h),
        // at least 8 (asserted in helpers.c); `Word` is sealed to u32 and u64.
        let first = self.ptr.as_ptr().cast::<W>();
        let len = self.len / core::mem::size_of::<W>();
        // SAFETY: `ptr` is such a buffer (invariant), aligned for `W`, whose bits are all valid;
        // the `len` words lie in the bytes the read wrote, owned by `self` and unwritten meanwhile.
        unsafe { core::slice::from_raw_parts(first, len) }
    }
}

impl Drop for FileBuf {
    fn drop(&mut self) {
        // SAFETY: `ptr` came from kmalloc() and is owned by `self` (invariant).
        unsafe { bindings::kfree(self.ptr.as_ptr().cast()) };
    }
}

impl Deref for FileBuf {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        // SAFETY: `ptr` holds `len` bytes the read wrote, owned by `self`
        // (invariant), and nothing writes them while the borrow lives.
        unsafe { core::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
    }
}
