//! `execprobe diff A.json B.json [--aslr]`: what differs between two `--json`
//! reports, apart from what is random by design.
//!
//! Always ignored: the 16 AT_RANDOM bytes (`get_random_bytes` in
//! `create_elf_tables`, fs/binfmt_elf.c), wherever they appear, the readings of
//! the `vdso` section (times, CPU numbers, check details), which differ from run to
//! run, and the pid `maps PID` looked at, which two processes never share. With `--aslr`, also every address that address space layout randomisation
//! moves: the stack (`randomize_stack_top`, `arch_align_stack`), the mmap base and
//! with it the vDSO, [vvar] and the interpreter (`arch_pick_mmap_layout`), the load
//! bias of a PIE (`ELF_ET_DYN_BASE + arch_mmap_rnd()` in `load_elf_binary`) and the
//! brk (`arch_randomize_brk`). What remains is compared: the same mappings with the
//! same sizes, permissions, offsets and names; the same auxv tags with the same
//! non-address values; the same strings; the same checks with the same verdicts.
//!
//! # JSON output (`diff --json`)
//!
//! ```text
//! {"schema": "execprobe/v1",
//!  "diff": {"aslr": bool, "differences": [{"path", "a"?, "b"?}]}}
//! ```
//! `a` and `b` are the two JSON values; one is absent when only one report has it.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::gather::regions::ARCH_ALIGN;
use crate::parse::auxv;

/// One difference: where, and the two values (`None`: absent from that report).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Difference {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b: Option<Value>,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let show = |v: &Option<Value>| v.as_ref().map_or_else(|| "(absent)".to_owned(), show);
        write!(f, "{}: {} != {}", self.path, show(&self.a), show(&self.b))
    }
}

/// Integers in hex, as addresses read best (small ones look the same either way).
fn show(v: &Value) -> String {
    match v.as_u64() {
        Some(n) if n >= 10 => format!("{n:#x}"),
        _ => v.to_string(),
    }
}

/// Stands in for the AT_RANDOM bytes.
const RANDOM: &str = "<AT_RANDOM>";

/// Every difference between two reports, in the order of their keys (serde_json
/// keeps them sorted) and array indices.
pub fn diff(a: &Value, b: &Value, aslr: bool) -> Vec<Difference> {
    let (a, b) = (normalise(a, aslr), normalise(b, aslr));
    let mut out = Vec::new();
    compare(&mut Vec::new(), &a, &b, aslr, &mut out);
    out
}

/// A copy with the AT_RANDOM bytes replaced and, with `aslr`, the
/// arch_align_stack gap left out: with ASLR it may randomly be empty, and then the
/// stack has one region fewer.
fn normalise(report: &Value, aslr: bool) -> Value {
    let mut randoms = Vec::new();
    collect_random(report, &mut randoms);
    let mut v = report.clone();
    replace_strings(&mut v, &randoms);
    if aslr {
        if let Some(regions) = v
            .pointer_mut("/stack/regions")
            .and_then(Value::as_array_mut)
        {
            regions.retain(|r| r["what"] != ARCH_ALIGN);
        }
    }
    v
}

/// The AT_RANDOM hex strings of a report: the `random` field of its auxv entries.
fn collect_random(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("random") {
                out.push(r.clone());
            }
            map.values().for_each(|v| collect_random(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_random(v, out)),
        _ => {}
    }
}

fn replace_strings(v: &mut Value, randoms: &[String]) {
    match v {
        Value::String(s) => {
            for r in randoms.iter().filter(|r| !r.is_empty()) {
                if s.contains(r.as_str()) {
                    *s = s.replace(r.as_str(), RANDOM);
                }
            }
        }
        Value::Object(map) => map.values_mut().for_each(|v| replace_strings(v, randoms)),
        Value::Array(items) => items.iter_mut().for_each(|v| replace_strings(v, randoms)),
        _ => {}
    }
}

