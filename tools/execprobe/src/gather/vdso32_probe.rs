//! `execprobe vdso32`: the 32-bit vDSO an i386 process gets (its `[vdso]`, with
//! `__kernel_vsyscall` at AT_SYSINFO and no `[vsyscall]`), seen from inside such
//! a process. execprobe is a 64-bit program and cannot call 32-bit code, so it
//! drives a child that can: execprobe-vdso32 (vdso32/vdso32.c), an i386 program
//! that calls each function it is given the address of between two system calls
//! and prints the readings. Its image, symbols and auxv are read here, from
//! /proc/PID, while it waits; the comparisons are made here too.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::error::{Context, Error};
use crate::gather::bracket::{absent, bracketed, BOUND_NS};
use crate::gather::procfs::{read, read_text};
use crate::gather::vdso_probe;
use crate::parse::auxv;
use crate::parse::maps;
use crate::parse::vdso::{self, Image, Symbol};
use crate::parse::vsyscall::Mode;
use crate::report::{Call, Check, VdsoSection, VsyscallCalls};

/// The helper's name, looked for beside execprobe and then on PATH.
pub const HELPER: &str = "execprobe-vdso32";

/// The functions the 32-bit vDSO of a 6.x kernel exports (vdso32.lds.S) that an
/// i386 program relies on: the system call entry, the signal trampolines and the
/// time functions.
const REQUIRED: [&str; 6] = [
    "__kernel_vsyscall",
    "__kernel_sigreturn",
    "__kernel_rt_sigreturn",
    "__vdso_clock_gettime",
    "__vdso_gettimeofday",
    "__vdso_time",
];

/// The functions the helper calls.
const CALLED: [&str; 6] = [
    "__vdso_clock_gettime",
    "__vdso_clock_gettime64",
    "__vdso_clock_getres",
    "__vdso_gettimeofday",
    "__vdso_time",
    "__kernel_vsyscall",
];

/// The arguments and units the helper's lines may carry.
const WORDS: [&str; 12] = [
    "CLOCK_REALTIME",
    "CLOCK_MONOTONIC",
    "CLOCK_MONOTONIC_RAW",
    "CLOCK_REALTIME_COARSE",
    "CLOCK_MONOTONIC_COARSE",
    "CLOCK_BOOTTIME",
    "CLOCK_TAI",
    "getpid",
    "ns",
    "us",
    "s",
    "pid",
];

/// A word of the helper's lines as the report's static string.
fn known(word: &str) -> Option<&'static str> {
    CALLED.iter().chain(&WORDS).copied().find(|n| *n == word)
}

fn helper() -> Result<PathBuf, Error> {
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|d| d.join(HELPER)));
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(HELPER));
    beside
        .into_iter()
        .chain(on_path)
        .find(|p| p.is_file())
        .ok_or_else(|| {
            Error::new(format!(
                "{HELPER}, the i386 program that calls the 32-bit vDSO, is neither beside \
                 execprobe nor on PATH (make execprobe builds it)"
            ))
        })
}

/// The symbol `name`, a function of any version (the 32-bit vDSO defines
/// `__kernel_*` at LINUX_2.5 and `__vdso_*` at LINUX_2.6).
fn function<'a>(image: &'a Image, name: &str) -> Option<&'a Symbol> {
    image
        .symbols
        .iter()
        .find(|s| s.name == name && s.kind == "func")
}

/// Runs the helper and gathers the vdso section of its process.
pub fn run() -> Result<VdsoSection, Error> {
    let path = helper()?;
    let mut child = Command::new(&path)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("running {}", path.display()))?;
    let result = drive(&mut child);
    // The helper ends after "done", or when its input closes.
    drop(child.stdin.take());
    let status = child.wait().context("waiting for the helper")?;
    let section = result?;
    if !status.success() {
        return Err(Error::new(format!("{HELPER} ended with {status}")));
    }
    Ok(section)
}

