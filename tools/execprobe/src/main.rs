//! execprobe: shows what exec left in a process.
//!
//! ```text
//! execprobe [--json] [auxv] [maps [PID]] [stack] [vdso] [vdso32] [-- ARG...]
//! execprobe [--json] diff A.json B.json [--aslr]
//! execprobe [--json] map [PID] [--svg FILE]
//! execprobe film [--json] [--svg FILE] [--kill] -- PROGRAM [ARG...]
//! ```
//!
//! - `auxv`: the auxiliary vector as found on the initial stack, every entry named
//!   and decoded (AT_EXECFN and AT_PLATFORM strings, AT_RANDOM bytes, AT_HWCAP and
//!   AT_HWCAP2 bits), checked against /proc/self/auxv and glibc's getauxval(3).
//! - `maps [PID]`: every mapping of /proc/PID/maps with the gap before it; the
//!   special ones ([stack], [heap], [vvar], [vvar_vclock], [vdso], [vsyscall],
//!   [uprobes], ARM's [sigpage] and [vectors]) explained, and what the absence of
//!   the missing ones means; each mapping of the executable and its interpreter
//!   traced to its PT_LOAD; the vsyscall mode.
//! - `stack`: the initial stack from the top of its VMA down to argc, laid out like
//!   `create_elf_tables` (fs/binfmt_elf.c) writes it, checked against the kernel's
//!   own record (mm->start_stack, arg_start.. in /proc/self/stat).
//! - `vdso`: the vDSO image's symbols and versions; each of its functions called
//!   and compared with the syscall; the legacy vsyscall page called in a child.
//! - `vdso32`: the same of the 32-bit vDSO an i386 process gets, through an i386
//!   child (execprobe-vdso32, vdso32/vdso32.c) that calls what execprobe found.
//! - `diff`: what differs between two `--json` reports, randomness aside.
//! - `map`: an SVG picture of the address space.
//! - `film`: runs a program stopped before its first instruction and shows the
//!   film binfmt_rs recorded of its exec: the address space after each step of
//!   `load_elf_binary()` (schema `execprobe-film/v1` with `--json`).
//!
//! Without a command: auxv, maps and stack, all of them the same from run to run
//! with ASLR off, but for the AT_RANDOM bytes. `--json` prints one JSON object
//! instead of text; its schema (`"schema": "execprobe/v1"`) is documented in
//! report.rs. Arguments after `--` are ignored: they only show up on the stack.
//!
//! Exit status: 0 when every check holds, 1 on an error (bad arguments, /proc not
//! readable, no initial stack found), 2 when the report was printed but a check
//! failed, i.e. the process was not set up the way Linux's ELF loader sets it up.
//! `diff` exits 1 when the reports differ.
//!
//! Build it static, so that it runs in a guest with no libc:
//!
//! ```text
//! CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS="-C target-feature=+crt-static" \
//!     cargo build --release --target x86_64-unknown-linux-gnu -p execprobe
//! ```
//!
//! or for the arm64 guest (`make execprobe-arm64`), cross-linked by clang against
//! the cross sysroot's glibc. There the vDSO is arm64's (`__kernel_*`, version
//! LINUX_2.6.39), there is no vsyscall page, and `maps PID` of an AArch32 process
//! explains its [vectors] (kuser helpers) and [sigpage]; `vdso32` is x86-64's only.

// stack.rs and ffi.rs hold the only unsafe code; every unsafe block there says
// why it is sound.
#![deny(unsafe_code)]
#![deny(clippy::undocumented_unsafe_blocks)]

// The initial stack is found through the arguments glibc passes to .init_array
// functions (see stack.rs), and the layout read is the SysV one x86-64 and AArch64
// share; the vDSO, the vsyscall page and the special mappings are per architecture.
#[cfg(not(all(
    target_os = "linux",
    any(target_arch = "x86_64", target_arch = "aarch64"),
    target_env = "gnu"
)))]
compile_error!("execprobe supports x86_64-unknown-linux-gnu and aarch64-unknown-linux-gnu only");

use check::diff;
use gather::procmaps;
use render::{svg, text};

mod check;
mod cli;
mod error;
mod gather;
mod parse;
mod probe;
mod render;
mod report;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use crate::error::{Context, Error};
use cli::Command;
use report::{Sections, SCHEMA};

