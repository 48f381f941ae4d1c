// SPDX-License-Identifier: GPL-2.0

//! The film of an exec: the steps of `load_elf_binary()` after which the module
//! records the address space, and the text in which it shows the record.
//!
//! The module (rust/film/) takes a frame after each [`FilmStep`]: the mm's VMAs, the
//! mm fields set so far and the C call the step made, with its arguments and its
//! result. This file holds what does not depend on the kernel: the steps' names,
//! the permission column of `/proc/PID/maps`, the call's text and the film's text
//! format, so the host tests check them and execprobe reads what they define.
//!
//! # The text format
//!
//! One line a record, fields separated by one space, each film in this order:
//!
//! ```text
//! film SEQ pid PID class ELF64|ELF32 frames N result ERRNO[ truncated]
//! file PATH
//! frame INDEX STEP FUNCTION(ARGS) = RESULT
//! mm p=HEX start_code=HEX end_code=HEX start_data=HEX end_data=HEX start_brk=HEX brk=HEX start_stack=HEX arg_start=HEX arg_end=HEX env_start=HEX env_end=HEX mmap_base=HEX
//! vma START-END PERMS OFFSET NAME
//! end
//! ```
//!
//! `frame`, `mm` and the `vma` lines repeat for each frame; `START`, `END` and
//! `OFFSET` are hexadecimal without `0x`, at least 8 digits, as maps prints them, `PERMS` is maps'
//! column and `NAME` the rest of the line, absent (with its space) for an
//! anonymous mapping. `RESULT`
//! is the step's return value: an address in hexadecimal (`0x…`), or a decimal
//! number (0, or a negative errno). `result` of the film is what
//! `load_elf_binary()` returned. `truncated` says that frames or mappings beyond
//! the module's bounds were left out.

use core::fmt;

/// A step of `load_elf_binary()` (fs/binfmt_elf.c) after which the address space
/// is recorded, in the order they come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilmStep {
    /// The exec as `__bprm_mm_init()` and `copy_strings()` (fs/exec.c) left the new
    /// mm, when `load_elf_binary()` is called: one stack VMA at `STACK_TOP_MAX`.
    Entry,
    /// `begin_new_exec()`: the old mm is gone, the new one is current's.
    BeginNewExec,
    /// `setup_arg_pages()`: the stack moved to its final place and grew.
    SetupArgPages,
    /// One call of the program's PT_LOAD loop (`elf_load()`: `elf_map()`'s
    /// `vm_mmap()`, `padzero()`'s `clear_user()`, the bss's `vm_brk_flags()`).
    ElfLoad,
    /// One call of the interpreter's loop (`load_elf_interp()`'s `elf_load()`).
    InterpLoad,
    /// `arch_setup_additional_pages()`: the vDSO and its data pages.
    AdditionalPages,
    /// `create_elf_tables()`: argc, argv, envp and the auxv on the stack.
    CreateElfTables,
    /// `mm->start_brk = mm->brk`, randomised by `arch_randomize_brk()`.
    SetBrk,
    /// The `MMAP_PAGE_ZERO` personality's page at 0.
    PageZero,
    /// `START_THREAD()`: the registers for the first instruction.
    StartThread,
}

impl FilmStep {
    /// Every step, in `load_elf_binary()`'s order.
    pub const ALL: [FilmStep; 10] = [
        FilmStep::Entry,
        FilmStep::BeginNewExec,
        FilmStep::SetupArgPages,
        FilmStep::ElfLoad,
        FilmStep::InterpLoad,
        FilmStep::AdditionalPages,
        FilmStep::CreateElfTables,
        FilmStep::SetBrk,
        FilmStep::PageZero,
        FilmStep::StartThread,
    ];

    /// The step's name in the film and in tracefs (`binfmt_rs:NAME`).
    pub const fn name(self) -> &'static str {
        match self {
            FilmStep::Entry => "bprm_mm_init",
            FilmStep::BeginNewExec => "begin_new_exec",
            FilmStep::SetupArgPages => "setup_arg_pages",
            FilmStep::ElfLoad => "elf_load",
            FilmStep::InterpLoad => "load_elf_interp",
            FilmStep::AdditionalPages => "arch_setup_additional_pages",
            FilmStep::CreateElfTables => "create_elf_tables",
            FilmStep::SetBrk => "set_brk",
            FilmStep::PageZero => "map_page_zero",
            FilmStep::StartThread => "start_thread",
        }
    }

    /// The step's index in [`FilmStep::ALL`], which the module's C file uses to
    /// pick the trace event.
    pub const fn index(self) -> u32 {
        self as u32
    }
}

