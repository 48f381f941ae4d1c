// SPDX-License-Identifier: GPL-2.0

//! A model of a new process's address space that answers the mm calls of
//! `elf_load()` as 6.12 does on x86_64 with 4-level paging:
//!
//! - `vm_mmap()` (mm/util.c), `do_mmap()` and `__get_unmapped_area()` (mm/mmap.c)
//!   with the x86 top-down allocator and its bottom-up fallback
//!   (arch/x86/kernel/sys_x86_64.c): `MAP_FIXED` replaces what is there,
//!   `MAP_FIXED_NOREPLACE` fails with `-EEXIST` on any overlap, and a hint is
//!   taken only when its whole range is free;
//! - `vm_munmap()` (`do_vmi_munmap()`), which `elf_load()` ignores the result of;
//! - `vm_brk_flags()`, which, like `MAP_FIXED`, replaces what is there;
//! - `clear_user()`, which stops at the first page that is not writable or lies
//!   past the end of the file it maps (SIGBUS).
//!
//! Each mapping is tagged with its [`Owner`], so a test can tell when a call
//! replaced or unmapped memory that was not the image's own ([`Mm::clobbered`]).
//! Failures that depend on more than the address space (`-EINTR` from
//! `mmap_write_lock_killable()`, `-EAGAIN` from the mlock limit, `-ENOMEM` from
//! accounting) are injected at a chosen call ([`Mm::new`]'s `fail_at`).
//!
//! Where a mapping without `MAP_FIXED*` lands follows from `mm->mmap_base` and what
//! is mapped already ([`Mm::placing_at`] picks the base for a wanted address); a
//! collision is a mapping of another owner there first ([`Mm::map_other`],
//! [`Mm::map_stack`]). One answer no mm gives can be forced on a call
//! ([`Mm::forced`]), for the tests of the loader's own checks that a real mm's
//! checks always come before.

use binfmt_rs_core::effects::AddressSpace;
use binfmt_rs_core::mman::{
    MAP_FIXED, MAP_FIXED_NOREPLACE, PROT_EXEC, PROT_READ, PROT_WRITE, VM_EXEC,
};

/// `TASK_SIZE` with 4-level paging (`DEFAULT_MAP_WINDOW`).
pub const TASK_SIZE: u64 = 0x7fff_ffff_f000;
/// `PAGE_SIZE`.
pub const PAGE_SIZE: u64 = 4096;
/// `mmap_min_addr` (`CONFIG_DEFAULT_MMAP_MIN_ADDR` of the usual x86 kernels).
pub const MMAP_MIN_ADDR: u64 = 0x1_0000;
/// `stack_guard_gap`: what the allocator keeps free below a grows-down mapping.
const STACK_GUARD_GAP: u64 = 256 * PAGE_SIZE;
/// `TASK_UNMAPPED_BASE`, where the bottom-up fallback search starts.
const TASK_UNMAPPED_BASE: u64 = page_align(TASK_SIZE / 3);
/// `mm->mmap_base` without randomisation and with the default 8 MiB
/// `RLIMIT_STACK`: `mmap_base()` (arch/x86/mm/mmap.c) is `TASK_SIZE` less the
/// stack gap, at least 128 MiB, which the stack limit plus `stack_guard_gap` (and
/// no random range) do not reach.
pub const MMAP_BASE: u64 = TASK_SIZE - 0x800_0000;
/// What `setup_arg_pages()` (fs/exec.c) maps of the stack below `STACK_TOP`:
/// `stack_expand`, 128 KiB, and the page of the strings above it.
pub const STACK_MAPPED: u64 = 0x2_0000 + PAGE_SIZE;

