//! The vdso section: the vDSO image this process got, its symbols, and each known
//! function called and compared with the syscall it stands in for; the legacy
//! vsyscall page is vsyscall_probe.rs's.
//!
//! The vDSO lives in the [vdso] mapping that `map_vdso` (arch/x86/entry/vdso/vma.c)
//! installs, with its data pages ([vvar], [vvar_vclock]) just below; on arm64
//! `__setup_additional_pages` (arch/arm64/kernel/vdso.c) maps [vvar] and [vdso]
//! the same way. Its time functions read those pages (lib/vdso/gettimeofday.c)
//! and fall back to the syscall for clocks they cannot serve. Either way they must
//! tell the same time as the syscall: each vDSO reading is bracketed by two
//! syscall readings.

use std::os::unix::fs::FileExt;

use crate::error::{Context, Error};
use crate::gather::bracket::{absent, bracketed, BOUND_NS};
use crate::gather::ffi::{self, VdsoFns, VDSO_FUNCTIONS};
use crate::gather::procfs::{read, read_text};
use crate::gather::vsyscall_probe;
use crate::parse::auxv;
use crate::parse::maps::{self, Mapping};
#[cfg(target_arch = "aarch64")]
use crate::parse::vdso::Symbol;
use crate::parse::vdso::{self, Image};
use crate::parse::vsyscall;
use crate::report::{Call, Check, Span, VdsoSection, VdsoSymbol, VsyscallCalls};

/// The clocks compared, with their ids from include/uapi/linux/time.h.
const CLOCKS: [(&str, i32); 7] = [
    ("CLOCK_REALTIME", libc::CLOCK_REALTIME),
    ("CLOCK_MONOTONIC", libc::CLOCK_MONOTONIC),
    ("CLOCK_MONOTONIC_RAW", libc::CLOCK_MONOTONIC_RAW),
    ("CLOCK_REALTIME_COARSE", libc::CLOCK_REALTIME_COARSE),
    ("CLOCK_MONOTONIC_COARSE", libc::CLOCK_MONOTONIC_COARSE),
    ("CLOCK_BOOTTIME", libc::CLOCK_BOOTTIME),
    ("CLOCK_TAI", libc::CLOCK_TAI),
];

/// The functions every x86-64 vDSO of a 6.x kernel exports (vdso.lds.S);
/// __vdso_getrandom came with 6.11 and __vdso_sgx_enter_enclave only with SGX.
#[cfg(target_arch = "x86_64")]
const REQUIRED: [&str; 5] = [
    "__vdso_clock_gettime",
    "__vdso_clock_getres",
    "__vdso_gettimeofday",
    "__vdso_time",
    "__vdso_getcpu",
];

/// What every arm64 vDSO of a 6.x kernel exports (arch/arm64/kernel/vdso/vdso.lds.S):
/// the three time functions and the signal trampoline, `VDSO_sigtramp`, which
/// the kernel makes the return address of every signal handler that has no
/// SA_RESTORER (`setup_return`, arch/arm64/kernel/signal.c); `__kernel_getrandom`
/// came with 6.12.
#[cfg(target_arch = "aarch64")]
const REQUIRED: [&str; 4] = [
    "__kernel_clock_gettime",
    "__kernel_gettimeofday",
    "__kernel_clock_getres",
    "__kernel_rt_sigreturn",
];

/// `__kernel_rt_sigreturn` (arch/arm64/kernel/vdso/sigreturn.S): `mov x8,
/// #__NR_rt_sigreturn` (139) and `svc #0`, little-endian words.
#[cfg(target_arch = "aarch64")]
const RT_SIGRETURN_CODE: [u32; 2] = [0xd280_1168, 0xd400_0001];

