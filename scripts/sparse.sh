#!/bin/bash
# sparse.sh: provide a sparse that the kernel accepts and print its path.
# bookworm's sparse 0.6.4 fails scripts/checker-valid.sh (no
# __typeof_unqual__), and then C=1 silently checks nothing. sid's sparse
# passes; it needs sid's libc, so both are unpacked into the cache
# (never installed) and sparse runs through sid's own loader.

. "$(dirname "$0")/lib.sh"

dir=$CACHE/sparse
wrapper=$dir/sparse
# make check's two objcheck stages run side by side and may both find no
# sparse on a cold machine: one fetches, the other waits for it.
mkdir -p "$dir"
exec {lock}>"$dir/.lock"
flock "$lock"
if [ ! -x "$wrapper" ]; then
	need_tool apt-get dpkg-deb
	apt_dir=$dir/apt
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$dir/debs"
	echo "deb http://deb.debian.org/debian sid main" >"$apt_dir/sources.list"
	opts=(-q -o "Dir::Etc::SourceList=$apt_dir/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o Debug::NoLocking=1)
	apt-get "${opts[@]}" update >"$dir/apt.log" 2>&1 ||
		die "apt-get update for sid failed" "log: $dir/apt.log"
	(cd "$dir/debs" && apt-get "${opts[@]}" download sparse libc6) >>"$dir/apt.log" 2>&1 ||
		die "downloading sid's sparse and libc6 failed" "log: $dir/apt.log"
	rm -rf "$dir/root"
	for deb in "$dir"/debs/*.deb; do
		dpkg-deb -x "$deb" "$dir/root"
	done
	lib=$dir/root/usr/lib/x86_64-linux-gnu
	printf '#!/bin/sh\nexec %s/ld-linux-x86-64.so.2 --library-path %s %s/root/usr/bin/sparse "$@"\n' \
		"$lib" "$lib" "$dir" >"$wrapper"
	chmod +x "$wrapper"
fi
exec {lock}>&-
"$TOP/scripts/sparse-check.sh" "$wrapper" >&2 || exit 1
echo "$wrapper"
