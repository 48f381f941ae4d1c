//! The maps section as text: every mapping with its gap and origin, then the
//! special mappings explained, the ELF objects and the checks.

use std::fmt::{self, Write};

use super::{size, write_checks};
use crate::parse::origin::Part;
use crate::report::{MapEntry, MapsSection, Object, Role};

pub fn write(out: &mut impl Write, s: &MapsSection) -> fmt::Result {
    let whose = s.pid.map_or_else(
        || "/proc/self/maps".to_owned(),
        |p| format!("/proc/{p}/maps"),
    );
    writeln!(
        out,
        "maps: {whose}, {} mappings, highest last",
        s.mappings.len()
    )?;
    for m in &s.mappings {
        if let Some(gap) = m.gap_before.filter(|&g| g > 0) {
            writeln!(out, "  {:>33}", format!("(gap {})", size(gap)))?;
        }
        write_mapping(out, m, s)?;
    }
    let perms = s.vsyscall.perms.as_deref().unwrap_or("no [vsyscall] line");
    writeln!(out, "  vsyscall mode: {} ({perms})", s.vsyscall.mode.name())?;

    writeln!(out, "maps: special mappings")?;
    for m in &s.special {
        writeln!(out, "  {:<14}{}", m.name, m.explanation)?;
    }
    for a in &s.absent {
        writeln!(out, "  {:<14}absent: {}", a.name, a.meaning)?;
    }
    for (what, object) in [
        ("executable", &s.executable),
        ("interpreter", &s.interpreter),
    ] {
        if let Some(object) = object {
            write_object(out, what, object)?;
        }
    }
    if let Some(e) = &s.attribution_error {
        writeln!(out, "maps: no PT_LOAD attribution: {e}")?;
    }
    write_checks(out, &s.checks)
}

fn write_mapping(out: &mut impl Write, m: &MapEntry, s: &MapsSection) -> fmt::Result {
    write!(
        out,
        "  {:x}-{:x} {} {:08x} {:>9}  {}",
        m.start,
        m.end,
        m.perms,
        m.offset,
        size(m.size),
        m.name
    )?;
    if let Some(o) = m.origin {
        let object = match o.object {
            Role::Executable => &s.executable,
            Role::Interpreter => &s.interpreter,
        };
        let flags = object
            .as_ref()
            .and_then(|obj| obj.segments.iter().find(|seg| seg.index == o.segment))
            .map(|seg| seg.flags.to_string())
            .unwrap_or_default();
        let object = match o.object {
            Role::Executable => "exe",
            Role::Interpreter => "interp",
        };
        let mut label = format!("{object} PT_LOAD[{}]", o.segment);
        for (present, word) in [
            (!flags.is_empty(), flags.as_str()),
            (o.part == Part::Bss, "bss"),
            (o.relro, "RELRO"),
        ] {
            if present {
                label.push(' ');
                label.push_str(word);
            }
        }
        write!(out, "  <- {label}")?;
    }
    out.write_char('\n')
}

fn write_object(out: &mut impl Write, what: &str, o: &Object) -> fmt::Result {
    write!(out, "maps: {what} {} ({}", o.path, o.e_type)?;
    if let Some(bias) = o.load_bias {
        write!(out, ", load bias {bias:#x}")?;
    }
    write!(out, ", entry {:#x}", o.entry)?;
    if let Some(interp) = &o.interp {
        write!(out, ", PT_INTERP {interp}")?;
    }
    writeln!(out, ")")?;
    for seg in &o.segments {
        writeln!(
            out,
            "  PT_LOAD[{}] {} offset {:#x} vaddr {:#x} filesz {:#x} memsz {:#x}",
            seg.index, seg.flags, seg.offset, seg.vaddr, seg.filesz, seg.memsz
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gather::procmaps::describe;
    use crate::parse::maps::parse;
    use crate::report::Origin;

    #[test]
    fn shows_gaps_origins_and_the_vsyscall_mode() {
        let maps = parse(
            "400000-401000 r-xp 00000000 fe:00 7 /x\n\
             401000-403000 rw-p 00000000 00:00 0 \n\
             7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0 [stack]\n\
             ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n",
        )
        .expect("valid maps");
        let mut s = describe(&maps, Some(42));
        s.mappings[0].origin = Some(Origin {
            object: Role::Executable,
            segment: 2,
            part: Part::File,
            relro: false,
        });
        s.mappings[1].origin = Some(Origin {
            object: Role::Executable,
            segment: 3,
            part: Part::Bss,
            relro: false,
        });
        let mut text = String::new();
        write(&mut text, &s).expect("String writes succeed");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "maps: /proc/42/maps, 4 mappings, highest last");
        assert_eq!(
            lines[1],
            "  400000-401000 r-xp 00000000     4 KiB  /x  <- exe PT_LOAD[2]"
        );
        assert!(lines[2].ends_with("<- exe PT_LOAD[3] bss"), "{}", lines[2]);
        assert_eq!(lines[3].trim(), "(gap 128.0 TiB)");
        assert!(text.contains("  vsyscall mode: xonly (--xp)\n"), "{text}");
        assert!(text.contains("  [stack]       the process stack"), "{text}");
        assert!(text.contains("  [vdso]        absent: "), "{text}");
        #[cfg(target_arch = "x86_64")]
        assert!(!text.contains("[sigpage]"), "ARM only: not missed on x86");
        #[cfg(target_arch = "aarch64")]
        assert!(
            text.contains("  [sigpage]     absent: an AArch64 process (normal)"),
            "{text}"
        );
    }
}
