// SPDX-License-Identifier: GPL-2.0

//! The x86 kernel's own: the functions and variables only x86's
//! `load_elf_binary()` uses (arch/x86/include/asm/elf.h's macros behind them),
//! for x86_64 programs and, with `CONFIG_IA32_EMULATION`, i386 ones.

use core::ffi::c_void;
use kernel::c_str;
#[cfg(CONFIG_IA32_EMULATION)]
use kernel::ffi::c_int;
use kernel::ffi::c_uint;
use kernel::prelude::*;

use crate::bindings;
#[cfg(CONFIG_IA32_EMULATION)]
use crate::wrappers::bprm::Bprm;
use crate::wrappers::symbols::Lookup;

/// The x86 symbols of [`Symbols`](crate::wrappers::symbols::Symbols).
///
/// # Invariants
///
/// As for [`Symbols`](crate::wrappers::symbols::Symbols).
pub(crate) struct ArchSymbols {
    set_personality_64bit: *const c_void,
    get_sigframe_size: *const c_void,
    /// `u32 elf_hwcap2` (arch/x86/kernel/cpu/common.c): AT_HWCAP2.
    elf_hwcap2: *const u32,
    /// `unsigned int vdso64_enabled` (arch/x86/entry/vdso/vma.c): the `vdso=` boot option.
    vdso64_enabled: *const c_uint,
    /// What fs/compat_binfmt_elf.c's loader calls for an i386 program.
    #[cfg(CONFIG_IA32_EMULATION)]
    pub(crate) compat: CompatSymbols,
}

impl ArchSymbols {
    pub(crate) fn resolve(lookup: &Lookup) -> Result<Self> {
        // INVARIANT: each function is the checked entry of the symbol of its name,
        // each variable the address of its symbol.
        Ok(ArchSymbols {
            set_personality_64bit: lookup.func(c_str!("set_personality_64bit"))?,
            get_sigframe_size: lookup.func(c_str!("get_sigframe_size"))?,
            elf_hwcap2: lookup.data(c_str!("elf_hwcap2"))? as *const u32,
            vdso64_enabled: lookup.data(c_str!("vdso64_enabled"))? as *const c_uint,
            #[cfg(CONFIG_IA32_EMULATION)]
            compat: CompatSymbols {
                compat_arch_setup_additional_pages: lookup
                    .func(c_str!("compat_arch_setup_additional_pages"))?,
                compat_start_thread: lookup.func(c_str!("compat_start_thread"))?,
                ia32_enabled: lookup.data(c_str!("__ia32_enabled"))? as *const bool,
                vdso_image_32: lookup.data(c_str!("vdso_image_32"))? as *const bindings::vdso_image,
                compat_elf_format: lookup.data(c_str!("compat_elf_format"))?
                    as *const bindings::linux_binfmt,
            },
        })
    }

    /// `set_personality_64bit()` (arch/x86/kernel/process_64.c), what
    /// `SET_PERSONALITY()` does: the current task becomes a 64-bit one, which
    /// among others makes `[vsyscall]` visible.
    pub(crate) fn set_personality_64bit(&self) {
        // SAFETY: the function's entry (type invariant), called as declared; it only
        // changes the current task's flags.
        unsafe { bindings::binfmt_rs_call_set_personality_64bit(self.set_personality_64bit) }
    }

    /// `get_sigframe_size()` (arch/x86/kernel/signal.c): AT_MINSIGSTKSZ.
    pub(crate) fn get_sigframe_size(&self) -> u64 {
        // SAFETY: the function's entry (type invariant), called as declared; it reads
        // a boot-time value.
        unsafe { bindings::binfmt_rs_call_get_sigframe_size(self.get_sigframe_size) as u64 }
    }

    /// `elf_hwcap2`, for AT_HWCAP2.
    pub(crate) fn elf_hwcap2(&self) -> u64 {
        // SAFETY: a live kernel variable (type invariant), set at boot.
        u64::from(unsafe { core::ptr::read_volatile(self.elf_hwcap2) })
    }

    /// Whether the 64-bit vDSO is mapped (`vdso64_enabled`, the `vdso=` boot option).
    pub(crate) fn vdso64_enabled(&self) -> bool {
        // SAFETY: a live kernel variable (type invariant), set at boot.
        unsafe { core::ptr::read_volatile(self.vdso64_enabled) != 0 }
    }
}

/// The kernel functions and variables compat_binfmt_elf.c's `load_elf_binary()`
/// uses where binfmt_elf.c's uses others.
///
/// # Invariants
///
/// As for [`Symbols`](crate::wrappers::symbols::Symbols).
#[cfg(CONFIG_IA32_EMULATION)]
pub(crate) struct CompatSymbols {
    compat_arch_setup_additional_pages: *const c_void,
    compat_start_thread: *const c_void,
    /// `bool __ia32_enabled` (arch/x86/entry/common.c): the `ia32_emulation=` boot
    /// option.
    ia32_enabled: *const bool,
    /// `const struct vdso_image vdso_image_32` (arch/x86/entry/vdso/vdso-image-32.c).
    vdso_image_32: *const bindings::vdso_image,
    /// compat_binfmt_elf's own `struct linux_binfmt` (`compat_elf_format`, the
    /// `elf_format` of fs/compat_binfmt_elf.c), for its core dump writer.
    pub(crate) compat_elf_format: *const bindings::linux_binfmt,
}

#[cfg(CONFIG_IA32_EMULATION)]
impl CompatSymbols {
    /// `ia32_enabled()` (arch/x86/include/asm/ia32.h): whether 32-bit programs may
    /// run at all, the half of `compat_elf_check_arch()` the header does not decide.
    pub(crate) fn ia32_enabled(&self) -> bool {
        // SAFETY: a live kernel variable (type invariant), set at boot.
        unsafe { bindings::binfmt_rs_ia32_enabled(self.ia32_enabled) }
    }

    /// `compat_arch_setup_additional_pages(bprm, uses_interp, false)`
    /// (arch/x86/entry/vdso/vma.c): maps the 32-bit `[vvar]` and `[vdso]` if
    /// `vdso32_enabled`.
    pub(crate) fn arch_setup_additional_pages(&self, bprm: &mut Bprm, uses_interp: bool) -> Result {
        // SAFETY: the function's entry (type invariant), called as declared, with the
        // bprm of the exec in progress; it takes the mmap lock itself.
        let ret = unsafe {
            bindings::binfmt_rs_call_compat_arch_setup_additional_pages(
                self.compat_arch_setup_additional_pages,
                bprm.as_ptr(),
                c_int::from(uses_interp),
            )
        };
        crate::wrappers::to_result(ret)
    }

    /// `compat_start_thread(current_pt_regs(), ip, sp, false)`
    /// (arch/x86/kernel/process_64.c): returns to user space in 32-bit mode
    /// (`__USER32_CS`).
    pub(crate) fn start_thread(&self, entry: u32, sp: u32) {
        // SAFETY: the function's entry (type invariant), called as declared with the
        // current task's saved user registers; it only sets registers.
        unsafe { bindings::binfmt_rs_call_compat_start_thread(self.compat_start_thread, entry, sp) }
    }

    /// `VDSO_ENTRY` for a 32-bit vDSO mapped at `vdso`: its `__kernel_vsyscall`.
    pub(crate) fn vdso_entry(&self, vdso: u64) -> u64 {
        // SAFETY: `vdso_image_32` is the kernel's constant image (type invariant).
        unsafe { bindings::binfmt_rs_vdso32_entry(self.vdso_image_32, vdso as usize) as u64 }
    }
}
