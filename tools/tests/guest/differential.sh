# binfmt_rs against the kernel's own loader, for every sample program. With
# ASLR off both must build the very same process: exec-snapshot
# stops it before its first instruction and prints its registers, maps, auxv (from
# /proc and from the stack), the mm fields of /proc/PID/stat and a digest of the
# whole initial stack (AT_RANDOM's bytes aside); execprobe's view of its maps
# (execprobe maps PID, compared with execprobe diff) must agree too. Under
# claim=all the loaded counter proves that binfmt_rs did the load.
#   sh /tests/differential.sh [RUNS]   RUNS: execs per program with ASLR on (50)
. /tests/ktap.sh

# name, path, arguments: every sample, busybox, and ld.so run as the program; on
# the arm64 guest its AArch64 and AArch32 samples.
CASES_X86_64="
jmp_start /samples/jmp_start
jmp_start-pie /samples/jmp_start-pie
static /samples/static
static-musl /samples/static-musl
manyload /samples/manyload
static-pie /samples/static-pie
nolibc /samples/nolibc
bigbss /samples/bigbss
maxpage /samples/maxpage
lld /samples/lld
execstack /samples/execstack
dynamic-pie /samples/dynamic-pie
dynamic-nopie /samples/dynamic-nopie
dynamic-maxpage /samples/dynamic-maxpage
dynamic-execstack /samples/dynamic-execstack
dynamic-cet /samples/dynamic-cet
dynamic-noseparate /samples/dynamic-noseparate
dynamic-lazy /samples/dynamic-lazy
dynamic-lld /samples/dynamic-lld
rust /samples/rust
busybox /bin/busybox true
ld.so /lib64/ld-linux-x86-64.so.2 /samples/dynamic-pie
exit32 /samples/exit32
jmp_start32 /samples/jmp_start32
nolibc32 /samples/nolibc32
static32 /samples/static32
static-pie32 /samples/static-pie32
bigbss32 /samples/bigbss32
maxpage32 /samples/maxpage32
execstack32 /samples/execstack32
dynamic-pie32 /samples/dynamic-pie32
dynamic-nopie32 /samples/dynamic-nopie32
ld.so32 /lib/ld-linux.so.2 /samples/dynamic-pie32
"
CASES_ARM64="
jmp_start /samples/jmp_start
nolibc /samples/nolibc
static /samples/static
static-pie /samples/static-pie
dynamic-pie /samples/dynamic-pie
bti /samples/bti
cat-smaps /samples/cat-smaps
maxpage64k /samples/maxpage64k
busybox /bin/busybox true
ld.so /lib/ld-linux-aarch64.so.1 /samples/dynamic-pie
static32 /samples/static32
dynamic32 /samples/dynamic32
kuser32 /samples/kuser32
sigpage32 /samples/sigpage32
ld.so32 /lib/ld-linux-armhf.so.3 /samples/dynamic32
"
arch=$(uname -m)
case $arch in
aarch64) CASES=$CASES_ARM64 ;;
*) CASES=$CASES_X86_64 ;;
esac

# execprobe looks at each stopped process too, where it is built (x86_64).
probe=no
if command -v execprobe >/dev/null; then
	probe=yes
else
	echo "# no execprobe on this guest ($arch): its views of the maps are left out"
fi

# elf32 FILE: whether FILE is an ELFCLASS32 file.
elf32() {
	[ "$(od -An -c -N5 "$1" 2>/dev/null | tr -d ' ')" = '177ELF001' ]
}

# A kernel without IA32_EMULATION (the alt kernel) runs no i386 program under
# either loader: binfmt_rs is built without its ELF32 loader there and declines
# them, as the kernel does. The i386 cases are then left out, and said so.
ia32=yes
[ "$arch" = x86_64 ] || ia32=no
set_claim none
if [ "$arch" = x86_64 ] && ! /samples/exit32 >/dev/null 2>&1; then
	ia32=no
	echo "# no i386 programs on this kernel (no IA32_EMULATION): the ELF32 cases are left out"
	CASES=$(echo "$CASES" | while read -r prog path args; do
		[ -n "$prog" ] && ! elf32 "$path" && echo "$prog $path $args"
	done)
	set_claim all
	offered=$(counter offered) elf=$(counter elf)
	/tests/exec-snapshot /samples/exit32 >/tmp/exit32.all
	# exec-snapshot, an ELF64 program binfmt_rs loads, then exit32, offered and
	# declined: execve() fails with ENOEXEC.
	expect_eq "differential: binfmt_rs is offered an i386 program and declines it" \
		"$((offered + 2)) $((elf + 1))" "$(counter offered) $(counter elf)"
	expect "differential: exit32's exec fails with ENOEXEC" \
		grep -q '^outcome: errno 8 ' /tmp/exit32.all
	set_claim none
