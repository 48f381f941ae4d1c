// SPDX-License-Identifier: GPL-2.0

//! The program interpreter (`PT_INTERP`, normally the dynamic loader): the checks
//! `load_elf_binary()` makes on it before the point of no return (BE:869-978), and
//! `load_elf_interp()` (BE:631-707), which maps it after.
//!
//! Unlike the program, the interpreter is always mapped wherever mmap likes (its
//! first PT_LOAD without `MAP_FIXED` unless it is ET_EXEC), reserving its whole span
//! in that first mapping, with no `MAP_FIXED_NOREPLACE` and no regard for `p_align`.

use super::arch::Abi;
use super::effects::AddressSpace;
use super::elf::{Ehdr, ELF_MAGIC, ET_DYN, ET_EXEC};
use super::errno::{Errno, LoadError};
use super::mman::{MAP_FIXED, MAP_PRIVATE};
use super::observe::{Step, StepObserver};
use super::page::{bad_addr, bad_addr_retval, elf_pagestart, is_err_value};
use super::phdr::{adjust_prot, make_prot, Phdr, Phdrs, Unread, PT_LOAD};
use super::segment::{fits_in_task, LoadExtent, SegmentMapping};

/// `PATH_MAX`: the longest PT_INTERP the loader reads.
pub const PATH_MAX: u64 = 4096;

/// The size check on a PT_INTERP before its path is read (BE:877-879): `-ENOEXEC`
/// unless `2 <= p_filesz <= PATH_MAX`.
pub const fn check_interp_size(phdr: &Phdr) -> Result<usize, Errno> {
    if phdr.p_filesz > PATH_MAX || phdr.p_filesz < 2 {
        Err(Errno::NoExec)
    } else {
        Ok(phdr.p_filesz as usize)
    }
}

/// The check on the path once read (BE:891-893): only the **last** byte must be
/// NUL; an earlier NUL simply ends the path `open_exec()` sees.
pub fn check_interp_path(path: &[u8]) -> Result<(), Errno> {
    match path.last() {
        Some(0) => Ok(()),
        _ => Err(Errno::NoExec),
    }
}

/// The interpreter's header checks before the point of no return (BE:945-953):
/// the magic and `elf_check_arch()` of the program's ABI `A`, each `-ELIBBAD`. Its
/// `e_type` is checked only later, by `load_elf_interp()` (see [`InterpPlan::new`]).
pub fn check_interp_header<A: Abi>(ehdr: &Ehdr) -> Result<(), Errno> {
    if ehdr.magic != ELF_MAGIC || !A::check_arch(ehdr.e_machine, ehdr.e_flags) {
        return Err(Errno::LibBad);
    }
    Ok(())
}

/// What `load_elf_interp()` returns on its "consistency check" failures: `~0UL`,
/// which the caller turns into `(int)~0UL`, i.e. `-EPERM` (BE:639-651, 1253-1256).
const INTERP_REFUSED: u64 = !0;

/// The interpreter's PT_LOAD loop (BE:653-705), one `elf_load()` at a time.
#[derive(Clone, Debug)]
pub struct InterpPlan<'a, A: Abi> {
    is_exec: bool,
    no_base: u64,
    load_addr: u64,
    load_addr_set: bool,
    /// `total_mapping_size()` for the first mapping, 0 afterwards.
    total_size: u64,
    task_size: u64,
    /// The program headers the loop has not looked at.
    unread: Unread<'a, A::Class>,
    /// The interpreter's `e_entry`, which its load address relocates.
    e_entry: u64,
    /// What `arch_elf_adjust_prot()` adds to an executable segment's `prot`.
    exec_prot: u32,
}

impl<'a, A: Abi> InterpPlan<'a, A> {
    /// The start of `load_elf_interp(interp_ehdr, file, no_base, phdrs)`, where
    /// `no_base` is the program's load bias and `can_mmap` says whether the
    /// interpreter's filesystem has `f_op->mmap`.
    ///
    /// Fails as the C does: `-EPERM` (its `~0UL`) for an interpreter that is not
    /// ET_EXEC/ET_DYN or not of the ABI (`elf_check_arch()`) or cannot be mapped,
    /// `-EINVAL` when it spans nothing. Both are past the point of no return.
    pub fn new(
        ehdr: &Ehdr,
        phdrs: Phdrs<'a, A::Class>,
        no_base: u64,
        can_mmap: bool,
        task_size: u64,
    ) -> Result<Self, LoadError> {
        if (ehdr.e_type != ET_EXEC && ehdr.e_type != ET_DYN)
            || !A::check_arch(ehdr.e_machine, ehdr.e_flags)
            || !can_mmap
        {
            return Err(LoadError::Mapping(bad_addr_retval(INTERP_REFUSED)));
        }
        let total_size = phdrs.total_mapping_size();
        if total_size == 0 {
            return Err(LoadError::Errno(Errno::Inval));
        }
        Ok(InterpPlan {
            is_exec: ehdr.e_type == ET_EXEC,
            no_base,
            load_addr: 0,
            load_addr_set: false,
            total_size,
            task_size,
            unread: phdrs.unread(),
            e_entry: ehdr.e_entry,
            exec_prot: 0,
        })
    }

