// SPDX-License-Identifier: GPL-2.0

//! binfmt_rs's debugfs directory, /sys/kernel/debug/binfmt_rs, with its `films`
//! file (the file's operations are rust/helpers.c's `DEFINE_SHOW_ATTRIBUTE()`), and
//! writing to the `seq_file` a read of it fills.
//!
//! C headers: include/linux/debugfs.h, include/linux/seq_file.h

use core::fmt;

use crate::bindings;

/// The directory; removed, with its file, when dropped.
///
/// # Invariants
///
/// `dir` is what `debugfs_create_dir()` returned: a dentry or an error pointer
/// (debugfs is off or failed), which `debugfs_remove()` accepts alike.
pub(crate) struct Debugfs {
    dir: *mut bindings::dentry,
}

// SAFETY: the dentry is only passed to debugfs_remove(), from any thread.
unsafe impl Send for Debugfs {}
// SAFETY: a shared `Debugfs` gives no access to the dentry.
unsafe impl Sync for Debugfs {}

impl Debugfs {
    /// Creates the directory and its `films` file. As kernel code does, a failure
    /// is not an error: the films are then not readable, and nothing else changes.
    pub(crate) fn create() -> Self {
        // SAFETY: creates two debugfs entries, or returns an error pointer.
        let dir = unsafe { bindings::binfmt_rs_debugfs_create() };
        // INVARIANT: returned by debugfs_create_dir().
        Debugfs { dir }
    }
}

impl Drop for Debugfs {
    fn drop(&mut self) {
        // debugfs_remove() waits for the reads in progress, so no call into the
        // module's show function outlives it.
        // SAFETY: `dir` came from debugfs_create_dir() (type invariant).
        unsafe { bindings::binfmt_rs_debugfs_remove(self.dir) };
    }
}

/// The `seq_file` a `show` callback writes to.
pub(crate) struct SeqWriter(*mut bindings::seq_file);

impl SeqWriter {
    /// # Safety
    ///
    /// `m` is the `seq_file` the show callback was called with, and the writer is
    /// dropped before the callback returns.
    pub(crate) unsafe fn new(m: *mut bindings::seq_file) -> Self {
        SeqWriter(m)
    }
}

impl fmt::Write for SeqWriter {
    /// Fails once the buffer is full: seq_read() then calls the show callback
    /// again with a buffer twice as large.
    fn write_str(&mut self, s: &str) -> fmt::Result {
        // SAFETY: `self.0` is the live seq_file (the contract of `new`); `s` is
        // readable for its length.
        let ret = unsafe { bindings::seq_write(self.0, s.as_ptr().cast(), s.len()) };
        if ret == 0 {
            Ok(())
        } else {
            Err(fmt::Error)
        }
    }
}
