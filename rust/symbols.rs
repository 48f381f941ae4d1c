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
//! address the kernel never takes, both of the ones binfmt_rs needs among them, by
//! overwriting ENDBR64 with a 4-byte NOP. On a CPU that enforces IBT an indirect
//! call to a sealed function traps; elsewhere the NOP is harmless. So every target
//! is checked, and refused when IBT is enforced and the target has no ENDBR64.

use core::ffi::c_void;
use core::sync::atomic::{AtomicUsize, Ordering};
use kernel::c_str;
use kernel::error::code::{EFAULT, ENOENT};
use kernel::ffi::{c_char, c_int, c_ulong};
use kernel::prelude::*;
use kernel::str::CStr;

use crate::bindings;

/// The encoding of `endbr64`.
const ENDBR64: [u8; 4] = [0xf3, 0x0f, 0x1e, 0xfa];
/// What `apply_seal_endbr()` writes over a sealed ENDBR64: `gen_endbr_poison()`
/// (arch/x86/include/asm/ibt.h), `osp nopl (%rax)`.
const ENDBR64_SEALED: [u8; 4] = [0x66, 0x0f, 0x1f, 0x00];
/// `-EOPNOTSUPP`: the kernel runs in a way binfmt_rs cannot work with.
const EOPNOTSUPP: i32 = -95;

type KallsymsLookupName = unsafe extern "C" fn(*const c_char) -> c_ulong;

/// `int arch_setup_additional_pages(struct linux_binprm *bprm, int uses_interp)`
/// (arch/x86/entry/vdso/vma.c): maps `[vvar]` and `[vdso]`.
pub(crate) type ArchSetupAdditionalPages =
    unsafe extern "C" fn(*mut bindings::linux_binprm, c_int) -> c_int;

static ARCH_SETUP_ADDITIONAL_PAGES: AtomicUsize = AtomicUsize::new(0);

/// Resolves every symbol binfmt_rs needs, or fails with one line in the log.
pub(crate) fn resolve() -> Result {
    let lookup = find_kallsyms_lookup_name()?;
    let vdso = lookup_callable(lookup, c_str!("arch_setup_additional_pages"))?;
    // Release pairs with the Acquire in `arch_setup_additional_pages()`; the format
    // is registered only after this store.
    ARCH_SETUP_ADDITIONAL_PAGES.store(vdso, Ordering::Release);
    Ok(())
}

/// The resolved `arch_setup_additional_pages()`.
#[allow(dead_code)]
pub(crate) fn arch_setup_additional_pages() -> ArchSetupAdditionalPages {
    let addr = ARCH_SETUP_ADDITIONAL_PAGES.load(Ordering::Acquire);
    // SAFETY: `resolve()` stored the checked entry address of the function, whose C
    // prototype `ArchSetupAdditionalPages` matches, before the format was
    // registered; module init fails, and nothing can call this, if it did not.
    unsafe { core::mem::transmute::<usize, ArchSetupAdditionalPages>(addr) }
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
    let entry = match read_text(probed.wrapping_sub(ENDBR64.len())) {
        Ok(bytes) if bytes == ENDBR64 || bytes == ENDBR64_SEALED => probed - ENDBR64.len(),
        _ => probed,
    };
    check_callable(c_str!("kallsyms_lookup_name"), entry)?;
    // SAFETY: `entry` is the checked entry of kallsyms_lookup_name(), whose prototype
    // is `unsigned long kallsyms_lookup_name(const char *name)`.
    Ok(unsafe { core::mem::transmute::<usize, KallsymsLookupName>(entry) })
}

/// Looks `name` up and checks that it may be called indirectly.
fn lookup_callable(lookup: KallsymsLookupName, name: &CStr) -> Result<usize> {
    // SAFETY: `lookup` is kallsyms_lookup_name() and `name` is NUL-terminated.
    let addr = unsafe { lookup(name.as_char_ptr()) };
    if addr == 0 {
        pr_err!("kernel symbol {} not found; not loading\n", name);
        return Err(ENOENT);
    }
    check_callable(name, addr)?;
    Ok(addr)
}

/// Refuses a target that an indirect call would trap on.
fn check_callable(name: &CStr, addr: usize) -> Result {
    if !cfg!(CONFIG_X86_KERNEL_IBT) || !ibt_enforced() || read_text(addr)? == ENDBR64 {
        return Ok(());
    }
    pr_err!(
        "kernel symbol {} has no ENDBR64 (sealed) and IBT is enforced; not loading (boot with ibt=off)\n",
        name
    );
    Err(Error::from_errno(EOPNOTSUPP))
}

/// Whether the CPU enforces Indirect Branch Tracking in the kernel.
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
