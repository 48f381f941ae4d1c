# Every sample program runs to its end under claim=none and claim=all and prints
# what it should, and execprobe sees the same process under both. With ASLR off,
# the two loads must be identical. Under claim=all the loaded counter must move by
# each exec.
. /tests/ktap.sh

echo 0 >/proc/sys/kernel/randomize_va_space

# loaded_by CLAIM BEFORE PROG: under claim=all, binfmt_rs loaded PROG once since the
# loaded counter read BEFORE.
loaded_by() {
	[ "$1" = all ] || return 0
	expect_eq "samples: binfmt_rs loaded $3 under claim=all" $(($2 + 1)) "$(counter loaded)"
}

# The C and Rust hello programs, built every way samples/Makefile builds them.
HELLO="static static-pie static-musl dynamic-pie dynamic-nopie dynamic-maxpage
dynamic-execstack dynamic-cet dynamic-noseparate dynamic-lazy dynamic-lld maxpage lld
execstack rust"

for claim in none all; do
	set_claim "$claim"
	for prog in $HELLO; do
		before=$(counter loaded)
		out=$(/samples/$prog one two)
		status=$?
		loaded_by $claim $before $prog
		expect_eq "samples: $prog runs under claim=$claim" \
			"hello from /samples/$prog, argc=3, exit 0" "$out, exit $status"
	done

	# .data ends mid-page: padzero() clears the rest of that page, and the bss
	# beyond it is fresh anonymous memory.
	before=$(counter loaded)
	out=$(/samples/bigbss)
	loaded_by $claim $before bigbss
	expect_eq "samples: bigbss finds its data and a zeroed bss under claim=$claim" \
		"hello from /samples/bigbss, data[0]=1 bss sum=0" "$out"

	before=$(counter loaded)
	out=$(/samples/nolibc)
	loaded_by $claim $before nolibc
	expect_eq "samples: nolibc runs under claim=$claim" "hello from nolibc" "$out"

	# manyload exits 0 only if each of its 12 PT_LOADs and the end of its 64 MiB bss
	# hold what they should.
	before=$(counter loaded)
	/samples/manyload
	status=$?
	loaded_by $claim $before manyload
	expect_eq "samples: manyload finds its eight sections and its bss under claim=$claim" 0 $status

	# A 32-bit program: compat_binfmt_elf's under claim=none, binfmt_rs's under
	# claim=all, counted in loaded32 as well as loaded.
	before=$(counter loaded32)
	expect_eq "samples: exit32 runs under claim=$claim" "hello from exit32" "$(/samples/exit32)"
	if [ "$claim" = all ]; then
		expect_eq "samples: binfmt_rs loaded exit32 as ELF32" $((before + 1)) "$(counter loaded32)"
	else
		expect_eq "samples: exit32 is the kernel's under claim=none" "$before" "$(counter loaded32)"
	fi

	# From a 64-bit shell to an i386 program that execs a 64-bit one and an i386
	# one in turn: each exec leaves the personality of the one before
	# (set_personality_ia32(), set_personality_64bit()).
	before=$(counter loaded)
	before32=$(counter loaded32)
	out=$(/samples/execs32 /samples/static one; /samples/execs32 /samples/execs32 /samples/static32)
	expect_eq "samples: an i386 program execs a 64-bit one and an i386 one under claim=$claim" \
		"hello from /samples/static, argc=2
hello from /samples/static32, argc=1" "$out"
	if [ "$claim" = all ]; then
		expect_eq "samples: binfmt_rs loaded the five execs" $((before + 5)) "$(counter loaded)"
		expect_eq "samples: four of them as ELF32" $((before32 + 4)) "$(counter loaded32)"
	fi

	# The seed program spins forever; look at it from outside, then stop it. Linked
	# with plain gcc -nostdlib it is a PIE that ld.so starts.
	for prog in jmp_start jmp_start-pie; do
		before=$(counter loaded)
		/samples/$prog &
		pid=$!
		running $pid /samples/$prog
		loaded_by $claim $before $prog
		# ld.so runs first in the PIE and changes its maps (RELRO) before it jumps
		# to _start: a second lets it finish under either loader.
		[ $prog = jmp_start ] || sleep 1
		maps=$(cat /proc/$pid/maps)
		kill $pid
		wait $pid 2>/dev/null
		names="/samples/$prog \[stack\] \[vvar\] \[vdso\] \[vsyscall\]"
		[ $prog = jmp_start ] || names="$names /lib64/ld-linux-x86-64.so.2"
		for name in $names; do
			if echo "$maps" | grep -q "$name\$"; then
				pass "samples: $prog under claim=$claim has $name"
			else
				fail "samples: $prog under claim=$claim has $name" "$maps"
			fi
		done
		echo "$maps" >/tmp/$prog.maps.$claim
	done

	# execprobe exits 2 when the stack it finds disagrees with /proc or the
	# layout create_elf_tables() makes.
	before=$(counter loaded)
	execprobe --json >/tmp/execprobe.$claim.json
	expect_eq "samples: execprobe's checks pass under claim=$claim" 0 $?
	loaded_by $claim $before execprobe
	# AT_RANDOM's 16 bytes are random even with ASLR off; nothing else is.
	sed -E 's/[0-9a-f]{32}/RANDOM/g' /tmp/execprobe.$claim.json >/tmp/execprobe.$claim.cmp
done

for prog in jmp_start jmp_start-pie; do
	expect "samples: $prog's maps are the same under both claims" \
		cmp -s /tmp/$prog.maps.none /tmp/$prog.maps.all
done
expect "samples: execprobe sees the same process under both claims" \
	cmp -s /tmp/execprobe.none.cmp /tmp/execprobe.all.cmp
