// SPDX-License-Identifier: GPL-2.0

//! create_elf_tables() (BE:155-349) writing into the test kit's fake stack, laid
//! out as exec leaves it: file name, envp strings and argv strings below
//! `vm_end - 8`; for an x86_64 program and, with 4-byte words, an i386 one.

use binfmt_rs_core::arch::x86::{Ia32, ELF_PLATFORM, X86_64};
use binfmt_rs_core::arch::{Abi, DlinfoFacts};
use binfmt_rs_core::auxv::{
    ArchDlinfo, AuxvFacts, AT_EXECFN, AT_NULL, AT_PHENT, AT_RANDOM, AT_SYSINFO, AT_VECTOR_SIZE,
};
use binfmt_rs_core::class::{Elf32, Elf64};
use binfmt_rs_core::effects::MmArgs;
use binfmt_rs_core::errno::Errno;
use binfmt_rs_core::stack::{create_elf_tables, Tables, TablesInput, MAX_ARG_STRLEN};
use binfmt_rs_testkit::user_stack::Stack;
use proptest::prelude::*;

const VM_END: u64 = 0x7fff_ffff_f000;
const RAND: [u8; 16] = *b"0123456789abcdef";

/// The stack as exec leaves it: `bprm->p = vm_end - 8` (EX:295), then the file
/// name (`bprm->exec`), then envp and argv strings, each copied last-first so that
/// argv[0] ends up lowest. Returns the stack, `bprm->exec` and `mm->arg_start`.
fn exec_strings(filename: &[u8], argv: &[&[u8]], envp: &[&[u8]]) -> (Stack, u64, u64) {
    let mut stack = Stack::new(VM_END, 64 * 1024);
    let mut p = VM_END - 8;
    let mut push = |stack: &mut Stack, s: &[u8]| {
        p -= s.len() as u64;
        stack.place(p, s);
        p
    };
    let exec = push(&mut stack, filename);
    for s in envp.iter().rev().chain(argv.iter().rev()) {
        push(&mut stack, s);
    }
    (stack, exec, p)
}

/// x86_64's ARCH_DLINFO, with `vdso64_enabled` or without.
fn x86_64_dlinfo(vdso_enabled: bool) -> ArchDlinfo {
    X86_64::dlinfo(&DlinfoFacts {
        vdso: 0x7fff_f7ff_d000,
        vdso_enabled,
        vdso_entry: 0,
        minsigstksz: 0x6f0,
    })
}

/// The auxv of a static binary with the vDSO mapped: 22 entries and AT_NULL.
fn facts(execfn: u64) -> AuxvFacts {
    AuxvFacts {
        arch_dlinfo: x86_64_dlinfo(true),
        hwcap: 0x178b_fbff,
        hwcap2: 2,
        phdr: 0x40_0040,
        phnum: 6,
        base: 0,
        preserve_argv0: false,
        entry: 0x40_1650,
        ids: [0; 4],
        secure: false,
        execfn,
        execfd: None,
        rseq: true,
    }
}

fn input(p: u64, argc: u32, envc: u32, align: Option<u32>, execfn: u64) -> TablesInput<'static> {
    TablesInput {
        p,
        arg_start: p,
        align_random: align,
        platform: Some(ELF_PLATFORM),
        rand_bytes: &RAND,
        argc,
        envc,
        auxv: facts(execfn),
    }
}