/// What a step's C call returned, as the film prints it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// An `unsigned long` address that may carry a negative errno
    /// (`IS_ERR_VALUE()`), as `vm_mmap()` returns it.
    Addr(u64),
    /// An `int` or `long`: 0 or a negative errno.
    Ret(i64),
}

impl Outcome {
    /// The value as a `long`, for the trace event's `result` field.
    pub fn as_long(self) -> i64 {
        match self {
            Outcome::Addr(a) => a as i64,
            Outcome::Ret(r) => r,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            // IS_ERR_VALUE(): the top 4095 values are errnos.
            Outcome::Addr(a) if a >= (-4095i64) as u64 => write!(f, "{}", a as i64),
            Outcome::Addr(a) => write!(f, "{a:#x}"),
            Outcome::Ret(r) => write!(f, "{r}"),
        }
    }
}

/// `show_vma_header_prefix()`'s permission column (fs/proc/task_mmu.c): `r`, `w`,
/// `x` from `VM_READ`, `VM_WRITE`, `VM_EXEC`, then `s` for `VM_MAYSHARE` or `p`.
pub fn perms(vm_flags: u64) -> [u8; 4] {
    use super::mman::{VM_EXEC, VM_MAYSHARE, VM_READ, VM_WRITE};
    let bit = |flag, c| if vm_flags & flag != 0 { c } else { b'-' };
    [
        bit(VM_READ, b'r'),
        bit(VM_WRITE, b'w'),
        bit(VM_EXEC, b'x'),
        if vm_flags & VM_MAYSHARE != 0 {
            b's'
        } else {
            b'p'
        },
    ]
}

/// The mm fields a frame shows, and `bprm->p`, the stack pointer under
/// construction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MmFields {
    /// `bprm->p`.
    pub p: u64,
    /// `mm->start_code`.
    pub start_code: u64,
    /// `mm->end_code`.
    pub end_code: u64,
    /// `mm->start_data`.
    pub start_data: u64,
    /// `mm->end_data`.
    pub end_data: u64,
    /// `mm->start_brk`.
    pub start_brk: u64,
    /// `mm->brk`.
    pub brk: u64,
    /// `mm->start_stack`.
    pub start_stack: u64,
    /// `mm->arg_start`.
    pub arg_start: u64,
    /// `mm->arg_end`.
    pub arg_end: u64,
    /// `mm->env_start`.
    pub env_start: u64,
    /// `mm->env_end`.
    pub env_end: u64,
    /// `mm->mmap_base`.
    pub mmap_base: u64,
}

impl fmt::Display for MmFields {
    /// The `mm` line of the text format, without its newline.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "mm p={:#x} start_code={:#x} end_code={:#x} start_data={:#x} end_data={:#x} \
             start_brk={:#x} brk={:#x} start_stack={:#x} arg_start={:#x} arg_end={:#x} \
             env_start={:#x} env_end={:#x} mmap_base={:#x}",
            self.p,
            self.start_code,
            self.end_code,
            self.start_data,
            self.end_data,
            self.start_brk,
            self.brk,
            self.start_stack,
            self.arg_start,
            self.arg_end,
            self.env_start,
            self.env_end,
            self.mmap_base
        )
    }
}

/// One VMA of a frame, as maps shows it (the name aside).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VmaLine<'a> {
    /// `vm_start`.
    pub start: u64,
    /// `vm_end`.
    pub end: u64,
    /// [`perms`] of `vm_flags`.
    pub perms: [u8; 4],
    /// `vm_pgoff << PAGE_SHIFT` for a file mapping, 0 otherwise.
    pub offset: u64,
    /// The file's path or the special mapping's name, as maps prints it
    /// ([`MapsName`]).
    pub name: &'a [u8],
}

impl fmt::Display for VmaLine<'_> {
    /// The `vma` line of the text format, without its newline. A name that is not
    /// UTF-8 is printed with U+FFFD for its bad bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let perms = core::str::from_utf8(&self.perms).unwrap_or("????");
        write!(
            f,
            "vma {:08x}-{:08x} {} {:08x}",
            self.start, self.end, perms, self.offset
        )?;
        if self.name.is_empty() {
            return Ok(());
        }
        write!(f, " {}", MapsName(self.name))
    }
}

