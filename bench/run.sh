#!/bin/bash
# bench/run.sh: make bench. Builds the unpatched base and the series with
# the same non-debug config (kernel/vm.config + kernel/bench.config), and
# zdbench.ko against each; boots them in turn, ROUNDS times each under the
# same QEMU settings (bench/passes), with this machine's TSC frequency on
# their command line; bench/summary.py prints the medians and the
# series/base ratios. A benchmark, not a test: it fails only when a run
# gives no numbers, its kernel log reports trouble or its kernel kept time
# with another clock than the TSC.

. "$(dirname "$0")/../scripts/lib.sh"

ROUNDS=${ROUNDS:-9}
export ALLOW_NEW_SYMBOLS=1 PASSES_FILE=$TOP/bench/passes
results=$WORK/run/bench
[ -d "$TREE/.git" ] || die "no work tree at $TREE" "run 'make tree' first"
case "$ROUNDS" in '' | *[!0-9]* | 0) die "ROUNDS=$ROUNDS is not a positive number" ;; esac

base_tree=$(base_worktree)
use_ccache

# The guests' kernels cannot calibrate the TSC under TCG (bench/tsc-khz.c
# says why) and would time with jiffies: they are told its frequency.
need_tool gcc
gcc -O2 -Wall -o "$WORK/build/tsc-khz" "$TOP/bench/tsc-khz.c" ||
	die "cannot compile bench/tsc-khz.c"
khz=$("$WORK/build/tsc-khz")
[ "$khz" -gt 100000 ] || die "measured a TSC of $khz kHz, which cannot be right"
export VM_CMDLINE="tsc_early_khz=$khz"
note "the guests get tsc_early_khz=$khz, this machine's TSC, which QEMU passes through"

# build KIND TREE: the bench kernel, zdbench.ko and the initramfs of KIND.
build() {
	local kind=$1 tree=$2 out=$WORK/build/bench-$1
	note "building the $kind kernel ($tree)"
	TREE=$tree BUILD_DIR=$out "$TOP/scripts/build.sh" bench
	TREE=$tree external_module "$out" "$out/zdbench" 'obj-m := zdbench.o' \
		"$TOP/bench/zdbench.c"
	rm -rf "$out/extra-modules"
	mkdir -p "$out/extra-modules"
	cp "$out/zdbench/zdbench.ko" "$out/extra-modules/"
	BUILD_DIR=$out "$TOP/scripts/initramfs.sh" bench
}

build base "$base_tree"
build series "$TREE"

rm -rf "$results"
for round in $(seq "$ROUNDS"); do
	for kind in base series; do
		note "round $round of $ROUNDS: $kind"
		BUILD_DIR=$WORK/build/bench-$kind RUN_DIR=$results/$kind/$round \
			"$TOP/scripts/vm.sh" bench
	done
done
"$TOP/bench/summary.py" "$results"
