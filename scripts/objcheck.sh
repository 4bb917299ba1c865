#!/bin/bash
# objcheck.sh PROFILE [REV]: compile the objects kernel/objects lists for
# PROFILE with W=1 and sparse (C=1) at REV (the tree's HEAD by default),
# and fail on any object that does not build there or has a warning the
# base has not.
# Profiles: drivers (x86_64 defconfig + kernel/drivers.config),
#           ppc (powerpc64le, kernel/ppc.config).
#
# The tip is compiled first, every object; the base only for the objects
# that warn at the tip: a warning in any other object cannot be new, and
# a base with nothing to compare is not prepared at all.
# Both revisions are compiled in worktrees beside the tree (base-tree and
# tip-tree in $WORK/build), each into a build folder of its own: the tree
# is never checked out. base-tree is shared with sphinxcheck.sh and
# coccicheck.sh, which run beside this in make check; all of them check
# out the base there, under worktree()'s lock.

. "$(dirname "$0")/lib.sh"

profile=${1:?usage: objcheck.sh drivers|ppc [REV]}
case "$profile" in
drivers)
	export ARCH=x86_64 CROSS_COMPILE=
	base_config=defconfig
	;;
ppc)
	export ARCH=powerpc CROSS_COMPILE=powerpc64le-linux-gnu-
	base_config=ppc64le_defconfig
	need_tool powerpc64le-linux-gnu-gcc
	;;
*) die "unknown profile $profile" "use drivers or ppc" ;;
esac
need_tool make gcc ccache flock
[ -d "$TREE/.git" ] || die "no work tree at $TREE" "run 'make tree' first"
if [ -z "${2:-}" ]; then
	# Uncommitted changes would go unchecked: only commits are compiled.
	tree_is_clean || die "$TREE has uncommitted changes" "commit them, or name a commit as REV"
fi
tip=$(tgit rev-parse --verify -q "${2:-HEAD}^{commit}") ||
	die "no commit ${2:-HEAD} in $TREE"

objects=$(awk -v p="$profile" '$1 == p { print $2 }' "$TOP/kernel/objects")
[ -n "$objects" ] || die "kernel/objects lists no object for $profile"

# Never without sparse: SPARSE names one, or sid's is fetched; either must
# pass the tree's own checker-valid.sh.
if [ -n "${SPARSE:-}" ]; then
	"$TOP/scripts/sparse-check.sh" "$SPARSE" || exit 1
else
	SPARSE=$("$TOP/scripts/sparse.sh") || exit 1
fi
checker=(C=1 CHECK="$SPARSE")

out=$WORK/build/objcheck/$profile
use_ccache

# compile REV SRC OBJECTS: make prepare for SRC in $out-REV, then each of
# OBJECTS afresh, its warnings in $out-warnings/REV/.
compile() {
	local rev=$1 src=$2 obj log logs=$out-warnings/$1
	local omake=(make -s -C "$src" O="$out-$rev" CC="$TOP/scripts/ccache-cc ${CROSS_COMPILE}gcc" HOSTCC="$CACHED_CC")
	rm -rf "$logs"
	mkdir -p "$logs"
	note "$profile: compiling $(wc -w <<<"$3") objects at $rev"
	"${omake[@]}" -j"$JOBS" prepare >"$out-$rev.prepare.log" 2>&1 ||
		die "make prepare failed at $rev" "log: $out-$rev.prepare.log"
	for obj in $3; do
		log=$logs/$(log_name "$obj")
		# Touch nothing: force the object with a fresh build of it alone.
		rm -f "$out-$rev/$obj"
		if ! "${omake[@]}" W=1 "${checker[@]}" "$obj" >"$log" 2>&1; then
			[ "$rev" = base ] || die "$obj does not build with the series ($profile)" "log: $log"
			note "$obj does not build on the base; compared anyway"
		fi
	done
}
log_name() {
	echo "$(tr '/' '_' <<<"$1").log"
}

# warnings REV OBJECT: the object's warnings at REV, as warning_text gives
# them: without the worktree's path (each revision has its own) and line
# numbers; nothing for a log REV has not written.
warnings() {
	local log
	log=$out-warnings/$1/$(log_name "$2")
	[ -e "$log" ] || return 0
	{ grep -E 'warning:|error:' "$log" || true; } |
		warning_text "$WORK/build/base-tree/" "$WORK/build/tip-tree/"
}

# The config is made at the tip; the base gets a copy, which its make
# prepare reduces to the symbols the base has.
tip_tree=$(worktree tip-tree "$tip")
TREE=$tip_tree "$TOP/scripts/kconfig.sh" "$out-tip" "$base_config" "$TOP/kernel/$profile.config"
rm -rf "$out-warnings/base"
compile tip "$tip_tree" "$objects"

warned=
for obj in $objects; do
	[ -z "$(warnings tip "$obj")" ] || warned+="$obj "
done
if [ -n "$warned" ]; then
	mkdir -p "$out-base"
	cmp -s "$out-tip/.config" "$out-base/.config" || cp "$out-tip/.config" "$out-base/.config"
	base_tree=$(base_worktree)
	compile base "$base_tree" "$warned"
else
	note "$profile: no object warns at the tip; the base is not compiled"
fi

# A warning is new when the tip has more of it than the base.
new=0
for obj in $objects; do
	at_tip=$(warnings tip "$obj")
	added=$(new_against_base <(warnings base "$obj") <(echo "$at_tip"))
	if [ -n "$added" ]; then
		printf 'new warnings in %s:\n%s\n' "$obj" "$added"
		new=$((new + 1))
	elif [ -n "$at_tip" ]; then
		printf 'ok  %s (%s warnings at the tip, each on the base too)\n' "$obj" \
			"$(wc -l <<<"$at_tip")"
	else
		printf 'ok  %s (no warning at the tip)\n' "$obj"
	fi
done
[ "$new" -eq 0 ] || die "the series adds warnings to $new objects ($profile)" \
	"logs: $out-warnings/{base,tip}"
note "$profile: no new warnings (W=1 and sparse)"
