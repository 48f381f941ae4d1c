// SPDX-License-Identifier: GPL-2.0

//! The core's constants that have a twin in the kernel being built, each checked
//! against it when the module is compiled.
//!
//! The core is kernel-independent, so it spells these values out; a kernel where
//! one of them differs, or whose configuration the core does not mirror, fails
//! to build this module rather than having it load programs wrongly.

use crate::bindings as k;
use crate::loader_core::arch;
use crate::loader_core::auxv::{self, at_vector_size};
use crate::loader_core::class::{Elf32, Elf64, ElfClass, Word};
use crate::loader_core::elf;
use crate::loader_core::errno::Errno;
use crate::loader_core::interp::PATH_MAX;
use crate::loader_core::mman;
use crate::loader_core::page;
use crate::loader_core::phdr;
use crate::loader_core::segment::EEXIST;
use crate::loader_core::stack::MAX_ARG_STRLEN;

/// `mm->saved_auxv`'s length in the kernel being built (`AT_VECTOR_SIZE`).
pub(crate) const AT_VECTOR_SIZE: usize = k::AT_VECTOR_SIZE as usize;

macro_rules! twins {
    ($($core:expr => $kernel:expr),* $(,)?) => {
        $(const _: () = assert!($core as u64 == $kernel as u64);)*
    };
}

twins! {
    mman::PROT_READ => k::PROT_READ,
    mman::PROT_WRITE => k::PROT_WRITE,
    mman::PROT_EXEC => k::PROT_EXEC,
    mman::MAP_PRIVATE => k::MAP_PRIVATE,
    mman::MAP_FIXED => k::MAP_FIXED,
    mman::MAP_FIXED_NOREPLACE => k::MAP_FIXED_NOREPLACE,
    mman::VM_EXEC => k::VM_EXEC,
    mman::VM_READ => k::VM_READ,
    mman::VM_WRITE => k::VM_WRITE,
    mman::VM_MAYSHARE => k::VM_MAYSHARE,
    MAX_ARG_STRLEN => k::BINFMT_RS_MAX_ARG_STRLEN,
    PATH_MAX => k::PATH_MAX,
    page::PAGE_SIZE => kernel::page::PAGE_SIZE,
    page::MAX_ERRNO => k::MAX_ERRNO,
    elf::BINPRM_BUF_SIZE => k::BINPRM_BUF_SIZE,
    Elf64::EHDR_SIZE => core::mem::size_of::<k::elf64_hdr>(),
    Elf64::PHDR_SIZE => core::mem::size_of::<k::elf64_phdr>(),
    Elf32::EHDR_SIZE => core::mem::size_of::<k::elf32_hdr>(),
    Elf32::PHDR_SIZE => core::mem::size_of::<k::elf32_phdr>(),
    <Elf64 as ElfClass>::Word::SIZE => core::mem::size_of::<k::Elf64_Addr>(),
    <Elf32 as ElfClass>::Word::SIZE => core::mem::size_of::<k::Elf32_Addr>(),
    elf::ET_EXEC => k::ET_EXEC,
    elf::ET_DYN => k::ET_DYN,
    arch::x86::EM_X86_64 => k::EM_X86_64,
    arch::x86::EM_386 => k::EM_386,
    arch::x86::EM_486 => k::EM_486,
    arch::arm64::EM_AARCH64 => k::EM_AARCH64,
    arch::arm64::EM_ARM => k::EM_ARM,
    phdr::PT_LOAD => k::PT_LOAD,
    phdr::PT_INTERP => k::PT_INTERP,
    phdr::PT_GNU_STACK => k::PT_GNU_STACK,
    phdr::PT_GNU_PROPERTY => k::PT_GNU_PROPERTY,
    phdr::PT_LOPROC => k::PT_LOPROC,
    phdr::PT_HIPROC => k::PT_HIPROC,
    phdr::PF_R => k::PF_R,
    phdr::PF_W => k::PF_W,
    phdr::PF_X => k::PF_X,
    auxv::AT_NULL => k::AT_NULL,
    auxv::AT_EXECFD => k::AT_EXECFD,
    auxv::AT_PHDR => k::AT_PHDR,
    auxv::AT_PHENT => k::AT_PHENT,
    auxv::AT_PHNUM => k::AT_PHNUM,
    auxv::AT_PAGESZ => k::AT_PAGESZ,
    auxv::AT_BASE => k::AT_BASE,
    auxv::AT_FLAGS => k::AT_FLAGS,
    auxv::AT_ENTRY => k::AT_ENTRY,
    auxv::AT_UID => k::AT_UID,
    auxv::AT_EUID => k::AT_EUID,
    auxv::AT_GID => k::AT_GID,
    auxv::AT_EGID => k::AT_EGID,
    auxv::AT_PLATFORM => k::AT_PLATFORM,
    auxv::AT_HWCAP => k::AT_HWCAP,
    auxv::AT_CLKTCK => k::AT_CLKTCK,
    auxv::AT_SECURE => k::AT_SECURE,
    auxv::AT_RANDOM => k::AT_RANDOM,
    auxv::AT_HWCAP2 => k::AT_HWCAP2,
    auxv::AT_RSEQ_FEATURE_SIZE => k::AT_RSEQ_FEATURE_SIZE,
    auxv::AT_RSEQ_ALIGN => k::AT_RSEQ_ALIGN,
    auxv::AT_EXECFN => k::AT_EXECFN,
    auxv::AT_SYSINFO_EHDR => k::AT_SYSINFO_EHDR,
    auxv::AT_MINSIGSTKSZ => k::AT_MINSIGSTKSZ,
    auxv::AT_FLAGS_PRESERVE_ARGV0 => 1u64 << k::AT_FLAGS_PRESERVE_ARGV0_BIT,
    auxv::RSEQ_FEATURE_SIZE => core::mem::offset_of!(k::rseq, end),
    auxv::RSEQ_ALIGN => core::mem::align_of::<k::rseq>(),
    arch::ELF_EXEC_PAGESIZE => k::BINFMT_RS_ELF_EXEC_PAGESIZE,
    arch::CLOCKS_PER_SEC => k::USER_HZ,
    Errno::Intr as i32 => k::EINTR,
    Errno::Io as i32 => k::EIO,
    Errno::NoExec as i32 => k::ENOEXEC,
    Errno::NoMem as i32 => k::ENOMEM,
    Errno::Fault as i32 => k::EFAULT,
    Errno::Inval as i32 => k::EINVAL,
    Errno::LibBad as i32 => k::ELIBBAD,
    EEXIST => k::EEXIST,
}

