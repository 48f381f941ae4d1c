//! The films binfmt_rs records, as /sys/kernel/debug/binfmt_rs/films shows them:
//! the address space of an exec after each step of `load_elf_binary()`.
//!
//! The format is binfmt_rs's (rust/core/src/film.rs): per film a `film` line, a
//! `file` line, then per frame a `frame` line, an `mm` line and one `vma` line per
//! VMA, and `end`.

use std::collections::BTreeMap;

use serde::Serialize;

/// One exec's film.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Film {
    pub seq: u64,
    pub pid: u32,
    /// `ELF64` or `ELF32`.
    pub class: String,
    /// What `load_elf_binary()` returned: 0 or a negative errno.
    pub result: i64,
    /// Frames or VMAs were left out (binfmt_rs's bounds).
    pub truncated: bool,
    /// The name the program was exec'd by.
    pub file: String,
    pub frames: Vec<Frame>,
}

/// The address space after one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Frame {
    /// The step of `load_elf_binary()`: `bprm_mm_init`, `begin_new_exec`, ...
    pub step: String,
    /// The C function the step called.
    pub function: String,
    /// The call as binfmt_rs shows it: `function(args) = result`.
    pub call: String,
    /// `bprm->p` and the mm fields, by name.
    pub mm: BTreeMap<String, u64>,
    pub vmas: Vec<Vma>,
}

/// One VMA of a frame, or one line of /proc/PID/maps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Vma {
    pub start: u64,
    pub end: u64,
    /// As /proc/PID/maps shows them: `r-xp`.
    pub perms: String,
    pub offset: u64,
    /// The file's path or the special mapping's name; empty for anonymous memory.
    pub name: String,
}

impl Vma {
    /// The same region with the same protection and name.
    pub fn same(&self, other: &Vma) -> bool {
        self == other
    }

    pub fn overlaps(&self, other: &Vma) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Why a film text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub what: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.what)
    }
}

fn hex(s: &str) -> Option<u64> {
    u64::from_str_radix(s.strip_prefix("0x").unwrap_or(s), 16).ok()
}

/// Parses every film of the text, oldest first.
pub fn parse(text: &str) -> Result<Vec<Film>, ParseError> {
    let mut films = Vec::new();
    let mut film: Option<Film> = None;
    for (i, line) in text.lines().enumerate() {
        let bad = |what: &str| ParseError {
            line: i + 1,
            what: format!("{what}: {line:?}"),
        };
        let (tag, rest) = line.split_once(' ').unwrap_or((line, ""));
        match (tag, film.as_mut()) {
            ("film", None) => film = Some(film_line(rest).ok_or_else(|| bad("bad film line"))?),
            ("file", Some(f)) => f.file = rest.to_owned(),
            ("frame", Some(f)) => f
                .frames
                .push(frame_line(rest).ok_or_else(|| bad("bad frame line"))?),
            ("mm", Some(f)) => {
                let frame = f
                    .frames
                    .last_mut()
                    .ok_or_else(|| bad("mm before a frame"))?;
                for field in rest.split(' ') {
                    let (name, value) = field.split_once('=').ok_or_else(|| bad("bad mm field"))?;
                    let value = hex(value).ok_or_else(|| bad("bad mm value"))?;
                    frame.mm.insert(name.to_owned(), value);
                }
            }
            ("vma", Some(f)) => {
                let frame = f
                    .frames
                    .last_mut()
                    .ok_or_else(|| bad("vma before a frame"))?;
                frame
                    .vmas
                    .push(vma_line(rest).ok_or_else(|| bad("bad vma line"))?);
            }
            ("end", Some(_)) => films.extend(film.take()),
            _ => return Err(bad("unexpected line")),
        }
    }
    if film.is_some() {
        return Err(ParseError {
            line: text.lines().count(),
            what: "the last film has no end".to_owned(),
        });
    }
    Ok(films)
}

