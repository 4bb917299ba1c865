#!/bin/bash
# The developer loop on a tiny made-up kernel tree (KERNEL_SRC) with two
# postings: tree.sh applies series/ posting by posting, a branch each,
# export.sh writes them back deterministically with their cover letters
# and subject prefixes, a tree that disagrees with series/ is caught, a
# stack that is not one is refused, a patch that does not apply is named
# with its posting and the postings under it.
. "$(dirname "$0")/lib.sh"

src=$TMP/linux
mkdir -p "$src/mm"
printf 'kernelversion:\n\t@echo 7.3.0\n' >"$src/Makefile"
printf 'int a;\nint b;\n' >"$src/mm/memremap.c"
printf 'int x;\n' >"$src/mm/rmap.c"
git -C "$src" init -q
git -C "$src" add -A
git -C "$src" -c user.name=t -c user.email=t@example.invalid commit -q -m v7.3

export KERNEL_SRC=$src WORK=$TMP/work CACHE=$TMP/cache SERIES_ROOT=$TMP/series POSTINGS=$TMP/postings
mkdir -p "$SERIES_ROOT"
echo "# no postings yet" >"$POSTINGS"
tree=$WORK/linux
tgit() { git -C "$tree" -c user.name=t -c user.email=t@example.invalid "$@"; }
branch() { git -C "$tree" symbolic-ref --short HEAD; }

check "base from KERNEL_SRC" 0 "Linux 7.3.0" "$TOP/scripts/base.sh"
check "an empty series/ gives the bare base" 0 "Linux 7.3.0 \+ 0 patches" "$TOP/scripts/tree.sh"
check "... on the branch zdfolio" 0 "^zdfolio$" branch

# Two postings: a fix, then a feature of two patches for mm-new.
tgit checkout -q -b 1-fixes
echo 'int c;' >>"$tree/mm/memremap.c"
tgit commit -q -am "mm: add c" -m "Because c is needed."
tgit config branch.1-fixes.description "mm: the fix

The cover letter's own words."
tgit checkout -q -b 2-feature
echo 'int d;' >>"$tree/mm/memremap.c"
tgit commit -q -am "mm: add d"
echo 'int y;' >>"$tree/mm/rmap.c"
# Per-patch changes below "---", as a v3 carries them: each version's own,
# after a "---" of its own.
tgit commit -q -am "mm: add y" -m "---
v3: y is an int now
---
v2: y was a long"
tgit config branch.2-feature.description "mm: the feature

Built on the fix."
tgit config branch.2-feature.zdfolio-prefix "PATCH mm-new"
printf '# comment\n1-fixes    private\n2-feature  private coherent\n' >"$POSTINGS"

check "export writes each posting into its folder" 0 "wrote 5 files in 2 postings" "$TOP/scripts/export.sh"
check "the first posting's cover letter keeps its words" 0 "^The cover letter's own words.$" \
	cat "$SERIES_ROOT/1-fixes/0000-cover-letter.patch"
check "... and its one patch is numbered in it" 0 "^Subject: \[PATCH 1/1\] mm: add c$" \
	cat "$SERIES_ROOT/1-fixes/0001-mm-add-c.patch"
check "the second posting's patches are numbered in it, with its prefix" 0 \
	"^Subject: \[PATCH mm-new 2/2\] mm: add y$" cat "$SERIES_ROOT/2-feature/0002-mm-add-y.patch"
check "... and so is its cover letter" 0 "^Subject: \[PATCH mm-new 0/2\] mm: the feature$" \
	cat "$SERIES_ROOT/2-feature/0000-cover-letter.patch"
check "the changes below --- go into the patch, above the diffstat" 0 "" \
	sh -c "sed -n '/^---$/,/^ mm/p' '$SERIES_ROOT/2-feature/0002-mm-add-y.patch' | tr '\n' '|' | grep -qx -- '---|v3: y is an int now|---|v2: y was a long|---| mm/rmap.c | 1 +|'"
check "the second posting holds only its own patches" 0 "^0000-cover-letter.patch 0001-mm-add-d.patch 0002-mm-add-y.patch $" \
	sh -c "ls '$SERIES_ROOT/2-feature' | tr '\n' ' '"
