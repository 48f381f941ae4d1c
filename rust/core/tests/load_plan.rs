// SPDX-License-Identifier: GPL-2.0

//! The PT_LOAD loop of load_elf_binary() (BE:1020-1238) driven through the test
//! kit's model of the address space: the exact mm calls with the model's answers,
//! and the resulting layout, worked out by hand from the 6.12 source.

use binfmt_rs_core::arch::arm64::PROT_BTI;
use binfmt_rs_core::arch::x86::{Ia32, STACK_TOP, X86_64};
use binfmt_rs_core::arch::Abi;
use binfmt_rs_core::class::{Elf32, Elf64};
use binfmt_rs_core::elf::ElfKind;
use binfmt_rs_core::errno::{Errno, LoadError};
use binfmt_rs_core::layout::{Layout, LoadPlan, Platform, Unmap};
use binfmt_rs_core::mman::{
    MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_PRIVATE, PROT_EXEC, PROT_READ, PROT_WRITE,
};
use binfmt_rs_core::observe::{Step, StepObserver, Unobserved};
use binfmt_rs_core::phdr::{Phdr, Phdrs, PF_R, PF_W, PF_X, PT_INTERP, PT_PHDR};
use binfmt_rs_core::segment::SegmentMapping;
use binfmt_rs_testkit::elf::{ehdr, ehdr32, load, table, table32, DYN, EXEC};
use binfmt_rs_testkit::mm::{
    error_value, Call, Forced, Mm, EEXIST, ENOMEM, EPERM, MMAP_BASE, TASK_SIZE,
};

const ET_DYN_BASE: u64 = 0x5555_5555_4aaa;
const R: u32 = PROT_READ;
const RX: u32 = PROT_READ | PROT_EXEC;
const RW: u32 = PROT_READ | PROT_WRITE;
const FIXED: u32 = MAP_PRIVATE | MAP_FIXED;
const NOREPLACE: u32 = MAP_PRIVATE | MAP_FIXED_NOREPLACE;

fn aslr_off() -> Platform {
    Platform {
        task_size: TASK_SIZE,
        elf_et_dyn_base: ET_DYN_BASE,
        randomize: false,
        randomize_va_space: 0,
        mmap_rnd: 0,
    }
}

/// A `vm_mmap()` the model granted where it was asked.
fn mmap(addr: u64, len: u64, prot: u32, flags: u32, offset: u64) -> Call {
    mmap_to(addr, len, prot, flags, offset, addr)
}

/// A `vm_mmap()` and the model's answer.
fn mmap_to(addr: u64, len: u64, prot: u32, flags: u32, offset: u64, result: u64) -> Call {
    Call::Mmap {
        addr,
        len,
        prot,
        flags,
        offset,
        result,
    }
}

/// The address space of an unprivileged exec without ASLR, nothing mapped yet: a
/// mapping without `MAP_FIXED*` goes below [`MMAP_BASE`].
fn mm() -> Mm {
    Mm::new(MMAP_BASE, false, None)
}

/// The same with `CAP_SYS_RAWIO`, which may map below `mmap_min_addr`.
fn privileged() -> Mm {
    Mm::new(MMAP_BASE, true, None)
}

fn kind(e_type: u16) -> ElfKind {
    if e_type == EXEC {
        ElfKind::Exec
    } else {
        ElfKind::Dyn
    }
}

/// Runs the loop over `phdrs` with e_phoff 64.
fn run(
    e_type: u16,
    e_entry: u64,
    phdrs: &[Phdr],
    has_interp: bool,
    platform: Platform,
    vm: &mut Mm,
) -> Result<Layout, LoadError> {
    let bytes = table(phdrs);
    let h = ehdr(e_type, e_entry, 64, phdrs.len() as u16);
    LoadPlan::new(
        &h,
        kind(e_type),
        Phdrs::<Elf64>::new(&bytes),
        has_interp,
        platform,
    )
    .run(vm, &mut Unobserved)
}

/// `TASK_SIZE` of an i386 task (`IA32_PAGE_OFFSET`, arch/x86/include/asm/processor.h).
const TASK_SIZE_IA32: u64 = 0xffff_e000;

/// What the glue reads for an i386 task once `set_personality_ia32()` has run,
/// without ASLR: `COMPAT_ELF_ET_DYN_BASE` is `PAGE_ALIGN(TASK_SIZE / 3) + 16 MiB`.
fn ia32_aslr_off() -> Platform {
    Platform {
        task_size: TASK_SIZE_IA32,
        elf_et_dyn_base: 0x5655_5000,
        ..aslr_off()
    }
}

