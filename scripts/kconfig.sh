#!/bin/bash
# kconfig.sh OUT BASE FRAGMENT...: write OUT/.config as the make target
# BASE (tinyconfig, defconfig, ...) with the fragments merged over it, and
# fail naming every fragment symbol that olddefconfig dropped. The config
# is made in OUT-config and copied over only when it changed, so an
# unchanged fragment costs no rebuild. ARCH and CROSS_COMPILE come from
# the environment (x86_64 and none by default).

. "$(dirname "$0")/lib.sh"

[ $# -ge 3 ] || die "usage: kconfig.sh OUT BASE FRAGMENT..."
out=$1
base=$2
shift 2
export ARCH=${ARCH:-x86_64}

cfg=$out-config
mkdir -p "$cfg" "$out"
make -s -C "$TREE" O="$cfg" "$base" >"$cfg/log" 2>&1 ||
	die "make $base failed" "log: $cfg/log"
"$TREE/scripts/kconfig/merge_config.sh" -m -O "$cfg" "$cfg/.config" "$@" \
	>>"$cfg/log" 2>&1 || die "merging $* failed" "log: $cfg/log"
make -s -C "$TREE" O="$cfg" olddefconfig >>"$cfg/log" 2>&1 ||
	die "make olddefconfig failed" "log: $cfg/log"
"$TOP/scripts/config-verify.sh" "$cfg/.config" "$@"
cmp -s "$cfg/.config" "$out/.config" || cp "$cfg/.config" "$out/.config"
