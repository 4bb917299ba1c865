#!/bin/bash
# postings-vm.sh: each posting but the last, with the postings before it,
# is a kernel of its own once it is merged: boot it with the passes
# kernel/postings gives it, and report as make does. Its kernel is the
# boot kit bisect-build.sh saved of that prefix, $WORK/build/posting-FOLDER
# (its whole VM kernel, test_hmm.ko, the KUnit module, hmm-tests and
# hmm-stress at the paths of a build), which must be of the posting's
# branch as it is now. The runs are in $WORK/run/posting-FOLDER. The last
# posting is the tree's tip, which the build, vm and report stages prove.

. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no work tree at $TREE" "run 'make tree' first"
names=$(postings)
[ -n "$names" ] || { note "no postings: nothing to boot"; exit 0; }
last=$(tail -n 1 <<<"$names")
earlier=$(sed '$d' <<<"$names")
mapfile -t fragments < <(profile_fragments vm)

# check_kit NAME: fail unless the boot kit of the prefix that ends the
# posting NAME is there, built from the posting's branch as it is now.
check_kit() {
	local kit=$WORK/build/posting-$1 tip
	tip=$(tgit rev-parse -q --verify "refs/heads/$1^{commit}") ||
		die "no branch $1 in $TREE" "run 'make tree'"
	[ -f "$kit/built" ] ||
		die "no boot kit of the prefix $1: run make bisect" "$kit/built is missing"
	built_of "$kit" "$tip" "${fragments[@]}" ||
		die "no boot kit of the prefix $1: run make bisect" \
			"$kit/built names another tree or config than the branch $1 and kernel/vm.config and kernel/mm-selftests.config now"
}

# prove NAME: boot the kit of NAME with its passes and report; false when
# anything fails (errexit does not reach into a function called by if).
prove() {
	local name=$1 kit=$WORK/build/posting-$1 run=$WORK/run/posting-$1 passes
	passes=$(posting_passes "$name") || return 1
	note "the prefix $name: passes $passes, kernel $kit"
	# shellcheck disable=SC2086 # the passes are words
	BUILD_DIR=$kit "$TOP/scripts/initramfs.sh" vm &&
		BUILD_DIR=$kit RUN_DIR=$run "$TOP/scripts/vm.sh" vm $passes &&
		BUILD_DIR=$kit RUN_DIR=$run "$TOP/scripts/report.sh" vm $passes
}

# Every kit first: a missing one fails before any guest boots.
for name in $earlier; do
	check_kit "$name"
	posting_passes "$name" >/dev/null
done

if [ -z "$earlier" ]; then
	note "one posting, $last: the tree's tip, which the build, vm and report stages prove"
	exit 0
fi
failed=()
for name in $earlier; do
	if ! prove "$name"; then
		note "the prefix $name FAILED its passes"
		failed+=("$name")
	fi
done
note "the last posting, $last, is the tree's tip: the build, vm and report stages prove it"
[ ${#failed[@]} -eq 0 ] || die "the prefixes ending with ${failed[*]} fail their passes" \
	"their runs are in $WORK/run/posting-*; make bisect rebuilds their kits, make postings boots them again"
note "the prefixes ending with $(paste -sd ' ' <<<"$earlier") pass their passes"
