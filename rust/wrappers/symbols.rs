// SPDX-License-Identifier: GPL-2.0

//! Kernel functions binfmt_rs calls that the kernel does not export to modules.
//!
//! `load_elf_binary()` calls them directly; a module has to find them. The one door
//! left is `kallsyms_lookup_name()`, itself unexported since 5.7: a kprobe placed on
//! it by name reports its address. Each symbol is resolved once, at module init,
//! and the module refuses to load if one is missing, so no exec ever finds a hole.
//!
//! An address found this way is only safe to call if the function can be the
//! target of an indirect call. A kernel built with CONFIG_X86_KERNEL_IBT starts
//! functions with ENDBR64, and at boot `apply_seal_endbr()` "seals" those whose
//! address the kernel never takes, all the ones binfmt_rs calls but the core dump
//! writer among them, by overwriting ENDBR64 with a 4-byte NOP. On a CPU that enforces IBT an indirect
//! call to a sealed function traps; elsewhere the NOP is harmless. So every target
//! is checked, and refused when IBT is enforced and the target has no ENDBR64.

use core::ffi::c_void;
use kernel::c_str;
use kernel::error::code::{EFAULT, ENOENT};
use kernel::ffi::{c_char, c_int, c_ulong};
use kernel::prelude::*;
use kernel::str::CStr;

use crate::bindings;
#[cfg(CONFIG_ARM64)]
pub(crate) use crate::wrappers::arm64::ArchSymbols;
use crate::wrappers::bprm::Bprm;
use crate::wrappers::current::Mm;
#[cfg(CONFIG_X86_64)]
pub(crate) use crate::wrappers::x86::ArchSymbols;

/// The encoding of `endbr64`.
const ENDBR64: [u8; 4] = [0xf3, 0x0f, 0x1e, 0xfa];
/// What `apply_seal_endbr()` writes over a sealed ENDBR64: `gen_endbr_poison()`
/// (arch/x86/include/asm/ibt.h), `osp nopl (%rax)`.
const ENDBR64_SEALED: [u8; 4] = [0x66, 0x0f, 0x1f, 0x00];

type KallsymsLookupName = unsafe extern "C" fn(*const c_char) -> c_ulong;

/// The kernel functions and variables `load_elf_binary()` uses that modules cannot
/// link against. The functions are called through the trampolines of
/// rust/helpers.c, typed by the kernel's own declarations; the methods below are
/// the only way to reach them.
///
/// Functions whose only hidden input is a random number (`arch_align_stack()`,
/// `arch_randomize_brk()`) are not here: the core mirrors them and the glue feeds
/// them from the exported RNG. The ones here read kernel state a module cannot see
/// (`mmap_rnd_bits`, `current->flags`) or act on the mm.
///
/// # Invariants
///
/// Each function field is the entry of the function it is named after, checked by
/// [`check_callable`]; each data field points to the live kernel variable it is
/// named after.
pub(crate) struct Symbols {
    arch_setup_additional_pages: *const c_void,
    randomize_stack_top: *const c_void,
    arch_mmap_rnd: *const c_void,
    find_extend_vma_locked: *const c_void,
    do_mseal: *const c_void,
    /// `int randomize_va_space` (mm/memory.c): the sysctl kernel.randomize_va_space.
    randomize_va_space: *const c_int,
    /// binfmt_elf's own `struct linux_binfmt elf_format` (fs/binfmt_elf.c), for its
    /// core dump writer. The writer, `elf_core_dump()`, cannot be looked up by name:
    /// compat_binfmt_elf.c builds a second, 32-bit one under the same name.
    pub(crate) elf_format: *const bindings::linux_binfmt,
    /// `rwlock_t binfmt_lock` (fs/exec.c): the lock of the list of formats.
    pub(crate) binfmt_lock: *mut bindings::rwlock_t,
    /// What only this architecture's loader calls (rust/wrappers/x86.rs,
    /// rust/wrappers/arm64.rs).
    pub(crate) arch: ArchSymbols,
}

