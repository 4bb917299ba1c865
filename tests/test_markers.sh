#!/bin/bash
# vm/markers defines once the marker lines that the guest's /init prints
# and the host parses: the guest's busybox sh and report.py read the same
# values from it, and no script of the guest or the host (scripts/, vm/,
# bench/) spells one of its own, so a copy that would drift fails here.
# tests/ spell them (they pin what recorded logs hold), docs/ describe
# them. That both sides follow a changed value: tests/test_vm_init.sh.
. "$(dirname "$0")/lib.sh"
markers=$TOP/vm/markers

# py_values: NAME=VALUE of each marker as report.py reads vm/markers.
py_values() {
	python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import report
for name in report.MARKER_NAMES: print(f"{name}={report.MARKERS[name]}")' "$TOP/scripts"
}

# sh_values NAME...: NAME=VALUE of each as the guest's shell reads the file.
sh_values() {
	# shellcheck disable=SC2016 # expanded by the inner shell
	busybox sh -c '. "$1" && shift && for name; do eval "value=\$$name"; echo "$name=$value"; done' \
		- "$markers" "$@"
}

# copies VALUE...: the lines of scripts/, vm/ and bench/, but vm/markers,
# that spell one of VALUE; fails if there are any.
copies() {
	local value patterns=()
	for value; do
		patterns+=(-e "$value")
	done
	! grep -rnIF "${patterns[@]}" "$TOP/scripts" "$TOP/vm" "$TOP/bench" |
		grep -v "^$TOP/vm/markers:"
}

py_values >"$TMP/py" 2>&1
check "report.py reads every marker of vm/markers" 0 "^MARK_BEGIN=zdfolio: begin$" cat "$TMP/py"
# shellcheck disable=SC2046 # the names are words
check "... as the guest's busybox sh does" 0 "" \
	diff "$TMP/py" <(sh_values $(sed 's/=.*//' "$TMP/py"))

# shellcheck source=../vm/markers
. "$markers"
# The markers that begin a line; the words of a step line are too common
# to look for (test_vm_init.sh moves them).
starts=("$MARK_BEGIN" "$MARK_CMDLINE" "$MARK_STEP" "$MARK_LEFT_OUT" "$MARK_MODULE_RUN" "$MARK_END")
check "no script spells a marker line of vm/markers" 0 "" copies "${starts[@]}"
# A new marker spelled on both sides would escape the check above, but
# not this one.
namespace="${MARK_BEGIN%%: *}: "
check "every marker line begins '$namespace'" 0 "" \
	test "$(printf '%s\n' "${starts[@]}" | grep -vc "^$namespace")" = 0
check "... which no script spells: a new marker goes into vm/markers" 0 "" copies "$namespace"
done_testing
