// SPDX-License-Identifier: GPL-2.0

//! The `film` and `film_keep` parameters: whether binfmt_rs films each exec it
//! loads, and how many films /sys/kernel/debug/binfmt_rs/films keeps.

use core::ffi::c_void;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use kernel::error::code::EINVAL;
use kernel::ffi::{c_char, c_int};

use crate::bindings;
use crate::film::ring::{self, KEEP_MAX};
use crate::params::stats::ParamWriter;

static FILM: AtomicBool = AtomicBool::new(false);
static KEEP: AtomicU32 = AtomicU32::new(8);

/// Whether execs are filmed; inlined, one load.
#[inline(always)]
pub(crate) fn enabled() -> bool {
    FILM.load(Ordering::Relaxed)
}

/// How many films the record keeps, 1 to `KEEP_MAX`.
pub(crate) fn keep() -> usize {
    KEEP.load(Ordering::Relaxed) as usize
}

/// `kernel_param_ops.set` of `film`: the kernel's boolean spellings (`kstrtobool`).
///
/// # Safety
///
/// `val` is a NUL-terminated string, as the module parameter code guarantees.
#[no_mangle]
unsafe extern "C" fn binfmt_rs_film_set(val: *const c_char, _kp: *const c_void) -> c_int {
    let mut on = false;
    // SAFETY: `val` is NUL-terminated (the safety contract) and `on` is a writable bool.
    if unsafe { bindings::kstrtobool(val, &mut on) } != 0 {
        return EINVAL.to_errno();
    }
    FILM.store(on, Ordering::Relaxed);
    0
}

/// `kernel_param_ops.get` of `film`.
///
/// # Safety
///
/// `buffer` points to a `PAGE_SIZE` buffer, as `param_attr_show()` guarantees.
#[no_mangle]
unsafe extern "C" fn binfmt_rs_film_get(buffer: *mut c_char, _kp: *const c_void) -> c_int {
    // SAFETY: the caller passes a writable PAGE_SIZE buffer (the safety contract).
    let mut out = unsafe { ParamWriter::new(buffer) };
    out.line(format_args!("{}", u8::from(enabled())))
}

/// `kernel_param_ops.set` of `film_keep`: a number from 1 to `KEEP_MAX`.
///
/// # Safety
///
/// `val` is a NUL-terminated string, as the module parameter code guarantees.
#[no_mangle]
unsafe extern "C" fn binfmt_rs_film_keep_set(val: *const c_char, _kp: *const c_void) -> c_int {
    let mut n = 0u32;
    // SAFETY: `val` is NUL-terminated (the safety contract) and `n` is writable.
    if unsafe { bindings::kstrtouint(val, 0, &mut n) } != 0 || n == 0 || n as usize > KEEP_MAX {
        return EINVAL.to_errno();
    }
    KEEP.store(n, Ordering::Relaxed);
    ring::keep_at_most(n as usize);
    0
}

/// `kernel_param_ops.get` of `film_keep`.
///
/// # Safety
///
/// `buffer` points to a `PAGE_SIZE` buffer, as `param_attr_show()` guarantees.
#[no_mangle]
unsafe extern "C" fn binfmt_rs_film_keep_get(buffer: *mut c_char, _kp: *const c_void) -> c_int {
    // SAFETY: the caller passes a writable PAGE_SIZE buffer (the safety contract).
    let mut out = unsafe { ParamWriter::new(buffer) };
    out.line(format_args!("{}", keep()))
}
