#!/bin/bash
# report.sh [PROFILE] [PASS...]: report the guest runs of the kernel of
# $WORK/build/PROFILE (vm by default) as make does, through report.py:
# the passes named (all that ran when none is), the expected failures of
# kernel/expected-failures, the kernel's .config for what it was built
# with. BUILD_DIR, RUN_DIR and PASSES_FILE point it elsewhere, as they
# point vm.sh: every caller reports through here, with the same defaults.

. "$(dirname "$0")/lib.sh"

profile=${1:-vm}
shift || true
out=${BUILD_DIR:-$WORK/build/$profile}
run=${RUN_DIR:-$WORK/run/$profile}

exec "$TOP/scripts/report.py" --run "$run" --passes "$PASSES_FILE" \
	--expected "$TOP/kernel/expected-failures" --config "$out/.config" "$@"