/// A name as maps prints it (`seq_path(m, path, "\n")`): a newline as `\012`, so
/// that a record stays one line; bytes that are not UTF-8 as U+FFFD.
pub struct MapsName<'a>(pub &'a [u8]);

impl fmt::Display for MapsName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while !rest.is_empty() {
            let (valid, skip) = match core::str::from_utf8(rest) {
                Ok(all) => (all, rest.len()),
                Err(e) => {
                    let (good, _) = rest.split_at(e.valid_up_to());
                    let bad = e.error_len().unwrap_or(rest.len() - good.len());
                    // The bytes up to valid_up_to() are UTF-8 (from_utf8's error).
                    let good = core::str::from_utf8(good).unwrap_or("");
                    (good, good.len() + bad)
                }
            };
            for (i, line) in valid.split('\n').enumerate() {
                if i > 0 {
                    f.write_str("\\012")?;
                }
                f.write_str(line)?;
            }
            if skip > valid.len() {
                f.write_str("\u{fffd}")?;
            }
            rest = &rest[skip..];
        }
        Ok(())
    }
}

/// The most bytes a call's argument text keeps; longer text is cut.
pub const ARGS_MAX: usize = 160;

/// The arguments of a step's call, formatted once into a fixed buffer (a frame
/// and its trace event show the same text). Writing never fails: what does not
/// fit is dropped, at a character boundary.
#[derive(Clone, Copy)]
pub struct ArgsText {
    buf: [u8; ARGS_MAX],
    len: usize,
}

impl ArgsText {
    /// Formats `args`.
    pub fn new(args: fmt::Arguments<'_>) -> Self {
        let mut text = ArgsText {
            buf: [0; ARGS_MAX],
            len: 0,
        };
        // write_str() below never fails.
        let _ = fmt::Write::write_fmt(&mut text, args);
        text
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        // Only whole characters are ever copied in (write_str()).
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

impl fmt::Write for ArgsText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let room = ARGS_MAX - self.len;
        let mut take = s.len().min(room);
        while !s.is_char_boundary(take) {
            take -= 1;
        }
        self.buf[self.len..self.len + take].copy_from_slice(&s.as_bytes()[..take]);
        self.len += take;
        Ok(())
    }
}

impl fmt::Debug for ArgsText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// The call a frame records: `FUNCTION(ARGS) = RESULT`, as the `frame` line and
/// the trace event show it.
#[derive(Clone, Copy, Debug)]
pub struct Call {
    /// The C function the step called.
    pub function: &'static str,
    /// Its arguments.
    pub args: ArgsText,
    /// What it returned.
    pub outcome: Outcome,
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}({}) = {}",
            self.function,
            self.args.as_str(),
            self.outcome
        )
    }
}

/// A flags argument by the names of its bits, for a call's text:
/// `PROT_READ|PROT_EXEC`, with the bits it does not know in hexadecimal after
/// them, and its own word for none.
pub struct FlagNames {
    value: u64,
    known: &'static [(u64, &'static str)],
    none: &'static str,
}

/// `prot` by name: `PROT_READ|PROT_EXEC`, or `PROT_NONE`; arm64's `PROT_BTI`
/// too, which only its loader passes.
pub fn prot_names(prot: u32) -> FlagNames {
    use super::arch::arm64::PROT_BTI;
    use super::mman::{PROT_EXEC, PROT_READ, PROT_WRITE};
    FlagNames {
        value: u64::from(prot),
        known: &[
            (PROT_READ as u64, "PROT_READ"),
            (PROT_WRITE as u64, "PROT_WRITE"),
            (PROT_EXEC as u64, "PROT_EXEC"),
            (PROT_BTI as u64, "PROT_BTI"),
        ],
        none: "PROT_NONE",
    }
}

/// mmap's `flags` by name: `MAP_PRIVATE|MAP_FIXED_NOREPLACE`.
pub fn map_names(flags: u32) -> FlagNames {
    use super::mman::{MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_PRIVATE};
    FlagNames {
        value: u64::from(flags),
        known: &[
            (MAP_PRIVATE as u64, "MAP_PRIVATE"),
            (MAP_FIXED as u64, "MAP_FIXED"),
            (MAP_FIXED_NOREPLACE as u64, "MAP_FIXED_NOREPLACE"),
        ],
        none: "0",
    }
}

