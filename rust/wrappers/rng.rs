// SPDX-License-Identifier: GPL-2.0

//! The kernel's random number generator, as `load_elf_binary()` draws from it.
//!
//! C header: include/linux/random.h

use core::mem::MaybeUninit;

use crate::bindings;
use crate::loader_core::random::{below_draw, below_from_draw, BelowDraw};

/// `get_random_long()`, for `arch_randomize_brk()`'s `randomize_page()`.
pub(crate) fn random_long() -> u64 {
    // SAFETY: the exported RNG; callable from any process context.
    unsafe { bindings::get_random_u64() }
}

/// `get_random_u32_below(ceil)` for a compile-time constant `ceil`, for
/// `arch_align_stack()`: the static inline's loop, drawing from the batch it
/// draws from. Inlined, so that the choice of batch folds away as it does in the
/// C.
#[inline(always)]
pub(crate) fn random_u32_below(ceil: u32) -> u32 {
    loop {
        let r = match below_draw(ceil) {
            BelowDraw::Zero => return 0,
            // SAFETY: as in `random_long()`.
            BelowDraw::U8 => u32::from(unsafe { bindings::get_random_u8() }),
            // SAFETY: as in `random_long()`.
            BelowDraw::U16 => u32::from(unsafe { bindings::get_random_u16() }),
            // SAFETY: as in `random_long()`.
            BelowDraw::U32 => unsafe { bindings::get_random_u32() },
        };
        if let Some(below) = below_from_draw(ceil, r) {
            return below;
        }
    }
}

/// `get_random_bytes(buf, 16)`, `AT_RANDOM`'s bytes.
pub(crate) fn random_bytes() -> [u8; 16] {
    // Not zeroed first: get_random_bytes() writes every byte.
    let mut buf = MaybeUninit::<[u8; 16]>::uninit();
    // SAFETY: `buf` is writable for its 16 bytes.
    unsafe { bindings::get_random_bytes(buf.as_mut_ptr().cast(), 16) };
    // SAFETY: get_random_bytes() filled all 16.
    unsafe { buf.assume_init() }
}