#[test]
fn an_i386_stack_in_four_byte_words() {
    // compat_binfmt_elf on x86_64 with ASLR off: STACK_TOP is IA32_PAGE_OFFSET,
    // 0xffffe000, and bprm->p starts 8 bytes (a kernel pointer) below it. The same
    // 22-byte path: exec = 0xffffdfe2, arg_start = 0xffffdfcc; p = 0xffffdfc0;
    // "i686\0" at dfbb; random at dfab; 25 auxv pairs (ARCH_DLINFO_IA32's three,
    // AT_EXECFD, AT_NULL) are 50 words of 4 bytes: dfab - 0xc8 = dee3, minus 4 items of 4 bytes =
    // ded3, & ~15 = ded0.
    const TOP: u64 = 0xffff_e000;
    let path: &[u8] = b"/tmp/probe/static-elf\0";
    let mut stack = Stack::new(TOP, 64 * 1024);
    let exec = TOP - 8 - path.len() as u64;
    stack.place(exec, path);
    let arg_start = exec - path.len() as u64;
    stack.place(arg_start, path);
    let mut tables_input = input(arg_start, 1, 0, None, exec);
    tables_input.platform = Some(Ia32::ELF_PLATFORM);
    tables_input.auxv.arch_dlinfo = Ia32::dlinfo(&DlinfoFacts {
        vdso: 0xf7fc_4000,
        vdso_enabled: false,
        vdso_entry: 0xf7fc_4560,
        minsigstksz: 0x6f0,
    });
    tables_input.auxv.execfd = Some(-1);
    let mut saved = [0u32; 2 * AT_VECTOR_SIZE];
    let t = create_elf_tables::<Elf32>(&tables_input, &mut saved, &mut stack).unwrap();
    assert_eq!(
        (t.sp, t.u_platform, t.u_rand_bytes, t.auxv_addr, t.ei_index),
        (0xffff_ded0, Some(0xffff_dfbb), 0xffff_dfab, 0xffff_dee0, 50)
    );
    assert_eq!(stack.read(0xffff_dfbb, 5), b"i686\0");
    // argc, argv[0], NULL, NULL: 4-byte words.
    assert_eq!(stack.word32(0xffff_ded0), 1);
    assert_eq!(stack.word32(0xffff_ded4), 0xffff_dfcc);
    assert_eq!(stack.word32(0xffff_ded8), 0);
    assert_eq!(stack.word32(0xffff_dedc), 0);
    assert_eq!(
        stack.word32(0xffff_dee0),
        AT_SYSINFO as u32,
        "ARCH_DLINFO_IA32 first"
    );
    assert_eq!(stack.word32(0xffff_dee4), 0xf7fc_4560);
    assert_eq!(stack.word32(0xffff_dee0 + 7 * 8), AT_PHENT as u32);
    assert_eq!(stack.word32(0xffff_dee0 + 7 * 8 + 4), 32);
    // The execfd -1 stored in an Elf32_Addr, pair 21, then AT_NULL ending at dfa8.
    assert_eq!(stack.word32(0xffff_dee0 + 21 * 8 + 4), 0xffff_ffff);
    assert_eq!(stack.word32(0xffff_dfa0), AT_NULL as u32);
    assert_eq!(stack.read(0xffff_dfa8, 3), &[0; 3], "STACK_ROUND's padding");
    assert_eq!(&saved[..2], &[AT_SYSINFO as u32, 0xf7fc_4560]);
}

#[test]
fn matches_the_layout_observed_with_aslr_off() {
    // As 6.12 lays it out: argc 1, envc 0, 23 auxv pairs -> AT_RANDOM 0x7fffffffefa9,
    // rsp 0x7fffffffee10. A 22-byte path as file name and argv[0]:
    //   exec = 0x7fffffffeff8 - 22 = 0x7fffffffefe2, arg_start = 0x7fffffffefcc;
    //   p = 0x7fffffffefcc & ~0xf = 0x...efc0; platform at efc0 - 7 = efb9;
    //   random at efb9 - 16 = efa9; sp = efa9 - 46*8 (0x170) = ee39,
    //   minus items (1+1)+(0+1)+1 = 4 words = ee19, & ~15 = ee10.
    let path: &[u8] = b"/tmp/probe/static-elf\0";
    let (mut stack, exec, arg_start) = exec_strings(path, &[path], &[]);
    assert_eq!((exec, arg_start), (0x7fff_ffff_efe2, 0x7fff_ffff_efcc));
    let mut saved = [0u64; AT_VECTOR_SIZE];
    let t = create_elf_tables::<Elf64>(&input(arg_start, 1, 0, None, exec), &mut saved, &mut stack)
        .unwrap();
    assert_eq!(
        t,
        Tables {
            sp: 0x7fff_ffff_ee10,
            u_platform: Some(0x7fff_ffff_efb9),
            u_rand_bytes: 0x7fff_ffff_efa9,
            auxv_addr: 0x7fff_ffff_ee30,
            ei_index: 46,
            arg_end: 0x7fff_ffff_efe2,
            env_start: 0x7fff_ffff_efe2,
            env_end: 0x7fff_ffff_efe2,
        }
    );
    assert_eq!(stack.extended_to, Some(0x7fff_ffff_ee10));
    assert_eq!(stack.read(0x7fff_ffff_efb9, 7), b"x86_64\0");
    assert_eq!(stack.read(0x7fff_ffff_efa9, 16), &RAND);
    // argc, argv[0], NULL, NULL, then the auxv from ee30.
    assert_eq!(stack.word(0x7fff_ffff_ee10), 1);
    assert_eq!(stack.word(0x7fff_ffff_ee18), 0x7fff_ffff_efcc);
    assert_eq!(stack.word(0x7fff_ffff_ee20), 0);
    assert_eq!(stack.word(0x7fff_ffff_ee28), 0);
    assert_eq!(stack.word(0x7fff_ffff_ee30), 33, "AT_SYSINFO_EHDR first");
    // The auxv ends at ee30 + 0x170 = efa0 with AT_NULL; the 9 bytes up to
    // AT_RANDOM are STACK_ROUND's padding and stay untouched.
    assert_eq!(stack.word(0x7fff_ffff_ef90), AT_NULL);
    assert_eq!(stack.read(0x7fff_ffff_efa0, 9), &[0; 9]);
    // AT_RANDOM is pair 16, AT_EXECFN pair 18.
    assert_eq!(stack.word(0x7fff_ffff_ee30 + 16 * 16), AT_RANDOM);
    assert_eq!(stack.word(0x7fff_ffff_ee30 + 16 * 16 + 8), 0x7fff_ffff_efa9);
    assert_eq!(stack.word(0x7fff_ffff_ee30 + 18 * 16), AT_EXECFN);
    assert_eq!(stack.word(0x7fff_ffff_ee30 + 18 * 16 + 8), exec);
}

