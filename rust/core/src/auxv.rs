// SPDX-License-Identifier: GPL-2.0

//! The auxiliary vector, as `create_elf_tables()` builds it in `mm->saved_auxv`
//! (BE:224-283), of `elf_addr_t` words: 8 bytes for binfmt_elf, 4 for
//! compat_binfmt_elf, whose `mm->saved_auxv` holds twice as many in the same bytes.
//!
//! C headers: include/uapi/linux/auxvec.h, arch/x86/include/uapi/asm/auxvec.h,
//! arch/arm64/include/uapi/asm/auxvec.h, include/linux/auxvec.h,
//! include/linux/mm_types.h (`AT_VECTOR_SIZE`); the arches' `ARCH_DLINFO` are
//! their [`Abi::dlinfo`](super::arch::Abi::dlinfo).

use super::arch::{CLOCKS_PER_SEC, ELF_EXEC_PAGESIZE};
use super::class::{ElfClass, Word};

/// `AT_NULL`: end of the vector.
pub const AT_NULL: u64 = 0;
/// `AT_IGNORE`: entry to ignore (arm64's `ARCH_DLINFO` when
/// `signal_minsigstksz` is 0).
pub const AT_IGNORE: u64 = 1;
/// `AT_EXECFD`: file descriptor of the program (binfmt_misc `O` flag only).
pub const AT_EXECFD: u64 = 2;
/// `AT_PHDR`: address of the program headers.
pub const AT_PHDR: u64 = 3;
/// `AT_PHENT`: size of one program header.
pub const AT_PHENT: u64 = 4;
/// `AT_PHNUM`: number of program headers.
pub const AT_PHNUM: u64 = 5;
/// `AT_PAGESZ`: page size.
pub const AT_PAGESZ: u64 = 6;
/// `AT_BASE`: load address of the interpreter.
pub const AT_BASE: u64 = 7;
/// `AT_FLAGS`: `AT_FLAGS_PRESERVE_ARGV0` or 0.
pub const AT_FLAGS: u64 = 8;
/// `AT_ENTRY`: the program's entry point.
pub const AT_ENTRY: u64 = 9;
/// `AT_NOTELF`: program is not ELF (never emitted).
pub const AT_NOTELF: u64 = 10;
/// `AT_UID`: real uid.
pub const AT_UID: u64 = 11;
/// `AT_EUID`: effective uid.
pub const AT_EUID: u64 = 12;
/// `AT_GID`: real gid.
pub const AT_GID: u64 = 13;
/// `AT_EGID`: effective gid.
pub const AT_EGID: u64 = 14;
/// `AT_PLATFORM`: address of the platform string.
pub const AT_PLATFORM: u64 = 15;
/// `AT_HWCAP`: CPUID.1:EDX on x86.
pub const AT_HWCAP: u64 = 16;
/// `AT_CLKTCK`: `times()` frequency.
pub const AT_CLKTCK: u64 = 17;
/// `AT_SECURE`: secure-execution mode.
pub const AT_SECURE: u64 = 23;
/// `AT_BASE_PLATFORM`: never emitted on x86 (no `ELF_BASE_PLATFORM`).
pub const AT_BASE_PLATFORM: u64 = 24;
/// `AT_RANDOM`: address of 16 random bytes.
pub const AT_RANDOM: u64 = 25;
/// `AT_HWCAP2`: `elf_hwcap2` on x86.
pub const AT_HWCAP2: u64 = 26;
/// `AT_RSEQ_FEATURE_SIZE`: the rseq feature size.
pub const AT_RSEQ_FEATURE_SIZE: u64 = 27;
/// `AT_RSEQ_ALIGN`: the rseq alignment.
pub const AT_RSEQ_ALIGN: u64 = 28;
/// `AT_HWCAP3`: defined in 6.12's uapi but never emitted by 6.12.
pub const AT_HWCAP3: u64 = 29;
/// `AT_HWCAP4`: defined in 6.12's uapi but never emitted by 6.12.
pub const AT_HWCAP4: u64 = 30;
/// `AT_EXECFN`: address of the file name on the stack.
pub const AT_EXECFN: u64 = 31;
/// `AT_SYSINFO`: the vDSO's `__kernel_vsyscall`, for i386 programs
/// (arch/x86/include/asm/elf.h).
pub const AT_SYSINFO: u64 = 32;
/// `AT_SYSINFO_EHDR`: address of the vDSO.
pub const AT_SYSINFO_EHDR: u64 = 33;
/// `AT_MINSIGSTKSZ`: minimal signal stack size.
pub const AT_MINSIGSTKSZ: u64 = 51;

