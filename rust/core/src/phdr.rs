// SPDX-License-Identifier: GPL-2.0

//! Program headers of either class and the scans `load_elf_binary()` makes over
//! them.
//!
//! C header: include/uapi/linux/elf.h; C functions: total_mapping_size(),
//! maximum_alignment(), make_prot() and the first two phdr loops of
//! load_elf_binary() (fs/binfmt_elf.c).
//!
//! The scans compute in `unsigned long` like the C, wrapping on malformed values,
//! so that a hostile file yields the kernel's numbers rather than a panic.

use core::marker::PhantomData;

use super::class::ElfClass;
pub use super::class::Phdr;
use super::mman::{PROT_EXEC, PROT_READ, PROT_WRITE};
use super::page::{elf_pagealign, elf_pagestart};

/// `PT_NULL`: unused entry.
pub const PT_NULL: u32 = 0;
/// `PT_LOAD`: a segment to map.
pub const PT_LOAD: u32 = 1;
/// `PT_DYNAMIC`: dynamic linking information (ignored by the kernel).
pub const PT_DYNAMIC: u32 = 2;
/// `PT_INTERP`: the path of the program interpreter.
pub const PT_INTERP: u32 = 3;
/// `PT_NOTE`: auxiliary notes (ignored by the kernel on x86).
pub const PT_NOTE: u32 = 4;
/// `PT_PHDR`: the program header table itself; the kernel ignores it and derives
/// `AT_PHDR` from the PT_LOAD that contains `e_phoff`.
pub const PT_PHDR: u32 = 6;
/// `PT_GNU_STACK`: its `PF_X` flag decides whether the stack is executable.
pub const PT_GNU_STACK: u32 = 0x6474_e551;
/// `PT_GNU_PROPERTY`: GNU property notes (only parsed on arches that select
/// `ARCH_USE_GNU_PROPERTY`, which x86 does not).
pub const PT_GNU_PROPERTY: u32 = 0x6474_e553;
/// `PT_LOPROC`: first processor-specific type, passed to `arch_elf_pt_proc()`.
pub const PT_LOPROC: u32 = 0x7000_0000;
/// `PT_HIPROC`: last processor-specific type.
pub const PT_HIPROC: u32 = 0x7fff_ffff;

/// `PF_X`: executable segment.
pub const PF_X: u32 = 0x1;
/// `PF_W`: writable segment.
pub const PF_W: u32 = 0x2;
/// `PF_R`: readable segment.
pub const PF_R: u32 = 0x4;

impl Phdr {
    /// Decodes one entry of class `C`: `raw` holds at least `C::PHDR_WORDS` words.
    #[inline(always)]
    pub fn from_words<C: ElfClass>(raw: &[C::Word]) -> Self {
        C::phdr(raw)
    }

    /// Whether this is a `PT_LOAD`.
    pub const fn is_load(&self) -> bool {
        self.p_type == PT_LOAD
    }
}

/// What `arch_elf_adjust_prot()` makes of the `prot` of one of a file's
/// segments, given the bits it adds to an executable one (`exec_extra`: arm64's
/// `PROT_BTI` for a BTI-marked file that maps itself, else 0; always 0 on x86).
#[inline(always)]
pub const fn adjust_prot(prot: u32, exec_extra: u32) -> u32 {
    if prot & PROT_EXEC != 0 {
        prot | exec_extra
    } else {
        prot
    }
}

/// `make_prot()` (BE:611-624) before `arch_elf_adjust_prot()` ([`adjust_prot`]):
/// the flags map one to one: `PF_R`, `PF_W`, `PF_X` are bits 2, 1, 0 and
/// `PROT_READ`, `PROT_WRITE`, `PROT_EXEC` bits 0, 1, 2, so the three bits are
/// looked up rather than tested one by one.
pub const fn make_prot(p_flags: u32) -> u32 {
    const PROT_OF_FLAGS: [u32; 8] = {
        let mut table = [0; 8];
        let mut flags = 0;
        while flags < 8 {
            let mut prot = 0;
            if flags & PF_R != 0 {
                prot |= PROT_READ;
            }
            if flags & PF_W != 0 {
                prot |= PROT_WRITE;
            }
            if flags & PF_X != 0 {
                prot |= PROT_EXEC;
            }
            table[flags as usize] = prot;
            flags += 1;
        }
        table
    };
    PROT_OF_FLAGS[(p_flags & (PF_R | PF_W | PF_X)) as usize]
}