#[test]
fn a_fault_part_way_leaves_the_mm_fields_where_the_c_leaves_them() {
    // argc at word 0, argv[0..2] at 1-2, argv's NULL at 3, envp[0..2] at 4-5, envp's
    // NULL at 6. The C sets mm->arg_end = arg_start after put_user(argc), and
    // arg_end, env_start, env_end after argv's NULL.
    let strings = || {
        exec_strings(
            b"/bin/true\0",
            &[b"/bin/true\0", b"x\0"],
            &[b"A=1\0", b"HOME=/\0"],
        )
    };
    let (mut stack, exec, arg_start) = strings();
    let mut saved = [0u64; AT_VECTOR_SIZE];
    let t = create_elf_tables::<Elf64>(&input(arg_start, 2, 2, None, exec), &mut saved, &mut stack)
        .unwrap();
    let argv_end = arg_start + 10 + 2;
    assert_eq!(
        stack.mm_args,
        Some(MmArgs {
            arg_end: Some(argv_end),
            env: Some((argv_end, exec)),
        })
    );
    for word in 0..7u64 {
        let (mut stack, exec, arg_start) = strings();
        stack.fault_word_at = Some(t.sp + 8 * word);
        let r =
            create_elf_tables::<Elf64>(&input(arg_start, 2, 2, None, exec), &mut saved, &mut stack);
        assert_eq!(r, Err(Errno::Fault), "word {word}");
        assert_eq!(
            stack.words_written, word as usize,
            "the words below it are written"
        );
        let expected = match word {
            0 => None,
            1..=3 => Some(MmArgs {
                arg_end: Some(arg_start),
                env: None,
            }),
            _ => Some(MmArgs {
                arg_end: Some(argv_end),
                env: Some((argv_end, argv_end)),
            }),
        };
        assert_eq!(stack.mm_args, expected, "word {word}");
    }
}

