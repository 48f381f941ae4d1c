//! The parts of an ELF file's program headers that say how exec maps it: the
//! PT_LOAD segments, PT_GNU_RELRO, PT_INTERP and where the program headers
//! themselves end up (AT_PHDR).
//!
//! Parsing is `object`'s: it checks the header and the table bounds, so a truncated
//! or hostile file is an error here rather than a panic.

use std::fs::File;
use std::path::Path;

use crate::error::Error;
use object::elf::{self, FileHeader32, FileHeader64};
use object::read::elf::{FileHeader, ProgramHeader};
use object::read::{ReadCache, ReadRef};
use object::Endianness;
use serde::Serialize;

// object wraps these constants in newtypes; the plain numbers are what the
// program headers hold.
pub const ET_EXEC: u16 = elf::ET_EXEC.0;
pub const ET_DYN: u16 = elf::ET_DYN.0;
pub const PF_X: u32 = elf::PF_X.0;
pub const PF_W: u32 = elf::PF_W.0;
pub const PF_R: u32 = elf::PF_R.0;

/// A PT_LOAD program header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// Its index in the program header table: `PT_LOAD[n]` below.
    pub index: usize,
    /// PF_R, PF_W, PF_X as `rwx`.
    pub flags: Perms,
    pub offset: u64,
    pub vaddr: u64,
    pub filesz: u64,
    pub memsz: u64,
    pub align: u64,
}

/// ELF segment flags, serialised as `rwx`-style text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Perms(pub u32);

impl Perms {
    #[cfg(test)]
    pub fn executable(self) -> bool {
        self.0 & PF_X != 0
    }
}

impl std::fmt::Display for Perms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let flag = |bit, c| if self.0 & bit != 0 { c } else { '-' };
        write!(
            f,
            "{}{}{}",
            flag(PF_R, 'r'),
            flag(PF_W, 'w'),
            flag(PF_X, 'x')
        )
    }
}

