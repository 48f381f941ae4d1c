//! A copy of the initial stack, as gather/stack.rs takes it: the bytes the
//! parsers read.

/// A copy of the initial stack, from argc up to the end of the stack VMA.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Address of `bytes[0]`: the initial stack pointer.
    pub base: u64,
    pub bytes: Vec<u8>,
}

impl Snapshot {
    /// The address one past the last byte: the top of the stack VMA.
    pub fn end(&self) -> u64 {
        self.base + self.bytes.len() as u64
    }

    /// The bytes from `addr` to the end of the snapshot.
    pub fn tail_at(&self, addr: u64) -> Option<&[u8]> {
        let offset = usize::try_from(addr.checked_sub(self.base)?).ok()?;
        self.bytes.get(offset..)
    }

    /// The `len` bytes at `addr`.
    pub fn bytes_at(&self, addr: u64, len: usize) -> Option<&[u8]> {
        self.tail_at(addr)?.get(..len)
    }

    /// The native-endian word at `addr`.
    pub fn word_at(&self, addr: u64) -> Option<u64> {
        let bytes = self.bytes_at(addr, 8)?;
        Some(u64::from_ne_bytes(bytes.try_into().ok()?))
    }

    /// The NUL-terminated string at `addr`, without its NUL.
    pub fn c_str_at(&self, addr: u64) -> Option<&[u8]> {
        let tail = self.tail_at(addr)?;
        tail.iter().position(|&b| b == 0).map(|nul| &tail[..nul])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessors_stay_inside_the_copy() {
        let mut bytes = 0x1122_3344_5566_7788_u64.to_ne_bytes().to_vec();
        bytes.extend_from_slice(b"ab\0cd");
        let s = Snapshot {
            base: 0x1000,
            bytes,
        };
        assert_eq!(s.end(), 0x100d);
        assert_eq!(s.word_at(0x1000), Some(0x1122_3344_5566_7788));
        assert_eq!(s.word_at(0x1008), None, "only 5 bytes left");
        assert_eq!(s.word_at(0xff8), None);
        assert_eq!(s.c_str_at(0x1008), Some(&b"ab"[..]));
        assert_eq!(s.c_str_at(0x100a), Some(&b""[..]));
        assert_eq!(s.c_str_at(0x100b), None, "no NUL before the end");
        assert_eq!(s.bytes_at(0x100b, 2), Some(&b"cd"[..]));
        assert_eq!(s.bytes_at(0x100b, 3), None);
        assert_eq!(s.tail_at(0x100d), Some(&[][..]));
        assert_eq!(s.tail_at(0x100e), None);
    }
}