/// Gathers the vdso section of this process.
pub fn run() -> Result<VdsoSection, Error> {
    let path = "/proc/self/maps";
    let maps = maps::parse(&read_text(path)?).with_context(|| path)?;
    let text = maps
        .iter()
        .find(|m| m.name == "[vdso]")
        .ok_or("no [vdso] mapping: the kernel gave this process no vDSO (vdso=0?)")?;
    let raw_auxv = read("/proc/self/auxv")?;
    let auxv = auxv::parse(&raw_auxv).context("/proc/self/auxv")?;
    let base = auxv::value(&auxv, auxv::AT_SYSINFO_EHDR).unwrap_or(0);
    let bytes = copy(text)?;
    let image = vdso::parse(&bytes).context("the vDSO image")?;

    let fns = VdsoFns::new(text, |name| {
        image.lookup(name).map(|s| image.address(text.start, s))
    });
    let mut calls = Vec::new();
    for (name, clock) in CLOCKS {
        calls.push(clock_gettime(&fns, name, clock));
    }
    for (name, clock) in &CLOCKS[..2] {
        calls.push(clock_getres(&fns, name, *clock));
    }
    calls.push(gettimeofday(&fns));
    #[cfg(target_arch = "x86_64")]
    {
        calls.push(time(&fns));
        calls.push(getcpu(&fns));
    }
    if let Some(call) = getrandom(&fns) {
        calls.push(call);
    }

    let mode = vsyscall::mode(&maps);
    let mut checks = vec![base_check(base, text, &image), functions_check(&image)];
    checks.extend(arch_checks(&image, text, &bytes, mode));
    let vsyscall = VsyscallCalls {
        mode,
        calls: vsyscall_probe::calls(mode)?,
    };
    Ok(section(base, text, &image, calls, vsyscall, checks))
}

/// The section of a vDSO image mapped at `text`, with what was called and checked.
pub fn section(
    base: u64,
    text: &Mapping,
    image: &Image,
    calls: Vec<Call>,
    vsyscall: VsyscallCalls,
    checks: Vec<Check>,
) -> VdsoSection {
    VdsoSection {
        base,
        mapping: Span {
            start: text.start,
            end: text.end,
        },
        soname: image.soname.clone(),
        symbols: image
            .symbols
            .iter()
            .map(|s| VdsoSymbol {
                symbol: s.clone(),
                address: image.address(text.start, s),
            })
            .collect(),
        calls,
        vsyscall,
        checks,
    }
}

/// The bytes of the [vdso] mapping, read through /proc/self/mem: a plain read of
/// our own memory, with no unsafe slice over a mapping.
fn copy(m: &Mapping) -> Result<Vec<u8>, Error> {
    let len = usize::try_from(m.size()).map_err(|e| e.to_string())?;
    let mut bytes = vec![0; len];
    std::fs::File::open("/proc/self/mem")
        .and_then(|f| f.read_exact_at(&mut bytes, m.start))
        .context("reading [vdso] through /proc/self/mem")?;
    Ok(bytes)
}

/// AT_SYSINFO_EHDR is where `map_vdso` put the image (`ARCH_DLINFO`,
/// arch/x86/include/asm/elf.h: `(unsigned long)current->mm->context.vdso`).
fn base_check(base: u64, text: &Mapping, image: &Image) -> Check {
    let soname = image.soname.as_deref().unwrap_or("no DT_SONAME");
    Check {
        name: "vdso_base",
        ok: base == text.start && image.soname.as_deref() == Some("linux-vdso.so.1"),
        detail: format!(
            "AT_SYSINFO_EHDR {base:#x}, [vdso] at {:#x}, image {soname}",
            text.start
        ),
    }
}

fn functions_check(image: &Image) -> Check {
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|f| image.defined(f).is_none())
        .collect();
    let present: Vec<&str> = VDSO_FUNCTIONS
        .iter()
        .copied()
        .filter(|f| image.lookup(f).is_some())
        .collect();
    Check {
        name: "vdso_functions",
        ok: missing.is_empty(),
        detail: if missing.is_empty() {
            format!("{} (version {})", present.join(" "), vdso::VERSION)
        } else {
            format!("missing: {}", missing.join(" "))
        },
    }
}

fn clock_gettime(fns: &VdsoFns, clock_name: &'static str, clock: i32) -> Call {
    let before = ffi::sys_clock_gettime(clock);
    let got = fns.clock_gettime(clock).map(|(r, v)| (i64::from(r), v));
    let after = ffi::sys_clock_gettime(clock);
    bracketed(
        "vdso_clock_gettime",
        ffi::CLOCK_GETTIME,
        Some(clock_name),
        "ns",
        before,
        got,
        after,
        BOUND_NS,
    )
}

