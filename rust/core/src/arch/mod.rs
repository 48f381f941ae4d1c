// SPDX-License-Identifier: GPL-2.0

//! What one ABI's loader does differently, one module per architecture: [`x86`]
//! (x86_64 and i386 programs on an x86_64 kernel) and [`arm64`] (AArch64 and
//! AArch32 programs on an arm64 kernel).
//!
//! binfmt_elf.c is compiled once per ELF class; fs/compat_binfmt_elf.c redefines
//! the arch macros before its second compilation. An [`Abi`] is one such
//! compilation's view of its arch: the macros that are compile-time values. What
//! depends on the running machine or the task (`TASK_SIZE`, `ELF_ET_DYN_BASE`,
//! `ELF_HWCAP`, `arch_mmap_rnd()`, `randomize_stack_top()`) the glue asks the
//! kernel once the personality is set.

pub mod arm64;
pub mod x86;

use core::ffi::CStr;

use super::auxv::ArchDlinfo;
use super::class::ElfClass;
use super::phdr::ExecStack;

/// `USER_HZ` (include/asm-generic/param.h, which both architectures use), the
/// value of `AT_CLKTCK`.
pub const CLOCKS_PER_SEC: u64 = 100;

/// `ELF_EXEC_PAGESIZE`, the value of `AT_PAGESZ`: 4096 on x86
/// (arch/x86/include/asm/elf.h), `PAGE_SIZE` on arm64, which the module's
/// kernel twins tie to the core's 4 KiB pages.
pub const ELF_EXEC_PAGESIZE: u64 = 4096;

/// One ABI's loader: the macros compat_binfmt_elf.c redefines before it includes
/// binfmt_elf.c, and those of the arch that test the task's ABI. The loader is
/// built once per ABI.
pub trait Abi: 'static {
    /// The ELF class of its files.
    type Class: ElfClass;
    /// `ELF_COMPAT`: the loader is fs/compat_binfmt_elf.c (a 32-bit program on a
    /// 64-bit kernel), which `arch_parse_elf_property()` is told.
    const COMPAT: bool;
    /// `ELF_PLATFORM` (`COMPAT_ELF_PLATFORM`), copied to the stack for
    /// `AT_PLATFORM`.
    const ELF_PLATFORM: &'static CStr;
    /// The range `arch_randomize_brk()` picks the brk's page in for a task of this
    /// ABI: `SZ_32M` for a 32-bit task, `SZ_1G` for a 64-bit one, on both arches.
    const BRK_RND_RANGE: u64;
    /// The bound of `get_random_u32_below()` in `arch_align_stack()`.
    const ALIGN_STACK_RND: u32;

    /// The arch's own part of `elf_check_arch()` (`compat_elf_check_arch()`) on
    /// the header's `e_machine` and `e_flags`. What it asks of the running kernel
    /// (32-bit emulation enabled at all, a 32-bit EL0) is the glue's to ask.
    fn check_arch(e_machine: u16, e_flags: u32) -> bool;

    /// `elf_read_implies_exec(ex, executable_stack)`
    /// (`compat_elf_read_implies_exec()`): true makes `load_elf_binary()` set
    /// `READ_IMPLIES_EXEC`.
    fn read_implies_exec(executable_stack: ExecStack) -> bool;

    /// `ARCH_DLINFO` (`COMPAT_ARCH_DLINFO`): its `NEW_AUX_ENT()`s, the entries
    /// that open the auxv, appended to `d` (which the module fills in place).
    fn push_dlinfo(facts: &DlinfoFacts, d: &mut ArchDlinfo);

    /// The entries of `ARCH_DLINFO` alone.
    fn dlinfo(facts: &DlinfoFacts) -> ArchDlinfo {
        let mut d = ArchDlinfo::default();
        Self::push_dlinfo(facts, &mut d);
        d
    }
}

/// What `ARCH_DLINFO` (`COMPAT_ARCH_DLINFO`) reads of the kernel and the new mm,
/// for an [`Abi`]'s `dlinfo()` to turn into its entries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DlinfoFacts {
    /// `current->mm->context.vdso`: where the vDSO was mapped, 0 if it was not.
    pub vdso: u64,
    /// Whether the kernel maps a vDSO for this ABI at all: `vdso64_enabled` for
    /// an x86_64 program; unused elsewhere.
    pub vdso_enabled: bool,
    /// `VDSO_ENTRY` of an i386 program: the vDSO's `__kernel_vsyscall`.
    pub vdso_entry: u64,
    /// `get_sigframe_size()` on x86, `signal_minsigstksz` on arm64.
    pub minsigstksz: u64,
}
