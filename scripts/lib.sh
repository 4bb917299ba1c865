# Common definitions for the workshop scripts; sourced, never run.
# Every path and knob a script uses is set here from the environment that
# the Makefile exports, with the same defaults the README documents.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${WORK:-$TOP/work}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/zdfolio}
JOBS=${JOBS:-$(($(nproc) + 1))}
ACCEL=${ACCEL:-tcg}
KERNEL_SRC=${KERNEL_SRC:-}

TREE=${TREE:-$WORK/linux}

# series/ holds the postings, patch series that are each their own mail
# thread and apply in order onto the base: series/N-NAME/ (N 1 to 9, the
# order), each one git format-patch --cover-letter output. kernel/postings
# names them and the guest passes each one's prefix must pass. In the
# tree, each posting is a branch of that name, on the one before it. The
# harness's tests point both at their own.
SERIES_ROOT=${SERIES_ROOT:-$TOP/series}
POSTINGS=${POSTINGS:-$TOP/kernel/postings}
POSTING_RE='^[1-9]-[A-Za-z0-9][A-Za-z0-9._-]*$'

# The helpers below die in a subshell when a caller takes their output
# with $(...), where errexit is off: each call of one in another ends
# with "|| exit 1" so that the failure reaches the caller's assignment.

# shown PATH: PATH as messages give it, relative to the workshop inside it.
shown() {
	printf '%s\n' "${1#"$TOP"/}"
}

# postings_listed: the postings kernel/postings names, in order, one folder
# name a line (make export writes exactly these, series/ or not). Its
# lines are "FOLDER PASS...", in the order of the folders' numbers.
postings_listed() {
	local name last=0
	[ -r "$POSTINGS" ] || die "no $(shown "$POSTINGS")" \
		"list the postings of series/ there, one line 'FOLDER PASS...' each"
	while read -r name; do
		[[ "$name" =~ $POSTING_RE ]] ||
			die "$(shown "$POSTINGS") names '$name', which is no posting folder N-name (N 1 to 9)" \
				"name the postings as their folders in series/ are named"
		[ "${name%%-*}" -gt "$last" ] ||
			die "$(shown "$POSTINGS") lists $name after a posting numbered ${last}" \
				"list the postings in the order of their numbers, each number once"
		last=${name%%-*}
		printf '%s\n' "$name"
	done < <(awk '!/^[[:space:]]*(#|$)/ { print $1 }' "$POSTINGS")
}

# postings: the postings of series/, in order, one folder name a line,
# once series/ and kernel/postings agree: every folder has its line and
# every line its folder, each folder a cover letter and patches, and no
# patch lies outside a folder (as in the one-series layout).
postings() {
	local listed entry name loose=()
	listed=$(postings_listed) || exit 1
	for entry in "$SERIES_ROOT"/*.patch; do
		[ ! -e "$entry" ] || loose+=("${entry##*/}")
	done
	[ ${#loose[@]} -eq 0 ] ||
		die "$(shown "$SERIES_ROOT") holds patches outside a posting's folder: ${loose[*]}" \
			"each posting is a folder $(shown "$SERIES_ROOT")/N-name/: move them there (make export writes the folders of kernel/postings), or git rm them"
	for entry in "$SERIES_ROOT"/*; do
		[ -e "$entry" ] || continue
		name=${entry##*/}
		if [ ! -d "$entry" ] || ! [[ "$name" =~ $POSTING_RE ]]; then
			die "$(shown "$entry") is no posting folder" \
				"series/ holds only folders N-name/ (N 1 to 9), one per posting"
		fi
		grep -qxF "$name" <<<"$listed" ||
			die "$(shown "$entry") is not in $(shown "$POSTINGS")" \
				"add its line '$name PASS...' there, or remove the folder"
		[ -f "$entry/0000-cover-letter.patch" ] ||
			die "$(shown "$entry") has no cover letter" \
				"a posting is git format-patch --cover-letter output: make export writes it from the tree"
		[ -n "$(posting_patches "$name")" ] ||
			die "$(shown "$entry") has no patches" \
				"a posting holds its patches beside its cover letter: make export writes them from the tree"
	done
	for name in $listed; do
		[ -d "$SERIES_ROOT/$name" ] ||
			die "$(shown "$POSTINGS") lists $name, but there is no $(shown "$SERIES_ROOT/$name")" \
				"make export writes it from the tree's branch $name, or drop its line"
	done
	[ -z "$listed" ] || printf '%s\n' "$listed"
}