impl Symbols {
    /// `arch_setup_additional_pages(bprm, uses_interp)` (arch/x86/entry/vdso/vma.c,
    /// arch/arm64/kernel/vdso.c): maps the vDSO and its data pages into the
    /// current mm (`[vvar]`, `[vdso]`).
    pub(crate) fn arch_setup_additional_pages(&self, bprm: &mut Bprm, uses_interp: bool) -> Result {
        // SAFETY: the function's entry (type invariant), called as declared, with the
        // bprm of the exec in progress; it takes the mmap lock itself.
        let ret = unsafe {
            bindings::binfmt_rs_call_arch_setup_additional_pages(
                self.arch_setup_additional_pages,
                bprm.as_ptr(),
                c_int::from(uses_interp),
            )
        };
        crate::wrappers::to_result(ret)
    }

    /// `randomize_stack_top(stack_top)` (mm/util.c), by the current task's
    /// `PF_RANDOMIZE`.
    pub(crate) fn randomize_stack_top(&self, stack_top: u64) -> u64 {
        // SAFETY: the function's entry (type invariant), called as declared; it reads
        // the current task and the RNG.
        let top = unsafe {
            bindings::binfmt_rs_call_randomize_stack_top(
                self.randomize_stack_top,
                stack_top as usize,
            )
        };
        top as u64
    }

    /// `arch_mmap_rnd()` (arch/x86/mm/mmap.c, mm/util.c on arm64): a page-aligned
    /// random offset of the mmap base's size.
    pub(crate) fn arch_mmap_rnd(&self) -> u64 {
        // SAFETY: the function's entry (type invariant), called as declared; it reads
        // the mmap_rnd_bits sysctl and the RNG.
        unsafe { bindings::binfmt_rs_call_arch_mmap_rnd(self.arch_mmap_rnd) as u64 }
    }

    /// `do_mseal(start, len, flags)` (mm/mseal.c) on the current mm: 0 or a
    /// negative errno.
    pub(crate) fn do_mseal(&self, start: u64, len: u64, flags: u64) -> i32 {
        // SAFETY: the function's entry (type invariant), called as declared; it takes
        // the mmap lock itself and checks its arguments.
        unsafe {
            bindings::binfmt_rs_call_do_mseal(
                self.do_mseal,
                start as usize,
                len as usize,
                flags as usize,
            )
        }
    }

    /// `find_extend_vma_locked(mm, addr)` (mm/mmap.c) under `mm`'s mmap lock, as
    /// `create_elf_tables()` extends the stack down to `addr`: 0, `-EINTR` or
    /// `-EFAULT`.
    pub(crate) fn extend_stack_to(&self, mm: &Mm, addr: u64) -> i32 {
        // SAFETY: the function's entry (type invariant); the trampoline takes and
        // releases the lock the function needs around the call; `mm` is live.
        unsafe {
            bindings::binfmt_rs_call_find_extend_vma_locked(
                self.find_extend_vma_locked,
                mm.as_ptr(),
                addr as usize,
            )
        }
    }

    /// The `kernel.randomize_va_space` sysctl now, read once as `READ_ONCE()` does.
    pub(crate) fn randomize_va_space(&self) -> i32 {
        // SAFETY: a live kernel int (type invariant); a racy read is what READ_ONCE()
        // does in the C.
        unsafe { core::ptr::read_volatile(self.randomize_va_space) }
    }
}

