#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Makes a corpus of malformed and unusual ELF files from real programs.

    elf_corpus.py [--arch x86_64|arm64] [--seed N] [--random COUNT] SAMPLES INTERPRETER
                  INTERPRETER32 OUTDIR

SAMPLES is the directory of the built samples (nolibc, dynamic-pie, dynamic-nopie,
static-pie, bigbss, exit32, nolibc32, dynamic-pie32), INTERPRETER the dynamic
linker to copy and break (ld-linux-x86-64.so.2), INTERPRETER32 the i386 one
(ld-linux.so.2). OUTDIR receives the files, a MANIFEST ("NAME WHAT", one line
each: the files to exec) and aux/, the files that broken PT_INTERP entries name.
The guest mounts OUTDIR at /corpus: the interpreter paths written here say so.

The targeted cases walk every ELF header field, every program header field of the
PT_LOADs, PT_INTERP, PT_GNU_PROPERTY, PT_GNU_STACK, the processor-specific types and
truncation through the values where load_elf_binary() and load_elf_interp()
(fs/binfmt_elf.c) change their answer, and the same for i386 programs at 32-bit
widths (fs/compat_binfmt_elf.c); the random ones mutate headers and program
headers. The same seed gives the same files, byte for byte.

With --arch arm64, SAMPLES is the arm64 lab's (nolibc, dynamic-pie, static, bti,
static32, dynamic32), INTERPRETER ld-linux-aarch64.so.1 and INTERPRETER32
ld-linux-armhf.so.3: the same cases for EM_AARCH64 and EM_ARM programs, the
AArch32 ones at their 32-bit widths (TASK_SIZE_32 is 0xfffff000, e_flags must
name an EABI), and the PT_GNU_PROPERTY cases on a BTI-marked program, whose note
arm64 parses.
"""
import argparse
import os
import random
import struct

GUEST_DIR = "/corpus"
AUX = GUEST_DIR + "/aux"

PT_NULL, PT_LOAD, PT_INTERP, PT_NOTE, PT_PHDR = 0, 1, 3, 4, 6
PT_GNU_STACK, PT_GNU_PROPERTY = 0x6474E551, 0x6474E553
ET_EXEC, ET_DYN = 2, 3
PAGE = 0x1000
TASK_SIZE = 0x7FFFFFFFF000
PATH_MAX = 4096
PHDR_SIZE = 56

# (offset, struct format) of the Elf64_Ehdr fields after e_ident.
EHDR = {
    "e_type": (16, "<H"), "e_machine": (18, "<H"), "e_version": (20, "<I"),
    "e_entry": (24, "<Q"), "e_phoff": (32, "<Q"), "e_shoff": (40, "<Q"),
    "e_flags": (48, "<I"), "e_ehsize": (52, "<H"), "e_phentsize": (54, "<H"),
    "e_phnum": (56, "<H"), "e_shentsize": (58, "<H"), "e_shnum": (60, "<H"),
    "e_shstrndx": (62, "<H"),
}
# ... and of the Elf64_Phdr fields.
PHDR = {
    "p_type": (0, "<I"), "p_flags": (4, "<I"), "p_offset": (8, "<Q"),
    "p_vaddr": (16, "<Q"), "p_paddr": (24, "<Q"), "p_filesz": (32, "<Q"),
    "p_memsz": (40, "<Q"), "p_align": (48, "<Q"),
}


def fit(fmt, value):
    """value cut to the field's width, as a C assignment would."""
    return value & ((1 << (8 * struct.calcsize(fmt))) - 1)


