#!/bin/bash
# bisect-build.sh [--plan | --base]: every prefix of the series must build
# the VM kernel on its own, so that git bisect never lands on a broken
# commit. The series is the stack of postings (base..HEAD of the tree);
# each prefix is named by its posting and its number there. --plan prints
# what each prefix would get and builds nothing; --base builds only the
# base's boot kit (below), for make selftests-mm.
#
# The walk has a checkout and a build folder of its own, $WORK/bisect/linux
# (a git worktree of the tree) and $WORK/bisect/build/vm: the tree and the
# build stage's kernel are never touched, so other checks may read them
# while it runs. They are laid out as the tree and its build are
# ($WORK/linux, $WORK/build/vm), and ccache sees paths under $WORK relative
# to the build folder (use_ccache): the walk's first build of the last
# commit finds in the cache every object the build stage compiled.
#
# The prefix that ends a posting (but the last) is a kernel someone will
# run: it is built whole (build.sh, whatever the patch after it changed)
# and its boot kit is kept in $WORK/build/posting-FOLDER (save_kit), from
# which postings-vm.sh boots it with that posting's passes. The last
# posting's kernel is the build stage's.
#
# The empty prefix, the base, ends the walk: its boot kit, with the
# kernel's own mm selftests built from the base's tools/testing (static,
# with the scripts that run them), is kept in $WORK/build/base, for
# selftests-mm.sh to run the same test programs on the base kernel and on
# the series'.
#
# The walk goes backwards, from the last commit to the first, building
# each prefix incrementally in the same folder: what prefix N rebuilds is
# what patch N+1 changed. Every version of a header the series changes is
# compiled once. The last commit is built first unless build.sh's stamp in
# the folder names exactly its tree and fragments; the walk leaves the
# folder at the first prefix, so the next walk starts by building what the
# whole series changes.
#
# Undoing a patch that changes only selftests leaves the kernel as it was,
# so only the test programs are built; undoing a patch that changes only
# documentation, or only comments in C files, needs nothing.

. "$(dirname "$0")/lib.sh"

plan=
base_only=
case "${1:-}" in
--plan) plan=yes ;;
--base) base_only=yes ;;
'') ;;
*) die "bisect-build.sh: unknown option $1" "usage: bisect-build.sh [--plan | --base]" ;;
esac
# Only commits are walked: what is not committed would go unchecked.
branch_of_clean_tree >/dev/null
ranges=$(posting_ranges)
last=$(last_posting_ref "$ranges")
head_in_postings "$last"
mapfile -t commits < <(tgit rev-list base..HEAD)
total=${#commits[@]}
[ "$total" -gt 0 ] || [ -n "$base_only" ] || { note "no patches: nothing to bisect"; exit 0; }

walk=$WORK/bisect
out=$walk/build/vm
base_kit=$WORK/build/base
mapfile -t fragments < <(profile_fragments vm)

# Each commit's posting and number in it ("2-b 3/7"), and the commits that
# end a posting but the last, whose prefix gets a boot kit. HEAD holds
# nothing after the last posting, so every commit is in one.
declare -A label_of kit_of
while read -r name from to; do
	[ -n "$name" ] || continue
	mapfile -t own < <(tgit rev-list --reverse "$from..$to")
	for ((k = 0; k < ${#own[@]}; k++)); do
		label_of[${own[k]}]="$name $((k + 1))/${#own[@]}"
	done
	[ "$to" = "$last" ] || kit_of[${own[-1]}]=$name
done <<<"$ranges"

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
	tgit checkout -q --detach "$1"
	[ -z "$unchanged" ] || set_times <<<"$unchanged"
}

# build COMMIT WHAT: check COMMIT out and build WHAT of it in $out.
build() {
	checkout "$1"
	case "$2" in
	kernel)
		ALLOW_NEW_SYMBOLS=1 BUILD_DIR=$out "$TOP/scripts/build.sh" vm >/dev/null ||
			die "the series does not build at $label: $subject" \
				"log: $out/build.log"
		;;
	tests)
		"$TOP/scripts/build-tests.sh" "$out" ||
			die "the selftests do not build at $label: $subject" \
				"log: $out/kselftest/mm/build.log"
		;;
	esac
}

# save_kit DIR COMMIT: the boot kit of the prefix COMMIT, from its whole
# build in $out, into DIR: what initramfs.sh and vm.sh read, at the same
# paths, so that BUILD_DIR pointed there boots it; the KUnit module that
# its .config asks for; the mm selftests when DIR is the base's. Last, once
# the rest is there, the build stamp of COMMIT as "built".
save_kit() {
	local dir=$1 file files
	files=(arch/x86/boot/bzImage .config lib/test_hmm.ko kselftest/mm/hmm-tests)
	case $(grep -s '^CONFIG_ZONE_DEVICE_KUNIT_TEST=' "$out/.config") in
	*=m) files+=(mm/tests/zone_device_kunit.ko) ;;
	*=y) files+=(kunit-module/zone_device_kunit.ko) ;;
	esac
	[ ! -f "$out/hmm-stress" ] || files+=(hmm-stress)
	rm -rf "$dir" "$dir.new"
	for file in "${files[@]}"; do
		[ -f "$out/$file" ] || die "no $out/$file for the boot kit $dir" "log: $out/build.log"
		mkdir -p "$dir.new/$(dirname "$file")"
		cp "$out/$file" "$dir.new/$file"
	done
	[ "$dir" != "$base_kit" ] ||
		"$TOP/scripts/build-mm-selftests.sh" "$out" "$dir.new/mm-selftests" ||
		die "the base's mm selftests do not build" "log: $dir.new/mm-selftests/build.log"
	build_stamp "$2" "${fragments[@]}" >"$dir.new/built"
	mv "$dir.new" "$dir"
}

