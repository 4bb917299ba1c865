#!/bin/bash
# vm/left-out.awk, with the guest's busybox awk, on hmm-tests -l as
# recorded from the series' hmm-tests (tests/data/hmm-tests-list.txt) and on
# made-up lists: every case a -T NAME leaves out is named, and a NAME that
# matches no test fails.
. "$(dirname "$0")/lib.sh"

AWK="busybox awk"
left_out() {
	$AWK -v tests="$1" -f "$TOP/vm/left-out.awk" "$2"
}
list=$TOP/tests/data/hmm-tests-list.txt

check "a test is left out in both variants of its fixture" 0 \
	"^zdfolio: left out hmm.hmm_device_private.benchmark_thp_migration zdfolio: left out hmm.hmm_device_coherent.benchmark_thp_migration $" \
	sh -c "$AWK -v tests=benchmark_thp_migration -f $TOP/vm/left-out.awk $list | tr '\n' ' '"
check "a second fixture's test is named with that fixture" 0 \
	"^zdfolio: left out hmm2.hmm2_device_coherent.double_map$" \
	left_out "benchmark_thp_migration double_map" "$list"
check "a name that is no test fails and says so" nonzero \
	"^zdfolio.skip=benchmark_thp_migraton: hmm-tests has no such test$" \
	left_out "benchmark_thp_migraton" "$list"

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
	"^zdfolio: left out plain.two zdfolio: left out a_fixture_with_a_very_long_name.one_variant.two zdfolio: left out a_fixture_with_a_very_long_name.another_variant_with_a_long_name.two $" \
	sh -c "$AWK -v tests=two -f $TOP/vm/left-out.awk $TMP/list | tr '\n' ' '"
check "a long variant name does not make it a test" nonzero \
	"^zdfolio.skip=another_variant_with_a_long_name: hmm-tests has no such test$" \
	left_out "three another_variant_with_a_long_name" "$TMP/list"
done_testing
