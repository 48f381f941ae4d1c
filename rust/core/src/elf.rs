// SPDX-License-Identifier: GPL-2.0

//! The ELF file header and the checks `load_elf_binary()` makes on it.
//!
//! C header: include/uapi/linux/elf.h
//!
//! The kernel reads the header straight out of `bprm->buf`, the first
//! `BINPRM_BUF_SIZE` bytes of the file, zero-filled past the end of a short file
//! (`prepare_binprm()` in fs/exec.c). Only the fields the loader looks at are
//! decoded, at the offsets of the class it is built for ([`ElfClass`]);
//! `EI_CLASS`, `EI_DATA`, `e_version`, `e_ehsize` and `e_flags` are ignored by the
//! kernel, so they are ignored here too: binfmt_elf decodes any file as ELF64 and
//! compat_binfmt_elf any file as ELF32, and `elf_check_arch()` alone tells them
//! apart.

use super::arch::Abi;
pub use super::class::Ehdr;
use super::class::ElfClass;
use super::errno::Errno;

/// `BINPRM_BUF_SIZE` (include/uapi/linux/binfmts.h): how much of the file the exec
/// core reads before asking the binfmts.
pub const BINPRM_BUF_SIZE: usize = 256;
/// What [`Ehdr::from_prefix`] decodes: the larger header, `sizeof(Elf64_Ehdr)`.
const HEADER_BYTES: usize = 64;
/// [`HEADER_BYTES`] in 8-byte words, what [`Ehdr::from_words`] decodes.
pub const HEADER_WORDS: usize = HEADER_BYTES / 8;
pub use super::page::ELF_MIN_ALIGN;
/// The absolute cap `load_elf_phdrs()` checks before the page-size one.
const PHDR_TABLE_MAX: usize = 65536;

/// `ELFMAG`: the four bytes every ELF file starts with.
pub const ELF_MAGIC: [u8; 4] = *b"\x7fELF";
/// `ET_EXEC`: an executable linked at fixed addresses.
pub const ET_EXEC: u16 = 2;
/// `ET_DYN`: position independent (PIE, static PIE, or a shared object such as ld.so).
pub const ET_DYN: u16 = 3;

/// The two kinds of file the ELF loader accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElfKind {
    /// `ET_EXEC`: mapped at its link addresses.
    Exec,
    /// `ET_DYN`: mapped at a load bias the loader chooses.
    Dyn,
}

impl Ehdr {
    /// Decodes the header of class `C` from the start of `buf`.
    ///
    /// Bytes missing from a short `buf` read as zero, as they do in the zero-filled
    /// `bprm->buf` of a short file: a 16-byte file starting with the magic has
    /// `e_type == 0` and is refused as the kernel refuses it.
    #[inline]
    pub fn from_prefix<C: ElfClass>(buf: &[u8]) -> Self {
        let mut words = [0u64; HEADER_WORDS];
        for (w, bytes) in words.iter_mut().zip(buf.chunks(8)) {
            let mut b = [0u8; 8];
            b[..bytes.len()].copy_from_slice(bytes);
            *w = u64::from_ne_bytes(b);
        }
        C::ehdr(&words)
    }

    /// Decodes the header of class `C` from the start of `words`, the 8-byte
    /// words of an aligned buffer holding the file's first bytes (`bprm->buf`, or
    /// the `kmalloc()` buffer of an interpreter's header): each field is one
    /// aligned load (see [`ElfClass`]). Words missing from a short `words` read as
    /// zero, as in [`Ehdr::from_prefix`].
    #[inline]
    pub fn from_words<C: ElfClass>(words: &[u64]) -> Self {
        // bprm->buf and an interpreter's header hold the fields of a whole header
        // (the 52 bytes of an Elf32_Ehdr its first 6 words): decode it where it is.
        if words.len() >= C::EHDR_WORDS {
            return C::ehdr(words);
        }
        let mut w = [0u64; HEADER_WORDS];
        let n = words.len().min(HEADER_WORDS);
        w[..n].copy_from_slice(&words[..n]);
        C::ehdr(&w)
    }

    /// The header checks at the top of `load_elf_binary()` (fs/binfmt_elf.c), in the
    /// same order: the magic, `e_type`, then `elf_check_arch()` of the ABI `A`. Each
    /// failure is `-ENOEXEC`, so the exec core goes on to the next binfmt.
    pub fn check<A: Abi>(&self) -> Result<ElfKind, Errno> {
        if self.magic != ELF_MAGIC {
            return Err(Errno::NoExec);
        }
        let kind = match self.e_type {
            ET_EXEC => ElfKind::Exec,
            ET_DYN => ElfKind::Dyn,
            _ => return Err(Errno::NoExec),
        };
        if !A::check_arch(self.e_machine, self.e_flags) {
            return Err(Errno::NoExec);
        }
        Ok(kind)
    }

