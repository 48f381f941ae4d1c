// SPDX-License-Identifier: GPL-2.0

//! `create_elf_tables::<Elf64>()` (BE:155-349) on a stack laid out as exec leaves it
//! (`copy_strings()` in fs/exec.c: the file name at `vm_end - 8`, then the envp and
//! argv strings below it), with any number and size of strings, with or without a
//! platform string, any auxv facts and any stack limit.
//!
//! What it writes must fit between the new stack pointer and `bprm->p`, never
//! touching the strings, and the stack pointer at argc must be 16-byte aligned: the
//! x86_64 ABI requires it at process entry and `STACK_ROUND()` provides it.

#![no_main]

use arbitrary::Arbitrary;
use binfmt_rs_core::arch::x86::{ELF_PLATFORM, STACK_TOP, X86_64};
use binfmt_rs_core::arch::{Abi, DlinfoFacts};
use binfmt_rs_core::auxv::{AuxvFacts, AT_RANDOM, AT_VECTOR_SIZE};
use binfmt_rs_core::class::Elf64;
use binfmt_rs_core::effects::MmArgs;
use binfmt_rs_core::errno::Errno;
use binfmt_rs_core::stack::{create_elf_tables, TablesInput};
use binfmt_rs_testkit::user_stack::Stack;
use libfuzzer_sys::fuzz_target;

const PAGE_SIZE: u64 = 4096;
/// The most the stack may grow below the strings here (`RLIMIT_STACK`, kept small).
const MAX_LIMIT: u32 = 64 * 1024;

#[derive(Arbitrary, Debug)]
struct Input {
    /// Lengths of the argv strings, NUL excluded.
    argv: Vec<u8>,
    /// Lengths of the envp strings, NUL excluded.
    envp: Vec<u8>,
    /// Length of the file name (`bprm->exec`), NUL excluded.
    filename_len: u8,
    /// `bprm->argc` and `bprm->envc` when they differ from the strings copied.
    counts: Option<(u32, u32)>,
    /// `randomize_stack_top()`'s offset, in pages.
    stack_random: u32,
    /// `get_random_u32_below(8192)` for `arch_align_stack()`.
    align_random: Option<u16>,
    /// `ELF_PLATFORM`, or an arch without one.
    platform: bool,
    rand_bytes: [u8; 16],
    facts: Facts,
    /// How far below the strings the stack may grow, in bytes.
    limit: u32,
    /// How much of that `setup_arg_pages()` already mapped (`stack_expand`).
    premapped: u32,
    /// A fatal signal interrupts `mmap_write_lock_killable()`.
    interrupted: bool,
}

/// `AuxvFacts`, all of it arbitrary.
#[derive(Arbitrary, Debug)]
struct Facts {
    sysinfo_ehdr: Option<u64>,
    minsigstksz: u64,
    hwcap: u64,
    hwcap2: u64,
    phdr: u64,
    phnum: u16,
    base: u64,
    preserve_argv0: bool,
    entry: u64,
    ids: [u32; 4],
    secure: bool,
    execfd: Option<i32>,
    rseq: bool,
}

