#!/bin/bash
# sparse-check.sh SPARSE: fail unless the kernel tree accepts SPARSE as its
# checker. Without this, C=1 with a sparse too old for the tree checks
# nothing and says nothing.

. "$(dirname "$0")/lib.sh"

sparse=${1:?usage: sparse-check.sh SPARSE}
[ -x "$TREE/scripts/checker-valid.sh" ] || die "no work tree at $TREE" "run 'make tree' first"
[ "$(sh "$TREE/scripts/checker-valid.sh" "$sparse")" = 1 ] ||
	die "$sparse fails the tree's scripts/checker-valid.sh, so C=1 would check nothing" \
		"use scripts/sparse.sh (sid's sparse) or a sparse that knows __typeof_unqual__"
