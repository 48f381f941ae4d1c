// SPDX-License-Identifier: GPL-2.0

//! The PT_LOAD loop of `load_elf_binary()` (`LoadPlan`) and `load_elf_interp()`
//! (`InterpPlan`), driven to the end against the address-space model of
//! `binfmt_rs_testkit::mm`, which answers `vm_mmap()`, `vm_munmap()`,
//! `vm_brk_flags()` and `clear_user()` as 6.12's mm does.
//!
//! Input: a fixed-size block decoded with `arbitrary` into the [`Env`] of the exec
//! (randomisation, other mappings, failures to inject), a little-endian `u16` length
//! and that many bytes of the program file, then the interpreter file. Both files
//! are read as the kernel reads them: the header from their start, the program
//! header table from `e_phoff`, the PT_INTERP path from its `p_offset`.

#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use binfmt_rs_core::arch::x86::X86_64;
use binfmt_rs_core::arch::x86::{ELF_ET_DYN_BASE, STACK_TOP};
use binfmt_rs_core::arch::Abi;
use binfmt_rs_core::class::Elf64;
use binfmt_rs_core::elf::{Ehdr, ElfKind, ET_DYN, ET_EXEC};
use binfmt_rs_core::errno::{Errno, LoadError};
use binfmt_rs_core::interp::{
    check_interp_header, check_interp_path, check_interp_size, interp_entry, InterpPlan,
};
use binfmt_rs_core::layout::{Layout, LoadPlan, Platform, Unmap};
use binfmt_rs_core::mman::{MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_PRIVATE, PROT_READ};
use binfmt_rs_core::observe::{Step, StepObserver};
use binfmt_rs_core::page::is_err_value;
use binfmt_rs_core::phdr::{make_prot, Phdr, Phdrs};
use binfmt_rs_core::random::arch_mmap_rnd;
use binfmt_rs_core::segment::{LoadExtent, SegmentMapping};
use binfmt_rs_testkit::elf::words;
use binfmt_rs_testkit::mm::{
    Call, Mm, Owner, EAGAIN, EINTR, ENOMEM, MM_ERRNOS, PAGE_SIZE, TASK_SIZE,
};
use libfuzzer_sys::fuzz_target;

/// Bytes of input given to [`Env`]; what it does not use is ignored.
const ENV_LEN: usize = 40;
/// `-EFAULT`: `padzero()` failed on a writable segment.
const EFAULT: i32 = -14;

/// The facts of the exec besides the two files. All zero is a plain exec with ASLR.
#[derive(Arbitrary, Debug)]
struct Env {
    /// `ADDR_NO_RANDOMIZE`.
    no_randomize: bool,
    /// `2 - randomize_va_space`, modulo 3.
    va_space: u8,
    /// `get_random_long()` for `arch_mmap_rnd()` (28 bits of pages).
    mmap_random: u64,
    /// The stack's `randomize_stack_top()` offset, in pages (22 bits).
    stack_random: u32,
    /// `CAP_SYS_RAWIO`: fixed mappings below `mmap_min_addr` are allowed.
    privileged: bool,
    /// The mm call (from 1) that fails as if interrupted or out of memory; 0 for none.
    fail_at: u8,
    /// Which of `ENOMEM`, `EINTR`, `EAGAIN` it fails with.
    fail_errno: u8,
    /// Mappings besides the stack: start in units of 32 KiB, length in pages.
    others: [(u32, u16); 2],
    /// The program file's size in pages, for `clear_user()` past its end; 0 when the
    /// file is larger than anything it maps.
    file_pages: u16,
    /// The interpreter's filesystem has no `mmap`.
    interp_cannot_mmap: bool,
    /// `get_random_long()` for `arch_randomize_brk()`.
    brk_random: u64,
}

fn read(file: &[u8], offset: u64, len: usize) -> Option<&[u8]> {
    let at = usize::try_from(offset).ok()?;
    file.get(at..at.checked_add(len)?)
}

/// A file's header and program header table, if `load_elf_phdrs()` reads one.
fn headers(file: &[u8]) -> Option<(Ehdr, &[u8])> {
    let ehdr = Ehdr::from_prefix::<Elf64>(file);
    let size = ehdr.phdr_table_size::<Elf64>()?;
    Some((ehdr, read(file, ehdr.e_phoff, size)?))
}

