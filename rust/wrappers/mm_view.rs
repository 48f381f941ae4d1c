// SPDX-License-Identifier: GPL-2.0

//! A read-only view of the mm an exec is building, for its film: the VMAs as
//! `/proc/PID/maps` would show them (`show_map_vma()`, fs/proc/task_mmu.c), the mm
//! fields and `bprm->p`.
//!
//! C headers: include/linux/mm.h, include/linux/mm_types.h, include/linux/mmap_lock.h

use core::ffi::CStr;
use core::ptr;
use kernel::ffi::c_char;

use crate::bindings;
use crate::loader_core::film::MmFields;
use crate::wrappers::bprm::Bprm;

/// The bprm and its mm, as seen from the film of its exec.
///
/// # Invariants
///
/// `bprm` is the live `linux_binprm` of the exec being loaded and `mm` the mm
/// `__bprm_mm_init()` made for it (`bprm->mm` on entry; `begin_new_exec()` makes it
/// current's and clears `bprm->mm`, the mm staying the same). A view is made in
/// `load_binary` and dropped before it returns, while both are alive.
pub(crate) struct MmView {
    bprm: *const bindings::linux_binprm,
    mm: *mut bindings::mm_struct,
    /// `bprm->vma`: the stack VMA `__bprm_mm_init()` made.
    stack: *const bindings::vm_area_struct,
}

/// One VMA as maps shows it; `name` borrows the view's path buffer or the kernel.
pub(crate) struct VmaInfo<'a> {
    pub(crate) start: u64,
    pub(crate) end: u64,
    pub(crate) vm_flags: u64,
    pub(crate) offset: u64,
    pub(crate) name: VmaName<'a>,
}

