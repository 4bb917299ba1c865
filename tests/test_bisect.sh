#!/bin/bash
# scripts/bisect-build.sh --plan: what each prefix of a made-up series gets.
. "$(dirname "$0")/lib.sh"

export TREE=$TMP/tree WORK=$TMP/work
mkdir -p "$TREE" "$WORK/build/vm"
# commit SUBJECT FILE...: a commit that adds a line to each FILE.
commit() {
	local subject=$1 file
	shift
	for file in "$@"; do
		mkdir -p "$TREE/$(dirname "$file")"
		echo "$subject" >>"$TREE/$file"
	done
	tree_git add -A && tree_git commit -q -m "$subject"
}
tree_git init -q -b main
commit base mm/a.c
tree_git tag base
commit "selftests first" tools/testing/selftests/mm/t.c
commit "kernel change" mm/a.c
commit "selftests only" tools/testing/selftests/mm/t.c
commit "documentation only" Documentation/mm/x.rst
commit "selftests and documentation" tools/testing/selftests/mm/t.c Documentation/mm/x.rst
commit "header and documentation" include/linux/y.h Documentation/mm/x.rst

plan() { "$TOP/scripts/bisect-build.sh" --plan; }
check "a first commit that changes only selftests still builds the kernel" 0 \
	'\[1/6\] kernel \(plan\).*selftests first' plan
check "a kernel change builds the kernel" 0 '\[2/6\] kernel \(plan\).*kernel change' plan
check "a selftests-only commit builds the tests alone" 0 '\[3/6\] tests \(plan\).*selftests only' plan
check "a documentation-only commit builds nothing" 0 '\[4/6\] nothing \(plan\).*documentation only' plan
check "selftests and documentation build the tests" 0 \
	'\[5/6\] tests \(plan\).*selftests and documentation' plan
check "the last commit is built without a stamp of the vm build" 0 '\[6/6\] kernel \(plan\)' plan

stamp() { (. "$TOP/scripts/lib.sh" && build_stamp "$1" "$TOP/kernel/vm.config"); }
stamp HEAD >"$WORK/build/vm/built"
check "the last commit is not built again when the vm build is of its tree" 0 \
	"\[6/6\] built already in $WORK/build/vm \(plan\)" plan
stamp HEAD~1 >"$WORK/build/vm/built"
check "a vm build of another tree does not count" 0 '\[6/6\] kernel \(plan\)' plan
printf 'tree %s fragments 0\n' "$(tree_git rev-parse 'HEAD^{tree}')" >"$WORK/build/vm/built"
check "nor one of other fragments" 0 '\[6/6\] kernel \(plan\)' plan
check "the plan checks nothing out" 0 '' test "$(tree_git symbolic-ref --short HEAD)" = main
done_testing
