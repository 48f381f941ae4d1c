// SPDX-License-Identifier: GPL-2.0

//! The PT_LOAD loop of `load_elf_binary()` (BE:1020-1238).
//!
//! For an ET_DYN file the kernel's answer to the first mapping decides the load
//! bias of every later one, so the loop cannot be planned in one go: the plan
//! holds the loop's variables, and [`LoadPlan::run`] drives it through an
//! [`AddressSpace`], one `elf_load()` at a time, in the kernel's order. Each
//! mapping is decided from the plan, made, and its result recorded in the plan:
//!
//! ```text
//! LoadPlan::new ─► LoadPlan::run: for each PT_LOAD
//!                    mapping, or first_mapping (─► probe_at) ─► SegmentMapping::run ─► record
//!                  ─► LoadPlan::layout
//! ```
//!
//! The mapping is a value of its own, not a field of the plan: the plan's
//! address is never handed to a call, so its fields can live in registers.
//! A [`StepObserver`] is told of each mapping (the tests and the fuzz targets
//! check every step through it); the interpreter, which is loaded after the
//! loop with [`Layout::load_bias`] as its `no_base`, reuses [`SegmentMapping`]
//! and [`fits_in_task`].

use super::brk::{initial_brk, Brk, BrkInputs};
use super::class::ElfClass;
use super::effects::AddressSpace;
use super::elf::{Ehdr, ElfKind, ELF_MIN_ALIGN};
use super::errno::{Errno, LoadError};
use super::mman::{MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_PRIVATE};
use super::observe::{Step, StepObserver};
use super::page::{bad_addr, bad_addr_retval, elf_pagestart};
use super::phdr::{adjust_prot, make_prot, Phdr, Phdrs, Unread, PF_X, PT_LOAD};
use super::segment::{fits_in_task, LoadExtent, SegmentMapping};

/// What the glue learns from the running kernel before the loop (after
/// `setup_new_exec()`, which decided `PF_RANDOMIZE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Platform {
    /// `TASK_SIZE`, the bound of `BAD_ADDR()`.
    pub task_size: u64,
    /// `ELF_ET_DYN_BASE`, where a PIE with an interpreter goes.
    pub elf_et_dyn_base: u64,
    /// `current->flags & PF_RANDOMIZE`.
    pub randomize: bool,
    /// The `snapshot_randomize_va_space` that decided `PF_RANDOMIZE` (BE:1007).
    pub randomize_va_space: i32,
    /// `arch_mmap_rnd()`, a page-aligned offset (see `random::arch_mmap_rnd`); only
    /// added when `randomize`, to the load bias of an `ET_DYN` program with an
    /// interpreter, so callers may leave it 0 otherwise.
    pub mmap_rnd: u64,
}

/// The bounds the loop collects (BE:1022-1026), unbiased until [`Layout`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Bounds {
    phdr_addr: u64,
    start_code: u64,
    end_code: u64,
    start_data: u64,
    end_data: u64,
    elf_brk: u64,
}

/// The state of the PT_LOAD loop.
#[derive(Clone, Debug)]
pub struct LoadPlan<'a, C: ElfClass> {
    phdrs: Phdrs<'a, C>,
    kind: ElfKind,
    has_interp: bool,
    e_entry: u64,
    e_phoff: u64,
    platform: Platform,
    /// The program headers the loop has not looked at.
    unread: Unread<'a, C>,
    first_pt_load: bool,
    load_bias: u64,
    bounds: Bounds,
    /// What `arch_elf_adjust_prot()` adds to an executable segment's `prot`.
    exec_prot: u32,
}

/// The `vm_munmap(addr, len)` that undoes a static PIE's probe (see
/// [`Step::Probe`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unmap {
    /// Where the probe landed.
    pub addr: u64,
    /// `total_size`, not page-aligned (`vm_munmap()` rounds it up).
    pub len: u64,
}

