//! Parsing: pure decoders of what the kernel shows (the auxv, ELF headers,
//! /proc/PID/maps and stat, the initial stack's layout, the vDSO image), which
//! read bytes and text and touch nothing. Nothing here imports a later stage.

pub mod auxv;
pub mod elf;
pub mod film;
pub mod hwcap;
pub mod layout;
pub mod maps;
pub mod mm;
pub mod origin;
pub mod snapshot;
pub mod vdso;
pub mod vsyscall;
