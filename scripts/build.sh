#!/bin/bash
# build.sh [PROFILE]: build the QEMU test kernel of the work tree into
# $WORK/build/PROFILE: bzImage, the modules it enables (test_hmm.ko) and a
# static hmm-tests from the tree's own selftests. PROFILE "vm" uses
# kernel/vm.config; any other adds kernel/PROFILE.config on top of it.

. "$(dirname "$0")/lib.sh"

profile=${1:-vm}
fragments=("$TOP/kernel/vm.config")
[ "$profile" = vm ] || fragments+=("$TOP/kernel/$profile.config")

need_tool make gcc ccache flex bison bc
[ -d "$TREE/.git" ] || die "no work tree at $TREE" "run 'make tree' first"

out=$WORK/build/$profile
mkdir -p "$out"
free_mb=$(df -Pm "$out" | awk 'NR == 2 { print $4 }')
[ "$free_mb" -ge 3072 ] ||
	die "only ${free_mb} MiB free in $out; a test kernel build needs about 3 GiB" \
		"free some space or point WORK= at a larger disk"

export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_BASEDIR=$WORK
export CCACHE_NOHASHDIR=true
export CCACHE_SLOPPINESS=include_file_mtime,include_file_ctime,time_macros
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
# Fixed build stamps so that unchanged sources give ccache hits.
export KBUILD_BUILD_TIMESTAMP="2000-01-01" KBUILD_BUILD_USER=zdfolio KBUILD_BUILD_HOST=qemu

kmake() {
	make -s -C "$TREE" O="$1" ARCH=x86_64 CC="ccache gcc" -j"$JOBS" "${@:2}"
}

# The configuration is made in a scratch folder and copied over only when
# it changed, so that an unchanged fragment costs no rebuild.
cfg=$WORK/build/$profile-config
mkdir -p "$cfg"
kmake "$cfg" tinyconfig >"$cfg/log" 2>&1 ||
	die "make tinyconfig failed" "log: $cfg/log"
"$TREE/scripts/kconfig/merge_config.sh" -m -O "$cfg" "$cfg/.config" "${fragments[@]}" \
	>>"$cfg/log" 2>&1 || die "merging ${fragments[*]} failed" "log: $cfg/log"
kmake "$cfg" olddefconfig >>"$cfg/log" 2>&1 || die "make olddefconfig failed" "log: $cfg/log"
"$TOP/scripts/config-verify.sh" "$cfg/.config" "${fragments[@]}"
cmp -s "$cfg/.config" "$out/.config" || cp "$cfg/.config" "$out/.config"

note "building $profile kernel in $out (-j$JOBS)"
kmake "$out" olddefconfig >"$out/build.log" 2>&1
kmake "$out" bzImage modules >>"$out/build.log" 2>&1 ||
	die "the $profile kernel does not build" "$(grep -m 5 -E 'error|Error' "$out/build.log" | tr '\n' ' ')" \
		"log: $out/build.log"
kmake "$out" headers >>"$out/build.log" 2>&1 || die "make headers failed" "log: $out/build.log"

note "building a static hmm-tests"
selftests=$out/kselftest/mm
mkdir -p "$selftests"
make -s -C "$TREE/tools/testing/selftests/mm" O="$out" OUTPUT="$selftests" \
	CC="ccache gcc" LDFLAGS=-static "$selftests/hmm-tests" >"$selftests/build.log" 2>&1 ||
	die "hmm-tests does not build" "log: $selftests/build.log"
