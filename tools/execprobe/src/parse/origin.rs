//! Which mapping came from which PT_LOAD: the inverse of `elf_load`
//! (fs/binfmt_elf.c), pure arithmetic on a maps list and a program header list.
//!
//! For each PT_LOAD with a file part, `elf_map` mmaps the file pages
//! `[ELF_PAGESTART(p_offset), p_offset + p_filesz)` at
//! `ELF_PAGESTART(load_bias + p_vaddr)`; since ELF requires `p_vaddr ≡ p_offset`
//! modulo the page size, every byte of such a mapping satisfies
//! `address - file offset = load_bias + p_vaddr - p_offset`, however mprotect
//! (RELRO) later splits the VMA. When `p_memsz > p_filesz`, `elf_load` zeroes the
//! rest of the last file page and `vm_brk_flags` maps anonymous pages from
//! `ELF_PAGEALIGN(load_bias + p_vaddr + p_filesz)` to
//! `ELF_PAGEALIGN(load_bias + p_vaddr + p_memsz)`: the segment's bss.

use serde::Serialize;

use crate::parse::elf::{ElfInfo, Segment};
use crate::parse::maps::Mapping;

pub const PAGE_SIZE: u64 = 4096;

fn page_down(a: u64) -> u64 {
    a & !(PAGE_SIZE - 1)
}

fn page_up(a: u64) -> u64 {
    page_down(a.saturating_add(PAGE_SIZE - 1))
}

/// Which part of a PT_LOAD a mapping holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    /// Pages of the file.
    File,
    /// The anonymous zero pages past the file part.
    Bss,
}

/// Where one mapping came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attributed {
    /// Index of the mapping in the maps list.
    pub mapping: usize,
    /// Index of the PT_LOAD in `ElfInfo::segments`.
    pub segment: usize,
    pub part: Part,
    /// Whether the mapping lies in PT_GNU_RELRO and was made read-only.
    pub relro: bool,
}

/// How one ELF object is laid out in a maps list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attribution {
    /// `load_bias`: where the object was mapped relative to its p_vaddr. `None`
    /// when none of its file pages is mapped.
    pub bias: Option<u64>,
    pub mappings: Vec<Attributed>,
    /// Mappings of the file that no PT_LOAD explains at `bias`.
    pub unexplained: Vec<usize>,
    /// Indices (in `ElfInfo::segments`) of PT_LOADs with no file mapping, or whose
    /// bss pages are missing.
    pub missing: Vec<usize>,
}

/// Attributes the mappings of one object. `of_file[i]` says whether mapping `i` is
/// of this object's file (same device and inode, or same path).
pub fn attribute(maps: &[Mapping], of_file: &[bool], info: &ElfInfo) -> Attribution {
    let file_maps: Vec<usize> = (0..maps.len())
        .filter(|&i| of_file.get(i) == Some(&true))
        .collect();
    let Some(bias) = load_bias(maps, &file_maps, &info.segments) else {
        return Attribution {
            bias: None,
            unexplained: file_maps,
            missing: (0..info.segments.len()).collect(),
            ..Attribution::default()
        };
    };
    let relro = info.relro.map(|(vaddr, memsz)| {
        // _dl_protect_relro (glibc elf/dl-reloc.c) rounds both ends down.
        let start = page_down(bias.wrapping_add(vaddr));
        (
            start,
            page_down(bias.wrapping_add(vaddr).saturating_add(memsz)),
        )
    });
    let in_relro = |m: &Mapping| {
        relro.is_some_and(|(start, end)| {
            start <= m.start && m.end <= end && m.perms.starts_with("r--")
        })
    };

    let mut out = Attribution {
        bias: Some(bias),
        ..Attribution::default()
    };
    for &i in &file_maps {
        let m = &maps[i];
        match info
            .segments
            .iter()
            .position(|s| file_part_holds(s, bias, m))
        {
            Some(segment) => out.mappings.push(Attributed {
                mapping: i,
                segment,
                part: Part::File,
                relro: in_relro(m),
            }),
            None => out.unexplained.push(i),
        }
    }
    for (segment, s) in info.segments.iter().enumerate() {
        // A mapping that starts in an earlier segment may hold this one too: the
        // kernel merges adjacent VMAs of the same file and protection, as
        // READ_IMPLIES_EXEC makes an r-- and an r-x segment (an i386 program
        // without PT_GNU_STACK).
        let has_file_part = s.filesz == 0
            || out.mappings.iter().any(|a| a.segment == segment)
            || file_maps
                .iter()
                .any(|&i| file_part_overlaps(s, bias, &maps[i]));
        let bss = bss_range(s, bias);
        let bss_mapping = bss.and_then(|(start, _)| {
            maps.iter()
                .position(|m| m.start == start && m.is_anonymous())
        });
        if let Some(mapping) = bss_mapping {
            out.mappings.push(Attributed {
                mapping,
                segment,
                part: Part::Bss,
                relro: false,
            });
        }
        if !has_file_part || (bss.is_some() && bss_mapping.is_none()) {
            out.missing.push(segment);
        }
    }
    out.mappings.sort_by_key(|a| a.mapping);
    out
}