fuzz_target!(|data: &[u8]| {
    let (env_bytes, rest) = data.split_at(data.len().min(ENV_LEN));
    let Ok(env) = Env::arbitrary(&mut Unstructured::new(env_bytes)) else {
        return;
    };
    let (len, rest) = rest.split_at(rest.len().min(2));
    let len = usize::from(u16::from_le_bytes([
        len.first().copied().unwrap_or(0),
        len.get(1).copied().unwrap_or(0),
    ]));
    let (program, interp) = rest.split_at(rest.len().min(len));
    exec(&env, program, interp);
});

/// What `load_elf_binary()` checks before the point of no return, then the loads.
fn exec(env: &Env, program: &[u8], interp_file: &[u8]) -> Option<()> {
    let (ehdr, table) = headers(program)?;
    let kind = ehdr.check::<X86_64>().ok()?;
    // Each table read into a kmalloc() buffer: its words.
    let program_words = words::<Elf64>(table);
    let phdrs = Phdrs::<Elf64>::new(&program_words);
    let interp_words;
    let interp = match phdrs.first_interp() {
        None => None,
        Some(ph) => {
            let path = read(program, ph.p_offset, check_interp_size(&ph).ok()?)?;
            check_interp_path(path).ok()?;
            let (iehdr, itable) = headers(interp_file)?;
            check_interp_header::<X86_64>(&iehdr).ok()?;
            interp_words = words::<Elf64>(itable);
            Some((iehdr, Phdrs::<Elf64>::new(&interp_words)))
        }
    };

    // PF_RANDOMIZE: !(personality & ADDR_NO_RANDOMIZE) && randomize_va_space.
    let va_space = 2 - i32::from(env.va_space % 3);
    let randomize = !env.no_randomize && va_space > 0;
    let platform = Platform {
        task_size: TASK_SIZE,
        elf_et_dyn_base: ELF_ET_DYN_BASE,
        randomize,
        randomize_va_space: va_space,
        mmap_rnd: if randomize {
            arch_mmap_rnd(28, env.mmap_random)
        } else {
            0
        },
    };
    let mut mm = address_space(env, &platform);

    let layout = load_program(env, &mut mm, &ehdr, kind, phdrs, interp.is_some(), platform)?;
    let (iehdr, iphdrs) = interp?;
    load_interp(env, &mut mm, &iehdr, iphdrs, layout.load_bias);
    Some(())
}

/// The address space after `setup_arg_pages()`: the stack, and the mappings of
/// [`Env::others`], which stand for anything else a load could run into.
fn address_space(env: &Env, platform: &Platform) -> Mm {
    let fail_errno = [ENOMEM, EINTR, EAGAIN][usize::from(env.fail_errno % 3)];
    let fail_at = (env.fail_at != 0).then_some((u32::from(env.fail_at), fail_errno));
    // mmap_base(): TASK_SIZE less the stack gap (at least 128 MiB; 8 MiB of
    // RLIMIT_STACK, the guard gap and the stack's random range) and arch_mmap_rnd().
    let stack_rnd_range = if platform.randomize {
        0x3f_ffff << 12
    } else {
        0
    };
    let gap = (0x80_0000 + 0x10_0000 + stack_rnd_range).max(0x800_0000);
    let mut mm = Mm::new(TASK_SIZE - gap - platform.mmap_rnd, env.privileged, fail_at);
    let stack_rnd = if platform.randomize {
        u64::from(env.stack_random & 0x3f_ffff) << 12
    } else {
        0
    };
    // The stack, below randomize_stack_top().
    mm.map_stack(STACK_TOP - stack_rnd);
    for &(start, pages) in &env.others {
        let start = u64::from(start) << 15;
        mm.map_other(
            start,
            start + u64::from(pages) * PAGE_SIZE,
            PROT_READ,
            false,
        );
    }
    mm.file_size = match env.file_pages {
        0 => u64::MAX,
        pages => u64::from(pages) * PAGE_SIZE,
    };
    mm
}

