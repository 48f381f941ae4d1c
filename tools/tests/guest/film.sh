# shellcheck shell=sh
# The film of each exec binfmt_rs loads (the film parameter, the debugfs record,
# the binfmt_rs:* trace events and `execprobe film`), checked against the steps of
# load_elf_binary() (fs/binfmt_elf.c) and against /proc/PID/maps at the first
# instruction. Only binfmt_rs records films, so a film is the proof that it loaded
# the exec; the loaded and failed counters say the same.
# Run by tools/check with the samples, the corpus, execprobe and python3.
. /tests/ktap.sh

P=/sys/module/binfmt_rs/parameters
FILMS=/sys/kernel/debug/binfmt_rs/films
T=/sys/kernel/tracing
mount -t debugfs none /sys/kernel/debug 2>/dev/null
mount -t tracefs none $T 2>/dev/null

expect "film: off by default" [ "$(param film)" = 0 ]
expect "film: the record exists" [ -r $FILMS ]
expect_eq "film: and is empty before any exec is filmed" "" "$(cat $FILMS)"
set_claim all
/samples/nolibc >/dev/null
expect_eq "film: with film off and no event enabled, an exec leaves no film" "" "$(cat $FILMS)"
expect "execprobe film: says that the film is off" \
	sh -c "execprobe film -- /samples/nolibc 2>&1 | grep -q 'the film is off'"
echo 1 >$P/film
set_claim none
expect "execprobe film: says that binfmt_rs is not claiming" \
	sh -c "execprobe film -- /samples/nolibc 2>&1 | grep -q 'not claiming'"
set_claim all

# film_of PID: the last film of PID in the record.
film_of() {
	awk -v pid="$1" '$1 == "film" { cur = ""; mine = ($4 == pid) }
		mine { cur = cur $0 "\n" } $1 == "end" && mine { last = cur }
		END { printf "%s", last }' $FILMS
}
# steps FILE: the steps of the film, one per line, repeats folded.
steps() {
	awk '$1 == "frame" && $3 != prev { print $3; prev = $3 }' "$1" | tr '\n' ' '
}

STACK_TOP_MAX_4=7ffffffff000
STACK_TOP_MAX_5=fffffffffffff000
echo 1 >$T/events/binfmt_rs/enable
# Every sample, killed at its first instruction (some never end).
for path in /samples/*; do
	prog=${path#/samples/}
	case $prog in *.so) continue ;; esac
	echo >$T/trace
	loaded=$(counter loaded)
	execprobe film --kill -- /samples/$prog >/tmp/film.txt 2>&1
	rc=$?
	pid=$(sed -n 's/^film of .* (pid \([0-9]*\), .*/\1/p' /tmp/film.txt)
	film_of "$pid" >/tmp/film.$prog
	expect "film: $prog: binfmt_rs filmed its exec (and counted it)" \
		sh -c "[ -s /tmp/film.$prog ] && [ $(counter loaded) -gt $loaded ]"
	expect_eq "film: $prog: the last frame is /proc/PID/maps at the first instruction (execprobe film)" \
		0 "$rc"
	grep -q 'shows the last frame' /tmp/film.txt || sed 's/^/# /' /tmp/film.txt
	# Frame 0: __bprm_mm_init's stack VMA alone, at STACK_TOP_MAX, holding the strings.
	awk '$1 == "frame" { n++ } n == 1 && $1 == "vma"' /tmp/film.$prog >/tmp/frame0
	end=$(sed -n 's/^vma [0-9a-f]*-\([0-9a-f]*\) .*/\1/p' /tmp/frame0)
	expect "film: $prog: frame 0 holds one VMA, the stack at STACK_TOP_MAX" \
		sh -c "[ $(wc -l </tmp/frame0) = 1 ] && grep -q ' \[stack\]\$' /tmp/frame0 &&
			{ [ '$end' = $STACK_TOP_MAX_4 ] || [ '$end' = $STACK_TOP_MAX_5 ]; }"
	# A PT_INTERP names ld-linux within the file's first page.
	if head -c 4096 /samples/$prog | grep -q ld-linux; then
		interp="load_elf_interp "
	else
		interp=""
	fi
	expect_eq "film: $prog: the steps come in load_elf_binary()'s order" \
		"bprm_mm_init begin_new_exec setup_arg_pages elf_load ${interp}arch_setup_additional_pages create_elf_tables set_brk start_thread " \
		"$(steps /tmp/film.$prog)"
	expect_eq "film: $prog: [vdso] first appears after arch_setup_additional_pages" \
		arch_setup_additional_pages \
		"$(awk '$1 == "frame" { step = $3 } $1 == "vma" && / \[vdso\]$/ { print step; exit }' /tmp/film.$prog)"
	case $prog in
	*32) class=ELF32 ;;
	*) class=ELF64 ;;
	esac
	expect "film: $prog: the film names its class, $class, and a clean result" \
		grep -q "^film [0-9]* pid $pid class $class frames [0-9]* result 0$" /tmp/film.$prog
	# The trace events of the same exec: the same steps, with the same calls.
	sed -n 's/^frame [0-9]* //p' /tmp/film.$prog >/tmp/film.calls
	echo "load_elf_binary load_elf_binary(file=/samples/$prog) = 0" >>/tmp/film.calls
	sed -n "s/^.*-$pid  *\[[0-9]*\] [^ ]*  *[0-9.]*: \([a-z_0-9]*\): \(.*\)$/\1 \2/p" \
		$T/trace >/tmp/trace.calls
	expect_same "film: $prog: the binfmt_rs:* trace events name the same steps and calls" \
		/tmp/film.calls /tmp/trace.calls
