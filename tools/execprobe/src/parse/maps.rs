//! /proc/PID/maps lines and the special mappings exec leaves behind.
//!
//! A line is `start-end perms offset dev inode [name]`, printed by `show_map_vma`
//! (fs/proc/task_mmu.c). The bracketed names come from `get_vma_name`: a
//! `vm_special_mapping`'s own name ([vdso], [vvar], [uprobes]), the gate VMA's
//! ([vsyscall]), or the VMA's position: [heap] for the one overlapping
//! `[mm->start_brk, mm->brk)`, [stack] for the one containing `mm->start_stack`
//! (`vma_is_initial_heap` and `vma_is_initial_stack`, include/linux/mm.h).

/// One line of /proc/PID/maps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapping {
    pub start: u64,
    pub end: u64,
    /// `rwxp` / `rwxs` flags, as printed.
    pub perms: String,
    /// Offset in the file of `start` (`vm_pgoff` in bytes); 0 for anonymous memory.
    pub offset: u64,
    /// Major and minor number of the file's device; 0:0 for anonymous memory.
    pub dev: (u32, u32),
    /// The file's inode number; 0 for anonymous memory.
    pub inode: u64,
    /// The path, a bracketed special name, or empty for anonymous memory.
    pub name: String,
}

impl Mapping {
    /// Whether a file backs the mapping (special mappings have no inode).
    pub fn is_file(&self) -> bool {
        self.inode != 0
    }

    /// Whether the mapping is anonymous memory: no file and no special name, or the
    /// brk area, into which the kernel may have merged an adjacent anonymous bss.
    pub fn is_anonymous(&self) -> bool {
        !self.is_file() && (self.name.is_empty() || self.name == "[heap]")
    }

    pub fn size(&self) -> u64 {
        self.end - self.start
    }

    pub fn contains(&self, addr: u64) -> bool {
        (self.start..self.end).contains(&addr)
    }

    pub fn readable(&self) -> bool {
        self.perms.starts_with('r')
    }
}

/// A line that is not in the format `show_map_vma` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: String,
    pub problem: &'static str,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "bad maps line ({}): {:?}", self.problem, self.line)
    }
}

impl From<ParseError> for crate::error::Error {
    fn from(e: ParseError) -> Self {
        crate::error::Error::new(e)
    }
}

/// Parses one line of /proc/PID/maps.
pub fn parse_line(line: &str) -> Result<Mapping, ParseError> {
    let error = |problem| ParseError {
        line: line.to_owned(),
        problem,
    };
    let mut rest = line;
    let mut field = |what| {
        let s = rest.trim_start_matches(' ');
        let end = s.find(' ').unwrap_or(s.len());
        rest = &s[end..];
        Some(&s[..end])
            .filter(|f| !f.is_empty())
            .ok_or_else(|| error(what))
    };
    let range = field("no address range")?;
    let perms = field("no permissions")?;
    let offset = field("no offset")?;
    let dev = field("no device")?;
    let inode = field("no inode")?;
    // The name is padded to a column with spaces and may itself contain spaces.
    let name = rest.trim_start_matches(' ');

    let (start, end) = range
        .split_once('-')
        .and_then(|(s, e)| Some((hex(s)?, hex(e)?)))
        .ok_or_else(|| error("bad address range"))?;
    if start >= end {
        return Err(error("empty address range"));
    }
    if perms.len() != 4 {
        return Err(error("bad permissions"));
    }
    let offset = hex(offset).ok_or_else(|| error("bad offset"))?;
    let dev = dev
        .split_once(':')
        .and_then(|(major, minor)| {
            let number = |s| u32::from_str_radix(s, 16).ok();
            Some((number(major)?, number(minor)?))
        })
        .ok_or_else(|| error("bad device"))?;
    let inode = inode.parse::<u64>().map_err(|_| error("bad inode"))?;

    Ok(Mapping {
        start,
        end,
        perms: perms.to_owned(),
        offset,
        dev,
        inode,
        name: name.to_owned(),
    })
}

/// Parses a whole /proc/PID/maps file.
pub fn parse(text: &str) -> Result<Vec<Mapping>, ParseError> {
    text.lines().map(parse_line).collect()
}

fn hex(s: &str) -> Option<u64> {
    u64::from_str_radix(s, 16).ok()
}

/// A special mapping: what it is, and what its absence means.
#[derive(Debug)]
pub struct Special {
    pub name: &'static str,
    pub explanation: &'static str,
    /// What it means that the mapping is missing; `None` for mappings of other
    /// architectures, which are explained when present but not missed on x86.
    pub when_absent: Option<&'static str>,
}