    /// The `elf_load()` of the next PT_LOAD, `phdr` (BE:658-676).
    #[inline(always)]
    fn mapping(&mut self, phdr: Phdr) -> SegmentMapping {
        let mut flags = MAP_PRIVATE;
        if self.is_exec || self.load_addr_set {
            flags |= MAP_FIXED;
        } else if self.no_base != 0 {
            // An ET_DYN interpreter of an ET_DYN program is placed by mmap alone:
            // the hint load_addr + vaddr is 0 (BE:672-673).
            self.load_addr = phdr.p_vaddr.wrapping_neg();
        }
        let mapping = SegmentMapping {
            addr: self.load_addr.wrapping_add(phdr.p_vaddr),
            phdr: LoadExtent::of(&phdr),
            prot: adjust_prot(make_prot(phdr.p_flags), self.exec_prot),
            flags,
            total_size: self.total_size,
            task_size: self.task_size,
        };
        // Only the first mapping reserves the whole span (BE:676).
        self.total_size = 0;
        mapping
    }

    /// Adds `exec_prot` to the `prot` of each executable
    /// PT_LOAD: what arm64's `arch_elf_adjust_prot(prot, arch_state, true,
    /// true)` adds for the interpreter (`PROT_BTI` when it is BTI-marked), 0
    /// elsewhere. Set in place, not by a builder: a plan returned by value is a
    /// copy.
    #[inline(always)]
    pub fn set_exec_prot(&mut self, exec_prot: u32) {
        self.exec_prot = exec_prot;
    }

    /// Runs the whole loop through `vm`, telling `observer` of each `elf_load()`,
    /// then finds the entry point as `load_elf_binary()` does with what
    /// `load_elf_interp()` returned: `(interp_load_addr, elf_entry)`, see
    /// [`interp_entry`]. The loop the module runs, and the one the tests and the
    /// fuzz targets check. Inlined, as [`LoadPlan::run`] is.
    ///
    /// [`LoadPlan::run`]: super::layout::LoadPlan::run
    #[inline(always)]
    pub fn run(
        mut self,
        vm: &mut impl AddressSpace,
        observer: &mut impl StepObserver,
    ) -> Result<(u64, u64), LoadError> {
        let load_addr = loop {
            let Some(phdr) = self.unread.next_of_type(PT_LOAD) else {
                break self.load_addr;
            };
            // A value of its own, as in LoadPlan::run(): the plan's address is
            // never handed to a call.
            let mapping = self.mapping(phdr);
            observer.mapping(Step::Interp, &mapping);
            let landed = mapping.run(vm);
            observer.mapped(Step::Interp, &mapping, landed);
            if let Some(ended_at) = self.mapped(&phdr, landed)? {
                break ended_at;
            }
        };
        observer.interp_loaded(load_addr);
        interp_entry(load_addr, self.e_entry, self.task_size)
    }
}

impl<A: Abi> InterpPlan<'_, A> {
    /// Takes the result of the `elf_load()` of `phdr`. A bad address ends the loop
    /// (BE:678-680): an errno fails the exec with it; any other bad address is
    /// what `load_elf_interp()` returns (`Some`), and its caller takes it for the
    /// load address (an empty PT_LOAD at or above `TASK_SIZE` gives one, since
    /// `elf_load()` maps nothing for it and returns `ELF_PAGESTART(addr)`). The
    /// first ET_DYN mapping fixes the load address (BE:682-685); a segment that
    /// does not fit below `TASK_SIZE` is `-ENOMEM` (BE:692-700).
    #[inline(always)]
    fn mapped(&mut self, phdr: &Phdr, map_addr: u64) -> Result<Option<u64>, LoadError> {
        if bad_addr(map_addr, self.task_size) {
            if is_err_value(map_addr) {
                return Err(LoadError::Mapping(map_addr as i64 as i32));
            }
            return Ok(Some(map_addr));
        }
        if !self.load_addr_set && !self.is_exec {
            self.load_addr = map_addr.wrapping_sub(elf_pagestart(phdr.p_vaddr));
            self.load_addr_set = true;
        }
        let k = self.load_addr.wrapping_add(phdr.p_vaddr);
        if !fits_in_task(k, phdr, self.task_size) {
            return Err(LoadError::Errno(Errno::NoMem));
        }
        Ok(None)
    }
}

/// The program's entry when it has an interpreter (BE:1241-1257): the
/// interpreter's `e_entry` relocated by its load address; a bad address is
/// `-EINVAL`, or its own errno when the sum is one. A sum that wraps back below
/// `TASK_SIZE` is a good entry, even from a bad load address. Returns
/// `(interp_load_addr, elf_entry)`.
pub const fn interp_entry(
    load_addr: u64,
    interp_e_entry: u64,
    task_size: u64,
) -> Result<(u64, u64), LoadError> {
    // load_addr is never an error value here: failures were reported above.
    let entry = load_addr.wrapping_add(interp_e_entry);
    if bad_addr(entry, task_size) {
        let ret = if is_err_value(entry) {
            entry as i64 as i32
        } else {
            Errno::Inval.to_kernel()
        };
        return Err(LoadError::Mapping(ret));
    }
    Ok((load_addr, entry))
}

