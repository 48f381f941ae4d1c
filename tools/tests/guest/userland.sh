# A real userland on binfmt_rs: qemu-run inserted the module with claim=all
# before this script ran, so every program below, the shell running it included,
# is loaded by binfmt_rs. Each program runs once and must move the loaded counter
# by exactly one.
#   sh /tests/userland.sh PYTHON   PYTHON: the host's python3 (/usr/bin/python3.11)
. /tests/ktap.sh

# loads DESC EXPECTED COMMAND...: COMMAND (one exec) prints EXPECTED and was
# loaded by binfmt_rs.
loads() {
	desc=$1
	want=$2
	shift 2
	before=$(counter loaded)
	got=$("$@")
	after=$(counter loaded)
	expect_eq "userland: $desc prints what it should" "$want" "$got"
	expect_eq "userland: binfmt_rs loaded $desc" $((before + 1)) "$after"
}

expect_eq "userland: claim is all from the start" all "$(param claim)"
loads "a busybox applet" "HELLO" tr a-z A-Z <<EOF_IN
hello
EOF_IN
loads "the host's bash" "bash: 42 x86_64" /usr/bin/bash -c 'echo "bash: $((6 * 7)) $HOSTTYPE"'
loads "the host's perl -e" "perl: 42" /usr/bin/perl -e 'print "perl: ", 6 * 7, "\n"'
loads "the host's python3 -c" 'python: {"answer": 42}' \
	"$1" -c 'import json; print("python:", json.dumps({"answer": 6 * 7}))'
expect_eq "userland: bash runs a pipeline of busybox applets" "3" \
	"$(/usr/bin/bash -c 'printf "a\nb\nc\n" | sort -r | wc -l')"
expect_eq "userland: every exec went to binfmt_rs and none fell through" \
	"$(counter offered)" "$(counter loaded)"
