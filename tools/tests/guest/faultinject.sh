# Every failure path of an exec, under both loaders: exec-fail-nth execs each
# program once per fault-injection site, failing the N-th allocation (slab or
# pages) or user copy of the child (/proc/thread-self/fail-nth), N = 1, 2, ...
# until an exec runs clean. The outcome at every N (errno, exit status or signal)
# must be the same under claim=none (binfmt_elf) and claim=all (binfmt_rs), and so
# must the number of sites. The allocators' own page allocations add a site now
# and then (see exec_fail_nth.c): an N whose outcomes differ runs again, under
# each loader in turn, and only a difference that persists counts.
# One difference is structural, and must be there at one site: when the
# allocation or the read of the program header table fails, load_elf_binary()
# answers -ENOEXEC, and search_binary_handler() asks the next format. Under
# claim=none that is compat binfmt_elf, which declines too: execve() fails with
# ENOEXEC. Under claim=all binfmt_rs gave that answer, and the next format is
# binfmt_elf, which tries again and loads the program (Documentation/loader.rst).
# Under claim=all the stats prove that binfmt_rs did the loads: loaded + failed
# counts every exec that got past the point of no return.
#   sh /tests/faultinject.sh [--no-page-alloc] PROG...   e.g. /samples/static /samples/dynamic-pie
# Prints per program the number of sites, a tally of the outcomes and the time
# the sweeps took. ASLR is off meanwhile: the same addresses, the same page tables.
# --no-page-alloc leaves page allocations out (fail_page_alloc's min-order past
# every order), for a kernel whose allocators' page allocations move the sites
# at nearly every run (the arm64 guest: 3 to 7 N per program differ between two
# sweeps, under either loader): the slab allocations and user copies remain.
. /tests/ktap.sh

page_min_order=0
facilities="failslab, fail_page_alloc, fail_usercopy, fail-nth"
if [ "${1:-}" = --no-page-alloc ]; then
	shift
	page_min_order=64
	facilities="failslab, fail_usercopy, fail-nth; no page allocations"
fi

FI=/sys/kernel/debug
# Each N that differs between the two sweeps runs again under each loader in
# turn, ROUNDS times REPEAT runs, for at most MAX_RERUN_N of them per program.
ROUNDS=3
REPEAT=2
MAX_RERUN_N=60

# fi_set FILE VALUE: sets a fault-injection knob, remembering its old value for
# fi_restore. Each knob is set once.
fi_saved=
fi_set() {
	read -r old <"$FI/$1" || return 1
	echo "$2" >"$FI/$1" || return 1
	fi_saved="$fi_saved $1=$old"
}
fi_restore() {
	for kv in $fi_saved; do
		echo "${kv#*=}" >"$FI/${kv%%=*}"
	done
}

# sites FILE: "N sites", N the clean N minus 1, or how far a sweep without one got.
sites() {
	lines=$(grep -c . "$1")
	if tail -n 1 "$1" | grep -q ' clean$'; then
		echo "$((lines - 1)) sites"
	else
		echo "no clean N in $lines execs"
	fi
}

# rerun N CLAIM PROG: the lines of N from exec-fail-nth running N alone REPEAT
# times under CLAIM; under claim=all also appends to $rerun_stats what binfmt_rs
# did with those children ("loaded +2 failed +0"; exec-fail-nth's own exec left out).
rerun() {
	set_claim "$2"
	l0=$(counter loaded)
	f0=$(counter failed)
	/tests/exec-fail-nth -s "$1" -m "$1" -r $REPEAT "$3" 2>/dev/null || echo "$1 rerun-failed"
	l1=$(counter loaded)
	f1=$(counter failed)
	set_claim none
	[ "$2" = none ] || echo "loaded +$((l1 - l0 - 1)) failed +$((f1 - f0))" >>"$rerun_stats"
}

# majority FILE: the most frequent line of FILE.
majority() {
	sort "$1" | uniq -c | sort -k1,1nr | head -n 1 | sed 's/^ *[0-9]* //'
}