/// The special mappings a process can have, on the architecture execprobe runs on.
#[cfg(target_arch = "x86_64")]
pub const SPECIALS: &[Special] = X86_64_SPECIALS;
#[cfg(target_arch = "aarch64")]
pub const SPECIALS: &[Special] = ARM64_SPECIALS;

/// The brk area, alike on both arches.
const HEAP: Special = Special {
    name: "[heap]",
    explanation: "the brk area: load_elf_binary puts start_brk after the last PT_LOAD, or \
                  at ELF_ET_DYN_BASE for a static PIE (ET_DYN without PT_INTERP), one \
                  page further and randomised by arch_randomize_brk with ASLR; grows \
                  with brk(2)",
    when_absent: Some(
        "brk == start_brk: nothing has been allocated with brk(2) yet, normal \
                  right after exec",
    ),
};

/// The uprobes page, alike on both arches.
const UPROBES: Special = Special {
    name: "[uprobes]",
    explanation: "the uprobes execute-out-of-line page, added on the first uprobe hit by \
                  xol_add_vma (kernel/events/uprobes.c)",
    when_absent: Some("no uprobe has been hit in this process (normal)"),
};

/// The stack, alike on both arches.
const STACK: Special = Special {
    name: "[stack]",
    explanation: "the process stack: created by __bprm_mm_init (fs/exec.c) before any \
                  binfmt runs, moved and expanded by setup_arg_pages; holds argv, envp, \
                  auxv",
    when_absent: Some(
        "no VMA contains mm->start_stack: the binfmt did not set it to the \
                  initial stack pointer (load_elf_binary sets it from bprm->p after \
                  create_elf_tables)",
    ),
};

/// The special mappings a process can have: x86-64's in the order they usually
/// appear (ascending addresses), then 32-bit ARM's.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub const X86_64_SPECIALS: &[Special] = &[
    HEAP,
    Special {
        name: "[vvar]",
        explanation: "data pages of the vDSO (clock data), read-only, just below [vdso]; \
                      installed together with it by map_vdso (arch/x86/entry/vdso/vma.c)",
        when_absent: Some("no vDSO: see [vdso]"),
    },
    Special {
        name: "[vvar_vclock]",
        explanation: "the vDSO's pvclock/hvclock pages, split out of [vvar] by kernels after \
                      6.12; between [vvar] and [vdso]",
        when_absent: Some("normal on 6.12 and older, where these pages are part of [vvar]"),
    },
    Special {
        name: "[vdso]",
        explanation: "the vDSO ELF image mapped by arch_setup_additional_pages -> map_vdso \
                      (arch/x86/entry/vdso/vma.c); AT_SYSINFO_EHDR points here",
        when_absent: Some(
            "vdso=0 on the kernel command line, or the binfmt never called \
                      arch_setup_additional_pages (load_elf_binary does, after \
                      setup_arg_pages)",
        ),
    },
    UPROBES,
    STACK,
    Special {
        name: "[vsyscall]",
        explanation: "legacy fixed gate page at 0xffffffffff600000; not a VMA of the process \
                      but the kernel's gate area (arch/x86/entry/vsyscall/vsyscall_64.c)",
        when_absent: Some(
            "vsyscall=none on the kernel command line, CONFIG_X86_VSYSCALL_EMULATION=n, \
                      or a 32-bit process: get_gate_vma() gives the page only to an mm \
                      that set_personality_64bit() marked MM_CONTEXT_HAS_VSYSCALL",
        ),
    },
    Special {
        name: "[sigpage]",
        explanation: "32-bit ARM: the signal return trampoline page, at a random address, \
                      installed by arch_setup_additional_pages (arch/arm/kernel/process.c)",
        when_absent: None,
    },
    Special {
        name: "[vectors]",
        explanation: "32-bit ARM: the exception vectors and kuser helpers page at 0xffff0000, \
                      the gate VMA of arch/arm/kernel/process.c",
        when_absent: None,
    },
];

