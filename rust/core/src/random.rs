// SPDX-License-Identifier: GPL-2.0

//! The randomisation formulas of an exec, with the random numbers supplied by the
//! caller.
//!
//! None of these functions is exported to modules (checked against 6.12's exports). For
//! `arch_align_stack()` and `arch_randomize_brk()` the glue draws the random
//! numbers with the exported `get_random_u32_below()`/`get_random_u64()` and these
//! functions turn them into addresses exactly as the kernel would. The module calls
//! the kernel's own `randomize_stack_top()` and `arch_mmap_rnd()` (through resolved
//! symbols: they read `current->flags` and the `mmap_rnd_bits` sysctl); their
//! mirrors here state and test the arithmetic, and let host tests plan randomised
//! layouts. Sources: arch/x86/mm/mmap.c (`arch_mmap_rnd()`),
//! arch/x86/kernel/process.c (`arch_align_stack()`, `arch_randomize_brk()`),
//! mm/util.c (`randomize_stack_top()`, `randomize_page()`).

use super::arch::x86::STACK_RND_MASK;
use super::page::{elf_pagealign, elf_pageoffset, PAGE_SHIFT};

/// `arch_mmap_rnd()` for a 64-bit task with `PF_RANDOMIZE` (XM:70-80):
/// `(get_random_long() & ((1UL << mmap_rnd_bits) - 1)) << PAGE_SHIFT`.
/// `mmap_rnd_bits` is 28 by default and at most 32 on x86_64; larger values, which
/// the sysctl refuses, saturate instead of shifting out of range. Without
/// `PF_RANDOMIZE` the kernel's `arch_mmap_rnd()` is 0.
pub const fn arch_mmap_rnd(mmap_rnd_bits: u32, random_long: u64) -> u64 {
    let mask = match 1u64.checked_shl(mmap_rnd_bits) {
        Some(bit) => bit - 1,
        None => u64::MAX,
    };
    (random_long & mask) << PAGE_SHIFT
}

/// `randomize_stack_top(stack_top)` (mm/util.c:351-365), for `setup_arg_pages()`:
/// `PAGE_ALIGN(stack_top)` lowered by `(random_long & STACK_RND_MASK)` pages (an
/// x86_64 task's mask; the module calls the kernel's own function) when
/// `PF_RANDOMIZE` is set (`random_long` is `None` when it is not).
pub const fn randomize_stack_top(stack_top: u64, random_long: Option<u64>) -> u64 {
    let random_variable = match random_long {
        Some(r) => (r & STACK_RND_MASK) << PAGE_SHIFT,
        None => 0,
    };
    elf_pagealign(stack_top).wrapping_sub(random_variable)
}

/// `arch_align_stack(sp)` (XP:1018-1023, and arch/arm64/kernel/process.c): `sp`
/// lowered by `get_random_u32_below(Abi::ALIGN_STACK_RND)` (8192 on x86,
/// `PAGE_SIZE` on arm64) unless the task has `ADDR_NO_RANDOMIZE` or
/// `randomize_va_space` is 0 (`random` is `None` then), then 16-byte aligned.
/// `setup_arg_pages()` applies it to the stack top and `create_elf_tables()` to
/// `bprm->p`, each with a fresh random number.
pub const fn arch_align_stack(sp: u64, random: Option<u32>) -> u64 {
    let sp = match random {
        Some(r) => sp.wrapping_sub(r as u64),
        None => sp,
    };
    sp & !0xf
}

/// `randomize_page(start, range)` (mm/util.c:381-397): a page in
/// `[PAGE_ALIGN(start), start + range)`, chosen by `random_long % pages`; `start`
/// itself if the range holds no whole page. The range is capped so the result
/// cannot pass `ULONG_MAX`.
pub const fn randomize_page(start: u64, range: u64, random_long: u64) -> u64 {
    let (mut start, mut range) = (start, range);
    if elf_pageoffset(start) != 0 {
        range = range.wrapping_sub(elf_pagealign(start).wrapping_sub(start));
        start = elf_pagealign(start);
    }
    if start > u64::MAX - range {
        range = u64::MAX - start;
    }
    let pages = range >> PAGE_SHIFT;
    if pages == 0 {
        return start;
    }
    // `random_long % range << PAGE_SHIFT` in the C: `%` binds tighter than `<<`.
    start.wrapping_add((random_long % pages) << PAGE_SHIFT)
}

