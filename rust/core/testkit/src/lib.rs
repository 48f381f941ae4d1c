// SPDX-License-Identifier: GPL-2.0

//! The kernel side of the core's tests and fuzz targets: what `load_elf_binary()`
//! reaches through [`binfmt_rs_core::effects`], answered as 6.12 would, and the
//! files it reads.
//!
//! - [`mm`]: a model of the new process's address space, the [`AddressSpace`] the
//!   PT_LOAD loops map into; it records every call and its result;
//! - [`elf`]: encoders of the ELF headers the loops read;
//! - [`user_stack`]: a fake of the stack VMA, the [`UserStack`]
//!   `create_elf_tables()` writes.
//!
//! Used by rust/core/tests (a dev-dependency of `binfmt_rs_core`) and by the fuzz
//! targets in rust/core/fuzz, so that both check the core against the same kernel.
//!
//! [`AddressSpace`]: binfmt_rs_core::effects::AddressSpace
//! [`UserStack`]: binfmt_rs_core::effects::UserStack

pub mod elf;
pub mod mm;
pub mod user_stack;
