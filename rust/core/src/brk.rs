// SPDX-License-Identifier: GPL-2.0

//! Where the heap starts: the "brk" handling at the end of `load_elf_binary()`
//! (BE:1295-1332).

use super::page::{elf_pagealign, PAGE_SIZE};
use super::random::arch_randomize_brk;

/// The initial `mm->start_brk` and `mm->brk`, which are always equal after exec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Brk {
    /// `mm->start_brk`.
    pub start_brk: u64,
    /// `mm->brk`.
    pub brk: u64,
    /// `brk_moved`: the brk was put at `ELF_ET_DYN_BASE` or randomised. Only
    /// `CONFIG_COMPAT_BRK` kernels act on it (`current->brk_randomized`).
    pub brk_moved: bool,
}

/// The facts the brk decision depends on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BrkInputs {
    /// The biased end of the highest PT_LOAD (`elf_brk` after BE:1234).
    pub elf_brk: u64,
    /// ET_DYN without an interpreter: a static PIE, or ld.so run directly.
    pub static_pie: bool,
    /// `ELF_ET_DYN_BASE`.
    pub elf_et_dyn_base: u64,
    /// `(current->flags & PF_RANDOMIZE) && snapshot_randomize_va_space > 1`, with
    /// the same snapshot of the sysctl that decided `PF_RANDOMIZE` (CVE-2024-46826).
    pub randomize: bool,
    /// `get_random_long()` for `arch_randomize_brk()`; unused unless `randomize`.
    pub random_long: u64,
    /// `CONFIG_COMPAT_BRK` of the kernel: the brk of a static PIE stays after its
    /// bss.
    pub compat_brk: bool,
    /// The range of `arch_randomize_brk()` for the task's ABI
    /// ([`Abi::BRK_RND_RANGE`](super::arch::Abi::BRK_RND_RANGE)).
    pub brk_rnd_range: u64,
}

/// The brk of BE:1308-1327, for an arch with `CONFIG_ARCH_HAS_ELF_RANDOMIZE`
/// (x86_64 and arm64 both select it).
///
/// `brk_moved` would also set `current->brk_randomized` under
/// `#ifdef compat_brk_randomized`, a macro no 6.12 header defines: the C never
/// sets it, so neither does binfmt_rs.
#[inline(always)]
pub const fn initial_brk(inputs: &BrkInputs) -> Brk {
    let mut elf_brk = inputs.elf_brk;
    let mut brk_moved = false;
    // A loader run directly is mapped in the mmap region, where a growing brk would
    // soon hit the vDSO or the next mmap; its brk goes to the otherwise unused
    // ELF_ET_DYN_BASE instead, randomised or not (commit 11854fe263eb), unless the
    // kernel keeps the old layout for old binaries (CONFIG_COMPAT_BRK).
    if !inputs.compat_brk && inputs.static_pie {
        elf_brk = inputs.elf_et_dyn_base;
        brk_moved = true;
    }
    let mut brk = elf_pagealign(elf_brk);
    if inputs.randomize {
        // A one-page gap after .bss, only when the brk still follows it.
        if !brk_moved {
            brk = brk.wrapping_add(PAGE_SIZE);
        }
        brk = arch_randomize_brk(brk, inputs.brk_rnd_range, inputs.random_long);
        brk_moved = true;
    }
    Brk {
        start_brk: brk,
        brk,
        brk_moved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: u64 = 0x5555_5555_4aaa;

    fn brk(elf_brk: u64, static_pie: bool, randomize: bool, random_long: u64) -> Brk {
        initial_brk(&BrkInputs {
            elf_brk,
            static_pie,
            elf_et_dyn_base: BASE,
            randomize,
            random_long,
            compat_brk: false,
            brk_rnd_range: 1 << 30,
        })
    }

    #[test]
    fn exec_without_randomisation_follows_the_bss() {
        // PAGEALIGN(0x4c72e0) = 0x4c8000, no gap (randomize_va_space < 2).
        let b = brk(0x4c_72e0, false, false, 12345);
        assert_eq!(
            (b.start_brk, b.brk, b.brk_moved),
            (0x4c_8000, 0x4c_8000, false)
        );
    }

    #[test]
    fn randomised_brk_leaves_a_gap_page_then_randomises() {
        // PAGEALIGN(0x404123) = 0x405000, + PAGE_SIZE gap = 0x406000, then
        // 5 % 0x40000 pages = 5 pages -> 0x40b000.
        let b = brk(0x40_4123, false, true, 5);
        assert_eq!(
            (b.start_brk, b.brk, b.brk_moved),
            (0x40_b000, 0x40_b000, true)
        );
        // random 0 keeps the gap page: 0x406000.
        assert_eq!(brk(0x40_4123, false, true, 0).brk, 0x40_6000);
    }

    #[test]
    fn static_pie_brk_moves_to_et_dyn_base() {
        // PAGEALIGN(0x555555554aaa) = 0x555555555000, with ASLR off.
        let b = brk(0x7fff_f7ff_f000, true, false, 77);
        assert_eq!((b.brk, b.brk_moved), (0x5555_5555_5000, true));
        // With ASLR: no gap page because it was moved; 3 pages up.
        assert_eq!(brk(0x7fff_f7ff_f000, true, true, 3).brk, 0x5555_5555_8000);
    }

    #[test]
    fn compat_brk_keeps_a_static_pie_brk_after_its_bss() {
        let compat = |randomize, random_long| {
            initial_brk(&BrkInputs {
                elf_brk: 0x7fff_f7ff_f123,
                static_pie: true,
                elf_et_dyn_base: BASE,
                randomize,
                random_long,
                compat_brk: true,
                brk_rnd_range: 1 << 30,
            })
        };
        assert_eq!(
            compat(false, 7),
            Brk {
                start_brk: 0x7fff_f800_0000,
                brk: 0x7fff_f800_0000,
                brk_moved: false
            }
        );
        // Randomised, it gets the gap page first, as any program's brk does.
        assert_eq!(compat(true, 3).brk, 0x7fff_f800_4000);
        // A 32-bit task draws its offset within 32 MiB, not 1 GiB.
        let ia32 = |random_long| {
            initial_brk(&BrkInputs {
                elf_brk: 0x0804_c123,
                static_pie: false,
                elf_et_dyn_base: 0x5655_5000,
                randomize: true,
                random_long,
                compat_brk: false,
                brk_rnd_range: 32 << 20,
            })
            .brk
        };
        // 0x804d000 + one gap page, then (random % 8192 pages) << 12.
        assert_eq!(ia32(8192 + 5), 0x0804_e000 + (5 << 12));
    }
}
