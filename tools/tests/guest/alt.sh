# On the alt kernel (tools/kernel/alt.fragment: CONFIG_COMPAT_BRK=y, CONFIG_RSEQ
# and CONFIG_IA32_EMULATION unset), what load_elf_binary() does differently there,
# under both loaders: no rseq entries in the auxv, a static PIE's brk right after
# its bss rather than at ELF_ET_DYN_BASE, and no i386 program runs. The differential suite, run on this kernel too, shows that
# the two loaders build the same processes.
. /tests/ktap.sh

echo 0 >/proc/sys/kernel/randomize_va_space
for claim in none all; do
	set_claim $claim
	before=$(counter loaded)
	/tests/exec-snapshot /samples/static-pie >/tmp/alt.$claim
	after=$(counter loaded)
	[ $claim = none ] || expect_eq "alt kernel: binfmt_rs loaded static-pie" $((before + 2)) "$after"
	if grep -qE '^auxv: (27|28) ' /tmp/alt.$claim; then
		fail "alt kernel: no AT_RSEQ_FEATURE_SIZE or AT_RSEQ_ALIGN under claim=$claim"
	else
		pass "alt kernel: no AT_RSEQ_FEATURE_SIZE or AT_RSEQ_ALIGN under claim=$claim"
	fi
	brk=$(sed -n 's/^stat: start_brk 0x//p' /tmp/alt.$claim)
	expect "alt kernel: static-pie's brk ($brk) ends its last mapping under claim=$claim" \
		grep -qE "^maps: [0-9a-f]+-0*$brk " /tmp/alt.$claim
done
set_claim none
expect_same "alt kernel: static-pie is the same process under both loaders" /tmp/alt.none /tmp/alt.all

# No compat_binfmt_elf, and binfmt_rs built without its ELF32 loader: an i386
# program fails to exec under both claims with ENOEXEC, binfmt_rs declining it.
for claim in none all; do
	set_claim $claim
	elf=$(counter elf)
	/tests/exec-snapshot /samples/exit32 >/tmp/exit32.$claim
	# exec-snapshot itself is an ELF64 program binfmt_rs loads.
	[ $claim = none ] || expect_eq "alt kernel: binfmt_rs does not take exit32" $((elf + 1)) "$(counter elf)"
	expect "alt kernel: exit32's exec fails with ENOEXEC under claim=$claim" \
		grep -q '^outcome: errno 8 ' /tmp/exit32.$claim
done
set_claim none
echo 2 >/proc/sys/kernel/randomize_va_space
