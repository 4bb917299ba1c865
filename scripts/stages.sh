# The stage runner of scripts/check.sh; sourced after lib.sh, never run.
#
#   stages_begin LOGDIR            start a run; each stage logs to LOGDIR
#   stage NAME NEEDS COMMAND...    run a stage (NEEDS: stages, comma
#                                  separated, that must have passed; or -)
#   stage_bg NAME NEEDS COMMAND... start a stage in the background, 10
#                                  nicer than the runner, where it takes
#                                  the CPU time the stages after it leave
#                                  idle (QEMU's guests use about two
#                                  thirds of it)
#   stage_join NAME                wait for it; its log and result follow,
#                                  its time is from its start to its end,
#                                  and the note says how long the join
#                                  waited for it
#   stages_end                     print the summary; fail unless every
#                                  stage passed
#
#   stages_run TABLE LOGDIR        all of the above, from a table of
#                                  stages (scripts/check.stages says how
#                                  one reads); the summary lists them in
#                                  the table's order
#
# A stage whose prerequisite failed is skipped with that reason. The
# summary gives each stage's time and the CPU time (user and system) its
# processes used, then the last lines of every failed stage's log (a CI
# log that keeps only its tail still says why), then
# "check: N passed, N failed, N skipped in S s".

STAGE_TAIL_LINES=${STAGE_TAIL_LINES:-40}

stages_begin() {
	STAGE_LOGS=$1
	stage_results=()
	stage_order=()
	failed_stages=" "
	rm -rf "$STAGE_LOGS"
	mkdir -p "$STAGE_LOGS"
	# Python buffers a piped stdout, which would put a script's errors
	# (stderr) ahead of the lines that led to them.
	export PYTHONUNBUFFERED=1
}

# stage_runnable NAME NEEDS: true when every stage NAME needs passed;
# otherwise NAME is recorded as skipped, with the reason.
stage_runnable() {
	local name=$1 needs=$2 need
	[ "$needs" != - ] || return 0
	for need in ${needs//,/ }; do
		if [[ "$failed_stages" == *" $need "* ]]; then
			stage_results+=("$name|skipped|0|-|needs $need, which failed")
			failed_stages+="$name "
			return 1
		fi
	done
}

# stage_timed NAME COMMAND...: run COMMAND; then write the CPU seconds it
# and every process it waited for used (bash's times: this subshell's
# children), whole seconds, to NAME's .cpu file. On a machine the stages
# keep busy, that, not a stage's time beside others, is what it costs.
stage_timed() {
	local name=$1 rc=0
	shift
	# In a subshell of its own: a table's command may end in exit.
	("$@") || rc=$?
	# Not in a pipe: a subshell that forks has no children's times yet.
	times >"$STAGE_LOGS/.$name.times"
	awk 'NR == 2 {
		for (i = 1; i <= NF; i++) {
			split($i, t, "m")
			sum += t[1] * 60 + t[2]
		}
		printf "%d\n", sum
	}' "$STAGE_LOGS/.$name.times" >"$STAGE_LOGS/.$name.cpu"
	return "$rc"
}

# stage_record NAME START RC [END NOTE]: a finished stage's result; END is
# when it ended (now by default), NOTE what to say of a stage that passed.
stage_record() {
	local end=${4:-$SECONDS} cpu
	cpu=$(cat "$STAGE_LOGS/.$1.cpu" 2>/dev/null) || cpu="?"
	if [ "$3" -eq 0 ]; then
		stage_results+=("$1|passed|$((end - $2))|$cpu|${5:-}")
	else
		stage_results+=("$1|FAILED|$((end - $2))|$cpu|exit $3")
		failed_stages+="$1 "
	fi
}

stage() {
	local name=$1 needs=$2
	shift 2
	stage_runnable "$name" "$needs" || return 0
	printf '\n===== %s =====\n' "$name"
	local start=$SECONDS rc=0
	stage_timed "$name" "$@" 2>&1 | tee "$STAGE_LOGS/$name.log" || rc=${PIPESTATUS[0]}
	stage_record "$name" "$start" "$rc"
}

declare -gA stage_bg_pids stage_bg_starts

stage_bg() {
	local name=$1 needs=$2
	shift 2
	stage_runnable "$name" "$needs" || return 0
	printf '\n===== %s: started in the background, its log follows when it is joined =====\n' "$name"
	stage_bg_starts[$name]=$SECONDS
	(
		rc=0
		# The subshell itself, so that a command may use the runner's
		# functions; --priority is absolute in every util-linux.
		nice_bg=$(($(nice) + 10))
		renice --priority $((nice_bg < 19 ? nice_bg : 19)) -p "$BASHPID" >/dev/null
		stage_timed "$name" "$@" >"$STAGE_LOGS/$name.log" 2>&1 || rc=$?
		echo "$SECONDS" >"$STAGE_LOGS/.$name.end"
		exit "$rc"
	) &
	stage_bg_pids[$name]=$!
}