    /// The size of the program header table, as `load_elf_phdrs()` validates it:
    /// `e_phentsize` must be `sizeof(struct elf_phdr)` of the class `C` and the
    /// table must be non-empty and fit in `ELF_MIN_ALIGN` bytes. Any failure is
    /// `-ENOEXEC` for the program (`load_elf_binary()` keeps its default retval) and
    /// `-ELIBBAD` for an interpreter, which the caller decides.
    pub fn phdr_table_size<C: ElfClass>(&self) -> Option<usize> {
        if usize::from(self.e_phentsize) != C::PHDR_SIZE {
            return None;
        }
        let size = C::PHDR_SIZE * usize::from(self.e_phnum);
        if size == 0 || size > PHDR_TABLE_MAX || size as u64 > ELF_MIN_ALIGN {
            return None;
        }
        Some(size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::x86::{Ia32, EM_386, EM_486, EM_X86_64, X86_64};
    use crate::class::{Elf32, Elf64};

    const EHDR_SIZE: usize = 64;
    const PHDR_SIZE: usize = 56;

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
        let h = Ehdr::from_prefix::<Elf64>(&header());
        assert_eq!(h.e_type, ET_EXEC);
        assert_eq!(h.e_machine, EM_X86_64);
        assert_eq!(h.e_entry, 0x401000);
        assert_eq!(h.e_phoff, 64);
        assert_eq!(h.check::<X86_64>(), Ok(ElfKind::Exec));
        assert_eq!(h.phdr_table_size::<Elf64>(), Some(56));
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
        assert_eq!(
            Ehdr::from_prefix::<Elf64>(&b).check::<X86_64>(),
            Ok(ElfKind::Exec)
        );
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
            assert_eq!(
                Ehdr::from_prefix::<Elf64>(&b).check::<X86_64>(),
                Err(Errno::NoExec)
            );
        }
        assert_eq!(Errno::NoExec.to_kernel(), -8);
    }

    #[test]
    fn short_files_read_as_zero_filled() {
        // The magic alone: e_type reads 0, so ENOEXEC.
        assert_eq!(
            Ehdr::from_prefix::<Elf64>(&ELF_MAGIC).check::<X86_64>(),
            Err(Errno::NoExec)
        );
        assert_eq!(
            Ehdr::from_prefix::<Elf64>(&[]).check::<X86_64>(),
            Err(Errno::NoExec)
        );
        assert_eq!(Ehdr::from_prefix::<Elf64>(&header()[..40]).e_phentsize, 0);
    }

    #[test]
    fn phdr_table_limits_of_6_12() {
        let with = |phentsize: u16, phnum: u16| {
            let mut b = header();
            b[54..56].copy_from_slice(&phentsize.to_le_bytes());
            b[56..58].copy_from_slice(&phnum.to_le_bytes());
            Ehdr::from_prefix::<Elf64>(&b).phdr_table_size::<Elf64>()
        };
        assert_eq!(with(56, 73), Some(4088));
        assert_eq!(with(56, 74), None, "6.12 caps the table at 4096 bytes");
        assert_eq!(with(56, 0), None);
        assert_eq!(with(56, 0xffff), None);
        assert_eq!(with(64, 1), None);
        assert_eq!(with(0, 1), None);
    }

    /// A minimal valid i386 header: ET_DYN, EM_386, one program header after it.
    fn header32() -> [u8; 52] {
        let mut b = [0u8; 52];
        b[..4].copy_from_slice(&ELF_MAGIC);
        b[4] = 1; // ELFCLASS32
        b[5] = 1;
        b[16..18].copy_from_slice(&ET_DYN.to_le_bytes());
        b[18..20].copy_from_slice(&EM_386.to_le_bytes());
        b[24..28].copy_from_slice(&0x1090u32.to_le_bytes());
        b[28..32].copy_from_slice(&52u32.to_le_bytes());
        b[42..44].copy_from_slice(&32u16.to_le_bytes());
        b[44..46].copy_from_slice(&1u16.to_le_bytes());
        b
    }

