// SPDX-License-Identifier: GPL-2.0

//! Property tests of the PT_LOAD loop: hostile tables never panic and every
//! mapping it asks for is page-aligned; well-formed images are mapped in one piece
//! at the load bias the kernel's first answer implies. The answers are the test
//! kit's model of the address space.

use binfmt_rs_core::arch::x86::STACK_TOP;
use binfmt_rs_core::class::Elf64;
use binfmt_rs_core::elf::{ElfKind, ELF_MIN_ALIGN};
use binfmt_rs_core::layout::{LoadPlan, Platform};
use binfmt_rs_core::mman::PROT_READ;
use binfmt_rs_core::mman::{MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_PRIVATE};
use binfmt_rs_core::observe::Unobserved;
use binfmt_rs_core::phdr::{Phdr, Phdrs, PF_R, PF_W, PF_X, PT_GNU_STACK, PT_INTERP, PT_LOAD};
use binfmt_rs_testkit::elf::{ehdr, table, DYN, EXEC};
use binfmt_rs_testkit::mm::{page_align, Call, Mm, MM_ERRNOS, PAGE_SIZE, TASK_SIZE};
use proptest::prelude::*;

fn any_phdr() -> impl Strategy<Value = Phdr> {
    let p_type = prop_oneof![
        4 => Just(PT_LOAD),
        1 => Just(PT_INTERP),
        1 => Just(PT_GNU_STACK),
        1 => any::<u32>(),
    ];
    // Small values make the interesting cases (overlaps, bss, alignment) likely,
    // and the mm grants them, so that the loop goes on to the later PT_LOADs;
    // any::<u64>() brings wraparound, which the mm mostly refuses.
    let value = || prop_oneof![7 => 0u64..0x40_0000, 1 => any::<u64>()];
    // Mostly a p_offset congruent to p_vaddr modulo a page, which vm_mmap() needs
    // of the file offset elf_map() derives (else -EINVAL and the loop ends there).
    let congruent = prop::bool::weighted(0.9);
    let align = prop_oneof![
        Just(0u64),
        Just(0x1000),
        Just(0x20_0000),
        Just(0x3000),
        any::<u64>()
    ];
    (
        p_type,
        any::<u32>(),
        value(),
        value(),
        value(),
        value(),
        align,
        congruent,
    )
        .prop_map(
            |(p_type, p_flags, p_offset, p_vaddr, p_filesz, p_memsz, p_align, congruent)| Phdr {
                p_type,
                p_flags,
                p_offset: if congruent {
                    (p_offset & !0xfff) | (p_vaddr & 0xfff)
                } else {
                    p_offset
                },
                p_vaddr,
                p_paddr: 0,
                p_filesz,
                p_memsz,
                p_align,
            },
        )
}

fn any_platform() -> impl Strategy<Value = Platform> {
    (any::<bool>(), 0i32..3, 0u64..(1 << 28)).prop_map(|(randomize, va_space, rnd)| Platform {
        task_size: TASK_SIZE,
        elf_et_dyn_base: 0x5555_5555_4aaa,
        randomize,
        randomize_va_space: va_space,
        mmap_rnd: rnd << 12,
    })
}