# walk_tree: the walk's checkout, a worktree of the tree made once, and
# again when the tree it belonged to was made anew (make tree RESET=1).
walk_tree() {
	local dir=$walk/linux
	drop_lost_worktree "$dir"
	if [ ! -e "$dir/.git" ]; then
		mkdir -p "$walk"
		tgit worktree prune
		tgit worktree add --quiet --detach "$dir" "${commits[0]:-base}" >&2 ||
			die "cannot make the walk's checkout $dir" "remove it and retry"
	fi
	# Whatever an interrupted walk left changed goes. The index learns the
	# times that checkout() gave back first: reset --hard would write anew
	# every file whose time is not the one it recorded.
	git -C "$dir" update-index -q --refresh >/dev/null || true
	git -C "$dir" reset -q --hard
	echo "$dir"
}

# From here on the tree is the walk's own (the branches are the same).
if [ -z "$plan" ]; then
	TREE=$(walk_tree) || exit 1
	export TREE
	note "walking the series in $TREE, building in $out"
fi
kits=()
# --base: the base's kit alone, and no prefix of the series.
[ -z "$base_only" ] || total=0
for ((i = 0; i < total; i++)); do
	commit=${commits[i]}
	label=${label_of[$commit]}
	subject=$(tgit log -1 --format=%s "$commit")
	if [ "$i" -gt 0 ]; then
		what=$(what_to_build "${commits[i - 1]}")
	elif built_of "$out" "$commit" "${fragments[@]}"; then
		what="nothing, built already in $out"
	else
		what=kernel
	fi
	# A posting's end gets its whole kernel, for its boot kit.
	kit=${kit_of[$commit]:-}
	[ -z "$kit" ] || [[ "$what" == kernel || "$what" == nothing,* ]] || what=kernel
	start=$SECONDS
	if [ -z "$plan" ]; then
		build "$commit" "$what"
		[ -z "$kit" ] || save_kit "$WORK/build/posting-$kit" "$commit"
	fi
	[ -z "$kit" ] || kits+=("$WORK/build/posting-$kit")
	note "[$label] $what${kit:+ + boot kit posting-$kit}${plan:+ (plan)}, $((SECONDS - start)) s: $subject"
done
[ -n "$plan" ] || [ -n "$base_only" ] || note "all $total prefixes of the series build"

# The base, the empty prefix: its kernel whole, for its boot kit, unless
# the kit there is of the base and fragments as they are now.
start=$SECONDS
if built_of "$base_kit" base "${fragments[@]}"; then
	what="nothing, its boot kit is current"
else
	what=kernel
	if [ -z "$plan" ]; then
		label=base subject=$(tgit log -1 --format=%s base)
		build base kernel
		save_kit "$base_kit" base
	fi
fi
kits+=("$base_kit")
note "[base] $what + boot kit with the mm selftests${plan:+ (plan)}, $((SECONDS - start)) s"
note "boot kits${plan:+ (plan)}: ${kits[*]}"
