# The kernel's exec selftests (execveat, load_address for 4 KiB, 2 MiB and 16 MiB
# alignment, PIE and static PIE, non-regular, null-argv, recursion-depth) under
# both loaders: every test must give the same verdicts under claim=all as under
# claim=none, and binfmt_rs must have loaded it.
. /tests/ktap.sh

# verdicts LOG: the KTAP result lines, without their descriptions' numbers.
verdicts() { grep -E '^(ok|not ok) [0-9]+' "$1" | sed 's/[0-9][0-9]*/N/g'; }

cp -a /kselftest-exec /tmp/exec
cd /tmp/exec
for t in execveat non-regular null-argv recursion-depth \
	load_address.0x1000 load_address.0x200000 load_address.0x1000000 \
	load_address.static.0x1000 load_address.static.0x200000 load_address.static.0x1000000; do
	set_claim none
	./$t >/tmp/$t.none 2>&1
	status_none=$?
	set_claim all
	before=$(counter loaded)
	./$t >/tmp/$t.all 2>&1
	status_all=$?
	after=$(counter loaded)
	set_claim none
	if [ "$after" -gt "$before" ]; then
		pass "kselftest exec: binfmt_rs loaded $t"
	else
		fail "kselftest exec: binfmt_rs loaded $t"
	fi
	expect_eq "kselftest exec: $t exits the same under both loaders" "$status_none" "$status_all"
	if [ -n "$(verdicts /tmp/$t.none)" ] && [ "$(verdicts /tmp/$t.none)" = "$(verdicts /tmp/$t.all)" ]; then
		pass "kselftest exec: $t gives the same verdicts under both loaders"
	else
		fail "kselftest exec: $t gives the same verdicts under both loaders"
		diff /tmp/$t.none /tmp/$t.all | sed 's/^/# /'
	fi
	echo "# $t under the kernel's loader: $(grep '^# Totals' /tmp/$t.none)"
done
