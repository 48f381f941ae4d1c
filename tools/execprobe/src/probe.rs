//! Gathering: reads /proc/self and the initial stack, and builds the report with its
//! checks.

use crate::check::checks::{compare_auxv, compare_getauxval, stack_checks};
use crate::error::{Context, Error};
use crate::gather::ffi;
use crate::gather::initial_stack::{hex_bytes, lossy, InitialStack};
use crate::gather::procfs::{read, read_text};
use crate::gather::procmaps;
use crate::gather::regions::regions;
use crate::gather::vdso_probe;
use crate::parse::auxv::{self, Entry, Kind};
use crate::parse::layout::Slot;
use crate::parse::mm;
use crate::parse::snapshot::Snapshot;
use crate::report::{
    Aux, AuxvSection, GetAuxval, Ptr, Report, Sections, StackSection, Vma, SCHEMA,
};

/// Gathers the requested sections; `pid` selects the process whose maps are shown
/// (the other sections are always about execprobe's own process).
pub fn run(sections: Sections, pid: Option<u32>) -> Result<Report, Error> {
    let stack = if sections.auxv || sections.stack {
        Some(InitialStack::read()?)
    } else {
        None
    };
    let auxv = match (&stack, sections.auxv) {
        (Some(stack), true) => Some(auxv_section(stack)?),
        _ => None,
    };
    let stack = match (&stack, sections.stack) {
        (Some(stack), true) => Some(stack_section(stack)?),
        _ => None,
    };
    let maps = if sections.maps {
        Some(procmaps::gather(pid)?)
    } else {
        None
    };
    let vdso = if sections.vdso {
        Some(vdso_probe::run()?)
    } else {
        None
    };
    let vdso32 = if sections.vdso32 {
        Some(vdso32()?)
    } else {
        None
    };
    Ok(Report {
        schema: SCHEMA,
        auxv,
        maps,
        stack,
        vdso,
        vdso32,
    })
}

/// The 32-bit vDSO, through the i386 child.
#[cfg(target_arch = "x86_64")]
fn vdso32() -> Result<crate::report::VdsoSection, Error> {
    crate::gather::vdso32_probe::run()
}

/// arm64 has no i386 processes, and its AArch32 ones get a vDSO of their own
/// (COMPAT_VDSO) that this probe has no child to call.
#[cfg(target_arch = "aarch64")]
fn vdso32() -> Result<crate::report::VdsoSection, Error> {
    Err(Error::new(
        "vdso32 calls the 32-bit vDSO of an x86-64 kernel through an i386 child: \
         not on arm64 (maps PID shows an AArch32 process's [vdso], [vectors] and \
         [sigpage])"
            .to_owned(),
    ))
}

/// The auxv section: the vector on the stack, decoded, /proc/self/auxv, and what
/// glibc's getauxval(3) says.
pub fn auxv_section(stack: &InitialStack) -> Result<AuxvSection, Error> {
    let path = "/proc/self/auxv";
    let proc = auxv::parse(&read(path)?).with_context(|| path)?;
    let on_stack = &stack.layout.auxv;
    let decode_all = |entries: &[Entry]| {
        entries
            .iter()
            .map(|&e| decode(e, &stack.snapshot))
            .collect()
    };
    let getauxval: Vec<GetAuxval> = on_stack
        .iter()
        .filter(|e| e.tag != auxv::AT_NULL)
        .map(|e| GetAuxval {
            tag: e.tag,
            name: auxv::name(e.tag),
            value: ffi::glibc_getauxval(e.tag),
        })
        .collect();
    Ok(AuxvSection {
        stack: decode_all(on_stack),
        proc: decode_all(&proc),
        checks: vec![
            compare_auxv(on_stack, &proc),
            compare_getauxval(on_stack, &getauxval),
        ],
        getauxval,
    })
}

/// An auxv entry with the data its pointer values point to, or its bits by name.
pub fn decode(e: Entry, stack: &Snapshot) -> Aux {
    let (string, random) = match auxv::kind(e.tag) {
        Kind::CString => (stack.c_str_at(e.value).map(lossy), None),
        Kind::RandomBytes => (
            None,
            stack.bytes_at(e.value, auxv::RANDOM_LEN).map(hex_bytes),
        ),
        Kind::Address | Kind::Mask | Kind::Decimal => (None, None),
    };
    Aux {
        tag: e.tag,
        name: auxv::name(e.tag),
        value: e.value,
        string,
        random,
        flags: auxv::flags(e.tag, e.value),
    }
}

