//! The legacy vsyscall page and its mode (arch/x86/entry/vsyscall/vsyscall_64.c).
//!
//! The page at 0xffffffffff600000 is the kernel's gate VMA, shown in every x86-64
//! process's maps unless `vsyscall=none`. `map_vsyscall` sets it up per mode:
//!
//! - `emulate`: the page really exists, readable but not executable (NX);
//!   `gate_vma` keeps its `VM_READ | VM_EXEC` flags, so maps shows `r-xp`. Reading
//!   it works; calling it faults and `emulate_vsyscall` performs the call.
//! - `xonly` (the Kconfig default, LEGACY_VSYSCALL_XONLY): no PTE backs the page
//!   and `gate_vma` gets `VM_EXEC` only, so maps shows `--xp`. Calls are still
//!   emulated (an instruction fetch fault at the entry point), but a read faults
//!   and `emulate_vsyscall` refuses it: SIGSEGV, "vsyscall read attempt denied".
//! - `none`: `get_gate_vma` returns NULL, so there is no [vsyscall] line, and both
//!   calling and reading raise SIGSEGV.
//!
//! arm64 has no vsyscall page at all (no gate area): its mode is always `none`,
//! and nothing is called there.

use serde::Serialize;

use crate::parse::maps::Mapping;

/// `VSYSCALL_ADDR` (arch/x86/include/uapi/asm/vsyscall.h).
pub const VSYSCALL_ADDR: u64 = 0xffff_ffff_ff60_0000;
/// The entry points, 1 KiB apart (arch/x86/entry/vsyscall/vsyscall_emu_64.S).
#[cfg(target_arch = "x86_64")]
pub const GETTIMEOFDAY: u64 = VSYSCALL_ADDR;
#[cfg(target_arch = "x86_64")]
pub const TIME: u64 = VSYSCALL_ADDR + 0x400;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    None,
    Xonly,
    Emulate,
    /// A [vsyscall] line with permissions no 6.x kernel prints.
    Unknown,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::None => "none",
            Mode::Xonly => "xonly",
            Mode::Emulate => "emulate",
            Mode::Unknown => "unknown",
        }
    }

    /// Whether calling an entry point returns (the kernel emulates the call).
    #[cfg(target_arch = "x86_64")]
    pub fn calls_work(self) -> bool {
        matches!(self, Mode::Xonly | Mode::Emulate)
    }

    /// Whether reading the page works.
    #[cfg(target_arch = "x86_64")]
    pub fn reads_work(self) -> bool {
        self == Mode::Emulate
    }
}

/// The vsyscall mode, read off the [vsyscall] line of a maps list.
pub fn mode(maps: &[Mapping]) -> Mode {
    match maps.iter().find(|m| m.name == "[vsyscall]") {
        None => Mode::None,
        Some(m) if m.start != VSYSCALL_ADDR => Mode::Unknown,
        Some(m) => match m.perms.as_str() {
            "--xp" => Mode::Xonly,
            "r-xp" => Mode::Emulate,
            _ => Mode::Unknown,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::maps::parse;

    #[test]
    fn mode_from_the_vsyscall_line() {
        let line = |perms: &str| {
            format!("ffffffffff600000-ffffffffff601000 {perms} 00000000 00:00 0  [vsyscall]\n")
        };
        let stack = "7ffd94b3f000-7ffd94b60000 rw-p 00000000 00:00 0  [stack]\n";
        let with = |perms| parse(&format!("{stack}{}", line(perms))).expect("valid");
        assert_eq!(mode(&with("--xp")), Mode::Xonly);
        assert_eq!(mode(&with("r-xp")), Mode::Emulate);
        assert_eq!(mode(&with("rw-p")), Mode::Unknown);
        assert_eq!(mode(&parse(stack).expect("valid")), Mode::None);
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn what_works_in_each_mode() {
        assert!(Mode::Xonly.calls_work() && !Mode::Xonly.reads_work());
        assert!(Mode::Emulate.calls_work() && Mode::Emulate.reads_work());
        assert!(!Mode::None.calls_work() && !Mode::None.reads_work());
    }

    #[test]
    fn this_host_has_a_known_mode() {
        let maps =
            parse(&std::fs::read_to_string("/proc/self/maps").expect("maps")).expect("valid");
        assert_ne!(mode(&maps), Mode::Unknown);
    }
}
