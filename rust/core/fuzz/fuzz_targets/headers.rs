// SPDX-License-Identifier: GPL-2.0

//! The checks `load_elf_binary()` makes before the point of no return, on any file:
//! the header (`Ehdr::from_prefix()`, `check()`, `phdr_table_size()` as in
//! `load_elf_phdrs()`), the program header scans, the PT_INTERP checks and the
//! PT_GNU_PROPERTY selection. The input is the file; nothing may panic, and what
//! the scans return must agree with a plain reading of the same bytes.

#![no_main]

use binfmt_rs_core::arch::x86::{Ia32, EM_386, EM_486, EM_X86_64, X86_64};
use binfmt_rs_core::class::{Elf32, Elf64, ElfClass};
use binfmt_rs_core::elf::{Ehdr, ElfKind, ELF_MAGIC, ET_DYN, ET_EXEC};
use binfmt_rs_core::interp::{check_interp_header, check_interp_path, check_interp_size};
use binfmt_rs_core::phdr::{
    ExecStack, Phdr, Phdrs, PF_X, PT_GNU_PROPERTY, PT_GNU_STACK, PT_INTERP, PT_LOAD,
};
use binfmt_rs_core::property::property_phdr;
use binfmt_rs_testkit::elf::words;
use libfuzzer_sys::fuzz_target;

/// `bprm->buf` as the header reads it: `BINPRM_BUF_SIZE` bytes, zero past the end.
fn byte(file: &[u8], i: usize) -> u8 {
    file.get(i).copied().unwrap_or(0)
}

fn le(file: &[u8], at: usize, n: usize) -> u64 {
    (0..n)
        .rev()
        .fold(0, |v, i| (v << 8) | u64::from(byte(file, at + i)))
}

fuzz_target!(|file: &[u8]| {
    check_elf32(file);
    let ehdr = Ehdr::from_prefix::<Elf64>(file);
    assert_eq!(ehdr.magic, [0, 1, 2, 3].map(|i| byte(file, i)));
    assert_eq!(u64::from(ehdr.e_type), le(file, 16, 2));
    assert_eq!(u64::from(ehdr.e_machine), le(file, 18, 2));
    assert_eq!(ehdr.e_entry, le(file, 24, 8));
    assert_eq!(ehdr.e_phoff, le(file, 32, 8));
    assert_eq!(u64::from(ehdr.e_phentsize), le(file, 54, 2));
    assert_eq!(u64::from(ehdr.e_phnum), le(file, 56, 2));

    // load_elf_binary(): ELFMAG, then ET_EXEC/ET_DYN, then elf_check_arch().
    let elfish = ehdr.magic == ELF_MAGIC && ehdr.e_machine == EM_X86_64;
    match ehdr.check::<X86_64>() {
        Ok(ElfKind::Exec) => assert!(elfish && ehdr.e_type == ET_EXEC),
        Ok(ElfKind::Dyn) => assert!(elfish && ehdr.e_type == ET_DYN),
        Err(e) => {
            assert_eq!(e.to_kernel(), -8, "only ENOEXEC before the phdrs are read");
            assert!(!elfish || (ehdr.e_type != ET_EXEC && ehdr.e_type != ET_DYN));
        }
    }
    // The interpreter's header: the magic and elf_check_arch() only, ELIBBAD.
    match check_interp_header::<X86_64>(&ehdr) {
        Ok(()) => assert!(elfish),
        Err(e) => assert!(!elfish && e.to_kernel() == -80),
    }

    // load_elf_phdrs(): e_phentsize == sizeof(Elf64_Phdr), and
    // 0 < e_phnum * 56 <= min(65536, ELF_MIN_ALIGN), so at most 73 entries in 6.12.
    let Some(size) = ehdr.phdr_table_size::<Elf64>() else {
        let phnum = usize::from(ehdr.e_phnum);
        assert!(usize::from(ehdr.e_phentsize) != Elf64::PHDR_SIZE || phnum == 0 || phnum > 73);
        return;
    };
    assert!(usize::from(ehdr.e_phentsize) == Elf64::PHDR_SIZE && (1..=73).contains(&ehdr.e_phnum));
    assert_eq!(size, Elf64::PHDR_SIZE * usize::from(ehdr.e_phnum));
    assert!(size <= 4096);

    // elf_read() of the table; a short file is -EIO in the kernel, and then there is
    // nothing more to check.
    let Some(table) = usize::try_from(ehdr.e_phoff)
        .ok()
        .and_then(|at| file.get(at..at.checked_add(size)?))
    else {
        return;
    };
    // Read into a kmalloc() buffer: its words.
    let words = words::<Elf64>(table);
    let phdrs = Phdrs::<Elf64>::new(&words);
    let all: Vec<Phdr> = phdrs.iter().collect();
    assert_eq!(all.len(), usize::from(ehdr.e_phnum));
    assert_eq!(phdrs.len(), all.len());
    for (i, ph) in all.iter().enumerate() {
        assert_eq!(phdrs.get(i), Some(*ph));
        assert_eq!(u64::from(ph.p_type), le(table, i * Elf64::PHDR_SIZE, 4));
        assert_eq!(ph.p_align, le(table, i * Elf64::PHDR_SIZE + 48, 8));
    }
    assert_eq!(phdrs.get(all.len()), None);

    check_scans(&phdrs, &all);
    check_interp(file, &phdrs, &all);
    check_property(&phdrs, &all);
});

