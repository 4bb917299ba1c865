#!/bin/bash
# bisect-build.sh [--plan]: every prefix of the series must build the VM
# kernel on its own, so that git bisect never lands on a broken commit.
# Checks out each commit after "base" in turn and builds it,
# incrementally, in $WORK/build/bisect; the tree goes back to its branch
# afterwards. Same paths as the main build, so ccache serves most of each
# prefix. --plan prints what each commit would get and builds nothing.
#
# Two kinds of commit need less than a whole build: one that changes only
# selftests leaves the kernel as the previous prefix built it, so only the
# test programs are built (and a documentation-only one needs nothing);
# and the last one is not built again when $WORK/build/vm holds a build of
# exactly its tree and fragments (build.sh's stamp: make check's build
# stage).

. "$(dirname "$0")/lib.sh"

plan=
[ "${1:-}" != --plan ] || plan=yes
branch=$(branch_of_clean_tree)
commits=$(tgit rev-list --reverse base..HEAD)
[ -n "$commits" ] || { note "no patches: nothing to bisect"; exit 0; }

out=$WORK/build/bisect
mapfile -t fragments < <(profile_fragments vm)

# what_to_build COMMIT: "tests" when the commit changes only selftests and
# documentation, "nothing" when only documentation, else "kernel".
what_to_build() {
	local file what=nothing
	while IFS= read -r file; do
		case "$file" in
		Documentation/*) ;;
		tools/testing/selftests/*) what=tests ;;
		*) echo kernel; return ;;
		esac
	done < <(tgit diff-tree --no-commit-id --name-only -r "$1")
	echo "$what"
}

# build COMMIT WHAT: check COMMIT out and build WHAT of it.
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
	esac
}

[ -n "$plan" ] || trap 'tgit checkout -q "$branch"' EXIT
n=0
total=$(wc -w <<<"$commits")
kernel_built=
for commit in $commits; do
	n=$((n + 1))
	subject=$(tgit log -1 --format=%s "$commit")
	what=$(what_to_build "$commit")
	# A commit's kernel is the previous one's only once this run built one.
	[ -n "$kernel_built" ] || what=kernel
	if [ "$n" -eq "$total" ] &&
		[ "$(cat "$WORK/build/vm/built" 2>/dev/null)" = "$(build_stamp "$commit" "${fragments[@]}")" ]; then
		what="built already in $WORK/build/vm"
	fi
	[ "$what" != kernel ] || kernel_built=yes
	start=$SECONDS
	[ -n "$plan" ] || build "$commit" "$what"
	note "[$n/$total] $what${plan:+ (plan)}, $((SECONDS - start)) s: $subject"
done
[ -n "$plan" ] || note "all $total prefixes of the series build"
