// SPDX-License-Identifier: GPL-2.0

//! Encoders of the ELF file the loops read: an `Elf64_Ehdr` or `Elf32_Ehdr` with
//! the fields `load_elf_binary()` looks at, and program header tables of either
//! class in the bytes `load_elf_phdrs()` reads, as the words `Phdrs` views (include/uapi/linux/elf.h).

use binfmt_rs_core::arch::x86::{EM_386, EM_X86_64};
use binfmt_rs_core::class::{Elf32, Elf64, ElfClass, Word};
use binfmt_rs_core::elf::{Ehdr, ELF_MAGIC, ET_DYN, ET_EXEC};
use binfmt_rs_core::phdr::{Phdr, PT_LOAD};

const PHDR_SIZE: usize = Elf64::PHDR_SIZE;

/// `ET_EXEC`, a program linked at fixed addresses.
pub const EXEC: u16 = ET_EXEC;
/// `ET_DYN`, a PIE or a shared object.
pub const DYN: u16 = ET_DYN;

/// An x86_64 ELF header with the fields the PT_LOAD loop reads.
pub fn ehdr(e_type: u16, e_entry: u64, e_phoff: u64, e_phnum: u16) -> Ehdr {
    Ehdr {
        magic: ELF_MAGIC,
        e_type,
        e_machine: EM_X86_64,
        e_entry,
        e_phoff,
        e_flags: 0,
        e_phentsize: PHDR_SIZE as u16,
        e_phnum,
    }
}

/// The 56 bytes of an `Elf64_Phdr`, little-endian.
pub fn encode(ph: &Phdr) -> Vec<u8> {
    let mut b = Vec::with_capacity(PHDR_SIZE);
    b.extend_from_slice(&ph.p_type.to_le_bytes());
    b.extend_from_slice(&ph.p_flags.to_le_bytes());
    for v in [
        ph.p_offset,
        ph.p_vaddr,
        ph.p_paddr,
        ph.p_filesz,
        ph.p_memsz,
        ph.p_align,
    ] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b
}

/// `bytes` as the words of class `C` (`C::Word`) of the `kmalloc()` buffer they
/// are read into, zero-filled to a whole word: what `Phdrs` views.
pub fn words<C: ElfClass>(bytes: &[u8]) -> Vec<C::Word> {
    let size = size_of::<C::Word>();
    bytes
        .chunks(size)
        .map(|c| {
            let mut w = [0u8; 8];
            w[..c.len()].copy_from_slice(c);
            // The word's bytes in memory order, whatever the host's.
            let value = if size == 8 {
                u64::from_ne_bytes(w)
            } else {
                u64::from(u32::from_ne_bytes([w[0], w[1], w[2], w[3]]))
            };
            C::Word::from_ulong(value)
        })
        .collect()
}

/// A program header table holding `phdrs`, as the words of its buffer.
pub fn table(phdrs: &[Phdr]) -> Vec<u64> {
    words::<Elf64>(&phdrs.iter().flat_map(encode).collect::<Vec<u8>>())
}

/// An i386 ELF header with the fields the PT_LOAD loop reads.
pub fn ehdr32(e_type: u16, e_entry: u64, e_phoff: u64, e_phnum: u16) -> Ehdr {
    Ehdr {
        e_machine: EM_386,
        e_phentsize: Elf32::PHDR_SIZE as u16,
        ..ehdr(e_type, e_entry, e_phoff, e_phnum)
    }
}

/// The 32 bytes of an `Elf32_Phdr`, little-endian: `p_flags` after `p_memsz`,
/// every other field truncated to 32 bits.
pub fn encode32(ph: &Phdr) -> Vec<u8> {
    let mut b = Vec::with_capacity(Elf32::PHDR_SIZE);
    b.extend_from_slice(&ph.p_type.to_le_bytes());
    for v in [ph.p_offset, ph.p_vaddr, ph.p_paddr, ph.p_filesz, ph.p_memsz] {
        b.extend_from_slice(&(v as u32).to_le_bytes());
    }
    b.extend_from_slice(&ph.p_flags.to_le_bytes());
    b.extend_from_slice(&(ph.p_align as u32).to_le_bytes());
    b
}

/// An ELF32 program header table holding `phdrs`, as the words of its buffer.
pub fn table32(phdrs: &[Phdr]) -> Vec<u32> {
    words::<Elf32>(&phdrs.iter().flat_map(encode32).collect::<Vec<u8>>())
}

/// A PT_LOAD aligned to a page.
pub fn load(flags: u32, offset: u64, vaddr: u64, filesz: u64, memsz: u64) -> Phdr {
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