done
echo 0 >$T/events/binfmt_rs/enable

# 32-bit programs go through the compat functions.
expect "film: an i386 program's vDSO comes from compat_arch_setup_additional_pages" \
	grep -q '^frame [0-9]* arch_setup_additional_pages compat_arch_setup_additional_pages(' \
	/tmp/film.static32
expect "film: and its registers from compat_start_thread" \
	grep -q '^frame [0-9]* start_thread compat_start_thread(' /tmp/film.static32

# Let go, the program runs on.
execprobe film -- /samples/nolibc >/tmp/film.txt 2>&1
expect "execprobe film: lets the program go after its film" \
	grep -q '^let go, it exited with 0$' /tmp/film.txt

# The seed's `jmp _start`, which never ends: its film, read while it loops.
echo 0 >/proc/sys/kernel/randomize_va_space
execprobe film --kill -- /samples/jmp_start >/tmp/film.txt 2>&1
expect_eq "film: jmp_start: the last frame is its maps (execprobe film --kill)" 0 $?
expect "film: jmp_start: the text shows each step and the gate area" \
	grep -q 'the gate area' /tmp/film.txt
/samples/jmp_start &
pid=$!
sleep 1
film_of $pid >/tmp/film.jmp
awk '$1 == "frame" { n = 0 } $1 == "vma" { v[++n] = $2 " " $3 " " $4 " " $5 } END {
	for (i = 1; i <= n; i++) print v[i] }' /tmp/film.jmp >/tmp/last.frame
awk '$6 != "[vsyscall]" { print $1, $2, $3, $6 }' /proc/$pid/maps |
	sed 's/ $//' >/tmp/maps.now
sed -i 's/ $//' /tmp/last.frame
kill $pid
wait $pid 2>/dev/null
expect_same "film: jmp_start: the last frame equals /proc/PID/maps, the gate area aside" \
	/tmp/maps.now /tmp/last.frame
echo 2 >/proc/sys/kernel/randomize_va_space

# A failing exec: after the point of no return, its film ends at the failing step.
failed=$(counter failed)
execprobe film -- /corpus/bss.last-memsz-huge >/tmp/film.txt 2>&1
pid=$(sed -n 's/^film of .* (pid \([0-9]*\), .*/\1/p' /tmp/film.txt)
film_of "$pid" >/tmp/film.fail
result=$(sed -n '1s/.* result \(-[0-9]*\)$/\1/p' /tmp/film.fail)
expect "film: a failing exec is filmed and counted failed, with its errno" \
	sh -c "[ -n '$result' ] && [ $(counter failed) -gt $failed ]"
