// SPDX-License-Identifier: GPL-2.0

//! The two ELF classes: what fs/compat_binfmt_elf.c changes when it compiles
//! binfmt_elf.c a second time.
//!
//! C headers: include/uapi/linux/elf.h (`Elf64_Ehdr`, `Elf32_Ehdr`, `Elf64_Phdr`,
//! `Elf32_Phdr`); C file: fs/compat_binfmt_elf.c, whose `#define`s rename
//! `elfhdr`, `elf_phdr` and `elf_addr_t` to their 32-bit types.
//!
//! The loader is generic over [`ElfClass`] and the compiler builds it once per
//! class, as the kernel does. Everything else stays in the C's `unsigned long`: a
//! 32-bit field is zero-extended when decoded (the C's implicit conversion), so the
//! arithmetic, the overflow checks and the `TASK_SIZE` comparisons are the ones
//! the 64-bit kernel runs for a 32-bit file. Only what the C stores in an
//! `elf_addr_t` (the auxv, argc, argv and envp) is truncated, by [`Word`].

use core::fmt::Debug;

/// Keeps [`Word`] to `u32` and `u64`: the glue hands slices of words to C as
/// arrays of `u32` or `unsigned long`.
mod sealed {
    pub trait Sealed {}
    impl Sealed for u32 {}
    impl Sealed for u64 {}
}

/// `elf_addr_t`: a word of the initial stack and of the auxv; `u32` or `u64`
/// only (the trait is sealed), so a `&[W]` is an array of plain integers of
/// `SIZE` bytes each.
pub trait Word: sealed::Sealed + Copy + Default + Debug + PartialEq + 'static {
    /// `sizeof(elf_addr_t)`.
    const SIZE: u64;
    /// The C's assignment of an `unsigned long` to an `elf_addr_t`: truncating.
    fn from_ulong(value: u64) -> Self;
    /// The word zero-extended to an `unsigned long`.
    fn to_ulong(self) -> u64;
}

impl Word for u64 {
    const SIZE: u64 = 8;

    #[inline(always)]
    fn from_ulong(value: u64) -> Self {
        value
    }

    #[inline(always)]
    fn to_ulong(self) -> u64 {
        self
    }
}

impl Word for u32 {
    const SIZE: u64 = 4;

    #[inline(always)]
    fn from_ulong(value: u64) -> Self {
        value as u32
    }

    #[inline(always)]
    fn to_ulong(self) -> u64 {
        u64::from(self)
    }
}

/// The layouts of one ELF class: header, program header and `elf_addr_t`.
///
/// The program header decoders take a whole entry as words of the class's
/// [`ElfClass::Word`] (`PHDR_WORDS` of them, which the callers guarantee) and
/// read little-endian, as the loaders do whatever `EI_DATA` says; a scan that
/// needs two fields decodes the entry and reads them, the other loads being dead
/// once it is inlined.
///
/// Words rather than bytes because the table is a `kmalloc()` buffer, aligned to
/// `ARCH_KMALLOC_MINALIGN` (at least 8), and an entry is a whole number of
/// words, each field one word (`Elf32_Phdr`) or one word or half of one
/// (`Elf64_Phdr`'s `p_type` and `p_flags` share the first): each field is one
/// aligned load, where a field of a byte slice is a load of each byte on an arch
/// whose Rust target forbids unaligned accesses (arm64's
/// `aarch64-unknown-none-softfloat` has `+strict-align`; the C has no such rule
/// and loads each field whole).
pub trait ElfClass: Copy + Debug + Default + PartialEq + 'static {
    /// `sizeof(elfhdr)`: what `load_elf_binary()` reads of an interpreter.
    const EHDR_SIZE: usize;
    /// `sizeof(struct elf_phdr)`: the only `e_phentsize` accepted, and `AT_PHENT`.
    const PHDR_SIZE: usize;
    /// `elf_addr_t`, also the unit of a program header table's buffer.
    type Word: Word;
    /// `PHDR_SIZE` in [`ElfClass::Word`]s.
    const PHDR_WORDS: usize = Self::PHDR_SIZE / core::mem::size_of::<Self::Word>();
    /// The name the module's log lines and statistics use.
    const NAME: &'static str;
    /// `ELF_GNU_PROPERTY_ALIGN` (include/linux/elf.h; fs/compat_binfmt_elf.c
    /// redefines it): the alignment of a PT_GNU_PROPERTY note's properties.
    const GNU_PROPERTY_ALIGN: usize;

    /// How many 8-byte words from the start of a header hold the fields
    /// [`Ehdr`] keeps: 8 for `Elf64_Ehdr` (`e_phnum` is at byte 56), 6 for
    /// `Elf32_Ehdr` (`e_phnum` is at byte 44).
    const EHDR_WORDS: usize;
    /// The header whose first `EHDR_WORDS` words are those of `w`; the default
    /// header if `w` is shorter (the callers never pass one).
    fn ehdr(w: &[u64]) -> Ehdr;
    /// The whole entry `raw`, decoded.
    fn phdr(raw: &[Self::Word]) -> Phdr;
    /// `p_type` of the entry `raw`: its first 4 bytes in either class.
    fn p_type(raw: &[Self::Word]) -> u32;

    /// The sum of two fields as the C computes it when both are of the file's
    /// types, with no `unsigned long` operand: an `Elf32_Addr + Elf32_Word` wraps
    /// at 32 bits (`total_mapping_size()`'s `p_vaddr + p_memsz`, the AT_PHDR test's
    /// `p_offset + p_filesz`).
    fn add(a: u64, b: u64) -> u64;
}

