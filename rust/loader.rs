// SPDX-License-Identifier: GPL-2.0

//! The loader: `load_elf_binary()` step by step, carrying out the core's plans
//! through the wrappers, and the compile-time ties between the core's constants
//! and the kernel's.

pub(crate) mod arch_hooks;
pub(crate) mod kernel_twins;
pub(crate) mod load_elf_binary;
