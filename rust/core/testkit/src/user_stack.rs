// SPDX-License-Identifier: GPL-2.0

//! A fake of the new process's stack VMA, the [`UserStack`] `create_elf_tables()`
//! writes: `copy_to_user()`, `put_user()` and `strnlen_user()` reach only its
//! mapped part, and `find_extend_vma_locked()` (mm/mmap.c) grows it down as far as
//! the stack limit lets it. Every write is logged, so a test can tell what was
//! touched.

use binfmt_rs_core::class::Word;
use binfmt_rs_core::effects::{ArgvEnvp, MmArgs, UserStack};
use binfmt_rs_core::errno::Errno;
use binfmt_rs_core::stack::MAX_ARG_STRLEN;
use std::ops::Range;

const PAGE_SIZE: u64 = 4096;

/// The stack VMA `[vm_start, top)`, backed by the bytes of `[bottom(), top)`, the
/// lowest it may grow to.
#[derive(Clone, Debug)]
pub struct Stack {
    /// `vm_end`.
    pub top: u64,
    /// `vm_start`: every access below it faults, until [`UserStack::extend_to`]
    /// grows the VMA down. Never below [`Stack::bottom`].
    pub vm_start: u64,
    /// `[bottom(), top)`, zero until written.
    bytes: Vec<u8>,
    /// A fatal signal is pending: `mmap_write_lock_killable()` fails, so
    /// `extend_to()` is `-EINTR`.
    pub interrupted: bool,
    /// `find_extend_vma_locked()` finds no VMA, however close the address, as
    /// if the stack were gone: `extend_to()` is `-EFAULT`.
    pub fail_extend: bool,
    /// A word address where `put_user()` faults, as on a page that is gone.
    pub fault_word_at: Option<u64>,
    /// The address of the last `extend_to()` that succeeded.
    pub extended_to: Option<u64>,
    /// Every write that succeeded, as `[start, end)`.
    pub writes: Vec<(u64, u64)>,
    /// How many words `put_user()` wrote.
    pub words_written: usize,
    /// What `create_elf_tables()` set of `mm->arg_end`, `env_start`, `env_end`.
    pub mm_args: Option<MmArgs>,
}

impl Stack {
    /// A stack whose VMA is `[top - size, top)`, all of it mapped, and may not grow
    /// below it.
    pub fn new(top: u64, size: usize) -> Self {
        let bottom = top - size as u64;
        Stack {
            top,
            vm_start: bottom,
            bytes: vec![0; size],
            interrupted: false,
            fail_extend: false,
            fault_word_at: None,
            extended_to: None,
            writes: Vec::new(),
            words_written: 0,
            mm_args: None,
        }
    }

    /// The lowest address the VMA may grow to: below it `expand_stack_locked()`
    /// refuses, as the stack limit (`RLIMIT_STACK`) makes it.
    pub fn bottom(&self) -> u64 {
        self.top - self.bytes.len() as u64
    }

    /// The indices of the mapped bytes `[addr, addr + len)`, if all are mapped.
    fn range(&self, addr: u64, len: usize) -> Option<Range<usize>> {
        let end = addr.checked_add(len as u64)?;
        if addr < self.vm_start || end > self.top {
            return None;
        }
        let start = usize::try_from(addr.checked_sub(self.bottom())?).ok()?;
        Some(start..start + len)
    }

    /// Places `s` at `addr`, as exec's `copy_strings()` would have, mapped or
    /// not (it maps the pages it writes; set [`Stack::vm_start`] to match).
    pub fn place(&mut self, addr: u64, s: &[u8]) {
        let start = addr
            .checked_sub(self.bottom())
            .and_then(|at| usize::try_from(at).ok())
            .filter(|&at| at + s.len() <= self.bytes.len())
            .expect("a string inside the stack");
        self.bytes[start..start + s.len()].copy_from_slice(s);
    }

    /// The mapped bytes `[addr, addr + len)`, or `None` if any is not mapped.
    pub fn bytes_at(&self, addr: u64, len: usize) -> Option<&[u8]> {
        self.range(addr, len).map(|r| &self.bytes[r])
    }