# posting_patches NAME: the stored patches of the posting NAME in order,
# one path a line, without the cover letter.
posting_patches() {
	local patch
	[ -d "$SERIES_ROOT/$1" ] || die "no posting $1 in $(shown "$SERIES_ROOT")"
	for patch in "$SERIES_ROOT/$1"/[0-9][0-9][0-9][0-9]-*.patch; do
		[ -e "$patch" ] || continue
		case "$patch" in */0000-cover-letter.patch) continue ;; esac
		printf '%s\n' "$patch"
	done
}

# series_patches: the stored patches of every posting, in order: the
# whole stack on the base, one path a line, without cover letters.
series_patches() {
	local names name
	names=$(postings) || exit 1
	for name in $names; do
		posting_patches "$name" || exit 1
	done
}

# The guest passes: vm/passes, or the file PASSES_FILE names (make bench's
# and make repro's own), one line "PASS MEMORY CMDLINE HMM" each.
PASSES_FILE=${PASSES_FILE:-$TOP/vm/passes}

# pass_names: the passes of $PASSES_FILE, in its order, one a line.
pass_names() {
	awk '!/^[[:space:]]*(#|$)/ { print $1 }' "$PASSES_FILE"
}

# pass_line PASS: "MEMORY CMDLINE HMM", the rest of the line of PASS in
# $PASSES_FILE; fails naming the passes there are.
pass_line() {
	local line
	line=$(awk -v pass="$1" '!/^[[:space:]]*#/ && $1 == pass { $1 = ""; print; exit }' "$PASSES_FILE")
	[ -n "$line" ] || die "no pass '$1' in $(shown "$PASSES_FILE")" \
		"use one of: $(pass_names | xargs)"
	printf '%s\n' "${line# }"
}

# posting_passes NAME: the passes of vm/passes that the kernel at the end
# of the posting NAME must pass, from kernel/postings, on one line.
posting_passes() {
	local passes pass
	passes=$(awk -v name="$1" '!/^[[:space:]]*#/ && $1 == name { $1 = ""; print }' "$POSTINGS" | xargs)
	[ -n "$passes" ] || die "$(shown "$POSTINGS") names no passes for $1" \
		"give it a line '$1 PASS...' with the passes of vm/passes its prefix must pass"
	for pass in $passes; do
		pass_names | grep -qxF "$pass" ||
			die "$(shown "$POSTINGS") gives $1 the pass $pass, which $(shown "$PASSES_FILE") does not have" \
				"use one of: $(pass_names | xargs)"
	done
	echo "$passes"
}

# subject_prefix MAIL: what the Subject of MAIL has between "[" and its
# patch number: "PATCH mm-new" for "[PATCH mm-new 0/3]", "PATCH" for
# "[PATCH]".
subject_prefix() {
	sed -n -E '/^Subject: \[/ { s/^Subject: \[([^]]*)\].*/\1/; s/ [0-9]+\/[0-9]+$//; p; q; }' "$1"
}

# posting_prefix NAME: the subject prefix of the posting NAME, from its
# stored cover letter ("PATCH mm-hotfixes").
posting_prefix() {
	local cover=$SERIES_ROOT/$1/0000-cover-letter.patch prefix
	[ -f "$cover" ] || die "$(shown "$SERIES_ROOT/$1") has no cover letter" \
		"make export writes it from the tree"
	prefix=$(subject_prefix "$cover")
	[ -n "$prefix" ] || die "$(shown "$cover") has no subject line 'Subject: [PREFIX 0/N] ...'" \
		"make export writes it from the tree"
	printf '%s\n' "$prefix"
}

