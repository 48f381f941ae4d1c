// SPDX-License-Identifier: GPL-2.0

//! The initial user stack: `create_elf_tables()` (BE:155-349).
//!
//! When it runs, `setup_arg_pages()` has left the strings at the top of the stack
//! (file name, envp strings, argv strings from `mm->arg_start` up) and `bprm->p`
//! pointing at the lowest of them. Below them this writes, from high to low:
//!
//! ```text
//!  p = arch_align_stack(bprm->p)
//!  platform string ("x86_64\0")          u_platform    = p - 7
//!  16 random bytes                        u_rand_bytes  = u_platform - 16
//!  0..15 bytes of padding                 (STACK_ROUND leaves the gap *above* auxv)
//!  auxv: ei_index words, AT_NULL last
//!  NULL, envp[envc-1] .. envp[0]
//!  NULL, argv[argc-1] .. argv[0]
//!  argc                                   sp = STACK_ROUND(u_rand_bytes - 8 * ei_index, items)
//! ```
//!
//! The user memory is reached through [`UserStack`], which the glue implements with
//! `find_extend_vma_locked()`, `put_user()`, `copy_to_user()` and `strnlen_user()`;
//! the writes happen in the C's order, so a fault stops at the same point. The
//! argc, argv and envp words and the strings they point at are handed over as
//! one run ([`UserStack::put_argv_envp`]) rather than one call each.

use core::ffi::CStr;

use super::auxv::{fill_saved_auxv, AuxvFacts, SavedAuxv};
use super::class::{ElfClass, Word};
use super::effects::{MmArgs, UserStack};
use super::errno::Errno;
use super::random::arch_align_stack;

/// `MAX_ARG_STRLEN` (include/uapi/linux/binfmts.h): `PAGE_SIZE * 32`.
pub const MAX_ARG_STRLEN: u64 = 32 * 4096;

/// What the glue knows when `create_elf_tables()` starts.
#[derive(Clone, Copy, Debug)]
pub struct TablesInput<'a> {
    /// `bprm->p` after `setup_arg_pages()`.
    pub p: u64,
    /// `mm->arg_start` (equal to `bprm->p` on a grows-down stack).
    pub arg_start: u64,
    /// `get_random_u32_below(8192)` for `arch_align_stack()`, or `None` when it does
    /// not randomise (`ADDR_NO_RANDOMIZE`, or `randomize_va_space == 0`).
    pub align_random: Option<u32>,
    /// `ELF_PLATFORM` (`arch::ELF_PLATFORM`), `None` on an arch without one.
    pub platform: Option<&'a CStr>,
    /// `get_random_bytes()` for `AT_RANDOM`.
    pub rand_bytes: &'a [u8; 16],
    /// `bprm->argc`.
    pub argc: u32,
    /// `bprm->envc`.
    pub envc: u32,
    /// The rest of the auxv.
    pub auxv: AuxvFacts,
}

/// Where `create_elf_tables()` put things, and the mm fields it set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tables {
    /// The new `bprm->p`: the initial `%rsp`, where argc is, 16-byte aligned; also
    /// `mm->start_stack`.
    pub sp: u64,
    /// `u_platform`, the `AT_PLATFORM` value.
    pub u_platform: Option<u64>,
    /// `u_rand_bytes`, the `AT_RANDOM` value.
    pub u_rand_bytes: u64,
    /// Where the auxv was copied.
    pub auxv_addr: u64,
    /// `ei_index`: the auxv words copied, AT_NULL included.
    pub ei_index: usize,
    /// `mm->arg_end`.
    pub arg_end: u64,
    /// `mm->env_start`.
    pub env_start: u64,
    /// `mm->env_end`.
    pub env_end: u64,
}

/// `STACK_ALLOC(p, len)` on a grows-down stack. The C would wrap to a kernel
/// address that `copy_to_user()` refuses with `-EFAULT`; refusing before the copy
/// gives the same errno.
fn stack_alloc(p: u64, len: u64) -> Result<u64, Errno> {
    p.checked_sub(len).ok_or(Errno::Fault)
}