/// [`run`] for an ELF32 table, with e_phoff 52.
fn run32(
    e_type: u16,
    e_entry: u64,
    phdrs: &[Phdr],
    has_interp: bool,
    vm: &mut Mm,
) -> Result<Layout, LoadError> {
    let bytes = table32(phdrs);
    let h = ehdr32(e_type, e_entry, 52, phdrs.len() as u16);
    LoadPlan::new(
        &h,
        kind(e_type),
        Phdrs::<Elf32>::new(&bytes),
        has_interp,
        ia32_aslr_off(),
    )
    .run(vm, &mut Unobserved)
}

fn interp() -> Phdr {
    Phdr {
        p_type: PT_INTERP,
        p_flags: PF_R,
        p_offset: 0x318,
        p_vaddr: 0x318,
        p_filesz: 0x1c,
        p_memsz: 0x1c,
        p_align: 1,
        ..Phdr::default()
    }
}

/// The usual gcc PIE: a PT_PHDR, a PT_INTERP and four PT_LOADs, the last with bss.
fn pie(align: u64) -> Vec<Phdr> {
    let mut loads = vec![
        load(PF_R, 0, 0, 0x628, 0x628),
        load(PF_R | PF_X, 0x1000, 0x1000, 0x1a5, 0x1a5),
        load(PF_R, 0x2000, 0x2000, 0xf4, 0xf4),
        load(PF_R | PF_W, 0x2df0, 0x3df0, 0x220, 0x228),
    ];
    for l in &mut loads {
        l.p_align = align;
    }
    let phdr = Phdr {
        p_type: PT_PHDR,
        p_flags: PF_R,
        p_offset: 64,
        p_vaddr: 64,
        p_filesz: 0x2d8,
        p_memsz: 0x2d8,
        p_align: 8,
        ..Phdr::default()
    };
    let mut all = vec![phdr, interp()];
    all.extend(loads);
    all
}

#[test]
fn static_exec_maps_at_its_link_addresses() {
    // gcc -static layout. Only the first PT_LOAD gets MAP_FIXED_NOREPLACE, and
    // ET_EXEC reserves no span (total_size 0).
    let phdrs = [
        load(PF_R, 0, 0x40_0000, 0x4e8, 0x4e8),
        load(PF_R | PF_X, 0x1000, 0x40_1000, 0x9_a7fd, 0x9_a7fd),
        load(PF_R, 0x9_c000, 0x49_c000, 0x2_a3e5, 0x2_a3e5),
        load(PF_R | PF_W, 0xc_67b0, 0x4c_77b0, 0x5c40, 0xb4d8),
    ];
    let mut vm = mm();
    let layout = run(EXEC, 0x40_1650, &phdrs, false, aslr_off(), &mut vm).unwrap();
    assert_eq!(
        vm.calls,
        [
            mmap(0x40_0000, 0x1000, R, NOREPLACE, 0),
            // PAGEALIGN(0x9a7fd + 0) = 0x9b000.
            mmap(0x40_1000, 0x9_b000, RX, FIXED, 0x1000),
            mmap(0x49_c000, 0x2_b000, R, FIXED, 0x9_c000),
            // vaddr 0x4c77b0: page offset 0x7b0, file offset 0xc67b0 - 0x7b0 = 0xc6000,
            // size PAGEALIGN(0x5c40 + 0x7b0 = 0x63f0) = 0x7000.
            mmap(0x4c_7000, 0x7000, RW, FIXED, 0xc_6000),
            // zero_start = 0x4c7000 + 0x7b0 + 0x5c40 = 0x4cd3f0: clear 0x1000 - 0x3f0.
            Call::ClearUser {
                addr: 0x4c_d3f0,
                len: 0xc10,
                left: 0
            },
            // zero_end = 0x4c7000 + 0x7b0 + 0xb4d8 = 0x4d2c88:
            // brk PAGEALIGN(0x4cd3f0) = 0x4ce000 .. PAGEALIGN(0x4d2c88) = 0x4d3000.
            Call::Brk {
                addr: 0x4c_e000,
                len: 0x5000,
                vm_flags: 0,
                result: 0
            },
        ]
    );
    assert_eq!(layout.load_bias, 0);
    assert_eq!(layout.entry_without_interp(), Ok(0x40_1650));
    // e_phoff 64 lies in the first PT_LOAD's file range [0, 0x4e8).
    assert_eq!(layout.phdr_addr, 0x40_0040);
    assert_eq!(layout.start_code, 0x40_1000);
    assert_eq!(layout.end_code, 0x49_b7fd); // 0x401000 + 0x9a7fd
    assert_eq!(layout.start_data, 0x4c_77b0); // the highest p_vaddr
    assert_eq!(layout.end_data, 0x4c_d3f0); // 0x4c77b0 + 0x5c40
    assert_eq!(layout.elf_brk, 0x4d_2c88); // 0x4c77b0 + 0xb4d8
    let brk = layout.brk(0, false, X86_64::BRK_RND_RANGE);
    assert_eq!(
        (brk.start_brk, brk.brk, brk.brk_moved),
        (0x4d_3000, 0x4d_3000, false)
    );
}

