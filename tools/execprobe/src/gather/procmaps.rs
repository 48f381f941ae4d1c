//! The maps section: /proc/PID/maps line by line, each special mapping explained,
//! the gaps measured, every mapping of the executable and of its interpreter traced
//! back to its PT_LOAD (origin.rs), and the load biases checked against the auxv
//! the kernel built from them (`create_elf_tables`, fs/binfmt_elf.c).

use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::error::{Context, Error};
use crate::gather::procfs::{read, read_text};
use crate::parse::auxv::{self, Entry};
use crate::parse::elf::{self, ElfInfo};
use crate::parse::maps::{self, Mapping, SPECIALS};
use crate::parse::origin::{self, Attribution};
use crate::parse::vsyscall;
use crate::report::{
    Absent, Check, MapEntry, MapsSection, Object, Origin, Role, SpecialMapping, VsyscallLine,
};

/// Which file an ELF object is, as maps shows files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The path as maps prints it (`d_path` of the mapped file).
    pub path: String,
    pub dev: (u32, u32),
    pub inode: u64,
}

impl Identity {
    /// Whether `m` maps this file: same device and inode, which is what the
    /// kernel prints; or, for file systems whose stat disagrees with maps about the
    /// device (overlayfs), the same path.
    pub fn maps(&self, m: &Mapping) -> bool {
        m.is_file() && ((m.dev, m.inode) == (self.dev, self.inode) || m.name == self.path)
    }
}

/// Major and minor number of a `st_dev` as glibc encodes it (`gnu_dev_major` and
/// `gnu_dev_minor`, sys/sysmacros.h): maps prints them separately.
pub fn major_minor(st_dev: u64) -> (u32, u32) {
    let major = ((st_dev & 0x0000_0000_000f_ff00) >> 8) | ((st_dev & 0xffff_f000_0000_0000) >> 32);
    let minor = (st_dev & 0x0000_0000_0000_00ff) | ((st_dev & 0x0000_0fff_fff0_0000) >> 12);
    // Both fit: the kernel's dev_t has 12 bits of major and 20 of minor.
    (
        u32::try_from(major).unwrap_or(u32::MAX),
        u32::try_from(minor).unwrap_or(u32::MAX),
    )
}

/// An ELF object of the process, read from the file it was mapped from.
struct Loaded {
    id: Identity,
    info: ElfInfo,
}

/// Reads the ELF file at `open` (a /proc path that reaches the very file), which
/// maps shows as `shown`.
fn load(open: &Path, shown: String) -> Result<Loaded, Error> {
    let meta = std::fs::metadata(open).map_err(|e| format!("stat {}: {e}", open.display()))?;
    let info = elf::read(open)?;
    Ok(Loaded {
        id: Identity {
            path: shown,
            dev: major_minor(meta.dev()),
            inode: meta.ino(),
        },
        info,
    })
}

/// The executable of the process in `dir` (/proc/self or /proc/PID), and its
/// interpreter, looked up in the process's own root as exec did.
fn objects(dir: &str) -> Result<(Loaded, Option<Loaded>), Error> {
    let exe_link = format!("{dir}/exe");
    let shown = std::fs::read_link(&exe_link)
        .with_context(|| format!("reading {exe_link}"))?
        .to_string_lossy()
        .into_owned();
    let exe = load(Path::new(&exe_link), shown)?;
    let interp = match &exe.info.interp {
        Some(path) => {
            let open = format!("{dir}/root{path}");
            // maps shows the file the symlinks lead to, relative to our root:
            // realpath resolves /proc/PID/root by its link text too.
            let shown = std::fs::canonicalize(&open)
                .map_or_else(|_| path.clone(), |p| p.to_string_lossy().into_owned());
            Some(load(Path::new(&open), shown)?)
        }
        None => None,
    };
    Ok((exe, interp))
}