/// The resolution is a constant of the clock (hrtimer_resolution or the tick):
/// the vDSO's copy in the vvar page must be exactly the kernel's.
fn clock_getres(fns: &VdsoFns, clock_name: &'static str, clock: i32) -> Call {
    let sys = ffi::sys_clock_getres(clock);
    let got = fns.clock_getres(clock);
    let (ok, detail) = match (&sys, got) {
        (_, None) => (false, absent("", ffi::CLOCK_GETRES).detail),
        (Err(e), _) => (false, format!("the syscall failed: {e}")),
        (Ok(s), Some((ret, v))) => (
            ret == 0 && v == *s,
            format!("syscall {s} ns, vDSO {v} ns (returned {ret})"),
        ),
    };
    Call {
        function: ffi::CLOCK_GETRES,
        argument: Some(clock_name),
        unit: "ns",
        syscall_before: sys.ok(),
        vdso: got.map(|(_, v)| v),
        syscall_after: None,
        outcome: None,
        check: Check {
            name: "vdso_clock_getres",
            ok,
            detail,
        },
    }
}

fn gettimeofday(fns: &VdsoFns) -> Call {
    let before = ffi::sys_gettimeofday();
    let got = fns.gettimeofday().map(|(r, v)| (i64::from(r), v));
    let after = ffi::sys_gettimeofday();
    bracketed(
        "vdso_gettimeofday",
        ffi::GETTIMEOFDAY,
        None,
        "us",
        before,
        got,
        after,
        BOUND_NS / 1000,
    )
}

#[cfg(target_arch = "x86_64")]
fn time(fns: &VdsoFns) -> Call {
    let before = ffi::sys_time();
    let got = fns.time().map(|v| (0, v));
    let after = ffi::sys_time();
    // Seconds: the vDSO may be up to one second after the first syscall.
    bracketed("vdso_time", "__vdso_time", None, "s", before, got, after, 2)
}

/// What getcpu said while this thread was pinned to one CPU.
#[cfg(target_arch = "x86_64")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pinned {
    /// The CPU pinned to: where the first syscall ran.
    pub cpu: u32,
    /// CPUs configured: every CPU number is below it.
    pub cpus: u32,
    /// (cpu, node) from the syscall while pinned.
    pub sys: (u32, u32),
    /// (return value, cpu, node) from the vDSO while pinned.
    pub vdso: (i64, u32, u32),
}

#[cfg(target_arch = "x86_64")]
impl Pinned {
    /// Pinned, the vDSO (which reads the CPU number from RDPID or from the limit of
    /// the per-CPU GDT entry, vgetcpu.c) and the syscall must agree exactly.
    pub fn judge(&self) -> Check {
        let (ret, cpu, node) = self.vdso;
        Check {
            name: "vdso_getcpu",
            ok: ret == 0 && (cpu, node) == self.sys && cpu == self.cpu && cpu < self.cpus,
            detail: format!(
                "pinned to cpu {}: syscall cpu {} node {}, vDSO cpu {cpu} node {node} \
                 (returned {ret}), {} CPUs configured",
                self.cpu, self.sys.0, self.sys.1, self.cpus
            ),
        }
    }
}

#[cfg(target_arch = "x86_64")]
fn getcpu_pinned(fns: &VdsoFns) -> Result<Option<Pinned>, Error> {
    let cpus = ffi::configured_cpus()?;
    let (cpu, _) = ffi::sys_getcpu()?;
    let (vdso, sys) = ffi::pinned_to(cpu, || (fns.getcpu(), ffi::sys_getcpu()))?;
    let sys = sys?;
    Ok(vdso.map(|(ret, vcpu, vnode)| Pinned {
        cpu,
        cpus,
        sys,
        vdso: (ret, vcpu, vnode),
    }))
}

#[cfg(target_arch = "x86_64")]
fn getcpu(fns: &VdsoFns) -> Call {
    let (pinned, check) = match getcpu_pinned(fns) {
        Ok(Some(p)) => (Some(p), p.judge()),
        Ok(None) => (None, absent("vdso_getcpu", "__vdso_getcpu")),
        Err(e) => (
            None,
            Check {
                name: "vdso_getcpu",
                ok: false,
                detail: e.to_string(),
            },
        ),
    };
    Call {
        function: "__vdso_getcpu",
        argument: None,
        unit: "cpu",
        syscall_before: pinned.map(|p| i64::from(p.sys.0)),
        vdso: pinned.map(|p| i64::from(p.vdso.1)),
        syscall_after: None,
        outcome: None,
        check,
    }
}