#[test]
fn arm64_exec_prot_goes_to_the_executable_segments_only() {
    // A BTI-marked static AArch64 program: arch_elf_adjust_prot() adds PROT_BTI
    // to its text, and only there.
    let phdrs = [
        load(PF_R | PF_X, 0, 0x40_0000, 0x7_2e1c, 0x7_2e1c),
        load(PF_R | PF_W, 0x8_f9c8, 0x49_f9c8, 0x5_1e0, 0x6_6f8),
    ];
    let bytes = table(&phdrs);
    let h = ehdr(EXEC, 0x40_0140, 64, phdrs.len() as u16);
    let mut vm = mm();
    let mut plan = LoadPlan::new(
        &h,
        ElfKind::Exec,
        Phdrs::<Elf64>::new(&bytes),
        false,
        aslr_off(),
    );
    plan.set_exec_prot(PROT_BTI);
    plan.run(&mut vm, &mut Unobserved).unwrap();
    let prots: Vec<u32> = vm
        .calls
        .iter()
        .filter_map(|c| match c {
            Call::Mmap { prot, .. } => Some(*prot),
            _ => None,
        })
        .collect();
    assert_eq!(prots, [RX | PROT_BTI, RW]);
}

#[test]
fn pie_with_interpreter_goes_to_et_dyn_base() {
    // load_bias = 0x555555554aaa & ~(0x1000 - 1) = 0x555555554000,
    // minus PAGESTART of the first vaddr (0).
    let mut vm = mm();
    let layout = run(DYN, 0x1040, &pie(0x1000), true, aslr_off(), &mut vm).unwrap();
    let base = 0x5555_5555_4000;
    assert_eq!(
        vm.calls,
        [
            // The first mapping reserves total_mapping_size = 0x3df0 + 0x228 = 0x4018,
            // page-aligned 0x5000, then gives back all but its own page.
            mmap(base, 0x5000, R, NOREPLACE, 0),
            Call::Munmap {
                addr: base + 0x1000,
                len: 0x4000
            },
            mmap(base + 0x1000, 0x1000, RX, FIXED, 0x1000),
            mmap(base + 0x2000, 0x1000, R, FIXED, 0x2000),
            // vaddr 0x3df0: size PAGEALIGN(0x220 + 0xdf0) = 0x2000, offset 0x2000.
            mmap(base + 0x3000, 0x2000, RW, FIXED, 0x2000),
            // zero_start = base + 0x3000 + 0xdf0 + 0x220 = base + 0x4010.
            Call::ClearUser {
                addr: base + 0x4010,
                len: 0xff0,
                left: 0
            },
            // zero_end = base + 0x4018: both ends align to base + 0x5000, so
            // vm_brk_flags() is called with length 0 (and does nothing).
            Call::Brk {
                addr: base + 0x5000,
                len: 0,
                vm_flags: 0,
                result: 0
            },
        ]
    );
    assert_eq!(layout.load_bias, base);
    assert_eq!(layout.e_entry, base + 0x1040);
    assert_eq!(layout.phdr_addr, base + 0x40);
    assert_eq!(layout.start_code, base + 0x1000);
    assert_eq!(layout.end_code, base + 0x11a5);
    assert_eq!(layout.start_data, base + 0x3df0);
    assert_eq!(layout.end_data, base + 0x4010);
    assert_eq!(layout.elf_brk, base + 0x4018);
    // No randomisation: brk = PAGEALIGN(elf_brk), no gap page.
    assert_eq!(
        layout.brk(0, false, X86_64::BRK_RND_RANGE).brk,
        base + 0x5000
    );
}

#[test]
fn pie_alignment_and_randomisation() {
    // Privileged: the 2^47 alignment below puts the image at 0, under mmap_min_addr.
    let first_mmap_addr = |align, platform| {
        let mut vm = privileged();
        run(DYN, 0x1040, &pie(align), true, platform, &mut vm).unwrap();
        match vm.calls[0] {
            Call::Mmap { addr, .. } => addr,
            other => panic!("{other:?}"),
        }
    };
    // 0x555555554aaa & ~0x1fffff = 0x555555400000.
    assert_eq!(first_mmap_addr(0x20_0000, aslr_off()), 0x5555_5540_0000);
    // With 1 GiB: & ~0x3fffffff = 0x555540000000.
    assert_eq!(first_mmap_addr(0x4000_0000, aslr_off()), 0x5555_4000_0000);
    // 0x3000 is not a power of two, so only the page alignment.
    assert_eq!(first_mmap_addr(0x3000, aslr_off()), 0x5555_5555_4000);
    // 2^47 alignment masks the bias to 0.
    assert_eq!(first_mmap_addr(1 << 47, aslr_off()), 0);
    // Randomised: 0x555555554aaa + 0x12345000 = 0x555567899aaa, page-aligned.
    let aslr = Platform {
        randomize: true,
        randomize_va_space: 2,
        mmap_rnd: 0x1234_5000,
        ..aslr_off()
    };
    assert_eq!(first_mmap_addr(0x1000, aslr), 0x5555_6789_9000);
    // mmap_rnd is ignored without PF_RANDOMIZE.
    let no_pf = Platform {
        randomize: false,
        ..aslr
    };
    assert_eq!(first_mmap_addr(0x1000, no_pf), 0x5555_5555_4000);
}

