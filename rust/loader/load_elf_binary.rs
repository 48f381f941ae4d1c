// SPDX-License-Identifier: GPL-2.0

//! `load_elf_binary()` (fs/binfmt_elf.c), step by step, for either ABI: built once
//! for x86_64 programs (binfmt_elf.c) and once for i386 programs (the same file
//! compiled as fs/compat_binfmt_elf.c), the macros that file redefines being the
//! [`ArchHooks`] and the core's [`Abi`].
//!
//! The decisions are the core's (`loader_core`); this file carries them out in the
//! order the C does, with the same errnos. Before `begin_new_exec()` an error is
//! returned to `execve()`; after it, the exec core turns any error into SIGSEGV, as
//! it does for binfmt_elf.
//!
//! Each step that changes the address space is told to a [`Watch`]: nobody
//! ([`Unwatched`], compiled away) unless the exec is filmed or traced
//! (rust/film/).
//!
//! No unsafe code: every call into the kernel goes through the thin wrappers of
//! bprm.rs, current.rs, new_mm.rs, interpreter.rs, symbols.rs and rng.rs.

#![forbid(unsafe_code)]

use kernel::error::{code::ENOEXEC, Error, Result};

use crate::bindings;
use crate::film::recorder::Recorder;
use crate::film::watch::{watching, Unwatched, Watch};
use crate::loader::arch_hooks::{ArchHooks, ExecProt};
use crate::loader_core::arch::Abi;
use crate::loader_core::auxv::AuxvFacts;
use crate::loader_core::class::ElfClass;
use crate::loader_core::effects::AddressSpace;
use crate::loader_core::elf::{Ehdr, ElfKind};
use crate::loader_core::errno::{Errno, LoadError};
use crate::loader_core::film::{map_names, prot_names, FilmStep, Outcome};
use crate::loader_core::interp::InterpPlan;
use crate::loader_core::layout::{Layout, LoadPlan, Platform};
use crate::loader_core::mman::{MAP_FIXED, MAP_PRIVATE, PROT_EXEC, PROT_READ};
use crate::loader_core::observe::Unobserved;
use crate::loader_core::page::PAGE_SIZE;
use crate::loader_core::phdr::{ExecStack, Phdrs};
use crate::loader_core::stack::{create_elf_tables, Tables, TablesInput};
use crate::wrappers::bprm::Bprm;
use crate::wrappers::current::{Current, MmLayout};
use crate::wrappers::file_buf::FileBuf;
use crate::wrappers::interpreter::Interpreter;
use crate::wrappers::new_mm::{mmap_anonymous, FileMapper, NewStack};
use crate::wrappers::rng;
use crate::wrappers::symbols::Symbols;

fn errno(e: Errno) -> Error {
    Error::from_errno(e.to_kernel())
}

fn load_error(e: LoadError) -> Error {
    Error::from_errno(e.to_kernel())
}

/// A step's `int` result as the film shows it.
fn outcome<T>(result: &Result<T>) -> Outcome {
    Outcome::Ret(match result {
        Ok(_) => 0,
        Err(e) => i64::from(e.to_errno()),
    })
}

/// What is known before the point of no return beyond the program's header: its
/// program headers and its interpreter, opened and checked.
struct Checked {
    /// The program header table (`elf_phdata`).
    table: FileBuf,
    interpreter: Option<Interpreter>,
    executable_stack: ExecStack,
    /// What `arch_elf_adjust_prot()` adds to executable segments.
    exec_prot: ExecProt,
}

/// Loads the program `bprm` describes, a file of the ABI `A`, or declines it with
/// `-ENOEXEC` where binfmt_elf (compat_binfmt_elf) would. Its header `ehdr`
/// (decoded from `bprm->buf`) has passed `Ehdr::check()` as `kind`, and its
/// program header table is `table_size` bytes.
pub(crate) fn load_elf_binary<A: ArchHooks>(
    bprm: &mut Bprm,
    ehdr: &Ehdr,
    kind: ElfKind,
    table_size: usize,
    symbols: &'static Symbols,
) -> Result {
    if watching() {
        return load_watched::<A>(bprm, ehdr, kind, table_size, symbols);
    }
    load::<A, Unwatched>(bprm, ehdr, kind, table_size, symbols, &mut Unwatched)
}

