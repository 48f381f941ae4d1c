//! The auxiliary vector: tag names, how each value is best shown, and parsing of its
//! raw form.
//!
//! The kernel builds the vector once per exec, in `create_elf_tables`
//! (fs/binfmt_elf.c), into `mm->saved_auxv`, and copies that same array to the new
//! stack just above envp's NULL. /proc/PID/auxv (`auxv_read` in fs/proc/base.c) hands
//! out `mm->saved_auxv` up to and including the AT_NULL pair. Both copies are arrays of
//! native-endian `(u64 tag, u64 value)` pairs, so one parser serves both.

/// Size of one `Elf64_auxv_t`: two 64-bit words.
pub const ENTRY_SIZE: usize = 16;

pub const AT_NULL: u64 = 0;
pub const AT_PHDR: u64 = 3;
pub const AT_PHENT: u64 = 4;
pub const AT_PHNUM: u64 = 5;
pub const AT_PAGESZ: u64 = 6;
pub const AT_BASE: u64 = 7;
pub const AT_ENTRY: u64 = 9;
pub const AT_PLATFORM: u64 = 15;
pub const AT_HWCAP: u64 = 16;
pub const AT_BASE_PLATFORM: u64 = 24;
/// The i386 system call entry, `__kernel_vsyscall` in the 32-bit vDSO.
#[cfg(target_arch = "x86_64")]
pub const AT_SYSINFO: u64 = 32;
pub const AT_RANDOM: u64 = 25;
pub const AT_HWCAP2: u64 = 26;
pub const AT_EXECFN: u64 = 31;
pub const AT_SYSINFO_EHDR: u64 = 33;

/// Length of the block AT_RANDOM points to (`k_rand_bytes` in `create_elf_tables`).
pub const RANDOM_LEN: usize = 16;

/// One `(tag, value)` pair, as the kernel stored it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub tag: u64,
    pub value: u64,
}

/// What a value is, and so how it reads best: addresses and bit masks in hex; sizes,
/// counts and ids in decimal; a few are pointers to data on the new stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An address in the new process, which ASLR moves.
    Address,
    /// A bit mask.
    Mask,
    Decimal,
    /// Points to a NUL-terminated string that the kernel copied to the stack.
    CString,
    /// Points to the `RANDOM_LEN` random bytes that the kernel copied to the stack.
    RandomBytes,
}

/// Every tag of include/uapi/linux/auxvec.h and arch/x86/include/uapi/asm/auxvec.h in
/// Linux 6.12. On x86-64, `create_elf_tables` emits most of them, ARCH_DLINFO
/// (arch/x86/include/asm/elf.h) adds AT_SYSINFO_EHDR and AT_MINSIGSTKSZ first, and a
/// few are never emitted for a native 64-bit process (AT_IGNORE, AT_NOTELF,
/// AT_HWCAP3/4, AT_SYSINFO, which only the ia32 ARCH_DLINFO emits); they are named so
/// that another loader emitting them shows up readably. arm64's own tags
/// (arch/arm64/include/uapi/asm/auxvec.h) are the same two, AT_SYSINFO_EHDR (33) and
/// AT_MINSIGSTKSZ (51), which its ARCH_DLINFO (arch/arm64/include/asm/elf.h) emits;
/// AT_HWCAP and AT_HWCAP2 carry arm64's HWCAP_* and HWCAP2_* bits there (hwcap.rs).
const TAGS: &[(u64, &str, Kind)] = &[
    (AT_NULL, "AT_NULL", Kind::Mask),
    (1, "AT_IGNORE", Kind::Mask),
    // Only with binfmt_misc's open-binary flag (`bprm->have_execfd`).
    (2, "AT_EXECFD", Kind::Decimal),
    (AT_PHDR, "AT_PHDR", Kind::Address),
    (AT_PHENT, "AT_PHENT", Kind::Decimal),
    (AT_PHNUM, "AT_PHNUM", Kind::Decimal),
    (AT_PAGESZ, "AT_PAGESZ", Kind::Decimal),
    // Load address of the interpreter; 0 for a program without PT_INTERP.
    (AT_BASE, "AT_BASE", Kind::Address),
    (8, "AT_FLAGS", Kind::Mask),
    (AT_ENTRY, "AT_ENTRY", Kind::Address),
    (10, "AT_NOTELF", Kind::Decimal),
    (11, "AT_UID", Kind::Decimal),
    (12, "AT_EUID", Kind::Decimal),
    (13, "AT_GID", Kind::Decimal),
    (14, "AT_EGID", Kind::Decimal),
    (AT_PLATFORM, "AT_PLATFORM", Kind::CString),
    (AT_HWCAP, "AT_HWCAP", Kind::Mask),
    (17, "AT_CLKTCK", Kind::Decimal),
    (23, "AT_SECURE", Kind::Decimal),
    (AT_BASE_PLATFORM, "AT_BASE_PLATFORM", Kind::CString),
    (AT_RANDOM, "AT_RANDOM", Kind::RandomBytes),
    (AT_HWCAP2, "AT_HWCAP2", Kind::Mask),
    (27, "AT_RSEQ_FEATURE_SIZE", Kind::Decimal),
    (28, "AT_RSEQ_ALIGN", Kind::Decimal),
    (29, "AT_HWCAP3", Kind::Mask),
    (30, "AT_HWCAP4", Kind::Mask),
    (AT_EXECFN, "AT_EXECFN", Kind::CString),
    (32, "AT_SYSINFO", Kind::Address),
    (AT_SYSINFO_EHDR, "AT_SYSINFO_EHDR", Kind::Address),
    (51, "AT_MINSIGSTKSZ", Kind::Decimal),
];