# common A B: the most frequent line of A and B together that is in both; empty
# when they have none in common.
common() {
	awk 'FILENAME == ARGV[1] { c[$0]++; in_a[$0] = 1; next }
		{ c[$0]++; in_b[$0] = 1 }
		END {
			for (l in c)
				if ((l in in_a) && (l in in_b) && (best == "" || c[l] > c[best]))
					best = l
			print best
		}' "$1" "$2"
}

# counts FILE: FILE's distinct lines with their counts: "exit:0 x3, exit:127 x2".
counts() {
	sed 's/^[0-9]* //' "$1" | sort | uniq -c | sort -k1,1nr | awk '{
		c = $1
		sub(/^ *[0-9]+ /, "")
		printf "%s%s x%d", (NR > 1 ? ", " : ""), $0, c
	} END { print "" }'
}

# confirm SWEEP SUBST: SWEEP's lines with those that SUBST ("N<tab>LINE") replaces,
# up to the first clean one.
confirm() {
	awk -F '\t' 'FILENAME == ARGV[1] { sub_[$1] = $2; next }
		{ line[FNR] = $0; n = FNR }
		END {
			for (k in sub_)
				if (k + 0 > n)
					n = k + 0
			for (i = 1; i <= n; i++) {
				l = (i in sub_) ? sub_[i] : line[i]
				if (l == "")
					break
				print l
				if (l ~ / clean$/)
					break
			}
		}' "$2" "$1"
}

# moved FILE SWEEP N: true when every line of FILE (re-runs of N) is an outcome
# the sweep SWEEP had at N-1, N or N+1: the site at N moved by one, as the
# allocators' own page allocations make it now and then.
moved() {
	awk -v n="$3" 'FILENAME == ARGV[1] {
			if ($1 + 0 >= n - 1 && $1 + 0 <= n + 1)
				ok[$2] = 1
			next
		}
		!($2 in ok) { bad = 1 }
		END { exit bad }' "$2" "$1"
}

# one_site N...: true for one N, or for two neighbours.
one_site() {
	[ $# = 1 ] || { [ $# = 2 ] && [ $(($2 - $1)) = 1 ]; }
}

# clean_n FILE: "N" of FILE's clean line, or "none".
clean_n() {
	l=$(grep ' clean$' "$1")
	echo "${l%% *}" | sed 's/^$/none/'
}

# seconds CS: hundredths as seconds with one decimal.
seconds() { echo "$(($1 / 100)).$(($1 % 100 / 10))"; }

# tally FILE: the outcomes of the sites (the lines before the clean one), most
# frequent first: "exit:0 150, signal:SIGSEGV 40, errno:ENOMEM 22".
tally() {
	grep -v ' clean$' "$1" | awk '{ n[$2]++ } END { for (o in n) print n[o], o }' |
		sort -k1,1nr -k2 | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 } END { print "" }'
}

# On a kernel with kmemleak (the debug kernel), kmemleak's and KASAN's own
# allocations are fault sites too, and they come and go from run to run: there
# the sweeps still drive every failure path for the sanitizers to look at, but
# the comparisons between the loaders are shown, not judged.
judged=1
if [ -e /sys/kernel/debug/kmemleak ]; then
	judged=0
	# Re-runs only sort noise from differences, and are slow there.
	MAX_RERUN_N=0
	echo "# faultinject: kmemleak is on; its allocations move the sites: the comparisons are shown, not judged"
fi
# compared_pass DESC / compared_fail DESC [WHY]: a comparison's verdict.
compared_pass() {
	if [ $judged = 1 ]; then pass "$1"; else echo "# not judged: $1: yes"; fi
}
compared_fail() {
	if [ $judged = 1 ]; then fail "$1" "${2:-}"; else echo "# not judged: $1: no ${2:-}"; fi
}
compared_eq() {
	if [ "$2" = "$3" ]; then compared_pass "$1"; else compared_fail "$1" "(expected '$2', got '$3')"; fi
}

read -r aslr </proc/sys/kernel/randomize_va_space
echo 0 >/proc/sys/kernel/randomize_va_space
grep -q '^[^ ]* /sys/kernel/debug debugfs ' /proc/mounts ||
	mount -t debugfs debugfs /sys/kernel/debug

