// SPDX-License-Identifier: GPL-2.0

//! The kernel-independent core, compiled into the module from `rust/core/src`, where
//! the same files are a `no_std` crate with host tests. See `rust/core/src/lib.rs`.

#[path = "core/src/elf.rs"]
pub mod elf;
#[path = "core/src/errno.rs"]
pub mod errno;
