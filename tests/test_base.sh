#!/bin/bash
# The error paths and the fallback of scripts/base.sh, against a local
# apt repository of made-up linux-source packages (no network).
. "$(dirname "$0")/lib.sh"

repo=$TMP/repo
mkdir -p "$repo"

# fake_deb PACKAGE VERSION: a package holding ./usr/src/PACKAGE.tar.xz.
fake_deb() {
	local pkg=$1 ver=$2 root=$TMP/pkgroot
	rm -rf "$root"
	mkdir -p "$root/DEBIAN" "$root/usr/src" "$TMP/src/linux"
	echo "$ver" >"$TMP/src/linux/VERSION"
	tar -C "$TMP/src" -cJf "$root/usr/src/$pkg.tar.xz" linux
	printf 'Package: %s\nVersion: %s\nArchitecture: all\nMaintainer: test <t@example.invalid>\nDescription: test\n' \
		"$pkg" "$ver" >"$root/DEBIAN/control"
	dpkg-deb -Zxz --build "$root" "$repo/${pkg}_${ver}_all.deb" >/dev/null
}
index() {
	(cd "$repo" && dpkg-scanpackages -m . /dev/null 2>/dev/null >Packages)
}

# pin VERSION SHA: a pin for linux-source-7.3 from the local repository.
pin() {
	cat >"$TMP/pin" <<PIN
PACKAGE=linux-source-7.3
VERSION=$1
DEB_SHA256=$2
VERSION_PREFIX=7.3.
APT_SOURCE="deb [trusted=yes] file:$repo ./"
PIN
}
base() {
	rm -rf "$TMP/work"
	BASE_PIN=$TMP/pin CACHE=$TMP/cache WORK=$TMP/work KERNEL_SRC= "$TOP/scripts/base.sh"
}

fake_deb linux-source-7.4 7.4.1-1
index
pin 7.3.4-1 unknown
check "a package the archive lacks is named" nonzero \
	"package linux-source-7.3 is not in deb \[trusted=yes\] file:" base

fake_deb linux-source-7.3 7.3.9-1
fake_deb linux-source-7.3 7.3.10-1
index
check "a vanished pinned version falls back to the newest 7.3.y" 0 \
	"NOTICE: pinned linux-source-7.3 7.3.4-1 is gone from Debian; using the newest, 7.3.10-1" base
check "the fallback is recorded in base.env" 0 "^BASE_VERSION=7.3.10-1$" cat "$TMP/work/base.env"
check "the tarball is unpacked from the package" 0 "linux/VERSION" \
	tar -tJf "$TMP/cache/base/linux-source-7.3.10-1.tar.xz"

sha=$(sha256sum "$repo/linux-source-7.3_7.3.9-1_all.deb" | cut -d' ' -f1)
pin 7.3.9-1 "$sha"
check "the pinned version is preferred and its sha256 printed" 0 "sha256 $sha" base
pin 7.3.9-1 0000000000000000000000000000000000000000000000000000000000000000
check "a sha256 mismatch fails and names both sums" nonzero \
	"has sha256 $sha, but .* records 0000" base
check "the corrupt cached package is removed" nonzero "" \
	test -e "$TMP/cache/base/linux-source-7.3_7.3.9-1_all.deb"

rm -f "$repo"/linux-source-7.3_*.deb "$TMP"/cache/base/*
index
pin 7.3.4-1 unknown
sed -i 's/^PACKAGE=.*/PACKAGE=linux-source-7.4/' "$TMP/pin"
check "no 7.3.y at all fails and says what was found" nonzero \
	"no 7.3.y version of linux-source-7.4 is available \(found: 7.4.1-1\)" base

sed -i "s|^APT_SOURCE=.*|APT_SOURCE=\"deb [trusted=yes] file:$TMP/nowhere ./\"|" "$TMP/pin"
check "an unreachable archive fails at apt-get update" nonzero \
	"apt-get update through the private sources list failed" base

check "KERNEL_SRC that is no kernel tree is refused" nonzero \
	"KERNEL_SRC=$TMP is not a kernel source tree" \
	env KERNEL_SRC="$TMP" CACHE="$TMP/cache" WORK="$TMP/work" "$TOP/scripts/base.sh"
done_testing
