// SPDX-License-Identifier: GPL-2.0

//! The ELF64 file header and the checks `load_elf_binary()` makes on it.
//!
//! C header: include/uapi/linux/elf.h
//!
//! The kernel reads the header straight out of `bprm->buf`, the first
//! `BINPRM_BUF_SIZE` bytes of the file, zero-filled past the end of a short file
//! (`prepare_binprm()` in fs/exec.c). Only the fields the 64-bit loader looks at are
//! decoded; `EI_CLASS`, `EI_DATA`, `e_version`, `e_ehsize` and `e_flags` are ignored by
//! the kernel, so they are ignored here too.

use super::errno::Errno;

/// `BINPRM_BUF_SIZE` (include/uapi/linux/binfmts.h): how much of the file the exec
/// core reads before asking the binfmts.
pub const BINPRM_BUF_SIZE: usize = 256;
/// `sizeof(Elf64_Ehdr)`.
pub const EHDR_SIZE: usize = 64;
/// `sizeof(Elf64_Phdr)`: the only `e_phentsize` the 64-bit loader accepts.
pub const PHDR_SIZE: usize = 56;
/// `ELF_MIN_ALIGN` on x86_64 (`PAGE_SIZE`). In 6.12 it also caps the size of the
/// program header table (`load_elf_phdrs()`), so at most 73 entries are accepted.
pub const ELF_MIN_ALIGN: u64 = 4096;
/// The absolute cap `load_elf_phdrs()` checks before the page-size one.
const PHDR_TABLE_MAX: usize = 65536;

/// `ELFMAG`: the four bytes every ELF file starts with.
pub const ELF_MAGIC: [u8; 4] = *b"\x7fELF";
/// `ET_EXEC`: an executable linked at fixed addresses.
pub const ET_EXEC: u16 = 2;
/// `ET_DYN`: position independent (PIE, static PIE, or a shared object such as ld.so).
pub const ET_DYN: u16 = 3;
/// `EM_X86_64`: what `elf_check_arch()` requires on x86_64 (arch/x86/include/asm/elf.h).
pub const EM_X86_64: u16 = 62;

/// The fields of an `Elf64_Ehdr` that the loader uses, decoded little-endian.
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
    /// `e_phentsize`: size of one program header.
    pub e_phentsize: u16,
    /// `e_phnum`: number of program headers.
    pub e_phnum: u16,
}

/// The two kinds of file the ELF loader accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElfKind {
    /// `ET_EXEC`: mapped at its link addresses.
    Exec,
    /// `ET_DYN`: mapped at a load bias the loader chooses.
    Dyn,
}

fn u16_at(b: &[u8; EHDR_SIZE], off: usize) -> u16 {
    u16::from_le_bytes([b[off], b[off + 1]])
}

fn u64_at(b: &[u8; EHDR_SIZE], off: usize) -> u64 {
    let mut v = [0u8; 8];
    v.copy_from_slice(&b[off..off + 8]);
    u64::from_le_bytes(v)
}

impl Ehdr {
    /// Decodes the header from the start of `buf`.
    ///
    /// Bytes missing from a short `buf` read as zero, as they do in the zero-filled
    /// `bprm->buf` of a short file: a 16-byte file starting with the magic has
    /// `e_type == 0` and is refused as the kernel refuses it.
    pub fn from_prefix(buf: &[u8]) -> Self {
        // bprm->buf always holds a whole header: decode it where it is.
        if let Some(whole) = buf.first_chunk::<EHDR_SIZE>() {
            return Self::from_bytes(whole);
        }
        let mut b = [0u8; EHDR_SIZE];
        let n = buf.len().min(EHDR_SIZE);
        b[..n].copy_from_slice(&buf[..n]);
        Self::from_bytes(&b)
    }

    fn from_bytes(b: &[u8; EHDR_SIZE]) -> Self {
        Ehdr {
            magic: [b[0], b[1], b[2], b[3]],
            e_type: u16_at(b, 16),
            e_machine: u16_at(b, 18),
            e_entry: u64_at(b, 24),
            e_phoff: u64_at(b, 32),
            e_phentsize: u16_at(b, 54),
            e_phnum: u16_at(b, 56),
        }
    }

    /// The header checks at the top of `load_elf_binary()` (fs/binfmt_elf.c), in the
    /// same order: the magic, `e_type`, then `elf_check_arch()`. Each failure is
    /// `-ENOEXEC`, so the exec core goes on to the next binfmt.
    pub fn check(&self) -> Result<ElfKind, Errno> {
        if self.magic != ELF_MAGIC {
            return Err(Errno::NoExec);
        }
        let kind = match self.e_type {
            ET_EXEC => ElfKind::Exec,
            ET_DYN => ElfKind::Dyn,
            _ => return Err(Errno::NoExec),
        };
        if self.e_machine != EM_X86_64 {
            return Err(Errno::NoExec);
        }
        Ok(kind)
    }