/// The `executable_stack` argument of `setup_arg_pages()` (include/linux/binfmts.h).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum ExecStack {
    /// `EXSTACK_DEFAULT`: no PT_GNU_STACK; the stack is not executable on x86_64.
    Default = 0,
    /// `EXSTACK_DISABLE_X`: PT_GNU_STACK without `PF_X`.
    DisableX = 1,
    /// `EXSTACK_ENABLE_X`: PT_GNU_STACK with `PF_X`.
    EnableX = 2,
}

impl ExecStack {
    /// The C name of the value.
    pub const fn c_name(self) -> &'static str {
        match self {
            ExecStack::Default => "EXSTACK_DEFAULT",
            ExecStack::DisableX => "EXSTACK_DISABLE_X",
            ExecStack::EnableX => "EXSTACK_ENABLE_X",
        }
    }
}

/// A program header table of class `C` as read by `load_elf_phdrs()`:
/// `Ehdr::phdr_table_size()` bytes from `e_phoff`, as the words
/// ([`ElfClass::Word`]) of the `kmalloc()` buffer they were read into (see
/// [`ElfClass`]). Entries are decoded
/// on access; a trailing partial entry (impossible for a table of that size) is
/// not an entry.
#[derive(Clone, Copy, Debug)]
pub struct Phdrs<'a, C: ElfClass> {
    table: &'a [C::Word],
    /// `table.len() / C::PHDR_WORDS`, worked out once.
    len: usize,
    class: PhantomData<C>,
}

impl<'a, C: ElfClass> Phdrs<'a, C> {
    /// Views `table` as `table.len() / C::PHDR_WORDS` program headers.
    pub const fn new(table: &'a [C::Word]) -> Self {
        Phdrs {
            table,
            len: table.len() / C::PHDR_WORDS,
            class: PhantomData,
        }
    }

