#!/bin/bash
# check-patches.sh: the rules for every stored patch of every posting of
# series/:
#  - checkpatch.pl --strict finds nothing, but the missing Signed-off-by
#    that the kernel's rules for tool-assisted patches require
#    (Documentation/process/coding-assistants.rst);
#  - no Signed-off-by (the sender adds theirs), an Assisted-by tag;
#  - the author is the placeholder that the send path replaces with the
#    sender, never a name or address that git found on this machine;
#  - every upstream commit cited as 'commit <id> ("<subject>")' is in
#    kernel/upstream-commits with that subject, when the tree has no history
#    for checkpatch to look it up in;
#  - its subject prefix ("PATCH mm-new") is its posting's, as the cover
#    letter gives it: one thread, one prefix.

. "$(dirname "$0")/lib.sh"

[ -x "$TREE/scripts/checkpatch.pl" ] || die "no work tree at $TREE" "run 'make tree' first"
known=$TOP/kernel/upstream-commits

ignore=MISSING_SIGN_OFF,NO_AUTHOR_SIGN_OFF
if ! tree_has_history; then
	ignore+=,UNKNOWN_COMMIT_ID
	history=no
fi

names=$(postings)
failed=0
checked=0

# check_patch NAME PATCH PREFIX: the rules for PATCH of the posting NAME, whose
# cover letter has the subject prefix PREFIX; "ok" or "FAILED" and why.
check_patch() {
	local name=$1 patch=$2 prefix=$3 out author id subject problems=()
	# Quiet and clean prints nothing: any output (a Python traceback of
	# the SPDX check too) is a problem.
	if ! out=$(checkpatch --strict --no-summary --ignore "$ignore" -q "$patch" 2>&1) ||
		[ -n "$out" ]; then
		problems+=("checkpatch --strict: $out")
	fi
	grep -qi '^Signed-off-by:' "$patch" && problems+=("carries a Signed-off-by: the sender adds theirs")
	grep -q '^Assisted-by: ' "$patch" || problems+=("has no Assisted-by tag")
	author=$(git mailinfo /dev/null /dev/null <"$patch" | sed -n 's/^Email: //p')
	[ "$author" = "$PLACEHOLDER_EMAIL" ] ||
		problems+=("is from <$author>, not the placeholder <$PLACEHOLDER_EMAIL>: reset the commit's author with 'git commit --amend --reset-author' through tgit")
	[ "$(subject_prefix "$patch")" = "$prefix" ] ||
		problems+=("has the subject prefix [$(subject_prefix "$patch")], its cover letter [$prefix]: set git config branch.$name.zdfolio-prefix in $TREE, then make export")
	if [ "${history:-yes}" = no ]; then
		while IFS='|' read -r id subject; do
			grep -qxF "$id $subject" "$known" ||
				problems+=("cites commit $id (\"$subject\"), which $known does not list")
		done < <(sed -n '/^---$/q;p' "$patch" | tr '\n' ' ' | sed 's/  */ /g' |
			grep -oE 'commit [0-9a-f]{12,40} \("[^"]+"\)' |
			sed -E 's/commit ([0-9a-f]{12})[0-9a-f]* \("(.*)"\)/\1|\2/')
	fi
	if [ ${#problems[@]} -eq 0 ]; then
		echo "ok      $name/${patch##*/}"
	else
		echo "FAILED  $name/${patch##*/}"
		printf '        %s\n' "${problems[@]}"
		return 1
	fi
}

for name in $names; do
	prefix=$(posting_prefix "$name")
	mapfile -t patches < <(posting_patches "$name")
	for patch in "${patches[@]}"; do
		checked=$((checked + 1))
		check_patch "$name" "$patch" "$prefix" || failed=$((failed + 1))
	done
done
[ "$failed" -eq 0 ] || die "$failed of $checked patches break the rules above" \
	"fix them in $TREE, then 'make export'"
note "$checked patches in $(wc -w <<<"$names") postings follow the rules"