// The checks are tested here, the loop in rust/core/tests/interp.rs: it runs
// against the test kit's mm model, and the kit depends on this crate, so a unit test
// here would see two copies of its types.
#[cfg(test)]
mod tests {
    use super::super::phdr::tests::{load, of_type, table};
    use super::super::phdr::{PF_R, PF_W, PF_X, PT_INTERP};
    use super::*;
    use crate::arch::x86::{Ia32, EM_386, EM_X86_64, X86_64};
    use crate::class::Elf64;
    use std::vec::Vec;

    const TASK_SIZE: u64 = 0x7fff_ffff_f000;

    /// ld.so as Debian 12 ships it: four PT_LOADs from vaddr 0.
    fn ld_so() -> Vec<u64> {
        table(&[
            load(PF_R, 0, 0, 0x1000, 0x1000),
            load(PF_R | PF_X, 0x1000, 0x1000, 0x25000, 0x25000),
            load(PF_R, 0x26000, 0x26000, 0xa000, 0xa000),
            load(PF_R | PF_W, 0x30bc0, 0x31bc0, 0x1460, 0x1620),
        ])
    }

    fn ehdr(e_type: u16, machine: u16) -> Ehdr {
        Ehdr {
            magic: ELF_MAGIC,
            e_type,
            e_machine: machine,
            e_entry: 0x1c40,
            e_phoff: 64,
            e_flags: 0,
            e_phentsize: 56,
            e_phnum: 4,
        }
    }

    #[test]
    fn path_checks_of_load_elf_binary() {
        let interp = |filesz| Phdr {
            p_type: PT_INTERP,
            p_flags: PF_R,
            p_offset: 0x318,
            p_vaddr: 0x318,
            p_paddr: 0x318,
            p_filesz: filesz,
            p_memsz: filesz,
            p_align: 1,
        };
        assert_eq!(check_interp_size(&interp(28)), Ok(28));
        assert_eq!(check_interp_size(&interp(1)), Err(Errno::NoExec));
        assert_eq!(check_interp_size(&interp(4096)), Ok(4096));
        assert_eq!(check_interp_size(&interp(4097)), Err(Errno::NoExec));
        assert_eq!(check_interp_path(b"/lib64/ld-linux-x86-64.so.2\0"), Ok(()));
        // Only the last byte counts: garbage after an early NUL is accepted.
        assert_eq!(check_interp_path(b"/lib/ld\0garbage\0"), Ok(()));
        assert_eq!(check_interp_path(b"/lib/ld.so"), Err(Errno::NoExec));
        assert_eq!(
            check_interp_header::<X86_64>(&ehdr(ET_DYN, EM_X86_64)),
            Ok(())
        );
        assert_eq!(
            check_interp_header::<X86_64>(&ehdr(ET_DYN, 3)),
            Err(Errno::LibBad)
        );
        let mut not_elf = ehdr(ET_DYN, EM_X86_64);
        not_elf.magic = *b"#!/b";
        assert_eq!(check_interp_header::<X86_64>(&not_elf), Err(Errno::LibBad));
        // e_type is not checked before the point of no return.
        assert_eq!(check_interp_header::<X86_64>(&ehdr(1, EM_X86_64)), Ok(()));
        // A 32-bit program needs an i386 interpreter (compat_elf_check_arch()).
        assert_eq!(check_interp_header::<Ia32>(&ehdr(ET_DYN, EM_386)), Ok(()));
        assert_eq!(
            check_interp_header::<Ia32>(&ehdr(ET_DYN, EM_X86_64)),
            Err(Errno::LibBad)
        );
    }

    #[test]
    fn refusals_after_the_point_of_no_return() {
        let ld = ld_so();
        let phdrs = Phdrs::<Elf64>::new(&ld);
        // ET_REL: load_elf_interp() returns ~0UL, i.e. -EPERM once cast to int.
        let err =
            InterpPlan::<X86_64>::new(&ehdr(1, EM_X86_64), phdrs, 0, true, TASK_SIZE).unwrap_err();
        assert_eq!(err.to_kernel(), -1);
        let err = InterpPlan::<X86_64>::new(&ehdr(ET_DYN, EM_X86_64), phdrs, 0, false, TASK_SIZE)
            .unwrap_err();
        assert_eq!(err.to_kernel(), -1);
        // No PT_LOAD: total_mapping_size() is 0.
        let none = table(&[of_type(PT_INTERP, PF_R)]);
        let err = InterpPlan::<X86_64>::new(
            &ehdr(ET_DYN, EM_X86_64),
            Phdrs::<Elf64>::new(&none),
            0,
            true,
            TASK_SIZE,
        )
        .unwrap_err();
        assert_eq!(err, LoadError::Errno(Errno::Inval));
    }
}