/// `arch_randomize_brk(mm)` (XP:1025-1031, and arch/arm64/kernel/process.c):
/// `randomize_page(mm->brk, range)`, `range` being the ABI's
/// [`Abi::BRK_RND_RANGE`](super::arch::Abi::BRK_RND_RANGE): `SZ_32M` for a
/// 32-bit task (`mmap_is_ia32()`, `is_compat_task()`), else `SZ_1G`.
pub const fn arch_randomize_brk(brk: u64, range: u64, random_long: u64) -> u64 {
    randomize_page(brk, range, random_long)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::x86::{BRK_RND_RANGE, BRK_RND_RANGE_IA32};

    #[test]
    fn mmap_rnd_takes_the_low_bits_in_pages() {
        // 28 bits: MAX & 0xfff_ffff = 0xfff_ffff, << 12 = 0xff_ffff_f000 (1 TiB - 4 KiB).
        assert_eq!(arch_mmap_rnd(28, u64::MAX), 0xff_ffff_f000);
        assert_eq!(arch_mmap_rnd(28, 0x1234_5678_9abc), 0x67_89ab_c000);
        assert_eq!(arch_mmap_rnd(32, 0x1_0000_0001), 0x1000);
        assert_eq!(arch_mmap_rnd(64, 1), 0x1000);
    }

    #[test]
    fn stack_top_drops_up_to_16_gib() {
        // No randomisation: PAGE_ALIGN(0x7fff_ffff_f000) is itself.
        assert_eq!(
            randomize_stack_top(0x7fff_ffff_f000, None),
            0x7fff_ffff_f000
        );
        // (MAX & 0x3fffff) << 12 = 0x3_ffff_f000; 0x7fff_ffff_f000 - that = 0x7ffc_0000_0000.
        assert_eq!(
            randomize_stack_top(0x7fff_ffff_f000, Some(u64::MAX)),
            0x7ffc_0000_0000
        );
        // (0x400005 & 0x3fffff) = 5 pages.
        assert_eq!(
            randomize_stack_top(0x7fff_ffff_f000, Some(0x40_0005)),
            0x7fff_ffff_a000
        );
    }

    #[test]
    fn align_stack_subtracts_then_rounds() {
        assert_eq!(arch_align_stack(0x7fff_ffff_efe6, None), 0x7fff_ffff_efe0);
        // 0x7fff_ffff_efe6 - 0x1234 = 0x7fff_ffff_ddb2 -> & ~0xf = 0x7fff_ffff_ddb0.
        assert_eq!(
            arch_align_stack(0x7fff_ffff_efe6, Some(0x1234)),
            0x7fff_ffff_ddb0
        );
        assert_eq!(
            arch_align_stack(0x7fff_ffff_f000, Some(8191)),
            0x7fff_ffff_d000
        );
    }

    #[test]
    fn randomize_page_cases_of_mm_util() {
        // 1 GiB is 0x40000 pages; 5 % 0x40000 = 5 -> 0x406000 + 0x5000.
        assert_eq!(arch_randomize_brk(0x406000, BRK_RND_RANGE, 5), 0x40b000);
        // (0x40000 + 7) % 0x40000 = 7 -> + 0x7000.
        assert_eq!(
            arch_randomize_brk(0x406000, BRK_RND_RANGE, 0x40007),
            0x40d000
        );
        // SZ_32M for a 32-bit task: 0x2000 pages, so 0x2005 is page 5.
        assert_eq!(
            arch_randomize_brk(0x406000, BRK_RND_RANGE_IA32, 0x2005),
            0x40b000
        );
        // Unaligned start 0x1001, range 0x3000: range -= 0x2000 - 0x1001 -> 0x2001,
        // start = 0x2000, 2 pages; 3 % 2 = 1 -> 0x3000.
        assert_eq!(randomize_page(0x1001, 0x3000, 3), 0x3000);
        // Capped at ULONG_MAX: range = MAX - 0xffff_ffff_ffff_f000 = 0xfff, 0 pages.
        assert_eq!(
            randomize_page(0xffff_ffff_ffff_f000, 1 << 30, 99),
            0xffff_ffff_ffff_f000
        );
        // A range under a page returns start.
        assert_eq!(randomize_page(0x5000, 0xfff, 99), 0x5000);
        // Unaligned start and a range smaller than the rounding: 0x10 - 0xff0 wraps
        // to nearly 2^64, then is capped at MAX - 0x2000; start is 0x2000.
        assert_eq!(randomize_page(0x1010, 0x10, 0), 0x2000);
    }

    proptest::proptest! {
        #[test]
        fn randomize_page_stays_in_range(
            start in 0u64..(1 << 47),
            random in proptest::prelude::any::<u64>(),
        ) {
            let start = start & !0xfff;
            let brk = arch_randomize_brk(start, BRK_RND_RANGE, random);
            proptest::prop_assert_eq!(brk & 0xfff, 0);
            proptest::prop_assert!(brk >= start && brk < start + (1 << 30));
        }

        #[test]
        fn align_stack_is_16_byte_aligned_and_at_most_8k_lower(
            sp in 0x10000u64..(1 << 47),
            r in 0u32..8192,
        ) {
            let aligned = arch_align_stack(sp, Some(r));
            proptest::prop_assert_eq!(aligned % 16, 0);
            proptest::prop_assert!(aligned <= sp && sp - aligned < 8192 + 16);
        }
    }
}