/// `AT_FLAGS_PRESERVE_ARGV0` (include/uapi/linux/binfmts.h).
pub const AT_FLAGS_PRESERVE_ARGV0: u64 = 1;
/// `offsetof(struct rseq, end)` (include/uapi/linux/rseq.h): six 32-bit and one
/// 64-bit field, 4+4+8+4+4+4 = 28 bytes.
pub const RSEQ_FEATURE_SIZE: u64 = 28;
/// `__alignof__(struct rseq)`: `aligned(4 * sizeof(__u64))`.
pub const RSEQ_ALIGN: u64 = 32;

/// `AT_VECTOR_SIZE_BASE` (include/linux/auxvec.h).
const AT_VECTOR_SIZE_BASE: usize = 22;

/// `AT_VECTOR_SIZE` (include/linux/mm_types.h), the longs in `mm->saved_auxv`:
/// `2 * (AT_VECTOR_SIZE_ARCH + AT_VECTOR_SIZE_BASE + 1)`. `AT_VECTOR_SIZE_ARCH`
/// is 3 on x86_64 with `CONFIG_IA32_EMULATION` and 2 without
/// (arch/x86/include/uapi/asm/auxvec.h), 2 on arm64
/// (arch/arm64/include/uapi/asm/auxvec.h). The glue takes the kernel's own value;
/// this one is checked against it.
pub const fn at_vector_size(at_vector_size_arch: usize) -> usize {
    2 * (at_vector_size_arch + AT_VECTOR_SIZE_BASE + 1)
}

/// `AT_VECTOR_SIZE` of an x86_64 kernel with `CONFIG_IA32_EMULATION`, 52: the
/// size the host tests use.
pub const AT_VECTOR_SIZE: usize = at_vector_size(3);

/// The most entries `ARCH_DLINFO` emits on either arch: `ARCH_DLINFO_IA32`'s
/// three.
pub const ARCH_DLINFO_MAX: usize = 3;

/// The most entries 6.12 emits, AT_NULL included: ARCH_DLINFO's, the sixteen
/// unconditional base entries, AT_HWCAP2, AT_PLATFORM, AT_EXECFD, the two rseq
/// entries and AT_NULL.
const MAX_ENTRIES: usize = ARCH_DLINFO_MAX + 16 + 1 + 1 + 1 + 2 + 1;
// Within the smallest AT_VECTOR_SIZE_ARCH of the two arches, 2.
const _: () = assert!(2 * MAX_ENTRIES <= at_vector_size(2));

/// The entries an arch's `ARCH_DLINFO` (`COMPAT_ARCH_DLINFO`) puts first, in its
/// order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArchDlinfo {
    entries: [(u64, u64); ARCH_DLINFO_MAX],
    len: usize,
}

impl ArchDlinfo {
    /// `NEW_AUX_ENT(id, value)`; past [`ARCH_DLINFO_MAX`] entries (no arch has
    /// more) it is ignored.
    #[inline(always)]
    pub fn push(&mut self, id: u64, value: u64) {
        if let Some(slot) = self.entries.get_mut(self.len) {
            *slot = (id, value);
            self.len += 1;
        }
    }

    /// The entries, in order.
    #[inline(always)]
    pub fn entries(&self) -> &[(u64, u64)] {
        self.entries.get(..self.len).unwrap_or(&self.entries)
    }
}

