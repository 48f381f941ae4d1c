// SPDX-License-Identifier: GPL-2.0

//! Firing binfmt_rs's trace events (declared in rust/binfmt_rs_trace.h), and
//! knowing whether any is enabled.

use core::fmt::{self, Write};
use core::sync::atomic::{AtomicU32, Ordering};

use crate::bindings;
use crate::loader_core::film::{Call, FilmStep};

/// The trace events enabled now (their registration callbacks count them).
static LISTENERS: AtomicU32 = AtomicU32::new(0);

/// Whether a `binfmt_rs:*` trace event is enabled; inlined, one load.
#[inline(always)]
pub(crate) fn listening() -> bool {
    LISTENERS.load(Ordering::Relaxed) != 0
}

/// The registration callback of every binfmt_rs trace event: tracepoint_add_func()
/// calls it when the event gets its first probe.
#[no_mangle]
extern "C" fn binfmt_rs_trace_reg() -> kernel::ffi::c_int {
    LISTENERS.fetch_add(1, Ordering::Relaxed);
    0
}

/// The unregistration callback: the event lost its last probe.
#[no_mangle]
extern "C" fn binfmt_rs_trace_unreg() {
    LISTENERS.fetch_sub(1, Ordering::Relaxed);
}

/// The event of `load_elf_binary()`'s return, after the steps' events.
const LOAD_ELF_BINARY: u32 = FilmStep::ALL.len() as u32;

/// The most bytes of an event's text, its NUL included.
const TEXT_MAX: usize = 256;

/// A NUL-terminated text, cut to fit.
struct CText {
    buf: [u8; TEXT_MAX],
    len: usize,
}

impl CText {
    fn new(args: fmt::Arguments<'_>) -> Self {
        let mut text = CText {
            buf: [0; TEXT_MAX],
            len: 0,
        };
        // write_str() never fails; the last byte stays the NUL.
        let _ = text.write_fmt(args);
        text
    }
}

impl Write for CText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let n = s.len().min(TEXT_MAX - 1 - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

/// Fires `binfmt_rs:STEP` for `call`.
pub(crate) fn step(step: FilmStep, call: &Call) {
    fire(
        step.index(),
        &CText::new(format_args!("{call}")),
        call.outcome.as_long(),
    );
}

/// Fires `binfmt_rs:load_elf_binary`: the exec of `file` returned `result`.
pub(crate) fn load_elf_binary(file: &[u8], result: i32) {
    let file = crate::loader_core::film::MapsName(file);
    let text = CText::new(format_args!("load_elf_binary(file={file}) = {result}"));
    fire(LOAD_ELF_BINARY, &text, i64::from(result));
}

fn fire(event: u32, text: &CText, result: i64) {
    // SAFETY: `text.buf` is NUL-terminated (its last byte is never written); the
    // event copies the string before returning.
    unsafe { bindings::binfmt_rs_trace_step(event, text.buf.as_ptr().cast(), result as _) };
}
