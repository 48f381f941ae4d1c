# shellcheck shell=sh
# Result lines for guest test scripts: "ok - DESC" or "not ok - DESC", one per
# check. tools/check numbers them into its KTAP report; other lines are comments.

# pass DESC / fail DESC [WHY]. KTAP_PREFIX, when set, starts every DESC (a suite
# run a second time, on another kernel).
pass() { echo "ok - ${KTAP_PREFIX:-}$1"; }
fail() {
	echo "not ok - ${KTAP_PREFIX:-}$1"
	[ -z "${2:-}" ] || echo "# $2"
}

# expect_eq DESC EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected '$2', got '$3'"
	fi
}

# expect_same DESC FILE1 FILE2: passes when the files are the same; else shows
# their diff.
expect_same() {
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1"
		diff "$2" "$3" | sed 's/^/# /'
	fi
}

# expect DESC COMMAND...: passes when COMMAND succeeds.
expect() {
	desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc" "failed: $*"; fi
}

dmesg_has() { dmesg | grep -qF "$1"; }

# Reading and writing parameters uses shell builtins only: under claim=all every
# exec counts, and these must not add any.
param() {
	read -r value <"/sys/module/binfmt_rs/parameters/$1"
	echo "$value"
}
refcnt() {
	read -r value </sys/module/binfmt_rs/refcnt
	echo "$value"
}
set_claim() { echo "$1" >/sys/module/binfmt_rs/parameters/claim; }

# The value of counter NAME in the stats parameter (offered=N elf=N loaded=N).
counter() {
	read -r stats </sys/module/binfmt_rs/parameters/stats
	for kv in $stats; do
		case $kv in "$1="*) echo "${kv#*=}" ;; esac
	done
}

# running PID [PROG]: waits until PID runs in user space (/proc/PID/syscall says
# "running"), using builtins only; with PROG, first until PID's exec of PROG is
# done (/proc/PID/exe is PROG), since a child forked to exec it runs in user space
# before the exec too.
running() {
	tries=0
	while [ -n "${2:-}" ] && ! [ "/proc/$1/exe" -ef "$2" ] && [ $tries -lt 100000 ]; do
		tries=$((tries + 1))
	done
	while [ $tries -lt 200000 ]; do
		read -r state <"/proc/$1/syscall" 2>/dev/null
		[ "$state" = running ] && return 0
		tries=$((tries + 1))
	done
	return 1
}

# quietly COMMAND...: runs COMMAND, showing its output only when it fails.
quietly() {
	"$@" >/tmp/quietly.out 2>&1 && return 0
	sed 's/^/# /' /tmp/quietly.out
	return 1
}

# uptime_cs: the guest's uptime in hundredths of a second, for tests that time
# themselves; with builtins only, since under claim=all any exec would count.
uptime_cs() {
	read -r up _ </proc/uptime
	# /proc/uptime has two decimals; "1xx - 100" keeps a fraction such as 08 from
	# reading as octal, and an uptime under a second has an integer part of 0.
	echo $((${up%.*} * 100 + 1${up#*.} - 100))
}
