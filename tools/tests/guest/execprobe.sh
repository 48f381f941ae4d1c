# execprobe's commands in the guest, under both loaders. `execprobe diff` is the
# comparison: with ASLR off the reports of the two loaders must not differ, and
# with ASLR on they must not differ but for what ASLR moves. Under claim=all the
# counters prove that binfmt_rs loaded every ELF program run meanwhile (execprobe
# six times, and the applets the script uses), and the i386 child of
# `execprobe vdso32`, which calls the 32-bit vDSO.
. /tests/ktap.sh

/samples/pause &
pid=$!
running $pid /samples/pause
for claim in none all; do
	echo 0 >/proc/sys/kernel/randomize_va_space
	set_claim $claim
	loaded=$(counter loaded)
	elf=$(counter elf)
	expect "execprobe: stack's checks hold under claim=$claim" quietly execprobe stack
	expect "execprobe: auxv agrees with /proc and getauxval under claim=$claim" quietly execprobe auxv
	expect "execprobe: vdso calls agree with the system calls under claim=$claim" quietly execprobe vdso
	loaded32=$(counter loaded32)
	expect "execprobe: vdso32, in an i386 child, agrees with int \$0x80 under claim=$claim" \
		quietly execprobe vdso32
	if [ $claim = all ]; then
		expect "execprobe: binfmt_rs loaded the i386 child of vdso32" \
			[ $(($(counter loaded32) - loaded32)) -ge 1 ]
	fi
	execprobe --json >/tmp/report.$claim.json
	expect_eq "execprobe: --json's checks hold under claim=$claim" 0 $?
	execprobe map --svg /tmp/map.$claim.svg >/dev/null
	missing=
	for name in '\[stack\]' '\[vdso\]' '\[vvar\]' '\[vsyscall\]'; do
		grep -q "$name" /tmp/map.$claim.svg || missing="$missing $name"
	done
	expect_eq "execprobe: map --svg names the special mappings under claim=$claim" "" "$missing"
	echo 2 >/proc/sys/kernel/randomize_va_space
	execprobe --json >/tmp/report.$claim.aslr.json
	if [ $claim = all ]; then
		loaded=$(($(counter loaded) - loaded))
		expect_eq "execprobe: binfmt_rs loaded every ELF program under claim=all" \
			$(($(counter elf) - elf)) $loaded
		expect "execprobe: binfmt_rs loaded execprobe six times or more" [ $loaded -ge 6 ]
	fi
done
set_claim none
expect "execprobe: maps PID attributes a dynamic program's mappings" quietly execprobe maps $pid
kill $pid
expect "execprobe: diff finds nothing between the two loaders (ASLR off)" \
	quietly execprobe diff /tmp/report.none.json /tmp/report.all.json
expect "execprobe: diff --aslr finds nothing between the two loaders (ASLR on)" \
	quietly execprobe diff --aslr /tmp/report.none.aslr.json /tmp/report.all.aslr.json
sed 's/"argc": 2,/"argc": 3,/' /tmp/report.all.json >/tmp/report.changed.json
if execprobe diff /tmp/report.none.json /tmp/report.changed.json >/dev/null; then
	fail "execprobe: diff reports a changed report"
else
	pass "execprobe: diff reports a changed report"
fi
