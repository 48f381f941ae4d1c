// SPDX-License-Identifier: GPL-2.0

//! The interpreter's PT_LOAD loop of load_elf_interp() (BE:653-705), driven by
//! `InterpPlan::run` through the test kit's model of the address space: the
//! `elf_load()`s it asks for, as its observer sees them, and the load address it
//! returns.

use binfmt_rs_core::arch::x86::{Ia32, X86_64};
use binfmt_rs_core::class::{Elf32, Elf64};
use binfmt_rs_core::elf::{Ehdr, ET_DYN, ET_EXEC};
use binfmt_rs_core::errno::{Errno, LoadError};
use binfmt_rs_core::interp::{interp_entry, InterpPlan};
use binfmt_rs_core::mman::{MAP_FIXED, MAP_PRIVATE, PROT_READ};
use binfmt_rs_core::observe::{Step, StepObserver};
use binfmt_rs_core::phdr::{Phdrs, PF_R, PF_W, PF_X};
use binfmt_rs_core::segment::SegmentMapping;
use binfmt_rs_testkit::elf::{ehdr, ehdr32, load, table, table32};
use binfmt_rs_testkit::mm::{Forced, Mm, ENOMEM, MMAP_BASE, PAGE_SIZE, TASK_SIZE};

/// ld.so as Debian 12 ships it: four PT_LOADs from vaddr 0.
fn ld_so() -> Vec<u64> {
    table(&[
        load(PF_R, 0, 0, 0x1000, 0x1000),
        load(PF_R | PF_X, 0x1000, 0x1000, 0x25000, 0x25000),
        load(PF_R, 0x26000, 0x26000, 0xa000, 0xa000),
        load(PF_R | PF_W, 0x30bc0, 0x31bc0, 0x1460, 0x1620),
    ])
}

/// The interpreter's header: x86_64, entry 0x1c40.
fn interp_ehdr(e_type: u16) -> Ehdr {
    ehdr(e_type, 0x1c40, 64, 4)
}

/// Records what the driver reports.
#[derive(Default)]
struct Seen {
    maps: Vec<SegmentMapping>,
    load_addr: Option<u64>,
}

impl StepObserver for Seen {
    fn mapping(&mut self, step: Step, mapping: &SegmentMapping) {
        assert_eq!(step, Step::Interp);
        self.maps.push(*mapping);
    }
    fn interp_loaded(&mut self, load_addr: u64) {
        self.load_addr = Some(load_addr);
    }
}

/// Runs the plan through [`InterpPlan::run`] against `mm`: the mappings asked for,
/// and the load address (what `load_elf_interp()` returned) or the error.
fn run(plan: InterpPlan<'_, X86_64>, mm: &mut Mm) -> (Vec<SegmentMapping>, Result<u64, LoadError>) {
    let mut seen = Seen::default();
    let result = plan.run(mm, &mut seen);
    let load_addr = match (result, seen.load_addr) {
        (Ok((base, entry)), Some(load_addr)) => {
            assert_eq!(base, load_addr);
            assert_eq!(entry, interp_entry(load_addr, 0x1c40, TASK_SIZE).unwrap().1);
            Ok(load_addr)
        }
        // The loop ended; the entry failed the exec.
        (Err(_), Some(load_addr)) => Ok(load_addr),
        (Err(e), None) => Err(e),
        (Ok(_), None) => panic!("an entry without a load address"),
    };
    (seen.maps, load_addr)
}

#[test]
fn dyn_interpreter_of_a_pie_is_placed_by_mmap() -> Result<(), LoadError> {
    let ld = ld_so();
    let plan = InterpPlan::<X86_64>::new(
        &interp_ehdr(ET_DYN),
        Phdrs::<Elf64>::new(&ld),
        0x5555_5555_4000,
        true,
        TASK_SIZE,
    )?;
    // mmap picks 0x7ffff7fc3000 for the whole span (total 0x31bc0 + 0x1620).
    let mut mm = Mm::placing_at(0x7fff_f7fc_3000, 0x3_31e0);
    let (maps, load_addr) = run(plan, &mut mm);
    assert_eq!(load_addr, Ok(0x7fff_f7fc_3000));
    // First: hint 0 (load_addr = -vaddr), no MAP_FIXED, the whole span reserved.
    assert_eq!(maps[0].addr, 0);
    assert_eq!(maps[0].flags, MAP_PRIVATE);
    assert_eq!(maps[0].total_size, 0x3_31e0);
    assert_eq!(maps[0].prot, PROT_READ);
    // Then MAP_FIXED at load_addr + vaddr, without reservation.
    assert_eq!(maps[3].addr, 0x7fff_f7fc_3000 + 0x31bc0);
    assert_eq!(maps[3].flags, MAP_PRIVATE | MAP_FIXED);
    assert_eq!(maps[3].total_size, 0);
    assert_eq!(
        interp_entry(0x7fff_f7fc_3000, 0x1c40, TASK_SIZE),
        Ok((0x7fff_f7fc_3000, 0x7fff_f7fc_4c40))
    );
    Ok(())
}

