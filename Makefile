# Entry points of the workshop. Each target runs one script of scripts/;
# the README explains them. series/ holds the postings (kernel/postings):
# 'make send SERIES=FOLDER' sends one, and 'make postings' boots the kernel
# at the end of each posting but the last from the boot kit 'make bisect'
# keeps of it. Variables (override on the command line):
#   KERNEL_SRC  a Linux 7.3 tree to use instead of Debian's linux-source-7.3
#   WORK        work folder: kernel tree, builds, guest logs (./work)
#   CACHE       downloads and ccache, kept across clones (~/.cache/zdfolio)
#   JOBS        parallel build jobs (CPUs + 1)
#   ACCEL       QEMU accelerator: tcg (default) or kvm
#   SMP         vCPUs of every guest (2)
#   VM_CMDLINE  more kernel command line for every guest (unset)
#   TIMEOUT     seconds a guest pass may take before it is killed (900)
#   PASSES      guest passes to run, from vm/passes (private coherent;
#               make check runs all of them, the stress pass too)
#   ROUNDS      boots of each kernel in 'make bench' (9)
#   TEST        the hmm-tests test 'make repro' repeats (required there)
#   MUTANTS     the mutants of kernel/mutants 'make mutants' runs (all)
#   REPEAT      runs of TEST in the one boot of 'make repro' (10)
#   PASS        the pass of vm/passes 'make repro' boots as (private)
#   PROFILE     the kernel 'make repro' boots: vm (default) or debug
#   RESET=1     let 'make tree' throw away a tree that differs from series/
#   SERIES      the posting 'make send' prepares, a folder of series/
#               (e.g. 1-device-private-thp-fixes); unset, every posting is
#               prepared and dry-run, each its own thread
#   SEND=1      let 'make send' really send SERIES (otherwise a dry run)

WORK ?= $(CURDIR)/work
CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/zdfolio
export KERNEL_SRC WORK CACHE JOBS ACCEL TIMEOUT RESET SERIES SEND ROUNDS TEST REPEAT PASS

S := scripts

.NOTPARALLEL:
PROFILE := vm
PASSES ?= private coherent

.PHONY: run deps base tree build initramfs vm report export check-series \
	check-patches maintainers send coccicheck bisect postings objcheck kunit-py mutants debug \
	repro bench selftests-mm test-harness check clean

# The main job: base + series/ built, booted and tested; last line is
# "N passed, N failed, N skipped".
run: deps base tree build vm report

deps:
	@$(S)/deps.sh
base: deps
	@$(S)/base.sh
tree: base
	@$(S)/tree.sh
build:
	@$(S)/build.sh $(PROFILE)
initramfs:
	@$(S)/initramfs.sh $(PROFILE)
vm: initramfs
	@$(S)/vm.sh $(PROFILE) $(PASSES)
report:
	@$(S)/report.sh $(PROFILE) $(PASSES)

# The developer loop: edit and commit in $(WORK)/linux, then store it.
export:
	@$(S)/export.sh
check-series:
	@$(S)/export.sh --check
	@$(S)/check-refs.sh

# The rules for the series (issue 3): style and tags of every patch, every
# prefix builds, no new W=1/sparse warnings in any touched object.
check-patches:
	@$(S)/check-patches.sh
	@$(S)/doccheck.sh
	@$(S)/sphinxcheck.sh
maintainers:
	@$(S)/maintainers-check.sh

# The mails to send, from series/ with your git identity and sign-off, one
# thread per posting, in $(WORK)/send/FOLDER; a dry run unless SEND=1,
# which sends the one posting SERIES names.
send: tree
	@$(S)/maintainers-check.sh
	@$(S)/send.sh

# The KUnit suite as its users run it: kunit.py with mm/tests/.kunitconfig.
kunit-py:
	@$(S)/kunit-py.sh

# Each mutant of kernel/mutants must fail the KUnit suite; not part of check.
mutants:
	@$(S)/mutants.sh $(MUTANTS)

# The guest passes once more on the debug kernel (kernel/debug.config).
debug:
	@$(MAKE) --no-print-directory build vm report PROFILE=debug

# One test, REPEAT times in one boot, to chase a failure that comes and
# goes: make repro TEST=migrate_anon_huge_unmap_evicted PROFILE=debug
repro: build initramfs
	@$(S)/repro.sh $(PROFILE)

# The kernel's own mm selftests (run_vmtests.sh) on the base's kernel and
# the series', compared; the base's kernel is built when its kit is stale.
selftests-mm:
	@$(S)/selftests-mm.sh

# Base against series on the same non-debug config; not part of check.
bench:
	@bench/run.sh

# Every prefix of the stack builds; the end of each posting but the last
# gets a boot kit in $(WORK)/build/posting-FOLDER, which 'make postings'
# boots with the passes kernel/postings gives it.
bisect:
	@$(S)/bisect-build.sh
postings:
	@$(S)/postings-vm.sh
coccicheck:
	@$(S)/coccicheck.sh
objcheck:
	@$(S)/objcheck.sh drivers
	@$(S)/objcheck.sh ppc

test-harness:
	@tests/run.sh

# Everything CI runs.
check:
	@$(S)/check.sh

clean:
	rm -rf $(WORK)/build $(WORK)/bisect $(WORK)/run
