# binfmt_misc keeps its place ahead of binfmt_rs: a misc rule that matches an ELF
# file runs the rule's interpreter under both loaders, with the same argv, auxv
# (AT_FLAGS for P, AT_EXECFD for O and C) and process, and binfmt_rs loads the
# interpreter, itself an ELF file.
. /tests/ktap.sh

echo 0 >/proc/sys/kernel/randomize_va_space
misc=/proc/sys/fs/binfmt_misc
# On a kernel with binfmt_misc as a module (the alt kernel), it is loaded now,
# after binfmt_rs: it puts itself at the head of the list, ahead of binfmt_rs.
if [ -e /lib/modules/binfmt_misc.ko ]; then
	expect "misc: binfmt_misc, a module, loads after binfmt_rs" \
		insmod /lib/modules/binfmt_misc.ko
fi
grep -q " $misc " /proc/mounts || mount -t binfmt_misc none $misc

# The files the rules match: nolibc under a new name, and with two bytes of
# e_ident's padding (ignored by every loader) set for a magic rule to find.
cp /samples/nolibc /tmp/t.elfx
cp /samples/nolibc /tmp/t-magic
printf 'BR' | dd of=/tmp/t-magic bs=1 seek=9 conv=notrunc 2>/dev/null
printf 'not an ELF file\n' >/tmp/t.txt
chmod 755 /tmp/t.elfx /tmp/t-magic /tmp/t.txt

# rule NAME SPEC: registers :NAME:SPEC, replacing an earlier one.
rule() {
	[ ! -e $misc/$1 ] || echo -1 >$misc/$1
	echo ":$1:$2" >$misc/register
}

# same CASE FILE WANT: FILE prints WANT under both loaders, binfmt_rs loading the
# rule's interpreter under claim=all, and exec-snapshot sees the same process.
same() {
	for claim in none all; do
		set_claim $claim
		before=$(counter loaded)
		out=$($2)
		after=$(counter loaded)
		expect_eq "misc: $1: the rule's interpreter runs under claim=$claim" "$3" "$out"
		[ $claim = none ] || expect_eq "misc: $1: binfmt_rs loaded the rule's interpreter" \
			$((before + 1)) "$after"
		/tests/exec-snapshot $2 >/tmp/misc.$claim
	done
	set_claim none
	expect_same "misc: $1: the same process under both loaders (auxv, maps, registers)" \
		/tmp/misc.none /tmp/misc.all
}

# An extension rule for an ELF file, with each flag.
rule ext E::elfx::/samples/static:
same "extension rule" /tmp/t.elfx "hello from /samples/static, argc=2"
rule ext E::elfx::/samples/static:P
same "flag P (argv[0] preserved)" /tmp/t.elfx "hello from /samples/static, argc=3"
expect "misc: flag P: AT_FLAGS is AT_FLAGS_PRESERVE_ARGV0" grep -q '^auxv: 8 0x1$' /tmp/misc.all
rule ext E::elfx::/samples/static:O
same "flag O (the program's fd)" /tmp/t.elfx "hello from /samples/static, argc=2"
expect "misc: flag O: AT_EXECFD is there" grep -q '^auxv: 2 ' /tmp/misc.all
rule ext E::elfx::/samples/static:C
same "flag C (the program's credentials)" /tmp/t.elfx "hello from /samples/static, argc=2"
rule ext E::elfx::/samples/static:F
same "flag F (interpreter opened at registration)" /tmp/t.elfx \
	"hello from /samples/static, argc=2"
# A magic rule that matches an ELF header, and a rule for a file that is no ELF.
rule mag 'M::\x7fELF\x02\x01\x01\x00\x00BR::/samples/static-pie:'
same "magic rule" /tmp/t-magic "hello from /samples/static-pie, argc=2"
rule txt E::txt::/samples/static:
same "rule for a file that is no ELF" /tmp/t.txt "hello from /samples/static, argc=2"

# Reloaded while the rules stay: binfmt_rs goes back ahead of binfmt_elf, after misc.
set_claim none
rmmod binfmt_rs && insmod /lib/modules/binfmt_rs.ko
same "binfmt_rs reloaded" /tmp/t.elfx "hello from /samples/static, argc=2"
echo -1 >$misc/status

set_claim none
echo 2 >/proc/sys/kernel/randomize_va_space
