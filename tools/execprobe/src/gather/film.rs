//! `execprobe film`: runs a program stopped before its first instruction, reads
//! the film binfmt_rs recorded of its exec from debugfs and its /proc/PID/maps,
//! and lets it go.

use std::ffi::{CString, OsString};
use std::os::unix::ffi::OsStringExt;

use crate::error::Error;
use crate::gather::ffi::{self, TracedStart};
use crate::parse::film::{self, Film, Vma};
use crate::parse::maps;

/// Where binfmt_rs keeps its films, and its parameters.
pub const FILMS: &str = "/sys/kernel/debug/binfmt_rs/films";
const PARAMETERS: &str = "/sys/module/binfmt_rs/parameters";

/// One filmed run.
#[derive(Debug)]
pub struct FilmRun {
    /// The program as it was named.
    pub program: String,
    pub pid: u32,
    pub start: TracedStart,
    pub film: Film,
    /// /proc/PID/maps at the first instruction; empty if the exec failed.
    pub maps: Vec<Vma>,
    /// How the program ended after it was let go (a wait status).
    pub status: Option<i32>,
}

fn parameter(name: &str) -> Result<String, Error> {
    let path = format!("{PARAMETERS}/{name}");
    std::fs::read_to_string(&path)
        .map(|s| s.trim().to_owned())
        .map_err(|e| Error::new(format!("reading {path}: {e}")))
}

/// Refuses to run when no film can come of it, saying why.
fn preflight() -> Result<(), Error> {
    if !std::path::Path::new(PARAMETERS).exists() {
        return Err(Error::new(
            "binfmt_rs is not loaded (insmod binfmt_rs.ko claim=all film=1)",
        ));
    }
    if parameter("claim")? == "none" {
        return Err(Error::new(format!(
            "binfmt_rs is not claiming any file, so it films nothing \
             (echo all >{PARAMETERS}/claim)"
        )));
    }
    if parameter("film")? != "1" {
        return Err(Error::new(format!(
            "the film is off (echo 1 >{PARAMETERS}/film)"
        )));
    }
    if !std::path::Path::new(FILMS).exists() {
        return Err(Error::new(format!(
            "{FILMS} is missing: is debugfs mounted? (mount -t debugfs none /sys/kernel/debug)"
        )));
    }
    Ok(())
}

fn read_films() -> Result<Vec<Film>, Error> {
    let text =
        std::fs::read_to_string(FILMS).map_err(|e| Error::new(format!("reading {FILMS}: {e}")))?;
    film::parse(&text).map_err(|e| Error::new(format!("{FILMS}: {e}")))
}

/// /proc/PID/maps as the film's VMAs.
fn maps_of(pid: u32) -> Result<Vec<Vma>, Error> {
    let path = format!("/proc/{pid}/maps");
    let text =
        std::fs::read_to_string(&path).map_err(|e| Error::new(format!("reading {path}: {e}")))?;
    Ok(maps::parse(&text)?
        .into_iter()
        .map(|m| Vma {
            start: m.start,
            end: m.end,
            perms: m.perms,
            offset: m.offset,
            name: m.name,
        })
        .collect())
}

/// Runs `argv`, films it, and lets it finish, or with `kill` kills it at its
/// first instruction.
pub fn run(argv: &[OsString], kill: bool) -> Result<FilmRun, Error> {
    preflight()?;
    let program = argv
        .first()
        .ok_or_else(|| Error::new("film needs a PROGRAM after --"))?
        .to_string_lossy()
        .into_owned();
    let args = argv
        .iter()
        .map(|a| CString::new(a.clone().into_vec()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| Error::new("an argument holds a NUL byte"))?;
    let (pid, start) = ffi::spawn_traced(&args)?;
    let stopped = matches!(start, TracedStart::AtEntry | TracedStart::Signal(_));
    let maps = match start {
        TracedStart::AtEntry => maps_of(pid as u32),
        _ => Ok(Vec::new()),
    };
    let films = read_films();
    let status = if stopped {
        let signal = match start {
            TracedStart::Signal(sig) => sig,
            _ if kill => libc::SIGKILL,
            _ => 0,
        };
        Some(ffi::release_traced(pid, signal)?)
    } else {
        None
    };
    let (maps, films) = (maps?, films?);
    let pid = pid as u32;
    let film = films
        .into_iter()
        .rev()
        .find(|f| f.pid == pid)
        .ok_or_else(|| {
            Error::new(format!(
                "binfmt_rs recorded no film of {program} (pid {pid}): it did not load it \
                 (not an ELF file binfmt_rs takes, or a script?)"
            ))
        })?;
    Ok(FilmRun {
        program,
        pid,
        start,
        film,
        maps,
        status,
    })
}
