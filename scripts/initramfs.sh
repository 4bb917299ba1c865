#!/bin/bash
# initramfs.sh [PROFILE]: pack the guest's initramfs for $WORK/build/PROFILE
# from busybox-static, vm/init, test_hmm.ko and the static hmm-tests.

. "$(dirname "$0")/lib.sh"

profile=${1:-vm}
out=$WORK/build/$profile
need_tool cpio
busybox=/bin/busybox
[ -x "$busybox" ] || die "no static busybox at $busybox" "run 'make deps' (package busybox-static)"

root=$out/initramfs
rm -rf "$root"
mkdir -p "$root/bin" "$root/lib/modules"
cp "$busybox" "$root/bin/busybox"
cp "$TOP/vm/init" "$root/init"
chmod +x "$root/init"
for file in lib/test_hmm.ko kselftest/mm/hmm-tests; do
	[ -f "$out/$file" ] || die "no $out/$file" "run 'make build' first"
done
cp "$out/lib/test_hmm.ko" "$root/lib/modules/"
cp "$out/kselftest/mm/hmm-tests" "$root/bin/"

(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) >"$out/initramfs.cpio"