    /// The mapped bytes `[addr, addr + len)`; panics if any is not mapped.
    pub fn read(&self, addr: u64, len: usize) -> &[u8] {
        self.bytes_at(addr, len)
            .expect("a read inside the mapped stack")
    }

    /// The word at `addr`; panics if it is not mapped.
    pub fn word(&self, addr: u64) -> u64 {
        u64::from_le_bytes(self.read(addr, 8).try_into().unwrap())
    }

    /// The 4-byte word at `addr`, an ELF32 `elf_addr_t`; panics if it is not
    /// mapped.
    pub fn word32(&self, addr: u64) -> u32 {
        u32::from_le_bytes(self.read(addr, 4).try_into().unwrap())
    }
}

/// The little-endian bytes of an `elf_addr_t`.
fn word_bytes<W: Word>(word: W) -> Vec<u8> {
    word.to_ulong().to_le_bytes()[..W::SIZE as usize].to_vec()
}

impl UserStack for Stack {
    fn copy_bytes(&mut self, addr: u64, bytes: &[u8]) -> Result<(), Errno> {
        let r = self.range(addr, bytes.len()).ok_or(Errno::Fault)?;
        self.bytes[r].copy_from_slice(bytes);
        self.writes.push((addr, addr + bytes.len() as u64));
        Ok(())
    }

    fn copy_words<W: Word>(&mut self, addr: u64, words: &[W]) -> Result<(), Errno> {
        let bytes: Vec<u8> = words.iter().flat_map(|&w| word_bytes(w)).collect();
        self.copy_bytes(addr, &bytes)
    }

    /// One `put_user()` and `strnlen_user()` at a time, as the C calls them.
    fn put_argv_envp<W: Word>(&mut self, addr: u64, argc: u64, p: u64, envc: u64) -> ArgvEnvp {
        let mut run = ArgvEnvp {
            written: 0,
            arg_end: 0,
            end: Err(Errno::Fault),
        };
        if !self.put_word(addr, W::from_ulong(argc)) {
            return run;
        }
        run.written = 1;
        let mut p = p;
        for n in [argc, envc] {
            for _ in 0..n {
                if !self.put_word(addr + W::SIZE * run.written, W::from_ulong(p)) {
                    return run;
                }
                run.written += 1;
                let len = self.strnlen(p);
                if len == 0 || len > MAX_ARG_STRLEN {
                    run.end = Err(Errno::Inval);
                    return run;
                }
                p += len;
            }
            if !self.put_word(addr + W::SIZE * run.written, W::from_ulong(0)) {
                return run;
            }
            run.written += 1;
            if run.written == argc + 2 {
                run.arg_end = p;
            }
        }
        run.end = Ok(p);
        run
    }

    fn set_mm_args(&mut self, args: &MmArgs) {
        assert!(self.mm_args.is_none(), "set_mm_args() called twice");
        self.mm_args = Some(*args);
    }

    /// `find_extend_vma_locked()`: the VMA holds `addr`, or grows down to its page
    /// unless that passes [`Stack::bottom`]; nothing lies above `top`.
    fn extend_to(&mut self, addr: u64) -> Result<(), Errno> {
        if self.interrupted {
            return Err(Errno::Intr);
        }
        if self.fail_extend || addr < self.bottom() || addr >= self.top {
            return Err(Errno::Fault);
        }
        self.vm_start = self
            .vm_start
            .min((addr & !(PAGE_SIZE - 1)).max(self.bottom()));
        self.extended_to = Some(addr);
        Ok(())
    }
}

impl Stack {
    /// `put_user(word, addr)`: false if it faults.
    pub fn put_word<W: Word>(&mut self, addr: u64, word: W) -> bool {
        if self.fault_word_at == Some(addr) || self.copy_bytes(addr, &word_bytes(word)).is_err() {
            return false;
        }
        self.words_written += 1;
        true
    }

