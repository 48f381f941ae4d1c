//! What execprobe found, as one value: `--json` prints it with serde, the text output
//! renders it by hand.
//!
//! # JSON schema `execprobe/v1`
//!
//! All addresses, values and sizes are JSON integers (unsigned 64-bit unless said).
//! A field marked `?` is left out when it does not apply. A section is present only
//! when it was asked for (`auxv`, `maps` and `stack` without a section argument;
//! `vdso` only when asked for, since its timings differ from run to run). v1 only
//! adds to v0: every v0 field keeps its name and meaning, except that the stack's
//! `regions` are finer (one per string, per auxv pair, per padding).
//!
//! ```text
//! {
//!   "schema": "execprobe/v1",
//!   "auxv"?: {
//!     "stack": [Aux],           auxv on the initial stack, up to and including AT_NULL
//!     "proc":  [Aux],           /proc/self/auxv, up to and including AT_NULL
//!     "getauxval": [{"tag", "name"?, "value"}],
//!                               glibc's getauxval(3) of each tag on the stack
//!     "checks": [Check]
//!   },
//!   "maps"?: {
//!     "pid"?,                   the PID given to `maps PID`; absent for execprobe itself
//!     "mappings": [Mapping],    every line of /proc/PID/maps, in order
//!     "special": [{"name", "start", "end", "perms", "size", "explanation"}],
//!                               present special mappings, in maps order
//!     "absent": [{"name", "meaning"}],
//!     "vsyscall": {"mode", "perms"?},
//!                               mode: "none" | "xonly" | "emulate" | "unknown"
//!     "executable"?: Object,    /proc/PID/exe
//!     "interpreter"?: Object,   its PT_INTERP
//!     "attribution_error"?,     why there is no "executable" (kernel thread, ELF32)
//!     "checks": [Check]
//!   },
//!   "stack"?: {
//!     "vma": {"start", "end", "name"},   the mapping holding the initial stack
//!     "initial_sp",                      address of argc
//!     "argc",
//!     "argv": [Ptr], "envp": [Ptr],
//!     "addresses": {"argc", "argv"?, "argv_null", "envp"?, "envp_null", "auxv",
//!                   "auxv_null", "random"?, "base_platform"?, "platform"?,
//!                   "argv_strings"?, "env_strings"?, "execfn"?, "top"},
//!                               in the kernel's layout order, lowest first
//!     "regions": [{"addr", "size", "what", "value"?, "detail"?}],
//!                               everything from the top down to argc, highest first,
//!                               paddings included; value: the word stored there
//!                               (argc, a pointer, an auxv value)
//!     "kernel_record": {"start_stack", "arg_start", "arg_end", "env_start", "env_end"},
//!                               mm_struct fields from /proc/self/stat
//!     "checks": [Check]
//!   },
//!   "vdso"?: {
//!     "base",                   AT_SYSINFO_EHDR
//!     "mapping": {"start", "end"},       the [vdso] mapping
//!     "soname"?,
//!     "symbols": [{"name", "version"?, "value", "address", "size", "type", "binding"}],
//!     "calls": [Call],          each known vDSO function against its syscall
//!     "vsyscall": {"mode", "calls": [Call]},
//!     "checks": [Check]
//!   }
//! }
//! Aux     = {"tag", "name"?, "value", "string"?, "random"?, "flags"?}
//!           name: the AT_* name, absent for unknown tags; string: what AT_EXECFN,
//!           AT_PLATFORM and AT_BASE_PLATFORM point to; random: AT_RANDOM's 16
//!           bytes as 32 hex digits; flags: the names of the AT_HWCAP / AT_HWCAP2
//!           bits set, unknown ones as "bitN"
//! Ptr     = {"slot", "value", "string"}   where the pointer is, where it points, the string
//! Mapping = {"start", "end", "size", "perms", "offset", "dev", "inode", "name",
//!            "gap_before"?, "origin"?}
//!           dev: "major:minor" in hex as maps prints it; gap_before: unmapped bytes
//!           between the previous mapping's end and this start; origin: the
//!           PT_LOAD it came from, {"object": "executable" | "interpreter",
//!           "segment": index in the program header table, "part": "file" | "bss",
//!           "relro"?: true when it is the part of PT_GNU_RELRO made read-only}
//! Object  = {"path", "type", "entry", "phdr_vaddr"?, "interp"?, "load_bias"?,
//!            "segments": [{"index", "flags", "offset", "vaddr", "filesz", "memsz",
//!                          "align"}]}
//!           type: "ET_EXEC" | "ET_DYN"; segments: the PT_LOADs; flags: "r-x" etc.
//! Call    = {"function", "argument"?, "unit", "syscall_before"?, "vdso"?,
//!            "syscall_after"?, "outcome"?, "name", "ok", "detail"}
//!           the values are signed; unit: "ns", "us", "s", "cpu" or "bytes";
//!           outcome: for a call in a child process, "returned", "SIGSEGV", ...
//! Check   = {"name", "ok", "detail"}
//!           auxv checks:  auxv_stack_equals_proc, auxv_getauxval
//!           maps checks:  exe_mapped, exe_load_bias, interp_mapped, interp_load_bias
//!           stack checks: argc, sp_aligned, start_stack, layout_order,
//!                         strings_contiguous, arg_range, env_range, auxv_pointers
//!           vdso checks:  vdso_base, vdso_functions, and one per Call:
//!                         vdso_clock_gettime, vdso_clock_getres,
//!                         vdso_gettimeofday, vdso_time, vdso_getcpu,
//!                         vdso_getrandom, vsyscall_gettimeofday, vsyscall_time,
//!                         vsyscall_read
//! ```
//!
//! `diff --json` and `map --json` print their own objects, with the same schema
//! name; see diff.rs and main.rs.

