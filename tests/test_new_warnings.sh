#!/bin/bash
# warning_text and new_against_base of scripts/lib.sh, which doccheck.sh,
# sphinxcheck.sh, objcheck.sh and coccicheck.sh share: a warning the
# series moved, or that base and tip print from worktrees of their own, is
# the same warning; one the tip has more often than the base, or with
# other words, is new; and nothing new prints nothing.
. "$(dirname "$0")/lib.sh"

base_tree=$TMP/work/build/base-tree
tip_tree=$TMP/work/build/tip-tree

# text LINE...: the lines through warning_text, both worktrees' paths
# taken out, as objcheck.sh reads a log.
text() {
	(. "$TOP/scripts/lib.sh" && printf '%s\n' "$@" | warning_text "$base_tree/" "$tip_tree/")
}

# new BASE TIP: what new_against_base finds new at the tip, BASE and TIP
# each warnings one a line, through text.
new() {
	# shellcheck disable=SC2086 # one warning a line, no globs in them
	(. "$TOP/scripts/lib.sh" &&
		IFS=$'\n' && new_against_base <(text $1) <(text $2))
}

# is WANT COMMAND...: COMMAND succeeds and prints exactly WANT (shown).
is() {
	local want=$1 out
	shift
	out=$("$@") || return 1
	printf '%s\n' "$out"
	[ "$out" = "$want" ]
}

# lines COMMAND...: how many lines COMMAND prints, empty ones too (which
# $(...) would hide).
lines() {
	"$@" | wc -l
}

moved="$base_tree/mm/a.c:12:5: warning: unused variable 'a'"
moved_tip="$tip_tree/mm/a.c:40:5: warning: unused variable 'a'"

check "a warning the series moved is not new" 0 "" is "" new "$moved" "$moved_tip"
check "... nor one kernel-doc places as FILE:LINE without a column" 0 "" is "" \
	new "Warning: $base_tree/mm/a.h:12 bad line" "Warning: $tip_tree/mm/a.h:20 bad line"
check "... nor a coccinelle report, columns and 'at line N' moved too" 0 "" is "" \
	new "mm/rmap.c:2965:25-44: WARNING: free at line 2966." \
	"mm/rmap.c:2975:3-22: WARNING: free at line 2976."
check "... nor a Sphinx warning that names two places, both moved" 0 "" is "" \
	new "$base_tree/Documentation/mm/hmm.rst:12: WARNING: Duplicate C declaration, also defined at mm/hmm:40." \
	"$tip_tree/Documentation/mm/hmm.rst:14: WARNING: Duplicate C declaration, also defined at mm/hmm:42."
check "the same warning twice at the tip and once on the base is new, once" 0 "" \
	is "mm/a.c: warning: unused variable 'a'" new "$moved" "$moved"$'\n'"$moved_tip"
check "a path of one worktree against the other's is not new" 0 "" is "" \
	new "$base_tree/mm/b.c:1:1: warning: x" "$tip_tree/mm/b.c:1:1: warning: x"
check "a warning with other words is new, with the tip's words" 0 "" \
	is "mm/a.c: warning: unused variable 'b'" \
	new "$moved" "${moved_tip/\'a\'/\'b\'}"
check "nothing new, a warning the series removed, prints nothing and succeeds" 0 "" is "" \
	new "$moved"$'\n'"$base_tree/mm/c.c:3:1: warning: gone" "$moved_tip"
check "... and so does a tip with no warning at all, not even an empty line" 0 "" is 0 \
	lines new "$moved" ""
check "warning_text sorts, each duplicate kept" 0 "" is $'a.c: warning: x\na.c: warning: x\nb.c: warning: y' \
	text "b.c:3:1: warning: y" "a.c:2:1: warning: x" "a.c:1:1: warning: x"
check "... a time in a message is no place: it stays" 0 "" is "a.c: warning: at 12:30 done" \
	text "a.c:1:1: warning: at 12:30 done"
check "new_against_base reads files in any order (a cached base)" 0 "" is "" \
	bash -c ". '$TOP/scripts/lib.sh' && new_against_base <(printf 'b\na\n') <(printf 'a\nb\n')"
check "... and fails on a file it cannot read, rather than find nothing new" nonzero \
	"cannot read $TMP/none$" \
	bash -c ". '$TOP/scripts/lib.sh' && new_against_base /dev/null '$TMP/none'"
done_testing
