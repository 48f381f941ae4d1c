// SPDX-License-Identifier: GPL-2.0

//! The module parameters (declared in rust/helpers.c): what binfmt_rs claims,
//! what it has seen, and whether it films the execs it loads.

pub(crate) mod claim;
pub(crate) mod film;
pub(crate) mod stats;
