//! The vDSO image: a complete ELF shared object that `map_vdso`
//! (arch/x86/entry/vdso/vma.c), or on arm64 `__setup_additional_pages`
//! (arch/arm64/kernel/vdso.c), maps at AT_SYSINFO_EHDR, section headers included
//! (vdso2c checks that the whole image is inside the mapping). Parsed here from a
//! copy of its bytes: its DT_SONAME, its dynamic symbols and their versions
//! (.gnu.version against .gnu.version_d, as a dynamic linker binds them).

use crate::error::Error;
use object::elf::{self, FileHeader32, FileHeader64};
use object::read::elf::{FileHeader, ProgramHeader, Sym};
use object::Endianness;
use serde::Serialize;

/// A dynamic symbol of the vDSO.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Symbol {
    pub name: String,
    /// The version it is defined with, e.g. LINUX_2.6; absent if unversioned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `st_value`: its address in the image as linked.
    pub value: u64,
    pub size: u64,
    /// STT_FUNC, STT_OBJECT, ... as `func`, `object`, or the number.
    #[serde(rename = "type")]
    pub kind: String,
    /// STB_GLOBAL or STB_WEAK as `global` / `weak`, or the number.
    pub binding: String,
}

/// What the image says about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub soname: Option<String>,
    /// `p_vaddr` of the first PT_LOAD: the image is linked at 0 on x86, but the
    /// load bias is computed like a dynamic linker does rather than assumed.
    pub first_vaddr: u64,
    /// Defined dynamic symbols, in symbol table order.
    pub symbols: Vec<Symbol>,
}

/// The version the vDSO's functions are defined with: LINUX_2.6 on x86-64 (both
/// vDSOs, vdso.lds.S and vdso32.lds.S), LINUX_2.6.39 on arm64
/// (arch/arm64/kernel/vdso/vdso.lds.S), as glibc asks for them (`VDSO_NAME`,
/// sysdeps/unix/sysv/linux/*/sysdep.h).
#[cfg(target_arch = "x86_64")]
pub const VERSION: &str = "LINUX_2.6";
#[cfg(target_arch = "aarch64")]
pub const VERSION: &str = "LINUX_2.6.39";

impl Image {
    /// The symbol `name` as glibc's `dl_vdso_vsym` looks it up: defined, of that
    /// name, and of version [`VERSION`] if it has a version at all.
    pub fn lookup(&self, name: &str) -> Option<&Symbol> {
        self.defined(name).filter(|s| s.kind == "func")
    }

    /// The symbol `name` of version [`VERSION`] (or unversioned), of any type:
    /// arm64's `__kernel_rt_sigreturn` is code with no STT_FUNC (SYM_CODE_START).
    pub fn defined(&self, name: &str) -> Option<&Symbol> {
        self.symbols
            .iter()
            .find(|s| s.name == name && s.version.as_deref().is_none_or(|v| v == VERSION))
    }

    /// Where `symbol` is in memory when the image is mapped at `base`.
    pub fn address(&self, base: u64, symbol: &Symbol) -> u64 {
        base.wrapping_sub(self.first_vaddr)
            .wrapping_add(symbol.value)
    }
}

fn name_of(value: u8, names: &[(u8, &str)]) -> String {
    names
        .iter()
        .find(|&&(v, _)| v == value)
        .map_or_else(|| value.to_string(), |&(_, n)| n.to_owned())
}

/// Parses a vDSO image (or any ELF shared object with section headers), of
/// either class: the 64-bit vDSO or the 32-bit one an i386 process gets.
pub fn parse(data: &[u8]) -> Result<Image, Error> {
    // e_ident[EI_CLASS], the fifth byte.
    if data.get(4) == Some(&elf::ELFCLASS32.0) {
        parse_as::<FileHeader32<Endianness>>(data)
    } else {
        parse_as::<FileHeader64<Endianness>>(data)
    }
}