/// The values of the auxv entries that come from outside the stack layout.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AuxvFacts {
    /// `ARCH_DLINFO`'s entries ([`Abi::dlinfo`](super::arch::Abi::dlinfo)).
    pub arch_dlinfo: ArchDlinfo,
    /// `ELF_HWCAP`: `boot_cpu_data.x86_capability[CPUID_1_EDX]` on x86,
    /// `cpu_get_elf_hwcap()` on arm64, `compat_elf_hwcap` for AArch32.
    pub hwcap: u64,
    /// `ELF_HWCAP2`: `elf_hwcap2` on x86, `cpu_get_elf_hwcap2()` on arm64,
    /// `compat_elf_hwcap2` for AArch32. Both arches define the macro, so the entry
    /// is always emitted, even when the value is 0.
    pub hwcap2: u64,
    /// `phdr_addr`, biased.
    pub phdr: u64,
    /// `e_phnum`.
    pub phnum: u16,
    /// `interp_load_addr`: 0 without an interpreter.
    pub base: u64,
    /// `bprm->interp_flags & BINPRM_FLAGS_PRESERVE_ARGV0`.
    pub preserve_argv0: bool,
    /// The program's biased `e_entry`, even with an interpreter.
    pub entry: u64,
    /// `AT_UID`, `AT_EUID`, `AT_GID` and `AT_EGID`:
    /// `from_kuid_munged(cred->user_ns, cred->uid)`, then of `cred->euid`, and
    /// `from_kgid_munged()` of `cred->gid` and `cred->egid`.
    pub ids: [u32; 4],
    /// `bprm->secureexec`.
    pub secure: bool,
    /// `bprm->exec`: where the file name was copied on the stack.
    pub execfn: u64,
    /// `bprm->execfd` if `bprm->have_execfd`.
    pub execfd: Option<i32>,
    /// `CONFIG_RSEQ` of the kernel: the rseq entries are emitted.
    pub rseq: bool,
}

/// The array `create_elf_tables()` builds the auxiliary vector in, as words `W`
/// (`elf_addr_t`): `mm->saved_auxv` in the module, which /proc/PID/auxv and core
/// dumps read, an array in tests.
///
/// The module's implementation writes the mm's array through a raw pointer, word
/// by word as the C does: a reader of /proc/PID/auxv may read it meanwhile
/// (`setup_new_exec()` has dropped `exec_update_lock`), so no `&mut` to it may
/// exist.
pub trait SavedAuxv<W: Word> {
    /// Its length in words: `AT_VECTOR_SIZE` longs' worth.
    const WORDS: usize;

    /// Sets word `index`; an index past the end is ignored.
    fn set(&mut self, index: usize, word: W);

    /// Zeroes the words from `from` to the end: the C's `memset()`, which also
    /// writes `AT_NULL`.
    fn clear_from(&mut self, from: usize);

    /// The first `len` words (all of them when `len` is larger), which
    /// `create_elf_tables()` copies to the stack.
    fn words(&self, len: usize) -> &[W];
}

impl<W: Word, const N: usize> SavedAuxv<W> for [W; N] {
    const WORDS: usize = N;

    fn set(&mut self, index: usize, word: W) {
        if let Some(slot) = self.get_mut(index) {
            *slot = word;
        }
    }

    fn clear_from(&mut self, from: usize) {
        for word in self.iter_mut().skip(from) {
            *word = W::default();
        }
    }

    fn words(&self, len: usize) -> &[W] {
        self.get(..len).unwrap_or(self)
    }
}

/// Appends `(id, value)` pairs to `saved_auxv`, like `NEW_AUX_ENT()`, each stored
/// in an `elf_addr_t` `W` (truncated, for compat).
struct AuxWriter<'a, W: Word, S: SavedAuxv<W>> {
    saved: &'a mut S,
    words: usize,
    word: core::marker::PhantomData<W>,
}

impl<W: Word, S: SavedAuxv<W>> AuxWriter<'_, W, S> {
    #[inline(always)]
    fn push(&mut self, id: u64, value: u64) {
        // Never full: MAX_ENTRIES pairs fit, checked at compile time below.
        for word in [id, value] {
            if self.words < S::WORDS {
                self.saved.set(self.words, W::from_ulong(word));
                self.words += 1;
            }
        }
    }
}

