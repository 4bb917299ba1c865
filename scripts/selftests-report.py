#!/usr/bin/env python3
"""Compare the kernel's own mm selftests on the base's kernel and the series'.

selftests-mm.sh boots both kernels with the same programs and the pass of
vm/mm-selftests.passes: /init runs run_vmtests.sh once per category, a step
"mm-CATEGORY" each. run_vmtests.sh prints a TAP line per program ("ok 3
cow", "not ok 4 ksm_tests -M -p 10 # exit=1", "ok 5 migration # SKIP"),
and before it the program's own output with "# " in front, where its
subtests are "# ok 7 NAME" or "# not ok 7 NAME # REASON".

The run fails when anything that does not fail on the base fails on the
series, or passes on the base and is skipped or missing on the series;
when either kernel log has a report of trouble (logscan.py); when either
guest did not run a category to its end. What fails on both is listed, as
is what the series fixes and why each skip on the base was skipped.

Some tests fail now and then under TCG on either kernel (khugepaged's
collapse_max_ptes_swap found a huge page it did not expect, on the base).
--regressed prints the categories with a regression, for selftests-mm.sh
to boot both kernels again with those alone (none when the run fails for
another reason); given that second run
(--again-base, --again-series), a regression counts only when it is one
there too, and one that is not is listed as flaky.
"""

import argparse
import collections
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import logscan  # noqa: E402
import report  # noqa: E402

STEP_PREFIX = "mm-"
# What /init says after each category: "MARK_STEP mm-CATEGORY took N s".
TOOK = re.compile(r"^{} {}(\S+) took (\d+) s$".format(re.escape(report.MARKERS["MARK_STEP"]),
                                                  STEP_PREFIX))
TITLE = re.compile(r"^# running (.+)$")
RESULT = re.compile(r"^(not )?ok \d+ (.+?)(?: # (SKIP)| # exit=(-?\d+))?$")
# run_vmtests.sh's own skip of a test it counts but never runs ("[SKIP]
# ./khugepaged all:file" without XFS), printed outside any test.
OWN_SKIP = re.compile(r"^# \[SKIP\] (.+)$")
SUBTEST = re.compile(r"^# (not )?ok \d+(?: (.*?))?(?:\s+#\s*(SKIP|XFAIL|TODO)\b\s*(.*))?$")
# "ok 20 # SKIP REASON": kselftest's skip of a subtest without a name.
NAMELESS = re.compile(r"^#\s*(SKIP|XFAIL|TODO)\b\s*(.*)$")
# A command the guest lacks, as bash says it.
NOT_FOUND = re.compile(r"(?:^|: )([^\s:]+): (?:command )?not found$")
SKIP_REASON = re.compile(r"#\s*SKIP\b:?\s*(\S.*)$", re.IGNORECASE)
DIGITS = re.compile(r"\d+")
NO_REASON = "no reason given"
# Why run_vmtests.sh skips a test itself, where it says nothing.
OWN_SKIP_REASONS = {
    "khugepaged all:file": "no XFS image to collapse file THPs on (the guest has no "
                           "block filesystem)",
}
# Results that are listed, never judged, because they fail now and then on
# either kernel for a reason of their own: a benchmark with a time limit of
# its own, which TCG misses (kernel/vm.cmdline leaves it out of the vm
# passes; the base's test_hmm.sh cannot), and a test that races a kernel
# thread.
NOT_JUDGED = [
    (re.compile(r"^hmm: test_hmm\.sh smoke: hmm\.\w+\.benchmark_thp_migration$"),
     "a benchmark with its own 120 s limit, which TCG misses now and then"),
    # The test waits for one full scan of ksmd after it writes to the
    # merged pages; a scan already past them when the write lands ends
    # without seeing it, and pages_shared is still 1 (docs/measurements.md:
    # 30 runs of each kernel in one guest).
    (re.compile(r"^ksm: ksm_tests -U(: KSM unmerging)?$"),
     "races ksmd's scan; failed in 7 of 30 runs on the base's kernel, 6 of 30 on the series'"),
]
# At most this many lines of a list that does not fail the run.
SHOWN = 20


