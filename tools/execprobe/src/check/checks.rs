//! Consistency checks: each one compares two independent views of what exec did, so
//! that a loader that lays out the process differently from Linux's ELF loader is
//! caught, and says where.

use crate::gather::initial_stack::InitialStack;
use crate::parse::auxv::{self, Entry};
use crate::parse::layout::{Layout, Strings};
use crate::parse::mm::StackRecord;
use crate::parse::snapshot::Snapshot;
use crate::report::{Check, GetAuxval};

/// The AT_HWCAP bits glibc itself defines for x86 (sysdeps/x86/dl-hwcap.h:
/// HWCAP_X86_SSE2, HWCAP_X86_64, HWCAP_X86_AVX512_1).
const GLIBC_X86_HWCAP: u64 = 0b111;

/// Whether `value` may be glibc's own AT_HWCAP rather than the kernel's: on x86
/// only, where it is made of HWCAP_X86_* bits. glibc's AArch64 port keeps the
/// kernel's value (`_dl_aux_init` stores it, nothing rewrites it).
fn glibcs_own_hwcap(value: u64) -> bool {
    cfg!(target_arch = "x86_64") && value & !GLIBC_X86_HWCAP == 0
}

/// The alignment rule of the initial stack pointer, as the check says it.
#[cfg(target_arch = "x86_64")]
const SP_RULE: &str = "the x86-64 psABI wants it 16-byte aligned (STACK_ROUND)";
#[cfg(target_arch = "aarch64")]
const SP_RULE: &str = "AAPCS64 wants sp 16-byte aligned (STACK_ROUND)";

/// Both copies come from `mm->saved_auxv` (`create_elf_tables` fills it, then copies
/// it to the stack), so any difference means the stack was not laid out by it.
pub fn compare_auxv(on_stack: &[Entry], proc: &[Entry]) -> Check {
    let detail = match on_stack.iter().zip(proc).position(|(a, b)| a != b) {
        None if on_stack.len() == proc.len() => {
            format!("{} entries up to and including AT_NULL", on_stack.len())
        }
        None => format!(
            "{} entries on the stack, {} in /proc/self/auxv",
            on_stack.len(),
            proc.len()
        ),
        Some(i) => {
            let show = |e: &Entry| format!("{} = {:#x}", auxv::name_or_number(e.tag), e.value);
            format!(
                "entry {i} differs: {} on the stack, {} in /proc/self/auxv",
                show(&on_stack[i]),
                show(&proc[i])
            )
        }
    };
    Check {
        name: "auxv_stack_equals_proc",
        ok: on_stack == proc,
        detail,
    }
}

/// glibc's getauxval(3) answers from its copy of the auxv pointer (`_dl_auxv`,
/// set from the stack by `_dl_aux_init` or the dynamic linker), so it must agree
/// with the stack, with one documented exception: for AT_HWCAP it returns
/// `GLRO(dl_hwcap)`, which glibc's x86 `init_cpu_features`
/// (sysdeps/x86/cpu-features.c) overwrites with its own HWCAP_X86_* bits.
pub fn compare_getauxval(on_stack: &[Entry], got: &[GetAuxval]) -> Check {
    let mut problems = Vec::new();
    let mut glibc_hwcap = None;
    for g in got {
        let expected = auxv::value(on_stack, g.tag).unwrap_or(0);
        if g.value == expected {
            continue;
        }
        if g.tag == auxv::AT_HWCAP && glibcs_own_hwcap(g.value) {
            glibc_hwcap = Some(g.value);
            continue;
        }
        problems.push(format!(
            "{} = {:#x} on the stack, getauxval says {:#x}",
            auxv::name_or_number(g.tag),
            expected,
            g.value
        ));
    }
    let missing = on_stack
        .iter()
        .filter(|e| e.tag != auxv::AT_NULL && !got.iter().any(|g| g.tag == e.tag))
        .count();
    if missing > 0 {
        problems.push(format!("{missing} tags on the stack were not asked"));
    }
    let detail = if problems.is_empty() {
        let mut d = format!("{} tags agree", got.len());
        if let Some(v) = glibc_hwcap {
            d += &format!(
                " (AT_HWCAP: glibc answers its own GLRO(dl_hwcap) {v:#x}, \
                 HWCAP_X86_* of sysdeps/x86/dl-hwcap.h)"
            );
        }
        d
    } else {
        problems.join("; ")
    };
    Check {
        name: "auxv_getauxval",
        ok: problems.is_empty(),
        detail,
    }
}

