// SPDX-License-Identifier: GPL-2.0

//! The arch macros `load_elf_binary()` calls that compat_binfmt_elf.c redefines
//! (fs/compat_binfmt_elf.c, arch/x86/include/asm/elf.h), as the kernel functions
//! behind them: one implementation for x86_64 programs, one for i386 programs.
//! Everything else the loader does is the same code for both ABIs.

use kernel::error::Result;

use crate::entry::format::Format;
use crate::entry::format::FORMAT;
#[cfg(CONFIG_IA32_EMULATION)]
use crate::entry::format::FORMAT32;
#[cfg(CONFIG_IA32_EMULATION)]
use crate::loader_core::arch::Ia32;
use crate::loader_core::arch::{Abi, X86_64};
use crate::wrappers::bprm::Bprm;
use crate::wrappers::current::Current;
use crate::wrappers::symbols::Symbols;

/// What `load_elf_binary()` calls differently for the ABI.
pub(crate) trait ArchHooks: Abi {
    /// `ELF_ET_DYN_BASE` is `COMPAT_ELF_ET_DYN_BASE`.
    const COMPAT: bool;

    /// The C functions behind `ARCH_SETUP_ADDITIONAL_PAGES()` and
    /// `START_THREAD()`, as the film names them.
    const SETUP_ADDITIONAL_PAGES: &'static str;
    /// See [`ArchHooks::SETUP_ADDITIONAL_PAGES`].
    const START_THREAD: &'static str;

    /// The format the new mm records (`set_binfmt()`): its core dump writer is
    /// the class's.
    fn format() -> &'static Format;

    /// `SET_PERSONALITY(*elf_ex)`.
    fn set_personality(symbols: &Symbols);

    /// `ARCH_SETUP_ADDITIONAL_PAGES(bprm, elf_ex, !!interpreter)`: the vDSO.
    fn setup_additional_pages(symbols: &Symbols, bprm: &mut Bprm, uses_interp: bool) -> Result;

    /// `ARCH_DLINFO`'s `AT_SYSINFO` and `AT_SYSINFO_EHDR` for a vDSO at `vdso`
    /// (`mm->context.vdso`, 0 if none was mapped).
    fn dlinfo(symbols: &Symbols, vdso: u64) -> (Option<u64>, Option<u64>);

    /// `ELF_PLAT_INIT(regs, reloc_func_desc)`.
    fn plat_init(current: &Current);

    /// `START_THREAD(elf_ex, regs, elf_entry, bprm->p)`.
    fn start_thread(symbols: &Symbols, current: &Current, entry: u64, sp: u64);
}

impl ArchHooks for X86_64 {
    const COMPAT: bool = false;
    const SETUP_ADDITIONAL_PAGES: &'static str = "arch_setup_additional_pages";
    const START_THREAD: &'static str = "start_thread";

    fn format() -> &'static Format {
        &FORMAT
    }

    /// `set_personality_64bit()` (arch/x86/kernel/process_64.c).
    fn set_personality(symbols: &Symbols) {
        symbols.set_personality_64bit();
    }

    /// `arch_setup_additional_pages()` (arch/x86/entry/vdso/vma.c).
    fn setup_additional_pages(symbols: &Symbols, bprm: &mut Bprm, uses_interp: bool) -> Result {
        symbols.arch_setup_additional_pages(bprm, uses_interp)
    }

    /// `ARCH_DLINFO` (AE:338-344): `AT_SYSINFO_EHDR` if `vdso64_enabled`.
    fn dlinfo(symbols: &Symbols, vdso: u64) -> (Option<u64>, Option<u64>) {
        (None, symbols.vdso64_enabled().then_some(vdso))
    }

    /// `elf_common_init(&current->thread, regs, 0)`.
    fn plat_init(current: &Current) {
        current.elf_plat_init();
    }

    /// `start_thread()` (arch/x86/kernel/process_64.c).
    fn start_thread(_: &Symbols, current: &Current, entry: u64, sp: u64) {
        current.start_thread(entry, sp);
    }
}

#[cfg(CONFIG_IA32_EMULATION)]
impl ArchHooks for Ia32 {
    const COMPAT: bool = true;
    const SETUP_ADDITIONAL_PAGES: &'static str = "compat_arch_setup_additional_pages";
    const START_THREAD: &'static str = "compat_start_thread";

    fn format() -> &'static Format {
        &FORMAT32
    }

    /// `COMPAT_SET_PERSONALITY()`: `set_personality_ia32(false)`, which sets
    /// `TIF_ADDR32` and `TS_COMPAT`.
    fn set_personality(_: &Symbols) {
        Current::set_personality_ia32();
    }

    /// `COMPAT_ARCH_SETUP_ADDITIONAL_PAGES()`: the 32-bit vDSO, and no
    /// `[vsyscall]` (a 32-bit task has no gate area).
    fn setup_additional_pages(symbols: &Symbols, bprm: &mut Bprm, uses_interp: bool) -> Result {
        symbols
            .compat
            .arch_setup_additional_pages(bprm, uses_interp)
    }

    /// `ARCH_DLINFO_IA32` (AE:298-306): `AT_SYSINFO` (`VDSO_ENTRY`) and
    /// `AT_SYSINFO_EHDR` if a vDSO is mapped (`VDSO_CURRENT_BASE`).
    fn dlinfo(symbols: &Symbols, vdso: u64) -> (Option<u64>, Option<u64>) {
        if vdso == 0 {
            return (None, None);
        }
        (Some(symbols.compat.vdso_entry(vdso)), Some(vdso))
    }

    /// `COMPAT_ELF_PLAT_INIT()`: `elf_common_init(&current->thread, regs,
    /// __USER_DS)`.
    fn plat_init(current: &Current) {
        current.compat_elf_plat_init();
    }

    /// `COMPAT_START_THREAD()`: `compat_start_thread(regs, ip, sp, false)`, its
    /// `u32` arguments truncating as the C's do.
    fn start_thread(symbols: &Symbols, _: &Current, entry: u64, sp: u64) {
        symbols
            .compat
            .start_thread(Current::pt_regs(), entry as u32, sp as u32);
    }
}
