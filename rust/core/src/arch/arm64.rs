// SPDX-License-Identifier: GPL-2.0

//! arm64: the values of the arch macros `load_elf_binary()` and
//! `create_elf_tables()` use for the two ABIs an arm64 kernel loads, AArch64
//! programs (fs/binfmt_elf.c) and AArch32 ones (fs/compat_binfmt_elf.c, with
//! `CONFIG_COMPAT`), and the hooks that do something here and nothing on x86_64:
//! `arch_parse_elf_property()`, which reads the BTI bit of a program's (or its
//! interpreter's) GNU property note, and `arch_elf_adjust_prot()`, which then
//! maps the executable segments with `PROT_BTI`.
//!
//! C sources: arch/arm64/include/asm/elf.h (AE64: `elf_check_arch()`,
//! `ARCH_DLINFO`, the compat macros, `arch_parse_elf_property()`,
//! `ARM64_ELF_BTI`), arch/arm64/kernel/process.c (`compat_elf_check_arch()`,
//! `arch_align_stack()`, `arch_randomize_brk()`, `arch_elf_adjust_prot()`),
//! include/uapi/linux/elf.h, include/uapi/linux/elf-em.h,
//! arch/arm64/include/uapi/asm/mman.h.

use core::ffi::CStr;

use super::super::auxv::{ArchDlinfo, AT_IGNORE, AT_MINSIGSTKSZ, AT_SYSINFO_EHDR};
use super::super::class::{Elf32, Elf64};
use super::super::errno::Errno;
use super::super::page::PAGE_SIZE;
use super::super::phdr::ExecStack;
use super::super::property::{ArchProperties, NoteBytes};
use super::{Abi, DlinfoFacts};

/// `EM_AARCH64`: what `elf_check_arch()` requires on arm64.
pub const EM_AARCH64: u16 = 183;
/// `EM_ARM`: an AArch32 program, for `compat_elf_check_arch()`.
pub const EM_ARM: u16 = 40;
/// `EF_ARM_EABI_MASK`: an AArch32 program must name its EABI version.
pub const EF_ARM_EABI_MASK: u32 = 0xff00_0000;
/// `arch_align_stack()`: up to a page below the top.
const ALIGN_STACK_RND: u32 = PAGE_SIZE as u32;

/// AArch64 programs, as fs/binfmt_elf.c loads them on arm64.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Aarch64;

impl Abi for Aarch64 {
    type Class = Elf64;
    const COMPAT: bool = false;
    /// `ELF_PLATFORM` of a little-endian kernel.
    const ELF_PLATFORM: &'static CStr = c"aarch64";
    /// `arch_randomize_brk()` of a task that is not `is_compat_task()`: `SZ_1G`.
    const BRK_RND_RANGE: u64 = 1 << 30;
    const ALIGN_STACK_RND: u32 = ALIGN_STACK_RND;

    /// `elf_check_arch()`.
    #[inline(always)]
    fn check_arch(e_machine: u16, _: u32) -> bool {
        e_machine == EM_AARCH64
    }

    /// arm64 defines no `elf_read_implies_exec()`: include/linux/elf.h's is 0.
    #[inline(always)]
    fn read_implies_exec(_: ExecStack) -> bool {
        false
    }

    /// `ARCH_DLINFO`: `AT_SYSINFO_EHDR` whether or not a vDSO was mapped, then
    /// `AT_MINSIGSTKSZ`, or `AT_IGNORE` if `signal_minsigstksz` is 0.
    #[inline(always)]
    fn push_dlinfo(facts: &DlinfoFacts, d: &mut ArchDlinfo) {
        d.push(AT_SYSINFO_EHDR, facts.vdso);
        if facts.minsigstksz != 0 {
            d.push(AT_MINSIGSTKSZ, facts.minsigstksz);
        } else {
            d.push(AT_IGNORE, 0);
        }
    }
}

/// AArch32 programs, as fs/compat_binfmt_elf.c loads them on arm64.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Aarch32;

impl Abi for Aarch32 {
    type Class = Elf32;
    const COMPAT: bool = true;
    /// `COMPAT_ELF_PLATFORM` of a little-endian kernel.
    const ELF_PLATFORM: &'static CStr = c"v8l";
    /// `COMPAT_SET_PERSONALITY()` sets `TIF_32BIT`: `is_compat_task()`, `SZ_32M`.
    const BRK_RND_RANGE: u64 = 32 << 20;
    const ALIGN_STACK_RND: u32 = ALIGN_STACK_RND;

    /// The header's half of `compat_elf_check_arch()`: `EM_ARM` with an EABI
    /// version. The rest (a 32-bit EL0, a deadline task's affinity) is the
    /// running kernel's.
    #[inline(always)]
    fn check_arch(e_machine: u16, e_flags: u32) -> bool {
        e_machine == EM_ARM && e_flags & EF_ARM_EABI_MASK != 0
    }

