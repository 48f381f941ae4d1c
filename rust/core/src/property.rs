// SPDX-License-Identifier: GPL-2.0

//! PT_GNU_PROPERTY: which note `load_elf_binary()` hands to
//! `parse_elf_properties()` (BE:860-867, 960-968, 980-983), and what becomes of it
//! on x86_64.
//!
//! x86_64 does not select `CONFIG_ARCH_USE_GNU_PROPERTY` in 6.12, so
//! `parse_elf_properties()` returns 0 before it reads anything (BE:776), and
//! `arch_parse_elf_property()` is never reached: a malformed or duplicated
//! property note is harmless. The selection is still mirrored, because which
//! header would be parsed is part of what the loader decides.

use super::class::ElfClass;
use super::errno::Errno;
use super::phdr::{Phdr, Phdrs, PT_GNU_PROPERTY, PT_INTERP};

/// `CONFIG_ARCH_USE_GNU_PROPERTY` on x86_64 in 6.12.
pub const ARCH_USE_GNU_PROPERTY: bool = false;

/// `elf_property_phdata` as the loader leaves it: with an interpreter, the
/// interpreter's last PT_GNU_PROPERTY (the program's is dropped, BE:962-968);
/// without one, the program's last PT_GNU_PROPERTY before its first PT_INTERP
/// (the first loop stops there, BE:860-918).
pub fn property_phdr<C: ElfClass>(
    program: &Phdrs<'_, C>,
    interp: Option<&Phdrs<'_, C>>,
) -> Option<Phdr> {
    let last = |phdrs: &Phdrs<'_, C>| {
        phdrs
            .iter()
            .take_while(|ph| ph.p_type != PT_INTERP)
            .filter(|ph| ph.p_type == PT_GNU_PROPERTY)
            .last()
    };
    match interp {
        // The interpreter's own PT_INTERP, if any, does not stop its loop.
        Some(phdrs) => phdrs
            .iter()
            .filter(|ph| ph.p_type == PT_GNU_PROPERTY)
            .last(),
        None => last(program),
    }
}

/// `parse_elf_properties()` for this architecture: nothing to parse on x86_64.
pub fn parse_elf_properties(phdr: Option<Phdr>) -> Result<(), Errno> {
    if !ARCH_USE_GNU_PROPERTY || phdr.is_none() {
        return Ok(());
    }
    // Architectures that parse properties (arm64's BTI) are not mirrored.
    Err(Errno::NoExec)
}

#[cfg(test)]
mod tests {
    use super::super::phdr::tests::{self, of_type};
    use super::super::phdr::{PF_R, PT_LOAD};
    use super::*;
    use crate::class::Elf64;
    use std::vec::Vec;

    /// A table of `(p_type, p_offset)` entries; the offset tells them apart.
    fn table(entries: &[(u32, u64)]) -> Vec<u8> {
        let phdrs: Vec<Phdr> = entries
            .iter()
            .map(|&(p_type, offset)| Phdr {
                p_offset: offset,
                ..of_type(p_type, PF_R)
            })
            .collect();
        tests::table(&phdrs)
    }

    #[test]
    fn the_program_note_before_its_first_interp() {
        let t = table(&[
            (PT_GNU_PROPERTY, 0x100),
            (PT_LOAD, 0),
            (PT_GNU_PROPERTY, 0x200),
            (PT_INTERP, 0x300),
            (PT_GNU_PROPERTY, 0x400),
        ]);
        let ph = property_phdr(&Phdrs::<Elf64>::new(&t), None);
        // Later entries overwrite earlier ones, until the loop stops at PT_INTERP.
        assert_eq!(ph.map(|p| p.p_offset), Some(0x200));
    }

    #[test]
    fn the_interpreter_note_replaces_the_program_one() {
        let program = table(&[(PT_GNU_PROPERTY, 0x100), (PT_INTERP, 0x300)]);
        let interp = table(&[
            (PT_GNU_PROPERTY, 0x500),
            (PT_LOAD, 0),
            (PT_GNU_PROPERTY, 0x600),
        ]);
        let ph = property_phdr(
            &Phdrs::<Elf64>::new(&program),
            Some(&Phdrs::<Elf64>::new(&interp)),
        );
        assert_eq!(ph.map(|p| p.p_offset), Some(0x600));
        // An interpreter without a note leaves none, even if the program has one.
        let bare = table(&[(PT_LOAD, 0)]);
        assert_eq!(
            property_phdr(
                &Phdrs::<Elf64>::new(&program),
                Some(&Phdrs::<Elf64>::new(&bare))
            ),
            None
        );
    }

    #[test]
    fn x86_64_parses_nothing() {
        let t = table(&[(PT_GNU_PROPERTY, 0x100)]);
        let ph = property_phdr(&Phdrs::<Elf64>::new(&t), None);
        assert!(ph.is_some());
        assert_eq!(parse_elf_properties(ph), Ok(()));
        assert_eq!(parse_elf_properties(None), Ok(()));
    }
}