/// `SEQ pid PID class CLASS frames N result ERRNO[ truncated]`.
fn film_line(rest: &str) -> Option<Film> {
    let words: Vec<&str> = rest.split(' ').collect();
    let (seq, pid, class, result) = match words.as_slice() {
        [seq, "pid", pid, "class", class, "frames", _, "result", result, tail @ ..]
            if tail.is_empty() || tail == ["truncated"] =>
        {
            (seq, pid, class, result)
        }
        _ => return None,
    };
    Some(Film {
        seq: seq.parse().ok()?,
        pid: pid.parse().ok()?,
        class: (*class).to_owned(),
        result: result.parse().ok()?,
        truncated: words.last() == Some(&"truncated"),
        file: String::new(),
        frames: Vec::new(),
    })
}

/// `INDEX STEP FUNCTION(ARGS) = RESULT`.
fn frame_line(rest: &str) -> Option<Frame> {
    let mut words = rest.splitn(3, ' ');
    let (_index, step, call) = (words.next()?, words.next()?, words.next()?);
    let function = call.split_once('(')?.0;
    Some(Frame {
        step: step.to_owned(),
        function: function.to_owned(),
        call: call.to_owned(),
        mm: BTreeMap::new(),
        vmas: Vec::new(),
    })
}

/// `START-END PERMS OFFSET[ NAME]`.
fn vma_line(rest: &str) -> Option<Vma> {
    let mut words = rest.splitn(4, ' ');
    let (range, perms, offset) = (words.next()?, words.next()?, words.next()?);
    let (start, end) = range.split_once('-')?;
    Some(Vma {
        start: hex(start)?,
        end: hex(end)?,
        perms: perms.to_owned(),
        offset: hex(offset)?,
        name: words.next().unwrap_or("").to_owned(),
    })
}

/// How a VMA of a frame came to be, against the frame before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A region that was not there.
    New(Vma),
    /// The same region, its start or end moved: `grew` or `shrank`.
    Resized { before: Vma, after: Vma },
    /// The same name elsewhere, nothing of it where it was (the stack's move).
    Moved { before: Vma, after: Vma },
    /// The same range, other permissions or another name (a mapping replaced).
    Changed { before: Vma, after: Vma },
    /// A region that is no more.
    Gone(Vma),
}

