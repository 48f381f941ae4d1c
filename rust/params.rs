// SPDX-License-Identifier: GPL-2.0

//! The module parameters (declared in rust/helpers.c): what binfmt_rs claims,
//! what it has seen, its trace and its timing probes.

pub(crate) mod claim;
pub(crate) mod stats;
pub(crate) mod timing;
pub(crate) mod trace;