/// Whether the kernel promises that an image's mappings stay inside the span its
/// first mapping reserved: an ET_DYN image, whose first PT_LOAD has a file part
/// (only `elf_map()` reserves `total_size`) and the lowest `p_vaddr` (the span
/// starts there), and none of whose PT_LOADs maps more file than memory or wraps.
/// The ELF spec's ascending `p_vaddr` order gives the second. For anything else
/// the later `MAP_FIXED` mappings and `vm_brk_flags()` may replace whatever is
/// there, in the kernel as here.
fn stays_in_its_span(is_dyn: bool, loads: &[Phdr]) -> bool {
    is_dyn
        && loads.first().is_some_and(|p| p.p_filesz != 0)
        && loads.windows(2).all(|w| w[0].p_vaddr <= w[1].p_vaddr)
        && loads
            .iter()
            .all(|p| p.p_filesz <= p.p_memsz && p.p_vaddr.checked_add(p.p_memsz).is_some())
}

/// After a successful loop: every PT_LOAD lies below `TASK_SIZE` at `bias +
/// p_vaddr`, mapped whole by the image itself.
fn check_placed(mm: &Mm, loads: &[Phdr], bias: u64, owner: Owner) {
    for p in loads.iter().filter(|p| p.p_memsz != 0) {
        let start = bias.wrapping_add(p.p_vaddr);
        let end = start.checked_add(p.p_memsz);
        assert!(end.is_some_and(|e| e <= TASK_SIZE), "{p:?} at {start:#x}");
        let end = end.unwrap_or(start);
        assert!(
            mm.covered_by(start, end, owner),
            "{p:?} at {start:#x} not mapped"
        );
    }
}

/// What every mm call of `elf_load()` looks like, whatever the file says.
fn check_calls(calls: &[Call]) {
    for (i, call) in calls.iter().enumerate() {
        match *call {
            // elf_map(): ELF_PAGESTART(addr), ELF_PAGEALIGN() sizes, MAP_PRIVATE.
            Call::Mmap {
                addr,
                len,
                flags,
                result,
                ..
            } => {
                assert!(addr % PAGE_SIZE == 0 && len % PAGE_SIZE == 0 && flags & MAP_PRIVATE != 0);
                let fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE) != 0;
                if fixed && result < TASK_SIZE {
                    assert_eq!(result, addr);
                }
                // The pr_info() of elf_map() follows each -EEXIST, and only those.
                let collision =
                    matches!(calls.get(i + 1), Some(Call::Collision { addr: a }) if *a == addr);
                let eexist = flags & MAP_FIXED_NOREPLACE != 0 && result == (-17i64) as u64;
                assert_eq!(collision, eexist);
            }
            // ELF_PAGEALIGN(zero_start); the probe's and the reservation's address.
            Call::Brk { addr, .. } | Call::Munmap { addr, .. } => assert_eq!(addr % PAGE_SIZE, 0),
            // padzero(): from inside a page to its end.
            Call::ClearUser { addr, len, .. } => {
                assert!(addr % PAGE_SIZE != 0 && addr.wrapping_add(len) % PAGE_SIZE == 0);
            }
            Call::Collision { .. } => {}
        }
    }
}

fn mapping_errno(v: i32) -> bool {
    v == EFAULT || MM_ERRNOS.iter().any(|&e| v == -e)
}

/// Checks each `elf_load()` of the program's loop against BE:1033-1173 as
/// `LoadPlan::run` reports it.
struct ProgramSteps<'l> {
    loads: &'l [Phdr],
    total: u64,
    is_dyn: bool,
    has_interp: bool,
    /// `maximum_alignment()`.
    align: u64,
    /// PT_LOADs mapped so far.
    k: usize,
    probed: bool,
}

impl StepObserver for ProgramSteps<'_> {
    fn mapping(&mut self, step: Step, m: &SegmentMapping) {
        let k = self.k;
        match step {
            Step::Probe => {
                // Only a static PIE aligned beyond a page probes, once, first.
                assert!(k == 0 && !self.probed && self.is_dyn && !self.has_interp);
                assert!(self.align > PAGE_SIZE);
                assert_eq!(
                    (m.addr, m.flags, m.total_size),
                    (0, MAP_PRIVATE, self.total)
                );
                assert_eq!(Some(m.phdr), self.loads.first().map(LoadExtent::of));
                self.probed = true;
                return;
            }
            Step::Program => {}
            Step::Interp => panic!("an interpreter step in the program's loop"),
        }
        let load = self.loads.get(k);
        assert_eq!(
            Some(m.phdr),
            load.map(LoadExtent::of),
            "PT_LOADs in file order"
        );
        // BE:1051-1059: MAP_FIXED after the first; the first ET_EXEC one, and an
        // ET_DYN one at a chosen address, with MAP_FIXED_NOREPLACE.
        let flags = if k > 0 {
            MAP_PRIVATE | MAP_FIXED
        } else if !self.is_dyn || self.has_interp || self.probed {
            MAP_PRIVATE | MAP_FIXED_NOREPLACE
        } else {
            MAP_PRIVATE
        };
        assert_eq!(m.flags, flags);
        let total = if k == 0 && self.is_dyn { self.total } else { 0 };
        assert_eq!(m.total_size, total);
        assert_eq!(Some(m.prot), load.map(|load| make_prot(load.p_flags)));
        if !self.is_dyn {
            assert_eq!(m.addr, m.phdr.p_vaddr);
        }
        self.k += 1;
    }

    fn unmapped(&mut self, unmap: &Unmap) {
        assert!(self.probed && self.k == 0);
        assert_eq!(unmap.len, self.total);
    }
}

