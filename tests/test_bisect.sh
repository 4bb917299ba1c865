#!/bin/bash
# scripts/bisect-build.sh on a made-up series of three postings: what each
# prefix gets (--plan), named by its posting, and a walk with stand-ins for
# build.sh and build-tests.sh that record which commit each built; the
# ends of the first two postings get their whole kernel and a boot kit;
# the walk has a checkout and a build folder of its own.
. "$(dirname "$0")/lib.sh"

export TREE=$TMP/tree WORK=$TMP/work POSTINGS=$TMP/postings
mkdir -p "$TREE" "$WORK/build/vm" "$WORK/bisect/build/vm"
printf '1-first private\n2-second private coherent\n3-third private coherent stress\n' >"$POSTINGS"
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
commit "comment in a header" include/linux/y.h
sed -i 's|^comment in a header$|/* a comment */|' "$TREE/include/linux/y.h"
tree_git commit -q -a --amend --no-edit
echo "/* another comment */" >>"$TREE/include/linux/y.h"
commit "comments in a header, code in a .c file" mm/a.c
# The postings: 1-first the first commit, 2-second the next four, and
# 3-third the rest, the branch the tree is on.
tree_git branch 1-first HEAD~7
tree_git branch 2-second HEAD~3
tree_git branch -m main 3-third

# Prefix N needs what patch N+1 changed, the last one a kernel.
plan() { "$TOP/scripts/bisect-build.sh" --plan; }
check "the walk starts at the last commit" 0 '' \
	sh -c "$TOP/scripts/bisect-build.sh --plan 2>&1 | head -n 1 | grep -q '\[3-third 3/3\]'"
check "the last commit is built without a stamp of the vm build" 0 '\[3-third 3/3\] kernel \(plan\)' plan
check "undoing comments in a header and code elsewhere builds the kernel" 0 \
	'\[3-third 2/3\] kernel \(plan\).*comment in a header$' plan
check "undoing a change of comments in a header builds nothing" 0 \
	'\[3-third 1/3\] nothing \(plan\).*header and documentation' plan
check "undoing a header change builds the kernel, and a posting's end gets its boot kit" 0 \
	'\[2-second 4/4\] kernel \+ boot kit posting-2-second \(plan\).*selftests and documentation' plan
check "undoing selftests and documentation builds the tests" 0 \
	'\[2-second 3/4\] tests \(plan\).*documentation only' plan
check "undoing a documentation-only commit builds nothing" 0 '\[2-second 2/4\] nothing \(plan\).*selftests only' plan
check "undoing a selftests-only commit builds the tests alone" 0 '\[2-second 1/4\] tests \(plan\).*kernel change' plan
check "undoing a kernel change builds the kernel" 0 '\[1-first 1/1\] kernel \+ boot kit posting-1-first \(plan\).*selftests first' plan
check "the last posting gets no boot kit: the build stage's kernel is its" 0 \
	"boot kits \(plan\): $WORK/build/posting-2-second $WORK/build/posting-1-first $WORK/build/base$" plan
check "the base ends the walk, with a boot kit and the mm selftests" 0 \
	'\[base\] kernel \+ boot kit with the mm selftests \(plan\)' plan
tree_git branch -q -f 2-second 3-third~5
check "a posting that ends where less than a kernel would be built gets its whole kernel" 0 \
	'\[2-second 2/2\] kernel \+ boot kit posting-2-second \(plan\).*selftests only' plan
tree_git branch -q -f 2-second 3-third~3

stamp() { (. "$TOP/scripts/lib.sh" && build_stamp "$1" "$TOP/kernel/vm.config" "$TOP/kernel/mm-selftests.config"); }
stamp HEAD >"$WORK/build/vm/built"
check "the build stage's kernel is not the walk's" 0 '\[3-third 3/3\] kernel \(plan\)' plan
stamp HEAD >"$WORK/bisect/build/vm/built"
check "the last commit is not built again when the walk's build is of its tree" 0 \
	"\[3-third 3/3\] nothing, built already in $WORK/bisect/build/vm \(plan\)" plan
stamp HEAD~1 >"$WORK/bisect/build/vm/built"
check "a build of another tree does not count" 0 '\[3-third 3/3\] kernel \(plan\)' plan
printf 'tree %s fragments 0\n' "$(tree_git rev-parse 'HEAD^{tree}')" >"$WORK/bisect/build/vm/built"
check "nor one of other fragments" 0 '\[3-third 3/3\] kernel \(plan\)' plan
rm -f "$WORK/build/vm/built" "$WORK/bisect/build/vm/built"
check "the plan makes no checkout" nonzero '' test -e "$WORK/bisect/linux"
check "the plan checks nothing out" 0 '' test "$(tree_git symbolic-ref --short HEAD)" = 3-third
tree_git checkout -q -b wip
commit "after the postings" mm/a.c
check "a commit after the last posting is refused" nonzero \
	"HEAD has 1 commits after 3-third, the last posting's branch" plan
