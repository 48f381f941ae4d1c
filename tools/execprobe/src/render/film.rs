//! `execprobe film`: a film as text (each frame as the mappings that changed), as
//! JSON (`execprobe-film/v1`) and as an SVG strip (one column per frame).

use std::collections::BTreeSet;
use std::fmt::{self, Write};

use serde::Serialize;

use crate::gather::ffi::TracedStart;
use crate::gather::film::FilmRun;
use crate::parse::film::{changes, Change, Vma};
use crate::render::svg::{escape, gap_height};

/// The JSON schema of `film --json`.
pub const SCHEMA: &str = "execprobe-film/v1";

/// The gate area: /proc/PID/maps shows `get_gate_vma()` after the mm's VMAs, but
/// it is not one of them, and no step of the exec maps it.
pub fn is_gate(v: &Vma) -> bool {
    v.name == "[vsyscall]"
}

/// Whether the last frame is what /proc/PID/maps showed at the first
/// instruction, the gate area aside. `None` when the exec did not get there.
pub fn last_frame_is_maps(run: &FilmRun) -> Option<bool> {
    if run.start != TracedStart::AtEntry {
        return None;
    }
    let last = run.film.frames.last()?;
    let maps: Vec<Vma> = run.maps.iter().filter(|v| !is_gate(v)).cloned().collect();
    Some(last.vmas == maps)
}

fn range(v: &Vma) -> String {
    format!("{:x}-{:x} {}", v.start, v.end, v.perms)
}

fn named(v: &Vma) -> String {
    if v.name.is_empty() {
        format!("{} (anonymous)", range(v))
    } else {
        format!("{} {}", range(v), v.name)
    }
}

/// One line of a change.
fn change_line(c: &Change) -> String {
    match c {
        Change::New(v) => format!("+ {}", named(v)),
        Change::Gone(v) => format!("- {}", named(v)),
        Change::Resized { before, after } => {
            let how = if after.end - after.start > before.end - before.start {
                "grew"
            } else {
                "shrank"
            };
            format!(
                "~ {}  {how} from {:x}-{:x}",
                named(after),
                before.start,
                before.end
            )
        }
        Change::Moved { before, after } => {
            format!(
                "> {}  moved from {:x}-{:x}",
                named(after),
                before.start,
                before.end
            )
        }
        Change::Changed { before, after } => {
            format!("* {}  was {}", named(after), named(before))
        }
    }
}

/// The film as text.
pub fn text(run: &FilmRun) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_text(&mut out, run);
    out
}

fn write_text(out: &mut String, run: &FilmRun) -> fmt::Result {
    let f = &run.film;
    writeln!(
        out,
        "film of {} (pid {}, {}): {} frames, load_elf_binary() = {}{}",
        run.program,
        run.pid,
        f.class,
        f.frames.len(),
        f.result,
        if f.truncated { " (truncated)" } else { "" }
    )?;
    let mut before: &[Vma] = &[];
    for (i, frame) in f.frames.iter().enumerate() {
        writeln!(out, "[{i}] {}: {}", frame.step, frame.call)?;
        let changed = changes(before, &frame.vmas);
        if changed.is_empty() {
            writeln!(out, "      (no mapping changed)")?;
        }
        for c in &changed {
            writeln!(out, "      {}", change_line(c))?;
        }
        before = &frame.vmas;
    }
    match run.start {
        TracedStart::AtEntry => {
            let maps: Vec<Vma> = run.maps.iter().filter(|v| !is_gate(v)).cloned().collect();
            if last_frame_is_maps(run) == Some(true) {
                writeln!(
                    out,
                    "at the first instruction, /proc/{}/maps shows the last frame's {} mappings",
                    run.pid,
                    maps.len()
                )?;
            } else {
                writeln!(
                    out,
                    "at the first instruction, /proc/{}/maps differs from the last frame:",
                    run.pid
                )?;
                for c in changes(before, &maps) {
                    writeln!(out, "      {}", change_line(&c))?;
                }
            }
            for gate in run.maps.iter().filter(|v| is_gate(v)) {
                writeln!(
                    out,
                    "and {}: the gate area (get_gate_vma()), which maps shows for every \
                     process of the kernel but which is no VMA of the mm: no step made it",
                    named(gate)
                )?;
            }
        }
        TracedStart::Signal(sig) => writeln!(
            out,
            "the exec failed after the point of no return: signal {sig} before the first instruction"
        )?,
        TracedStart::ExecFailed(errno) => writeln!(
            out,
            "execve() failed: {} (errno {errno})",
            std::io::Error::from_raw_os_error(errno)
        )?,
        TracedStart::Ended(status) => writeln!(out, "the child ended at once (status {status})")?,
    }
    if let Some(status) = run.status {
        if libc::WIFEXITED(status) {
            writeln!(out, "let go, it exited with {}", libc::WEXITSTATUS(status))?;
        } else if libc::WIFSIGNALED(status) {
            writeln!(
                out,
                "let go, it was killed by signal {}",
                libc::WTERMSIG(status)
            )?;
        }
    }
    Ok(())
}