class Result:
    """One test (subtest None) or subtest of a category, and how it ended."""

    def __init__(self, category, test, subtest, status, reason=""):
        self.category = category
        self.test = test
        self.subtest = subtest
        self.status = status  # pass, fail or skip
        self.reason = reason

    def name(self):
        name = f"{self.category}: {self.test}"
        return f"{name}: {self.subtest}" if self.subtest is not None else name


def pretty(command):
    """The name run_vmtests.sh gives a test: its command without ./ or bash ./"""
    return re.sub(r"^(bash )?\./", "", command)


def subtest_status(fields):
    failed, _, directive, _ = fields
    if directive == "SKIP":
        return "skip"
    if failed and directive not in ("XFAIL", "TODO"):
        return "fail"
    return "pass"


def skip_reason(lines):
    """Why a test skipped, in its own words: the last SKIP line with a reason."""
    for line in reversed(lines):
        match = SKIP_REASON.search(line)
        if match and not RESULT.match(line):
            return match.group(1).strip()
    return NO_REASON


def parse_category(category, lines):
    """The tests and subtests of one run_vmtests.sh run, and its problems."""
    results, problems = [], []
    block, title = None, None
    for line in lines:
        match = NOT_FOUND.search(line)
        if match:
            problems.append(f"{category}: the guest has no {match.group(1)}: '{line}'")
        match = TITLE.match(line) if block is None else None
        if match:
            block, title = [], pretty(match.group(1))
            continue
        match = RESULT.match(line)
        if match:
            failed, test, skipped, exit_code = match.groups()
            if block is None:
                problems.append(f"{category}: '{line}' follows no '# running' line")
                block = []
            status = "fail" if failed else "skip" if skipped else "pass"
            if exit_code in ("126", "127"):
                problems.append(f"{category}: {test} could not run (exit code {exit_code})")
            reason = f"exit code {exit_code}" if exit_code else \
                skip_reason(block) if skipped else ""
            results.append(Result(category, test, None, status, reason))
            results.extend(parse_subtests(category, test, block))
            block, title = None, None
            continue
        if block is not None:
            block.append(line)
            continue
        match = OWN_SKIP.match(line)
        if match:
            test = pretty(match.group(1))
            results.append(Result(category, test, None, "skip", OWN_SKIP_REASONS.get(
                test, "run_vmtests.sh skips it on this guest")))
    if block is not None:
        problems.append(f"{category}: {title} never ended (the guest crashed or hung)")
    return results, problems


def parse_subtests(category, test, block):
    results = []
    for line in block:
        match = SUBTEST.match(line)
        if not match:
            continue
        failed, name, directive, reason = match.groups()
        name, reason = (name or "").strip(), (reason or "").strip()
        nameless = NAMELESS.match(name)
        if nameless and not directive:
            directive, reason = nameless.groups()
            name = reason
        status = subtest_status((failed, name, directive, reason))
        if status == "skip" and not reason:
            reason = NO_REASON
        results.append(Result(category, test, name, status, reason))
    return results


def read_run(pass_dir, label):
    """(results, problems, findings) of one guest run in PASS_DIR."""
    tests = report.read_lines(os.path.join(pass_dir, "tests.log"))
    console = report.read_lines(os.path.join(pass_dir, "console.log"))
    status = report.read_status(os.path.join(pass_dir, "status"))
    # The checks of every guest pass: started, finished, on every vCPU.
    guest = report.Report([])
    report.check_guest(guest, label, pass_dir, tests, console, status)
    problems = [text for _, text, _ in guest.failures]
    cmdline = report.booted_cmdline(tests, pass_dir, "")
    wanted = re.findall(r"zdfolio\.selftests=(\S+)", cmdline)
    categories = wanted[-1].split(":") if wanted else []
    if not categories:
        problems.append("the guest was given no category (zdfolio.selftests=)")
    steps = report.split_steps(tests)
    setup = steps.get("mm-setup")
    if setup and setup[1] != 0:
        problems.append(f"the guest's setup failed: {' / '.join(setup[0][-5:])}")
    results = []
    for category in categories:
        step = steps.get(STEP_PREFIX + category)
        if step is None:
            problems.append(f"{category}: never ran")
            continue
        lines, exit_code = step
        found, trouble = parse_category(category, lines)
        results.extend(found)
        problems.extend(trouble)
        if exit_code is None and not trouble:
            problems.append(f"{category}: run_vmtests.sh never ended")
        if not [r for r in found if r.subtest is None]:
            problems.append(f"{category}: run_vmtests.sh ran no test")
        failed = any(r.status == "fail" for r in found if r.subtest is None)
        if exit_code not in (None, 0, 4) and not failed:
            problems.append(f"{category}: run_vmtests.sh exited {exit_code} "
                            "and no test failed")
    findings = logscan.scan(console)
    seconds = {m.group(1): int(m.group(2)) for m in map(TOOK.match, tests) if m}
    return results, [f"{label}: {p}" for p in problems], findings, seconds


