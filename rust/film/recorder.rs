// SPDX-License-Identifier: GPL-2.0

//! The watcher of an exec that is filmed or traced: for each step it fires the
//! step's trace event if one is enabled, and takes a frame if the `film`
//! parameter was on when the exec began. At the end it hands the film to the
//! record.

#![forbid(unsafe_code)]

use core::fmt;

use crate::film::record::Film;
use crate::film::ring;
use crate::film::watch::{Watch, Watched};
use crate::loader_core::effects::AddressSpace;
use crate::loader_core::film::{ArgsText, Call, FilmStep, Outcome};
use crate::params::film;
use crate::wrappers::bprm::Bprm;
use crate::wrappers::current::Current;
use crate::wrappers::mm_view::MmView;
use crate::wrappers::trace_events;

/// Watches one exec.
pub(crate) struct Recorder {
    view: MmView,
    film: Option<Film>,
}

impl Recorder {
    /// Starts watching the exec of `bprm`, a file of `class`, with its entry frame:
    /// the mm as `__bprm_mm_init()` made it and `copy_strings()` filled it.
    pub(crate) fn start(bprm: &Bprm, class: &'static str) -> Self {
        let film = if film::enabled() {
            Film::new(class, bprm.filename())
        } else {
            None
        };
        let mut recorder = Recorder {
            view: MmView::new(bprm),
            film,
        };
        recorder.step(
            FilmStep::Entry,
            "__bprm_mm_init",
            format_args!("p={:#x}", bprm.p()),
            Outcome::Ret(0),
        );
        recorder
    }

    /// The exec of `bprm` ended with `result`, as `load_elf_binary()` returns it.
    pub(crate) fn finish(self, bprm: &Bprm, result: i32) {
        if trace_events::listening() {
            trace_events::load_elf_binary(bprm.filename(), result);
        }
        if let Some(mut film) = self.film {
            film.finish(Current::get().pid(), result);
            ring::keep(film);
        }
    }
}

impl Watch for Recorder {
    type Mapper<'w, M: AddressSpace + 'w> = Watched<'w, M, Self>;

    fn mapper<'w, M: AddressSpace + 'w>(
        &'w mut self,
        vm: M,
        step: FilmStep,
    ) -> Self::Mapper<'w, M> {
        Watched {
            vm,
            watch: self,
            step,
        }
    }

    fn step(
        &mut self,
        step: FilmStep,
        function: &'static str,
        args: fmt::Arguments<'_>,
        outcome: Outcome,
    ) {
        let call = Call {
            function,
            args: ArgsText::new(args),
            outcome,
        };
        if trace_events::listening() {
            trace_events::step(step, &call);
        }
        if let Some(film) = self.film.as_mut() {
            film.take_frame(&self.view, step, call);
        }
    }
}
