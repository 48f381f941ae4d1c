// SPDX-License-Identifier: GPL-2.0

//! The `timing` parameter: the time each loader spends on an exec, for `make bench`.
//!
//! Writing 1 puts a kretprobe on the kernel's `load_elf_binary()` and one on
//! binfmt_rs's own `load_binary()`: the same instrument on both, so that the probes'
//! own cost weighs alike on each, and the loaders' work is seen apart from fork,
//! page faults and teardown. Writing 2 also probes the kernel functions both
//! loaders call (`CALLEES`), to tell the loaders' own work from theirs. Reading
//! gives the calls and nanoseconds of each since then. Writing 0 removes the
//! probes; with timing off nothing is probed.

use core::cell::UnsafeCell;
use core::ffi::c_void;
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use kernel::c_str;
use kernel::error::code::EINVAL;
use kernel::ffi::{c_char, c_int, c_uint};
use kernel::prelude::*;

use crate::bindings;
use crate::entry::load_binary::Adapter;
use crate::params::stats::ParamWriter;

/// `PROBES[0]` is on the kernel's loader, `PROBES[1]` on binfmt_rs's, the rest on
/// `CALLEES`, in order.
const KERNEL: usize = 0;
const BINFMT_RS: usize = 1;
const FIRST_CALLEE: usize = 2;

/// The exported or kallsyms-visible functions both loaders call during an exec.
const CALLEES: [&CStr; 10] = [
    c_str!("begin_new_exec"),
    c_str!("setup_new_exec"),
    c_str!("setup_arg_pages"),
    c_str!("vm_mmap"),
    c_str!("vm_brk_flags"),
    c_str!("arch_setup_additional_pages"),
    c_str!("kernel_read"),
    c_str!("get_random_bytes"),
    c_str!("find_extend_vma_locked"),
    c_str!("finalize_exec"),
];
const PROBE_COUNT: usize = FIRST_CALLEE + CALLEES.len();

/// One kretprobe and what it measured.
struct Probe {
    kretprobe: UnsafeCell<bindings::kretprobe>,
    calls: AtomicU64,
    ns: AtomicU64,
}

// SAFETY: `kretprobe` is written only by `set_level()`, which the module parameter
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

static PROBES: [Probe; PROBE_COUNT] = [const { Probe::new() }; PROBE_COUNT];
/// 0: off; 1: the loaders are probed; 2: the callees too. Also how many of
/// `PROBES` are registered: `registered(LEVEL)`.
static LEVEL: AtomicU32 = AtomicU32::new(0);

fn registered(level: u32) -> usize {
    match level {
        0 => 0,
        1 => FIRST_CALLEE,
        _ => PROBE_COUNT,
    }
}

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

type Handler =
    unsafe extern "C" fn(*mut bindings::kretprobe_instance, *mut bindings::pt_regs) -> c_int;

/// The return handler of each probe: its index is a constant in it.
const HANDLERS: [Handler; PROBE_COUNT] = [
    returned::<0>,
    returned::<1>,
    returned::<2>,
    returned::<3>,
    returned::<4>,
    returned::<5>,
    returned::<6>,
    returned::<7>,
    returned::<8>,
    returned::<9>,
    returned::<10>,
    returned::<11>,
];

/// Registers probe `i`: on binfmt_rs's `load_binary()`, or on a function by name.
///
/// # Safety
///
/// Probe `i` must not be registered.
unsafe fn register(i: usize) -> c_int {
    let (Some(probe), Some(handler)) = (PROBES.get(i), HANDLERS.get(i)) else {
        return EINVAL.to_errno();
    };
    let symbol = match i {
        KERNEL => Some(c_str!("load_elf_binary")),
        BINFMT_RS => None,
        _ => i
            .checked_sub(FIRST_CALLEE)
            .and_then(|c| CALLEES.get(c))
            .copied(),
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
            None => (*kp).kp.addr = (Adapter::load_binary as *const ()).cast_mut().cast(),
        }
        (*kp).entry_handler = Some(entry);
        (*kp).handler = Some(*handler);
        (*kp).data_size = core::mem::size_of::<u64>();
        bindings::register_kretprobe(kp)
    }
}