/// Resolves every symbol binfmt_rs needs, or fails with one line in the log.
/// Module init calls it before the format is registered, so that a registered
/// format never runs with a symbol missing.
pub(crate) fn resolve() -> Result<Symbols> {
    let lookup = Lookup(find_kallsyms_lookup_name()?);
    // INVARIANT: each function is the checked entry of the symbol of its name, each
    // variable the address of its symbol.
    let symbols = Symbols {
        arch_setup_additional_pages: lookup.func(c_str!("arch_setup_additional_pages"))?,
        randomize_stack_top: lookup.func(c_str!("randomize_stack_top"))?,
        arch_mmap_rnd: lookup.func(c_str!("arch_mmap_rnd"))?,
        find_extend_vma_locked: lookup.func(c_str!("find_extend_vma_locked"))?,
        do_mseal: lookup.func(c_str!("do_mseal"))?,
        randomize_va_space: lookup.data(c_str!("randomize_va_space"))? as *const c_int,
        elf_format: lookup.data(c_str!("elf_format"))? as *const bindings::linux_binfmt,
        binfmt_lock: lookup.data(c_str!("binfmt_lock"))? as *mut bindings::rwlock_t,
        arch: ArchSymbols::resolve(&lookup)?,
    };
    Ok(symbols)
}

/// `kallsyms_lookup_name()`, for the architecture's symbols to be found too.
pub(crate) struct Lookup(KallsymsLookupName);

impl Lookup {
    /// The address of variable `name`.
    pub(crate) fn data(&self, name: &CStr) -> Result<usize> {
        lookup_address(self.0, name)
    }

    /// The checked entry of function `name`.
    pub(crate) fn func(&self, name: &CStr) -> Result<*const c_void> {
        lookup_callable(self.0, name).map(|addr| addr as *const c_void)
    }
}

/// Finds `kallsyms_lookup_name()` through a kprobe on it.
fn find_kallsyms_lookup_name() -> Result<KallsymsLookupName> {
    // SAFETY: all-zero is the state register_kprobe() expects of a fresh kprobe.
    let mut probe: bindings::kprobe = unsafe { core::mem::zeroed() };
    probe.symbol_name = c_str!("kallsyms_lookup_name").as_char_ptr();
    // Registered disabled: only the address is wanted, so the text is never patched.
    probe.flags = bindings::KPROBE_FLAG_DISABLED;
    // SAFETY: `probe` is a valid kprobe that stays in place until unregistered below.
    let ret = unsafe { bindings::register_kprobe(&mut probe) };
    if ret < 0 {
        pr_err!("cannot find kallsyms_lookup_name through a kprobe ({ret}); not loading\n");
        return Err(Error::from_errno(ret));
    }
    let probed = probe.addr as usize;
    // SAFETY: `probe` was registered above.
    unsafe { bindings::unregister_kprobe(&mut probe) };

    // arch_adjust_kprobe_addr() places a probe on a function's entry after its
    // ENDBR64, sealed or not (is_endbr() accepts both), so the function starts 4
    // bytes earlier when those bytes are either. Without IBT no function starts
    // with them, and the padding between functions never encodes them.
    // Other architectures place it on the entry itself.
    let entry = match cfg!(CONFIG_X86) {
        true => match read_text(probed.wrapping_sub(ENDBR64.len())) {
            Ok(bytes) if bytes == ENDBR64 || bytes == ENDBR64_SEALED => probed - ENDBR64.len(),
            _ => probed,
        },
        false => probed,
    };
    check_callable(c_str!("kallsyms_lookup_name"), entry)?;
    // SAFETY: `entry` is the checked entry of kallsyms_lookup_name(), whose prototype
    // is `unsigned long kallsyms_lookup_name(const char *name)`.
    Ok(unsafe { core::mem::transmute::<usize, KallsymsLookupName>(entry) })
}

/// Looks `name` up.
fn lookup_address(lookup: KallsymsLookupName, name: &CStr) -> Result<usize> {
    // SAFETY: `lookup` is kallsyms_lookup_name() and `name` is NUL-terminated.
    let addr = unsafe { lookup(name.as_char_ptr()) };
    if addr == 0 {
        pr_err!("kernel symbol {} not found; not loading\n", name);
        return Err(ENOENT);
    }
    Ok(addr)
}

