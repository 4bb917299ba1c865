# Helpers for the shell tests of the harness; sourced by tests/test_*.sh.
# Each check prints "ok N - what" or "not ok N - what" (TAP) and the file
# ends with a plan line; tests/run.sh counts them.

set -uo pipefail
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
count=0
failed=0

# check WHAT EXPECTED_RC PATTERN COMMAND...: run COMMAND, want its exit code
# (0 or "nonzero") and a line of its output matching the extended regex.
check() {
	local what=$1 want=$2 pattern=$3 rc=0
	shift 3
	"$@" >"$TMP/out" 2>&1 || rc=$?
	count=$((count + 1))
	if { [ "$want" = 0 ] && [ "$rc" -eq 0 ]; } ||
		{ [ "$want" = nonzero ] && [ "$rc" -ne 0 ]; }; then
		if [ -z "$pattern" ] || grep -qE -- "$pattern" "$TMP/out"; then
			echo "ok $count - $what"
			return
		fi
		echo "# output does not match /$pattern/:"
	else
		echo "# exit code $rc, wanted $want:"
	fi
	# awk, not sed: output without a last newline must not swallow the
	# "not ok" line below into this comment.
	awk '{ print "#   " $0 }' "$TMP/out"
	echo "not ok $count - $what"
	failed=$((failed + 1))
}

# tree_git ARGS...: git in the made-up tree $TREE of a test.
tree_git() {
	git -C "$TREE" -c user.name=t -c user.email=t@t.invalid "$@"
}

done_testing() {
	echo "1..$count"
	[ "$failed" -eq 0 ]
}
