#!/bin/bash
# The stage runner of make check (scripts/stages.sh): counts, skips after a
# failed prerequisite, the exit code, the end of a failed stage's log
# repeated after the summary, background stages and each stage's CPU time.
. "$(dirname "$0")/lib.sh"

# A run of made-up stages: one passes, one fails after 60 lines, one needs
# the failed one, one passes on its own.
cat >"$TMP/run.sh" <<RUN
#!/bin/bash
. "$TOP/scripts/lib.sh"
. "$TOP/scripts/stages.sh"
STAGE_TAIL_LINES=5
stages_begin "$TMP/logs"
stage good - true
stage bad - sh -c 'seq 1 60; echo "why it broke" >&2; exit 3'
stage after-bad bad true
stage other good sh -c 'echo fine'
stages_end
RUN
chmod +x "$TMP/run.sh"

check "a failed stage fails the run" nonzero "^check: 2 passed, 1 failed, 1 skipped in [0-9]+ s$" \
	"$TMP/run.sh"
check "the failed stage keeps its exit code" nonzero "^bad +FAILED +[0-9]+ +[0-9]+  exit 3$" "$TMP/run.sh"
check "a stage after a failed one is skipped, with the reason" nonzero \
	"^after-bad +skipped +0 +-  needs bad, which failed$" "$TMP/run.sh"
check "the failed stage's tail follows the summary" nonzero \
	"^===== bad failed: the last 5 lines of .*/bad.log =====$" "$TMP/run.sh"
# The tail (5 lines) ends the run just before the count line, stderr
# included: 57 58 59 60 "why it broke".
check "the tail is the last lines, stderr included" 0 "bad.log ===== 57 58 59 60 why it broke check:" \
	sh -c "'$TMP/run.sh' | tail -n 8 | tr '\n' ' ' | sed 's/  */ /g; s/^ *//'"
check "a passing stage's output is kept in its log" 0 "^fine$" cat "$TMP/logs/other.log"

cat >"$TMP/ok.sh" <<RUN
#!/bin/bash
. "$TOP/scripts/lib.sh"
. "$TOP/scripts/stages.sh"
stages_begin "$TMP/logs-ok"
stage one - true
stage two one true
stages_end
RUN
chmod +x "$TMP/ok.sh"
check "every stage passed: the run passes, no tail" 0 "^check: 2 passed, 0 failed, 0 skipped" \
	sh -c "'$TMP/ok.sh' && ! '$TMP/ok.sh' | grep -q 'failed: the last'"

# Background stages: one runs beside the stages after it (it waits for a
# file the next stage makes), at nice 10; one fails; one is skipped; one
# is never joined, so stages_end joins it.
cat >"$TMP/bg.sh" <<RUN
#!/bin/bash
. "$TOP/scripts/lib.sh"
. "$TOP/scripts/stages.sh"
STAGE_TAIL_LINES=3
stages_begin "$TMP/logs-bg"
stage_bg beside - sh -c 'for i in \$(seq 100); do [ -e "$TMP/flag" ] && break; sleep 0.1; done; [ -e "$TMP/flag" ] || exit 9; echo "nice \$(ps -o ni= -p \$\$ | tr -d " ")"'
stage maker - touch "$TMP/flag"
stage_join beside
stage bad - false
stage_bg bg-bad - sh -c 'echo "bg broke"; exit 4'
stage_bg bg-after-bad bad true
stage_join bg-bad
stage_join bg-after-bad
stage_bg short - sleep 1
stage long - sleep 4
stage_join short
stage_bg unjoined - sh -c 'sleep 1; echo late'
stages_end
RUN
chmod +x "$TMP/bg.sh"
rm -f "$TMP/flag"
"$TMP/bg.sh" >"$TMP/bg.out" 2>&1
# 10 more than the runner's own (make check runs the harness itself as a
# background stage), at most 19.
nice_bg=$(($(nice) + 10))
[ "$nice_bg" -le 19 ] || nice_bg=19
check "a background stage runs beside the next ones, 10 nicer than its runner" 0 "^nice $nice_bg$" \
	cat "$TMP/logs-bg/beside.log"
check "... and passes, its log printed when it is joined" 0 \
	"===== beside \(joined\) ===== nice $nice_bg " sh -c "tr '\n' ' ' <'$TMP/bg.out'"
check "a failed background stage keeps its exit code" 0 "^bg-bad +FAILED +[0-9]+ +[0-9]+  exit 4$" \
	cat "$TMP/bg.out"
check "a background stage after a failed one is skipped" 0 \
	"^bg-after-bad +skipped +0 +-  needs bad, which failed$" cat "$TMP/bg.out"
# short (1 s) ends while long (4 s) runs, and is joined after it: its own
# time is shorter than long's, which the time up to the join is not.
check "a background stage's time is its own, and the join's wait is noted" 0 "" \
	awk '$1 == "short" && / in the background; the join waited [0-9]+ s$/ { s = $3 }
		$1 == "long" { l = $3 }
		END { exit !(s != "" && l != "" && s + 0 < l + 0) }' "$TMP/bg.out"