/// Fills `saved_auxv` as the `create_elf_tables()` of class `C` fills
/// `mm->saved_auxv`, zeroes the rest of it (the `memset`,
/// which also writes AT_NULL), and returns `ei_index`: the words to copy to the
/// stack, AT_NULL's pair included. The order is 6.12's on both arches.
///
/// `u_rand_bytes` and `u_platform` are the stack addresses `create_elf_tables()`
/// chose for the random bytes and the platform string (`None` without one).
#[inline(always)]
pub fn fill_saved_auxv<C: ElfClass, S: SavedAuxv<C::Word>>(
    facts: &AuxvFacts,
    u_rand_bytes: u64,
    u_platform: Option<u64>,
    saved_auxv: &mut S,
) -> usize {
    const { assert!(2 * MAX_ENTRIES <= S::WORDS) };
    let mut aux = AuxWriter {
        saved: saved_auxv,
        words: 0,
        word: core::marker::PhantomData,
    };
    // ARCH_DLINFO (COMPAT_ARCH_DLINFO) comes first (BE:232-240).
    for &(id, value) in facts.arch_dlinfo.entries() {
        aux.push(id, value);
    }
    // At most ARCH_DLINFO_MAX pairs so far: said so, the compiler drops the
    // bounds checks of the pushes below (MAX_ENTRIES pairs fit in any vector).
    aux.words = aux.words.min(2 * ARCH_DLINFO_MAX);
    aux.push(AT_HWCAP, facts.hwcap);
    aux.push(AT_PAGESZ, ELF_EXEC_PAGESIZE);
    aux.push(AT_CLKTCK, CLOCKS_PER_SEC);
    aux.push(AT_PHDR, facts.phdr);
    aux.push(AT_PHENT, C::PHDR_SIZE as u64);
    aux.push(AT_PHNUM, u64::from(facts.phnum));
    aux.push(AT_BASE, facts.base);
    let flags = if facts.preserve_argv0 {
        AT_FLAGS_PRESERVE_ARGV0
    } else {
        0
    };
    aux.push(AT_FLAGS, flags);
    aux.push(AT_ENTRY, facts.entry);
    let [uid, euid, gid, egid] = facts.ids;
    aux.push(AT_UID, u64::from(uid));
    aux.push(AT_EUID, u64::from(euid));
    aux.push(AT_GID, u64::from(gid));
    aux.push(AT_EGID, u64::from(egid));
    aux.push(AT_SECURE, u64::from(facts.secure));
    aux.push(AT_RANDOM, u_rand_bytes);
    // `#ifdef ELF_HWCAP2`: a compile-time test, and both arches define it.
    aux.push(AT_HWCAP2, facts.hwcap2);
    aux.push(AT_EXECFN, facts.execfn);
    if let Some(platform) = u_platform {
        aux.push(AT_PLATFORM, platform);
    }
    if let Some(fd) = facts.execfd {
        // An int stored in an elf_addr_t: sign-extended (to 32 bits for compat).
        aux.push(AT_EXECFD, fd as i64 as u64);
    }
    // #ifdef CONFIG_RSEQ.
    if facts.rseq {
        aux.push(AT_RSEQ_FEATURE_SIZE, RSEQ_FEATURE_SIZE);
        aux.push(AT_RSEQ_ALIGN, RSEQ_ALIGN);
    }

    let used = aux.words;
    // "AT_NULL is zero; clear the rest too", then step past AT_NULL.
    saved_auxv.clear_from(used);
    used + 2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::x86::{Ia32, X86_64};
    use crate::arch::{Abi, DlinfoFacts};
    use crate::class::{Elf32, Elf64};

    /// x86_64's ARCH_DLINFO with the vDSO at `vdso` if `vdso64_enabled`.
    fn x86_64_dlinfo(vdso_enabled: bool) -> ArchDlinfo {
        X86_64::dlinfo(&DlinfoFacts {
            vdso: 0x7fff_f7ffd000,
            vdso_enabled,
            vdso_entry: 0,
            minsigstksz: 0x6f0,
        })
    }

    fn pairs(saved: &[u64], ei_index: usize) -> std::vec::Vec<(u64, u64)> {
        saved[..ei_index].chunks(2).map(|p| (p[0], p[1])).collect()
    }

    fn facts() -> AuxvFacts {
        AuxvFacts {
            arch_dlinfo: x86_64_dlinfo(true),
            hwcap: 0x178b_fbff,
            hwcap2: 0x2,
            phdr: 0x40_0040,
            phnum: 9,
            base: 0,
            preserve_argv0: false,
            entry: 0x40_1650,
            ids: [1000, 1000, 100, 100],
            secure: false,
            execfn: 0x7fff_ffff_efe8,
            execfd: None,
            rseq: true,
        }
    }

    #[test]
    fn order_and_values_of_the_usual_static_binary() {
        let mut saved = [0xaau64; AT_VECTOR_SIZE];
        let ei = fill_saved_auxv::<Elf64, _>(
            &facts(),
            0x7fff_ffff_efa9,
            Some(0x7fff_ffff_efb9),
            &mut saved,
        );
        // 22 entries plus AT_NULL = 23 pairs = 46 words (368 bytes).
        assert_eq!(ei, 46);
        assert_eq!(
            pairs(&saved, ei),
            [
                (AT_SYSINFO_EHDR, 0x7fff_f7ffd000),
                (AT_MINSIGSTKSZ, 0x6f0),
                (AT_HWCAP, 0x178b_fbff),
                (AT_PAGESZ, 4096),
                (AT_CLKTCK, 100),
                (AT_PHDR, 0x40_0040),
                (AT_PHENT, 56),
                (AT_PHNUM, 9),
                (AT_BASE, 0),
                (AT_FLAGS, 0),
                (AT_ENTRY, 0x40_1650),
                (AT_UID, 1000),
                (AT_EUID, 1000),
                (AT_GID, 100),
                (AT_EGID, 100),
                (AT_SECURE, 0),
                (AT_RANDOM, 0x7fff_ffff_efa9),
                (AT_HWCAP2, 2),
                (AT_EXECFN, 0x7fff_ffff_efe8),
                (AT_PLATFORM, 0x7fff_ffff_efb9),
                (AT_RSEQ_FEATURE_SIZE, 28),
                (AT_RSEQ_ALIGN, 32),
                (AT_NULL, 0),
            ]
        );
        assert!(saved[ei..].iter().all(|&w| w == 0), "memset of the rest");
    }

    #[test]
    fn conditional_entries() {
        let mut saved = [0u64; AT_VECTOR_SIZE];
        let f = AuxvFacts {
            arch_dlinfo: x86_64_dlinfo(false),
            hwcap2: 0,
            preserve_argv0: true,
            secure: true,
            execfd: Some(3),
            ..facts()
        };
        let ei = fill_saved_auxv::<Elf64, _>(&f, 0x1000, None, &mut saved);
        let p = pairs(&saved, ei);
        // no vdso64_enabled: no AT_SYSINFO_EHDR but AT_MINSIGSTKSZ first;
        // no platform; AT_EXECFD between AT_EXECFN and the rseq entries;
        // AT_HWCAP2 emitted although 0. 23 - 2 + 1 = 22 pairs.
        assert_eq!(ei, 44);
        assert_eq!(p[0], (AT_MINSIGSTKSZ, 0x6f0));
        assert_eq!(p[8], (AT_FLAGS, AT_FLAGS_PRESERVE_ARGV0));
        assert_eq!(p[14], (AT_SECURE, 1));
        assert_eq!(p[16], (AT_HWCAP2, 0));
        assert_eq!(p[17], (AT_EXECFN, 0x7fff_ffff_efe8));
        assert_eq!(p[18], (AT_EXECFD, 3));
        assert_eq!(p[19], (AT_RSEQ_FEATURE_SIZE, 28));
        assert_eq!(p[21], (AT_NULL, 0));
    }

    #[test]
    fn the_fullest_vector_fits() {
        let mut saved = [0u64; AT_VECTOR_SIZE];
        let f = AuxvFacts {
            execfd: Some(-1),
            ..facts()
        };
        let ei = fill_saved_auxv::<Elf64, _>(&f, 0x1000, Some(0x1010), &mut saved);
        // All but AT_SYSINFO, which only an i386 program gets.
        assert_eq!(ei, 2 * (MAX_ENTRIES - 1));
        // An int -1 execfd is sign-extended like the C's elf_addr_t store.
        assert_eq!(pairs(&saved, ei)[20], (AT_EXECFD, u64::MAX));
        assert_eq!(AT_VECTOR_SIZE, 52);
        assert_eq!(at_vector_size(2), 50);
    }

    #[test]
    fn no_rseq_entries_without_config_rseq() {
        let mut saved = [0u64; 50];
        let f = AuxvFacts {
            rseq: false,
            ..facts()
        };
        let ei = fill_saved_auxv::<Elf64, _>(&f, 0x1000, Some(0x1010), &mut saved);
        let p = pairs(&saved, ei);
        assert_eq!(ei, 42);
        assert_eq!(p[19], (AT_PLATFORM, 0x1010));
        assert_eq!(p[20], (AT_NULL, 0));
        assert!(p
            .iter()
            .all(|&(id, _)| id != AT_RSEQ_FEATURE_SIZE && id != AT_RSEQ_ALIGN));
    }

    #[test]
    fn an_i386_vector_in_four_byte_words() {
        // What compat_binfmt_elf builds for a static i386 program: ARCH_DLINFO_IA32's
        // AT_SYSINFO and AT_SYSINFO_EHDR, AT_PHENT 32, words truncated to 32 bits.
        let mut saved = [0xaau32; 2 * AT_VECTOR_SIZE];
        let f = AuxvFacts {
            arch_dlinfo: Ia32::dlinfo(&DlinfoFacts {
                vdso: 0xf7fc_4000,
                vdso_enabled: false,
                vdso_entry: 0xf7fc_4560,
                minsigstksz: 0x6f0,
            }),
            phdr: 0x0804_8034,
            execfd: Some(-1),
            execfn: 0xffff_dfe8,
            ..facts()
        };
        let ei = fill_saved_auxv::<Elf32, _>(&f, 0xffff_dfa9, Some(0xffff_dfb9), &mut saved);
        let p: std::vec::Vec<(u32, u32)> = saved[..ei].chunks(2).map(|p| (p[0], p[1])).collect();
        assert_eq!(ei, 2 * MAX_ENTRIES);
        assert_eq!(p[0], (AT_SYSINFO as u32, 0xf7fc_4560));
        assert_eq!(p[1], (AT_SYSINFO_EHDR as u32, 0xf7fc_4000));
        assert_eq!(p[2], (AT_MINSIGSTKSZ as u32, 0x6f0));
        assert_eq!(p[7], (AT_PHENT as u32, 32));
        assert_eq!(p[21], (AT_EXECFD as u32, 0xffff_ffff));
        assert_eq!(p[24], (0, 0));
        assert!(saved[ei..].iter().all(|&w| w == 0), "memset of the rest");
    }

    #[test]
    fn aarch64_and_aarch32_vectors() {
        use crate::arch::arm64::{Aarch32, Aarch64};
        // arm64's ARCH_DLINFO: AT_SYSINFO_EHDR, AT_MINSIGSTKSZ, then the base
        // entries as on x86; AT_VECTOR_SIZE_ARCH is 2 there, so 50 longs.
        let mut saved = [0u64; 50];
        let f = AuxvFacts {
            arch_dlinfo: Aarch64::dlinfo(&DlinfoFacts {
                vdso: 0xffff_9a5c_4000,
                vdso_enabled: true,
                vdso_entry: 0,
                minsigstksz: 0x1270,
            }),
            ..facts()
        };
        let ei = fill_saved_auxv::<Elf64, _>(&f, 0x1000, Some(0x1010), &mut saved);
        let p = pairs(&saved, ei);
        assert_eq!(p[0], (AT_SYSINFO_EHDR, 0xffff_9a5c_4000));
        assert_eq!(p[1], (AT_MINSIGSTKSZ, 0x1270));
        assert_eq!(p[2], (AT_HWCAP, 0x178b_fbff));
        // COMPAT_ARCH_DLINFO: AT_SYSINFO_EHDR alone, in 4-byte words.
        let mut saved32 = [0u32; 100];
        let f = AuxvFacts {
            arch_dlinfo: Aarch32::dlinfo(&DlinfoFacts {
                vdso: 0xf7ce_8000,
                vdso_enabled: true,
                vdso_entry: 0,
                minsigstksz: 0,
            }),
            ..facts()
        };
        let ei32 = fill_saved_auxv::<Elf32, _>(&f, 0x1000, Some(0x1010), &mut saved32);
        let p: std::vec::Vec<(u32, u32)> =
            saved32[..ei32].chunks(2).map(|p| (p[0], p[1])).collect();
        assert_eq!(p[0], (AT_SYSINFO_EHDR as u32, 0xf7ce_8000));
        assert_eq!(p[1], (AT_HWCAP as u32, 0x178b_fbff));
        assert_eq!(ei32, ei - 2);
    }
}
