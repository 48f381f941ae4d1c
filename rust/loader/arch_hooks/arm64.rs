// SPDX-License-Identifier: GPL-2.0

//! arm64's hooks: AArch64 programs (fs/binfmt_elf.c) and, with `CONFIG_COMPAT`,
//! AArch32 ones (fs/compat_binfmt_elf.c), as arch/arm64/include/asm/elf.h
//! defines the macros for each. arm64 selects `CONFIG_ARCH_USE_GNU_PROPERTY`: a
//! program's (or its interpreter's) GNU property note is read and parsed, and
//! its BTI bit maps the executable segments with `PROT_BTI`.

use kernel::error::Result;

use super::{ArchHooks, ExecProt};
use crate::entry::format::Format;
use crate::entry::format::FORMAT;
#[cfg(CONFIG_COMPAT)]
use crate::entry::format::FORMAT32;
#[cfg(CONFIG_COMPAT)]
use crate::loader_core::arch::arm64::Aarch32;
use crate::loader_core::arch::arm64::{
    arch_elf_adjust_prot, Aarch64, ArchElfState, Arm64Properties,
};
use crate::loader_core::arch::{Abi, DlinfoFacts};
use crate::loader_core::errno::Errno;
use crate::loader_core::mman::PROT_EXEC;
use crate::loader_core::phdr::{Phdr, Phdrs};
use crate::loader_core::property::{note_read_len, parse_note, property_phdr};
use crate::wrappers::arm64::{set_personality, system_supports_bti};
use crate::wrappers::bprm::Bprm;
use crate::wrappers::current::Current;
use crate::wrappers::interpreter::Interpreter;
use crate::wrappers::note_buf::NoteBuf;
use crate::wrappers::symbols::Symbols;

/// The ABI of the kernel's own programs.
pub(crate) type Native = Aarch64;
/// The 32-bit ABI it runs beside them.
#[cfg(CONFIG_COMPAT)]
pub(crate) type Compat = Aarch32;

fn errno(e: Errno) -> kernel::error::Error {
    kernel::error::Error::from_errno(e.to_kernel())
}

/// `parse_elf_properties()` (fs/binfmt_elf.c) of the note the loader picked, in
/// the file it belongs to (the interpreter's if there is one), for the ABI `A`,
/// then `arch_elf_adjust_prot()` of the state for the program's segments and
/// the interpreter's. The note is read into a buffer on the stack, as the C's
/// `union { struct elf_note nhdr; char data[NOTE_DATA_SZ]; }` is.
#[inline(always)]
fn elf_properties<A: Abi>(
    bprm: &Bprm,
    interpreter: Option<&Interpreter>,
    program: Option<Phdr>,
    interp: Option<&Phdrs<'_, A::Class>>,
) -> Result<ExecProt> {
    let mut state = ArchElfState::default();
    if let Some(phdr) = property_phdr(program, interp) {
        let len = note_read_len(&phdr).map_err(errno)?;
        let mut buf = NoteBuf::new();
        let read = match interpreter {
            Some(i) => i.read_note(&mut buf, len, phdr.p_offset),
            None => bprm.read_note(&mut buf, len, phdr.p_offset),
        };
        // A failed read is the C's `n < 0`: -EIO, as a short one.
        let data = read.ok();
        let arch = Arm64Properties {
            system_supports_bti: system_supports_bti(),
        };
        parse_note::<A::Class, _>(data, &arch, A::COMPAT, &mut state).map_err(errno)?;
    }
    let has_interp = interpreter.is_some();
    let added =
        |is_interp| arch_elf_adjust_prot(PROT_EXEC, &state, has_interp, is_interp) & !PROT_EXEC;
    Ok(ExecProt {
        program: added(false),
        interp: added(true),
    })
}

impl ArchHooks for Aarch64 {
    const GNU_PROPERTY: bool = cfg!(CONFIG_ARCH_USE_GNU_PROPERTY);
    const SETUP_ADDITIONAL_PAGES: &'static str = "arch_setup_additional_pages";
    const START_THREAD: &'static str = "start_thread";