class Elf:
    """A writable copy of an ELF64 file, addressed by field name."""

    EHDR, PHDR, PHDR_SIZE = EHDR, PHDR, PHDR_SIZE

    def __init__(self, data):
        self.b = bytearray(data)
        self.phoff = self.get("e_phoff")
        self.phnum = self.get("e_phnum")

    def copy(self):
        e = type(self)(self.b)
        e.phoff, e.phnum = self.phoff, self.phnum
        return e

    def get(self, field):
        off, fmt = self.EHDR[field]
        return struct.unpack_from(fmt, self.b, off)[0]

    def set(self, field, value):
        off, fmt = self.EHDR[field]
        struct.pack_into(fmt, self.b, off, fit(fmt, value))

    def pget(self, i, field):
        off, fmt = self.PHDR[field]
        return struct.unpack_from(fmt, self.b, self.phoff + i * self.PHDR_SIZE + off)[0]

    def pset(self, i, field, value):
        off, fmt = self.PHDR[field]
        struct.pack_into(fmt, self.b, self.phoff + i * self.PHDR_SIZE + off, fit(fmt, value))

    def of_type(self, p_type):
        return [i for i in range(self.phnum) if self.pget(i, "p_type") == p_type]

    def raw_phdr(self, i):
        at = self.phoff + i * self.PHDR_SIZE
        return bytes(self.b[at:at + self.PHDR_SIZE])

    def put_phdr(self, i, raw):
        at = self.phoff + i * self.PHDR_SIZE
        self.b[at:at + self.PHDR_SIZE] = raw

    def append(self, data):
        """Appends data at a fresh 16-byte aligned file offset; returns it."""
        self.b.extend(b"\0" * (-len(self.b) % 16))
        at = len(self.b)
        self.b.extend(data)
        return at

    def set_interp(self, path, filesz=None):
        """Points PT_INTERP at a new string appended to the file."""
        i = self.of_type(PT_INTERP)[0]
        at = self.append(path)
        self.pset(i, "p_offset", at)
        self.pset(i, "p_filesz", len(path) if filesz is None else filesz)


class Elf32(Elf):
    """The same for an ELF32 (i386) file: Elf32_Ehdr and Elf32_Phdr, whose p_flags
    follows p_memsz."""

    EHDR = {
        "e_type": (16, "<H"), "e_machine": (18, "<H"), "e_version": (20, "<I"),
        "e_entry": (24, "<I"), "e_phoff": (28, "<I"), "e_shoff": (32, "<I"),
        "e_flags": (36, "<I"), "e_ehsize": (40, "<H"), "e_phentsize": (42, "<H"),
        "e_phnum": (44, "<H"), "e_shentsize": (46, "<H"), "e_shnum": (48, "<H"),
        "e_shstrndx": (50, "<H"),
    }
    PHDR = {
        "p_type": (0, "<I"), "p_offset": (4, "<I"), "p_vaddr": (8, "<I"),
        "p_paddr": (12, "<I"), "p_filesz": (16, "<I"), "p_memsz": (20, "<I"),
        "p_flags": (24, "<I"), "p_align": (28, "<I"),
    }
    PHDR_SIZE = 32


class Corpus:
    def __init__(self, outdir):
        self.outdir = outdir
        self.manifest = []
        os.makedirs(os.path.join(outdir, "aux"), exist_ok=True)

    def write(self, name, data, what, aux=False):
        path = os.path.join(self.outdir, "aux" if aux else "", name)
        assert not os.path.exists(path), f"{name} made twice"
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, 0o755)
        if not aux:
            self.manifest.append((name, what))

    def add(self, name, elf, what):
        self.write(name, bytes(elf.b), what)

    def finish(self):
        with open(os.path.join(self.outdir, "MANIFEST"), "w") as f:
            for name, what in self.manifest:
                f.write(f"{name} {what}\n")