    /// `compat_elf_read_implies_exec()`: a program without PT_GNU_STACK, as on
    /// arch/arm.
    #[inline(always)]
    fn read_implies_exec(executable_stack: ExecStack) -> bool {
        executable_stack == ExecStack::Default
    }

    /// `COMPAT_ARCH_DLINFO` with `CONFIG_COMPAT_VDSO`: `AT_SYSINFO_EHDR` alone.
    /// Without it the macro is empty; the glue passes `vdso_enabled` false then.
    #[inline(always)]
    fn push_dlinfo(facts: &DlinfoFacts, d: &mut ArchDlinfo) {
        if facts.vdso_enabled {
            d.push(AT_SYSINFO_EHDR, facts.vdso);
        }
    }
}

/// `GNU_PROPERTY_AARCH64_FEATURE_1_AND`: the property whose bits say which
/// features all of a file's code was built for.
pub const GNU_PROPERTY_AARCH64_FEATURE_1_AND: u32 = 0xc000_0000;
/// `GNU_PROPERTY_AARCH64_FEATURE_1_BTI`: all of it has BTI landing pads.
pub const GNU_PROPERTY_AARCH64_FEATURE_1_BTI: u32 = 1 << 0;
/// `ARM64_ELF_BTI`: the `struct arch_elf_state` flag it sets.
pub const ARM64_ELF_BTI: u32 = 1 << 0;
/// `PROT_BTI`: a guarded page, where an indirect branch must land on a BTI.
pub const PROT_BTI: u32 = 0x10;

/// arm64's `struct arch_elf_state`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArchElfState {
    /// `ARM64_ELF_BTI` or 0.
    pub flags: u32,
}

/// arm64's `arch_parse_elf_property()`, for a machine that does or does not
/// have BTI (`system_supports_bti()`, a CPU capability the glue reads).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arm64Properties {
    /// `system_supports_bti()`.
    pub system_supports_bti: bool,
}

impl ArchProperties for Arm64Properties {
    type State = ArchElfState;

    /// "No known properties for AArch32 yet": a compat program's properties are
    /// accepted unread. `FEATURE_1_AND` must be one 32-bit word.
    fn parse(
        &self,
        pr_type: u32,
        data: NoteBytes<'_>,
        compat: bool,
        state: &mut ArchElfState,
    ) -> Result<(), Errno> {
        if compat {
            return Ok(());
        }
        if pr_type == GNU_PROPERTY_AARCH64_FEATURE_1_AND {
            if data.len() != 4 {
                return Err(Errno::NoExec);
            }
            let word = data.word(0).ok_or(Errno::NoExec)?;
            if self.system_supports_bti && word & GNU_PROPERTY_AARCH64_FEATURE_1_BTI != 0 {
                state.flags |= ARM64_ELF_BTI;
            }
        }
        Ok(())
    }
}

