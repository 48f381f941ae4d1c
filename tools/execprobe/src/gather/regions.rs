//! The initial stack as a list of regions, highest address first: every string,
//! every pointer slot, every auxv pair and every padding that `create_elf_tables`
//! (fs/binfmt_elf.c) and the string copies of fs/exec.c leave between the top of
//! the stack and the initial stack pointer, each at its address.

use crate::gather::initial_stack::{hex_bytes, lossy, InitialStack};
use crate::parse::auxv::{self, Kind};
use crate::parse::layout::Landmarks;
use crate::parse::snapshot::Snapshot;
use crate::report::Region;

/// What a padding is, by where it is.
pub const BELOW_TOP: &str = "(zero word below the top: bprm->p starts there, __bprm_mm_init)";
pub const ARCH_ALIGN: &str = "(arch_align_stack gap: random with ASLR, then 16-byte aligned)";
pub const STACK_ROUND: &str = "(STACK_ROUND padding: makes the final sp 16-byte aligned)";
pub const PADDING: &str = "(padding)";

fn quoted(s: &Snapshot, addr: u64) -> String {
    format!("{:?}", s.c_str_at(addr).map(lossy).unwrap_or_default())
}

fn c_str_size(s: &Snapshot, addr: u64) -> u64 {
    s.c_str_at(addr).map_or(0, |b| b.len() as u64 + 1)
}

/// Every part of the initial stack, highest address first, with the gaps between.
pub fn regions(stack: &InitialStack) -> Vec<Region> {
    let (l, s) = (&stack.layout, &stack.snapshot);
    let mut r = Vec::new();
    let mut add =
        |addr: u64, size: u64, what: String, value: Option<u64>, detail: Option<String>| {
            r.push(Region {
                addr,
                size,
                what,
                value,
                detail,
            });
        };

    add(
        l.at.top,
        0,
        format!("top of {}", stack.vma.name),
        None,
        None,
    );
    for (tag, what) in [
        (auxv::AT_EXECFN, "AT_EXECFN string"),
        (auxv::AT_PLATFORM, "AT_PLATFORM string"),
        (auxv::AT_BASE_PLATFORM, "AT_BASE_PLATFORM string"),
    ] {
        if let Some(addr) = auxv::value(&l.auxv, tag) {
            add(
                addr,
                c_str_size(s, addr),
                what.into(),
                None,
                Some(quoted(s, addr)),
            );
        }
    }
    for (name, slots) in [("envp", &l.envp), ("argv", &l.argv)] {
        for (i, slot) in slots.iter().enumerate() {
            let size = c_str_size(s, slot.value);
            let detail = Some(quoted(s, slot.value));
            add(
                slot.value,
                size,
                format!("{name}[{i}] string"),
                None,
                detail.clone(),
            );
            add(
                slot.addr,
                8,
                format!("{name}[{i}]"),
                Some(slot.value),
                detail,
            );
        }
    }
    if let Some(addr) = l.at.random {
        let bytes = s.bytes_at(addr, auxv::RANDOM_LEN).map(hex_bytes);
        add(
            addr,
            auxv::RANDOM_LEN as u64,
            "AT_RANDOM bytes".into(),
            None,
            bytes,
        );
    }
    let entry_size = auxv::ENTRY_SIZE as u64;
    for (i, e) in l.auxv.iter().enumerate() {
        let detail = match auxv::kind(e.tag) {
            Kind::CString => Some(quoted(s, e.value)),
            Kind::Decimal => Some(e.value.to_string()),
            Kind::Mask => auxv::flags(e.tag, e.value).map(|f| f.join(" ")),
            Kind::Address | Kind::RandomBytes => None,
        };
        let what = format!("auxv[{i}] {}", auxv::name_or_number(e.tag));
        add(
            l.at.auxv + i as u64 * entry_size,
            entry_size,
            what,
            Some(e.value),
            detail,
        );
    }
    add(l.at.envp_null, 8, "envp NULL".into(), Some(0), None);
    add(l.at.argv_null, 8, "argv NULL".into(), Some(0), None);
    add(
        l.at.argc,
        8,
        format!("argc = {}", l.argc),
        None,
        Some("initial stack pointer, mm->start_stack".into()),
    );

    r.sort_by_key(|r| std::cmp::Reverse(r.addr));
    with_gaps(r, &l.at)
}

