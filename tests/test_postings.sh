#!/bin/bash
# The postings of series/ as scripts/lib.sh's helpers read them (and refuse
# a series/ that kernel/postings does not describe), and
# scripts/postings-vm.sh, which boots the kernel at the end of each posting
# but the last from its boot kit, with stand-ins for initramfs.sh, vm.sh
# and report.py that record what they were asked.
. "$(dirname "$0")/lib.sh"

top=$TMP/top
mkdir -p "$top/scripts" "$top/kernel" "$top/vm"
cp "$TOP/scripts/lib.sh" "$TOP/scripts/postings-vm.sh" "$TOP/scripts/report.sh" "$top/scripts/"
cp "$TOP/kernel/vm.config" "$TOP/kernel/mm-selftests.config" "$top/kernel/"
cp "$TOP/vm/passes" "$top/vm/"
for what in initramfs.sh vm.sh report.py; do
	cat >"$top/scripts/$what" <<EOS
#!/bin/bash
echo "$what \${BUILD_DIR:-} \${RUN_DIR:-} \$*" >>"$TMP/runs"
[[ "$what \$*" != "report.py "*"\${FAIL_RUN:-none}"* ]]
EOS
	chmod +x "$top/scripts/$what"
done

export TREE=$TMP/tree WORK=$TMP/work SERIES_ROOT=$TMP/series POSTINGS=$TMP/postings
printf '# FOLDER PASS...\n1-a  private\n2-b  private coherent\n\n3-c  private coherent stress\n' >"$POSTINGS"
# posting NAME PREFIX PATCH...: the folder of NAME, its cover letter with
# the subject prefix PREFIX and its patches.
posting() {
	local name=$1 prefix=$2 patch
	shift 2
	mkdir -p "$SERIES_ROOT/$name"
	printf 'Subject: [%s 0/%s] %s\n' "$prefix" "$#" "$name" >"$SERIES_ROOT/$name/0000-cover-letter.patch"
	for patch; do
		printf 'Subject: [%s] %s\n' "$prefix" "$patch" >"$SERIES_ROOT/$name/$patch.patch"
	done
}
posting 1-a PATCH 0001-one 0002-two
posting 2-b "PATCH mm-new" 0001-three
posting 3-c "RFC PATCH" 0001-four 0002-five

# lib FUNCTION ARGS...: a helper of lib.sh, as a script calls it.
lib() {
	(. "$top/scripts/lib.sh" && "$@")
}
# words COMMAND...: COMMAND's lines on one, paths in series/ made short.
words() {
	"$@" | sed "s|^$SERIES_ROOT/||" | tr '\n' ' '
}
check "postings: the folders in order" 0 "^1-a 2-b 3-c $" words lib postings
check "series_patches: every posting's patches in order, no cover letter" 0 \
	"^1-a/0001-one.patch 1-a/0002-two.patch 2-b/0001-three.patch 3-c/0001-four.patch 3-c/0002-five.patch $" \
	words lib series_patches
check "posting_patches: one posting's" 0 "^$SERIES_ROOT/3-c/0001-four.patch$" lib posting_patches 3-c
check "posting_passes: its passes from kernel/postings" 0 "^private coherent$" lib posting_passes 2-b
check "posting_prefix: its cover letter's subject prefix" 0 "^PATCH mm-new$" lib posting_prefix 2-b
check "... more than one word before the number" 0 "^RFC PATCH$" lib posting_prefix 3-c

mv "$SERIES_ROOT/2-b/0000-cover-letter.patch" "$TMP/cover"
check "a folder without a cover letter is refused" nonzero "series/2-b has no cover letter" lib postings
check "... and a script that takes series_patches stops there" nonzero "^postings: error: .*series/2-b has no cover letter" \
	bash -c ". '$top/scripts/lib.sh'; STEP=postings; files=\$(series_patches); echo reached \$files"
check "... before it goes on" nonzero "" \
	sh -c "bash -c '. $top/scripts/lib.sh; files=\$(series_patches); echo reached' 2>&1 | grep -q reached"
mv "$TMP/cover" "$SERIES_ROOT/2-b/0000-cover-letter.patch"

posting 4-d PATCH 0001-six
check "a folder kernel/postings does not list is refused" nonzero "series/4-d is not in .*/postings" lib postings
rm -r "$SERIES_ROOT/4-d"
mv "$SERIES_ROOT/3-c" "$TMP/3-c"
check "a line of kernel/postings without its folder is refused" nonzero \
	"postings lists 3-c, but there is no .*series/3-c" lib postings