check "index lines use a fixed 12-digit abbreviation, not one that grows with the repo" 0 \
	"^index [0-9a-f]{12}\.\.[0-9a-f]{12} " cat "$SERIES_ROOT/1-fixes/0001-mm-add-c.patch"
check "a stored patch has its commit's patch-id (send.sh's prerequisite-patch-id)" 0 "" \
	test "$(git patch-id --stable <"$SERIES_ROOT/1-fixes/0001-mm-add-c.patch" | cut -c 1-40)" = \
	"$(tgit show 1-fixes | git patch-id --stable | cut -c 1-40)"
cp -r "$SERIES_ROOT" "$TMP/first"
check "exporting an unchanged tree changes nothing" 0 "" \
	sh -c "'$TOP/scripts/export.sh' && diff -r '$TMP/first' '$SERIES_ROOT'"
check "series/ in sync passes the check" 0 "series/ matches the tree \(5 files in 2 postings\)" \
	"$TOP/scripts/export.sh" --check
tgit config branch.2-feature.description "$(git -C "$tree" config branch.2-feature.description)
 

"
check "blank lines at the end of a branch description change nothing in the export" 0 \
	"series/ matches the tree" "$TOP/scripts/export.sh" --check

# What series/ holds beside the postings is named, never deleted.
mkdir "$SERIES_ROOT/3-old"
touch "$SERIES_ROOT/3-old/0000-cover-letter.patch"
check "a folder of no posting fails the check, named" nonzero "series/3-old is not in the tree" \
	"$TOP/scripts/export.sh" --check
check "export keeps it, and says that the other scripts refuse it" 0 "series/3-old is not in .*postings" \
	"$TOP/scripts/export.sh"
check "... kept" 0 "" test -e "$SERIES_ROOT/3-old/0000-cover-letter.patch"
rm -r "$SERIES_ROOT/3-old"

# HEAD beside the stack, on commits no posting holds.
tgit checkout -q --detach base
tgit commit -q --allow-empty -m "beside the stack"
check "a HEAD beside the stack is refused, saying so" nonzero \
	"HEAD is not on the stack of the posting branches: it holds 1 commits that 2-feature, the last posting's branch, does not" \
	"$TOP/scripts/export.sh"
tgit checkout -q 2-feature

# A commit on another branch, after the last posting's.
tgit checkout -q -b wip
echo 'int e;' >>"$tree/mm/memremap.c"
tgit commit -q -am "mm: add e"
check "a commit after the last posting's branch is refused by export" nonzero \
	"HEAD has 1 commits after 2-feature, the last posting's branch" \
	"$TOP/scripts/export.sh"
check "... and by the check, saying what to do" nonzero \
	"commit them into a posting: git rebase -i --update-refs base" "$TOP/scripts/export.sh" --check
tgit checkout -q -B 2-feature
tgit branch -q -D wip
check "a tree commit missing from series/ fails the check, naming the file" nonzero \
	"series/2-feature/0003-mm-add-e.patch is missing" "$TOP/scripts/export.sh" --check
check "make would not throw that work away" nonzero "holds work that series/ does not" \
	"$TOP/scripts/tree.sh"
check "RESET=1 rebuilds the tree from series/" 0 "\+ 3 patches in 2 postings, on branch 2-feature" \
	env RESET=1 "$TOP/scripts/tree.sh"
check "the rebuilt tree matches series/ again" 0 "" "$TOP/scripts/export.sh" --check
check "... and keeps the changes below --- that git am dropped from the commit" 0 \
	"^v3: y is an int now$" git -C "$tree" log -1 --format=%B 2-feature
check "... all of them, past a --- between two versions' changes" 0 \
	"^v2: y was a long$" git -C "$tree" log -1 --format=%B 2-feature
check "... and a run of tree.sh keeps it" 0 "is at base \+ series/ \(3 patches in 2 postings\)" \
	"$TOP/scripts/tree.sh"
check "the rebuilt tree is on the last posting's branch" 0 "^2-feature$" branch
tgit checkout -q 1-fixes
check "a tree on an earlier posting's branch is not taken for the series" nonzero \
	"matches series/, but is not on the last posting's branch 2-feature" "$TOP/scripts/tree.sh"
