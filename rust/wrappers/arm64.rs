// SPDX-License-Identifier: GPL-2.0

//! The arm64 kernel's own: the functions and variables only arm64's
//! `load_elf_binary()` uses (arch/arm64/include/asm/elf.h's and hwcap.h's macros
//! behind them), for AArch64 programs and, with `CONFIG_COMPAT`, AArch32 ones,
//! and the macros on the current task that rust/helpers.c wraps.

use core::ffi::c_void;
use kernel::c_str;
use kernel::ffi::{c_uint, c_ulong};
use kernel::prelude::*;

use crate::bindings;
use crate::wrappers::bprm::Bprm;
use crate::wrappers::symbols::Lookup;

/// The arm64 symbols of [`Symbols`](crate::wrappers::symbols::Symbols).
///
/// # Invariants
///
/// As for [`Symbols`](crate::wrappers::symbols::Symbols).
pub(crate) struct ArchSymbols {
    cpu_get_elf_hwcap: *const c_void,
    cpu_get_elf_hwcap2: *const c_void,
    spectre_v4_enable_task_mitigation: *const c_void,
    /// `unsigned long signal_minsigstksz` (arch/arm64/kernel/signal.c):
    /// AT_MINSIGSTKSZ.
    signal_minsigstksz: *const c_ulong,
    /// What fs/compat_binfmt_elf.c's loader calls for an AArch32 program.
    #[cfg(CONFIG_COMPAT)]
    pub(crate) compat: CompatSymbols,
}

/// The kernel functions and variables compat_binfmt_elf.c's `load_elf_binary()`
/// uses on arm64 where binfmt_elf.c's uses others.
///
/// # Invariants
///
/// As for [`Symbols`](crate::wrappers::symbols::Symbols).
#[cfg(CONFIG_COMPAT)]
pub(crate) struct CompatSymbols {
    compat_elf_check_arch: *const c_void,
    aarch32_setup_additional_pages: *const c_void,
    /// `unsigned int compat_elf_hwcap` (arch/arm64/kernel/cpufeature.c).
    compat_elf_hwcap: *const c_uint,
    /// `unsigned int compat_elf_hwcap2`.
    compat_elf_hwcap2: *const c_uint,
    /// compat_binfmt_elf's own `struct linux_binfmt` (`compat_elf_format`), for
    /// its core dump writer.
    pub(crate) compat_elf_format: *const bindings::linux_binfmt,
}

impl ArchSymbols {
    pub(crate) fn resolve(lookup: &Lookup) -> Result<Self> {
        // INVARIANT: each function is the checked entry of the symbol of its name,
        // each variable the address of its symbol.
        Ok(ArchSymbols {
            cpu_get_elf_hwcap: lookup.func(c_str!("cpu_get_elf_hwcap"))?,
            cpu_get_elf_hwcap2: lookup.func(c_str!("cpu_get_elf_hwcap2"))?,
            spectre_v4_enable_task_mitigation: lookup
                .func(c_str!("spectre_v4_enable_task_mitigation"))?,
            signal_minsigstksz: lookup.data(c_str!("signal_minsigstksz"))? as *const c_ulong,
            #[cfg(CONFIG_COMPAT)]
            compat: CompatSymbols {
                compat_elf_check_arch: lookup.func(c_str!("compat_elf_check_arch"))?,
                aarch32_setup_additional_pages: lookup
                    .func(c_str!("aarch32_setup_additional_pages"))?,
                compat_elf_hwcap: lookup.data(c_str!("compat_elf_hwcap"))? as *const c_uint,
                compat_elf_hwcap2: lookup.data(c_str!("compat_elf_hwcap2"))? as *const c_uint,
                compat_elf_format: lookup.data(c_str!("compat_elf_format"))?
                    as *const bindings::linux_binfmt,
            },
        })
    }

    /// `ELF_HWCAP` and `ELF_HWCAP2`: `cpu_get_elf_hwcap()` and
    /// `cpu_get_elf_hwcap2()` (arch/arm64/kernel/cpufeature.c).
    pub(crate) fn elf_hwcaps(&self) -> (u64, u64) {
        // SAFETY: the functions' entries (type invariant), called as declared; they
        // read the boot CPU's capabilities.
        unsafe {
            (
                bindings::binfmt_rs_call_cpu_get_elf_hwcap(self.cpu_get_elf_hwcap) as u64,
                bindings::binfmt_rs_call_cpu_get_elf_hwcap2(self.cpu_get_elf_hwcap2) as u64,
            )
        }
    }

