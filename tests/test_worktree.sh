#!/bin/bash
# scripts/lib.sh's worktree helper, which checks that run side by side
# share (make check runs both objcheck profiles beside bisect), and the
# error paths of scripts/objcheck.sh that come before any compiling.
. "$(dirname "$0")/lib.sh"

TREE=$TMP/linux
mkdir -p "$TREE"
tree_git init -q -b zdfolio
echo one >"$TREE/file"
tree_git add file
tree_git commit -q -m one
tree_git tag base
echo two >"$TREE/file"
tree_git commit -q -am two
first=$(tree_git rev-parse base)
second=$(tree_git rev-parse HEAD)

# worktrees N REV...: N calls of worktree at once, for each REV in turn;
# fails when any call fails, and prints where tip-tree ended.
worktrees() {
	local n=$1 i pid pids=() rc=0
	shift
	for i in $(seq "$n"); do
		for rev in "$@"; do
			(TREE=$TREE WORK=$TMP/work
				. "$TOP/scripts/lib.sh"
				worktree tip-tree "$rev" >/dev/null) &
			pids+=("$!")
		done
	done
	for pid in "${pids[@]}"; do
		wait "$pid" || rc=1
	done
	git -C "$TMP/work/build/tip-tree" rev-parse HEAD
	return "$rc"
}

check "six first calls at once make one worktree and all succeed" 0 "^$second\$" \
	worktrees 6 "$second"
check "calls at once for two commits all succeed" 0 "^($first|$second)\$" \
	worktrees 4 "$first" "$second"
check "a later call checks its commit out in the same worktree" 0 "^$first\$" \
	worktrees 1 "$first"
check "the tree itself stays where it was" 0 "^$second\$" tree_git rev-parse HEAD

objcheck() {
	TREE=$TREE WORK=$TMP/work CACHE=$TMP/cache "$TOP/scripts/objcheck.sh" "$@"
}
check "objcheck names a commit the tree lacks" nonzero "no commit nonesuch in" \
	objcheck drivers nonesuch
echo three >"$TREE/file"
check "objcheck without a commit refuses uncommitted changes" nonzero "uncommitted changes" \
	objcheck drivers
check "objcheck refuses an unknown profile" nonzero "unknown profile arm" \
	objcheck arm

done_testing