/// [`load_elf_binary`] of an exec that is filmed or traced: out of line, so the
/// unwatched exec's code stays as it is.
#[cold]
#[inline(never)]
fn load_watched<A: ArchHooks>(
    bprm: &mut Bprm,
    ehdr: &Ehdr,
    kind: ElfKind,
    table_size: usize,
    symbols: &'static Symbols,
) -> Result {
    let mut recorder = Recorder::start(bprm, <A::Class as ElfClass>::NAME);
    let result = load::<A, Recorder>(bprm, ehdr, kind, table_size, symbols, &mut recorder);
    recorder.finish(bprm, result.as_ref().map_or_else(|e| e.to_errno(), |()| 0));
    result
}

/// `load_elf_binary()` itself, telling `watch` of each step.
#[inline(always)]
fn load<A: ArchHooks, W: Watch>(
    bprm: &mut Bprm,
    ehdr: &Ehdr,
    kind: ElfKind,
    table_size: usize,
    symbols: &'static Symbols,
    watch: &mut W,
) -> Result {
    let mut checked = check::<A>(bprm, ehdr, table_size)?;
    let new_exec = bprm.begin_new_exec();
    watch.step(
        FilmStep::BeginNewExec,
        "begin_new_exec",
        format_args!("bprm"),
        outcome(&new_exec),
    );
    let new_exec = new_exec?;
    // Past the point of no return: every error below kills the process.
    let current = Current::get();
    let facts = setup_process::<A, W>(bprm, &current, &checked, kind, symbols, watch)?;
    let platform = facts.platform;
    let mut mm = current.new_mm(&new_exec);
    // The checked state stays where check() put it: taking the interpreter out
    // of it in place copies nothing.
    let exec_prot = checked.exec_prot;
    let has_interp = checked.interpreter.is_some();
    let program = bprm.file();

    let mut plan = LoadPlan::new(
        ehdr,
        kind,
        Phdrs::<A::Class>::new(checked.table.words()),
        has_interp,
        platform,
    );
    plan.set_exec_prot(exec_prot.program);
    let layout = {
        let mut vm = watch.mapper(FileMapper::new(&mm, program), FilmStep::ElfLoad);
        plan.run(&mut vm, &mut Unobserved)
    }
    .map_err(load_error)?;
    let (interp_load_addr, entry) = match checked.interpreter.take() {
        Some(interp) => {
            let loaded = {
                let mut vm =
                    watch.mapper(FileMapper::new(&mm, interp.file()), FilmStep::InterpLoad);
                load_elf_interp::<A>(
                    &interp,
                    layout.load_bias,
                    platform.task_size,
                    exec_prot.interp,
                    &mut vm,
                )
            };
            // The interpreter's file is released whatever happened (BE:1260-1261).
            drop(interp);
            loaded.map_err(load_error)?
        }
        None => (0, layout.entry_without_interp().map_err(errno)?),
    };
    // kfree(elf_phdata) (BE:1273): the program headers go here.
    drop(checked);

    // The process now belongs to binfmt_rs: it pins the module for as long as the
    // mm lives, and its core dumps go through this format.
    A::format().set_binfmt(&new_exec);

    let pages = A::setup_additional_pages(symbols, bprm, has_interp);
    watch.step(
        FilmStep::AdditionalPages,
        A::SETUP_ADDITIONAL_PAGES,
        format_args!("bprm, uses_interp={}", i32::from(has_interp)),
        outcome(&pages),
    );
    pages?;

    let tables =
        tables::<A>(bprm, &mm, ehdr, &layout, interp_load_addr, &facts, symbols).map_err(errno);
    if let Ok(tables) = &tables {
        bprm.set_p(tables.sp);
    }
    watch.step(
        FilmStep::CreateElfTables,
        "create_elf_tables",
        // e_entry and phdr_addr include the load bias, shown beside them.
        format_args!(
            "bprm, interp_load_addr={:#x}, e_entry={:#x}, phdr_addr={:#x}, load_bias={:#x}",
            interp_load_addr, layout.e_entry, layout.phdr_addr, layout.load_bias
        ),
        outcome(&tables),
    );
    tables?;

    let random_long = if platform.randomize && platform.randomize_va_space > 1 {
        rng::random_long()
    } else {
        0
    };
    let brk = layout.brk(random_long, cfg!(CONFIG_COMPAT_BRK), A::BRK_RND_RANGE);
    mm.set_layout(&MmLayout {
        start_code: layout.start_code,
        end_code: layout.end_code,
        start_data: layout.start_data,
        end_data: layout.end_data,
        start_stack: bprm.p(),
        start_brk: brk.start_brk,
        brk: brk.brk,
    });
    watch.step(
        FilmStep::SetBrk,
        if random_long != 0 {
            "arch_randomize_brk"
        } else {
            "ELF_PAGEALIGN"
        },
        format_args!("start_brk={:#x}", brk.start_brk),
        Outcome::Addr(brk.brk),
    );

    if current.personality() & bindings::MMAP_PAGE_ZERO != 0 {
        map_page_zero(symbols, watch);
    }
    start_thread::<A>(&current, bprm, entry, symbols);
    watch.step(
        FilmStep::StartThread,
        A::START_THREAD,
        format_args!("regs, ip={:#x}, sp={:#x}", entry, bprm.p()),
        Outcome::Ret(0),
    );
    Ok(())
}

