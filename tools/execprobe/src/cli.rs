//! The command line.

use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

use crate::error::Error;
use crate::report::Sections;

pub const USAGE: &str = "\
usage: execprobe [--json] [auxv] [maps [PID]] [stack] [vdso] [vdso32] [-- ARG...]
       execprobe [--json] diff A.json B.json [--aslr]
       execprobe [--json] map [PID] [--svg FILE]
       execprobe film [--json] [--svg FILE] [--kill] -- PROGRAM [ARG...]

Shows what exec left in a process. Without a command: auxv, maps and stack of
execprobe's own process.

  auxv       the auxiliary vector from the initial stack, /proc/self/auxv and
             getauxval(3), every entry named, AT_HWCAP/AT_HWCAP2 bits decoded
  maps [PID] /proc/PID/maps (default: execprobe's own): special mappings
             explained, gaps, the PT_LOAD each mapping came from, vsyscall mode
  stack      the initial stack at _start, every word and string at its address
  vdso       the vDSO's symbols, each function called and compared with its
             syscall, and the vsyscall page called in a child process
  vdso32     the same of the 32-bit vDSO an i386 process gets, in a child
             (execprobe-vdso32) that calls each function for execprobe
  diff       compares two --json reports, ignoring the AT_RANDOM bytes and,
             with --aslr, every address ASLR moves
  map        draws the address space of PID (default: execprobe) as SVG, to
             FILE or to stdout
  film       runs PROGRAM stopped before its first instruction and prints the
             film binfmt_rs recorded of its exec (film=1): each step of
             load_elf_binary() with the mappings it made, moved, grew or
             changed; --svg draws the strip, one column per step; --kill
             kills PROGRAM there instead of letting it run (one that loops)

  --json     print one JSON object (schema execprobe/v1) instead of text
  -h, --help print this help
  -- ARG...  ignored, except that they are on the stack like any argument

Exit status: 0 all checks hold, 1 error, 2 a check failed;
diff: 0 same, 1 different (or an error); film: 2 when the last frame is not
/proc/PID/maps at the first instruction.
";

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Help,
    Probe {
        json: bool,
        sections: Sections,
        pid: Option<u32>,
    },
    Diff {
        json: bool,
        a: PathBuf,
        b: PathBuf,
        aslr: bool,
    },
    Map {
        json: bool,
        pid: Option<u32>,
        svg: Option<PathBuf>,
    },
    Film {
        json: bool,
        svg: Option<PathBuf>,
        kill: bool,
        argv: Vec<OsString>,
    },
}

fn unknown(arg: &OsStr) -> String {
    format!("unknown argument {arg:?}\n\n{USAGE}")
}

fn pid(arg: &OsStr) -> Option<u32> {
    arg.to_str()
        .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|s| s.parse().ok())
}

/// Parses the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Command, Error> {
    let args: Vec<OsString> = args.into_iter().collect();
    // film's words after `--` are the program to run, not ignored ones.
    let film_at = args.iter().position(|a| a.to_str() != Some("--json"));
    if film_at.is_some_and(|i| args[i].to_str() == Some("film")) {
        return film(&args);
    }
    let mut json = false;
    let mut words = Vec::new();
    for arg in args {
        match arg.to_str() {
            Some("-h" | "--help") => return Ok(Command::Help),
            Some("--json") => json = true,
            // What follows is only there to be on the stack.
            Some("--") => break,
            _ => words.push(arg),
        }
    }
    match words.first().and_then(|w| w.to_str()) {
        Some("diff") => diff(json, &words[1..]),
        Some("map") => map(json, &words[1..]),
        _ => probe(json, &words),
    }
}

