#!/bin/bash
# selftests-mm.sh: the kernel's own mm selftests, through the tree's
# run_vmtests.sh, on the base's kernel and on the series', and the one
# compared with the other (selftests-report.py). The programs are the
# base's, built once with the base's boot kit (bisect-build.sh --base
# makes it when it is missing or not of the base and the vm profile's config
# now); the series' kernel is the build stage's. Both guests boot the pass
# of vm/mm-selftests.passes at once, on 3 vCPUs each (migration needs
# 3); their runs are in $WORK/run/mm-selftests/{base,series}, and those of
# the categories run again (below) in $WORK/run/mm-selftests/again.

. "$(dirname "$0")/lib.sh"

[ -e "$TREE/.git" ] || die "no work tree at $TREE" "run 'make tree' first"
mapfile -t fragments < <(profile_fragments vm)
base_kit=$WORK/build/base
series_build=$WORK/build/vm
run=$WORK/run/mm-selftests
export PASSES_FILE=$TOP/vm/mm-selftests.passes
# run_vmtests.sh takes 14 to 21 minutes a kernel under TCG here, and one
# category alone has taken from 93 to 330 s: a guest gets 40 minutes, or
# TIMEOUT when that is longer (TIMEOUT's 900 s is for the passes of
# vm/passes).
export TIMEOUT=$((${TIMEOUT:-0} > 2400 ? TIMEOUT : 2400)) SMP=3
# Two guests of 3 vCPUs on a host of 2 cores: with a host thread per vCPU
# (TCG's default), a vCPU spins on a lock whose holder's thread waits for
# a core. One thread per guest runs its vCPUs in turn and the two guests
# use a core each.
[ "$ACCEL" != tcg ] || export ACCEL=tcg,thread=single

built_of "$base_kit" base "${fragments[@]}" ||
	"$TOP/scripts/bisect-build.sh" --base ||
	die "no boot kit of the base" "see the bisect-build lines above"
built_of "$series_build" HEAD "${fragments[@]}" ||
	die "$series_build is no build of the tree's HEAD with the vm profile's config now" \
		"commit your changes and run 'make build'"

# pack NAME BUILD: BUILD's kernel with the base's selftests, $run/NAME.cpio.
pack() {
	BUILD_DIR=$2 INITRAMFS=$run/$1.cpio MM_SELFTESTS=$base_kit/mm-selftests \
		"$TOP/scripts/initramfs.sh" vm
}

# boot_both DIR: boot both kernels at once, into DIR/base and DIR/series.
boot_both() {
	local pids=() name rc=0
	for name in base series; do
		BUILD_DIR=${build_of[$name]} RUN_DIR=$1/$name INITRAMFS=$run/$name.cpio \
			"$TOP/scripts/vm.sh" vm mm &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do
		wait "$pid" || rc=$?
	done
	[ "$rc" -eq 0 ] || die "a guest of the mm selftests did not run" "see the lines above"
}

report() {
	"$TOP/scripts/selftests-report.py" --base "$run/base/mm" --series "$run/series/mm" "$@"
}

declare -A build_of=([base]=$base_kit [series]=$series_build)
case " ${VM_CMDLINE:-} " in
*" zdfolio.selftests="*) note "VM_CMDLINE picks the categories: ${VM_CMDLINE}" ;;
esac
rm -rf "$run"
mkdir -p "$run"
pack base "$base_kit"
pack series "$series_build"
boot_both "$run"

# A test that fails now and then under TCG is no regression: the
# categories with one run again on both kernels, and only what regresses
# again counts (selftests-report.py).
again=$(report --regressed) || die "selftests-report.py cannot read the runs" "see the lines above"
if [ -n "$again" ]; then
	note "regressions in ${again//:/, }: both kernels run those categories again"
	VM_CMDLINE="${VM_CMDLINE:+$VM_CMDLINE }zdfolio.selftests=$again" boot_both "$run/again"
	report --table "$run/compare.txt" --again-base "$run/again/base/mm" \
		--again-series "$run/again/series/mm"
else
	report --table "$run/compare.txt"
fi
