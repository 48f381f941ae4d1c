// SPDX-License-Identifier: GPL-2.0

//! The arm64 hooks `load_elf_binary()` calls that do something there and nothing
//! on x86_64: `arch_parse_elf_property()`, which reads the BTI bit of a program's
//! (or its interpreter's) GNU property note, and `arch_elf_adjust_prot()`, which
//! then maps the executable segments with `PROT_BTI`.
//!
//! C sources: arch/arm64/include/asm/elf.h (`arch_parse_elf_property()`,
//! `ARM64_ELF_BTI`), arch/arm64/kernel/process.c (`arch_elf_adjust_prot()`),
//! include/uapi/linux/elf.h, include/uapi/linux/elf-em.h,
//! arch/arm64/include/uapi/asm/mman.h.

use super::errno::Errno;
use super::property::ArchProperties;

/// `EM_AARCH64`: what `elf_check_arch()` requires on arm64.
pub const EM_AARCH64: u16 = 183;
/// `EM_ARM`: an AArch32 program, for `compat_elf_check_arch()`.
pub const EM_ARM: u16 = 40;
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
        data: &[u8],
        compat: bool,
        state: &mut ArchElfState,
    ) -> Result<(), Errno> {
        if compat {
            return Ok(());
        }
        if pr_type == GNU_PROPERTY_AARCH64_FEATURE_1_AND {
            let word: [u8; 4] = data.try_into().map_err(|_| Errno::NoExec)?;
            if self.system_supports_bti
                && u32::from_le_bytes(word) & GNU_PROPERTY_AARCH64_FEATURE_1_BTI != 0
            {
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
    use super::mman::PROT_EXEC;
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
    use crate::class::{Elf32, Elf64};
    use crate::mman::{PROT_EXEC, PROT_READ};
    use crate::property::parse_note;
    use crate::property::tests::note;

    fn parse(bti: bool, note: &[u8]) -> Result<ArchElfState, Errno> {
        let mut state = ArchElfState::default();
        let arch = Arm64Properties {
            system_supports_bti: bti,
        };
        parse_note::<Elf64, _>(Some(note), &arch, false, &mut state).map(|()| state)
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
            parse_note::<Elf32, _>(Some(&odd), &arch, true, &mut state),
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