/// `film --json`.
#[derive(Serialize)]
pub struct Json<'a> {
    schema: &'static str,
    program: &'a str,
    pid: u32,
    class: &'a str,
    /// What `load_elf_binary()` returned.
    result: i64,
    truncated: bool,
    frames: Vec<JsonFrame<'a>>,
    /// /proc/PID/maps at the first instruction (empty if the exec failed).
    maps: Vec<JsonVma<'a>>,
    /// Whether the last frame is `maps`, the gate area aside (null if the exec
    /// failed).
    last_frame_is_maps: Option<bool>,
}

#[derive(Serialize)]
struct JsonFrame<'a> {
    step: &'a str,
    function: &'a str,
    call: &'a str,
    mm: &'a std::collections::BTreeMap<String, u64>,
    vmas: Vec<JsonVma<'a>>,
}

#[derive(Serialize)]
struct JsonVma<'a> {
    start: u64,
    end: u64,
    perms: &'a str,
    offset: u64,
    name: &'a str,
}

fn json_vmas(vmas: &[Vma]) -> Vec<JsonVma<'_>> {
    vmas.iter()
        .map(|v| JsonVma {
            start: v.start,
            end: v.end,
            perms: &v.perms,
            offset: v.offset,
            name: &v.name,
        })
        .collect()
}

pub fn json(run: &FilmRun) -> Json<'_> {
    let f = &run.film;
    Json {
        schema: SCHEMA,
        program: &run.program,
        pid: run.pid,
        class: &f.class,
        result: f.result,
        truncated: f.truncated,
        frames: f
            .frames
            .iter()
            .map(|fr| JsonFrame {
                step: &fr.step,
                function: &fr.function,
                call: &fr.call,
                mm: &fr.mm,
                vmas: json_vmas(&fr.vmas),
            })
            .collect(),
        maps: json_vmas(&run.maps),
        last_frame_is_maps: last_frame_is_maps(run),
    }
}

/// The narrowest column; a long step or function name widens them all.
const MIN_COLUMN: u32 = 104;
/// Pixels per character of the 10-pixel monospace labels.
const CHAR: f64 = 6.2;
const ROW: u32 = 16;
const LEFT: u32 = 150;
const TOP: u32 = 70;

fn fill(v: &Vma) -> &'static str {
    match v.name.as_str() {
        "[stack]" => "#6fa8dc",
        "[heap]" => "#93c47d",
        "[vdso]" => "#f6b26b",
        "[vvar]" | "[vvar_vclock]" => "#ffe599",
        "[vsyscall]" => "#e06666",
        n if n.starts_with('/') && v.perms.contains('x') => "#a7b3bf",
        n if n.starts_with('/') && v.perms.contains('w') => "#e6d3b3",
        n if n.starts_with('/') => "#d5dde5",
        _ => "#eeeeee",
    }
}

/// The strip: one column per frame, then /proc/PID/maps; highest address at the
/// top. The address axis is compressed as `execprobe map` compresses it: every
/// stretch between two region boundaries that some frame maps is one row, and
/// the unmapped stretches between them are gaps whose height grows with the
/// logarithm of their size. A region that is new or changed since the frame
/// before is outlined in red.
pub fn svg(run: &FilmRun) -> String {
    let mut svg = String::new();
    // Writing to a String cannot fail.
    let _ = draw(&mut svg, run);
    svg
}

