// SPDX-License-Identifier: GPL-2.0

//! The page arithmetic and address tests of fs/binfmt_elf.c (BE:87-111) and
//! include/linux/err.h.
//!
//! The C does all of this in `unsigned long` and several callers feed it values
//! straight from the file, so every helper wraps exactly as the C does instead of
//! trapping: a malformed file must give the same numbers here as in the kernel.

use super::errno::Errno;

/// `PAGE_SIZE` on x86_64.
pub const PAGE_SIZE: u64 = 4096;
/// `PAGE_SHIFT` on x86_64.
pub const PAGE_SHIFT: u32 = 12;
/// `ELF_MIN_ALIGN` on x86_64 (`PAGE_SIZE`), for both ELF classes. In 6.12 it also
/// caps the size of the program header table (`load_elf_phdrs()`), so at most 73
/// ELF64 or 128 ELF32 entries are accepted.
pub const ELF_MIN_ALIGN: u64 = 4096;
/// `MAX_ERRNO` (include/linux/err.h): the largest errno an address can encode.
pub const MAX_ERRNO: u64 = 4095;

/// `ELF_PAGESTART(v)` (BE:97): `v & ~(int)(ELF_MIN_ALIGN-1)`. The `(int)` cast
/// sign-extends, so the mask still has every high bit set.
pub const fn elf_pagestart(v: u64) -> u64 {
    v & !(ELF_MIN_ALIGN - 1)
}

/// `ELF_PAGEOFFSET(v)` (BE:98).
pub const fn elf_pageoffset(v: u64) -> u64 {
    v & (ELF_MIN_ALIGN - 1)
}

/// `ELF_PAGEALIGN(v)` (BE:99), which wraps to 0 for `v > ULONG_MAX - 4095`, and
/// so also stands for `PAGE_ALIGN()` (`ELF_MIN_ALIGN == PAGE_SIZE` on x86_64).
pub const fn elf_pagealign(v: u64) -> u64 {
    v.wrapping_add(ELF_MIN_ALIGN - 1) & !(ELF_MIN_ALIGN - 1)
}

/// `BAD_ADDR(x)` (BE:111): `x >= TASK_SIZE`. Error values are bad addresses too,
/// which is how `elf_map()`/`elf_load()` report failures.
pub const fn bad_addr(x: u64, task_size: u64) -> bool {
    x >= task_size
}

/// `IS_ERR_VALUE(x)` (include/linux/err.h): `x` is a negative errno cast to
/// `unsigned long`.
pub const fn is_err_value(x: u64) -> bool {
    x >= MAX_ERRNO.wrapping_neg()
}

/// An `int` errno returned where the C stores it in an `unsigned long`, e.g.
/// `map_addr = error` after `vm_brk_flags()` (BE:443): the value is sign-extended.
pub const fn errno_as_addr(err: i32) -> u64 {
    err as i64 as u64
}

/// The errno the loader makes of a bad address (BE:1151-1154, 1177-1180, and
/// 1253-1256 for an interpreter):
/// `IS_ERR_VALUE(x) ? PTR_ERR(x) : -EINVAL`, truncated to the `int` retval.
pub const fn bad_addr_retval(x: u64) -> i32 {
    if is_err_value(x) {
        x as i64 as i32
    } else {
        Errno::Inval.to_kernel()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_macros_match_the_c_including_wraparound() {
        assert_eq!(elf_pagestart(0x401234), 0x401000);
        assert_eq!(elf_pagestart(u64::MAX), 0xffff_ffff_ffff_f000);
        assert_eq!(elf_pageoffset(0x401234), 0x234);
        assert_eq!(elf_pagealign(0x401001), 0x402000);
        assert_eq!(elf_pagealign(0x401000), 0x401000);
        // (0xffff_ffff_ffff_f001 + 0xfff) wraps to 0x0000 in unsigned long.
        assert_eq!(elf_pagealign(0xffff_ffff_ffff_f001), 0);
    }

    #[test]
    fn error_values_and_their_retval() {
        let task_size = 0x7fff_ffff_f000;
        // -EEXIST (17) as unsigned long is 0xffff_ffff_ffff_ffef.
        let eexist = errno_as_addr(-17);
        assert_eq!(eexist, 0xffff_ffff_ffff_ffef);
        assert!(bad_addr(eexist, task_size) && is_err_value(eexist));
        assert_eq!(bad_addr_retval(eexist), -17);
        // A real address above TASK_SIZE is bad but not an error: -EINVAL.
        assert!(bad_addr(0x8000_0000_0000, task_size));
        assert!(!is_err_value(0x8000_0000_0000));
        assert_eq!(bad_addr_retval(0x8000_0000_0000), -22);
        // -MAX_ERRNO is the lowest error value, one below is an address.
        assert!(is_err_value(0xffff_ffff_ffff_f001));
        assert!(!is_err_value(0xffff_ffff_ffff_f000));
        assert!(!bad_addr(task_size - 1, task_size));
    }

    proptest::proptest! {
        #[test]
        fn pagestart_plus_offset_is_identity(v in proptest::prelude::any::<u64>()) {
            proptest::prop_assert_eq!(elf_pagestart(v) + elf_pageoffset(v), v);
            let aligned = elf_pagealign(v);
            proptest::prop_assert_eq!(elf_pageoffset(aligned), 0);
            if v <= u64::MAX - 4095 {
                proptest::prop_assert!(aligned >= v && aligned - v < 4096);
            }
        }
    }
}
