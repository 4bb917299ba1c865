#!/bin/bash
# bisect-build.sh [--plan]: every prefix of the series must build the VM
# kernel on its own, so that git bisect never lands on a broken commit.
# --plan prints what each prefix would get and builds nothing.
#
# The walk goes backwards, from the last commit to the first, building
# each prefix incrementally where make check's build stage built the last
# one, $WORK/build/vm: what prefix N rebuilds is what patch N+1 changed.
# No prefix is a whole kernel, and every version of a header the series
# changes is compiled once; walking forwards would start with a whole
# kernel of the first prefix, whose headers nothing else has compiled.
# The last commit is built first unless build.sh's stamp in build/vm
# names exactly its tree and fragments. That build is kept aside in
# build/vm-tip meanwhile and put back at the end, pass or fail. (A copy
# elsewhere would not do: tools/objtool records its build folder, so a
# copy relinks objtool, and then every object objtool checks is rebuilt.)
#
# Undoing a patch that changes only selftests leaves the kernel as it was,
# so only the test programs are built; undoing a patch that changes only
# documentation, or only comments in C files, needs nothing. The tree
# then returns to its branch, and the files the walk rewrote get back
# their times, so that build/vm, put back, is up to date with them.

. "$(dirname "$0")/lib.sh"

plan=
[ "${1:-}" != --plan ] || plan=yes
branch=$(branch_of_clean_tree)
mapfile -t commits < <(tgit rev-list base..HEAD)
total=${#commits[@]}
[ "$total" -gt 0 ] || { note "no patches: nothing to bisect"; exit 0; }

out=$WORK/build/vm
kept=$WORK/build/vm-tip
mapfile -t fragments < <(profile_fragments vm)

# what_to_build COMMIT: what the prefix before COMMIT needs built once
# COMMIT's prefix is: "tests" when COMMIT changes only selftests and
# documentation, "nothing" when only documentation (comments in C files
# count as such), else "kernel".
what_to_build() {
	local file what=nothing
	while IFS= read -r file; do
		case "$file" in
		Documentation/*) ;;
		tools/testing/selftests/*) what=tests ;;
		*) comments_only "$1^" "$1" "$file" || { echo kernel; return; } ;;
		esac
	done < <(tgit diff-tree --no-commit-id --name-only -r "$1")
	echo "$what"
}

# comments_only FROM TO FILE: do the revisions FROM and TO differ in the C
# file FILE only in its comments, blank lines and spacing within lines?
# Whether a kernel builds cannot depend on those, and a kernel-doc change
# to a header would otherwise cost a rebuild of all that includes it.
# gcc -fpreprocessed drops the comments and keeps every directive as it is
# written; -w, as -dD would warn of a macro defined in both branches of an
# #if (mm/page_alloc.c's pcpu_task_pin), which is no error here.
comments_only() {
	local before after
	case "$3" in *.[ch]) ;; *) return 1 ;; esac
	before=$(c_code "$1:$3") && after=$(c_code "$2:$3") && [ "$before" = "$after" ]
}
c_code() {
	tgit show "$1" 2>/dev/null | gcc -w -fpreprocessed -dD -E -P -x c - |
		sed -E 's/[[:space:]]+/ /g; s/^ //; s/ $//; /^$/d'
}

# file_times: for each path of the tree read on stdin, "TIME PATH" with its
# modification time; set_times: give the files of such lines those times.
file_times() {
	local file
	while IFS= read -r file; do
		printf '%s %s\n' "$(stat -c %.9Y "$TREE/$file")" "$file"
	done
}
set_times() {
	local time file
	while read -r time file; do
		touch -m -d "@$time" "$TREE/$file"
	done
}

# checkout COMMIT: check COMMIT out; a C file that changes only in its
# comments keeps its time, or make would rebuild all that includes it
# (which is what skipping the build of a comment-only patch is for).
checkout() {
	local from file unchanged
	from=$(tgit rev-parse HEAD)
	unchanged=$(tgit diff --name-only "$from" "$1" -- '*.[ch]' |
		while IFS= read -r file; do
			! comments_only "$from" "$1" "$file" || echo "$file"
		done | file_times)
	tgit checkout -q "$1"
	[ -z "$unchanged" ] || set_times <<<"$unchanged"
}

# build COMMIT WHAT: check COMMIT out and build WHAT of it in $out.
build() {
	checkout "$1"
	case "$2" in
	kernel)
		ALLOW_NEW_SYMBOLS=1 "$TOP/scripts/build.sh" vm >/dev/null ||
			die "the series does not build at patch $n/$total: $subject" \
				"log: $out/build.log"
		;;
	tests)
		"$TOP/scripts/build-tests.sh" "$out" ||
			die "the selftests do not build at patch $n/$total: $subject" \
				"log: $out/kselftest/mm/build.log"
		;;
	esac
}

# keep_tip, put_back_tip: the last commit's build (and its config folder)
# aside for the walk, and back.
keep_tip() {
	local dir
	for dir in "$out" "$out-config"; do
		[ ! -d "$dir" ] || cp -a "$dir" "$kept${dir#"$out"}"
	done
}
put_back_tip() {
	local dir
	for dir in "$out" "$out-config"; do
		[ ! -d "$kept${dir#"$out"}" ] || { rm -rf "$dir" && mv "$kept${dir#"$out"}" "$dir"; }
	done
}

# The series' files as they are now, with their modification times, and
# putting those times back once the same content is checked out again.
times=$WORK/build/bisect-times
save_times() {
	tgit diff --name-only --diff-filter=d base..HEAD | file_times >"$times"
}
restore_times() {
	set_times <"$times"
}

# At the end, in this order: the branch, the times of its files, the build.
if [ -z "$plan" ]; then
	rm -rf "$kept" "$kept-config"
	save_times
	trap 'tgit checkout -q "$branch" && restore_times && put_back_tip' EXIT
fi
for ((i = 0; i < total; i++)); do
	n=$((total - i))
	subject=$(tgit log -1 --format=%s "${commits[i]}")
	if [ "$i" -gt 0 ]; then
		what=$(what_to_build "${commits[i - 1]}")
	elif [ "$(cat "$out/built" 2>/dev/null)" = "$(build_stamp "${commits[0]}" "${fragments[@]}")" ]; then
		what="nothing, built already in $out"
	else
		what=kernel
	fi
	start=$SECONDS
	if [ -z "$plan" ]; then
		build "${commits[i]}" "$what"
		[ "$i" -gt 0 ] || keep_tip
	fi
	note "[$n/$total] $what${plan:+ (plan)}, $((SECONDS - start)) s: $subject"
done
[ -n "$plan" ] || note "all $total prefixes of the series build"
