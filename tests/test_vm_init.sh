#!/bin/bash
# vm/init, the guest's /init, run by the guest's busybox (the host's
# busybox-static) in the root that scripts/initramfs.sh packs from a
# made-up build with stand-ins of the test programs: a chroot in a user
# and mount namespace, as an unprivileged user, the host's /proc
# bound in (busybox runs its applets through /proc/self/exe) with a file
# of ours over /proc/cmdline. The kernel's part fails there (mount, insmod,
# rmmod, dmesg and reboot are refused); what is checked is the protocol on
# the test line (ttyS1, a file here) that report.py reads, and what the
# stand-in hmm-tests and hmm-stress were run with. The guest ends at its
# reboot -f; refused here, init goes on, so the test line counts up to its
# first "zdfolio: end". Not checked: that test_hmm's parameters reach
# insmod, which fails here before saying them. Last, the markers moved
# in a copy of vm/markers: the guest and report.py must both follow.
. "$(dirname "$0")/lib.sh"

build=$TMP/build
root=$build/initramfs
mkdir -p "$build/lib" "$build/kselftest/mm"
echo "not a module" >"$build/lib/test_hmm.ko"
# The stand-ins say their arguments on the test line, "stub: NAME ARGS";
# hmm-tests exits with the line of /rc of its run (0 without one), and -l
# lists the tests.
cat >"$build/kselftest/mm/hmm-tests" <<'STUB'
#!/bin/busybox sh
[ "$1" != -l ] || { cat /lib/hmm-tests.list; exit 4; }
echo "stub: hmm-tests $*"
echo run >>/calls/hmm-tests
rc=$(sed -n "$(wc -l </calls/hmm-tests)p" /rc 2>/dev/null)
exit "${rc:-0}"
STUB
printf '#!/bin/busybox sh\necho "stub: hmm-stress $*"\n' >"$build/hmm-stress"
chmod +x "$build/kselftest/mm/hmm-tests" "$build/hmm-stress"
check "initramfs.sh packs the guest, the markers /init sources among its files" 0 "^lib/markers$" \
	sh -c "BUILD_DIR='$build' '$TOP/scripts/initramfs.sh' vm && cpio -t --quiet <'$build/initramfs.cpio'"
mkdir -p "$root/proc" "$root/dev" "$root/calls"
cp "$TOP/tests/data/hmm-tests-list.txt" "$root/lib/hmm-tests.list"

# As root, the namespace's root is the host's nobody, who can change
# nothing of the host's through the /proc bound in.
as_nobody=()
if [ "$(id -u)" -eq 0 ]; then
	as_nobody=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	chmod 711 "$TMP"
fi
sandbox() {
	"${as_nobody[@]}" unshare -rm sh -c 'mount --rbind /proc "$1/proc" &&
		mount --bind "$2" "$1/proc/cmdline" && exec chroot "$1" /init' - "$root" "$TMP/cmdline"
}

# guest CMDLINE: boot vm/init with that kernel command line, from a fresh
# test line, kernel log (/dev/kmsg) and logs of the stand-ins.
guest() {
	printf '%s\n' "$1" >"$TMP/cmdline"
	chmod 644 "$TMP/cmdline"
	rm -rf "$root/calls" "$root/sys"
	mkdir -p "$root/calls" "$root/sys/kernel/mm/transparent_hugepage/khugepaged"
	echo 10000 >"$root/sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs"
	: >"$root/dev/ttyS1"
	: >"$root/dev/kmsg"
	[ "${#as_nobody[@]}" -eq 0 ] || chown -R 65534:65534 "$root"
	sandbox >"$TMP/console" 2>&1
}
# line: the test line up to the guest's end.
line() { sed '/^zdfolio: end$/q' "$root/dev/ttyS1"; }
# protocol: its zdfolio lines, with the exit codes of the kernel's steps
# (refused here) as N.
protocol() {
	line | sed -n -E '/^zdfolio: /{s/^(zdfolio: step (load-test_hmm|unload-test_hmm|kunit-module|zdbench) exit=).*/\1N/;p;}'
}
# calls NAME: the arguments of each run of the stand-in NAME, a line each.
calls() { line | sed -n "s/^stub: $1 //p"; }
# steps: the names of the steps in order, on one line.
steps() { line | sed -n 's/^zdfolio: step \(.*\) start$/\1/p' | paste -sd ' '; }