/// `EPERM`: a fixed address below `mmap_min_addr` without `CAP_SYS_RAWIO`.
pub const EPERM: i32 = 1;
/// `EINTR`: `mmap_write_lock_killable()` was interrupted.
pub const EINTR: i32 = 4;
/// `EAGAIN`: the mlock limit of `check_brk_limits()`.
pub const EAGAIN: i32 = 11;
/// `ENOMEM`: no room, or a range past `TASK_SIZE`.
pub const ENOMEM: i32 = 12;
/// `EEXIST`: `MAP_FIXED_NOREPLACE` over a mapping.
pub const EEXIST: i32 = 17;
/// `EINVAL`: a bad offset, length or alignment.
pub const EINVAL: i32 = 22;
/// `EOVERFLOW`: `pgoff + pages` wraps.
pub const EOVERFLOW: i32 = 75;
/// Every errno the model's `vm_mmap()` and `vm_brk_flags()` can return.
pub const MM_ERRNOS: [i32; 7] = [EPERM, EINTR, EAGAIN, ENOMEM, EEXIST, EINVAL, EOVERFLOW];

/// `PAGE_ALIGN()`, wrapping as the C does.
pub const fn page_align(v: u64) -> u64 {
    v.wrapping_add(PAGE_SIZE - 1) & !(PAGE_SIZE - 1)
}

/// `-errno` as an `unsigned long`, as `vm_mmap()` returns it (`IS_ERR_VALUE()`).
pub const fn error_value(errno: i32) -> u64 {
    (-(errno as i64)) as u64
}

/// Who made a mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    /// There before the loader ran: the stack, or anything else.
    Other,
    /// The program's PT_LOAD loop.
    Program,
    /// `load_elf_interp()`.
    Interp,
}

/// A VMA.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Vma {
    /// First byte.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
    /// `PROT_*`.
    pub prot: u32,
    /// Who mapped it.
    pub owner: Owner,
    /// `VM_GROWSDOWN`: the allocator keeps `stack_guard_gap` free below it.
    pub grows_down: bool,
    /// For a file mapping, the file offset of `start` and the file's size.
    pub file: Option<(u64, u64)>,
}

impl Vma {
    /// `vm_start_gap()`.
    fn start_gap(&self) -> u64 {
        if self.grows_down {
            self.start.saturating_sub(STACK_GUARD_GAP)
        } else {
            self.start
        }
    }
}

/// An answer no mm gives, forced on one call by [`Mm::forced`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Forced {
    /// `vm_mmap()` returns this (an address or an error value).
    Mmap(u64),
    /// `vm_brk_flags()` returns this.
    Brk(i32),
}

/// One mm call and its result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    /// `vm_mmap()`.
    Mmap {
        addr: u64,
        len: u64,
        prot: u32,
        flags: u32,
        offset: u64,
        result: u64,
    },
    /// `vm_munmap()`.
    Munmap { addr: u64, len: u64 },
    /// `clear_user()`, and the bytes it left.
    ClearUser { addr: u64, len: u64, left: u64 },
    /// `vm_brk_flags()`.
    Brk {
        addr: u64,
        len: u64,
        vm_flags: u64,
        result: i32,
    },
    /// `elf_map()`'s collision message.
    Collision { addr: u64 },
}

/// The address space.
#[derive(Clone, Debug)]
pub struct Mm {
    /// Sorted by `start`, never overlapping.
    vmas: Vec<Vma>,
    /// Every call, in order.
    pub calls: Vec<Call>,
    /// The pieces of other owners' mappings that a call replaced or unmapped.
    pub clobbered: Vec<Vma>,
    /// Who the calls are made for now.
    pub owner: Owner,
    /// The size of the file being mapped now: `clear_user()` faults on a page of
    /// it wholly past the end (SIGBUS).
    pub file_size: u64,
    /// `(i, answer)`: the call recorded as `calls[i]`, which must be the kind of
    /// call `answer` is, returns `answer` without looking at or changing the
    /// mappings, and does not count towards `fail_at`. For the loader's checks on
    /// an answer 6.12's own checks never let through: a `vm_brk_flags()` that
    /// succeeds past `TASK_SIZE` or at an address whose end wraps, which
    /// `check_brk_limits()` refuses with `-ENOMEM`, or a `vm_mmap()` that puts a
    /// mapping across `TASK_SIZE`, which `__get_unmapped_area()` never returns.
    pub forced: Option<(usize, Forced)>,
    /// `mm->mmap_base`, the top of the top-down search.
    mmap_base: u64,
    /// `CAP_SYS_RAWIO`: fixed addresses below `mmap_min_addr` are allowed.
    privileged: bool,
    /// The fallible call (counted from 1) that fails, and its errno.
    fail_at: Option<(u32, i32)>,
    fallible_calls: u32,
}

