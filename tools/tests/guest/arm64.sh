# The arm64 guest's samples under the kernel's loader: AArch64 programs (static,
# static PIE, dynamic PIE with its ld.so, no libc, 64 KiB segment alignment, BTI)
# and AArch32 ones (static, dynamic, the kuser helpers, a signal returning through
# [sigpage]), with the special mappings an arm64 kernel gives each kind. With
# binfmt_rs loaded, each check runs under both loaders, and under claim=all its
# counters prove that it loaded each program (loaded32 the AArch32 ones).
. /tests/ktap.sh

# checks TAG: every check, each description tagged with TAG.
checks() {
	tag=$1

	for name in static static-pie dynamic-pie maxpage64k static32 dynamic32; do
		expect_eq "arm64$tag: $name runs" "hello from /samples/$name, argc=1" "$(/samples/$name)"
	done
	expect_eq "arm64$tag: nolibc runs" "hello from nolibc (aarch64)" "$(/samples/nolibc)"

	# The seed, stopped in its loop: an AArch64 process has [vvar], [vdso] and
	# [stack], and no gate area (arm64 has no [vsyscall]).
	/samples/jmp_start &
	pid=$!
	sleep 1
	maps=$(cat /proc/$pid/maps)
	kill $pid
	echo "$maps" | sed 's/^/# /'
	for name in '[vvar]' '[vdso]' '[stack]'; do
		expect "arm64$tag: jmp_start has $name" sh -c "echo \"\$1\" | grep -qF \"$name\"" sh "$maps"
	done
	expect "arm64$tag: jmp_start has no [vsyscall]" sh -c "! echo \"\$1\" | grep -qF '[vsyscall]'" sh "$maps"

	# BTI: the marked program's text is mapped with PROT_BTI (VmFlags "bt"), the
	# unmarked nolibc's is not.
	text_flags() {
		"$1" | awk '/^[0-9a-f]+-[0-9a-f]+ / { text = $2 == "r-xp" } text && /^VmFlags:/ { print; exit }'
	}
	flags=$(text_flags /samples/bti)
	echo "# bti: $flags"
	expect "arm64$tag: bti's text has VmFlags bt" sh -c "echo \"\$1\" | grep -qw bt" sh "$flags"
	flags=$(text_flags /samples/cat-smaps)
	echo "# cat-smaps: $flags"
	expect "arm64$tag: an unmarked program's text has no bt" sh -c "echo \"\$1\" | grep -q '^VmFlags' && ! echo \"\$1\" | grep -qw bt" sh "$flags"

	# AArch32: [vectors] at 0xffff0000 with the kuser helpers, called.
	out=$(/samples/kuser32)
	status=$?
	echo "$out" | sed 's/^/# /'
	expect_eq "arm64$tag: kuser32 exits 0" 0 $status
	expect "arm64$tag: kuser32's [vectors] is ffff0000-ffff1000" sh -c "echo \"\$1\" | grep -qE '^ffff0000-ffff1000 r-xp .*\\[vectors\\]$'" sh "$out"
	expect "arm64$tag: kuser_helper_version is at least 5" sh -c "echo \"\$1\" | grep -qE '^kuser_helper_version ([5-9]|[1-9][0-9])$'" sh "$out"
	for line in 'kuser_get_tls matches TPIDRURO' 'kuser_cmpxchg ok' 'kuser_memory_barrier returned' 'kuser_cmpxchg64 ok'; do
		expect "arm64$tag: $line" sh -c "echo \"\$1\" | grep -qxF \"$line\"" sh "$out"
	done
	expect_eq "arm64$tag: sigpage32's handler returns through [sigpage]" \
		"the handler returned through [sigpage]" "$(/samples/sigpage32)"
}

if [ ! -d /sys/module/binfmt_rs ]; then
	checks ""
	exit 0
fi
for claim in none all; do
	set_claim $claim
	before=$(counter loaded) before32=$(counter loaded32)
	checks " (claim=$claim)"
	loaded=$(($(counter loaded) - before)) loaded32=$(($(counter loaded32) - before32))
	set_claim none
	if [ $claim = none ]; then
		expect_eq "arm64: binfmt_rs loads nothing under claim=none" "0 0" "$loaded $loaded32"
		continue
	fi
	# The programs the checks ran, AArch32 ones (static32, dynamic32, kuser32,
	# sigpage32) among them, each once or more; and busybox for the tools.
	expect "arm64: binfmt_rs loaded the AArch64 programs under claim=all ($loaded)" \
		[ "$loaded" -ge 12 ]
	expect_eq "arm64: binfmt_rs loaded the four AArch32 programs under claim=all" 4 "$loaded32"
done