fi

echo 0 >/proc/sys/kernel/randomize_va_space
echo "$CASES" | while read -r prog path args; do
	[ -n "$prog" ] || continue
	json_none= json_all= execs=2
	if [ $probe = yes ]; then
		json_none="-j /tmp/$prog.none.json" json_all="-j /tmp/$prog.all.json" execs=3
	fi
	set_claim none
	/tests/exec-snapshot $json_none $path $args one two >/tmp/$prog.none
	set_claim all
	before=$(counter loaded)
	before32=$(counter loaded32)
	/tests/exec-snapshot $json_all $path $args one two >/tmp/$prog.all
	after=$(counter loaded)
	after32=$(counter loaded32)
	set_claim none
	# exec-snapshot itself, the program, then execprobe looking at it; a 32-bit
	# program is counted as ELF32 too.
	expect_eq "differential: binfmt_rs loaded $prog" $((before + execs)) "$after"
	if elf32 "$path"; then
		expect_eq "differential: binfmt_rs loaded $prog as ELF32" $((before32 + 1)) "$after32"
	fi
	expect "differential: $prog stopped at its first instruction" \
		grep -q '^outcome: stopped' /tmp/$prog.none
	if cmp -s /tmp/$prog.none /tmp/$prog.all; then
		pass "differential: $prog is the same process under both loaders (ASLR off)"
	else
		fail "differential: $prog is the same process under both loaders (ASLR off)"
		diff /tmp/$prog.none /tmp/$prog.all | sed 's/^/# /'
	fi
	# execprobe's view of the stopped process: every mapping with the PT_LOAD it
	# came from and its checks (AT_ENTRY, AT_PHDR, AT_BASE against the biases),
	# which must hold (exit status 0, in the snapshots compared above).
	[ $probe = yes ] || continue
	expect "differential: execprobe's checks of $prog's maps pass" \
		grep -q '^execprobe: exit status 0$' /tmp/$prog.none
	if execprobe diff /tmp/$prog.none.json /tmp/$prog.all.json >/tmp/execprobe.diff; then
		pass "differential: execprobe diff finds no difference in $prog's maps (ASLR off)"
	else
		fail "differential: execprobe diff finds no difference in $prog's maps (ASLR off)"
		sed 's/^/# /' /tmp/execprobe.diff
	fi
done

# The kernel warns once per boot about an executable stack; the stack itself must
# be rwx under both loaders (checked above through maps).
[ "$arch" = aarch64 ] ||
	for prog in execstack dynamic-execstack; do
		expect "differential: $prog's [stack] is rwxp" grep -q 'rwxp.*\[stack\]' /tmp/$prog.all
	done

# ASLR on, for every case above: the same mappings with the same sizes, protections and offsets; the
# bases vary under both loaders, with the same alignment. exec-snapshot -a compares
# the order only as a set: with 2 MiB alignment (maxpage) the vDSO sometimes lands
# in a hole of the image, under either loader.

# alignment FILE COLUMN: the largest power of two dividing every value.
alignment() {
	or=0
	for v in $(cut -d' ' -f"$2" "$1"); do
		or=$((or | 0x$v))
	done
	echo $((or & -or))
}