# What fail-nth counts is every call that reaches should_fail_ex() (lib/fault-inject.c):
# the filters of failslab and fail_page_alloc come first, and by default they skip
# every allocation that may sleep (GFP_KERNEL), user pages (__GFP_HIGHMEM in
# GFP_HIGHUSER) and order-0 pages. fail-nth itself overrides probability, interval,
# times, space and task-filter; probability 0 keeps random failures off for every
# other task. verbose 0: an injected failure logs nothing (the default, 2, dumps the
# stack, which the runner would take for a kernel bug).
configured=1
for knob in failslab/ignore-gfp-wait=N failslab/cache-filter=N \
	fail_page_alloc/ignore-gfp-wait=N fail_page_alloc/ignore-gfp-highmem=N \
	fail_page_alloc/min-order=$page_min_order \
	failslab/verbose=0 fail_page_alloc/verbose=0 fail_usercopy/verbose=0 \
	failslab/probability=0 fail_page_alloc/probability=0 fail_usercopy/probability=0; do
	fi_set "${knob%%=*}" "${knob#*=}" || configured=0
done
if [ $configured = 1 ] && [ -w /proc/thread-self/fail-nth ]; then
	pass "faultinject: fault injection is set up ($facilities)"
else
	fail "faultinject: fault injection is set up ($facilities)"
	fi_restore
	echo "$aslr" >/proc/sys/kernel/randomize_va_space
	exit 0
fi

