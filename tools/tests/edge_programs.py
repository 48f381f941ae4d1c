#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Makes the small ELF files of the guest suite edges.sh, each for one corner of
fs/binfmt_elf.c.

    edge_programs.py OUTDIR

OUTDIR/prog is an ET_EXEC x86_64 program with a PT_INTERP naming
/tests/edge/interp and code that calls exit(42). OUTDIR/interp is an
ET_EXEC interpreter with one empty PT_LOAD at 0xffff800000000800: elf_load()
maps nothing for it and returns ELF_PAGESTART of that address, which
load_elf_interp() returns as it is (BAD_ADDR, but no errno). The caller takes it
for the load address and adds e_entry, which is chosen so that the sum wraps
back to the program's code. The kernel's loader runs the program (exit 42, with
AT_BASE 0xffff800000000000); a loader that takes every bad address for an error
kills it with SIGSEGV.

OUTDIR/collide is an ET_EXEC program whose only PT_LOAD lies in the stack as it
is with ASLR off: elf_map()'s MAP_FIXED_NOREPLACE fails with -EEXIST and logs
its "Uhuuh" line, and the exec dies with SIGSEGV.
"""
import os
import struct
import sys

INTERP_PATH = b"/tests/edge/interp\0"
# In the stack VMA that setup_arg_pages() leaves below STACK_TOP with ASLR off.
COLLIDE_AT = 0x7FFFFFFF0000
BASE = 0x400000
BAD = 0xFFFF800000000800
EHDR, PHDR = 64, 56


def ehdr(entry, phnum):
    ident = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    return ident + struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, entry, EHDR, 0, 0,
                               EHDR, PHDR, phnum, 64, 0, 0)


def phdr(p_type, flags, offset, vaddr, filesz, memsz, align):
    return struct.pack("<IIQQQQQQ", p_type, flags, offset, vaddr, vaddr,
                       filesz, memsz, align)


def program():
    interp_off = EHDR + 2 * PHDR
    code_off = interp_off + len(INTERP_PATH)
    # mov $42, %edi; mov $60, %eax; syscall
    code = bytes.fromhex("bf2a000000" "b83c000000" "0f05")
    size = code_off + len(code)
    return (ehdr(BASE + code_off, 2)
            + phdr(3, 4, interp_off, BASE + interp_off, len(INTERP_PATH),
                   len(INTERP_PATH), 1)
            + phdr(1, 5, 0, BASE, size, size, 0x1000)
            + INTERP_PATH + code), BASE + code_off


def interpreter(program_entry):
    load_addr = BAD & ~0xFFF
    entry = (program_entry - load_addr) % (1 << 64)
    return ehdr(entry, 1) + phdr(1, 4, 0, BAD, 0, 0, 0x1000)


def collide():
    code = bytes.fromhex("bf2a000000" "b83c000000" "0f05")
    size = EHDR + PHDR + len(code)
    return (ehdr(COLLIDE_AT + EHDR + PHDR, 1)
            + phdr(1, 5, 0, COLLIDE_AT, size, size, 0x1000) + code)


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    prog, entry = program()
    files = (("prog", prog), ("interp", interpreter(entry)), ("collide", collide()))
    for name, data in files:
        path = os.path.join(outdir, name)
        with open(path, "wb") as f:
            f.write(data)
        os.chmod(path, 0o755)


if __name__ == "__main__":
    main()
