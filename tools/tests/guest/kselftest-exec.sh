# The kernel's exec selftests (execveat, load_address for 4 KiB, 2 MiB and 16 MiB
# alignment, PIE and static PIE, non-regular, null-argv, recursion-depth) under
# both loaders: every test must pass under claim=none and give the same verdicts
# under claim=all, and binfmt_rs must have loaded it; with Python, binfmt_script too.
#   sh /tests/kselftest-exec.sh [PYTHON]
. /tests/ktap.sh

# verdicts LOG: the KTAP result lines, without their descriptions' numbers.
verdicts() { grep -E '^(ok|not ok) [0-9]+' "$1" | sed 's/[0-9][0-9]*/N/g'; }

# non-regular's S_IFLNK case links to /bin/true and counts on it exiting 0 whatever
# its argv[0]; busybox's true is an applet that goes by argv[0], so the host's
# coreutils true stands in for it.
ln -sf /opt/coreutils/true /bin/true

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
	expect_eq "kselftest exec: $t passes under the kernel's loader" 0 "$status_none"
	expect_eq "kselftest exec: $t exits the same under both loaders" "$status_none" "$status_all"
	if [ -n "$(verdicts /tmp/$t.none)" ] && [ "$(verdicts /tmp/$t.none)" = "$(verdicts /tmp/$t.all)" ]; then
		pass "kselftest exec: $t gives the same verdicts under both loaders"
	else
		fail "kselftest exec: $t gives the same verdicts under both loaders"
		diff /tmp/$t.none /tmp/$t.all | sed 's/^/# /'
	fi
	echo "# $t under the kernel's loader: $(grep '^# Totals' /tmp/$t.none)"
done

# binfmt_script.py, when the run brings Python (PYTHON, its path): scripts whose
# #! line fills bprm->buf's 256 bytes, naming a script that names perl. binfmt_rs
# declines each script, binfmt_script takes it and searches again, and binfmt_rs
# loads what it names in the end.
if [ -n "${1:-}" ]; then
	t=binfmt_script
	set_claim none
	"$1" ./binfmt_script.py >/tmp/$t.none 2>&1
	status_none=$?
	set_claim all
	before=$(counter loaded)
	elf_before=$(counter elf)
	"$1" ./binfmt_script.py >/tmp/$t.all 2>&1
	status_all=$?
	after=$(counter loaded)
	elf_after=$(counter elf)
	set_claim none
	good=$(grep -c '^ok .*successful good exec' /tmp/$t.none)
	# Every ELF file exec'd meanwhile (python, getconf, the /bin/sh subprocess runs
	# each test with, perl for each script that runs) was loaded by binfmt_rs.
	expect_eq "kselftest exec: binfmt_rs loaded every ELF program of $t" \
		$((elf_after - elf_before)) $((after - before))
	expect "kselftest exec: binfmt_rs loaded python, sh and perl for $t" \
		[ $((after - before)) -ge $((1 + 27 + good)) ]
	expect_eq "kselftest exec: $t passes under the kernel's loader" \
		"0 # Totals: pass:27 fail:0 xfail:0 xpass:0 skip:0 error:0" \
		"$status_none $(grep '^# Totals' /tmp/$t.none)"
	expect_eq "kselftest exec: $t exits the same under both loaders" "$status_none" "$status_all"
	if [ "$(verdicts /tmp/$t.none)" = "$(verdicts /tmp/$t.all)" ]; then
		pass "kselftest exec: $t gives the same verdicts under both loaders"
	else
		fail "kselftest exec: $t gives the same verdicts under both loaders"
		diff /tmp/$t.none /tmp/$t.all | sed 's/^/# /'
	fi
fi
