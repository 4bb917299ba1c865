#!/bin/bash
# build.sh [PROFILE]: build the QEMU test kernel of the work tree into
# $WORK/build/PROFILE: bzImage, the modules it enables (test_hmm.ko), and
# the guest's test programs (scripts/build-tests.sh). PROFILE "vm" uses
# kernel/vm.config and kernel/mm-selftests.config; any other kernel/vm.config
# and kernel/PROFILE.config on top of it (profile_fragments).

. "$(dirname "$0")/lib.sh"

profile=${1:-vm}
mapfile -t fragments < <(profile_fragments "$profile")

need_tool make gcc ccache flex bison bc
[ -e "$TREE/.git" ] || die "no work tree at $TREE" "run 'make tree' first"

out=${BUILD_DIR:-$WORK/build/$profile}
mkdir -p "$out"
need_space "$out" 3072 "a test kernel build"

use_ccache

kmake() {
	make -s -C "$TREE" O="$1" ARCH=x86_64 CC="$CACHED_CC" HOSTCC="$CACHED_CC" \
		-j"$JOBS" "${@:2}"
}

rm -f "$out/built"
"$TOP/scripts/kconfig.sh" "$out" tinyconfig "${fragments[@]}"

note "building $profile kernel in $out (-j$JOBS)"
# One make: the config is kconfig.sh's, after olddefconfig, and kbuild
# syncs its own files to it; each more make costs seconds, in every
# prefix of make bisect.
kmake "$out" bzImage modules headers >"$out/build.log" 2>&1 ||
	die "the $profile kernel does not build" "$(grep -m 5 -E 'error|Error' "$out/build.log" | tr '\n' ' ')" \
		"log: $out/build.log"
bzimage_is_current "$out" ||
	die "the bzImage in $out does not carry the kernel just linked (piggy.o is stale)" \
		"delete $out/arch/x86/boot/compressed/piggy.o and build again"

# The series' KUnit suite runs built-in at boot and, loaded by the guest,
# as a module. A config that builds it in gets the same source built once
# more as an external module (MODULE defined, linked against the kernel's
# exports); a config with =m has it from kbuild already. The suite
# includes mm/internal.h as "../internal.h": gcc looks for it beside the
# source's link in kunit-module/, then in the -I folder given here.
if grep -q '^CONFIG_ZONE_DEVICE_KUNIT_TEST=y' "$out/.config"; then
	note "building zone_device_kunit.ko as an external module"
	external_module "$out" "$out/kunit-module" \
		$'obj-m := zone_device_kunit.o\nccflags-y := -I$(srctree)/mm/tests' \
		"$TREE/mm/tests/zone_device_kunit.c"
fi

"$TOP/scripts/build-tests.sh" "$out"

# What was built, for bisect-build.sh, which need not build the same again:
# the tree's commit and the fragments, only when nothing is uncommitted.
if tree_is_clean; then
	build_stamp HEAD "${fragments[@]}" >"$out/built"
fi
