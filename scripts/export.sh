#!/bin/bash
# Write the tree's commits after "base" to series/ as git format-patch
# output with a cover letter. The output depends only on the commits and
# the branch description, so exporting an unchanged tree changes nothing.
# --check compares instead of writing and fails when they differ.

. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no work tree at $TREE" "run 'make tree' first"
mode=${1:-write}

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
if [ "$(tgit rev-list --count base..HEAD)" -gt 0 ]; then
	# A fixed committer date keeps the cover letter's Date: stable, and a
	# fixed abbreviation the index lines (git's default grows with the repo).
	GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		tgit -c core.abbrev=12 format-patch -q -o "$out" base..HEAD --cover-letter \
		--cover-from-description=subject --zero-commit --no-signature \
		--subject-prefix=PATCH
fi

case "$mode" in
--check)
	stored=$SERIES
	[ -d "$stored" ] || stored=$(mktemp -d) # no series/ at all: an empty one
	if ! diff -ru --exclude='.*' "$stored" "$out" >"$WORK/series.diff"; then
		die "series/ and the tree $TREE disagree (diff in $WORK/series.diff)" \
			"'make export' writes the tree into series/; 'make tree RESET=1' rebuilds the tree from series/"
	fi
	note "series/ matches the tree ($(ls "$out" | wc -l) files)"
	;;
write)
	mkdir -p "$SERIES"
	find "$SERIES" -maxdepth 1 -name '*.patch' -delete
	cp "$out"/*.patch "$SERIES"/ 2>/dev/null || true
	note "wrote $(ls "$SERIES"/*.patch 2>/dev/null | wc -l) files to series/"
	;;
*) die "usage: export.sh [--check]" ;;
esac