/// The special mappings of an arm64 kernel's processes, in the order they usually
/// appear: an AArch64 process's ([heap], [vvar], [vdso], [stack]), then what only
/// an AArch32 (compat) one gets from `aarch32_setup_additional_pages`
/// (arch/arm64/kernel/vdso.c): [sigpage] and, at the very top, [vectors].
#[cfg_attr(not(target_arch = "aarch64"), allow(dead_code))]
pub const ARM64_SPECIALS: &[Special] = &[
    HEAP,
    Special {
        name: "[vvar]",
        explanation: "data pages of the vDSO (clock data, VVAR_NR_PAGES of them), read-only, \
                      just below [vdso]; installed together with it by \
                      __setup_additional_pages (arch/arm64/kernel/vdso.c)",
        when_absent: Some("no vDSO: see [vdso]"),
    },
    Special {
        name: "[vdso]",
        explanation: "the vDSO ELF image mapped by arch_setup_additional_pages -> \
                      __setup_additional_pages (arch/arm64/kernel/vdso.c); \
                      AT_SYSINFO_EHDR points here. An AArch64 process's exports \
                      __kernel_clock_gettime, __kernel_gettimeofday, \
                      __kernel_clock_getres, __kernel_rt_sigreturn (version \
                      LINUX_2.6.39); an AArch32 one's, with COMPAT_VDSO \
                      (arch/arm64/kernel/vdso32), __vdso_clock_gettime, \
                      __vdso_clock_gettime64, __vdso_gettimeofday, __vdso_clock_getres \
                      (LINUX_2.6), and its signals return through [sigpage]",
        when_absent: Some(
            "an AArch32 process on a kernel without CONFIG_COMPAT_VDSO, or the binfmt \
                      never called arch_setup_additional_pages (load_elf_binary does, \
                      after setup_arg_pages)",
        ),
    },
    UPROBES,
    STACK,
    Special {
        name: "[vsyscall]",
        explanation: "x86-64's legacy gate page: no arm64 kernel maps one",
        when_absent: Some(
            "normal on arm64: there is no vsyscall page (no gate area), the vDSO \
                      is the only way in",
        ),
    },
    Special {
        name: "[sigpage]",
        explanation: "AArch32: the sigreturn trampolines (sigreturn and rt_sigreturn, ARM \
                      and Thumb, __aarch32_sigret_code of arch/arm64/kernel/sigreturn32.S) \
                      in one page at an address get_unmapped_area picked, installed by \
                      aarch32_setup_additional_pages -> aarch32_sigreturn_setup \
                      (arch/arm64/kernel/vdso.c) as mm->context.sigpage; a compat signal \
                      handler without SA_RESTORER returns into it (compat_setup_return, \
                      arch/arm64/kernel/signal32.c)",
        when_absent: Some(
            "an AArch64 process (normal): only AArch32 ones get it, from \
                      aarch32_setup_additional_pages",
        ),
    },
    Special {
        name: "[vectors]",
        explanation: "AArch32: the kuser helpers page at 0xffff0000-0xffff1000 \
                      (AARCH32_VECTORS_BASE): kuser_helper_version at 0xffff0ffc, \
                      kuser_get_tls 0xffff0fe0, kuser_cmpxchg 0xffff0fc0, \
                      kuser_memory_barrier 0xffff0fa0, kuser_cmpxchg64 0xffff0f60 \
                      (arch/arm64/kernel/kuser32.S); mapped by \
                      aarch32_setup_additional_pages -> aarch32_kuser_helpers_setup \
                      (arch/arm64/kernel/vdso.c) with CONFIG_KUSER_HELPERS, a special \
                      mapping of the process, not a gate VMA as on 32-bit ARM",
        when_absent: Some(
            "an AArch64 process (normal), or an AArch32 one on a kernel without \
                      CONFIG_KUSER_HELPERS",
        ),
    },
];