for prog in "$@"; do
	name=${prog##*/}
	out=/tmp/faultinject.$name
	# The page cache, dentries and anything either loader sets up once: warm.
	set_claim none
	"$prog" >/dev/null 2>&1
	set_claim all
	"$prog" >/dev/null 2>&1
	set_claim none
	/tests/exec-fail-nth -m 1 "$prog" >/dev/null 2>&1

	loaded0=$(counter loaded)
	failed0=$(counter failed)
	t0=$(uptime_cs)
	/tests/exec-fail-nth "$prog" >"$out.none" 2>"$out.none.err"
	none_status=$?
	t1=$(uptime_cs)
	none_loaded=$(($(counter loaded) - loaded0))
	none_failed=$(($(counter failed) - failed0))

	set_claim all
	loaded0=$(counter loaded)
	failed0=$(counter failed)
	offered0=$(counter offered)
	t2=$(uptime_cs)
	/tests/exec-fail-nth "$prog" >"$out.all" 2>"$out.all.err"
	all_status=$?
	t3=$(uptime_cs)
	all_loaded=$(($(counter loaded) - loaded0))
	all_failed=$(($(counter failed) - failed0))
	all_offered=$(($(counter offered) - offered0))
	set_claim none

	for claim in none all; do
		eval status=\$${claim}_status
		if [ "$status" = 0 ]; then
			pass "faultinject: $name: the sweep under claim=$claim ran (exit status 0)"
		else
			fail "faultinject: $name: the sweep under claim=$claim ran (exit status 0)" \
				"exit status $status"
			sed 's/^/# /' "$out.$claim.err"
		fi
	done

	# The N whose lines differ, one a line (an N only one sweep reached
	# included), each run again: ROUNDS times under each loader in turn, REPEAT
	# times in a row each. The allocators' own page allocations (see
	# exec_fail_nth.c) move a site now and then, and the same for both loaders
	# for a while: a difference is noise when the re-runs under the two loaders
	# share an outcome, real when they never do.
	awk 'FILENAME == ARGV[1] { a[FNR] = $0; na = FNR; next }
		{ b[FNR] = $0; nb = FNR }
		END {
			for (i = 1; i <= (na > nb ? na : nb); i++)
				if (a[i] != b[i])
					print i
		}' "$out.none" "$out.all" >"$out.diff"
	: >"$out.subst.none"
	: >"$out.subst.all"
	: >"$out.notes"
	real=0
	noise=0
	unchecked=0
	fallthrough=0
	fallthrough_n=
	# What the program does when nothing fails: the outcome of the clean N.
	normal=$(tail -n 1 "$out.none" | cut -d' ' -f2)
	for n in $(cat "$out.diff"); do
		if [ $((real + noise)) -ge $MAX_RERUN_N ]; then
			unchecked=$((unchecked + 1))
			continue
		fi
		rerun_stats=$out.re.stats
		: >"$rerun_stats"
		: >"$out.re.none"
		: >"$out.re.all"
		r=0
		while [ $r -lt $ROUNDS ]; do
			rerun "$n" none "$prog" >>"$out.re.none"
			rerun "$n" all "$prog" >>"$out.re.all"
			r=$((r + 1))
		done
		s_none=$(sed -n "${n}s/^[0-9]* //p" "$out.none")
		s_all=$(sed -n "${n}s/^[0-9]* //p" "$out.all")
		both=$(common "$out.re.none" "$out.re.all")
		# The program header table's N: ENOEXEC under claim=none and the
		# normal outcome under claim=all, binfmt_rs loading nothing in those
		# re-runs, and any other outcome one the site's neighbours have.
		if grep -q ' errno:ENOEXEC$' "$out.re.none" &&
			grep -q " $normal\$" "$out.re.all" &&
			! grep -qv '^loaded +0 failed +0$' "$rerun_stats" &&
			moved "$out.re.none" "$out.none" "$n" &&
			moved "$out.re.all" "$out.all" "$n"; then
			fallthrough=$((fallthrough + 1))
			fallthrough_n="$fallthrough_n $n"
			printf '%s\t%s\n' "$n" "$n errno:ENOEXEC" >>"$out.subst.none"
			printf '%s\t%s\n' "$n" "$n $normal" >>"$out.subst.all"
			echo "# N=$n: the program header table's allocation or read: ENOEXEC under" \
				"claim=none; under claim=all binfmt_rs declined (loaded +0 failed +0)" \
				"and binfmt_elf, asked next, loaded it: $normal;" \
				"re-runs: claim=none $(counts "$out.re.none"), claim=all $(counts "$out.re.all")" >>"$out.notes"
		elif [ -n "$both" ]; then
			noise=$((noise + 1))
			printf '%s\t%s\n' "$n" "$both" >>"$out.subst.none"
			printf '%s\t%s\n' "$n" "$both" >>"$out.subst.all"
			echo "# N=$n: noise: the sweeps said claim=none '${s_none:--}', claim=all '${s_all:--}';" \
				"re-runs: claim=none $(counts "$out.re.none"), claim=all $(counts "$out.re.all")" >>"$out.notes"
		else
			m_none=$(majority "$out.re.none")
			m_all=$(majority "$out.re.all")
			printf '%s\t%s\n' "$n" "$m_none" >>"$out.subst.none"
			printf '%s\t%s\n' "$n" "$m_all" >>"$out.subst.all"
			real=$((real + 1))
			echo "# N=$n: claim=none '${s_none:--}', re-runs $(counts "$out.re.none");" \
				"claim=all '${s_all:--}', re-runs $(counts "$out.re.all");" \
				"binfmt_rs in the claim=all re-runs: $(counts "$rerun_stats")" >>"$out.notes"
		fi
	done
	t4=$(uptime_cs)
	confirm "$out.none" "$out.subst.none" >"$out.confirmed.none"
	confirm "$out.all" "$out.subst.all" >"$out.confirmed.all"

	desc="faultinject: $name: the outcome at every N is the same under both loaders, but the program header table's"
	if [ $real = 0 ] && [ $unchecked = 0 ]; then
		compared_pass "$desc"
	else
		compared_fail "$desc"
	fi
	# One site: one N, or two neighbours when the site moved by one between
	# the sweeps.
	desc="faultinject: $name: a failed program header table falls through to binfmt_elf at one site"
	# shellcheck disable=SC2086 # one word per N
	if one_site $fallthrough_n; then
		compared_pass "$desc"
	else
		compared_fail "$desc" "at N =${fallthrough_n:- none}"
	fi
	echo "# $name: $(grep -c . "$out.diff") N differed in the sweeps: $real confirmed by re-runs," \
		"$fallthrough the program header table's, $noise noise, $unchecked not re-run"
	cat "$out.notes"

	none_last=$(tail -n 1 "$out.confirmed.none")
	all_last=$(tail -n 1 "$out.confirmed.all")
	desc="faultinject: $name: the sweep reaches a clean N under both loaders, the same N"
	case "$none_last/$all_last" in
	*" clean/"*" clean")
		compared_eq "$desc" "${none_last%% *}" "${all_last%% *}"
		;;
	*)
		compared_fail "$desc" "last lines: claim=none '$none_last', claim=all '$all_last'"
		;;
	esac
	echo "# $name: clean at N=${none_last%% *} under claim=none, N=${all_last%% *} under claim=all" \
		"(the sweeps: $(clean_n "$out.none"), $(clean_n "$out.all"))"

	# Every exec that got past the point of no return under claim=all went
	# through binfmt_rs (it takes every x86_64 ELF file): loaded if it ran, failed
	# if it ended in SIGSEGV there. Those are the N whose outcome is not an errno,
	# plus the exec of exec-fail-nth itself; each exit:0 was a load. An exec that
	# binfmt_rs gave up on with ENOEXEC goes on to binfmt_elf, which may load it:
	# an exit:0 that is neither loaded nor failed.
	exit0=$(grep -cE '^[0-9]+ exit:0( clean)?$' "$out.all")
	past=$(grep -cvE '^[0-9]+ errno:' "$out.all")
	desc="faultinject: $name: binfmt_rs loaded every exec that ran exit:0 under claim=all"
	if [ "$all_loaded" -ge "$exit0" ]; then
		pass "$desc"
	else
		fail "$desc" "loaded +$all_loaded, $exit0 exit:0"
	fi
	# A fall-through N is binfmt_elf's load when the fault hits the program header
	# table, binfmt_rs's when the sweep's page allocations moved it by one to an
	# allocation whose failure changes nothing (its re-runs are told apart above):
	# either way one exec, loaded by one of the two.
	desc="faultinject: $name: under claim=all, loaded + failed counts every exec past the point of no return"
	took=$((all_loaded + all_failed))
	if [ "$took" -ge $((past + 1 - fallthrough)) ] && [ "$took" -le $((past + 1)) ]; then
		compared_pass "$desc"
	else
		compared_fail "$desc" "$past N got past it, plus exec-fail-nth itself, less up to $fallthrough binfmt_elf loaded: $((past + 1 - fallthrough)) to $((past + 1)); loaded +$all_loaded failed +$all_failed"
	fi
	expect_eq "faultinject: $name: binfmt_rs loaded and failed nothing under claim=none" \
		"loaded +0 failed +0" "loaded +$none_loaded failed +$none_failed"

	errnos=$(grep -cE '^[0-9]+ errno:' "$out.none")
	desc="faultinject: $name: injected faults make execs fail"
	if [ "$errnos" -gt 0 ]; then
		pass "$desc"
	else
		fail "$desc" "no errno outcome under claim=none"
	fi

	none_execs=$(grep -c . "$out.none")
	all_execs=$(grep -c . "$out.all")
	echo "# $name: $(sites "$out.confirmed.none"); $(tally "$out.confirmed.none")"
	cmp -s "$out.confirmed.none" "$out.confirmed.all" ||
		echo "# $name under claim=all: $(sites "$out.confirmed.all"); $(tally "$out.confirmed.all")"
	[ "$none_execs" -gt 0 ] || none_execs=1
	[ "$all_execs" -gt 0 ] || all_execs=1
	echo "# $name: claim=none sweep $(seconds $((t1 - t0))) s" \
		"($(((t1 - t0) * 10 / none_execs)) ms per exec)," \
		"claim=all sweep $(seconds $((t3 - t2))) s ($(((t3 - t2) * 10 / all_execs)) ms per exec)," \
		"re-runs $(seconds $((t4 - t3))) s;" \
		"claim=all: offered +$all_offered loaded +$all_loaded failed +$all_failed"
done

set_claim none
fi_restore
echo "$aslr" >/proc/sys/kernel/randomize_va_space