impl Mm {
    /// An address space with nothing mapped, whose top-down search starts below
    /// `mmap_base`, which allows fixed mappings below `mmap_min_addr` if
    /// `privileged`, and where `fail_at = Some((n, errno))` makes the `n`th
    /// `vm_mmap()` or `vm_brk_flags()` that gets as far as
    /// `mmap_write_lock_killable()` (counted from 1) fail with `-errno`.
    pub fn new(mmap_base: u64, privileged: bool, fail_at: Option<(u32, i32)>) -> Self {
        Mm {
            vmas: Vec::new(),
            calls: Vec::new(),
            clobbered: Vec::new(),
            owner: Owner::Other,
            file_size: u64::MAX,
            forced: None,
            mmap_base: mmap_base & !(PAGE_SIZE - 1),
            privileged,
            fail_at,
            fallible_calls: 0,
        }
    }

    /// An unprivileged address space with nothing mapped, where the first mapping
    /// of `len` bytes without `MAP_FIXED*` and without a usable hint lands at
    /// `addr`: `vm_unmapped_area()` takes the top of the highest gap below
    /// `mmap_base`, so `mmap_base` is `addr + PAGE_ALIGN(len)`.
    pub fn placing_at(addr: u64, len: u64) -> Self {
        Mm::new(addr + page_align(len), false, None)
    }

    /// Maps the stack as `setup_arg_pages()` leaves it below `stack_top`
    /// ([`STACK_MAPPED`] bytes, `VM_GROWSDOWN`), for [`Owner::Other`].
    pub fn map_stack(&mut self, stack_top: u64) {
        self.map_other(
            stack_top - STACK_MAPPED,
            stack_top,
            PROT_READ | PROT_WRITE,
            true,
        );
    }

    /// Maps `[start, end)` for [`Owner::Other`] if it is a valid free range.
    pub fn map_other(&mut self, start: u64, end: u64, prot: u32, grows_down: bool) {
        let aligned = start.is_multiple_of(PAGE_SIZE) && end.is_multiple_of(PAGE_SIZE);
        if aligned && start < end && end <= TASK_SIZE && !self.intersects(start, end) {
            self.insert(Vma {
                start,
                end,
                prot,
                owner: Owner::Other,
                grows_down,
                file: None,
            });
        }
    }

    /// The mappings, lowest first.
    pub fn vmas(&self) -> &[Vma] {
        &self.vmas
    }

    /// The `vm_mmap()` calls, in order.
    pub fn mmaps(&self) -> Vec<Call> {
        self.calls
            .iter()
            .copied()
            .filter(|c| matches!(c, Call::Mmap { .. }))
            .collect()
    }

    /// The answer [`Mm::forced`] gives the call about to be recorded, if any.
    fn forced_answer(&self) -> Option<Forced> {
        match self.forced {
            Some((at, answer)) if at == self.calls.len() => Some(answer),
            _ => None,
        }
    }

    /// Panics if [`Mm::forced`] meant the call about to be recorded, `call`, which
    /// has no answer to force.
    fn no_forced_answer(&self, call: &str) {
        if let Some(answer) = self.forced_answer() {
            panic!("{answer:?} forced on a {call}");
        }
    }

    /// Whether every byte of `[start, end)` is mapped by `owner`.
    pub fn covered_by(&self, start: u64, end: u64, owner: Owner) -> bool {
        let mut at = start;
        for v in self.vmas.iter().filter(|v| v.end > start && v.start < end) {
            if v.start > at || v.owner != owner {
                return false;
            }
            at = v.end;
        }
        at >= end
    }

    fn intersects(&self, start: u64, end: u64) -> bool {
        self.vmas.iter().any(|v| v.start < end && start < v.end)
    }

