// SPDX-License-Identifier: GPL-2.0

//! x86: the values of the arch macros `load_elf_binary()` and
//! `create_elf_tables()` use, for the two ABIs an x86_64 kernel loads: x86_64
//! programs (fs/binfmt_elf.c) and i386 programs (fs/compat_binfmt_elf.c, with
//! `CONFIG_IA32_EMULATION`).
//!
//! C headers: arch/x86/include/asm/elf.h (AE), arch/x86/include/asm/page_64_types.h,
//! arch/x86/kernel/process.c. Values that depend on the running machine or the
//! task (`TASK_SIZE` with LA57 or `TIF_ADDR32`, `ELF_ET_DYN_BASE`, `ELF_HWCAP`,
//! `elf_hwcap2`, `get_sigframe_size()`) are not here: the glue reads them once the
//! personality is set and passes them in.

use core::ffi::CStr;

use super::super::auxv::{ArchDlinfo, AT_MINSIGSTKSZ, AT_SYSINFO, AT_SYSINFO_EHDR};
use super::super::class::{Elf32, Elf64};
use super::super::phdr::ExecStack;
use super::{Abi, DlinfoFacts};

/// `EM_386`: an i386 program, which `compat_elf_check_arch()` accepts.
pub const EM_386: u16 = 3;
/// `EM_486`: accepted with `EM_386` (`elf_check_arch_ia32()`).
pub const EM_486: u16 = 6;
/// `EM_X86_64`: what `elf_check_arch()` requires on x86_64 (AE:151-152).
pub const EM_X86_64: u16 = 62;

/// `arch_align_stack()` (arch/x86/kernel/process.c): up to 8 KiB.
const ALIGN_STACK_RND: u32 = 8192;

/// x86_64 programs, as fs/binfmt_elf.c loads them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct X86_64;

impl Abi for X86_64 {
    type Class = Elf64;
    const COMPAT: bool = false;
    const ELF_PLATFORM: &'static CStr = ELF_PLATFORM;
    /// `set_personality_64bit()` clears `TIF_ADDR32`: not `mmap_is_ia32()`.
    const BRK_RND_RANGE: u64 = BRK_RND_RANGE;
    const ALIGN_STACK_RND: u32 = ALIGN_STACK_RND;

    #[inline(always)]
    fn check_arch(e_machine: u16, _: u32) -> bool {
        e_machine == EM_X86_64
    }

    /// `elf_read_implies_exec()` (AE:293-294) tests `mmap_is_ia32()`, false for
    /// an x86_64 task.
    #[inline(always)]
    fn read_implies_exec(_: ExecStack) -> bool {
        false
    }

    /// `ARCH_DLINFO` (AE:338-344): `AT_SYSINFO_EHDR` if `vdso64_enabled`, whether
    /// or not a vDSO was mapped, then `AT_MINSIGSTKSZ`.
    #[inline(always)]
    fn push_dlinfo(facts: &DlinfoFacts, d: &mut ArchDlinfo) {
        if facts.vdso_enabled {
            d.push(AT_SYSINFO_EHDR, facts.vdso);
        }
        d.push(AT_MINSIGSTKSZ, facts.minsigstksz);
    }
}

/// i386 programs, as fs/compat_binfmt_elf.c loads them on x86_64. x32 programs
/// (ELFCLASS32, `EM_X86_64`, `CONFIG_X86_X32_ABI`) are not among them: binfmt_rs
/// leaves them to the kernel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ia32;

impl Abi for Ia32 {
    type Class = Elf32;
    const COMPAT: bool = true;
    /// `COMPAT_ELF_PLATFORM` (AE:187).
    const ELF_PLATFORM: &'static CStr = c"i686";
    /// `COMPAT_SET_PERSONALITY()`, `set_personality_ia32(false)`, sets
    /// `TIF_ADDR32` (arch/x86/kernel/process_64.c): `mmap_is_ia32()`.
    const BRK_RND_RANGE: u64 = BRK_RND_RANGE_IA32;
    const ALIGN_STACK_RND: u32 = ALIGN_STACK_RND;

