// SPDX-License-Identifier: GPL-2.0

//! binfmt_rs's place in the kernel's list of formats, in the shape of
//! Rust-for-Linux's registrations (rust/kernel/net/phy.rs): a `Registration`
//! that owns the registered format and takes it off the list when dropped, and
//! an `Adapter` (rust/entry/load_binary.rs) holding the `extern "C"` callback.
//!
//! C header: include/linux/binfmts.h

use kernel::prelude::*;
use kernel::ThisModule;

use crate::bindings;
#[cfg(binfmt_rs_compat)]
use crate::entry::format::FORMAT32;
use crate::entry::format::{Callbacks, Format, FORMAT};
use crate::entry::load_binary::Adapter;
#[cfg(CONFIG_COREDUMP)]
use crate::wrappers::symbols;
use crate::wrappers::symbols::Symbols;

/// The registered format; dropping it unregisters it.
///
/// # Invariants
///
/// `format` is on the kernel's list of formats while the `Registration` exists.
pub(crate) struct Registration {
    format: &'static Format,
}

impl Registration {
    /// Fills in the format, with binfmt_elf's core dump writer, and puts it on the
    /// list just ahead of binfmt_elf, under `binfmt_lock`, so it is asked about
    /// every ELF file before binfmt_elf is, and after the formats that sit ahead of
    /// binfmt_elf: binfmt_misc (whose rules may match ELF files) and binfmt_script
    /// keep their place, and a binfmt_misc loaded later goes to the head as it
    /// always does. `.module` makes `search_binary_handler()` take a reference on
    /// the module for each exec it is asked about, so the module cannot go while
    /// one of its calls runs. `-EBUSY` if the format was registered before.
    ///
    /// Core dumps of the processes binfmt_rs loads are written by binfmt_elf's
    /// `elf_core_dump()`, or compat_binfmt_elf's for a 32-bit process (through
    /// `FORMAT32`, which is never on the list): the process is the same ELF
    /// process either way, and the core file format is not the loader's business.
    pub(crate) fn register(module: &'static ThisModule, symbols: Symbols) -> Result<Self> {
        #[cfg(CONFIG_COREDUMP)]
        let core_dump = symbols::elf_core_dump(&symbols)?;
        #[cfg(binfmt_rs_compat)]
        FORMAT32.fill(
            Callbacks {
                module: module.as_ptr().cast(),
                load_binary: None,
                #[cfg(CONFIG_COREDUMP)]
                core_dump: symbols::compat_elf_core_dump(&symbols)?,
            },
            None,
        )?;
        let (elf_format, binfmt_lock) = (symbols.elf_format, symbols.binfmt_lock);
        let raw = FORMAT.fill(
            Callbacks {
                module: module.as_ptr().cast(),
                load_binary: Some(Adapter::load_binary),
                #[cfg(CONFIG_COREDUMP)]
                core_dump,
            },
            Some(symbols),
        )?;
        // SAFETY: `raw` is filled in and static; `elf_format` is binfmt_elf's, built
        // in and never unregistered, and `binfmt_lock` is the lock of its list.
        let ret = unsafe {
            bindings::binfmt_rs_register_binfmt_before(raw, elf_format.cast_mut(), binfmt_lock)
        };
        if ret != 0 {
            pr_err!("binfmt_elf is not on the list of formats; not loading\n");
            return Err(Error::from_errno(ret));
        }
        // INVARIANT: registered just above.
        Ok(Registration { format: &FORMAT })
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        // unregister_binfmt() takes the format off the list under binfmt_lock; execs
        // that already hold a module reference keep the module, and so the format,
        // alive until they finish.
        // SAFETY: the format is registered (type invariant).
        unsafe { bindings::unregister_binfmt(self.format.as_raw()) };
    }
}
