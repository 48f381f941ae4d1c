//! execprobe: shows what exec left in the process that runs it.
//!
//! ```text
//! execprobe [--json] [auxv] [maps] [stack] [-- ARG...]
//! ```
//!
//! - `auxv`: the auxiliary vector as found on the initial stack, every entry named
//!   and decoded (AT_EXECFN and AT_PLATFORM strings, AT_RANDOM bytes), checked
//!   against /proc/self/auxv.
//! - `maps`: the special mappings of /proc/self/maps ([stack], [heap], [vvar],
//!   [vvar_vclock], [vdso], [vsyscall], [uprobes]), what each one is, and what the
//!   absence of the missing ones means.
//! - `stack`: the initial stack from the top of its VMA down to argc, laid out like
//!   `create_elf_tables` (fs/binfmt_elf.c) writes it, checked against the kernel's
//!   own record (mm->start_stack, arg_start.. in /proc/self/stat).
//!
//! Without a section argument all three are shown. `--json` prints one JSON object
//! instead of text; its schema (`"schema": "execprobe/v0"`) is documented in
//! report.rs. Arguments after `--` are ignored: they only show up on the stack.
//!
//! Exit status: 0 when every check holds, 1 on an error (bad arguments, /proc not
//! readable, no initial stack found), 2 when the report was printed but a check
//! failed, i.e. the process was not set up the way Linux's ELF loader sets it up.
//!
//! Build it static, so that it runs in a guest with no libc:
//!
//! ```text
//! CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS="-C target-feature=+crt-static" \
//!     cargo build --release --target x86_64-unknown-linux-gnu -p execprobe
//! ```

// stack.rs holds the only unsafe code; every unsafe block there says why it is sound.
#![deny(unsafe_code)]
#![deny(clippy::undocumented_unsafe_blocks)]

// The initial stack is found through the arguments glibc passes to .init_array
// functions (see stack.rs), and the layout read is x86-64's.
#[cfg(not(all(target_os = "linux", target_arch = "x86_64", target_env = "gnu")))]
compile_error!("execprobe supports x86_64-unknown-linux-gnu only");

mod auxv;
mod checks;
mod layout;
mod maps;
mod mm;
mod probe;
mod regions;
mod report;
mod stack;
mod text;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use report::Sections;

const USAGE: &str = "\
usage: execprobe [--json] [auxv] [maps] [stack] [-- ARG...]

Shows what exec left in this process: the auxiliary vector, the special
mappings and the initial stack (all three without a section argument).

  --json     print one JSON object (schema execprobe/v0) instead of text
  -h, --help print this help
  -- ARG...  ignored, except that they are on the stack like any argument

Exit status: 0 all checks hold, 1 error, 2 a check failed.
";

#[derive(Debug, PartialEq, Eq)]
enum Command {
    Help,
    Probe { json: bool, sections: Sections },
}

fn parse_args(args: impl IntoIterator<Item = OsString>) -> Result<Command, String> {
    let mut json = false;
    let mut sections = Sections::NONE;
    for arg in args {
        match arg.to_str() {
            Some("-h" | "--help") => return Ok(Command::Help),
            Some("--json") => json = true,
            Some("auxv") => sections.auxv = true,
            Some("maps") => sections.maps = true,
            Some("stack") => sections.stack = true,
            Some("--") => break,
            _ => return Err(format!("unknown argument {arg:?}\n\n{USAGE}")),
        }
    }
    if sections == Sections::NONE {
        sections = Sections::ALL;
    }
    Ok(Command::Probe { json, sections })
}

fn run() -> Result<ExitCode, String> {
    let (json, sections) = match parse_args(std::env::args_os().skip(1))? {
        Command::Help => {
            write_stdout(USAGE)?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Probe { json, sections } => (json, sections),
    };
    let report = probe::run(sections)?;
    let out = if json {
        let mut s = serde_json::to_string_pretty(&report)
            .map_err(|e| format!("serialising the report: {e}"))?;
        s.push('\n');
        s
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

/// Writes to stdout, reporting failure (a closed pipe, a full disk) as an error
/// where `print!` would panic.
fn write_stdout(s: &str) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(s.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("writing to stdout: {e}"))
}

fn main() -> ExitCode {
    run().unwrap_or_else(|e| {
        eprintln!("execprobe: {e}");
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        parse_args(args.iter().map(OsString::from))
    }

    #[test]
    fn no_arguments_means_all_sections_as_text() {
        let all = Command::Probe {
            json: false,
            sections: Sections::ALL,
        };
        assert_eq!(parse(&[]), Ok(all));
    }

    #[test]
    fn sections_and_json_combine() {
        let got = parse(&["stack", "--json", "auxv"]);
        let sections = Sections {
            auxv: true,
            maps: false,
            stack: true,
        };
        assert_eq!(
            got,
            Ok(Command::Probe {
                json: true,
                sections
            })
        );
        assert_eq!(parse(&["maps", "--help"]), Ok(Command::Help));
        let ignored = parse(&["--", "--help", "bogus"]);
        assert_eq!(
            ignored,
            Ok(Command::Probe {
                json: false,
                sections: Sections::ALL
            })
        );
    }

    #[test]
    fn unknown_arguments_are_errors() {
        let err = parse(&["--pid", "1"]).expect_err("--pid is not in v0");
        assert!(err.starts_with("unknown argument \"--pid\""), "{err}");
        assert!(parse(&["heap"]).is_err());
    }
}