/// Gathers the maps section of process `pid`, or of execprobe itself.
pub fn gather(pid: Option<u32>) -> Result<MapsSection, Error> {
    let dir = pid.map_or_else(|| "/proc/self".to_owned(), |p| format!("/proc/{p}"));
    let path = format!("{dir}/maps");
    let maps = maps::parse(&read_text(&path)?).with_context(|| path)?;
    // A kernel thread has no executable.
    let (objects, attribution_error) = match objects(&dir) {
        Ok(o) => (Some(o), None),
        Err(e) => (None, Some(e.to_string())),
    };
    // /proc/PID/auxv needs the same ptrace access as maps; a kernel thread has none.
    // Its words are the executable's elf_addr_t: 4 bytes for an i386 program.
    let word = match &objects {
        Some((exe, _)) if exe.info.class32 => 4,
        _ => 8,
    };
    let auxv = read(&format!("{dir}/auxv"))
        .ok()
        .and_then(|raw| auxv::parse_words(&raw, word).ok());
    let mut section = describe(&maps, pid);
    section.attribution_error = attribution_error;
    if let Some((exe, interp)) = objects {
        attribute(&mut section, &maps, auxv.as_deref(), &exe, Role::Executable);
        if let Some(interp) = interp {
            attribute(
                &mut section,
                &maps,
                auxv.as_deref(),
                &interp,
                Role::Interpreter,
            );
        }
    }
    Ok(section)
}

/// Everything that needs nothing but the maps list.
pub fn describe(maps: &[Mapping], pid: Option<u32>) -> MapsSection {
    let mappings = maps
        .iter()
        .enumerate()
        .map(|(i, m)| MapEntry {
            start: m.start,
            end: m.end,
            size: m.size(),
            perms: m.perms.clone(),
            offset: m.offset,
            dev: format!("{:02x}:{:02x}", m.dev.0, m.dev.1),
            inode: m.inode,
            name: m.name.clone(),
            gap_before: i
                .checked_sub(1)
                .map(|p| m.start.saturating_sub(maps[p].end)),
            origin: None,
        })
        .collect();
    let special = maps
        .iter()
        .filter_map(|m| {
            let s = maps::special(&m.name)?;
            Some(SpecialMapping {
                name: m.name.clone(),
                start: m.start,
                end: m.end,
                perms: m.perms.clone(),
                size: m.size(),
                explanation: s.explanation,
            })
        })
        .collect();
    let absent = SPECIALS
        .iter()
        .filter(|s| !maps.iter().any(|m| m.name == s.name))
        .filter_map(|s| {
            Some(Absent {
                name: s.name,
                meaning: s.when_absent?,
            })
        })
        .collect();
    let vsyscall = VsyscallLine {
        mode: vsyscall::mode(maps),
        perms: maps
            .iter()
            .find(|m| m.name == "[vsyscall]")
            .map(|m| m.perms.clone()),
    };
    MapsSection {
        pid,
        mappings,
        special,
        absent,
        vsyscall,
        executable: None,
        interpreter: None,
        attribution_error: None,
        checks: Vec::new(),
    }
}

/// Attributes the mappings of one object and adds its description and checks.
fn attribute(
    section: &mut MapsSection,
    maps: &[Mapping],
    auxv: Option<&[Entry]>,
    object: &Loaded,
    role: Role,
) {
    let of_file: Vec<bool> = maps.iter().map(|m| object.id.maps(m)).collect();
    let a = origin::attribute(maps, &of_file, &object.info);
    for at in &a.mappings {
        if let Some(entry) = section.mappings.get_mut(at.mapping) {
            entry.origin = Some(Origin {
                object: role,
                segment: object.info.segments[at.segment].index,
                part: at.part,
                relro: at.relro,
            });
        }
    }
    section
        .checks
        .push(mapped_check(role, &object.info, &a, maps));
    section
        .checks
        .push(bias_check(role, &object.info, a.bias, auxv));
    let description = Object {
        path: object.id.path.clone(),
        e_type: object.info.type_name(),
        entry: object.info.entry,
        phdr_vaddr: object.info.phdr_vaddr,
        interp: object.info.interp.clone(),
        load_bias: a.bias,
        segments: object.info.segments.clone(),
    };
    match role {
        Role::Executable => section.executable = Some(description),
        Role::Interpreter => section.interpreter = Some(description),
    }
}

