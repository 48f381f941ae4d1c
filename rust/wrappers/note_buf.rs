// SPDX-License-Identifier: GPL-2.0

//! The buffer `parse_elf_properties()` (fs/binfmt_elf.c) reads a PT_GNU_PROPERTY
//! note into: `union { struct elf_note nhdr; char data[NOTE_DATA_SZ]; } note
//! __aligned(8)`, on the stack and not initialised, which the read fills as far as
//! it goes.

use core::mem::MaybeUninit;
use kernel::error::Result;

use crate::bindings;
use crate::loader_core::property::{NoteBytes, NOTE_WORDS};
use crate::wrappers::exec_file;

/// `NOTE_DATA_SZ` bytes of 4-byte words, uninitialised until a read.
pub(crate) struct NoteBuf {
    words: MaybeUninit<[u32; NOTE_WORDS]>,
}

impl NoteBuf {
    /// An unread buffer: nothing is zeroed, as nothing is in the C.
    pub(crate) const fn new() -> Self {
        NoteBuf {
            words: MaybeUninit::uninit(),
        }
    }

    /// `kernel_read()` of at most `len` bytes at `pos` of `file`: the bytes read,
    /// fewer at the end of the file, or the read's errno.
    ///
    /// # Safety
    ///
    /// `file` must be an open file that stays open during the call.
    pub(crate) unsafe fn read(
        &mut self,
        file: *mut bindings::file,
        len: usize,
        pos: u64,
    ) -> Result<NoteBytes<'_>> {
        let len = len.min(core::mem::size_of_val(&self.words));
        // SAFETY: the buffer is writable for `len` bytes (bounded just above), and
        // `file` is open (the contract).
        let n = unsafe { exec_file::kernel_read(file, self.words.as_mut_ptr().cast(), len, pos) }?
            .min(len);
        let first = self.words.as_ptr().cast::<u32>();
        // SAFETY: the read wrote the first `n` bytes, so the first `n / 4` words are initialised;
        // they live as long as the borrow of `self`, which nothing writes meanwhile.
        let words = unsafe { core::slice::from_raw_parts(first, n / 4) };
        Ok(NoteBytes::new(words, n))
    }
}
