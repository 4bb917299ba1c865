#!/bin/bash
# selftests-mm.sh: the kernel's own mm selftests, through the tree's
# run_vmtests.sh, on the base's kernel and on the series', and the one
# compared with the other (selftests-report.py). The programs are the
# base's, built once with the base's boot kit (bisect-build.sh --base
# makes it when it is missing or not of the base and the vm profile's config
# now); the series' kernel is the build stage's. Both guests boot the pass
# of vm/mm-selftests.passes at once, on 3 vCPUs each (migration needs
# 3); their runs are in $WORK/run/mm-selftests/{base,series}.

. "$(dirname "$0")/lib.sh"

[ -e "$TREE/.git" ] || die "no work tree at $TREE" "run 'make tree' first"
mapfile -t fragments < <(profile_fragments vm)
base_kit=$WORK/build/base
series_build=$WORK/build/vm
run=$WORK/run/mm-selftests
export PASSES_FILE=$TOP/vm/mm-selftests.passes
# run_vmtests.sh takes 5 to 10 minutes a kernel under TCG, and one
# category alone has taken from 93 to 283 s: the guest gets 40 minutes.
export TIMEOUT=${TIMEOUT:-2400} SMP=3

[ "$(cat "$base_kit/built" 2>/dev/null)" = "$(build_stamp base "${fragments[@]}")" ] ||
	"$TOP/scripts/bisect-build.sh" --base ||
	die "no boot kit of the base" "see the bisect-build lines above"
[ "$(cat "$series_build/built" 2>/dev/null)" = "$(build_stamp HEAD "${fragments[@]}")" ] ||
	die "$series_build is no build of the tree's HEAD with the vm profile's config now" \
		"commit your changes and run 'make build'"

# boot NAME BUILD: pack BUILD's kernel with the base's selftests and boot
# it, into $run/NAME.
boot() {
	local initramfs=$run/$1.cpio
	BUILD_DIR=$2 INITRAMFS=$initramfs MM_SELFTESTS=$base_kit/mm-selftests \
		"$TOP/scripts/initramfs.sh" vm &&
		BUILD_DIR=$2 RUN_DIR=$run/$1 INITRAMFS=$initramfs "$TOP/scripts/vm.sh" vm mm
}

rm -rf "$run"
mkdir -p "$run"
boot base "$base_kit" &
base_pid=$!
boot series "$series_build" &
series_pid=$!
rc=0
wait "$base_pid" || rc=$?
wait "$series_pid" || rc=$?
[ "$rc" -eq 0 ] || die "a guest of the mm selftests did not run" "see the lines above"

exec "$TOP/scripts/selftests-report.py" --markers "$TOP/vm/markers" \
	--base "$run/base/mm" --series "$run/series/mm" --table "$run/compare.txt"