    /// `find_vma(addr)` and the hint test of `arch_get_unmapped_area_topdown()`.
    fn hint_is_free(&self, addr: u64, len: u64) -> bool {
        match self.vmas.iter().find(|v| v.end > addr) {
            None => true,
            Some(v) => addr + len <= v.start_gap(),
        }
    }

    /// The free gaps `[start, end)` between mappings, lowest first.
    fn gaps(&self) -> Vec<(u64, u64)> {
        let mut gaps = Vec::new();
        let mut prev_end = 0;
        for v in &self.vmas {
            if v.start_gap() > prev_end {
                gaps.push((prev_end, v.start_gap()));
            }
            prev_end = prev_end.max(v.end);
        }
        if prev_end < TASK_SIZE {
            gaps.push((prev_end, TASK_SIZE));
        }
        gaps
    }

    /// `vm_unmapped_area()`: top-down below `mmap_base`, then bottom-up from
    /// `TASK_UNMAPPED_BASE`, never below `mmap_min_addr`.
    fn find_area(&self, len: u64) -> Option<u64> {
        let low = MMAP_MIN_ADDR;
        let gaps = self.gaps();
        let top_down = gaps.iter().rev().find_map(|&(s, e)| {
            let (s, e) = (s.max(low), e.min(self.mmap_base));
            (e >= s && e - s >= len).then(|| e - len)
        });
        top_down.or_else(|| {
            gaps.iter().find_map(|&(s, e)| {
                let s = s.max(TASK_UNMAPPED_BASE);
                (e >= s && e - s >= len).then_some(s)
            })
        })
    }

    /// Removes `[start, end)`, splitting the mappings it cuts, and notes what it
    /// took from other owners.
    fn remove(&mut self, start: u64, end: u64) {
        let mut kept = Vec::with_capacity(self.vmas.len() + 1);
        for v in self.vmas.drain(..) {
            if v.end <= start || end <= v.start {
                kept.push(v);
                continue;
            }
            if v.start < start {
                kept.push(Vma { end: start, ..v });
            }
            if end < v.end {
                let file = v.file.map(|(off, size)| (off + (end - v.start), size));
                kept.push(Vma {
                    start: end,
                    file,
                    ..v
                });
            }
            if v.owner != self.owner {
                let file = v
                    .file
                    .map(|(off, size)| (off + (v.start.max(start) - v.start), size));
                self.clobbered.push(Vma {
                    start: v.start.max(start),
                    end: v.end.min(end),
                    file,
                    ..v
                });
            }
        }
        self.vmas = kept;
    }

    fn insert(&mut self, vma: Vma) {
        let at = self.vmas.partition_point(|v| v.start < vma.start);
        self.vmas.insert(at, vma);
    }

    /// `mmap_write_lock_killable()` and the other failures injected at one call.
    fn injected_failure(&mut self) -> Option<i32> {
        self.fallible_calls += 1;
        match self.fail_at {
            Some((n, errno)) if n == self.fallible_calls => Some(errno),
            _ => None,
        }
    }

    /// The fixed-address tail of `__get_unmapped_area()`.
    fn check_fixed(&self, addr: u64, len: u64) -> Result<(), i32> {
        if addr > TASK_SIZE - len {
            return Err(ENOMEM);
        }
        if !addr.is_multiple_of(PAGE_SIZE) {
            return Err(EINVAL);
        }
        // security_mmap_addr(): cap_mmap_addr() without CAP_SYS_RAWIO.
        if addr < MMAP_MIN_ADDR && !self.privileged {
            return Err(EPERM);
        }
        Ok(())
    }

