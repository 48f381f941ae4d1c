# A process binfmt_rs loaded still dumps core: through binfmt_elf's own writer,
# which the module's format points to, or compat_binfmt_elf's for an i386 process
# (32-bit notes and headers). With ASLR off the core file's header and
# program headers are the same as for the kernel's loader, and the host's readelf
# (added by tools/check) reads it: an ET_CORE file with the notes gdb needs.
. /tests/ktap.sh

echo 0 >/proc/sys/kernel/randomize_va_space
echo '/tmp/core.%p' >/proc/sys/kernel/core_pattern
ulimit -c unlimited

# u16/u32/u64 FILE OFFSET: a little-endian field of the file, in decimal.
u16() { od -An -tu2 -j "$2" -N 2 "$1" | tr -d ' '; }
u32() { od -An -tu4 -j "$2" -N 4 "$1" | tr -d ' '; }
u64() { od -An -tu8 -j "$2" -N 8 "$1" | tr -d ' '; }

# started PID PROG: waits, with builtins only, until PID runs PROG and has got
# where its core is the same every time: jmp_start spinning in user space, pause
# asleep in pause(2) (system call 34, 29 for i386) once ld.so has mapped and
# relocated libc.
started() {
	tries=0
	while ! [ /proc/$1/exe -ef /samples/$2 ] && [ $tries -lt 100000 ]; do
		tries=$((tries + 1))
	done
	case $2 in
	pause | pause32)
		nr=34
		[ $2 = pause ] || nr=29
		state=
		while [ "${state%% *}" != $nr ] && [ $tries -lt 200000 ]; do
			read -r state <"/proc/$1/syscall" 2>/dev/null
			tries=$((tries + 1))
		done
		;;
	*) running "$1" ;;
	esac
}

for claim in none all; do
	for prog in jmp_start pause jmp_start32 pause32; do
		set_claim $claim
		before=$(counter loaded)
		/samples/$prog &
		pid=$!
		started $pid $prog
		kill -SEGV $pid
		wait $pid 2>/dev/null
		after=$(counter loaded)
		set_claim none
		core=/tmp/core.$pid
		if [ "$claim" = all ]; then
			expect_eq "coredump: binfmt_rs loaded $prog" $((before + 1)) "$after"
		fi
		if [ ! -s $core ]; then
			fail "coredump: $prog under claim=$claim wrote a core file"
			continue
		fi
		pass "coredump: $prog under claim=$claim wrote a core file"
		expect_eq "coredump: $prog's core under claim=$claim is an ELF ET_CORE file" \
			"7f454c46 4" "$(od -An -tx1 -N4 $core | tr -d ' ') $(u16 $core 16)"
		/usr/bin/readelf -h -l -n $core >/tmp/$prog.$claim.readelf 2>&1
		expect "coredump: readelf reads $prog's core under claim=$claim as a core file" \
			grep -q 'Type: *CORE' /tmp/$prog.$claim.readelf
		notes=$(grep -oE 'NT_(PRSTATUS|PRPSINFO|SIGINFO|AUXV|FILE|FPREGSET)' \
			/tmp/$prog.$claim.readelf | sort -u | tr '\n' ' ')
		expect_eq "coredump: $prog's core under claim=$claim has the notes gdb reads" \
			"NT_AUXV NT_FILE NT_FPREGSET NT_PRPSINFO NT_PRSTATUS NT_SIGINFO " "$notes"
		case $prog in
		*32)
			expect "coredump: $prog's core under claim=$claim is ELF32, compat_binfmt_elf's" \
				grep -q 'Class: *ELF32' /tmp/$prog.$claim.readelf
			phoff=$(u32 $core 28) phnum=$(u16 $core 44) phentsize=32
			;;
		*) phoff=$(u64 $core 32) phnum=$(u16 $core 56) phentsize=56 ;;
		esac
		od -An -tx1 -j $phoff -N $((phnum * phentsize)) $core >/tmp/$prog.$claim.phdrs
		echo "$phnum" >>/tmp/$prog.$claim.phdrs
		rm -f $core
	done
done
for prog in jmp_start pause jmp_start32 pause32; do
	if cmp -s /tmp/$prog.none.phdrs /tmp/$prog.all.phdrs; then
		pass "coredump: $prog's core has the same program headers under both loaders"
	else
		fail "coredump: $prog's core has the same program headers under both loaders"
		diff /tmp/$prog.none.phdrs /tmp/$prog.all.phdrs | sed 's/^/# /'
	fi
done
echo 2 >/proc/sys/kernel/randomize_va_space
