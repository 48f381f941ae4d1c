// SPDX-License-Identifier: GPL-2.0

//! `load_binary` of binfmt_rs's `struct linux_binfmt`: the entry point
//! `search_binary_handler()` (fs/exec.c) calls for every exec.

use kernel::error::{code::ENOEXEC, from_result, Result};
use kernel::ffi::c_int;

use crate::bindings;
use crate::entry::format::{Format, FORMAT};
use crate::loader::load_elf_binary::load_elf_binary;
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
        let ehdr = Ehdr::from_prefix(bprm.buf());
        // What load_elf_binary() checks of the header alone, each -ENOEXEC
        // (BE:844-853, and load_elf_phdrs()'s limits): checked once, here.
        let (Ok(kind), Some(table_size)) = (ehdr.check(), ehdr.phdr_table_size()) else {
            return Err(ENOEXEC);
        };
        stats::bump(&stats::ELF);
        let Some(symbols) = format.symbols() else {
            return Err(ENOEXEC);
        };
        let loaded = load_elf_binary(bprm, &ehdr, kind, table_size, format, symbols);
        match &loaded {
            Ok(()) => stats::bump(&stats::LOADED),
            Err(_) if bprm.point_of_no_return() => stats::bump(&stats::FAILED),
            Err(_) => {}
        }
        loaded
    }
}
