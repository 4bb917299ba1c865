#!/bin/bash
# qemu-tcg-only.sh ARGS...: run $REAL_QEMU with ARGS minus every "-accel X"
# but "-accel tcg". Tools that ask QEMU for KVM first (kunit.py does) hang
# on these machines, where /dev/kvm exists but a nested guest never runs,
# instead of falling back to TCG.

args=()
while [ $# -gt 0 ]; do
	if [ "$1" = -accel ] && [ $# -ge 2 ] && [ "$2" != tcg ]; then
		shift 2
		continue
	fi
	args+=("$1")
	shift
done
exec "${REAL_QEMU:?REAL_QEMU is not set}" "${args[@]}"
