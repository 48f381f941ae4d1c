# The reads an exec makes of its program and its interpreter are the kernel's own:
# kernel_read()s that pass rw_verify_area() and count in the task's I/O accounting,
# under binfmt_rs as under binfmt_elf.
#
# First, fanotify: fanotify-deny marks one file with FAN_ACCESS_PERM, lets its
# first ALLOW reads through and denies the rest, and prints the exec's outcome with
# the number of reads the file saw. Denying each read in turn shows which errno
# each read's failure becomes; both loaders must agree, but for the one case where
# they cannot (see expected() below).
#
# Then /proc/PID/io: exec-io stops a process at its first instruction and prints
# its rchar and syscr, which are then the exec's reads alone. Both loaders must
# read the same bytes in the same number of reads, the ones the headers call for.
#
# Under claim=all the loaded counter proves that binfmt_rs did the exec.
. /tests/ktap.sh

LDSO=/lib64/ld-linux-x86-64.so.2
echo 0 >/proc/sys/kernel/randomize_va_space

# When every binfmt declines an exec with -ENOEXEC, search_binary_handler() (fs/exec.c)
# asks for a binfmt-464c module and, unless request_module() fails outright (no
# modprobe to exec), goes over the formats a second time: that many passes.
modprobe=
read -r modprobe </proc/sys/kernel/modprobe 2>/dev/null
if [ -n "$modprobe" ] && [ -x "$modprobe" ]; then passes=2; else passes=1; fi
echo "# modprobe '$modprobe': $passes pass(es) over the binfmts after -ENOEXEC"

# What each read of the marked file turns into when it is denied (fanotify's
# FAN_DENY is -EPERM), in the order the exec makes them (fs/exec.c and
# fs/binfmt_elf.c), as NAME=ERRNO:
# - a program without PT_INTERP: prepare_binprm()'s read of bprm->buf, whose error
#   execve() returns before any binfmt runs; then load_elf_phdrs(), whose failure
#   leaves load_elf_binary() at -ENOEXEC.
# - a program with PT_INTERP: those two, then elf_read() of the PT_INTERP path, whose
#   errno is returned (out_free_interp).
# - its interpreter: elf_read() of its ELF header, whose errno is returned
#   (out_free_dentry); then load_elf_phdrs(), whose failure is -ELIBBAD.
# CONFIG_ARCH_USE_GNU_PROPERTY is arm64's alone: on x86_64 parse_elf_properties()
# reads nothing, so PT_GNU_PROPERTY adds no read.
PROGRAM="bprm->buf=EPERM phdrs=ENOEXEC"
INTERP_USER="bprm->buf=EPERM phdrs=ENOEXEC PT_INTERP-path=EPERM"
INTERPRETER="ELF-header=EPERM phdrs=ELIBBAD"

# expected READS ALLOW CLAIM: the line fanotify-deny must print.
#
# The reads are the same under both loaders, one by one, and so is every outcome
# but one: a denied program header table. binfmt_rs then declines the exec with
# -ENOEXEC before the point of no return, exactly as binfmt_elf would, and
# search_binary_handler() goes on to binfmt_elf, which reads the table again: a
# second event, denied too (every read after the first denied one is), so again
# -ENOEXEC. Under claim=all each pass over the formats reads the table twice,
# under claim=none once. Every other denial is an errno other than -ENOEXEC,
# which ends the exec in binfmt_rs as it does in binfmt_elf, and with no denial
# the loader that took the exec made all the reads.
expected() {
	n=0
	for r in $1; do
		n=$((n + 1))
		[ $n -gt "$2" ] || continue
		errno=${r#*=}
		if [ "$errno" != ENOEXEC ]; then
			echo "errno:$errno reads=$n"
		elif [ "$3" = all ]; then
			echo "errno:ENOEXEC reads=$(($2 + 2 * passes))"
		else
			echo "errno:ENOEXEC reads=$(($2 + passes))"
		fi
		return
	done
	echo "exit:0 reads=$n"
}

# denied NAME READS FILE ALLOW PROG...: fanotify-deny ALLOW FILE PROG... under both
# loaders, against expected(); READS are FILE's reads in the exec of PROG.
denied() {
	name=$1 reads=$2 file=$3 allow=$4
	shift 4
	want_none=$(expected "$reads" "$allow" none)
	want_all=$(expected "$reads" "$allow" all)
	set_claim none
	none=$(/tests/fanotify-deny "$allow" "$file" "$@")
	set_claim all
	before=$(counter loaded)
	all=$(/tests/fanotify-deny "$allow" "$file" "$@")
	after=$(counter loaded)
	set_claim none
	# Under claim=all binfmt_rs loads fanotify-deny, then PROG if it ran.
	case $want_all in
	exit:*) want_loaded=2 ;;
	*) want_loaded=1 ;;
	esac

	# Which read was denied, by name.
	n=0
	what="no read of $file denied"
	for r in $reads; do
		n=$((n + 1))
		[ $n -ne $((allow + 1)) ] || what="read $n of $file (${r%=*}) denied"
	done
	if [ "$want_none" = "$want_all" ]; then
		desc="reads: $name, ALLOW=$allow, $what: $want_none under both loaders"
	else
		desc="reads: $name, ALLOW=$allow, $what: $want_none under claim=none, $want_all under claim=all (binfmt_elf reads the table again)"
	fi
	if [ "$none" = "$want_none" ] && [ "$all" = "$want_all" ] &&
		[ $((after - before)) -eq $want_loaded ]; then
		pass "$desc"
	else
		fail "$desc" "claim=none: '$none', claim=all: '$all', binfmt_rs loaded +$((after - before)) (expected +$want_loaded)"
	fi
}