check "a stage nobody joined is joined at the end" 0 "^unjoined +passed +[0-9]+ +[0-9]+  in the background; the join waited [0-9]+ s$" \
	cat "$TMP/bg.out"
# CPU time: 1.5 s of computing (by the process's own clock, so on any
# machine) in the foreground and in the background, a job's own, not its
# neighbours'; a second of sleep is none.
burn="python3 -c 'import time
while time.process_time() < 1.5: pass'"
cat >"$TMP/cpu.sh" <<RUN
#!/bin/bash
. "$TOP/scripts/lib.sh"
. "$TOP/scripts/stages.sh"
stages_begin "$TMP/logs-cpu"
stage_bg bg-burn - $burn
stage nap - sleep 1
stage_join bg-burn
stage burn - $burn
stage_bg bg-nap - sleep 1
stage_join bg-nap
stages_end
RUN
chmod +x "$TMP/cpu.sh"
"$TMP/cpu.sh" >"$TMP/cpu.out" 2>&1
check "the summary has a cpu column" 0 "^stage +result +seconds +cpu +note$" cat "$TMP/cpu.out"
check "a stage that computes has its CPU seconds" 0 "^burn +passed +[0-9]+ +[1-9][0-9]*  $" \
	cat "$TMP/cpu.out"
check "... in the background too" 0 "^bg-burn +passed +[0-9]+ +[1-9][0-9]*  in the background" \
	cat "$TMP/cpu.out"
check "a stage that sleeps has none, though a neighbour computed" 0 "^nap +passed +[0-9]+ +0  $" \
	cat "$TMP/cpu.out"
check "... in the background too" 0 "^bg-nap +passed +[0-9]+ +0  in the background" \
	cat "$TMP/cpu.out"

check "the run counts them all and fails" nonzero "^check: 5 passed, 2 failed, 1 skipped in [0-9]+ s$" \
	"$TMP/bg.sh"

# A table of stages (stages_run): its order, its joins, a command that
# goes on over lines and uses the runner's functions, in the foreground
# and in the background.
cat >"$TMP/table" <<'TABLE'
# comment
first    -       -        echo "first ran"
slow     first   checker  sleep 1; \
	touch "$FLAG"
beside   -       end      note "beside ran"
checker  slow    -        test -e "$FLAG" && echo "the flag is there"
failing  -       -        echo "failing ran"; exit 5
after    failing -        true
TABLE
cat >"$TMP/table.sh" <<RUN
#!/bin/bash
. "$TOP/scripts/lib.sh"
. "$TOP/scripts/stages.sh"
stages_run "\$1" "$TMP/logs-table"
RUN
chmod +x "$TMP/table.sh"
rm -f "$TMP/flag"
FLAG=$TMP/flag "$TMP/table.sh" "$TMP/table" >"$TMP/table.out" 2>&1
check "a table's stages run, and the run fails as its stages say" 0 \
	"^check: 4 passed, 1 failed, 1 skipped in [0-9]+ s$" cat "$TMP/table.out"
check "the summary lists them in the table's order" 0 "^first slow beside checker failing after $" \
	sh -c "awk '/^stage +result/ { on = 1; next } on && NF == 0 { exit } on { printf \"%s \", \$1 }' '$TMP/table.out'; echo"
check "a background stage is joined before the stage the table names" 0 "^the flag is there$" \
	cat "$TMP/logs-table/checker.log"
check "a command goes on over lines, and may use the runner's functions" 0 "^table: beside ran$" \
	cat "$TMP/logs-table/beside.log"
check "a failing stage in a table keeps its exit code" 0 "^failing +FAILED +[0-9]+ +[0-9]+  exit 5$" \
	cat "$TMP/table.out"

# bad_table NAME ERROR LINES...: a table of LINES is refused, naming its line.
bad_table() {
	local name=$1 error=$2
	shift 2
	printf '%s\n' "$@" >"$TMP/bad"
	check "$name" nonzero "$error" "$TMP/table.sh" "$TMP/bad"
}
bad_table "a table line of three columns is refused" \
	"bad:2: a stage needs four columns: stage needs joined command" "a - - true" "b - -"
bad_table "a stage twice is refused" "bad:3: stage a is there twice \(line 1 too\)" \
	"a - - true" "b - - true" "a - - true"
bad_table "a stage that needs a later one is refused" "bad:1: a needs b, which is no stage before it" \
	"a b - true" "b - - true"
bad_table "a stage joined before an earlier one is refused" \
	"bad:2: b is joined before a, which is no stage after it" "a - - true" "b - a true"
bad_table "a stage joined before no stage is refused" \
	"bad:1: a is joined before nowhere, which is no stage after it" "a - nowhere true"
bad_table "a last line that goes on into nothing is refused" "bad:2: the last line goes on" \
	"a - - true" 'b - - true \'
check "make check's own table is one" 0 "^[0-9]+ stages$" \
	bash -c ". '$TOP/scripts/lib.sh'; . '$TOP/scripts/stages.sh'; stages_read '$TOP/scripts/check.stages'; echo \"\${#stage_order[@]} stages\""

done_testing