/// What changed from `before` to `after`, in address order.
pub fn changes(before: &[Vma], after: &[Vma]) -> Vec<Change> {
    let mut used = vec![false; before.len()];
    let mut out = Vec::new();
    for v in after {
        if let Some(i) = before.iter().position(|b| b.same(v)) {
            used[i] = true;
            continue;
        }
        let pick = |pred: &dyn Fn(&Vma) -> bool| {
            before
                .iter()
                .enumerate()
                .find(|(i, b)| !used[*i] && pred(b))
                .map(|(i, _)| i)
        };
        let resized = pick(&|b| {
            b.name == v.name && b.perms == v.perms && (b.start == v.start || b.end == v.end)
        });
        let changed = || pick(&|b| b.start == v.start && b.end == v.end);
        let moved = || {
            pick(&|b| {
                !b.name.is_empty()
                    && b.name == v.name
                    && !b.overlaps(v)
                    && !after.iter().any(|a| a.same(b))
            })
        };
        let change = if let Some(i) = resized {
            used[i] = true;
            Change::Resized {
                before: before[i].clone(),
                after: v.clone(),
            }
        } else if let Some(i) = changed() {
            used[i] = true;
            Change::Changed {
                before: before[i].clone(),
                after: v.clone(),
            }
        } else if let Some(i) = moved() {
            used[i] = true;
            Change::Moved {
                before: before[i].clone(),
                after: v.clone(),
            }
        } else {
            Change::New(v.clone())
        };
        out.push(change);
    }
    for (i, b) in before.iter().enumerate() {
        if !used[i] && !after.iter().any(|a| a.same(b)) {
            out.push(Change::Gone(b.clone()));
        }
    }
    out.sort_by_key(|c| match c {
        Change::New(v) | Change::Gone(v) => v.start,
        Change::Resized { after, .. }
        | Change::Moved { after, .. }
        | Change::Changed { after, .. } => after.start,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOLIBC: &str = "\
film 3 pid 56 class ELF64 frames 3 result 0
file /samples/nolibc
frame 0 bprm_mm_init __bprm_mm_init(p=0x7fffffffef69) = 0
mm p=0x7fffffffef69 start_code=0x0 start_stack=0x0
vma 7fffffffe000-7ffffffff000 rw-p 00000000 [stack]
frame 1 setup_arg_pages setup_arg_pages(bprm, stack_top=0x7ffceb634000, executable_stack=EXSTACK_DISABLE_X) = 0
mm p=0x7ffceb632f69 start_code=0x0 start_stack=0x7ffceb632f69
vma 7ffceb612000-7ffceb633000 rw-p 00000000 [stack]
frame 2 elf_load vm_mmap(addr=0x400000, len=0x1000, prot=PROT_READ, flags=MAP_PRIVATE|MAP_FIXED_NOREPLACE, off=0x0) = 0x400000
mm p=0x7ffceb632f69 start_code=0x0 start_stack=0x7ffceb632f69
vma 400000-401000 r--p 00000000 /samples/a file
vma 7ffceb612000-7ffceb633000 rw-p 00000000 [stack]
vma 7ffceb700000-7ffceb701000 rw-p 00000000
end
";

    #[test]
    fn a_film_parses_frame_by_frame() {
        let films = parse(NOLIBC).unwrap();
        assert_eq!(films.len(), 1);
        let f = &films[0];
        assert_eq!((f.seq, f.pid, f.result, f.truncated), (3, 56, 0, false));
        assert_eq!(f.file, "/samples/nolibc");
        assert_eq!(f.frames.len(), 3);
        assert_eq!(f.frames[0].step, "bprm_mm_init");
        assert_eq!(f.frames[0].function, "__bprm_mm_init");
        assert_eq!(f.frames[1].mm["p"], 0x7ffc_eb63_2f69);
        let vmas = &f.frames[2].vmas;
        assert_eq!(vmas[0].name, "/samples/a file");
        assert_eq!((vmas[0].start, vmas[0].end), (0x40_0000, 0x40_1000));
        assert_eq!(vmas[2].name, "");
        assert!(f.frames[2].call.ends_with(" = 0x400000"));
    }

    #[test]
    fn bad_text_is_an_error_with_its_line() {
        let cut = NOLIBC.replace("end\n", "");
        assert!(parse(&cut).is_err());
        let bad = NOLIBC.replace("vma 400000-401000", "vma 40z000-401000");
        assert_eq!(parse(&bad).unwrap_err().line, 11);
        assert!(parse("frame 0 x y() = 0\n").is_err());
        assert_eq!(parse("").unwrap(), vec![]);
    }

    #[test]
    fn changes_name_what_appeared_moved_grew_and_went() {
        let f = &parse(NOLIBC).unwrap()[0];
        let moved = changes(&f.frames[0].vmas, &f.frames[1].vmas);
        assert!(matches!(moved.as_slice(), [Change::Moved { .. }]));
        let new = changes(&f.frames[1].vmas, &f.frames[2].vmas);
        assert!(matches!(new.as_slice(), [Change::New(a), Change::New(b)]
            if a.start == 0x40_0000 && b.name.is_empty()));
        let mut grown = f.frames[1].vmas.clone();
        grown[0].start -= 0x1000;
        assert!(matches!(
            changes(&f.frames[1].vmas, &grown).as_slice(),
            [Change::Resized { .. }]
        ));
        let gone = changes(&f.frames[2].vmas, &f.frames[1].vmas);
        assert!(matches!(
            gone.as_slice(),
            [Change::Gone(_), Change::Gone(_)]
        ));
        let mut replaced = f.frames[2].vmas.clone();
        replaced[0].perms = "r-xp".into();
        assert!(matches!(
            changes(&f.frames[2].vmas, &replaced).as_slice(),
            [Change::Changed { .. }]
        ));
    }
}