/// The same file as compat_binfmt_elf reads it: `Elf32_Ehdr` fields, the i386
/// `compat_elf_check_arch()`, 32-byte entries (at most 128 in a page), each field
/// zero-extended from its 32 bits.
fn check_elf32(file: &[u8]) {
    let ehdr = Ehdr::from_prefix::<Elf32>(file);
    assert_eq!(ehdr.e_entry, le(file, 24, 4));
    assert_eq!(ehdr.e_phoff, le(file, 28, 4));
    assert_eq!(u64::from(ehdr.e_phentsize), le(file, 42, 2));
    assert_eq!(u64::from(ehdr.e_phnum), le(file, 44, 2));
    let i386 = ehdr.magic == ELF_MAGIC && (ehdr.e_machine == EM_386 || ehdr.e_machine == EM_486);
    if ehdr.check::<Ia32>().is_ok() {
        assert!(i386 && (ehdr.e_type == ET_EXEC || ehdr.e_type == ET_DYN));
    }
    let Some(size) = ehdr.phdr_table_size::<Elf32>() else {
        return;
    };
    assert!(usize::from(ehdr.e_phentsize) == Elf32::PHDR_SIZE && (1..=128).contains(&ehdr.e_phnum));
    let Some(table) = usize::try_from(ehdr.e_phoff)
        .ok()
        .and_then(|at| file.get(at..at.checked_add(size)?))
    else {
        return;
    };
    let words = words::<Elf32>(table);
    let phdrs = Phdrs::<Elf32>::new(&words);
    for (i, ph) in phdrs.iter().enumerate() {
        let at = i * Elf32::PHDR_SIZE;
        assert_eq!(u64::from(ph.p_type), le(table, at, 4));
        assert_eq!(ph.p_vaddr, le(table, at + 8, 4));
        assert_eq!(ph.p_memsz, le(table, at + 20, 4));
        assert_eq!(u64::from(ph.p_flags), le(table, at + 24, 4));
        assert_eq!(ph.p_align, le(table, at + 28, 4));
    }
    // Every sum of two fields stays within 32 bits, so the span does too unless it
    // wraps below the lowest address (max - min in unsigned long).
    let total = phdrs.total_mapping_size();
    assert!(total < 1 << 32 || total > u64::MAX - (1 << 32));
}