    fn mmap(
        &mut self,
        addr: u64,
        len: u64,
        prot: u32,
        flags: u32,
        offset: u64,
    ) -> Result<u64, i32> {
        // vm_mmap().
        if offset.wrapping_add(page_align(len)) < offset || !offset.is_multiple_of(PAGE_SIZE) {
            return Err(EINVAL);
        }
        if let Some(errno) = self.injected_failure() {
            return Err(errno);
        }
        // do_mmap().
        if len == 0 {
            return Err(EINVAL);
        }
        let fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE) != 0;
        let mut addr = addr;
        if !fixed {
            // round_hint_to_min().
            addr &= !(PAGE_SIZE - 1);
            if addr != 0 && addr < MMAP_MIN_ADDR {
                addr = MMAP_MIN_ADDR;
            }
        }
        let len = page_align(len);
        if len == 0 {
            return Err(ENOMEM);
        }
        let pgoff = offset / PAGE_SIZE;
        if pgoff.checked_add(len / PAGE_SIZE).is_none() {
            return Err(EOVERFLOW);
        }
        // __get_unmapped_area() and arch_get_unmapped_area_topdown().
        if len > TASK_SIZE {
            return Err(ENOMEM);
        }
        if !fixed {
            let hint_ok = addr != 0 && addr <= TASK_SIZE - len && self.hint_is_free(addr, len);
            if !hint_ok {
                addr = self.find_area(len).ok_or(ENOMEM)?;
            }
        }
        self.check_fixed(addr, len)?;
        if flags & MAP_FIXED_NOREPLACE != 0 && self.intersects(addr, addr + len) {
            return Err(EEXIST);
        }
        // mmap_region(): MAP_FIXED unmaps whatever was there.
        self.remove(addr, addr + len);
        self.insert(Vma {
            start: addr,
            end: addr + len,
            prot,
            owner: self.owner,
            grows_down: false,
            file: Some((offset, self.file_size)),
        });
        Ok(addr)
    }

    fn brk(&mut self, addr: u64, request: u64, vm_flags: u64) -> Result<(), i32> {
        let len = page_align(request);
        if len < request {
            return Err(ENOMEM);
        }
        if len == 0 {
            return Ok(());
        }
        if vm_flags & !VM_EXEC != 0 {
            return Err(EINVAL);
        }
        if let Some(errno) = self.injected_failure() {
            return Err(errno);
        }
        // check_brk_limits(): get_unmapped_area(NULL, addr, len, 0, MAP_FIXED).
        if len > TASK_SIZE {
            return Err(ENOMEM);
        }
        self.check_fixed(addr, len)?;
        self.remove(addr, addr + len);
        let exec = if vm_flags & VM_EXEC != 0 {
            PROT_EXEC
        } else {
            0
        };
        self.insert(Vma {
            start: addr,
            end: addr + len,
            prot: PROT_READ | PROT_WRITE | exec,
            owner: self.owner,
            grows_down: false,
            file: None,
        });
        Ok(())
    }

    /// Whether a write to the page holding `addr` succeeds.
    fn writable(&self, addr: u64) -> bool {
        let Some(v) = self.vmas.iter().find(|v| v.start <= addr && addr < v.end) else {
            return false;
        };
        if v.prot & PROT_WRITE == 0 {
            return false;
        }
        match v.file {
            None => true,
            // A page wholly past the end of the file is SIGBUS.
            Some((off, size)) => (off + (addr - v.start)) / PAGE_SIZE < size.div_ceil(PAGE_SIZE),
        }
    }
}

impl AddressSpace for Mm {
    fn vm_mmap(&mut self, addr: u64, len: u64, prot: u32, flags: u32, offset: u64) -> u64 {
        let result = match self.forced_answer() {
            Some(Forced::Mmap(result)) => result,
            Some(other) => panic!("{other:?} forced on a vm_mmap()"),
            None => match self.mmap(addr, len, prot, flags, offset) {
                Ok(at) => at,
                Err(errno) => error_value(errno),
            },
        };
        self.calls.push(Call::Mmap {
            addr,
            len,
            prot,
            flags,
            offset,
            result,
        });
        result
    }

    fn vm_munmap(&mut self, addr: u64, len: u64) {
        self.no_forced_answer("vm_munmap()");
        self.calls.push(Call::Munmap { addr, len });
        // do_vmi_munmap()'s checks; the -EINVAL is ignored by elf_load().
        if !addr.is_multiple_of(PAGE_SIZE) || addr > TASK_SIZE || len > TASK_SIZE - addr {
            return;
        }
        let end = addr + page_align(len);
        if end != addr {
            self.remove(addr, end);
        }
    }

