# Corners of load_elf_binary() (fs/binfmt_elf.c) under both loaders:
# - an interpreter whose load address is bad but no errno: the exec succeeds;
# - the kernel log's lines, compared as text: elf_map()'s "Uhuuh" line (with a
#   command name that is not ASCII) and the MMAP_PAGE_ZERO seal warning, which is
#   rate-limited.
. /tests/ktap.sh

echo 0 >/proc/sys/kernel/randomize_va_space

# load_elf_interp() returns the bad address of an empty PT_LOAD, and e_entry
# wraps the sum back to the program: the kernel's loader runs it; binfmt_rs
# must too, having loaded it (loaded, not failed).
for claim in none all; do
	set_claim $claim
	loaded=$(counter loaded)
	failed=$(counter failed)
	/tests/edge/prog
	expect_eq "edges: a bad interpreter load address that is no errno execs under claim=$claim" 42 $?
	if [ $claim = all ]; then
		expect_eq "edges: binfmt_rs loaded the program with that interpreter" \
			$((loaded + 1)) "$(counter loaded)"
		expect_eq "edges: binfmt_rs failed no exec" "$failed" "$(counter failed)"
	fi
done

# log_lines PATTERN: the kernel log lines that contain PATTERN, the pid in them
# replaced by PID.
log_lines() {
	dmesg | sed -n "s/^\[[ 0-9.]*\] //; /$1/p" | sed 's/^[0-9][0-9]* (/PID (/; s/pid=[0-9]*,/pid=PID,/'
}

# A PT_LOAD in the stack: MAP_FIXED_NOREPLACE fails; the exec dies after the point
# of no return. The command name is not ASCII: printk prints comm's bytes.
cp /tests/edge/collide "/tmp/collide-é"
for claim in none all; do
	set_claim $claim
	failed=$(counter failed)
	dmesg -c >/dev/null
	"/tmp/collide-é"
	expect_eq "edges: a PT_LOAD over the stack kills the exec under claim=$claim" 139 $?
	log_lines Uhuuh >/tmp/uhuuh.$claim
	[ $claim = none ] || expect_eq "edges: binfmt_rs took that exec and failed it" \
		$((failed + 1)) "$(counter failed)"
done
expect_eq "edges: elf_map()'s line is in the log" 1 "$(wc -l </tmp/uhuuh.none)"
expect_same "edges: the Uhuuh line is the kernel's, byte for byte" /tmp/uhuuh.none /tmp/uhuuh.all

# MMAP_PAGE_ZERO as an ordinary user: page 0 cannot be mapped below
# mmap_min_addr, so sealing it fails and load_elf_binary() warns, rate-limited
# (pr_warn_ratelimited(): at most 10 lines in 5 seconds). Twelve execs at once;
# on a kernel slow enough that they take longer than the interval (the debug
# kernel), the limit cannot show and is not judged.
for claim in none all; do
	set_claim $claim
	dmesg -c >/dev/null
	t0=$(uptime_cs)
	i=0
	while [ $i -lt 12 ]; do
		/tests/run-as 1000 /tests/exec-snapshot -p 0x100000 /samples/nolibc >/dev/null
		i=$((i + 1))
	done
	t1=$(uptime_cs)
	eval took_$claim=$((t1 - t0))
	log_lines "couldn't seal address 0" >/tmp/seal.$claim
done
set_claim none
expect "edges: the seal warning is logged" [ -s /tmp/seal.none ]
for claim in none all; do
	eval took=\$took_$claim
	desc="edges: the seal warning is rate-limited under claim=$claim"
	if [ "$took" -ge 450 ]; then
		pass "$desc # SKIP twelve execs took $((took / 100)) s, longer than the 5 s interval"
	else
		expect "$desc" [ "$(wc -l </tmp/seal.$claim)" -eq 10 ]
	fi
done
expect_eq "edges: the seal warning is the kernel's text" "$(sort -u /tmp/seal.none)" "$(sort -u /tmp/seal.all)"
echo 2 >/proc/sys/kernel/randomize_va_space
