#!/bin/bash
# coccicheck.sh: the kernel's scripts/coccicheck, MODE=report, on every
# kernel .c file the series touches, at the tip; fails on any report that
# the same files do not already get on the base. Every rule of
# scripts/coccinelle runs, including those with OCaml scripts (ocaml-nox).
# Needs the VM kernel's generated headers: run after 'make build'.

. "$(dirname "$0")/lib.sh"

need_tool spatch ocamlopt
[ -d "$TREE/.git" ] || die "no work tree at $TREE" "run 'make tree' first"
gen=$WORK/build/vm
[ -d "$gen/include/generated" ] || die "no VM kernel build in $gen" "run 'make build' first"

files=$(tgit diff --name-only --diff-filter=AM base..HEAD -- '*.c' ':!tools/')
[ -n "$files" ] || { note "the series touches no kernel .c file"; exit 0; }
files=$(tr '\n' ' ' <<<"$files")

# reports TREE NAME: coccicheck's reports on $files in TREE, without line
# numbers (the series moves code). coccicheck's one-file mode runs every
# rule with the rule's own options; given the file list as its one
# argument, spatch reads all of the files in each run.
reports() {
	local src=$1 name=$2 log=$WORK/build/cocci-$2.log f present=
	for f in $files; do
		[ -e "$src/$f" ] && present+="$f "
	done
	note "coccicheck MODE=report on the $name (this takes minutes)"
	(cd "$src" && C=2 MODE=report srctree=. srcroot=. V=0 \
		LINUXINCLUDE="-Iarch/x86/include -I$gen/arch/x86/include/generated -Iinclude -I$gen/include -include include/linux/compiler-version.h -include include/linux/kconfig.h" \
		scripts/coccicheck "$present") >"$log" 2>&1 ||
		die "scripts/coccicheck failed on the $name" "log: $log"
	{ grep -E '^[^ :]+\.c:[0-9]+' "$log" || true; } |
		sed -E -e 's/:[0-9]+(:[0-9-]+)?:/:/' -e 's/ at line [0-9]+/ at line N/g' |
		sort -u
}

tip=$(reports "$TREE" tip)
if [ -z "$tip" ]; then
	note "no coccicheck reports in $(wc -w <<<"$files") touched files"
	exit 0
fi

# Only when the tip has reports is the base worth its minutes; its
# reports are kept for this base, spatch and file list.
# The key covers this script too: how it reads the reports may change.
key=$( (tgit rev-parse base; spatch --version | head -1; echo "$files"; cat "$0") |
	sha256sum | cut -c1-16)
cached=$CACHE/coccicheck/base-$key
if [ -r "$cached" ]; then
	base=$(cat "$cached")
else
	base=$(reports "$(base_worktree)" base)
	mkdir -p "$CACHE/coccicheck"
	printf '%s\n' "$base" >"$cached"
fi
added=$(comm -13 <(echo "$base") <(echo "$tip"))
if [ -n "$added" ]; then
	printf 'new coccicheck reports:\n%s\n' "$added"
	die "the series adds $(wc -l <<<"$added") coccicheck reports"
fi
note "no new coccicheck reports ($(wc -l <<<"$tip") in the touched files on the base too)"
