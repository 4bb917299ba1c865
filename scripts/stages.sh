# The stage runner of scripts/check.sh; sourced after lib.sh, never run.
#
#   stages_begin LOGDIR            start a run; each stage logs to LOGDIR
#   stage NAME NEEDS COMMAND...    run a stage (NEEDS: stages, comma
#                                  separated, that must have passed; or -)
#   stages_end                     print the summary; fail unless every
#                                  stage passed
#
# A stage whose prerequisite failed is skipped with that reason. The
# summary gives each stage's time, then the last lines of every failed
# stage's log (a CI log that keeps only its tail still says why), then
# "check: N passed, N failed, N skipped in S s".

STAGE_TAIL_LINES=${STAGE_TAIL_LINES:-40}

stages_begin() {
	STAGE_LOGS=$1
	stage_results=()
	failed_stages=" "
	rm -rf "$STAGE_LOGS"
	mkdir -p "$STAGE_LOGS"
	# Python buffers a piped stdout, which would put a script's errors
	# (stderr) ahead of the lines that led to them.
	export PYTHONUNBUFFERED=1
}

stage() {
	local name=$1 needs=$2 need
	shift 2
	if [ "$needs" != - ]; then
		for need in ${needs//,/ }; do
			if [[ "$failed_stages" == *" $need "* ]]; then
				stage_results+=("$name|skipped|0|needs $need, which failed")
				failed_stages+="$name "
				return
			fi
		done
	fi
	printf '\n===== %s =====\n' "$name"
	local start=$SECONDS rc=0
	"$@" 2>&1 | tee "$STAGE_LOGS/$name.log" || rc=${PIPESTATUS[0]}
	if [ "$rc" -eq 0 ]; then
		stage_results+=("$name|passed|$((SECONDS - start))|")
	else
		stage_results+=("$name|FAILED|$((SECONDS - start))|exit $rc")
		failed_stages+="$name "
	fi
}

stages_end() {
	local passed=0 failed=0 skipped=0 row name result seconds why
	printf '\n%-16s %-8s %6s  %s\n' stage result seconds note
	for row in "${stage_results[@]}"; do
		IFS='|' read -r name result seconds why <<<"$row"
		printf '%-16s %-8s %6s  %s\n' "$name" "$result" "$seconds" "$why"
		case "$result" in
		passed) passed=$((passed + 1)) ;;
		skipped) skipped=$((skipped + 1)) ;;
		*) failed=$((failed + 1)) ;;
		esac
	done
	for name in $failed_stages; do
		# Skipped stages have no log.
		[ -s "$STAGE_LOGS/$name.log" ] || continue
		printf '\n===== %s failed: the last %s lines of %s =====\n' \
			"$name" "$STAGE_TAIL_LINES" "$STAGE_LOGS/$name.log"
		tail -n "$STAGE_TAIL_LINES" "$STAGE_LOGS/$name.log"
	done
	printf '\ncheck: %s passed, %s failed, %s skipped in %s s\n' \
		"$passed" "$failed" "$skipped" "$SECONDS"
	[ "$failed" -eq 0 ] && [ "$skipped" -eq 0 ]
}
