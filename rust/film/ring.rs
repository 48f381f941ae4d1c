// SPDX-License-Identifier: GPL-2.0

//! The record of the last films, /sys/kernel/debug/binfmt_rs/films: at most
//! `film_keep` films, the oldest dropped first, in the text format of
//! rust/core/src/film.rs, oldest first.
//!
//! An exec adds its film under a spinlock held for a few pointer moves; a read
//! takes references to the films under the same lock and formats them after
//! dropping it, so a reader never holds up an exec for longer than that.

use core::ffi::c_void;
use core::ptr;
use core::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use kernel::alloc::flags::GFP_KERNEL;
use kernel::ffi::c_int;
use kernel::init::InPlaceInit;
use kernel::new_spinlock;
use kernel::prelude::*;
use kernel::sync::{Arc, SpinLock};

use crate::bindings;
use crate::film::record::Film;
use crate::params::film;
use crate::wrappers::debugfs::{Debugfs, SeqWriter};

/// The most films `film_keep` may ask for.
pub(crate) const KEEP_MAX: usize = 64;

/// The films kept, oldest first.
struct Ring {
    films: [Option<Arc<Film>>; KEEP_MAX],
    len: usize,
}

impl Ring {
    /// Drops the oldest films until at most `keep` remain.
    fn trim(&mut self, keep: usize) {
        while self.len > keep {
            self.films[..self.len].rotate_left(1);
            self.len -= 1;
            self.films[self.len] = None;
        }
    }

    /// Adds `film`, first dropping the oldest films so that at most `keep` remain.
    fn push(&mut self, film: Arc<Film>, keep: usize) {
        self.trim(keep.clamp(1, KEEP_MAX) - 1);
        self.films[self.len] = Some(film);
        self.len += 1;
    }
}

/// The record, while the module is loaded; null otherwise.
static RING: AtomicPtr<SpinLock<Ring>> = AtomicPtr::new(ptr::null_mut());
/// The films made so far, for their sequence numbers.
static SEQ: AtomicU64 = AtomicU64::new(0);

/// The record and its debugfs file, owned by the module.
pub(crate) struct FilmRecord {
    // Dropped first: no read is in progress once the file is gone.
    _debugfs: Debugfs,
    // Owned for RING, which points into it.
    _ring: Arc<SpinLock<Ring>>,
}

impl FilmRecord {
    pub(crate) fn new() -> Result<Self> {
        let ring = Arc::pin_init(
            new_spinlock!(Ring {
                films: [const { None }; KEEP_MAX],
                len: 0,
            }),
            GFP_KERNEL,
        )?;
        RING.store(ptr::from_ref(&*ring).cast_mut(), Ordering::Release);
        Ok(FilmRecord {
            _debugfs: Debugfs::create(),
            _ring: ring,
        })
    }
}

impl Drop for FilmRecord {
    fn drop(&mut self) {
        // The format is unregistered and no exec runs in the module (each holds a
        // reference on it), so no one reads RING any more.
        RING.store(ptr::null_mut(), Ordering::Release);
        // `self._ring` is dropped after this, with the films it keeps.
    }
}

/// The record, while the module is loaded.
fn ring() -> Option<&'static SpinLock<Ring>> {
    let ring = RING.load(Ordering::Acquire);
    // The `FilmRecord` is dropped after the format is unregistered and the file
    // removed, so its Arc outlives every exec in the module and every read.
    // SAFETY: a non-null RING points into that Arc.
    unsafe { ring.as_ref() }
}

/// Keeps `film`, the newest; dropped if it cannot be.
pub(crate) fn keep(mut newest: Film) {
    let Some(ring) = ring() else { return };
    newest.seq = SEQ.fetch_add(1, Ordering::Relaxed) + 1;
    let Ok(newest) = Arc::new(newest, GFP_KERNEL) else {
        return;
    };
    ring.lock().push(newest, film::keep());
}

/// `film_keep` was set to `keep`: the record drops its oldest films beyond it.
pub(crate) fn keep_at_most(keep: usize) {
    if let Some(ring) = ring() {
        ring.lock().trim(keep.clamp(1, KEEP_MAX));
    }
}

/// The `show` of the debugfs file (`DEFINE_SHOW_ATTRIBUTE(binfmt_rs_films)` in
/// rust/helpers.c): every film kept, oldest first.
///
/// # Safety
///
/// Called by seq_read() with the file's `seq_file`.
#[no_mangle]
unsafe extern "C" fn binfmt_rs_films_show(m: *mut bindings::seq_file, _v: *mut c_void) -> c_int {
    let Some(ring) = ring() else { return 0 };
    let films: [Option<Arc<Film>>; KEEP_MAX] = {
        let ring = ring.lock();
        core::array::from_fn(|i| ring.films[i].clone())
    };
    // SAFETY: `m` is the callback's seq_file (the safety contract); the writer is
    // dropped before returning.
    let mut out = unsafe { SeqWriter::new(m) };
    for film in films.iter().flatten() {
        // A full buffer stops the writing: seq_read() calls again with a larger one.
        if film.write_text(&mut out).is_err() {
            break;
        }
    }
    0
}
