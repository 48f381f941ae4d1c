//! AT_HWCAP and AT_HWCAP2 bits by name, of the architecture execprobe runs on.
//!
//! On x86 the kernel puts CPUID leaf 1 EDX in AT_HWCAP: `ELF_HWCAP` is
//! `boot_cpu_data.x86_capability[CPUID_1_EDX]` (arch/x86/include/asm/elf.h), i.e.
//! word 0 of arch/x86/include/asm/cpufeatures.h, whose bit numbers and
//! /proc/cpuinfo names this table copies. AT_HWCAP2 is `elf_hwcap2`, whose bits
//! arch/x86/include/uapi/asm/hwcap2.h defines: the kernel sets them itself
//! (ring3mwait in arch/x86/kernel/cpu/intel.c, fsgsbase in
//! arch/x86/kernel/cpu/common.c once it enabled CR4.FSGSBASE).
//!
//! On arm64 both are the kernel's own feature bits (`arm64::HWCAP`, `arm64::HWCAP2`
//! below, from arch/arm64/include/uapi/asm/hwcap.h).

/// x86-64's.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub mod x86_64 {
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
}

/// arm64's: AT_HWCAP is `elf_hwcap`'s low 32 bits and AT_HWCAP2 its next 64
/// (`ELF_HWCAP` and `ELF_HWCAP2`, arch/arm64/include/asm/hwcap.h), each bit a
/// HWCAP_* or HWCAP2_* of arch/arm64/include/uapi/asm/hwcap.h, named as
/// /proc/cpuinfo names them (`hwcap_str`, arch/arm64/kernel/cpuinfo.c).
#[cfg_attr(not(target_arch = "aarch64"), allow(dead_code))]
pub mod arm64 {
    /// HWCAP_FP (bit 0) .. HWCAP_PACG (bit 31).
    pub const HWCAP: [Option<&str>; 32] = [
        Some("fp"),
        Some("asimd"),
        Some("evtstrm"),
        Some("aes"),
        Some("pmull"),
        Some("sha1"),
        Some("sha2"),
        Some("crc32"),
        Some("atomics"),
        Some("fphp"),
        Some("asimdhp"),
        Some("cpuid"),
        Some("asimdrdm"),
        Some("jscvt"),
        Some("fcma"),
        Some("lrcpc"),
        Some("dcpop"),
        Some("sha3"),
        Some("sm3"),
        Some("sm4"),
        Some("asimddp"),
        Some("sha512"),
        Some("sve"),
        Some("asimdfhm"),
        Some("dit"),
        Some("uscat"),
        Some("ilrcpc"),
        Some("flagm"),
        Some("ssbs"),
        Some("sb"),
        Some("paca"),
        Some("pacg"),
    ];

    /// HWCAP2_DCPODP (bit 0) .. HWCAP2_POE (bit 63), all of them defined in 6.12.
    pub const HWCAP2: [Option<&str>; 64] = [
        Some("dcpodp"),
        Some("sve2"),
        Some("sveaes"),
        Some("svepmull"),
        Some("svebitperm"),
        Some("svesha3"),
        Some("svesm4"),
        Some("flagm2"),
        Some("frint"),
        Some("svei8mm"),
        Some("svef32mm"),
        Some("svef64mm"),
        Some("svebf16"),
        Some("i8mm"),
        Some("bf16"),
        Some("dgh"),
        Some("rng"),
        Some("bti"),
        Some("mte"),
        Some("ecv"),
        Some("afp"),
        Some("rpres"),
        Some("mte3"),
        Some("sme"),
        Some("smei16i64"),
        Some("smef64f64"),
        Some("smei8i32"),
        Some("smef16f32"),
        Some("smeb16f32"),
        Some("smef32f32"),
        Some("smefa64"),
        Some("wfxt"),
        Some("ebf16"),
        Some("sveebf16"),
        Some("cssc"),
        Some("rprfm"),
        Some("sve2p1"),
        Some("sme2"),
        Some("sme2p1"),
        Some("smei16i32"),
        Some("smebi32i32"),
        Some("smeb16b16"),
        Some("smef16f16"),
        Some("mops"),
        Some("hbc"),
        Some("sveb16b16"),
        Some("lrcpc3"),
        Some("lse128"),
        Some("fpmr"),
        Some("lut"),
        Some("faminmax"),
        Some("f8cvt"),
        Some("f8fma"),
        Some("f8dp4"),
        Some("f8dp2"),
        Some("f8e4m3"),
        Some("f8e5m2"),
        Some("smelutv2"),
        Some("smef8f16"),
        Some("smef8f32"),
        Some("smesf8fma"),
        Some("smesf8dp4"),
        Some("smesf8dp2"),
        Some("poe"),
    ];
}

#[cfg(target_arch = "aarch64")]
pub use arm64::{HWCAP, HWCAP2};
#[cfg(target_arch = "x86_64")]
pub use x86_64::{HWCAP, HWCAP2};

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
            assert_eq!(bit(&x86_64::HWCAP, name), position, "{name}");
        }
        assert_eq!(x86_64::HWCAP[10], None);
        assert_eq!(x86_64::HWCAP[20], None);
        assert_eq!(x86_64::HWCAP.iter().flatten().count(), 30);
        assert_eq!(bit(&x86_64::HWCAP2, "ring3mwait"), 0);
        assert_eq!(bit(&x86_64::HWCAP2, "fsgsbase"), 1);
    }

    /// AT_HWCAP 0x178bfbff of an AMD EPYC guest, as LD_SHOW_AUXV printed it.
    #[test]
    fn decodes_a_real_value() {
        let flags = decode(0x178b_fbff, &x86_64::HWCAP);
        assert_eq!(
            flags.join(" "),
            "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 \
             clflush mmx fxsr sse sse2 ht"
        );
        assert_eq!(decode(0x2, &x86_64::HWCAP2), ["fsgsbase"]);
        assert_eq!(decode(0, &x86_64::HWCAP), Vec::<String>::new());
    }

    /// Bit positions from arch/arm64/include/uapi/asm/hwcap.h, e.g.
    /// `#define HWCAP_ATOMICS (1 << 8)` and `#define HWCAP2_BTI (1 << 17)`.
    #[test]
    fn arm64_bits_are_the_uapi_ones() {
        for (name, position) in [
            ("fp", 0),
            ("asimd", 1),
            ("atomics", 8),
            ("cpuid", 11),
            ("sve", 22),
            ("paca", 30),
            ("pacg", 31),
        ] {
            assert_eq!(bit(&arm64::HWCAP, name), position, "{name}");
        }
        for (name, position) in [
            ("dcpodp", 0),
            ("sve2", 1),
            ("rng", 16),
            ("bti", 17),
            ("mte", 18),
            ("smei16i64", 24),
            ("wfxt", 31),
            ("ebf16", 32),
            ("mops", 43),
            ("poe", 63),
        ] {
            assert_eq!(bit(&arm64::HWCAP2, name), position, "{name}");
        }
        assert_eq!(
            decode(1 | 1 << 1 | 1 << 3 | 1 << 8 | 1 << 11, &arm64::HWCAP),
            ["fp", "asimd", "aes", "atomics", "cpuid"]
        );
    }

    #[test]
    fn unknown_bits_show_as_numbers() {
        assert_eq!(
            decode(1 << 10 | 1 << 20 | 1, &x86_64::HWCAP),
            ["fpu", "bit10", "bit20"]
        );
        assert_eq!(decode(1 << 63 | 1 << 2, &x86_64::HWCAP2), ["bit2", "bit63"]);
    }
}
