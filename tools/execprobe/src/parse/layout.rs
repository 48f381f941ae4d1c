//! Reading a copy of the initial stack the way the kernel wrote it.
//!
//! From the top of the stack VMA down, exec leaves (fs/exec.c, then
//! `create_elf_tables` in fs/binfmt_elf.c):
//!
//! ```text
//!   top of the stack VMA        (bprm->p starts sizeof(void *) below it: __bprm_mm_init)
//!   AT_EXECFN string            (copy_string_kernel(bprm->filename), do_execveat_common)
//!   env strings                 (copy_strings(envc, envp))
//!   argv strings                (copy_strings(argc, argv))
//!   random gap                  (arch_align_stack)
//!   AT_PLATFORM string          (ELF_PLATFORM, "x86_64")
//!   AT_BASE_PLATFORM string     (none on x86)
//!   AT_RANDOM bytes             (16 bytes)
//!   padding                     (STACK_ROUND: 16-byte alignment of the final sp)
//!   auxv, up to AT_NULL         (copy of mm->saved_auxv)
//!   NULL, envp[envc-1] .. envp[0]
//!   NULL, argv[argc-1] .. argv[0]
//!   argc                        <- initial rsp, mm->start_stack
//! ```
//!
//! Nothing here trusts the layout: every pointer is looked up in the snapshot and the
//! order is checked, not assumed, so a loader that gets it wrong shows up as such.

use serde::Serialize;

use crate::error::Error;
use crate::parse::auxv::{self, Entry};
use crate::parse::snapshot::Snapshot;

/// A pointer slot of argv or envp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    /// Where the slot is on the stack.
    pub addr: u64,
    /// The string it points to.
    pub value: u64,
}

/// A run of NUL-terminated strings: the argv or the env strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Strings {
    pub start: u64,
    /// One past the last string's NUL.
    pub end: u64,
    /// Whether each string starts right after the previous one's NUL, as
    /// `copy_strings` writes them and as `create_elf_tables` assumes when it walks
    /// them with `strnlen_user` to fill in the pointers.
    pub contiguous: bool,
}

/// The initial stack, as found in a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub argc: u64,
    pub argv: Vec<Slot>,
    pub envp: Vec<Slot>,
    /// The auxiliary vector, up to and including AT_NULL.
    pub auxv: Vec<Entry>,
    pub argv_strings: Option<Strings>,
    pub env_strings: Option<Strings>,
    pub at: Landmarks,
}

/// A named address on the initial stack.
pub type Landmark = (&'static str, u64);

/// Addresses of the parts of the initial stack; optional ones may legitimately be
/// missing (no env strings after `env -i`, no AT_PLATFORM from a minimal loader).
///
/// The field order is the kernel's layout, lowest address first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Landmarks {
    pub argc: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub argv: Option<u64>,
    pub argv_null: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub envp: Option<u64>,
    pub envp_null: u64,
    pub auxv: u64,
    pub auxv_null: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub random: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_platform: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub platform: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub argv_strings: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub env_strings: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub execfn: Option<u64>,
    pub top: u64,
}

impl Landmarks {
    /// The landmarks that are present, in the order the kernel lays them out.
    pub fn in_layout_order(&self) -> Vec<Landmark> {
        let all = [
            ("argc", Some(self.argc)),
            ("argv", self.argv),
            ("argv_null", Some(self.argv_null)),
            ("envp", self.envp),
            ("envp_null", Some(self.envp_null)),
            ("auxv", Some(self.auxv)),
            ("auxv_null", Some(self.auxv_null)),
            ("random", self.random),
            ("base_platform", self.base_platform),
            ("platform", self.platform),
            ("argv_strings", self.argv_strings),
            ("env_strings", self.env_strings),
            ("execfn", self.execfn),
            ("top", Some(self.top)),
        ];
        all.into_iter()
            .filter_map(|(name, addr)| Some((name, addr?)))
            .collect()
    }

    /// The first pair of landmarks that is not at strictly increasing addresses.
    pub fn first_out_of_order(&self) -> Option<(Landmark, Landmark)> {
        self.in_layout_order()
            .windows(2)
            .find(|w| w[0].1 >= w[1].1)
            .map(|w| (w[0], w[1]))
    }
}

impl Layout {
    /// Reads the layout from a snapshot that starts at the initial stack pointer.
    pub fn parse(stack: &Snapshot) -> Result<Layout, Error> {
        let word = |addr: u64, what: &'static str| {
            stack
                .word_at(addr)
                .ok_or_else(|| format!("{what} at {addr:#x} is beyond the top of the stack"))
        };
        let argc = word(stack.base, "argc")?;

