#!/bin/bash
# maintainers-check.sh: every patch of series/ reaches the lists that
# kernel/maintainers names for the paths it touches, as the tree's
# scripts/get_maintainer.pl computes them, and every file the series adds
# is in the MAINTAINERS entry named there.

. "$(dirname "$0")/lib.sh"

rules=$TOP/kernel/maintainers
[ -x "$TREE/scripts/get_maintainer.pl" ] || die "no work tree at $TREE" "run 'make tree' first"

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

getmaint() {
	(cd "$TREE" && perl scripts/get_maintainer.pl --no-git --no-git-fallback "$@")
}

bad=0
for patch in "$SERIES"/[0-9][0-9][0-9][0-9]-*.patch; do
	name=$(basename "$patch")
	[[ "$name" == 0000-* ]] && continue
	got=$(getmaint --no-rolestats --no-m --no-r -l "$patch") ||
		die "get_maintainer.pl failed on $name"
	missing=()
	for path in $(sed -n 's|^diff --git a/\(.*\) b/.*|\1|p' "$patch"); do
		if ! want=$(first_rule lists "$path"); then
			printf '%s: no rule for %s in kernel/maintainers\n' "$name" "$path"
			missing+=("(rule for $path)")
			continue
		fi
		for list in $want; do
			[ "$list" = - ] || grep -qxF "$list" <<<"$got" || missing+=("$list ($path)")
		done
	done
	if [ ${#missing[@]} -gt 0 ]; then
		printf '%s: not sent to %s\n' "$name" "${missing[*]}"
		bad=$((bad + 1))
	else
		printf 'ok  %s: %s\n' "$name" "$(tr '\n' ' ' <<<"$got")"
	fi
done

for file in $(tgit diff --name-only --diff-filter=A base..HEAD); do
	if ! entry=$(first_rule entry "$file"); then
		printf 'new file %s: no entry rule in kernel/maintainers\n' "$file"
		bad=$((bad + 1))
	elif ! getmaint --sections -f "$file" | grep -qxF "$entry"; then
		printf 'new file %s: not in the MAINTAINERS entry "%s"\n' "$file" "$entry"
		bad=$((bad + 1))
	else
		printf 'ok  new file %s: %s\n' "$file" "$entry"
	fi
done

[ "$bad" -eq 0 ] || die "$bad patches or new files do not reach their maintainers" \
	"fix MAINTAINERS in the series, or kernel/maintainers if the rule is wrong"
note "every patch reaches its lists; every new file has its entry"