    fn format() -> &'static Format {
        &FORMAT
    }

    /// `elf_check_arch()` is the header's alone.
    fn kernel_runs(_: &Symbols, _: &Bprm) -> bool {
        true
    }

    #[inline(always)]
    fn elf_properties(
        bprm: &Bprm,
        interpreter: Option<&Interpreter>,
        program: Option<Phdr>,
        interp: Option<&Phdrs<'_, Self::Class>>,
    ) -> Result<ExecProt> {
        elf_properties::<Self>(bprm, interpreter, program, interp)
    }

    /// `SET_PERSONALITY()`: clears `TIF_32BIT` and `READ_IMPLIES_EXEC`.
    fn set_personality(_: &Symbols, bprm: &Bprm) {
        set_personality(bprm, false);
    }

    /// `arch_setup_additional_pages()` (arch/arm64/kernel/vdso.c): `[vvar]` and
    /// `[vdso]`.
    fn setup_additional_pages(symbols: &Symbols, bprm: &mut Bprm, uses_interp: bool) -> Result {
        symbols.arch_setup_additional_pages(bprm, uses_interp)
    }

    /// `ARCH_DLINFO` reads `mm->context.vdso` and `signal_minsigstksz`.
    fn dlinfo_facts(symbols: &Symbols, vdso: u64) -> DlinfoFacts {
        DlinfoFacts {
            vdso,
            vdso_enabled: true,
            vdso_entry: 0,
            minsigstksz: symbols.arch.signal_minsigstksz(),
        }
    }

    /// `cpu_get_elf_hwcap()` and `cpu_get_elf_hwcap2()`.
    fn hwcaps(symbols: &Symbols, _: u64) -> (u64, u64) {
        symbols.arch.elf_hwcaps()
    }

    /// `ELF_PLAT_INIT()` (`regs->regs[0] = 0`, no atexit handler), then
    /// `start_thread()` (arch/arm64/include/asm/processor.h).
    fn start_thread(symbols: &Symbols, _: &Current, entry: u64, sp: u64) {
        symbols.arch.start_thread(entry, sp, false);
    }
}

#[cfg(CONFIG_COMPAT)]
impl ArchHooks for Aarch32 {
    const GNU_PROPERTY: bool = cfg!(CONFIG_ARCH_USE_GNU_PROPERTY);
    const SETUP_ADDITIONAL_PAGES: &'static str = "aarch32_setup_additional_pages";
    const START_THREAD: &'static str = "compat_start_thread";

    fn format() -> &'static Format {
        &FORMAT32
    }

    /// `compat_elf_check_arch()` itself (arch/arm64/kernel/process.c): a 32-bit
    /// EL0, and an admissible affinity for a deadline task.
    fn kernel_runs(symbols: &Symbols, bprm: &Bprm) -> bool {
        symbols.arch.compat.check_arch(bprm)
    }

    /// `arch_parse_elf_property()` knows no AArch32 property, but the note is
    /// still read and its layout checked.
    #[inline(always)]
    fn elf_properties(
        bprm: &Bprm,
        interpreter: Option<&Interpreter>,
        program: Option<Phdr>,
        interp: Option<&Phdrs<'_, Self::Class>>,
    ) -> Result<ExecProt> {
        elf_properties::<Self>(bprm, interpreter, program, interp)
    }

    /// `COMPAT_SET_PERSONALITY()`: sets `TIF_32BIT`, and keeps
    /// `READ_IMPLIES_EXEC` as arch/arm does.
    fn set_personality(_: &Symbols, bprm: &Bprm) {
        set_personality(bprm, true);
    }

    /// `COMPAT_ARCH_SETUP_ADDITIONAL_PAGES()`: `aarch32_setup_additional_pages()`.
    fn setup_additional_pages(symbols: &Symbols, bprm: &mut Bprm, uses_interp: bool) -> Result {
        symbols
            .arch
            .compat
            .arch_setup_additional_pages(bprm, uses_interp)
    }

    /// `COMPAT_ARCH_DLINFO` reads `mm->context.vdso`, with `CONFIG_COMPAT_VDSO`.
    fn dlinfo_facts(_: &Symbols, vdso: u64) -> DlinfoFacts {
        DlinfoFacts {
            vdso,
            vdso_enabled: cfg!(CONFIG_COMPAT_VDSO),
            vdso_entry: 0,
            minsigstksz: 0,
        }
    }

    /// `COMPAT_ELF_HWCAP` and `COMPAT_ELF_HWCAP2`.
    fn hwcaps(symbols: &Symbols, _: u64) -> (u64, u64) {
        symbols.arch.compat.elf_hwcaps()
    }

    /// arm64 defines no `COMPAT_ELF_PLAT_INIT`: `regs->regs[0] = 0` (r0), then
    /// `COMPAT_START_THREAD()`: `compat_start_thread(regs, elf_entry, bprm->p)`.
    fn start_thread(symbols: &Symbols, _: &Current, entry: u64, sp: u64) {
        symbols.arch.start_thread(entry, sp, true);
    }
}