#[test]
fn static_pie_goes_where_mmap_puts_it_and_brk_to_et_dyn_base() {
    // load_bias 0, no MAP_FIXED*, the kernel picks 0x7ffff7ffa000 (the top of
    // the free space below mmap_base) and the load bias follows:
    // 0 + 0x7ffff7ffa000 - PAGESTART(0 + 0).
    let phdrs: Vec<Phdr> = pie(0x1000).into_iter().skip(2).collect();
    let mut vm = Mm::placing_at(0x7fff_f7ff_a000, 0x5000);
    let layout = run(DYN, 0x1040, &phdrs, false, aslr_off(), &mut vm).unwrap();
    assert_eq!(
        vm.calls[0],
        mmap_to(0, 0x5000, R, MAP_PRIVATE, 0, 0x7fff_f7ff_a000)
    );
    assert_eq!(
        vm.calls[1],
        Call::Munmap {
            addr: 0x7fff_f7ff_b000,
            len: 0x4000
        }
    );
    assert_eq!(
        vm.calls[2],
        mmap(0x7fff_f7ff_b000, 0x1000, RX, FIXED, 0x1000)
    );
    assert_eq!(layout.load_bias, 0x7fff_f7ff_a000);
    assert_eq!(layout.entry_without_interp(), Ok(0x7fff_f7ff_b040));
    // The brk is moved to PAGEALIGN(ELF_ET_DYN_BASE) even without ASLR.
    let brk = layout.brk(0, false, X86_64::BRK_RND_RANGE);
    assert_eq!((brk.brk, brk.brk_moved), (0x5555_5555_5000, true));
    // With randomize_va_space 2: no gap page, then 2 pages up.
    let aslr = Platform {
        randomize: true,
        randomize_va_space: 2,
        ..aslr_off()
    };
    let mut vm = Mm::placing_at(0x7fff_f7ff_a000, 0x5000);
    let layout = run(DYN, 0x1040, &phdrs, false, aslr, &mut vm).unwrap();
    assert_eq!(
        layout.brk(2, false, X86_64::BRK_RND_RANGE).brk,
        0x5555_5555_7000
    );
}

/// What a run asks for, in order: each mapping's step, address, flags and span,
/// and each unmap of a probe.
#[derive(Debug, Default)]
struct Steps(Vec<(Option<Step>, u64, u32, u64)>);

impl StepObserver for Steps {
    fn mapping(&mut self, step: Step, m: &SegmentMapping) {
        self.0.push((Some(step), m.addr, m.flags, m.total_size));
    }

    fn unmapped(&mut self, unmap: &Unmap) {
        self.0.push((None, unmap.addr, 0, unmap.len));
    }
}

#[test]
fn static_pie_with_large_alignment_probes_first() {
    // Step by step: a probe at 0, unmap it, align down, then MAP_FIXED_NOREPLACE.
    let phdrs: Vec<Phdr> = pie(0x20_0000).into_iter().skip(2).collect();
    let bytes = table(&phdrs);
    let h = ehdr(DYN, 0x1040, 64, 4);
    let plan = LoadPlan::new(
        &h,
        ElfKind::Dyn,
        Phdrs::<Elf64>::new(&bytes),
        false,
        aslr_off(),
    );
    let mut steps = Steps::default();
    plan.run(&mut Mm::placing_at(0x7fff_f7e2_3000, 0x5000), &mut steps)
        .unwrap();
    assert_eq!(
        steps.0[..4],
        [
            (Some(Step::Probe), 0, MAP_PRIVATE, 0x4018),
            // vm_munmap(load_bias, total_size) with the unaligned total_size.
            (None, 0x7fff_f7e2_3000, 0, 0x4018),
            // 0x7ffff7e23000 & ~0x1fffff = 0x7ffff7e00000.
            (Some(Step::Program), 0x7fff_f7e0_0000, NOREPLACE, 0x4018),
            (Some(Step::Program), 0x7fff_f7e0_1000, FIXED, 0),
        ]
    );

    // The same through run(): probe, elf_map's own tail unmap, the probe's unmap,
    // then the real first mapping.
    // The probe, 0x5000 bytes, lands at 0x7fff_f7e2_3000; the aligned span below it
    // is free once the probe is unmapped.
    let mut vm = Mm::placing_at(0x7fff_f7e2_3000, 0x5000);
    let layout = run(DYN, 0x1040, &phdrs, false, aslr_off(), &mut vm).unwrap();
    assert_eq!(
        vm.calls[..5],
        [
            mmap_to(0, 0x5000, R, MAP_PRIVATE, 0, 0x7fff_f7e2_3000),
            Call::Munmap {
                addr: 0x7fff_f7e2_4000,
                len: 0x4000
            },
            Call::Munmap {
                addr: 0x7fff_f7e2_3000,
                len: 0x4018
            },
            mmap(0x7fff_f7e0_0000, 0x5000, R, NOREPLACE, 0),
            Call::Munmap {
                addr: 0x7fff_f7e0_1000,
                len: 0x4000
            },
        ]
    );
    assert_eq!(layout.load_bias, 0x7fff_f7e0_0000);
}

