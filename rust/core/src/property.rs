// SPDX-License-Identifier: GPL-2.0

//! PT_GNU_PROPERTY: which note `load_elf_binary()` hands to
//! `parse_elf_properties()` (BE:860-867, 960-968, 980-983), and how it is parsed.
//!
//! x86_64 does not select `CONFIG_ARCH_USE_GNU_PROPERTY` in 6.12, so there
//! `parse_elf_properties()` returns 0 before it reads anything (BE:776), and a
//! malformed or duplicated property note is harmless. arm64 selects it:
//! [`property_phdr`] picks the note, and [`parse_note`] is
//! `parse_elf_properties()` and `parse_elf_property()` once the note is read, for
//! either class, with the architecture's `arch_parse_elf_property()` as an
//! [`ArchProperties`] (rust/core/src/arch/arm64.rs).

use super::class::ElfClass;
use super::errno::Errno;
use super::phdr::{Phdr, Phdrs, PT_GNU_PROPERTY};

/// `elf_property_phdata` as the loader leaves it: with an interpreter, the
/// interpreter's last PT_GNU_PROPERTY (the program's is dropped, BE:962-968);
/// without one, the program's last PT_GNU_PROPERTY before its first PT_INTERP
/// (the first loop stops there, BE:860-918).
/// `program` is what the first loop found of the program's
/// ([`Phdrs::first_loops`]).
pub fn property_phdr<C: ElfClass>(
    program: Option<Phdr>,
    interp: Option<&Phdrs<'_, C>>,
) -> Option<Phdr> {
    match interp {
        // The interpreter's own PT_INTERP, if any, does not stop its loop.
        Some(phdrs) => phdrs.last_of_type(PT_GNU_PROPERTY, None),
        None => program,
    }
}

/// `NOTE_DATA_SZ` (fs/binfmt_elf.c): the most bytes of a note
/// `parse_elf_properties()` reads.
pub const NOTE_DATA_SZ: u64 = 1024;
/// `NT_GNU_PROPERTY_TYPE_0`.
pub const NT_GNU_PROPERTY_TYPE_0: u32 = 5;
/// `sizeof(struct elf_note)`: `n_namesz`, `n_descsz` and `n_type`, three
/// `Elf_Word`s in either class.
const NHDR_SIZE: usize = 12;
/// `GNU_PROPERTY_TYPE_0_NAME` with its NUL, `NOTE_NAME_SZ` bytes.
const NOTE_NAME: &[u8; 4] = b"GNU\0";
/// `sizeof(struct gnu_property)`: `pr_type` and `pr_datasz`.
const PROPERTY_HEADER: usize = 8;
/// [`NOTE_DATA_SZ`] in 4-byte words: the buffer a note is read into.
pub const NOTE_WORDS: usize = NOTE_DATA_SZ as usize / 4;

/// Bytes of a note as read into a buffer of 4-byte words (the C's is
/// `__aligned(8)`): `len` bytes, of which `words` are the whole words. Every
/// field of a note and of its properties is a 4-byte word at an offset aligned
/// to 4, read as one aligned load (on arm64, whose Rust target has strict
/// alignment, a field of a byte slice is a load of each byte).
#[derive(Clone, Copy, Debug)]
pub struct NoteBytes<'a> {
    words: &'a [u32],
    len: usize,
}

impl<'a> NoteBytes<'a> {
    /// `len` bytes, the whole words of which are `words` (a trailing part of a
    /// word is counted but never read: no field lies in it).
    pub const fn new(words: &'a [u32], len: usize) -> Self {
        NoteBytes { words, len }
    }

    /// The number of bytes.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The little-endian word at byte `at`, if `at` is aligned to 4 and the word
    /// lies within the bytes.
    #[inline]
    pub fn word(&self, at: usize) -> Option<u32> {
        if at & 3 != 0 || at.checked_add(4)? > self.len {
            return None;
        }
        self.words.get(at / 4).map(|&w| u32::from_le(w))
    }

    /// The `len` bytes from byte `at` (aligned to 4): a property's data.
    fn sub(&self, at: usize, len: usize) -> NoteBytes<'a> {
        NoteBytes {
            words: self.words.get(at / 4..).unwrap_or(&[]),
            len,
        }
    }
}

