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
SERIES=${SERIES:-$TOP/series}

# series_patches: the stored patches of $SERIES in order, one path a
# line, without the cover letter.
series_patches() {
	local patch
	for patch in "$SERIES"/[0-9][0-9][0-9][0-9]-*.patch; do
		[ -e "$patch" ] || continue
		case "$patch" in */0000-cover-letter.patch) continue ;; esac
		printf '%s\n' "$patch"
	done
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
# line: kernel/vm.config, and kernel/PROFILE.config over it for any
# PROFILE but vm.
profile_fragments() {
	echo "$TOP/kernel/vm.config"
	[ "$1" = vm ] || echo "$TOP/kernel/$1.config"
}

# build_stamp REV FRAGMENT...: one line that names what a kernel is built
# from, the content of the work tree's REV and the config fragments;
# build.sh leaves it beside a build of a clean tree.
build_stamp() {
	printf 'tree %s fragments %s\n' "$(tgit rev-parse "$1^{tree}")" \
		"$(cat "${@:2}" | sha256sum | cut -d ' ' -f 1)"
}

# tree_has_history: does the tree know the upstream commits before the base?
# A tarball base does not, so checkpatch cannot look cited commits up, and
# check-patches.sh checks them against kernel/upstream-commits instead.
tree_has_history() {
	[ -n "$(tgit rev-list --max-count=1 base^ 2>/dev/null)" ]
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
	make -s -C "$TREE" O="$out" ARCH=x86_64 CC="ccache gcc" M="$dir" modules \
		>"$dir/build.log" 2>&1 ||
		die "$dir does not build as a module" "log: $dir/build.log"
}
