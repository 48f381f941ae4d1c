#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Makes copies of a dynamic program whose PT_INTERP is broken in one way each,
for the checks load_elf_binary() makes before the point of no return (spec 4.4).

    interp_cases.py PROGRAM OUTDIR

Each case keeps the file's layout: only the bytes of the PT_INTERP string (and,
for 'nonul', its last byte) change. The guest provides the files they point to.
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
    """Offset and size of the first PT_INTERP's string."""
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from(
            "<IIQQQQ", data, phoff + i * phentsize)
        if p_type == 3:
            return p_offset, p_filesz
    raise SystemExit("no PT_INTERP")


def main():
    program, outdir = sys.argv[1], sys.argv[2]
    data = open(program, "rb").read()
    offset, size = pt_interp(data)
    os.makedirs(outdir, exist_ok=True)
    for name, (path, errno) in CASES.items():
        out = bytearray(data)
        if path is None:
            out[offset + size - 1] = ord("x")
        else:
            assert len(path) < size, name
            out[offset:offset + size] = path.ljust(size, b"\0")
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(out)
        os.chmod(os.path.join(outdir, name), 0o755)
    with open(os.path.join(outdir, "expected"), "w") as f:
        for name, (_, errno) in CASES.items():
            f.write(f"{name} {errno}\n")
    # The files the broken paths point to; executable, as open_exec() requires.
    targets = {
        "notelf": b"#!/bin/sh\n" + b"# not an ELF file, but long enough for a header\n" * 2,
        "short": b"\x7fELF\x02\x01\x01",
    }
    for name, content in targets.items():
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(content)
        os.chmod(os.path.join(outdir, name), 0o755)


if __name__ == "__main__":
    main()