/// The outcome of the loop, biased (BE:1232-1238).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// `load_bias`: 0 for ET_EXEC; `no_base` for `load_elf_interp()`.
    pub load_bias: u64,
    /// `e_entry + load_bias`: `AT_ENTRY`, and the entry point without an
    /// interpreter.
    pub e_entry: u64,
    /// `AT_PHDR`: from the last PT_LOAD whose file range holds `e_phoff`, else
    /// `load_bias` (PT_PHDR is ignored).
    pub phdr_addr: u64,
    /// `mm->start_code`: `load_bias - 1` (`~0UL + load_bias`) without a PF_X PT_LOAD.
    pub start_code: u64,
    /// `mm->end_code`.
    pub end_code: u64,
    /// `mm->start_data`: the highest `p_vaddr` of any PT_LOAD, biased.
    pub start_data: u64,
    /// `mm->end_data`.
    pub end_data: u64,
    /// The end of the highest PT_LOAD in memory, where the brk follows.
    pub elf_brk: u64,
    kind: ElfKind,
    has_interp: bool,
    platform: Platform,
}

impl<'a, C: ElfClass> LoadPlan<'a, C> {
    /// The loop's state at BE:1020-1026, for a file whose header passed
    /// `Ehdr::check()` with `kind`, whose table is `phdrs`, and which has a
    /// PT_INTERP (`has_interp`) or not.
    pub fn new(
        ehdr: &Ehdr,
        kind: ElfKind,
        phdrs: Phdrs<'a, C>,
        has_interp: bool,
        platform: Platform,
    ) -> Self {
        LoadPlan {
            phdrs,
            kind,
            has_interp,
            e_entry: ehdr.e_entry,
            e_phoff: ehdr.e_phoff,
            platform,
            unread: phdrs.unread(),
            first_pt_load: true,
            load_bias: 0,
            bounds: Bounds {
                phdr_addr: 0,
                start_code: u64::MAX,
                end_code: 0,
                start_data: 0,
                end_data: 0,
                elf_brk: 0,
            },
            exec_prot: 0,
        }
    }

    /// Adds `exec_prot` to the `prot` of each executable
    /// PT_LOAD: what arm64's `arch_elf_adjust_prot(prot, &arch_state,
    /// !!interpreter, false)` adds for the program (`PROT_BTI` when it is
    /// BTI-marked and maps itself), 0 elsewhere. Set in place, not by a builder:
    /// a plan returned by value is a copy.
    #[inline(always)]
    pub fn set_exec_prot(&mut self, exec_prot: u32) {
        self.exec_prot = exec_prot;
    }

    /// Runs the whole loop through `vm`, in the kernel's order, telling `observer`
    /// of each `elf_load()`, and returns the layout. This is the loop the module
    /// runs, and the one the tests and the fuzz targets check. On error the exec is
    /// past the point of no return: the caller returns [`LoadError::to_kernel`] and
    /// the exec core kills the task. Inlined: the module runs it once per exec,
    /// from one place for each way an exec is watched.
    #[inline(always)]
    pub fn run(
        mut self,
        vm: &mut impl AddressSpace,
        observer: &mut impl StepObserver,
    ) -> Result<Layout, LoadError> {
        while let Some(phdr) = self.unread.next_of_type(PT_LOAD) {
            let prot = adjust_prot(make_prot(phdr.p_flags), self.exec_prot);
            let mapping = if self.first_pt_load {
                self.first_mapping(phdr, prot, vm, observer)?
            } else {
                // The first mapping made room for the whole image, so the rest
                // may replace whatever is there (BE:1051-1052). (Not through a
                // Result: a mapping wrapped in one is copied out of it.)
                self.mapping(phdr, prot, MAP_PRIVATE | MAP_FIXED, 0)
            };
            observer.mapping(Step::Program, &mapping);
            let landed = mapping.run(vm);
            observer.mapped(Step::Program, &mapping, landed);
            // A bad address fails the exec (BE:1176-1181).
            mapping_failed(landed, self.platform.task_size)?;
            self.record(&phdr, landed)?;
        }
        Ok(self.layout())
    }

