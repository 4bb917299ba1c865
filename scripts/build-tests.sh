#!/bin/bash
# build-tests.sh OUT: build the guest's test programs for the kernel of the
# work tree built in OUT (scripts/build.sh, which calls this): a static
# hmm-tests from the tree's own selftests, and the static vm/hmm-stress.
# bisect-build.sh calls it alone for a patch that changes only selftests.

. "$(dirname "$0")/lib.sh"

out=${1:?usage: build-tests.sh OUT}
[ -d "$out/usr/include" ] || die "no kernel headers in $out/usr/include" "run 'make build' first"
use_ccache

note "building a static hmm-tests"
selftests=$out/kselftest/mm
mkdir -p "$selftests"
make -s -C "$TREE/tools/testing/selftests/mm" O="$out" OUTPUT="$selftests" \
	CC="$CACHED_CC" LDFLAGS=-static "$selftests/hmm-tests" >"$selftests/build.log" 2>&1 ||
	die "hmm-tests does not build" "log: $selftests/build.log"

# The stress program needs test_hmm's reuse policy and stats ioctls, which
# the series adds; a tree without them (the base) gets none.
if grep -q HMM_DMIRROR_STATS "$TREE/lib/test_hmm_uapi.h"; then
	note "building a static hmm-stress"
	# shellcheck disable=SC2086 # CACHED_CC is a command and its compiler
	$CACHED_CC -static -O2 -Wall -Wextra -Werror -pthread -isystem "$out/usr/include" \
		-I"$TREE/lib" -o "$out/hmm-stress" "$TOP/vm/hmm-stress.c" ||
		die "vm/hmm-stress.c does not build"
else
	note "no hmm-stress: $TREE/lib/test_hmm_uapi.h has no HMM_DMIRROR_STATS"
	rm -f "$out/hmm-stress"
fi
