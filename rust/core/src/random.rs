// SPDX-License-Identifier: GPL-2.0

//! The randomisation formulas of an exec, with the random numbers supplied by the
//! caller.
//!
//! None of these functions is exported to modules (checked against 6.12's exports). For
//! `arch_align_stack()` and `arch_randomize_brk()` the glue draws the random
//! numbers with the exported `get_random_u16()`/`get_random_u64()` (as
//! [`below_draw`] and [`below_from_draw`] pick and use them) and these functions
//! turn them into addresses exactly as the kernel would. The module calls
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

/// The draw `get_random_u32_below(ceil)` makes when `ceil` is a compile-time
/// constant, as it is in `arch_align_stack()` on both arches: the static inline in
/// include/linux/random.h takes the narrowest batch that holds `ceil`
/// (`get_random_u8()`, `get_random_u16()` or `get_random_u32()`), and none for a
/// `ceil` of 0 or 1. (The out-of-line `__get_random_u32_below()`, which serves a
/// variable `ceil`, always draws a u32: another batch, other values, and twice
/// the batch refills of the u16 draw that an 8192 or a `PAGE_SIZE` takes.)
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BelowDraw {
    /// No draw: the result is 0.
    Zero,
    /// `get_random_u8()`.
    U8,
    /// `get_random_u16()`.
    U16,
    /// `get_random_u32()`.
    U32,
}

/// Which draw `get_random_u32_below(ceil)` makes for a constant `ceil`.
pub const fn below_draw(ceil: u32) -> BelowDraw {
    if ceil <= 1 {
        BelowDraw::Zero
    } else if ceil <= 1 << 8 {
        BelowDraw::U8
    } else if ceil <= 1 << 16 {
        BelowDraw::U16
    } else {
        BelowDraw::U32
    }
}

/// One round of `get_random_u32_below(ceil)`'s loop for a constant `ceil`, given
/// the draw `r` that [`below_draw`] named: `ceil * r` scaled down to `[0, ceil)`,
/// or `None` when the C rejects the sample (its low half falls in the remainder
/// that `ceil` does not divide) and draws again. A power of two is never
/// rejected. `r` is taken at the draw's width.
pub const fn below_from_draw(ceil: u32, r: u32) -> Option<u32> {
    let bits = match below_draw(ceil) {
        BelowDraw::Zero => return Some(0),
        BelowDraw::U8 => 8,
        BelowDraw::U16 => 16,
        BelowDraw::U32 => 32,
    };
    let mask = (1u64 << bits) - 1;
    // ceil <= 2^bits and r < 2^bits: the product fits in 64 bits.
    let mult = ceil as u64 * (r as u64 & mask);
    // The C's bound, `(1U << bits) % ceil` (`-ceil % ceil` in u32 arithmetic for
    // 32 bits, the same number).
    let bound = (1u64 << bits) % ceil as u64;
    if ceil.is_power_of_two() || mult & mask >= bound {
        Some((mult >> bits) as u32)
    } else {
        None
    }
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
    fn below_draws_from_the_narrowest_batch_that_holds_ceil() {
        assert_eq!(below_draw(0), BelowDraw::Zero);
        assert_eq!(below_draw(1), BelowDraw::Zero);
        assert_eq!(below_draw(2), BelowDraw::U8);
        assert_eq!(below_draw(256), BelowDraw::U8);
        assert_eq!(below_draw(257), BelowDraw::U16);
        // arch_align_stack(): 8192 on x86, PAGE_SIZE (4 KiB to 64 KiB) on arm64.
        assert_eq!(below_draw(8192), BelowDraw::U16);
        assert_eq!(below_draw(65536), BelowDraw::U16);
        assert_eq!(below_draw(65537), BelowDraw::U32);
    }

    #[test]
    fn below_scales_a_draw_and_rejects_the_remainder() {
        // A power of two: (8192 * r) >> 16, never rejected.
        assert_eq!(below_from_draw(8192, 0), Some(0));
        assert_eq!(below_from_draw(8192, 0x8000), Some(4096));
        assert_eq!(below_from_draw(8192, 0xffff), Some(8191));
        assert_eq!(below_from_draw(65536, 0xffff), Some(0xffff));
        // 3 from a u8: 256 % 3 = 1, so a product whose low byte is 0 is drawn again.
        // 3 * 86 = 258 (low byte 2), 3 * 255 = 765 (low byte 253).
        assert_eq!(below_from_draw(3, 0), None);
        assert_eq!(below_from_draw(3, 86), Some(1));
        assert_eq!(below_from_draw(3, 255), Some(2));
        // 1000 from a u16: 65536 % 1000 = 536, and 1000 * 1 has the low half 1000.
        assert_eq!(below_from_draw(1000, 0), None);
        assert_eq!(below_from_draw(1000, 1), Some(0));
        // 100000 from a u32: (2^32 - 100000) % 100000 = 67296.
        assert_eq!(below_from_draw(100_000, 0), None);
        assert_eq!(below_from_draw(100_000, 1), Some(0));
        assert_eq!(below_from_draw(100_000, u32::MAX), Some(99_999));
    }

    #[test]
    fn below_is_uniform_over_the_accepted_draws() {
        // What the rejection is for: every result in [0, ceil) comes from exactly
        // 2^width / ceil (rounded down) draws of the width.
        for (ceil, width) in [(3u32, 8u32), (200, 8), (1000, 16), (8192, 16)] {
            let mut seen = [0u32; 8192];
            for r in 0..1u32 << width {
                if let Some(v) = below_from_draw(ceil, r) {
                    seen[v as usize] += 1;
                }
            }
            let each = (1u32 << width) / ceil;
            assert!(
                seen[..ceil as usize].iter().all(|&n| n == each),
                "ceil {ceil}"
            );
            assert!(seen[ceil as usize..].iter().all(|&n| n == 0), "ceil {ceil}");
        }
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