        let mut addr = stack.base + 8;
        let mut argv = Vec::new();
        for _ in 0..argc {
            let value = word(addr, "an argv slot")?;
            argv.push(Slot { addr, value });
            addr += 8;
        }
        let argv_null = addr;
        if word(argv_null, "argv's NULL")? != 0 {
            return Err(Error::new(format!(
                "argv[argc] at {argv_null:#x} is not NULL (argc {argc})"
            )));
        }

        addr += 8;
        let mut envp = Vec::new();
        loop {
            let value = word(addr, "an envp slot")?;
            if value == 0 {
                break;
            }
            envp.push(Slot { addr, value });
            addr += 8;
        }
        let envp_null = addr;

        let auxv_start = envp_null + 8;
        let auxv = stack
            .tail_at(auxv_start)
            .ok_or_else(|| format!("auxv at {auxv_start:#x} is beyond the top of the stack"))
            .and_then(|tail| auxv::parse(tail).map_err(|e| e.to_string()))?;
        let auxv_null = auxv_start + ((auxv.len() - 1) * auxv::ENTRY_SIZE) as u64;

        let argv_strings = strings(stack, &argv, "argv")?;
        let env_strings = strings(stack, &envp, "envp")?;
        let at = Landmarks {
            argc: stack.base,
            argv: argv.first().map(|s| s.addr),
            argv_null,
            envp: envp.first().map(|s| s.addr),
            envp_null,
            auxv: auxv_start,
            auxv_null,
            random: auxv::value(&auxv, auxv::AT_RANDOM),
            base_platform: auxv::value(&auxv, auxv::AT_BASE_PLATFORM),
            platform: auxv::value(&auxv, auxv::AT_PLATFORM),
            argv_strings: argv_strings.map(|s| s.start),
            env_strings: env_strings.map(|s| s.start),
            execfn: auxv::value(&auxv, auxv::AT_EXECFN),
            top: stack.end(),
        };
        Ok(Layout {
            argc,
            argv,
            envp,
            auxv,
            argv_strings,
            env_strings,
            at,
        })
    }
}