def keyed(results):
    """Each result by a key that is the same on both kernels: category, test
    and its run, and for a subtest its name with the numbers taken out (a
    count in a name, pagemap_ioctl's "transact_test Extra pages 16",
    differs between runs) and its run."""
    seen = collections.Counter()
    by_key = collections.OrderedDict()
    test_key = None
    for result in results:
        if result.subtest is None:
            base = (result.category, result.test)
            seen[base] += 1
            test_key = base + (seen[base],)
            key = test_key
        else:
            base = test_key + (DIGITS.sub("N", result.subtest),)
            seen[base] += 1
            key = base + (seen[base],)
        by_key[key] = result
    return by_key


def all_keys(base, series):
    """The keys of base, then those only series has."""
    return list(base) + [key for key in series if key not in base]


def compare(base, series):
    """(regressions, on both, fixed, only on the series) as (key, base
    result or None, series result or None)."""
    regressions, both, fixed, new = [], [], [], []
    for key in all_keys(base, series):
        old, now = base.get(key), series.get(key)
        if now is None:
            regressions.append((key, old, now))
        elif old is None:
            (regressions if now.status == "fail" else new).append((key, old, now))
        elif now.status == "fail":
            (both if old.status == "fail" else regressions).append((key, old, now))
        elif old.status == "pass" and now.status == "skip":
            regressions.append((key, old, now))
        elif old.status == "fail":
            fixed.append((key, old, now))
    return regressions, both, fixed, new


def not_judged(entries):
    """The entries of NOT_JUDGED's results, and the rest."""
    listed, rest = [], []
    for entry in entries:
        name = (entry[1] or entry[2]).name()
        (listed if any(p.match(name) for p, _ in NOT_JUDGED) else rest).append(entry)
    return listed, rest


def describe(result):
    if result is None:
        return "did not run"
    text = {"pass": "passed", "fail": "failed", "skip": "skipped"}[result.status]
    return f"{text} ({result.reason})" if result.reason else text


def counts(results, subtests):
    c = collections.Counter(r.status for r in results if (r.subtest is not None) == subtests)
    return f"{c['pass']}/{c['fail']}/{c['skip']}"


