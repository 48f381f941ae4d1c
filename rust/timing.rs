// SPDX-License-Identifier: GPL-2.0

//! The `timing` parameter: the time each loader spends on an exec, for `make bench`.
//!
//! Writing 1 puts a kretprobe on the kernel's `load_elf_binary()` and one on
//! binfmt_rs's own `load_binary()`: the same instrument on both, so that the probes'
//! own cost weighs alike on each, and the loaders' work is seen apart from fork,
//! page faults and teardown. Reading gives the calls and nanoseconds of each since
//! then. Writing 0 removes the probes; with timing off nothing is probed.

use core::cell::UnsafeCell;
use core::ffi::c_void;
use core::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use kernel::c_str;
use kernel::error::code::EINVAL;
use kernel::ffi::{c_char, c_int};
use kernel::prelude::*;

use crate::bindings;
use crate::load_binary::load_binary;
use crate::stats::ParamWriter;

/// The two probed functions, in the order of `PROBES`.
const KERNEL: usize = 0;
const BINFMT_RS: usize = 1;

/// One kretprobe and what it measured.
struct Probe {
    kretprobe: UnsafeCell<bindings::kretprobe>,
    calls: AtomicU64,
    ns: AtomicU64,
}

// SAFETY: `kretprobe` is written only by `set_timing()`, which the module parameter
// code serialises (kernel_param_lock) and which touches it only while it is not
// registered; once registered, only the kprobes core uses it.
unsafe impl Sync for Probe {}

impl Probe {
    const fn new() -> Self {
        Probe {
            // SAFETY: all-zero is the state register_kretprobe() expects of a fresh
            // kretprobe (no address, no symbol, no handlers).
            kretprobe: UnsafeCell::new(unsafe { core::mem::zeroed() }),
            calls: AtomicU64::new(0),
            ns: AtomicU64::new(0),
        }
    }
}

static PROBES: [Probe; 2] = [Probe::new(), Probe::new()];
static ON: AtomicBool = AtomicBool::new(false);

fn now_ns() -> u64 {
    // SAFETY: ktime_get() may be called from any context the probes run in.
    let t = unsafe { bindings::ktime_get() };
    u64::try_from(t).unwrap_or(0)
}

/// `kretprobe.entry_handler`: the start time, in the instance's data.
///
/// # Safety
///
/// Called by the kprobes core with an instance whose data holds `data_size` (8) bytes.
unsafe extern "C" fn entry(
    ri: *mut bindings::kretprobe_instance,
    _regs: *mut bindings::pt_regs,
) -> c_int {
    // SAFETY: `data` has room for a u64 (`data_size`), possibly unaligned.
    unsafe {
        (*ri)
            .data
            .as_mut_ptr()
            .cast::<u64>()
            .write_unaligned(now_ns())
    };
    0
}

/// `kretprobe.handler` of probe `I`: adds the call's duration.
///
/// # Safety
///
/// Called by the kprobes core with the instance `entry()` filled in.
unsafe extern "C" fn returned<const I: usize>(
    ri: *mut bindings::kretprobe_instance,
    _regs: *mut bindings::pt_regs,
) -> c_int {
    // SAFETY: `entry()` wrote the start time there.
    let start = unsafe { (*ri).data.as_ptr().cast::<u64>().read_unaligned() };
    if let Some(probe) = PROBES.get(I) {
        probe.calls.fetch_add(1, Ordering::Relaxed);
        probe
            .ns
            .fetch_add(now_ns().saturating_sub(start), Ordering::Relaxed);
    }
    0
}

/// Registers probe `I` on `symbol` or, without one, on `address`.
///
/// # Safety
///
/// Probe `I` must not be registered.
unsafe fn register<const I: usize>(symbol: Option<&CStr>, address: *const ()) -> c_int {
    let Some(probe) = PROBES.get(I) else {
        return EINVAL.to_errno();
    };
    probe.calls.store(0, Ordering::Relaxed);
    probe.ns.store(0, Ordering::Relaxed);
    let kp = probe.kretprobe.get();
    // SAFETY: not registered (the safety contract), so nothing else uses it; a
    // kretprobe is reset to all-zero before each registration, as the first one.
    unsafe {
        kp.write(core::mem::zeroed());
        match symbol {
            Some(name) => (*kp).kp.symbol_name = name.as_char_ptr(),
            None => (*kp).kp.addr = address.cast_mut().cast(),
        }
        (*kp).entry_handler = Some(entry);
        (*kp).handler = Some(returned::<I>);
        (*kp).data_size = core::mem::size_of::<u64>();
        bindings::register_kretprobe(kp)
    }
}

