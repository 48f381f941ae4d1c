//! `execprobe map --svg FILE`: a picture of the address space, written by hand as
//! plain SVG.
//!
//! Highest address at the top, as memory diagrams (and the kernel's
//! Documentation/arch/x86/x86_64/mm.rst) draw it: one horizontal band per mapping,
//! its width growing with the logarithm of its size, and between two bands a
//! space whose height grows with the logarithm of the unmapped gap (the gaps span
//! 4 KiB to 128 TiB: to scale, everything but the gaps would vanish). Special
//! mappings are coloured and outlined; arrows show which way the stack (down,
//! towards lower addresses) and the brk heap (up) grow.

use std::fmt::{self, Write};

use crate::render::text::size;
use crate::report::MapEntry;

/// The narrowest picture; long labels widen it.
const MIN_WIDTH: u32 = 900;
const TOP: u32 = 48;
const BAND: u32 = 22;
/// Left edge of the bands: addresses to the left of it, and further left the
/// growth arrows.
const LEFT: u32 = 250;
const ARROW_X: u32 = 30;
const MIN_BAND_WIDTH: f64 = 60.0;
/// Pixels per doubling of a mapping's size in pages.
const WIDTH_PER_DOUBLING: f64 = 14.0;
/// Pixels per doubling of a gap in pages.
const GAP_PER_DOUBLING: f64 = 3.0;

/// Escapes text for XML, and replaces the characters XML 1.0 forbids (control
/// characters a file name may hold) with U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Fill and outline of a band, by what the mapping is.
fn colours(m: &MapEntry) -> (&'static str, &'static str, bool) {
    let special = |fill| (fill, "#222222", true);
    match m.name.as_str() {
        "[stack]" => special("#6fa8dc"),
        "[heap]" => special("#93c47d"),
        "[vdso]" => special("#f6b26b"),
        "[vvar]" | "[vvar_vclock]" => special("#ffe599"),
        "[vsyscall]" => special("#e06666"),
        "[uprobes]" | "[sigpage]" | "[vectors]" => special("#b4a7d6"),
        _ if m.inode != 0 && m.perms.contains('x') => ("#a7b3bf", "#667788", false),
        _ if m.inode != 0 && m.perms.contains('w') => ("#e6d3b3", "#667788", false),
        _ if m.inode != 0 => ("#d5dde5", "#667788", false),
        _ => ("#eeeeee", "#999999", false),
    }
}

fn log2_pages(bytes: u64) -> f64 {
    ((bytes / 4096).max(1) as f64).log2()
}

/// The height of the space drawn for an unmapped gap.
pub fn gap_height(gap: u64) -> u32 {
    if gap == 0 {
        2
    } else {
        // At most 2^52 pages: fits.
        6 + (GAP_PER_DOUBLING * log2_pages(gap)).round() as u32
    }
}

fn band_width(bytes: u64) -> f64 {
    MIN_BAND_WIDTH + WIDTH_PER_DOUBLING * log2_pages(bytes)
}

/// The label of a band: name, range, permissions, size.
fn label(m: &MapEntry) -> String {
    let name = if m.name.is_empty() {
        "(anonymous)"
    } else {
        &m.name
    };
    let mut s = format!(
        "{name}  {:x}-{:x}  {}  {}",
        m.start,
        m.end,
        m.perms,
        size(m.size)
    );
    if let Some(o) = m.origin {
        let object = match o.object {
            crate::report::Role::Executable => "exe",
            crate::report::Role::Interpreter => "interp",
        };
        s.push_str(&format!("  {object} PT_LOAD[{}]", o.segment));
        if o.part == crate::parse::origin::Part::Bss {
            s.push_str(" bss");
        }
    }
    s
}

/// The SVG document for `mappings` (in maps order, lowest address first).
pub fn render(title: &str, mappings: &[MapEntry]) -> String {
    let mut svg = String::new();
    // Writing to a String cannot fail: fmt::Error only ever comes from the writer.
    let _ = draw(&mut svg, title, mappings);
    svg
}

/// Approximate width of monospace text at font-size 12.
fn text_width(s: &str) -> f64 {
    7.3 * s.chars().count() as f64
}

