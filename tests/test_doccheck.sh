#!/bin/bash
# scripts/doccheck.sh and scripts/sphinxcheck.sh on a made-up tree, with a
# stand-in scripts/kernel-doc and a stand-in make htmldocs that warn about
# each line marked "BAD ..." of a file: a warning the series adds fails,
# named; one the base has too passes, even where the series moved it; a
# warning the tip has more often than the base is new (doccheck).
. "$(dirname "$0")/lib.sh"

export TREE=$TMP/tree WORK=$TMP/work CACHE=$TMP/cache
mkdir -p "$TREE/scripts" "$TREE/mm" "$TREE/Documentation/mm" "$TREE/Documentation/core-api" "$TMP/bin"
# kernel-doc -Wall -none FILE: "FILE:LINE: warning: TEXT" for each line
# "BAD TEXT" of FILE.
cat >"$TREE/scripts/kernel-doc" <<'STUB'
#!/bin/sh
for file; do :; done
awk -v f="$file" '/BAD / { sub(/.*BAD /, ""); sub(/ \*\/$/, ""); print f ":" NR ": warning: " $0 }' "$file" >&2
STUB
chmod +x "$TREE/scripts/kernel-doc"
printf 'int a;\n/* BAD a is not described */\n' >"$TREE/mm/a.c"
printf 'int b;\n' >"$TREE/mm/b.c"
printf 'Title\n=====\nBAD an old warning\n' >"$TREE/Documentation/mm/x.rst"
printf 'Core\n====\n' >"$TREE/Documentation/core-api/y.rst"
tree_git init -q -b main
tree_git add -A
tree_git commit -q -m base
tree_git tag base

# The stand-in make of sphinxcheck: make -C SRC O=OUT SPHINXDIRS=DIRS
# htmldocs, each "BAD TEXT" line of the .rst files of DIRS in SRC as
# "SRC/FILE:LINE: WARNING: TEXT", and the DIRS it got in DIRS-LOG.
cat >"$TMP/bin/make" <<'STUB'
#!/bin/bash
for arg; do
	case $prev in -C) src=$arg ;; esac
	case $arg in SPHINXDIRS=*) dirs=${arg#*=} ;; esac
	prev=$arg
done
echo "$dirs" >>"$DIRS_LOG"
[ ! -e "$src/Documentation/BROKEN" ] || { echo "Sphinx error"; exit 2; }
for dir in $dirs; do
	for file in "$src/Documentation/$dir"/*.rst; do
		awk -v f="$file" '/^BAD / { sub(/^BAD /, ""); print f ":" NR ": WARNING: " $0 }' "$file"
	done
done
STUB
printf '#!/bin/sh\nexit 0\n' >"$TMP/bin/sphinx-build"
# Room for the documentation builds, whatever the disk holds.
printf '#!/bin/sh\necho "Filesystem 1M-blocks Used Available Capacity Mounted"\necho "/dev/x 99999 0 99999 0%% /"\n' >"$TMP/bin/df"
chmod +x "$TMP/bin/"*
export PATH=$TMP/bin:$PATH DIRS_LOG=$TMP/dirs
doccheck() { "$TOP/scripts/doccheck.sh"; }
sphinxcheck() { rm -f "$DIRS_LOG"; "$TOP/scripts/sphinxcheck.sh"; }

check "doccheck: a series that touches no C file passes, saying so" 0 "touches no .c or .h file" doccheck
check "sphinxcheck: a series that touches no document passes, saying so" 0 \
	"touches no documentation built by Sphinx" sphinxcheck

# The series moves a.c's warning down a line, and mm/x.rst's down two.
sed -i '1i int a0;' "$TREE/mm/a.c"
sed -i '1i .. moved' "$TREE/Documentation/mm/x.rst"
sed -i '1i .. moved again' "$TREE/Documentation/mm/x.rst"
tree_git commit -q -am "moves"
check "doccheck: a warning the base has too passes, though it moved" 0 "^ok  mm/a.c$" doccheck
check "... and the count of files is given" 0 "no new kernel-doc warnings in 1 files" doccheck
check "sphinxcheck: a warning the base has too passes, though it moved" 0 \
	"no new documentation warnings in mm \(1 on the base too\)" sphinxcheck
check "... building only the folder the series touches" 0 "^mm $" cat "$DIRS_LOG"

# A new warning in a.c, and the old one once more.
printf '/* BAD b is not described */\n/* BAD a is not described */\n' >>"$TREE/mm/a.c"
echo 'int c;' >"$TREE/mm/c.h"
tree_git add mm/c.h
tree_git commit -q -am "new warnings"
check "doccheck: a new warning fails" nonzero "the series adds kernel-doc warnings to 1 files" doccheck
check "... named with its file, without its line number" 0 \
	"^new kernel-doc warnings in mm/a.c:$" sh -c "'$TOP/scripts/doccheck.sh' 2>/dev/null; true"
check "... the new one" 0 "^mm/a.c: warning: b is not described$" sh -c "'$TOP/scripts/doccheck.sh' 2>/dev/null; true"
check "... and the old one the tip has once more than the base" 0 "" \
	test "$("$TOP/scripts/doccheck.sh" 2>/dev/null | grep -c '^mm/a.c: warning: a is not described$')" = 1
check "... and a file without a warning passes" 0 "^ok  mm/c.h$" sh -c "'$TOP/scripts/doccheck.sh' 2>/dev/null; true"

# A file the series adds: all of its warnings are new.
printf '/* BAD d is not described */\n' >"$TREE/mm/d.c"
tree_git add mm/d.c
tree_git commit -q -m "a new file"
check "doccheck: a warning in a file the series adds is new" 0 "^mm/d.c: warning: d is not described$" \
	sh -c "'$TOP/scripts/doccheck.sh' 2>/dev/null; true"
check "... two files now" nonzero "adds kernel-doc warnings to 2 files" doccheck
tree_git rm -q mm/b.c
tree_git commit -q -m "a file removed"
check "... a file the series removes is not read" 0 "" \
	sh -c "! '$TOP/scripts/doccheck.sh' 2>&1 | grep -q mm/b.c && '$TOP/scripts/doccheck.sh' 2>&1 | grep -q '^ok  mm/c.h$'"

# Documents: a new warning, in another folder the series touches.
printf 'BAD a new warning\n' >>"$TREE/Documentation/core-api/y.rst"
tree_git commit -q -am "a new document warning"
check "sphinxcheck: a new warning fails, counted" nonzero "the series adds 1 documentation warnings" sphinxcheck
check "... named without the tree's path and line number" nonzero \
	"^Documentation/core-api/y.rst: WARNING: a new warning$" sphinxcheck
check "... both folders the series touches are built" 0 "^core-api mm $" cat "$DIRS_LOG"
check "... the base in a worktree, the tree left on its branch" 0 "" \
	test "$(tree_git symbolic-ref --short HEAD)" = main -a -e "$WORK/build/base-tree/.git"
touch "$TREE/Documentation/BROKEN"
check "sphinxcheck: documentation that does not build fails, with the log" nonzero \
	"the documentation does not build at the tip" sphinxcheck
rm "$TREE/Documentation/BROKEN"

# The series fixes every document: the tip has no warning at all.
sed -i '/^BAD /d' "$TREE/Documentation/mm/x.rst" "$TREE/Documentation/core-api/y.rst"
tree_git commit -q -am "no document warnings"
check "sphinxcheck: a tip without any warning passes" 0 \
	"no new documentation warnings in mm \(1 on the base too\)" sphinxcheck
done_testing