/// Everything `load_elf_binary()` checks before `begin_new_exec()` (BE:844-994)
/// beyond the header itself, with the same errnos.
#[inline(always)]
fn check<A: ArchHooks>(bprm: &mut Bprm, ehdr: &Ehdr, table_size: usize) -> Result<Checked> {
    if !bprm.file_can_mmap() {
        return Err(ENOEXEC);
    }
    // mirrors load_elf_phdrs(): any failure leaves retval at -ENOEXEC.
    let table = bprm
        .read_buf(table_size, ehdr.e_phoff)
        .map_err(|_| ENOEXEC)?;
    let phdrs = Phdrs::<A::Class>::new(table.words());

    // Only the first PT_INTERP counts (BE:918).
    let first = phdrs.first_loops(A::GNU_PROPERTY);
    let executable_stack = first.stack;
    let mut interpreter = match first.interp {
        Some(interp) => Some(Interpreter::open::<A::Class>(bprm, &interp)?),
        None => None,
    };
    if let Some(interp) = interpreter.as_mut() {
        interp.read_phdrs::<A>()?;
    }
    // parse_elf_properties(): nothing on x86, arm64's BTI note (BE:980-983).
    let interp_phdrs = interpreter
        .as_ref()
        .map(|i| Phdrs::<A::Class>::new(i.phdrs()));
    let exec_prot = A::elf_properties(
        bprm,
        interpreter.as_ref(),
        first.property,
        interp_phdrs.as_ref(),
    )?;
    // arch_elf_pt_proc() and arch_check_elf() accept everything on x86_64 and
    // arm64.
    Ok(Checked {
        table,
        interpreter,
        executable_stack,
        exec_prot,
    })
}

/// What the rest of the exec needs to know of the kernel and the task once the
/// personality is set.
struct ExecFacts {
    /// For the PT_LOAD loop, with the `randomize_va_space` snapshot the brk will be
    /// decided by.
    platform: Platform,
    /// `ELF_HWCAP` where it is a value the task's constants read (x86).
    elf_hwcap: u64,
    /// `current->personality` after `SET_PERSONALITY()`.
    personality: u32,
}

