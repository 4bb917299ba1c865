#!/bin/bash
# build.sh [PROFILE]: build the QEMU test kernel of the work tree into
# $WORK/build/PROFILE: bzImage, the modules it enables (test_hmm.ko) and a
# static hmm-tests from the tree's own selftests. PROFILE "vm" uses
# kernel/vm.config; any other adds kernel/PROFILE.config on top of it.

. "$(dirname "$0")/lib.sh"

profile=${1:-vm}
fragments=("$TOP/kernel/vm.config")
[ "$profile" = vm ] || fragments+=("$TOP/kernel/$profile.config")

need_tool make gcc ccache flex bison bc
[ -d "$TREE/.git" ] || die "no work tree at $TREE" "run 'make tree' first"

out=${BUILD_DIR:-$WORK/build/$profile}
mkdir -p "$out"
need_space "$out" 3072 "a test kernel build"

use_ccache

kmake() {
	make -s -C "$TREE" O="$1" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" \
		-j"$JOBS" "${@:2}"
}

"$TOP/scripts/kconfig.sh" "$out" tinyconfig "${fragments[@]}"

note "building $profile kernel in $out (-j$JOBS)"
kmake "$out" olddefconfig >"$out/build.log" 2>&1
kmake "$out" bzImage modules >>"$out/build.log" 2>&1 ||
	die "the $profile kernel does not build" "$(grep -m 5 -E 'error|Error' "$out/build.log" | tr '\n' ' ')" \
		"log: $out/build.log"
kmake "$out" headers >>"$out/build.log" 2>&1 || die "make headers failed" "log: $out/build.log"

note "building a static hmm-tests"
selftests=$out/kselftest/mm
mkdir -p "$selftests"
make -s -C "$TREE/tools/testing/selftests/mm" O="$out" OUTPUT="$selftests" \
	CC="ccache gcc" LDFLAGS=-static "$selftests/hmm-tests" >"$selftests/build.log" 2>&1 ||
	die "hmm-tests does not build" "log: $selftests/build.log"