#[test]
fn dyn_interpreter_of_an_et_exec_program_gets_its_vaddr_as_hint() -> Result<(), LoadError> {
    // no_base = 0 (the program is ET_EXEC): the hint is the interpreter's own
    // p_vaddr.
    let exec_interp = table(&[
        load(PF_R | PF_X, 0, 0x10_0000, 0x2000, 0x2000),
        load(PF_R | PF_W, 0x2000, 0x10_2000, 0x100, 0x3000),
    ]);
    let new = || {
        InterpPlan::<X86_64>::new(
            &interp_ehdr(ET_DYN),
            Phdrs::<Elf64>::new(&exec_interp),
            0,
            true,
            TASK_SIZE,
        )
    };
    // Something is mapped at the hint, so the 0x5000-byte span goes where the
    // top-down search puts it, 0x7ffff7f00000.
    let mut mm = Mm::placing_at(0x7fff_f7f0_0000, 0x5000);
    mm.map_other(0x10_0000, 0x10_0000 + PAGE_SIZE, PROT_READ, false);
    let (maps, load_addr) = run(new()?, &mut mm);
    assert_eq!(maps[0].addr, 0x10_0000);
    assert_eq!(maps[0].flags, MAP_PRIVATE);
    assert_eq!(load_addr, Ok(0x7fff_f7f0_0000 - 0x10_0000));
    // A free hint is taken as it is (arch_get_unmapped_area_topdown()): load_addr 0.
    let (_, load_addr) = run(new()?, &mut Mm::placing_at(0x7fff_f7f0_0000, 0x5000));
    assert_eq!(load_addr, Ok(0));
    Ok(())
}

#[test]
fn et_exec_interpreter_is_mapped_fixed_at_its_addresses() -> Result<(), LoadError> {
    let ld = ld_so();
    let plan = InterpPlan::<X86_64>::new(
        &interp_ehdr(ET_EXEC),
        Phdrs::<Elf64>::new(&ld),
        0x1000,
        true,
        TASK_SIZE,
    )?;
    // Its first PT_LOAD is fixed at 0, below mmap_min_addr: CAP_SYS_RAWIO.
    let mut mm = Mm::new(MMAP_BASE, true, None);
    let (maps, load_addr) = run(plan, &mut mm);
    assert!(maps.iter().all(|m| m.flags == MAP_PRIVATE | MAP_FIXED));
    // load_addr stays 0 (AT_BASE = 0).
    assert_eq!(load_addr, Ok(0));
    Ok(())
}

#[test]
fn failures_while_mapping() -> Result<(), LoadError> {
    let ld = ld_so();
    let new = || {
        InterpPlan::<X86_64>::new(
            &interp_ehdr(ET_DYN),
            Phdrs::<Elf64>::new(&ld),
            1,
            true,
            TASK_SIZE,
        )
    };
    // mmap's errno comes through as it is.
    let mut mm = Mm::new(MMAP_BASE, false, Some((1, ENOMEM)));
    let (_, r) = run(new()?, &mut mm);
    assert_eq!(r.map_err(LoadError::to_kernel), Err(-12));
    // A segment ending past TASK_SIZE is -ENOMEM (BE:693-700): mm put the 8 KiB
    // first segment at the last page. __get_unmapped_area() never returns a range
    // past TASK_SIZE, so that answer is forced.
    let big = table(&[load(PF_R | PF_X, 0, 0x10_0000, 0x2000, 0x2000)]);
    let plan = InterpPlan::<X86_64>::new(
        &interp_ehdr(ET_DYN),
        Phdrs::<Elf64>::new(&big),
        1,
        true,
        TASK_SIZE,
    )?;
    let mut mm = Mm::new(MMAP_BASE, false, None);
    mm.forced = Some((0, Forced::Mmap(TASK_SIZE - 0x1000)));
    let (_, r) = run(plan, &mut mm);
    assert_eq!(r, Err(LoadError::Errno(Errno::NoMem)));
    // An entry past TASK_SIZE is -EINVAL.
    assert_eq!(
        interp_entry(TASK_SIZE - 0x1000, 0x2000, TASK_SIZE).map_err(LoadError::to_kernel),
        Err(-22)
    );
    Ok(())
}