/// The process-wide set-up between `begin_new_exec()` and the PT_LOAD loop
/// (BE:1003-1018): the personality, `PF_RANDOMIZE`, `setup_new_exec()` and the stack.
#[inline(always)]
fn setup_process<A: ArchHooks, W: Watch>(
    bprm: &mut Bprm,
    current: &Current,
    checked: &Checked,
    kind: ElfKind,
    symbols: &'static Symbols,
    watch: &mut W,
) -> Result<ExecFacts> {
    // SET_PERSONALITY() right after begin_new_exec(), as BE:1003 does.
    A::set_personality(symbols, bprm);
    // elf_read_implies_exec(): for a 32-bit program without PT_GNU_STACK, every
    // readable mapping from here on is executable too (BE:1004-1005).
    if A::read_implies_exec(checked.executable_stack) {
        current.set_read_implies_exec();
    }

    // The sysctl is read once and the same value decides PF_RANDOMIZE and the brk
    // (CVE-2024-46826).
    let randomize_va_space = symbols.randomize_va_space();
    if current.personality() & bindings::ADDR_NO_RANDOMIZE == 0 && randomize_va_space != 0 {
        current.set_randomize();
    }
    bprm.setup_new_exec();
    // SET_PERSONALITY() has run, so the per-task values (STACK_TOP, TASK_SIZE,
    // ELF_ET_DYN_BASE) are final.
    let constants = current.task_constants(A::COMPAT);

    // The stack: __bprm_mm_init() (fs/exec.c) made a one-page VMA at STACK_TOP_MAX
    // before any binfmt ran, and copy_strings() filled its top with the file name,
    // envp and argv, growing it down. setup_arg_pages() finishes it: it moves the
    // VMA (page tables included) down to the randomised stack_top, applies the
    // PT_GNU_STACK decision to its protection, clears VM_STACK_INCOMPLETE_SETUP and
    // expands it by 128 KiB (within RLIMIT_STACK), adjusting bprm->p and bprm->exec
    // by the distance moved.
    // setup_new_exec() has run, so STACK_TOP and PF_RANDOMIZE are final.
    let stack_top = symbols.randomize_stack_top(constants.stack_top);
    let pages = bprm.setup_arg_pages(stack_top, checked.executable_stack as i32);
    watch.step(
        FilmStep::SetupArgPages,
        "setup_arg_pages",
        format_args!(
            "bprm, stack_top={:#x}, executable_stack={}",
            stack_top,
            checked.executable_stack.c_name()
        ),
        outcome(&pages),
    );
    pages?;

    let randomize = current.randomizes();
    // The C calls arch_mmap_rnd() only for the load bias of a PIE program with an
    // interpreter (BE:1125-1129): other execs need no random long.
    let wants_mmap_rnd = randomize && kind == ElfKind::Dyn && checked.interpreter.is_some();
    let mmap_rnd = if wants_mmap_rnd {
        symbols.arch_mmap_rnd()
    } else {
        0
    };
    Ok(ExecFacts {
        platform: Platform {
            task_size: constants.task_size,
            elf_et_dyn_base: constants.elf_et_dyn_base,
            randomize,
            randomize_va_space,
            mmap_rnd,
        },
        elf_hwcap: constants.elf_hwcap,
        personality: current.personality(),
    })
}

/// The `MMAP_PAGE_ZERO` personality (BE:1334-1346): SVr4 maps page 0 read-only and
/// some programs rely on it. The mapping's failure is ignored, the seal's only
/// reported.
#[inline(always)]
fn map_page_zero(symbols: &'static Symbols, watch: &mut impl Watch) {
    let (prot, flags) = (PROT_READ | PROT_EXEC, MAP_FIXED | MAP_PRIVATE);
    let got = mmap_anonymous(0, PAGE_SIZE, prot, flags);
    watch.step(
        FilmStep::PageZero,
        "vm_mmap",
        format_args!(
            "addr=0x0, len={PAGE_SIZE:#x}, prot={}, flags={}, off=0x0",
            prot_names(prot),
            map_names(flags)
        ),
        Outcome::Addr(got),
    );
    let ret = symbols.do_mseal(0, PAGE_SIZE, 0);
    if ret != 0 {
        Current::report_page_zero_seal(ret);
    }
}

