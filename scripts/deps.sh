#!/bin/bash
# Install the Debian packages the workshop needs, and only those missing.
# Not root: print the exact apt-get command and stop.

. "$(dirname "$0")/lib.sh"

packages=(
	# kernel build
	build-essential bc bison flex libelf-dev libssl-dev cpio kmod
	xz-utils rsync python3 perl git ccache
	# checkpatch's SPDX check (scripts/spdxcheck.py)
	python3-ply python3-git
	# test guest
	qemu-system-x86 busybox-static
	# the mm selftests (selftests-mm.sh): run_vmtests.sh is a bash script,
	# migration and rmap link libnuma statically, the ksm and cow tests
	# libcap
	bash-static libnuma-dev libcap-dev
	# compile test of the powerpc implementer (objcheck.sh ppc)
	gcc-powerpc64le-linux-gnu
	# documentation build of the touched documents (sphinxcheck.sh)
	python3-sphinx python3-yaml
	# the send path (send.sh); git-email only recommends the Perl modules
	# git send-email needs: Mail::Address to parse any address, TLS and
	# SASL to send through an SMTP server
	git-email libmailtools-perl libio-socket-ssl-perl libauthen-sasl-perl
	# coccicheck.sh: spatch, and OCaml for the rules with OCaml scripts
	coccinelle ocaml-nox ocaml-findlib
	# fetching the base with apt's own client
	apt ca-certificates dpkg
)

missing=()
for pkg in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
	[ "$status" = installed ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
	exit 0
fi

cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	die "missing Debian packages: ${missing[*]}" \
		"run as root: apt-get update && $cmd" \
		"then run make again"
fi

note "installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null ||
	die "apt-get update failed" "check the machine's Debian sources and network"
# shellcheck disable=SC2086
$cmd -q >/dev/null || die "'$cmd' failed" "run it by hand to see apt's error"
