// SPDX-License-Identifier: GPL-2.0

//! The program interpreter named by PT_INTERP, from `open_exec()` to `fput()`.
//!
//! Mirrors the PT_INTERP part of `load_elf_binary()` before the point of no return
//! (BE:869-978): the path checks, `open_exec()`, `would_dump()`, the header and
//! program header reads, and their errnos.

use kernel::error::{code::ENOEXEC, Error, Result};

use crate::bindings;
use crate::loader_core::arch::Abi;
use crate::loader_core::class::{ElfClass, Word};
use crate::loader_core::elf::Ehdr;
use crate::loader_core::errno::Errno;
use crate::loader_core::interp::{check_interp_header, check_interp_path, check_interp_size};
use crate::loader_core::page::is_err_value;
use crate::loader_core::phdr::Phdr;
use crate::wrappers::bprm::Bprm;
use crate::wrappers::exec_file;
use crate::wrappers::file_buf::FileBuf;
#[cfg(CONFIG_ARCH_USE_GNU_PROPERTY)]
use crate::{loader_core::property::NoteBytes, wrappers::note_buf::NoteBuf};

/// `-ELIBBAD`, which the kernel crate does not name.
fn elibbad() -> Error {
    Error::from_errno(Errno::LibBad.to_kernel())
}

/// An interpreter opened by `open_exec()`.
///
/// # Invariants
///
/// `file` is the open interpreter, with writes to it denied by `open_exec()`;
/// both are undone exactly once, on drop.
pub(crate) struct Interpreter {
    file: *mut bindings::file,
    /// Its ELF header (`interp_elf_ex`).
    pub(crate) ehdr: Ehdr,
    /// Its program header table (`interp_elf_phdata`), once `read_phdrs()` ran.
    phdrs: Option<FileBuf>,
}

impl Interpreter {
    /// Opens the interpreter `interp` (the program's first PT_INTERP) names and reads
    /// its header of class `C`, with the checks and errnos of BE:877-916.
    #[inline(always)]
    pub(crate) fn open<C: ElfClass>(bprm: &mut Bprm, interp: &Phdr) -> Result<Self> {
        let size = check_interp_size(interp).map_err(|e| Error::from_errno(e.to_kernel()))?;
        let path = bprm.read_buf(size, interp.p_offset)?;
        check_interp_path(&path).map_err(|_| ENOEXEC)?;

        // The path may end earlier, at its first NUL: open_exec() reads a C string,
        // from the same private copy that was checked.
        // SAFETY: `path` ends with a NUL (checked just above).
        let file = unsafe { bindings::open_exec(path.as_ptr()) };
        if is_err_value(file as u64) {
            return Err(Error::from_errno(file as i64 as i32));
        }
        drop(path);
        bprm.would_dump(file);

        // Read into a buffer of its own, as `interp_elf_ex` is (BE:906-916); the
        // header is decoded from that copy once, into the interpreter itself
        // (a placeholder header first would be one more to write).
        // SAFETY: `file` is open: open_exec() succeeded.
        match unsafe { FileBuf::read_ehdr::<C>(file) } {
            Ok(header) => Ok(Interpreter {
                // INVARIANT: open_exec() succeeded, denying writes to the file.
                file,
                ehdr: Ehdr::from_words::<C>(header.words::<u64>()),
                phdrs: None,
            }),
            Err(e) => {
                // SAFETY: `file` is open with writes denied, and not owned by an
                // `Interpreter`: released here once, as out_free_file does.
                unsafe { release(file) };
                Err(e)
            }
        }
    }

    /// The checks on the interpreter after the program's own PT_GNU_STACK loop
    /// (BE:945-959): its magic, its machine (the program's ABI `A`) and its program
    /// header table, each `-ELIBBAD`.
    #[inline(always)]
    pub(crate) fn read_phdrs<A: Abi>(&mut self) -> Result {
        check_interp_header::<A>(&self.ehdr).map_err(|_| elibbad())?;
        let size = self
            .ehdr
            .phdr_table_size::<A::Class>()
            .ok_or_else(elibbad)?;
        // SAFETY: `file` is open (type invariant).
        let table =
            unsafe { FileBuf::read(self.file, size, self.ehdr.e_phoff) }.map_err(|_| elibbad())?;
        self.phdrs = Some(table);
        Ok(())
    }

    /// Its program header table; empty before `read_phdrs()`.
    pub(crate) fn phdrs<W: Word>(&self) -> &[W] {
        self.phdrs.as_ref().map_or(&[], FileBuf::words)
    }

    pub(crate) fn file(&self) -> *mut bindings::file {
        self.file
    }

    /// `kernel_read()` of at most `len` bytes of the interpreter at `pos` into the
    /// note buffer `buf`: the bytes read.
    #[cfg(CONFIG_ARCH_USE_GNU_PROPERTY)]
    pub(crate) fn read_note<'b>(
        &self,
        buf: &'b mut NoteBuf,
        len: usize,
        pos: u64,
    ) -> Result<NoteBytes<'b>> {
        // SAFETY: `file` is open (type invariant).
        unsafe { buf.read(self.file, len, pos) }
    }

    /// `interpreter->f_op->mmap`.
    pub(crate) fn can_mmap(&self) -> bool {
        // SAFETY: `file` is open (type invariant).
        unsafe { exec_file::can_mmap(self.file) }
    }
}

/// Undoes `open_exec()`: allows writes again and drops the reference
/// (BE:1260-1261, or out_free_file on an error).
///
/// # Safety
///
/// `file` was returned by a successful `open_exec()` and is released once.
unsafe fn release(file: *mut bindings::file) {
    // SAFETY: `file` is open with writes denied (the safety contract).
    unsafe {
        bindings::binfmt_rs_exe_file_allow_write_access(file);
        bindings::fput(file);
    }
}

impl Drop for Interpreter {
    fn drop(&mut self) {
        // SAFETY: by the type invariant the file is open with writes denied, and
        // only this drop releases it.
        unsafe { release(self.file) };
    }
}
