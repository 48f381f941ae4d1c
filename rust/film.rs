// SPDX-License-Identifier: GPL-2.0

//! The film of each exec: the address space after every step of
//! `load_elf_binary()`, recorded when the `film` parameter is on, and the trace
//! events of the same steps.
//!
//! [`watch`] is how the loader reports a step (to nobody, when no one watches);
//! [`recorder`] takes the frames and fires the events; [`record`] is a film and its
//! text; [`ring`] keeps the last films for debugfs.

pub(crate) mod record;
pub(crate) mod recorder;
pub(crate) mod ring;
pub(crate) mod watch;
