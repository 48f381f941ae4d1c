// SPDX-License-Identifier: GPL-2.0

//! The module parameters (declared in rust/helpers.c): what binfmt_rs claims,
//! what it has seen, and its trace.

pub(crate) mod claim;
pub(crate) mod stats;
pub(crate) mod trace;
