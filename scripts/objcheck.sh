#!/bin/bash
# objcheck.sh PROFILE: compile the objects kernel/objects lists for PROFILE
# with W=1 and sparse (C=1), once on the
# base and once at the tip of the series, and fail on any warning the
# series adds (or any object that does not build at the tip).
# Profiles: drivers (x86_64 defconfig + kernel/drivers.config),
#           ppc (powerpc64le, kernel/ppc.config).

. "$(dirname "$0")/lib.sh"

profile=${1:?usage: objcheck.sh drivers|ppc}
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
need_tool make gcc ccache
branch=$(branch_of_clean_tree)

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

out=$WORK/build/objcheck-$profile
use_ccache
omake() {
	make -s -C "$TREE" O="$out" CC="ccache ${CROSS_COMPILE}gcc" HOSTCC="ccache gcc" "$@"
}

"$TOP/scripts/kconfig.sh" "$out" "$base_config" "$TOP/kernel/$profile.config"

trap 'tgit checkout -q "$branch"' EXIT
for rev in base "$branch"; do
	tgit checkout -q "$rev"
	logs=$out/warnings/$rev
	rm -rf "$logs"
	mkdir -p "$logs"
	note "$profile: compiling $(wc -w <<<"$objects") objects at $rev"
	omake -j"$JOBS" prepare >"$out/prepare.log" 2>&1 || die "make prepare failed at $rev" "log: $out/prepare.log"
	for obj in $objects; do
		log=$logs/$(tr '/' '_' <<<"$obj").log
		# Touch nothing: force the object with a fresh build of it alone.
		rm -f "$out/$obj"
		if ! omake W=1 "${checker[@]}" "$obj" >"$log" 2>&1; then
			[ "$rev" = base ] || die "$obj does not build with the series ($profile)" "log: $log"
			note "$obj does not build on the base; compared anyway"
		fi
	done
done

# A warning is new when the tip has more of it than the base; line numbers
# are dropped because the series moves code.
norm() {
	grep -E 'warning:|error:' "$1" | sed -E 's/:[0-9]+:[0-9]+:/:/; s/:[0-9]+:/:/' | sort || true
}
new=0
for obj in $objects; do
	name=$(tr '/' '_' <<<"$obj").log
	added=$(comm -13 <(norm "$out/warnings/base/$name") <(norm "$out/warnings/$branch/$name"))
	if [ -n "$added" ]; then
		printf 'new warnings in %s:\n%s\n' "$obj" "$added"
		new=$((new + 1))
	else
		printf 'ok  %s (%s warnings on the base, as many at the tip)\n' "$obj" \
			"$(norm "$out/warnings/base/$name" | wc -l)"
	fi
done
[ "$new" -eq 0 ] || die "the series adds warnings to $new objects ($profile)" \
	"logs: $out/warnings/{base,$branch}"
note "$profile: no new warnings (W=1 and sparse)"
