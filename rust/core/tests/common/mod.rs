// SPDX-License-Identifier: GPL-2.0

//! Fakes of the kernel side for the integration tests: an address space that
//! records the mm calls the loader makes, and a user stack backed by a byte array.

#![allow(dead_code)]

use binfmt_rs_core::effects::{AddressSpace, MmArgs, UserStack};
use binfmt_rs_core::elf::{Ehdr, ET_DYN, ET_EXEC};
use binfmt_rs_core::errno::Errno;
use binfmt_rs_core::mman::{MAP_FIXED, MAP_FIXED_NOREPLACE};
use binfmt_rs_core::phdr::{Phdr, PT_LOAD};

/// One mm call, as the loader made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    Mmap {
        addr: u64,
        len: u64,
        prot: u32,
        flags: u32,
        offset: u64,
    },
    Munmap {
        addr: u64,
        len: u64,
    },
    ClearUser {
        addr: u64,
        len: u64,
    },
    Brk {
        addr: u64,
        len: u64,
        vm_flags: u64,
    },
    Collision {
        addr: u64,
    },
}

/// An address space that grants fixed mappings where asked and puts the others
/// at `anywhere`, unless told to fail.
#[derive(Debug, Default)]
pub struct FakeVm {
    pub calls: Vec<Call>,
    /// Where a mapping without MAP_FIXED* lands.
    pub anywhere: u64,
    /// A MAP_FIXED_NOREPLACE at this address fails with -EEXIST.
    pub occupied: Option<u64>,
    /// clear_user() leaves this many bytes uncleared.
    pub clear_user_left: u64,
    /// vm_brk_flags() returns this.
    pub brk_result: i32,
}

impl FakeVm {
    pub fn placing_at(anywhere: u64) -> Self {
        FakeVm {
            anywhere,
            ..FakeVm::default()
        }
    }

    pub fn mmaps(&self) -> Vec<Call> {
        self.calls
            .iter()
            .copied()
            .filter(|c| matches!(c, Call::Mmap { .. }))
            .collect()
    }
}

impl AddressSpace for FakeVm {
    fn vm_mmap(&mut self, addr: u64, len: u64, prot: u32, flags: u32, offset: u64) -> u64 {
        self.calls.push(Call::Mmap {
            addr,
            len,
            prot,
            flags,
            offset,
        });
        if flags & MAP_FIXED_NOREPLACE != 0 && self.occupied == Some(addr) {
            return (-17i64) as u64;
        }
        if flags & (MAP_FIXED | MAP_FIXED_NOREPLACE) != 0 {
            addr
        } else {
            self.anywhere
        }
    }

    fn vm_munmap(&mut self, addr: u64, len: u64) {
        self.calls.push(Call::Munmap { addr, len });
    }

    fn clear_user(&mut self, addr: u64, len: u64) -> u64 {
        self.calls.push(Call::ClearUser { addr, len });
        self.clear_user_left
    }

    fn vm_brk_flags(&mut self, addr: u64, len: u64, vm_flags: u64) -> i32 {
        self.calls.push(Call::Brk {
            addr,
            len,
            vm_flags,
        });
        self.brk_result
    }

    fn report_segment_collision(&mut self, addr: u64) {
        self.calls.push(Call::Collision { addr });
    }
}

/// An ELF header with the fields the PT_LOAD loop reads.
pub fn ehdr(e_type: u16, e_entry: u64, e_phoff: u64, e_phnum: u16) -> Ehdr {
    Ehdr {
        magic: *b"\x7fELF",
        e_type,
        e_machine: 62,
        e_entry,
        e_phoff,
        e_phentsize: 56,
        e_phnum,
    }
}

pub const EXEC: u16 = ET_EXEC;
pub const DYN: u16 = ET_DYN;

/// The 56 bytes of an `Elf64_Phdr`.
pub fn encode(ph: &Phdr) -> Vec<u8> {
    let mut b = Vec::with_capacity(56);
    b.extend_from_slice(&ph.p_type.to_le_bytes());
    b.extend_from_slice(&ph.p_flags.to_le_bytes());
    for v in [
        ph.p_offset,
        ph.p_vaddr,
        ph.p_paddr,
        ph.p_filesz,
        ph.p_memsz,
        ph.p_align,
    ] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b
}

