#!/bin/bash
# bisect-build.sh: every prefix of the series must build the VM kernel on
# its own, so that git bisect never lands on a broken commit. Checks out
# each commit after "base" in turn and builds it, incrementally, in
# $WORK/build/bisect; the tree goes back to its branch afterwards. Same
# paths as the main build, so ccache serves most of each prefix.

. "$(dirname "$0")/lib.sh"

branch=$(branch_of_clean_tree)
commits=$(tgit rev-list --reverse base..HEAD)
[ -n "$commits" ] || { note "no patches: nothing to bisect"; exit 0; }

trap 'tgit checkout -q "$branch"' EXIT

n=0
total=$(wc -w <<<"$commits")
for commit in $commits; do
	n=$((n + 1))
	tgit checkout -q "$commit"
	subject=$(tgit log -1 --format=%s)
	note "[$n/$total] $subject"
	ALLOW_NEW_SYMBOLS=1 BUILD_DIR=$WORK/build/bisect "$TOP/scripts/build.sh" vm >/dev/null ||
		die "the series does not build at patch $n/$total: $subject" \
			"log: $WORK/build/bisect/build.log"
done
note "all $total prefixes of the series build"