/// __vdso_getrandom fills a buffer like getrandom(2), from a per-thread ChaCha20
/// state it keys from the kernel's RNG (lib/vdso/getrandom.c). Two 32-byte draws
/// must both be full length, non-zero and different (a repeat has probability
/// 2^-256), as a syscall draw is.
fn getrandom(fns: &VdsoFns) -> Option<Call> {
    let mut first = [0u8; 32];
    let mut second = [0u8; 32];
    let got = fns.getrandom(&mut first)?;
    let again = fns.getrandom(&mut second);
    let mut sys = [0u8; 32];
    let sys_n = ffi::sys_getrandom(&mut sys);
    let nonzero = |b: &[u8; 32]| b.iter().any(|&x| x != 0);
    let (ok, detail, n) = match (got, again, &sys_n) {
        (Err(e), _, _) | (_, Some(Err(e)), _) => (false, e.to_string(), None),
        (_, _, Err(e)) => (false, format!("the syscall failed: {e}"), None),
        (Ok(n1), Some(Ok(n2)), Ok(s)) => (
            n1 == 32 && n2 == 32 && *s == 32 && nonzero(&first) && first != second,
            format!(
                "two vDSO draws of {n1} and {n2} bytes, {}; the syscall gave {s}",
                if first == second {
                    "equal"
                } else {
                    "different"
                }
            ),
            Some(i64::try_from(n1).unwrap_or(-1)),
        ),
        (Ok(_), None, _) => (false, format!("{} vanished", ffi::GETRANDOM), None),
    };
    Some(Call {
        function: ffi::GETRANDOM,
        argument: None,
        unit: "bytes",
        syscall_before: sys_n.ok().and_then(|n| i64::try_from(n).ok()),
        vdso: n,
        syscall_after: None,
        outcome: None,
        check: Check {
            name: "vdso_getrandom",
            ok,
            detail,
        },
    })
}

/// x86-64 has nothing more to check here: its vsyscall page is called below.
#[cfg(target_arch = "x86_64")]
fn arch_checks(_: &Image, _: &Mapping, _: &[u8], _: vsyscall::Mode) -> Vec<Check> {
    Vec::new()
}

/// arm64's signal trampoline, and the vsyscall page it does not have.
#[cfg(target_arch = "aarch64")]
fn arch_checks(image: &Image, text: &Mapping, bytes: &[u8], mode: vsyscall::Mode) -> Vec<Check> {
    let sigreturn = image.defined("__kernel_rt_sigreturn");
    vec![
        rt_sigreturn_check(sigreturn, image, text, bytes),
        vsyscall_none_check(mode),
    ]
}

/// The signal trampoline is where the symbol table says, in the [vdso] text, and
/// is the two instructions of sigreturn.S: nothing else would return from a
/// signal handler.
#[cfg(target_arch = "aarch64")]
fn rt_sigreturn_check(sym: Option<&Symbol>, image: &Image, text: &Mapping, bytes: &[u8]) -> Check {
    let name = "vdso_rt_sigreturn";
    let Some(sym) = sym else {
        return absent(name, "__kernel_rt_sigreturn");
    };
    let addr = image.address(text.start, sym);
    let code: Option<Vec<u32>> = addr
        .checked_sub(text.start)
        .and_then(|off| usize::try_from(off).ok())
        .and_then(|off| bytes.get(off..off.checked_add(8)?))
        .map(|b| {
            b.chunks_exact(4)
                .map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
                .collect()
        });
    let ok = code.as_deref() == Some(&RT_SIGRETURN_CODE[..]);
    Check {
        name,
        ok,
        detail: match code {
            Some(words) => format!(
                "__kernel_rt_sigreturn at {addr:#x}: {:08x} {:08x}{}",
                words[0],
                words[1],
                if ok {
                    " (mov x8, #__NR_rt_sigreturn; svc #0), the return address the \
                     kernel gives signal handlers"
                } else {
                    ", not mov x8, #139; svc #0"
                }
            ),
            None => format!("__kernel_rt_sigreturn at {addr:#x} is outside [vdso]"),
        },
    }
}

