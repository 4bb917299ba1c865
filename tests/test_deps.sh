#!/bin/bash
# scripts/deps.sh without root prints the exact apt command and stops;
# need_tool names a missing tool and the fix.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/bin"
printf '#!/bin/sh\necho 1000\n' >"$TMP/bin/id"
printf '#!/bin/sh\n[ "$3" = qemu-system-x86 ] && exit 1\necho installed\n' >"$TMP/bin/dpkg-query"
chmod +x "$TMP/bin/"*

check "a missing package without root prints the apt command and stops" nonzero \
	"run as root: apt-get update && apt-get install -y --no-install-recommends qemu-system-x86$" \
	env PATH="$TMP/bin:$PATH" "$TOP/scripts/deps.sh"

printf '#!/bin/sh\necho installed\n' >"$TMP/bin/dpkg-query"
check "nothing missing: nothing to do, even without root" 0 "" \
	env PATH="$TMP/bin:$PATH" "$TOP/scripts/deps.sh"

mkdir -p "$TMP/work/linux/.git" "$TMP/nobin"
for tool in bash make gcc flex bison bc dirname df awk nproc; do
	ln -sf "$(command -v "$tool")" "$TMP/nobin/$tool"
done
check "a missing tool is named" nonzero "^build: error: 'ccache' is not installed$" \
	env PATH="$TMP/nobin" WORK="$TMP/work" "$TOP/scripts/build.sh"
check "... with the fix" nonzero "^build:   run 'make deps' \(as root\) to install the workshop's packages$" \
	env PATH="$TMP/nobin" WORK="$TMP/work" "$TOP/scripts/build.sh"
printf '#!/bin/sh\necho "Filesystem 1M-blocks Used Available Capacity Mounted"\necho "/dev/x 100 99 12 99%% /"\n' >"$TMP/bin/df"
chmod +x "$TMP/bin/df"
check "too little disk for the base names the folder and the fix" nonzero \
	"only 12 MiB free in .*; the base package and tarball needs about 1024 MiB" \
	env PATH="$TMP/bin:$PATH" CACHE="$TMP/cache" WORK="$TMP/w" KERNEL_SRC= "$TOP/scripts/base.sh"
check "too little disk for a build names the folder and the fix" nonzero \
	"only 12 MiB free in .*; a test kernel build needs about 3072 MiB" \
	env PATH="$TMP/bin:$PATH" WORK="$TMP/work" "$TOP/scripts/build.sh"
done_testing
