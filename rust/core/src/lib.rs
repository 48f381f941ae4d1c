// SPDX-License-Identifier: GPL-2.0

//! The kernel-independent core of binfmt_rs.
//!
//! Everything here is a pure decision: given the bytes of a file and a few facts about
//! the running kernel, what would `load_elf_binary()` (fs/binfmt_elf.c) do? The kernel
//! glue in `rust/` carries the decisions out; the host tests check them against values
//! worked out from the 6.12 source.
//!
//! The module files are also compiled into the kernel module (see `rust/loader_core.rs`),
//! so they refer to each other through `super::`, never `crate::`, and use only `core`.

#![no_std]

pub mod elf;
pub mod errno;