/// Every PT_LOAD has its mappings, and every mapping of the file has its PT_LOAD.
pub fn mapped_check(role: Role, info: &ElfInfo, a: &Attribution, maps: &[Mapping]) -> Check {
    let name = match role {
        Role::Executable => "exe_mapped",
        Role::Interpreter => "interp_mapped",
    };
    let problems: Vec<String> = a
        .missing
        .iter()
        .map(|&s| format!("PT_LOAD[{}] is not (fully) mapped", info.segments[s].index))
        .collect();
    let mut detail = if problems.is_empty() {
        let bss = a
            .mappings
            .iter()
            .filter(|m| m.part == origin::Part::Bss)
            .count();
        format!(
            "{} PT_LOADs in {} mappings ({bss} of them bss), as elf_load maps them",
            info.segments.len(),
            a.mappings.len()
        )
    } else {
        problems.join("; ")
    };
    // A process may map its own file again (a debugger's or a backtrace's reader
    // does): such a mapping fits no PT_LOAD at the load bias. It is shown, not held
    // against exec, which is judged by its segments alone.
    for &i in &a.unexplained {
        let m = &maps[i];
        detail += &format!(
            "; {:x}-{:x} (file offset {:#x}) is not from a PT_LOAD: mapped later",
            m.start, m.end, m.offset
        );
    }
    Check {
        name,
        ok: problems.is_empty(),
        detail,
    }
}

