#!/bin/bash
# scripts/vm.sh with a stand-in QEMU that records its arguments: one boot
# per pass of a made-up vm/passes, or of the passes named; each pass's
# kernel command line (the pass, its own options with commas as spaces,
# test_hmm's parameters, kernel/PROFILE.cmdline, VM_CMDLINE last) both
# given to QEMU and kept beside the logs; QEMU's exit code in the status.
. "$(dirname "$0")/lib.sh"

# The workshop's vm.sh in a top of its own, with a profile "t" whose
# command line file has comments.
top=$TMP/top
mkdir -p "$top/scripts" "$top/kernel" "$top/vm" "$TMP/bin"
cp "$TOP/scripts/vm.sh" "$TOP/scripts/lib.sh" "$top/scripts/"
printf '# a comment\nt.one=1\n# another\nt.two=2\n' >"$top/kernel/t.cmdline"
cat >"$top/vm/passes" <<'PASSES'
# pass  memory  command line  test_hmm parameters

first   2G      -             -
# a commented-out pass
second  6G      a=1,b=2       p=1,q=2
third   1G      c=3           -
PASSES

# The stand-in: its arguments, one a line, in the pass's folder (from the
# first -serial file:), a console line, and the exit code QEMU_RC.
cat >"$TMP/bin/qemu-system-x86_64" <<'QEMU'
#!/bin/bash
for arg; do
	case $prev in -serial) [ -n "${dir:-}" ] || dir=$(dirname "${arg#file:}") ;; esac
	prev=$arg
done
printf '%s\n' "$@" >"$dir/args"
echo "[    0.0] Linux version 7.3.0" >"$dir/console.log"
exit "${QEMU_RC:-0}"
QEMU
chmod +x "$TMP/bin/qemu-system-x86_64"

export WORK=$TMP/work ACCEL=tcg SMP=2 PATH=$TMP/bin:$PATH
unset VM_CMDLINE BUILD_DIR RUN_DIR PASSES_FILE TIMEOUT
build=$WORK/build/t
run=$WORK/run/t
# vm-t PASS...: vm.sh for the profile t (a command, for env).
printf '#!/bin/sh\nexec "%s/scripts/vm.sh" t "$@"\n' "$top" >"$TMP/bin/vm-t"
chmod +x "$TMP/bin/vm-t"
# arg PASS OPTION: the value QEMU got after OPTION in the boot of PASS.
arg() { sed -n "/^$2\$/{n;p;q;}" "$run/$1/args"; }

check "no kernel is refused" nonzero "^vm: error: no $build/arch/x86/boot/bzImage$" vm-t
check "... with the fix" nonzero "^vm:   run 'make build' first$" vm-t
mkdir -p "$build/arch/x86/boot"
touch "$build/arch/x86/boot/bzImage" "$build/initramfs.cpio"

check "without passes named every pass of vm/passes boots" 0 "" vm-t
check "... each once, in the order of the file, none commented out" 0 "^first second third $" \
	sh -c "ls '$run' | tr '\n' ' '"
check "a pass gets the console, the pass name and the profile's command line without comments" 0 \
	"^console=ttyS0 panic=-1 zdfolio.pass=first t.one=1 t.two=2$" arg first -append
check "... and its own options, commas as spaces, and test_hmm's parameters" 0 \
	"^console=ttyS0 panic=-1 zdfolio.pass=second a=1 b=2 zdfolio.hmm=p=1,q=2 t.one=1 t.two=2$" arg second -append
check "the command line is kept beside the logs as QEMU got it" 0 "" \
	test "$(cat "$run/second/cmdline")" = "$(arg second -append)"
check "the pass's memory" 0 "^6G$" arg second -m
check "SMP vCPUs" 0 "^2$" arg first -smp
check "TCG with the max CPU but ERMS and FSRM" 0 "^tcg max,-erms,-fsrm$" sh -c "echo \$(sed -n '/^-accel$/{n;p;}; /^-cpu$/{n;p;}' '$run/first/args')"
check "the kernel and initramfs of the profile's build" 0 "^$build/arch/x86/boot/bzImage $build/initramfs.cpio$" \
	sh -c "echo \$(sed -n '/^-kernel$/{n;p;}; /^-initrd$/{n;p;}' '$run/first/args')"
check "console and tests on the two serial lines, in the pass's folder" 0 \
	"^file:$run/first/console.log file:$run/first/tests.log$" \
	sh -c "echo \$(sed -n '/^-serial$/{n;p;}' '$run/first/args')"
check "the status has QEMU's exit code and the vCPUs" 0 "^qemu_exit=0 seconds=[0-9]+ vcpus=2$" \
	sh -c "echo \$(cat '$run/first/status')"

rm -rf "$run"
mkdir -p "$run/first"
touch "$run/first/stale.log"
check "only the passes named boot" 0 "" env SMP=4 VM_CMDLINE="x=1 zdfolio.pass=over" vm-t third first
check "... those" 0 "^first third $" sh -c "ls '$run' | tr '\n' ' '"
check "a pass that vm/passes does not have is refused" nonzero "no pass 'thrid' in vm/passes" \
	vm-t first thrid
check "... naming those it has" nonzero "use one of: first second third$" vm-t first thrid
check "... each from an empty folder" nonzero "" test -e "$run/first/stale.log"
check "VM_CMDLINE comes last, after the profile's" 0 \
	"^console=ttyS0 panic=-1 zdfolio.pass=third c=3 t.one=1 t.two=2 x=1 zdfolio.pass=over$" arg third -append
check "SMP= is the vCPUs of each pass" 0 "^4$" arg third -smp
check "... and in its status" 0 "^vcpus=4$" cat "$run/third/status"
check "a profile without a command line file adds nothing" 0 "" \
	env BUILD_DIR="$build" RUN_DIR="$TMP/run-other" "$top/scripts/vm.sh" other first
check "... to the pass's" 0 "^console=ttyS0 panic=-1 zdfolio.pass=first$" cat "$TMP/run-other/first/cmdline"
check "PASSES_FILE, BUILD_DIR and RUN_DIR point it at other passes, kernel and logs" 0 "" \
	sh -c "printf 'bench 3G - -\n' >'$TMP/passes' && mkdir -p '$TMP/b/arch/x86/boot' &&
		touch '$TMP/b/arch/x86/boot/bzImage' '$TMP/b/initramfs.cpio' &&
		PASSES_FILE='$TMP/passes' BUILD_DIR='$TMP/b' RUN_DIR='$TMP/r' '$top/scripts/vm.sh' t &&
		grep -qx '$TMP/b/arch/x86/boot/bzImage' '$TMP/r/bench/args' && grep -qx 3G '$TMP/r/bench/args'"

check "ACCEL=kvm boots with the host's CPU" 0 "" env ACCEL=kvm vm-t first
check "... kvm host" 0 "^kvm host$" sh -c "echo \$(sed -n '/^-accel$/{n;p;}; /^-cpu$/{n;p;}' '$run/first/args')"
check "another ACCEL is refused" nonzero "ACCEL=hvf is neither tcg nor kvm" env ACCEL=hvf vm-t first
check "QEMU's exit code is kept, and vm.sh goes on" 0 "" env QEMU_RC=3 vm-t first
check "... in the status" 0 "^qemu_exit=3$" cat "$run/first/status"
check "a QEMU killed by the timeout is said so" 0 "pass first: QEMU killed after 5s" \
	env QEMU_RC=124 TIMEOUT=5 vm-t first
check "... its status has 124" 0 "^qemu_exit=124$" cat "$run/first/status"
done_testing
