#!/bin/bash
# kunit-py-check.sh [RUN_DIR]: what make check asks of kunit.py, without a
# kernel build of its own (scripts/kunit-py.sh, `make kunit-py`, does the
# whole run). Two steps:
#  - `kunit.py config --arch=x86_64 --kunitconfig=mm/tests`, in a build
#    folder of its own: kunit.py fails when Kconfig drops an option of the
#    .kunitconfig, so this proves the file names everything the suite
#    needs on kunit.py's own x86_64 base;
#  - `kunit.py parse` on the boot log of the VM kernel's private pass
#    (RUN_DIR, $WORK/run/vm), up to the module run: kunit.py reads the
#    suite's results as its users see them and fails on a failed or
#    crashed case; this fails too when the suite is not among them.

. "$(dirname "$0")/lib.sh"
# MARK_MODULE_RUN, which the guest's /init writes to the kernel log.
# shellcheck source=../vm/markers
. "$TOP/vm/markers"

suite=zone_device
run=${1:-$WORK/run/vm}
console=$run/private/console.log
need_tool python3 make gcc ccache
[ -d "$TREE/.git" ] || die "no work tree at $TREE" "run 'make tree' first"
[ -f "$TREE/mm/tests/.kunitconfig" ] ||
	die "no mm/tests/.kunitconfig in $TREE" "the series adds it; run 'make tree'"
[ -s "$console" ] || die "no kernel log at $console" "run 'make vm' first"

out=$WORK/build/kunit-py-config
rm -rf "$out"
mkdir -p "$out"
use_ccache
note "kunit.py config --arch=x86_64 --kunitconfig=mm/tests (log: $out/config.log)"
rc=0
(cd "$TREE" && python3 tools/testing/kunit/kunit.py config --arch=x86_64 \
	--kunitconfig=mm/tests --build_dir="$out/build" \
	--make_options "HOSTCC=$CACHED_CC") >"$out/config.log" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || die "kunit.py config failed (exit $rc)" \
	"$(tail -n 5 "$out/config.log" | tr '\n' ' ')" "log: $out/config.log"
grep -qx 'CONFIG_ZONE_DEVICE_KUNIT_TEST=y' "$out/build/.config" ||
	die "kunit.py config passed, but its .config lacks CONFIG_ZONE_DEVICE_KUNIT_TEST=y" \
		"log: $out/config.log"

# The module run that follows in the same log repeats the suite; kunit.py
# reads one run. The marker is matched as a string: it is no regex.
awk -v mark="$MARK_MODULE_RUN" 'index($0, mark) { exit } { print }' \
	"$console" >"$out/boot.log"
note "kunit.py parse $console (up to the module run; log: $out/parse.log)"
rc=0
(cd "$TREE" && python3 tools/testing/kunit/kunit.py parse "$out/boot.log") \
	>"$out/parse.log" 2>&1 || rc=$?
kunit_results "$out/parse.log"
[ "$rc" -eq 0 ] || die "kunit.py parse failed (exit $rc)" "log: $out/parse.log"
grep -qE "=+ \[PASSED\] $suite =+" "$out/parse.log" ||
	die "kunit.py parse passed, but suite $suite did not pass in it" "log: $out/parse.log"
