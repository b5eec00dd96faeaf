# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# stage.sh - counted stages for check.sh (and its self-test): every stage's results are
# renumbered into one KTAP list, and the stage itself is checked:
#   - its exit status counts: a non-zero status with no failed result is a failure;
#   - it must produce at least MIN results;
#   - the plan lines it printed ("1..N", summed when it prints several) must match the
#     results it printed (a program that crashed half-way stops short of its plan);
#   - a stage that printed no plan line at all is a failure.
# A failing stage's log tail is printed as comments.
#
#   stage_init RESULTS LOGDIR
#   stage NAME MIN CMD...    run CMD, output to LOGDIR/NAME.log and to the list
#   stage_bg NAME CMD...     start CMD in the background (a stage that can share the machine
#                            with the next ones, such as the fuzzers beside a lab boot)
#   stage_fg NAME MIN        wait for it, then count its output as stage NAME MIN CMD would
#   stage_summary            "N passed, N failed[, N skipped]"; returns 1 on any failure

stage_init() {
	STAGE_RESULTS=$1
	STAGE_LOGS=$2
	mkdir -p "$STAGE_LOGS"
	: >"$STAGE_RESULTS"
}

# stage_line "ok|not ok" TEXT: one result of the list, numbered in order
stage_line() {
	local n
	n=$(($(wc -l <"$STAGE_RESULTS") + 1))
	echo "$1 $n - $2" | tee -a "$STAGE_RESULTS"
}

stage() { # NAME MIN CMD...
	local name=$1 min=$2 log line rc got=0 bad=0 plan=0 plans=0
	shift 2
	log=$STAGE_LOGS/$name.log
	# the output is shown as it comes (a lab boot takes many minutes) and kept in the log
	while IFS= read -r line; do
		case $line in
		"ok "[0-9]* | "not ok "[0-9]*)
			got=$((got + 1))
			case $line in "not ok "*) bad=$((bad + 1)) ;; esac
			line=$(echo "$line" | sed -E "s/^(not ok|ok) [0-9]+ (- )?/\1 @ - $name: /")
			stage_line "${line%% @ - *}" "${line#* @ - }"
			;;
		1..[0-9]*)
			plans=$((plans + 1))
			plan=$((plan + ${line#1..}))
			echo "# $name: $line"
			;;
		*) echo "# $line" ;;
		esac
	done < <("$@" 2>&1 | tee "$log"; echo "STAGE-RC ${PIPESTATUS[0]}" >"$log.rc")
	rc=$(sed -n 's/^STAGE-RC //p' "$log.rc" 2>/dev/null)
	rm -f "$log.rc"
	local why=""
	if [ -z "$rc" ]; then
		why="its exit status was lost"
	elif [ "$got" = 0 ]; then
		why="produced no result (exit status $rc)"
	elif [ "$rc" != 0 ] && [ "$bad" = 0 ]; then
		why="exited with status $rc but reported no failure"
	elif [ "$got" -lt "$min" ]; then
		why="produced $got results, expected at least $min"
	elif [ "$plans" = 0 ]; then
		why="printed $got results but no plan line (1..N) to count them against"
	elif [ "$plan" != "$got" ]; then
		why="declared $plan results (1..N lines) but printed $got"
	fi
	if [ -n "$why" ]; then
		echo "# $name: last lines of $log:"
		tail -40 "$log" | sed 's/^/#   /'
		stage_line "not ok" "$name: the stage $why"
		return 1
	fi
	[ "$bad" = 0 ]
}

declare -gA STAGE_BG_PID

stage_bg() { # NAME CMD...
	local name=$1
	shift
	rm -f "$STAGE_LOGS/$name.bg" "$STAGE_LOGS/$name.bg.rc"
	( "$@" >"$STAGE_LOGS/$name.bg" 2>&1; echo $? >"$STAGE_LOGS/$name.bg.rc" ) &
	STAGE_BG_PID[$name]=$!
}

stage_fg() { # NAME MIN
	local name=$1 min=$2
	if [ -z "${STAGE_BG_PID[$name]:-}" ]; then
		stage_line "not ok" "$name: the stage was never started in the background"
		return 1
	fi
	wait "${STAGE_BG_PID[$name]}"
	unset "STAGE_BG_PID[$name]"
	stage "$name" "$min" _stage_replay "$STAGE_LOGS/$name.bg" "$STAGE_LOGS/$name.bg.rc"
}

# _stage_replay OUT RCFILE: a background command's output and exit status, again
_stage_replay() {
	cat "$1" 2>/dev/null
	if [ ! -s "$2" ]; then
		echo "stage: the background command left no exit status"
		return 125
	fi
	return "$(cat "$2")"
}

# a stage of one result from a command; its output is shown only when it failed
stage_single() { # NAME TEXT CMD...
	local name=$1 text=$2
	shift 2
	stage "$name" 1 _stage_one "$text" "$@"
}

_stage_one() {
	local text=$1 log
	shift
	log=$(mktemp)
	if "$@" >"$log" 2>&1; then
		echo "ok 1 - $text"
	else
		tail -40 "$log"
		echo "not ok 1 - $text"
	fi
	rm -f "$log"
	echo "1..1"
}

stage_summary() {
	local n passed skipped failed summary
	n=$(wc -l <"$STAGE_RESULTS")
	echo "1..$n"
	passed=$(grep -c '^ok ' "$STAGE_RESULTS")
	skipped=$(grep -c '^ok .*# SKIP' "$STAGE_RESULTS")
	failed=$(grep -c '^not ok' "$STAGE_RESULTS")
	passed=$((passed - skipped))
	# nothing counted is a failure, never a green run
	[ "$n" -gt 0 ] || failed=1
	summary="$passed passed, $failed failed"
	[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
	echo "$summary"
	[ "$failed" = 0 ]
}
