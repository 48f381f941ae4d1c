// SPDX-License-Identifier: GPL-2.0

//! One call of `elf_load()` (BE:400-446), with the `elf_map()` (BE:356-393) and
//! `padzero()` (BE:118-129) it makes.
//!
//! [`SegmentMapping`] says what the call will ask of mm; [`SegmentMapping::run`]
//! performs it, step for step, through an [`AddressSpace`] the glue implements with
//! `vm_mmap()`, `vm_munmap()`, `clear_user()` and `vm_brk_flags()`. The file part is
//! mapped first and its address is only known afterwards (unless the mapping is
//! fixed), so the zero-fill that follows is computed from that address by
//! [`SegmentMapping::zero_fill`].
//!
//! The program (BE:1148, 1175) and, later, the interpreter (BE:678) both go through
//! here.

use super::effects::AddressSpace;
use super::errno::Errno;
use super::mman::{MAP_FIXED_NOREPLACE, PROT_EXEC, PROT_WRITE, VM_EXEC};
use super::page::{bad_addr, elf_pagealign, elf_pageoffset, elf_pagestart, errno_as_addr};
use super::phdr::Phdr;

/// `EEXIST`: what `MAP_FIXED_NOREPLACE` fails with on a collision.
pub const EEXIST: i32 = 17;

/// The `vm_mmap()` of the file part that `elf_map()` makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileMapping {
    /// `ELF_PAGESTART(addr)`.
    pub addr: u64,
    /// The length passed to `vm_mmap()`: `ELF_PAGEALIGN(total_size)` when the first
    /// mapping reserves the whole image, else [`FileMapping::size`].
    pub len: u64,
    /// `p_offset - ELF_PAGEOFFSET(p_vaddr)`; `vm_mmap()` refuses it with `-EINVAL`
    /// unless it is page-aligned.
    pub offset: u64,
    /// The segment's own size, `ELF_PAGEALIGN(p_filesz + ELF_PAGEOFFSET(p_vaddr))`.
    pub size: u64,
    /// Whether `len` covers the whole image (`total_size != 0`), in which case the
    /// part past `size` is unmapped again once mapped (BE:379-384).
    pub reserves_image: bool,
}

/// `padzero(zero_start)`: clear the rest of the last file page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PadZero {
    /// `zero_start`, the first byte past `p_filesz`.
    pub addr: u64,
    /// `ELF_MIN_ALIGN - ELF_PAGEOFFSET(zero_start)`.
    pub len: u64,
    /// A failure is `-EFAULT` only for a `PROT_WRITE` segment; otherwise the file
    /// bytes stay visible past `p_filesz` (BE:417-422).
    pub must_succeed: bool,
}

/// The `vm_brk_flags()` that maps the anonymous rest of the segment, always
/// read-write whatever `p_flags` say (`VM_DATA_DEFAULT_FLAGS`), plus `VM_EXEC`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnonMapping {
    /// `ELF_PAGEALIGN(zero_start)`.
    pub start: u64,
    /// `ELF_PAGEALIGN(zero_end)`; the length passed is `end - start`, wrapping.
    pub end: u64,
    /// `VM_EXEC` if the segment is `PROT_EXEC`, else 0.
    pub vm_flags: u64,
}

impl AnonMapping {
    /// The length `elf_load()` passes to `vm_brk_flags()`.
    pub const fn brk_len(&self) -> u64 {
        self.end.wrapping_sub(self.start)
    }
}

/// What `elf_load()` does past the file part, once the file part's address is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ZeroFill {
    /// `padzero()`; `None` when there is nothing to clear (no file part, no bss, or
    /// `p_vaddr + p_filesz` ends on a page boundary).
    pub padzero: Option<PadZero>,
    /// `vm_brk_flags()`; `None` unless `p_memsz > p_filesz`.
    pub anon: Option<AnonMapping>,
}

/// The fields of a PT_LOAD that `elf_load()` reads: where its bytes are in the
/// file and in memory. (Its type, flags, physical address and alignment are the
/// loops' business; a mapping does not carry them.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LoadExtent {
    /// `p_offset`.
    pub p_offset: u64,
    /// `p_vaddr`.
    pub p_vaddr: u64,
    /// `p_filesz`.
    pub p_filesz: u64,
    /// `p_memsz`.
    pub p_memsz: u64,
}

impl LoadExtent {
    /// The extent of `phdr`.
    #[inline(always)]
    pub const fn of(phdr: &Phdr) -> Self {
        LoadExtent {
            p_offset: phdr.p_offset,
            p_vaddr: phdr.p_vaddr,
            p_filesz: phdr.p_filesz,
            p_memsz: phdr.p_memsz,
        }
    }
}

