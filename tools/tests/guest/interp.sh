# Broken PT_INTERP entries: binfmt_rs must refuse each with the errno the kernel's
# loader gives (binfmt_elf's, or compat_binfmt_elf's for the i386 program's
# interp32-* cases), before the point of no return, and leave the caller running.
. /tests/ktap.sh

while read -r name want; do
	set_claim none
	got_none=$(/tests/exec-errno /tests/interp/$name)
	set_claim all
	before=$(counter offered)
	elf32=$(counter elf32)
	got_all=$(/tests/exec-errno /tests/interp/$name)
	after=$(counter offered)
	elf32=$(($(counter elf32) - elf32))
	set_claim none
	expect_eq "interp: $name fails with $want under the kernel's loader" "$want" "$got_none"
	expect_eq "interp: $name fails with $want under binfmt_rs" "$want" "$got_all"
	# exec-errno, then the file itself.
	expect_eq "interp: binfmt_rs was offered $name" $((before + 2)) "$after"
	case $name in
	interp32-*) expect_eq "interp: binfmt_rs took $name as an i386 file" 1 $elf32 ;;
	*) expect_eq "interp: binfmt_rs took $name as an x86_64 file" 0 $elf32 ;;
	esac
done </tests/interp/expected