    /// How to map the first PT_LOAD, `phdr`, whose `prot` is worked out
    /// (BE:1033-1173); for an ET_DYN file it picks the load bias (BE:1060-1173).
    /// Fails with `-EINVAL` when an ET_DYN file spans nothing
    /// (`total_mapping_size() == 0`, BE:1086-1091), or as its probe failed.
    #[inline(always)]
    fn first_mapping(
        &mut self,
        phdr: Phdr,
        prot: u32,
        vm: &mut impl AddressSpace,
        observer: &mut impl StepObserver,
    ) -> Result<SegmentMapping, LoadError> {
        if self.kind == ElfKind::Exec {
            // Only the first segment is guarded against collisions, and ET_EXEC
            // reserves no span: its segments may lie far apart (BE:1053-1059).
            // MAP_FIXED_NOREPLACE fails with -EEXIST instead of silently replacing
            // what is there (the initial stack, say). Its first use here (4.17) was
            // reverted because real binaries have overlapping segments, and came back
            // for the first one only (5f501d555653, 439a8468242b). MAP_DENYWRITE,
            // which these flags once carried too, is gone since 5.15: the exec core
            // denies writes to the file itself (exe_file_deny_write_access()), so
            // the mapping no longer has to.
            return Ok(self.mapping(phdr, prot, MAP_PRIVATE | MAP_FIXED_NOREPLACE, 0));
        }
        let (total_size, alignment) = self.phdrs.load_span();
        if total_size == 0 {
            return Err(LoadError::Errno(Errno::Inval));
        }
        let mut flags = MAP_PRIVATE;
        let load_bias = if self.has_interp {
            // A PIE program goes at ELF_ET_DYN_BASE, away from the mmap region
            // where its interpreter will land (BE:1125-1133).
            let mut bias = self.platform.elf_et_dyn_base;
            if self.platform.randomize {
                bias = bias.wrapping_add(self.platform.mmap_rnd);
            }
            if alignment != 0 {
                bias &= !(alignment - 1);
            }
            flags |= MAP_FIXED_NOREPLACE;
            bias
        } else if alignment > ELF_MIN_ALIGN {
            // mmap cannot be asked for an alignment, so find out where the kernel
            // would put the image and align that down (BE:1148-1160).
            flags |= MAP_FIXED_NOREPLACE;
            let probe = SegmentMapping {
                addr: 0,
                phdr: LoadExtent::of(&phdr),
                prot,
                flags: MAP_PRIVATE,
                total_size,
                task_size: self.platform.task_size,
            };
            probe_at(&probe, vm, observer)? & !(alignment - 1)
        } else {
            // A loader goes wherever the mmap allocator says (BE:1161-1162).
            0
        };
        self.load_bias = elf_pagestart(load_bias.wrapping_sub(phdr.p_vaddr));
        Ok(self.mapping(phdr, prot, flags, total_size))
    }

    /// `elf_load(file, load_bias + vaddr, phdr, prot, flags, total_size)` (BE:1175).
    #[inline(always)]
    fn mapping(&self, phdr: Phdr, prot: u32, flags: u32, total_size: u64) -> SegmentMapping {
        SegmentMapping {
            addr: self.load_bias.wrapping_add(phdr.p_vaddr),
            phdr: LoadExtent::of(&phdr),
            prot,
            flags,
            total_size,
            task_size: self.platform.task_size,
        }
    }

    /// After PT_LOAD `phdr` was mapped at `map_addr`, a good address (BE:1183-1229):
    /// adopt the first ET_DYN mapping's address as the load bias, collect AT_PHDR
    /// and the code/data bounds, and run the post-mapping sanity check (`-EINVAL`).
    #[inline(always)]
    fn record(&mut self, phdr: &Phdr, map_addr: u64) -> Result<(), LoadError> {
        let task_size = self.platform.task_size;
        if self.first_pt_load {
            self.first_pt_load = false;
            if self.kind == ElfKind::Dyn {
                // Adopt the kernel's choice: it may have moved a hinted mapping
                // (load_bias 0), so rebase everything on where it landed.
                let asked = elf_pagestart(self.load_bias.wrapping_add(phdr.p_vaddr));
                self.load_bias = self.load_bias.wrapping_add(map_addr.wrapping_sub(asked));
            }
        }
        let b = &mut self.bounds;
        // AT_PHDR comes from the segment whose *file* range holds e_phoff; the sums
        // are of the file's own types and wrap at its width, as the C's do
        // (BE:1196-1200).
        if phdr.p_offset <= self.e_phoff && self.e_phoff < C::add(phdr.p_offset, phdr.p_filesz) {
            b.phdr_addr = C::add(self.e_phoff.wrapping_sub(phdr.p_offset), phdr.p_vaddr);
        }
        let k = phdr.p_vaddr;
        if phdr.p_flags & PF_X != 0 && k < b.start_code {
            b.start_code = k;
        }
        if b.start_data < k {
            b.start_data = k;
        }
        // Checked only now, with the segment already mapped, and on the unbiased
        // p_vaddr even for ET_DYN (BE:1213-1219).
        if !fits_in_task(k, phdr, task_size) {
            return Err(LoadError::Errno(Errno::Inval));
        }
        // Cannot wrap any more: k + p_memsz <= TASK_SIZE.
        let file_end = k.wrapping_add(phdr.p_filesz);
        if phdr.p_flags & PF_X != 0 && b.end_code < file_end {
            b.end_code = file_end;
        }
        if b.end_data < file_end {
            b.end_data = file_end;
        }
        let mem_end = k.wrapping_add(phdr.p_memsz);
        if mem_end > b.elf_brk {
            b.elf_brk = mem_end;
        }
        Ok(())
    }