/// # Safety
///
/// Probe `I` must be registered.
unsafe fn unregister<const I: usize>() {
    if let Some(probe) = PROBES.get(I) {
        // SAFETY: registered (the safety contract); this waits for running handlers.
        unsafe { bindings::unregister_kretprobe(probe.kretprobe.get()) };
    }
}

/// Turns the probes on or off; called with the parameter lock held, or at unload.
fn set_timing(on: bool) -> c_int {
    if on == ON.load(Ordering::Relaxed) {
        return 0;
    }
    // Before init (`timing=1` given to insmod) a failed init would leave a probe on
    // freed text: timing is turned on through sysfs only.
    if crate::symbols::get().is_none() {
        return EINVAL.to_errno();
    }
    if !on {
        // SAFETY: ON says both are registered.
        unsafe {
            unregister::<KERNEL>();
            unregister::<BINFMT_RS>();
        }
        ON.store(false, Ordering::Relaxed);
        return 0;
    }
    // SAFETY: ON says neither is registered.
    let ret = unsafe { register::<KERNEL>(Some(c_str!("load_elf_binary")), core::ptr::null()) };
    if ret < 0 {
        return ret;
    }
    // SAFETY: as above; the address is this module's own load_binary().
    let ret = unsafe { register::<BINFMT_RS>(None, load_binary as *const ()) };
    if ret < 0 {
        // SAFETY: registered just above.
        unsafe { unregister::<KERNEL>() };
        return ret;
    }
    ON.store(true, Ordering::Relaxed);
    0
}

/// Removes the probes, if any, before the module's text goes away.
pub(crate) fn stop() {
    set_timing(false);
}

/// `kernel_param_ops.set` of `timing`: the kernel's boolean spellings (`kstrtobool`).
///
/// # Safety
///
/// `val` is a NUL-terminated string, as the module parameter code guarantees.
#[no_mangle]
unsafe extern "C" fn binfmt_rs_timing_set(val: *const c_char, _kp: *const c_void) -> c_int {
    let mut on = false;
    // SAFETY: `val` is NUL-terminated (the safety contract) and `on` is a writable bool.
    if unsafe { bindings::kstrtobool(val, &mut on) } != 0 {
        return EINVAL.to_errno();
    }
    set_timing(on)
}

/// `kernel_param_ops.get` of `timing`.
///
/// # Safety
///
/// `buffer` points to a `PAGE_SIZE` buffer, as `param_attr_show()` guarantees.
#[no_mangle]
unsafe extern "C" fn binfmt_rs_timing_get(buffer: *mut c_char, _kp: *const c_void) -> c_int {
    // SAFETY: the caller passes a writable PAGE_SIZE buffer (the safety contract).
    let mut out = unsafe { ParamWriter::new(buffer) };
    let [kernel, ours] = &PROBES;
    let missed = |p: &Probe| {
        // SAFETY: a plain read of a counter the kprobes core updates; a torn or
        // stale value only misreports a statistic.
        unsafe { core::ptr::addr_of!((*p.kretprobe.get()).nmissed).read_volatile() }
    };
    out.line(format_args!(
        "on={} kernel_calls={} kernel_ns={} binfmt_rs_calls={} binfmt_rs_ns={} missed={}",
        u8::from(ON.load(Ordering::Relaxed)),
        kernel.calls.load(Ordering::Relaxed),
        kernel.ns.load(Ordering::Relaxed),
        ours.calls.load(Ordering::Relaxed),
        ours.ns.load(Ordering::Relaxed),
        missed(kernel) + missed(ours),
    ))
}