fn parse_as<H: FileHeader<Endian = Endianness>>(data: &[u8]) -> Result<Image, Error> {
    let e = |e: object::read::Error| e.to_string();
    let header = H::parse(data).map_err(e)?;
    let endian = header.endian().map_err(e)?;
    let first_vaddr = header
        .program_headers(endian, data)
        .map_err(e)?
        .iter()
        .find(|p| p.p_type(endian) == elf::PT_LOAD)
        .map(|p| p.p_vaddr(endian).into())
        .ok_or("no PT_LOAD")?;
    let sections = header.sections(endian, data).map_err(e)?;

    let dynamic = sections.dynamic_table(endian, data).map_err(e)?;
    let soname = dynamic
        .iter()
        .find(|d| d.tag == elf::DT_SONAME)
        .map(|d| {
            dynamic
                .string(d)
                .map(|s| String::from_utf8_lossy(s).into_owned())
        })
        .transpose()
        .map_err(e)?;

    let dynsym = sections.symbols(endian, data, elf::SHT_DYNSYM).map_err(e)?;
    let versions = sections.versions(endian, data).map_err(e)?;
    let mut symbols = Vec::new();
    for (index, sym) in dynsym.enumerate() {
        if sym.is_undefined(endian) {
            continue; // index 0, the null symbol
        }
        let name = sym.name(endian, dynsym.strings()).map_err(e)?;
        let version = match &versions {
            Some(v) => v
                .version(v.version_index(endian, index).index())
                .map_err(e)?
                .map(|v| String::from_utf8_lossy(v.name()).into_owned()),
            None => None,
        };
        symbols.push(Symbol {
            name: String::from_utf8_lossy(name).into_owned(),
            version,
            value: sym.st_value(endian).into(),
            size: sym.st_size(endian).into(),
            kind: name_of(
                sym.st_type().0,
                &[
                    (elf::STT_NOTYPE.0, "notype"),
                    (elf::STT_OBJECT.0, "object"),
                    (elf::STT_FUNC.0, "func"),
                ],
            ),
            binding: name_of(
                sym.st_bind().0,
                &[(elf::STB_GLOBAL.0, "global"), (elf::STB_WEAK.0, "weak")],
            ),
        });
    }
    Ok(Image {
        soname,
        first_vaddr,
        symbols,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "x86_64")]
    use crate::parse::auxv;

    /// The vDSO of this very test process, read through /proc/self/mem.
    fn own_vdso() -> (u64, Vec<u8>) {
        use std::os::unix::fs::FileExt;
        let maps =
            crate::parse::maps::parse(&std::fs::read_to_string("/proc/self/maps").expect("maps"))
                .expect("valid maps");
        let vdso = maps.iter().find(|m| m.name == "[vdso]").expect("a [vdso]");
        let mut bytes = vec![0; vdso.size() as usize];
        std::fs::File::open("/proc/self/mem")
            .expect("/proc/self/mem")
            .read_exact_at(&mut bytes, vdso.start)
            .expect("the vDSO is readable");
        (vdso.start, bytes)
    }

    #[test]
    #[cfg(target_arch = "x86_64")]
    fn parses_this_processs_vdso() {
        let (start, bytes) = own_vdso();
        let raw = std::fs::read("/proc/self/auxv").expect("auxv");
        let ehdr = auxv::value(&auxv::parse(&raw).expect("auxv"), auxv::AT_SYSINFO_EHDR);
        assert_eq!(ehdr, Some(start), "AT_SYSINFO_EHDR is the start of [vdso]");

        let image = parse(&bytes).expect("a valid ELF image");
        assert_eq!(image.soname.as_deref(), Some("linux-vdso.so.1"));
        assert_eq!(
            image.first_vaddr, 0,
            "x86 links the vDSO at 0 (vdso-layout.lds.S)"
        );
        // vdso.lds.S exports these on every 6.x x86-64 kernel.
        for name in [
            "__vdso_clock_gettime",
            "__vdso_gettimeofday",
            "__vdso_time",
            "__vdso_getcpu",
        ] {
            let sym = image.lookup(name).unwrap_or_else(|| panic!("no {name}"));
            assert_eq!(sym.version.as_deref(), Some("LINUX_2.6"), "{name}");
            assert_eq!(sym.binding, "global");
            let addr = image.address(start, sym);
            assert!(start < addr && addr < start + bytes.len() as u64, "{name}");
        }
        // The plain names are weak aliases of the __vdso_ ones (vclock_gettime.c).
        let alias = image
            .symbols
            .iter()
            .find(|s| s.name == "clock_gettime")
            .expect("clock_gettime alias");
        assert_eq!(alias.binding, "weak");
        assert_eq!(
            Some(alias.value),
            image.lookup("__vdso_clock_gettime").map(|s| s.value)
        );
        // The version definition itself is a symbol too (an ABS STT_OBJECT).
        assert!(image
            .symbols
            .iter()
            .any(|s| s.name == "LINUX_2.6" && s.kind == "object"));
        assert!(image.lookup("__vdso_nonexistent").is_none());
    }

    /// arm64's vDSO: the `__kernel_*` functions at LINUX_2.6.39, linked at 0 too,
    /// and the signal trampoline as untyped code.
    #[test]
    #[cfg(target_arch = "aarch64")]
    fn parses_this_processs_arm64_vdso() {
        let (start, bytes) = own_vdso();
        let image = parse(&bytes).expect("a valid ELF image");
        assert_eq!(image.soname.as_deref(), Some("linux-vdso.so.1"));
        for name in [
            "__kernel_clock_gettime",
            "__kernel_gettimeofday",
            "__kernel_clock_getres",
        ] {
            let sym = image.lookup(name).unwrap_or_else(|| panic!("no {name}"));
            assert_eq!(sym.version.as_deref(), Some("LINUX_2.6.39"), "{name}");
            let addr = image.address(start, sym);
            assert!(start < addr && addr < start + bytes.len() as u64, "{name}");
        }
        let sigreturn = image
            .defined("__kernel_rt_sigreturn")
            .expect("__kernel_rt_sigreturn");
        assert_eq!((sigreturn.kind.as_str(), sigreturn.size), ("notype", 8));
        assert!(
            image.lookup("__kernel_rt_sigreturn").is_none(),
            "not STT_FUNC"
        );
        assert!(image.lookup("__vdso_clock_gettime").is_none());
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse(b"not an ELF image").is_err());
        assert!(parse(&[]).is_err());
        let (_, mut bytes) = own_vdso();
        bytes.truncate(64); // the ELF header alone: the tables are missing
        assert!(parse(&bytes).is_err());
    }
}
