#!/bin/bash
# Everything CI runs, one stage after another (scripts/stages.sh: a stage
# whose prerequisite failed is skipped with that reason; the run fails if
# any stage failed or was skipped). Each stage's output is also kept in
# $WORK/check/STAGE.log.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stages.sh"

cd "$TOP"
stages_begin "$WORK/check"

# The packages first: the harness's own tests use some of them (git,
# dpkg-dev, xz-utils) and a fresh machine has none. The harness runs on
# one CPU, beside the stages that make and check the tree (which leave
# about one idle), and is joined before anything else starts: some of its
# tests time made-up stages, which a kernel build beside them would slow
# past their bounds.
stage deps - scripts/deps.sh
stage_bg harness deps tests/run.sh
stage base deps scripts/base.sh
stage tree base scripts/tree.sh
stage series-sync tree scripts/export.sh --check
# The patch numbers README, docs/ and the cover letters give; no tree needed.
stage refs - scripts/check-refs.sh
stage_join harness
# The checks of the patches, the docs, the lists and the mails only read
# the tree at its last patch: they run beside the VM build, which leaves
# about a tenth of the CPU idle, and are joined after it, before
# coccicheck starts (it shares sphinx's worktree of the base).
stage_bg patches tree scripts/check-patches.sh
stage_bg kernel-doc tree scripts/doccheck.sh
stage_bg sphinx tree scripts/sphinxcheck.sh
stage_bg maintainers tree scripts/maintainers-check.sh
# The send path on the real series, as a dry run: CI has no sender of its
# own, so it lends one through git's environment config. It runs
# checkpatch --strict on every mail itself.
stage_bg send-dry-run tree env GIT_CONFIG_COUNT=2 \
	GIT_CONFIG_KEY_0=user.name GIT_CONFIG_VALUE_0="CI Dry Run" \
	GIT_CONFIG_KEY_1=user.email GIT_CONFIG_VALUE_1=ci-dry-run@example.org \
	SEND=0 scripts/send.sh
stage build tree scripts/build.sh vm
for name in patches kernel-doc sphinx maintainers send-dry-run; do
	stage_join "$name"
done
# coccicheck reads the tree at its last patch: it runs beside the stages
# that leave it there and takes the CPU the guests leave idle, and is
# joined before bisect checks out other commits.
stage_bg coccicheck build scripts/coccicheck.sh
stage initramfs build scripts/initramfs.sh vm
stage vm initramfs scripts/vm.sh vm
stage report vm scripts/report.py --run "$WORK/run/vm" --passes vm/passes \
	--expected kernel/expected-failures --config "$WORK/build/vm/.config"
# kunit.py's own kernel build (make kunit-py) is left to developers: it
# would be a fourth kernel config compiled from nothing on a cold machine.
stage kunit.py vm scripts/kunitpy-check.sh
# Every pass again on a kernel with KASAN, lockdep, DEBUG_PAGEALLOC and
# friends (kernel/debug.config), where the KUnit suite is a kbuild module.
stage debug-build tree scripts/build.sh debug
stage debug-initramfs debug-build scripts/initramfs.sh debug
stage debug-vm debug-initramfs scripts/vm.sh debug private coherent stress
stage debug-report debug-vm scripts/report.py --run "$WORK/run/debug" --passes vm/passes \
	--expected kernel/expected-failures --config "$WORK/build/debug/.config" \
	private coherent stress
stage_join coccicheck
# objcheck compiles the base and the tip in worktrees of their own, so it
# runs beside bisect, which leaves about a sixth of the CPU idle while it
# walks the tree through the series. It is told the tip before the walk
# begins; both profiles share the tip's worktree and sid's sparse.
tip=$(tgit rev-parse -q --verify HEAD) || tip=HEAD
stage_bg drivers tree scripts/objcheck.sh drivers "$tip"
stage_bg powerpc tree scripts/objcheck.sh ppc "$tip"
stage bisect build scripts/bisect-build.sh
# Each posting but the last is a kernel of its own once merged: its boot
# kit, saved by bisect, boots with the passes kernel/postings gives it.
# The guests leave CPU idle for drivers and powerpc, joined after it.
stage postings bisect scripts/postings-vm.sh
stage_join drivers
stage_join powerpc

stages_end