/// `arch_parse_elf_property()` and the `struct arch_elf_state` it fills.
pub trait ArchProperties {
    /// `struct arch_elf_state`.
    type State: Default;
    /// One property, `pr_type` with its `data`; `compat` is `ELF_COMPAT` (an
    /// ELF32 program on a 64-bit kernel).
    fn parse(
        &self,
        pr_type: u32,
        data: NoteBytes<'_>,
        compat: bool,
        state: &mut Self::State,
    ) -> Result<(), Errno>;
}

/// What `parse_elf_properties()` reads of the note `phdr` describes:
/// `p_filesz` bytes at `p_offset`, `-ENOEXEC` if more than `NOTE_DATA_SZ`
/// ("If the properties are crazy large, that's too bad").
pub fn note_read_len(phdr: &Phdr) -> Result<usize, Errno> {
    if phdr.p_filesz > NOTE_DATA_SZ {
        return Err(Errno::NoExec);
    }
    Ok(phdr.p_filesz as usize)
}

/// `round_up(x, align)` for a power-of-two `align`.
fn round_up(x: usize, align: usize) -> usize {
    (x + align - 1) & !(align - 1)
}

/// `parse_elf_properties()` once `kernel_read()` returned: `note` is the bytes
/// read (`None` if the read failed), parsed as the C parses them, each property
/// handed to `arch`. The errnos are the C's: `-EIO` for a failed or short read,
/// `-ENOEXEC` for a malformed note or property, or what `arch` returns.
pub fn parse_note<C: ElfClass, P: ArchProperties>(
    note: Option<NoteBytes<'_>>,
    arch: &P,
    compat: bool,
    state: &mut P::State,
) -> Result<(), Errno> {
    let align = C::GNU_PROPERTY_ALIGN;
    let data = match note {
        Some(data) if data.len() >= NHDR_SIZE + NOTE_NAME.len() => data,
        _ => return Err(Errno::Io),
    };
    let n = data.len();
    let (namesz, descsz, n_type) = (data.word(0), data.word(4), data.word(8));
    // strncmp(data + 12, "GNU", n - 12): "GNU" and its NUL, n - 12 being 4 or more.
    if n_type != Some(NT_GNU_PROPERTY_TYPE_0)
        || namesz != Some(NOTE_NAME.len() as u32)
        || data.word(NHDR_SIZE) != Some(u32::from_le_bytes(*NOTE_NAME))
    {
        return Err(Errno::NoExec);
    }
    let mut off = round_up(NHDR_SIZE + NOTE_NAME.len(), align);
    if off > n {
        return Err(Errno::NoExec);
    }
    let descsz = descsz.unwrap_or(0) as usize;
    if descsz > n - off {
        return Err(Errno::NoExec);
    }
    let datasz = off + descsz;
    let mut prev_type = None;
    // parse_elf_property(), until it returns -ENOENT at the end of the data.
    while off != datasz {
        if off > datasz || off & (align - 1) != 0 {
            return Err(Errno::Io);
        }
        let left = datasz - off;
        if left < PROPERTY_HEADER {
            return Err(Errno::NoExec);
        }
        let (pr_type, pr_datasz) = match (data.word(off), data.word(off + 4)) {
            (Some(t), Some(d)) => (t, d as usize),
            _ => return Err(Errno::NoExec),
        };
        let o = off + PROPERTY_HEADER;
        let left = left - PROPERTY_HEADER;
        if pr_datasz > left {
            return Err(Errno::NoExec);
        }
        let step = round_up(pr_datasz, align);
        if step > left {
            return Err(Errno::NoExec);
        }
        // Properties are supposed to be unique and sorted on pr_type.
        if prev_type.is_some_and(|prev| pr_type <= prev) {
            return Err(Errno::NoExec);
        }
        prev_type = Some(pr_type);
        arch.parse(pr_type, data.sub(o, pr_datasz), compat, state)?;
        off = o + step;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::phdr::tests::{self, of_type};
    use super::super::phdr::{PF_R, PT_INTERP, PT_LOAD};
    use super::*;
    use crate::class::tests::words;
    use crate::class::Elf64;
    use std::vec::Vec;

    /// A table of `(p_type, p_offset)` entries; the offset tells them apart.
    fn table(entries: &[(u32, u64)]) -> Vec<u64> {
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
        let first = Phdrs::<Elf64>::new(&t).first_loops(true);
        let ph = property_phdr::<Elf64>(first.property, None);
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
        let first = Phdrs::<Elf64>::new(&program).first_loops(true);
        assert_eq!(first.property.map(|p| p.p_offset), Some(0x100));
        let ph = property_phdr(first.property, Some(&Phdrs::<Elf64>::new(&interp)));
        assert_eq!(ph.map(|p| p.p_offset), Some(0x600));
        // An interpreter without a note leaves none, even if the program has one.
        let bare = table(&[(PT_LOAD, 0)]);
        assert_eq!(
            property_phdr(first.property, Some(&Phdrs::<Elf64>::new(&bare))),
            None
        );
        // An arch that parses none is told of none.
        assert_eq!(
            Phdrs::<Elf64>::new(&program).first_loops(false).property,
            None
        );
    }

    /// Records every property it is given.
    struct Recorder;

    impl ArchProperties for Recorder {
        type State = Vec<(u32, Vec<u8>)>;
        fn parse(
            &self,
            pr_type: u32,
            data: NoteBytes<'_>,
            _: bool,
            state: &mut Self::State,
        ) -> Result<(), Errno> {
            // The data's bytes, a word at a time and the rest of the last one.
            let bytes = (0..data.len().div_ceil(4))
                .flat_map(|i| data.words.get(i).copied().unwrap_or(0).to_ne_bytes())
                .take(data.len())
                .collect();
            state.push((pr_type, bytes));
            Ok(())
        }
    }

    /// Parses `bytes` as a note of class `C` read into a buffer of words.
    pub(crate) fn parse_bytes<C: ElfClass, P: ArchProperties>(
        bytes: &[u8],
        arch: &P,
        compat: bool,
        state: &mut P::State,
    ) -> Result<(), Errno> {
        let w = words::<u32>(bytes);
        // Only the whole words are the read's, as NoteBuf hands them on.
        let whole = &w[..bytes.len() / 4];
        parse_note::<C, P>(
            Some(NoteBytes::new(whole, bytes.len())),
            arch,
            compat,
            state,
        )
    }

    /// A GNU property note of `props`, each padded to `align`.
    pub(crate) fn note(props: &[(u32, &[u8])], align: usize) -> Vec<u8> {
        let mut desc = Vec::new();
        for (t, d) in props {
            desc.extend_from_slice(&t.to_le_bytes());
            desc.extend_from_slice(&(d.len() as u32).to_le_bytes());
            desc.extend_from_slice(d);
            while desc.len() % align != 0 {
                desc.push(0);
            }
        }
        let mut n = Vec::new();
        n.extend_from_slice(&4u32.to_le_bytes());
        n.extend_from_slice(&(desc.len() as u32).to_le_bytes());
        n.extend_from_slice(&NT_GNU_PROPERTY_TYPE_0.to_le_bytes());
        n.extend_from_slice(b"GNU\0");
        n.extend_from_slice(&desc);
        n
    }

    fn parse64(data: &[u8]) -> Result<Vec<(u32, Vec<u8>)>, Errno> {
        let mut got = Vec::new();
        parse_bytes::<Elf64, _>(data, &Recorder, false, &mut got).map(|()| got)
    }

    #[test]
    fn a_note_hands_each_property_to_the_arch_in_order() {
        let n = note(&[(1, &[1, 2, 3, 4]), (0xc000_0000, &[5, 0, 0, 0])], 8);
        assert_eq!(
            parse64(&n),
            Ok(std::vec![
                (1, std::vec![1, 2, 3, 4]),
                (0xc000_0000, std::vec![5, 0, 0, 0])
            ])
        );
        // ELF32's properties are 4-aligned.
        let n32 = note(&[(1, &[9, 9, 9, 9]), (2, &[])], 4);
        let mut got = Vec::new();
        assert_eq!(
            parse_bytes::<crate::class::Elf32, _>(&n32, &Recorder, true, &mut got),
            Ok(())
        );
        assert_eq!(got.len(), 2);
        assert_eq!(parse64(&note(&[], 8)), Ok(Vec::new()));
    }

    #[test]
    fn malformed_notes_get_the_c_errnos() {
        let good = note(&[(1, &[1, 2, 3, 4]), (2, &[0; 4])], 8);
        // A failed or short read.
        assert_eq!(
            parse_note::<Elf64, _>(None, &Recorder, false, &mut Vec::new()),
            Err(Errno::Io)
        );
        assert_eq!(parse64(&good[..15]), Err(Errno::Io));
        // Not a GNU property note.
        let mut bad = good.clone();
        bad[8] = 1;
        assert_eq!(parse64(&bad), Err(Errno::NoExec));
        let mut bad = good.clone();
        bad[15] = b'X';
        assert_eq!(parse64(&bad), Err(Errno::NoExec));
        let mut bad = good.clone();
        bad[0] = 5;
        assert_eq!(parse64(&bad), Err(Errno::NoExec));
        // n_descsz beyond what was read.
        assert_eq!(parse64(&good[..good.len() - 1]), Err(Errno::NoExec));
        // Unsorted or repeated types.
        let unsorted = note(&[(2, &[0; 4]), (1, &[0; 4])], 8);
        assert_eq!(parse64(&unsorted), Err(Errno::NoExec));
        let twice = note(&[(2, &[0; 4]), (2, &[0; 4])], 8);
        assert_eq!(parse64(&twice), Err(Errno::NoExec));
        // A property whose data runs past the note's end, or whose padding does.
        let mut long = note(&[(1, &[0; 4])], 8);
        long[20] = 9;
        assert_eq!(parse64(&long), Err(Errno::NoExec));
        let mut unpadded = note(&[(1, &[0; 4])], 8);
        unpadded.truncate(unpadded.len() - 4);
        unpadded[4] = 12; // n_descsz: the header and 4 bytes, no padding
        assert_eq!(parse64(&unpadded), Err(Errno::NoExec));
        // A descriptor too short for a property header.
        let mut tiny = note(&[], 8);
        tiny.extend_from_slice(&[0; 4]);
        tiny[4] = 4;
        assert_eq!(parse64(&tiny), Err(Errno::NoExec));
    }

    #[test]
    fn a_note_word_is_aligned_and_within_the_bytes() {
        let w = [0x0403_0201u32.to_le(), 0x0807_0605u32.to_le()];
        let note = NoteBytes::new(&w, 7);
        assert_eq!(note.word(0), Some(0x0403_0201));
        assert_eq!(note.word(4), None, "bytes 4-7 are not all read");
        assert_eq!(note.word(2), None, "not aligned to 4");
        assert_eq!(NoteBytes::new(&w, 8).word(4), Some(0x0807_0605));
        assert_eq!(
            NoteBytes::new(&w[..1], 8).word(4),
            None,
            "not a whole word read"
        );
        assert_eq!(note.word(usize::MAX - 3), None);
    }

    #[test]
    fn crazy_large_notes_are_not_read() {
        let p = |p_filesz| Phdr {
            p_filesz,
            ..of_type(PT_GNU_PROPERTY, PF_R)
        };
        assert_eq!(note_read_len(&p(NOTE_DATA_SZ)), Ok(1024));
        assert_eq!(note_read_len(&p(NOTE_DATA_SZ + 1)), Err(Errno::NoExec));
    }

    proptest::proptest! {
        #[test]
        fn any_note_parses_without_panic_and_sorted_properties_come_back(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..96),
            types in proptest::collection::btree_set(proptest::prelude::any::<u32>(), 0..6),
            len in 0usize..12,
        ) {
            let _ = parse64(&bytes);
            let mut got = Vec::new();
            let _ = parse_bytes::<crate::class::Elf32, _>(&bytes, &Recorder, true, &mut got);
            // Strictly increasing types, each with `len` bytes: every one reaches
            // the arch, in order.
            let data = std::vec![7u8; len];
            let props: Vec<(u32, &[u8])> = types.iter().map(|&t| (t, &data[..])).collect();
            let parsed = parse64(&note(&props, 8)).expect("a well-formed note");
            let seen: Vec<u32> = parsed.iter().map(|(t, _)| *t).collect();
            proptest::prop_assert_eq!(seen, types.iter().copied().collect::<Vec<_>>());
            proptest::prop_assert!(parsed.iter().all(|(_, d)| d.len() == len));
        }
    }
}