/// An address space for any exec: `mmap_base` anywhere (where a mapping without
/// MAP_FIXED* lands), with or without `CAP_SYS_RAWIO`, the stack and another
/// mapping in the way or not, a file that may end before its segments do (so that
/// clear_user() faults), and any errno injected at one of the first calls.
fn any_mm() -> impl Strategy<Value = Mm> {
    let errno = prop_oneof![prop::sample::select(&MM_ERRNOS[..]), 1i32..4096];
    (
        (0x1000u64..0x7_ffff_ffff).prop_map(|p| p << 12),
        any::<bool>(),
        prop::option::of((1u32..6, errno)),
        prop_oneof![3 => Just(u64::MAX), 1 => (0u64..8).prop_map(|p| p * PAGE_SIZE)],
        any::<bool>(),
        prop::option::of((0u64..0x400, 1u64..0x40)),
    )
        .prop_map(
            |(mmap_base, privileged, fail_at, file_size, stack, other)| {
                let mut mm = Mm::new(mmap_base, privileged, fail_at);
                if stack {
                    mm.map_stack(STACK_TOP);
                }
                if let Some((page, pages)) = other {
                    mm.map_other(
                        page * PAGE_SIZE,
                        (page + pages) * PAGE_SIZE,
                        PROT_READ,
                        false,
                    );
                }
                mm.file_size = file_size;
                mm
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn hostile_tables_never_panic_and_map_whole_pages(
        phdrs in prop::collection::vec(any_phdr(), 0..8),
        dyn_kind in any::<bool>(),
        has_interp in any::<bool>(),
        e_entry in any::<u64>(),
        e_phoff in prop_oneof![0u64..0x1000, any::<u64>()],
        platform in any_platform(),
        mut vm in any_mm(),
        random_long in any::<u64>(),
    ) {
        let bytes = table(&phdrs);
        let (e_type, kind) = if dyn_kind { (DYN, ElfKind::Dyn) } else { (EXEC, ElfKind::Exec) };
        let mut h = ehdr(e_type, e_entry, e_phoff, phdrs.len() as u16);
        h.e_phoff = e_phoff;
        let result = LoadPlan::new(&h, kind, Phdrs::<Elf64>::new(&bytes), has_interp, platform).run(&mut vm, &mut Unobserved);

        let mut mmaps = 0;
        for call in &vm.calls {
            match *call {
                Call::Mmap { addr, len, flags, .. } => {
                    prop_assert_eq!(addr % ELF_MIN_ALIGN, 0);
                    prop_assert_eq!(len % ELF_MIN_ALIGN, 0);
                    prop_assert!(flags & MAP_PRIVATE != 0);
                    mmaps += 1;
                }
                Call::Brk { addr, .. } => prop_assert_eq!(addr % ELF_MIN_ALIGN, 0),
                Call::Munmap { addr, .. } => prop_assert_eq!(addr % ELF_MIN_ALIGN, 0),
                Call::ClearUser { addr, len, .. } => {
                    prop_assert!(addr % ELF_MIN_ALIGN != 0);
                    prop_assert_eq!(addr.wrapping_add(len) % ELF_MIN_ALIGN, 0);
                }
                Call::Collision { .. } => {}
            }
        }
        let loads = phdrs.iter().filter(|p| p.p_type == PT_LOAD).count();
        // At most one mmap per PT_LOAD, plus the static-PIE probe.
        prop_assert!(mmaps <= loads + 1);
        if let Ok(layout) = result {
            let _ = layout.brk(random_long, random_long & 1 == 0, 1 << 30);
            let _ = layout.entry_without_interp();
            if kind == ElfKind::Exec {
                prop_assert_eq!(layout.load_bias, 0);
            }
        }
    }

    #[test]
    fn random_bytes_as_a_table_never_panic(
        words in prop::collection::vec(any::<u64>(), 0..75),
        dyn_kind in any::<bool>(),
        has_interp in any::<bool>(),
        mut vm in any_mm(),
    ) {
        let kind = if dyn_kind { ElfKind::Dyn } else { ElfKind::Exec };
        let h = ehdr(if dyn_kind { DYN } else { EXEC }, 0, 64, (words.len() / 7) as u16);
        let platform = Platform {
            task_size: TASK_SIZE,
            elf_et_dyn_base: 0x5555_5555_4aaa,
            randomize: true,
            randomize_va_space: 2,
            mmap_rnd: 0x1_2345_6000,
        };
        let _ = LoadPlan::new(&h, kind, Phdrs::<Elf64>::new(&words), has_interp, platform).run(&mut vm, &mut Unobserved);
    }
}

/// A well-formed image: PT_LOADs in ascending, non-overlapping pages, with
/// `p_offset` congruent to `p_vaddr`, `p_filesz <= p_memsz`, and a file part in
/// the first.
fn well_formed() -> impl Strategy<Value = (Vec<Phdr>, u64)> {
    let segment = (1u64..4, 0u64..0x1000, 0u64..0x3000, 0u64..0x3000, 0u32..8);
    (
        prop::collection::vec(segment, 1..6),
        prop_oneof![Just(0x1000u64), Just(0x20_0000), Just(0x1_0000)],
    )
        .prop_map(|(segs, align)| {
            let mut vaddr_page = 0u64;
            let mut offset_page = 0u64;
            let mut phdrs = Vec::new();
            for (i, (gap, page_offset, filesz, bss, flags)) in segs.into_iter().enumerate() {
                // A first segment without a file part is not loadable as a static PIE
                // unless page-aligned (see static_pie_whose_first_load_is_pure_bss_*).
                let filesz = if i == 0 { filesz.max(1) } else { filesz };
                let vaddr = vaddr_page + page_offset;
                // Keep p_memsz > 0 so that the image spans something.
                let memsz = filesz + bss + 1;
                phdrs.push(Phdr {
                    p_type: PT_LOAD,
                    p_flags: flags & (PF_R | PF_W | PF_X),
                    p_offset: offset_page + page_offset,
                    p_vaddr: vaddr,
                    p_paddr: vaddr,
                    p_filesz: filesz,
                    p_memsz: memsz,
                    p_align: align,
                });
                let pages = (page_offset + memsz).div_ceil(0x1000);
                vaddr_page += (pages + gap) * 0x1000;
                offset_page += (page_offset + filesz).div_ceil(0x1000) * 0x1000;
            }
            (phdrs, align)
        })
}

proptest! {
    #[test]
    fn well_formed_dyn_images_are_mapped_in_one_piece(
        (phdrs, align) in well_formed(),
        has_interp in any::<bool>(),
        platform in any_platform(),
        anywhere in (0x1000u64..0x7_0000_0000).prop_map(|p| p << 12),
    ) {
        let bytes = table(&phdrs);
        let h = ehdr(DYN, 0x10, 64, phdrs.len() as u16);
        // The first mapping without MAP_FIXED* (the probe, or a static PIE's first
        // PT_LOAD) reserves the whole span and lands at `anywhere`.
        let span = page_align(Phdrs::<Elf64>::new(&bytes).total_mapping_size());
        let mut vm = Mm::placing_at(anywhere, span);
        let layout = LoadPlan::new(&h, ElfKind::Dyn, Phdrs::<Elf64>::new(&bytes), has_interp, platform)
            .run(&mut vm, &mut Unobserved)
            .unwrap();
        let bias = layout.load_bias;
        prop_assert_eq!(bias % ELF_MIN_ALIGN, 0);
        prop_assert_eq!(layout.e_entry, bias.wrapping_add(0x10));

        let vaddr0 = phdrs[0].p_vaddr;
        let first_has_file = phdrs[0].p_filesz != 0;
        let pagestart = |v: u64| v & !0xfff;
        // The probe, if any, is the first mmap, at 0 and without MAP_FIXED*; a pure
        // bss first segment probes with vm_brk_flags() alone and "lands" at 0.
        let probed = !has_interp && align > ELF_MIN_ALIGN;
        let mut mmaps = vm.mmaps().into_iter();
        if probed && first_has_file {
            let probe = mmaps.next();
            let at_zero = matches!(probe, Some(Call::Mmap { addr: 0, flags: MAP_PRIVATE, .. }));
            prop_assert!(at_zero, "probe {:?}", probe);
        }
        // BE:1125-1172: the bias before the first mapping.
        let chosen = if has_interp {
            let mut base = 0x5555_5555_4aaa_u64;
            if platform.randomize {
                base += platform.mmap_rnd;
            }
            base & !(align - 1)
        } else if probed {
            (if first_has_file { anywhere } else { 0 }) & !(align - 1)
        } else {
            0
        };
        let planned = pagestart(chosen.wrapping_sub(vaddr0));
        if !has_interp && !probed && first_has_file {
            // Adopted from the kernel's choice: the first page is where it landed.
            prop_assert_eq!(pagestart(bias.wrapping_add(vaddr0)), anywhere);
        } else {
            prop_assert_eq!(bias, planned);
        }
        // Every segment with a file part is mapped at PAGESTART(load_bias + p_vaddr):
        // the first with MAP_FIXED_NOREPLACE (nothing for a small-aligned static PIE),
        // the rest with MAP_FIXED.
        for (i, ph) in phdrs.iter().enumerate().filter(|(_, p)| p.p_filesz != 0) {
            let Some(Call::Mmap { addr, flags, .. }) = mmaps.next() else {
                return Err(TestCaseError::fail("missing mmap"));
            };
            if i != 0 {
                prop_assert_eq!(flags, MAP_PRIVATE | MAP_FIXED);
                prop_assert_eq!(addr, pagestart(bias.wrapping_add(ph.p_vaddr)));
            } else if has_interp || probed {
                prop_assert_eq!(flags, MAP_PRIVATE | MAP_FIXED_NOREPLACE);
                prop_assert_eq!(addr, pagestart(bias.wrapping_add(ph.p_vaddr)));
            } else {
                // Only a hint: PAGESTART(PAGESTART(0 - v) + v), which is 0 for a
                // page-aligned first p_vaddr and 0xffff_ffff_ffff_f000 otherwise.
                prop_assert_eq!((addr, flags), (pagestart(planned.wrapping_add(vaddr0)), MAP_PRIVATE));
            }
        }
        prop_assert!(mmaps.next().is_none());
        let highest_end = phdrs.iter().map(|p| p.p_vaddr + p.p_memsz).max().unwrap_or(0);
        prop_assert_eq!(layout.elf_brk, bias.wrapping_add(highest_end));
    }
}