#[test]
fn randomised_alignment_with_arguments_and_environment() {
    // argv {"/bin/true", "x"}, envp {"A=1", "HOME=/"}, file name "/bin/true":
    //   exec = eff8 - 10 = efee; HOME=/ at efe7, A=1 at efe3, "x" at efe1,
    //   "/bin/true" at efd7 = arg_start.
    //   arch_align_stack: efd7 - 0x1234 = 0x7fffffffdda3, & ~0xf = dda0;
    //   platform dd99, random dd89; items = 3 + 3 + 1 = 7;
    //   sp = dd89 - (46 + 7) * 8 (0x1a8) = dbe1, & ~15 = dbe0.
    let (mut stack, exec, arg_start) = exec_strings(
        b"/bin/true\0",
        &[b"/bin/true\0", b"x\0"],
        &[b"A=1\0", b"HOME=/\0"],
    );
    assert_eq!((exec, arg_start), (0x7fff_ffff_efee, 0x7fff_ffff_efd7));
    let mut saved = [0u64; AT_VECTOR_SIZE];
    let t = create_elf_tables::<Elf64>(
        &input(arg_start, 2, 2, Some(0x1234), exec),
        &mut saved,
        &mut stack,
    )
    .unwrap();
    assert_eq!(t.u_platform, Some(0x7fff_ffff_dd99));
    assert_eq!(t.u_rand_bytes, 0x7fff_ffff_dd89);
    assert_eq!(t.sp, 0x7fff_ffff_dbe0);
    let words: Vec<u64> = (0..7).map(|i| stack.word(t.sp + 8 * i)).collect();
    assert_eq!(
        words,
        [
            2,
            0x7fff_ffff_efd7,
            0x7fff_ffff_efe1,
            0,
            0x7fff_ffff_efe3,
            0x7fff_ffff_efe7,
            0
        ]
    );
    // auxv at dbe0 + 7*8 = dc18, 46 words, ending at dd88: one byte of padding.
    assert_eq!(t.auxv_addr, 0x7fff_ffff_dc18);
    assert_eq!(
        (t.arg_end, t.env_start, t.env_end),
        (0x7fff_ffff_efe3, 0x7fff_ffff_efe3, 0x7fff_ffff_efee)
    );
}

#[test]
fn bad_strings_are_einval() {
    // A string without a NUL within MAX_ARG_STRLEN.
    let mut stack = Stack::new(VM_END, 300 * 1024);
    let arg_start = VM_END - 8 - (MAX_ARG_STRLEN + 1);
    let mut saved = [0u64; AT_VECTOR_SIZE];
    stack.place(arg_start, &vec![b'a'; (MAX_ARG_STRLEN + 1) as usize]);
    let r = create_elf_tables::<Elf64>(&input(arg_start, 1, 0, None, 0), &mut saved, &mut stack);
    assert_eq!(r, Err(Errno::Inval));
    // A string that runs off the mapping: strnlen_user() faults and returns 0.
    // argc 2 over one 3-byte string placed right below vm_end.
    let mut stack = Stack::new(VM_END, 64 * 1024);
    stack.place(VM_END - 3, b"ab\0");
    let r = create_elf_tables::<Elf64>(&input(VM_END - 3, 2, 0, None, 0), &mut saved, &mut stack);
    assert_eq!(r, Err(Errno::Inval));
    // argc and argv[0], argv[1] were written before the second strnlen failed.
    assert_eq!(stack.words_written, 3);
    // The same far into argv: 20 empty strings, "ab", and a 22nd running off the
    // mapping.
    let mut stack = Stack::new(VM_END, 64 * 1024);
    let arg_start = VM_END - 43;
    stack.place(arg_start, &[0; 20]);
    stack.place(VM_END - 23, b"ab\0");
    stack.place(VM_END - 20, &[b'c'; 20]);
    let r = create_elf_tables::<Elf64>(&input(arg_start, 22, 0, None, 0), &mut saved, &mut stack);
    assert_eq!(r, Err(Errno::Inval));
    assert_eq!(stack.words_written, 23);
}

#[test]
fn stack_faults_are_efault() {
    let mut saved = [0u64; AT_VECTOR_SIZE];
    // find_extend_vma_locked() finds nothing: nothing is put.
    let (mut stack, exec, arg_start) = exec_strings(b"/a\0", &[b"/a\0"], &[]);
    stack.fail_extend = true;
    let r = create_elf_tables::<Elf64>(&input(arg_start, 1, 0, None, exec), &mut saved, &mut stack);
    assert_eq!(r, Err(Errno::Fault));
    assert_eq!(stack.words_written, 0);
    // bprm->p so low that STACK_ALLOC would wrap: -EFAULT, as copy_to_user gives.
    let mut stack = Stack::new(VM_END, 4096);
    let r = create_elf_tables::<Elf64>(&input(0x10, 1, 0, None, 0), &mut saved, &mut stack);
    assert_eq!(r, Err(Errno::Fault));
    // The platform string itself outside the stack VMA.
    let r = create_elf_tables::<Elf64>(&input(0x10_0000, 1, 0, None, 0), &mut saved, &mut stack);
    assert_eq!(r, Err(Errno::Fault));
}