/// A step of a path: a key or an index.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn render(path: &[Step]) -> String {
    let mut s = String::new();
    for step in path {
        match step {
            Step::Key(k) if s.is_empty() => s.push_str(k),
            Step::Key(k) => {
                s.push('.');
                s.push_str(k);
            }
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// The keys of a path with the indices dropped: `maps.mappings.start`.
fn keys(path: &[Step]) -> Vec<&str> {
    path.iter()
        .filter_map(|s| match s {
            Step::Key(k) => Some(k.as_str()),
            Step::Index(_) => None,
        })
        .collect()
}

/// Whether the field `key` of the object `parent`, at `path`, is left out.
fn ignored(path: &[Step], parent: &Map<String, Value>, key: &str, aslr: bool) -> bool {
    let at = keys(path);
    let section = at.first().copied().unwrap_or("");
    // The vdso section's readings differ from run to run.
    if section == "vdso" && matches!(key, "syscall_before" | "vdso" | "syscall_after" | "detail") {
        return true;
    }
    if at.as_slice() == ["maps"] && key == "pid" {
        return true;
    }
    if !aslr {
        return false;
    }
    let tag_moves = || {
        parent
            .get("tag")
            .and_then(Value::as_u64)
            .is_some_and(auxv::moved_by_aslr)
    };
    let is_stack = || parent.get("name").and_then(Value::as_str) == Some("[stack]");
    match (at.as_slice(), key) {
        // Check details quote addresses.
        ([.., "checks"], "detail") => true,
        (["auxv", "stack" | "proc" | "getauxval"], "value") => tag_moves(),
        (["maps", "mappings" | "special"], "start" | "end" | "gap_before") => true,
        // The stack VMA's lowest page depends on how far below the random stack
        // top the process reached.
        (["maps", "mappings" | "special"], "size") => is_stack(),
        (["maps", "executable" | "interpreter"], "load_bias") => true,
        (["stack", "vma"], "start" | "end") => true,
        (["stack"], "initial_sp") => true,
        (["stack", "argv" | "envp"], "slot" | "value") => true,
        (["stack", "addresses" | "kernel_record"], _) => true,
        (["stack", "regions"], "addr" | "value") => true,
        (["vdso"], "base") => true,
        (["vdso", "mapping"], _) => true,
        (["vdso", "symbols"], "address") => true,
        _ => false,
    }
}

/// A member or element at `path` that either report may lack: compared when both
/// have it, a difference when only one does.
fn compare_present(
    path: &mut Vec<Step>,
    a: Option<&Value>,
    b: Option<&Value>,
    aslr: bool,
    out: &mut Vec<Difference>,
) {
    match (a, b) {
        (Some(a), Some(b)) => compare(path, a, b, aslr, out),
        (a, b) => out.push(Difference {
            path: render(path),
            a: a.cloned(),
            b: b.cloned(),
        }),
    }
}

fn compare(path: &mut Vec<Step>, a: &Value, b: &Value, aslr: bool, out: &mut Vec<Difference>) {
    match (a, b) {
        (Value::Object(ma), Value::Object(mb)) => {
            let extra = mb.keys().filter(|k| !ma.contains_key(*k));
            for key in ma.keys().chain(extra) {
                if ignored(path, ma, key, aslr) || ignored(path, mb, key, aslr) {
                    continue;
                }
                path.push(Step::Key(key.clone()));
                compare_present(path, ma.get(key), mb.get(key), aslr, out);
                path.pop();
            }
        }
        (Value::Array(xa), Value::Array(xb)) => {
            for i in 0..xa.len().max(xb.len()) {
                path.push(Step::Index(i));
                compare_present(path, xa.get(i), xb.get(i), aslr, out);
                path.pop();
            }
        }
        _ if a == b => {}
        _ => out.push(Difference {
            path: render(path),
            a: Some(a.clone()),
            b: Some(b.clone()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report(random: &str, entry: u64, pagesz: u64, stack_start: u64) -> Value {
        json!({
            "schema": "execprobe/v1",
            "auxv": {
                "stack": [
                    {"tag": 6, "name": "AT_PAGESZ", "value": pagesz},
                    {"tag": 9, "name": "AT_ENTRY", "value": entry},
                    {"tag": 25, "name": "AT_RANDOM", "value": stack_start + 0x100,
                     "random": random},
                    {"tag": 0, "name": "AT_NULL", "value": 0}
                ],
                "checks": [{"name": "auxv_stack_equals_proc", "ok": true,
                            "detail": format!("at {stack_start:#x}")}]
            },
            "maps": {
                "mappings": [
                    {"start": 0x400000, "end": 0x401000, "size": 0x1000, "perms": "r-xp",
                     "name": "/x"},
                    {"start": stack_start, "end": stack_start + 0x21000, "size": 0x21000,
                     "perms": "rw-p", "name": "[stack]", "gap_before": stack_start - 0x401000}
                ]
            },
            "stack": {
                "initial_sp": stack_start + 0x80,
                "regions": [
                    {"addr": stack_start + 0x100, "size": 16, "what": "AT_RANDOM bytes",
                     "detail": random},
                    {"addr": stack_start + 0xf0, "size": 16, "what": ARCH_ALIGN}
                ]
            }
        })
    }

    fn paths(d: &[Difference]) -> Vec<String> {
        d.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_report_equals_itself_and_random_bytes_never_count() {
        let a = report(
            "00112233445566778899aabbccddeeff",
            0x401000,
            4096,
            0x7ffd_0000_0000,
        );
        assert_eq!(diff(&a, &a, false), []);
        let b = report(
            "ffeeddccbbaa99887766554433221100",
            0x401000,
            4096,
            0x7ffd_0000_0000,
        );
        assert_eq!(diff(&a, &b, false), []);
    }

    #[test]
    fn the_pid_of_maps_never_counts_but_what_is_beside_it_does() {
        let mut a = report("00", 0x401000, 4096, 0x7ffd_0000_0000);
        let mut b = a.clone();
        a["maps"]["pid"] = json!(51);
        b["maps"]["pid"] = json!(55);
        assert_eq!(diff(&a, &b, false), []);
        b["maps"]["mappings"][0]["perms"] = json!("rwxp");
        assert_eq!(
            paths(&diff(&a, &b, false)),
            ["maps.mappings[0].perms: \"r-xp\" != \"rwxp\""]
        );
    }

    #[test]
    fn differences_are_named_by_path() {
        let a = report("00", 0x400040, 4096, 0x7ffd_0000_0000);
        let b = report("00", 0x400048, 8192, 0x7ffd_0000_0000);
        assert_eq!(
            paths(&diff(&a, &b, false)),
            [
                "auxv.stack[0].value: 0x1000 != 0x2000",
                "auxv.stack[1].value: 0x400040 != 0x400048"
            ]
        );
        // With --aslr an AT_ENTRY difference is the PIE's load bias; AT_PAGESZ still counts.
        assert_eq!(
            paths(&diff(&a, &b, true)),
            ["auxv.stack[0].value: 0x1000 != 0x2000"]
        );
    }

    #[test]
    fn aslr_ignores_what_it_moves_and_nothing_else() {
        let a = report("00", 0x401000, 4096, 0x7ffd_0000_0000);
        let mut b = report("00", 0x401000, 4096, 0x7ffe_1234_5000);
        let moved = diff(&a, &b, false);
        assert!(moved.len() > 5, "{:#?}", paths(&moved));
        assert!(
            paths(&moved).contains(&"stack.initial_sp: 0x7ffd00000080 != 0x7ffe12345080".into())
        );
        assert_eq!(diff(&a, &b, true), []);

        // The structure still counts: another permission, a longer [heap]...
        b["maps"]["mappings"][0]["perms"] = json!("rwxp");
        b["maps"]["mappings"][0]["size"] = json!(0x2000);
        // ...a missing mapping, a region that changed its nature.
        b["stack"]["regions"][0]["what"] = json!("AT_PLATFORM string");
        assert_eq!(
            paths(&diff(&a, &b, true)),
            [
                "maps.mappings[0].perms: \"r-xp\" != \"rwxp\"",
                "maps.mappings[0].size: 0x1000 != 0x2000",
                "stack.regions[0].what: \"AT_RANDOM bytes\" != \"AT_PLATFORM string\""
            ]
        );
        b["maps"]["mappings"].as_array_mut().expect("array").pop();
        let d = diff(&a, &b, true);
        let gone = d
            .iter()
            .find(|d| d.path == "maps.mappings[1]")
            .expect("the missing mapping");
        assert!(gone.a.is_some() && gone.b.is_none());
        assert!(gone.to_string().ends_with(" != (absent)"));
    }

    #[test]
    fn the_vdso_sections_readings_never_count() {
        let call = |t: i64, ok: bool| {
            json!({"vdso": {"calls": [{"function": "__vdso_time", "syscall_before": t,
                    "vdso": t, "syscall_after": t, "name": "vdso_time", "ok": ok,
                    "detail": format!("{t}")}]}})
        };
        assert_eq!(diff(&call(1, true), &call(2, true), false), []);
        assert_eq!(
            paths(&diff(&call(1, true), &call(1, false), false)),
            ["vdso.calls[0].ok: true != false"]
        );
    }

    #[test]
    fn keys_and_types_count() {
        let a = json!({"schema": "execprobe/v0", "x": [1, 2]});
        let b = json!({"schema": "execprobe/v1", "x": "12", "y": null});
        assert_eq!(
            paths(&diff(&a, &b, false)),
            [
                "schema: \"execprobe/v0\" != \"execprobe/v1\"",
                "x: [1,2] != \"12\"",
                "y: (absent) != null"
            ]
        );
    }
}
