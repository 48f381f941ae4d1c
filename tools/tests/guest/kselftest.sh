# The kernel's own vDSO and vsyscall selftests, built static from the test
# kernel's tree, under both loaders: each must give the same results under
# claim=all as under claim=none, and binfmt_rs must have loaded it.
. /tests/ktap.sh

# results LOG: the verdicts of a selftest's output, in order: KTAP lines, the x86
# tests' [OK]/[FAIL]/[SKIP] tags, the vDSO tests' [PASS]/[FAIL] lines. A test that
# prints no verdict (it reports through its exit status) gives its output with the
# measured numbers masked.
results() {
	verdicts=$(grep -oE '^(ok|not ok) [0-9]+|^\[(OK|FAIL|SKIP)\]|^# (Totals|SKIP|PASS|FAIL).*|.*\[(PASS|FAIL|SKIP)\]$' "$1")
	if [ -n "$verdicts" ]; then
		echo "$verdicts"
	else
		sed 's/[0-9][0-9]*/N/g' "$1"
	fi
}

for t in /kselftest/*; do
	name=${t##*/}
	set_claim none
	$t >/tmp/$name.none 2>&1
	status_none=$?
	set_claim all
	before=$(counter loaded)
	$t >/tmp/$name.all 2>&1
	status_all=$?
	after=$(counter loaded)
	set_claim none
	expect_eq "kselftest: binfmt_rs loaded $name" $((before + 1)) "$after"
	# 0 is a pass, 4 a skip (KSFT_SKIP), reported as one.
	case $status_none in
	0) pass "kselftest: $name passes under the kernel's loader (exit 0)" ;;
	4) pass "kselftest: $name passes under the kernel's loader # SKIP it skips (exit 4, KSFT_SKIP)" ;;
	*)
		fail "kselftest: $name passes under the kernel's loader (exit $status_none)"
		sed 's/^/# /' /tmp/$name.none
		;;
	esac
	expect_eq "kselftest: $name exits the same under binfmt_rs" "$status_none" "$status_all"
	if [ -n "$(results /tmp/$name.none)" ] &&
		[ "$(results /tmp/$name.none)" = "$(results /tmp/$name.all)" ]; then
		pass "kselftest: $name gives the same results under binfmt_rs"
	else
		fail "kselftest: $name gives the same results under binfmt_rs"
		diff /tmp/$name.none /tmp/$name.all | sed 's/^/# /'
	fi
done