impl fmt::Display for FlagNames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.value == 0 {
            return f.write_str(self.none);
        }
        let mut rest = self.value;
        let mut sep = "";
        for &(bit, name) in self.known {
            if self.value & bit != 0 {
                write!(f, "{sep}{name}")?;
                sep = "|";
                rest &= !bit;
            }
        }
        if rest != 0 {
            write!(f, "{sep}{rest:#x}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::format;
    use std::string::ToString;

    #[test]
    fn perms_are_the_maps_column() {
        // VM_READ|VM_EXEC|VM_MAYREAD|VM_MAYWRITE|VM_MAYEXEC: a text segment.
        assert_eq!(&perms(0x75), b"r-xp");
        // VM_READ|VM_WRITE|VM_MAYSHARE.
        assert_eq!(&perms(0x83), b"rw-s");
        assert_eq!(&perms(0), b"---p");
    }

    #[test]
    fn outcomes_print_addresses_in_hex_and_errnos_in_decimal() {
        assert_eq!(Outcome::Addr(0x40_0000).to_string(), "0x400000");
        assert_eq!(Outcome::Addr(-17i64 as u64).to_string(), "-17");
        // -4096 is an address (the last page), not an errno.
        assert_eq!(
            Outcome::Addr(-4096i64 as u64).to_string(),
            "0xfffffffffffff000"
        );
        assert_eq!(Outcome::Ret(-12).to_string(), "-12");
        assert_eq!(Outcome::Ret(0).as_long(), 0);
    }

    #[test]
    fn a_call_prints_as_the_frame_line_and_the_trace_event_show_it() {
        let call = Call {
            function: "vm_mmap",
            args: ArgsText::new(format_args!(
                "addr={:#x}, len={:#x}, prot={}, flags={}, off={:#x}",
                0x40_0000,
                0x1000,
                prot_names(0x5),
                map_names(0x10_0002),
                0
            )),
            outcome: Outcome::Addr(0x40_0000),
        };
        assert_eq!(
            call.to_string(),
            "vm_mmap(addr=0x400000, len=0x1000, prot=PROT_READ|PROT_EXEC, \
             flags=MAP_PRIVATE|MAP_FIXED_NOREPLACE, off=0x0) = 0x400000"
        );
        assert_eq!(prot_names(0).to_string(), "PROT_NONE");
        assert_eq!(prot_names(0x9).to_string(), "PROT_READ|0x8");
        assert_eq!(prot_names(0x15).to_string(), "PROT_READ|PROT_EXEC|PROT_BTI");
    }

    #[test]
    fn long_arguments_are_cut_at_a_character_boundary() {
        let long = "é".repeat(ARGS_MAX);
        let text = ArgsText::new(format_args!("{long}"));
        assert!(text.as_str().len() <= ARGS_MAX);
        assert_eq!(text.as_str().len() % 2, 0);
        assert!(text.as_str().chars().all(|c| c == 'é'));
    }

    #[test]
    fn vma_lines_are_maps_lines() {
        let line = VmaLine {
            start: 0x40_0000,
            end: 0x40_1000,
            perms: *b"r-xp",
            offset: 0x1000,
            name: b"/samples/nolibc",
        };
        assert_eq!(
            line.to_string(),
            "vma 00400000-00401000 r-xp 00001000 /samples/nolibc"
        );
        let bad = VmaLine {
            name: b"a\xffb",
            ..line
        };
        assert!(bad.to_string().ends_with(" a\u{fffd}b"));
        let newline = VmaLine {
            name: b"a\nb",
            ..line
        };
        assert!(newline.to_string().ends_with(" a\\012b"));
        let anon = VmaLine { name: b"", ..line };
        assert!(anon.to_string().ends_with(" r-xp 00001000"));
    }

    #[test]
    fn mm_line_names_every_field() {
        let mm = MmFields {
            p: 0x7ffe_0000,
            brk: 0x60_0000,
            ..MmFields::default()
        };
        let line = format!("{mm}");
        assert!(line.starts_with("mm p=0x7ffe0000 start_code=0x0 "));
        assert!(line.contains(" brk=0x600000 "));
        assert!(line.ends_with(" mmap_base=0x0"));
    }

    #[test]
    fn steps_are_named_once_and_indexed_in_order() {
        for (i, step) in FilmStep::ALL.iter().enumerate() {
            assert_eq!(step.index() as usize, i);
            let same = FilmStep::ALL.iter().filter(|s| s.name() == step.name());
            assert_eq!(same.count(), 1);
        }
    }
}