/// Finds the strings that `slots` point to, which must all be on the stack.
fn strings(stack: &Snapshot, slots: &[Slot], what: &str) -> Result<Option<Strings>, Error> {
    let Some(first) = slots.first() else {
        return Ok(None);
    };
    let mut run = Strings {
        start: first.value,
        end: first.value,
        contiguous: true,
    };
    for (i, slot) in slots.iter().enumerate() {
        let len = stack.c_str_at(slot.value).map(<[u8]>::len).ok_or_else(|| {
            format!(
                "{what}[{i}] = {:#x} is not a string on the initial stack",
                slot.value
            )
        })?;
        run.contiguous &= slot.value == run.end;
        run.end = slot.value + len as u64 + 1;
    }
    Ok(Some(run))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a stack image the way exec does (see the module comment), top first.
    fn image(top: u64, argv: &[&str], envp: &[&str], execfn: &str) -> Snapshot {
        // Work downwards from the top in a buffer indexed by `addr - low`.
        let low = top - 0x1000;
        let mut mem = vec![0u8; 0x1000];
        let mut p = top - 8;
        let mut put = |p: &mut u64, bytes: &[u8]| {
            *p -= bytes.len() as u64;
            let at = (*p - low) as usize;
            mem[at..at + bytes.len()].copy_from_slice(bytes);
            *p
        };
        let cstr = |s: &str| [s.as_bytes(), b"\0"].concat();
        let execfn_at = put(&mut p, &cstr(execfn));
        let mut env_at: Vec<u64> = envp.iter().rev().map(|s| put(&mut p, &cstr(s))).collect();
        let mut arg_at: Vec<u64> = argv.iter().rev().map(|s| put(&mut p, &cstr(s))).collect();
        env_at.reverse();
        arg_at.reverse();
        p -= 40; // arch_align_stack
        let platform_at = put(&mut p, b"x86_64\0");
        let random_at = put(&mut p, &[0xa5; 16]);
        let auxv = [
            (auxv::AT_PAGESZ, 4096),
            (auxv::AT_RANDOM, random_at),
            (auxv::AT_EXECFN, execfn_at),
            (auxv::AT_PLATFORM, platform_at),
            (auxv::AT_NULL, 0),
        ];
        // STACK_ROUND: the final sp is 16-byte aligned.
        let words = 1 + argv.len() + 1 + envp.len() + 1 + 2 * auxv.len();
        p = (p - 8 * words as u64) & !15;
        let sp = p;
        let mut word = |v: u64| {
            let at = (p - low) as usize;
            mem[at..at + 8].copy_from_slice(&v.to_ne_bytes());
            p += 8;
        };
        word(argv.len() as u64);
        arg_at.iter().for_each(|&a| word(a));
        word(0);
        env_at.iter().for_each(|&a| word(a));
        word(0);
        auxv.iter().for_each(|&(t, v)| {
            word(t);
            word(v);
        });
        Snapshot {
            base: sp,
            bytes: mem[(sp - low) as usize..].to_vec(),
        }
    }

    #[test]
    fn parses_an_image_laid_out_like_exec() {
        let stack = image(
            0x7ffd_0000_0000,
            &["./prog", "-v"],
            &["A=1", "HOME=/"],
            "./prog",
        );
        let l = Layout::parse(&stack).expect("valid layout");
        assert_eq!(l.argc, 2);
        assert!(l.at.argc.is_multiple_of(16));
        assert_eq!(l.argv.len(), 2);
        assert_eq!(l.argv[0].addr, l.at.argc + 8);
        assert_eq!(stack.c_str_at(l.argv[1].value), Some(&b"-v"[..]));
        assert_eq!(l.at.argv_null, l.at.argc + 8 * 3);
        assert_eq!(l.at.envp, Some(l.at.argv_null + 8));
        assert_eq!(stack.c_str_at(l.envp[1].value), Some(&b"HOME=/"[..]));
        assert_eq!(l.auxv.len(), 5);
        assert_eq!(l.at.auxv_null, l.at.auxv + 4 * 16);
        assert_eq!(stack.c_str_at(l.at.execfn.unwrap()), Some(&b"./prog"[..]));
        let argv_strings = l.argv_strings.unwrap();
        assert!(argv_strings.contiguous);
        assert_eq!(
            argv_strings.end - argv_strings.start,
            "./prog\0-v\0".len() as u64
        );
        let env_strings = l.env_strings.unwrap();
        assert_eq!(env_strings.start, argv_strings.end);
        assert_eq!(env_strings.end, l.at.execfn.unwrap());
        assert_eq!(l.at.top, 0x7ffd_0000_0000);
        assert_eq!(l.at.first_out_of_order(), None);
        // All but AT_BASE_PLATFORM, which x86 does not have.
        assert_eq!(l.at.in_layout_order().len(), 13);
    }

    #[test]
    fn empty_environment_and_missing_optional_parts() {
        let stack = image(0x10_0000, &[""], &[], "/bin/x");
        let l = Layout::parse(&stack).expect("valid layout");
        assert_eq!(l.envp, []);
        assert_eq!(l.at.envp, None);
        assert_eq!(l.env_strings, None);
        assert_eq!(l.at.envp_null, l.at.argv_null + 8);
        assert_eq!(l.at.first_out_of_order(), None);
        assert_eq!(l.at.base_platform, None);
    }

    #[test]
    fn reports_landmarks_out_of_order() {
        let stack = image(0x10_0000, &["a"], &["B=2"], "/bin/x");
        let mut l = Layout::parse(&stack).expect("valid layout");
        // As if a loader had put AT_RANDOM's bytes below the auxv.
        l.at.random = Some(l.at.auxv - 16);
        let ((a, _), (b, _)) = l.at.first_out_of_order().expect("out of order");
        assert_eq!((a, b), ("auxv_null", "random"));
    }

    #[test]
    fn finds_gaps_between_strings() {
        let mut stack = image(0x10_0000, &["ab", "cd"], &[], "/x");
        let l = Layout::parse(&stack).expect("valid layout");
        // Point argv[1] one byte further, at "d", leaving a hole.
        let slot = (l.argv[1].addr - stack.base) as usize;
        let moved = l.argv[1].value + 1;
        stack.bytes[slot..slot + 8].copy_from_slice(&moved.to_ne_bytes());
        let l = Layout::parse(&stack).expect("valid layout");
        assert!(!l.argv_strings.unwrap().contiguous);
    }

    #[test]
    fn rejects_broken_images() {
        let stack = image(0x10_0000, &["a"], &["B=2"], "/x");
        let l = Layout::parse(&stack).expect("valid layout");
        let poke = |addr: u64, v: u64| {
            let mut s = stack.clone();
            let at = (addr - s.base) as usize;
            s.bytes[at..at + 8].copy_from_slice(&v.to_ne_bytes());
            Layout::parse(&s)
        };
        assert!(
            poke(l.at.argc, 2).is_err(),
            "argv[2] would be envp[0], not NULL"
        );
        assert!(
            poke(l.argv[0].addr, 0x20_0000).is_err(),
            "argv[0] off the stack"
        );
        assert!(poke(l.at.argc, u64::MAX).is_err(), "argc beyond the stack");
        let truncated = Snapshot {
            base: stack.base,
            bytes: stack.bytes[..(l.at.auxv_null - stack.base) as usize].to_vec(),
        };
        assert!(Layout::parse(&truncated).is_err(), "no AT_NULL");
    }
}