/// An `Elf64_Phdr` or `Elf32_Phdr`, decoded little-endian (the x86 loaders never
/// look at `EI_DATA`), its fields widened to `unsigned long`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Phdr {
    /// `p_type`.
    pub p_type: u32,
    /// `p_flags`: `PF_R | PF_W | PF_X`.
    pub p_flags: u32,
    /// `p_offset`: file offset of the segment.
    pub p_offset: u64,
    /// `p_vaddr`: virtual address of the segment, unbiased.
    pub p_vaddr: u64,
    /// `p_paddr`: unused by the kernel.
    pub p_paddr: u64,
    /// `p_filesz`: bytes of the segment backed by the file.
    pub p_filesz: u64,
    /// `p_memsz`: bytes of the segment in memory.
    pub p_memsz: u64,
    /// `p_align`: requested alignment.
    pub p_align: u64,
}

/// The fields of an `Elf64_Ehdr` or `Elf32_Ehdr` that the loader uses, decoded
/// little-endian and widened to `unsigned long`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ehdr {
    /// `e_ident[0..4]`.
    pub magic: [u8; 4],
    /// `e_type`.
    pub e_type: u16,
    /// `e_machine`.
    pub e_machine: u16,
    /// `e_entry`: the entry point, unbiased.
    pub e_entry: u64,
    /// `e_phoff`: file offset of the program header table.
    pub e_phoff: u64,
    /// `e_flags`: arch flags (an AArch32 program's EABI version).
    pub e_flags: u32,
    /// `e_phentsize`: size of one program header.
    pub e_phentsize: u16,
    /// `e_phnum`: number of program headers.
    pub e_phnum: u16,
}

/// The 4 bytes at the start of the little-endian word `w`.
#[inline(always)]
fn lo(w: u64) -> u32 {
    u64::from_le(w) as u32
}

/// The 4 bytes at offset 4 of the little-endian word `w`.
#[inline(always)]
fn hi(w: u64) -> u32 {
    (u64::from_le(w) >> 32) as u32
}

/// The 2 bytes at offset `at` (0, 2, 4 or 6) of the little-endian word `w`.
#[inline(always)]
fn half(w: u64, at: u32) -> u16 {
    (u64::from_le(w) >> (at * 8)) as u16
}

/// `e_ident[EI_MAG0..=EI_MAG3]`: the 4 bytes at the start of the first word.
#[inline(always)]
fn magic(w: u64) -> [u8; 4] {
    lo(w).to_le_bytes()
}

/// `ELFCLASS64`: `Elf64_Ehdr`, `Elf64_Phdr`, an 8-byte `elf_addr_t`
/// (fs/binfmt_elf.c as it is).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Elf64;