/// Checks the stack against what the C runtime, std and the kernel's own record say.
pub fn stack_checks(stack: &InitialStack, record: &StackRecord, std_args: usize) -> Vec<Check> {
    let l = &stack.layout;
    let sp = stack.snapshot.base;
    let mut checks = Vec::new();
    let mut check = |name, ok, detail| checks.push(Check { name, ok, detail });

    check(
        "argc",
        l.argc == stack.captured.argc as u64 && l.argc == std_args as u64,
        format!(
            "argc {} on the stack, {} passed to .init_array, {} in std::env::args",
            l.argc, stack.captured.argc, std_args
        ),
    );
    check(
        "sp_aligned",
        sp.is_multiple_of(16),
        format!("initial sp {sp:#x}; {SP_RULE}"),
    );
    check(
        "start_stack",
        record.start_stack == sp,
        format!(
            "mm->start_stack {:#x}, initial sp {sp:#x}",
            record.start_stack
        ),
    );
    let order = l.at.first_out_of_order();
    check(
        "layout_order",
        order.is_none(),
        match order {
            None => format!(
                "{} landmarks, argc to top, in create_elf_tables' order",
                l.at.in_layout_order().len()
            ),
            Some(((a, at_a), (b, at_b))) => {
                format!("{a} at {at_a:#x} is not below {b} at {at_b:#x}")
            }
        },
    );
    let contiguous = [l.argv_strings, l.env_strings]
        .iter()
        .flatten()
        .all(|s| s.contiguous);
    check(
        "strings_contiguous",
        contiguous,
        "each argv and env string starts right after the previous one's NUL".into(),
    );
    let range = |s: Option<Strings>| s.map(|s| (s.start, s.end));
    // argc is 0 only on kernels before 5.18 (since then exec inserts an empty
    // argv[0]); there are then no argv strings and arg_start == arg_end.
    let args = range(l.argv_strings).unwrap_or((record.arg_start, record.arg_start));
    check(
        "arg_range",
        (record.arg_start, record.arg_end) == args,
        format!(
            "mm->arg_start..arg_end {:#x}..{:#x}, argv strings {:#x}..{:#x}",
            record.arg_start, record.arg_end, args.0, args.1
        ),
    );
    // With no environment, create_elf_tables leaves env_start == env_end == arg_end.
    let env = range(l.env_strings).unwrap_or((args.1, args.1));
    check(
        "env_range",
        (record.env_start, record.env_end) == env,
        format!(
            "mm->env_start..env_end {:#x}..{:#x}, env strings {:#x}..{:#x}",
            record.env_start, record.env_end, env.0, env.1
        ),
    );
    check(
        "auxv_pointers",
        auxv_pointers_ok(l, &stack.snapshot),
        "AT_EXECFN and AT_RANDOM are present, and they, AT_PLATFORM and \
         AT_BASE_PLATFORM point into the initial stack"
            .into(),
    );
    checks
}

