# The guest half of `make demo` (run by tools/demo through tools/qemu-run).
# qemu-run's init has mounted debugfs, where binfmt_rs keeps its films.
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
claim=/sys/module/binfmt_rs/parameters/claim

say "binfmt_rs.ko is loaded, just ahead of binfmt_elf in the kernel's binfmt list"
grep binfmt_rs /proc/modules
dmesg | grep binfmt_rs
echo all >$claim
echo "claim=$(cat $claim): binfmt_rs is asked about every ELF file first"

say "the seed program, /samples/jmp_start: '_start: jmp _start', nothing else"
/samples/jmp_start &
pid=$!
# Until its exec is complete it is still the shell that forked it.
until read -r state </proc/$pid/syscall && [ "$state" = running ]; do :; done
echo "running as pid $pid"

say "/proc/$pid/maps: its PT_LOADs from the file; the rest exec made"
cat /proc/$pid/maps

say "execprobe maps $pid: where each mapping came from, what the special ones are"
execprobe maps $pid
kill $pid

say "its film: the address space after each step of its exec (film=1, execprobe film)"
echo 1 >/sys/module/binfmt_rs/parameters/film
execprobe film --kill -- /samples/jmp_start
echo 0 >/sys/module/binfmt_rs/parameters/film

say "execprobe: what exec left in execprobe's own process"
execprobe

say "what binfmt_rs saw"
cat /sys/module/binfmt_rs/parameters/stats
echo none >$claim
rmmod binfmt_rs && dmesg | grep binfmt_rs | tail -n 1

say "powering off"
