//! The kernel's own record of the initial stack: the `mm_struct` fields that
//! `create_elf_tables` (fs/binfmt_elf.c) and `load_elf_binary` set while laying it
//! out, as /proc/PID/stat prints them (`do_task_stat`, fs/proc/array.c).

use crate::error::Error;
use serde::Serialize;

/// Where the kernel says the initial stack pointer and the argv and envp strings are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StackRecord {
    /// `mm->start_stack`: `bprm->p` after `create_elf_tables`, i.e. the address of argc.
    pub start_stack: u64,
    /// `mm->arg_start`..`mm->arg_end`: the argv strings.
    pub arg_start: u64,
    pub arg_end: u64,
    /// `mm->env_start`..`mm->env_end`: the envp strings.
    pub env_start: u64,
    pub env_end: u64,
}

/// Field numbers of proc_pid_stat(5), counted from 1.
const START_STACK: usize = 28;
const ARG_START: usize = 48;
const ARG_END: usize = 49;
const ENV_START: usize = 50;
const ENV_END: usize = 51;

/// Parses the text of /proc/PID/stat.
///
/// The fields are zero when the reader may not ptrace the process
/// (`ptrace_may_access` in `do_task_stat`); that never happens for /proc/self.
pub fn parse_stat(text: &str) -> Result<StackRecord, Error> {
    // Field 2 is the command name in parentheses, and the name may hold spaces and
    // parentheses itself: the fields proper start after the last ')', at field 3.
    let after_comm = text
        .rfind(')')
        .map(|i| &text[i + 1..])
        .ok_or("no ')' after the command name")?;
    let fields: Vec<&str> = after_comm.split_ascii_whitespace().collect();
    let field = |n: usize| -> Result<u64, Error> {
        let s = fields
            .get(n - 3)
            .ok_or_else(|| format!("only {} fields, wanted field {n}", fields.len() + 2))?;
        s.parse()
            .map_err(|_| format!("field {n} is not a number: {s:?}"))
            .map_err(Error::new)
    };
    Ok(StackRecord {
        start_stack: field(START_STACK)?,
        arg_start: field(ARG_START)?,
        arg_end: field(ARG_END)?,
        env_start: field(ENV_START)?,
        env_end: field(ENV_END)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// /proc/self/stat of `cat` on an x86-64 6.18 host.
    const REAL: &str = "21492 (cat) R 21351 21351 12645 0 -1 4194304 120 0 1 0 0 0 0 0 20 0 \
        1 0 55429 3133440 378 18446744073709551615 94874395394048 94874395413929 \
        140728645092240 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 94874395429936 94874395431552 \
        94875432042496 140728645094106 140728645094126 140728645094126 140728645095403 0\n";

    #[test]
    fn parses_a_real_stat_line() {
        let r = parse_stat(REAL).expect("valid stat");
        assert_eq!(
            r,
            StackRecord {
                start_stack: 140728645092240,
                arg_start: 140728645094106,
                arg_end: 140728645094126,
                env_start: 140728645094126,
                env_end: 140728645095403,
            }
        );
        // create_elf_tables puts the env strings right after the argv strings.
        assert_eq!(r.arg_end, r.env_start);
    }

    #[test]
    fn command_names_may_hold_spaces_and_parentheses() {
        let tricky = REAL.replacen("(cat)", "(a) b (c))", 1);
        assert_eq!(parse_stat(&tricky), parse_stat(REAL));
    }

    #[test]
    fn rejects_short_or_garbled_lines() {
        assert!(parse_stat("1 (x) R 0 0").is_err());
        assert!(parse_stat("no parentheses").is_err());
        let garbled = REAL.replacen("140728645094106", "0x7ffd", 1);
        assert_eq!(
            parse_stat(&garbled),
            Err(Error::new("field 48 is not a number: \"0x7ffd\""))
        );
    }
}
