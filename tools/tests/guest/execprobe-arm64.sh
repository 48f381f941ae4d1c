# execprobe on the arm64 guest (make execprobe-arm64): its own checks (auxv,
# maps, stack), the arm64 vDSO (__kernel_* at LINUX_2.6.39) listed and called,
# no vsyscall page, and `maps PID` of a running AArch32 program, whose [vectors]
# (the kuser helpers) and [sigpage] it explains. With binfmt_rs loaded, each check
# runs under both loaders, and `execprobe diff` finds nothing between them.
. /tests/ktap.sh

if ! [ -x /bin/execprobe ]; then
	fail "execprobe-arm64: /bin/execprobe is there" "build it with make execprobe-arm64"
	exit 0
fi

# asleep PID: waits until PID, an AArch32 process, sleeps in clock_nanosleep
# (compat numbers 407, clock_nanosleep_time64, or 265), its exec and its ld.so
# done; with builtins only.
asleep() {
	tries=0
	while [ $tries -lt 200000 ]; do
		read -r nr _ <"/proc/$1/syscall" 2>/dev/null
		case $nr in 407 | 265 | 162) return 0 ;; esac
		tries=$((tries + 1))
	done
	return 1
}

# checks TAG NAME: every check, each description tagged with TAG; the JSON
# reports go to /tmp/NAME.*.json.
checks() {
	tag=$1 name=$2

	echo 0 >/proc/sys/kernel/randomize_va_space
	expect "execprobe-arm64$tag: execprobe's checks hold (auxv, maps, stack)" quietly execprobe
	expect "execprobe-arm64$tag: stack's checks hold" quietly execprobe stack
	expect "execprobe-arm64$tag: auxv agrees with /proc and getauxval" quietly execprobe auxv
	out=$(execprobe auxv)
	expect "execprobe-arm64$tag: AT_PLATFORM is aarch64" \
		sh -c "echo \"\$1\" | grep -qE '^  AT_PLATFORM +0x[0-9a-f]+  \"aarch64\"$'" sh "$out"
	expect "execprobe-arm64$tag: AT_HWCAP's bits have arm64's names" \
		sh -c "echo \"\$1\" | grep -qE '^  AT_HWCAP +0x[0-9a-f]+  fp asimd '" sh "$out"
	execprobe --json >/tmp/$name.json
	expect_eq "execprobe-arm64$tag: --json's checks hold" 0 $?

	out=$(execprobe vdso)
	status=$?
	echo "$out" | sed 's/^/# /'
	expect_eq "execprobe-arm64$tag: vdso's calls agree with the system calls" 0 $status
	for f in __kernel_clock_gettime __kernel_gettimeofday __kernel_clock_getres __kernel_rt_sigreturn; do
		expect "execprobe-arm64$tag: vdso lists $f at LINUX_2.6.39" \
			sh -c "echo \"\$1\" | grep -qE ' $f +LINUX_2\\.6\\.39$'" sh "$out"
	done
	for call in '__kernel_clock_gettime(CLOCK_REALTIME)' '__kernel_clock_gettime(CLOCK_MONOTONIC)' \
		'__kernel_clock_getres(CLOCK_MONOTONIC)' '__kernel_gettimeofday' '__kernel_getrandom' \
		'vdso_rt_sigreturn' 'vsyscall_none'; do
		expect "execprobe-arm64$tag: vdso: $call holds" \
			sh -c "echo \"\$1\" | grep -qF \"  [ok  ] \$2: \"" sh "$out" "$call"
	done
	expect "execprobe-arm64$tag: vdso says there is no vsyscall page" \
		sh -c "echo \"\$1\" | grep -qxF 'vdso: no vsyscall page (mode none): nothing to call'" sh "$out"
	expect "execprobe-arm64$tag: vdso calls no __vdso_ function" \
		sh -c "! echo \"\$1\" | grep -qF '__vdso_'" sh "$out"

	# An AArch32 process, asleep: its [vectors] and [sigpage] explained.
	/samples/sleep32 60 &
	pid=$!
	asleep $pid
	out=$(execprobe maps $pid)
	status=$?
	execprobe --json maps $pid >/tmp/$name.maps32.json
	kill $pid
	wait $pid 2>/dev/null
	echo "$out" | sed 's/^/# /'
	expect_eq "execprobe-arm64$tag: maps of an AArch32 process: its checks hold" 0 $status
	expect "execprobe-arm64$tag: AArch32 maps: [vectors] is ffff0000-ffff1000" \
		sh -c "echo \"\$1\" | grep -qE '^  ffff0000-ffff1000 r-xp .*  \\[vectors\\]$'" sh "$out"
	expect "execprobe-arm64$tag: AArch32 maps: a [sigpage] mapping" \
		sh -c "echo \"\$1\" | grep -qE '^  [0-9a-f]+-[0-9a-f]+ r-xp .*  \\[sigpage\\]$'" sh "$out"
	for needle in 'kuser_helper_version at 0xffff0ffc' 'kuser_get_tls 0xffff0fe0' \
		'kuser_cmpxchg 0xffff0fc0' 'kuser_memory_barrier 0xffff0fa0' 'kuser_cmpxchg64 0xffff0f60' \
		'aarch32_setup_additional_pages'; do
		expect "execprobe-arm64$tag: AArch32 maps: [vectors] explained: $needle" \
			sh -c "echo \"\$1\" | grep -E '^  \\[vectors\\] ' | grep -qF \"\$2\"" sh "$out" "$needle"
	done
	expect "execprobe-arm64$tag: AArch32 maps: [sigpage] explained as the sigreturn trampolines" \
		sh -c "echo \"\$1\" | grep -E '^  \\[sigpage\\] ' | grep -qF 'sigreturn trampolines'" sh "$out"
	expect "execprobe-arm64$tag: AArch32 maps: its [vdso] explained (COMPAT_VDSO)" \
		sh -c "echo \"\$1\" | grep -qE '^  \\[vdso\\] +the vDSO ELF image'" sh "$out"
	expect "execprobe-arm64$tag: AArch32 maps: no [vsyscall], as arm64 has none" \
		sh -c "echo \"\$1\" | grep -qE '^  \\[vsyscall\\] +absent: normal on arm64'" sh "$out"
	expect "execprobe-arm64$tag: AArch32 maps: PT_LOADs attributed (ELF32 executable and ld.so)" \
		sh -c "echo \"\$1\" | grep -q '<- exe PT_LOAD' && echo \"\$1\" | grep -q '<- interp PT_LOAD'" sh "$out"

	# Its own maps: an AArch64 process has neither.
	out=$(execprobe maps)
	for page in vectors sigpage; do
		expect "execprobe-arm64$tag: an AArch64 process has no [$page], and maps says why" \
			sh -c "echo \"\$1\" | grep -qE '^  \\[$page\\] +absent: an AArch64 process \\(normal\\)'" sh "$out"
	done

	echo 2 >/proc/sys/kernel/randomize_va_space
	execprobe --json >/tmp/$name.aslr.json
	expect_eq "execprobe-arm64$tag: --json's checks hold with ASLR" 0 $?
}

