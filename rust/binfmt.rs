// SPDX-License-Identifier: GPL-2.0

//! binfmt_rs: an ELF loader for `execve()`, written in Rust.
//!
//! The module registers a `struct linux_binfmt` on the kernel's list of binary
//! formats just ahead of binfmt_elf, and loads the ELF files it claims the way
//! `load_elf_binary()` (fs/binfmt_elf.c) does. The `claim` parameter decides which
//! files it takes; the rest fall through to the kernel's own loader.
//!
//! Layers: `loader_core` holds the pure decisions (shared with the host tests in
//! `rust/core`); the other modules are the thin glue that carries them out.

use kernel::prelude::*;

use entry::registration;
use params::{claim, stats};
use wrappers::symbols;

mod bindings;
mod entry;
mod film;
mod loader;
#[path = "core/src/lib.rs"]
pub mod loader_core;
mod params;
mod wrappers;

module! {
    type: BinfmtRs,
    name: "binfmt_rs",
    author: "binfmt_rs authors",
    description: "ELF loader for execve(), mirroring load_elf_binary()",
    license: "GPL",
}

struct BinfmtRs {
    // Dropped first: once the format is off the list and the execs in the module
    // are done, nothing adds films any more.
    _format: registration::Registration,
    _films: film::ring::FilmRecord,
}

impl kernel::Module for BinfmtRs {
    fn init(module: &'static ThisModule) -> Result<Self> {
        // Symbols first: a format that is registered can be called at once, and it
        // must never run with a symbol missing.
        let symbols = symbols::resolve()?;
        let films = film::ring::FilmRecord::new()?;
        let format = registration::Registration::register(module, symbols)?;
        pr_info!(
            "registered ahead of binfmt_elf (claim={})\n",
            claim::get().name()
        );
        Ok(BinfmtRs {
            _format: format,
            _films: films,
        })
    }
}

impl Drop for BinfmtRs {
    fn drop(&mut self) {
        pr_info!("unregistered; {}\n", stats::Snapshot::take());
    }
}
