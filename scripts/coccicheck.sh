#!/bin/bash
# coccicheck.sh: the kernel's scripts/coccicheck, MODE=report, on every
# kernel .c file the series touches, at the tip; fails on any report that
# the same files do not already get on the base from the same rule. Every
# rule of scripts/coccinelle runs, including those with OCaml scripts
# (ocaml-nox).
# Needs the VM kernel's generated headers: run after 'make build'.

. "$(dirname "$0")/lib.sh"

need_tool spatch ocamlopt
[ -d "$TREE/.git" ] || die "no work tree at $TREE" "run 'make tree' first"
gen=$WORK/build/vm
[ -d "$gen/include/generated" ] || die "no VM kernel build in $gen" "run 'make build' first"

files=$(tgit diff --name-only --diff-filter=AM base..HEAD -- '*.c' ':!tools/')
[ -n "$files" ] || { note "the series touches no kernel .c file"; exit 0; }
files=$(tr '\n' ' ' <<<"$files")

# reports TREE NAME FILES [RULE]: coccicheck's reports on those of FILES
# (a list) that TREE has, each as "RULE<tab>REPORT" (cocci-reports.awk)
# without line numbers (warning_text); the log is cocci-NAME.log. Every
# rule runs, or only RULE. coccicheck's one-file mode runs each rule with
# the rule's own options and, with no debug file, echoes each spatch
# command before its reports (a debug file that exists would make it stop
# at once and pass); given the file list as its one argument, spatch reads
# all of the files in each run.
reports() {
	local src=$1 name=$2 log=$WORK/build/cocci-$2.log f present=
	for f in $3; do
		[ -e "$src/$f" ] && present+="$f "
	done
	[ -n "$present" ] || return 0
	note "coccicheck MODE=report, $name: $present${4:+($4) }(minutes)"
	(cd "$src" && C=2 MODE=report COCCI=${4:-} DEBUG_FILE=/dev/null SPFLAGS='' \
		srctree=. srcroot=. V=0 \
		LINUXINCLUDE="-Iarch/x86/include -I$gen/arch/x86/include/generated -Iinclude -I$gen/include -include include/linux/compiler-version.h -include include/linux/kconfig.h" \
		scripts/coccicheck "$present") >"$log" 2>&1 ||
		die "scripts/coccicheck failed on the $name" "log: $log"
	awk -f "$TOP/scripts/cocci-reports.awk" "$log" | warning_text "$src/"
}

# reports_parallel TREE NAME FILES: reports() on FILES split into one group
# per CPU, the largest files first, the groups run side by side (in its
# one-file mode coccicheck runs one spatch at a time). Together, sorted,
# each duplicate kept: a report twice at the tip and once on the base is
# new.
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
	LC_ALL=C sort "$WORK/build/cocci-$name"-*.reports
}

# base_reports: the base's reports by the rules that reported at the tip,
# each on the files it reported in; any other rule's report in any other
# file cannot be new.
base_reports() {
	local src rule i=0
	src=$(base_worktree)
	rm -f "$WORK/build/cocci-base"-*
	while IFS= read -r rule; do
		i=$((i + 1))
		reports "$src" "base-$i" "$(awk -F '\t' -v r="$rule" '$1 == r { sub(/:.*/, "", $2); print $2 }' <<<"$tip" |
			sort -u | tr '\n' ' ')" "$rule" || exit 1
	done < <(cut -f 1 <<<"$tip" | sort -u)
}

tip=$(reports_parallel "$TREE" tip "$files")
if [ -z "$tip" ]; then
	note "no coccicheck reports in $(wc -w <<<"$files") touched files"
	exit 0
fi

# The base's reports are kept for this base, spatch, rules and files. The
# key covers how they are read too, which may change: this script,
# cocci-reports.awk and warning_text. Rules and files each once: how often
# the tip has a report does not change what the base runs.
key=$( (tgit rev-parse base; spatch --version | head -1; cut -f 1 <<<"$tip" | sort -u
	cut -f 2 <<<"$tip" | cut -d : -f 1 | sort -u
	cat "$0" "$TOP/scripts/cocci-reports.awk"; declare -f warning_text) |
	sha256sum | cut -c1-16)
cached=$CACHE/coccicheck/base-$key
if [ -r "$cached" ]; then
	base=$(cat "$cached")
else
	base=$(base_reports) || exit 1
	mkdir -p "$CACHE/coccicheck"
	printf '%s\n' "$base" >"$cached"
fi
# Rules are compared too: a report the base has from one rule is no
# excuse for the same words from another.
added=$(new_against_base <(echo "$base") <(echo "$tip") | cut -f 2)
if [ -n "$added" ]; then
	printf 'new coccicheck reports:\n%s\n' "$added"
	die "the series adds $(wc -l <<<"$added") coccicheck reports"
fi
note "no new coccicheck reports ($(wc -l <<<"$tip") in the touched files on the base too)"
