#!/bin/bash
# Tests of the workshop itself: the result parsers and the report (Python,
# on recorded logs in tests/data) and the scripts' error paths (shell, TAP).
# Ends with "harness: N passed, N failed".

set -uo pipefail
cd "$(dirname "$0")/.."
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

python3 -m unittest -v tests.test_results tests.test_selftests_report >"$log" 2>&1
rc=$?
cat "$log"
passed=$((passed + $(grep -cE ' \.\.\. ok$' "$log")))
failed=$((failed + $(grep -cE ' \.\.\. (FAIL|ERROR)$' "$log")))
[ $rc -eq 0 ] || grep -qE ' \.\.\. (FAIL|ERROR)$' "$log" || failed=$((failed + 1))

for test in tests/test_*.sh; do
	echo "# $test"
	out=$("$test" 2>&1)
	rc=$?
	echo "$out"
	passed=$((passed + $(grep -cE '^ok [0-9]+' <<<"$out")))
	failed=$((failed + $(grep -cE '^not ok [0-9]+' <<<"$out")))
	# A script that died before its plan line failed, whatever it printed.
	if [ $rc -ne 0 ] && ! grep -qE '^not ok' <<<"$out" || ! grep -qE '^1\.\.[0-9]+$' <<<"$out"; then
		echo "not ok - $test exited $rc without its plan"
		failed=$((failed + 1))
	fi
done
echo "harness: $passed passed, $failed failed"
[ $failed -eq 0 ]