/// `total_mapping_size()`, `maximum_alignment()` and the PT_GNU_STACK loop.
fn check_scans(phdrs: &Phdrs<'_, Elf64>, all: &[Phdr]) {
    let loads: Vec<&Phdr> = all.iter().filter(|p| p.p_type == PT_LOAD).collect();

    let total = phdrs.total_mapping_size();
    if loads.is_empty() {
        assert_eq!(total, 0);
    } else if loads
        .iter()
        .all(|p| p.p_vaddr.checked_add(p.p_memsz).is_some())
    {
        // Without wraparound the span is the plain max end minus min page start,
        // at least as large as any one segment's page span.
        let lo = loads.iter().map(|p| p.p_vaddr & !0xfff).min().unwrap_or(0);
        let hi = loads
            .iter()
            .map(|p| p.p_vaddr + p.p_memsz)
            .max()
            .unwrap_or(0);
        assert_eq!(total, hi - lo);
        for p in &loads {
            assert!(total >= p.p_vaddr + p.p_memsz - (p.p_vaddr & !0xfff));
        }
    }

    // maximum_alignment(): ELF_PAGEALIGN of the largest power-of-two p_align.
    let align = phdrs.maximum_alignment();
    let powers = loads
        .iter()
        .map(|p| p.p_align)
        .filter(|a| a.is_power_of_two());
    match powers.max() {
        None => assert_eq!(align, 0),
        Some(max) => {
            assert!(align.is_power_of_two() && align >= 4096);
            assert_eq!(align, max.max(4096));
        }
    }

    // The last PT_GNU_STACK decides (BE:925-933).
    let expected = match all.iter().rev().find(|p| p.p_type == PT_GNU_STACK) {
        None => ExecStack::Default,
        Some(p) if p.p_flags & PF_X != 0 => ExecStack::EnableX,
        Some(_) => ExecStack::DisableX,
    };
    assert_eq!(phdrs.executable_stack(), expected);
}

/// The first PT_INTERP and the checks on it before `open_exec()` (BE:869-893).
fn check_interp(file: &[u8], phdrs: &Phdrs<'_, Elf64>, all: &[Phdr]) {
    let first = all.iter().find(|p| p.p_type == PT_INTERP).copied();
    assert_eq!(phdrs.first_interp(), first);
    let Some(interp) = first else { return };
    let Ok(len) = check_interp_size(&interp) else {
        assert!(interp.p_filesz < 2 || interp.p_filesz > 4096);
        return;
    };
    assert!((2..=4096).contains(&len) && len as u64 == interp.p_filesz);
    let Some(path) = usize::try_from(interp.p_offset)
        .ok()
        .and_then(|at| file.get(at..at.checked_add(len)?))
    else {
        return;
    };
    // Only the last byte has to be NUL.
    assert_eq!(check_interp_path(path).is_ok(), path.last() == Some(&0));
}

/// Which PT_GNU_PROPERTY `parse_elf_properties()` would get.
fn check_property(phdrs: &Phdrs<'_, Elf64>, all: &[Phdr]) {
    // Without an interpreter: the last one before the first PT_INTERP.
    let before_interp = all
        .iter()
        .take_while(|p| p.p_type != PT_INTERP)
        .filter(|p| p.p_type == PT_GNU_PROPERTY)
        .last()
        .copied();
    let first = phdrs.first_loops(true);
    let own = property_phdr::<Elf64>(first.property, None);
    assert_eq!(own, before_interp);
    // The pass that finds it finds the rest as the pass without it does.
    assert_eq!(
        (first.interp, first.stack),
        (phdrs.first_interp(), phdrs.executable_stack())
    );
    assert_eq!(phdrs.first_loops(false).property, None);
    // The same table as the interpreter's: its last one, PT_INTERP or not.
    let last = all.iter().rfind(|p| p.p_type == PT_GNU_PROPERTY).copied();
    let interp = property_phdr(first.property, Some(phdrs));
    assert_eq!(interp, last);
}
