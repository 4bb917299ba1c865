#!/bin/bash
# kconfig.sh OUT BASE FRAGMENT...: write OUT/.config as the make target
# BASE (tinyconfig, defconfig, ...) with the fragments merged over it, and
# fail naming every fragment symbol that olddefconfig dropped. The config
# is made in OUT-config and copied over only when it changed, so an
# unchanged fragment costs no rebuild. ARCH and CROSS_COMPILE come from
# the environment (x86_64 and none by default).
#
# Making a config takes about 20 s, most of it in "make tinyconfig", and
# bisect-build.sh needs one per patch: OUT-config is reused when nothing it
# is made from has changed since (kconfig_inputs).

. "$(dirname "$0")/lib.sh"

[ $# -ge 3 ] || die "usage: kconfig.sh OUT BASE FRAGMENT..."
out=$1
base=$2
shift 2
export ARCH=${ARCH:-x86_64}

# kconfig_inputs: everything the generated config depends on: this script,
# the target, the fragments, the compiler Kconfig probes, and the tree's
# Kconfig files, kconfig programs, the scripts they call and the
# defconfigs, as committed and as changed in the work tree.
kconfig_inputs() {
	local paths=('*Kconfig*' Makefile 'scripts/*.sh' scripts/kconfig
		'arch/*/configs' kernel/configs)
	printf '%s\n' "$ARCH" "${CROSS_COMPILE:-}" "$base"
	"${CROSS_COMPILE:-}gcc" --version | head -n 1
	cat "$0" "$@"
	tgit ls-files --stage -- "${paths[@]}"
	tgit diff HEAD -- "${paths[@]}"
}

cfg=$out-config
mkdir -p "$cfg" "$out"
key=$(kconfig_inputs "$@" | sha256sum)
if [ -f "$cfg/.config" ] && [ "$(cat "$cfg/key" 2>/dev/null)" = "$key" ]; then
	note "$base + $*: inputs unchanged, reusing $cfg/.config"
else
	rm -f "$cfg/key"
	make -s -C "$TREE" O="$cfg" "$base" >"$cfg/log" 2>&1 ||
		die "make $base failed" "log: $cfg/log"
	"$TREE/scripts/kconfig/merge_config.sh" -m -O "$cfg" "$cfg/.config" "$@" \
		>>"$cfg/log" 2>&1 || die "merging $* failed" "log: $cfg/log"
	make -s -C "$TREE" O="$cfg" olddefconfig >>"$cfg/log" 2>&1 ||
		die "make olddefconfig failed" "log: $cfg/log"
	printf '%s\n' "$key" >"$cfg/key"
fi
"$TOP/scripts/config-verify.sh" "$cfg/.config" "$@"
cmp -s "$cfg/.config" "$out/.config" || cp "$cfg/.config" "$out/.config"