/// One call `elf_load(file, addr, phdr, prot, flags, total_size)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SegmentMapping {
    /// The `addr` argument: `load_bias + p_vaddr` (0 for the static-PIE probe).
    pub addr: u64,
    /// What `elf_load()` reads of the PT_LOAD being mapped.
    pub phdr: LoadExtent,
    /// `make_prot(p_flags)`.
    pub prot: u32,
    /// `MAP_PRIVATE`, plus `MAP_FIXED` or `MAP_FIXED_NOREPLACE` (or neither).
    pub flags: u32,
    /// `total_mapping_size()` for the first mapping of an ET_DYN image, else 0.
    pub total_size: u64,
    /// `TASK_SIZE`, the bound of `BAD_ADDR()`.
    pub task_size: u64,
}

impl SegmentMapping {
    /// Whether the segment has no file part (`p_filesz == 0`): `elf_load()` then
    /// maps only anonymous memory at `ELF_PAGESTART(addr)` (BE:424-428).
    pub const fn is_pure_bss(&self) -> bool {
        self.phdr.p_filesz == 0
    }

    /// The address `elf_load()` uses when it maps nothing from the file:
    /// `ELF_PAGESTART(addr)`, both for a pure-bss segment and for an `elf_map()`
    /// whose size came out 0 (BE:366-371).
    pub const fn unmapped_addr(&self) -> u64 {
        elf_pagestart(self.addr)
    }

    /// The file mapping `elf_map()` asks for, or `None` when it maps nothing: no
    /// file part, or `ELF_PAGEALIGN(p_filesz + ELF_PAGEOFFSET(p_vaddr))` wrapped to
    /// 0 (a hostile `p_filesz`), where `elf_map()` returns `ELF_PAGESTART(addr)`.
    pub const fn file_mapping(&self) -> Option<FileMapping> {
        if self.phdr.p_filesz == 0 {
            return None;
        }
        let page_offset = elf_pageoffset(self.phdr.p_vaddr);
        let size = elf_pagealign(self.phdr.p_filesz.wrapping_add(page_offset));
        if size == 0 {
            return None;
        }
        let reserves_image = self.total_size != 0;
        Some(FileMapping {
            addr: elf_pagestart(self.addr),
            len: if reserves_image {
                elf_pagealign(self.total_size)
            } else {
                size
            },
            offset: self.phdr.p_offset.wrapping_sub(page_offset),
            size,
            reserves_image,
        })
    }

    /// What follows the file part, given `map_addr`, the address it landed at (for a
    /// pure-bss segment the C ignores the map result and uses
    /// `ELF_PAGESTART(addr)`, and so does this).
    pub const fn zero_fill(&self, map_addr: u64) -> ZeroFill {
        let ph = &self.phdr;
        let page_offset = elf_pageoffset(ph.p_vaddr);
        let has_bss = ph.p_memsz > ph.p_filesz;
        // BE:411-416 with a file part: both ends relative to where it landed.
        // BE:425-427 without one: zero_start is the page start itself, so the
        // anonymous mapping covers the whole first page.
        let (zero_start, zero_end) = if ph.p_filesz != 0 {
            let start = map_addr.wrapping_add(page_offset);
            (
                start.wrapping_add(ph.p_filesz),
                start.wrapping_add(ph.p_memsz),
            )
        } else {
            let start = elf_pagestart(self.addr);
            (
                start,
                start.wrapping_add(page_offset).wrapping_add(ph.p_memsz),
            )
        };

        let padzero = if ph.p_filesz != 0 && has_bss && elf_pageoffset(zero_start) != 0 {
            Some(PadZero {
                addr: zero_start,
                len: super::elf::ELF_MIN_ALIGN - elf_pageoffset(zero_start),
                must_succeed: self.prot & PROT_WRITE != 0,
            })
        } else {
            None
        };
        let anon = if has_bss {
            Some(AnonMapping {
                start: elf_pagealign(zero_start),
                end: elf_pagealign(zero_end),
                vm_flags: if self.prot & PROT_EXEC != 0 {
                    VM_EXEC
                } else {
                    0
                },
            })
        } else {
            None
        };
        ZeroFill { padzero, anon }
    }

