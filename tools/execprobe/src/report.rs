//! What execprobe found, as one value: `--json` prints it with serde, the text output
//! renders it by hand.
//!
//! # JSON schema `execprobe/v0`
//!
//! All addresses, values and sizes are JSON integers (unsigned 64-bit). A field
//! marked `?` is left out when it does not apply. A section is present only when it
//! was asked for (all three without a section argument).
//!
//! ```text
//! {
//!   "schema": "execprobe/v0",
//!   "auxv"?: {
//!     "stack": [Aux],           auxv on the initial stack, up to and including AT_NULL
//!     "proc":  [Aux],           /proc/self/auxv, up to and including AT_NULL
//!     "checks": [Check]
//!   },
//!   "maps"?: {
//!     "special": [{"name", "start", "end", "perms", "size", "explanation"}],
//!                               present special mappings, in /proc/self/maps order
//!     "absent": [{"name", "meaning"}]
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
//!     "regions": [{"addr", "size", "what", "detail"?}],
//!                               everything from the top down to argc, gaps included
//!     "kernel_record": {"start_stack", "arg_start", "arg_end", "env_start", "env_end"},
//!                               mm_struct fields from /proc/self/stat
//!     "checks": [Check]
//!   }
//! }
//! Aux   = {"tag", "name"?, "value", "string"?, "random"?}
//!         name: the AT_* name, absent for unknown tags; string: what AT_EXECFN,
//!         AT_PLATFORM and AT_BASE_PLATFORM point to; random: AT_RANDOM's 16 bytes
//!         as 32 hex digits
//! Ptr   = {"slot", "value", "string"}   where the pointer is, where it points, the string
//! Check = {"name", "ok", "detail"}
//!         auxv checks:  auxv_stack_equals_proc
//!         stack checks: argc, sp_aligned, start_stack, layout_order,
//!                       strings_contiguous, arg_range, env_range, auxv_pointers
//! ```

use serde::Serialize;

use crate::layout::Landmarks;
use crate::mm::StackRecord;

pub const SCHEMA: &str = "execprobe/v0";

/// Which sections to gather and show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sections {
    pub auxv: bool,
    pub maps: bool,
    pub stack: bool,
}

impl Sections {
    pub const ALL: Sections = Sections {
        auxv: true,
        maps: true,
        stack: true,
    };
    pub const NONE: Sections = Sections {
        auxv: false,
        maps: false,
        stack: false,
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
}

impl Report {
    /// Every check of every section shown.
    pub fn checks(&self) -> impl Iterator<Item = &Check> {
        let auxv = self.auxv.iter().flat_map(|s| &s.checks);
        let stack = self.stack.iter().flat_map(|s| &s.checks);
        auxv.chain(stack)
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
}

#[derive(Debug, Serialize)]
pub struct MapsSection {
    pub special: Vec<SpecialMapping>,
    pub absent: Vec<Absent>,
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
    pub detail: Option<String>,
}
