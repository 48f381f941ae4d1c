// SPDX-License-Identifier: GPL-2.0

//! How the kernel reaches binfmt_rs: the `struct linux_binfmt`, its place on the
//! list of formats, and the `load_binary` callback.

pub(crate) mod format;
pub(crate) mod load_binary;
pub(crate) mod registration;