/// Whether `m` maps file pages of `s` when the object is loaded at `bias`.
fn file_part_holds(s: &Segment, bias: u64, m: &Mapping) -> bool {
    let file_range = page_down(s.offset)..page_up(s.offset.saturating_add(s.filesz));
    let start = page_down(bias.wrapping_add(s.vaddr));
    s.filesz > 0
        && file_range.contains(&m.offset)
        && m.start.wrapping_sub(m.offset) == start.wrapping_sub(page_down(s.offset))
}

/// Whether `m` maps any file page of `s` at the place `bias` gives it.
fn file_part_overlaps(s: &Segment, bias: u64, m: &Mapping) -> bool {
    let file_range = page_down(s.offset)..page_up(s.offset.saturating_add(s.filesz));
    let start = page_down(bias.wrapping_add(s.vaddr));
    let m_end = m.offset.saturating_add(m.end.saturating_sub(m.start));
    s.filesz > 0
        && m.offset < file_range.end
        && file_range.start < m_end
        && m.start.wrapping_sub(m.offset) == start.wrapping_sub(page_down(s.offset))
}

/// The anonymous pages `elf_load` maps past the file part of `s`, if any.
fn bss_range(s: &Segment, bias: u64) -> Option<(u64, u64)> {
    let start = bias.wrapping_add(s.vaddr);
    let zero_start = if s.filesz == 0 {
        page_down(start)
    } else {
        page_up(start.saturating_add(s.filesz))
    };
    let zero_end = page_up(start.saturating_add(s.memsz));
    (s.memsz > s.filesz && zero_end > zero_start).then_some((zero_start, zero_end))
}

