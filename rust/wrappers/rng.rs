// SPDX-License-Identifier: GPL-2.0

//! The kernel's random number generator, as `load_elf_binary()` draws from it.
//!
//! C header: include/linux/random.h

use crate::bindings;

/// `get_random_long()`, for `arch_randomize_brk()`'s `randomize_page()`.
pub(crate) fn random_long() -> u64 {
    // SAFETY: the exported RNG; callable from any process context.
    unsafe { bindings::get_random_u64() }
}

/// `get_random_u32_below(ceil)`, for `arch_align_stack()`; `ceil` is not 0.
pub(crate) fn random_u32_below(ceil: u32) -> u32 {
    // SAFETY: as in `random_long()`; the C inline calls this out-of-line part for a
    // ceil that is not a compile-time constant, and every ceil above 0 is valid.
    unsafe { bindings::__get_random_u32_below(ceil) }
}

/// `get_random_bytes(buf, len)`, for `AT_RANDOM`'s 16 bytes.
pub(crate) fn fill_random(buf: &mut [u8]) {
    // SAFETY: `buf` is writable for its length.
    unsafe { bindings::get_random_bytes(buf.as_mut_ptr().cast(), buf.len()) };
}
