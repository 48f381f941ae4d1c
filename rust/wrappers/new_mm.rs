// SPDX-License-Identifier: GPL-2.0

//! The new process's address space, as the core's plans need it: a
//! [`FileMapper`] maps one file and anonymous memory into it (`elf_map()`,
//! `elf_load()`, `padzero()`), and [`NewStack`] writes its initial stack
//! (`create_elf_tables()`).
//!
//! Every call acts on `current->mm`, which after `begin_new_exec()` is the new mm.

use core::ffi::c_void;
use core::marker::PhantomData;
use core::mem::MaybeUninit;
use core::ptr;
use kernel::prelude::*;

use crate::bindings;
use crate::loader_core::class::Word;
use crate::loader_core::effects::{AddressSpace, ArgvEnvp, MmArgs, UserStack};
use crate::loader_core::errno::Errno;
use crate::wrappers::current::Mm;
use crate::wrappers::symbols::Symbols;

/// The mapper of one file (the program or its interpreter) into the new mm.
pub(crate) struct FileMapper<'a> {
    file: *mut bindings::file,
    _new_mm: PhantomData<&'a Mm>,
}

impl<'a> FileMapper<'a> {
    /// Maps `file`, which stays open while the mapper lives (the program is held
    /// by the bprm, the interpreter by `Interpreter`), into `mm`.
    pub(crate) fn new(_mm: &'a Mm, file: *mut bindings::file) -> Self {
        FileMapper {
            file,
            _new_mm: PhantomData,
        }
    }
}

/// The initial stack of the new mm, as `create_elf_tables()` writes it.
pub(crate) struct NewStack<'a> {
    pub(crate) mm: &'a Mm,
    pub(crate) symbols: &'a Symbols,
}

impl AddressSpace for FileMapper<'_> {
    fn vm_mmap(&mut self, addr: u64, len: u64, prot: u32, flags: u32, offset: u64) -> u64 {
        // vm_mmap() validates the range, protection, flags and offset itself.
        // SAFETY: the program (held by the bprm) or its interpreter (held by
        // `Interpreter`) stays open for the whole exec.
        let got = unsafe {
            bindings::vm_mmap(
                self.file,
                addr as usize,
                len as usize,
                prot as usize,
                flags as usize,
                offset as usize,
            )
        };
        got as u64
    }

    fn vm_munmap(&mut self, addr: u64, len: u64) {
        // SAFETY: a range of the current mm, which vm_munmap() checks.
        unsafe { bindings::vm_munmap(addr as usize, len as usize) };
    }

    fn clear_user(&mut self, addr: u64, len: u64) -> u64 {
        // SAFETY: clear_user() checks the user range and faults on it safely.
        let left =
            unsafe { bindings::binfmt_rs_clear_user(addr as usize as *mut c_void, len as usize) };
        left as u64
    }

    fn vm_brk_flags(&mut self, addr: u64, len: u64, vm_flags: u64) -> i32 {
        // SAFETY: a range of the current mm, which vm_brk_flags() checks.
        unsafe { bindings::vm_brk_flags(addr as usize, len as usize, vm_flags as usize) }
    }

    fn report_segment_collision(&mut self, addr: u64) {
        // SAFETY: prints a line about `current`; no memory is handed over.
        unsafe { bindings::binfmt_rs_report_segment_collision(addr as usize) };
    }
}

/// `copy_to_user()`: where it calls the exported `_copy_to_user()` (no
/// `INLINE_COPY_TO_USER`), that call, as the kernel crate's `UserSliceWriter`
/// makes it (the sizes here are the slices', so `check_copy_size()` has nothing to
/// catch); where it inlines the copy, the helper that inlines it.
fn copy_to_user(addr: u64, from: *const c_void, len: usize) -> Result<(), Errno> {
    let to = addr as usize as *mut c_void;
    let left = if bindings::BINFMT_RS_INLINE_COPY_TO_USER == 0 {
        // `from` is readable for `len` bytes: the callers pass slices.
        // SAFETY: `to` is a user address, which _copy_to_user() checks and faults on.
        unsafe { bindings::_copy_to_user(to, from, len) }
    } else {
        // SAFETY: as above; copy_to_user() checks and faults on `to` too.
        unsafe { bindings::binfmt_rs_copy_to_user(to, from, len) }
    };
    if left == 0 {
        Ok(())
    } else {
        Err(Errno::Fault)
    }
}

impl UserStack for NewStack<'_> {
    fn copy_bytes(&mut self, addr: u64, bytes: &[u8]) -> Result<(), Errno> {
        copy_to_user(addr, bytes.as_ptr().cast(), bytes.len())
    }

    fn copy_words<W: Word>(&mut self, addr: u64, words: &[W]) -> Result<(), Errno> {
        copy_to_user(addr, words.as_ptr().cast(), core::mem::size_of_val(words))
    }

    #[inline]
    fn put_argv_envp<W: Word>(&mut self, addr: u64, argc: u64, p: u64, envc: u64) -> ArgvEnvp {
        // Not zeroed first: the helper writes every field on every path.
        let mut res = MaybeUninit::<bindings::binfmt_rs_argv_envp>::uninit();
        let (to, argc, p, envc) = (addr as usize, argc as usize, p as usize, envc as usize);
        // `Word` is sealed to u32 and u64: the words are one of the two, as the
        // size tells.
        let err = if core::mem::size_of::<W>() == 8 {
            // SAFETY: `res` is writable; the helper checks each user address and
            // faults on it safely, as put_user() and strnlen_user() do.
            unsafe {
                bindings::binfmt_rs_put_argv_envp(to as *mut _, argc, p, envc, res.as_mut_ptr())
            }
        } else {
            // SAFETY: as above, for 4-byte words.
            unsafe {
                bindings::binfmt_rs_put_argv_envp32(to as *mut _, argc, p, envc, res.as_mut_ptr())
            }
        };
        // SAFETY: the helper wrote each field of `res`, whatever it returned.
        let res = unsafe { res.assume_init() };
        ArgvEnvp {
            written: res.written as u64,
            arg_end: res.arg_end as u64,
            end: match err {
                0 => Ok(res.end as u64),
                e if e == -(bindings::EINVAL as i32) => Err(Errno::Inval),
                _ => Err(Errno::Fault),
            },
        }
    }

    fn extend_to(&mut self, addr: u64) -> Result<(), Errno> {
        match self.symbols.extend_stack_to(self.mm, addr) {
            0 => Ok(()),
            ret if ret == -(bindings::EINTR as i32) => Err(Errno::Intr),
            _ => Err(Errno::Fault),
        }
    }

    fn set_mm_args(&mut self, args: &MmArgs) {
        self.mm.set_args(args);
    }
}

/// `vm_mmap(NULL, addr, len, prot, flags, 0)`: an anonymous mapping (the
/// `MMAP_PAGE_ZERO` page).
pub(crate) fn mmap_anonymous(addr: u64, len: u64, prot: u32, flags: u32) -> u64 {
    // SAFETY: no file; vm_mmap() checks the range and flags itself.
    unsafe {
        bindings::vm_mmap(
            ptr::null_mut(),
            addr as usize,
            len as usize,
            prot as usize,
            flags as usize,
            0,
        ) as u64
    }
}