mv "$TMP/3-c" "$SERIES_ROOT/3-c"
touch "$SERIES_ROOT/0001-loose.patch"
check "a patch outside a posting's folder is refused" nonzero \
	"series holds patches outside a posting's folder: 0001-loose.patch" lib postings
rm "$SERIES_ROOT/0001-loose.patch"
mkdir "$SERIES_ROOT/misc"
check "anything else in series/ is refused" nonzero "series/misc is no posting folder" lib postings
rmdir "$SERIES_ROOT/misc"
cp "$POSTINGS" "$TMP/postings.good"
printf '2-b private\n1-a private\n' >"$POSTINGS"
check "kernel/postings out of the postings' order is refused" nonzero \
	"postings lists 1-a after a posting numbered 2" lib postings_listed
printf '1-a private\n2-b private nonesuch\n' >"$POSTINGS"
check "a pass vm/passes does not have is refused" nonzero \
	"postings gives 2-b the pass nonesuch, which vm/passes does not have" lib posting_passes 2-b
printf '1-a\n' >"$POSTINGS"
check "a posting without passes is refused" nonzero "postings names no passes for 1-a" lib posting_passes 1-a
cp "$TMP/postings.good" "$POSTINGS"

# The tree: a branch per posting, each on the one before.
mkdir -p "$TREE"
tree_git init -q -b 3-c
for commit in base one two three four five; do
	echo "$commit" >>"$TREE/file"
	tree_git add file
	tree_git commit -q -m "$commit"
done
tree_git tag base HEAD~5
tree_git branch 1-a HEAD~3
tree_git branch 2-b HEAD~2

vm() {
	rm -f "$TMP/runs"
	"$top/scripts/postings-vm.sh"
}
# vm_failing RUN: postings-vm.sh with the report on RUN failing.
vm_failing() {
	(export FAIL_RUN=$1 && vm)
}
stamp() { (. "$top/scripts/lib.sh" && build_stamp "$1" "$top/kernel/vm.config" "$top/kernel/mm-selftests.config"); }
kit=$WORK/build/posting
mkdir -p "$kit-1-a" "$kit-2-b"
stamp 1-a >"$kit-1-a/built"
check "a missing boot kit is refused, before any guest boots" nonzero \
	"no boot kit of the prefix 2-b: run make bisect" vm
check "... saying so" nonzero "posting-2-b/built is missing" vm
check "... nothing booted" nonzero "" test -e "$TMP/runs"
stamp 2-b~1 >"$kit-2-b/built"
check "a boot kit of another commit is refused" nonzero \
	"no boot kit of the prefix 2-b: run make bisect" vm
check "... saying so" nonzero "posting-2-b/built names another tree or config" vm
stamp 2-b >"$kit-2-b/built"
check "with both kits, the prefixes pass" 0 "the prefixes ending with 1-a 2-b pass their passes" vm
check "each kit is packed, booted with its posting's passes and reported on" 0 "" diff - "$TMP/runs" <<EOF
initramfs.sh $kit-1-a  vm
vm.sh $kit-1-a $WORK/run/posting-1-a vm private
report.py $kit-1-a $WORK/run/posting-1-a --run $WORK/run/posting-1-a --passes $top/vm/passes --expected $top/kernel/expected-failures --config $kit-1-a/.config private
initramfs.sh $kit-2-b  vm
vm.sh $kit-2-b $WORK/run/posting-2-b vm private coherent
report.py $kit-2-b $WORK/run/posting-2-b --run $WORK/run/posting-2-b --passes $top/vm/passes --expected $top/kernel/expected-failures --config $kit-2-b/.config private coherent
EOF
check "the last posting is left to the build, vm and report stages" 0 \
	"the last posting, 3-c, is the tree's tip" vm
check "a prefix whose report fails fails the run, named" nonzero \
	"the prefixes ending with 1-a fail their passes" vm_failing posting-1-a
check "... after the other prefixes ran too" 0 "^vm.sh $kit-2-b " cat "$TMP/runs"
tree_git checkout -q 2-b
echo amended >>"$TREE/file"
tree_git commit -q -a --amend -m "three, amended"
check "a kit of the posting as it was before an amend is stale" nonzero \
	"no boot kit of the prefix 2-b: run make bisect" vm

done_testing
