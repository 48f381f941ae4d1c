//! The human-readable rendering of a report: auxv and stack here, maps and vdso in
//! the submodules.

mod maps;
mod vdso;

use std::fmt::{self, Write};

use crate::parse::auxv::{self, Kind};
use crate::report::{Aux, AuxvSection, Check, Report, StackSection};

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
        if let Some(section) = &self.0.maps {
            out.write_str(separator)?;
            maps::write(out, section)?;
            separator = "\n";
        }
        if let Some(stack) = &self.0.stack {
            out.write_str(separator)?;
            write_stack(out, stack)?;
            separator = "\n";
        }
        if let Some(section) = &self.0.vdso {
            out.write_str(separator)?;
            vdso::write(out, "vdso", section)?;
            separator = "\n";
        }
        if let Some(section) = &self.0.vdso32 {
            out.write_str(separator)?;
            vdso::write(out, "vdso32", section)?;
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
    let differing: Vec<String> = s
        .getauxval
        .iter()
        .filter(|g| s.stack.iter().find(|a| a.tag == g.tag).map(|a| a.value) != Some(g.value))
        .map(|g| format!("{} {:#x}", auxv::name_or_number(g.tag), g.value))
        .collect();
    if differing.is_empty() {
        writeln!(out, "auxv: getauxval(3) returns the same for every tag")?;
    } else {
        writeln!(
            out,
            "auxv: getauxval(3) differs for {}",
            differing.join(", ")
        )?;
    }
    write_checks(out, &s.checks)
}

fn write_entries(out: &mut impl Write, entries: &[Aux]) -> fmt::Result {
    for e in entries {
        let value = match auxv::kind(e.tag) {
            Kind::Decimal => e.value.to_string(),
            Kind::Address | Kind::Mask | Kind::CString | Kind::RandomBytes => {
                format!("{:#x}", e.value)
            }
        };
        write!(out, "  {:<22}{value}", auxv::name_or_number(e.tag))?;
        match (auxv::kind(e.tag), &e.string, &e.random) {
            (Kind::CString, Some(s), _) => write!(out, "  {}", cut(&format!("{s:?}")))?,
            (Kind::RandomBytes, _, Some(r)) => write!(out, "  {r}")?,
            (Kind::CString | Kind::RandomBytes, _, _) => out.write_str("  (not on the stack)")?,
            _ => {}
        }
        if let Some(flags) = &e.flags {
            write!(out, "  {}", flags.join(" "))?;
        }
        out.write_char('\n')?;
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
        if let Some(value) = r.value {
            write!(out, "  {value:#x}")?;
        }
        if let Some(detail) = &r.detail {
            write!(out, "  {}", cut(detail))?;
        }
        out.write_char('\n')?;
    }
    write_checks(out, &s.checks)
}

pub(crate) fn write_checks(out: &mut impl Write, checks: &[Check]) -> fmt::Result {
    for c in checks {
        let verdict = if c.ok { "ok  " } else { "FAIL" };
        writeln!(out, "  [{verdict}] {}: {}", c.name, c.detail)?;
    }
    Ok(())
}

/// A string cut to `MAX_SHOWN` characters.
pub(crate) fn cut(s: &str) -> String {
    let cut: String = s.chars().take(MAX_SHOWN).collect();
    let more = if cut.len() < s.len() { "..." } else { "" };
    format!("{cut}{more}")
}

/// A size in the largest binary unit that divides it, or rounded to one decimal
/// when none does above KiB.
pub(crate) fn size(bytes: u64) -> String {
    const UNITS: [(&str, u32); 5] = [
        ("EiB", 60),
        ("PiB", 50),
        ("TiB", 40),
        ("GiB", 30),
        ("MiB", 20),
    ];
    for (unit, shift) in UNITS {
        if bytes >= 1 << shift {
            return if bytes.is_multiple_of(1 << shift) {
                format!("{} {unit}", bytes >> shift)
            } else {
                format!("{:.1} {unit}", bytes as f64 / (1u64 << shift) as f64)
            };
        }
    }
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
        assert_eq!(size(8 << 20), "8 MiB");
        assert_eq!(size(0x7f00_0000_0000), "127 TiB");
        assert_eq!(size(0x7f00_0000_1000), "127.0 TiB");
        assert_eq!(size(3 << 29), "1.5 GiB");
    }

    #[test]
    fn auxv_values_in_hex_or_decimal() {
        let entry = |tag, value, string: Option<&str>| Aux {
            tag,
            name: auxv::name(tag),
            value,
            string: string.map(str::to_owned),
            random: None,
            flags: auxv::flags(tag, value),
        };
        let mut out = String::new();
        write_entries(
            &mut out,
            &[
                entry(auxv::AT_PAGESZ, 4096, None),
                entry(9, 0x401000, None),
                entry(auxv::AT_EXECFN, 0x7ffd_0000_0ff0, Some("/bin/true")),
                entry(auxv::AT_PLATFORM, 0x10, None),
                entry(auxv::AT_HWCAP2, 0x2, None),
                entry(99, 1, None),
            ],
        )
        .expect("String writes succeed");
        // Bit 1 of AT_HWCAP2: HWCAP2_FSGSBASE, arm64's HWCAP2_SVE2.
        let bit1 = if cfg!(target_arch = "x86_64") {
            "fsgsbase"
        } else {
            "sve2"
        };
        assert_eq!(
            out.replace(bit1, "BIT1"),
            "  AT_PAGESZ             4096\n\
             \x20 AT_ENTRY              0x401000\n\
             \x20 AT_EXECFN             0x7ffd00000ff0  \"/bin/true\"\n\
             \x20 AT_PLATFORM           0x10  (not on the stack)\n\
             \x20 AT_HWCAP2             0x2  BIT1\n\
             \x20 99                    0x1\n"
        );
    }
}
