# The guest half of tools/bench-insns: ROUNDS pairs of batches of N execs of PROG,
# one batch under claim=none and one under claim=all, alternating which goes
# first. Each write of claim marks a batch boundary for the loader_insns plugin
# (tools/qemu-plugins/loader_insns.c), so only shell builtins run in between.
#   sh /tests/bench-insns.sh ASLR ROUNDS N PROG
echo "$1" >/proc/sys/kernel/randomize_va_space
# Before the first batch: cat is an exec of its own. (The file answers whole
# reads only, which the shell's read does not make.)
echo "module text $(cat /sys/module/binfmt_rs/sections/.text)"
claim=/sys/module/binfmt_rs/parameters/claim
r=0
while [ $r -lt "$2" ]; do
	if [ $((r % 2)) = 0 ]; then order="none all"; else order="all none"; fi
	for c in $order; do
		echo $c >$claim
		i=0
		while [ $i -lt "$3" ]; do
			"$4" >/dev/null || echo "bench-insns: $4 failed under claim=$c"
			i=$((i + 1))
		done
	done
	r=$((r + 1))
done
# The last boundary.
echo none >$claim