    /// Performs `elf_load()` through `vm` and returns what it returns: the address
    /// the file part landed at (`ELF_PAGESTART(addr)` without one), or an error
    /// value, which `BAD_ADDR()` catches.
    #[inline]
    pub fn run(&self, vm: &mut impl AddressSpace) -> u64 {
        let mut map_addr = if self.phdr.p_filesz != 0 {
            let map_addr = self.elf_map(vm);
            if bad_addr(map_addr, self.task_size) {
                return map_addr;
            }
            map_addr
        } else {
            self.unmapped_addr()
        };
        let fill = self.zero_fill(map_addr);
        if let Some(pad) = fill.padzero {
            if vm.clear_user(pad.addr, pad.len) != 0 && pad.must_succeed {
                return errno_as_addr(Errno::Fault.to_kernel());
            }
        }
        if let Some(anon) = fill.anon {
            let error = vm.vm_brk_flags(anon.start, anon.brk_len(), anon.vm_flags);
            if error != 0 {
                map_addr = errno_as_addr(error);
            }
        }
        map_addr
    }

    /// `elf_map()` (BE:356-393).
    fn elf_map(&self, vm: &mut impl AddressSpace) -> u64 {
        let Some(file) = self.file_mapping() else {
            return self.unmapped_addr();
        };
        let map_addr = vm.vm_mmap(file.addr, file.len, self.prot, self.flags, file.offset);
        // The first mapping reserved the whole image so that nothing else can land in
        // its holes before the later MAP_FIXED segments fill them (CVE-2017-1000253);
        // give back what this segment does not cover. The unmap's result is ignored,
        // even when the length wrapped because `size > total_size`.
        if file.reserves_image && !bad_addr(map_addr, self.task_size) {
            vm.vm_munmap(
                map_addr.wrapping_add(file.size),
                file.len.wrapping_sub(file.size),
            );
        }
        if self.flags & MAP_FIXED_NOREPLACE != 0 && map_addr == errno_as_addr(-EEXIST) {
            vm.report_segment_collision(file.addr);
        }
        map_addr
    }
}

/// The check after each mapped PT_LOAD (BE:1213-1219 for the program with
/// `k = p_vaddr`, BE:693-697 for the interpreter with `k = load_addr + p_vaddr`):
/// whether `[k, k + p_memsz)` fits below `TASK_SIZE` with `p_filesz <= p_memsz`.
/// Written so that nothing overflows, exactly as the C orders it.
pub const fn fits_in_task(k: u64, phdr: &Phdr, task_size: u64) -> bool {
    !(bad_addr(k, task_size)
        || phdr.p_filesz > phdr.p_memsz
        || phdr.p_memsz > task_size
        // Cannot wrap: p_memsz <= task_size once the previous test failed.
        || task_size.wrapping_sub(phdr.p_memsz) < k)
}

#[cfg(test)]
mod tests {
    use super::super::mman::{MAP_FIXED, MAP_PRIVATE, PROT_READ};
    use super::super::phdr::tests::load;
    use super::super::phdr::{PF_R, PF_W};
    use super::*;

    const TASK_SIZE: u64 = 0x7fff_ffff_f000;

    fn seg(
        addr: u64,
        flags: u32,
        prot: u32,
        offset: u64,
        vaddr: u64,
        filesz: u64,
        memsz: u64,
    ) -> SegmentMapping {
        SegmentMapping {
            addr,
            phdr: LoadExtent::of(&load(PF_R | PF_W, offset, vaddr, filesz, memsz)),
            prot,
            flags,
            total_size: 0,
            task_size: TASK_SIZE,
        }
    }

    #[test]
    fn data_segment_with_bss() {
        // .data at 0x403e10 (file 0x2e10), filesz 0x220, memsz 0x1300:
        //   mmap at 0x403000, size PAGEALIGN(0x220 + 0xe10) = 0x2000, off 0x2000;
        //   zero_start = 0x403000 + 0xe10 + 0x220 = 0x404030 -> clear 0xfd0 bytes;
        //   zero_end = 0x403000 + 0xe10 + 0x1300 = 0x405110 -> brk 0x405000..0x406000.
        let s = seg(
            0x403e10,
            MAP_PRIVATE | MAP_FIXED,
            PROT_READ | PROT_WRITE,
            0x2e10,
            0x403e10,
            0x220,
            0x1300,
        );
        assert_eq!(
            s.file_mapping(),
            Some(FileMapping {
                addr: 0x403000,
                len: 0x2000,
                offset: 0x2000,
                size: 0x2000,
                reserves_image: false
            })
        );
        let fill = s.zero_fill(0x403000);
        assert_eq!(
            fill.padzero,
            Some(PadZero {
                addr: 0x404030,
                len: 0xfd0,
                must_succeed: true
            })
        );
        assert_eq!(
            fill.anon,
            Some(AnonMapping {
                start: 0x405000,
                end: 0x406000,
                vm_flags: 0
            })
        );
    }