fn run() -> Result<ExitCode, Error> {
    match cli::parse(std::env::args_os().skip(1))? {
        Command::Help => {
            write_stdout(cli::USAGE)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Probe {
            json,
            sections,
            pid,
        } => probe(json, sections, pid),
        Command::Diff { json, a, b, aslr } => diff(json, &a, &b, aslr),
        Command::Map { json, pid, svg } => map(json, pid, svg.as_deref()),
        Command::Film {
            json,
            svg,
            kill,
            argv,
        } => film(json, svg.as_deref(), kill, &argv),
    }
}

fn film(
    json: bool,
    svg: Option<&Path>,
    kill: bool,
    argv: &[std::ffi::OsString],
) -> Result<ExitCode, Error> {
    let run = gather::film::run(argv, kill)?;
    if let Some(file) = svg {
        std::fs::write(file, render::film::svg(&run))
            .map_err(|e| format!("writing {}: {e}", file.display()))?;
    }
    let out = if json {
        to_json(&render::film::json(&run))?
    } else {
        render::film::text(&run)
    };
    write_stdout(&out)?;
    Ok(match render::film::last_frame_is_maps(&run) {
        Some(false) => ExitCode::from(2),
        _ => ExitCode::SUCCESS,
    })
}

fn probe(json: bool, sections: Sections, pid: Option<u32>) -> Result<ExitCode, Error> {
    let report = probe::run(sections, pid)?;
    let out = if json {
        to_json(&report)?
    } else {
        text::Text(&report).to_string()
    };
    write_stdout(&out)?;
    Ok(if report.checks().all(|c| c.ok) {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn diff(json: bool, a: &Path, b: &Path, aslr: bool) -> Result<ExitCode, Error> {
    let load = |path: &Path| -> Result<serde_json::Value, Error> {
        let bytes = std::fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
        serde_json::from_slice(&bytes)
            .map_err(|e| format!("{} is not JSON: {e}", path.display()))
            .map_err(Error::new)
    };
    let differences = diff::diff(&load(a)?, &load(b)?, aslr);
    let out = if json {
        #[derive(Serialize)]
        struct Out<'a> {
            schema: &'static str,
            diff: Diff<'a>,
        }
        #[derive(Serialize)]
        struct Diff<'a> {
            aslr: bool,
            differences: &'a [diff::Difference],
        }
        to_json(&Out {
            schema: SCHEMA,
            diff: Diff {
                aslr,
                differences: &differences,
            },
        })?
    } else if differences.is_empty() {
        "no differences\n".to_owned()
    } else {
        differences.iter().map(|d| format!("{d}\n")).collect()
    };
    write_stdout(&out)?;
    Ok(if differences.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn map(json: bool, pid: Option<u32>, file: Option<&Path>) -> Result<ExitCode, Error> {
    let section = procmaps::gather(pid)?;
    let whose = pid.map_or_else(|| "execprobe".to_owned(), |p| format!("PID {p}"));
    let title = format!(
        "address space of {whose}: {} mappings, vsyscall={}",
        section.mappings.len(),
        section.vsyscall.mode.name()
    );
    let svg = svg::render(&title, &section.mappings);
    if let Some(file) = file {
        std::fs::write(file, &svg).map_err(|e| format!("writing {}: {e}", file.display()))?;
    }
    let out = if json {
        #[derive(Serialize)]
        struct Out<'a> {
            schema: &'static str,
            map: Map<'a>,
        }
        /// `map --json`: the file written, or the SVG itself when there is none.
        #[derive(Serialize)]
        struct Map<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            file: Option<String>,
            mappings: usize,
            bytes: usize,
            #[serde(skip_serializing_if = "Option::is_none")]
            svg: Option<&'a str>,
        }
        to_json(&Out {
            schema: SCHEMA,
            map: Map {
                file: file.map(|f| f.display().to_string()),
                mappings: section.mappings.len(),
                bytes: svg.len(),
                svg: file.is_none().then_some(svg.as_str()),
            },
        })?
    } else {
        match file {
            Some(f) => format!("{}: {title}\n", f.display()),
            None => svg,
        }
    };
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn to_json(value: &impl Serialize) -> Result<String, Error> {
    let mut s = serde_json::to_string_pretty(value).context("serialising the report")?;
    s.push('\n');
    Ok(s)
}

/// Writes to stdout, reporting failure (a closed pipe, a full disk) as an error
/// where `print!` would panic.
fn write_stdout(s: &str) -> Result<(), Error> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(s.as_bytes())
        .and_then(|()| stdout.flush())
        .context("writing to stdout")
}

fn main() -> ExitCode {
    run().unwrap_or_else(|e| {
        eprintln!("execprobe: {e}");
        ExitCode::FAILURE
    })
}
