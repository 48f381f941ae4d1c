// SPDX-License-Identifier: GPL-2.0

//! The kernel-independent core of binfmt_rs.
//!
//! Everything here is a pure decision: given the bytes of a file and a few facts about
//! the running kernel, what would `load_elf_binary()` (fs/binfmt_elf.c) do? The kernel
//! glue in `rust/` carries the decisions out; the host tests check them against values
//! worked out from the 6.12 source.
//!
//! The module files are also compiled into the kernel module, as its `loader_core`
//! module (`#[path = "core/src/lib.rs"]` in rust/binfmt.rs), so they refer to each
//! other through `super::`, never `crate::`, and use only `core`.
//!
//! In the order `load_elf_binary()` needs them:
//!
//! - [`elf`]: the header checks; [`phdr`]: the program header table and its scans
//!   (PT_INTERP, PT_GNU_STACK, `total_mapping_size()`, `maximum_alignment()`);
//!   [`property`]: which PT_GNU_PROPERTY would be parsed (none is, on x86_64);
//!   [`interp`]: the PT_INTERP checks and `load_elf_interp()`;
//! - [`random`]: the randomisation formulas (`arch_align_stack()`, `randomize_page()`
//!   for the brk; `randomize_stack_top()` and `arch_mmap_rnd()` as references);
//! - [`layout`]: the PT_LOAD loop, mapping each segment as [`segment`] describes
//!   (`elf_load()`/`elf_map()`), then the entry point and [`brk`];
//! - [`stack`]: `create_elf_tables()`, with the auxv of [`auxv`].
//!
//! Each step is built for one ELF class ([`class`]: the header and program header
//! layouts and `elf_addr_t`, what fs/compat_binfmt_elf.c renames) and one ABI
//! ([`arch::Abi`]: `elf_check_arch()`, `ELF_PLATFORM`, `ARCH_DLINFO`, what the
//! arch's compat macros change), as binfmt_elf.c is compiled once per class.
//!
//! [`page`], [`mman`] and [`arch`] hold the macros and constants they share, the
//! latter one module per architecture ([`arch::x86`], [`arch::arm64`], with the
//! hooks that are no-ops on x86_64: BTI's property and `PROT_BTI`);
//! [`observe`] is how a caller watches the loops' drivers step by step, and
//! [`effects`] what the core asks of the kernel; [`film`] names the steps the module
//! records the address space after, and the text it shows the record in.

// The module compiles these files as its `loader_core` module, where the crate is
// the module's own.
#![cfg_attr(not(MODULE), no_std)]
#![forbid(unsafe_code)]

#[cfg(test)]
extern crate std;

pub mod arch;
pub mod auxv;
pub mod brk;
pub mod class;
pub mod effects;
pub mod elf;
pub mod errno;
pub mod film;
pub mod interp;
pub mod layout;
pub mod mman;
pub mod observe;
pub mod page;
pub mod phdr;
pub mod property;
pub mod random;
pub mod segment;
pub mod stack;