impl ElfClass for Elf64 {
    const EHDR_SIZE: usize = 64;
    const PHDR_SIZE: usize = 56;
    type Word = u64;
    const NAME: &'static str = "ELF64";
    /// `ELF64_GNU_PROPERTY_ALIGN`.
    const GNU_PROPERTY_ALIGN: usize = 8;

    const EHDR_WORDS: usize = 8;

    #[inline(always)]
    fn ehdr(w: &[u64]) -> Ehdr {
        let Some(w) = w.first_chunk::<8>() else {
            return Ehdr::default();
        };
        // Bytes 16-23: e_type, e_machine, e_version; 48-55: e_flags, e_ehsize,
        // e_phentsize; 56-63: e_phnum, e_shentsize, e_shnum, e_shstrndx.
        Ehdr {
            magic: magic(w[0]),
            e_type: half(w[2], 0),
            e_machine: half(w[2], 2),
            e_entry: u64::from_le(w[3]),
            e_phoff: u64::from_le(w[4]),
            e_flags: lo(w[6]),
            e_phentsize: half(w[6], 6),
            e_phnum: half(w[7], 0),
        }
    }

    #[inline(always)]
    fn p_type(raw: &[u64]) -> u32 {
        raw.first().map_or(0, |&w| lo(w))
    }

    #[inline(always)]
    fn phdr(raw: &[u64]) -> Phdr {
        // One length check for the whole entry (the callers' chunks are whole);
        // the fields' reads at constant indexes of the array need none.
        let Some(&[type_flags, offset, vaddr, paddr, filesz, memsz, align]) =
            raw.first_chunk::<7>()
        else {
            return Phdr::default();
        };
        Phdr {
            p_type: lo(type_flags),
            p_flags: hi(type_flags),
            p_offset: u64::from_le(offset),
            p_vaddr: u64::from_le(vaddr),
            p_paddr: u64::from_le(paddr),
            p_filesz: u64::from_le(filesz),
            p_memsz: u64::from_le(memsz),
            p_align: u64::from_le(align),
        }
    }

    #[inline(always)]
    fn add(a: u64, b: u64) -> u64 {
        a.wrapping_add(b)
    }
}

/// `ELFCLASS32`: `Elf32_Ehdr`, `Elf32_Phdr`, a 4-byte `elf_addr_t`
/// (fs/compat_binfmt_elf.c: `#define elfhdr elf32_hdr`, `#define elf_phdr
/// elf32_phdr`, `#define elf_addr_t Elf32_Addr`). `p_flags` moves after `p_memsz`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Elf32;

impl ElfClass for Elf32 {
    const EHDR_SIZE: usize = 52;
    const PHDR_SIZE: usize = 32;
    type Word = u32;
    const NAME: &'static str = "ELF32";
    /// `ELF32_GNU_PROPERTY_ALIGN`.
    const GNU_PROPERTY_ALIGN: usize = 4;

    const EHDR_WORDS: usize = 6;

    #[inline(always)]
    fn ehdr(w: &[u64]) -> Ehdr {
        let Some(w) = w.first_chunk::<6>() else {
            return Ehdr::default();
        };
        // Bytes 16-23: e_type, e_machine, e_version; 24-31: e_entry, e_phoff;
        // 32-39: e_shoff, e_flags; 40-47: e_ehsize, e_phentsize, e_phnum,
        // e_shentsize.
        Ehdr {
            magic: magic(w[0]),
            e_type: half(w[2], 0),
            e_machine: half(w[2], 2),
            e_entry: u64::from(lo(w[3])),
            e_phoff: u64::from(hi(w[3])),
            e_flags: hi(w[4]),
            e_phentsize: half(w[5], 2),
            e_phnum: half(w[5], 4),
        }
    }

    #[inline(always)]
    fn p_type(raw: &[u32]) -> u32 {
        raw.first().map_or(0, |&w| u32::from_le(w))
    }

