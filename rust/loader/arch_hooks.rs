// SPDX-License-Identifier: GPL-2.0

//! The arch macros and hooks `load_elf_binary()` calls, as the kernel functions
//! behind them: one module per architecture ([`x86`], [`arm64`]), each with one
//! implementation for its native programs (fs/binfmt_elf.c) and one for its
//! 32-bit ones (fs/compat_binfmt_elf.c, which redefines the macros). Everything
//! else the loader does is the same code for every ABI.

#![forbid(unsafe_code)]

use kernel::error::Result;

use crate::entry::format::Format;
use crate::loader_core::arch::{Abi, DlinfoFacts};
use crate::loader_core::phdr::{Phdr, Phdrs};
use crate::wrappers::bprm::Bprm;
use crate::wrappers::current::Current;
use crate::wrappers::interpreter::Interpreter;
use crate::wrappers::symbols::Symbols;

#[cfg(CONFIG_ARM64)]
mod arm64;
#[cfg(CONFIG_X86_64)]
mod x86;

#[cfg(all(CONFIG_ARM64, binfmt_rs_compat))]
pub(crate) use arm64::Compat;
#[cfg(CONFIG_ARM64)]
pub(crate) use arm64::Native;
#[cfg(all(CONFIG_X86_64, binfmt_rs_compat))]
pub(crate) use x86::Compat;
#[cfg(CONFIG_X86_64)]
pub(crate) use x86::Native;

/// What `arch_elf_adjust_prot()` adds to the `prot` of an executable segment of
/// the program and of its interpreter: arm64's `PROT_BTI` for a BTI-marked file
/// that maps itself, nothing elsewhere.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ExecProt {
    pub(crate) program: u32,
    pub(crate) interp: u32,
}

/// What `load_elf_binary()` calls differently for the ABI.
pub(crate) trait ArchHooks: Abi {
    /// The C functions behind `ARCH_SETUP_ADDITIONAL_PAGES()` and
    /// `START_THREAD()`, as the film names them.
    const SETUP_ADDITIONAL_PAGES: &'static str;
    /// See [`ArchHooks::SETUP_ADDITIONAL_PAGES`].
    const START_THREAD: &'static str;

    /// The format the new mm records (`set_binfmt()`): its core dump writer is
    /// the class's.
    fn format() -> &'static Format;

    /// The running kernel's half of `elf_check_arch()` for a program whose header
    /// passed [`Abi::check_arch`]: whether this kernel runs such programs now.
    fn kernel_runs(symbols: &Symbols, bprm: &Bprm) -> bool;

    /// Whether the arch parses PT_GNU_PROPERTY notes (selects
    /// `CONFIG_ARCH_USE_GNU_PROPERTY`): the first loop over the program headers
    /// then looks for the note too.
    const GNU_PROPERTY: bool;

    /// `parse_elf_properties(interpreter ?: bprm->file, elf_property_phdata,
    /// &arch_state)` (BE:980-983) and what `arch_elf_adjust_prot()` then makes of
    /// the state. `program` is the note the first loop found in the program's
    /// table (`None` unless [`ArchHooks::GNU_PROPERTY`]), `interp` the
    /// interpreter's table, once read.
    fn elf_properties(
        bprm: &Bprm,
        interpreter: Option<&Interpreter>,
        program: Option<Phdr>,
        interp: Option<&Phdrs<'_, Self::Class>>,
    ) -> Result<ExecProt>;

    /// `SET_PERSONALITY(*elf_ex)`.
    fn set_personality(symbols: &Symbols, bprm: &Bprm);

    /// `ARCH_SETUP_ADDITIONAL_PAGES(bprm, elf_ex, !!interpreter)`: the vDSO, and
    /// AArch32's `[vectors]` and `[sigpage]`.
    fn setup_additional_pages(symbols: &Symbols, bprm: &mut Bprm, uses_interp: bool) -> Result;

    /// What `ARCH_DLINFO` reads, for a vDSO at `vdso` (`mm->context.vdso`, 0 if
    /// none was mapped).
    fn dlinfo_facts(symbols: &Symbols, vdso: u64) -> DlinfoFacts;

    /// `ELF_HWCAP` and `ELF_HWCAP2`; `task_hwcap` is the `ELF_HWCAP` the task's
    /// constants read where it is a value (x86).
    fn hwcaps(symbols: &Symbols, task_hwcap: u64) -> (u64, u64);

    /// `ELF_PLAT_INIT(regs, reloc_func_desc)`, then `START_THREAD(elf_ex, regs,
    /// elf_entry, bprm->p)`: the two macros set only registers, in one call.
    fn start_thread(symbols: &Symbols, current: &Current, entry: u64, sp: u64);
}
