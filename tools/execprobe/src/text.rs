//! The human-readable rendering of a report.

use std::fmt::{self, Write};

use crate::auxv::{self, Kind};
use crate::report::{Aux, AuxvSection, Check, MapsSection, Report, StackSection};

/// Longest string shown in full; argv and env strings can be kilobytes long.
const MAX_SHOWN: usize = 72;

/// A report as text: `Text(&report).to_string()`.
pub struct Text<'a>(pub &'a Report);

impl fmt::Display for Text<'_> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut separator = "";
        if let Some(auxv) = &self.0.auxv {
            write_auxv(out, auxv)?;
            separator = "\n";
        }
        if let Some(maps) = &self.0.maps {
            out.write_str(separator)?;
            write_maps(out, maps)?;
            separator = "\n";
        }
        if let Some(stack) = &self.0.stack {
            out.write_str(separator)?;
            write_stack(out, stack)?;
        }
        Ok(())
    }
}

fn write_auxv(out: &mut impl Write, s: &AuxvSection) -> fmt::Result {
    writeln!(out, "auxv: from the initial stack, up to AT_NULL")?;
    write_entries(out, &s.stack)?;
    if s.stack != s.proc {
        writeln!(out, "auxv: from /proc/self/auxv")?;
        write_entries(out, &s.proc)?;
    }
    write_checks(out, &s.checks)
}

fn write_entries(out: &mut impl Write, entries: &[Aux]) -> fmt::Result {
    for e in entries {
        let value = match auxv::kind(e.tag) {
            Kind::Decimal => e.value.to_string(),
            Kind::Hex | Kind::CString | Kind::RandomBytes => format!("{:#x}", e.value),
        };
        write!(out, "  {:<22}{value}", auxv::name_or_number(e.tag))?;
        match (auxv::kind(e.tag), &e.string, &e.random) {
            (Kind::CString, Some(s), _) => write!(out, "  {}", cut(&format!("{s:?}")))?,
            (Kind::RandomBytes, _, Some(r)) => write!(out, "  {r}")?,
            (Kind::CString | Kind::RandomBytes, _, _) => out.write_str("  (not on the stack)")?,
            _ => {}
        }
        out.write_char('\n')?;
    }
    Ok(())
}

fn write_maps(out: &mut impl Write, s: &MapsSection) -> fmt::Result {
    writeln!(out, "maps: special mappings in /proc/self/maps")?;
    for m in &s.special {
        writeln!(
            out,
            "  {:<14}{:x}-{:x} {} {:>9}  {}",
            m.name,
            m.start,
            m.end,
            m.perms,
            size(m.size),
            m.explanation
        )?;
    }
    for a in &s.absent {
        writeln!(out, "  {:<14}absent: {}", a.name, a.meaning)?;
    }
    Ok(())
}

fn write_stack(out: &mut impl Write, s: &StackSection) -> fmt::Result {
    writeln!(
        out,
        "stack: the initial stack in {} {:x}-{:x}, highest address first",
        s.vma.name, s.vma.start, s.vma.end
    )?;
    for r in &s.regions {
        let size = if r.size == 0 {
            String::new()
        } else {
            r.size.to_string()
        };
        write!(out, "  {:#014x} {size:>6}  {}", r.addr, r.what)?;
        if let Some(detail) = &r.detail {
            write!(out, "  {}", cut(detail))?;
        }
        out.write_char('\n')?;
    }
    write_checks(out, &s.checks)
}

fn write_checks(out: &mut impl Write, checks: &[Check]) -> fmt::Result {
    for c in checks {
        let verdict = if c.ok { "ok  " } else { "FAIL" };
        writeln!(out, "  [{verdict}] {}: {}", c.name, c.detail)?;
    }
    Ok(())
}

/// A string cut to `MAX_SHOWN` characters.
fn cut(s: &str) -> String {
    let cut: String = s.chars().take(MAX_SHOWN).collect();
    let more = if cut.len() < s.len() { "..." } else { "" };
    format!("{cut}{more}")
}

fn size(bytes: u64) -> String {
    if bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} B")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_strings_are_cut() {
        assert_eq!(cut("short"), "short");
        let long = "x".repeat(MAX_SHOWN + 1);
        assert_eq!(cut(&long), format!("{}...", &long[..MAX_SHOWN]));
        let multibyte = "é".repeat(MAX_SHOWN);
        assert_eq!(cut(&multibyte), multibyte);
    }

    #[test]
    fn sizes() {
        assert_eq!(size(4096), "4 KiB");
        assert_eq!(size(0x21000), "132 KiB");
        assert_eq!(size(17), "17 B");
    }

    #[test]
    fn auxv_values_in_hex_or_decimal() {
        let entry = |tag, value, string: Option<&str>| Aux {
            tag,
            name: auxv::name(tag),
            value,
            string: string.map(str::to_owned),
            random: None,
        };
        let mut out = String::new();
        write_entries(
            &mut out,
            &[
                entry(auxv::AT_PAGESZ, 4096, None),
                entry(9, 0x401000, None),
                entry(auxv::AT_EXECFN, 0x7ffd_0000_0ff0, Some("/bin/true")),
                entry(auxv::AT_PLATFORM, 0x10, None),
                entry(99, 1, None),
            ],
        )
        .expect("String writes succeed");
        assert_eq!(
            out,
            "  AT_PAGESZ             4096\n\
             \x20 AT_ENTRY              0x401000\n\
             \x20 AT_EXECFN             0x7ffd00000ff0  \"/bin/true\"\n\
             \x20 AT_PLATFORM           0x10  (not on the stack)\n\
             \x20 99                    0x1\n"
        );
    }
}
