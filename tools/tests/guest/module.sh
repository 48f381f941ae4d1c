# The module's life cycle and its parameters, in a guest where tools/qemu-run
# inserted binfmt_rs with claim=none.
. /tests/ktap.sh

expect "module: loaded by qemu-run" test -d /sys/module/binfmt_rs
expect_eq "module: claim defaults to none" none "$(param claim)"
expect_eq "module: nothing pins it at rest" 0 "$(refcnt)"
expect "module: registered in the log" dmesg_has "registered ahead of binfmt_elf"

# insmod/rmmod 20 times; each round must leave no trace behind.
rounds_ok=0
i=0
while [ $i -lt 20 ]; do
	i=$((i + 1))
	rmmod binfmt_rs || break
	[ ! -e /sys/module/binfmt_rs ] || break
	insmod /lib/modules/binfmt_rs.ko || break
	[ "$(param claim)" = none ] || break
	[ "$(counter offered)" = 0 ] || break
	rounds_ok=$i
done
expect_eq "module: insmod/rmmod 20 times" 20 "$rounds_ok"

rmmod binfmt_rs
insmod /lib/modules/binfmt_rs.ko claim=all
expect_eq "module: claim=all given to insmod" all "$(param claim)"
if insmod /lib/modules/binfmt_rs.ko 2>/dev/null; then
	fail "module: a second insmod is refused"
else
	pass "module: a second insmod is refused"
fi
rmmod binfmt_rs
if insmod /lib/modules/binfmt_rs.ko claim=some 2>/dev/null; then
	fail "module: insmod with a bad claim is refused"
	rmmod binfmt_rs
else
	pass "module: insmod with a bad claim is refused"
fi
if insmod /lib/modules/binfmt_rs.ko stats=1 2>/dev/null; then
	fail "module: the read-only stats parameter refuses a value"
	rmmod binfmt_rs
else
	pass "module: the read-only stats parameter refuses a value"
fi
insmod /lib/modules/binfmt_rs.ko
expect_eq "module: stats start at zero" "offered=0 elf=0 loaded=0 failed=0 elf32=0 loaded32=0 failed32=0" "$(param stats)"

# claim switching at run time, through sysfs.
set_claim all
expect_eq "claim: none -> all" all "$(param claim)"
set_claim none
expect_eq "claim: all -> none" none "$(param claim)"
if set_claim bogus 2>/dev/null; then
	fail "claim: an unknown value is refused"
else
	pass "claim: an unknown value is refused"
fi
expect_eq "claim: a refused value changes nothing" none "$(param claim)"
if [ "$(stat -c %a /sys/module/binfmt_rs/parameters/claim)" = 644 ]; then
	pass "claim: the parameter file is 0644"
else
	fail "claim: the parameter file is 0644"
fi

# What binfmt_rs is offered: nothing under none; each exec under all, and only
# ELF64 x86_64 files with a valid program header table count as ELF.
/samples/static >/dev/null
expect_eq "stats: claim=none is not offered execs" 0 "$(counter offered)"
set_claim all
/samples/static >/dev/null
expect_eq "stats: claim=all is offered an exec" 1 "$(counter offered)"
expect_eq "stats: a static ELF counts as ELF" 1 "$(counter elf)"
printf '#!/samples/static\n' >/tmp/script
chmod +x /tmp/script
/tmp/script >/dev/null
# binfmt_script, ahead of binfmt_rs as of binfmt_elf, takes the script itself;
# binfmt_rs is offered its interpreter (ELF) only.
expect_eq "stats: a #! script's interpreter is offered, not the script" 2 "$(counter offered)"
expect_eq "stats: the interpreter counts as ELF" 2 "$(counter elf)"
printf '\177ELF' >/tmp/short
chmod +x /tmp/short
# exec-errno itself (ELF), then the 4-byte file, which every loader refuses.
expect_eq "stats: a 4-byte ELF magic fails with ENOEXEC" ENOEXEC "$(/tests/exec-errno /tmp/short)"
expect_eq "stats: exec-errno and the short file are offered" 4 "$(counter offered)"
expect_eq "stats: a bare ELF magic is not a valid header" 3 "$(counter elf)"
expect_eq "stats: binfmt_rs loaded static, its script and exec-errno" 3 "$(counter loaded)"

# A process binfmt_rs loaded pins the module (set_binfmt) until its mm is gone.
/samples/jmp_start &
pid=$!
# While the exec itself runs, search_binary_handler() holds a second reference;
# once it is done, only the process's own (set_binfmt) is left. The wait uses
# builtins only: any command run now would be loaded by binfmt_rs and pin it too.
tries=0
while [ "$(refcnt)" != 1 ] && [ $tries -lt 100000 ]; do
	tries=$((tries + 1))
done
expect_eq "module: a running process it loaded pins it" 1 "$(refcnt)"
# rmmod itself must not be loaded by binfmt_rs, or it would pin the module too.
set_claim none
if rmmod binfmt_rs 2>/dev/null; then
	fail "module: rmmod is refused while a process it loaded runs"
	insmod /lib/modules/binfmt_rs.ko claim=all
else
	pass "module: rmmod is refused while a process it loaded runs"
fi
kill $pid
wait $pid 2>/dev/null
expect_eq "module: nothing pins it after the execs" 0 "$(refcnt)"
rmmod binfmt_rs
expect "module: unload logs its stats" dmesg_has "unregistered; offered=5 elf=4 loaded=4 failed=0 elf32=0 loaded32=0 failed32=0"