    /// `strnlen_user(addr, MAX_ARG_STRLEN)` over the mapped bytes: running into
    /// `top`, the end of the mapping, is a fault.
    pub fn strnlen(&self, addr: u64) -> u64 {
        let Some(start) = self.range(addr, 0).map(|r| r.start) else {
            return 0;
        };
        let max = MAX_ARG_STRLEN as usize;
        match self.bytes[start..].iter().take(max).position(|&b| b == 0) {
            Some(n) => n as u64 + 1,
            None if self.bytes.len() - start >= max => MAX_ARG_STRLEN + 1,
            None => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOP: u64 = 0x7fff_ffff_f000;

    #[test]
    fn the_vma_grows_down_to_the_bottom_and_no_further() {
        let mut stack = Stack::new(TOP, 0x4000);
        stack.vm_start = TOP - 0x1000;
        assert_eq!(stack.copy_bytes(TOP - 0x1008, &[1; 8]), Err(Errno::Fault));
        assert_eq!(stack.extend_to(TOP - 0x1ff0), Ok(()));
        assert_eq!(
            (stack.vm_start, stack.extended_to),
            (TOP - 0x2000, Some(TOP - 0x1ff0))
        );
        assert_eq!(stack.copy_bytes(TOP - 0x1008, &[1; 8]), Ok(()));
        assert_eq!(stack.writes, [(TOP - 0x1008, TOP - 0x1000)]);
        assert_eq!(stack.extend_to(stack.bottom() - 1), Err(Errno::Fault));
        assert_eq!(stack.extend_to(TOP), Err(Errno::Fault));
        stack.interrupted = true;
        assert_eq!(stack.extend_to(TOP - 0x10), Err(Errno::Intr));
    }

    #[test]
    fn strings_and_words() {
        let mut stack = Stack::new(TOP, 0x1000);
        stack.place(TOP - 0x10, b"ab\0");
        assert_eq!(stack.strnlen(TOP - 0x10), 3);
        // A string that runs into the end of the mapping faults.
        stack.place(TOP - 4, b"abcd");
        assert_eq!(stack.strnlen(TOP - 4), 0);
        // The put_user()s stop at the word that faults; the strnlen_user()s at the
        // string that faults: "ab", "" and then "bcd" running into the top.
        stack.place(TOP - 7, b"ab\0\0");
        let at = TOP - 0x1000;
        let run = stack.put_argv_envp::<u64>(at, 1, TOP - 7, 2);
        assert_eq!((run.written, run.end), (5, Err(Errno::Inval)));
        assert_eq!(run.arg_end, TOP - 4);
        assert_eq!(stack.words_written, 5);
        assert_eq!(stack.word(at + 0x10), 0);
        assert_eq!(stack.word(at + 0x18), TOP - 4);
        assert_eq!(stack.word(at + 0x20), TOP - 3);
        // Two strings and nothing after: argc, two pointers, two NULLs.
        let run = stack.put_argv_envp::<u64>(at, 2, TOP - 7, 0);
        assert_eq!(
            (run.written, run.arg_end, run.end),
            (5, TOP - 3, Ok(TOP - 3))
        );
        assert_eq!((stack.word(at + 0x18), stack.word(at + 0x20)), (0, 0));
        let run = stack.put_argv_envp::<u64>(at, 0, TOP - 7, 2);
        assert_eq!(
            (run.written, run.arg_end, run.end),
            (5, TOP - 7, Ok(TOP - 3))
        );
        assert_eq!(stack.word(at + 8), 0);
        assert_eq!(stack.word(at + 0x10), TOP - 7);
        stack.fault_word_at = Some(at + 0x10);
        let run = stack.put_argv_envp::<u64>(at, 2, TOP - 7, 0);
        assert_eq!((run.written, run.end), (2, Err(Errno::Fault)));
        assert_eq!(stack.word(at), 2);
        assert_eq!(stack.word(at + 8), TOP - 7);
        assert_eq!(stack.bytes_at(TOP - 8, 16), None);
    }
}