fn auxv_pointers_ok(l: &Layout, s: &Snapshot) -> bool {
    let string_ok = |tag| auxv::value(&l.auxv, tag).map(|a| s.c_str_at(a).is_some());
    let random_ok =
        auxv::value(&l.auxv, auxv::AT_RANDOM).map(|a| s.bytes_at(a, auxv::RANDOM_LEN).is_some());
    string_ok(auxv::AT_EXECFN) == Some(true)
        && random_ok == Some(true)
        && string_ok(auxv::AT_PLATFORM) != Some(false)
        && string_ok(auxv::AT_BASE_PLATFORM) != Some(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gather::initial_stack::for_this_process;
    use crate::parse::mm;

    #[test]
    fn auxv_comparison_names_the_first_difference() {
        let a = [
            Entry {
                tag: auxv::AT_PAGESZ,
                value: 4096,
            },
            Entry {
                tag: auxv::AT_NULL,
                value: 0,
            },
        ];
        assert!(compare_auxv(&a, &a).ok);
        let mut b = a;
        b[0].value = 8192;
        let c = compare_auxv(&a, &b);
        assert!(!c.ok);
        assert_eq!(
            c.detail,
            "entry 0 differs: AT_PAGESZ = 0x1000 on the stack, AT_PAGESZ = 0x2000 in /proc/self/auxv"
        );
        assert!(!compare_auxv(&a[1..], &a).ok);
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn getauxval_comparison_allows_only_glibcs_own_hwcap() {
        let entry = |tag, value| Entry { tag, value };
        let stack = [
            entry(auxv::AT_HWCAP, 0x178b_fbff),
            entry(auxv::AT_PAGESZ, 4096),
            entry(auxv::AT_NULL, 0),
        ];
        let got = |hwcap, pagesz| {
            let g = |tag, value| GetAuxval {
                tag,
                name: auxv::name(tag),
                value,
            };
            vec![g(auxv::AT_HWCAP, hwcap), g(auxv::AT_PAGESZ, pagesz)]
        };
        let c = compare_getauxval(&stack, &got(0x178b_fbff, 4096));
        assert_eq!((c.ok, c.detail.as_str()), (true, "2 tags agree"));
        // HWCAP_X86_64, as glibc 2.36 answers on x86-64.
        let c = compare_getauxval(&stack, &got(0x2, 4096));
        assert!(
            c.ok && c.detail.contains("GLRO(dl_hwcap) 0x2"),
            "{}",
            c.detail
        );
        let c = compare_getauxval(&stack, &got(0x8, 4096));
        assert!(!c.ok, "bit 3 is no glibc bit");
        let c = compare_getauxval(&stack, &got(0x2, 8192));
        assert_eq!(
            c.detail,
            "AT_PAGESZ = 0x1000 on the stack, getauxval says 0x2000"
        );
        let c = compare_getauxval(&stack, &got(0x2, 4096)[..1]);
        assert!(!c.ok && c.detail.contains("1 tags on the stack were not asked"));
    }

    /// Against glibc of this very test process.
    #[test]
    fn getauxval_agrees_for_this_process() {
        let stack = for_this_process();
        let got: Vec<GetAuxval> = stack.layout.auxv[..stack.layout.auxv.len() - 1]
            .iter()
            .map(|e| GetAuxval {
                tag: e.tag,
                name: auxv::name(e.tag),
                value: crate::gather::ffi::glibc_getauxval(e.tag),
            })
            .collect();
        let c = compare_getauxval(&stack.layout.auxv, &got);
        assert!(c.ok, "{}", c.detail);
        let pagesz = got
            .iter()
            .find(|g| g.tag == auxv::AT_PAGESZ)
            .map(|g| g.value);
        assert_eq!(pagesz, Some(4096));
    }

    #[test]
    fn every_stack_check_holds_for_this_process() {
        let stack = for_this_process();
        let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
        let record = mm::parse_stat(&stat).expect("valid stat");
        assert_eq!(record.start_stack, stack.snapshot.base);
        let checks = stack_checks(&stack, &record, std::env::args_os().count());
        assert_eq!(checks.len(), 8);
        let failed: Vec<_> = checks.iter().filter(|c| !c.ok).collect();
        assert!(failed.is_empty(), "{failed:#?}");

        // The same stack fails the checks against a different record or argc count.
        let failing = |record: &StackRecord, argc: usize| -> Vec<&'static str> {
            let checks = stack_checks(&stack, record, argc);
            checks.iter().filter(|c| !c.ok).map(|c| c.name).collect()
        };
        let argc = std::env::args_os().count();
        assert_eq!(failing(&record, argc + 1), ["argc"]);
        let moved_env = StackRecord {
            env_end: record.env_end + 1,
            ..record
        };
        assert_eq!(failing(&moved_env, argc), ["env_range"]);
        let other_sp = StackRecord {
            start_stack: record.start_stack + 16,
            ..record
        };
        assert_eq!(failing(&other_sp, argc), ["start_stack"]);
    }
}
