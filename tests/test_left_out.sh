#!/bin/bash
# vm/left-out.awk, with the guest's busybox awk, on hmm-tests -l as
# recorded from the series' hmm-tests (tests/data/hmm-tests-list.txt) and
# on made-up lists: every case a -T NAME leaves out is named once, and a
# NAME that matches no test, or no NAME at all, fails. The marker comes
# from vm/markers, as in the guest; the lines are spelled out here, as
# recorded logs hold them.
. "$(dirname "$0")/lib.sh"
. "$TOP/vm/markers"

# left_out NAMES LIST: the script's lines joined by spaces, and its status.
left_out() {
	local rc=0
	busybox awk -v mark="$MARK_LEFT_OUT" -v tests="$1" -f "$TOP/vm/left-out.awk" \
		"$2" >"$TMP/lines" || rc=$?
	tr '\n' ' ' <"$TMP/lines"
	return $rc
}
list=$TOP/tests/data/hmm-tests-list.txt
prefix='zdfolio: left out'

check "a test is left out in both variants of its fixture" 0 \
	"^$prefix hmm\.hmm_device_private\.benchmark_thp_migration $prefix hmm\.hmm_device_coherent\.benchmark_thp_migration $" \
	left_out benchmark_thp_migration "$list"
check "tests of two fixtures, each named with its own, each once" 0 \
	"^$prefix hmm\.hmm_device_private\.benchmark_thp_migration $prefix hmm\.hmm_device_coherent\.benchmark_thp_migration $prefix hmm2\.hmm2_device_private\.double_map $prefix hmm2\.hmm2_device_coherent\.double_map $" \
	left_out "double_map benchmark_thp_migration double_map" "$list"
check "a name that is no test fails and says so" nonzero \
	"zdfolio\.skip=benchmark_thp_migraton: hmm-tests has no such test $" \
	left_out "benchmark_thp_migraton" "$list"
check "no name at all fails (zdfolio.skip=,)" nonzero "^zdfolio\.skip= names no test $" \
	left_out " " "$list"
check "no marker fails and says where it comes from" nonzero "no -v mark= \(MARK_LEFT_OUT of vm/markers\)" \
	busybox awk -v tests=double_map -f "$TOP/vm/left-out.awk" "$list"

# A fixture without variants, and one whose long name pushes its variant
# and test columns to the right.
cat >"$TMP/list" <<'LIST'
# FIXTURE            VARIANT                   TEST
plain                                          one
                                               two
--------------------------------------------------------------------------------
a_fixture_with_a_very_long_name one_variant               two
                     another_variant_with_a_long_name three
LIST
check "a fixture without variants names FIXTURE.TEST" 0 \
	"^$prefix plain\.two $prefix a_fixture_with_a_very_long_name\.one_variant\.two $prefix a_fixture_with_a_very_long_name\.another_variant_with_a_long_name\.two $" \
	left_out two "$TMP/list"
check "a long variant name does not make it a test" nonzero \
	"^$prefix a_fixture_with_a_very_long_name\.one_variant\.three $prefix a_fixture_with_a_very_long_name\.another_variant_with_a_long_name\.three zdfolio\.skip=another_variant_with_a_long_name: hmm-tests has no such test $" \
	left_out "three another_variant_with_a_long_name" "$TMP/list"
done_testing
