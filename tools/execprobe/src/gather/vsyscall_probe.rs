//! The vsyscall part of the vdso section: gettimeofday and time called at their
//! legacy entry points, and the page read, each in a forked child, since in some
//! modes the kernel answers with SIGSEGV (see vsyscall.rs for what each mode does).
//!
//! arm64 has no vsyscall page (no gate area at all): there nothing is called, and
//! the vdso section says so with its `vsyscall_none` check (vdso_probe.rs).

use crate::error::Error;
#[cfg(target_arch = "x86_64")]
use crate::gather::bracket::{bracketed, BOUND_NS};
#[cfg(target_arch = "x86_64")]
use crate::gather::ffi::{self, ChildEnd, VsyscallJob};
use crate::parse::vsyscall::Mode;
use crate::report::Call;
#[cfg(target_arch = "x86_64")]
use crate::report::Check;

/// No call on arm64: 0xffffffffff600000 is no user address there, and there is
/// no page to call; a call would only fault.
#[cfg(target_arch = "aarch64")]
pub fn calls(_mode: Mode) -> Result<Vec<Call>, Error> {
    Ok(Vec::new())
}

/// How a child ended, as the report says it.
#[cfg(target_arch = "x86_64")]
fn outcome(end: &ChildEnd) -> String {
    match end {
        ChildEnd::Returned(_) => "returned".into(),
        ChildEnd::Signal(libc::SIGSEGV) => "SIGSEGV".into(),
        ChildEnd::Signal(s) => format!("signal {s}"),
        ChildEnd::Exited(code) => format!("exit {code}"),
    }
}

/// The native-endian word at `at` of what a child sent back; 0 past the end.
#[cfg(target_arch = "x86_64")]
fn word(bytes: &[u8], at: usize) -> i64 {
    let mut w = [0u8; 8];
    if let Some(b) = bytes.get(at..at + 8) {
        w.copy_from_slice(b);
    }
    i64::from_ne_bytes(w)
}

/// Calls gettimeofday and time at their vsyscall entry points and reads the page,
/// each in a child process, and checks each outcome against what the mode makes
/// the kernel do (see vsyscall.rs).
#[cfg(target_arch = "x86_64")]
pub fn calls(mode: Mode) -> Result<Vec<Call>, Error> {
    let mut calls = Vec::new();
    for (job, function, name, unit, syscall) in [
        (
            VsyscallJob::Gettimeofday,
            "vsyscall gettimeofday",
            "vsyscall_gettimeofday",
            "us",
            ffi::sys_gettimeofday as fn() -> Result<i64, Error>,
        ),
        (
            VsyscallJob::Time,
            "vsyscall time",
            "vsyscall_time",
            "s",
            ffi::sys_time,
        ),
    ] {
        let before = syscall();
        let end = ffi::in_child(job)?;
        let after = syscall();
        let got = match (&end, job) {
            (ChildEnd::Returned(b), VsyscallJob::Gettimeofday) => Some((word(b, 0), word(b, 8))),
            (ChildEnd::Returned(b), _) => Some((0, word(b, 0))),
            _ => None,
        };
        let bound = if unit == "s" { 2 } else { BOUND_NS / 1000 };
        let mut call = bracketed(name, function, None, unit, before, got, after, bound);
        judge(&mut call, mode, mode.calls_work(), &end);
        calls.push(call);
    }
    let end = ffi::in_child(VsyscallJob::ReadPage)?;
    let mut read = Call {
        function: "vsyscall page read",
        argument: None,
        unit: "bytes",
        syscall_before: None,
        vdso: None,
        syscall_after: None,
        outcome: None,
        check: Check {
            name: "vsyscall_read",
            ok: true,
            detail: "read 8 bytes of the page".into(),
        },
    };
    judge(&mut read, mode, mode.reads_work(), &end);
    calls.push(read);
    Ok(calls)
}

/// Sets the outcome of a call made in a child, and whether it is what `mode`
/// makes the kernel do: `works` says whether the call should return.
#[cfg(target_arch = "x86_64")]
pub fn judge(call: &mut Call, mode: Mode, works: bool, end: &ChildEnd) {
    let outcome_text = outcome(end);
    let returned = matches!(end, ChildEnd::Returned(_));
    if mode == Mode::Unknown {
        call.check.ok = false;
        call.check.detail = format!("{outcome_text} with an unknown vsyscall mode");
    } else if works && !returned {
        call.check.ok = false;
        call.check.detail = format!(
            "{outcome_text}, but vsyscall={} should let it work",
            mode.name()
        );
    } else if !works {
        call.check.ok = end == &ChildEnd::Signal(libc::SIGSEGV);
        call.check.detail = format!(
            "{outcome_text}, as vsyscall={} makes it (SIGSEGV expected)",
            mode.name()
        );
    }
    call.outcome = Some(outcome_text);
}

#[cfg(all(test, target_arch = "x86_64"))]
mod tests {
    use super::*;

    #[test]
    fn vsyscall_outcomes_are_judged_by_mode() {
        let fresh = || bracketed("n", "f", None, "s", Ok(1), Some((0, 1)), Ok(1), 2);
        let segv = ChildEnd::Signal(libc::SIGSEGV);
        let returned = ChildEnd::Returned(vec![0; 16]);

        let mut c = fresh();
        judge(&mut c, Mode::Xonly, Mode::Xonly.calls_work(), &returned);
        assert!(c.check.ok && c.outcome.as_deref() == Some("returned"));
        let mut c = fresh();
        judge(&mut c, Mode::Xonly, Mode::Xonly.reads_work(), &segv);
        assert!(c.check.ok, "{}", c.check.detail);
        let mut c = fresh();
        judge(&mut c, Mode::Emulate, true, &segv);
        assert!(!c.check.ok && c.check.detail.contains("should let it work"));
        let mut c = fresh();
        judge(&mut c, Mode::None, false, &returned);
        assert!(!c.check.ok, "vsyscall=none must not return");
        let mut c = fresh();
        judge(&mut c, Mode::None, false, &ChildEnd::Signal(libc::SIGBUS));
        assert!(!c.check.ok && c.outcome.as_deref() == Some("signal 7"));
        let mut c = fresh();
        judge(&mut c, Mode::Unknown, true, &returned);
        assert!(!c.check.ok);
    }
}