    /// The number of entries, `e_phnum` for a table of `phdr_table_size()` bytes.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether the table has no entries.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The entries' words in file order: whole entries, which the field reads
    /// below need no further bounds for.
    #[inline(always)]
    fn entries(&self) -> core::slice::ChunksExact<'a, C::Word> {
        self.table.chunks_exact(C::PHDR_WORDS)
    }

    /// The last entry of type `p_type` before the first of type `stop` (all of
    /// them without one), decoded; the others' types alone are read.
    #[inline]
    pub fn last_of_type(&self, p_type: u32, stop: Option<u32>) -> Option<Phdr> {
        let mut last = None;
        for raw in self.entries() {
            let t = C::p_type(raw);
            if Some(t) == stop {
                break;
            }
            if t == p_type {
                last = Some(raw);
            }
        }
        last.map(Phdr::from_words::<C>)
    }

    /// Entry `i`, if there is one.
    #[inline]
    pub fn get(&self, i: usize) -> Option<Phdr> {
        self.entries().nth(i).map(Phdr::from_words::<C>)
    }

    /// The whole table, every entry unread: where a loop over it starts.
    pub fn unread(&self) -> Unread<'a, C> {
        Unread {
            rest: self.entries(),
        }
    }

    /// The words of the PT_LOAD entries, in file order.
    #[inline(always)]
    fn load_entries(&self) -> impl Iterator<Item = &'a [C::Word]> {
        self.entries().filter(|raw| C::p_type(raw) == PT_LOAD)
    }

    /// The entries in file order, the order of every loop in the C.
    pub fn iter(&self) -> impl Iterator<Item = Phdr> + 'a {
        self.entries().map(Phdr::from_words::<C>)
    }

    /// The PT_LOAD entries in file order.
    pub fn loads(&self) -> impl Iterator<Item = Phdr> + 'a {
        self.load_entries().map(Phdr::from_words::<C>)
    }

    /// `total_mapping_size()` (BE:449-464): the span from the lowest
    /// `ELF_PAGESTART(p_vaddr)` to the highest `p_vaddr + p_memsz` over **all**
    /// PT_LOADs, in whatever order they come; 0 without a PT_LOAD. Both the end and
    /// the span wrap as in the C, so a wrapped end can make the span 0 or tiny.
    pub fn total_mapping_size(&self) -> u64 {
        self.load_span().0
    }

    /// `maximum_alignment()` (BE:477-495): the largest power-of-two `p_align` of the
    /// PT_LOADs (0 and other non-powers of two are skipped as invalid), rounded up
    /// with `ELF_PAGEALIGN`, so either 0 or at least a page.
    pub fn maximum_alignment(&self) -> u64 {
        self.load_span().1
    }

    /// [`Phdrs::total_mapping_size`] and [`Phdrs::maximum_alignment`] in one pass
    /// over the PT_LOADs, for the first PT_LOAD of an ET_DYN file, which needs
    /// both (the C's two loops read the same entries and nothing else).
    #[inline]
    pub fn load_span(&self) -> (u64, u64) {
        let mut min_addr = u64::MAX;
        let mut max_addr = 0u64;
        let mut pt_load = false;
        let mut alignment = 0;
        for raw in self.load_entries() {
            let ph = C::phdr(raw);
            min_addr = min_addr.min(elf_pagestart(ph.p_vaddr));
            // `p_vaddr + p_memsz`: two fields of the file, added at its width.
            max_addr = max_addr.max(C::add(ph.p_vaddr, ph.p_memsz));
            pt_load = true;
            let p_align = ph.p_align;
            if p_align.is_power_of_two() && p_align > alignment {
                alignment = p_align;
            }
        }
        let total = if pt_load {
            max_addr.wrapping_sub(min_addr)
        } else {
            0
        };
        (total, elf_pagealign(alignment))
    }

    /// The second phdr loop of `load_elf_binary()` (BE:925-933): every PT_GNU_STACK
    /// overrides the previous one, so the last wins.
    pub fn executable_stack(&self) -> ExecStack {
        self.interp_and_stack().1
    }

    /// The PT_INTERP `load_elf_binary()` acts on (BE:860-923): the loop `break`s at
    /// the first one, so later PT_INTERPs are never looked at.
    #[inline]
    pub fn first_interp(&self) -> Option<Phdr> {
        self.interp_and_stack().0
    }

    /// [`Phdrs::first_interp`] and [`Phdrs::executable_stack`] in one pass over the
    /// table: what the C's first two loops find, and they have no effect on each
    /// other (the first stops at its PT_INTERP, the second looks at every entry).
    #[inline]
    pub fn interp_and_stack(&self) -> (Option<Phdr>, ExecStack) {
        let found = self.first_loops(false);
        (found.interp, found.stack)
    }

    /// What the C's first two loops find, in one pass over the table (BE:860-933):
    /// the first PT_INTERP, the last PT_GNU_STACK's decision and, if `property`
    /// (an arch that parses PT_GNU_PROPERTY), the first loop's
    /// `elf_property_phdata`: the last PT_GNU_PROPERTY before that PT_INTERP.
    #[inline]
    pub fn first_loops(&self, property: bool) -> FirstLoops {
        let mut interp = None;
        let mut stack = ExecStack::Default;
        let mut property_raw = None;
        for raw in self.entries() {
            match C::p_type(raw) {
                PT_INTERP if interp.is_none() => interp = Some(Phdr::from_words::<C>(raw)),
                PT_GNU_PROPERTY if property && interp.is_none() => property_raw = Some(raw),
                PT_GNU_STACK => {
                    stack = if C::phdr(raw).p_flags & PF_X != 0 {
                        ExecStack::EnableX
                    } else {
                        ExecStack::DisableX
                    }
                }
                _ => {}
            }
        }
        FirstLoops {
            interp,
            stack,
            property: property_raw.map(Phdr::from_words::<C>),
        }
    }
}

/// What [`Phdrs::first_loops`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FirstLoops {
    /// The first PT_INTERP.
    pub interp: Option<Phdr>,
    /// The `executable_stack` the PT_GNU_STACKs decide.
    pub stack: ExecStack,
    /// The last PT_GNU_PROPERTY before the first PT_INTERP, if asked for.
    pub property: Option<Phdr>,
}

/// The entries of a [`Phdrs`] a loop has not looked at yet, in file order: the
/// `elf_ppnt` of the C's `for` loops.
#[derive(Clone, Debug)]
pub struct Unread<'a, C: ElfClass> {
    rest: core::slice::ChunksExact<'a, C::Word>,
}

impl<C: ElfClass> Unread<'_, C> {
    /// The next entry of type `p_type`, decoded, with those before it passed
    /// over; like the C's loops it looks at `p_type` first, and decodes only the
    /// entry it returns.
    #[inline(always)]
    pub fn next_of_type(&mut self, p_type: u32) -> Option<Phdr> {
        self.rest
            .find(|raw| C::p_type(raw) == p_type)
            .map(|raw| C::phdr(raw))
    }
}