/// The load bias agrees with the file type and with the auxv entries the kernel
/// derived from it: AT_ENTRY and AT_PHDR for the executable (`e_entry +
/// load_bias`, `phdr_addr + load_bias` in `load_elf_binary`), AT_BASE for the
/// interpreter (`interp_load_addr`), or AT_BASE 0 when there is none.
pub fn bias_check(role: Role, info: &ElfInfo, bias: Option<u64>, auxv: Option<&[Entry]>) -> Check {
    let name = match role {
        Role::Executable => "exe_load_bias",
        Role::Interpreter => "interp_load_bias",
    };
    let Some(bias) = bias else {
        return Check {
            name,
            ok: false,
            detail: "no mapping of the file: no load bias".into(),
        };
    };
    let mut facts = vec![(
        format!("{} load bias {bias:#x}", info.type_name()),
        info.e_type != elf::ET_EXEC || bias == 0,
    )];
    if let Some(auxv) = auxv {
        let mut expect = |tag, want: u64| {
            let got = auxv::value(auxv, tag);
            facts.push((
                format!("{} {:#x}", auxv::name_or_number(tag), got.unwrap_or(0)),
                got == Some(want),
            ));
        };
        match role {
            Role::Executable => {
                expect(auxv::AT_ENTRY, bias.wrapping_add(info.entry));
                if let Some(phdr) = info.phdr_vaddr {
                    expect(auxv::AT_PHDR, bias.wrapping_add(phdr));
                }
                if info.interp.is_none() {
                    expect(auxv::AT_BASE, 0);
                }
            }
            Role::Interpreter => expect(auxv::AT_BASE, bias),
        }
    }
    let ok = facts.iter().all(|(_, ok)| *ok);
    let detail = facts
        .iter()
        .map(|(fact, ok)| {
            if *ok {
                fact.clone()
            } else {
                format!("{fact} (wrong)")
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    Check { name, ok, detail }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Role;

    #[test]
    fn major_minor_of_glibc_dev_t() {
        // makedev(0xfe, 1), makedev(0x103, 0x10a) and makedev(0x1234, 0x56789) as
        // glibc encodes them: the low 12 bits of the major in bits 8..20, the low
        // 8 of the minor in bits 0..8, the rest of each above.
        assert_eq!(major_minor(0xfe01), (0xfe, 1));
        assert_eq!(major_minor(0x11_030a), (0x103, 0x10a));
        assert_eq!(major_minor(0x1000_5672_3489), (0x1234, 0x56789));
        assert_eq!(major_minor(0), (0, 0));
    }

    #[test]
    fn the_executable_is_recognised_by_inode_and_by_path() {
        let exe = std::fs::metadata("/proc/self/exe").expect("exe");
        let path = std::fs::read_link("/proc/self/exe").expect("exe link");
        let id = Identity {
            path: path.to_string_lossy().into_owned(),
            dev: major_minor(exe.dev()),
            inode: exe.ino(),
        };
        let maps = maps::parse(&std::fs::read_to_string("/proc/self/maps").expect("maps"))
            .expect("valid maps");
        let of_exe: Vec<&Mapping> = maps.iter().filter(|m| id.maps(m)).collect();
        assert!(!of_exe.is_empty());
        assert!(of_exe
            .iter()
            .all(|m| m.name == id.path && m.inode == id.inode));
        let renamed = Identity {
            path: "/elsewhere".into(),
            ..id.clone()
        };
        assert_eq!(
            maps.iter().filter(|m| renamed.maps(m)).count(),
            of_exe.len()
        );
    }

    #[test]
    fn this_process_is_mapped_as_its_headers_say() {
        let s = gather(None).expect("maps of self");
        assert_eq!(s.attribution_error, None);
        let failed: Vec<&Check> = s.checks.iter().filter(|c| !c.ok).collect();
        assert!(failed.is_empty(), "{failed:#?}");
        let exe = s.executable.as_ref().expect("executable");
        let text = s
            .mappings
            .iter()
            .find(|m| m.perms == "r-xp" && m.name == exe.path)
            .expect("an executable mapping of the test binary");
        let origin = text.origin.expect("attributed");
        assert_eq!(origin.object, Role::Executable);
        let seg = exe
            .segments
            .iter()
            .find(|s| s.index == origin.segment)
            .expect("a PT_LOAD");
        assert!(seg.flags.executable());
        // The first mapping has no gap before it; the others say how far they are.
        assert_eq!(s.mappings[0].gap_before, None);
        for w in s.mappings.windows(2) {
            assert_eq!(w[1].gap_before, Some(w[1].start - w[0].end));
        }
    }

    #[test]
    fn mapped_check_fails_on_missing_segments_only() {
        let info = ElfInfo {
            class32: false,
            e_type: elf::ET_EXEC,
            entry: 0x401000,
            segments: vec![crate::parse::elf::Segment {
                index: 1,
                flags: crate::parse::elf::Perms(elf::PF_R | elf::PF_X),
                offset: 0,
                vaddr: 0x400000,
                filesz: 0x1000,
                memsz: 0x1000,
                align: 0x1000,
            }],
            relro: None,
            phdr_vaddr: Some(0x400040),
            interp: None,
        };
        let maps = maps::parse(
            "400000-401000 r-xp 00000000 fe:00 7 /x\n\
             7f0000000000-7f0000001000 r--p 00001000 fe:00 7 /x\n",
        )
        .expect("valid maps");
        let a = origin::attribute(&maps, &[true, true], &info);
        let c = mapped_check(Role::Executable, &info, &a, &maps);
        // The second mapping is the program reading its own file (past the
        // segment's pages): not exec's doing.
        assert!(c.ok, "{}", c.detail);
        assert!(
            c.detail.ends_with(
                "7f0000000000-7f0000001000 (file offset 0x1000) is not from a PT_LOAD: mapped later"
            ),
            "{}",
            c.detail
        );
        // Without the text mapping, nothing holds PT_LOAD[1].
        let a = origin::attribute(&maps[1..], &[true], &info);
        let c = mapped_check(Role::Interpreter, &info, &a, &maps[1..]);
        assert_eq!(c.name, "interp_mapped");
        assert!(
            !c.ok && c.detail.starts_with("PT_LOAD[1] is not (fully) mapped"),
            "{}",
            c.detail
        );
    }

    #[test]
    fn bias_check_compares_with_the_auxv() {
        let info = ElfInfo {
            class32: false,
            e_type: elf::ET_DYN,
            entry: 0x3130,
            segments: Vec::new(),
            relro: None,
            phdr_vaddr: Some(0x40),
            interp: Some("/lib64/ld-linux-x86-64.so.2".into()),
        };
        let bias = 0x5555_5555_4000;
        let auxv = [
            Entry {
                tag: auxv::AT_PHDR,
                value: bias + 0x40,
            },
            Entry {
                tag: auxv::AT_ENTRY,
                value: bias + 0x3130,
            },
        ];
        let c = bias_check(Role::Executable, &info, Some(bias), Some(&auxv));
        assert!(c.ok, "{}", c.detail);
        let c = bias_check(Role::Executable, &info, Some(bias + 0x1000), Some(&auxv));
        assert!(!c.ok);
        assert!(
            c.detail.contains("AT_ENTRY 0x555555557130 (wrong)"),
            "{}",
            c.detail
        );
        let exec = ElfInfo {
            class32: false,
            e_type: elf::ET_EXEC,
            ..info.clone()
        };
        assert!(!bias_check(Role::Executable, &exec, Some(bias), None).ok);
        let c = bias_check(
            Role::Interpreter,
            &info,
            Some(0x7f00_0000_0000),
            Some(&auxv),
        );
        assert!(
            !c.ok && c.detail.contains("AT_BASE 0x0 (wrong)"),
            "{}",
            c.detail
        );
        assert!(!bias_check(Role::Interpreter, &info, None, None).ok);
    }
}