    /// The size of the program header table, as `load_elf_phdrs()` validates it:
    /// `e_phentsize` must be `sizeof(Elf64_Phdr)` and the table must be non-empty and
    /// fit in `ELF_MIN_ALIGN` bytes. Any failure is `-ENOEXEC` for the program
    /// (`load_elf_binary()` keeps its default retval) and `-ELIBBAD` for an
    /// interpreter, which the caller decides.
    pub fn phdr_table_size(&self) -> Option<usize> {
        if usize::from(self.e_phentsize) != PHDR_SIZE {
            return None;
        }
        let size = PHDR_SIZE * usize::from(self.e_phnum);
        if size == 0 || size > PHDR_TABLE_MAX || size as u64 > ELF_MIN_ALIGN {
            return None;
        }
        Some(size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal valid header: ET_EXEC, x86_64, one program header right after it.
    fn header() -> [u8; EHDR_SIZE] {
        let mut b = [0u8; EHDR_SIZE];
        b[..4].copy_from_slice(&ELF_MAGIC);
        b[4] = 2; // ELFCLASS64
        b[5] = 1; // ELFDATA2LSB
        b[16..18].copy_from_slice(&ET_EXEC.to_le_bytes());
        b[18..20].copy_from_slice(&EM_X86_64.to_le_bytes());
        b[24..32].copy_from_slice(&0x401000u64.to_le_bytes());
        b[32..40].copy_from_slice(&64u64.to_le_bytes());
        b[54..56].copy_from_slice(&56u16.to_le_bytes());
        b[56..58].copy_from_slice(&1u16.to_le_bytes());
        b
    }

    #[test]
    fn decodes_the_fields_the_loader_reads() {
        let h = Ehdr::from_prefix(&header());
        assert_eq!(h.e_type, ET_EXEC);
        assert_eq!(h.e_machine, EM_X86_64);
        assert_eq!(h.e_entry, 0x401000);
        assert_eq!(h.e_phoff, 64);
        assert_eq!(h.check(), Ok(ElfKind::Exec));
        assert_eq!(h.phdr_table_size(), Some(56));
    }

    #[test]
    fn ignores_the_fields_the_kernel_ignores() {
        // EI_CLASS=1, EI_DATA=MSB, e_version=0, e_flags: the 64-bit loader runs such a
        // file (edge cases 8-10 of the spec).
        let mut b = header();
        b[4] = 1;
        b[5] = 2;
        b[6] = 0;
        b[48..52].copy_from_slice(&0xdeadu32.to_le_bytes());
        assert_eq!(Ehdr::from_prefix(&b).check(), Ok(ElfKind::Exec));
    }

    #[test]
    fn refuses_what_load_elf_binary_refuses() {
        let mut bad_magic = header();
        bad_magic[3] = b'G';
        let mut rel = header();
        rel[16] = 1;
        let mut core = header();
        core[16] = 4;
        let mut arm = header();
        arm[18..20].copy_from_slice(&183u16.to_le_bytes());
        let mut i386 = header();
        i386[18..20].copy_from_slice(&3u16.to_le_bytes());
        for b in [bad_magic, rel, core, arm, i386] {
            assert_eq!(Ehdr::from_prefix(&b).check(), Err(Errno::NoExec));
        }
        assert_eq!(Errno::NoExec.to_kernel(), -8);
    }

    #[test]
    fn short_files_read_as_zero_filled() {
        // The magic alone: e_type reads 0, so ENOEXEC.
        assert_eq!(Ehdr::from_prefix(&ELF_MAGIC).check(), Err(Errno::NoExec));
        assert_eq!(Ehdr::from_prefix(&[]).check(), Err(Errno::NoExec));
        assert_eq!(Ehdr::from_prefix(&header()[..40]).e_phentsize, 0);
    }

    #[test]
    fn phdr_table_limits_of_6_12() {
        let with = |phentsize: u16, phnum: u16| {
            let mut b = header();
            b[54..56].copy_from_slice(&phentsize.to_le_bytes());
            b[56..58].copy_from_slice(&phnum.to_le_bytes());
            Ehdr::from_prefix(&b).phdr_table_size()
        };
        assert_eq!(with(56, 73), Some(4088));
        assert_eq!(with(56, 74), None, "6.12 caps the table at 4096 bytes");
        assert_eq!(with(56, 0), None);
        assert_eq!(with(56, 0xffff), None);
        assert_eq!(with(64, 1), None);
        assert_eq!(with(0, 1), None);
    }

    proptest::proptest! {
        #[test]
        fn decoding_never_panics_and_agrees_with_the_bytes(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)
        ) {
            let h = Ehdr::from_prefix(&bytes);
            let byte = |i: usize| bytes.get(i).copied().unwrap_or(0);
            proptest::prop_assert_eq!(h.e_type, u16::from_le_bytes([byte(16), byte(17)]));
            if h.check().is_ok() {
                proptest::prop_assert_eq!(&bytes[..4], &ELF_MAGIC[..]);
            }
            if let Some(size) = h.phdr_table_size() {
                proptest::prop_assert!(size > 0 && size <= 4096 && size % PHDR_SIZE == 0);
            }
        }
    }
}