#[test]
fn probe_failure_is_passed_on() {
    let phdrs: Vec<Phdr> = pie(0x20_0000).into_iter().skip(2).collect();
    // -ENOMEM from vm_mmap, the first call.
    let mut vm = Mm::new(MMAP_BASE, false, Some((1, ENOMEM)));
    let error = run(DYN, 0x1040, &phdrs, false, aslr_off(), &mut vm).unwrap_err();
    assert_eq!(error, LoadError::Mapping(-12));
    assert_eq!(vm.calls.len(), 1, "no unmap after a failed probe");
    assert_eq!(
        vm.calls[0],
        mmap_to(0, 0x5000, R, MAP_PRIVATE, 0, error_value(ENOMEM))
    );
}

#[test]
fn unsorted_pie_is_biased_by_its_first_load_in_file_order() {
    // The first PT_LOAD (vaddr 0x10000) sets the bias:
    // PAGESTART(0x555555554aaa - 0x10000) = 0x555555544000, and the later vaddr 0
    // lands there with MAP_FIXED.
    let phdrs = [
        interp(),
        load(PF_R | PF_X, 0x1000, 0x1_0000, 0x100, 0x100),
        load(PF_R, 0, 0, 0x100, 0x100),
    ];
    let mut vm = mm();
    let layout = run(DYN, 0x1_0000, &phdrs, true, aslr_off(), &mut vm).unwrap();
    // total_mapping_size = 0x10100 - 0, PAGEALIGN 0x11000.
    assert_eq!(
        vm.mmaps(),
        [
            mmap(0x5555_5555_4000, 0x1_1000, RX, NOREPLACE, 0x1000),
            mmap(0x5555_5554_4000, 0x1000, R, FIXED, 0),
        ]
    );
    assert_eq!(layout.load_bias, 0x5555_5554_4000);
}

#[test]
fn dyn_without_span_is_einval_before_any_mapping() {
    // One PT_LOAD, page-aligned vaddr, memsz 0.
    let mut vm = mm();
    let err = run(
        DYN,
        0,
        &[load(PF_R, 0, 0x1000, 0, 0)],
        false,
        aslr_off(),
        &mut vm,
    );
    assert_eq!(err.unwrap_err(), LoadError::Errno(Errno::Inval));
    assert!(vm.calls.is_empty());
}

#[test]
fn sanity_check_runs_after_the_segment_is_mapped() {
    // p_filesz > p_memsz is found only after the mmap.
    let mut vm = mm();
    let err = run(
        EXEC,
        0x40_1000,
        &[load(PF_R | PF_X, 0, 0x40_0000, 0x2000, 0x1000)],
        false,
        aslr_off(),
        &mut vm,
    );
    assert_eq!(err.unwrap_err(), LoadError::Errno(Errno::Inval));
    assert_eq!(vm.calls, [mmap(0x40_0000, 0x2000, RX, NOREPLACE, 0)]);

    // An ET_DYN p_vaddr >= TASK_SIZE fails on the *unbiased* value,
    // although load_bias + p_vaddr wraps back into range.
    let high = TASK_SIZE + 0x1000;
    let phdrs = [interp(), load(PF_R, 0, high, 0x100, 0x100)];
    let mut vm = mm();
    let err = run(DYN, high, &phdrs, true, aslr_off(), &mut vm);
    assert_eq!(err.unwrap_err(), LoadError::Errno(Errno::Inval));
    assert_eq!(vm.mmaps().len(), 1);

    // vaddr + memsz past TASK_SIZE. 6.12's vm_brk_flags() refuses the bss page
    // past TASK_SIZE first (-ENOMEM from check_brk_limits()), so the check is
    // reached only with that brk forced to succeed. The read-only page is not
    // cleared, which does not matter.
    let mut vm = mm();
    vm.forced = Some((2, Forced::Brk(0)));
    let phdrs = [load(PF_R, 0, 0x7fff_ffff_e000, 0x100, 0x2000)];
    let err = run(EXEC, 0x7fff_ffff_e000, &phdrs, false, aslr_off(), &mut vm);
    assert_eq!(err.unwrap_err(), LoadError::Errno(Errno::Inval));
    assert_eq!(
        vm.calls,
        [
            mmap(0x7fff_ffff_e000, 0x1000, R, NOREPLACE, 0),
            Call::ClearUser {
                addr: 0x7fff_ffff_e100,
                len: 0xf00,
                left: 0xf00
            },
            Call::Brk {
                addr: 0x7fff_ffff_f000,
                len: 0x1000,
                vm_flags: 0,
                result: 0
            },
        ]
    );
    // Unforced, the model answers as 6.12 does.
    let mut vm = mm();
    let err = run(EXEC, 0x7fff_ffff_e000, &phdrs, false, aslr_off(), &mut vm);
    assert_eq!(err.unwrap_err(), LoadError::Mapping(-ENOMEM));
}

