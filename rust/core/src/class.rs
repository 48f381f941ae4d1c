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
/// The decoders take a whole entry (`PHDR_SIZE` bytes, which the callers
/// guarantee) and read little-endian, as the x86 loaders do whatever `EI_DATA`
/// says; a scan that needs two fields decodes the entry and reads them, the
/// other loads being dead once it is inlined.
pub trait ElfClass: Copy + Debug + Default + PartialEq + 'static {
    /// `sizeof(elfhdr)`: what `load_elf_binary()` reads of an interpreter.
    const EHDR_SIZE: usize;
    /// `sizeof(struct elf_phdr)`: the only `e_phentsize` accepted, and `AT_PHENT`.
    const PHDR_SIZE: usize;
    /// `elf_addr_t`.
    type Word: Word;
    /// The name the module's log lines and statistics use.
    const NAME: &'static str;
    /// `ELF_GNU_PROPERTY_ALIGN` (include/linux/elf.h; fs/compat_binfmt_elf.c
    /// redefines it): the alignment of a PT_GNU_PROPERTY note's properties.
    const GNU_PROPERTY_ALIGN: usize;

    /// The header whose first 64 bytes are `b` (zero-filled past a short file).
    fn ehdr(b: &[u8; 64]) -> Ehdr;
    /// The first entry of `table` and the rest, if it holds a whole entry.
    fn split_entry(table: &[u8]) -> Option<(&[u8], &[u8])>;
    /// The whole entry `raw`, decoded.
    fn phdr(raw: &[u8]) -> Phdr;

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

/// The `N` bytes at `at` of `raw`; zeros past its end (never the case for the
/// offsets of a field within a whole entry).
#[inline(always)]
fn bytes_at<const N: usize>(raw: &[u8], at: usize) -> [u8; N] {
    match raw.get(at..).and_then(<[u8]>::first_chunk::<N>) {
        Some(bytes) => *bytes,
        None => [0; N],
    }
}

/// The little-endian `u16` at `at`.
#[inline(always)]
pub fn u16_at(raw: &[u8], at: usize) -> u16 {
    u16::from_le_bytes(bytes_at(raw, at))
}

/// The little-endian `u32` at `at`.
#[inline(always)]
pub fn u32_at(raw: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes_at(raw, at))
}

/// The little-endian `u64` at `at`.
#[inline(always)]
pub fn u64_at(raw: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes_at(raw, at))
}

/// The little-endian `u32` at `at`, zero-extended.
#[inline(always)]
fn u32_wide(raw: &[u8], at: usize) -> u64 {
    u64::from(u32_at(raw, at))
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

    #[inline(always)]
    fn ehdr(b: &[u8; 64]) -> Ehdr {
        Ehdr {
            magic: [b[0], b[1], b[2], b[3]],
            e_type: u16_at(b, 16),
            e_machine: u16_at(b, 18),
            e_entry: u64_at(b, 24),
            e_phoff: u64_at(b, 32),
            e_flags: u32_at(b, 48),
            e_phentsize: u16_at(b, 54),
            e_phnum: u16_at(b, 56),
        }
    }

    #[inline(always)]
    fn split_entry(table: &[u8]) -> Option<(&[u8], &[u8])> {
        table
            .split_first_chunk::<56>()
            .map(|(e, rest)| (&e[..], rest))
    }

    #[inline(always)]
    fn phdr(raw: &[u8]) -> Phdr {
        // One length check for the whole entry (the callers' chunks are whole);
        // the fields' reads at constant offsets of the array need none.
        let Some(e) = raw.first_chunk::<56>() else {
            return Phdr::default();
        };
        Phdr {
            p_type: u32_at(e, 0),
            p_flags: u32_at(e, 4),
            p_offset: u64_at(e, 8),
            p_vaddr: u64_at(e, 16),
            p_paddr: u64_at(e, 24),
            p_filesz: u64_at(e, 32),
            p_memsz: u64_at(e, 40),
            p_align: u64_at(e, 48),
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

    #[inline(always)]
    fn ehdr(b: &[u8; 64]) -> Ehdr {
        Ehdr {
            magic: [b[0], b[1], b[2], b[3]],
            e_type: u16_at(b, 16),
            e_machine: u16_at(b, 18),
            e_entry: u32_wide(b, 24),
            e_phoff: u32_wide(b, 28),
            e_flags: u32_at(b, 36),
            e_phentsize: u16_at(b, 42),
            e_phnum: u16_at(b, 44),
        }
    }

    #[inline(always)]
    fn split_entry(table: &[u8]) -> Option<(&[u8], &[u8])> {
        table
            .split_first_chunk::<32>()
            .map(|(e, rest)| (&e[..], rest))
    }

    #[inline(always)]
    fn phdr(raw: &[u8]) -> Phdr {
        let Some(e) = raw.first_chunk::<32>() else {
            return Phdr::default();
        };
        Phdr {
            p_type: u32_at(e, 0),
            p_flags: u32_at(e, 24),
            p_offset: u32_wide(e, 4),
            p_vaddr: u32_wide(e, 8),
            p_paddr: u32_wide(e, 12),
            p_filesz: u32_wide(e, 16),
            p_memsz: u32_wide(e, 20),
            p_align: u32_wide(e, 28),
        }
    }

    #[inline(always)]
    fn add(a: u64, b: u64) -> u64 {
        u64::from((a as u32).wrapping_add(b as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_of_include_uapi_linux_elf_h() {
        assert_eq!((Elf64::EHDR_SIZE, Elf64::PHDR_SIZE, u64::SIZE), (64, 56, 8));
        assert_eq!((Elf32::EHDR_SIZE, Elf32::PHDR_SIZE, u32::SIZE), (52, 32, 4));
    }

    #[test]
    fn elf32_fields_are_zero_extended_and_words_truncated() {
        let mut raw = [0u8; 32];
        raw[8..12].copy_from_slice(&0xffff_f000u32.to_le_bytes());
        raw[24..28].copy_from_slice(&5u32.to_le_bytes());
        let ph = Elf32::phdr(&raw);
        assert_eq!((ph.p_vaddr, ph.p_flags), (0xffff_f000, 5));
        assert_eq!(u32::from_ulong(0x1_2345_6789), 0x2345_6789);
        assert_eq!(u32::from_ulong(-1i64 as u64).to_ulong(), 0xffff_ffff);
        assert_eq!(Elf32::add(0xffff_f000, 0x2000), 0x1000);
        assert_eq!(Elf64::add(0xffff_f000, 0x2000), 0x1_0000_1000);
    }
}
