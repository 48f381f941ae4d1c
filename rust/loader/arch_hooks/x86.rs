// SPDX-License-Identifier: GPL-2.0

//! x86_64's hooks: x86_64 programs (fs/binfmt_elf.c) and, with
//! `CONFIG_IA32_EMULATION`, i386 ones (fs/compat_binfmt_elf.c), as
//! arch/x86/include/asm/elf.h (AE) defines the macros for each.

use kernel::error::Result;

use super::{ArchHooks, ExecProt};
use crate::entry::format::Format;
use crate::entry::format::FORMAT;
#[cfg(CONFIG_IA32_EMULATION)]
use crate::entry::format::FORMAT32;
#[cfg(CONFIG_IA32_EMULATION)]
use crate::loader_core::arch::x86::Ia32;
use crate::loader_core::arch::x86::X86_64;
use crate::loader_core::arch::DlinfoFacts;
use crate::loader_core::phdr::{Phdr, Phdrs};
use crate::wrappers::bprm::Bprm;
use crate::wrappers::current::Current;
use crate::wrappers::interpreter::Interpreter;
use crate::wrappers::symbols::Symbols;

/// The ABI of the kernel's own programs.
pub(crate) type Native = X86_64;
/// The 32-bit ABI it runs beside them.
#[cfg(CONFIG_IA32_EMULATION)]
pub(crate) type Compat = Ia32;

/// x86 does not select `CONFIG_ARCH_USE_GNU_PROPERTY`: `parse_elf_properties()`
/// returns 0 before it reads anything (BE:776), and `arch_elf_adjust_prot()` is
/// the identity.
fn no_properties() -> Result<ExecProt> {
    Ok(ExecProt::default())
}

impl ArchHooks for X86_64 {
    const SETUP_ADDITIONAL_PAGES: &'static str = "arch_setup_additional_pages";
    const START_THREAD: &'static str = "start_thread";

    fn format() -> &'static Format {
        &FORMAT
    }

    /// `elf_check_arch()` is the header's alone.
    fn kernel_runs(_: &Symbols, _: &Bprm) -> bool {
        true
    }

    const GNU_PROPERTY: bool = false;

    #[inline(always)]
    fn elf_properties(
        _: &Bprm,
        _: Option<&Interpreter>,
        _: Option<Phdr>,
        _: Option<&Phdrs<'_, Self::Class>>,
    ) -> Result<ExecProt> {
        no_properties()
    }

    /// `set_personality_64bit()` (arch/x86/kernel/process_64.c).
    fn set_personality(symbols: &Symbols, _: &Bprm) {
        symbols.arch.set_personality_64bit();
    }

    /// `arch_setup_additional_pages()` (arch/x86/entry/vdso/vma.c).
    fn setup_additional_pages(symbols: &Symbols, bprm: &mut Bprm, uses_interp: bool) -> Result {
        symbols.arch_setup_additional_pages(bprm, uses_interp)
    }

    /// `ARCH_DLINFO` (AE:338-344) reads `vdso64_enabled` and
    /// `get_sigframe_size()`.
    fn dlinfo_facts(symbols: &Symbols, vdso: u64) -> DlinfoFacts {
        DlinfoFacts {
            vdso,
            vdso_enabled: symbols.arch.vdso64_enabled(),
            vdso_entry: 0,
            minsigstksz: symbols.arch.get_sigframe_size(),
        }
    }

    /// `ELF_HWCAP` (`boot_cpu_data.x86_capability[CPUID_1_EDX]`) and
    /// `elf_hwcap2`.
    fn hwcaps(symbols: &Symbols, task_hwcap: u64) -> (u64, u64) {
        (task_hwcap, symbols.arch.elf_hwcap2())
    }

    /// `elf_common_init(&current->thread, regs, 0)`, then `start_thread()`
    /// (arch/x86/kernel/process_64.c).
    fn start_thread(_: &Symbols, current: &Current, entry: u64, sp: u64) {
        current.start_thread(entry, sp);
    }
}

#[cfg(CONFIG_IA32_EMULATION)]
impl ArchHooks for Ia32 {
    const SETUP_ADDITIONAL_PAGES: &'static str = "compat_arch_setup_additional_pages";
    const START_THREAD: &'static str = "compat_start_thread";

    fn format() -> &'static Format {
        &FORMAT32
    }

    /// `compat_elf_check_arch()`'s other half: `ia32_enabled_verbose()`. When the
    /// boot option disables 32-bit programs, compat_binfmt_elf is left to refuse
    /// the file and say so.
    fn kernel_runs(symbols: &Symbols, _: &Bprm) -> bool {
        symbols.arch.compat.ia32_enabled()
    }

    const GNU_PROPERTY: bool = false;

    #[inline(always)]
    fn elf_properties(
        _: &Bprm,
        _: Option<&Interpreter>,
        _: Option<Phdr>,
        _: Option<&Phdrs<'_, Self::Class>>,
    ) -> Result<ExecProt> {
        no_properties()
    }

    /// `COMPAT_SET_PERSONALITY()`: `set_personality_ia32(false)`, which sets
    /// `TIF_ADDR32` and `TS_COMPAT`.
    fn set_personality(_: &Symbols, _: &Bprm) {
        Current::set_personality_ia32();
    }

    /// `COMPAT_ARCH_SETUP_ADDITIONAL_PAGES()`: the 32-bit vDSO, and no
    /// `[vsyscall]` (a 32-bit task has no gate area).
    fn setup_additional_pages(symbols: &Symbols, bprm: &mut Bprm, uses_interp: bool) -> Result {
        symbols
            .arch
            .compat
            .arch_setup_additional_pages(bprm, uses_interp)
    }

    /// `ARCH_DLINFO_IA32` (AE:298-306) reads `VDSO_ENTRY` of a mapped vDSO and
    /// `get_sigframe_size()`.
    fn dlinfo_facts(symbols: &Symbols, vdso: u64) -> DlinfoFacts {
        DlinfoFacts {
            vdso,
            vdso_enabled: false,
            vdso_entry: if vdso != 0 {
                symbols.arch.compat.vdso_entry(vdso)
            } else {
                0
            },
            minsigstksz: symbols.arch.get_sigframe_size(),
        }
    }

    /// x86 defines no `COMPAT_ELF_HWCAP`: the same `ELF_HWCAP` and `elf_hwcap2`.
    fn hwcaps(symbols: &Symbols, task_hwcap: u64) -> (u64, u64) {
        (task_hwcap, symbols.arch.elf_hwcap2())
    }

    /// `COMPAT_ELF_PLAT_INIT()`: `elf_common_init(&current->thread, regs,
    /// __USER_DS)`, then `COMPAT_START_THREAD()`: `compat_start_thread(regs, ip,
    /// sp, false)`, its `u32` arguments truncating as the C's do.
    fn start_thread(symbols: &Symbols, _: &Current, entry: u64, sp: u64) {
        symbols.arch.compat.start_thread(entry as u32, sp as u32);
    }
}