echo 2 >/proc/sys/kernel/randomize_va_space
RUNS=${1:-50}
echo "$CASES" | while read -r prog path args; do
	[ -n "$prog" ] || continue
	# An ET_EXEC file is mapped at its link address whatever ASLR says.
	first_col=1
	[ "$(od -An -tu2 -j16 -N2 "$path" | tr -d ' ')" = 2 ] && first_col=2
	# maxpage32, a static PIE, is placed by mmap: the compat mmap base moves by
	# mmap_rnd_compat_bits (8 bits of pages, 1 MiB), in which a 2 MiB-aligned
	# image has one place only, under either loader.
	[ "$prog" = maxpage32 ] && first_col=2
	for claim in none all; do
		set_claim $claim
		before=$(counter loaded)
		/tests/exec-snapshot -a $RUNS $path $args >/tmp/$prog.$claim.runs
		loaded=$(($(counter loaded) - before))
		set_claim none
		cut -d' ' -f2 /tmp/$prog.$claim.runs >/tmp/$prog.$claim.shapes
		cut -d' ' -f3- /tmp/$prog.$claim.runs >/tmp/$prog.$claim.bases
		expect_eq "aslr: $prog ran $RUNS times under claim=$claim" $RUNS "$(grep -c '^aslr: ' /tmp/$prog.$claim.runs)"
	done
	# Under claim=all (the last round): exec-snapshot itself, then the program RUNS times.
	expect_eq "aslr: binfmt_rs loaded $prog $RUNS times" $((1 + RUNS)) "$loaded"
	if [ "$(sort -u /tmp/$prog.none.shapes)" = "$(sort -u /tmp/$prog.all.shapes)" ] &&
		[ "$(sort -u /tmp/$prog.all.shapes | wc -l)" = 1 ]; then
		pass "aslr: $prog has the same mappings in all $RUNS runs under both loaders"
	else
		fail "aslr: $prog has the same mappings in all $RUNS runs under both loaders"
		/tests/exec-snapshot $path $args | grep '^maps: ' | sed 's/^/# /'
	fi
	for claim in none all; do
		varies=yes
		for col in $(seq $first_col 4); do
			distinct=$(cut -d' ' -f$col /tmp/$prog.$claim.bases | sort -u | wc -l)
			[ "$distinct" -gt $((RUNS / 2)) ] || varies="no (column $col: $distinct distinct)"
		done
		expect_eq "aslr: $prog's randomised bases vary under claim=$claim" yes "$varies"
	done
	# The alignment is the lowest bit set in any base: with few runs, every base may
	# have a higher bit as its lowest by chance (2^-RUNS for each bit), so it is
	# judged from 20 runs up.
	[ "$RUNS" -ge 20 ] || continue
	for col in 1 2 3 4; do
		expect_eq "aslr: $prog base $col has the same alignment under both loaders" \
			"$(alignment /tmp/$prog.none.bases $col)" "$(alignment /tmp/$prog.all.bases $col)"
	done
done

# Personalities the exec inherits (set by exec-snapshot -p), with ASLR on:
# ADDR_NO_RANDOMIZE makes the layout deterministic; READ_IMPLIES_EXEC must be
# dropped for a 64-bit program; ADDR_COMPAT_LAYOUT selects the bottom-up mmap
# layout; MMAP_PAGE_ZERO maps and seals page 0.
echo 2 >/proc/sys/kernel/randomize_va_space
for case in "static-pie 0x40000" "dynamic-pie 0x40000" "dynamic-pie 0x240000" \
	"static 0x440000" "jmp_start 0x140000"; do
	set -- $case
	prog=$1 persona=$2
	set_claim none
	/tests/exec-snapshot -p $persona /samples/$prog >/tmp/persona.none
	set_claim all
	/tests/exec-snapshot -p $persona /samples/$prog >/tmp/persona.all
	set_claim none
	if grep -q '^outcome: stopped' /tmp/persona.none && cmp -s /tmp/persona.none /tmp/persona.all; then
		pass "personality: $prog with $persona is the same process under both loaders"
	else
		fail "personality: $prog with $persona is the same process under both loaders"
		diff /tmp/persona.none /tmp/persona.all | sed 's/^/# /'
	fi
	cp /tmp/persona.all /tmp/persona.$prog.$persona
done
expect "personality: READ_IMPLIES_EXEC is dropped for a 64-bit program" \
	grep -q '^personality: 00040000' /tmp/persona.static.0x440000
# elf_read_implies_exec(): an i386 program without PT_GNU_STACK (exit32) gets
# READ_IMPLIES_EXEC, so its readable mappings are executable (compared with the
# kernel's above, ASLR off).
if [ $ia32 = yes ]; then
	expect "personality: an i386 program without PT_GNU_STACK gets READ_IMPLIES_EXEC" \
		grep -q '^personality: 00400000' /tmp/exit32.all
	expect "personality: with it, exit32's data segment is rwx" \
		grep -q '^maps: 0804a000-0804b000 rwxp' /tmp/exit32.all
fi
expect "personality: MMAP_PAGE_ZERO maps page 0" \
	grep -q '^maps: 00000000-00001000 r-xp' /tmp/persona.jmp_start.0x140000

