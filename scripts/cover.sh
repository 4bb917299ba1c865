#!/bin/bash
# The cover letter's own words live in series/N-NAME/0000-cover-letter.patch
# and, in the work tree, in the description of the posting's branch, which
# git format-patch turns back into a cover letter; its subject prefix
# ("PATCH mm-new") in the branch's config zdfolio-prefix, which export.sh
# gives format-patch. --to-tree copies both from series/ into the tree,
# for every posting.

. "$(dirname "$0")/lib.sh"

[ "${1:-}" = --to-tree ] || die "usage: cover.sh --to-tree"
names=$(postings)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# to_tree NAME: the posting NAME's subject and text as its branch's
# description, the body up to the shortlog that format-patch appends
# ("Author Name (N):"), and its subject prefix.
to_tree() {
	local cover=$SERIES_ROOT/$1/0000-cover-letter.patch subject body prefix
	git mailinfo "$tmp/msg" "$tmp/patch" <"$cover" >"$tmp/info"
	subject=$(sed -n 's/^Subject: //p' "$tmp/info")
	body=$(awk '/^[^ ].* \([0-9]+\):$/ { exit } { print }' "$tmp/msg")
	prefix=$(posting_prefix "$1") || exit 1
	tgit config "branch.$1.description" "$subject

$body"
	tgit config "branch.$1.zdfolio-prefix" "$prefix"
}

for name in $names; do
	to_tree "$name"
done