tgit checkout -q 2-feature
check "each posting's branch is on its last commit" 0 "^mm: add c / mm: add y$" \
	sh -c "echo \"\$(git -C '$tree' log -1 --format=%s 1-fixes) / \$(git -C '$tree' log -1 --format=%s 2-feature)\""
check "the one-branch layout's branch is gone" nonzero "" tgit rev-parse -q --verify refs/heads/zdfolio
check "the cover letters come back from series/" 0 "^Built on the fix.$" \
	git -C "$tree" config branch.2-feature.description
check "and so does the subject prefix" 0 "^PATCH mm-new$" \
	git -C "$tree" config branch.2-feature.zdfolio-prefix

# Amending a posting without --update-refs leaves the next one behind.
tgit checkout -q 1-fixes
tgit commit -q --amend -m "mm: add c, amended"
tgit checkout -q 2-feature
check "export refuses branches that are no linear stack" nonzero \
	"the posting branches are no linear stack: 1-fixes is not an ancestor of 2-feature" \
	"$TOP/scripts/export.sh"
tgit branch -q -f 1-fixes 2-feature~2
tgit checkout -q --detach
tgit branch -q -D 2-feature
check "export refuses a posting without its branch" nonzero \
	"no branch 2-feature in .*, though .*postings lists it" "$TOP/scripts/export.sh"
tgit checkout -q -B 2-feature 1-fixes
check "... and one whose branch holds no commit of its own" nonzero \
	"the posting 2-feature has no commit of its own" "$TOP/scripts/export.sh"

# A tree made by the one-branch layout: branch zdfolio, no posting branches.
env RESET=1 "$TOP/scripts/tree.sh" >/dev/null 2>&1
tgit checkout -q -B zdfolio
tgit branch -q -D 1-fixes 2-feature
check "a tree of the one-branch layout does not match series/" nonzero \
	"holds work that series/ does not: it was made for one series \(branch zdfolio\)" \
	"$TOP/scripts/tree.sh"
check "... and RESET=1 rebuilds it" 0 "\+ 3 patches in 2 postings" env RESET=1 "$TOP/scripts/tree.sh"

# series/ that cannot be applied: checked before the tree is touched.
cp "$SERIES_ROOT/1-fixes/0001-mm-add-c.patch" "$SERIES_ROOT/2-feature/0003-mm-add-c.patch"
check "the same patch in two postings is named in both, before anything is applied" nonzero \
	"1-fixes/0001-mm-add-c.patch and 2-feature/0003-mm-add-c.patch are the same patch" \
	env RESET=1 "$TOP/scripts/tree.sh"
check "... and the tree is left as it was" 0 "^2-feature$" branch
rm "$SERIES_ROOT/2-feature/0003-mm-add-c.patch"

sed -i 's/^ int c;$/ int C;/' "$SERIES_ROOT/2-feature/0001-mm-add-d.patch"
check "a patch that does not apply is named with its posting and the postings under it" nonzero \
	"2-feature/0001-mm-add-d.patch does not apply on the base \+ 1-fixes$" \
	env RESET=1 "$TOP/scripts/tree.sh"
check "... with the file that fails" nonzero "failing file\(s\): mm/memremap.c" \
	env RESET=1 "$TOP/scripts/tree.sh"
cp "$TMP/first/2-feature/0001-mm-add-d.patch" "$SERIES_ROOT/2-feature/"
sed -i 's/^ int x;$/ int X;/' "$SERIES_ROOT/2-feature/0002-mm-add-y.patch"
check "a later patch of a posting is the one named" nonzero \
	"2-feature/0002-mm-add-y.patch does not apply on the base \+ 1-fixes$" \
	env RESET=1 "$TOP/scripts/tree.sh"
sed -i 's/^ int b;$/ int B;/' "$SERIES_ROOT/1-fixes/0001-mm-add-c.patch"
check "a patch of the first posting does not apply on the base" nonzero \
	"1-fixes/0001-mm-add-c.patch does not apply on the base$" \
	env RESET=1 "$TOP/scripts/tree.sh"
done_testing
