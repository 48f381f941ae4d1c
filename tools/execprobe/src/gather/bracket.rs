//! A vDSO reading checked against the syscall readings taken just before and
//! after it, shared by the vDSO and the vsyscall probes.

use crate::error::Error;
use crate::report::{Call, Check};

/// The most a reading may be ahead of the syscall before it: far above the
/// microseconds the three calls take (or the fork of a vsyscall call).
pub const BOUND_NS: i64 = 1_000_000_000;

/// A vDSO reading bracketed by two syscall readings: it must have succeeded and
/// lie between them, at most `bound` after the first.
#[allow(clippy::too_many_arguments)]
pub fn bracketed(
    name: &'static str,
    function: &'static str,
    argument: Option<&'static str>,
    unit: &'static str,
    before: Result<i64, Error>,
    got: Option<(i64, i64)>,
    after: Result<i64, Error>,
    bound: i64,
) -> Call {
    let (ok, detail) = match (&before, got, &after) {
        (_, None, _) => (false, absent(name, function).detail),
        (Err(e), _, _) | (_, _, Err(e)) => (false, format!("the syscall failed: {e}")),
        (_, Some((ret, _)), _) if ret != 0 => (false, format!("{function} returned {ret}")),
        (Ok(b), Some((_, v)), Ok(a)) => (
            *b <= v && v <= *a && v - *b < bound,
            format!(
                "syscall {b} <= {v} <= syscall {a} {unit}, {} {unit} after the first \
                 syscall",
                v - *b
            ),
        ),
    };
    Call {
        function,
        argument,
        unit,
        syscall_before: before.ok(),
        vdso: got.map(|(_, v)| v),
        syscall_after: after.ok(),
        outcome: None,
        check: Check { name, ok, detail },
    }
}

/// The check of a function the vDSO does not have.
pub fn absent(name: &'static str, function: &str) -> Check {
    Check {
        name,
        ok: false,
        detail: format!("{function} is not in the vDSO"),
    }
}
