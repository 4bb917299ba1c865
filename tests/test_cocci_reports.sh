#!/bin/bash
# scripts/cocci-reports.awk on a log of the kernel's scripts/coccicheck as
# coccicheck.sh records it (tests/data/coccicheck-report.log: the series'
# one report, then made-up ones), read through warning_text of
# scripts/lib.sh as coccicheck.sh reads it: each report with the rule that
# made it, line numbers out, and nothing else of the log.
. "$(dirname "$0")/lib.sh"

log=$TOP/tests/data/coccicheck-report.log
# shellcheck disable=SC2119 # the log holds no tree's path to take out
(. "$TOP/scripts/lib.sh" && awk -f "$TOP/scripts/cocci-reports.awk" "$log" | warning_text) \
	>"$TMP/reports"
rule=./scripts/coccinelle

check "a report gets the rule of the spatch command before it, without its line" 0 \
	"^$rule/api/atomic_as_refcounter\.cocci	mm/rmap\.c: WARNING: atomic_dec_and_test variation before object free at line N\.$" \
	cat "$TMP/reports"
check "a rule skipped in between does not take the reports of the next" 0 \
	"^$rule/free/ifnullfree\.cocci	lib/test_hmm\.c: WARNING: NULL check before some freeing functions is not needed\.$" \
	cat "$TMP/reports"
check "a report with a line number alone loses it too" 0 \
	"^$rule/free/ifnullfree\.cocci	lib/test_hmm\.c: ERROR: made up, a report with a line number only$" \
	cat "$TMP/reports"
check "a report before any command has no rule (the base runs every rule)" 0 \
	"^	mm/rmap\.c: WARNING: made up, a report before any spatch command$" \
	cat "$TMP/reports"
check "nothing but the four reports" 0 "^4$" sh -c "wc -l <'$TMP/reports'"

done_testing
