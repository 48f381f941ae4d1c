// SPDX-License-Identifier: GPL-2.0

//! binfmt_rs's `struct linux_binfmt`, the static the kernel's list of formats
//! links, and `set_binfmt()` of it. registration.rs puts it on the list; the loader
//! names it as the loader of the mms it builds.
//!
//! C header: include/linux/binfmts.h

use core::cell::UnsafeCell;

use crate::bindings;

struct FormatCell(UnsafeCell<bindings::linux_binfmt>);

// SAFETY: Rust writes the struct only in `Registration::insert`
// (rust/entry/registration.rs), before the kernel can see it; while it is registered
// only the exec core touches it, under `binfmt_lock`.
unsafe impl Sync for FormatCell {}

static FORMAT: FormatCell = FormatCell(UnsafeCell::new(
    // SAFETY: all-zero is a valid `linux_binfmt`: an empty list node, no module and no
    // callbacks, as a C static starts.
    unsafe { core::mem::zeroed() },
));

/// The format, for registration.rs to fill in once and to put on and take off
/// the list.
pub(crate) fn raw() -> *mut bindings::linux_binfmt {
    FORMAT.0.get()
}

/// `set_binfmt(&format)` for the exec in progress: the new mm records binfmt_rs as
/// its loader, which takes a module reference until the mm is freed and routes the
/// process's core dump through this format.
pub(crate) fn set_binfmt() {
    // SAFETY: called during an exec binfmt_rs handles, so `FORMAT` is registered and
    // its module is pinned by the exec core; set_binfmt() takes its own reference.
    unsafe { bindings::set_binfmt(raw()) };
}
