#!/bin/bash
# Fetch the base kernel source: Debian's linux-source-7.3 package, with
# apt's own client through a private sources list and lists folder, cached
# outside the clone. Writes $WORK/base.env describing what was fetched.

. "$(dirname "$0")/lib.sh"

PIN=${BASE_PIN:-$TOP/kernel/base.pin}
[ -r "$PIN" ] || die "no base pin at $PIN"
# shellcheck source=../kernel/base.pin
. "$PIN"

mkdir -p "$WORK"
if [ -n "$KERNEL_SRC" ]; then
	[ -f "$KERNEL_SRC/Makefile" ] && [ -d "$KERNEL_SRC/mm" ] ||
		die "KERNEL_SRC=$KERNEL_SRC is not a kernel source tree" \
			"point it at the top of a Linux 7.3 tree, or unset it to use Debian's package"
	ver=$(make -s -C "$KERNEL_SRC" kernelversion 2>/dev/null) ||
		die "cannot read the kernel version of $KERNEL_SRC"
	rev=$(git -C "$KERNEL_SRC" rev-parse -q --verify HEAD 2>/dev/null || echo none)
	printf 'BASE_KIND=user\nBASE_VERSION=%s\nBASE_SRC=%s\nBASE_COMMIT=%s\nBASE_ID=user-%s-%s\n' \
		"$ver" "$KERNEL_SRC" "$rev" "$ver" "$rev" >"$WORK/base.env"
	note "using the user's tree $KERNEL_SRC (Linux $ver, commit $rev)"
	exit 0
fi

need_tool apt-get apt-cache dpkg-deb sha256sum

store=$CACHE/base
apt_dir=$CACHE/apt
mkdir -p "$store" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
printf '%s\n' "$APT_SOURCE" >"$apt_dir/sources.list"

need_space "$store" 1024 "the base package and tarball"

apt_opts=(-q -o "Dir::Etc::SourceList=$apt_dir/sources.list"
	-o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$apt_dir/lists"
	-o "Dir::Cache=$apt_dir/cache"
	-o Debug::NoLocking=1)

deb_of() {
	# apt-get download names files with the epoch's colon escaped.
	printf '%s/%s_%s_all.deb' "$store" "$PACKAGE" "${1//:/%3a}"
}

version=$VERSION
deb=$(deb_of "$version")
if [ ! -s "$deb" ]; then
	note "looking up $PACKAGE in: $APT_SOURCE"
	apt-get "${apt_opts[@]}" update >"$apt_dir/update.log" 2>&1 ||
		die "apt-get update through the private sources list failed" \
			"sources: $APT_SOURCE" "log: $apt_dir/update.log"
	available=$(apt-cache "${apt_opts[@]}" madison "$PACKAGE" 2>/dev/null |
		awk -F'|' '{ gsub(/ /, "", $2); print $2 }')
	[ -n "$available" ] ||
		die "package $PACKAGE is not in $APT_SOURCE" \
			"Debian may have moved it; set APT_SOURCE in $PIN, or use KERNEL_SRC=/path/to/linux-7.3"
	if ! grep -qxF "$VERSION" <<<"$available"; then
		newest=$(grep -F "$VERSION_PREFIX" <<<"$available" | sort -V | tail -n 1 || true)
		[ -n "$newest" ] ||
			die "no ${VERSION_PREFIX}y version of $PACKAGE is available (found: $(echo $available))" \
				"use KERNEL_SRC=/path/to/linux-7.3"
		note "NOTICE: pinned $PACKAGE $VERSION is gone from Debian; using the newest, $newest"
		note "NOTICE: if the series applies and passes, record it in $PIN"
		version=$newest
		deb=$(deb_of "$version")
	fi
	if [ ! -s "$deb" ]; then
		note "downloading $PACKAGE $version"
		(cd "$store" && apt-get "${apt_opts[@]}" download "$PACKAGE=$version") \
			>"$apt_dir/download.log" 2>&1 ||
			die "apt-get download $PACKAGE=$version failed" "log: $apt_dir/download.log"
	fi
	[ -s "$deb" ] || die "apt-get download left no $deb"
fi

sha=$(sha256sum "$deb" | cut -d' ' -f1)
if [ "$version" = "$VERSION" ] && [ "$DEB_SHA256" != unknown ] && [ "$sha" != "$DEB_SHA256" ]; then
	rm -f "$deb"
	die "$deb has sha256 $sha, but $PIN records $DEB_SHA256" \
		"the cached file was corrupt and is removed; run make again to fetch it anew"
fi

tarball=$store/linux-source-${version//:/%3a}.tar.xz
if [ ! -s "$tarball" ]; then
	member=./usr/src/$PACKAGE.tar.xz
	dpkg-deb --fsys-tarfile "$deb" | tar -xOf - "$member" >"$tarball.tmp" ||
		{ rm -f "$tarball.tmp"; die "$deb holds no $member"; }
	mv "$tarball.tmp" "$tarball"
fi

printf 'BASE_KIND=debian\nBASE_VERSION=%s\nBASE_DEB=%s\nBASE_DEB_SHA256=%s\nBASE_TARBALL=%s\nBASE_ID=debian-%s-%s\n' \
	"$version" "$deb" "$sha" "$tarball" "$version" "$sha" >"$WORK/base.env"
note "$PACKAGE $version"
note "sha256 $sha  $(basename "$deb")"
