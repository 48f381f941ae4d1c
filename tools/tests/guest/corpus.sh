# The malformed-ELF corpus (tools/tests/elf_corpus.py) under both loaders: every
# file must meet the same outcome, the same errno before the point of no return or
# the same exit or fatal signal after it. exec-outcomes execs the whole corpus from
# one process and reports how binfmt_rs's counters moved around each exec, which
# proves that binfmt_rs, not binfmt_elf, handled it under claim=all.
. /tests/ktap.sh

# ASLR off: a mutated program that runs into the weeds must do it at the same
# addresses under both loaders.
echo 0 >/proc/sys/kernel/randomize_va_space

names=/tmp/corpus.names
cut -d' ' -f1 /corpus/MANIFEST >$names
set_claim none
/tests/exec-outcomes /corpus <$names >/tmp/corpus.none
set_claim all
/tests/exec-outcomes /corpus <$names >/tmp/corpus.all
set_claim none
echo 2 >/proc/sys/kernel/randomize_va_space

# deliberate NAME: the reason binfmt_rs differs from the kernel on NAME, if it does.
deliberate() {
	grep "^$1 " /tests/corpus-differences 2>/dev/null | cut -d' ' -f2-
}

total=0
same=0
# The two runs' lines and the manifest's come in the same order: read side by side,
# with builtins only (a command per file would cost more than the execs).
while read -r name none_outcome _ && read -r name_all all_outcome offered elf loaded failed <&3 &&
	read -r name_manifest what <&4; do
	total=$((total + 1))
	if [ "$name" != "$name_all" ] || [ "$name" != "$name_manifest" ]; then
		fail "corpus: the two runs went through the same files" "$name vs $name_all vs $name_manifest"
		break
	fi
	desc="corpus: $name ($what): $none_outcome under both loaders"
	if [ "$none_outcome" != "$all_outcome" ]; then
		why=$(deliberate "$name")
		if [ -n "$why" ]; then
			pass "$desc # deliberate: binfmt_rs gives $all_outcome: $why"
		else
			fail "$desc" "binfmt_rs: $all_outcome"
		fi
		continue
	fi
	# Who did the work: binfmt_rs was offered the file; a program that ran was
	# loaded by it; an errno came back without a load; a fatal signal is a program
	# binfmt_rs loaded that died, or an exec binfmt_rs took past the point of no
	# return and failed, never one binfmt_elf failed.
	case $none_outcome in
	exit:* | timeout) want="loaded=+1 failed=+0" ;;
	errno:*) want="loaded=+0 failed=+0" ;;
	*)
		case "$loaded $failed" in
		"loaded=+0 failed=+1") want="loaded=+0 failed=+1" ;;
		*) want="loaded=+1 failed=+0" ;;
		esac
		;;
	esac
	if [ "$offered" != offered=+1 ] || [ "$loaded $failed" != "$want" ]; then
		fail "$desc" "binfmt_rs's counters: $offered $elf $loaded $failed, expected offered=+1 $want"
		continue
	fi
	same=$((same + 1))
	pass "$desc"
done </tmp/corpus.none 3</tmp/corpus.all 4</corpus/MANIFEST

expect_eq "corpus: every file of the manifest was tried under both loaders" \
	"$(wc -l <$names) $(wc -l <$names)" "$(wc -l </tmp/corpus.none) $(wc -l </tmp/corpus.all)"
echo "# corpus: $total files, $same with the same outcome under both loaders"
for outcome in $(cut -d' ' -f2 /tmp/corpus.none | sort -u); do
	echo "# corpus:   $(grep -c " $outcome " /tmp/corpus.none) $outcome"
done
echo "# corpus: $(grep -c ' failed=+1$' /tmp/corpus.all) of them taken by binfmt_rs past the point of no return and failed"
expect_eq "corpus: nothing pins binfmt_rs afterwards" 0 "$(refcnt)"
