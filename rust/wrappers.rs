// SPDX-License-Identifier: GPL-2.0

//! One thin wrapper per C object the loader uses, each owning its raw pointer
//! and stating its invariants. Every `unsafe` line of the loader is here (and in
//! the entry points and parameters, which the kernel calls).

#[cfg(CONFIG_ARM64)]
pub(crate) mod arm64;
pub(crate) mod bprm;
pub(crate) mod current;
pub(crate) mod debugfs;
pub(crate) mod exec_file;
pub(crate) mod file_buf;
pub(crate) mod interpreter;
pub(crate) mod mm_view;
pub(crate) mod new_mm;
#[cfg(CONFIG_ARCH_USE_GNU_PROPERTY)]
pub(crate) mod note_buf;
pub(crate) mod rng;
pub(crate) mod symbols;
pub(crate) mod trace_events;
#[cfg(CONFIG_X86_64)]
pub(crate) mod x86;