fn lookup(tag: u64) -> Option<(&'static str, Kind)> {
    TAGS.iter()
        .find(|&&(t, _, _)| t == tag)
        .map(|&(_, name, kind)| (name, kind))
}

/// The AT_* name of `tag`, or `None` for a tag Linux 6.12 does not define.
pub fn name(tag: u64) -> Option<&'static str> {
    lookup(tag).map(|(name, _)| name)
}

/// The AT_* name of `tag`, or its number for a tag Linux 6.12 does not define.
pub fn name_or_number(tag: u64) -> String {
    name(tag).map_or_else(|| tag.to_string(), str::to_owned)
}

/// What the value of `tag` is; values of unknown tags are shown in hex, as masks.
pub fn kind(tag: u64) -> Kind {
    lookup(tag).map_or(Kind::Mask, |(_, kind)| kind)
}

/// Whether ASLR moves the value of `tag`: addresses, and pointers to the stack.
pub fn moved_by_aslr(tag: u64) -> bool {
    matches!(kind(tag), Kind::Address | Kind::CString | Kind::RandomBytes)
}

/// The names of the bits set in an AT_HWCAP or AT_HWCAP2 value, `None` for other tags.
pub fn flags(tag: u64, value: u64) -> Option<Vec<String>> {
    match tag {
        AT_HWCAP => Some(crate::parse::hwcap::decode(
            value,
            &crate::parse::hwcap::HWCAP,
        )),
        AT_HWCAP2 => Some(crate::parse::hwcap::decode(
            value,
            &crate::parse::hwcap::HWCAP2,
        )),
        _ => None,
    }
}

/// Why a byte string is not an auxiliary vector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The bytes end without an AT_NULL entry (possibly in the middle of one).
    NoAtNull { len: usize },
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::NoAtNull { len } => {
                write!(f, "no AT_NULL entry in {len} bytes of auxiliary vector")
            }
        }
    }
}

impl From<ParseError> for crate::error::Error {
    fn from(e: ParseError) -> Self {
        crate::error::Error::new(e)
    }
}

/// Parses native-endian `(tag, value)` pairs up to and including the first AT_NULL.
///
/// Whatever follows AT_NULL is ignored: older kernels returned all of `saved_auxv`
/// from /proc/PID/auxv, zero padding included, and on the stack the bytes after
/// AT_NULL are the random bytes and strings.
pub fn parse(bytes: &[u8]) -> Result<Vec<Entry>, ParseError> {
    parse_words(bytes, ENTRY_SIZE / 2)
}

/// [`parse`] for words of `word` bytes: 8 for a 64-bit process, 4 for an i386
/// one, whose `elf_addr_t` is 32 bits (fs/compat_binfmt_elf.c) in
/// /proc/PID/auxv as on its stack.
pub fn parse_words(bytes: &[u8], word: usize) -> Result<Vec<Entry>, ParseError> {
    let mut entries = Vec::new();
    for pair in bytes.chunks_exact(2 * word) {
        let (tag, value) = pair.split_at(word);
        let entry = Entry {
            tag: word_of(tag),
            value: word_of(value),
        };
        entries.push(entry);
        if entry.tag == AT_NULL {
            return Ok(entries);
        }
    }
    Err(ParseError::NoAtNull { len: bytes.len() })
}

