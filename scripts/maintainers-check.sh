#!/bin/bash
# maintainers-check.sh: every patch of every posting of series/ reaches the
# lists that kernel/maintainers names for the paths it touches, as the
# tree's scripts/get_maintainer.pl computes them, and every file a posting
# adds (its own commits in the tree, after the posting before it) is in
# the MAINTAINERS entry named there.

. "$(dirname "$0")/lib.sh"

rules=$TOP/kernel/maintainers
[ -x "$TREE/scripts/get_maintainer.pl" ] || die "no work tree at $TREE" "run 'make tree' first"
names=$(postings)
ranges=$(posting_ranges)

# first_rule KIND PATH: the rest of the first KIND rule whose glob matches.
first_rule() {
	local kind glob rest
	while read -r kind glob rest; do
		[ "$kind" = "$1" ] || continue
		# shellcheck disable=SC2053 # the glob is meant to match
		[[ "$2" == $glob ]] && { echo "$rest"; return 0; }
	done < <(grep -v '^#' "$rules")
	return 1
}

# check_patch NAME PATCH: does PATCH of the posting NAME reach the lists of
# every path it touches? One line of output; false when it does not.
check_patch() {
	local label=$1/${2##*/} got missing=() path want list
	got=$(getmaint --no-rolestats --no-m --no-r -l "$2") ||
		die "get_maintainer.pl failed on $label"
	for path in $(sed -n 's|^diff --git a/\(.*\) b/.*|\1|p' "$2"); do
		if ! want=$(first_rule lists "$path"); then
			printf '%s: no rule for %s in kernel/maintainers\n' "$label" "$path"
			missing+=("(rule for $path)")
			continue
		fi
		for list in $want; do
			[ "$list" = - ] || grep -qxF "$list" <<<"$got" || missing+=("$list ($path)")
		done
	done
	if [ ${#missing[@]} -gt 0 ]; then
		printf '%s: not sent to %s\n' "$label" "${missing[*]}"
		return 1
	fi
	printf 'ok  %s: %s\n' "$label" "$(tr '\n' ' ' <<<"$got")"
}

# check_new_file NAME FILE: is FILE, which the posting NAME adds, in the
# MAINTAINERS entry kernel/maintainers names for it?
check_new_file() {
	local entry
	if ! entry=$(first_rule entry "$2"); then
		printf 'new file %s (%s): no entry rule in kernel/maintainers\n' "$2" "$1"
		return 1
	elif ! getmaint --sections -f "$2" | grep -qxF "$entry"; then
		printf 'new file %s (%s): not in the MAINTAINERS entry "%s"\n' "$2" "$1" "$entry"
		return 1
	fi
	printf 'ok  new file %s (%s): %s\n' "$2" "$1" "$entry"
}

bad=0
for name in $names; do
	mapfile -t patches < <(posting_patches "$name")
	for patch in "${patches[@]}"; do
		check_patch "$name" "$patch" || bad=$((bad + 1))
	done
done
while read -r name from to; do
	[ -n "$name" ] || continue
	for file in $(tgit diff --name-only --diff-filter=A "$from..$to"); do
		check_new_file "$name" "$file" || bad=$((bad + 1))
	done
done <<<"$ranges"

[ "$bad" -eq 0 ] || die "$bad patches or new files do not reach their maintainers" \
	"fix MAINTAINERS in the series, or kernel/maintainers if the rule is wrong"
note "every patch reaches its lists; every new file has its entry"