// x86's own.
#[cfg(CONFIG_X86_64)]
twins! {
    auxv::AT_SYSINFO => k::AT_SYSINFO,
}

// arm64's own: PROT_BTI, and AT_IGNORE, which its ARCH_DLINFO may emit.
#[cfg(CONFIG_ARM64)]
twins! {
    arch::arm64::PROT_BTI => k::PROT_BTI,
    auxv::AT_IGNORE => k::AT_IGNORE,
}

/// `AT_VECTOR_SIZE_ARCH` as the core counts `ARCH_DLINFO`'s entries: x86_64's
/// `ARCH_DLINFO_IA32` has three with `CONFIG_IA32_EMULATION`, its native one
/// two; arm64's has two.
#[cfg(CONFIG_X86_64)]
const AT_VECTOR_SIZE_ARCH: usize = if cfg!(CONFIG_IA32_EMULATION) { 3 } else { 2 };
#[cfg(CONFIG_ARM64)]
const AT_VECTOR_SIZE_ARCH: usize = 2;

// The kernel's AT_VECTOR_SIZE is the one the core computes for its configuration.
const _: () = assert!(AT_VECTOR_SIZE == at_vector_size(AT_VECTOR_SIZE_ARCH));
const _: () = assert!(AT_VECTOR_SIZE_ARCH == k::AT_VECTOR_SIZE_ARCH as usize);
// Which arches parse PT_GNU_PROPERTY is mirrored by their hooks: none on x86
// (rust/loader/arch_hooks/x86.rs), BTI's on arm64.
const _: () = assert!(cfg!(CONFIG_ARCH_USE_GNU_PROPERTY) == cfg!(CONFIG_ARM64));
const _: () = assert!(core::mem::size_of::<usize>() == core::mem::size_of::<u64>());
