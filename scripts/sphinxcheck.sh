#!/bin/bash
# sphinxcheck.sh: build the HTML documentation of every Documentation/
# folder the series touches, on the base and at the tip, and fail on any
# Sphinx or kernel-doc warning the series adds. The base is checked out in
# a git worktree (base_worktree); the tree itself is not touched.

. "$(dirname "$0")/lib.sh"

need_tool sphinx-build
[ -d "$TREE/.git" ] || die "no work tree at $TREE" "run 'make tree' first"

# The top-level Documentation folders (SPHINXDIRS) with a changed .rst
# file. The kernel-doc of every touched source file is checked on its own
# by doccheck.sh; here it counts where a touched document pulls it in.
dirs=$(tgit diff --name-only base..HEAD -- 'Documentation/*.rst' |
	sed -n 's|^Documentation/\([^/]*\)/.*|\1|p' | sort -u | tr '\n' ' ')
[ -n "$dirs" ] || { note "the series touches no documentation built by Sphinx"; exit 0; }

out=$WORK/build/docs
mkdir -p "$out"
need_space "$out" 2048 "the documentation builds"
base_tree=$(base_worktree)

# warnings REV_TREE NAME: the warnings of one build, as warning_text gives
# them: without the tree's path and line numbers.
warnings() {
	local src=$1 name=$2
	note "building the documentation of $name ($dirs)"
	# From scratch: an incremental build repeats no warning of a document
	# it does not read again.
	rm -rf "${out:?}/$name"
	make -s -C "$src" O="$out/$name" SPHINXDIRS="$dirs" htmldocs \
		>"$out/$name.log" 2>&1 ||
		die "the documentation does not build at the $name" "log: $out/$name.log"
	{ grep -E 'WARNING|ERROR|Warning:|Error:' "$out/$name.log" || true; } |
		warning_text "$src/"
}

warnings "$base_tree" base >"$out/base.warnings"
warnings "$TREE" tip >"$out/tip.warnings"
added=$(new_against_base "$out/base.warnings" "$out/tip.warnings")
if [ -n "$added" ]; then
	printf 'new documentation warnings:\n%s\n' "$added"
	die "the series adds $(wc -l <<<"$added") documentation warnings" \
		"logs: $out/base.log $out/tip.log"
fi
note "no new documentation warnings in $dirs($(wc -l <"$out/base.warnings") on the base too)"
