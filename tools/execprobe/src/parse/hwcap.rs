//! AT_HWCAP and AT_HWCAP2 bits by name.
//!
//! On x86 the kernel puts CPUID leaf 1 EDX in AT_HWCAP: `ELF_HWCAP` is
//! `boot_cpu_data.x86_capability[CPUID_1_EDX]` (arch/x86/include/asm/elf.h), i.e.
//! word 0 of arch/x86/include/asm/cpufeatures.h, whose bit numbers and
//! /proc/cpuinfo names this table copies. AT_HWCAP2 is `elf_hwcap2`, whose bits
//! arch/x86/include/uapi/asm/hwcap2.h defines: the kernel sets them itself
//! (ring3mwait in arch/x86/kernel/cpu/intel.c, fsgsbase in
//! arch/x86/kernel/cpu/common.c once it enabled CR4.FSGSBASE).

/// Names of AT_HWCAP bits 0..31: cpufeatures.h word 0 (`X86_FEATURE_FPU` ..
/// `X86_FEATURE_PBE`). Bits 10 and 20 are reserved in CPUID.1:EDX.
pub const HWCAP: [Option<&str>; 32] = [
    Some("fpu"),
    Some("vme"),
    Some("de"),
    Some("pse"),
    Some("tsc"),
    Some("msr"),
    Some("pae"),
    Some("mce"),
    Some("cx8"),
    Some("apic"),
    None,
    Some("sep"),
    Some("mtrr"),
    Some("pge"),
    Some("mca"),
    Some("cmov"),
    Some("pat"),
    Some("pse36"),
    Some("pn"),
    Some("clflush"),
    None,
    // X86_FEATURE_DS: cpuinfo calls it "dts".
    Some("dts"),
    Some("acpi"),
    Some("mmx"),
    Some("fxsr"),
    // X86_FEATURE_XMM and XMM2.
    Some("sse"),
    Some("sse2"),
    // X86_FEATURE_SELFSNOOP.
    Some("ss"),
    Some("ht"),
    // X86_FEATURE_ACC.
    Some("tm"),
    Some("ia64"),
    Some("pbe"),
];

/// Names of the AT_HWCAP2 bits that hwcap2.h defines: `HWCAP2_RING3MWAIT` (bit 0)
/// and `HWCAP2_FSGSBASE` (bit 1).
pub const HWCAP2: [Option<&str>; 2] = [Some("ring3mwait"), Some("fsgsbase")];

/// The names of the bits set in `value`, lowest bit first; a set bit the table does
/// not name shows as `bitN`, as LD_SHOW_AUXV shows unknown tags by number.
pub fn decode(value: u64, names: &[Option<&str>]) -> Vec<String> {
    (0..64)
        .filter(|bit| value & (1 << bit) != 0)
        .map(|bit| match names.get(bit).copied().flatten() {
            Some(name) => name.to_owned(),
            None => format!("bit{bit}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bit(names: &[Option<&str>], name: &str) -> usize {
        names
            .iter()
            .position(|&n| n == Some(name))
            .unwrap_or_else(|| panic!("no {name}"))
    }

    /// Bit positions from cpufeatures.h word 0, e.g.
    /// `#define X86_FEATURE_CLFLUSH ( 0*32+19)`.
    #[test]
    fn hwcap_bits_are_cpufeatures_word_0() {
        let expected = [
            ("fpu", 0),
            ("tsc", 4),
            ("cx8", 8),
            ("apic", 9),
            ("sep", 11),
            ("cmov", 15),
            ("pse36", 17),
            ("clflush", 19),
            ("dts", 21),
            ("mmx", 23),
            ("fxsr", 24),
            ("sse", 25),
            ("sse2", 26),
            ("ss", 27),
            ("ht", 28),
            ("tm", 29),
            ("ia64", 30),
            ("pbe", 31),
        ];
        for (name, position) in expected {
            assert_eq!(bit(&HWCAP, name), position, "{name}");
        }
        assert_eq!(HWCAP[10], None);
        assert_eq!(HWCAP[20], None);
        assert_eq!(HWCAP.iter().flatten().count(), 30);
        assert_eq!(bit(&HWCAP2, "ring3mwait"), 0);
        assert_eq!(bit(&HWCAP2, "fsgsbase"), 1);
    }

    /// AT_HWCAP 0x178bfbff of an AMD EPYC guest, as LD_SHOW_AUXV printed it.
    #[test]
    fn decodes_a_real_value() {
        let flags = decode(0x178b_fbff, &HWCAP);
        assert_eq!(
            flags.join(" "),
            "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 \
             clflush mmx fxsr sse sse2 ht"
        );
        assert_eq!(decode(0x2, &HWCAP2), ["fsgsbase"]);
        assert_eq!(decode(0, &HWCAP), Vec::<String>::new());
    }

    #[test]
    fn unknown_bits_show_as_numbers() {
        assert_eq!(
            decode(1 << 10 | 1 << 20 | 1, &HWCAP),
            ["fpu", "bit10", "bit20"]
        );
        assert_eq!(decode(1 << 63 | 1 << 2, &HWCAP2), ["bit2", "bit63"]);
    }
}
