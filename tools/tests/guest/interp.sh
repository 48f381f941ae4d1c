# Broken PT_INTERP entries: binfmt_rs must refuse each with the errno the kernel's
# loader gives, before the point of no return, and leave the caller running.
. /tests/ktap.sh

while read -r name want; do
	set_claim none
	got_none=$(/tests/exec-errno /tests/interp/$name)
	set_claim all
	before=$(counter offered)
	got_all=$(/tests/exec-errno /tests/interp/$name)
	after=$(counter offered)
	set_claim none
	expect_eq "interp: $name fails with $want under the kernel's loader" "$want" "$got_none"
	expect_eq "interp: $name fails with $want under binfmt_rs" "$want" "$got_all"
	# exec-errno, then the file itself.
	expect_eq "interp: binfmt_rs was offered $name" $((before + 2)) "$after"
done </tests/interp/expected