    #[inline(always)]
    fn phdr(raw: &[u32]) -> Phdr {
        // Eight 4-byte fields, one word each.
        let Some(&[p_type, offset, vaddr, paddr, filesz, memsz, flags, align]) =
            raw.first_chunk::<8>()
        else {
            return Phdr::default();
        };
        let wide = |w: u32| u64::from(u32::from_le(w));
        Phdr {
            p_type: u32::from_le(p_type),
            p_flags: u32::from_le(flags),
            p_offset: wide(offset),
            p_vaddr: wide(vaddr),
            p_paddr: wide(paddr),
            p_filesz: wide(filesz),
            p_memsz: wide(memsz),
            p_align: wide(align),
        }
    }

    #[inline(always)]
    fn add(a: u64, b: u64) -> u64 {
        u64::from((a as u32).wrapping_add(b as u32))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::vec::Vec;

    #[test]
    fn layouts_of_include_uapi_linux_elf_h() {
        assert_eq!((Elf64::EHDR_SIZE, Elf64::PHDR_SIZE, u64::SIZE), (64, 56, 8));
        assert_eq!((Elf32::EHDR_SIZE, Elf32::PHDR_SIZE, u32::SIZE), (52, 32, 4));
    }

    /// `bytes` as the words of `W` of a `kmalloc()` buffer holding them, in memory
    /// order, zero-filled to a whole word: what the decoders read.
    pub(crate) fn words<W: Word>(bytes: &[u8]) -> Vec<W> {
        bytes
            .chunks(W::SIZE as usize)
            .map(|c| {
                let mut w = [0u8; 8];
                w[..c.len()].copy_from_slice(c);
                let value = if W::SIZE == 8 {
                    u64::from_ne_bytes(w)
                } else {
                    u64::from(u32::from_ne_bytes([w[0], w[1], w[2], w[3]]))
                };
                W::from_ulong(value)
            })
            .collect()
    }

    #[test]
    fn elf32_fields_are_zero_extended_and_words_truncated() {
        let mut raw = [0u8; 32];
        raw[8..12].copy_from_slice(&0xffff_f000u32.to_le_bytes());
        raw[24..28].copy_from_slice(&5u32.to_le_bytes());
        let ph = Elf32::phdr(&words::<u32>(&raw));
        assert_eq!((ph.p_vaddr, ph.p_flags), (0xffff_f000, 5));
        assert_eq!(u32::from_ulong(0x1_2345_6789), 0x2345_6789);
        assert_eq!(u32::from_ulong(-1i64 as u64).to_ulong(), 0xffff_ffff);
        assert_eq!(Elf32::add(0xffff_f000, 0x2000), 0x1000);
        assert_eq!(Elf64::add(0xffff_f000, 0x2000), 0x1_0000_1000);
    }

    #[test]
    fn each_field_is_read_from_its_offset() {
        let raw: std::vec::Vec<u8> = (0..56).collect();
        let ph = Elf32::phdr(&words::<u32>(&raw[..32]));
        assert_eq!(
            [
                ph.p_type,
                ph.p_offset as u32,
                ph.p_vaddr as u32,
                ph.p_paddr as u32
            ],
            [0x0302_0100, 0x0706_0504, 0x0b0a_0908, 0x0f0e_0d0c]
        );
        assert_eq!(
            [
                ph.p_filesz as u32,
                ph.p_memsz as u32,
                ph.p_flags,
                ph.p_align as u32
            ],
            [0x1312_1110, 0x1716_1514, 0x1b1a_1918, 0x1f1e_1d1c]
        );
        assert_eq!(Elf32::p_type(&words::<u32>(&raw[..32])), 0x0302_0100);
        assert_eq!(
            Elf32::phdr(&words::<u32>(&raw[..24])),
            Phdr::default(),
            "a short entry"
        );
        assert_eq!(
            Elf64::phdr(&words::<u64>(&raw[..48])),
            Phdr::default(),
            "a short entry"
        );
        let ph = Elf64::phdr(&words::<u64>(&raw));
        assert_eq!([ph.p_type, ph.p_flags], [0x0302_0100, 0x0706_0504]);
        assert_eq!(ph.p_align, 0x3736_3534_3332_3130);
        assert_eq!(Elf64::p_type(&[]), 0);
    }
}