impl Serialize for Perms {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What exec needs to know about an ELF file, and what execprobe checks it against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElfInfo {
    /// ELFCLASS32: an i386 program, whose auxv and stack words are 4 bytes.
    pub class32: bool,
    /// `e_type`: ET_EXEC is mapped where it says, ET_DYN anywhere (a load bias).
    pub e_type: u16,
    pub entry: u64,
    pub segments: Vec<Segment>,
    /// `p_vaddr` and `p_memsz` of PT_GNU_RELRO: what the dynamic linker, or a
    /// static PIE's startup code, makes read-only after relocating.
    pub relro: Option<(u64, u64)>,
    /// The virtual address of the program header table, as `load_elf_binary`
    /// (fs/binfmt_elf.c) computes it for AT_PHDR: from the PT_LOAD whose file range
    /// holds `e_phoff`.
    pub phdr_vaddr: Option<u64>,
    /// PT_INTERP: the path of the interpreter.
    pub interp: Option<String>,
}

impl ElfInfo {
    pub fn type_name(&self) -> String {
        match self.e_type {
            ET_EXEC => "ET_EXEC".into(),
            ET_DYN => "ET_DYN".into(),
            other => format!("e_type {other}"),
        }
    }
}

/// Reads the program headers of the ELF file at `path`, reading only the parts of
/// the file that they occupy (an executable can be hundreds of megabytes).
pub fn read(path: &Path) -> Result<ElfInfo, Error> {
    let file = File::open(path).map_err(|e| format!("opening {}: {e}", path.display()))?;
    let cache = ReadCache::new(file);
    parse(&cache)
        .map_err(|e| format!("{}: {e}", path.display()))
        .map_err(Error::new)
}

/// Parses the ELF header and the program headers of an ELF file of either class,
/// as `EI_CLASS` says.
pub fn parse<'data, R: ReadRef<'data>>(data: R) -> Result<ElfInfo, Error> {
    // e_ident[EI_CLASS], the fifth byte.
    let class = data
        .read_bytes_at(4, 1)
        .map_err(|()| "too short for an ELF header".to_owned())?;
    if class == [elf::ELFCLASS32.0] {
        parse_class::<FileHeader32<Endianness>, R>(data, true)
    } else {
        parse_class::<FileHeader64<Endianness>, R>(data, false)
    }
}

/// [`parse`] for the header type `H` of one class.
fn parse_class<'data, H: FileHeader<Endian = Endianness>, R: ReadRef<'data>>(
    data: R,
    class32: bool,
) -> Result<ElfInfo, Error> {
    let header = H::parse(data).map_err(|e| e.to_string())?;
    let endian = header.endian().map_err(|e| e.to_string())?;
    let phdrs = header
        .program_headers(endian, data)
        .map_err(|e| e.to_string())?;
    let phoff: u64 = header.e_phoff(endian).into();
    let mut info = ElfInfo {
        class32,
        e_type: header.e_type(endian).0,
        entry: header.e_entry(endian).into(),
        segments: Vec::new(),
        relro: None,
        phdr_vaddr: None,
        interp: None,
    };
    for (index, ph) in phdrs.iter().enumerate() {
        match ph.p_type(endian) {
            elf::PT_LOAD => {
                let s = Segment {
                    index,
                    flags: Perms(ph.p_flags(endian).0),
                    offset: ph.p_offset(endian).into(),
                    vaddr: ph.p_vaddr(endian).into(),
                    filesz: ph.p_filesz(endian).into(),
                    memsz: ph.p_memsz(endian).into(),
                    align: ph.p_align(endian).into(),
                };
                let holds_phdrs = (s.offset..s.offset.saturating_add(s.filesz)).contains(&phoff);
                if holds_phdrs && info.phdr_vaddr.is_none() {
                    info.phdr_vaddr = Some(phoff - s.offset + s.vaddr);
                }
                info.segments.push(s);
            }
            elf::PT_GNU_RELRO => {
                info.relro = Some((ph.p_vaddr(endian).into(), ph.p_memsz(endian).into()))
            }
            elf::PT_INTERP => {
                let path = ph.interpreter(endian, data).map_err(|e| e.to_string())?;
                info.interp = path.map(|p| String::from_utf8_lossy(p).into_owned());
            }
            _ => {}
        }
    }
    Ok(info)
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A minimal ELF64 image: an ELF header and the given program headers
    /// `(p_type, p_flags, p_offset, p_vaddr, p_filesz, p_memsz)`, then `tail`.
    pub fn image(e_type: u16, phdrs: &[(u32, u32, u64, u64, u64, u64)], tail: &[u8]) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0");
        b.extend_from_slice(&e_type.to_le_bytes());
        b.extend_from_slice(&62u16.to_le_bytes()); // EM_X86_64
        b.extend_from_slice(&1u32.to_le_bytes());
        b.extend_from_slice(&0x1040u64.to_le_bytes()); // e_entry
        b.extend_from_slice(&64u64.to_le_bytes()); // e_phoff
        b.extend_from_slice(&0u64.to_le_bytes()); // e_shoff
        b.extend_from_slice(&0u32.to_le_bytes());
        b.extend_from_slice(&64u16.to_le_bytes());
        b.extend_from_slice(&56u16.to_le_bytes());
        b.extend_from_slice(&(phdrs.len() as u16).to_le_bytes());
        b.extend_from_slice(&[0; 6]); // e_shentsize, e_shnum, e_shstrndx
        for &(p_type, flags, offset, vaddr, filesz, memsz) in phdrs {
            b.extend_from_slice(&p_type.to_le_bytes());
            b.extend_from_slice(&flags.to_le_bytes());
            for v in [offset, vaddr, vaddr, filesz, memsz, 0x1000] {
                b.extend_from_slice(&v.to_le_bytes());
            }
        }
        b.extend_from_slice(tail);
        b
    }

