#!/bin/bash
# The developer loop on a tiny made-up kernel tree (KERNEL_SRC): tree.sh
# applies series/, export.sh writes it back deterministically, a tree that
# disagrees with series/ is caught, a patch that does not apply is named.
. "$(dirname "$0")/lib.sh"

src=$TMP/linux
mkdir -p "$src/mm"
printf 'kernelversion:\n\t@echo 7.3.0\n' >"$src/Makefile"
printf 'int a;\nint b;\n' >"$src/mm/memremap.c"
git -C "$src" init -q
git -C "$src" add -A
git -C "$src" -c user.name=t -c user.email=t@example.invalid commit -q -m v7.3

export KERNEL_SRC=$src WORK=$TMP/work CACHE=$TMP/cache SERIES=$TMP/series
mkdir -p "$SERIES"
tree=$WORK/linux
tgit() { git -C "$tree" -c user.name=t -c user.email=t@example.invalid "$@"; }

check "base from KERNEL_SRC" 0 "Linux 7.3.0" "$TOP/scripts/base.sh"
check "an empty series/ gives the bare base" 0 "Linux 7.3.0 \+ 0 patches" "$TOP/scripts/tree.sh"

echo 'int c;' >>"$tree/mm/memremap.c"
tgit commit -q -am "mm: add c" -m "Because c is needed."
tgit config branch.zdfolio.description "mm: the subject

The cover letter's own words."
check "export writes the cover letter and the patch" 0 "wrote 2 files" "$TOP/scripts/export.sh"
check "the cover letter keeps its words" 0 "^The cover letter's own words.$" \
	cat "$SERIES/0000-cover-letter.patch"
check "index lines use a fixed 12-digit abbreviation, not one that grows with the repo" 0 \
	"^index [0-9a-f]{12}\.\.[0-9a-f]{12} " cat "$SERIES/0001-mm-add-c.patch"
cp -r "$SERIES" "$TMP/first"
check "exporting an unchanged tree changes nothing" 0 "" \
	sh -c "'$TOP/scripts/export.sh' && diff -r '$TMP/first' '$SERIES'"
check "series/ in sync passes the check" 0 "series/ matches the tree" \
	"$TOP/scripts/export.sh" --check

echo 'int d;' >>"$tree/mm/memremap.c"
tgit commit -q -am "mm: add d"
check "a tree commit missing from series/ fails the check" nonzero \
	"series/ and the tree .* disagree" "$TOP/scripts/export.sh" --check
check "make would not throw that work away" nonzero "holds work that series/ does not" \
	"$TOP/scripts/tree.sh"
check "RESET=1 rebuilds the tree from series/" 0 "\+ 1 patches" env RESET=1 "$TOP/scripts/tree.sh"
check "the rebuilt tree matches series/ again" 0 "" "$TOP/scripts/export.sh" --check
check "and its cover letter comes back from series/" 0 "The cover letter's own words" \
	git -C "$tree" config branch.zdfolio.description

echo 'int e;' >>"$tree/mm/memremap.c"
tgit commit -q -am "mm: add e"
check "export writes the second patch" 0 "wrote 3 files" "$TOP/scripts/export.sh"
sed -i 's/^ int c;$/ int C;/' "$SERIES/0002-mm-add-e.patch"
check "a later patch that does not apply is the one named" nonzero \
	"0002-mm-add-e.patch does not apply" env RESET=1 "$TOP/scripts/tree.sh"

sed -i 's/^ int b;$/ int B;/' "$SERIES/0001-mm-add-c.patch"
check "a patch that does not apply is named with its file" nonzero \
	"0001-mm-add-c.patch does not apply.*|failing file\(s\): mm/memremap.c" \
	env RESET=1 "$TOP/scripts/tree.sh"
done_testing