for allow in 0 1 2 3 4; do
	denied static "$PROGRAM" /samples/static $allow /samples/static
	denied static-pie "$PROGRAM" /samples/static-pie $allow /samples/static-pie
	denied "dynamic-pie (program marked)" "$INTERP_USER" /samples/dynamic-pie $allow \
		/samples/dynamic-pie
	denied "dynamic-pie (interpreter marked)" "$INTERPRETER" $LDSO $allow /samples/dynamic-pie
done

# The reads load_elf_binary() makes of FILE, as exec-io prints them: bprm->buf (256
# bytes, BINPRM_BUF_SIZE, or the whole file if shorter), the program header table
# and, for the first PT_INTERP, its path, the interpreter's ELF header (64 bytes)
# and its program header table; syscr one per read. Found with od, not by exec.
u() { od -An -tu"$3" -j"$2" -N"$3" "$1" | tr -d ' '; }
phdrs_size() { echo $((56 * $(u "$1" 56 2))); }
io_expected() {
	size=$(wc -c <"$1")
	[ "$size" -lt 256 ] || size=256
	rchar=$((size + $(phdrs_size "$1")))
	syscr=2
	phoff=$(u "$1" 32 8)
	i=0
	while [ $i -lt "$(u "$1" 56 2)" ]; do
		at=$((phoff + 56 * i))
		if [ "$(u "$1" $at 4)" = 3 ]; then
			filesz=$(u "$1" $((at + 32)) 8)
			interp=$(dd if="$1" bs=1 skip="$(u "$1" $((at + 8)) 8)" count=$((filesz - 1)) 2>/dev/null)
			rchar=$((rchar + filesz + 64 + $(phdrs_size "$interp")))
			syscr=5
			break
		fi
		i=$((i + 1))
	done
	echo "rchar: $rchar syscr: $syscr"
}

# exec-io's lines on one line, a read_bytes of 0 left out (the initramfs has no
# block device behind it).
io_line() { echo "$1" | grep -v '^read_bytes: 0$' | tr '\n' ' ' | sed 's/ $//'; }

# Each exec-io under claim=all: binfmt_rs loads exec-io itself, then the program.
printf '%s\n' "static /samples/static" "static-pie /samples/static-pie" \
	"dynamic-pie /samples/dynamic-pie" "ld.so $LDSO /samples/static" |
while read -r name path args; do
	set_claim none
	# $args is split on purpose: the program's arguments.
	# shellcheck disable=SC2086
	none=$(io_line "$(/tests/exec-io $path $args)")
	set_claim all
	before=$(counter loaded)
	# shellcheck disable=SC2086
	all=$(/tests/exec-io $path $args)
	after=$(counter loaded)
	set_claim none
	all=$(io_line "$all")
	echo "# $name: claim=none: $none; claim=all: $all"
	expect_eq "reads: /proc/PID/io of $name right after its exec: the reads its headers call for under claim=none" \
		"$(io_expected "$path")" "$none"
	expect_eq "reads: /proc/PID/io of $name right after its exec: the same under claim=all as under claim=none" \
		"$none" "$all"
	expect_eq "reads: binfmt_rs loaded exec-io and $name under claim=all" $((before + 2)) "$after"
done

set_claim none
echo 2 >/proc/sys/kernel/randomize_va_space