/// A program header table.
pub fn table(phdrs: &[Phdr]) -> Vec<u8> {
    phdrs.iter().flat_map(encode).collect()
}

/// A PT_LOAD aligned to a page.
pub fn load(flags: u32, offset: u64, vaddr: u64, filesz: u64, memsz: u64) -> Phdr {
    Phdr {
        p_type: PT_LOAD,
        p_flags: flags,
        p_offset: offset,
        p_vaddr: vaddr,
        p_paddr: vaddr,
        p_filesz: filesz,
        p_memsz: memsz,
        p_align: 0x1000,
    }
}

/// A user stack: `[top - bytes.len(), top)`, zero-filled, with a log of the
/// word writes.
#[derive(Debug)]
pub struct FakeStack {
    pub top: u64,
    pub bytes: Vec<u8>,
    pub extended_to: Option<u64>,
    pub fail_extend: bool,
    pub words_written: usize,
    /// A word address where `put_user()` faults, as on a page that is gone.
    pub fault_word_at: Option<u64>,
    /// What `create_elf_tables()` set of `mm->arg_end`, `env_start`, `env_end`.
    pub mm_args: Option<MmArgs>,
}

impl FakeStack {
    pub fn new(top: u64, size: usize) -> Self {
        FakeStack {
            top,
            bytes: vec![0; size],
            extended_to: None,
            fail_extend: false,
            words_written: 0,
            fault_word_at: None,
            mm_args: None,
        }
    }

    pub fn bottom(&self) -> u64 {
        self.top - self.bytes.len() as u64
    }

    fn range(&self, addr: u64, len: usize) -> Option<std::ops::Range<usize>> {
        let start = usize::try_from(addr.checked_sub(self.bottom())?).ok()?;
        let end = start.checked_add(len)?;
        (end <= self.bytes.len()).then_some(start..end)
    }

    /// Places `s` at `addr`, as exec's copy_strings() would have.
    pub fn place(&mut self, addr: u64, s: &[u8]) {
        let r = self
            .range(addr, s.len())
            .expect("string inside the fake stack");
        self.bytes[r].copy_from_slice(s);
    }

    pub fn read(&self, addr: u64, len: usize) -> &[u8] {
        &self.bytes[self.range(addr, len).expect("read inside the fake stack")]
    }

    pub fn word(&self, addr: u64) -> u64 {
        u64::from_le_bytes(self.read(addr, 8).try_into().unwrap())
    }
}

impl UserStack for FakeStack {
    fn copy_bytes(&mut self, addr: u64, bytes: &[u8]) -> Result<(), Errno> {
        let r = self.range(addr, bytes.len()).ok_or(Errno::Fault)?;
        self.bytes[r].copy_from_slice(bytes);
        Ok(())
    }

    fn copy_words(&mut self, addr: u64, words: &[u64]) -> Result<(), Errno> {
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        self.copy_bytes(addr, &bytes)
    }

    fn put_words(&mut self, addr: u64, words: &[u64]) -> usize {
        for (i, word) in words.iter().enumerate() {
            let at = addr + 8 * i as u64;
            if self.fault_word_at == Some(at) || self.copy_bytes(at, &word.to_le_bytes()).is_err() {
                return i;
            }
            self.words_written += 1;
        }
        words.len()
    }

    fn set_mm_args(&mut self, args: &MmArgs) {
        assert!(self.mm_args.is_none(), "set_mm_args() called twice");
        self.mm_args = Some(*args);
    }

    fn extend_to(&mut self, addr: u64) -> Result<(), Errno> {
        if self.fail_extend {
            return Err(Errno::Fault);
        }
        self.extended_to = Some(addr);
        Ok(())
    }

    fn strnlen(&mut self, addr: u64) -> u64 {
        let Some(start) = self.range(addr, 0).map(|r| r.start) else {
            return 0;
        };
        let max = 32 * 4096;
        match self.bytes[start..].iter().take(max).position(|&b| b == 0) {
            Some(n) => n as u64 + 1,
            None if self.bytes.len() - start >= max => max as u64 + 1,
            // Ran off the end of the mapping: strnlen_user() faults.
            None => 0,
        }
    }
}