fn probe(json: bool, words: &[OsString]) -> Result<Command, Error> {
    let mut sections = Sections::NONE;
    let mut target = None;
    let mut after_maps = false;
    for word in words {
        let was_after_maps = std::mem::take(&mut after_maps);
        match word.to_str() {
            Some("auxv") => sections.auxv = true,
            Some("maps") => {
                sections.maps = true;
                after_maps = true;
            }
            Some("stack") => sections.stack = true,
            Some("vdso") => sections.vdso = true,
            Some("vdso32") => sections.vdso32 = true,
            _ => match pid(word) {
                Some(p) if was_after_maps && target.is_none() => target = Some(p),
                _ => return Err(Error::new(unknown(word))),
            },
        }
    }
    if sections == Sections::NONE {
        sections = Sections::DEFAULT;
    }
    if target.is_some() && (sections.auxv || sections.stack || sections.vdso || sections.vdso32) {
        return Err(Error::new(format!(
            "auxv, stack and vdso describe execprobe's own process: a PID goes with maps \
             alone\n\n{USAGE}"
        )));
    }
    Ok(Command::Probe {
        json,
        sections,
        pid: target,
    })
}

fn diff(json: bool, words: &[OsString]) -> Result<Command, Error> {
    let mut aslr = false;
    let mut files = Vec::new();
    for word in words {
        match word.to_str() {
            Some("--aslr") => aslr = true,
            Some(w) if w.starts_with('-') && w != "-" => return Err(Error::new(unknown(word))),
            _ => files.push(PathBuf::from(word)),
        }
    }
    match <[PathBuf; 2]>::try_from(files) {
        Ok([a, b]) => Ok(Command::Diff { json, a, b, aslr }),
        Err(files) => Err(Error::new(format!(
            "diff takes two reports, not {}\n\n{USAGE}",
            files.len()
        ))),
    }
}

fn map(json: bool, words: &[OsString]) -> Result<Command, Error> {
    let mut target = None;
    let mut svg = None;
    let mut words = words.iter();
    while let Some(word) = words.next() {
        match word.to_str() {
            Some("--svg") => {
                let file = words
                    .next()
                    .ok_or(format!("--svg needs a FILE\n\n{USAGE}"))?;
                svg = Some(PathBuf::from(file));
            }
            _ => match pid(word) {
                Some(p) if target.is_none() => target = Some(p),
                _ => return Err(Error::new(unknown(word))),
            },
        }
    }
    Ok(Command::Map {
        json,
        pid: target,
        svg,
    })
}

