// SPDX-License-Identifier: GPL-2.0

//! binfmt_rs's `struct linux_binfmt` and its place in the kernel's list of formats.
//!
//! C header: include/linux/binfmts.h

use kernel::ffi::c_ulong;
use kernel::prelude::*;
use kernel::ThisModule;

use crate::bindings;
use crate::entry::format;
use crate::entry::load_binary::load_binary;
use crate::wrappers::symbols::{CoreDump, Symbols};

/// The registered format; dropping it unregisters it.
///
/// # Invariants
///
/// `format::raw()` is on the kernel's list of formats while a `Registration` exists, and
/// at most one `Registration` exists (module init creates it once).
pub(crate) struct Registration(());

impl Registration {
    /// Puts binfmt_rs on the list just ahead of binfmt_elf, under `binfmt_lock`,
    /// so it is asked about every ELF file before binfmt_elf is, and after the
    /// formats that sit ahead of binfmt_elf: binfmt_misc (whose rules may match ELF
    /// files) and binfmt_script keep their place, and a binfmt_misc loaded later
    /// goes to the head as it always does. `.module` makes
    /// `search_binary_handler()` take a reference on the module for each exec it
    /// is asked about, so the module cannot go while one of its calls runs.
    ///
    /// Core dumps of the processes binfmt_rs loads are written by binfmt_elf's
    /// `elf_core_dump()`: the process is the same ELF process either way, and the
    /// core file format is not the loader's business.
    pub(crate) fn insert(
        module: &'static ThisModule,
        core_dump: (CoreDump, c_ulong),
        symbols: &'static Symbols,
    ) -> Result<Self> {
        let format = format::raw();
        // SAFETY: module init runs once and the format is not registered yet, so
        // nothing else reads or writes it.
        unsafe {
            (*format).module = module.as_ptr().cast();
            (*format).load_binary = Some(load_binary);
            (*format).core_dump = Some(core_dump.0);
            (*format).min_coredump = core_dump.1;
        }
        // SAFETY: `format` is set up and static; `elf_format` is binfmt_elf's, built
        // in and never unregistered, and `binfmt_lock` is the lock of its list.
        let ret = unsafe {
            bindings::binfmt_rs_register_binfmt_before(
                format,
                symbols.elf_format.cast_mut(),
                symbols.binfmt_lock,
            )
        };
        if ret != 0 {
            pr_err!("binfmt_elf is not on the list of formats; not loading\n");
            return Err(Error::from_errno(ret));
        }
        // INVARIANT: registered just above, once.
        Ok(Registration(()))
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        // unregister_binfmt() takes the format off the list under binfmt_lock; execs
        // that already hold a module reference keep the module, and so `FORMAT`,
        // alive until they finish.
        // SAFETY: the format is registered (type invariant).
        unsafe { bindings::unregister_binfmt(format::raw()) };
    }
}