/// Program headers for the core's unit tests.
#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::class::tests::words;
    use crate::class::Elf64;
    use std::vec::Vec;

    /// `sizeof(Elf64_Phdr)`.
    pub(crate) const PHDR_SIZE: usize = 56;

    /// Encodes `ph` as the 56 bytes of an `Elf64_Phdr`.
    pub(crate) fn encode(ph: &Phdr) -> [u8; PHDR_SIZE] {
        let mut b = [0u8; PHDR_SIZE];
        b[0..4].copy_from_slice(&ph.p_type.to_le_bytes());
        b[4..8].copy_from_slice(&ph.p_flags.to_le_bytes());
        for (at, v) in [
            (8, ph.p_offset),
            (16, ph.p_vaddr),
            (24, ph.p_paddr),
            (32, ph.p_filesz),
            (40, ph.p_memsz),
            (48, ph.p_align),
        ] {
            b[at..at + 8].copy_from_slice(&v.to_le_bytes());
        }
        b
    }

    /// A program header table holding `phdrs`, as the words of the buffer it is
    /// read into.
    pub(crate) fn table(phdrs: &[Phdr]) -> Vec<u64> {
        let bytes: Vec<u8> = phdrs.iter().flat_map(encode).collect();
        words(&bytes)
    }

    /// A PT_LOAD with `p_align` 4096 and `p_offset == p_vaddr` modulo a page.
    pub(crate) fn load(flags: u32, offset: u64, vaddr: u64, filesz: u64, memsz: u64) -> Phdr {
        Phdr {
            p_type: PT_LOAD,
            p_flags: flags,
            p_offset: offset,
            p_vaddr: vaddr,
            p_paddr: vaddr,
            p_filesz: filesz,
            p_memsz: memsz,
            p_align: 0x1000,
        }
    }

    pub(crate) fn of_type(p_type: u32, p_flags: u32) -> Phdr {
        Phdr {
            p_type,
            p_flags,
            ..Phdr::default()
        }
    }

    #[test]
    fn decodes_every_field_little_endian() {
        let mut raw = [0u8; PHDR_SIZE];
        for (i, b) in raw.iter_mut().enumerate() {
            *b = i as u8;
        }
        assert_eq!(Phdr::from_words::<Elf64>(&[]), Phdr::default(), "no entry");
        let ph = Phdr::from_words::<Elf64>(&words(&raw));
        assert_eq!(ph.p_type, 0x0302_0100);
        assert_eq!(ph.p_flags, 0x0706_0504);
        assert_eq!(ph.p_offset, 0x0f0e_0d0c_0b0a_0908);
        assert_eq!(ph.p_vaddr, 0x1716_1514_1312_1110);
        assert_eq!(ph.p_paddr, 0x1f1e_1d1c_1b1a_1918);
        assert_eq!(ph.p_filesz, 0x2726_2524_2322_2120);
        assert_eq!(ph.p_memsz, 0x2f2e_2d2c_2b2a_2928);
        assert_eq!(ph.p_align, 0x3736_3534_3332_3130);
        assert_eq!(encode(&ph), raw);
    }

    #[test]
    fn get_and_iter_see_the_same_entries() {
        let phdrs = [
            of_type(PT_PHDR, PF_R),
            load(PF_R | PF_X, 0, 0x400000, 0x1000, 0x1000),
        ];
        let bytes = table(&phdrs);
        let view = Phdrs::<Elf64>::new(&bytes);
        assert_eq!(view.len(), 2);
        assert_eq!(view.get(1), Some(phdrs[1]));
        assert_eq!(view.get(2), None);
        assert_eq!(view.get(usize::MAX), None);
        assert!(view.iter().eq(phdrs.iter().copied()));
        // A trailing partial entry is not an entry.
        assert_eq!(Phdrs::<Elf64>::new(&bytes[..7 + 6]).len(), 1);
        assert!(Phdrs::<Elf64>::new(&[]).is_empty());
    }

    #[test]
    fn unread_steps_over_other_types_and_stops_at_the_end() {
        let phdrs = [
            of_type(PT_PHDR, PF_R),
            load(PF_R, 0, 0x400000, 0x100, 0x100),
            of_type(PT_INTERP, PF_R),
            load(PF_R | PF_X, 0x1000, 0x401000, 0x200, 0x200),
        ];
        let bytes = table(&phdrs);
        let mut unread = Phdrs::<Elf64>::new(&bytes).unread();
        assert_eq!(unread.next_of_type(PT_LOAD), Some(phdrs[1]));
        assert_eq!(unread.next_of_type(PT_LOAD), Some(phdrs[3]));
        assert_eq!(unread.next_of_type(PT_LOAD), None);
        assert_eq!(unread.next_of_type(PT_LOAD), None);
        // An entry is looked at once: the PT_INTERP was passed over above.
        let mut unread = Phdrs::<Elf64>::new(&bytes).unread();
        assert_eq!(unread.next_of_type(PT_LOAD), Some(phdrs[1]));
        assert_eq!(unread.next_of_type(PT_INTERP), Some(phdrs[2]));
        assert_eq!(unread.next_of_type(PT_PHDR), None);
        // A trailing partial entry is never read.
        let mut unread = Phdrs::<Elf64>::new(&bytes[..7 + 6]).unread();
        assert_eq!(unread.next_of_type(PT_LOAD), None);
    }

    #[test]
    fn total_mapping_size_spans_all_loads_in_any_order() {
        // A typical PIE: the lowest page start is 0, the highest end is
        // 0x3df0 + 0x228 = 0x4018, so the span is 0x4018 (elf_map page-aligns it).
        let pie = [
            of_type(PT_PHDR, PF_R),
            load(PF_R, 0, 0, 0x628, 0x628),
            load(PF_R | PF_X, 0x1000, 0x1000, 0x1a5, 0x1a5),
            load(PF_R, 0x2000, 0x2000, 0xf4, 0xf4),
            load(PF_R | PF_W, 0x2df0, 0x3df0, 0x220, 0x228),
        ];
        assert_eq!(
            Phdrs::<Elf64>::new(&table(&pie)).total_mapping_size(),
            0x4018
        );

        // Unsorted: min over all PAGESTART(vaddr) is 0, max end
        // is 0x10000 + 0x800 = 0x10800, not last-minus-first.
        let unsorted = [
            load(PF_R | PF_X, 0, 0x10000, 0x800, 0x800),
            load(PF_R, 0, 0x123, 0x10, 0x10),
        ];
        assert_eq!(
            Phdrs::<Elf64>::new(&table(&unsorted)).total_mapping_size(),
            0x10800
        );

        // Only page-aligned memsz-0 segments: 0 (EINVAL later).
        let empty = [load(PF_R, 0, 0x1000, 0, 0)];
        assert_eq!(Phdrs::<Elf64>::new(&table(&empty)).total_mapping_size(), 0);
        // No PT_LOAD at all.
        assert_eq!(
            Phdrs::<Elf64>::new(&table(&[of_type(PT_NOTE, 0)])).total_mapping_size(),
            0
        );

        // The end wraps: 0x1000 + 0xffff_ffff_ffff_f000 = 0 in unsigned long, so the
        // max stays 0 and the span is 0 - 0x1000 = 0xffff_ffff_ffff_f000.
        let wraps = [load(PF_R, 0, 0x1000, 0, 0xffff_ffff_ffff_f000)];
        assert_eq!(
            Phdrs::<Elf64>::new(&table(&wraps)).total_mapping_size(),
            0xffff_ffff_ffff_f000
        );
    }

    #[test]
    fn maximum_alignment_skips_non_powers_of_two() {
        let with_aligns = |aligns: &[u64]| {
            let phdrs: Vec<Phdr> = aligns
                .iter()
                .map(|&a| Phdr {
                    p_align: a,
                    ..load(PF_R, 0, 0, 1, 1)
                })
                .collect();
            Phdrs::<Elf64>::new(&table(&phdrs)).maximum_alignment()
        };
        assert_eq!(with_aligns(&[0x1000, 0x20_0000]), 0x20_0000);
        assert_eq!(with_aligns(&[0x3000]), 0, "not a power of two: ignored");
        assert_eq!(with_aligns(&[0]), 0);
        assert_eq!(with_aligns(&[1]), 0x1000, "ELF_PAGEALIGN(1)");
        assert_eq!(with_aligns(&[16, 0x3000]), 0x1000);
        assert_eq!(with_aligns(&[1 << 63]), 1 << 63);
        // Only PT_LOADs count.
        let gnu_stack = Phdr {
            p_align: 0x40_0000,
            ..of_type(PT_GNU_STACK, 0)
        };
        let phdrs = [gnu_stack, load(PF_R, 0, 0, 1, 1)];
        assert_eq!(
            Phdrs::<Elf64>::new(&table(&phdrs)).maximum_alignment(),
            0x1000
        );
    }

    #[test]
    fn the_last_gnu_stack_wins() {
        let stack = |phdrs: &[Phdr]| Phdrs::<Elf64>::new(&table(phdrs)).executable_stack();
        assert_eq!(stack(&[load(PF_R, 0, 0, 1, 1)]), ExecStack::Default);
        assert_eq!(
            stack(&[of_type(PT_GNU_STACK, PF_R | PF_W)]),
            ExecStack::DisableX
        );
        assert_eq!(
            stack(&[
                of_type(PT_GNU_STACK, PF_R | PF_W),
                of_type(PT_GNU_STACK, PF_X)
            ]),
            ExecStack::EnableX
        );
        assert_eq!(
            stack(&[of_type(PT_GNU_STACK, PF_X), of_type(PT_GNU_STACK, 0)]),
            ExecStack::DisableX
        );
        assert_eq!(ExecStack::EnableX as i32, 2);
    }

    #[test]
    fn only_the_first_interp_counts() {
        let first = Phdr {
            p_offset: 0x318,
            p_filesz: 0x1c,
            ..of_type(PT_INTERP, PF_R)
        };
        let second = Phdr {
            p_offset: 0x400,
            ..first
        };
        let phdrs = [of_type(PT_PHDR, PF_R), first, second];
        assert_eq!(
            Phdrs::<Elf64>::new(&table(&phdrs)).first_interp(),
            Some(first)
        );
        assert_eq!(
            Phdrs::<Elf64>::new(&table(&phdrs[..1])).first_interp(),
            None
        );
    }

    #[test]
    fn make_prot_maps_each_flag() {
        assert_eq!(make_prot(0), 0);
        assert_eq!(make_prot(PF_R), PROT_READ);
        assert_eq!(make_prot(PF_R | PF_X), PROT_READ | PROT_EXEC);
        assert_eq!(make_prot(PF_R | PF_W | PF_X), 0x7);
        // Unknown bits (e.g. PF_MASKOS) are dropped.
        assert_eq!(make_prot(0x0ff0_0000 | PF_W), PROT_WRITE);
    }

    proptest::proptest! {
        #[test]
        fn scans_never_panic_and_match_a_plain_reading(
            words in proptest::collection::vec(proptest::prelude::any::<u64>(), 0..75)
        ) {
            let view = Phdrs::<Elf64>::new(&words);
            let all: Vec<Phdr> = view.iter().collect();
            proptest::prop_assert_eq!(all.len(), words.len() / 7);
            // The bytes of the buffer, read a field at a time at its offset.
            let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
            let at = |o: usize, n: usize| {
                let mut v = [0u8; 8];
                v[..n].copy_from_slice(&bytes[o..o + n]);
                u64::from_le_bytes(v)
            };
            for (i, ph) in all.iter().enumerate() {
                proptest::prop_assert_eq!(view.get(i), Some(*ph));
                let e = i * PHDR_SIZE;
                proptest::prop_assert_eq!(
                    [u64::from(ph.p_type), u64::from(ph.p_flags), ph.p_offset, ph.p_vaddr],
                    [at(e, 4), at(e + 4, 4), at(e + 8, 8), at(e + 16, 8)]
                );
                proptest::prop_assert_eq!(
                    [ph.p_paddr, ph.p_filesz, ph.p_memsz, ph.p_align],
                    [at(e + 24, 8), at(e + 32, 8), at(e + 40, 8), at(e + 48, 8)]
                );
            }
            let loads: Vec<&Phdr> = all.iter().filter(|p| p.p_type == PT_LOAD).collect();
            let expected_span = if loads.is_empty() {
                0
            } else {
                let lo = loads.iter().map(|p| p.p_vaddr & !0xfff).min().unwrap_or(0);
                let hi = loads.iter().map(|p| p.p_vaddr.wrapping_add(p.p_memsz)).max().unwrap_or(0);
                hi.wrapping_sub(lo)
            };
            proptest::prop_assert_eq!(view.total_mapping_size(), expected_span);
            let align = view.maximum_alignment();
            proptest::prop_assert!(align == 0 || (align.is_power_of_two() && align >= 4096));
        }
    }
}
