#!/bin/bash
# Write the tree's postings to series/: for each posting of kernel/postings,
# in order, the commits of its branch after the branch before it (after
# "base" for the first) as git format-patch output with a cover letter,
# in series/N-NAME/. The cover letter is the branch's description and its
# subject prefix the branch's zdfolio-prefix (PATCH when unset). The output
# depends only on the commits, the descriptions and the prefixes, so
# exporting an unchanged tree changes nothing. --check compares instead
# of writing and fails when they differ. The branches must be a stack,
# each on the one before, and HEAD hold nothing after the last.

. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no work tree at $TREE" "run 'make tree' first"
mode=${1:-write}
case "$mode" in write | --check) ;; *) die "usage: export.sh [--check]" ;; esac

ranges=$(posting_ranges)
last=$(last_posting_ref "$ranges")
head_in_postings "$last"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# description NAME: the description of NAME's branch without the blank
# lines it may end in, or failure when it has none. The cover letter that
# format-patch makes of them would keep them, and the description that
# cover.sh reads back from it would not: series/ would not survive a round
# trip through the tree.
description() {
	local text
	text=$(tgit config "branch.$1.description") || return
	awk '{ line[NR] = $0 } NF { last = NR } END { for (i = 1; i <= last; i++) print line[i] }' <<<"$text"
}

# format NAME FROM TO: the posting NAME, the commits FROM..TO, into
# $out/NAME. A fixed committer date keeps the cover letter's Date: stable,
# and a fixed abbreviation the index lines (git's default grows with the
# repo). format-patch takes the cover letter from the description of the
# branch TO names.
format() {
	local prefix text desc=()
	prefix=$(tgit config "branch.$1.zdfolio-prefix" || echo PATCH)
	if text=$(description "$1"); then
		desc=(-c "branch.$1.description=$text")
	fi
	GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
		tgit -c core.abbrev=12 "${desc[@]}" format-patch -q -o "$out/$1" "$2..$3" --cover-letter \
		--cover-from-description=subject --zero-commit --no-signature \
		--subject-prefix="$prefix"
}

names=
while read -r name from to; do
	[ -n "$name" ] || continue
	format "$name" "$from" "$to"
	names+="${names:+ }$name"
done <<<"$ranges"
files=$(find "$out" -name '*.patch' | wc -l)

# differences DIFF: what differs between series/ and the export, from
# diff -ru's output DIFF, one file or folder of series/ a line.
differences() {
	awk -v stored="$stored/" -v out="$out/" '
		function rel(path, root) {
			return index(path, root) == 1 ? substr(path, length(root) + 1) : path
		}
		/^diff / { print "series/" rel($(NF - 1), stored) " differs from the tree"; next }
		/^Only in / {
			dir = file = substr($0, 9)
			sub(/: .*/, "/", dir)
			sub(/^[^:]*: /, "", file)
			if (index(dir, stored) == 1)
				print "series/" rel(dir, stored) file " is not in the tree"
			else
				print "series/" rel(dir, out) file " is missing"
		}' "$1"
}

case "$mode" in
--check)
	stored=$SERIES_ROOT
	[ -d "$stored" ] || stored=$(mktemp -d) # no series/ at all: an empty one
	if ! diff -ru --exclude='.*' "$stored" "$out" >"$WORK/series.diff"; then
		mapfile -t what < <(differences "$WORK/series.diff" | head -n 6)
		[ ${#what[@]} -lt 6 ] || what[5]="... (more in the diff)"
		die "series/ and the tree $TREE disagree (diff in $WORK/series.diff)" "${what[@]}" \
			"'make export' writes the tree into series/; 'make tree RESET=1' rebuilds the tree from series/"
	fi
	note "series/ matches the tree ($files files in $(wc -w <<<"$names") postings)"
	;;
write)
	for name in $names; do
		mkdir -p "$SERIES_ROOT/$name"
		find "$SERIES_ROOT/$name" -maxdepth 1 -name '*.patch' -delete
		cp "$out/$name"/*.patch "$SERIES_ROOT/$name"/
	done
	note "wrote $files files in $(wc -w <<<"$names") postings to series/"
	# What series/ holds beside the postings is named, never deleted: the
	# check every other script makes says what.
	if ! stray=$( (postings >/dev/null) 2>&1); then
		note "series/ holds more than the postings of $(shown "$POSTINGS"), and the other scripts refuse it:"
		sed "s/^$STEP: error: /$STEP:   /" <<<"$stray" >&2
	fi
	;;
esac