/// The program's PT_LOAD loop, through `LoadPlan::run`, each step checked.
fn load_program(
    env: &Env,
    mm: &mut Mm,
    ehdr: &Ehdr,
    kind: ElfKind,
    phdrs: Phdrs<'_, Elf64>,
    has_interp: bool,
    platform: Platform,
) -> Option<Layout> {
    mm.owner = Owner::Program;
    let loads: Vec<Phdr> = phdrs.loads().collect();
    let is_dyn = kind == ElfKind::Dyn;
    let mut steps = ProgramSteps {
        loads: &loads,
        total: phdrs.total_mapping_size(),
        is_dyn,
        has_interp,
        align: phdrs.maximum_alignment(),
        k: 0,
        probed: false,
    };
    let result = LoadPlan::new(ehdr, kind, phdrs, has_interp, platform).run(mm, &mut steps);
    let k = steps.k;

    check_calls(&mm.calls);
    if stays_in_its_span(is_dyn, &loads) {
        assert!(mm.clobbered.is_empty(), "{:?}", mm.clobbered);
    }
    let layout = match result {
        Ok(layout) => layout,
        Err(LoadError::Errno(e)) => {
            // total_mapping_size() == 0, or the check after a mapping (BE:1213).
            assert_eq!(e, Errno::Inval);
            return None;
        }
        Err(LoadError::Mapping(v)) => {
            assert!(mapping_errno(v), "{v}");
            return None;
        }
    };
    assert_eq!(k, loads.len());
    assert_eq!(layout.load_bias % PAGE_SIZE, 0);
    if !is_dyn {
        assert_eq!(layout.load_bias, 0);
    }
    check_placed(mm, &loads, layout.load_bias, Owner::Program);
    assert_eq!(layout.e_entry, ehdr.e_entry.wrapping_add(layout.load_bias));
    assert_eq!(
        layout.entry_without_interp().is_ok(),
        layout.e_entry < TASK_SIZE
    );
    let brk = layout.brk(
        env.brk_random,
        env.brk_random & 1 == 0,
        X86_64::BRK_RND_RANGE,
    );
    assert!(brk.start_brk == brk.brk && brk.brk % PAGE_SIZE == 0);
    Some(layout)
}

/// Checks each `elf_load()` of the interpreter's loop against BE:664-680 as
/// `InterpPlan::run` reports it.
struct InterpSteps<'l> {
    loads: &'l [Phdr],
    total: u64,
    is_exec: bool,
    no_base: u64,
    /// PT_LOADs mapped so far.
    k: usize,
    /// A bad address that is no errno, which ends the loop (BE:678-680).
    ended_at: Option<u64>,
    /// What `load_elf_interp()` returned, once its loop ended.
    load_addr: Option<u64>,
}

impl StepObserver for InterpSteps<'_> {
    fn mapping(&mut self, step: Step, m: &SegmentMapping) {
        assert_eq!(step, Step::Interp);
        assert!(self.ended_at.is_none(), "a mapping after the loop ended");
        assert_eq!(Some(m.phdr), self.loads.get(self.k).map(LoadExtent::of));
        // Only an ET_EXEC interpreter, and every mapping after the first, is fixed;
        // the first of an ET_DYN one is placed by mmap, with the hint 0 under a
        // relocated program and its own p_vaddr otherwise (BE:664-676).
        if self.k == 0 {
            let fixed = if self.is_exec { MAP_FIXED } else { 0 };
            assert_eq!((m.flags, m.total_size), (MAP_PRIVATE | fixed, self.total));
            let hint = if self.is_exec || self.no_base == 0 {
                m.phdr.p_vaddr
            } else {
                0
            };
            assert_eq!(m.addr, hint);
        } else {
            assert_eq!((m.flags, m.total_size), (MAP_PRIVATE | MAP_FIXED, 0));
        }
        self.k += 1;
    }

    fn mapped(&mut self, _step: Step, _m: &SegmentMapping, landed: u64) {
        if landed >= TASK_SIZE && !is_err_value(landed) {
            self.ended_at = Some(landed);
        }
    }

    fn interp_loaded(&mut self, load_addr: u64) {
        self.load_addr = Some(load_addr);
    }
}

