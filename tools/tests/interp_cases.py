#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Makes copies of a dynamic program whose PT_INTERP is broken in one way each,
for the checks load_elf_binary() makes before the point of no return (spec 4.4).

    interp_cases.py PROGRAM OUTDIR [PROGRAM32]

Each case keeps the file's layout: only the bytes of the PT_INTERP string (and,
for 'nonul', its last byte) change. The guest provides the files they point to.
PROGRAM32, an i386 program, gets the same cases, named interp32-*, for
compat_binfmt_elf's checks of the interpreter (its wrong architecture being an
x86_64 file).
"""
import os
import struct
import sys

# name -> (new interpreter path, errno the kernel's loader gives)
CASES = {
    "interp-missing": (b"/tests/interp/no-such-file", "ENOENT"),
    "interp-notelf": (b"/tests/interp/notelf", "ELIBBAD"),
    "interp-short": (b"/tests/interp/short", "EIO"),
    "interp-dir": (b"/tests/interp", "EACCES"),
    "interp-wrongarch": (b"/samples/exit32", "ELIBBAD"),
    "interp-nonul": (None, "ENOEXEC"),
}


def pt_interp(data):
    """Offset and size of the first PT_INTERP's string, in an ELF64 or ELF32 file."""
    if data[4] == 1:  # ELFCLASS32: Elf32_Ehdr and Elf32_Phdr
        phoff, = struct.unpack_from("<I", data, 28)
        phentsize, phnum = struct.unpack_from("<HH", data, 42)
        entry, fields = "<IIIIII", (0, 1, 4)
    else:
        phoff, = struct.unpack_from("<Q", data, 32)
        phentsize, phnum = struct.unpack_from("<HH", data, 54)
        entry, fields = "<IIQQQQ", (0, 2, 5)
    for i in range(phnum):
        p = struct.unpack_from(entry, data, phoff + i * phentsize)
        p_type, p_offset, p_filesz = (p[f] for f in fields)
        if p_type == 3:
            return p_offset, p_filesz
    raise SystemExit("no PT_INTERP")


def write_cases(program, outdir, prefix, cases):
    """The broken copies of program; returns [(name, errno)]."""
    data = open(program, "rb").read()
    offset, size = pt_interp(data)
    made = []
    for case, (path, errno) in cases.items():
        name = case.replace("interp-", prefix)
        out = bytearray(data)
        if path is None:
            out[offset + size - 1] = ord("x")
        else:
            assert len(path) < size, (name, size)
            out[offset:offset + size] = path.ljust(size, b"\0")
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(out)
        os.chmod(os.path.join(outdir, name), 0o755)
        made.append((name, errno))
    return made


def main():
    program, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    made = write_cases(program, outdir, "interp-", CASES)
    if len(sys.argv) > 3:
        # The i386 ld.so's path is 18 bytes: the paths must be as short.
        cases32 = dict(CASES)
        cases32["interp-missing"] = (b"/tests/interp/none", "ENOENT")
        cases32["interp-notelf"] = (b"/tests/interp/txt", "ELIBBAD")
        cases32["interp-short"] = (b"/tests/interp/eio", "EIO")
        cases32["interp-wrongarch"] = (b"/samples/nolibc", "ELIBBAD")
        made += write_cases(sys.argv[3], outdir, "interp32-", cases32)
    with open(os.path.join(outdir, "expected"), "w") as f:
        for name, errno in made:
            f.write(f"{name} {errno}\n")
    # The files the broken paths point to; executable, as open_exec() requires.
    notelf = b"#!/bin/sh\n" + b"# not an ELF file, but long enough for a header\n" * 2
    targets = {
        "notelf": notelf,
        "short": b"\x7fELF\x02\x01\x01",
        "txt": notelf,
        "eio": b"\x7fELF\x01\x01\x01",
    }
    for name, content in targets.items():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(content)
        os.chmod(os.path.join(outdir, name), 0o755)


if __name__ == "__main__":
    main()
