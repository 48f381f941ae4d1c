// SPDX-License-Identifier: GPL-2.0

//! `struct linux_binprm`: the exec in progress, as the exec core hands it to a
//! binfmt, and the exported exec steps that take it (fs/exec.c).
//!
//! C header: include/linux/binfmts.h

use kernel::error::Result;

use crate::bindings;
use crate::loader_core::elf::BINPRM_BUF_SIZE;
use crate::wrappers::exec_file;
use crate::wrappers::file_buf::FileBuf;
use crate::wrappers::to_result;
#[cfg(CONFIG_ARCH_USE_GNU_PROPERTY)]
use crate::{loader_core::property::NoteBytes, wrappers::note_buf::NoteBuf};

/// A `struct linux_binprm` borrowed for one call of `load_binary`.
///
/// # Invariants
///
/// `ptr` points to the live `linux_binprm` that `search_binary_handler()` passed to
/// `load_binary`, with `buf` already filled by `prepare_binprm()` and `file` open.
pub(crate) struct Bprm {
    ptr: *mut bindings::linux_binprm,
}

impl Bprm {
    /// # Safety
    ///
    /// `ptr` must be the argument `search_binary_handler()` passed to `load_binary`,
    /// and the `Bprm` must not outlive that call.
    pub(crate) unsafe fn from_raw(ptr: *mut bindings::linux_binprm) -> Self {
        // INVARIANT: guaranteed by the safety contract.
        Bprm { ptr }
    }

    pub(crate) fn as_ptr(&self) -> *mut bindings::linux_binprm {
        self.ptr
    }

    fn get(&self) -> &bindings::linux_binprm {
        // SAFETY: by the type invariant `ptr` is live for the lifetime of `self`; the
        // exec core does not touch the bprm while its binfmt runs.
        unsafe { &*self.ptr }
    }

    /// The first `BINPRM_BUF_SIZE` bytes of the file, zero-filled past its end.
    pub(crate) fn buf(&self) -> &[u8; BINPRM_BUF_SIZE] {
        // SAFETY: `buf` is an array of `BINPRM_BUF_SIZE` `c_char`s, which have the
        // size and alignment of `u8`.
        unsafe { &*(&raw const self.get().buf).cast::<[u8; BINPRM_BUF_SIZE]>() }
    }

    /// [`Bprm::buf`] as 8-byte words: so its header is decoded a field to a load
    /// on an arch whose Rust target has strict alignment (see `ElfClass`).
    pub(crate) fn buf_words(&self) -> &[u64; BINPRM_BUF_SIZE / 8] {
        // `buf` is aligned to 8 in every `linux_binprm`: the struct is (it holds
        // pointers) and so is `buf`'s offset. A kernel with Rust has no randomised
        // struct layouts (`RUST` depends on `!RANDSTRUCT`), so bindgen's offset is
        // the kernel's.
        const _: () = assert!(
            core::mem::offset_of!(bindings::linux_binprm, buf) % 8 == 0
                && core::mem::align_of::<bindings::linux_binprm>() >= 8
        );
        let words = self.buf().as_ptr().cast::<[u64; BINPRM_BUF_SIZE / 8]>();
        // SAFETY: `buf`'s `BINPRM_BUF_SIZE` bytes are initialised and live with `self` (as in
        // `buf()`) and aligned to 8 (asserted above): that many valid u64s.
        unsafe { &*words }
    }

    /// `bprm->filename`: the name the file was exec'd by.
    pub(crate) fn filename(&self) -> &[u8] {
        // SAFETY: `filename` is a NUL-terminated string the bprm owns for the whole
        // exec (type invariant).
        unsafe { core::ffi::CStr::from_ptr(self.get().filename.cast()) }.to_bytes()
    }

    /// The file being exec'd.
    pub(crate) fn file(&self) -> *mut bindings::file {
        self.get().file
    }

    /// `bprm->file->f_op->mmap`: whether the file's filesystem can map it.
    pub(crate) fn file_can_mmap(&self) -> bool {
        // SAFETY: the exec'd file is open for the whole exec (type invariant).
        unsafe { exec_file::can_mmap(self.file()) }
    }

    /// `len` bytes of the program at `pos`, read into a `kmalloc()` buffer.
    pub(crate) fn read_buf(&self, len: usize, pos: u64) -> Result<FileBuf> {
        // SAFETY: as in `file_can_mmap()`.
        unsafe { FileBuf::read(self.file(), len, pos) }
    }