fn draw(svg: &mut String, title: &str, mappings: &[MapEntry]) -> fmt::Result {
    let gaps: u32 = mappings
        .windows(2)
        .map(|w| gap_height(w[1].start.saturating_sub(w[0].end)))
        .sum();
    let bands = u32::try_from(mappings.len()).unwrap_or(u32::MAX);
    let height = TOP + BAND.saturating_mul(bands).saturating_add(gaps) + 24;
    let widest = mappings
        .iter()
        .map(|m| f64::from(LEFT) + band_width(m.size) + 10.0 + text_width(&label(m)))
        .fold(f64::from(MIN_WIDTH), f64::max);
    let width = widest.ceil() + 20.0;

    writeln!(svg, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        svg,
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" "#,
            r#"viewBox="0 0 {w} {h}" font-family="monospace" font-size="12">"#
        ),
        w = width,
        h = height
    )?;
    writeln!(svg, "<title>{}</title>", escape(title))?;
    writeln!(
        svg,
        concat!(
            r#"<defs><marker id="arrow" viewBox="0 0 10 10" refX="5" refY="5" "#,
            r#"markerWidth="6" markerHeight="6" orient="auto-start-reverse">"#,
            r##"<path d="M 0 0 L 10 5 L 0 10 z" fill="#333333"/></marker></defs>"##
        )
    )?;
    writeln!(
        svg,
        r##"<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>"##
    )?;
    writeln!(
        svg,
        r#"<text x="10" y="22" font-size="15" font-weight="bold">{}</text>"#,
        escape(title)
    )?;
    writeln!(
        svg,
        concat!(
            r##"<text x="10" y="38" fill="#555555">highest address at the top; "##,
            "gaps and band widths on a log scale</text>"
        )
    )?;

    let mut y = TOP;
    for (i, m) in mappings.iter().enumerate().rev() {
        band(svg, m, y)?;
        y += BAND;
        if let Some(below) = i.checked_sub(1).map(|p| &mappings[p]) {
            let gap = m.start.saturating_sub(below.end);
            let h = gap_height(gap);
            if gap > 0 {
                writeln!(
                    svg,
                    concat!(
                        r#"<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" "#,
                        r##"stroke="#bbbbbb" stroke-dasharray="3 3"/>"##
                    ),
                    x = LEFT,
                    y1 = y,
                    y2 = y + h
                )?;
            }
            // Only gaps tall enough for a line of text get one.
            if h >= 12 {
                writeln!(
                    svg,
                    concat!(
                        r##"<text class="gap" x="{}" y="{}" fill="#777777" "##,
                        r#"font-style="italic" text-anchor="end">gap {}</text>"#
                    ),
                    LEFT - 8,
                    y + h / 2 + 4,
                    escape(&size(gap))
                )?;
            }
            y += h;
        }
    }
    writeln!(svg, "</svg>")
}

