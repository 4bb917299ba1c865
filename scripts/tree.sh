#!/bin/bash
# Make $WORK/linux a git tree at base + series/: the base as its first
# commit (tag "base"), then the patches of each posting of series/, in
# order, applied with git am onto the one before, and a branch named as
# the posting on its last commit; the tree ends on the last posting's
# branch (on a branch zdfolio at the base when there is no posting).
# An existing tree at the same base that already matches series/ is kept;
# one with work that series/ does not hold is never thrown away unless
# RESET=1 says so.

. "$(dirname "$0")/lib.sh"

need_tool git tar
[ -r "$WORK/base.env" ] || die "no $WORK/base.env" "run 'make base' first"
# shellcheck source=/dev/null
. "$WORK/base.env"

marker=$TREE/.git/zdfolio-base

# series/ must make sense before anything is thrown away.
names=$(postings)
last=$(tail -n 1 <<<"$names")

# same_patch_twice: fail when two stored patches are the same change (git
# patch-id --stable), before any is applied: in two postings, the later
# one would not apply, and git am would name it without the other.
same_patch_twice() {
	local name patch patches id
	declare -A seen
	for name in $names; do
		mapfile -t patches < <(posting_patches "$name")
		for patch in "${patches[@]}"; do
			id=$(git patch-id --stable <"$patch" | cut -d ' ' -f 1)
			[ -n "$id" ] || continue
			[ -z "${seen[$id]:-}" ] ||
				die "${seen[$id]} and $name/${patch##*/} are the same patch (git patch-id --stable)" \
					"keep it in one posting: drop it from the other in $TREE (git rebase -i --update-refs base), then make export"
			seen[$id]=$name/${patch##*/}
		done
	done
}
same_patch_twice

# tree_matches_series: the tree is clean and series/ is what export.sh
# would write. A tree of the one-branch layout has no posting branches:
# no match.
tree_matches_series() {
	tree_is_clean && "$TOP/scripts/export.sh" --check >/dev/null 2>&1
}

# on_last_posting: is the tree on the last posting's branch (zdfolio when
# there is none), the kernel that make builds and tests?
on_last_posting() {
	[ "$(tgit symbolic-ref -q --short HEAD)" = "${last:-zdfolio}" ]
}

# old_layout: was the tree made for a series/ of one series (its branch
# zdfolio), though series/ now has postings?
old_layout() {
	[ -n "$names" ] && [ "$(tgit symbolic-ref -q --short HEAD)" = zdfolio ]
}

if [ -e "$TREE" ]; then
	if [ -r "$marker" ] && [ "$(cat "$marker")" = "$BASE_ID" ] && tree_matches_series; then
		on_last_posting || die "$TREE matches series/, but is not on the last posting's branch ${last:-zdfolio}" \
			"check it out (git -C $TREE checkout ${last:-zdfolio}): make builds and tests the tree as it is"
		note "tree $TREE is at base + series/ ($(tgit rev-list --count base..HEAD) patches in $(grep -c . <<<"$names") postings)"
		exit 0
	fi
	[ -r "$marker" ] || die "$TREE exists but was not made by this workshop" \
		"move it away or set WORK= to another folder"
	if [ "${RESET:-0}" != 1 ] && [ "$(cat "$marker")" = "$BASE_ID" ]; then
		if old_layout; then
			die "$TREE holds work that series/ does not: it was made for one series (branch zdfolio), not for the postings of series/" \
				"'make tree RESET=1' throws the tree away and rebuilds it from series/"
		fi
		die "$TREE holds work that series/ does not" \
			"'make export' stores the tree's commits into series/ (commit or stash edits first)," \
			"'make tree RESET=1' throws the tree away and rebuilds it from series/"
	fi
	note "rebuilding $TREE (base or series changed)"
	rm -rf "$TREE"
fi

# Debian's source package ends .gitignore with "/*" (its packaging repo
# holds only debian/), which would hide the whole kernel from git here.
drop_debian_ignore_all() {
	local ignore=$TREE/.gitignore
	if grep -qx '/\*' "$ignore"; then
		sed -i '/^# Debian packaging: ignore everything/,$d' "$ignore"
		sed -i '${/^#$/d}' "$ignore"
		grep -qx '/\*' "$ignore" && die "could not drop Debian's '/*' from $ignore"
	fi
	return 0
}

mkdir -p "$TREE"
base_date="2000-01-01T00:00:00Z"
if [ "$BASE_KIND" = user ] && [ "$BASE_COMMIT" != none ]; then
	note "cloning $BASE_SRC at $BASE_COMMIT"
	git clone -q --shared --no-checkout "$BASE_SRC" "$TREE"
	tgit checkout -q -B zdfolio "$BASE_COMMIT"
else
	if [ "$BASE_KIND" = user ]; then
		note "copying $BASE_SRC"
		tar -C "$BASE_SRC" --exclude=.git -cf - . | tar -C "$TREE" -xf -
	else
		note "unpacking $(basename "$BASE_TARBALL")"
		tar -C "$TREE" --strip-components=1 -xJf "$BASE_TARBALL"
		drop_debian_ignore_all
	fi
	tgit init -q -b zdfolio
	# -f: upstream tracks files its own .gitignore would hide (.kunitconfig,
	# ...); the unpacked source holds nothing else.
	tgit add -A -f .
	# Fixed identity and dates: the same base always gets the same commit id.
	GIT_AUTHOR_DATE=$base_date GIT_COMMITTER_DATE=$base_date \
		tgit commit -q --no-verify -m "Base: Linux $BASE_VERSION ($BASE_KIND)" \
		-m "Source: ${BASE_DEB:-$BASE_SRC}" \
		-m "Debian's top-level '/*' rule is dropped from .gitignore."
fi
tgit tag -f base >/dev/null
printf '%s\n' "$BASE_ID" >"$marker"

"$TOP/scripts/cover.sh" --to-tree

# apply NAME APPLIED: git am the patches of the posting NAME onto the tree's
# HEAD, which is the base with the postings APPLIED ("1-a 2-b"), and give
# the commits back the notes below "---" that git am drops. One git am per
# posting: each refreshes the index of the whole tree, which costs most of
# a second.
apply() {
	local name=$1 applied=$2 patches start before out patch files
	mapfile -t patches < <(posting_patches "$name")
	start=$(tgit rev-parse HEAD)
	before=$(tgit rev-list --count HEAD)
	if out=$(tgit am -q --keep-cr "${patches[@]}" 2>&1); then
		restore_notes "$TREE" "$start" "${patches[@]}"
		return 0
	fi
	patch=${patches[$(($(tgit rev-list --count HEAD) - before))]:-}
	tgit am --abort >/dev/null 2>&1 || true
	files=$(grep -oE '(patch failed|does not exist in index|already exists in working directory): [^ ]+' <<<"$out" |
		sed 's/.*: //' | sort -u | tr '\n' ' ')
	die "$name/${patch##*/} does not apply on the base${applied:+ + ${applied// / + }}" \
		"the base is Linux $BASE_VERSION" \
		"failing file(s): ${files:-see below}" \
		"$(head -n 5 <<<"$out" | tr '\n' ' ')" \
		"rebase the posting on them in $TREE (make tree RESET=1 applies the patches before it), then make export"
}

applied=
for name in $names; do
	tgit checkout -q -B "$name"
	apply "$name" "$applied"
	applied+="${applied:+ }$name"
done
# The branch the base was committed on stays only without postings.
[ -z "$names" ] || tgit branch -q -D zdfolio
note "tree $TREE: Linux $BASE_VERSION + $(tgit rev-list --count base..HEAD) patches in $(grep -c . <<<"$names") postings${last:+, on branch $last}"
