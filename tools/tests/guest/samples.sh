# Every sample program runs under claim=none and claim=all, and execprobe sees the
# same process under both. With ASLR off, the two loads must be identical.
. /tests/ktap.sh

echo 0 >/proc/sys/kernel/randomize_va_space

for claim in none all; do
	set_claim "$claim"
	for prog in static static-pie dynamic-pie; do
		before=$(counter loaded)
		out=$(/samples/$prog one two)
		after=$(counter loaded)
		expect_eq "samples: $prog runs under claim=$claim" \
			"hello from /samples/$prog, argc=3" "$out"
		if [ "$claim" = all ]; then
			expect_eq "samples: binfmt_rs loaded $prog under claim=all" \
				$((before + 1)) "$after"
		fi
	done

	# A 32-bit program is declined untouched and the compat loader runs it.
	before=$(counter offered)
	loaded=$(counter loaded)
	expect_eq "samples: exit32 runs under claim=$claim" "hello from exit32" "$(/samples/exit32)"
	if [ "$claim" = all ]; then
		expect_eq "samples: exit32 is offered to binfmt_rs" $((before + 1)) "$(counter offered)"
		expect_eq "samples: exit32 is not loaded by binfmt_rs" "$loaded" "$(counter loaded)"
	fi

	# The seed program spins forever; look at it from outside, then stop it.
	/samples/jmp_start &
	pid=$!
	running $pid
	maps=$(cat /proc/$pid/maps)
	kill $pid
	wait $pid 2>/dev/null
	for name in '/samples/jmp_start' '\[stack\]' '\[vvar\]' '\[vdso\]' '\[vsyscall\]'; do
		if echo "$maps" | grep -q "$name\$"; then
			pass "samples: jmp_start under claim=$claim has $name"
		else
			fail "samples: jmp_start under claim=$claim has $name" "$maps"
		fi
	done
	echo "$maps" >/tmp/jmp_start.maps.$claim

	# execprobe exits 2 when the stack it finds disagrees with /proc or the
	# layout create_elf_tables() makes.
	execprobe --json >/tmp/execprobe.$claim.json
	expect_eq "samples: execprobe's checks pass under claim=$claim" 0 $?
	# AT_RANDOM's 16 bytes are random even with ASLR off; nothing else is.
	sed -E 's/[0-9a-f]{32}/RANDOM/g' /tmp/execprobe.$claim.json >/tmp/execprobe.$claim.cmp
done

expect "samples: jmp_start's maps are the same under both claims" \
	cmp -s /tmp/jmp_start.maps.none /tmp/jmp_start.maps.all
expect "samples: execprobe sees the same process under both claims" \
	cmp -s /tmp/execprobe.none.cmp /tmp/execprobe.all.cmp