/// `load_elf_interp()` (BE:631-707) into the same address space.
fn load_interp(env: &Env, mm: &mut Mm, ehdr: &Ehdr, phdrs: Phdrs<'_, Elf64>, no_base: u64) {
    mm.owner = Owner::Interp;
    mm.file_size = u64::MAX;
    let calls_before = mm.calls.len();
    let clobbered_before = mm.clobbered.len();
    let loads: Vec<Phdr> = phdrs.loads().collect();
    let total = phdrs.total_mapping_size();
    let can_mmap = !env.interp_cannot_mmap;
    let is_exec = ehdr.e_type == ET_EXEC;
    let plan = match InterpPlan::<X86_64>::new(ehdr, phdrs, no_base, can_mmap, TASK_SIZE) {
        Ok(plan) => plan,
        Err(e) => {
            // ~0UL, i.e. -EPERM, for a type or a file it cannot map; -EINVAL for
            // an empty span.
            let refused = (!is_exec && ehdr.e_type != ET_DYN) || !can_mmap;
            let expected = if refused {
                LoadError::Mapping(-1)
            } else {
                LoadError::Errno(Errno::Inval)
            };
            assert_eq!(e, expected);
            assert!(refused || total == 0);
            return;
        }
    };
    let mut steps = InterpSteps {
        loads: &loads,
        total,
        is_exec,
        no_base,
        k: 0,
        ended_at: None,
        load_addr: None,
    };
    let run = plan.run(mm, &mut steps);
    let k = steps.k;
    let ended_at = steps.ended_at;
    // What load_elf_interp() returned, or the failure of its loop.
    let result = match (steps.load_addr, run) {
        (Some(load_addr), run) => {
            // BE:1241-1257: the entry is the caller's sum, a bad one its own errno
            // if it is an error value.
            match run {
                Ok((base, entry)) => {
                    assert_eq!(
                        (base, entry),
                        (load_addr, load_addr.wrapping_add(ehdr.e_entry))
                    );
                    assert!(entry < TASK_SIZE);
                }
                Err(e) => {
                    assert!(matches!(e, LoadError::Mapping(-4095..=-1)));
                    assert!(load_addr.wrapping_add(ehdr.e_entry) >= TASK_SIZE);
                }
            }
            assert_eq!(run, interp_entry(load_addr, ehdr.e_entry, TASK_SIZE));
            Ok(load_addr)
        }
        (None, Err(e)) => Err(e),
        (None, Ok(_)) => panic!("an entry without a load address"),
    };

    check_calls(&mm.calls[calls_before..]);
    if stays_in_its_span(!is_exec, &loads) {
        let clobbered = &mm.clobbered[clobbered_before..];
        assert!(clobbered.is_empty(), "{clobbered:?}");
    }
    match result {
        Ok(load_addr) => {
            if let Some(bad) = ended_at {
                // A segment that maps nothing gives it (an empty PT_LOAD, or one whose
                // size wraps to 0 in elf_map()); load_elf_interp() returns it, the
                // caller takes it for the load address, and no later PT_LOAD is mapped.
                assert_eq!(load_addr, bad);
                assert!(!is_err_value(bad));
                assert!(k <= loads.len());
            } else {
                assert_eq!(k, loads.len());
                check_placed(mm, &loads, load_addr, Owner::Interp);
                if is_exec {
                    assert_eq!(load_addr, 0);
                }
            }
        }
        // The check after each mapping is -ENOMEM here (BE:692-700).
        Err(LoadError::Errno(e)) => assert_eq!(e, Errno::NoMem),
        Err(LoadError::Mapping(v)) => assert!(mapping_errno(v), "{v}"),
    }
}
