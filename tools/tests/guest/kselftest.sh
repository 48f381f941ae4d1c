# The kernel's exec, vDSO and x86 selftests (and the vDSO tests built -m32, the
# collection vDSO32), built by their own Makefiles
# (tools/tests/build-kselftests) and run by their own runner, run_kselftest.sh,
# one test at a time under each loader. Every test must give the same result and
# the same nested verdicts under claim=all as under claim=none. Under claim=all
# binfmt_rs must have loaded every ELF program the run exec'd (stats: loaded
# moved as much as elf, the test's own program among them), and for an ELF32
# test (the x86 suite's _32 programs, and the vDSO tests' 32-bit builds) its
# ELF32 counters must show it too (loaded32 moved as much as elf32, at least once).
# On the arm64 guest the same runs the exec, vDSO and arm64 (bti, abi) selftests
# and the vDSO tests built for AArch32, the collection vDSO32
# (tools/tests/build-kselftests-arm64): AArch64 programs are ELF64 and AArch32
# ones ELF32, counted alike.
#   sh /tests/kselftest.sh
. /tests/ktap.sh

# verdicts LOG: the runner's result line for the test, then the test's own
# verdicts nested under it: its KTAP result lines, with the numbers in their
# descriptions masked (times, addresses and counts differ from run to run), and
# the [OK]/[FAIL]/[SKIP]/[PASS] tags the x86 and vDSO tests print, sorted, since
# a test's processes may interleave their lines.
verdicts() {
	grep -E '^(not )?ok [0-9]+ selftests:' "$1"
	{
		grep -E '^# *(not )?ok [0-9]+' "$1" | sed 's/[0-9][0-9]*/N/g'
		grep -oE '\[(OK|FAIL|SKIP|PASS|RUN)\]' "$1"
	} | sort
}

# known_failure TEST: why TEST fails in this lab under the kernel's own loader,
# for the tests that do; binfmt_rs must then fail it the same way. On arm64
# (TCG, -cpu max,pauth-impdef=on) none does: arm64:ptrace's read_NT_ARM_HW_WATCH
# and read_NT_ARM_HW_BREAK fail within it (the kernel has no hardware
# breakpoints: PERF_EVENTS is off), but the test exits 0 all the same, and its
# nested verdicts are compared like the others.
known_failure() {
	case $1 in
	x86:mov_ss_trap_64)
		echo "TCG does not deliver the data breakpoint a MOV SS shadow defers as the test expects (SIGSEGV)" ;;
	x86:test_shadow_stack_64)
		echo "no user shadow stacks (X86_USER_SHADOW_STACK is off, TCG has no CET): it prints [SKIP] and exits 1" ;;
	esac
}

# elf_class FILE: 1 for ELF32, 2 for ELF64, nothing for anything else.
elf_class() {
	case $(od -An -c -N5 "$1" 2>/dev/null | tr -d ' ') in
	177ELF001) echo 1 ;;
	177ELF002) echo 2 ;;
	esac
}

# non-regular's S_IFLNK case links to /bin/true and counts on it exiting 0 whatever
# its argv[0]; busybox's true is an applet that goes by argv[0], so the host's
# coreutils true stands in for it (on arm64, a true built for it,
# tools/tests/build-kselftests-arm64).
ln -sf /opt/coreutils/true /bin/true
arch=$(uname -m)