    /// `kernel_read()` of at most `len` bytes of the program at `pos` into the
    /// note buffer `buf`: the bytes read.
    #[cfg(CONFIG_ARCH_USE_GNU_PROPERTY)]
    pub(crate) fn read_note<'b>(
        &self,
        buf: &'b mut NoteBuf,
        len: usize,
        pos: u64,
    ) -> Result<NoteBytes<'b>> {
        // SAFETY: as in `file_can_mmap()`.
        unsafe { buf.read(self.file(), len, pos) }
    }

    /// `would_dump(bprm, file)`: an unreadable interpreter makes the process
    /// undumpable, as an unreadable program does.
    pub(crate) fn would_dump(&mut self, file: *mut bindings::file) {
        // SAFETY: the bprm is live (type invariant) and `file` open (the callers'
        // interpreter, held until the exec is done with it).
        unsafe { bindings::would_dump(self.ptr, file) };
    }

    /// `bprm->p`: the top of what is on the new stack.
    pub(crate) fn p(&self) -> u64 {
        self.get().p as u64
    }

    /// Sets `bprm->p`, as `create_elf_tables()` does with the final stack pointer.
    pub(crate) fn set_p(&mut self, p: u64) {
        // SAFETY: the bprm is live (type invariant) and binfmts own `p` while they run.
        unsafe { (*self.ptr).p = p as usize };
    }

    /// `bprm->exec`: where the file name was copied on the stack (`AT_EXECFN`).
    pub(crate) fn exec(&self) -> u64 {
        self.get().exec as u64
    }

    /// `bprm->argc` and `bprm->envc`; never negative (`count()` in fs/exec.c), so
    /// their bits are the counts.
    pub(crate) fn argc_envc(&self) -> (u32, u32) {
        let b = self.get();
        (b.argc as u32, b.envc as u32)
    }

    /// `bprm->secureexec` (`AT_SECURE`).
    pub(crate) fn secureexec(&self) -> bool {
        self.get().secureexec() != 0
    }

    /// `bprm->interp_flags & BINPRM_FLAGS_PRESERVE_ARGV0` (`AT_FLAGS`).
    pub(crate) fn preserve_argv0(&self) -> bool {
        self.get().interp_flags & bindings::BINPRM_FLAGS_PRESERVE_ARGV0 != 0
    }

    /// `bprm->execfd` when `bprm->have_execfd` (`AT_EXECFD`).
    pub(crate) fn execfd(&self) -> Option<i32> {
        let b = self.get();
        (b.have_execfd() != 0).then_some(b.execfd)
    }

    /// `bprm->point_of_no_return`: `begin_new_exec()` got past the point where
    /// an error can still be returned to `execve()`.
    pub(crate) fn point_of_no_return(&self) -> bool {
        self.get().point_of_no_return() != 0
    }

    /// `begin_new_exec()`: the point of no return. Any error after this one ends
    /// the process with SIGSEGV (`bprm_execve()`).
    pub(crate) fn begin_new_exec(&mut self) -> Result<NewExec> {
        // SAFETY: the bprm is live and its file open (type invariant).
        to_result(unsafe { bindings::begin_new_exec(self.ptr) })?;
        Ok(NewExec(()))
    }

    /// `setup_new_exec()`: picks the mmap layout and sets `mm->task_size`.
    pub(crate) fn setup_new_exec(&mut self) {
        // SAFETY: as in `begin_new_exec()`, which has succeeded before this is called.
        unsafe { bindings::setup_new_exec(self.ptr) };
    }

    /// `setup_arg_pages(bprm, stack_top, executable_stack)`.
    pub(crate) fn setup_arg_pages(&mut self, stack_top: u64, executable_stack: i32) -> Result {
        // SAFETY: as in `setup_new_exec()`.
        to_result(unsafe {
            bindings::setup_arg_pages(self.ptr, stack_top as usize, executable_stack)
        })
    }

    /// `finalize_exec()`: stores the stack rlimit the exec used.
    pub(crate) fn finalize_exec(&mut self) {
        // SAFETY: as in `setup_new_exec()`.
        unsafe { bindings::finalize_exec(self.ptr) };
    }
}

/// Proof that `begin_new_exec()` succeeded in the exec in progress: `current->mm`
/// is the new mm, shared with no other thread. Made only by
/// [`Bprm::begin_new_exec`], and dropped before `load_binary` returns.
pub(crate) struct NewExec(());
