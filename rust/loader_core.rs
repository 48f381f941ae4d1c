// SPDX-License-Identifier: GPL-2.0

//! The kernel-independent core, compiled into the module from `rust/core/src`, where
//! the same files are a `no_std` crate with host tests. See `rust/core/src/lib.rs`.

#![forbid(unsafe_code)]

#[path = "core/src/arch.rs"]
pub mod arch;
#[path = "core/src/auxv.rs"]
pub mod auxv;
#[path = "core/src/brk.rs"]
pub mod brk;
#[path = "core/src/elf.rs"]
pub mod elf;
#[path = "core/src/errno.rs"]
pub mod errno;
#[path = "core/src/interp.rs"]
pub mod interp;
#[path = "core/src/layout.rs"]
pub mod layout;
#[path = "core/src/mman.rs"]
pub mod mman;
#[path = "core/src/observe.rs"]
pub mod observe;
#[path = "core/src/page.rs"]
pub mod page;
#[path = "core/src/phdr.rs"]
pub mod phdr;
#[path = "core/src/property.rs"]
pub mod property;
#[path = "core/src/random.rs"]
pub mod random;
#[path = "core/src/segment.rs"]
pub mod segment;
#[path = "core/src/stack.rs"]
pub mod stack;