if ! sandbox_out=$("${as_nobody[@]}" unshare -rm true 2>&1); then
	echo "# no user namespace here ($sandbox_out): vm/init is not run"
	echo "ok $((count + 1)) - vm/init # SKIP needs unshare -rm"
	echo "1..$((count + 1))"
	exit 0
fi

guest "console=ttyS0 panic=-1 zdfolio.pass=private"
check "a pass's tests between begin and end, each step started and ended with its exit code" 0 "" \
	diff - <(protocol) <<'EOF'
zdfolio: begin pass=private
zdfolio: cmdline console=ttyS0 panic=-1 zdfolio.pass=private
zdfolio: step load-test_hmm start
zdfolio: step load-test_hmm exit=N
zdfolio: step khugepaged-sleep start
zdfolio: step khugepaged-sleep exit=0
zdfolio: step hmm-tests start
zdfolio: step hmm-tests exit=0
zdfolio: step unload-test_hmm start
zdfolio: step unload-test_hmm exit=N
zdfolio: end
EOF
check "hmm-tests runs once, every test" 0 "^stub: hmm-tests $" sh -c "grep '^stub: ' '$root/dev/ttyS1'"
check "khugepaged sleeps an hour by default" 0 "^3600000$" \
	cat "$root/sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs"
check "... and says so" 0 "^khugepaged: scans every 3600000 ms$" line
check "the kernel's steps were refused here, not run" 0 "^zdfolio: step load-test_hmm exit=[1-9]" line

guest "zdfolio.pass=private zdfolio.khugepaged_sleep=5 zdfolio.pass=last"
check "the last zdfolio.pass= counts (VM_CMDLINE comes last)" 0 "^zdfolio: begin pass=last$" protocol
check "zdfolio.khugepaged_sleep= sets khugepaged's pause" 0 "^5$" \
	cat "$root/sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs"

printf '0\n3\n' >"$root/rc"
guest "zdfolio.pass=private zdfolio.repeat=3"
check "zdfolio.repeat=3 runs hmm-tests three times" 0 "" test "$(calls hmm-tests | grep -c '^$')" = 3
check "... and one failed run fails the step" 0 "^zdfolio: step hmm-tests exit=1$" protocol
printf '0\n0\n' >"$root/rc"
guest "zdfolio.pass=private zdfolio.repeat=2"
check "... which passes when each run passes" 0 "^zdfolio: step hmm-tests exit=0$" protocol
rm "$root/rc"

guest "zdfolio.pass=private zdfolio.skip=double_map,benchmark_thp_migration"
check "zdfolio.skip= leaves each test out with -T" 0 "^-T double_map -T benchmark_thp_migration$" calls hmm-tests
check "... after a step that names each case left out" 0 \
	"^load-test_hmm left-out khugepaged-sleep hmm-tests unload-test_hmm$" steps
check "... in every variant" 0 "" test "$(protocol | grep -c '^zdfolio: left out ')" = 4
check "... by vm/left-out.awk" 0 "^zdfolio: left out hmm2\.hmm2_device_coherent\.double_map$" protocol
check "... and the step passes" 0 "^zdfolio: step left-out exit=0$" protocol
guest "zdfolio.pass=private zdfolio.skip=double_map zdfolio.only=migrate"
check "zdfolio.only= runs that test alone, even one skipped" 0 "^-t migrate$" calls hmm-tests
check "... with no step left-out" 0 "^load-test_hmm khugepaged-sleep hmm-tests unload-test_hmm$" steps

guest "zdfolio.pass=stress kunit.enable=0 zdfolio.stress=2x5000x50 zdfolio.stress_percent=10 zdfolio.stress_evict_us=2000 zdfolio.stress_reuse=same zdfolio.stress_dev=/dev/hmm_dmirror2"
check "zdfolio.stress= runs hmm-stress, its cycles and kills cut to stress_percent, with its options" 0 \
	"^-e 2000 -r same /dev/hmm_dmirror2 2 500 5$" calls hmm-stress