if [ ! -d /sys/module/binfmt_rs ]; then
	checks "" nomodule
	exit 0
fi
for claim in none all; do
	set_claim $claim
	before=$(counter loaded) before32=$(counter loaded32)
	checks " (claim=$claim)" $claim
	loaded=$(($(counter loaded) - before)) loaded32=$(($(counter loaded32) - before32))
	set_claim none
	if [ $claim = all ]; then
		# execprobe itself, the shell's applets and sleep32.
		expect "execprobe-arm64: binfmt_rs loaded execprobe under claim=all ($loaded)" \
			[ "$loaded" -ge 8 ]
		expect "execprobe-arm64: binfmt_rs loaded the AArch32 sleep32 under claim=all" \
			[ "$loaded32" -ge 1 ]
	fi
done
expect "execprobe-arm64: diff finds nothing between the two loaders (ASLR off)" \
	quietly execprobe diff /tmp/none.json /tmp/all.json
expect "execprobe-arm64: diff --aslr finds nothing between the two loaders (ASLR on)" \
	quietly execprobe diff --aslr /tmp/none.aslr.json /tmp/all.aslr.json
expect "execprobe-arm64: diff finds nothing between the two loaders' AArch32 maps (ASLR off)" \
	quietly execprobe diff /tmp/none.maps32.json /tmp/all.maps32.json
