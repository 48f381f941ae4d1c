# The arm64 guest's samples under the kernel's loader: AArch64 programs (static,
# static PIE, dynamic PIE with its ld.so, no libc, 64 KiB segment alignment, BTI)
# and AArch32 ones (static, dynamic, the kuser helpers, a signal returning through
# [sigpage]), with the special mappings an arm64 kernel gives each kind.
. /tests/ktap.sh

for name in static static-pie dynamic-pie maxpage64k static32 dynamic32; do
	expect_eq "arm64: $name runs" "hello from /samples/$name, argc=1" "$(/samples/$name)"
done
expect_eq "arm64: nolibc runs" "hello from nolibc (aarch64)" "$(/samples/nolibc)"

# The seed, stopped in its loop: an AArch64 process has [vvar], [vdso] and
# [stack], and no gate area (arm64 has no [vsyscall]).
/samples/jmp_start &
pid=$!
sleep 1
maps=$(cat /proc/$pid/maps)
kill $pid
echo "$maps" | sed 's/^/# /'
for name in '[vvar]' '[vdso]' '[stack]'; do
	expect "arm64: jmp_start has $name" sh -c "echo \"\$1\" | grep -qF \"$name\"" sh "$maps"
done
expect "arm64: jmp_start has no [vsyscall]" sh -c "! echo \"\$1\" | grep -qF '[vsyscall]'" sh "$maps"

# BTI: the marked program's text is mapped with PROT_BTI (VmFlags "bt"), the
# unmarked nolibc's is not.
text_flags() {
	"$1" | awk '/^[0-9a-f]+-[0-9a-f]+ / { text = $2 == "r-xp" } text && /^VmFlags:/ { print; exit }'
}
flags=$(text_flags /samples/bti)
echo "# bti: $flags"
expect "arm64: bti's text has VmFlags bt" sh -c "echo \"\$1\" | grep -qw bt" sh "$flags"
flags=$(text_flags /samples/cat-smaps)
echo "# cat-smaps: $flags"
expect "arm64: an unmarked program's text has no bt" sh -c "echo \"\$1\" | grep -q '^VmFlags' && ! echo \"\$1\" | grep -qw bt" sh "$flags"

# AArch32: [vectors] at 0xffff0000 with the kuser helpers, called.
out=$(/samples/kuser32)
status=$?
echo "$out" | sed 's/^/# /'
expect_eq "arm64: kuser32 exits 0" 0 $status
expect "arm64: kuser32's [vectors] is ffff0000-ffff1000" sh -c "echo \"\$1\" | grep -qE '^ffff0000-ffff1000 r-xp .*\\[vectors\\]$'" sh "$out"
expect "arm64: kuser_helper_version is at least 5" sh -c "echo \"\$1\" | grep -qE '^kuser_helper_version ([5-9]|[1-9][0-9])$'" sh "$out"
for line in 'kuser_get_tls matches TPIDRURO' 'kuser_cmpxchg ok' 'kuser_memory_barrier returned' 'kuser_cmpxchg64 ok'; do
	expect "arm64: $line" sh -c "echo \"\$1\" | grep -qxF \"$line\"" sh "$out"
done
expect_eq "arm64: sigpage32's handler returns through [sigpage]" \
	"the handler returned through [sigpage]" "$(/samples/sigpage32)"
