# secureexec: a setuid-root program run by an ordinary user gets AT_SECURE=1, and
# its dynamic loader ignores LD_PRELOAD, under binfmt_rs as under the kernel's
# loader. The credentials are the exec core's work; binfmt_rs must pass them on.
. /tests/ktap.sh

cp /samples/secure /tmp/secure-suid
chmod 4755 /tmp/secure-suid
cp /samples/secure /tmp/secure-plain
chmod 755 /tmp/secure-plain
chmod 755 /samples /samples/libpreload.so

for claim in none all; do
	set_claim $claim
	before=$(counter loaded)
	suid=$(LD_PRELOAD=/samples/libpreload.so /tests/run-as 1000 /tmp/secure-suid)
	plain=$(LD_PRELOAD=/samples/libpreload.so /tests/run-as 1000 /tmp/secure-plain)
	after=$(counter loaded)
	set_claim none
	if [ $claim = all ]; then
		# run-as twice, then each program.
		expect_eq "secure: binfmt_rs loaded both programs" $((before + 4)) "$after"
	fi
	expect_eq "secure: setuid-root run by uid 1000 under claim=$claim" \
		"AT_SECURE=1 uid=1000 euid=0" "$suid"
	expect_eq "secure: the same program without setuid under claim=$claim" \
		"preloaded
AT_SECURE=0 uid=1000 euid=1000" "$plain"
done