fn draw(svg: &mut String, run: &FilmRun) -> fmt::Result {
    let mut columns: Vec<(String, String, &[Vma])> = run
        .film
        .frames
        .iter()
        .enumerate()
        .map(|(i, f)| {
            (
                format!("{i} {}", f.step),
                f.function.clone(),
                f.vmas.as_slice(),
            )
        })
        .collect();
    if !run.maps.is_empty() {
        columns.push(("maps".into(), format!("/proc/{}/maps", run.pid), &run.maps));
    }
    let bounds: BTreeSet<u64> = columns
        .iter()
        .flat_map(|c| c.2.iter().flat_map(|v| [v.start, v.end]))
        .collect();
    let bounds: Vec<u64> = bounds.into_iter().rev().collect();
    // y of each boundary, from the top: a stretch some column maps is a row, one
    // nobody maps a gap.
    let mapped = |lo: u64, hi: u64| {
        columns
            .iter()
            .any(|c| c.2.iter().any(|v| v.start <= lo && hi <= v.end))
    };
    let mut ys = Vec::with_capacity(bounds.len());
    let mut y = TOP;
    for (i, &b) in bounds.iter().enumerate() {
        ys.push(y);
        if let Some(&lower) = bounds.get(i + 1) {
            y += if mapped(lower, b) {
                ROW
            } else {
                gap_height(b - lower)
            };
        }
    }
    let y_of = |addr: u64| {
        bounds
            .iter()
            .position(|&b| b == addr)
            .map_or(TOP, |i| ys[i])
    };
    let longest = columns
        .iter()
        .map(|c| c.0.chars().count().max(c.1.chars().count()))
        .max()
        .unwrap_or(0);
    let col = MIN_COLUMN.max((CHAR * longest as f64).ceil() as u32 + 14);
    let width = LEFT + col * columns.len() as u32 + 20;
    let height = y + 40;
    writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="monospace" font-size="10">"#
    )?;
    writeln!(
        svg,
        r#"<rect width="{width}" height="{height}" fill="white"/><text x="10" y="18" font-size="13">{}</text>"#,
        escape(&format!(
            "exec of {} (pid {}): the address space after each step of load_elf_binary()",
            run.program, run.pid
        ))
    )?;
    for (&b, &y) in bounds.iter().zip(&ys) {
        writeln!(
            svg,
            r##"<text x="{}" y="{}" text-anchor="end" fill="#555555">{b:x}</text><line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="#dddddd"/>"##,
            LEFT - 6,
            y + 3,
            LEFT - 4,
            width - 10
        )?;
    }
    let mut before: &[Vma] = &[];
    for (i, (label, function, vmas)) in columns.iter().enumerate() {
        let x = LEFT + col * i as u32;
        writeln!(
            svg,
            r##"<text x="{}" y="{}" text-anchor="middle">{}</text><text x="{}" y="{}" text-anchor="middle" fill="#555555">{}</text>"##,
            x + col / 2,
            TOP - 22,
            escape(label),
            x + col / 2,
            TOP - 10,
            escape(function)
        )?;
        for v in vmas.iter() {
            let (top, bottom) = (y_of(v.end), y_of(v.start));
            let fresh = !before.iter().any(|b| b == v);
            let stroke = if fresh && i > 0 {
                r##"stroke="#cc0000" stroke-width="2""##
            } else {
                r##"stroke="#666666" stroke-width="1""##
            };
            let name = if v.name.is_empty() {
                "(anonymous)"
            } else {
                &v.name
            };
            writeln!(
                svg,
                r#"<rect x="{}" y="{top}" width="{}" height="{}" fill="{}" {stroke}><title>{}</title></rect>"#,
                x + 4,
                col - 8,
                bottom.saturating_sub(top).max(2),
                fill(v),
                escape(&named(v))
            )?;
            let short = name.rsplit('/').next().unwrap_or(name);
            if bottom.saturating_sub(top) >= 10 {
                writeln!(
                    svg,
                    r#"<text x="{}" y="{}">{}</text>"#,
                    x + 7,
                    top + 11,
                    escape(&format!("{short} {}", v.perms))
                )?;
            }
        }
        before = vmas;
    }
    writeln!(svg, "</svg>")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::film::parse;

    fn run() -> FilmRun {
        let text = "\
film 1 pid 9 class ELF64 frames 2 result 0
file /s/a&b
frame 0 bprm_mm_init __bprm_mm_init(p=0x7fffffffef69) = 0
mm p=0x7fffffffef69
vma 7fffffffe000-7ffffffff000 rw-p 00000000 [stack]
frame 1 elf_load vm_mmap(addr=0x400000) = 0x400000
mm p=0x7fffffffef69
vma 400000-401000 r-xp 00000000 /s/a&b
vma 7fffffffe000-7ffffffff000 rw-p 00000000 [stack]
end
";
        let film = parse(text).unwrap().remove(0);
        let mut maps = film.frames[1].vmas.clone();
        maps.push(Vma {
            start: 0xffff_ffff_ff60_0000,
            end: 0xffff_ffff_ff60_1000,
            perms: "--xp".into(),
            offset: 0,
            name: "[vsyscall]".into(),
        });
        FilmRun {
            program: "/s/a&b".into(),
            pid: 9,
            start: TracedStart::AtEntry,
            film,
            maps,
            status: Some(0),
        }
    }

    #[test]
    fn the_last_frame_is_compared_with_maps_the_gate_aside() {
        let r = run();
        assert_eq!(last_frame_is_maps(&r), Some(true));
        let t = text(&r);
        assert!(t.contains("[1] elf_load: vm_mmap(addr=0x400000) = 0x400000"));
        assert!(t.contains("+ 400000-401000 r-xp /s/a&b"));
        assert!(t.contains("the gate area"));
        let mut other = run();
        other.maps.remove(0);
        assert_eq!(last_frame_is_maps(&other), Some(false));
        assert!(text(&other).contains("differs from the last frame"));
    }

    #[test]
    fn json_has_the_schema_fields() {
        let r = run();
        let v = serde_json::to_value(json(&r)).unwrap();
        assert_eq!(v["schema"], SCHEMA);
        assert_eq!(v["frames"][1]["step"], "elf_load");
        assert_eq!(v["frames"][1]["function"], "vm_mmap");
        assert_eq!(v["frames"][1]["vmas"][0]["start"], 0x40_0000);
        assert_eq!(v["frames"][1]["vmas"][0]["perms"], "r-xp");
        assert_eq!(v["maps"][2]["name"], "[vsyscall]");
    }

    #[test]
    fn the_strip_is_well_formed_svg_with_a_column_per_frame() {
        let s = svg(&run());
        let doc = roxmltree::Document::parse(&s).expect("well-formed");
        let labels: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        for want in ["0 bprm_mm_init", "1 elf_load", "maps"] {
            assert!(labels.contains(&want), "{want} in {labels:?}");
        }
    }
}
