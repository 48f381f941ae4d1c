// SPDX-License-Identifier: GPL-2.0

//! The errnos the ELF loader returns, as the kernel numbers them.
//!
//! C header: include/uapi/asm-generic/errno-base.h, include/uapi/asm-generic/errno.h

/// An error number that `load_binary` hands back to `search_binary_handler()`.
///
/// Only the errnos `load_elf_binary()` itself produces are listed, so that every
/// decision of the core maps to exactly one C return statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum Errno {
    /// `EINTR`: `mmap_write_lock_killable()` was interrupted (`create_elf_tables()`).
    Intr = 4,
    /// `EIO`: a short read of the interpreter path or header (`elf_read()`).
    Io = 5,
    /// `ENOEXEC`: not ours; `search_binary_handler()` tries the next format.
    NoExec = 8,
    /// `ENOMEM`: an allocation failed, or a mapping does not fit.
    NoMem = 12,
    /// `EFAULT`: the initial stack could not be written or extended (`create_elf_tables()`).
    Fault = 14,
    /// `EINVAL`: an impossible layout found after the point of no return.
    Inval = 22,
    /// `ELIBBAD`: the interpreter is not a usable ELF file.
    LibBad = 80,
}

impl Errno {
    /// The negative value a kernel function returns for this error.
    pub const fn to_kernel(self) -> i32 {
        -(self as i32)
    }
}

/// Why the PT_LOAD loop of `load_elf_binary()` failed.
///
/// Most failures there are the loader's own decisions, but a failed `vm_mmap()` or
/// `vm_brk_flags()` hands back whatever errno mm chose (`-EPERM`, `-EEXIST`, ...), and
/// the loader passes it on unchanged (BE:1177-1181). Either way the exec is past the
/// point of no return, so the process dies with SIGSEGV; the value only matters for
/// tracing and for matching the C exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// An errno `load_elf_binary()` decided itself.
    Errno(Errno),
    /// The negative errno of a failed mapping, or `-EINVAL` for a "bad address" that
    /// is not an error value: `IS_ERR_VALUE(x) ? PTR_ERR(x) : -EINVAL`.
    Mapping(i32),
}

impl LoadError {
    /// The negative value `load_elf_binary()` returns for this error.
    pub const fn to_kernel(self) -> i32 {
        match self {
            LoadError::Errno(e) => e.to_kernel(),
            LoadError::Mapping(v) => v,
        }
    }
}

impl From<Errno> for LoadError {
    fn from(e: Errno) -> Self {
        LoadError::Errno(e)
    }
}
