// SPDX-License-Identifier: GPL-2.0

//! The mmap and VMA flag values the loader passes to mm.
//!
//! C headers: include/uapi/asm-generic/mman-common.h, include/uapi/linux/mman.h,
//! include/linux/mm.h

/// `PROT_READ`.
pub const PROT_READ: u32 = 0x1;
/// `PROT_WRITE`.
pub const PROT_WRITE: u32 = 0x2;
/// `PROT_EXEC`.
pub const PROT_EXEC: u32 = 0x4;

/// `MAP_PRIVATE`: every ELF mapping is private.
pub const MAP_PRIVATE: u32 = 0x02;
/// `MAP_FIXED`: silently replaces whatever is mapped there.
pub const MAP_FIXED: u32 = 0x10;
/// `MAP_FIXED_NOREPLACE`: fixed, but fails with `-EEXIST` on a collision.
pub const MAP_FIXED_NOREPLACE: u32 = 0x10_0000;

/// `VM_EXEC`: the only flag `elf_load()` passes to `vm_brk_flags()`.
pub const VM_EXEC: u64 = 0x4;

/// `VM_READ`, `VM_WRITE` and `VM_MAYSHARE`: with `VM_EXEC`, the bits
/// `/proc/PID/maps` shows of a VMA.
pub const VM_READ: u64 = 0x1;
/// `VM_WRITE`.
pub const VM_WRITE: u64 = 0x2;
/// `VM_MAYSHARE`.
pub const VM_MAYSHARE: u64 = 0x80;