/// `ELF_PLAT_INIT()`, `finalize_exec()` and `START_THREAD()` (BE:1348-1364): clear
/// the registers the ABI wants cleared and return to user space at `entry` with the
/// stack pointer at argc.
#[inline(always)]
fn start_thread<A: ArchHooks>(current: &Current, bprm: &mut Bprm, entry: u64, symbols: &Symbols) {
    // finalize_exec() only stores the stack rlimit, and ELF_PLAT_INIT() only sets
    // registers, so the rlimit may go first: the C's two macros are then one call.
    bprm.finalize_exec();
    A::start_thread(symbols, current, entry, bprm.p());
}

/// `load_elf_interp()` (BE:631-707) and the entry point it gives (BE:1241-1257),
/// driven by the core: returns `(interp_load_addr, elf_entry)`.
#[inline(always)]
fn load_elf_interp<A: Abi>(
    interp: &Interpreter,
    no_base: u64,
    task_size: u64,
    exec_prot: u32,
    vm: &mut impl AddressSpace,
) -> Result<(u64, u64), LoadError> {
    let phdrs = Phdrs::<A::Class>::new(interp.phdrs());
    let mut plan =
        InterpPlan::<A>::new(&interp.ehdr, phdrs, no_base, interp.can_mmap(), task_size)?;
    plan.set_exec_prot(exec_prot);
    plan.run(vm, &mut Unobserved)
}

/// `create_elf_tables()` on what it reads from the bprm, the task and the
/// kernel. The auxv is built in mm->saved_auxv itself, as the C builds it: before
/// the stack is written, so that a core dump after a fault there shows it. The
/// inputs are read where they are used, not returned: a copy of them would be a
/// `memcpy()` the C does not make.
#[inline(always)]
fn tables<A: ArchHooks>(
    bprm: &Bprm,
    mm: &crate::wrappers::current::Mm,
    ehdr: &Ehdr,
    layout: &Layout,
    interp_load_addr: u64,
    facts: &ExecFacts,
    symbols: &'static Symbols,
) -> Result<Tables, Errno> {
    let (argc, envc) = bprm.argc_envc();
    // What C writes for us (the ids here, the random bytes below) goes to locals
    // of its own: a pointer into `input` handed to C would keep all of its fields
    // in memory.
    let ids = Current::ids();
    // The C's two draws, in its order: arch_align_stack()'s, which reads the live
    // sysctl, not the snapshot, then AT_RANDOM's bytes.
    let live_randomize = symbols.randomize_va_space() != 0;
    let align_random = (facts.personality & bindings::ADDR_NO_RANDOMIZE == 0 && live_randomize)
        .then(|| rng::random_u32_below(A::ALIGN_STACK_RND));
    let rand_bytes = rng::random_bytes();
    // Filled in place, each value where it is read: nothing is gathered first and
    // copied in afterwards.
    let mut input = TablesInput {
        p: bprm.p(),
        arg_start: mm.arg_start(),
        align_random,
        platform: Some(A::ELF_PLATFORM),
        rand_bytes: &rand_bytes,
        argc,
        envc,
        auxv: AuxvFacts {
            phdr: layout.phdr_addr,
            phnum: ehdr.e_phnum,
            base: interp_load_addr,
            preserve_argv0: bprm.preserve_argv0(),
            entry: layout.e_entry,
            secure: bprm.secureexec(),
            execfn: bprm.exec(),
            execfd: bprm.execfd(),
            rseq: cfg!(CONFIG_RSEQ),
            ids,
            ..AuxvFacts::default()
        },
    };
    A::push_dlinfo(
        &A::dlinfo_facts(symbols, mm.vdso()),
        &mut input.auxv.arch_dlinfo,
    );
    (input.auxv.hwcap, input.auxv.hwcap2) = A::hwcaps(symbols, facts.elf_hwcap);
    create_elf_tables::<A::Class>(&input, &mut mm.saved_auxv(), &mut NewStack { mm, symbols })
}
