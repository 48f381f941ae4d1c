// SPDX-License-Identifier: GPL-2.0

//! What the core asks of the kernel: the two effect traits, which the module
//! implements with the kernel's calls (rust/wrappers/new_mm.rs) and the tests
//! and fuzz targets with models.
//!
//! [`AddressSpace`] is what `elf_load()` does to the new mm; [`UserStack`] is
//! what `create_elf_tables()` does to its stack. Every result is in the kernel's
//! own units, so a model can answer exactly as the kernel would.

use super::class::Word;
use super::errno::Errno;

/// The mm operations `elf_load()` performs, in the kernel's own units: addresses are
/// `unsigned long`, and an address result carries a negative errno on failure.
pub trait AddressSpace {
    /// `vm_mmap(file, addr, len, prot, flags, offset)` on the file being loaded:
    /// the mapped address, or a negative errno cast to `unsigned long`.
    fn vm_mmap(&mut self, addr: u64, len: u64, prot: u32, flags: u32, offset: u64) -> u64;
    /// `vm_munmap(addr, len)`. `elf_load()` ignores its result, so it returns none.
    fn vm_munmap(&mut self, addr: u64, len: u64);
    /// `clear_user(addr, len)`: the number of bytes that could **not** be cleared.
    fn clear_user(&mut self, addr: u64, len: u64) -> u64;
    /// `vm_brk_flags(addr, len, vm_flags)`: 0 or a negative errno.
    fn vm_brk_flags(&mut self, addr: u64, len: u64, vm_flags: u64) -> i32;
    /// `elf_map()`'s `pr_info("%d (%s): Uhuuh, elf segment at %px requested but
    /// the memory is mapped already\n", ...)` for a `MAP_FIXED_NOREPLACE` that hit
    /// `-EEXIST`; `addr` is the page-aligned address that was asked for.
    fn report_segment_collision(&mut self, addr: u64);
}

/// The user memory `create_elf_tables()` writes, as the glue reaches it.
pub trait UserStack {
    /// `copy_to_user(addr, bytes)`; `Err(Errno::Fault)` if any byte faults.
    fn copy_bytes(&mut self, addr: u64, bytes: &[u8]) -> Result<(), Errno>;
    /// `copy_to_user(addr, words)` of native-endian `elf_addr_t`s (the auxv copy).
    fn copy_words<W: Word>(&mut self, addr: u64, words: &[W]) -> Result<(), Errno>;
    /// `create_elf_tables()`'s argc, argv and envp (BE:304-343) as one run of its
    /// `put_user()` and `strnlen_user()` calls, the words going up from `addr`:
    /// `put_user((elf_addr_t)argc, addr)`; for each of `argc` strings laid end
    /// to end from `p`, `put_user((elf_addr_t)p, next word)` and
    /// `p += strnlen_user(p, MAX_ARG_STRLEN)`; `put_user(0, next word)`; then the
    /// same for the `envc` strings that follow, and a last `put_user(0, next
    /// word)`. Stops at the first `put_user()` that faults (`-EFAULT`) or string
    /// whose length is 0 (a fault) or over `MAX_ARG_STRLEN` (`-EINVAL`), the
    /// words before it written, as the C's calls leave them.
    fn put_argv_envp<W: Word>(&mut self, addr: u64, argc: u64, p: u64, envc: u64) -> ArgvEnvp;
    /// `mmap_write_lock_killable()` (`Err(Errno::Intr)`), then
    /// `find_extend_vma_locked(mm, addr)` (`Err(Errno::Fault)` if it finds no VMA).
    fn extend_to(&mut self, addr: u64) -> Result<(), Errno>;
    /// Sets the `mm` fields the argv/envp walk sets, to the values they have when
    /// `create_elf_tables()` returns, on success or failure; called once, and only
    /// when the walk reached at least one of them.
    fn set_mm_args(&mut self, args: &MmArgs);
}

/// What [`UserStack::put_argv_envp`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArgvEnvp {
    /// The words written, argc first: `argc + envc + 3` when the run completed.
    pub written: u64,
    /// The end of the argv strings, once argv's NULL is written (`written > argc
    /// + 1`); meaningless before.
    pub arg_end: u64,
    /// The end of the envp strings, or why the run stopped.
    pub end: Result<u64, Errno>,
}

/// What the argv/envp walk of `create_elf_tables()` has set of the `mm` when it
/// returns (BE:311-343): `mm->arg_end` once argc is written, `mm->env_start` and
/// `mm->env_end` once argv's NULL is. A failure part way leaves the fields where
/// the C leaves them, as a core dump's process arguments show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MmArgs {
    /// `mm->arg_end`: `mm->arg_start` while argv is walked, then the end of the
    /// argv strings.
    pub arg_end: Option<u64>,
    /// `mm->env_start` and `mm->env_end`: both the end of the argv strings while
    /// envp is walked, then the end of the envp strings for `env_end`.
    pub env: Option<(u64, u64)>,
}