    /// `elf_check_arch_ia32()` (AE:91-92), the first half of
    /// `compat_elf_check_arch()`.
    #[inline(always)]
    fn check_arch(e_machine: u16, _: u32) -> bool {
        e_machine == EM_386 || e_machine == EM_486
    }

    /// compat_binfmt_elf.c keeps the native `elf_read_implies_exec()` (x86
    /// defines no `compat_elf_read_implies_exec`), which tests `mmap_is_ia32()`,
    /// true for an i386 task: a program without PT_GNU_STACK.
    #[inline(always)]
    fn read_implies_exec(executable_stack: ExecStack) -> bool {
        executable_stack == ExecStack::Default
    }

    /// `ARCH_DLINFO_IA32` (AE:298-306): `AT_SYSINFO` (`VDSO_ENTRY`) and
    /// `AT_SYSINFO_EHDR` if a vDSO is mapped (`VDSO_CURRENT_BASE`), then
    /// `AT_MINSIGSTKSZ`.
    #[inline(always)]
    fn push_dlinfo(facts: &DlinfoFacts, d: &mut ArchDlinfo) {
        if facts.vdso != 0 {
            d.push(AT_SYSINFO, facts.vdso_entry);
            d.push(AT_SYSINFO_EHDR, facts.vdso);
        }
        d.push(AT_MINSIGSTKSZ, facts.minsigstksz);
    }
}

/// `DEFAULT_MAP_WINDOW`: the 47-bit user address space, minus the guard page.
pub const DEFAULT_MAP_WINDOW: u64 = (1 << 47) - 4096;
/// `STACK_TOP` (`TASK_SIZE_LOW`) for a 64-bit task, whatever the paging depth.
pub const STACK_TOP: u64 = DEFAULT_MAP_WINDOW;
/// `TASK_SIZE` with 4-level paging; with LA57 it is `(1 << 56) - 4096`.
pub const TASK_SIZE_4LEVEL: u64 = DEFAULT_MAP_WINDOW;
/// `ELF_ET_DYN_BASE` for a 64-bit task (AE:242-243): two thirds of the map window,
/// `0x555555554aaa`; the loader page-aligns whatever it derives from it.
pub const ELF_ET_DYN_BASE: u64 = DEFAULT_MAP_WINDOW / 3 * 2;
/// `STACK_RND_MASK` for a 64-bit task (AE:335-336): 22 bits of pages, 16 GiB.
pub const STACK_RND_MASK: u64 = 0x3f_ffff;
/// The range of `arch_randomize_brk()` for a 64-bit task: `SZ_1G`.
pub const BRK_RND_RANGE: u64 = 1 << 30;
/// The range of `arch_randomize_brk()` when `mmap_is_ia32()`: `SZ_32M`.
pub const BRK_RND_RANGE_IA32: u64 = 32 << 20;
/// `ELF_PLATFORM` (AE:228), copied to the stack for `AT_PLATFORM`.
pub const ELF_PLATFORM: &CStr = c"x86_64";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_of_6_12() {
        assert_eq!(DEFAULT_MAP_WINDOW, 0x7fff_ffff_f000);
        // 0x7fff_ffff_f000 / 3 = 0x2aaa_aaaa_a555 (rounded down), times 2.
        assert_eq!(ELF_ET_DYN_BASE, 0x5555_5555_4aaa);
        assert_eq!(ELF_PLATFORM.to_bytes_with_nul(), b"x86_64\0");
        assert_eq!(Ia32::ELF_PLATFORM.to_bytes_with_nul(), b"i686\0");
        assert_eq!(BRK_RND_RANGE_IA32, 0x200_0000);
    }

    #[test]
    fn read_implies_exec_only_for_ia32_without_pt_gnu_stack() {
        for stack in [ExecStack::Default, ExecStack::DisableX, ExecStack::EnableX] {
            assert!(!X86_64::read_implies_exec(stack));
            assert_eq!(Ia32::read_implies_exec(stack), stack == ExecStack::Default);
        }
    }
}
