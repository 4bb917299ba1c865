#!/bin/bash
# make mutants (scripts/mutants.py) against a made-up tree whose
# tools/testing/kunit/kunit.py stands in for the real one: it fails a case
# when store_caught() is gone, oopses when store_crashes() is gone (no
# result) or store_oopses() is (a failed case after the oops), and passes
# otherwise. A mutant must be caught by a failed case, an
# equivalent one must pass, the unmutated tree must pass, a list that does
# not match the sources is refused before anything runs, and the sources
# are put back after every mutant.
. "$(dirname "$0")/lib.sh"

SRC=$TMP/src
mkdir -p "$SRC/mm" "$SRC/tools/testing/kunit"
cat >"$SRC/mm/a.c" <<'C'
void undo(int *p)
{
	store_caught(p);
	store_equivalent(p);
	store_survives(p);
	store_crashes(p);
	store_oopses(p);
	store_twice(p);
	store_twice(p);
}
C
cp "$SRC/mm/a.c" "$TMP/a.c.orig"
cat >"$SRC/tools/testing/kunit/kunit.py" <<'PY'
import os, sys
build = next(a.split("=", 1)[1] for a in sys.argv if a.startswith("--build_dir="))
text = open("mm/a.c").read()
os.makedirs(build, exist_ok=True)
if os.environ.get("FAKE_BASE_FAILS") or "store_caught(p);" not in text:
    case, result = "    # case: EXPECTATION FAILED at mm/a.c:3\n    Expected x == 0, but\n    not ok 1 case\n", "failed: 1"
else:
    case, result = "    ok 1 case\n", "passed: 1"
with open(os.path.join(build, "test.log"), "w") as log:
    if os.environ.get("FAKE_BASE_WARNS"):
        log.write("WARNING: CPU: 0 PID: 1 at mm/a.c:3 undo+0x1/0x2\n")
    if "store_oopses(p);" not in text:
        log.write("Oops: general protection fault, probably for address 0x1: 0000 [#1] SMP\n")
        case, result = "    not ok 1 case\n", "failed: 1"
    if "store_crashes(p);" not in text:
        log.write("BUG: kernel NULL pointer dereference\nOops: 0000 [#1] SMP\n")
        sys.exit(1)
    log.write("KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: zone_device\n    1..1\n")
    log.write(case + ("not ok" if "failed" in result else "ok") + " 1 zone_device\n")
print("[00:00:00] Testing complete. Ran 1 tests: " + result)
PY

# run LIST_LINES...: mutants.py with these lines as kernel/mutants.
run() {
	printf '%s\n' "# a comment" "" "$@" >"$TMP/mutants"
	python3 "$TOP/scripts/mutants.py" --list "$TMP/mutants" --source "$SRC" \
		--build "$TMP/build" --timeout 10
}

check "a caught and an equivalent mutant pass" 0 \
	"^mutants: 1 caught by a failed case, 1 equivalent as stated, of 2$" \
	run "c | mm/a.c | undo | store_caught(p);" \
	"e | mm/a.c | undo | store_equivalent(p); | equivalent: nothing reads it"
check "the caught mutant names the failed case and what it expected" 0 \
	"^mutants: c: caught: ran 1, failed 1; failed: zone_device.case: Expected x == 0, but" \
	run "c | mm/a.c | undo | store_caught(p);"
check "the sources are put back after each mutant" 0 "" cmp "$SRC/mm/a.c" "$TMP/a.c.orig"
# Objects built from a mutated file are deleted before the next build.
mkdir -p "$TMP/build/mm"
printf 'source_mm/a.o := ../src/mm/a.c\n' >"$TMP/build/mm/.a.o.cmd"
printf 'source_mm/b.o := ../src/mm/b.c\n' >"$TMP/build/mm/.b.o.cmd"
touch "$TMP/build/mm/a.o" "$TMP/build/mm/b.o"
run "c | mm/a.c | undo | store_caught(p);" >/dev/null 2>&1
check "the objects of a mutated file are built afresh" nonzero "" test -e "$TMP/build/mm/a.o"
check "other objects are left alone" 0 "" test -e "$TMP/build/mm/b.o"
check "lines of one name make one mutant" 0 "^mutants: c: caught" \
	run "c | mm/a.c | undo | store_caught(p);" "c | mm/a.c | undo | store_survives(p);"
check "a mutant the suite passes fails the run" nonzero "^mutants:   s \(log: " \
	run "c | mm/a.c | undo | store_caught(p);" "s | mm/a.c | undo | store_survives(p);"
check "a mutant that oopses the kernel is not caught" nonzero \
	"^mutants: k: NOT CAUGHT: no result .*kernel: oops" \
	run "k | mm/a.c | undo | store_crashes(p);"
check "an equivalent mutant the suite catches fails the run" nonzero \
	"^mutants: e: NOT EQUIVALENT" \
	run "e | mm/a.c | undo | store_caught(p); | equivalent: wrong"
check "the unmutated tree must pass first" nonzero \
	"error: the suite does not pass without a mutant" \
	env FAKE_BASE_FAILS=1 bash -c "$(declare -f run); TMP=$TMP SRC=$SRC TOP=$TOP \
		run 'c | mm/a.c | undo | store_caught(p);'"
check "a failed case after an oops is not caught" nonzero \
	"^mutants: o: NOT CAUGHT: ran 1, failed 1; kernel: oops" \
	run "o | mm/a.c | undo | store_oopses(p);"
check "a warning in the unmutated tree's log fails the run" nonzero \
	"does not pass without a mutant: ran 1, passed 1; log also has: warning" \
	env FAKE_BASE_WARNS=1 bash -c "$(declare -f run); TMP=$TMP SRC=$SRC TOP=$TOP \
		run 'c | mm/a.c | undo | store_caught(p);'"
rm -rf "$TMP/build"
check "a statement twice in the function is refused before any run" nonzero \
	"mutants:3: 'store_twice\(p\);' is 2 times in undo\(\) of mm/a.c, not once" \
	run "t | mm/a.c | undo | store_twice(p);"
check "a refused list runs nothing" nonzero "" test -e "$TMP/build/logs"
check "a statement not in the function is refused" nonzero "is 0 times in undo\(\)" \
	run "m | mm/a.c | undo | store_gone(p);"
check "a function not in the file is refused" nonzero "no function redo\(\) in mm/a.c" \
	run "m | mm/a.c | redo | store_caught(p);"
check "a line without four fields is refused" nonzero \
	"mutants:3: expected NAME \| FILE \| FUNCTION \| STATEMENT" \
	run "m | mm/a.c | store_caught(p);"
check "a fifth field other than equivalent is refused" nonzero \
	"the fifth field must be 'equivalent: WHY'" \
	run "m | mm/a.c | undo | store_caught(p); | because"

done_testing
