//! Finding and copying the initial stack: the only unsafe code of execprobe.
//!
//! Rust's `main` never sees the initial stack pointer, but glibc, static or dynamic,
//! calls every `.init_array` function with `(argc, argv, envp)` (its `call_init`;
//! std itself collects `env::args` this way on glibc), and that `argv` is the very
//! array the kernel wrote: `_start` takes it from the initial `rsp + 8`. The x86-64
//! psABI, like `create_elf_tables`, puts argc just below argv[0], so the initial
//! stack pointer is `argv - 8`. Everything from there to the end of the stack VMA is
//! what exec left; it is copied out once into a `Snapshot`, which
//! parse/layout.rs reads with safe code.

#![allow(unsafe_code)]

use std::ffi::{c_char, c_int};
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use crate::error::{Context, Error};
use crate::parse::maps::{self, Mapping};
use crate::parse::snapshot::Snapshot;

// Written once by `capture` before main, on the main thread; every later reader is
// that thread or one it spawned afterwards, so Relaxed suffices.
static ARGC: AtomicUsize = AtomicUsize::new(0);
static ARGV: AtomicPtr<*const c_char> = AtomicPtr::new(std::ptr::null_mut());

type InitArrayFn = extern "C" fn(c_int, *const *const c_char, *const *const c_char);

// SAFETY: .init_array holds pointers to functions that libc calls once before main;
// `capture` has the signature glibc calls them with, and does nothing but store two
// words, so running it before std is fully set up is fine.
#[used]
#[unsafe(link_section = ".init_array")]
static CAPTURE: InitArrayFn = capture;

extern "C" fn capture(argc: c_int, argv: *const *const c_char, _envp: *const *const c_char) {
    // envp is not kept: it is `__environ`, which setenv(3) may replace, whereas the
    // kernel's envp array always starts right after argv's NULL.
    ARGC.store(usize::try_from(argc).unwrap_or(0), Ordering::Relaxed);
    ARGV.store(argv.cast_mut(), Ordering::Relaxed);
}

/// What glibc passed to the `.init_array` hook.
#[derive(Debug, Clone, Copy)]
pub struct Captured {
    pub argc: usize,
    /// Address of argv[0]'s slot on the initial stack.
    pub argv: u64,
}

impl Captured {
    /// Address of argc: the stack pointer the kernel started the process with
    /// (`mm->start_stack`).
    pub fn initial_sp(&self) -> u64 {
        self.argv - 8
    }
}

/// The `.init_array` hook's arguments, or `None` if the hook has not run: glibc
/// always runs it, but musl, for one, calls `.init_array` functions without
/// arguments, which is why main.rs refuses any target but `*-linux-gnu`.
pub fn captured() -> Option<Captured> {
    let argv = ARGV.load(Ordering::Relaxed);
    (!argv.is_null()).then(|| Captured {
        argc: ARGC.load(Ordering::Relaxed),
        argv: argv as u64,
    })
}

/// The initial stack of this process, copied.
#[derive(Debug)]
pub struct Copied {
    pub captured: Captured,
    /// The mapping holding the initial stack pointer.
    pub vma: Mapping,
    pub snapshot: Snapshot,
}

/// Copies the initial stack of this process, `[argv - 8, end of its VMA)`.
///
/// Takes no address from the caller: argv comes from glibc, the mapping from
/// /proc/self/maps, so no argument can make the copy read elsewhere.
pub fn copy_initial_stack() -> Result<Copied, Error> {
    let captured = captured().ok_or(
        "glibc did not call the .init_array hook with argv; \
         execprobe must be linked against glibc",
    )?;
    let sp = captured.initial_sp();
    let path = "/proc/self/maps";
    let text = std::fs::read(path).with_context(|| format!("reading {path}"))?;
    let vma = maps::parse(&String::from_utf8_lossy(&text))
        .with_context(|| path)?
        .into_iter()
        .find(|m| m.contains(sp))
        .ok_or_else(|| format!("no mapping in {path} holds argc at {sp:#x}"))?;
    if !vma.readable() {
        return Err(Error::new(format!(
            "the mapping holding argc at {sp:#x} is not readable"
        )));
    }
    let len = usize::try_from(vma.end - sp)
        .map_err(|_| "stack larger than the address space".to_owned())?;
    // SAFETY: [sp, vma.end) lies in one readable VMA of this process: the main
    // thread's stack, which is never unmapped while the process runs (it only grows,
    // downwards, below sp). Its part above sp belongs to no Rust object, so nothing
    // holds a `&mut` to it, and nothing writes it while we read: the kernel wrote it
    // during exec, and afterwards only unsetenv/setenv on the original environment
    // (which execprobe never calls) or a program rewriting its own argv would.
    let bytes = unsafe { std::slice::from_raw_parts(sp as *const u8, len) };
    Ok(Copied {
        captured,
        vma,
        snapshot: Snapshot {
            base: sp,
            bytes: bytes.to_vec(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_array_hook_ran_with_the_real_argv() {
        let c = captured().expect("glibc called the .init_array hook");
        assert_eq!(c.argc, std::env::args_os().count());
        assert!(c.argv.is_multiple_of(8));
        assert_eq!(
            c.initial_sp() % 16,
            0,
            "the psABI wants rsp 16-byte aligned"
        );
    }

    #[test]
    fn copies_this_processs_initial_stack() {
        let c = copy_initial_stack().expect("initial stack copied");
        assert_eq!(c.vma.name, "[stack]");
        assert_eq!(c.snapshot.base, c.captured.initial_sp());
        assert_eq!(c.snapshot.end(), c.vma.end);
        let argc = std::env::args_os().count() as u64;
        assert_eq!(c.snapshot.word_at(c.snapshot.base), Some(argc));
    }
}
