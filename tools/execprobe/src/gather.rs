//! Gathering: what this process and /proc say, read once (the initial stack,
//! /proc/self/auxv, maps, the vDSO and vsyscall calls), parsed with parse/ into
//! the report's sections.

pub mod bracket;
pub mod ffi;
pub mod film;
pub mod initial_stack;
pub mod procfs;
pub mod procmaps;
pub mod regions;
pub mod stack;
// The i386 child of an x86-64 kernel; arm64's AArch32 processes get no such probe.
#[cfg(target_arch = "x86_64")]
pub mod vdso32_probe;
pub mod vdso_probe;
pub mod vsyscall_probe;
