#!/bin/bash
# repro.sh [PROFILE]: chase a test that fails now and then. Boot the kernel
# of $WORK/build/PROFILE once, as pass $PASS of vm/passes (private), and
# run hmm-tests' test $TEST alone $REPEAT times (10) in that boot, KUnit
# off; then report as make does. The run is kept in $WORK/run/PROFILE-repro.

. "$(dirname "$0")/lib.sh"

profile=${1:-vm}
PASS=${PASS:-private}
REPEAT=${REPEAT:-10}
[ -n "${TEST:-}" ] ||
	die "no TEST to repeat" "name one hmm-tests test, e.g. make repro TEST=migrate_anon_huge_fault"
[[ "$TEST" =~ ^[A-Za-z0-9_]+$ ]] ||
	die "TEST=$TEST is not one test name" "name one test, without its fixture or variant"
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || die "REPEAT=$REPEAT is not a positive number"

line=$(pass_line "$PASS") || exit 1
read -r memory cmdline hmm <<<"$line"
[[ "$cmdline" != *zdfolio.stress=* ]] || die "pass $PASS runs hmm-stress, not hmm-tests"

run=$WORK/run/$profile-repro
mkdir -p "$run"
repro="kunit.enable=0,zdfolio.only=$TEST,zdfolio.repeat=$REPEAT"
if [ "$cmdline" = - ]; then
	cmdline=$repro
else
	cmdline="$(sed 's/kunit\.enable=0,\?//; s/,$//' <<<"$cmdline"),$repro"
	cmdline=${cmdline#,}
fi
printf '# make repro: %s x%s\n%s %s %s %s\n' "$TEST" "$REPEAT" \
	"$PASS" "$memory" "$cmdline" "$hmm" >"$run/passes"

note "$TEST, $REPEAT runs in one boot of pass $PASS ($profile kernel)"
PASSES_FILE=$run/passes RUN_DIR=$run "$TOP/scripts/vm.sh" "$profile" "$PASS"
PASSES_FILE=$run/passes RUN_DIR=$run "$TOP/scripts/report.sh" "$profile"