    #[test]
    fn decodes_an_elf32_header_as_compat_binfmt_elf_does() {
        let h = Ehdr::from_prefix::<Elf32>(&header32());
        assert_eq!(
            (h.e_entry, h.e_phoff, h.e_phentsize, h.e_phnum),
            (0x1090, 52, 32, 1)
        );
        assert_eq!(h.check::<Ia32>(), Ok(ElfKind::Dyn));
        assert_eq!(h.phdr_table_size::<Elf32>(), Some(32));
        // binfmt_elf refuses it by e_machine alone, whatever it decodes.
        assert_eq!(
            Ehdr::from_prefix::<Elf64>(&header32()).check::<X86_64>(),
            Err(Errno::NoExec)
        );
        // EM_486 is accepted too (elf_check_arch_ia32()); EM_X86_64 only with
        // X32_ABI, which binfmt_rs leaves to compat_binfmt_elf.
        let mut b = header32();
        b[18..20].copy_from_slice(&EM_486.to_le_bytes());
        assert_eq!(
            Ehdr::from_prefix::<Elf32>(&b).check::<Ia32>(),
            Ok(ElfKind::Dyn)
        );
        b[18..20].copy_from_slice(&EM_X86_64.to_le_bytes());
        assert_eq!(
            Ehdr::from_prefix::<Elf32>(&b).check::<Ia32>(),
            Err(Errno::NoExec)
        );
        // EI_CLASS is not looked at: an ELF64-class file with EM_386 is decoded as
        // ELF32 by compat_binfmt_elf.
        let mut b = header32();
        b[4] = 2;
        assert_eq!(
            Ehdr::from_prefix::<Elf32>(&b).check::<Ia32>(),
            Ok(ElfKind::Dyn)
        );
    }

    #[test]
    fn elf32_phdr_table_limits_of_6_12() {
        let with = |phentsize: u16, phnum: u16| {
            let mut b = header32();
            b[42..44].copy_from_slice(&phentsize.to_le_bytes());
            b[44..46].copy_from_slice(&phnum.to_le_bytes());
            Ehdr::from_prefix::<Elf32>(&b).phdr_table_size::<Elf32>()
        };
        assert_eq!(with(32, 128), Some(4096));
        assert_eq!(with(32, 129), None);
        assert_eq!(with(56, 1), None);
        assert_eq!(with(32, 0), None);
    }

    proptest::proptest! {
        #[test]
        fn decoding_never_panics_and_agrees_with_the_bytes(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)
        ) {
            let h = Ehdr::from_prefix::<Elf64>(&bytes);
            let byte = |i: usize| bytes.get(i).copied().unwrap_or(0);
            proptest::prop_assert_eq!(h.e_type, u16::from_le_bytes([byte(16), byte(17)]));
            if h.check::<X86_64>().is_ok() {
                proptest::prop_assert_eq!(&bytes[..4], &ELF_MAGIC[..]);
            }
            if let Some(size) = h.phdr_table_size::<Elf64>() {
                proptest::prop_assert!(size > 0 && size <= 4096 && size % PHDR_SIZE == 0);
            }
        }

        #[test]
        fn words_and_bytes_decode_alike(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80)
        ) {
            // The words of an aligned buffer holding `bytes`, zero-filled.
            let words = crate::class::tests::words::<u64>(&bytes);
            let le = |at: usize, n: usize| {
                let mut v = [0u8; 8];
                for (i, b) in v.iter_mut().take(n).enumerate() {
                    *b = bytes.get(at + i).copied().unwrap_or(0);
                }
                u64::from_le_bytes(v)
            };
            let h64 = Ehdr::from_words::<Elf64>(&words);
            proptest::prop_assert_eq!(h64, Ehdr::from_prefix::<Elf64>(&bytes));
            proptest::prop_assert_eq!(
                [h64.e_entry, h64.e_phoff, u64::from(h64.e_flags), u64::from(h64.e_phentsize)],
                [le(24, 8), le(32, 8), le(48, 4), le(54, 2)]
            );
            proptest::prop_assert_eq!(u64::from(h64.e_phnum), le(56, 2));
            let h32 = Ehdr::from_words::<Elf32>(&words);
            proptest::prop_assert_eq!(h32, Ehdr::from_prefix::<Elf32>(&bytes));
            proptest::prop_assert_eq!(
                [h32.e_entry, h32.e_phoff, u64::from(h32.e_flags), u64::from(h32.e_phentsize)],
                [le(24, 4), le(28, 4), le(36, 4), le(42, 2)]
            );
            proptest::prop_assert_eq!(
                [u64::from(h32.e_type), u64::from(h32.e_machine), u64::from(h32.e_phnum)],
                [le(16, 2), le(18, 2), le(44, 2)]
            );
            proptest::prop_assert_eq!(u64::from(u32::from_le_bytes(h32.magic)), le(0, 4));
        }
    }
}
