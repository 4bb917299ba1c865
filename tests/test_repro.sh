#!/bin/bash
# scripts/repro.sh: its errors, and one run through vm.sh and report.py
# with a stand-in QEMU that prints what a guest running one test twice
# prints.
. "$(dirname "$0")/lib.sh"

export WORK=$TMP/work ACCEL=tcg
build=$WORK/build/vm
mkdir -p "$build/arch/x86/boot" "$TMP/bin"
touch "$build/arch/x86/boot/bzImage" "$build/initramfs.cpio" "$build/.config"

# The stand-in: the -append argument and every CPU of -smp brought up to
# the console log, and on the test serial line a guest that ran the test
# twice (FAIL set: the second run fails).
cat >"$TMP/bin/qemu-system-x86_64" <<'QEMU'
#!/bin/bash
logs=()
while [ $# -gt 0 ]; do
	case $1 in
	-append) append=$2; shift ;;
	-smp) cpus=$2; shift ;;
	-serial) logs+=("${2#file:}"); shift ;;
	esac
	shift
done
{
	echo "[    0.1] Command line: $append"
	echo "[    0.2] smp: Brought up 1 node, $cpus CPUs"
} >"${logs[0]}"
second=ok
[ -z "${FAIL:-}" ] || second="not ok"
cat >"${logs[1]}" <<TESTS
zdfolio: begin pass=repro
zdfolio: step load-test_hmm start
zdfolio: step load-test_hmm exit=0
zdfolio: step hmm-tests start
TAP version 13
1..1
ok 1 hmm.hmm_device_private.migrate
TAP version 13
1..1
$second 1 hmm.hmm_device_private.migrate
zdfolio: step hmm-tests exit=0
zdfolio: step unload-test_hmm start
zdfolio: step unload-test_hmm exit=0
zdfolio: end
TESTS
QEMU
chmod +x "$TMP/bin/qemu-system-x86_64"
export PATH=$TMP/bin:$PATH

check "TEST is required" nonzero "no TEST to repeat" \
	env -u TEST "$TOP/scripts/repro.sh"
check "TEST is one test name" nonzero "is not one test name" \
	env TEST="a,b" "$TOP/scripts/repro.sh"
check "REPEAT is a positive number" nonzero "REPEAT=0 is not a positive number" \
	env TEST=migrate REPEAT=0 "$TOP/scripts/repro.sh"
check "an unknown pass is named, with the passes there are" nonzero \
	"use one of: private coherent stress" \
	env TEST=migrate PASS=nope "$TOP/scripts/repro.sh"
check "the stress pass runs no hmm-tests" nonzero "pass stress runs hmm-stress" \
	env TEST=migrate PASS=stress "$TOP/scripts/repro.sh"
check "every run of the test is counted" 0 "2 passed, 0 failed" \
	env TEST=migrate REPEAT=2 "$TOP/scripts/repro.sh"
cmdline=$WORK/run/vm-repro/private/cmdline
check "the guest is told the test and the runs, KUnit off" 0 "" \
	grep -q "kunit.enable=0 zdfolio.only=migrate zdfolio.repeat=2" "$cmdline"
check "one failed run fails the whole" nonzero "1 passed, 1 failed" \
	env TEST=migrate REPEAT=2 FAIL=1 "$TOP/scripts/repro.sh"
check "a pass keeps its own command line, KUnit off once" 0 "" \
	env TEST=migrate PASS=coherent "$TOP/scripts/repro.sh"
check "... and its test_hmm parameters" 0 "" grep -qE \
	"^console=ttyS0 panic=-1 zdfolio.pass=coherent memmap=512M\\\$0x180000000 kunit.enable=0 zdfolio.only=migrate zdfolio.repeat=10 zdfolio.hmm=spm_addr" \
	"$WORK/run/vm-repro/coherent/cmdline"
done_testing