/// The stack section: the layout, the regions and the checks against the kernel's
/// record in /proc/self/stat.
fn stack_section(stack: &InitialStack) -> Result<StackSection, Error> {
    let path = "/proc/self/stat";
    let record = mm::parse_stat(&read_text(path)?).with_context(|| path)?;
    let layout = &stack.layout;
    let ptrs = |slots: &[Slot]| {
        slots
            .iter()
            .map(|s| Ptr {
                slot: s.addr,
                value: s.value,
                string: stack
                    .snapshot
                    .c_str_at(s.value)
                    .map(lossy)
                    .unwrap_or_default(),
            })
            .collect()
    };
    Ok(StackSection {
        vma: Vma {
            start: stack.vma.start,
            end: stack.vma.end,
            name: stack.vma.name.clone(),
        },
        initial_sp: stack.snapshot.base,
        argc: layout.argc,
        argv: ptrs(&layout.argv),
        envp: ptrs(&layout.envp),
        addresses: layout.at,
        regions: regions(stack),
        kernel_record: record,
        checks: stack_checks(stack, &record, std::env::args_os().count()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gather::initial_stack::for_this_process;

    // These tests look at this very test process, which glibc started like any
    // other program, and check the probe against independent sources: std's args,
    // /proc/self/exe and its ELF header.

    fn stack_string(stack: &InitialStack, tag: u64) -> String {
        let addr = auxv::value(&stack.layout.auxv, tag).expect("tag present");
        lossy(stack.snapshot.c_str_at(addr).expect("string on the stack"))
    }

    #[test]
    fn auxv_on_the_stack_equals_proc_self_auxv() {
        let stack = for_this_process();
        let raw = std::fs::read("/proc/self/auxv").expect("/proc/self/auxv");
        let proc = auxv::parse(&raw).expect("valid auxv");
        assert!(proc.len() > 10, "{proc:?}");
        assert_eq!(stack.layout.auxv, proc);
        let section = auxv_section(&stack).expect("auxv section");
        assert_eq!(section.stack, section.proc);
        assert_eq!(section.getauxval.len(), proc.len() - 1, "all but AT_NULL");
        assert!(section.checks.iter().all(|c| c.ok), "{:?}", section.checks);
    }

    #[test]
    fn auxv_matches_the_executable_and_the_architecture() {
        let stack = for_this_process();
        let value = |tag| auxv::value(&stack.layout.auxv, tag);
        // ELF_EXEC_PAGESIZE and sizeof(Elf64_Phdr).
        assert_eq!(value(auxv::AT_PAGESZ), Some(4096));
        assert_eq!(value(auxv::AT_PHENT), Some(56));
        // AT_PHNUM is e_phnum of the executable itself (offset 0x38 of Elf64_Ehdr).
        let mut ehdr = [0u8; 64];
        std::io::Read::read_exact(
            &mut std::fs::File::open("/proc/self/exe").expect("/proc/self/exe"),
            &mut ehdr,
        )
        .expect("an ELF header");
        assert_eq!(&ehdr[..4], b"\x7fELF");
        let e_phnum = u16::from_le_bytes([ehdr[0x38], ehdr[0x39]]);
        assert_eq!(value(5), Some(u64::from(e_phnum)), "AT_PHNUM");
        // ELF_PLATFORM: "x86_64" (arch/x86/include/asm/elf.h), "aarch64" on arm64.
        let platform = if cfg!(target_arch = "x86_64") {
            "x86_64"
        } else {
            "aarch64"
        };
        assert_eq!(stack_string(&stack, auxv::AT_PLATFORM), platform);
        let random = value(auxv::AT_RANDOM).expect("AT_RANDOM");
        assert!(stack.snapshot.bytes_at(random, 16).is_some());
    }

    #[test]
    fn execfn_is_the_path_this_test_was_executed_as() {
        let stack = for_this_process();
        let execfn = stack_string(&stack, auxv::AT_EXECFN);
        let exe = std::fs::read_link("/proc/self/exe").expect("/proc/self/exe");
        let resolved = std::fs::canonicalize(&execfn).expect("AT_EXECFN names a file");
        assert_eq!(resolved, exe, "AT_EXECFN {execfn:?}");
        // Whoever ran us with a path (cargo does) passed it both to execve and as
        // argv[0]; a bare name would have been looked up in PATH first.
        let argv0 = std::env::args().next().expect("argv[0]");
        if argv0.contains('/') {
            assert_eq!(execfn, argv0);
        }
    }

    #[test]
    fn argc_sits_just_below_argv_and_argv_is_std_args() {
        let stack = for_this_process();
        let sp = stack.captured.initial_sp();
        assert_eq!(sp + 8, stack.captured.argv);
        assert_eq!(stack.snapshot.base, sp);
        let args: Vec<String> = std::env::args().collect();
        assert_eq!(stack.snapshot.word_at(sp), Some(args.len() as u64));
        let on_stack: Vec<String> = stack
            .layout
            .argv
            .iter()
            .map(|s| lossy(stack.snapshot.c_str_at(s.value).expect("argv string")))
            .collect();
        assert_eq!(on_stack, args);
    }

    #[test]
    fn the_stack_mapping_holds_argv_and_the_strings() {
        let stack = for_this_process();
        assert_eq!(stack.vma.name, "[stack]");
        assert_eq!(stack.snapshot.end(), stack.vma.end);
        for slot in stack.layout.argv.iter().chain(&stack.layout.envp) {
            assert!(stack.vma.contains(slot.addr), "{slot:?}");
            assert!(stack.vma.contains(slot.value), "{slot:?}");
        }
        let section = procmaps::gather(None).expect("maps section");
        assert!(section.special.iter().any(|m| m.name == "[stack]"));
        assert!(section.absent.iter().all(|a| a.name != "[stack]"));
    }
}
