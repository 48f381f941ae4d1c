# An exec storm (run with claim=none: it must not run on binfmt_rs itself, or it
# would pin the module it unloads): parallel workers exec static and dynamic
# programs, x86_64 and i386, and execprobe (which checks its own stack, auxv and
# maps), or on the arm64 guest AArch64 and AArch32 ones, while one process toggles claim and
# another unloads and reloads the module. Every exec must succeed whichever loader
# takes it, nothing may crash, and nothing may pin the module at the end.
#   sh /tests/stress.sh [EXECS]   (default 2000)
. /tests/ktap.sh

execs=${1:-2000}
workers=4
if [ "$(uname -m)" = aarch64 ]; then
	samples="static static-pie dynamic-pie nolibc bti static32 dynamic32"
	programs=$samples
else
	samples="static static-pie dynamic-pie nolibc static32 dynamic-pie32"
	programs="$samples execprobe"
fi
set -- $programs
per_round=$#
rounds=$((execs / workers / per_round))
dir=/tmp/stress
mkdir -p $dir
for p in $samples; do ln -sf /samples/$p $dir/$p; done
[ ! -x /bin/execprobe ] || ln -sf /bin/execprobe $dir/execprobe
i=0
while [ $i -lt $rounds ]; do
	for p in $programs; do echo $p; done
	i=$((i + 1))
done >$dir/list

# The reloader and the workers are started by this shell under claim=none, so the
# kernel's loader loads them: they never pin the module themselves. Then the
# toggler, a subshell that execs nothing, flips claim until the workers are done.
# Writes to a parameter of an unloaded module fail; that is part of the storm.
rm -f $dir/stop
set_claim none
/tests/reload-loop /lib/modules/binfmt_rs.ko claim=all $dir/stop >$dir/reloads &
reloader=$!
pids=
w=1
while [ $w -le $workers ]; do
	/tests/exec-outcomes -t 60 $dir <$dir/list >$dir/out.$w &
	pids="$pids $!"
	w=$((w + 1))
done
(
	n=0
	while [ ! -e $dir/stop ]; do
		{ set_claim all && set_claim none; } 2>/dev/null
		n=$((n + 1))
	done
	echo $n >$dir/toggles
) &
toggler=$!
wait $pids
touch $dir/stop
wait $toggler $reloader

read -r reloads busy <$dir/reloads
read -r toggles <$dir/toggles
cat $dir/out.* >$dir/all
total=$(wc -l <$dir/all)
good=$(grep -c '^[^ ]* exit:0 ' $dir/all)
echo "# stress: $total execs by $workers workers, $reloads reloads ($busy rmmods refused while busy), $toggles claim toggles"
expect_eq "stress: all $((rounds * per_round * workers)) execs ran" $((rounds * per_round * workers)) "$total"
expect_eq "stress: every exec succeeded and its program exited 0" "$total" "$good"
grep -v '^[^ ]* exit:0 ' $dir/all | sort | uniq -c | head -n 20 | sed 's/^/# /'
expect "stress: the module was unloaded and reloaded during the storm" [ "$reloads" -gt 0 ]
expect "stress: the module is loaded at the end" [ -d /sys/module/binfmt_rs ]
expect_eq "stress: nothing pins binfmt_rs at the end" 0 "$(refcnt)"