#[test]
fn noreplace_collision_is_reported_and_passed_on() {
    // An ET_EXEC first segment over the stack, which setup_arg_pages() mapped at
    // [0x7fffffdde000, 0x7ffffffff000): -EEXIST and the "Uhuuh" message for the
    // page-aligned address.
    let mut vm = mm();
    vm.map_stack(STACK_TOP);
    let phdrs = [load(PF_R | PF_X, 0, 0x7fff_fffd_e000, 0x100, 0x100)];
    let err = run(EXEC, 0x7fff_fffd_e000, &phdrs, false, aslr_off(), &mut vm);
    assert_eq!(err.unwrap_err(), LoadError::Mapping(-17));
    assert_eq!(
        vm.calls,
        [
            mmap_to(
                0x7fff_fffd_e000,
                0x1000,
                RX,
                NOREPLACE,
                0,
                error_value(EEXIST)
            ),
            Call::Collision {
                addr: 0x7fff_fffd_e000
            }
        ]
    );
}

#[test]
fn static_pie_whose_first_load_is_pure_bss_lands_at_zero() {
    // load_bias = PAGESTART(0 - 0x1000) = 0xffff_ffff_ffff_f000, so
    // load_bias + p_vaddr = 0; no file part, so vm_brk_flags(0, 0x1000) and the
    // bias stays (0 - PAGESTART(0) = 0 is added). Mapping at 0 takes CAP_SYS_RAWIO.
    let phdrs = [
        load(PF_R | PF_W, 0, 0x1000, 0, 0x1000),
        load(PF_R | PF_X, 0x2000, 0x2000, 0x100, 0x100),
    ];
    let mut vm = privileged();
    let layout = run(DYN, 0x2000, &phdrs, false, aslr_off(), &mut vm).unwrap();
    assert_eq!(
        vm.calls,
        [
            Call::Brk {
                addr: 0,
                len: 0x1000,
                vm_flags: 0,
                result: 0
            },
            mmap(0x1000, 0x1000, RX, FIXED, 0x2000),
        ]
    );
    assert_eq!(layout.load_bias, 0xffff_ffff_ffff_f000);
    assert_eq!(layout.entry_without_interp(), Ok(0x1000));

    // Unprivileged, vm_brk_flags at 0 fails with -EPERM (cap_mmap_addr()), which
    // becomes the result.
    let mut vm = mm();
    let err = run(DYN, 0x2000, &phdrs, false, aslr_off(), &mut vm).unwrap_err();
    assert_eq!(err, LoadError::Mapping(-1));
    assert_eq!(
        vm.calls,
        [Call::Brk {
            addr: 0,
            len: 0x1000,
            vm_flags: 0,
            result: -EPERM
        }]
    );

    // Not page-aligned (vaddr 0x1800): load_bias = PAGESTART(0 - 0x1800) =
    // 0xffff_ffff_ffff_e000, load_bias + vaddr = 0xffff_ffff_ffff_f800, and elf_load()
    // returns its page start 0xffff_ffff_ffff_f000: a bad address that is not an
    // error value, so -EINVAL even if vm_brk_flags() had succeeded. 6.12's
    // check_brk_limits() refuses that address with -ENOMEM, so the brk is forced to
    // succeed.
    let phdrs = [
        load(PF_R | PF_W, 0, 0x1800, 0, 0x800),
        load(PF_R | PF_X, 0x2000, 0x2000, 0x100, 0x100),
    ];
    let mut vm = mm();
    vm.forced = Some((0, Forced::Brk(0)));
    let err = run(DYN, 0x2000, &phdrs, false, aslr_off(), &mut vm).unwrap_err();
    assert_eq!(err, LoadError::Mapping(-22));
    assert_eq!(
        vm.calls,
        [Call::Brk {
            addr: 0xffff_ffff_ffff_f000,
            len: 0x1000,
            vm_flags: 0,
            result: 0
        }]
    );
    // Unforced, its -ENOMEM is the result.
    let mut vm = mm();
    let err = run(DYN, 0x2000, &phdrs, false, aslr_off(), &mut vm).unwrap_err();
    assert_eq!(err, LoadError::Mapping(-ENOMEM));
}