expect "film: its last frame is the step that failed, returning that errno" \
	sh -c "grep '^frame ' /tmp/film.fail | tail -n 1 | grep -q ' elf_load vm_brk_flags(.*) = $result\$'"
expect "execprobe film: says that the exec failed after the point of no return" \
	grep -q 'failed after the point of no return' /tmp/film.txt

# The record keeps at most film_keep films, the newest.
echo 3 >$P/film_keep
for i in 1 2 3 4 5; do /samples/nolibc >/dev/null; done
expect_eq "film: the record keeps film_keep=3 films" 3 "$(grep -c '^film ' $FILMS)"
seqs=$(sed -n 's/^film \([0-9]*\) .*/\1/p' $FILMS | tr '\n' ' ')
seqs=${seqs% }
# shellcheck disable=SC2086
set -- $seqs
expect_eq "film: they are the newest three, oldest first" "$1 $(($1 + 1)) $(($1 + 2))" "$seqs"
expect "film: film_keep refuses 0 and more than 64" \
	sh -c "! echo 0 >$P/film_keep 2>/dev/null && ! echo 65 >$P/film_keep 2>/dev/null"
# With the film off, the commands below add no films of their own.
echo 0 >$P/film
seqs() { sed -n 's/^film \([0-9]*\) .*/\1/p' $FILMS | tr '\n' ' ' | sed 's/ $//'; }
before=$(seqs)
echo 2 >$P/film_keep
expect_eq "film: a smaller film_keep drops the oldest films at once" \
	"${before#* }" "$(seqs)"
echo 8 >$P/film_keep
echo 1 >$P/film

# Reading the record while execs run: neither blocks the other (the guest kernel
# log is checked for lockdep, WARN and oops reports by qemu-run).
touch /tmp/reading
for r in 1 2; do
	(while [ -e /tmp/reading ]; do cat $FILMS >/dev/null; done) &
done
ok=0
i=0
while [ $i -lt 100 ]; do
	/samples/nolibc >/dev/null && ok=$((ok + 1))
	i=$((i + 1))
done
rm /tmp/reading
wait
expect_eq "film: 100 execs run while two readers read the record" 100 $ok
expect_eq "film: the record stays whole: every film has its end" \
	"$(grep -c '^film ' $FILMS)" "$(grep -c '^end$' $FILMS)"

# execprobe film --json follows its schema; --svg draws a well-formed strip.
# --kill: the program's own output would follow the JSON on stdout.
execprobe film --json --kill --svg /tmp/film.svg -- /samples/dynamic-pie >/tmp/film.json
expect_eq "execprobe film --json: exits 0" 0 $?
expect "execprobe film --json: parses as execprobe-film/v1 says" python3 -c '
import json, sys
f = json.load(open("/tmp/film.json"))
assert f["schema"] == "execprobe-film/v1"
assert f["last_frame_is_maps"] is True
def vmas(vs):
    for v in vs:
        assert isinstance(v["start"], int) and isinstance(v["end"], int)
        assert v["start"] < v["end"] and len(v["perms"]) == 4 and isinstance(v["name"], str)
assert f["frames"] and f["maps"]
for fr in f["frames"]:
    assert isinstance(fr["step"], str) and isinstance(fr["function"], str)
    vmas(fr["vmas"])
vmas(f["maps"])
assert f["frames"][0]["step"] == "bprm_mm_init"
'
expect "execprobe film --svg: the strip is well-formed SVG, a column per frame" python3 -c '
import json, xml.etree.ElementTree as ET
root = ET.parse("/tmp/film.svg").getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg"
texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
frames = json.load(open("/tmp/film.json"))["frames"]
for i, fr in enumerate(frames):
    assert "%d %s" % (i, fr["step"]) in texts, (i, fr["step"])
'

echo 0 >$P/film
set_claim none
rmmod binfmt_rs
expect "execprobe film: says that binfmt_rs is not loaded" \
	sh -c "execprobe film -- /samples/nolibc 2>&1 | grep -q 'binfmt_rs is not loaded'"
