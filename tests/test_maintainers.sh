#!/bin/bash
# scripts/maintainers-check.sh on two made-up postings, with a stand-in
# get_maintainer.pl and the real kernel/maintainers: each patch is named
# with its posting, and each new file with the posting that adds it.
. "$(dirname "$0")/lib.sh"

export WORK=$TMP/work SERIES_ROOT=$TMP/series POSTINGS=$TMP/postings
TREE=$WORK/linux
printf '1-fix  private\n2-new  private\n' >"$POSTINGS"
mkdir -p "$TREE/scripts" "$SERIES_ROOT/1-fix" "$SERIES_ROOT/2-new"
# The lists of a patch: linux-mm unless it touches only drivers/; the
# MAINTAINERS entry of a file: MEMORY HOT(UN)PLUG for mm/tests/ (THE
# REST for every file once the tree has a file MOVED).
cat >"$TREE/scripts/get_maintainer.pl" <<'STUB'
#!/bin/sh
for arg; do last=$arg; done
case " $* " in
*" --sections "*)
	[ ! -e MOVED ] || { echo "THE REST"; exit 0; }
	case "$last" in mm/tests/*) echo "MEMORY HOT(UN)PLUG" ;; *) echo "THE REST" ;; esac ;;
*)
	grep -q '^diff --git a/mm/' "$last" && echo "linux-mm@kvack.org"
	echo "other@example.org" ;;
esac
STUB
chmod +x "$TREE/scripts/get_maintainer.pl"
tree_git init -q -b 2-new
tree_git add scripts
tree_git commit -q -m base
tree_git tag base
# commit POSTING FILE: a commit of POSTING that adds FILE, and its patch.
commit() {
	mkdir -p "$TREE/$(dirname "$2")"
	echo "$2" >"$TREE/$2"
	tree_git add "$2"
	tree_git commit -q -m "add $2"
	n=$(($(find "$SERIES_ROOT/$1" -name '0*.patch' ! -name '0000-*' | wc -l) + 1))
	tree_git format-patch -q --stdout -1 >"$SERIES_ROOT/$1/000$n-add.patch"
	echo "Subject: [PATCH 0/1] $1" >"$SERIES_ROOT/$1/0000-cover-letter.patch"
}
commit 1-fix mm/tests/zone_device_kunit.c
tree_git branch 1-fix
commit 2-new mm/tests/.kunitconfig
run() { "$TOP/scripts/maintainers-check.sh"; }

check "a patch that reaches its lists passes, named with its posting" 0 \
	"^ok  2-new/0001-add.patch: linux-mm@kvack.org other@example.org $" run
check "a new file is named with the posting that adds it" 0 \
	"^ok  new file mm/tests/zone_device_kunit.c \(1-fix\): MEMORY HOT\(UN\)PLUG$" run
check "... once: the next posting adds only its own" 0 "" \
	test "$(run 2>&1 | grep -c 'new file mm/tests/zone_device_kunit.c')" = 1

commit 2-new drivers/gpu/drm/nouveau/new.c
check "a patch that misses a list fails, named with its posting" nonzero \
	"^2-new/0002-add.patch: not sent to nouveau@lists.freedesktop.org" run
check "a new file outside its entry fails, with its posting" nonzero \
	"^new file drivers/gpu/drm/nouveau/new.c \(2-new\): no entry rule in kernel/maintainers$" run
check "... the patch and the file counted" nonzero "2 patches or new files do not reach their maintainers" run

commit 2-new fs/new.c
check "a path no rule of kernel/maintainers names fails, named" nonzero \
	"^2-new/0003-add.patch: no rule for fs/new.c in kernel/maintainers$" run
check "... counted with the rest" nonzero "4 patches or new files do not reach their maintainers" run

touch "$TREE/MOVED"
check "a new file whose entry is not the one kernel/maintainers names fails, both named" nonzero \
	"^new file mm/tests/zone_device_kunit.c \(1-fix\): not in the MAINTAINERS entry \"MEMORY HOT\(UN\)PLUG\"$" run

done_testing
