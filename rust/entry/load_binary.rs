// SPDX-License-Identifier: GPL-2.0

//! `load_binary` of binfmt_rs's `struct linux_binfmt`: the entry point
//! `search_binary_handler()` (fs/exec.c) calls for every exec.

use kernel::error::{code::ENOEXEC, from_result, Result};
use kernel::ffi::c_int;

use crate::bindings;
use crate::entry::format::{Format, FORMAT};
#[cfg(binfmt_rs_compat)]
use crate::loader::arch_hooks::Compat;
use crate::loader::arch_hooks::{ArchHooks, Native};
use crate::loader::load_elf_binary::load_elf_binary;
#[cfg(binfmt_rs_compat)]
use crate::loader_core::class::Elf32;
use crate::loader_core::class::Elf64;
use crate::loader_core::elf::Ehdr;
use crate::params::claim::{self, Claim};
use crate::params::stats;
use crate::wrappers::bprm::Bprm;

/// The `extern "C"` side of the format: turns the kernel's call into a call of
/// [`Adapter::load`] and its `Result` into the kernel's `int`.
pub(crate) struct Adapter;

impl Adapter {
    /// `struct linux_binfmt.load_binary`.
    ///
    /// # Safety
    ///
    /// Called only by the exec core, with the `linux_binprm` of the exec in
    /// progress.
    pub(crate) unsafe extern "C" fn load_binary(raw: *mut bindings::linux_binprm) -> c_int {
        from_result(|| {
            // SAFETY: `raw` comes from search_binary_handler() and `bprm` is dropped
            // before this function returns (the safety contract).
            let mut bprm = unsafe { Bprm::from_raw(raw) };
            Self::load(&FORMAT, &mut bprm).map(|()| 0)
        })
    }

    /// Decides whether binfmt_rs takes this exec, and loads it if so.
    ///
    /// `-ENOEXEC` tells `search_binary_handler()` to try the next format, so a file
    /// binfmt_rs declines reaches binfmt_elf exactly as if the module were not
    /// loaded.
    fn load(format: &'static Format, bprm: &mut Bprm) -> Result {
        if claim::get() == Claim::None {
            return Err(ENOEXEC);
        }
        stats::bump(&stats::OFFERED);
        // What load_elf_binary() checks of the header alone, each -ENOEXEC
        // (BE:844-853, and load_elf_phdrs()'s limits): checked once, here, for
        // binfmt_elf's class and then, for a file binfmt_elf declines there,
        // compat_binfmt_elf's, as the list of formats would ask them in turn.
        let ehdr = Ehdr::from_words::<Elf64>(bprm.buf_words());
        if let (Ok(kind), Some(table_size)) =
            (ehdr.check::<Native>(), ehdr.phdr_table_size::<Elf64>())
        {
            stats::bump(&stats::ELF);
            let Some(symbols) = format.symbols() else {
                return Err(ENOEXEC);
            };
            if !Native::kernel_runs(symbols, bprm) {
                return Err(ENOEXEC);
            }
            let loaded = load_elf_binary::<Native>(bprm, &ehdr, kind, table_size, symbols);
            count(bprm, &loaded, false);
            return loaded;
        }
        #[cfg(binfmt_rs_compat)]
        return Self::load_compat(format, bprm);
        #[cfg(not(binfmt_rs_compat))]
        Err(ENOEXEC)
    }

    /// What compat_binfmt_elf, next on the list after binfmt_elf, would do with a
    /// file binfmt_elf declined at its header: its header checks
    /// (fs/compat_binfmt_elf.c), the same as binfmt_elf's for `Elf32_Ehdr` with
    /// `compat_elf_check_arch()`, which also asks the running kernel whether it
    /// runs 32-bit programs ([`ArchHooks::kernel_runs`]: when it does not,
    /// compat_binfmt_elf is left to refuse the file), then the ELF32 loader.
    ///
    /// Kept out of line: the x86_64 loader, inlined into `load()`, is the one
    /// nearly every exec runs.
    #[cfg(binfmt_rs_compat)]
    #[inline(never)]
    fn load_compat(format: &'static Format, bprm: &mut Bprm) -> Result {
        let ehdr = Ehdr::from_words::<Elf32>(bprm.buf_words());
        let (Ok(kind), Some(table_size)) =
            (ehdr.check::<Compat>(), ehdr.phdr_table_size::<Elf32>())
        else {
            return Err(ENOEXEC);
        };
        let Some(symbols) = format.symbols() else {
            return Err(ENOEXEC);
        };
        if !Compat::kernel_runs(symbols, bprm) {
            return Err(ENOEXEC);
        }
        stats::bump(&stats::ELF);
        stats::bump(&stats::ELF32);
        let loaded = load_elf_binary::<Compat>(bprm, &ehdr, kind, table_size, symbols);
        count(bprm, &loaded, true);
        loaded
    }
}

/// Counts an exec binfmt_rs took: loaded, or failed past the point of no return.
fn count(bprm: &Bprm, loaded: &Result, elf32: bool) {
    let (every_class, of_elf32) = match loaded {
        Ok(()) => (&stats::LOADED, &stats::LOADED32),
        Err(_) if bprm.point_of_no_return() => (&stats::FAILED, &stats::FAILED32),
        Err(_) => return,
    };
    stats::bump(every_class);
    if elf32 {
        stats::bump(of_elf32);
    }
}
