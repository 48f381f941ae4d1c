# The guest half of `make demo ARCH=arm64` (run by tools/demo through
# tools/qemu-run on the arm64 guest). qemu-run's init has mounted debugfs, where
# binfmt_rs keeps its films.
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
claim=/sys/module/binfmt_rs/parameters/claim

say "binfmt_rs.ko is loaded on arm64, just ahead of binfmt_elf in the kernel's binfmt list"
grep binfmt_rs /proc/modules
dmesg | grep binfmt_rs
echo all >$claim
echo "claim=$(cat $claim): binfmt_rs is asked about every ELF file first"

say "the seed program for AArch64, /samples/jmp_start: '_start: b _start', nothing else"
/samples/jmp_start &
pid=$!
# Until its exec is complete it is still the shell that forked it.
until read -r state </proc/$pid/syscall && [ "$state" = running ]; do :; done
echo "running as pid $pid"

say "/proc/$pid/maps: its PT_LOADs, then [vvar] and [vdso]; arm64 has no [vsyscall]"
cat /proc/$pid/maps
if command -v execprobe >/dev/null; then
	say "execprobe maps $pid: where each mapping came from, what the special ones are"
	execprobe maps $pid
fi
kill $pid

say "its film: the address space after each step of its exec (film=1)"
grep -q ' /sys/kernel/debug ' /proc/mounts || mount -t debugfs none /sys/kernel/debug
echo 1 >/sys/module/binfmt_rs/parameters/film
/samples/jmp_start &
pid=$!
until read -r state </proc/$pid/syscall && [ "$state" = running ]; do :; done
kill $pid
# Turning film off drops the record: it is read first, the seed's film alone.
awk '/^film / { head = $0; show = 0; next }
	/^file / { show = $2 == "/samples/jmp_start"; if (show) print head }
	show' /sys/kernel/debug/binfmt_rs/films
echo 0 >/sys/module/binfmt_rs/parameters/film

say "an AArch32 program, /samples/kuser32: [vectors] at 0xffff0000 and the kuser helpers it calls"
/samples/kuser32

say "an AArch32 signal handler returns through [sigpage]: /samples/sigpage32"
/samples/sigpage32

say "a BTI-marked AArch64 program: its text is mapped with PROT_BTI (VmFlags bt)"
/samples/bti | awk '/^[0-9a-f]+-[0-9a-f]+ / { text = $2 == "r-xp"; if (text) print }
	text && /^VmFlags:/ { print; exit }'

say "what binfmt_rs saw (loaded32: the AArch32 programs)"
cat /sys/module/binfmt_rs/parameters/stats
echo none >$claim
rmmod binfmt_rs && dmesg | grep binfmt_rs | tail -n 1

say "powering off"
