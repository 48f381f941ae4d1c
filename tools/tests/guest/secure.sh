# secureexec: a setuid-root program run by an ordinary user gets AT_SECURE=1, and
# its dynamic loader ignores LD_PRELOAD, under binfmt_rs as under the kernel's
# loader. The credentials are the exec core's work; binfmt_rs must pass them on.
. /tests/ktap.sh

chmod 755 /samples /samples/libpreload.so /samples/libpreload32.so

# The x86_64 program and its i386 build, each with a preload library of its class.
for case in "secure libpreload.so" "secure32 libpreload32.so"; do
	set -- $case
	prog=$1 lib=/samples/$2
	cp /samples/$prog /tmp/$prog-suid
	chmod 4755 /tmp/$prog-suid
	cp /samples/$prog /tmp/$prog-plain
	chmod 755 /tmp/$prog-plain
	for claim in none all; do
		set_claim $claim
		before=$(counter loaded)
		suid=$(LD_PRELOAD=$lib /tests/run-as 1000 /tmp/$prog-suid)
		plain=$(LD_PRELOAD=$lib /tests/run-as 1000 /tmp/$prog-plain)
		after=$(counter loaded)
		set_claim none
		if [ $claim = all ]; then
			# run-as twice, then each program.
			expect_eq "secure: binfmt_rs loaded both $prog programs" $((before + 4)) "$after"
		fi
		expect_eq "secure: setuid-root $prog run by uid 1000 under claim=$claim" \
			"AT_SECURE=1 uid=1000 euid=0" "$suid"
		expect_eq "secure: $prog without setuid under claim=$claim" \
			"preloaded
AT_SECURE=0 uid=1000 euid=1000" "$plain"
	done
done

# No kernel address in what binfmt_rs shows: the log (elf_map()'s collision
# message), the films and the trace events hold user addresses only, and the
# vsyscall page's fixed address, an ABI constant. A kernel pointer would start
# with ffff8 to fffff but not be that page.
mount -t debugfs none /sys/kernel/debug 2>/dev/null
mount -t tracefs none /sys/kernel/tracing 2>/dev/null
dmesg >/tmp/log.before
echo 1 >/sys/module/binfmt_rs/parameters/film
echo 1 >/sys/kernel/tracing/events/binfmt_rs/enable
set_claim all
/samples/static >/dev/null
/samples/dynamic-pie >/dev/null
/samples/nolibc >/dev/null
LD_PRELOAD=/samples/libpreload.so /tests/run-as 1000 /tmp/secure-suid >/dev/null
LD_PRELOAD=/samples/libpreload32.so /tests/run-as 1000 /tmp/secure32-suid >/dev/null
set_claim none
echo 0 >/sys/kernel/tracing/events/binfmt_rs/enable
echo 0 >/sys/module/binfmt_rs/parameters/film
{
	dmesg | tail -n +"$(($(wc -l </tmp/log.before) + 1))" | grep 'binfmt_rs'
	cat /sys/kernel/debug/binfmt_rs/films
	grep -v '^#' /sys/kernel/tracing/trace
} >/tmp/log.ours
expect "secure: the filmed and traced execs recorded their steps" grep -q 'create_elf_tables' /tmp/log.ours
grep -oiE '(0x)?ffff[89a-f][0-9a-f]{11}' /tmp/log.ours | grep -viE '^(0x)?ffffffffff600000$' >/tmp/log.kaddr
expect_eq "secure: binfmt_rs's log lines, films and trace events hold no kernel address" "" "$(head -n 3 /tmp/log.kaddr)"