/// arm64 has no vsyscall page: no gate area (get_gate_vma() is NULL, there is no
/// __HAVE_ARCH_GATE_AREA), so nothing is called at 0xffffffffff600000, which is
/// not even a user address there; only the maps line is checked for.
#[cfg(target_arch = "aarch64")]
fn vsyscall_none_check(mode: vsyscall::Mode) -> Check {
    Check {
        name: "vsyscall_none",
        ok: mode == vsyscall::Mode::None,
        detail: if mode == vsyscall::Mode::None {
            "no [vsyscall]: arm64 has no vsyscall page, the vDSO is the only way in; \
             nothing to call"
                .into()
        } else {
            format!("a [vsyscall] line (mode {}) on arm64", mode.name())
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracketing_holds_or_says_why_not() {
        let call = |b: i64, v: Option<(i64, i64)>, a: i64| {
            bracketed("n", "f", None, "ns", Ok(b), v, Ok(a), BOUND_NS)
        };
        assert!(call(100, Some((0, 150)), 200).check.ok);
        assert!(
            call(100, Some((0, 100)), 100).check.ok,
            "equal readings are in order"
        );
        let early = call(100, Some((0, 99)), 200);
        assert!(!early.check.ok);
        assert_eq!(
            early.check.detail,
            "syscall 100 <= 99 <= syscall 200 ns, -1 ns after the first syscall"
        );
        assert!(!call(100, Some((0, 201)), 200).check.ok);
        assert!(
            !call(0, Some((0, BOUND_NS)), 2 * BOUND_NS).check.ok,
            "a second late"
        );
        let failed = call(100, Some((-22, 150)), 200);
        assert_eq!(
            (failed.check.ok, failed.check.detail.as_str()),
            (false, "f returned -22")
        );
        let absent = call(100, None, 200);
        assert!(!absent.check.ok && absent.vdso.is_none());
        let e = bracketed(
            "n",
            "f",
            None,
            "ns",
            Err("EPERM".into()),
            Some((0, 1)),
            Ok(2),
            9,
        );
        assert!(!e.check.ok && e.check.detail.contains("EPERM"));
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn getcpu_must_agree_while_pinned() {
        let p = Pinned {
            cpu: 1,
            cpus: 2,
            sys: (1, 0),
            vdso: (0, 1, 0),
        };
        assert!(p.judge().ok, "{}", p.judge().detail);
        assert!(
            !Pinned {
                vdso: (0, 0, 0),
                ..p
            }
            .judge()
            .ok,
            "another CPU"
        );
        assert!(
            !Pinned {
                vdso: (0, 1, 1),
                ..p
            }
            .judge()
            .ok,
            "another node"
        );
        assert!(
            !Pinned {
                vdso: (-14, 1, 0),
                ..p
            }
            .judge()
            .ok,
            "an error"
        );
        let beyond = Pinned {
            cpu: 2,
            sys: (2, 0),
            vdso: (0, 2, 0),
            ..p
        };
        assert!(!beyond.judge().ok, "cpu 2 of 2");
    }

    /// The clocks of this test process: the vDSO agrees with the syscall.
    #[test]
    fn this_processs_vdso_clocks_agree_with_the_syscall() {
        let maps = maps::parse(&std::fs::read_to_string("/proc/self/maps").expect("maps"))
            .expect("valid maps");
        let text = maps.iter().find(|m| m.name == "[vdso]").expect("[vdso]");
        let image = vdso::parse(&copy(text).expect("readable")).expect("valid image");
        let fns = VdsoFns::new(text, |n| {
            image.lookup(n).map(|s| image.address(text.start, s))
        });
        for (name, clock) in &CLOCKS[..2] {
            let call = clock_gettime(&fns, name, *clock);
            assert!(call.check.ok, "{name}: {}", call.check.detail);
        }
        let call = clock_getres(&fns, "CLOCK_MONOTONIC", libc::CLOCK_MONOTONIC);
        assert!(call.check.ok, "{}", call.check.detail);
        assert!(gettimeofday(&fns).check.ok);
        #[cfg(target_arch = "x86_64")]
        assert!(time(&fns).check.ok);
        // A mapping that is not the vDSO text yields no functions at all.
        let stack = maps.iter().find(|m| m.name == "[stack]").expect("[stack]");
        let none = VdsoFns::new(stack, |n| {
            image.lookup(n).map(|s| image.address(text.start, s))
        });
        assert!(none.clock_gettime(libc::CLOCK_MONOTONIC).is_none());
    }
}