check "... and not hmm-tests" 0 "" test "$(line | grep -c '^stub: hmm-tests')" = 0
check "... between loading and unloading test_hmm" 0 "^load-test_hmm hmm-stress unload-test_hmm$" steps
guest "zdfolio.pass=stress zdfolio.stress=2x10x4"
check "... all of them on the first private device by default" 0 "^/dev/hmm_dmirror0 2 10 4$" calls hmm-stress

echo "not a module" >"$root/lib/modules/zone_device_kunit.ko"
guest "zdfolio.pass=private"
check "with the KUnit module, it runs first" 0 "^kunit-module load-test_hmm " steps
check "... after the marker that ends the boot's KUnit results in the kernel log" 0 \
	"^zdfolio: KUnit module run follows$" cat "$root/dev/kmsg"
guest "zdfolio.pass=coherent kunit.enable=0"
check "... but not with kunit.enable=0" 0 "^load-test_hmm khugepaged-sleep hmm-tests unload-test_hmm$" steps
check "... nor the marker" 0 "" test ! -s "$root/dev/kmsg"
guest "zdfolio.pass=private kunit.enable=0 kunit.enable=1"
check "the last kunit.enable= counts, as the kernel reads it" 0 "^kunit-module load-test_hmm " steps
rm "$root/lib/modules/zone_device_kunit.ko"

guest "zdfolio.pass=bench zdfolio.bench=1"
check "zdfolio.bench= runs the THP migration benchmark and then zdbench" 0 \
	"^load-test_hmm thp-migration unload-test_hmm zdbench$" steps
check "... the benchmark test alone" 0 "^-r hmm.hmm_device_private.benchmark_thp_migration$" calls hmm-tests
check "... and ends" 0 "^zdfolio: end$" line

# The mm selftests' guest (selftests-mm.sh): the initramfs with the folder
# of build-mm-selftests.sh, its run_vmtests.sh a stand-in.
mkdir -p "$TMP/mm-selftests"
printf '#!/bin/busybox sh\necho "stub: run_vmtests.sh $* in $(pwd)"\n' >"$TMP/mm-selftests/run_vmtests.sh"
chmod +x "$TMP/mm-selftests/run_vmtests.sh"
check "initramfs.sh packs the mm selftests and bash-static, into INITRAMFS" 0 "^bin/bash.static$" \
	sh -c "BUILD_DIR='$build' INITRAMFS='$TMP/mm.cpio' MM_SELFTESTS='$TMP/mm-selftests' \
		'$TOP/scripts/initramfs.sh' vm && cpio -t --quiet <'$TMP/mm.cpio' | grep -e bash -e run_vmtests"
check "... and leaves BUILD_DIR's initramfs alone" 0 "" \
	sh -c "! cpio -t --quiet <'$build/initramfs.cpio' | grep -q mm-selftests"
mkdir -p "$root/proc" "$root/dev" "$root/calls"
cp "$TOP/tests/data/hmm-tests-list.txt" "$root/lib/hmm-tests.list"
guest "zdfolio.pass=mm kunit.enable=0 zdfolio.hugepages=4 zdfolio.selftests=cow:thp"
selftests_calls() { calls run_vmtests.sh | paste -sd ' '; }
check "zdfolio.selftests= runs run_vmtests.sh once per category, from its folder" 0 \
	"^-t cow in /mm-selftests -t thp in /mm-selftests$" selftests_calls
check "... a step each, after the setup" 0 "^mm-setup mm-cow mm-thp$" steps
check "... the setup's failure (no zram here) reported, not hidden" 0 "^zdfolio: step mm-setup exit=[1-9]" protocol
check "... no hmm-tests" 0 "" test "$(line | grep -c '^stub: hmm-tests')" = 0
check "... and it ends" 0 "^zdfolio: end$" line