/// `create_elf_tables()`: builds `saved_auxv` (in the module, `mm->saved_auxv`
/// itself) and writes the platform string, the random bytes, argc, argv,
/// envp and auxv to the stack through `stack`, in the C's order.
///
/// Fails with `-EFAULT` when a write faults or the stack cannot be extended,
/// `-EINTR` when the mmap lock wait is interrupted, and `-EINVAL` when an argv or
/// envp string has no NUL within `MAX_ARG_STRLEN` or faults (BE:322-323, 337-338).
#[inline(always)]
pub fn create_elf_tables<C: ElfClass>(
    input: &TablesInput<'_>,
    saved_auxv: &mut impl SavedAuxv<C::Word>,
    stack: &mut impl UserStack,
) -> Result<Tables, Errno> {
    // Shuffles the initial stack, e.g. against L1 aliasing between
    // hyper-threads (BE:184).
    let mut p = arch_align_stack(input.p, input.align_random);

    let u_platform = match input.platform {
        Some(platform) => {
            let bytes = platform.to_bytes_with_nul();
            p = stack_alloc(p, bytes.len() as u64)?;
            stack.copy_bytes(p, bytes)?;
            Some(p)
        }
        None => None,
    };
    // No ELF_BASE_PLATFORM on x86, so no AT_BASE_PLATFORM string.

    p = stack_alloc(p, input.rand_bytes.len() as u64)?;
    let u_rand_bytes = p;
    stack.copy_bytes(u_rand_bytes, input.rand_bytes)?;

    let ei_index = fill_saved_auxv::<C, _>(&input.auxv, u_rand_bytes, u_platform, saved_auxv);

    // sp = STACK_ADD(p, ei_index); bprm->p = STACK_ROUND(sp, items) (BE:286-289).
    // Cannot overflow: argc and envc are below 2^32, ei_index below 64.
    let items = (u64::from(input.argc) + 1) + (u64::from(input.envc) + 1) + 1;
    let below = (ei_index as u64 + items) * <C::Word as Word>::SIZE;
    let sp = stack_alloc(p, below)? & !15;

    stack.extend_to(sp)?;

    let (walked, reached) = walk::<C::Word>(stack, sp, input);
    if reached != MmArgs::default() {
        stack.set_mm_args(&reached);
    }
    let (arg_end, env_end) = walked?;
    let env_start = arg_end;
    let auxv_addr = sp.wrapping_add(items * <C::Word as Word>::SIZE);

    // ei_index <= WORDS by construction of fill_saved_auxv().
    stack.copy_words(auxv_addr, saved_auxv.words(ei_index))?;

    Ok(Tables {
        sp,
        u_platform,
        u_rand_bytes,
        auxv_addr,
        ei_index,
        arg_end,
        env_start,
        env_end,
    })
}

/// The argc, argv and envp part of `create_elf_tables()` (BE:304-343): the
/// pointers are rebuilt by walking the strings that exec copied, one after the
/// other from `arg_start`, in one run of words from `sp`: argc, argv, argv's
/// NULL, envp and envp's NULL. Returns the ends of the argv and envp strings,
/// and the mm fields the C had set where the walk stopped: `mm->arg_end =
/// mm->arg_start` once argc is written, `arg_end`, `env_start` and `env_end`
/// once argv's NULL is, `env_end` again once envp's is.
#[inline(always)]
fn walk<W: Word>(
    stack: &mut impl UserStack,
    sp: u64,
    input: &TablesInput<'_>,
) -> (Result<(u64, u64), Errno>, MmArgs) {
    let (argc, envc) = (u64::from(input.argc), u64::from(input.envc));
    let run = stack.put_argv_envp::<W>(sp, argc, input.arg_start, envc);
    let mut reached = MmArgs::default();
    if run.written > 0 {
        reached.arg_end = Some(input.arg_start);
    }
    if run.written > argc + 1 {
        reached = MmArgs {
            arg_end: Some(run.arg_end),
            env: Some((run.arg_end, run.arg_end)),
        };
    }
    match run.end {
        Ok(env_end) => {
            reached.env = Some((run.arg_end, env_end));
            (Ok((run.arg_end, env_end)), reached)
        }
        Err(e) => (Err(e), reached),
    }
}