    #[test]
    fn pure_bss_ignores_the_map_result() {
        // filesz 0 at vaddr 0x600123, memsz 0x2000: zero_start = PAGESTART(addr) =
        // 0x600000, zero_end = 0x600000 + 0x123 + 0x2000 = 0x602123 -> brk
        // PAGEALIGN(0x600000)..PAGEALIGN(0x602123) = 0x600000..0x603000, and VM_EXEC.
        let s = seg(
            0x600123,
            MAP_PRIVATE,
            PROT_READ | PROT_EXEC,
            0,
            0x600123,
            0,
            0x2000,
        );
        assert!(s.is_pure_bss());
        assert_eq!(s.file_mapping(), None);
        assert_eq!(s.unmapped_addr(), 0x600000);
        let fill = s.zero_fill(0xdead_0000);
        assert_eq!(fill.padzero, None);
        assert_eq!(
            fill.anon,
            Some(AnonMapping {
                start: 0x600000,
                end: 0x603000,
                vm_flags: VM_EXEC
            })
        );
    }

    #[test]
    fn first_dyn_mapping_reserves_the_image() {
        // total_size 0x4018 -> vm_mmap length PAGEALIGN(0x4018) = 0x5000, then the
        // tail past this segment's 0x1000 is unmapped.
        let mut s = seg(
            0x5555_5555_4000,
            MAP_PRIVATE | MAP_FIXED_NOREPLACE,
            PROT_READ,
            0,
            0,
            0x628,
            0x628,
        );
        s.total_size = 0x4018;
        let file = s
            .file_mapping()
            .map(|f| (f.addr, f.len, f.size, f.reserves_image));
        assert_eq!(file, Some((0x5555_5555_4000, 0x5000, 0x1000, true)));
        assert_eq!(
            s.zero_fill(0x5555_5555_4000),
            ZeroFill {
                padzero: None,
                anon: None
            }
        );
    }

    #[test]
    fn readonly_bss_padzero_may_fail() {
        // PROT_READ only: the padzero fault is ignored (BE:421).
        let s = seg(0x400000, MAP_PRIVATE, PROT_READ, 0, 0x400000, 0x10, 0x20);
        let pad = s.zero_fill(0x400000).padzero;
        assert_eq!(
            pad.map(|p| (p.addr, p.len, p.must_succeed)),
            Some((0x400010, 0xff0, false))
        );
    }

    #[test]
    fn filesz_that_wraps_elf_map_size_maps_nothing() {
        // 0xffff_ffff_ffff_f001 + 0xfff = 0xffff_ffff_ffff_fff0, PAGEALIGN -> 0.
        let s = seg(
            0x400fff,
            MAP_PRIVATE,
            PROT_READ,
            0,
            0x400fff,
            0xffff_ffff_ffff_f001,
            0xffff_ffff_ffff_f001,
        );
        assert_eq!(s.file_mapping(), None);
        assert_eq!(s.unmapped_addr(), 0x400000);
    }

    #[test]
    fn fits_in_task_mirrors_the_four_conditions() {
        let ph = |filesz, memsz| Phdr {
            p_filesz: filesz,
            p_memsz: memsz,
            ..Phdr::default()
        };
        assert!(fits_in_task(0x400000, &ph(0x10, 0x20), TASK_SIZE));
        assert!(
            !fits_in_task(TASK_SIZE, &ph(0, 0), TASK_SIZE),
            "BAD_ADDR(k)"
        );
        assert!(
            !fits_in_task(0x400000, &ph(0x21, 0x20), TASK_SIZE),
            "filesz > memsz"
        );
        assert!(
            !fits_in_task(0, &ph(0, TASK_SIZE + 1), TASK_SIZE),
            "memsz > TASK_SIZE"
        );
        // TASK_SIZE - memsz < k: 0x7fff_ffff_f000 - 0x2000 = 0x7fff_ffff_d000 < 0x7fff_ffff_e000.
        assert!(!fits_in_task(0x7fff_ffff_e000, &ph(0, 0x2000), TASK_SIZE));
        assert!(
            fits_in_task(0x7fff_ffff_d000, &ph(0, 0x2000), TASK_SIZE),
            "ends exactly at TASK_SIZE"
        );
    }
}
