# Unusual conditions an exec meets, under both loaders: a noexec mount, tiny and
# unlimited stack limits, arguments at the E2BIG boundary, a program asking for
# page 0 as an ordinary user. Outcomes and, where the exec succeeds, the whole
# process (exec-snapshot, ASLR off) must be the same.
. /tests/ktap.sh

echo 0 >/proc/sys/kernel/randomize_va_space

# both DESC COMMAND...: runs COMMAND under each claim; the outputs must match.
both() {
	desc=$1
	shift
	set_claim none
	"$@" >/tmp/both.none 2>&1
	set_claim all
	"$@" >/tmp/both.all 2>&1
	set_claim none
	if cmp -s /tmp/both.none /tmp/both.all; then
		pass "limits: $desc is the same under both loaders"
	else
		fail "limits: $desc is the same under both loaders"
		diff /tmp/both.none /tmp/both.all | sed 's/^/# /'
	fi
}

mkdir -p /mnt/noexec
mount -t tmpfs -o noexec tmpfs /mnt/noexec
cp /samples/static /mnt/noexec/static
both "a program on a noexec mount" /tests/exec-errno /mnt/noexec/static
expect_eq "limits: a noexec mount refuses with EACCES" EACCES "$(cat /tmp/both.all)"

for limit in 16 256 unlimited; do
	both "static-pie with ulimit -s $limit" \
		sh -c "ulimit -s $limit && exec /tests/exec-snapshot /samples/static-pie"
	expect "limits: static-pie ran with ulimit -s $limit" grep -q '^outcome: stopped' /tmp/both.all
	both "dynamic-pie with ulimit -s $limit" \
		sh -c "ulimit -s $limit && exec /tests/exec-snapshot /samples/dynamic-pie"
done

# MAX_ARG_STRLEN is 32 pages: an argument of 131072 bytes, its NUL included, fits;
# one byte more is E2BIG (copy_strings() in fs/exec.c). exec-errno makes the
# argument itself, so that it does not pass through an exec of its own.
both "an argument of 131072 bytes" /tests/exec-errno -n 131072 /samples/static
expect_eq "limits: an argument of 131072 bytes is accepted" \
	"hello from /samples/static, argc=2" "$(cat /tmp/both.all)"
both "an argument of 131073 bytes" /tests/exec-errno -n 131073 /samples/static
expect_eq "limits: an argument of 131073 bytes is E2BIG" E2BIG "$(cat /tmp/both.all)"

# The whole of argv and envp may take a quarter of RLIMIT_STACK, but never less
# than ARG_MAX (bprm_stack_limits() in fs/exec.c). With ulimit -s 512 that is
# 131072 bytes, less the pointers and the other strings: the largest environment
# string that fits is found under the kernel's loader, by bisection, and must fit
# under binfmt_rs too, with one byte more E2BIG under both.
fits() { [ "$(ulimit -s 512 && /tests/exec-errno -e "$1" /samples/nolibc)" = "hello from nolibc" ]; }
set_claim none
low=1
high=131073
while [ $((high - low)) -gt 1 ]; do
	mid=$(((low + high) / 2))
	if fits $mid; then low=$mid; else high=$mid; fi
done
echo "# limits: the largest environment string under ulimit -s 512 is $low bytes"
expect "limits: that boundary is within ARG_MAX" [ "$low" -gt 120000 -a "$low" -lt 131072 ]
both "an environment string at the E2BIG boundary" \
	sh -c "ulimit -s 512 && exec /tests/exec-errno -e $low /samples/nolibc"
expect_eq "limits: an environment string at the boundary is accepted" \
	"hello from nolibc" "$(cat /tmp/both.all)"
both "an environment string one byte past the E2BIG boundary" \
	sh -c "ulimit -s 512 && exec /tests/exec-errno -e $((low + 1)) /samples/nolibc"
expect_eq "limits: an environment string one byte past it is E2BIG" E2BIG "$(cat /tmp/both.all)"

# A program whose first PT_LOAD is at address 0: only CAP_SYS_RAWIO may map below
# mmap_min_addr, so an ordinary user's exec dies with SIGSEGV after the point of
# no return, and root's runs.
both "a program at address 0, run by uid 1000" \
	/tests/run-as 1000 /tests/exec-snapshot /tests/at-zero
expect "limits: a program at address 0 kills an ordinary user's exec" \
	grep -q '^outcome: killed by signal 11' /tmp/both.all
both "a program at address 0, run by root" /tests/exec-snapshot /tests/at-zero
expect "limits: root may map a program at address 0" grep -q '^outcome: stopped' /tmp/both.all
echo 2 >/proc/sys/kernel/randomize_va_space
