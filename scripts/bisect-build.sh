#!/bin/bash
# bisect-build.sh [--plan]: every prefix of the series must build the VM
# kernel on its own, so that git bisect never lands on a broken commit.
# --plan prints what each prefix would get and builds nothing.
#
# The walk goes backwards, from the last commit to the first, building
# each prefix incrementally in $WORK/build/bisect: what prefix N rebuilds
# is what patch N+1 changed. It starts from a copy of make check's build
# of the last commit ($WORK/build/vm, when build.sh's stamp there names
# exactly that tree and fragments), so no prefix is a whole kernel and
# every version of a header the series changes is compiled once. Walking
# forwards would start with a whole kernel of the first prefix, whose
# headers nothing else has compiled.
#
# Undoing a patch that changes only selftests leaves the kernel as it was,
# so only the test programs are built; undoing a patch that changes only
# documentation, or only comments in C files, needs nothing. The tree then returns to its branch, and the files the
# walk rewrote get back their times, so that the next incremental build
# of the tip does not redo what the walk touched.

. "$(dirname "$0")/lib.sh"

plan=
[ "${1:-}" != --plan ] || plan=yes
branch=$(branch_of_clean_tree)
mapfile -t commits < <(tgit rev-list base..HEAD)
total=${#commits[@]}
[ "$total" -gt 0 ] || { note "no patches: nothing to bisect"; exit 0; }

out=$WORK/build/bisect
vm=$WORK/build/vm
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
		*) comments_only "$1" "$file" || { echo kernel; return; } ;;
		esac
	done < <(tgit diff-tree --no-commit-id --name-only -r "$1")
	echo "$what"
}

# comments_only COMMIT FILE: does COMMIT change the C file FILE only in its
# comments, blank lines and spacing within lines? Whether a kernel builds
# cannot depend on those, and a kernel-doc change to a header would
# otherwise cost a rebuild of all that includes it. gcc -fpreprocessed
# drops the comments and keeps every directive as it is written.
comments_only() {
	local before after
	case "$2" in *.[ch]) ;; *) return 1 ;; esac
	before=$(c_code "$1^:$2") && after=$(c_code "$1:$2") && [ "$before" = "$after" ]
}
c_code() {
	tgit show "$1" 2>/dev/null | gcc -fpreprocessed -dD -E -P -x c - |
		sed -E 's/[[:space:]]+/ /g; s/^ //; s/ $//; /^$/d'
}

# build COMMIT WHAT: check COMMIT out and build WHAT of it in $out.
build() {
	tgit checkout -q "$1"
	case "$2" in
	kernel)
		ALLOW_NEW_SYMBOLS=1 BUILD_DIR=$out "$TOP/scripts/build.sh" vm >/dev/null ||
			die "the series does not build at patch $n/$total: $subject" \
				"log: $out/build.log"
		;;
	tests)
		"$TOP/scripts/build-tests.sh" "$out" ||
			die "the selftests do not build at patch $n/$total: $subject" \
				"log: $out/kselftest/mm/build.log"
		;;
	copy)
		rm -rf "$out"
		cp -a "$vm" "$out"
		;;
	esac
}

# The series' files as they are now, with their modification times, and
# putting those times back once the same content is checked out again.
times=$WORK/build/bisect-times
save_times() {
	(cd "$TREE" && tgit diff --name-only --diff-filter=d base..HEAD |
		while IFS= read -r file; do
			printf '%s %s\n' "$(stat -c %.9Y "$file")" "$file"
		done) >"$times"
}
restore_times() {
	local time file
	while read -r time file; do
		touch -m -d "@$time" "$TREE/$file"
	done <"$times"
}

if [ -z "$plan" ]; then
	save_times
	trap 'tgit checkout -q "$branch" && restore_times' EXIT
fi
for ((i = 0; i < total; i++)); do
	n=$((total - i))
	subject=$(tgit log -1 --format=%s "${commits[i]}")
	if [ "$i" -gt 0 ]; then
		what=$(what_to_build "${commits[i - 1]}")
	elif [ "$(cat "$vm/built" 2>/dev/null)" = "$(build_stamp "${commits[0]}" "${fragments[@]}")" ]; then
		what=copy
	else
		what=kernel
	fi
	start=$SECONDS
	[ -n "$plan" ] || build "${commits[i]}" "$what"
	[ "$what" != copy ] || what="copied from $vm, built there"
	note "[$n/$total] $what${plan:+ (plan)}, $((SECONDS - start)) s: $subject"
done
[ -n "$plan" ] || note "all $total prefixes of the series build"