fn band(svg: &mut String, m: &MapEntry, y: u32) -> fmt::Result {
    let (fill, stroke, special) = colours(m);
    let w = band_width(m.size);
    let (class, stroke_width, weight) = if special {
        ("band special", 2, r#" font-weight="bold""#)
    } else {
        ("band", 1, "")
    };
    writeln!(
        svg,
        concat!(
            r#"<rect class="{class}" x="{LEFT}" y="{y}" width="{w:.0}" height="{h}" "#,
            r#"fill="{fill}" stroke="{stroke}" stroke-width="{sw}"/>"#
        ),
        class = class,
        LEFT = LEFT,
        y = y + 2,
        w = w,
        h = BAND - 4,
        fill = fill,
        stroke = stroke,
        sw = stroke_width
    )?;
    let text_y = y + BAND / 2 + 4;
    writeln!(
        svg,
        r#"<text class="label" x="{:.0}" y="{text_y}"{weight}>{}</text>"#,
        f64::from(LEFT) + w + 10.0,
        escape(&label(m))
    )?;
    writeln!(
        svg,
        r##"<text x="{}" y="{text_y}" fill="#555555" text-anchor="end">{:x}</text>"##,
        LEFT - 8,
        m.start
    )?;
    // Which way the area grows: the stack towards lower addresses (down here),
    // the brk heap towards higher ones (up).
    let arrow = match m.name.as_str() {
        "[stack]" => Some((y + 2, y + BAND + 14, "grows down")),
        "[heap]" => Some((y + BAND - 2, y.saturating_sub(14), "grows up")),
        _ => None,
    };
    if let Some((from, to, words)) = arrow {
        writeln!(
            svg,
            concat!(
                r#"<line class="growth" x1="{x}" y1="{from}" x2="{x}" y2="{to}" "#,
                r##"stroke="#333333" stroke-width="2" marker-end="url(#arrow)"/>"##
            ),
            x = ARROW_X,
            from = from,
            to = to
        )?;
        writeln!(
            svg,
            r##"<text x="{}" y="{text_y}" fill="#333333" font-size="10">{words}</text>"##,
            ARROW_X + 8
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gather::procmaps::describe;
    use crate::parse::maps::parse;

    fn svg_of(maps: &str) -> String {
        let maps = parse(maps).expect("valid maps");
        render("test & <title>", &describe(&maps, None).mappings)
    }

    const MAPS: &str = "\
556c88d6b000-556c88d6d000 r--p 00000000 fe:00 247030 /usr/bin/cat
556c88d6d000-556c88d72000 r-xp 00002000 fe:00 247030 /usr/bin/cat
556cb13ec000-556cb140d000 rw-p 00000000 00:00 0 [heap]
7f890faf5000-7f890faf9000 r--p 00000000 00:00 0 [vvar]
7f890faf9000-7f890fafb000 r--p 00000000 00:00 0 [vvar_vclock]
7f890fafb000-7f890fafd000 r-xp 00000000 00:00 0 [vdso]
7ffd94b3f000-7ffd94b60000 rw-p 00000000 00:00 0 [stack]
ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]
";

    #[test]
    fn is_well_formed_and_draws_every_mapping() {
        let svg = svg_of(MAPS);
        let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        let bands: Vec<_> = doc
            .descendants()
            .filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("band")))
            .collect();
        assert_eq!(bands.len(), 8);
        let special = bands
            .iter()
            .filter(|n| n.attribute("class") == Some("band special"))
            .count();
        assert_eq!(special, 6);
        let text: String = doc
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect();
        for name in [
            "[heap]",
            "[vvar]",
            "[vvar_vclock]",
            "[vdso]",
            "[stack]",
            "[vsyscall]",
        ] {
            assert!(text.contains(name), "{name}");
        }
        assert!(
            text.contains("test & <title>"),
            "the title, unescaped by the parser"
        );
        assert!(text.contains("grows down") && text.contains("grows up"));
        let arrows = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("growth"))
            .count();
        assert_eq!(arrows, 2);
    }

    #[test]
    fn highest_address_is_drawn_first() {
        let svg = svg_of(MAPS);
        let at = |s: &str| svg.find(s).unwrap_or_else(|| panic!("no {s}"));
        assert!(at("[vsyscall]") < at("[stack]"));
        assert!(at("[stack]") < at("[vdso]"));
        assert!(at("[heap]") < at("/usr/bin/cat"));
    }

    #[test]
    fn gaps_are_log_scaled() {
        assert_eq!(gap_height(0), 2);
        assert_eq!(gap_height(4096), 6);
        assert_eq!(gap_height(8192), 9);
        // A million times larger is only 60 pixels taller.
        assert_eq!(gap_height(4096 << 20) - gap_height(4096), 60);
        assert!(gap_height(1 << 47) < 120);
    }

    #[test]
    fn names_are_escaped_and_control_characters_replaced() {
        assert_eq!(escape("a&b<c>\"'"), "a&amp;b&lt;c&gt;&quot;&apos;");
        assert_eq!(escape("x\u{1}y\tz"), "x\u{fffd}y\tz");
        let svg = svg_of("1000-2000 r--p 00000000 fe:00 1 /tmp/<odd> & \u{7}name\n");
        let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
        let labels: Vec<&str> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("label"))
            .filter_map(|n| n.text())
            .collect();
        assert_eq!(labels.len(), 1);
        assert!(
            labels[0].starts_with("/tmp/<odd> & \u{fffd}name  1000-2000  r--p"),
            "{}",
            labels[0]
        );
    }
}
