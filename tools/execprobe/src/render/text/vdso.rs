//! The vdso section as text: the symbols, then each call against its syscall.

use std::fmt::{self, Write};

use super::write_checks;
use crate::report::{Call, VdsoSection};

/// The section, its lines headed `label`: `vdso` for execprobe's own, `vdso32`
/// for the i386 child's, which has no vsyscall page to call.
pub fn write(out: &mut impl Write, label: &str, s: &VdsoSection) -> fmt::Result {
    writeln!(
        out,
        "{label}: {} at {:#x} ([vdso] {:x}-{:x}), {} dynamic symbols",
        s.soname.as_deref().unwrap_or("(no DT_SONAME)"),
        s.base,
        s.mapping.start,
        s.mapping.end,
        s.symbols.len()
    )?;
    for sym in &s.symbols {
        let version = sym.symbol.version.as_deref().unwrap_or("-");
        writeln!(
            out,
            "  {:#014x} {:>5}  {:<6} {:<6} {:<26} {version}",
            sym.address, sym.symbol.size, sym.symbol.kind, sym.symbol.binding, sym.symbol.name
        )?;
    }
    writeln!(out, "{label}: each function against its syscall")?;
    for call in &s.calls {
        write_call(out, call)?;
    }
    if label == "vdso" && s.vsyscall.calls.is_empty() {
        // arm64: no page, so nothing called (its vsyscall_none check says why).
        writeln!(
            out,
            "vdso: no vsyscall page (mode {}): nothing to call",
            s.vsyscall.mode.name()
        )?;
    } else if label == "vdso" {
        writeln!(
            out,
            "vdso: the vsyscall page (mode {}), each call in a child process",
            s.vsyscall.mode.name()
        )?;
        for call in &s.vsyscall.calls {
            write_call(out, call)?;
        }
    }
    write_checks(out, &s.checks)
}

fn write_call(out: &mut impl Write, c: &Call) -> fmt::Result {
    let verdict = if c.check.ok { "ok  " } else { "FAIL" };
    let what = match c.argument {
        Some(arg) => format!("{}({arg})", c.function),
        None => c.function.to_owned(),
    };
    writeln!(out, "  [{verdict}] {what}: {}", c.check.detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Check;

    #[test]
    fn a_call_shows_its_verdict_and_argument() {
        let call = Call {
            function: "__vdso_clock_gettime",
            argument: Some("CLOCK_MONOTONIC"),
            unit: "ns",
            syscall_before: Some(1),
            vdso: Some(2),
            syscall_after: Some(3),
            outcome: None,
            check: Check {
                name: "vdso_clock_gettime",
                ok: false,
                detail: "d".into(),
            },
        };
        let mut text = String::new();
        write_call(&mut text, &call).expect("String writes succeed");
        assert_eq!(text, "  [FAIL] __vdso_clock_gettime(CLOCK_MONOTONIC): d\n");
    }
}
