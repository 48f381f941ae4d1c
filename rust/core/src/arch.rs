// SPDX-License-Identifier: GPL-2.0

//! The x86_64 values of the arch macros `load_elf_binary()` and
//! `create_elf_tables()` use.
//!
//! C headers: arch/x86/include/asm/elf.h (AE), arch/x86/include/asm/page_64_types.h,
//! include/asm-generic/param.h. Values that depend on the running machine
//! (`TASK_SIZE` with LA57, `ELF_HWCAP`, `elf_hwcap2`, `get_sigframe_size()`) are
//! not here: the glue reads them and passes them in.

use core::ffi::CStr;

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
/// `ELF_PLATFORM` (AE:228), copied to the stack for `AT_PLATFORM`.
pub const ELF_PLATFORM: &CStr = c"x86_64";
/// `ELF_EXEC_PAGESIZE` (AE:235), the value of `AT_PAGESZ`.
pub const ELF_EXEC_PAGESIZE: u64 = 4096;
/// `CLOCKS_PER_SEC` (`USER_HZ`), the value of `AT_CLKTCK`.
pub const CLOCKS_PER_SEC: u64 = 100;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_of_6_12() {
        assert_eq!(DEFAULT_MAP_WINDOW, 0x7fff_ffff_f000);
        // 0x7fff_ffff_f000 / 3 = 0x2aaa_aaaa_a555 (rounded down), times 2.
        assert_eq!(ELF_ET_DYN_BASE, 0x5555_5555_4aaa);
        assert_eq!(ELF_PLATFORM.to_bytes_with_nul(), b"x86_64\0");
    }
}