# The markers moved: a copy of vm/markers with "moved-" before every
# value. /init must print each marker moved and nothing else changed, and
# report.py read the moved lines with that copy (ZDFOLIO_MARKERS) and not
# without it: a marker spelled on one side only fails here.
moved=$TMP/markers.moved
sed -E "s/^(MARK_[A-Z_]+)='/\1='moved-/" "$TOP/vm/markers" >"$moved"
check "the copy moves every marker of vm/markers" 0 "" \
	test "$(grep -c "^MARK_[A-Z_]*='moved-" "$moved")" = "$(grep -c '^[^#]' "$TOP/vm/markers")"

# move_markers: the guest's lines as they read with every marker moved.
move_markers() {
	sed -E -e 's/^zdfolio: /moved-zdfolio: /' \
		-e 's/^(moved-zdfolio: step [^ ]+ )(start|exit=)/\1moved-\2/'
}

# host MARKERS: report.py, reading MARKERS, on the guest's test line and a
# kernel log of a KUnit suite that passed at boot, then the guest's lines
# of the kernel log (the module run's marker), then the suite failing, as
# a module run that the report must not count as the boot's.
host() {
	local run=$TMP/run ok at=1.0 rc=0
	rm -rf "$run"
	mkdir -p "$run/private"
	cp "$root/dev/ttyS1" "$run/private/tests.log"
	for ok in ok "not ok"; do
		printf "[    $at] %s\n" "KTAP version 1" "1..1" "    KTAP version 1" \
			"    # Subtest: zone_device_folio" "    1..1" \
			"    $ok 1 free_restores_base_pages" "$ok 1 zone_device_folio"
		[ "$ok" = "not ok" ] || sed 's/^/[    5.0] /' "$root/dev/kmsg"
		at=5.1
	done >"$run/private/console.log"
	# The pass's own command line switches KUnit off, the guest's does not:
	# the report reads KUnit results only if it reads the guest's.
	echo "private 2G kunit.enable=0 -" >"$TMP/passes"
	echo "CONFIG_ZONE_DEVICE_KUNIT_TEST=y" >"$TMP/config"
	: >"$TMP/expected"
	ZDFOLIO_MARKERS=$1 "$TOP/scripts/report.py" --run "$run" --passes "$TMP/passes" \
		--expected "$TMP/expected" --config "$TMP/config" >"$TMP/report" 2>&1 || rc=$?
	cat "$TMP/report"
	return $rc
}
# absent ERE: the report has no line matching ERE (and shows those it has).
absent() { ! grep -E -- "$1" "$TMP/report"; }

echo "not a module" >"$root/lib/modules/zone_device_kunit.ko"
guest "zdfolio.pass=private zdfolio.skip=double_map"
cp "$root/dev/ttyS1" "$TMP/ttyS1.as-is"
move_markers <"$root/dev/kmsg" >"$TMP/kmsg.moved"
cp "$moved" "$root/lib/markers"
guest "zdfolio.pass=private zdfolio.skip=double_map"
check "with the markers moved, /init prints each of them moved on the test line" 0 "" \
	diff <(move_markers <"$TMP/ttyS1.as-is") "$root/dev/ttyS1"
check "... and in the kernel log" 0 "^moved-zdfolio: KUnit module run follows$" \
	sh -c "diff '$TMP/kmsg.moved' '$root/dev/kmsg' && cat '$root/dev/kmsg'"
check "report.py with the moved markers reads the steps and their exit codes" nonzero \
	"^  private: step load-test_hmm exited [1-9]" host "$moved"
check "... the guest's begin and end" 0 "" absent "never (started|finished)"
check "... the cases left out" 0 "^private +hmm-tests:left-out +0 +0 +2 " cat "$TMP/report"
check "... the guest's command line and the end of the boot's KUnit results" 0 \
	"^private +kunit:zone_device_folio +1 +0 +0 " cat "$TMP/report"
check "... and not the module run's results as the boot's" 0 "" absent "kunit:.*: failed"
check "report.py with the markers as they are does not" nonzero \
	"^  private: the guest never started its tests" host "$TOP/vm/markers"
cp "$TOP/vm/markers" "$root/lib/markers"
rm "$root/lib/modules/zone_device_kunit.ko"
done_testing