/// Inserts a padding region wherever a region ends below the next one up, named
/// after the step of exec that leaves it there.
fn with_gaps(descending: Vec<Region>, at: &Landmarks) -> Vec<Region> {
    // The strings copied by fs/exec.c end where arch_align_stack starts.
    let strings = [at.argv_strings, at.env_strings, at.execfn]
        .into_iter()
        .flatten()
        .min();
    let mut out: Vec<Region> = Vec::with_capacity(descending.len() * 2);
    for region in descending {
        if let Some(above) = out.last() {
            let end = region.addr + region.size;
            if end < above.addr {
                let what = if above.addr == at.top {
                    BELOW_TOP
                } else if Some(above.addr) == strings {
                    ARCH_ALIGN
                } else if end == at.auxv_null + auxv::ENTRY_SIZE as u64 {
                    STACK_ROUND
                } else {
                    PADDING
                };
                out.push(Region {
                    addr: end,
                    size: above.addr - end,
                    what: what.into(),
                    value: None,
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
    use crate::gather::initial_stack::for_this_process;

    #[test]
    fn gaps_are_filled_and_named() {
        let region = |addr, size| Region {
            addr,
            size,
            what: "x".into(),
            value: None,
            detail: None,
        };
        let at = Landmarks {
            argc: 0x10,
            argv: None,
            argv_null: 0x18,
            envp: None,
            envp_null: 0x20,
            auxv: 0x28,
            auxv_null: 0x38,
            random: Some(0x50),
            base_platform: None,
            platform: None,
            argv_strings: Some(0x80),
            env_strings: None,
            execfn: Some(0xf0),
            top: 0x100,
        };
        let out = with_gaps(
            vec![
                region(0x100, 0),
                region(0xf0, 8),
                region(0xe0, 8),
                region(0x80, 16),
                region(0x50, 16),
                region(0x38, 16),
            ],
            &at,
        );
        let spans: Vec<_> = out
            .iter()
            .map(|r| (r.addr, r.size, r.what.as_str()))
            .collect();
        assert_eq!(
            spans,
            [
                (0x100, 0, "x"),
                (0xf8, 8, BELOW_TOP),
                (0xf0, 8, "x"),
                (0xe8, 8, PADDING),
                (0xe0, 8, "x"),
                (0x90, 0x50, PADDING),
                (0x80, 16, "x"),
                (0x60, 32, ARCH_ALIGN),
                (0x50, 16, "x"),
                (0x48, 8, STACK_ROUND),
                (0x38, 16, "x")
            ]
        );
    }

    /// The regions of this test process tile the stack from argc to the top, with
    /// every string, slot and auxv pair in it.
    #[test]
    fn regions_of_this_process_tile_the_stack() {
        let stack = for_this_process();
        let r = regions(&stack);
        assert_eq!(r.first().map(|r| r.addr), Some(stack.layout.at.top));
        assert_eq!(r.last().map(|r| r.addr), Some(stack.snapshot.base));
        for w in r.windows(2) {
            assert_eq!(
                w[1].addr + w[1].size,
                w[0].addr,
                "{:?} below {:?}",
                w[1],
                w[0]
            );
        }
        let count = |prefix: &str| r.iter().filter(|r| r.what.starts_with(prefix)).count();
        let argc = stack.layout.argv.len();
        assert_eq!(count("argv["), 2 * argc, "a slot and a string per argument");
        assert_eq!(count("auxv["), stack.layout.auxv.len());
        assert_eq!(count(BELOW_TOP), 1, "{r:#?}");
        let pagesz = r
            .iter()
            .find(|r| r.what.ends_with(" AT_PAGESZ"))
            .expect("AT_PAGESZ pair");
        assert_eq!(
            (pagesz.value, pagesz.detail.as_deref()),
            (Some(4096), Some("4096"))
        );
        let argv0 = r
            .iter()
            .find(|r| r.what == "argv[0] string")
            .expect("argv[0]");
        let arg0 = std::env::args().next().expect("argv[0]");
        assert_eq!(argv0.detail, Some(format!("{arg0:?}")));
        assert_eq!(argv0.size, arg0.len() as u64 + 1);
    }
}