fn film(args: &[OsString]) -> Result<Command, Error> {
    let mut json = false;
    let mut kill = false;
    let mut svg = None;
    let mut words = args.iter();
    let mut argv = Vec::new();
    while let Some(word) = words.next() {
        match word.to_str() {
            Some("film") => {}
            Some("-h" | "--help") => return Ok(Command::Help),
            Some("--json") => json = true,
            Some("--kill") => kill = true,
            Some("--svg") => {
                let file = words
                    .next()
                    .ok_or(format!("--svg needs a FILE\n\n{USAGE}"))?;
                svg = Some(PathBuf::from(file));
            }
            Some("--") => {
                argv = words.cloned().collect();
                break;
            }
            _ => return Err(Error::new(unknown(word))),
        }
    }
    if argv.is_empty() {
        return Err(Error::new(format!(
            "film needs a program to run: film -- PROGRAM [ARG...]\n\n{USAGE}"
        )));
    }
    Ok(Command::Film {
        json,
        svg,
        kill,
        argv,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(args: &[&str]) -> Result<Command, Error> {
        parse(args.iter().map(OsString::from))
    }

    fn probe(json: bool, sections: Sections, pid: Option<u32>) -> Result<Command, Error> {
        Ok(Command::Probe {
            json,
            sections,
            pid,
        })
    }

    #[test]
    fn film_takes_the_program_after_the_double_dash() {
        assert_eq!(
            parse_str(&["film", "--json", "--svg", "f.svg", "--", "/bin/x", "--json"]),
            Ok(Command::Film {
                json: true,
                svg: Some(PathBuf::from("f.svg")),
                kill: false,
                argv: vec!["/bin/x".into(), "--json".into()],
            })
        );
        assert!(parse_str(&["--json", "film", "--", "x"]).is_ok());
        assert!(matches!(
            parse_str(&["film", "--kill", "--", "x"]),
            Ok(Command::Film { kill: true, .. })
        ));
        assert!(parse_str(&["film"]).is_err());
        assert!(parse_str(&["film", "x"]).is_err());
    }

    #[test]
    fn no_arguments_means_the_default_sections_as_text() {
        assert_eq!(parse_str(&[]), probe(false, Sections::DEFAULT, None));
        // vdso readings differ from run to run: not in the default.
        let expected = Sections {
            vdso: false,
            vdso32: false,
            auxv: true,
            maps: true,
            stack: true,
        };
        assert_eq!(Sections::DEFAULT, expected);
    }

    #[test]
    fn sections_and_json_combine() {
        let got = parse_str(&["stack", "--json", "auxv"]);
        let sections = Sections {
            auxv: true,
            stack: true,
            ..Sections::NONE
        };
        assert_eq!(got, probe(true, sections, None));
        assert_eq!(parse_str(&["maps", "--help"]), Ok(Command::Help));
        let ignored = parse_str(&["--", "--help", "bogus"]);
        assert_eq!(ignored, probe(false, Sections::DEFAULT, None));
        let vdso = Sections {
            vdso: true,
            ..Sections::NONE
        };
        assert_eq!(parse_str(&["vdso"]), probe(false, vdso, None));
    }

    #[test]
    fn maps_takes_a_pid() {
        let maps = Sections {
            maps: true,
            ..Sections::NONE
        };
        assert_eq!(parse_str(&["maps", "1234"]), probe(false, maps, Some(1234)));
        assert_eq!(parse_str(&["--json", "maps"]), probe(true, maps, None));
        assert!(parse_str(&["1234"]).is_err(), "a PID only after maps");
        assert!(parse_str(&["maps", "12", "34"]).is_err());
        assert!(parse_str(&["maps", "-1"]).is_err());
        let err = parse_str(&["maps", "1", "auxv"]).expect_err("auxv is of self");
        assert!(
            err.to_string().contains("a PID goes with maps alone"),
            "{err}"
        );
    }

    #[test]
    fn diff_takes_two_files_and_aslr() {
        assert_eq!(
            parse_str(&["diff", "a.json", "--aslr", "b.json"]),
            Ok(Command::Diff {
                json: false,
                a: "a.json".into(),
                b: "b.json".into(),
                aslr: true
            })
        );
        let err = parse_str(&["diff", "a.json"]).expect_err("one file");
        assert!(
            err.to_string().starts_with("diff takes two reports, not 1"),
            "{err}"
        );
        assert!(parse_str(&["diff", "a", "b", "c"]).is_err());
        assert!(parse_str(&["diff", "a", "b", "--bogus"]).is_err());
    }

    #[test]
    fn map_takes_a_pid_and_an_svg_file() {
        assert_eq!(
            parse_str(&["map", "--svg", "out.svg"]),
            Ok(Command::Map {
                json: false,
                pid: None,
                svg: Some("out.svg".into())
            })
        );
        assert_eq!(
            parse_str(&["--json", "map", "42"]),
            Ok(Command::Map {
                json: true,
                pid: Some(42),
                svg: None
            })
        );
        assert!(parse_str(&["map", "--svg"]).is_err());
        assert!(parse_str(&["map", "maps"]).is_err());
    }

    #[test]
    fn unknown_arguments_are_errors() {
        let err = parse_str(&["--pid", "1"]).expect_err("--pid is no option");
        assert!(
            err.to_string().starts_with("unknown argument \"--pid\""),
            "{err}"
        );
        assert!(parse_str(&["heap"]).is_err());
    }
}