# The exec suite writes into its own directory; the initramfs copy stays as built.
cp -a /kselftest /tmp/kselftest
cd /tmp/kselftest
tests=$(./run_kselftest.sh -l)
echo "# $(echo "$tests" | wc -l) tests in kselftest-list.txt: $(echo "$tests" | cut -d: -f1 | sort | uniq -c | tr -s ' \n' ' ')"
for t in $tests; do
	case $t in
	x86:syscall_numbering_64)
		# It makes every system call number in several ways (minutes under TCG,
		# past any timeout the rest need) and tests the syscall entry, not exec.
		pass "kselftest: $t # SKIP minutes of system calls under TCG, not about exec"
		continue
		;;
	x86:test_syscall_vdso_32 | x86:sysret_ss_attrs_64)
		# Each switches between 32- and 64-bit code with a far return (lretq in
		# thunks.S, thunks_32.S), whose stack read TCG (QEMU 7.2) makes as a
		# supervisor access: with SMAP that faults, and the kernel takes the
		# fault for its own and oopses, whichever loader loaded the program.
		pass "kselftest: $t # SKIP TCG's far return faults as a kernel access"
		continue
		;;
	exec:binfmt_script.py)
		# It is Python; the arm64 guest has no AArch64 python3 (busybox and
		# the cross sysroots' libraries only).
		if [ "$arch" = aarch64 ] && [ ! -x /usr/bin/python3 ]; then
			pass "kselftest: $t # SKIP no python3 in the arm64 guest"
			continue
		fi
		;;
	esac
	collection=${t%%:*}
	program=$collection/${t#*:}
	# kselftest's 45 s, but for the test that needs longer under TCG (a thousand
	# rounds of ChaCha20 against a reference in C take about 50 s).
	case $t in
	vDSO:vdso_test_chacha | vDSO32:vdso_test_chacha) limit="-o 300" ;;
	*) limit= ;;
	esac
	set_claim none
	./run_kselftest.sh $limit -t "$t" >/tmp/ks.none 2>&1
	set_claim all
	loaded=$(counter loaded)
	elf=$(counter elf)
	loaded32=$(counter loaded32)
	elf32=$(counter elf32)
	./run_kselftest.sh $limit -t "$t" >/tmp/ks.all 2>&1
	loaded=$(($(counter loaded) - loaded))
	elf=$(($(counter elf) - elf))
	loaded32=$(($(counter loaded32) - loaded32))
	elf32=$(($(counter elf32) - elf32))
	set_claim none

	result=$(grep -E '^(not )?ok [0-9]+ selftests:' /tmp/ks.none)
	known=$(known_failure "$t")
	case $result in
	"ok "*)
		if [ -z "$known" ]; then
			pass "kselftest: $t passes under the kernel's loader (${result#ok 1 })"
		else
			fail "kselftest: $t fails under the kernel's loader ($known)" "it passes now: $result"
		fi
		;;
	*)
		if [ -n "$result" ] && [ -n "$known" ]; then
			pass "kselftest: $t fails under the kernel's loader, as known: $known (${result#not ok 1 })"
		else
			fail "kselftest: $t passes under the kernel's loader" "${result:-no result line}"
			sed 's/^/# /' /tmp/ks.none
		fi
		;;
	esac
	if [ -n "$result" ] && [ "$(verdicts /tmp/ks.none)" = "$(verdicts /tmp/ks.all)" ]; then
		pass "kselftest: $t gives the same result and verdicts under binfmt_rs"
	else
		fail "kselftest: $t gives the same result and verdicts under binfmt_rs"
		diff /tmp/ks.none /tmp/ks.all | sed 's/^/# /'
	fi
	case $(elf_class "$program") in
	2) what="its ELF64 program and every other" ;;
	1)
		what="its ELF32 program and every other"
		if [ "$loaded32" -ge 1 ] && [ "$loaded32" -eq "$elf32" ]; then
			pass "kselftest: binfmt_rs loaded the ELF32 programs $t exec'd ($loaded32)"
		else
			fail "kselftest: binfmt_rs loaded the ELF32 programs $t exec'd" \
				"stats moved by loaded32=$loaded32 elf32=$elf32"
		fi
		;;
	*) what="every ELF64 program (the script's interpreter's)" ;;
	esac
	if [ "$loaded" -ge 1 ] && [ "$loaded" -eq "$elf" ]; then
		pass "kselftest: binfmt_rs loaded $what $t exec'd ($loaded)"
	else
		fail "kselftest: binfmt_rs loaded $what $t exec'd" \
			"stats moved by loaded=$loaded elf=$elf"
	fi
done
