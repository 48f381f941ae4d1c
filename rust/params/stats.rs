// SPDX-License-Identifier: GPL-2.0

//! What binfmt_rs has seen, for `/sys/module/binfmt_rs/parameters/stats`.
//!
//! The counters let a test prove which loader did the work: a file that binfmt_rs
//! declined shows in `offered` but not in `loaded`.

use core::ffi::c_void;
use core::fmt;
use core::sync::atomic::{AtomicU64, Ordering};
use kernel::error::code::EPERM;
use kernel::ffi::{c_char, c_int};

/// Execs offered to binfmt_rs while `claim` was not `none`.
pub(crate) static OFFERED: AtomicU64 = AtomicU64::new(0);
/// Of those, files with a valid header and program header table size
/// (`Ehdr::check`, `Ehdr::phdr_table_size`): ELF64 files of the native ABI
/// (x86_64, AArch64), and ELF32 ones of the 32-bit ABI (i386 with
/// `CONFIG_IA32_EMULATION`, AArch32 with arm64's `CONFIG_COMPAT`, also counted
/// in `ELF32`).
pub(crate) static ELF: AtomicU64 = AtomicU64::new(0);
/// Of those, files binfmt_rs loaded itself.
pub(crate) static LOADED: AtomicU64 = AtomicU64::new(0);
/// Of the `ELF` ones, execs binfmt_rs took past the point of no return
/// (`begin_new_exec()`) and then failed: the process gets SIGSEGV. An exec it
/// failed before that point, or declined, counts in neither this nor `LOADED`.
pub(crate) static FAILED: AtomicU64 = AtomicU64::new(0);
/// The ELF32 files among `ELF`, the ones compat_binfmt_elf would load.
pub(crate) static ELF32: AtomicU64 = AtomicU64::new(0);
/// The ELF32 files among `LOADED`.
pub(crate) static LOADED32: AtomicU64 = AtomicU64::new(0);
/// The ELF32 files among `FAILED`.
pub(crate) static FAILED32: AtomicU64 = AtomicU64::new(0);

/// The counters at one moment.
pub(crate) struct Snapshot {
    offered: u64,
    elf: u64,
    loaded: u64,
    failed: u64,
    elf32: u64,
    loaded32: u64,
    failed32: u64,
}

impl Snapshot {
    pub(crate) fn take() -> Self {
        Snapshot {
            offered: OFFERED.load(Ordering::Relaxed),
            elf: ELF.load(Ordering::Relaxed),
            loaded: LOADED.load(Ordering::Relaxed),
            failed: FAILED.load(Ordering::Relaxed),
            elf32: ELF32.load(Ordering::Relaxed),
            loaded32: LOADED32.load(Ordering::Relaxed),
            failed32: FAILED32.load(Ordering::Relaxed),
        }
    }
}

impl fmt::Display for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "offered={} elf={} loaded={} failed={} elf32={} loaded32={} failed32={}",
            self.offered,
            self.elf,
            self.loaded,
            self.failed,
            self.elf32,
            self.loaded32,
            self.failed32
        )
    }
}

/// Counts one event.
pub(crate) fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// Formats a parameter's value into the `PAGE_SIZE` buffer that `param_attr_show()`
/// passes to `kernel_param_ops.get`.
pub(crate) struct ParamWriter {
    buf: *mut u8,
    len: usize,
}

/// `PAGE_SIZE` on x86_64: the size of the sysfs buffer.
const PARAM_BUFFER_SIZE: usize = 4096;

impl ParamWriter {
    /// # Safety
    ///
    /// `buffer` must be valid for writes of `PARAM_BUFFER_SIZE` bytes while the
    /// writer lives.
    pub(crate) unsafe fn new(buffer: *mut c_char) -> Self {
        ParamWriter {
            buf: buffer.cast(),
            len: 0,
        }
    }

    /// Writes `args` and a newline; returns the length, as `.get` must.
    pub(crate) fn line(&mut self, args: fmt::Arguments<'_>) -> c_int {
        // Output that does not fit is cut short, as sysfs_emit() cuts it.
        let _ = fmt::write(self, args);
        let _ = fmt::Write::write_str(self, "\n");
        c_int::try_from(self.len).unwrap_or(0)
    }
}

impl fmt::Write for ParamWriter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = PARAM_BUFFER_SIZE.saturating_sub(self.len + 1);
        let n = s.len().min(room);
        // SAFETY: `self.len + n < PARAM_BUFFER_SIZE`, inside the buffer `new` was given;
        // `s` cannot overlap it, being Rust-owned memory.
        unsafe { core::ptr::copy_nonoverlapping(s.as_ptr(), self.buf.add(self.len), n) };
        self.len += n;
        if n < s.len() {
            Err(fmt::Error)
        } else {
            Ok(())
        }
    }
}

/// `kernel_param_ops.set` of the read-only parameters: a value given at insmod
/// time is refused rather than ignored.
#[no_mangle]
extern "C" fn binfmt_rs_read_only_set(_val: *const c_char, _kp: *const c_void) -> c_int {
    EPERM.to_errno()
}

/// `kernel_param_ops.get` of `stats`.
///
/// # Safety
///
/// `buffer` points to a `PAGE_SIZE` buffer, as `param_attr_show()` guarantees.
#[no_mangle]
unsafe extern "C" fn binfmt_rs_stats_get(buffer: *mut c_char, _kp: *const c_void) -> c_int {
    // SAFETY: the caller passes a writable PAGE_SIZE buffer (the safety contract).
    let mut out = unsafe { ParamWriter::new(buffer) };
    out.line(format_args!("{}", Snapshot::take()))
}