    /// The outcome once every PT_LOAD is mapped (BE:1232-1238): everything biased,
    /// unsigned long arithmetic included (an unset `start_code` of `~0UL` becomes
    /// `load_bias - 1`).
    pub fn layout(&self) -> Layout {
        let bias = self.load_bias;
        let b = self.bounds;
        Layout {
            load_bias: bias,
            e_entry: self.e_entry.wrapping_add(bias),
            phdr_addr: b.phdr_addr.wrapping_add(bias),
            start_code: b.start_code.wrapping_add(bias),
            end_code: b.end_code.wrapping_add(bias),
            start_data: b.start_data.wrapping_add(bias),
            end_data: b.end_data.wrapping_add(bias),
            elf_brk: b.elf_brk.wrapping_add(bias),
            kind: self.kind,
            has_interp: self.has_interp,
            platform: self.platform,
        }
    }
}

/// A static PIE's throw-away `probe`, `elf_load(file, 0, phdr, prot, MAP_PRIVATE,
/// total_size)`, unmapped again with `vm_munmap(addr, total_size)` (the length not
/// page-aligned; `vm_munmap()` rounds it up) before the real first mapping: where
/// it landed (BE:1153-1160). A bad address fails the exec. Out of line, and given
/// nothing of the plan: few execs come here, and the plan's address is never
/// handed to a call.
#[inline(never)]
fn probe_at(
    probe: &SegmentMapping,
    vm: &mut impl AddressSpace,
    observer: &mut impl StepObserver,
) -> Result<u64, LoadError> {
    observer.mapping(Step::Probe, probe);
    let landed = probe.run(vm);
    observer.mapped(Step::Probe, probe, landed);
    mapping_failed(landed, probe.task_size)?;
    let unmap = Unmap {
        addr: landed,
        len: probe.total_size,
    };
    vm.vm_munmap(unmap.addr, unmap.len);
    observer.unmapped(&unmap);
    Ok(landed)
}

/// `IS_ERR_VALUE(x) ? PTR_ERR(x) : -EINVAL` for a result that `BAD_ADDR()` caught.
fn mapping_failed(map_addr: u64, task_size: u64) -> Result<(), LoadError> {
    if bad_addr(map_addr, task_size) {
        Err(LoadError::Mapping(bad_addr_retval(map_addr)))
    } else {
        Ok(())
    }
}

impl Layout {
    /// The entry point of a program without an interpreter (BE:1265-1271):
    /// `-EINVAL` when `e_entry + load_bias` is at or above `TASK_SIZE`. (With an
    /// interpreter only the interpreter's entry is checked.)
    pub const fn entry_without_interp(&self) -> Result<u64, Errno> {
        if bad_addr(self.e_entry, self.platform.task_size) {
            Err(Errno::Inval)
        } else {
            Ok(self.e_entry)
        }
    }

    /// `mm->start_brk` and `mm->brk` (BE:1308-1327), given `get_random_long()` for
    /// `arch_randomize_brk()`, the kernel's `CONFIG_COMPAT_BRK` and the range of
    /// `arch_randomize_brk()` for the task's ABI.
    #[inline(always)]
    pub const fn brk(&self, random_long: u64, compat_brk: bool, brk_rnd_range: u64) -> Brk {
        initial_brk(&BrkInputs {
            elf_brk: self.elf_brk,
            static_pie: matches!(self.kind, ElfKind::Dyn) && !self.has_interp,
            elf_et_dyn_base: self.platform.elf_et_dyn_base,
            randomize: self.platform.randomize && self.platform.randomize_va_space > 1,
            random_long,
            compat_brk,
            brk_rnd_range,
        })
    }
}