/// binfmt_elf's core dump writer and its minimum size, checked like any other
/// function binfmt_rs calls (it is called indirectly already, so never sealed).
#[cfg(CONFIG_COREDUMP)]
pub(crate) fn elf_core_dump(symbols: &Symbols) -> Result<(CoreDump, c_ulong)> {
    core_dump_of(symbols.elf_format)
}

/// compat_binfmt_elf's core dump writer (its `elf_core_dump()`, built for 32-bit
/// notes) and its minimum size, checked the same way.
#[cfg(all(CONFIG_COREDUMP, binfmt_rs_compat))]
pub(crate) fn compat_elf_core_dump(symbols: &Symbols) -> Result<(CoreDump, c_ulong)> {
    core_dump_of(symbols.arch.compat.compat_elf_format)
}

/// The core dump writer of one of the kernel's ELF formats.
#[cfg(CONFIG_COREDUMP)]
fn core_dump_of(format: *const bindings::linux_binfmt) -> Result<(CoreDump, c_ulong)> {
    // `format` is binfmt_elf's or compat_binfmt_elf's static format, built in and
    // never freed (type invariant of `Symbols`).
    // SAFETY: a live format, whose fields are constant after initialisation.
    let (dump, min) = unsafe { ((*format).core_dump, (*format).min_coredump) };
    let dump = dump.ok_or(ENOENT)?;
    check_callable(c_str!("elf_core_dump"), dump as usize)?;
    Ok((dump, min))
}

/// `int (*core_dump)(struct coredump_params *)` of `struct linux_binfmt`.
pub(crate) type CoreDump = unsafe extern "C" fn(*mut bindings::coredump_params) -> c_int;

/// Looks function `name` up and checks that it may be called indirectly.
fn lookup_callable(lookup: KallsymsLookupName, name: &CStr) -> Result<usize> {
    let addr = lookup_address(lookup, name)?;
    check_callable(name, addr)?;
    Ok(addr)
}

/// Refuses a target that an indirect call would trap on: a sealed function, once
/// IBT is enforced.
#[cfg(CONFIG_X86_KERNEL_IBT)]
fn check_callable(name: &CStr, addr: usize) -> Result {
    if !ibt_enforced() || read_text(addr)? == ENDBR64 {
        return Ok(());
    }
    pr_err!(
        "kernel symbol {} has no ENDBR64 (sealed) and IBT is enforced; not loading (boot with ibt=off)\n",
        name
    );
    Err(Error::from_errno(-(bindings::EOPNOTSUPP as i32)))
}

/// Without IBT every entry may be called indirectly. arm64's BTI needs no check
/// either: the compiler starts every function that may be called indirectly, all
/// global ones among them, with a landing pad.
#[cfg(not(CONFIG_X86_KERNEL_IBT))]
fn check_callable(_: &CStr, _: usize) -> Result {
    Ok(())
}

/// Whether the CPU enforces Indirect Branch Tracking in the kernel.
#[cfg(CONFIG_X86_KERNEL_IBT)]
fn ibt_enforced() -> bool {
    // SAFETY: a plain read of the boot CPU's capabilities, set up before any module
    // can load.
    unsafe { bindings::binfmt_rs_ibt_enforced() }
}

/// Reads the first bytes of kernel text at `addr`, faulting safely.
fn read_text(addr: usize) -> Result<[u8; 4]> {
    let mut bytes = [0u8; 4];
    // SAFETY: copy_from_kernel_nofault() checks `addr` and returns an error rather than
    // faulting; `bytes` is a writable local of the requested size.
    let ret = unsafe {
        bindings::copy_from_kernel_nofault(
            bytes.as_mut_ptr().cast::<c_void>(),
            addr as *const c_void,
            bytes.len(),
        )
    };
    if ret != 0 {
        return Err(EFAULT);
    }
    Ok(bytes)
}