def write_table(path, base, series):
    with open(path, "w") as f:
        f.write("# base\tseries\tcategory: test[: subtest]\n")
        for key in all_keys(base, series):
            old, now = base.get(key), series.get(key)
            name = (old or now).name()
            f.write(f"{old.status if old else '-'}\t{now.status if now else '-'}\t{name}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="the base kernel's pass folder")
    parser.add_argument("--series", required=True, help="the series' kernel's pass folder")
    parser.add_argument("--table", help="write every test and subtest of both here")
    parser.add_argument("--regressed", action="store_true",
                        help="only print the categories with a regression, colon separated")
    parser.add_argument("--again-base", help="the base's second run of those categories")
    parser.add_argument("--again-series", help="the series' second run of those categories")
    args = parser.parse_args()

    base_results, problems, base_findings, base_seconds = read_run(args.base, "base")
    series_results, more, series_findings, series_seconds = read_run(args.series, "series")
    problems += more
    base, series = keyed(base_results), keyed(series_results)
    regressions, both, fixed, new = compare(base, series)
    unjudged, regressions = not_judged(regressions)
    if args.regressed:
        # A run that fails for another reason (a kernel log report, a
        # category that never ended) fails whatever a second run says.
        failing = problems or base_findings or series_findings
        print("" if failing else ":".join(
            collections.OrderedDict.fromkeys(key[0] for key, _, _ in regressions)))
        return 0
    flaky = []
    if args.again_base and args.again_series:
        again_base, trouble, again_base_findings, _ = read_run(args.again_base, "base (again)")
        again_series, more, again_series_findings, _ = read_run(args.again_series,
                                                                "series (again)")
        problems += trouble + more
        base_findings += again_base_findings
        series_findings += again_series_findings
        # The series' second run against the base's first: a category
        # whose regressions do not come again in any test is flaky there;
        # one with any regression again fails with all of them (a race
        # fails another subtest each time).
        rerun = {r.category for r in again_series}
        again = compare({k: v for k, v in base.items() if k[0] in rerun},
                        keyed(again_series))[0]
        again = not_judged(again)[1]
        still = {key[0] for key, _, _ in again}
        flaky = [entry for entry in regressions if entry[0][0] not in still]
        known = {key for key, _, _ in regressions}
        regressions = [entry for entry in regressions if entry[0][0] in still] + \
            [entry for entry in again if entry[0] not in known]

    print("mm selftests, the base's programs (tests and subtests passed/failed/skipped):")
    print(f"  {'category':16} {'base tests':>11} {'subtests':>11}   {'series tests':>12} "
          f"{'subtests':>11}   guest seconds")
    categories = list(collections.OrderedDict.fromkeys(
        r.category for r in base_results + series_results))
    for category in categories:
        old = [r for r in base_results if r.category == category]
        now = [r for r in series_results if r.category == category]
        print(f"  {category:16} {counts(old, False):>11} {counts(old, True):>11}   "
              f"{counts(now, False):>12} {counts(now, True):>11}   "
              f"{base_seconds.get(category, '-')}/{series_seconds.get(category, '-')}")
    if args.table:
        write_table(args.table, base, series)
        print(f"every test and subtest of both: {args.table}")

    def section(title, entries, shown=None):
        if entries:
            print(f"{title}: {len(entries)}")
            for _, old, now in entries[:shown]:
                print(f"  {(old or now).name()}: base {describe(old)}, series {describe(now)}")
            if shown and len(entries) > shown:
                print(f"  and {len(entries) - shown} more (the table has them)")

    section("REGRESSION (does not fail on the base, fails or is lost on the series)",
            regressions)
    section("flaky: regressions of a category that has none when both kernels run it again",
            flaky)
    for _, old, now in unjudged:
        reason = next(r for p, r in NOT_JUDGED if p.match((old or now).name()))
        print(f"not judged: {(old or now).name()}: base {describe(old)}, series {describe(now)}"
              f" ({reason})")
    section("failing on both kernels (not the series' doing)", both)
    section("failing on the base only (fixed by the series, or flaky there)", fixed, SHOWN)
    section("only on the series' kernel", new, SHOWN)
    skips = collections.defaultdict(list)
    for result in base_results:
        if result.status == "skip":
            skips[result.reason].append(result)
    if skips:
        print(f"skipped on the base: {sum(map(len, skips.values()))}, by the reason the test gives:")
        for reason, results in sorted(skips.items(), key=lambda kv: -len(kv[1])):
            names = ", ".join(r.name() for r in results[:2])
            more = f" and {len(results) - 2} more" if len(results) > 2 else ""
            print(f"  {len(results):4} {reason}: {names}{more}")
    for label, findings in (("base", base_findings), ("series", series_findings)):
        for finding in findings:
            problems.append(f"{label}: kernel log {finding}")
    for problem in problems:
        print(f"FAIL {problem}")

    def total(results):
        c = collections.Counter(r.status for r in results)
        return f"{c['pass']} passed, {c['fail']} failed, {c['skip']} skipped"
    print(f"base: {total(base_results)}; series: {total(series_results)}")
    bad = len(regressions) + len(problems)
    print(f"mm selftests: {len(base)} results compared, {len(regressions)} regressions, "
          f"{len(both)} failing on both, {len(fixed)} fixed, {len(flaky)} flaky, "
          f"{len(problems)} other failures")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