tree_git checkout -q 3-third
tree_git branch -q -D wip

# A walk, with the builds replaced by scripts that log the commit they got.
top=$TMP/top
mkdir -p "$top/scripts" "$top/kernel"
cp "$TOP/scripts/bisect-build.sh" "$TOP/scripts/lib.sh" "$top/scripts/"
cp "$TOP/kernel/vm.config" "$TOP/kernel/mm-selftests.config" "$top/kernel/"
for what in build build-tests; do
	cat >"$top/scripts/$what.sh" <<EOS
#!/bin/bash
subject=\$(git -C "\$TREE" log -1 --format=%s)
out=\${BUILD_DIR:-\${1:-}}
echo "$what \$subject \${1:-}" >>"$TMP/builds"
echo "\$TREE \$out" >>"$TMP/where"
echo "a prefix" >"\$out/vmlinux"
for file in arch/x86/boot/bzImage .config lib/test_hmm.ko kselftest/mm/hmm-tests; do
	mkdir -p "\$out/\$(dirname "\$file")"
	echo "\$subject" >"\$out/\$file"
done
[ ! -e "\$TREE/include/linux/y.h" ] || stat -c '%.9Y' "\$TREE/include/linux/y.h" >>"$TMP/y-times"
[ ! -e "\$TREE/mm/b.c" ] || stat -c '%.9Y' "\$TREE/mm/b.c" >>"$TMP/b-times"
[ "\$(git -C "\$TREE" log -1 --format=%s)" != "\${FAIL_AT:-}" ]
EOS
	chmod +x "$top/scripts/$what.sh"
done
cat >"$top/scripts/build-mm-selftests.sh" <<EOS
#!/bin/bash
subject=\$(git -C "\$TREE" log -1 --format=%s)
echo "build-mm-selftests \$subject \$1" >>"$TMP/builds"
mkdir -p "\$2"
echo "\$subject" >"\$2/run_vmtests.sh"
EOS
chmod +x "$top/scripts/build-mm-selftests.sh"
(. "$top/scripts/lib.sh" && build_stamp HEAD "$top/kernel/vm.config" "$top/kernel/mm-selftests.config") >"$WORK/build/vm/built"
echo "the vm build" >"$WORK/build/vm/vmlinux"
touch -m -d @1000000000 "$TREE/mm/a.c" "$TREE/include/linux/y.h"
walk() { rm -f "$TMP/builds" "$TMP/y-times" "$TMP/where"; "$top/scripts/bisect-build.sh"; }
check "a walk passes when every prefix builds" 0 'all 8 prefixes of the series build' walk
check "it builds the prefixes its plan names, newest first" 0 '' diff - "$TMP/builds" <<EOF
build comments in a header, code in a .c file vm
build comment in a header vm
build selftests and documentation vm
build-tests documentation only $WORK/bisect/build/vm
build-tests kernel change $WORK/bisect/build/vm
build selftests first vm
build base vm
build-mm-selftests base $WORK/bisect/build/vm
EOF
check "every build is in the walk's own checkout and build folder" 0 \
	"^$WORK/bisect/linux $WORK/bisect/build/vm\$" sort -u "$TMP/where"
check "a header that changed only in comments kept its time for the build" 0 '' \
	test "$(sed -n 1p "$TMP/y-times")" = "$(sed -n 2p "$TMP/y-times")"
check "the build stage's kernel is left alone" 0 '^the vm build$' cat "$WORK/build/vm/vmlinux"
check "the tree stays on its branch" 0 '' test "$(tree_git symbolic-ref --short HEAD)" = 3-third
check "the first posting's boot kit holds its kernel" 0 '^selftests first$' \
	cat "$WORK/build/posting-1-first/arch/x86/boot/bzImage"
check "... its config, test_hmm.ko and hmm-tests, at the paths of a build" 0 '' \
	test -f "$WORK/build/posting-1-first/.config" -a -f "$WORK/build/posting-1-first/lib/test_hmm.ko" \
	-a -f "$WORK/build/posting-1-first/kselftest/mm/hmm-tests"
