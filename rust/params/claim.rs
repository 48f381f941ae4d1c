// SPDX-License-Identifier: GPL-2.0

//! The `claim` parameter: which ELF files binfmt_rs loads itself.
//!
//! It is read once per exec by `load_binary` and may change at any time through
//! `/sys/module/binfmt_rs/parameters/claim`; an exec already past the check keeps
//! the decision it made.

use core::ffi::c_void;
use core::sync::atomic::{AtomicU8, Ordering};
use kernel::error::code::EINVAL;
use kernel::ffi::{c_char, c_int};
use kernel::str::CStr;

use crate::params::stats::ParamWriter;

/// What binfmt_rs does with an ELF file it is offered.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Claim {
    /// Decline everything: each file goes on to the kernel's own loader.
    None = 0,
    /// Take every ELF file it can load.
    All = 1,
}

impl Claim {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Claim::None => "none",
            Claim::All => "all",
        }
    }

    fn parse(s: &[u8]) -> Option<Self> {
        // sysfs hands the value over with the newline echo(1) put there.
        match s.strip_suffix(b"\n").unwrap_or(s) {
            b"none" => Some(Claim::None),
            b"all" => Some(Claim::All),
            _ => None,
        }
    }
}

static CLAIM: AtomicU8 = AtomicU8::new(Claim::None as u8);

/// The current setting.
pub(crate) fn get() -> Claim {
    if CLAIM.load(Ordering::Relaxed) == Claim::All as u8 {
        Claim::All
    } else {
        Claim::None
    }
}

/// `kernel_param_ops.set` of `claim` (declared in helpers.c).
///
/// # Safety
///
/// `val` is a NUL-terminated string, as the module parameter code guarantees.
#[no_mangle]
unsafe extern "C" fn binfmt_rs_claim_set(val: *const c_char, _kp: *const c_void) -> c_int {
    if val.is_null() {
        return EINVAL.to_errno();
    }
    // SAFETY: `val` is a valid NUL-terminated string for the duration of the call, per
    // the function's safety contract.
    let val = unsafe { CStr::from_char_ptr(val) };
    match Claim::parse(val.as_bytes()) {
        Some(claim) => {
            CLAIM.store(claim as u8, Ordering::Relaxed);
            0
        }
        None => EINVAL.to_errno(),
    }
}

/// `kernel_param_ops.get` of `claim`.
///
/// # Safety
///
/// `buffer` points to a `PAGE_SIZE` buffer, as `param_attr_show()` guarantees.
#[no_mangle]
unsafe extern "C" fn binfmt_rs_claim_get(buffer: *mut c_char, _kp: *const c_void) -> c_int {
    // SAFETY: the caller passes a writable PAGE_SIZE buffer (the safety contract).
    let mut out = unsafe { ParamWriter::new(buffer) };
    out.line(format_args!("{}", get().name()))
}
