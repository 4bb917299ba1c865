#!/bin/bash
# build-mm-selftests.sh OUT DIR: build the kernel's own mm selftests of the
# work tree, static, against the headers of the kernel built in OUT, into
# DIR with the scripts that run them (run_vmtests.sh and the ones it
# calls), for the guest of selftests-mm.sh. bisect-build.sh calls it for
# the base's boot kit: the same programs then run on both kernels.

. "$(dirname "$0")/lib.sh"

out=${1:?usage: build-mm-selftests.sh OUT DIR}
dir=${2:?usage: build-mm-selftests.sh OUT DIR}
src=$TREE/tools/testing/selftests/mm
[ -d "$out/usr/include" ] || die "no kernel headers in $out/usr/include" "run 'make build' first"
[ -f "$src/run_vmtests.sh" ] || die "no $src/run_vmtests.sh" "is $TREE a Linux tree?"
use_ccache

# migration and rmap link libnuma, the ksm and cow tests libcap (Debian's
# libnuma-dev and libcap-dev have the static archives). The page_frag test
# module is left out: it would be built in the source folder, and its
# category is not run.
note "building the mm selftests of $TREE, static"
rm -rf "$dir"
mkdir -p "$dir"
make -s -C "$src" O="$out" OUTPUT="$dir" CC="$CACHED_CC" LDFLAGS=-static \
	TEST_GEN_MODS_DIR= >"$dir/build.log" 2>&1 ||
	die "the mm selftests do not build" "log: $dir/build.log"
cp "$src"/*.sh "$dir/"
for prog in run_vmtests.sh hmm-tests migration rmap cow khugepaged; do
	[ -x "$dir/$prog" ] || die "the mm selftests built no $prog" "log: $dir/build.log"
done
