// SPDX-License-Identifier: GPL-2.0

//! What the loops' drivers ([`LoadPlan::run`], [`InterpPlan::run`]) tell an
//! observer about each `elf_load()` they make.
//!
//! The tests and the fuzz targets check each step through it (the module films an
//! exec one level down, at the effects: rust/film/watch.rs). Every method does
//! nothing by default, and [`Unobserved`] is the observer that overrides none, so
//! an unobserved run compiles to the bare loop.
//!
//! [`LoadPlan::run`]: super::layout::LoadPlan::run
//! [`InterpPlan::run`]: super::interp::InterpPlan::run

use super::layout::Unmap;
use super::segment::SegmentMapping;

/// Which loop an `elf_load()` belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A static PIE's throw-away first mapping, made to learn where mmap puts the
    /// image (the `elf_load(..., 0, ...)` of `load_elf_binary()`'s alignment case).
    Probe,
    /// A PT_LOAD of the program (`load_elf_binary()`'s loop).
    Program,
    /// A PT_LOAD of the interpreter (`load_elf_interp()`'s loop).
    Interp,
}

/// Watches a driver run; called in the kernel's order.
pub trait StepObserver {
    /// `mapping` is about to be made.
    #[inline(always)]
    fn mapping(&mut self, _step: Step, _mapping: &SegmentMapping) {}

    /// `mapping` was made and `elf_load()` returned `landed` (possibly an error
    /// value, which the driver turns into the exec's errno next).
    #[inline(always)]
    fn mapped(&mut self, _step: Step, _mapping: &SegmentMapping, _landed: u64) {}

    /// The probe was unmapped again.
    #[inline(always)]
    fn unmapped(&mut self, _unmap: &Unmap) {}

    /// The interpreter's loop ended: `load_elf_interp()` returns `load_addr`.
    #[inline(always)]
    fn interp_loaded(&mut self, _load_addr: u64) {}
}

/// The observer that watches nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct Unobserved;

impl StepObserver for Unobserved {}