/// # Safety
///
/// Probe `i` must be registered.
unsafe fn unregister(i: usize) {
    if let Some(probe) = PROBES.get(i) {
        // SAFETY: registered (the safety contract); this waits for running handlers.
        unsafe { bindings::unregister_kretprobe(probe.kretprobe.get()) };
    }
}

/// Moves to `level`; called with the parameter lock held, or at unload.
fn set_level(level: u32) -> c_int {
    let old = LEVEL.load(Ordering::Relaxed);
    if level == old {
        return 0;
    }
    // Before init (`timing=1` given to insmod) a failed init would leave a probe on
    // freed text: timing is turned on through sysfs only.
    if level > 0 && crate::entry::format::FORMAT.symbols().is_none() {
        return EINVAL.to_errno();
    }
    // SAFETY: LEVEL says which probes are registered.
    (0..registered(old)).for_each(|i| unsafe { unregister(i) });
    LEVEL.store(0, Ordering::Relaxed);
    let wanted = registered(level);
    for i in 0..wanted {
        // SAFETY: none is registered now but those before `i`.
        let ret = unsafe { register(i) };
        if ret < 0 {
            // SAFETY: those before `i` were registered just above.
            (0..i).for_each(|j| unsafe { unregister(j) });
            return ret;
        }
    }
    LEVEL.store(level, Ordering::Relaxed);
    0
}

/// Removes the probes, if any, before the module's text goes away.
pub(crate) fn stop() {
    set_level(0);
}

/// `kernel_param_ops.set` of `timing`: 0, 1 or 2.
///
/// # Safety
///
/// `val` is a NUL-terminated string, as the module parameter code guarantees.
#[no_mangle]
unsafe extern "C" fn binfmt_rs_timing_set(val: *const c_char, _kp: *const c_void) -> c_int {
    let mut level: c_uint = 0;
    // SAFETY: `val` is NUL-terminated (the safety contract) and `level` is writable.
    if unsafe { bindings::kstrtouint(val, 10, &mut level) } != 0 || level > 2 {
        return EINVAL.to_errno();
    }
    set_level(level)
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
    let missed = |p: &Probe| {
        // SAFETY: a plain read of a counter the kprobes core updates; a torn or
        // stale value only misreports a statistic.
        unsafe { core::ptr::addr_of!((*p.kretprobe.get()).nmissed).read_volatile() }
    };
    let level = LEVEL.load(Ordering::Relaxed);
    let (Some(kernel), Some(ours)) = (PROBES.get(KERNEL), PROBES.get(BINFMT_RS)) else {
        return 0;
    };
    let probed = PROBES.get(..registered(level)).unwrap_or(&[]);
    let _ = core::fmt::Write::write_fmt(
        &mut out,
        format_args!(
            "on={} kernel_calls={} kernel_ns={} binfmt_rs_calls={} binfmt_rs_ns={} missed={}",
            level,
            kernel.calls.load(Ordering::Relaxed),
            kernel.ns.load(Ordering::Relaxed),
            ours.calls.load(Ordering::Relaxed),
            ours.ns.load(Ordering::Relaxed),
            probed.iter().map(missed).sum::<i32>(),
        ),
    );
    // With level 2, each callee as NAME=CALLS/NS.
    for (name, probe) in CALLEES.iter().zip(PROBES.iter().skip(FIRST_CALLEE)) {
        if level < 2 {
            break;
        }
        let _ = core::fmt::Write::write_fmt(
            &mut out,
            format_args!(
                " {}={}/{}",
                name.to_str().unwrap_or("?"),
                probe.calls.load(Ordering::Relaxed),
                probe.ns.load(Ordering::Relaxed)
            ),
        );
    }
    out.line(format_args!(""))
}