/// The table entry for a special mapping's name.
pub fn special(name: &str) -> Option<&'static Special> {
    SPECIALS.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines from /proc/self/maps of `cat` on an x86-64 6.18 host.
    const REAL: &str = "\
562039fb5000-562039fb7000 r--p 00000000 fe:01 1310742                    /usr/bin/cat
562039fce000-562039fef000 rw-p 00000000 00:00 0                          [heap]
7fbff6200000-7fbff6228000 r--p 00000000 fe:01 1314405                    /usr/lib/x86_64-linux-gnu/libc.so.6
7fbff642a000-7fbff642d000 rw-p 00000000 00:00 0 
7fbff642d000-7fbff6431000 r--p 00000000 00:00 0                          [vvar]
7fbff6431000-7fbff6433000 r--p 00000000 00:00 0                          [vvar_vclock]
7fbff6433000-7fbff6435000 r-xp 00000000 00:00 0                          [vdso]
7fff0eeb8000-7fff0eed9000 rw-p 00000000 00:00 0                          [stack]
ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]
";

    #[test]
    fn parses_real_lines() {
        let maps = parse(REAL).expect("valid maps");
        assert_eq!(maps.len(), 9);
        assert_eq!(
            maps[1],
            Mapping {
                start: 0x5620_39fc_e000,
                end: 0x5620_39fe_f000,
                perms: "rw-p".into(),
                offset: 0,
                dev: (0, 0),
                inode: 0,
                name: "[heap]".into(),
            }
        );
        assert!(maps[1].is_anonymous() && !maps[1].is_file());
        assert_eq!(maps[0].name, "/usr/bin/cat");
        assert_eq!((maps[0].dev, maps[0].inode), ((0xfe, 1), 1_310_742));
        assert!(maps[0].is_file() && !maps[0].is_anonymous());
        assert!(maps[3].is_anonymous());
        assert!(!maps[6].is_anonymous(), "[vdso] is special, not anonymous");
        // An anonymous mapping: the kernel pads to the name column, then stops.
        assert_eq!(maps[3].name, "");
        assert_eq!(maps[7].size(), 0x21000);
        assert!(maps[7].contains(0x7fff_0eed_8ff8));
        assert!(!maps[7].contains(0x7fff_0eed_9000));
        assert_eq!(maps[8].start, 0xffff_ffff_ff60_0000);
        assert!(!maps[8].readable(), "vsyscall=xonly gate page");
        assert!(maps[6].readable());
    }

    #[test]
    fn keeps_spaces_in_names() {
        let line = "7f0000000000-7f0000001000 r--p 0001d000 103:0a 42   /tmp/a b (deleted)";
        let m = parse_line(line).expect("valid line");
        assert_eq!(m.name, "/tmp/a b (deleted)");
        assert_eq!((m.offset, m.dev, m.inode), (0x1d000, (0x103, 0xa), 42));
    }

    #[test]
    fn rejects_malformed_lines() {
        let problem = |l| parse_line(l).map_err(|e| e.problem);
        assert_eq!(problem(""), Err("no address range"));
        assert_eq!(problem("1000-2000 rw-p 0 00:00"), Err("no inode"));
        assert_eq!(problem("1000 rw-p 0 00:00 0"), Err("bad address range"));
        assert_eq!(
            problem("2000-1000 rw-p 0 00:00 0"),
            Err("empty address range")
        );
        assert_eq!(problem("1000-2000 rw 0 00:00 0"), Err("bad permissions"));
        assert_eq!(problem("1000-2000 rw-p 0 0000 0"), Err("bad device"));
        assert_eq!(problem("1000-2000 rw-p 0 00:00 x"), Err("bad inode"));
        assert!(parse("1000-2000 rw-p 0 00:00 0\nnonsense\n").is_err());
    }

    #[test]
    fn every_special_name_is_bracketed_and_unique() {
        for table in [X86_64_SPECIALS, ARM64_SPECIALS] {
            for (i, s) in table.iter().enumerate() {
                assert!(
                    s.name.starts_with('[') && s.name.ends_with(']'),
                    "{}",
                    s.name
                );
                assert!(table[i + 1..].iter().all(|t| t.name != s.name));
            }
        }
        assert!(special("[vdso]").is_some());
        #[cfg(target_arch = "x86_64")]
        assert!(special("[sigpage]").is_some_and(|s| s.when_absent.is_none()));
        assert!(special("[anon:foo]").is_none());
        assert!(special("/usr/bin/cat").is_none());
    }

    /// arm64's table explains an AArch32 process's pages by their addresses and
    /// the function that maps them, and is the same list of names as x86-64's.
    #[test]
    fn arm64_explains_the_aarch32_pages() {
        let arm64 = |name| {
            ARM64_SPECIALS
                .iter()
                .find(|s| s.name == name)
                .unwrap_or_else(|| panic!("no {name}"))
        };
        let vectors = arm64("[vectors]").explanation;
        for needle in [
            "0xffff0000-0xffff1000",
            "kuser_helper_version at 0xffff0ffc",
            "kuser_get_tls 0xffff0fe0",
            "kuser_cmpxchg 0xffff0fc0",
            "kuser_memory_barrier 0xffff0fa0",
            "kuser_cmpxchg64 0xffff0f60",
            "aarch32_setup_additional_pages",
        ] {
            assert!(vectors.contains(needle), "{needle}: {vectors}");
        }
        let sigpage = arm64("[sigpage]").explanation;
        assert!(sigpage.contains("sigreturn") && sigpage.contains("aarch32_sigreturn_setup"));
        assert!(arm64("[vdso]").explanation.contains("LINUX_2.6.39"));
        let names = |t: &[Special]| {
            let mut n: Vec<&str> = t.iter().map(|s| s.name).collect();
            n.sort_unstable();
            n
        };
        let mut x86 = names(X86_64_SPECIALS);
        x86.retain(|&n| n != "[vvar_vclock]");
        assert_eq!(names(ARM64_SPECIALS), x86);
    }
}
