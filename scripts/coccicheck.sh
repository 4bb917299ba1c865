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

# reports TREE NAME FILES: coccicheck's reports on those of FILES (a list)
# that TREE has, without line numbers (the series moves code); the log is
# cocci-NAME.log. coccicheck's one-file mode runs every rule with the
# rule's own options; given the file list as its one argument, spatch
# reads all of the files in each run.
reports() {
	local src=$1 name=$2 log=$WORK/build/cocci-$2.log f present=
	for f in $3; do
		[ -e "$src/$f" ] && present+="$f "
	done
	[ -n "$present" ] || return 0
	note "coccicheck MODE=report, $name: $present(minutes)"
	(cd "$src" && C=2 MODE=report srctree=. srcroot=. V=0 \
		LINUXINCLUDE="-Iarch/x86/include -I$gen/arch/x86/include/generated -Iinclude -I$gen/include -include include/linux/compiler-version.h -include include/linux/kconfig.h" \
		scripts/coccicheck "$present") >"$log" 2>&1 ||
		die "scripts/coccicheck failed on the $name" "log: $log"
	{ grep -E '^[^ :]+\.c:[0-9]+' "$log" || true; } |
		sed -E -e 's/:[0-9]+(:[0-9-]+)?:/:/' -e 's/ at line [0-9]+/ at line N/g' |
		sort -u
}

# reports_parallel TREE NAME FILES: reports() on FILES split into one group
# per CPU, the largest files first, the groups run side by side (in its
# one-file mode coccicheck runs one spatch at a time).
reports_parallel() {
	local src=$1 name=$2 cpus i pid pids=() groups=() sorted
	cpus=$(nproc)
	mapfile -t sorted < <(for f in $3; do
		printf '%s %s\n' "$(stat -c %s "$src/$f" 2>/dev/null || echo 0)" "$f"
	done | sort -rn | cut -d ' ' -f 2)
	for i in "${!sorted[@]}"; do
		groups[i % cpus]+="${sorted[i]} "
	done
	rm -f "$WORK/build/cocci-$name"-*
	for i in "${!groups[@]}"; do
		reports "$src" "$name-$((i + 1))" "${groups[i]}" >"$WORK/build/cocci-$name-$((i + 1)).reports" &
		pids+=("$!")
	done
	for pid in "${pids[@]}"; do
		wait "$pid" || exit 1
	done
	sort -u "$WORK/build/cocci-$name"-*.reports
}

tip=$(reports_parallel "$TREE" tip "$files")
if [ -z "$tip" ]; then
	note "no coccicheck reports in $(wc -w <<<"$files") touched files"
	exit 0
fi

# Only when the tip has reports is the base worth its minutes, and only on
# the files with reports: a report in any other file cannot be new. Its
# reports are kept for this base, spatch and file list. The key covers
# this script too: how it reads the reports may change.
reported=$(cut -d : -f 1 <<<"$tip" | sort -u | tr '\n' ' ')
key=$( (tgit rev-parse base; spatch --version | head -1; echo "$reported"; cat "$0") |
	sha256sum | cut -c1-16)
cached=$CACHE/coccicheck/base-$key
if [ -r "$cached" ]; then
	base=$(cat "$cached")
else
	base=$(reports_parallel "$(base_worktree)" base "$reported")
	mkdir -p "$CACHE/coccicheck"
	printf '%s\n' "$base" >"$cached"
fi
added=$(comm -13 <(echo "$base") <(echo "$tip"))
if [ -n "$added" ]; then
	printf 'new coccicheck reports:\n%s\n' "$added"
	die "the series adds $(wc -l <<<"$added") coccicheck reports"
fi
note "no new coccicheck reports ($(wc -l <<<"$tip") in the touched files on the base too)"
