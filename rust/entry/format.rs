// SPDX-License-Identifier: GPL-2.0

//! binfmt_rs's `struct linux_binfmt`, the static the kernel's list of formats
//! links, with the kernel symbols its loader calls. registration.rs fills it in
//! once and puts it on the list; the loader gets it as a handle, for the
//! symbols and for `set_binfmt()`.
//!
//! C header: include/linux/binfmts.h

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicU8, Ordering};
use kernel::types::Opaque;

use crate::bindings;
use crate::wrappers::bprm::NewExec;
#[cfg(CONFIG_COREDUMP)]
use crate::wrappers::symbols::CoreDump;
use crate::wrappers::symbols::Symbols;

/// The format and what its loader needs.
///
/// # Invariants
///
/// `binfmt` and `symbols` are written only by [`Format::fill`], which runs once
/// (`state` goes from `EMPTY` to `FILLING` for it), before the format is
/// registered; once `state` is `READY` they are only read, by the exec core under
/// `binfmt_lock` and by the loader.
pub(crate) struct Format {
    binfmt: Opaque<bindings::linux_binfmt>,
    symbols: UnsafeCell<Option<Symbols>>,
    state: AtomicU8,
}

const EMPTY: u8 = 0;
const FILLING: u8 = 1;
const READY: u8 = 2;

// SAFETY: after the one `fill()` the fields are only read (type invariant); the
// kernel's own accesses to the list node are under `binfmt_lock`.
unsafe impl Sync for Format {}

impl Format {
    const fn new() -> Self {
        Format {
            binfmt: Opaque::uninit(),
            symbols: UnsafeCell::new(None),
            state: AtomicU8::new(EMPTY),
        }
    }
}

/// The format of this module: on the list of formats, and the loader of the
/// native (x86_64, AArch64) processes binfmt_rs loads.
pub(crate) static FORMAT: Format = Format::new();

/// The loader a 32-bit (i386, AArch32) process's mm records: never on the list
/// (FORMAT's `load_binary` takes both classes), it pins the module as FORMAT
/// does and routes the process's core dumps to compat_binfmt_elf's writer, as
/// `set_binfmt(&compat_elf_format)` would.
#[cfg(binfmt_rs_compat)]
pub(crate) static FORMAT32: Format = Format::new();

/// What [`Format::fill`] puts in the `struct linux_binfmt`.
pub(crate) struct Callbacks {
    pub(crate) module: *mut bindings::module,
    /// `None` for a format that is never on the list.
    pub(crate) load_binary:
        Option<unsafe extern "C" fn(*mut bindings::linux_binprm) -> kernel::ffi::c_int>,
    /// The class's core dump writer and its `min_coredump`: binfmt_elf's or
    /// compat_binfmt_elf's, without `CONFIG_COREDUMP` none.
    #[cfg(CONFIG_COREDUMP)]
    pub(crate) core_dump: (CoreDump, kernel::ffi::c_ulong),
}

impl Format {
    /// Fills the format in, once: `-EBUSY` if it already was. Returns the raw
    /// format, to be registered.
    pub(crate) fn fill(
        &'static self,
        callbacks: Callbacks,
        symbols: Option<Symbols>,
    ) -> kernel::error::Result<*mut bindings::linux_binfmt> {
        if self
            .state
            .compare_exchange(EMPTY, FILLING, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            return Err(kernel::error::code::EBUSY);
        }
        let raw = self.binfmt.get();
        // All-zero is a valid `linux_binfmt` (an empty list node, no callbacks), as
        // a C static starts.
        // SAFETY: the only `fill()` (`FILLING`, taken just above), before registration:
        // nothing else reads or writes the fields yet.
        unsafe {
            raw.write(core::mem::zeroed());
            (*raw).module = callbacks.module;
            (*raw).load_binary = callbacks.load_binary;
            #[cfg(CONFIG_COREDUMP)]
            {
                (*raw).core_dump = Some(callbacks.core_dump.0);
                (*raw).min_coredump = callbacks.core_dump.1;
            }
            *self.symbols.get() = symbols;
        }
        // Publishes the writes to `symbols()` (a parameter's sysfs file exists
        // while init runs); the list publishes them to the exec core.
        self.state.store(READY, Ordering::Release);
        Ok(raw)
    }

    /// The raw format, for registration.rs to take off the list.
    pub(crate) fn as_raw(&self) -> *mut bindings::linux_binfmt {
        self.binfmt.get()
    }

    /// The kernel symbols, once the format is filled in.
    pub(crate) fn symbols(&self) -> Option<&Symbols> {
        if self.state.load(Ordering::Acquire) != READY {
            return None;
        }
        // SAFETY: written once by `fill()` before `READY` was published; only read
        // since (type invariant).
        unsafe { (*self.symbols.get()).as_ref() }
    }

    /// `set_binfmt(&format)` for the exec in progress: the new mm records binfmt_rs
    /// as its loader, which takes a module reference until the mm is freed and
    /// routes the process's core dump through this format.
    pub(crate) fn set_binfmt(&self, _proof: &NewExec) {
        // set_binfmt() takes its own module reference for the mm.
        // SAFETY: during an exec binfmt_rs handles (`NewExec`): the format is registered
        // and its module pinned by the exec core.
        unsafe { bindings::set_binfmt(self.as_raw()) };
    }
}