stage_join() {
	local name=$1 rc=0 joined=$SECONDS end waited
	# Skipped when it was due to start: recorded then.
	[ -n "${stage_bg_pids[$name]:-}" ] || return 0
	wait "${stage_bg_pids[$name]}" || rc=$?
	waited=$((SECONDS - joined))
	unset "stage_bg_pids[$name]"
	end=$(cat "$STAGE_LOGS/.$name.end" 2>/dev/null || echo "$SECONDS")
	printf '\n===== %s (joined) =====\n' "$name"
	cat "$STAGE_LOGS/$name.log"
	stage_record "$name" "${stage_bg_starts[$name]}" "$rc" "$end" \
		"in the background; the join waited $waited s"
}

stages_end() {
	local passed=0 failed=0 skipped=0 row name result seconds cpu why
	# A background stage nobody joined would outlive the run unseen.
	for name in "${!stage_bg_pids[@]}"; do
		stage_join "$name"
	done
	printf '\n%-16s %-8s %6s %6s  %s\n' stage result seconds cpu note
	for row in "${stage_results[@]}"; do
		IFS='|' read -r name _ <<<"$row"
		printf '%s|%s\n' "$(stage_rank "$name")" "$row"
	done | sort -t '|' -k 1,1n -s | cut -d '|' -f 2- >"$STAGE_LOGS/.summary"
	while IFS= read -r row; do
		IFS='|' read -r name result seconds cpu why <<<"$row"
		printf '%-16s %-8s %6s %6s  %s\n' "$name" "$result" "$seconds" "$cpu" "$why"
		case "$result" in
		passed) passed=$((passed + 1)) ;;
		skipped) skipped=$((skipped + 1)) ;;
		*) failed=$((failed + 1)) ;;
		esac
	done <"$STAGE_LOGS/.summary"
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

# stage_rank NAME: NAME's place in the table of stages_run, or 0 when the
# stages were not run from a table (then the summary keeps the order in
# which they ended).
stage_rank() {
	local i
	for i in "${!stage_order[@]}"; do
		[ "${stage_order[i]}" != "$1" ] || { echo $((i + 1)); return; }
	done
	echo 0
}

# stages_read TABLE: the stages of TABLE into stage_order and the arrays
# stage_needs, stage_joined and stage_command, NAME-indexed; dies naming
# the line of the first that is not a stage as the table's header says.
declare -gA stage_needs stage_joined stage_command
stages_read() {
	local table=$1 line= lineno=0 first=0 name needs joined command rest i
	local -A seen line_of
	while IFS= read -r rest || [ -n "$rest" ]; do
		lineno=$((lineno + 1))
		[ -n "$line" ] || first=$lineno
		line+=$rest
		if [[ "$line" == *\\ ]]; then
			line="${line%\\} "
			continue
		fi
		[[ "$line" =~ ^[[:space:]]*(#|$) ]] && { line=; continue; }
		read -r name needs joined command <<<"$line"
		line=
		[ -n "$command" ] ||
			die "$table:$first: a stage needs four columns: stage needs joined command"
		[ -z "${seen[$name]:-}" ] ||
			die "$table:$first: stage $name is there twice (line ${line_of[$name]} too)"
		if [ "$needs" != - ]; then
			for i in ${needs//,/ }; do
				[ -n "${seen[$i]:-}" ] ||
					die "$table:$first: $name needs $i, which is no stage before it"
			done
		fi
		seen[$name]=1
		line_of[$name]=$first
		stage_order+=("$name")
		stage_needs[$name]=$needs
		stage_joined[$name]=$joined
		stage_command[$name]=$command
	done <"$table"
	[ -z "$line" ] || die "$table:$first: the last line goes on (\\) into nothing"
	[ ${#stage_order[@]} -gt 0 ] || die "$table: no stages"
	# Every background stage is joined before a stage that starts after it.
	local later
	for i in "${!stage_order[@]}"; do
		name=${stage_order[i]}
		joined=${stage_joined[$name]}
		case "$joined" in - | end) continue ;; esac
		later=" ${stage_order[*]:i+1} "
		[[ "$later" == *" $joined "* ]] ||
			die "$table:${line_of[$name]}: $name is joined before $joined, which is no stage after it"
	done
}

stages_run() {
	local name other
	stages_begin "$2"
	stages_read "$1"
	for name in "${stage_order[@]}"; do
		for other in "${stage_order[@]}"; do
			[ "${stage_joined[$other]}" != "$name" ] || stage_join "$other"
		done
		if [ "${stage_joined[$name]}" = - ]; then
			stage "$name" "${stage_needs[$name]}" eval "${stage_command[$name]}"
		else
			stage_bg "$name" "${stage_needs[$name]}" eval "${stage_command[$name]}"
		fi
	done
	stages_end
}