# posting_ranges: "NAME FROM TO" for each posting of kernel/postings, in
# order: its commits in the tree are FROM..TO, TO its branch and FROM the
# branch before it (the tag base for the first). Dies when a branch is
# missing, holds no commit of its own, or does not stand on the one before
# (git rebase -i --update-refs moves them all together).
posting_ranges() {
	local names name from=base
	names=$(postings_listed) || exit 1
	for name in $names; do
		tgit rev-parse -q --verify "refs/heads/$name^{commit}" >/dev/null ||
			die "no branch $name in $TREE, though $(shown "$POSTINGS") lists it" \
				"make tree makes a branch per posting; or point one at the posting's last commit: git branch $name COMMIT"
		tgit merge-base --is-ancestor "$from" "refs/heads/$name" ||
			die "the posting branches are no linear stack: ${from#refs/heads/} is not an ancestor of $name" \
				"rebase them as one stack, each on the one before: git rebase -i --update-refs base"
		[ "$(tgit rev-parse "$from")" != "$(tgit rev-parse "refs/heads/$name")" ] ||
			die "the posting $name has no commit of its own: its branch is where ${from#refs/heads/} is" \
				"commit its patches on it (git rebase -i --update-refs base), or drop it from $(shown "$POSTINGS")"
		printf '%s %s %s\n' "$name" "$from" "refs/heads/$name"
		from=refs/heads/$name
	done
}

# last_posting_ref RANGES: the branch of the last posting in RANGES
# (posting_ranges' output), or base when there is none.
last_posting_ref() {
	if [ -n "$1" ]; then
		tail -n 1 <<<"$1" | cut -d ' ' -f 3
	else
		echo base
	fi
}

# head_in_postings LAST: fail when HEAD has commits after LAST, the last
# posting's branch (or base when there is none): export would leave them
# out of series/, and no posting's checks would see them.
head_in_postings() {
	local extra
	extra=$(tgit rev-list --count "$1..HEAD")
	[ "$extra" -eq 0 ] && return 0
	[ "$1" != base ] || die "HEAD has $extra commits after base, and $(shown "$POSTINGS") lists no posting" \
		"name the posting they belong to there, with a branch of that name on its last commit"
	tgit merge-base --is-ancestor "$1" HEAD ||
		die "HEAD is not on the stack of the posting branches: it holds $extra commits that ${1#refs/heads/}, the last posting's branch, does not" \
			"check out ${1#refs/heads/}, or commit them into a posting: git rebase -i --update-refs base"
	die "HEAD has $extra commits after ${1#refs/heads/}, the last posting's branch" \
		"commit them into a posting: git rebase -i --update-refs base"
}

# getmaint ARGS...: the tree's scripts/get_maintainer.pl with ARGS, never
# from git history (b4 does not use it, and a tarball tree has none).
getmaint() {
	(cd "$TREE" && perl scripts/get_maintainer.pl --no-git --no-git-fallback "$@")
}

# The author git needs for a patch before a human sends it; the send path
# replaces it and refuses to send while it is still there.
PLACEHOLDER_NAME="UNSENT PLACEHOLDER"
PLACEHOLDER_EMAIL="replace-me@zdfolio.invalid"