    fn clear_user(&mut self, addr: u64, len: u64) -> u64 {
        self.no_forced_answer("clear_user()");
        // access_ok() first: nothing is cleared past TASK_SIZE_MAX.
        let left = match addr.checked_add(len) {
            Some(end) if end <= TASK_SIZE => {
                let mut at = addr;
                while at < end && self.writable(at) {
                    at = ((at / PAGE_SIZE) + 1).saturating_mul(PAGE_SIZE).min(end);
                }
                end - at
            }
            _ => len,
        };
        self.calls.push(Call::ClearUser { addr, len, left });
        left
    }

    fn vm_brk_flags(&mut self, addr: u64, len: u64, vm_flags: u64) -> i32 {
        let result = match self.forced_answer() {
            Some(Forced::Brk(result)) => result,
            Some(other) => panic!("{other:?} forced on a vm_brk_flags()"),
            None => match self.brk(addr, len, vm_flags) {
                Ok(()) => 0,
                Err(errno) => -errno,
            },
        };
        self.calls.push(Call::Brk {
            addr,
            len,
            vm_flags,
            result,
        });
        result
    }

    fn report_segment_collision(&mut self, addr: u64) {
        self.no_forced_answer("pr_info()");
        self.calls.push(Call::Collision { addr });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use binfmt_rs_core::mman::MAP_PRIVATE;

    const R: u32 = PROT_READ;
    const RW: u32 = PROT_READ | PROT_WRITE;
    const FIXED: u32 = MAP_PRIVATE | MAP_FIXED;
    const NOREPLACE: u32 = MAP_PRIVATE | MAP_FIXED_NOREPLACE;

    #[test]
    fn top_down_below_mmap_base_and_hints_only_when_free() {
        // The first mapping where placing_at() says, the next right below it.
        let mut mm = Mm::placing_at(0x7fff_f7ff_a000, 0x5000);
        assert_eq!(mm.vm_mmap(0, 0x5000, R, MAP_PRIVATE, 0), 0x7fff_f7ff_a000);
        assert_eq!(mm.vm_mmap(0, 0x1000, R, MAP_PRIVATE, 0), 0x7fff_f7ff_9000);
        // A free hint is taken, one that overlaps a mapping is not.
        assert_eq!(mm.vm_mmap(0x40_0000, 0x2000, R, MAP_PRIVATE, 0), 0x40_0000);
        assert_eq!(
            mm.vm_mmap(0x40_1000, 0x1000, R, MAP_PRIVATE, 0),
            0x7fff_f7ff_8000
        );
        // Nothing lands in the guard gap below the stack.
        let mut mm = Mm::new(TASK_SIZE, false, None);
        mm.map_stack(TASK_SIZE);
        let stack = TASK_SIZE - STACK_MAPPED;
        assert_eq!(
            mm.vm_mmap(0, 0x1000, R, MAP_PRIVATE, 0),
            stack - STACK_GUARD_GAP - 0x1000
        );
    }

    #[test]
    fn fixed_mappings_are_checked_and_replace_what_is_there() {
        let mut mm = Mm::new(MMAP_BASE, false, None);
        assert_eq!(mm.vm_mmap(0x1000, 0x1000, R, FIXED, 0), error_value(EPERM));
        assert_eq!(
            mm.vm_mmap(TASK_SIZE - 0x1000, 0x2000, R, FIXED, 0),
            error_value(ENOMEM)
        );
        assert_eq!(
            mm.vm_mmap(0x40_0000, 0x1000, R, FIXED, 0x10),
            error_value(EINVAL)
        );
        assert!(mm.vmas().is_empty());
        let mut privileged = Mm::new(MMAP_BASE, true, None);
        assert_eq!(privileged.vm_mmap(0x1000, 0x1000, R, FIXED, 0), 0x1000);

        // Over the stack: MAP_FIXED_NOREPLACE fails, MAP_FIXED splits it.
        mm.map_stack(TASK_SIZE);
        let stack = TASK_SIZE - STACK_MAPPED;
        assert_eq!(
            mm.vm_mmap(stack + 0x1000, 0x1000, R, NOREPLACE, 0),
            error_value(EEXIST)
        );
        assert!(mm.clobbered.is_empty());
        mm.owner = Owner::Program;
        assert_eq!(
            mm.vm_mmap(stack + 0x1000, 0x1000, R, FIXED, 0),
            stack + 0x1000
        );
        assert_eq!(mm.vmas().len(), 3);
        assert!(mm.covered_by(stack + 0x1000, stack + 0x2000, Owner::Program));
        let taken: Vec<_> = mm.clobbered.iter().map(|v| (v.start, v.end)).collect();
        assert_eq!(taken, [(stack + 0x1000, stack + 0x2000)]);
    }

    #[test]
    fn clear_user_stops_at_a_read_only_page_or_the_end_of_the_file() {
        let mut mm = Mm::new(MMAP_BASE, false, None);
        // A file of a page and a half: the third page mapped lies past its end.
        mm.file_size = 0x1800;
        mm.vm_mmap(0x40_0000, 0x3000, RW, FIXED, 0);
        assert_eq!(mm.clear_user(0x40_0800, 0x2000), 0x800);
        mm.vm_mmap(0x50_0000, 0x1000, R, FIXED, 0);
        assert_eq!(mm.clear_user(0x50_0010, 0xff0), 0xff0);
        assert_eq!(mm.clear_user(0x60_0000, 0x10), 0x10, "nothing mapped");
        assert_eq!(
            mm.calls.last(),
            Some(&Call::ClearUser {
                addr: 0x60_0000,
                len: 0x10,
                left: 0x10
            })
        );
    }

    #[test]
    fn brk_checks_and_injected_failures() {
        let mut mm = Mm::new(MMAP_BASE, false, Some((2, EINTR)));
        // Length 0 does nothing and is not counted.
        assert_eq!(mm.vm_brk_flags(0x40_0000, 0, 0), 0);
        assert_eq!(mm.vm_brk_flags(0, 0x1000, 0), -EPERM);
        assert_eq!(mm.vm_brk_flags(0x40_0000, 0x1000, 0), -EINTR);
        assert_eq!(mm.vm_brk_flags(TASK_SIZE, 0x1000, 0), -ENOMEM);
        assert_eq!(mm.vm_brk_flags(0x40_0000, 0x1000, 0x1), -EINVAL);
        assert_eq!(mm.vm_brk_flags(0x40_0000, 0x1000, VM_EXEC), 0);
        assert!(mm.covered_by(0x40_0000, 0x40_1000, Owner::Other));
        assert_eq!(mm.vmas()[0].prot, PROT_READ | PROT_WRITE | PROT_EXEC);
    }

    #[test]
    fn a_forced_answer_changes_nothing_and_is_not_counted() {
        let mut mm = Mm::new(MMAP_BASE, false, Some((1, ENOMEM)));
        mm.forced = Some((0, Forced::Mmap(TASK_SIZE - 0x1000)));
        assert_eq!(mm.vm_mmap(0, 0x2000, R, MAP_PRIVATE, 0), TASK_SIZE - 0x1000);
        assert!(mm.vmas().is_empty());
        assert_eq!(
            mm.vm_mmap(0, 0x1000, R, MAP_PRIVATE, 0),
            error_value(ENOMEM)
        );
        assert_eq!(
            mm.mmaps()[0],
            Call::Mmap {
                addr: 0,
                len: 0x2000,
                prot: R,
                flags: MAP_PRIVATE,
                offset: 0,
                result: TASK_SIZE - 0x1000
            }
        );
    }

    #[test]
    #[should_panic(expected = "forced on a vm_brk_flags()")]
    fn a_forced_answer_is_for_its_kind_of_call() {
        let mut mm = Mm::new(MMAP_BASE, false, None);
        mm.forced = Some((0, Forced::Mmap(0)));
        mm.vm_brk_flags(0x40_0000, 0x1000, 0);
    }
}