fuzz_target!(|input: Input| {
    let vm_end = STACK_TOP - (u64::from(input.stack_random & 0x3f_ffff) << 12);
    let limit = u64::from(input.limit % MAX_LIMIT);
    let strings: u64 = [input.filename_len]
        .iter()
        .chain(&input.argv)
        .chain(&input.envp)
        .map(|&n| u64::from(n) + 1)
        .sum();
    // The lowest page the stack may reach: the stack VMA is [base, vm_end) at most.
    let base = (vm_end - 8 - strings - limit) & !(PAGE_SIZE - 1);
    let mut stack = Stack::new(vm_end, (vm_end - base) as usize);
    stack.interrupted = input.interrupted;

    // copy_strings(): bprm->p = vm_end - sizeof(void *), then the file name, then
    // envp and argv, each last string first, so argv[0] is lowest.
    let mut p = vm_end - 8;
    let xs = [b'x'; 255];
    let mut place = |stack: &mut Stack, len: u8| {
        p -= u64::from(len) + 1;
        stack.place(p, &xs[..usize::from(len)]);
        p
    };
    let exec = place(&mut stack, input.filename_len);
    let mut envp: Vec<u64> = input
        .envp
        .iter()
        .rev()
        .map(|&n| place(&mut stack, n))
        .collect();
    let mut argv: Vec<u64> = input
        .argv
        .iter()
        .rev()
        .map(|&n| place(&mut stack, n))
        .collect();
    envp.reverse();
    argv.reverse();
    let arg_start = p;
    // setup_arg_pages() maps the strings' pages and stack_expand below them.
    let premapped = u64::from(input.premapped) % (limit + 1);
    let strings_page = arg_start & !(PAGE_SIZE - 1);
    stack.vm_start = (strings_page.saturating_sub(premapped) & !(PAGE_SIZE - 1)).max(base);
    let mapped_before = stack.vm_start;

    let f = &input.facts;
    let facts = AuxvFacts {
        arch_dlinfo: X86_64::dlinfo(&DlinfoFacts {
            vdso: f.sysinfo_ehdr.unwrap_or(0),
            vdso_enabled: f.sysinfo_ehdr.is_some(),
            vdso_entry: 0,
            minsigstksz: f.minsigstksz,
        }),
        hwcap: f.hwcap,
        hwcap2: f.hwcap2,
        phdr: f.phdr,
        phnum: f.phnum,
        base: f.base,
        preserve_argv0: f.preserve_argv0,
        entry: f.entry,
        ids: f.ids,
        secure: f.secure,
        execfn: exec,
        execfd: f.execfd,
        rseq: f.rseq,
    };
    let (argc, envc) = input
        .counts
        .unwrap_or((argv.len() as u32, envp.len() as u32));
    let align_random = input.align_random.map(|r| u32::from(r) % 8192);
    let tables_input = TablesInput {
        p: arg_start,
        arg_start,
        align_random,
        platform: input.platform.then_some(ELF_PLATFORM),
        rand_bytes: &input.rand_bytes,
        argc,
        envc,
        auxv: facts,
    };
    let mut saved = [0xa5u64; AT_VECTOR_SIZE];
    let result = create_elf_tables::<Elf64>(&tables_input, &mut saved, &mut stack);

    // The layout create_elf_tables::<Elf64>() computes, worked out here independently.
    let p_aligned = (arg_start - u64::from(align_random.unwrap_or(0))) & !15;
    let u_platform = input.platform.then(|| p_aligned - 7);
    let u_rand = u_platform.unwrap_or(p_aligned) - 16;
    // 18 entries always, the optional ones (the rseq pair with CONFIG_RSEQ), and
    // AT_NULL: two words each.
    let optional = [f.sysinfo_ehdr.is_some(), input.platform, f.execfd.is_some()];
    let rseq = if f.rseq { 2 } else { 0 };
    let ei_index = 2 * (18 + rseq + optional.iter().filter(|&&b| b).count()) + 2;
    let items = u64::from(argc) + u64::from(envc) + 3;
    let sp = u_rand
        .checked_sub(8 * (ei_index as u64 + items))
        .map(|v| v & !15);

    // The strings create_elf_tables::<Elf64>() walks from arg_start, in address order:
    // argv, envp, the file name, then the zero bytes above bprm->p, each a string of
    // its own; vm_end is unmapped. Asking for more strings than that is -EINVAL.
    let walk: Vec<u64> = argv
        .iter()
        .chain(&envp)
        .copied()
        .chain(std::iter::once(exec))
        .chain(vm_end - 8..vm_end)
        .collect();
    let string_end = |i: u64| {
        usize::try_from(i)
            .ok()
            .and_then(|i| walk.get(i))
            .copied()
            .unwrap_or(vm_end)
    };
    let strings_found = u64::from(argc) + u64::from(envc) <= walk.len() as u64;
    let expected = if u_rand < mapped_before || sp.is_none() {
        Err(Errno::Fault)
    } else if input.interrupted {
        Err(Errno::Intr)
    } else if sp.is_some_and(|sp| sp < base) {
        Err(Errno::Fault)
    } else if !strings_found {
        Err(Errno::Inval)
    } else {
        Ok(())
    };
    assert_eq!(result.map(|_| ()), expected);
    // The mm fields the C has set when it returns (BE:311-343): none before the
    // walk, arg_end = arg_start during argv, env_start = env_end = arg_end during
    // envp.
    let argv_end = string_end(u64::from(argc));
    let expected_args = match expected {
        Ok(()) => Some(MmArgs {
            arg_end: Some(argv_end),
            env: Some((argv_end, string_end(u64::from(argc) + u64::from(envc)))),
        }),
        Err(Errno::Inval) if u64::from(argc) > walk.len() as u64 => Some(MmArgs {
            arg_end: Some(arg_start),
            env: None,
        }),
        Err(Errno::Inval) => Some(MmArgs {
            arg_end: Some(argv_end),
            env: Some((argv_end, argv_end)),
        }),
        Err(_) => None,
    };
    assert_eq!(stack.mm_args, expected_args);
    let Ok(tables) = result else { return };

    // STACK_ROUND(): argc at a 16-byte boundary.
    assert_eq!(tables.sp % 16, 0);
    assert_eq!(Some(tables.sp), sp);
    assert_eq!(
        (tables.u_platform, tables.u_rand_bytes),
        (u_platform, u_rand)
    );
    assert_eq!(tables.ei_index, ei_index);
    assert_eq!(tables.auxv_addr, tables.sp + 8 * items);
    // The auxv ends less than 16 bytes below the random bytes: the padding.
    let auxv_end = tables.auxv_addr + 8 * ei_index as u64;
    assert!(auxv_end <= u_rand && u_rand - auxv_end < 16);
    // Everything written lies in [sp, arch_align_stack(p)), below the strings.
    for &(start, end) in &stack.writes {
        assert!(
            tables.sp <= start && end <= p_aligned,
            "{start:#x}..{end:#x}"
        );
    }

    // What the program finds at its stack pointer.
    assert_eq!(stack.word(tables.sp), u64::from(argc));
    let mut at = tables.sp + 8;
    let (argc, envc) = (argc as usize, envc as usize);
    let argv_on_stack = walk[..argc].iter().chain(&[0]);
    let envp_on_stack = walk[argc..argc + envc].iter().chain(&[0]);
    for &s in argv_on_stack.chain(envp_on_stack) {
        assert_eq!(stack.word(at), s);
        at += 8;
    }
    assert_eq!(at, tables.auxv_addr);
    for (i, &w) in saved.iter().enumerate() {
        if i < ei_index {
            assert_eq!(stack.word(tables.auxv_addr + 8 * i as u64), w);
        } else {
            assert_eq!(w, 0, "memset of saved_auxv past AT_NULL");
        }
    }
    assert_eq!(&saved[ei_index - 2..ei_index], &[0, 0]);
    let random = saved[..ei_index].chunks(2).find(|e| e[0] == AT_RANDOM);
    assert_eq!(random.map(|e| e[1]), Some(u_rand));
    assert_eq!(stack.bytes_at(u_rand, 16), Some(&input.rand_bytes[..]));
    if let Some(at) = u_platform {
        assert_eq!(
            stack.bytes_at(at, 7),
            Some(ELF_PLATFORM.to_bytes_with_nul())
        );
    }
    // mm->arg_end, env_start and env_end bound the strings.
    let arg_end = string_end(argc as u64);
    let env_end = string_end((argc + envc) as u64);
    assert_eq!(
        (tables.arg_end, tables.env_start, tables.env_end),
        (arg_end, arg_end, env_end)
    );
    if argc == argv.len() && envc == envp.len() {
        assert_eq!(
            (arg_end, env_end),
            (envp.first().copied().unwrap_or(exec), exec)
        );
    }
});