#[test]
fn no_platform_string_means_no_at_platform() {
    let (mut stack, exec, arg_start) = exec_strings(b"/a\0", &[b"/a\0"], &[]);
    let mut saved = [0u64; AT_VECTOR_SIZE];
    let mut inp = input(arg_start, 1, 0, None, exec);
    inp.platform = None;
    let t = create_elf_tables::<Elf64>(&inp, &mut saved, &mut stack).unwrap();
    // arg_start = eff8 - 3 - 3 = eff2, & ~0xf = eff0; random at efe0.
    assert_eq!((t.u_platform, t.u_rand_bytes), (None, 0x7fff_ffff_efe0));
    assert_eq!(t.ei_index, 44);
}

fn string(len: usize) -> Vec<u8> {
    let mut s = vec![b'z'; len];
    s.push(0);
    s
}

proptest! {
    #[test]
    fn the_image_is_what_the_process_expects(
        argv in prop::collection::vec(0usize..40, 0..24),
        envp in prop::collection::vec(0usize..40, 0..24),
        filename in 0usize..40,
        align in prop::option::of(0u32..8192),
        vdso in any::<bool>(),
        execfd in prop::option::of(0i32..1024),
        platform in any::<bool>(),
    ) {
        let argv: Vec<Vec<u8>> = argv.into_iter().map(string).collect();
        let envp: Vec<Vec<u8>> = envp.into_iter().map(string).collect();
        let argv_refs: Vec<&[u8]> = argv.iter().map(Vec::as_slice).collect();
        let envp_refs: Vec<&[u8]> = envp.iter().map(Vec::as_slice).collect();
        let (mut stack, exec, arg_start) = exec_strings(&string(filename), &argv_refs, &envp_refs);
        let mut saved = [0xffu64; AT_VECTOR_SIZE];
        let mut inp = input(arg_start, argv.len() as u32, envp.len() as u32, align, exec);
        inp.auxv.arch_dlinfo = x86_64_dlinfo(vdso);
        inp.auxv.execfd = execfd;
        if !platform {
            inp.platform = None;
        }
        let t = create_elf_tables::<Elf64>(&inp, &mut saved, &mut stack).unwrap();

        prop_assert_eq!(t.sp % 16, 0);
        prop_assert_eq!(stack.extended_to, Some(t.sp));
        prop_assert_eq!(stack.word(t.sp), argv.len() as u64);
        // argv[i] and envp[i] point at consecutive strings from arg_start.
        let mut at = t.sp + 8;
        let mut s = arg_start;
        for a in &argv {
            prop_assert_eq!(stack.word(at), s);
            s += a.len() as u64;
            at += 8;
        }
        prop_assert_eq!(stack.word(at), 0);
        prop_assert_eq!((t.arg_end, t.env_start), (s, s));
        at += 8;
        for e in &envp {
            prop_assert_eq!(stack.word(at), s);
            s += e.len() as u64;
            at += 8;
        }
        prop_assert_eq!(stack.word(at), 0);
        prop_assert_eq!(t.env_end, exec, "the file name follows the last envp string");
        // The auxv follows, ends with AT_NULL below the random bytes, the gap
        // under 16 bytes.
        prop_assert_eq!(t.auxv_addr, at + 8);
        let auxv_end = t.auxv_addr + 8 * t.ei_index as u64;
        prop_assert!(auxv_end <= t.u_rand_bytes && t.u_rand_bytes - auxv_end < 16);
        prop_assert_eq!(stack.word(auxv_end - 16), AT_NULL);
        prop_assert!(saved[t.ei_index..].iter().all(|&w| w == 0));
        for (i, w) in saved[..t.ei_index].iter().enumerate() {
            prop_assert_eq!(stack.word(t.auxv_addr + 8 * i as u64), *w);
        }
        let random_pair = saved[..t.ei_index]
            .chunks(2)
            .find(|p| p[0] == AT_RANDOM)
            .map(|p| p[1]);
        prop_assert_eq!(random_pair, Some(t.u_rand_bytes));
        prop_assert_eq!(stack.read(t.u_rand_bytes, 16), &RAND);
        // The strings below arg_start: within 8 KiB + 15 + the platform and
        // random bytes.
        let top = t.u_platform.map_or(t.u_rand_bytes + 16, |u| u + 7);
        prop_assert!(top <= arg_start && arg_start - top < 8192 + 16);
    }
}