/// The load bias that explains the most file mappings of the object: each mapping
/// votes for the bias each PT_LOAD whose page-aligned file range holds its offset
/// would imply. Segments that share a file page (a file linked without
/// `-z separate-code`) give a mapping several candidates; only the true bias is
/// consistent with all mappings. Ties go to the lowest bias, the one of the first
/// PT_LOAD when the segments are in ascending p_vaddr order as the gABI requires.
fn load_bias(maps: &[Mapping], file_maps: &[usize], segments: &[Segment]) -> Option<u64> {
    let mut votes: Vec<(u64, usize)> = Vec::new();
    for &i in file_maps {
        let m = &maps[i];
        for s in segments {
            let file_range = page_down(s.offset)..page_up(s.offset.saturating_add(s.filesz));
            if s.filesz == 0 || !file_range.contains(&m.offset) {
                continue;
            }
            let bias = m
                .start
                .wrapping_sub(m.offset)
                .wrapping_sub(page_down(s.vaddr).wrapping_sub(page_down(s.offset)));
            match votes.iter_mut().find(|(b, _)| *b == bias) {
                Some((_, n)) => *n += 1,
                None => votes.push((bias, 1)),
            }
        }
    }
    votes
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(bias, _)| bias)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::elf::Perms;
    use crate::parse::elf::{ET_DYN, ET_EXEC, PF_R, PF_W, PF_X};

    fn seg(index: usize, flags: u32, offset: u64, vaddr: u64, filesz: u64, memsz: u64) -> Segment {
        Segment {
            index,
            flags: Perms(flags),
            offset,
            vaddr,
            filesz,
            memsz,
            align: 0x1000,
        }
    }

    fn map(start: u64, end: u64, perms: &str, offset: u64, inode: u64, name: &str) -> Mapping {
        Mapping {
            start,
            end,
            perms: perms.into(),
            offset,
            dev: if inode == 0 { (0, 0) } else { (0xfe, 0) },
            inode,
            name: name.into(),
        }
    }

    /// `/usr/bin/cat`'s program headers (readelf -lW, Debian 12).
    fn cat() -> ElfInfo {
        ElfInfo {
            class32: false,
            e_type: ET_DYN,
            entry: 0x3130,
            segments: vec![
                seg(2, PF_R, 0, 0, 0x1720, 0x1720),
                seg(3, PF_R | PF_X, 0x2000, 0x2000, 0x4da9, 0x4da9),
                seg(4, PF_R, 0x7000, 0x7000, 0x20e8, 0x20e8),
                seg(5, PF_R | PF_W, 0x9c30, 0xac30, 0x650, 0x7e8),
            ],
            relro: Some((0xac30, 0x3d0)),
            phdr_vaddr: Some(0x40),
            interp: Some("/lib64/ld-linux-x86-64.so.2".into()),
        }
    }

    /// The lines of `cat /proc/self/maps` for the file, then its neighbours.
    fn cat_maps() -> Vec<Mapping> {
        let bin = "/usr/bin/cat";
        vec![
            map(0x556c_88d6_b000, 0x556c_88d6_d000, "r--p", 0, 247030, bin),
            map(
                0x556c_88d6_d000,
                0x556c_88d7_2000,
                "r-xp",
                0x2000,
                247030,
                bin,
            ),
            map(
                0x556c_88d7_2000,
                0x556c_88d7_5000,
                "r--p",
                0x7000,
                247030,
                bin,
            ),
            map(
                0x556c_88d7_5000,
                0x556c_88d7_6000,
                "r--p",
                0x9000,
                247030,
                bin,
            ),
            map(
                0x556c_88d7_6000,
                0x556c_88d7_7000,
                "rw-p",
                0xa000,
                247030,
                bin,
            ),
            map(0x556c_b13e_c000, 0x556c_b140_d000, "rw-p", 0, 0, "[heap]"),
        ]
    }

    fn of_cat(maps: &[Mapping]) -> Vec<bool> {
        maps.iter().map(|m| m.inode == 247030).collect()
    }

    #[test]
    fn attributes_a_real_pie() {
        let maps = cat_maps();
        let a = attribute(&maps, &of_cat(&maps), &cat());
        assert_eq!(a.bias, Some(0x556c_88d6_b000));
        let got: Vec<(usize, usize, Part, bool)> = a
            .mappings
            .iter()
            .map(|a| (a.mapping, a.segment, a.part, a.relro))
            .collect();
        assert_eq!(
            got,
            [
                (0, 0, Part::File, false),
                (1, 1, Part::File, false),
                (2, 2, Part::File, false),
                // The data segment's first page, made read-only by ld.so: RELRO.
                (3, 3, Part::File, true),
                (4, 3, Part::File, false),
            ]
        );
        assert!(cat().segments[a.mappings[1].segment].flags.executable());
        // The bss of PT_LOAD[5] ends within its last file page: no anonymous pages.
        assert_eq!(a.unexplained, Vec::<usize>::new());
        assert_eq!(a.missing, Vec::<usize>::new());
    }

    #[test]
    fn finds_the_bss_after_a_segment() {
        // A non-PIE: bias 0, a data segment whose bss spans two more pages.
        let info = ElfInfo {
            class32: false,
            e_type: ET_EXEC,
            entry: 0x401000,
            segments: vec![
                seg(0, PF_R | PF_X, 0, 0x400000, 0x1234, 0x1234),
                seg(1, PF_R | PF_W, 0x1234, 0x402234, 0x100, 0x2100),
            ],
            relro: None,
            phdr_vaddr: Some(0x400040),
            interp: None,
        };
        let maps = vec![
            map(0x400000, 0x402000, "r-xp", 0, 7, "/x"),
            map(0x402000, 0x403000, "rw-p", 0x1000, 7, "/x"),
            map(0x403000, 0x405000, "rw-p", 0, 0, ""),
            map(0x7ffd_0000_0000, 0x7ffd_0002_1000, "rw-p", 0, 0, "[stack]"),
        ];
        let of_file = [true, true, false, false];
        let a = attribute(&maps, &of_file, &info);
        assert_eq!(a.bias, Some(0));
        let parts: Vec<(usize, usize, Part)> = a
            .mappings
            .iter()
            .map(|a| (a.mapping, a.segment, a.part))
            .collect();
        // File offset 0x1000 is in both segments' page ranges (they share a page
        // in the file), but only PT_LOAD[1] puts it at 0x402000.
        assert_eq!(
            parts,
            [(0, 0, Part::File), (1, 1, Part::File), (2, 1, Part::Bss)]
        );
        assert!(a.missing.is_empty() && a.unexplained.is_empty());

        // With ASLR off the brk area follows the bss and the kernel merges the two.
        let mut merged = maps.clone();
        merged[2].end = 0x426000;
        merged[2].name = "[heap]".into();
        let a = attribute(&merged, &of_file, &info);
        assert_eq!(a.mappings.last().map(|a| a.part), Some(Part::Bss));

        // Without the anonymous mapping the bss is missing.
        let mut no_bss = maps;
        no_bss.remove(2);
        let a = attribute(&no_bss, &of_file[..3], &info);
        assert_eq!(a.missing, [1]);
    }

    #[test]
    fn reports_mappings_no_segment_explains() {
        let mut maps = cat_maps();
        // As if a loader had mapped the text one page too high.
        maps[1].start += 0x1000;
        maps[1].end += 0x1000;
        let a = attribute(&maps, &of_cat(&maps), &cat());
        assert_eq!(a.bias, Some(0x556c_88d6_b000), "four mappings outvote one");
        assert_eq!(a.unexplained, [1]);
        assert_eq!(a.missing, [1], "PT_LOAD[3] has no file mapping");
    }

    #[test]
    fn nothing_mapped_means_no_bias() {
        let maps = cat_maps();
        let a = attribute(&maps, &[false; 6], &cat());
        assert_eq!(a.bias, None);
        assert_eq!(a.missing.len(), 4);
    }

    #[test]
    fn a_merged_mapping_holds_both_segments() {
        // READ_IMPLIES_EXEC: PT_LOAD r-- at 0x8048000 and r-x at 0x8049000 become
        // one r-xp VMA of the file from offset 0.
        let info = ElfInfo {
            class32: true,
            e_type: ET_EXEC,
            entry: 0x804_9000,
            segments: vec![
                seg(0, PF_R, 0, 0x804_8000, 0xb8, 0xb8),
                seg(1, PF_R | PF_X, 0x1000, 0x804_9000, 2, 2),
            ],
            relro: None,
            phdr_vaddr: Some(0x804_8034),
            interp: None,
        };
        let maps = [map(0x804_8000, 0x804_a000, "r-xp", 0, 7, "/t")];
        let a = attribute(&maps, &[true], &info);
        assert_eq!(a.bias, Some(0));
        assert!(a.missing.is_empty(), "{:?}", a.missing);
        assert!(a.unexplained.is_empty());
    }
}
