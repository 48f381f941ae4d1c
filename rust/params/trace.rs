// SPDX-License-Identifier: GPL-2.0

//! The `trace` parameter: one log line per step of each exec binfmt_rs handles.
//!
//! Meant for study: the lines name the step of `load_elf_binary()` each one mirrors.
//! User addresses are printed in full, as the kernel prints them (`%lx`); they are
//! not kernel pointers, so hashing would only hide what is being studied.

use core::ffi::c_void;
use core::sync::atomic::{AtomicBool, Ordering};
use kernel::error::code::EINVAL;
use kernel::ffi::{c_char, c_int};

use crate::bindings;
use crate::loader_core::observe::{Step, StepObserver};
use crate::loader_core::segment::SegmentMapping;
use crate::params::stats::ParamWriter;

static TRACE: AtomicBool = AtomicBool::new(false);

/// Whether execs are being traced; inlined, so that each step pays one load.
#[inline(always)]
pub(crate) fn enabled() -> bool {
    TRACE.load(Ordering::Relaxed)
}

/// Logs one step of an exec when tracing is on, prefixed with the pid so that the
/// lines of concurrent execs can be told apart.
macro_rules! trace {
    ($($arg:tt)*) => {
        if $crate::params::trace::enabled() {
            $crate::params::trace::print(format_args!($($arg)*));
        }
    };
}
pub(crate) use trace;

/// The printing half of `trace!`, out of line and cold: an exec that is not traced
/// pays one test per step, and the steps stay small enough to be inlined.
#[cold]
#[inline(never)]
pub(crate) fn print(args: core::fmt::Arguments<'_>) {
    kernel::pr_info!(
        "{}: {}",
        crate::wrappers::current::Current::get().pid(),
        args
    );
}

/// The observer of the PT_LOAD loops: one line before each `elf_load()`.
pub(crate) struct TraceSteps;

impl StepObserver for TraceSteps {
    #[inline]
    fn mapping(&mut self, step: Step, mapping: &SegmentMapping) {
        match step {
            Step::Probe => trace!("elf_load: probing where mmap puts the image\n"),
            Step::Program => trace!("elf_load: PT_LOAD at {:#x}\n", mapping.addr),
            Step::Interp => trace!("load_elf_interp: PT_LOAD at {:#x}\n", mapping.addr),
        }
    }

    #[inline]
    fn interp_loaded(&mut self, load_addr: u64) {
        trace!("load_elf_interp: load_addr {:#x}\n", load_addr);
    }
}

/// `kernel_param_ops.set` of `trace`: the kernel's boolean spellings (`kstrtobool`).
///
/// # Safety
///
/// `val` is a NUL-terminated string, as the module parameter code guarantees.
#[no_mangle]
unsafe extern "C" fn binfmt_rs_trace_set(val: *const c_char, _kp: *const c_void) -> c_int {
    let mut on = false;
    // SAFETY: `val` is NUL-terminated (the safety contract) and `on` is a writable bool.
    let ret = unsafe { bindings::kstrtobool(val, &mut on) };
    if ret != 0 {
        return EINVAL.to_errno();
    }
    TRACE.store(on, Ordering::Relaxed);
    0
}

/// `kernel_param_ops.get` of `trace`.
///
/// # Safety
///
/// `buffer` points to a `PAGE_SIZE` buffer, as `param_attr_show()` guarantees.
#[no_mangle]
unsafe extern "C" fn binfmt_rs_trace_get(buffer: *mut c_char, _kp: *const c_void) -> c_int {
    // SAFETY: the caller passes a writable PAGE_SIZE buffer (the safety contract).
    let mut out = unsafe { ParamWriter::new(buffer) };
    out.line(format_args!("{}", u8::from(enabled())))
}
