#!/bin/bash
# Make $WORK/linux a git tree at base + series/: the base as its first
# commit (tag "base"), then every patch of series/ applied with git am.
# An existing tree at the same base that already matches series/ is kept;
# one with work that series/ does not hold is never thrown away unless
# RESET=1 says so.

. "$(dirname "$0")/lib.sh"

need_tool git tar
[ -r "$WORK/base.env" ] || die "no $WORK/base.env" "run 'make base' first"
# shellcheck source=/dev/null
. "$WORK/base.env"

marker=$TREE/.git/zdfolio-base

tree_matches_series() {
	tree_is_clean && "$TOP/scripts/export.sh" --check >/dev/null 2>&1
}

if [ -e "$TREE" ]; then
	if [ -r "$marker" ] && [ "$(cat "$marker")" = "$BASE_ID" ] && tree_matches_series; then
		note "tree $TREE is at base + series/ ($(tgit rev-list --count base..HEAD) patches)"
		exit 0
	fi
	[ -r "$marker" ] || die "$TREE exists but was not made by this workshop" \
		"move it away or set WORK= to another folder"
	if [ "${RESET:-0}" != 1 ] && [ "$(cat "$marker")" = "$BASE_ID" ]; then
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

mapfile -t patches < <(series_patches)
# One git am for the whole series: each git am refreshes the index of the
# whole tree, which costs most of a second per patch.
if [ "${#patches[@]}" -gt 0 ] && ! out=$(tgit am -q --keep-cr "${patches[@]}" 2>&1); then
	patch=${patches[$(tgit rev-list --count base..HEAD)]:-series/}
	tgit am --abort >/dev/null 2>&1 || true
	files=$(grep -oE '(patch failed|does not exist in index|already exists in working directory): [^ ]+' <<<"$out" |
		sed 's/.*: //' | sort -u | tr '\n' ' ')
	die "$(basename "$patch") does not apply to Linux $BASE_VERSION" \
		"failing file(s): ${files:-see below}" \
		"$(head -n 5 <<<"$out" | tr '\n' ' ')" \
		"rebase the series on this base in $TREE (make tree RESET=1 applies the patches before it), then make export"
fi
note "tree $TREE: Linux $BASE_VERSION + ${#patches[@]} patches"