/// A VMA's name column: a path (`d_path()` of the file), a name, or a name to
/// print inside a format (`[anon:%s]`), as `get_vma_name()` picks it.
pub(crate) enum VmaName<'a> {
    None,
    Bytes(&'a [u8]),
    Anon(&'a [u8]),
    AnonShmem(&'a [u8]),
}

/// The page shift of `vm_pgoff`.
const PAGE_SHIFT: u32 = kernel::page::PAGE_SHIFT as u32;

impl MmView {
    /// The view of `bprm`'s exec, called before `begin_new_exec()`.
    pub(crate) fn new(bprm: &Bprm) -> Self {
        let raw = bprm.as_ptr();
        // SAFETY: `raw` is live (`Bprm`'s invariant); reading two pointers.
        let (mm, stack) = unsafe { ((*raw).mm, (*raw).vma) };
        // INVARIANT: made in load_binary from its bprm, before begin_new_exec().
        MmView {
            bprm: raw,
            mm,
            stack,
        }
    }

    /// `bprm->p` and the mm fields the exec has set so far.
    pub(crate) fn fields(&self) -> MmFields {
        // SAFETY: the bprm and the mm are live (type invariant); only this exec
        // writes them, and it is not writing them now.
        unsafe {
            let f = &(*self.mm).__bindgen_anon_1;
            MmFields {
                p: (*self.bprm).p as u64,
                start_code: f.start_code as u64,
                end_code: f.end_code as u64,
                start_data: f.start_data as u64,
                end_data: f.end_data as u64,
                start_brk: f.start_brk as u64,
                brk: f.brk as u64,
                start_stack: f.start_stack as u64,
                arg_start: f.arg_start as u64,
                arg_end: f.arg_end as u64,
                env_start: f.env_start as u64,
                env_end: f.env_end as u64,
                mmap_base: f.mmap_base as u64,
            }
        }
    }

    /// Calls `each` for every VMA of the mm in address order, under its mmap read
    /// lock, until `each` returns false. `path` is where file paths are written.
    pub(crate) fn for_each_vma(&self, path: &mut [u8], mut each: impl FnMut(&VmaInfo<'_>) -> bool) {
        // SAFETY: the mm is live (type invariant); the lock is taken and dropped here.
        unsafe { bindings::binfmt_rs_mmap_read_lock(self.mm) };
        let mut addr = 0usize;
        loop {
            // SAFETY: the mm is live and its mmap lock held.
            let vma = unsafe { bindings::find_vma(self.mm, addr) };
            if vma.is_null() {
                break;
            }
            // SAFETY: `vma` is a VMA of the mm, live while the lock is held.
            let info = unsafe { self.info(vma, path) };
            addr = info.end as usize;
            if !each(&info) || addr == 0 {
                break;
            }
        }
        // SAFETY: taken above.
        unsafe { bindings::binfmt_rs_mmap_read_unlock(self.mm) };
    }

    /// `show_map_vma()`'s columns of `vma`, its name as `get_vma_name()` picks it.
    /// `arch_vma_name()` names nothing on x86_64 (no architecture there defines
    /// it for a VMA of an mm), and every VMA here has an mm.
    ///
    /// # Safety
    ///
    /// `vma` is a VMA of the view's mm, whose mmap lock is held.
    unsafe fn info<'a>(
        &self,
        vma: *mut bindings::vm_area_struct,
        path: &'a mut [u8],
    ) -> VmaInfo<'a> {
        // SAFETY: `vma` is live (the safety contract).
        let v = unsafe { &*vma };
        // SAFETY: vm_flags is the `const` reading of its union, always valid; the
        // range is the live reading of its union (vm_rcu is for a freed VMA).
        let (vm_flags, range) = unsafe {
            (
                v.__bindgen_anon_2.vm_flags,
                v.__bindgen_anon_1.__bindgen_anon_1,
            )
        };
        let (vm_flags, start, end) = (vm_flags as u64, range.vm_start as u64, range.vm_end as u64);
        // SAFETY: `vma` is live with its mm's lock held (the safety contract).
        let anon = unsafe { c_bytes(bindings::binfmt_rs_anon_vma_name(vma)) };
        if !v.vm_file.is_null() {
            let name = match anon {
                Some(anon) => VmaName::AnonShmem(anon),
                // SAFETY: the file is held open by the VMA.
                None => unsafe { d_path(v.vm_file, path) },
            };
            return VmaInfo {
                start,
                end,
                vm_flags,
                offset: (v.vm_pgoff as u64) << PAGE_SHIFT,
                name,
            };
        }
        // SAFETY: `vm_ops` is NULL or the VMA's static operations.
        let name_op = unsafe { v.vm_ops.as_ref() }.and_then(|ops| ops.name);
        // SAFETY: a special mapping's name() takes its VMA and returns a static
        // string or NULL.
        let special = name_op.and_then(|name| unsafe { c_bytes(name(vma)) });
        // SAFETY: `vma` is live (the safety contract).
        let heap = unsafe { bindings::binfmt_rs_vma_is_initial_heap(vma) };
        // SAFETY: as above.
        let initial_stack = unsafe { bindings::binfmt_rs_vma_is_initial_stack(vma) };
        // Before setup_arg_pages() sets mm->start_stack, the stack VMA is known as
        // bprm->vma.
        let stack = initial_stack || ptr::eq(vma, self.stack);
        let name = match (special, anon) {
            (Some(special), _) => VmaName::Bytes(special),
            _ if heap => VmaName::Bytes(b"[heap]"),
            _ if stack => VmaName::Bytes(b"[stack]"),
            (None, Some(anon)) => VmaName::Anon(anon),
            (None, None) => VmaName::None,
        };
        VmaInfo {
            start,
            end,
            vm_flags,
            offset: 0,
            name,
        }
    }
}

/// The bytes of a C string, `None` for NULL.
///
/// # Safety
///
/// `s` is NULL or a NUL-terminated string that outlives `'a`.
unsafe fn c_bytes<'a>(s: *const c_char) -> Option<&'a [u8]> {
    // SAFETY: by the safety contract.
    (!s.is_null()).then(|| unsafe { CStr::from_ptr(s.cast()) }.to_bytes())
}

/// `seq_path()`'s text of `file_user_path(file)`, written into `buf` by
/// `d_path()`; nothing if the path does not fit.
///
/// # Safety
///
/// `file` is open.
unsafe fn d_path(file: *mut bindings::file, buf: &mut [u8]) -> VmaName<'_> {
    // SAFETY: `file` is open (the safety contract); `buf` is writable for its length.
    let start = unsafe {
        bindings::d_path(
            bindings::binfmt_rs_file_user_path(file),
            buf.as_mut_ptr().cast(),
            buf.len() as i32,
        )
    };
    let offset = (start as usize).wrapping_sub(buf.as_ptr() as usize);
    if offset >= buf.len() {
        // An ERR_PTR: -ENAMETOOLONG.
        return VmaName::None;
    }
    // d_path() wrote the path at the end of `buf`, NUL-terminated.
    let path = &buf[offset..];
    let len = path.iter().position(|&b| b == 0).unwrap_or(path.len());
    VmaName::Bytes(&path[..len])
}
