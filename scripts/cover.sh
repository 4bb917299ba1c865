#!/bin/bash
# The cover letter's own words live in series/0000-cover-letter.patch and,
# in the work tree, in the branch description that git format-patch turns
# back into a cover letter. --to-tree copies them from series/ into the tree.

. "$(dirname "$0")/lib.sh"

cover=$SERIES/0000-cover-letter.patch
[ "${1:-}" = --to-tree ] || die "usage: cover.sh --to-tree"
[ -r "$cover" ] || exit 0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git mailinfo "$tmp/msg" "$tmp/patch" <"$cover" >"$tmp/info"
subject=$(sed -n 's/^Subject: //p' "$tmp/info")
# The shortlog that format-patch appends starts with "Author Name (N):".
body=$(awk '/^[^ ].* \([0-9]+\):$/ { exit } { print }' "$tmp/msg")
tgit config branch.zdfolio.description "$subject

$body"