STEP=${0##*/}
STEP=${STEP%.sh}

die() {
	printf '%s: error: %s\n' "$STEP" "$1" >&2
	shift
	local line
	for line in "$@"; do
		printf '%s:   %s\n' "$STEP" "$line" >&2
	done
	exit 1
}

note() {
	printf '%s: %s\n' "$STEP" "$*" >&2
}

need_tool() {
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 ||
			die "'$tool' is not installed" "run 'make deps' (as root) to install the workshop's packages"
	done
}

# need_space DIR MIB WHAT: fail unless DIR's file system has MIB MiB free.
need_space() {
	local free
	free=$(df -Pm "$1" | awk 'NR == 2 { print $4 }')
	[ "$free" -ge "$2" ] ||
		die "only $free MiB free in $1; $3 needs about $2 MiB" \
			"free some space, or point WORK= / CACHE= at a larger disk"
}

# ccache in the cache folder, outside the clone; paths under $WORK are
# hashed relative to it and build stamps are fixed, so that unchanged
# sources hit the cache. Depend mode looks objects up by the source, the
# command line and the headers kbuild's -MMD names, and never runs the
# preprocessor: a cold kernel build with ccache's default mode, which
# preprocesses every miss once more to hash it, took 28 % longer than
# with plain gcc; in depend mode it takes no longer.
use_ccache() {
	export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
	export CCACHE_DEPEND=true
	export CCACHE_BASEDIR=$WORK
	export CCACHE_NOHASHDIR=true
	export CCACHE_SLOPPINESS=include_file_mtime,include_file_ctime,time_macros
	export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
	export KBUILD_BUILD_TIMESTAMP="2000-01-01" KBUILD_BUILD_USER=zdfolio KBUILD_BUILD_HOST=qemu
	# The CC and HOSTCC of every build: gcc through ccache, but not a
	# source that has an .incbin directive (scripts/ccache-cc says why).
	export CACHED_CC="$TOP/scripts/ccache-cc gcc"
}

# kunit_py_qemu BINDIR: the QEMU that kunit.py finds on PATH. kunit.py asks
# QEMU for KVM before TCG; with ACCEL=tcg it gets TCG only, through a link
# in BINDIR to qemu-tcg-only.sh.
kunit_py_qemu() {
	[ "$ACCEL" = tcg ] || return 0
	REAL_QEMU=$(command -v qemu-system-x86_64)
	export REAL_QEMU
	mkdir -p "$1"
	ln -sf "$TOP/scripts/qemu-tcg-only.sh" "$1/qemu-system-x86_64"
	PATH=$1:$PATH
}

# kunit_results LOG: the result lines of kunit.py's output in LOG (suite
# headers, per-case results, the totals), to stderr.
kunit_results() {
	grep -E '^\[[0-9:]+\] (=+ |Testing complete|.*(PASSED|FAILED|SKIPPED|CRASHED) )' "$1" >&2 || true
}

# tree_is_clean: does the work tree hold nothing uncommitted (untracked
# files aside)?
tree_is_clean() {
	[ -z "$(tgit status --porcelain --untracked-files=no)" ]
}

# branch_of_clean_tree: print the branch the work tree is on, after making
# sure it has no uncommitted change, for scripts that check out other
# revisions and must come back.
branch_of_clean_tree() {
	[ -d "$TREE/.git" ] || die "no work tree at $TREE" "run 'make tree' first"
	tree_is_clean || die "$TREE has uncommitted changes" "commit or stash them first"
	tgit symbolic-ref -q --short HEAD || die "$TREE is not on a branch"
}

# git inside the work tree, with an identity that never leaves this machine.
tgit() {
	git -C "$TREE" -c user.name="$PLACEHOLDER_NAME" \
		-c user.email="$PLACEHOLDER_EMAIL" "$@"
}

# checkpatch ARGS...: the tree's checkpatch.pl. Its SPDX check runs
# scripts/spdxcheck.py with the first python3 on PATH; Debian's has the
# python3-ply and python3-git modules it needs, so /usr/bin goes first.
checkpatch() {
	(cd "$TREE" && PATH=/usr/bin:$PATH ./scripts/checkpatch.pl "$@")
}

# profile_fragments PROFILE: the config fragments of a test kernel, one a
# line: kernel/vm.config, and over it kernel/mm-selftests.config for the
# vm profile, kernel/PROFILE.config for any other.
profile_fragments() {
	echo "$TOP/kernel/vm.config"
	if [ "$1" = vm ]; then
		echo "$TOP/kernel/mm-selftests.config"
	else
		echo "$TOP/kernel/$1.config"
	fi
}

# build_stamp REV FRAGMENT...: one line that names what a kernel is built
# from, the content of the work tree's REV and the config fragments;
# build.sh leaves it beside a build of a clean tree.
build_stamp() {
	printf 'tree %s fragments %s\n' "$(tgit rev-parse "$1^{tree}")" \
		"$(cat "${@:2}" | sha256sum | cut -d ' ' -f 1)"
}

# built_of DIR REV FRAGMENT...: does the build or boot kit in DIR carry the
# stamp of REV and the fragments as they are now?
built_of() {
	[ "$(cat "$1/built" 2>/dev/null)" = "$(build_stamp "${@:2}")" ]
}

# tree_has_history: does the tree know the upstream commits before the base?
# A tarball base does not, so checkpatch cannot look cited commits up, and
# check-patches.sh checks them against kernel/upstream-commits instead.
tree_has_history() {
	[ -n "$(tgit rev-list --max-count=1 base^ 2>/dev/null)" ]
}

# drop_lost_worktree DIR: remove the worktree DIR when the tree it was made
# of is gone (make tree RESET=1 makes the tree anew), so that it is made
# again: git can do nothing in it.
drop_lost_worktree() {
	if [ -e "$1/.git" ] && ! git -C "$1" rev-parse -q --verify HEAD >/dev/null 2>&1; then
		note "$1 is a checkout of no tree any more: made again"
		rm -rf "$1"
	fi
}

# worktree NAME REV: print the path of a detached checkout of REV beside
# the tree ($WORK/build/NAME, a git worktree made once), for checks that
# read a commit while the tree itself is elsewhere. Checks that run side
# by side share these: a lock keeps two from checking out at once.
worktree() {
	local dir=$WORK/build/$1 rev=$2 fd
	mkdir -p "$WORK/build"
	exec {fd}>"$WORK/build/.worktree.lock"
	flock "$fd"
	drop_lost_worktree "$dir"
	if [ -e "$dir/.git" ]; then
		git -C "$dir" checkout --quiet --detach "$rev" ||
			die "cannot check out $rev in $dir" "remove $dir and retry"
	else
		tgit worktree prune
		tgit worktree add --quiet --detach "$dir" "$rev" ||
			die "cannot check out $rev in $dir"
	fi
	exec {fd}>&-
	echo "$dir"
}

# base_worktree: the worktree of the base commit, for checks that compare
# base and tip.
base_worktree() {
	worktree base-tree base
}

# bzimage_is_current OUT: does the bzImage built in OUT carry the kernel
# linked there? Its payload, piggy.o, must hold the compressed image that
# piggy.S names (a stale piggy.o from ccache once booted another kernel:
# scripts/ccache-cc).
bzimage_is_current() {
	local dir=$1/arch/x86/boot/compressed image
	image=$(sed -n 's/^\.incbin "\(.*\)"$/\1/p' "$dir/piggy.S") || return
	[ -n "$image" ] || return
	objcopy -O binary -j .rodata..compressed "$dir/piggy.o" "$dir/piggy.payload" &&
		cmp -s "$dir/piggy.payload" "$1/$image"
}

# external_module OUT DIR KBUILD SOURCE...: build the sources as an external
# module against the kernel of $TREE built in OUT, in DIR (made afresh,
# the sources linked into it, KBUILD written as its Kbuild file); the log
# is DIR/build.log.
external_module() {
	local out=$1 dir=$2 kbuild=$3
	shift 3
	rm -rf "$dir"
	mkdir -p "$dir"
	ln -s "$@" "$dir/"
	printf '%s\n' "$kbuild" >"$dir/Kbuild"
	make -s -C "$TREE" O="$out" ARCH=x86_64 CC="$CACHED_CC" M="$dir" modules \
		>"$dir/build.log" 2>&1 ||
		die "$dir does not build as a module" "log: $dir/build.log"
}

# patch_notes PATCH: what PATCH says below its "---" line and above its
# diffstat, the per-patch changes that git format-patch keeps from a
# commit message ("---" and the lines after it) and git am drops: the
# blank lines before the first "---", it, and the lines up to the last
# "---" before the diff, the diffstat's (notes may hold "---" lines of
# their own); nothing when the patch has none.
patch_notes() {
	awk '/^diff --git / { exit }
		!cut && /^---$/ { cut = 1; block = blank "---\n"; next }
		!cut { blank = /^$/ ? blank "\n" : ""; next }
		/^---$/ { notes = block }
		{ block = block $0 "\n" }
		END { printf "%s", notes }' "$1"
}

# restore_notes DIR FROM PATCH...: give the commits FROM..HEAD of the git
# tree DIR, which one git am made of PATCH... in this order, the notes of
# their patches (patch_notes) back at the end of their messages, where the
# author wrote them; trees, authors and dates stay, and HEAD (its branch)
# moves to the last commit. Without it, series/ would lose them on its
# way through the tree.
restore_notes() {
	local dir=$1 from=$2 commits patches i parent msg notes
	shift 2
	patches=("$@")
	mapfile -t commits < <(git -C "$dir" rev-list --reverse "$from..HEAD")
	[ ${#commits[@]} -eq ${#patches[@]} ] ||
		die "git am made ${#commits[@]} commits of ${#patches[@]} patches in $dir" \
			"an empty or doubled patch? check the patches, then retry"
	msg=$(mktemp)
	notes=$(mktemp)
	parent=$(git -C "$dir" rev-parse "$from")
	for i in "${!commits[@]}"; do
		patch_notes "${patches[i]}" >"$notes"
		if [ ! -s "$notes" ] &&
			[ "$(git -C "$dir" rev-parse "${commits[i]}^")" = "$parent" ]; then
			parent=${commits[i]}
			continue
		fi
		{
			git -C "$dir" cat-file commit "${commits[i]}" | sed '1,/^$/d'
			cat "$notes"
		} >"$msg"
		parent=$(recommit "$dir" "${commits[i]}" "$parent" "$msg") || exit 1
	done
	rm -f "$msg" "$notes"
	git -C "$dir" update-ref -m "restore the notes below ---" HEAD "$parent"
}

# recommit DIR COMMIT PARENT MESSAGE: print a commit of DIR like COMMIT
# (tree, author, committer, dates) on PARENT, with the message in the
# file MESSAGE.
recommit() {
	local who
	mapfile -t who < <(git -C "$1" log -1 --date=raw \
		--format='%an%n%ae%n%ad%n%cn%n%ce%n%cd' "$2")
	GIT_AUTHOR_NAME=${who[0]} GIT_AUTHOR_EMAIL=${who[1]} GIT_AUTHOR_DATE=${who[2]} \
		GIT_COMMITTER_NAME=${who[3]} GIT_COMMITTER_EMAIL=${who[4]} GIT_COMMITTER_DATE=${who[5]} \
		git -C "$1" commit-tree "$2^{tree}" -p "$3" -F "$4"
}

# Warnings new against the base: doccheck.sh, sphinxcheck.sh, objcheck.sh
# and coccicheck.sh run a tool on the base and at the tip of the series and
# fail on what the tip says that the base does not. The same warning reads
# differently on the two, and alike in all four checks: the series moves
# code, so its line and column change, and base and tip are read in
# different worktrees or copies, so its path does. Counts matter: the
# series may add a second warning just like one the base has.

# warning_text [PREFIX...]: the warnings of stdin, one a line, as base and
# tip can share them: every PREFIX (a tree's path, "$src/") taken out, the
# line and column of every place "FILE:LINE[:COL[-COL]]" too ("mm/a.c:12:5:
# warning" becomes "mm/a.c: warning"; a file name ends in no digit, a time
# like 12:30 stays), "line 12" (coccinelle's "at line 12", "(line 12)")
# said as "line N"; sorted, each duplicate kept.
warning_text() {
	awk 'BEGIN { for (n = 1; n < ARGC; n++) prefix[n] = ARGV[n]; ARGC = 1 }
	{
		for (i = 1; i < n; i++) {
			rest = $0
			$0 = ""
			while (prefix[i] != "" && (at = index(rest, prefix[i])) > 0) {
				$0 = $0 substr(rest, 1, at - 1)
				rest = substr(rest, at + length(prefix[i]))
			}
			$0 = $0 rest
		}
		print
	}' "$@" |
		sed -E -e 's/([^[:space:]:0-9]):[0-9]+(:[0-9]+(-[0-9]+)?)?([[:space:]:.,)]|$)/\1\4/g' \
			-e 's/\<line [0-9]+/line N/g' |
		LC_ALL=C sort
}

# new_against_base BASE TIP: the lines of the file TIP that the file BASE
# holds fewer times (both warning_text output, or any order of it): a
# warning the tip has more often than the base is new. Prints each once
# for each time it is new, nothing when none is. The files are sorted
# again here, so that comm reads them in its own order (coccicheck.sh's
# cached base may come from another locale); an empty line (echo of no
# warnings) is none.
new_against_base() {
	local file
	for file in "$1" "$2"; do
		[ -r "$file" ] || die "new_against_base: cannot read $file"
	done
	LC_ALL=C comm -13 <(LC_ALL=C sort "$1") <(LC_ALL=C sort "$2") | sed '/^$/d'
}