use serde::Serialize;

use crate::parse::elf::Segment;
use crate::parse::layout::Landmarks;
use crate::parse::mm::StackRecord;
use crate::parse::origin::Part;
use crate::parse::vdso::Symbol;
use crate::parse::vsyscall::Mode;

pub const SCHEMA: &str = "execprobe/v1";

/// Which sections to gather and show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sections {
    pub auxv: bool,
    pub maps: bool,
    pub stack: bool,
    pub vdso: bool,
    /// The 32-bit vDSO, in a child (gather/vdso32_probe.rs).
    pub vdso32: bool,
}

impl Sections {
    /// What no section argument means: everything that is the same from run to run.
    pub const DEFAULT: Sections = Sections {
        auxv: true,
        maps: true,
        stack: true,
        vdso: false,
        vdso32: false,
    };
    pub const NONE: Sections = Sections {
        auxv: false,
        maps: false,
        stack: false,
        vdso: false,
        vdso32: false,
    };
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub schema: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auxv: Option<AuxvSection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maps: Option<MapsSection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stack: Option<StackSection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vdso: Option<VdsoSection>,
    /// The 32-bit vDSO of an i386 child process.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vdso32: Option<VdsoSection>,
}

impl Report {
    /// Every check of every section shown.
    pub fn checks(&self) -> impl Iterator<Item = &Check> {
        let auxv = self.auxv.iter().flat_map(|s| &s.checks);
        let maps = self.maps.iter().flat_map(|s| &s.checks);
        let stack = self.stack.iter().flat_map(|s| &s.checks);
        let vdso = self.vdso.iter().chain(&self.vdso32).flat_map(|s| {
            let calls = s.calls.iter().chain(&s.vsyscall.calls);
            s.checks.iter().chain(calls.map(|c| &c.check))
        });
        auxv.chain(maps).chain(stack).chain(vdso)
    }
}

/// A consistency check between two views of what exec did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
}

#[derive(Debug, Serialize)]
pub struct AuxvSection {
    pub stack: Vec<Aux>,
    pub proc: Vec<Aux>,
    pub getauxval: Vec<GetAuxval>,
    pub checks: Vec<Check>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Aux {
    pub tag: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'static str>,
    pub value: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub string: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub random: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flags: Option<Vec<String>>,
}

/// What glibc's getauxval(3) returns for a tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GetAuxval {
    pub tag: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'static str>,
    pub value: u64,
}

#[derive(Debug, Serialize)]
pub struct MapsSection {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    pub mappings: Vec<MapEntry>,
    pub special: Vec<SpecialMapping>,
    pub absent: Vec<Absent>,
    pub vsyscall: VsyscallLine,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub executable: Option<Object>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interpreter: Option<Object>,
    /// Why there is no executable to attribute mappings to (a kernel thread, a
    /// 32-bit program).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribution_error: Option<String>,
    pub checks: Vec<Check>,
}

/// One line of /proc/PID/maps, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MapEntry {
    pub start: u64,
    pub end: u64,
    pub size: u64,
    pub perms: String,
    pub offset: u64,
    pub dev: String,
    pub inode: u64,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap_before: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

/// The ELF object a mapping belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Executable,
    Interpreter,
}

/// The PT_LOAD a mapping came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub object: Role,
    /// Index of the PT_LOAD in the program header table.
    pub segment: usize,
    pub part: Part,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub relro: bool,
}

#[derive(Debug, Serialize)]
pub struct SpecialMapping {
    pub name: String,
    pub start: u64,
    pub end: u64,
    pub perms: String,
    pub size: u64,
    pub explanation: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Absent {
    pub name: &'static str,
    pub meaning: &'static str,
}

/// The vsyscall mode and the [vsyscall] line's permissions that tell it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VsyscallLine {
    pub mode: Mode,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub perms: Option<String>,
}

/// An ELF object exec mapped: the executable or its interpreter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Object {
    pub path: String,
    #[serde(rename = "type")]
    pub e_type: String,
    pub entry: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phdr_vaddr: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load_bias: Option<u64>,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Serialize)]
pub struct StackSection {
    pub vma: Vma,
    pub initial_sp: u64,
    pub argc: u64,
    pub argv: Vec<Ptr>,
    pub envp: Vec<Ptr>,
    pub addresses: Landmarks,
    pub regions: Vec<Region>,
    pub kernel_record: StackRecord,
    pub checks: Vec<Check>,
}

#[derive(Debug, Serialize)]
pub struct Vma {
    pub start: u64,
    pub end: u64,
    pub name: String,
}

/// An argv or envp slot.
#[derive(Debug, Serialize)]
pub struct Ptr {
    pub slot: u64,
    pub value: u64,
    pub string: String,
}

/// A stretch of the initial stack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    pub addr: u64,
    pub size: u64,
    pub what: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct VdsoSection {
    pub base: u64,
    pub mapping: Span,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub soname: Option<String>,
    pub symbols: Vec<VdsoSymbol>,
    pub calls: Vec<Call>,
    pub vsyscall: VsyscallCalls,
    pub checks: Vec<Check>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub start: u64,
    pub end: u64,
}

/// A vDSO symbol and where it is in this process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VdsoSymbol {
    #[serde(flatten)]
    pub symbol: Symbol,
    pub address: u64,
}

/// The calls to the vsyscall page, each in a child process.
#[derive(Debug, Serialize)]
pub struct VsyscallCalls {
    pub mode: Mode,
    pub calls: Vec<Call>,
}

/// One function called and compared with the syscall it stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Call {
    pub function: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub argument: Option<&'static str>,
    pub unit: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub syscall_before: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vdso: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub syscall_after: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    #[serde(flatten)]
    pub check: Check,
}
