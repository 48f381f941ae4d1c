# shellcheck shell=bash
# Tests of tools/qemu-run itself, sourced by tools/check (uses its result and
# comment helpers).
# Each boots a guest; the last ones make the guest kernel fail on purpose. On
# arm64 (KERNEL_ARCH=arm64) the ones that need binfmt_rs do not run.

# matches PATTERN FILE: an empty PATTERN asks nothing of FILE.
matches() { [ -z "$1" ] || grep -qE -- "$1" "$2"; }

# qr_expect DESC WANT_STATUS STDOUT_PATTERN STDERR_PATTERN [QEMU-RUN ARGS]...
qr_expect() {
	local desc=$1 want=$2 out_re=$3 err_re=$4 status
	shift 4
	tools/qemu-run "$@" >"$logdir/qr.out" 2>"$logdir/qr.err"
	status=$?
	if [ "$status" -eq "$want" ] && matches "$out_re" "$logdir/qr.out" &&
		matches "$err_re" "$logdir/qr.err"; then
		result OK "$desc"
	else
		result FAIL "$desc"
		comment "exit status $status (wanted $want)"
		sed 's/^/stdout: /' "$logdir/qr.out" | tail -n 20 | comments
		sed 's/^/stderr: /' "$logdir/qr.err" | tail -n 40 | comments
	fi
}

qr_expect "qemu-run: exits with the command's status" 7 '^out$' '^err$' \
	--no-module -- sh -c 'echo out; echo err >&2; exit 7'
qr_expect "qemu-run: arguments reach the guest word for word" 0 "^<a b> <it's> <\\\$HOME> $" '' \
	--no-module -- sh -c 'printf "<%s> " "$@"; echo' sh 'a b' "it's" '$HOME'
# A line written in two parts a while apart comes out whole, and output that
# does not end its last line still gives the command's status.
qr_expect "qemu-run: a slowly written line comes out whole, an unended one too" 0 '^abcdef$' '' \
	--no-module -- sh -c 'printf abc; sleep 2; echo def; printf end'
# The status comes on a port of its own: a line like the old marker is output.
qr_expect "qemu-run: what the command prints is not taken for its status" 3 \
	'^@@qemu-run-exit 0$' '' --no-module -- sh -c 'echo "@@qemu-run-exit 0"; exit 3'
qr_expect "qemu-run: a guest path that init mounts over is refused" 1 '' 'mounts /tmp' \
	--no-module --add build/samples:/tmp/samples -- true
mkdir -p "$logdir/special"
mkfifo "$logdir/special/fifo"
qr_expect "qemu-run: a FIFO in an added directory stays a FIFO" 0 '^fifo$' '' \
	--no-module --add "$logdir/special:/opt/special" -- sh -c '[ -p /opt/special/fifo ] && echo fifo'
if [ "${KERNEL_ARCH:-x86_64}" = x86_64 ]; then
	qr_expect "qemu-run: --claim all -- cat /proc/self/maps" 0 '\[vdso\]$' '' \
		--claim all -- cat /proc/self/maps
	# The command itself is exec'd under claim=all: binfmt_rs has loaded it, and every
	# ELF file it was offered.
	qr_expect "qemu-run: --claim all has binfmt_rs load the command" 0 \
		'^offered=([1-9][0-9]*) elf=([1-9][0-9]*) loaded=\2 failed=0 elf32=0 loaded32=0 failed32=0$' '' \
		--claim all -- cat /sys/module/binfmt_rs/parameters/stats
	qr_expect "qemu-run: an added dynamic ELF brings its interpreter and libraries" 0 \
		'^hello from /opt/dyn, argc=1$' '' --add build/samples/dynamic-pie:/opt/dyn -- /opt/dyn
else
	# A cross-built file's come from its toolchain's sysroot, an AArch32 one's too.
	qr_expect "qemu-run: an added dynamic ELF brings its interpreter and libraries" 0 \
		'^hello from /opt/dyn, argc=1$' '' --no-module --add build/samples-arm64/dynamic32:/opt/dyn -- /opt/dyn
	qr_expect "qemu-run: --claim all has binfmt_rs load the command on arm64" 0 \
		'^offered=([1-9][0-9]*) elf=([1-9][0-9]*) loaded=\2 failed=0 elf32=0 loaded32=0 failed32=0$' '' \
		--claim all -- cat /sys/module/binfmt_rs/parameters/stats
fi
# The timeout as given, even where check-debug stretches the others.
start=$SECONDS
QEMU_RUN_TIMEOUT_SCALE=1 qr_expect "qemu-run: a command that hangs times out with 124" 124 '' \
	'timed out' --no-module --timeout 5 -- sleep 600
[ $((SECONDS - start)) -lt 60 ] && result OK "qemu-run: the timeout is kept" ||
	result FAIL "qemu-run: the timeout is kept (took $((SECONDS - start)) s)"
qr_expect "qemu-run: a guest kernel WARNING fails the run with 125" 125 '' 'WARNING:' \
	--no-module -- sh -c 'echo WARNING >/sys/kernel/debug/provoke-crash/DIRECT'
qr_expect "qemu-run: a guest kernel oops fails the run with 125" 125 '' 'Oops|BUG:' \
	--no-module -- sh -c 'echo EXCEPTION >/sys/kernel/debug/provoke-crash/DIRECT'
if pgrep -f 'qemu-system-[a-z0-9_]+ -name binfmt-rs-guest' >/dev/null; then
	result FAIL "qemu-run: no QEMU is left running"
	pgrep -af 'qemu-system-' | comments
else
	result OK "qemu-run: no QEMU is left running"
fi
