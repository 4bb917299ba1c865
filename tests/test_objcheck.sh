#!/bin/bash
# scripts/objcheck.sh's comparison of object warnings, base against tip, on
# a made-up tree with a stand-in make that "compiles" an object by warning
# about each line "WARN TEXT" of its .c file (and fails on one that says
# BROKEN): a warning the base has too passes, even where the series moved
# it; one the series adds, or has more often than the base, fails, named
# with its object; the base is compiled only for objects that warn at the
# tip, and not at all when none does.
. "$(dirname "$0")/lib.sh"

# The workshop's scripts in a top of their own, with made-up objects and
# config fragment for the profile drivers.
top=$TMP/top
mkdir -p "$top/kernel" "$TMP/bin"
cp -r "$TOP/scripts" "$top/"
printf 'drivers mm/a.o\ndrivers mm/b.o\ndrivers mm/c.o\nppc mm/p.o\n' >"$top/kernel/objects"
printf 'CONFIG_MADE_UP=y\n' >"$top/kernel/drivers.config"

export TREE=$TMP/tree WORK=$TMP/work CACHE=$TMP/cache SPARSE=/bin/true MAKE_LOG=$TMP/made
mkdir -p "$TREE/scripts/kconfig" "$TREE/mm"
printf '#!/bin/sh\necho 1\n' >"$TREE/scripts/checker-valid.sh"
# merge_config.sh -m -O OUT CONFIG FRAGMENT...: the fragments after CONFIG.
printf '#!/bin/sh\nout=$3\nshift 4\ncat "$@" >>"$out/.config"\n' >"$TREE/scripts/kconfig/merge_config.sh"
chmod +x "$TREE/scripts/checker-valid.sh" "$TREE/scripts/kconfig/merge_config.sh"

# make -C SRC O=OUT ... TARGET: a config or prepare does nothing much; an
# object is logged as "OUT-FOLDER OBJECT" in MAKE_LOG and warns as gcc
# does, "SRC/FILE:LINE:COLUMN: warning: TEXT".
cat >"$TMP/bin/make" <<'STUB'
#!/bin/bash
for arg; do
	case $prev in -C) src=$arg ;; esac
	case $arg in O=*) out=${arg#O=} ;; esac
	prev=$arg
done
target=$arg
case $target in
olddefconfig) ;;
*defconfig) mkdir -p "$out" && echo "# made up" >"$out/.config" ;;
*.o)
	echo "${out##*/} $target" >>"$MAKE_LOG"
	c=$src/${target%.o}.c
	[ -e "$c" ] || { echo "make: *** No rule to make target '$target'"; exit 2; }
	grep -q BROKEN "$c" && { echo "$c:1:1: error: broken"; exit 2; }
	awk -v f="$c" '/WARN / { sub(/.*WARN /, ""); print f ":" NR ":5: warning: " $0 }' "$c"
	;;
esac
exit 0
STUB
chmod +x "$TMP/bin/make"
export PATH=$TMP/bin:$PATH

printf 'int a;\n// WARN unused variable a\n' >"$TREE/mm/a.c"
printf 'int b;\n' >"$TREE/mm/b.c"
printf 'int c;\n' >"$TREE/mm/c.c"
tree_git init -q -b main
tree_git add -A
tree_git commit -q -m base
tree_git tag base
# objcheck [REV]: objcheck.sh drivers, from a fresh MAKE_LOG.
# shellcheck disable=SC2120
objcheck() { rm -f "$MAKE_LOG"; "$top/scripts/objcheck.sh" drivers "$@"; }
# made REV: the objects compiled at REV (tip or base), on one line.
made() { sed -n "s/^drivers-$1 //p" "$MAKE_LOG" 2>/dev/null | paste -sd ' '; }

# The series moves a.c's warning down a line.
sed -i '1i int a0;' "$TREE/mm/a.c"
tree_git commit -q -am "moves a warning"
check "a warning the base has too passes, though the series moved it" 0 \
	"^ok  mm/a.o \(1 warnings at the tip, each on the base too\)$" objcheck
check "... an object without one says so" 0 "^ok  mm/c.o \(no warning at the tip\)$" objcheck
check "... every object is compiled at the tip" 0 "^mm/a.o mm/b.o mm/c.o$" made tip
check "... and on the base only the one that warns at the tip" 0 "^mm/a.o$" made base

# A new warning in b.c, and a.c's warning once more.
printf '// WARN unused variable b\n' >>"$TREE/mm/b.c"
printf '// WARN unused variable a\n' >>"$TREE/mm/a.c"
tree_git commit -q -am "new warnings"
check "a warning the series adds fails, the objects counted" nonzero \
	"the series adds warnings to 2 objects \(drivers\)" objcheck
check "... named with its object" nonzero "^new warnings in mm/b.o:$" objcheck
check "... the warning without the worktree's path and line number" nonzero \
	"^mm/b.c: warning: unused variable b$" objcheck
check "... and one the tip has more often than the base is new too" nonzero "^new warnings in mm/a.o:$" objcheck
check "... once" 0 "" test "$(objcheck 2>&1 | grep -c '^mm/a.c: warning: unused variable a$')" = 1
check "... both compiled on the base" 0 "^mm/a.o mm/b.o$" made base
check "REV names the commit to check: the one before passes" 0 "no new warnings" objcheck HEAD~1

# Nothing warns at the tip.
sed -i '/WARN/d' "$TREE/mm/a.c" "$TREE/mm/b.c"
tree_git commit -q -am "no warnings"
check "with no warning at the tip the base is not compiled" 0 \
	"no object warns at the tip; the base is not compiled" objcheck
check "... not one object of it" 0 "^$" made base

# An object the base does not have; one that does not build.
printf 'int d;\n// WARN unused variable d\n' >"$TREE/mm/d.c"
tree_git add mm/d.c
tree_git commit -q -m "a new file"
echo "drivers mm/d.o" >>"$top/kernel/objects"
check "an object that does not build on the base is compared anyway" nonzero \
	"mm/d.o does not build on the base; compared anyway" objcheck
check "... all its warnings new" nonzero "^mm/d.c: warning: unused variable d$" objcheck
echo "BROKEN" >>"$TREE/mm/c.c"
check "uncommitted changes are refused without REV" nonzero "has uncommitted changes" objcheck
tree_git commit -q -am "broken"
check "an object that does not build with the series fails, named" nonzero \
	"mm/c.o does not build with the series \(drivers\)" objcheck
done_testing
