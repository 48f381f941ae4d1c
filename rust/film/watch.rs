// SPDX-License-Identifier: GPL-2.0

//! How the loader reports its steps: [`Watch`], which an exec that nobody films or
//! traces gets as [`Unwatched`], whose every call is empty and inlined away, and the
//! recorder otherwise (rust/film/recorder.rs). The loader is compiled once for
//! each, so an unwatched exec does no work and no allocation for the film, and
//! pays one test for choosing.
//!
//! [`Watched`] wraps a mapper so that each call `elf_load()` makes is a step.

#![forbid(unsafe_code)]

use core::fmt;

use crate::loader_core::effects::AddressSpace;
use crate::loader_core::film::{map_names, prot_names, FilmStep, Outcome};
use crate::params::film;
use crate::wrappers::trace_events;

/// Whether an exec starting now is filmed or traced.
#[inline(always)]
pub(crate) fn watching() -> bool {
    film::enabled() || trace_events::listening()
}

/// What is told of each step of an exec.
pub(crate) trait Watch {
    /// What a PT_LOAD loop maps through: `M` itself when nobody watches, so the
    /// mapper carries nothing it would not use, else `M` [`Watched`].
    type Mapper<'w, M: AddressSpace + 'w>: AddressSpace
    where
        Self: 'w;

    /// `vm`, whose calls are steps of `step`.
    fn mapper<'w, M: AddressSpace + 'w>(&'w mut self, vm: M, step: FilmStep)
        -> Self::Mapper<'w, M>;

    /// `step` called `function(args)`, which returned `outcome`; the address
    /// space is as the step left it.
    fn step(
        &mut self,
        step: FilmStep,
        function: &'static str,
        args: fmt::Arguments<'_>,
        outcome: Outcome,
    );
}

/// Nobody watches.
pub(crate) struct Unwatched;

impl Watch for Unwatched {
    type Mapper<'w, M: AddressSpace + 'w> = M;

    #[inline(always)]
    fn mapper<'w, M: AddressSpace + 'w>(&'w mut self, vm: M, _: FilmStep) -> M {
        vm
    }

    #[inline(always)]
    fn step(&mut self, _: FilmStep, _: &'static str, _: fmt::Arguments<'_>, _: Outcome) {}
}

/// A mapper whose calls are steps of `step` (the program's PT_LOAD loop or the
/// interpreter's), reported to `watch` after each is made.
pub(crate) struct Watched<'w, M, W> {
    pub(crate) vm: M,
    pub(crate) watch: &'w mut W,
    pub(crate) step: FilmStep,
}

impl<M: AddressSpace, W: Watch> AddressSpace for Watched<'_, M, W> {
    #[inline(always)]
    fn vm_mmap(&mut self, addr: u64, len: u64, prot: u32, flags: u32, offset: u64) -> u64 {
        let got = self.vm.vm_mmap(addr, len, prot, flags, offset);
        self.watch.step(
            self.step,
            "vm_mmap",
            format_args!(
                "addr={addr:#x}, len={len:#x}, prot={}, flags={}, off={offset:#x}",
                prot_names(prot),
                map_names(flags)
            ),
            Outcome::Addr(got),
        );
        got
    }

    #[inline(always)]
    fn vm_munmap(&mut self, addr: u64, len: u64) {
        self.vm.vm_munmap(addr, len);
        self.watch.step(
            self.step,
            "vm_munmap",
            format_args!("addr={addr:#x}, len={len:#x}"),
            Outcome::Ret(0),
        );
    }

    #[inline(always)]
    fn clear_user(&mut self, addr: u64, len: u64) -> u64 {
        let left = self.vm.clear_user(addr, len);
        // padzero()'s call: the rest of the segment's last file page is zeroed;
        // the result is the number of bytes that were not.
        self.watch.step(
            self.step,
            "clear_user",
            format_args!("addr={addr:#x}, len={len:#x}"),
            Outcome::Ret(left as i64),
        );
        left
    }

    #[inline(always)]
    fn vm_brk_flags(&mut self, addr: u64, len: u64, vm_flags: u64) -> i32 {
        let ret = self.vm.vm_brk_flags(addr, len, vm_flags);
        self.watch.step(
            self.step,
            "vm_brk_flags",
            format_args!("addr={addr:#x}, len={len:#x}, flags={vm_flags:#x}"),
            Outcome::Ret(i64::from(ret)),
        );
        ret
    }

    #[inline(always)]
    fn report_segment_collision(&mut self, addr: u64) {
        self.vm.report_segment_collision(addr);
    }
}