#[test]
fn padzero_failure_matters_only_when_writable() {
    let phdrs = |flags| [load(flags, 0, 0x40_0000, 0x10, 0x2000)];
    // The file is shorter than the segment says: its first page lies past the
    // end, so clear_user() faults there (SIGBUS) and clears nothing.
    let truncated = || {
        let mut vm = mm();
        vm.file_size = 0;
        vm
    };
    let mut vm = truncated();
    // Read-only: ignored, the bss is still mapped RW.
    run(
        EXEC,
        0x40_0000,
        &phdrs(PF_R | PF_X),
        false,
        aslr_off(),
        &mut vm,
    )
    .unwrap();
    assert_eq!(
        vm.calls[1..],
        [
            Call::ClearUser {
                addr: 0x40_0010,
                len: 0xff0,
                left: 0xff0
            },
            Call::Brk {
                addr: 0x40_1000,
                len: 0x1000,
                vm_flags: 0x4,
                result: 0
            }
        ]
    );
    // Writable: -EFAULT and no vm_brk_flags.
    let mut vm = truncated();
    let err = run(
        EXEC,
        0x40_0000,
        &phdrs(PF_R | PF_W),
        false,
        aslr_off(),
        &mut vm,
    );
    assert_eq!(err.unwrap_err(), LoadError::Mapping(-14));
    assert!(!vm.calls.iter().any(|c| matches!(c, Call::Brk { .. })));
}

#[test]
fn code_bounds_without_an_executable_segment() {
    // Start_code stays ~0 and is biased: load_bias - 1; end_code is
    // load_bias. ET_EXEC: 0xffff_ffff_ffff_ffff and 0.
    let phdrs = [load(PF_R, 0, 0x40_0000, 0x100, 0x100)];
    let mut vm = mm();
    let layout = run(EXEC, 0x40_0000, &phdrs, false, aslr_off(), &mut vm).unwrap();
    assert_eq!((layout.start_code, layout.end_code), (u64::MAX, 0));

    let phdrs = [interp(), load(PF_R, 0, 0, 0x100, 0x100)];
    let mut vm = mm();
    let layout = run(DYN, 0, &phdrs, true, aslr_off(), &mut vm).unwrap();
    assert_eq!(
        (layout.start_code, layout.end_code),
        (0x5555_5555_3fff, 0x5555_5555_4000)
    );
}

#[test]
fn i386_static_exec_maps_as_compat_binfmt_elf_maps_it() {
    // gcc -m32 -static: the same loop, 32-bit fields zero-extended.
    let phdrs = [
        load(PF_R, 0, 0x804_8000, 0x1d4, 0x1d4),
        load(PF_R | PF_X, 0x1000, 0x804_9000, 0x7_4d1d, 0x7_4d1d),
        load(PF_R | PF_W, 0x9_75f4, 0x80e_05f4, 0x2f28, 0x48a8),
    ];
    let mut vm = mm();
    let layout = run32(EXEC, 0x804_9ac0, &phdrs, false, &mut vm).unwrap();
    assert_eq!(
        vm.calls[..3],
        [
            mmap(0x804_8000, 0x1000, R, NOREPLACE, 0),
            mmap(0x804_9000, 0x7_5000, RX, FIXED, 0x1000),
            // page offset 0x5f4: PAGEALIGN(0x2f28 + 0x5f4) = 0x4000 from 0x97000.
            mmap(0x80e_0000, 0x4000, RW, FIXED, 0x9_7000),
        ]
    );
    // e_phoff 52 in the first PT_LOAD: AT_PHDR 0x8048034.
    assert_eq!(layout.phdr_addr, 0x804_8034);
    assert_eq!(layout.end_code, 0x80b_dd1d);
    assert_eq!(layout.elf_brk, 0x80e_4e9c);
    assert_eq!(layout.entry_without_interp(), Ok(0x804_9ac0));
    assert_eq!(layout.brk(0, false, Ia32::BRK_RND_RANGE).brk, 0x80e_5000);
}