/// A native-endian word of 4 or 8 bytes, zero-extended.
fn word_of(bytes: &[u8]) -> u64 {
    let mut buf = [0; 8];
    if bytes.len() == 4 {
        let mut w = [0; 4];
        w.copy_from_slice(bytes);
        return u64::from(u32::from_ne_bytes(w));
    }
    buf.copy_from_slice(bytes);
    u64::from_ne_bytes(buf)
}

/// The value of the first entry with `tag`, as libc's getauxval(3) would find it.
pub fn value(entries: &[Entry], tag: u64) -> Option<u64> {
    entries.iter().find(|e| e.tag == tag).map(|e| e.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(pairs: &[(u64, u64)]) -> Vec<u8> {
        pairs
            .iter()
            .flat_map(|&(t, v)| t.to_ne_bytes().into_iter().chain(v.to_ne_bytes()))
            .collect()
    }

    /// The start of the /proc/self/auxv of `cat` on an x86-64 6.18 host, cut after
    /// AT_PAGESZ, then AT_NULL and the zero padding older kernels appended.
    #[test]
    fn parses_a_real_vector_and_stops_at_at_null() {
        let bytes = raw(&[
            (0x21, 0x7fa8_87b0_1000),
            (0x33, 0xd30),
            (0x10, 0x178b_fbff),
            (0x06, 0x1000),
            (0, 0),
            (0, 0),
            (0, 0),
        ]);
        let entries = parse(&bytes).expect("has AT_NULL");
        assert_eq!(entries.len(), 5);
        assert_eq!(name(entries[0].tag), Some("AT_SYSINFO_EHDR"));
        let hwcap = flags(entries[2].tag, entries[2].value).expect("AT_HWCAP");
        // Bit 0: X86_FEATURE_FPU, arm64's HWCAP_FP.
        let fpu = if cfg!(target_arch = "x86_64") {
            "fpu"
        } else {
            "fp"
        };
        assert_eq!(hwcap.first().map(String::as_str), Some(fpu));
        assert_eq!(flags(AT_PAGESZ, 4096), None);
        assert_eq!(name(entries[1].tag), Some("AT_MINSIGSTKSZ"));
        assert_eq!(value(&entries, AT_PAGESZ), Some(4096));
        assert_eq!(
            entries[4],
            Entry {
                tag: AT_NULL,
                value: 0
            }
        );
    }

    #[test]
    fn ignores_what_follows_at_null() {
        let mut bytes = raw(&[(AT_PAGESZ, 4096), (AT_NULL, 0)]);
        bytes.extend_from_slice(b"x86_64\0 and then some strings");
        assert_eq!(parse(&bytes).map(|e| e.len()), Ok(2));
    }

    #[test]
    fn rejects_a_vector_without_at_null() {
        let bytes = raw(&[(AT_PAGESZ, 4096), (AT_PHENT, 56)]);
        assert_eq!(parse(&bytes), Err(ParseError::NoAtNull { len: 32 }));
        // A truncated AT_NULL pair is no AT_NULL either.
        assert_eq!(parse(&bytes[..24]), Err(ParseError::NoAtNull { len: 24 }));
        assert_eq!(parse(&[]), Err(ParseError::NoAtNull { len: 0 }));
    }

    #[test]
    fn names_and_kinds() {
        assert_eq!(name(AT_EXECFN), Some("AT_EXECFN"));
        assert_eq!(name(51), Some("AT_MINSIGSTKSZ"));
        assert_eq!(name(30), Some("AT_HWCAP4"));
        assert_eq!(name(18), None, "18..=22 are reserved");
        assert_eq!(name(52), None);
        assert_eq!(kind(AT_PAGESZ), Kind::Decimal);
        assert_eq!(kind(AT_RANDOM), Kind::RandomBytes);
        assert_eq!(kind(AT_BASE_PLATFORM), Kind::CString);
        assert_eq!(kind(AT_ENTRY), Kind::Address);
        assert_eq!(kind(AT_HWCAP), Kind::Mask);
        assert_eq!(kind(1000), Kind::Mask);
        assert!(moved_by_aslr(AT_SYSINFO_EHDR) && moved_by_aslr(AT_EXECFN));
        assert!(!moved_by_aslr(AT_PAGESZ) && !moved_by_aslr(AT_HWCAP));
    }

    #[test]
    fn tag_table_has_no_duplicates() {
        for (i, a) in TAGS.iter().enumerate() {
            for b in &TAGS[i + 1..] {
                assert_ne!(a.0, b.0, "{} and {}", a.1, b.1);
                assert_ne!(a.1, b.1);
            }
        }
        assert_eq!(TAGS.len(), 30);
    }
}