check "... and the build stamp of the posting's last commit" 0 '' \
	test "$(cat "$WORK/build/posting-1-first/built")" = "$(stamp 1-first)"
check "the second posting's boot kit holds its kernel" 0 '^selftests and documentation$' \
	cat "$WORK/build/posting-2-second/kselftest/mm/hmm-tests"
check "the last posting has none" nonzero '' test -e "$WORK/build/posting-3-third"
check "the base's boot kit holds the base's kernel" 0 '^base$' \
	cat "$WORK/build/base/arch/x86/boot/bzImage"
check "... the mm selftests built from the base" 0 '^base$' \
	cat "$WORK/build/base/mm-selftests/run_vmtests.sh"
check "... and the base's build stamp" 0 '' \
	test "$(cat "$WORK/build/base/built")" = "$(stamp base)"
rm -f "$TMP/builds"
check "--base builds the base's kit alone, when it is current nothing" 0 \
	'\[base\] nothing, its boot kit is current' "$top/scripts/bisect-build.sh" --base
check "... no prefix of the series" nonzero '' test -e "$TMP/builds"
echo stale >"$WORK/build/base/built"
check "--base builds a stale kit again" 0 '\[base\] kernel \+ boot kit' "$top/scripts/bisect-build.sh" --base
check "... and only the base" 0 '' diff - "$TMP/builds" <<EOF
build base vm
build-mm-selftests base $WORK/bisect/build/vm
EOF
check "the tree's files keep their times: the walk never checks it out" 0 '^1000000000 1000000000$' \
	sh -c 'echo $(stat -c %Y "$1" "$2")' - "$TREE/mm/a.c" "$TREE/include/linux/y.h"
check "a prefix whose kernel does not build fails the walk, naming it" nonzero \
	'the series does not build at 1-first 1/1: selftests first' \
	env FAIL_AT="selftests first" "$top/scripts/bisect-build.sh"
check "and so does one whose tests do not build" nonzero \
	'the selftests do not build at 2-second 1/4: kernel change' \
	env FAIL_AT="kernel change" "$top/scripts/bisect-build.sh"
check "the tree stays on its branch after it" 0 '' test "$(tree_git symbolic-ref --short HEAD)" = 3-third
check "and the build stage's kernel is left alone" 0 '^the vm build$' cat "$WORK/build/vm/vmlinux"
echo "left by a walk" >>"$WORK/bisect/linux/mm/a.c"
check "a walk after one that stopped part-way starts afresh from the last commit" 0 \
	'all 8 prefixes of the series build' walk
check "... with nothing of it left in the checkout" 0 '' \
	test -z "$(git -C "$WORK/bisect/linux" status --porcelain)"
rm -rf "$TREE/.git/worktrees"
check "a walk after the tree was made anew makes its checkout again" 0 \
	'checkout of no tree any more: made again' walk

# A C file that defines a macro in both branches of an #if, as
# mm/page_alloc.c does, compared for comments only: nothing in the log.
printf '#ifdef A\n#define f() 1\n#else\n#define f() 2\n#endif\n' >"$TREE/mm/b.c"
commit "a macro in both branches"
echo "/* a comment */" >>"$TREE/mm/b.c"
commit "a comment after it"
# quiet_plan: the plan, failing if it fails or prints a compiler warning.
quiet_plan() {
	local out rc=0
	out=$("$TOP/scripts/bisect-build.sh" --plan 2>&1) || rc=$?
	printf '%s\n' "$out"
	[ "$rc" -eq 0 ] && ! grep -qE 'warning|note:' <<<"$out"
}
check "the comparison for comments prints no compiler warning, in a plan that ends" 0 \
	'^bisect-build: boot kits \(plan\): ' quiet_plan
check "and undoing the comment builds nothing" 0 '\[3-third 4/5\] nothing \(plan\).*a macro in both branches' \
	"$TOP/scripts/bisect-build.sh" --plan

# A file that a comment-only step gave its time back keeps it through the
# next step, which changes another file: b.c's time at every build is the
# one it had at the first.
commit "code in a.c" mm/a.c
echo "/* one more comment */" >>"$TREE/mm/b.c"
commit "a comment in b.c"
commit "code in a.c again" mm/a.c
rm -f "$TMP/b-times"
check "a walk over a comment-only step and a step after it" 0 'all 13 prefixes of the series build' walk
check "the file the comment-only step kept keeps its time through the next step" 0 '^1$' \
	sh -c "sort -u '$TMP/b-times' | wc -l"
check "... which built the kernel" 0 '^build a comment after it vm$' cat "$TMP/builds"
done_testing
