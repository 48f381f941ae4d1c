// SPDX-License-Identifier: GPL-2.0

//! One exec's film: its frames, each the mm's VMAs after a step, and the film's
//! text (the format rust/core/src/film.rs describes).
//!
//! A film's memory is bounded: at most [`FRAMES_MAX`] frames of [`VMAS_MAX`] VMAs,
//! and [`NAMES_MAX`] distinct names, shared by the frames. What does not fit, or
//! cannot be allocated, is left out and the film says `truncated`.

#![forbid(unsafe_code)]

use core::fmt::{self, Write};
use kernel::alloc::flags::GFP_KERNEL;
use kernel::alloc::KVec;

use crate::loader_core::film::{perms, Call, FilmStep, MapsName, MmFields, VmaLine};
use crate::wrappers::mm_view::{MmView, VmaInfo, VmaName};

/// The most frames a film keeps: a program's or interpreter's PT_LOADs take up
/// to three each.
pub(crate) const FRAMES_MAX: usize = 64;
/// The most VMAs a frame keeps.
pub(crate) const VMAS_MAX: usize = 128;
/// The most distinct VMA names a film keeps.
pub(crate) const NAMES_MAX: usize = 32;
/// The size of the buffer `d_path()` writes a path into (`PATH_MAX`).
const PATH_BUF: usize = crate::bindings::PATH_MAX as usize;

/// A VMA of a frame; its name is an index into the film's names.
struct Vma {
    start: u64,
    end: u64,
    offset: u64,
    perms: [u8; 4],
    name: Option<u16>,
}

/// The address space after one step.
struct Frame {
    step: FilmStep,
    call: Call,
    mm: MmFields,
    vmas: KVec<Vma>,
}

/// The film of one exec.
pub(crate) struct Film {
    /// Which exec this is among those filmed since the module was loaded.
    pub(crate) seq: u64,
    /// The pid of the exec'ing process, once `begin_new_exec()` made it the
    /// thread group leader.
    pub(crate) pid: i32,
    /// `ELF64` or `ELF32`.
    class: &'static str,
    /// `bprm->filename`.
    file: KVec<u8>,
    names: KVec<KVec<u8>>,
    frames: KVec<Frame>,
    /// What `load_elf_binary()` returned.
    pub(crate) result: i32,
    truncated: bool,
    /// Where `d_path()` writes; dropped when the film is done.
    path: KVec<u8>,
}

impl Film {
    /// An empty film of the exec of `file`, or `None` if it cannot be allocated.
    pub(crate) fn new(class: &'static str, file: &[u8]) -> Option<Self> {
        let mut name = KVec::new();
        name.extend_from_slice(file, GFP_KERNEL).ok()?;
        Some(Film {
            seq: 0,
            pid: 0,
            class,
            file: name,
            names: KVec::with_capacity(8, GFP_KERNEL).ok()?,
            frames: KVec::with_capacity(16, GFP_KERNEL).ok()?,
            result: 0,
            truncated: false,
            path: KVec::from_elem(0u8, PATH_BUF, GFP_KERNEL).ok()?,
        })
    }

    /// Records the address space `view` shows after `step`, which made `call`.
    pub(crate) fn take_frame(&mut self, view: &MmView, step: FilmStep, call: Call) {
        if self.frames.len() >= FRAMES_MAX {
            self.truncated = true;
            return;
        }
        let mut frame = Frame {
            step,
            call,
            mm: view.fields(),
            vmas: KVec::new(),
        };
        let Film {
            names,
            path,
            truncated,
            ..
        } = self;
        view.for_each_vma(path, |info| {
            if frame.vmas.len() >= VMAS_MAX {
                *truncated = true;
                return false;
            }
            let vma = Vma {
                start: info.start,
                end: info.end,
                offset: info.offset,
                perms: perms(info.vm_flags),
                name: intern(names, info, truncated),
            };
            if frame.vmas.push(vma, GFP_KERNEL).is_err() {
                *truncated = true;
                return false;
            }
            true
        });
        if self.frames.push(frame, GFP_KERNEL).is_err() {
            self.truncated = true;
        }
    }

    /// The film is done: it keeps no path buffer.
    pub(crate) fn finish(&mut self, pid: i32, result: i32) {
        self.pid = pid;
        self.result = result;
        self.path = KVec::new();
    }

    /// Writes the film in the text format.
    pub(crate) fn write_text(&self, out: &mut impl Write) -> fmt::Result {
        writeln!(
            out,
            "film {} pid {} class {} frames {} result {}{}",
            self.seq,
            self.pid,
            self.class,
            self.frames.len(),
            self.result,
            if self.truncated { " truncated" } else { "" }
        )?;
        writeln!(out, "file {}", MapsName(&self.file))?;
        for (index, frame) in self.frames.iter().enumerate() {
            writeln!(out, "frame {} {} {}", index, frame.step.name(), frame.call)?;
            writeln!(out, "{}", frame.mm)?;
            for vma in frame.vmas.iter() {
                let name = vma
                    .name
                    .and_then(|i| self.names.get(usize::from(i)))
                    .map_or(&[][..], |n| &n[..]);
                let line = VmaLine {
                    start: vma.start,
                    end: vma.end,
                    perms: vma.perms,
                    offset: vma.offset,
                    name,
                };
                writeln!(out, "{line}")?;
            }
        }
        writeln!(out, "end")
    }
}

/// The index of `info`'s name among `names`, added if new; `None` for no name, or
/// (`truncated` set) when the names are full.
fn intern(names: &mut KVec<KVec<u8>>, info: &VmaInfo<'_>, truncated: &mut bool) -> Option<u16> {
    let (prefix, bytes, suffix): (&[u8], &[u8], &[u8]) = match info.name {
        VmaName::None => return None,
        VmaName::Bytes(b) => (b"", b, b""),
        VmaName::Anon(b) => (b"[anon:", b, b"]"),
        VmaName::AnonShmem(b) => (b"[anon_shmem:", b, b"]"),
    };
    let same = |n: &KVec<u8>| {
        n.len() == prefix.len() + bytes.len() + suffix.len()
            && n.starts_with(prefix)
            && n[prefix.len()..].starts_with(bytes)
            && n.ends_with(suffix)
    };
    if let Some(i) = names.iter().position(same) {
        return u16::try_from(i).ok();
    }
    if names.len() >= NAMES_MAX {
        *truncated = true;
        return None;
    }
    let mut name = KVec::new();
    let mut made = Ok(());
    for part in [prefix, bytes, suffix] {
        made = made.and_then(|()| name.extend_from_slice(part, GFP_KERNEL));
    }
    if made.and_then(|()| names.push(name, GFP_KERNEL)).is_err() {
        *truncated = true;
        return None;
    }
    u16::try_from(names.len() - 1).ok()
}