    #[test]
    fn parses_loads_relro_interp_and_phdr_address() {
        let interp_at = 64 + 4 * 56;
        let bytes = image(
            ET_DYN,
            &[
                (elf::PT_INTERP.0, PF_R, interp_at, interp_at, 11, 11),
                (elf::PT_LOAD.0, PF_R, 0, 0, 0x800, 0x800),
                (elf::PT_LOAD.0, PF_R | PF_W, 0x800, 0x1800, 0x100, 0x3000),
                (elf::PT_GNU_RELRO.0, PF_R, 0x800, 0x1800, 0x40, 0x40),
            ],
            b"/lib/ld.so\0",
        );
        let info = parse(&bytes[..]).expect("valid ELF");
        assert_eq!(info.type_name(), "ET_DYN");
        assert_eq!(info.entry, 0x1040);
        assert_eq!(info.interp.as_deref(), Some("/lib/ld.so"));
        assert_eq!(info.relro, Some((0x1800, 0x40)));
        assert_eq!(info.phdr_vaddr, Some(64));
        assert_eq!(info.segments.len(), 2);
        let data = info.segments[1];
        assert_eq!((data.index, data.flags.to_string()), (2, "rw-".to_owned()));
        assert_eq!((data.filesz, data.memsz), (0x100, 0x3000));
        assert!(!data.flags.executable());
    }

    #[test]
    fn reads_an_i386_file() {
        let mut b = Vec::new();
        b.extend_from_slice(b"\x7fELF\x01\x01\x01\0\0\0\0\0\0\0\0\0");
        b.extend_from_slice(&ET_EXEC.to_le_bytes());
        b.extend_from_slice(&3u16.to_le_bytes()); // EM_386
        b.extend_from_slice(&1u32.to_le_bytes());
        b.extend_from_slice(&0x804_9000u32.to_le_bytes()); // e_entry
        b.extend_from_slice(&52u32.to_le_bytes()); // e_phoff
        b.extend_from_slice(&0u32.to_le_bytes()); // e_shoff
        b.extend_from_slice(&0u32.to_le_bytes());
        b.extend_from_slice(&52u16.to_le_bytes());
        b.extend_from_slice(&32u16.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&[0; 6]);
        // Elf32_Phdr: p_flags comes after p_memsz.
        for v in [
            elf::PT_LOAD.0,
            0,
            0x804_8000,
            0x804_8000,
            0x1000,
            0x2000,
            5,
            0x1000,
        ] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        let info = parse(&b[..]).expect("an ELF32 file");
        assert!(info.class32);
        assert_eq!(info.entry, 0x804_9000);
        assert_eq!(info.segments.len(), 1);
        let s = info.segments[0];
        assert_eq!(
            (s.vaddr, s.filesz, s.memsz, s.flags.0),
            (0x804_8000, 0x1000, 0x2000, 5)
        );
        assert_eq!(info.phdr_vaddr, Some(0x804_8034));
    }

    #[test]
    fn rejects_what_is_not_elf() {
        assert!(parse(&b"#!/bin/sh\n"[..]).is_err());
        let mut bytes = image(
            ET_EXEC,
            &[(elf::PT_LOAD.0, 5, 0, 0x400000, 0x1000, 0x1000)],
            b"",
        );
        bytes.truncate(100); // cuts the program header table
        assert!(parse(&bytes[..]).is_err());
    }

    /// The test binary itself, as the kernel saw it: its own PT_LOADs include an
    /// executable one, and AT_PHNUM, AT_PHDR and AT_ENTRY agree with the headers.
    #[test]
    fn reads_this_test_binary() {
        let info = read(Path::new("/proc/self/exe")).expect("readable ELF");
        assert!(info.segments.iter().any(|s| s.flags.executable()));
        let raw = std::fs::read("/proc/self/auxv").expect("auxv");
        let auxv = crate::parse::auxv::parse(&raw).expect("valid auxv");
        let at = |tag| crate::parse::auxv::value(&auxv, tag).expect("tag present");
        let bias = match info.e_type {
            ET_DYN => at(crate::parse::auxv::AT_ENTRY) - info.entry,
            _ => 0,
        };
        assert_eq!(at(crate::parse::auxv::AT_ENTRY), bias + info.entry);
        assert_eq!(
            Some(at(crate::parse::auxv::AT_PHDR)),
            info.phdr_vaddr.map(|v| v + bias)
        );
        assert_eq!(bias % 4096, 0);
    }
}