    /// `signal_minsigstksz`, set at boot from the CPU's largest signal frame.
    pub(crate) fn signal_minsigstksz(&self) -> u64 {
        // SAFETY: a live kernel variable (type invariant), set at boot.
        unsafe { core::ptr::read_volatile(self.signal_minsigstksz) as u64 }
    }

    /// `start_thread(regs, pc, sp)`, or `compat_start_thread()` when `compat`
    /// (arch/arm64/include/asm/processor.h): the current task returns to user
    /// space at `pc`, in AArch64 or AArch32 state (Thumb if `pc` is odd), with
    /// its stack pointer at `sp`.
    pub(crate) fn start_thread(&self, pc: u64, sp: u64, compat: bool) {
        // The helper only sets the registers and calls the mitigation's entry (type
        // invariant) on the current task, as the static inlines do.
        // SAFETY: the helper sets the current task's saved user registers.
        unsafe {
            bindings::binfmt_rs_arm64_start_thread(
                self.spectre_v4_enable_task_mitigation,
                pc as usize,
                sp as usize,
                compat,
            )
        }
    }
}

#[cfg(CONFIG_COMPAT)]
impl CompatSymbols {
    /// `compat_elf_check_arch(hdr)` (arch/arm64/kernel/process.c) of the
    /// program's ELF32 header at the start of `bprm->buf`: a 32-bit EL0, `EM_ARM`
    /// with an EABI version, and a deadline task's affinity admissible.
    pub(crate) fn check_arch(&self, bprm: &Bprm) -> bool {
        // `bprm->buf` holds `BINPRM_BUF_SIZE` bytes, more than an `Elf32_Ehdr`; the
        // function only reads it and the CPU's features.
        // SAFETY: the function's entry (type invariant), called as declared.
        unsafe {
            bindings::binfmt_rs_call_compat_elf_check_arch(
                self.compat_elf_check_arch,
                bprm.buf().as_ptr().cast(),
            ) != 0
        }
    }

    /// `aarch32_setup_additional_pages(bprm, uses_interp)`
    /// (arch/arm64/kernel/vdso.c): `[vectors]` with the kuser helpers, `[sigpage]`
    /// and, with `CONFIG_COMPAT_VDSO`, the 32-bit `[vvar]` and `[vdso]`.
    pub(crate) fn arch_setup_additional_pages(&self, bprm: &mut Bprm, uses_interp: bool) -> Result {
        // SAFETY: the function's entry (type invariant), called as declared, with the
        // bprm of the exec in progress; it takes the mmap lock itself.
        let ret = unsafe {
            bindings::binfmt_rs_call_aarch32_setup_additional_pages(
                self.aarch32_setup_additional_pages,
                bprm.as_ptr(),
                i32::from(uses_interp),
            )
        };
        crate::wrappers::to_result(ret)
    }

    /// `COMPAT_ELF_HWCAP` and `COMPAT_ELF_HWCAP2`.
    pub(crate) fn elf_hwcaps(&self) -> (u64, u64) {
        // SAFETY: live kernel variables (type invariant), set at boot.
        unsafe {
            (
                u64::from(core::ptr::read_volatile(self.compat_elf_hwcap)),
                u64::from(core::ptr::read_volatile(self.compat_elf_hwcap2)),
            )
        }
    }
}

/// `SET_PERSONALITY(*elf_ex)` (`COMPAT_SET_PERSONALITY()` when `compat`) of the
/// program whose header `bprm->buf` holds: `TIF_32BIT` cleared (set), and for an
/// AArch64 program `READ_IMPLIES_EXEC` dropped.
pub(crate) fn set_personality(bprm: &Bprm, compat: bool) {
    // SAFETY: the macros change only the current task's flags and personality;
    // the header pointer is `bprm->buf`, which they do not read.
    unsafe { bindings::binfmt_rs_arm64_set_personality(bprm.buf().as_ptr().cast(), compat) }
}

/// `system_supports_bti()`: the CPUs have BTI, for `arch_parse_elf_property()`.
pub(crate) fn system_supports_bti() -> bool {
    // SAFETY: reads a finalised CPU capability.
    unsafe { bindings::binfmt_rs_system_supports_bti() }
}
