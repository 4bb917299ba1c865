#!/bin/bash
# initramfs.sh [PROFILE]: pack the guest's initramfs for $WORK/build/PROFILE
# from busybox-static, vm/init with the marker lines it shares with the
# host (vm/markers) and its awk script, test_hmm.ko, the KUnit module and
# the static hmm-tests and hmm-stress. MM_SELFTESTS names a folder of
# build-mm-selftests.sh to ship as /mm-selftests, with bash-static;
# INITRAMFS, the file to write (BUILD_DIR's initramfs.cpio).

. "$(dirname "$0")/lib.sh"

profile=${1:-vm}
out=${BUILD_DIR:-$WORK/build/$profile}
need_tool cpio
busybox=/bin/busybox
[ -x "$busybox" ] || die "no static busybox at $busybox" "run 'make deps' (package busybox-static)"

root=$out/initramfs
rm -rf "$root"
mkdir -p "$root/bin" "$root/lib/modules"
cp "$busybox" "$root/bin/busybox"
cp "$TOP/vm/init" "$root/init"
cp "$TOP/vm/markers" "$TOP/vm/left-out.awk" "$root/lib/"
chmod +x "$root/init"
for file in lib/test_hmm.ko kselftest/mm/hmm-tests; do
	[ -f "$out/$file" ] || die "no $out/$file" "run 'make build' first"
done
cp "$out/lib/test_hmm.ko" "$root/lib/modules/"
cp "$out/kselftest/mm/hmm-tests" "$root/bin/"
[ ! -f "$out/hmm-stress" ] || cp "$out/hmm-stress" "$root/bin/"

# The series' KUnit suite as a module: kbuild's when the config says =m,
# build.sh's external build when it is built in (and so runs twice).
case $(grep -s '^CONFIG_ZONE_DEVICE_KUNIT_TEST=' "$out/.config") in
*=m) kunit_ko=$out/mm/tests/zone_device_kunit.ko ;;
*=y) kunit_ko=$out/kunit-module/zone_device_kunit.ko ;;
*) kunit_ko= ;;
esac
if [ -n "$kunit_ko" ]; then
	[ -f "$kunit_ko" ] || die "no $kunit_ko" "run 'make build' first"
	cp "$kunit_ko" "$root/lib/modules/"
fi

# Modules a caller built beside the kernel (make bench's zdbench.ko).
for ko in "$out"/extra-modules/*.ko; do
	[ ! -f "$ko" ] || cp "$ko" "$root/lib/modules/"
done

if [ -n "${MM_SELFTESTS:-}" ]; then
	[ -x "$MM_SELFTESTS/run_vmtests.sh" ] ||
		die "no mm selftests in $MM_SELFTESTS" "run 'make bisect' (it builds them with the base's kernel)"
	[ -x /bin/bash-static ] || die "no /bin/bash-static" "run 'make deps' (package bash-static)"
	cp -r "$MM_SELFTESTS" "$root/mm-selftests"
	cp /bin/bash-static "$root/bin/bash.static"
fi

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"${INITRAMFS:-$out/initramfs.cpio}"