fn drive(child: &mut std::process::Child) -> Result<VdsoSection, Error> {
    let pid = child.id();
    let mut lines = BufReader::new(child.stdout.take().ok_or("no pipe from the helper")?).lines();
    let mut next = || -> Result<String, Error> {
        lines
            .next()
            .ok_or_else(|| Error::new(format!("{HELPER} stopped talking")))?
            .context("reading from the helper")
    };
    if next()? != "ready" {
        return Err(Error::new(format!("{HELPER} did not start as expected")));
    }
    let maps_path = format!("/proc/{pid}/maps");
    let maps = maps::parse(&read_text(&maps_path)?).with_context(|| maps_path.clone())?;
    let text = maps
        .iter()
        .find(|m| m.name == "[vdso]")
        .ok_or("the i386 helper has no [vdso] mapping (vdso32=0?)")?;
    let auxv_path = format!("/proc/{pid}/auxv");
    // An i386 process's saved auxv holds 4-byte elf_addr_t words.
    let entries = auxv::parse_words(&read(&auxv_path)?, 4).with_context(|| auxv_path.clone())?;
    let base = auxv::value(&entries, auxv::AT_SYSINFO_EHDR).unwrap_or(0);
    let sysinfo = auxv::value(&entries, auxv::AT_SYSINFO);
    let mut bytes = vec![0; usize::try_from(text.size()).map_err(|e| e.to_string())?];
    std::fs::File::open(format!("/proc/{pid}/mem"))
        .and_then(|f| f.read_exact_at(&mut bytes, text.start))
        .with_context(|| format!("reading the helper's [vdso] through /proc/{pid}/mem"))?;
    let image = vdso::parse(&bytes).context("the 32-bit vDSO image")?;

    let stdin = child.stdin.as_mut().ok_or("no pipe to the helper")?;
    let mut order = String::new();
    for name in CALLED {
        if let Some(sym) = function(&image, name) {
            order.push_str(&format!("{name} {:x}\n", image.address(text.start, sym)));
        }
    }
    order.push_str("go\n");
    stdin
        .write_all(order.as_bytes())
        .and_then(|()| stdin.flush())
        .context("writing to the helper")?;

    let mut calls = Vec::new();
    loop {
        let line = next()?;
        if line == "done" {
            break;
        }
        calls.push(
            call(&line).ok_or_else(|| Error::new(format!("bad line from {HELPER}: {line:?}")))?,
        );
    }
    for name in CALLED {
        if function(&image, name).is_none() && name != "__vdso_clock_gettime64" {
            calls.push(Call {
                function: known(name).unwrap_or("?"),
                argument: None,
                unit: "",
                syscall_before: None,
                vdso: None,
                syscall_after: None,
                outcome: None,
                check: absent("vdso32_function", name),
            });
        }
    }

    let entry = function(&image, "__kernel_vsyscall").map(|s| image.address(text.start, s));
    let checks = vec![
        Check {
            name: "vdso32_base",
            ok: base == text.start && image.soname.as_deref() == Some("linux-gate.so.1"),
            detail: format!(
                "AT_SYSINFO_EHDR {base:#x}, [vdso] at {:#x}, image {}",
                text.start,
                image.soname.as_deref().unwrap_or("no DT_SONAME")
            ),
        },
        Check {
            name: "vdso32_sysinfo",
            ok: sysinfo.is_some() && sysinfo == entry,
            detail: format!(
                "AT_SYSINFO {} is __kernel_vsyscall at {} (VDSO_ENTRY)",
                sysinfo.map_or("absent".into(), |v| format!("{v:#x}")),
                entry.map_or("nowhere".into(), |v| format!("{v:#x}"))
            ),
        },
        functions_check(&image),
        Check {
            name: "vdso32_no_vsyscall",
            ok: !maps.iter().any(|m| m.name == "[vsyscall]"),
            detail: "no [vsyscall]: an i386 process has no gate area".into(),
        },
    ];
    let no_vsyscall = VsyscallCalls {
        mode: Mode::None,
        calls: Vec::new(),
    };
    Ok(vdso_probe::section(
        base,
        text,
        &image,
        calls,
        no_vsyscall,
        checks,
    ))
}

fn functions_check(image: &Image) -> Check {
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|f| function(image, f).is_none())
        .collect();
    Check {
        name: "vdso32_functions",
        ok: missing.is_empty(),
        detail: if missing.is_empty() {
            REQUIRED.join(" ")
        } else {
            format!("missing: {}", missing.join(" "))
        },
    }
}

/// One `call FUNCTION ARGUMENT UNIT BEFORE RETURNED VALUE AFTER` line, compared.
fn call(line: &str) -> Option<Call> {
    let w: Vec<&str> = line.split(' ').collect();
    let ["call", function, argument, unit, before, ret, value, after] = w.as_slice() else {
        return None;
    };
    let function = known(function)?;
    let argument = if *argument == "-" {
        None
    } else {
        Some(known(argument)?)
    };
    let unit = known(unit)?;
    let num = |s: &str| s.parse::<i64>().ok();
    let (before, ret, value, after) = (num(before)?, num(ret)?, num(value)?, num(after)?);
    let reading = |v: i64| {
        if v < 0 {
            Err(Error::new("the system call failed"))
        } else {
            Ok(v)
        }
    };
    // The readings' bounds, as vdso's for the 64-bit functions.
    let bound = match unit {
        "ns" => BOUND_NS,
        "us" => BOUND_NS / 1000,
        _ => 2,
    };
    Some(match function {
        "__vdso_clock_getres" | "__kernel_vsyscall" => {
            let what = if function == "__kernel_vsyscall" {
                "getpid through AT_SYSINFO"
            } else {
                "the resolution"
            };
            Call {
                function,
                argument,
                unit,
                syscall_before: Some(before),
                vdso: Some(value),
                syscall_after: None,
                outcome: None,
                check: Check {
                    name: "vdso32_exact",
                    ok: ret == 0 && before >= 0 && value == before,
                    detail: format!("{what}: int $0x80 {before} {unit}, vDSO {value} {unit}"),
                },
            }
        }
        _ => {
            let mut c = bracketed(
                "vdso32_bracketed",
                function,
                argument,
                unit,
                reading(before),
                Some((ret, value)),
                reading(after),
                bound,
            );
            c.check.detail = format!("{} (int $0x80 around it)", c.check.detail);
            c
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_helpers_lines_are_compared() {
        let c = call("call __vdso_clock_gettime CLOCK_MONOTONIC ns 100 0 150 200").unwrap();
        assert!(c.check.ok, "{c:?}");
        let late = call("call __vdso_clock_gettime CLOCK_MONOTONIC ns 100 0 250 200").unwrap();
        assert!(!late.check.ok);
        let failed = call("call __vdso_time - s 100 -22 100 100").unwrap();
        assert!(!failed.check.ok);
        let pid = call("call __kernel_vsyscall getpid pid 42 0 42 42").unwrap();
        assert!(pid.check.ok);
        let wrong = call("call __kernel_vsyscall getpid pid 42 0 43 42").unwrap();
        assert!(!wrong.check.ok);
        assert!(call("call __vdso_nothing - s 1 0 1 1").is_none());
        assert!(call("call __vdso_time - s 1 0 1").is_none());
    }
}
