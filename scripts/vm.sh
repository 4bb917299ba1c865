#!/bin/bash
# vm.sh [PROFILE] [PASS...]: boot the test kernel of $WORK/build/PROFILE
# under QEMU once per pass of vm/passes (all of them by default). Each pass
# leaves console.log (kernel log, ttyS0) and tests.log (test output, ttyS1)
# in $WORK/run/PROFILE/PASS; scripts/report.py reads them. make bench sets
# BUILD_DIR, RUN_DIR and PASSES_FILE to boot its own kernels and pass, and
# VM_CMDLINE, more kernel command line for every pass (the TSC's frequency).
# INITRAMFS names another initramfs than BUILD_DIR's (selftests-mm.sh).

. "$(dirname "$0")/lib.sh"

profile=${1:-vm}
shift || true
out=${BUILD_DIR:-$WORK/build/$profile}
run=${RUN_DIR:-$WORK/run/$profile}
TIMEOUT=${TIMEOUT:-900}
SMP=${SMP:-2}

need_tool qemu-system-x86_64 timeout
initramfs=${INITRAMFS:-$out/initramfs.cpio}
for file in "$out/arch/x86/boot/bzImage" "$initramfs"; do
	[ -f "$file" ] || die "no $file" "run 'make build' first"
done

# kernel/PROFILE.cmdline and VM_CMDLINE: more kernel command line for
# every pass.
extra=
if [ -f "$TOP/kernel/$profile.cmdline" ]; then
	extra=$(grep -v '^#' "$TOP/kernel/$profile.cmdline" | xargs)
fi
[ -z "${VM_CMDLINE:-}" ] || extra="${extra:+$extra }$VM_CMDLINE"

# TCG runs each iteration of a REP string instruction on its own. With
# ERMS or FSRM the guest's kernel clears and copies pages, and glibc large
# buffers, a byte per iteration (rep stosb, rep movsb); without them, 8
# bytes (rep stosq) or a vector store at a time. hmm's run_vmtests.sh
# category took 27 s instead of 41 (docs/measurements.md).
case "$ACCEL" in
tcg | tcg,*) cpu=max,-erms,-fsrm ;;
kvm) cpu=host ;;
*) die "ACCEL=$ACCEL is neither tcg nor kvm" ;;
esac

boot() {
	local pass=$1 memory=$2 cmdline=$3 hmm=$4
	local dir=$run/$pass
	rm -rf "$dir"
	mkdir -p "$dir"
	local append="console=ttyS0 panic=-1 zdfolio.pass=$pass"
	[ "$cmdline" = - ] || append+=" ${cmdline//,/ }"
	[ "$hmm" = - ] || append+=" zdfolio.hmm=$hmm"
	[ -z "$extra" ] || append+=" $extra"
	printf '%s\n' "$append" >"$dir/cmdline"

	note "pass $pass: booting ($ACCEL, $SMP vCPUs, $memory, timeout ${TIMEOUT}s)"
	local start=$SECONDS rc=0
	# qboot, not SeaBIOS: the test kernel has no ACPI and counts CPUs from
	# the firmware's MP table, where SeaBIOS under TCG lists only the boot
	# CPU; qboot lists all of -smp. report.py checks they all came up.
	timeout --foreground -k 10 "$TIMEOUT" qemu-system-x86_64 \
		-accel "$ACCEL" -cpu "$cpu" -smp "$SMP" -m "$memory" -bios qboot.rom \
		-nodefaults -display none -no-reboot \
		-kernel "$out/arch/x86/boot/bzImage" -initrd "$initramfs" \
		-append "$append" \
		-serial "file:$dir/console.log" -serial "file:$dir/tests.log" \
		</dev/null >"$dir/qemu.log" 2>&1 || rc=$?
	printf 'qemu_exit=%s\nseconds=%s\nvcpus=%s\n' "$rc" "$((SECONDS - start))" "$SMP" >"$dir/status"
	[ "$rc" -ne 124 ] || note "pass $pass: QEMU killed after ${TIMEOUT}s"
	note "pass $pass: done in $((SECONDS - start))s"
}

# The passes named, each one of $PASSES_FILE, or all of them; in its order.
for pass in "$@"; do
	pass_line "$pass" >/dev/null
done
want=" $* "
for pass in $(pass_names); do
	[ $# -eq 0 ] || [[ "$want" == *" $pass "* ]] || continue
	read -r memory cmdline hmm <<<"$(pass_line "$pass")"
	boot "$pass" "$memory" "$cmdline" "$hmm"
done
