#!/bin/bash
# mutants.sh [NAME...]: 'make mutants', outside make check (a kernel build
# per mutant: about 40 minutes on a slow host, warm). Each mutant of
# kernel/mutants takes statements out of the undo of a freed device folio,
# out of the check of its head page or out of zone_device_page_init()'s
# DEBUG_VM check, in a worktree of the tree's HEAD
# ($WORK/build/mutants-tree); kunit.py rebuilds its x86_64 kernel
# ($WORK/build/mutants) from mm/tests/.kunitconfig and runs the
# zone_device suite under QEMU. mutants.py fails unless the suite passes
# on the unmutated tree and fails a case, with no crash or hang, on every
# mutant not marked equivalent. NAME...: only these mutants.

. "$(dirname "$0")/lib.sh"

need_tool python3 qemu-system-x86_64 make gcc ccache git
[ -d "$TREE/.git" ] || die "no work tree at $TREE" "run 'make tree' first"
tree_is_clean || die "$TREE has uncommitted changes" \
	"mutants are made from its HEAD: commit or stash them first"
src=$(worktree mutants-tree "$(tgit rev-parse HEAD)")
[ -f "$src/mm/tests/.kunitconfig" ] ||
	die "no mm/tests/.kunitconfig at $TREE's HEAD" "the series adds it; run 'make tree'"

out=$WORK/build/mutants
mkdir -p "$out"
need_space "$out" 3072 "the mutants' kernel build"
use_ccache
kunit_py_qemu "$out/bin"

note "kunit.py run zone_device, per mutant of kernel/mutants (logs: $out/build/logs)"
python3 "$TOP/scripts/mutants.py" --list "$TOP/kernel/mutants" --source "$src" \
	--build "$out/build" --jobs "$JOBS" ${1:+--only "$@"}