#[test]
fn i386_pie_with_interpreter_goes_to_compat_et_dyn_base() {
    let mut phdrs = pie(0x1000);
    for ph in &mut phdrs {
        ph.p_offset = ph.p_offset.min(0xffff_ffff);
    }
    phdrs[0].p_offset = 52;
    phdrs[0].p_vaddr = 52;
    let mut vm = mm();
    let layout = run32(DYN, 0x1090, &phdrs, true, &mut vm).unwrap();
    // load_bias = ELF_PAGESTART(COMPAT_ELF_ET_DYN_BASE - 0), the first PT_LOAD
    // reserving the whole span (0x3df0 + 0x228 rounded from 0).
    assert_eq!(layout.load_bias, 0x5655_5000);
    assert_eq!(vm.calls[0], mmap(0x5655_5000, 0x5000, R, NOREPLACE, 0));
    assert_eq!(layout.e_entry, 0x5655_6090);
    assert_eq!(layout.phdr_addr, 0x5655_5034);
}

#[test]
fn i386_mapping_span_wraps_at_32_bits() {
    // total_mapping_size()'s p_vaddr + p_memsz adds two Elf32 fields: 0xfffff000 +
    // 0x2000 is 0x1000, and the span max - min wraps in unsigned long, where the
    // ELF64 sum does not. (The AT_PHDR sum is of the same kind, but the sanity
    // check after each mapping keeps it from wrapping.)
    let wrap = table32(&[load(PF_R, 0, 0xffff_f000, 0x2000, 0x2000)]);
    assert_eq!(
        Phdrs::<Elf32>::new(&wrap).total_mapping_size(),
        0x1000u64.wrapping_sub(0xffff_f000)
    );
    let wide = table(&[load(PF_R, 0, 0xffff_f000, 0x2000, 0x2000)]);
    assert_eq!(Phdrs::<Elf64>::new(&wide).total_mapping_size(), 0x2000);
}

#[test]
fn phdr_addr_comes_from_the_last_covering_load() {
    // Both segments' file ranges hold e_phoff 64; the second wins:
    // 64 - 0 + 0x800000.
    let phdrs = [
        load(PF_R, 0, 0x40_0000, 0x100, 0x100),
        load(PF_R | PF_X, 0, 0x80_0000, 0x100, 0x100),
    ];
    let mut vm = mm();
    let layout = run(EXEC, 0x80_0000, &phdrs, false, aslr_off(), &mut vm).unwrap();
    assert_eq!(layout.phdr_addr, 0x80_0040);

    // No file range holds it: AT_PHDR = load_bias, 0 for ET_EXEC.
    let phdrs = [load(PF_R | PF_X, 0x1000, 0x40_1000, 0x100, 0x100)];
    let mut vm = mm();
    let layout = run(EXEC, 0x40_1000, &phdrs, false, aslr_off(), &mut vm).unwrap();
    assert_eq!(layout.phdr_addr, 0);
}

#[test]
fn entry_and_empty_images() {
    // e_entry >= TASK_SIZE.
    let phdrs = [load(PF_R | PF_X, 0, 0x40_0000, 0x100, 0x100)];
    let mut vm = mm();
    let layout = run(EXEC, TASK_SIZE, &phdrs, false, aslr_off(), &mut vm).unwrap();
    assert_eq!(layout.entry_without_interp(), Err(Errno::Inval));

    // ET_DYN without PT_LOAD maps nothing, with load_bias 0.
    let mut vm = mm();
    let layout = run(DYN, 0x1234, &[interp()], false, aslr_off(), &mut vm).unwrap();
    assert!(vm.calls.is_empty());
    assert_eq!((layout.load_bias, layout.e_entry), (0, 0x1234));
}

#[test]
fn randomised_exec_brk_has_a_gap_page() {
    // PAGEALIGN(0x4d2c88) = 0x4d3000, + one page = 0x4d4000, + (7 % 0x40000) pages.
    // p_offset is congruent to p_vaddr modulo a page: elf_map() passes
    // p_offset - ELF_PAGEOFFSET(p_vaddr) as the file offset, which vm_mmap()
    // refuses with -EINVAL unless it is page-aligned.
    let phdrs = [load(PF_R | PF_W, 0x7b0, 0x4c_77b0, 0x5c40, 0xb4d8)];
    let aslr = Platform {
        randomize: true,
        randomize_va_space: 2,
        ..aslr_off()
    };
    let mut vm = mm();
    let layout = run(EXEC, 0x4c_77b0, &phdrs, false, aslr, &mut vm).unwrap();
    assert_eq!(layout.brk(7, false, X86_64::BRK_RND_RANGE).brk, 0x4d_b000);
    // randomize_va_space 1: randomised mmap, but neither gap nor brk randomness.
    let partial = Platform {
        randomize_va_space: 1,
        ..aslr
    };
    let mut vm = mm();
    let layout = run(EXEC, 0x4c_77b0, &phdrs, false, partial, &mut vm).unwrap();
    assert_eq!(layout.brk(7, false, X86_64::BRK_RND_RANGE).brk, 0x4d_3000);
}
