#!/bin/bash
# doccheck.sh: run kernel-doc -Wall -none on every .c and .h file the
# series touches, on the base and at the tip, and fail on any warning the
# series adds. Reads files with git show, so the tree is not checked out.

. "$(dirname "$0")/lib.sh"

[ -x "$TREE/scripts/kernel-doc" ] || die "no work tree at $TREE" "run 'make tree' first"
files=$(tgit diff --name-only --diff-filter=AM base..HEAD -- '*.c' '*.h')
[ -n "$files" ] || { note "the series touches no .c or .h file"; exit 0; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# warnings REV FILE: kernel-doc's warnings for FILE as REV has it, as
# warning_text gives them: without the copy's path and line numbers.
warnings() {
	local copy=$tmp/$1/$2
	mkdir -p "$(dirname "$copy")"
	tgit show "$1:$2" >"$copy" 2>/dev/null || return 0
	(cd "$TREE" && ./scripts/kernel-doc -Wall -none "$copy" 2>&1) |
		warning_text "$tmp/$1/"
}

new=0
for file in $files; do
	# Into files, not process substitutions: bash does not wait for those,
	# so make check's CPU time of this stage would leave kernel-doc out.
	warnings base "$file" >"$tmp/base.warnings"
	warnings HEAD "$file" >"$tmp/tip.warnings"
	added=$(new_against_base "$tmp/base.warnings" "$tmp/tip.warnings")
	if [ -n "$added" ]; then
		printf 'new kernel-doc warnings in %s:\n%s\n' "$file" "$added"
		new=$((new + 1))
	else
		printf 'ok  %s\n' "$file"
	fi
done
[ "$new" -eq 0 ] || die "the series adds kernel-doc warnings to $new files"
note "no new kernel-doc warnings in $(wc -w <<<"$files") files"