/// `arch_elf_adjust_prot()`: `prot` of a segment of the program (`is_interp`
/// false) or of its interpreter, with `PROT_BTI` added to an executable one when
/// the file the state was parsed from is BTI-marked. For a dynamic program only
/// the interpreter's segments are adjusted: "the interpreter is responsible for
/// setting PROT_BTI on everything except itself".
pub fn arch_elf_adjust_prot(
    prot: u32,
    state: &ArchElfState,
    has_interp: bool,
    is_interp: bool,
) -> u32 {
    use super::super::mman::PROT_EXEC;
    if is_interp != has_interp || state.flags & ARM64_ELF_BTI == 0 {
        return prot;
    }
    if prot & PROT_EXEC != 0 {
        prot | PROT_BTI
    } else {
        prot
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mman::{PROT_EXEC, PROT_READ};
    use crate::property::tests::note;
    use crate::property::tests::parse_bytes;

    fn parse(bti: bool, note: &[u8]) -> Result<ArchElfState, Errno> {
        let mut state = ArchElfState::default();
        let arch = Arm64Properties {
            system_supports_bti: bti,
        };
        parse_bytes::<Elf64, _>(note, &arch, false, &mut state).map(|()| state)
    }

    #[test]
    fn check_arch_of_either_abi() {
        assert!(Aarch64::check_arch(EM_AARCH64, 0));
        assert!(!Aarch64::check_arch(EM_ARM, 0x0500_0400));
        // An AArch32 program must name an EABI version in e_flags.
        assert!(Aarch32::check_arch(EM_ARM, 0x0500_0400));
        assert!(!Aarch32::check_arch(EM_ARM, 0x0000_0400));
        assert!(!Aarch32::check_arch(EM_AARCH64, 0x0500_0000));
    }

    #[test]
    fn dlinfo_of_either_abi() {
        let facts = DlinfoFacts {
            vdso: 0xffff_b7ff_d000,
            vdso_enabled: true,
            vdso_entry: 0,
            minsigstksz: 0x1210,
        };
        let pairs = |d: ArchDlinfo| d.entries().to_vec();
        assert_eq!(
            pairs(Aarch64::dlinfo(&facts)),
            [
                (AT_SYSINFO_EHDR, 0xffff_b7ff_d000),
                (AT_MINSIGSTKSZ, 0x1210)
            ]
        );
        let no_size = DlinfoFacts {
            minsigstksz: 0,
            ..facts
        };
        assert_eq!(
            pairs(Aarch64::dlinfo(&no_size)),
            [(AT_SYSINFO_EHDR, 0xffff_b7ff_d000), (AT_IGNORE, 0)]
        );
        assert_eq!(
            pairs(Aarch32::dlinfo(&facts)),
            [(AT_SYSINFO_EHDR, 0xffff_b7ff_d000)]
        );
        let no_compat_vdso = DlinfoFacts {
            vdso_enabled: false,
            ..facts
        };
        assert_eq!(pairs(Aarch32::dlinfo(&no_compat_vdso)), []);
    }

    #[test]
    fn the_abis_values() {
        assert_eq!(Aarch64::ELF_PLATFORM.to_bytes_with_nul(), b"aarch64\0");
        assert_eq!(Aarch32::ELF_PLATFORM.to_bytes_with_nul(), b"v8l\0");
        for stack in [ExecStack::Default, ExecStack::DisableX, ExecStack::EnableX] {
            assert!(!Aarch64::read_implies_exec(stack));
            assert_eq!(
                Aarch32::read_implies_exec(stack),
                stack == ExecStack::Default
            );
        }
        assert_eq!(Aarch64::ALIGN_STACK_RND, 4096);
        assert_eq!(Aarch32::BRK_RND_RANGE, 0x200_0000);
    }

    #[test]
    fn the_bti_bit_sets_arm64_elf_bti_where_the_cpu_has_bti() {
        let marked = note(&[(GNU_PROPERTY_AARCH64_FEATURE_1_AND, &[3, 0, 0, 0])], 8);
        assert_eq!(
            parse(true, &marked),
            Ok(ArchElfState {
                flags: ARM64_ELF_BTI
            })
        );
        assert_eq!(parse(false, &marked), Ok(ArchElfState::default()));
        // PAC alone (bit 1) is no BTI.
        let pac = note(&[(GNU_PROPERTY_AARCH64_FEATURE_1_AND, &[2, 0, 0, 0])], 8);
        assert_eq!(parse(true, &pac), Ok(ArchElfState::default()));
        // Other properties are skipped.
        let other = note(&[(0xc000_0002, &[1, 0, 0, 0])], 8);
        assert_eq!(parse(true, &other), Ok(ArchElfState::default()));
    }

    #[test]
    fn feature_1_and_must_be_one_word() {
        let long = note(
            &[(
                GNU_PROPERTY_AARCH64_FEATURE_1_AND,
                &[1, 0, 0, 0, 0, 0, 0, 0],
            )],
            8,
        );
        assert_eq!(parse(true, &long), Err(Errno::NoExec));
        let short = note(&[(GNU_PROPERTY_AARCH64_FEATURE_1_AND, &[1, 0])], 8);
        assert_eq!(parse(true, &short), Err(Errno::NoExec));
    }

    #[test]
    fn aarch32_properties_are_accepted_unread() {
        let odd = note(&[(GNU_PROPERTY_AARCH64_FEATURE_1_AND, &[1, 0])], 4);
        let mut state = ArchElfState::default();
        let arch = Arm64Properties {
            system_supports_bti: true,
        };
        assert_eq!(
            parse_bytes::<Elf32, _>(&odd, &arch, true, &mut state),
            Ok(())
        );
        assert_eq!(state, ArchElfState::default());
    }

    #[test]
    fn prot_bti_on_the_executable_segments_of_whoever_maps_itself() {
        let bti = ArchElfState {
            flags: ARM64_ELF_BTI,
        };
        let rx = PROT_READ | PROT_EXEC;
        // A static program: its own text.
        assert_eq!(arch_elf_adjust_prot(rx, &bti, false, false), rx | PROT_BTI);
        assert_eq!(
            arch_elf_adjust_prot(PROT_READ, &bti, false, false),
            PROT_READ
        );
        // A dynamic one: the interpreter's text, not the program's.
        assert_eq!(arch_elf_adjust_prot(rx, &bti, true, true), rx | PROT_BTI);
        assert_eq!(arch_elf_adjust_prot(rx, &bti, true, false), rx);
        // Unmarked: nothing.
        assert_eq!(
            arch_elf_adjust_prot(rx, &ArchElfState::default(), false, false),
            rx
        );
    }
}