#[test]
fn a_bad_address_that_is_no_errno_becomes_the_load_address() -> Result<(), LoadError> {
    // An ET_EXEC interpreter whose first PT_LOAD is empty and above TASK_SIZE:
    // elf_load() maps nothing and returns ELF_PAGESTART(addr), which
    // load_elf_interp() returns as it is, without looking at the next PT_LOAD.
    let empty = table(&[
        load(PF_R, 0, 0xffff_8000_0000_0800, 0, 0),
        load(PF_R | PF_X, 0, 0x40_0000, 0x1000, 0x1000),
    ]);
    let plan = InterpPlan::<X86_64>::new(
        &interp_ehdr(ET_EXEC),
        Phdrs::<Elf64>::new(&empty),
        0,
        true,
        TASK_SIZE,
    )?;
    let mut mm = Mm::new(MMAP_BASE, false, None);
    let (maps, load_addr) = run(plan, &mut mm);
    assert_eq!(maps.len(), 1, "the loop ends at the bad address");
    assert!(mm.calls.is_empty(), "{:?}", mm.calls);
    assert_eq!(load_addr, Ok(0xffff_8000_0000_0000));
    // The caller adds e_entry: a sum that wraps below TASK_SIZE is an entry,
    // and AT_BASE is the bad address.
    assert_eq!(
        interp_entry(0xffff_8000_0000_0000, 0x8000_0000_1000, TASK_SIZE),
        Ok((0xffff_8000_0000_0000, 0x1000))
    );
    // A sum that is an errno value fails with that errno, not -EINVAL.
    assert_eq!(
        interp_entry(0xffff_8000_0000_0000, 0x7fff_ffff_fff4, TASK_SIZE)
            .map_err(LoadError::to_kernel),
        Err(-12)
    );
    // Any other bad sum is -EINVAL.
    assert_eq!(
        interp_entry(0xffff_8000_0000_0000, 0x10, TASK_SIZE).map_err(LoadError::to_kernel),
        Err(-22)
    );
    Ok(())
}

#[test]
fn i386_interpreter_is_checked_and_mapped_as_compat_binfmt_elf_does() -> Result<(), LoadError> {
    // Debian 12's i386 ld.so: four PT_LOADs from vaddr 0 (Elf32_Phdr), placed by
    // mmap below the 32-bit mmap base; its e_entry 0x1b5c0 relocates with it.
    let ld = table32(&[
        load(PF_R, 0, 0, 0xb20, 0xb20),
        load(PF_R | PF_X, 0x1000, 0x1000, 0x2_2d21, 0x2_2d21),
        load(PF_R, 0x2_4000, 0x2_4000, 0xd4d4, 0xd4d4),
        load(PF_R | PF_W, 0x3_1ba0, 0x3_2ba0, 0x1dbc, 0x1eb0),
    ]);
    const TASK_SIZE_IA32: u64 = 0xffff_e000;
    let header = ehdr32(ET_DYN, 0x1_b5c0, 52, 4);
    // An x86_64 interpreter header is refused for an i386 program (-EPERM).
    let wrong = ehdr(ET_DYN, 0x1_b5c0, 52, 4);
    let err = InterpPlan::<Ia32>::new(&wrong, Phdrs::<Elf32>::new(&ld), 0, true, TASK_SIZE_IA32)
        .unwrap_err();
    assert_eq!(err.to_kernel(), -1);
    let plan = InterpPlan::<Ia32>::new(
        &header,
        Phdrs::<Elf32>::new(&ld),
        0x5655_5000,
        true,
        TASK_SIZE_IA32,
    )?;
    // The span: 0x32ba0 + 0x1eb0 = 0x34a50.
    let mut mm = Mm::placing_at(0xf7fc_4000, 0x3_4a50);
    let mut seen = Seen::default();
    let (base, entry) = plan.run(&mut mm, &mut seen)?;
    assert_eq!((base, entry), (0xf7fc_4000, 0xf7fc_4000 + 0x1_b5c0));
    assert_eq!(seen.maps.len(), 4);
    assert_eq!(seen.maps[0].total_size, 0x3_4a50);
    assert_eq!(seen.maps[3].addr, 0xf7fc_4000 + 0x3_2ba0);
    // A load address whose entry lands at or above the i386 TASK_SIZE is -EINVAL.
    assert_eq!(
        interp_entry(0xffff_0000, 0x1_b5c0, TASK_SIZE_IA32),
        Err(LoadError::Mapping(Errno::Inval.to_kernel()))
    );
    Ok(())
}
