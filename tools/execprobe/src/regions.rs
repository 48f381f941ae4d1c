//! The initial stack as a list of regions, highest address first: the classic
//! diagram of what `create_elf_tables` (fs/binfmt_elf.c) and the string copies of
//! fs/exec.c leave between the initial stack pointer and the top of the stack.

use crate::auxv;
use crate::layout::Strings;
use crate::probe::{hex_bytes, lossy, InitialStack};
use crate::report::Region;

/// Every part of the initial stack, highest address first, with the gaps between.
pub fn regions(stack: &InitialStack) -> Vec<Region> {
    let (l, s) = (&stack.layout, &stack.snapshot);
    let mut r = Vec::new();
    let mut add = |addr: u64, size: u64, what: String, detail: Option<String>| {
        r.push(Region {
            addr,
            size,
            what,
            detail,
        });
    };
    let quoted = |addr: u64| format!("{:?}", s.c_str_at(addr).map(lossy).unwrap_or_default());
    let c_str_size = |addr: u64| s.c_str_at(addr).map_or(0, |b| b.len() as u64 + 1);

    add(l.at.top, 0, format!("top of {}", stack.vma.name), None);
    for (tag, what) in [
        (auxv::AT_EXECFN, "AT_EXECFN string"),
        (auxv::AT_PLATFORM, "AT_PLATFORM string"),
        (auxv::AT_BASE_PLATFORM, "AT_BASE_PLATFORM string"),
    ] {
        if let Some(addr) = auxv::value(&l.auxv, tag) {
            add(addr, c_str_size(addr), what.into(), Some(quoted(addr)));
        }
    }
    let mut strings = |run: Option<Strings>, what: &str, count: usize| {
        if let Some(run) = run {
            let what = format!("{what} strings ({count})");
            add(run.start, run.end - run.start, what, None);
        }
    };
    strings(l.argv_strings, "argv", l.argv.len());
    strings(l.env_strings, "env", l.envp.len());
    if let Some(addr) = l.at.random {
        let bytes = s.bytes_at(addr, auxv::RANDOM_LEN).map(hex_bytes);
        add(
            addr,
            auxv::RANDOM_LEN as u64,
            "AT_RANDOM bytes".into(),
            bytes,
        );
    }
    let entry_size = auxv::ENTRY_SIZE as u64;
    add(
        l.at.auxv_null,
        entry_size,
        "AT_NULL (end of auxv)".into(),
        None,
    );
    // The parsed vector always ends with AT_NULL.
    let entries = l.auxv.len() - 1;
    add(
        l.at.auxv,
        entries as u64 * entry_size,
        format!("auxv ({entries} entries)"),
        None,
    );
    add(l.at.envp_null, 8, "envp NULL".into(), None);
    for (name, slots) in [("envp", &l.envp), ("argv", &l.argv)] {
        for (i, slot) in slots.iter().enumerate() {
            let detail = format!("-> {:#x} {}", slot.value, quoted(slot.value));
            add(slot.addr, 8, format!("{name}[{i}]"), Some(detail));
        }
    }
    add(l.at.argv_null, 8, "argv NULL".into(), None);
    add(
        l.at.argc,
        8,
        format!("argc = {}", l.argc),
        Some("initial stack pointer, mm->start_stack".into()),
    );

    r.sort_by_key(|r| std::cmp::Reverse(r.addr));
    with_gaps(r)
}

/// Inserts a "(padding)" region wherever a region ends below the next one up.
fn with_gaps(descending: Vec<Region>) -> Vec<Region> {
    let mut out: Vec<Region> = Vec::with_capacity(descending.len() * 2);
    for region in descending {
        if let Some(above) = out.last() {
            let end = region.addr + region.size;
            if end < above.addr {
                out.push(Region {
                    addr: end,
                    size: above.addr - end,
                    what: "(padding)".into(),
                    detail: None,
                });
            }
        }
        out.push(region);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_are_filled_between_regions() {
        let region = |addr, size| Region {
            addr,
            size,
            what: "x".into(),
            detail: None,
        };
        let out = with_gaps(vec![region(0x100, 0), region(0xf0, 8), region(0xe0, 16)]);
        let spans: Vec<_> = out
            .iter()
            .map(|r| (r.addr, r.size, r.what.as_str()))
            .collect();
        assert_eq!(
            spans,
            [
                (0x100, 0, "x"),
                (0xf8, 8, "(padding)"),
                (0xf0, 8, "x"),
                (0xe0, 16, "x")
            ]
        );
    }
}
