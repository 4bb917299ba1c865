#!/bin/bash
# kunit-py.sh: run the series' KUnit suite the way its users do: the tree's
# own tools/testing/kunit/kunit.py with mm/tests/.kunitconfig, --arch=x86_64
# under QEMU, built in $WORK/build/kunit-py. kunit.py fails on a failed,
# crashed or missing test and on a .kunitconfig option Kconfig dropped;
# this also fails when the suite did not run at all.

. "$(dirname "$0")/lib.sh"

suite=zone_device
need_tool python3 qemu-system-x86_64 make gcc ccache
[ -d "$TREE/.git" ] || die "no work tree at $TREE" "run 'make tree' first"
[ -f "$TREE/mm/tests/.kunitconfig" ] ||
	die "no mm/tests/.kunitconfig in $TREE" "the series adds it; run 'make tree'"

out=$WORK/build/kunit-py
mkdir -p "$out"
need_space "$out" 3072 "the kunit.py kernel build"
use_ccache

kunit_py_qemu "$out/bin"

note "kunit.py run --arch=x86_64 --kunitconfig=mm/tests (log: $out/kunit.log)"
rc=0
(cd "$TREE" && python3 tools/testing/kunit/kunit.py run --arch=x86_64 \
	--kunitconfig=mm/tests --build_dir="$out/build" --jobs="$JOBS" \
	--make_options "CC=$CACHED_CC" --make_options "HOSTCC=$CACHED_CC" \
	--timeout=600) >"$out/kunit.log" 2>&1 || rc=$?
kunit_results "$out/kunit.log"
[ "$rc" -eq 0 ] || die "kunit.py failed (exit $rc)" "$(tail -n 5 "$out/kunit.log" | tr '\n' ' ')" \
	"log: $out/kunit.log"
bzimage_is_current "$out/build" ||
	die "kunit.py's bzImage does not carry the kernel it linked (piggy.o is stale)" \
		"delete $out/build/arch/x86/boot/compressed/piggy.o and run again"
grep -qE "=+ $suite \(" "$out/kunit.log" ||
	die "kunit.py passed, but suite $suite never ran" "log: $out/kunit.log"