def header_cases(c, base, elf):
    """Every ELF header field through the values load_elf_binary() checks."""
    size = len(elf.b)
    ident = [(0, 0, "magic byte 0"), (3, ord("f"), "magic byte 3"),
             (4, 0, "EI_CLASS none"), (4, 1, "EI_CLASS 32-bit"), (4, 3, "EI_CLASS 3"),
             (5, 2, "big endian"), (5, 0, "EI_DATA none"), (6, 0, "EI_VERSION 0"),
             (7, 3, "EI_OSABI Linux"), (7, 0xFF, "EI_OSABI 255"),
             (9, 0xAA, "e_ident padding")]
    for at, value, what in ident:
        e = elf.copy()
        e.b[at] = value
        c.add(f"{base}.ident{at}={value}", e, what)
    values = {
        "e_type": [0, 1, 4, 0xFE00, 0xFFFF, ET_DYN if elf.get("e_type") == ET_EXEC else ET_EXEC],
        "e_machine": [0, 3, 40, 183, 0xFFFF],
        "e_version": [0, 2, 0xFFFFFFFF],
        "e_entry": [0, 1, elf.get("e_entry") + 1, 0x7FFFFFFFF000, 0xFFFFFFFF81000000,
                    (1 << 64) - 1],
        "e_phoff": [0, 1, 8, elf.phoff + 1, elf.phoff + PHDR_SIZE, size - 1, size,
                    size - elf.phnum * PHDR_SIZE + 1, 1 << 32, 1 << 63, (1 << 64) - 1],
        "e_phentsize": [0, 1, 55, 57, 64, 112, 0xFFFF],
        "e_phnum": [0, 1, elf.phnum - 1, elf.phnum + 1, 65536 // PHDR_SIZE,
                    65536 // PHDR_SIZE + 1, 0xFFFF],
        "e_shoff": [0, (1 << 64) - 1],
        "e_flags": [0xFFFFFFFF],
        "e_ehsize": [0, 0xFFFF],
        "e_shnum": [0xFFFF],
    }
    for field, vals in values.items():
        for v in dict.fromkeys(vals):
            e = elf.copy()
            e.set(field, v)
            c.add(f"{base}.{field}={v:#x}", e, f"{field} {v:#x}")


def load_cases(c, base, elf):
    """Every PT_LOAD field of the first, second and last PT_LOAD (elf_map, elf_load,
    total_mapping_size, maximum_alignment)."""
    loads = elf.of_type(PT_LOAD)
    size = len(elf.b)
    picks = dict.fromkeys([("first", loads[0]), ("second", loads[1]), ("last", loads[-1])])
    for which, i in picks:
        vaddr, filesz, memsz = (elf.pget(i, f) for f in ("p_vaddr", "p_filesz", "p_memsz"))
        offset = elf.pget(i, "p_offset")
        values = {
            "p_offset": [offset + 1, size, size + PAGE, 1 << 62, (1 << 64) - PAGE],
            "p_vaddr": [0, PAGE, vaddr + 1, vaddr + PAGE + 0x800, TASK_SIZE - PAGE,
                        TASK_SIZE, 1 << 47, 0xFFFF800000000000, 0xFFFFFFFF80000000,
                        (1 << 64) - PAGE],
            "p_filesz": [0, memsz + 1, memsz + PAGE, 1 << 40, (1 << 64) - 1],
            "p_memsz": [0, max(filesz, 1) - 1, filesz + 3 * PAGE, 1 << 40, 1 << 46,
                        1 << 63, (1 << 64) - vaddr + PAGE],
            "p_align": [0, 1, 3, 0x3000, 1 << 21, 1 << 30, 1 << 40, 1 << 63],
            "p_flags": [0, 7, 2, 0xFFFFFFFF],
            "p_type": [PT_NULL, 0x60000000],
        }
        for field, vals in values.items():
            for v in dict.fromkeys(vals):
                e = elf.copy()
                e.pset(i, field, v)
                c.add(f"{base}.load-{which}.{field}={v:#x}", e,
                      f"{which} PT_LOAD {field} {v:#x}")
    # Shapes of the PT_LOAD set.
    e = elf.copy()
    for i in loads:
        e.pset(i, "p_type", PT_NULL)
    c.add(f"{base}.no-load", e, "no PT_LOAD at all")
    e = elf.copy()
    e.put_phdr(loads[0], elf.raw_phdr(loads[1]))
    e.put_phdr(loads[1], elf.raw_phdr(loads[0]))
    c.add(f"{base}.loads-out-of-order", e, "first two PT_LOADs swapped")
    e = elf.copy()
    e.put_phdr(loads[1], elf.raw_phdr(loads[0]))
    c.add(f"{base}.loads-duplicate", e, "second PT_LOAD a copy of the first")
    e = elf.copy()
    e.pset(loads[1], "p_vaddr", elf.pget(loads[0], "p_vaddr") + PAGE // 2)
    c.add(f"{base}.loads-overlap", e, "second PT_LOAD inside the first's page")
    e = elf.copy()
    e.pset(loads[-1], "p_vaddr", elf.pget(loads[0], "p_vaddr"))
    e.pset(loads[-1], "p_offset", elf.pget(loads[0], "p_offset"))
    c.add(f"{base}.loads-last-over-first", e, "last PT_LOAD mapped over the first")
    notes = elf.of_type(PT_NOTE)
    if notes:
        for what, filesz, memsz in (("zero", 0, 0), ("bss-only", 0, 2 * PAGE)):
            e = elf.copy()
            n = notes[0]
            e.pset(n, "p_type", PT_LOAD)
            e.pset(n, "p_filesz", filesz)
            e.pset(n, "p_memsz", memsz)
            e.pset(n, "p_align", PAGE)
            c.add(f"{base}.extra-load-{what}", e, f"a {what} PT_LOAD among the others")
        e = elf.copy()
        e.put_phdr(notes[0], elf.raw_phdr(loads[-1]))
        e.pset(notes[0], "p_vaddr", elf.pget(loads[-1], "p_vaddr") + 0x100000)
        c.add(f"{base}.extra-load-far", e, "an extra PT_LOAD 1 MiB past the last")


def stack_cases(c, base, elf):
    """PT_GNU_STACK: executable, missing, odd flags (elf_read_implies_exec)."""
    (i,) = elf.of_type(PT_GNU_STACK)
    for what, field, v in (("exec", "p_flags", 7), ("none", "p_flags", 0),
                           ("missing", "p_type", PT_NULL)):
        e = elf.copy()
        e.pset(i, field, v)
        c.add(f"{base}.gnu-stack-{what}", e, f"PT_GNU_STACK {what}")


def proc_cases(c, base, elf):
    """PT_LOPROC..PT_HIPROC (0x70000000-0x7fffffff): arch_elf_pt_proc() sees each in
    both phdr loops and accepts it on x86_64; so does arch_check_elf()."""
    (i,) = elf.of_type(PT_GNU_STACK)
    for v in (0x70000000, 0x70000001, 0x7FFFFFFF):
        e = elf.copy()
        e.pset(i, "p_type", v)
        c.add(f"{base}.pt-proc={v:#x}", e, f"PT_GNU_STACK replaced by processor type {v:#x}")


def entry_cases(c, base, elf):
    """An entry point outside the segments or in a non-executable one."""
    loads = elf.of_type(PT_LOAD)
    for what, v in (("first-load", elf.pget(loads[0], "p_vaddr")),
                    ("last-load", elf.pget(loads[-1], "p_vaddr")),
                    ("past-end", elf.pget(loads[-1], "p_vaddr") + 0x100000)):
        e = elf.copy()
        e.set("e_entry", v)
        c.add(f"{base}.entry-{what}", e, f"entry in {what}")


def truncation_cases(c, base, data, elf):
    """Files cut short: in the header, the program headers, the segments."""
    phend = elf.phoff + elf.phnum * PHDR_SIZE
    loads = elf.of_type(PT_LOAD)
    cuts = [0, 3, 16, 63, 64, phend - 1, phend, elf.pget(loads[1], "p_offset"),
            elf.pget(loads[1], "p_offset") + 16, len(data) // 2, len(data) - 1]
    for n in dict.fromkeys(cuts):
        c.write(f"{base}.truncated-{n}", data[:n], f"first {n} bytes only")


def interp_cases(c, base, elf):
    """Every PT_INTERP case load_elf_binary() separates (spec 4.4)."""
    (i,) = elf.of_type(PT_INTERP)
    path = bytes(elf.b[elf.pget(i, "p_offset"):][:elf.pget(i, "p_filesz")]).rstrip(b"\0")
    cases = {
        "nonul": (path, None),
        "junk-after-nul": (path + b"\0junk\0", None),
        "empty": (b"", 0),
        "just-nul": (b"\0", 1),
        "slash": (b"/\0", None),
        "too-long": (b"/" * (PATH_MAX + 1), None),
        "path-max": (b"/" * (PATH_MAX - 1) + b"\0", None),
        "missing": (AUX.encode() + b"/no-such-file\0", None),
        "relative": (path.lstrip(b"/") + b"\0", None),
        "relative-missing": (b"ld.so\0", None),
        "directory": (AUX.encode() + b"\0", None),
        "notelf": (AUX.encode() + b"/notelf\0", None),
        "short": (AUX.encode() + b"/short\0", None),
        "empty-file": (AUX.encode() + b"/empty\0", None),
        "i386": (AUX.encode() + b"/i386\0", None),
        "self-interp": (AUX.encode() + b"/has-interp\0", None),
        "static-exec": (AUX.encode() + b"/static-exec\0", None),
        "static-pie": (AUX.encode() + b"/static-pie\0", None),
        "nonexec-file": (AUX.encode() + b"/not-executable\0", None),
    }
    for name, (string, filesz) in cases.items():
        e = elf.copy()
        e.set_interp(string, filesz)
        c.add(f"{base}.interp-{name}", e, f"PT_INTERP {name}")
    e = elf.copy()
    e.pset(i, "p_offset", len(e.b) + PAGE)
    c.add(f"{base}.interp-past-eof", e, "PT_INTERP string past EOF")
    e = elf.copy()
    e.pset(i, "p_filesz", (1 << 64) - 1)
    c.add(f"{base}.interp-huge", e, "PT_INTERP p_filesz 2^64-1")
    # Two PT_INTERPs: the first one counts.
    notes = elf.of_type(PT_NOTE)
    for what, first in (("second-bad", True), ("first-bad", False)):
        e = elf.copy()
        bad = e.append(AUX.encode() + b"/no-such-file\0")
        n = notes[-1]
        e.put_phdr(n, elf.raw_phdr(i))
        e.pset(n, "p_offset", bad)
        e.pset(n, "p_filesz", len(AUX) + len("/no-such-file") + 1)
        if not first:
            good, broken = e.raw_phdr(i), e.raw_phdr(n)
            e.put_phdr(i, broken)
            e.put_phdr(n, good)
        c.add(f"{base}.interp-two-{what}", e, f"two PT_INTERPs, {what}")


def interp_file_cases(c, base, elf, ld, cls=None, prefix="ld"):
    """Broken interpreters (load_elf_interp, and the checks on interp_elf_ex), of
    the program's class: cls is Elf (the default) or Elf32, whose edges are
    i386's; the interpreter files are written to aux/ as PREFIX-NAME."""
    cls = cls or Elf
    ldelf = cls(ld)
    loads = ldelf.of_type(PT_LOAD)
    wide = cls is Elf
    task_size = TASK_SIZE if wide else TASK_SIZE_IA32
    ehsize = 64 if wide else 52
    mutations = {
        "magic": lambda e: e.b.__setitem__(0, 0),
        "e_type-rel": lambda e: e.set("e_type", 1),
        "e_type-exec": lambda e: e.set("e_type", ET_EXEC),
        "e_machine": lambda e: e.set("e_machine", 3 if wide else 62),
        "e_phnum-0": lambda e: e.set("e_phnum", 0),
        "e_phnum-big": lambda e: e.set("e_phnum", 0xFFFF),
        "e_phentsize": lambda e: e.set("e_phentsize", 64 if wide else 56),
        "e_phoff-eof": lambda e: e.set("e_phoff", len(e.b)),
        "no-load": lambda e: [e.pset(i, "p_type", PT_NULL) for i in loads],
        "filesz-gt-memsz": lambda e: e.pset(loads[1], "p_filesz",
                                            e.pget(loads[1], "p_memsz") + 1),
        "memsz-huge": lambda e: e.pset(loads[-1], "p_memsz", 1 << 46 if wide else 0xF0000000),
        "vaddr-kernel": lambda e: e.pset(loads[-1], "p_vaddr",
                                         0xFFFF800000000000 if wide else 0xFFFFF000),
        "offset-eof": lambda e: e.pset(loads[-1], "p_offset", len(e.b) + PAGE),
        "misaligned": lambda e: e.pset(loads[1], "p_offset", e.pget(loads[1], "p_offset") + 1),
        "overlap": lambda e: e.pset(loads[1], "p_vaddr", 0),
        "align-3": lambda e: e.pset(loads[0], "p_align", 3),
        "bss-huge": lambda e: e.pset(loads[-1], "p_memsz", task_size),
    }
    for name, mutate in mutations.items():
        e = ldelf.copy()
        mutate(e)
        c.write(f"{prefix}-{name}", bytes(e.b), "", aux=True)
        p = elf.copy()
        p.set_interp(f"{AUX}/{prefix}-{name}".encode() + b"\0")
        c.add(f"{base}.{prefix}-{name}", p, f"interpreter with {name}")
    for n in (ehsize, ehsize + ldelf.phnum * ldelf.PHDR_SIZE, len(ld) // 2):
        c.write(f"{prefix}-truncated-{n}", ld[:n], "", aux=True)
        p = elf.copy()
        p.set_interp(f"{AUX}/{prefix}-truncated-{n}".encode() + b"\0")
        c.add(f"{base}.{prefix}-truncated-{n}", p, f"interpreter cut to {n} bytes")


def property_cases(c, base, elf):
    """PT_GNU_PROPERTY: parse_elf_properties() and its -ENOEXEC cases."""
    (i,) = elf.of_type(PT_GNU_PROPERTY)
    off, size = elf.pget(i, "p_offset"), elf.pget(i, "p_filesz")
    fields = {"p_filesz": [0, 4, size + 8, 1024, 4096], "p_offset": [off + 4, len(elf.b)],
              "p_align": [0, 4, 16]}
    for field, vals in fields.items():
        for v in vals:
            e = elf.copy()
            e.pset(i, field, v)
            c.add(f"{base}.property.{field}={v:#x}", e, f"PT_GNU_PROPERTY {field} {v:#x}")
    # The note itself: n_namesz, n_descsz, n_type, "GNU", pr_type, pr_datasz.
    note = {"n_namesz": (0, 5), "n_descsz": (4, 0x1000), "n_type": (8, 1),
            "name": (12, 0x41), "pr_type": (16, 0xC0000003), "pr_datasz": (20, 0x100),
            "pr_datasz-odd": (20, 3), "pr_data": (24, 0xFFFFFFFF)}
    for what, (at, v) in note.items():
        e = elf.copy()
        struct.pack_into("<I", e.b, off + at, v)
        c.add(f"{base}.property-note-{what}", e, f"GNU property note {what}")
    e = elf.copy()
    e.put_phdr(elf.of_type(PT_NOTE)[-1], elf.raw_phdr(i))
    c.add(f"{base}.property-duplicate", e, "two PT_GNU_PROPERTY headers")
    e = elf.copy()
    e.pset(i, "p_type", PT_NULL)
    c.add(f"{base}.property-none", e, "no PT_GNU_PROPERTY")


def phdr_cases(c, base, elf):
    """PT_PHDR pointing elsewhere: the kernel derives AT_PHDR itself."""
    (i,) = elf.of_type(PT_PHDR)
    for v in (0, PAGE):
        e = elf.copy()
        e.pset(i, "p_vaddr", v)
        c.add(f"{base}.pt-phdr-vaddr={v:#x}", e, f"PT_PHDR p_vaddr {v:#x}")


INTERESTING = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x100, 0xFFF, PAGE, PAGE + 1, 0x7FFF, 0x8000,
               0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 1 << 32, TASK_SIZE,
               1 << 47, 1 << 63, (1 << 64) - 1, (1 << 64) - PAGE]


# TASK_SIZE of an i386 task on x86_64 (IA32_PAGE_OFFSET).
TASK_SIZE_IA32 = 0xFFFFE000


def elf32_cases(c, base, data, elf, task_size=None, machines=(0, 6, 62, 0xFFFF)):
    """An i386 program through compat_binfmt_elf's checks at 32-bit widths: every
    header field, every field of the first and last PT_LOAD through the values
    where the answer changes (TASK_SIZE is 0xffffe000, the sums of two fields
    wrap at 32 bits), PT_GNU_STACK (elf_read_implies_exec()), the entry point
    and truncations."""
    size = len(data)
    phsize = elf.PHDR_SIZE
    task_size = task_size or TASK_SIZE_IA32
    values = {
        "e_type": [0, 1, 4, 0xFFFF, ET_DYN if elf.get("e_type") == ET_EXEC else ET_EXEC],
        "e_machine": list(machines),
        "e_entry": [0, elf.get("e_entry") + 1, task_size - 1, task_size, 0xFFFFFFFF],
        "e_phoff": [0, 1, elf.phoff + 1, size - 1, size, 0xFFFFFFFF],
        "e_phentsize": [0, 31, 33, 56, 0xFFFF],
        "e_phnum": [0, elf.phnum - 1, elf.phnum + 1, 4096 // phsize, 4096 // phsize + 1, 0xFFFF],
    }
    for field, vals in values.items():
        for v in dict.fromkeys(vals):
            e = elf.copy()
            e.set(field, v)
            c.add(f"{base}.{field}={v:#x}", e, f"ELF32 {field} {v:#x}")
    e = elf.copy()
    e.b[4] = 2
    c.add(f"{base}.ident4=2", e, "ELF32 program marked EI_CLASS 64-bit")
    loads = elf.of_type(PT_LOAD)
    for which, i in dict.fromkeys([("first", loads[0]), ("last", loads[-1])]):
        vaddr, filesz = elf.pget(i, "p_vaddr"), elf.pget(i, "p_filesz")
        values = {
            "p_offset": [elf.pget(i, "p_offset") + 1, size, 0xFFFFF000],
            "p_vaddr": [0, vaddr + 1, task_size - PAGE, task_size, 0xFFFFF000],
            "p_filesz": [0, elf.pget(i, "p_memsz") + 1, 0xFFFFFFFF],
            "p_memsz": [0, max(filesz, 1) - 1, task_size - vaddr,
                        task_size - vaddr + 1, 0xFFFFFFFF],
            "p_align": [0, 3, 1 << 21, 1 << 31],
            "p_flags": [0, 7],
        }
        for field, vals in values.items():
            for v in dict.fromkeys(vals):
                e = elf.copy()
                e.pset(i, field, v)
                c.add(f"{base}.load-{which}.{field}={v:#x}", e,
                      f"ELF32 {which} PT_LOAD {field} {v:#x}")
    for i in elf.of_type(PT_GNU_STACK):
        for what, field, v in (("exec", "p_flags", 7), ("missing", "p_type", PT_NULL)):
            e = elf.copy()
            e.pset(i, field, v)
            c.add(f"{base}.gnu-stack-{what}", e, f"ELF32 PT_GNU_STACK {what}")
    phend = elf.phoff + elf.phnum * phsize
    for n in dict.fromkeys([16, 51, 52, phend - 1, phend, size // 2]):
        c.write(f"{base}.truncated-{n}", data[:n], f"ELF32, first {n} bytes only")


def random_cases(c, bases, seed, count):
    """Random mutations of the headers and program headers."""
    rng = random.Random(seed)
    for k in range(count):
        base, elf = rng.choice(bases)
        e = elf.copy()
        steps = []
        for _ in range(rng.randint(1, 3)):
            kind = rng.choice(["ehdr", "phdr", "phdr", "phdr", "byte", "swap"])
            if kind == "ehdr":
                field = rng.choice(list(EHDR))
                old = e.get(field)
                v = rng.choice(INTERESTING + [old + 1, old - 1, old * 2, rng.getrandbits(64)])
                e.set(field, v)
                steps.append(f"{field}={fit(EHDR[field][1], v):#x}")
            elif kind == "phdr":
                i = rng.randrange(elf.phnum)
                field = rng.choice(list(PHDR))
                old = e.pget(i, field)
                v = rng.choice(INTERESTING + [old + 1, old - 1, old + PAGE, old * 2,
                                              rng.getrandbits(64)])
                e.pset(i, field, v)
                steps.append(f"ph{i}.{field}={fit(PHDR[field][1], v):#x}")
            elif kind == "byte":
                at = rng.randrange(elf.phoff + elf.phnum * PHDR_SIZE)
                e.b[at] ^= 1 << rng.randrange(8)
                steps.append(f"bit@{at:#x}")
            else:
                i, j = rng.randrange(elf.phnum), rng.randrange(elf.phnum)
                a, b = e.raw_phdr(i), e.raw_phdr(j)
                e.put_phdr(i, b)
                e.put_phdr(j, a)
                steps.append(f"swap{i},{j}")
        c.add(f"random-{seed}-{k:03}.{base}", e, " ".join(steps))


def aux_files(c, sample, ld, other_class):
    """The files the broken PT_INTERP entries name: not ELF, short, empty, an
    executable of the other class (other_class, a sample's name), ones that have
    an interpreter or are static, and the interpreter without its execute bit."""
    c.write("notelf", b"#!/bin/sh\n" + b"# not an ELF file, but long enough\n" * 4, "", aux=True)
    c.write("short", b"\x7fELF\x02\x01\x01", "", aux=True)
    c.write("empty", b"", "", aux=True)
    c.write("i386", sample(other_class), "", aux=True)
    c.write("has-interp", sample("dynamic-pie"), "", aux=True)
    c.write("static-exec", sample("nolibc"), "", aux=True)
    c.write("static-pie", sample("static-pie"), "", aux=True)
    c.write("not-executable", ld, "", aux=True)
    os.chmod(os.path.join(c.outdir, "aux", "not-executable"), 0o644)


def program_cases(c, sample, ld, nolibc, dyn, nopie=None):
    """The native class's cases on its no-libc program and its dynamic PIE (and a
    dynamic non-PIE's PT_INTERP, where there is one): every header and PT_LOAD
    field, the entry, PT_GNU_STACK, the processor types, truncations, PT_INTERP
    and broken interpreters made from ld."""
    for name, elf in (("nolibc", nolibc), ("dyn", dyn)):
        header_cases(c, name, elf)
        load_cases(c, name, elf)
        entry_cases(c, name, elf)
        stack_cases(c, name, elf)
        proc_cases(c, name, elf)
    truncation_cases(c, "nolibc", sample("nolibc"), nolibc)
    truncation_cases(c, "dyn", sample("dynamic-pie"), dyn)
    interp_cases(c, "dyn", dyn)
    if nopie:
        interp_cases(c, *nopie)
    interp_file_cases(c, "dyn", dyn, ld)


# TASK_SIZE_32 of an AArch32 task on arm64 (arch/arm64/include/asm/processor.h).
TASK_SIZE_AARCH32 = 0xFFFFF000


def arm64_corpus(c, sample, ld, ld32, seed, count):
    """The arm64 lab's corpus: AArch64 programs through binfmt_elf's checks, the
    PT_GNU_PROPERTY note arm64 parses (on bti, a BTI-marked program without an
    interpreter, so its own note is read), AArch32 ones through
    compat_binfmt_elf's, e_flags without an EABI among them."""
    # An interpreter of the other class, as i386's is for x86_64.
    aux_files(c, sample, ld, "static32")

    nolibc, dyn, bti = (Elf(sample(n)) for n in ("nolibc", "dynamic-pie", "bti"))
    program_cases(c, sample, ld, nolibc, dyn)
    property_cases(c, "bti", bti)
    phdr_cases(c, "dyn", dyn)
    for name, sname in (("static32", "static32"), ("dyn32", "dynamic32")):
        data = sample(sname)
        elf = Elf32(data)
        elf32_cases(c, name, data, elf, TASK_SIZE_AARCH32, (0, 3, 183, 0xFFFF))
        for v in (0, 0x04000000, 0x00000400):
            e = elf.copy()
            e.set("e_flags", v)
            c.add(f"{name}.e_flags={v:#x}", e, f"ELF32 e_flags {v:#x}")
    dyn32 = Elf32(sample("dynamic32"))
    interp_cases(c, "dyn32", dyn32)
    interp_file_cases(c, "dyn32", dyn32, ld32, Elf32, "ld32")
    random_cases(c, [("nolibc", nolibc), ("dyn", dyn), ("bti", bti)], seed, count)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arch", choices=("x86_64", "arm64"), default="x86_64")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--random", type=int, default=200)
    ap.add_argument("samples")
    ap.add_argument("interpreter")
    ap.add_argument("interpreter32")
    ap.add_argument("outdir")
    args = ap.parse_args()

    def sample(name):
        with open(os.path.join(args.samples, name), "rb") as f:
            return f.read()

    with open(args.interpreter, "rb") as f:
        ld = f.read()
    c = Corpus(args.outdir)
    if args.arch == "arm64":
        with open(args.interpreter32, "rb") as f:
            arm64_corpus(c, sample, ld, f.read(), args.seed, args.random)
        c.finish()
        print(f"{len(c.manifest)} files in {args.outdir}")
        return
    aux_files(c, sample, ld, "exit32")

    nolibc, dyn, nopie = (Elf(sample(n)) for n in ("nolibc", "dynamic-pie", "dynamic-nopie"))
    program_cases(c, sample, ld, nolibc, dyn, ("nopie", nopie))
    property_cases(c, "dyn", dyn)
    phdr_cases(c, "dyn", dyn)
    # A few on the big glibc programs: the static PIE's relocation, bigbss's brk.
    for name, sname in (("spie", "static-pie"), ("bss", "bigbss")):
        elf = Elf(sample(sname))
        last = elf.of_type(PT_LOAD)[-1]
        for what, field, v in (("memsz-huge", "p_memsz", 1 << 40),
                               ("memsz-top", "p_memsz", TASK_SIZE - elf.pget(last, "p_vaddr")),
                               ("filesz-gt-memsz", "p_filesz", elf.pget(last, "p_memsz") + 1)):
            e = elf.copy()
            e.pset(last, field, v)
            c.add(f"{name}.last-{what}", e, f"last PT_LOAD {what}")
    # i386 programs, for compat_binfmt_elf and binfmt_rs's ELF32 loader.
    for name, sname in (("nolibc32", "nolibc32"), ("dyn32", "dynamic-pie32")):
        data = sample(sname)
        elf32_cases(c, name, data, Elf32(data))
    dyn32 = Elf32(sample("dynamic-pie32"))
    interp_cases(c, "dyn32", dyn32)
    with open(args.interpreter32, "rb") as f:
        interp_file_cases(c, "dyn32", dyn32, f.read(), Elf32, "ld32")
    random_cases(c, [("nolibc", nolibc), ("dyn", dyn), ("nopie", nopie)], args.seed,
                 args.random)
    c.finish()
    print(f"{len(c.manifest)} files in {args.outdir}")


if __name__ == "__main__":
    main()
