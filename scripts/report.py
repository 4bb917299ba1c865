#!/usr/bin/env python3
"""Summarise the guest runs of one build profile and decide pass or fail.

For every pass of vm/passes that ran, it reads $WORK/run/PROFILE/PASS:
tests.log (what the guest's /init printed on ttyS1) and console.log (the
kernel log on ttyS0). It counts KUnit and hmm-tests results per suite,
scans the kernel log for reports of trouble, applies the explicit list of
expected failures, prints a table and ends with the line
"N passed, N failed, N skipped". It exits 1 when anything failed.
"""

import argparse
import collections
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402
import logscan  # noqa: E402

RUN = re.compile(r"^#\s+RUN\s+(\S+) \.\.\.$")
EXPECTED_LINE = re.compile(r"^(\S+)\s+(test|log)\s+/(.+?)/\s+(\S.*)$")
TAIL = 25
# The marker lines of the guest's /init, which vm/markers defines for both
# sides; ZDFOLIO_MARKERS names another copy (the harness moves them).
MARKERS_PATH = os.environ.get("ZDFOLIO_MARKERS") or os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "vm", "markers")
MARKER_NAMES = ("MARK_BEGIN", "MARK_CMDLINE", "MARK_STEP", "MARK_STEP_START",
                "MARK_STEP_EXIT", "MARK_LEFT_OUT", "MARK_MODULE_RUN", "MARK_END")
# NAME='VALUE' as sh reads it too: no quote or backslash in VALUE (awk -v
# would read a backslash as an escape).
MARKER_LINE = re.compile(r"^(\w+)='([^'\\]+)'$")


def read_markers(path):
    """The markers of vm/markers at PATH, by name; exits naming the file on
    a line that is no NAME='VALUE', a name it does not know, or one missing."""
    markers = {}
    try:
        with open(path) as f:
            lines = f.read().splitlines()
    except OSError as e:
        raise SystemExit(f"report: error: cannot read the markers {path}: {e.strerror}")
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        match = MARKER_LINE.match(line)
        if not match:
            raise SystemExit(f"report: error: {path}:{number}: want NAME='VALUE' "
                             f"(no quote or backslash in VALUE), got: {line}")
        name, value = match.groups()
        if name not in MARKER_NAMES:
            raise SystemExit(f"report: error: {path}:{number}: unknown marker {name}: "
                             "teach report.py to read it, or remove it")
        if name in markers:
            raise SystemExit(f"report: error: {path}:{number}: {name} again")
        markers[name] = value
    missing = [name for name in MARKER_NAMES if name not in markers]
    if missing:
        raise SystemExit(f"report: error: {path}: no {', '.join(missing)}")
    return markers


MARKERS = read_markers(MARKERS_PATH)
# The first and the last line of the guest's tests.
BEGIN = MARKERS["MARK_BEGIN"]
END = MARKERS["MARK_END"]
# The start and the end of a step of /init, with its exit code.
STEP = re.compile(r"^{} (?P<name>\S+) (?:{}|{}(?P<rc>-?\d+))$".format(
    *map(re.escape, (MARKERS["MARK_STEP"], MARKERS["MARK_STEP_START"],
                     MARKERS["MARK_STEP_EXIT"]))))
# What /init's step left-out prints for each case zdfolio.skip= leaves out.
LEFT_OUT = re.compile(r"^{} (\S+)$".format(re.escape(MARKERS["MARK_LEFT_OUT"])))
# What vm/init writes to the kernel log before it loads the KUnit module.
MODULE_RUN = MARKERS["MARK_MODULE_RUN"]
# What vm/init says of the kernel command line it booted with.
GUEST_CMDLINE = MARKERS["MARK_CMDLINE"] + " "


class Expected:
    """One line of kernel/expected-failures."""

    def __init__(self, pass_name, kind, pattern, reason, where):
        self.pass_name = pass_name
        self.kind = kind
        self.pattern = re.compile(pattern)
        self.text = pattern
        self.reason = reason
        self.where = where
        self.hits = 0

    def matches(self, pass_name, kind, text):
        if self.pass_name != pass_name or self.kind != kind:
            return False
        if kind == "test" and self.pattern.fullmatch(text) or \
                kind == "log" and self.pattern.search(text):
            self.hits += 1
            return True
        return False


def read_expected(path):
    entries = []
    if not path or not os.path.exists(path):
        return entries
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            match = EXPECTED_LINE.match(line)
            if not match:
                raise SystemExit(f"report: error: {path}:{number}: want "
                                 f"'PASS test|log /REGEX/ REASON', got: {line}")
            entries.append(Expected(*match.groups(), where=f"{path}:{number}"))
    return entries


def read_passes(path):
    passes = []
    with open(path) as f:
        for line in f:
            fields = line.split()
            if fields and not fields[0].startswith("#"):
                passes.append((fields[0], fields[2]))
    return passes


def read_lines(path):
    if not os.path.exists(path):
        return []
    with open(path, errors="replace") as f:
        return [line.rstrip("\r\n").replace("\r", "") for line in f]


def read_status(path):
    status = {}
    for line in read_lines(path):
        key, _, value = line.partition("=")
        status[key] = value
    return status


class Suite:
    def __init__(self, pass_name, name):
        self.pass_name = pass_name
        self.name = name
        self.counts = collections.Counter()
        self.skips = collections.Counter()


class Report:
    def __init__(self, expected):
        self.expected = expected
        self.suites = []
        self.failures = []  # (pass, text)
        self.xfails = []  # (pass, text, reason)

    def fail(self, pass_name, text, details=()):
        self.failures.append((pass_name, text, list(details)))

    def add_cases(self, pass_name, suite_name, cases):
        suite = Suite(pass_name, suite_name)
        self.suites.append(suite)
        for case in cases:
            ident = f"{suite_name}.{case.name}"
            if case.status == "fail":
                entry = self._expected(pass_name, "test", ident)
                if entry:
                    suite.counts["xfail"] += 1
                    self.xfails.append((pass_name, ident, entry.reason))
                    continue
                self.fail(pass_name, f"{ident}: failed" +
                          (f" ({case.reason})" if case.reason else ""))
            if case.status == "skip":
                suite.skips[case.reason or "no reason given"] += 1
            suite.counts[case.status] += 1
        return suite

    def _expected(self, pass_name, kind, text):
        for entry in self.expected:
            if entry.matches(pass_name, kind, text):
                return entry
        return None

    def scan_log(self, pass_name, console):
        findings = logscan.scan(console)
        for finding in findings:
            entry = self._expected(pass_name, "log", finding.text)
            if entry:
                self.xfails.append((pass_name, f"kernel log {finding}", entry.reason))
            else:
                self.fail(pass_name, f"kernel log {finding}", finding.trace)
        return findings


def group_hmm_tests(cases):
    """hmm-tests names its cases FIXTURE.VARIANT.TEST: one suite per variant."""
    groups = collections.OrderedDict()
    for case in cases:
        parts = case.name.split(".")
        group = ".".join(parts[:2]) if len(parts) > 2 else "hmm-tests"
        case.name = ".".join(parts[2:]) if len(parts) > 2 else case.name
        groups.setdefault(group, []).append(case)
    return groups


def running_test(lines):
    """The kselftest harness test that started last and never ended, if any."""
    running = None
    for line in lines:
        match = RUN.match(line)
        if match:
            running = match.group(1)
        elif running and ktap.RESULT.match(line) and running in line:
            running = None
    return running


def split_steps(lines):
    """Map each /init step to (its output lines, its exit code or None)."""
    steps = collections.OrderedDict()
    current = None
    for line in lines:
        match = STEP.match(line)
        if match:
            if match.group("rc") is None:
                current = match.group("name")
                steps[current] = ([], None)
            else:
                name = match.group("name")
                steps[name] = (steps.get(name, ([], None))[0], int(match.group("rc")))
                current = None
        elif current:
            steps[current][0].append(line)
    return steps


def add_left_out(report, pass_name, lines):
    """The hmm-tests cases the kernel's command line left out (zdfolio.skip=),
    as /init's step left-out names them, as skips."""
    cases = []
    for match in filter(None, map(LEFT_OUT.match, lines)):
        test = match.group(1).rsplit(".", 1)[-1]
        cases.append(ktap.Case(match.group(1), "skip", f"{test} left out on this "
                               "kernel (zdfolio.skip=; kernel/PROFILE.cmdline says why)"))
    if not cases:
        report.fail(pass_name, "step left-out named no hmm-tests case", lines[-TAIL:])
    report.add_cases(pass_name, "hmm-tests:left-out", cases)


def add_kunit(report, pass_name, prefix, lines):
    """Count the KUnit suites in lines as PREFIX:SUITE; False if there are none."""
    documents = ktap.parse(lines)
    suites = [case for doc in documents for case in doc.cases]
    for doc in documents:
        if doc.unclosed is not None:
            suites.append(ktap.Case(doc.unclosed.name or "(unnamed)", "fail",
                                    "suite never finished (crash or hang)", doc.unclosed))
    for suite in suites:
        leaves = list(suite.children.leaves()) if suite.children else []
        if not leaves or suite.status == "fail" and all(
                leaf.status != "fail" for leaf in leaves):
            leaves.append(ktap.Case("(suite)", suite.status, suite.reason))
        report.add_cases(pass_name, f"{prefix}:{suite.name}", leaves)
    return bool(suites)


def check_vcpus(report, pass_name, status, console):
    """The guest must run on every vCPU QEMU gave it (status: vcpus=N), or
    the two threads of the stress pass only take turns on one."""
    if "vcpus" not in status:
        return
    want = int(status["vcpus"])
    up = logscan.cpus_brought_up(console)
    if not up:
        report.fail(pass_name, f"the kernel log never says how many of the {want} "
                    "vCPUs came up (no 'smp: Brought up' line)")
    elif up[-1] != want:
        report.fail(pass_name, f"the guest brought up {up[-1]} of its {want} vCPUs")


def booted_cmdline(tests, pass_dir, cmdline):
    """The kernel command line of a pass: what the guest says it booted
    with, else what vm.sh gave QEMU (its cmdline file), else CMDLINE, the
    pass's own of vm/passes."""
    for line in tests:
        if line.startswith(GUEST_CMDLINE):
            return line[len(GUEST_CMDLINE):]
    given = read_lines(os.path.join(pass_dir, "cmdline"))
    return given[0] if given else cmdline


def kunit_enabled(cmdline):
    """Whether KUnit ran its suites at boot: not when the last kunit.enable=
    of CMDLINE (words, or a pass's commas) switched it off."""
    values = re.findall(r"(?:^|[\s,])kunit\.enable=([^\s,]*)", cmdline)
    return not values or values[-1] not in ("0", "n", "N")


def log_tail(pass_dir, console):
    """The last lines of a guest's kernel log, or of QEMU's when it has none."""
    return console[-TAIL:] or read_lines(os.path.join(pass_dir, "qemu.log"))[-TAIL:]


def check_guest(report, pass_name, pass_dir, tests, console, status):
    """The guest started its tests and finished them, on every vCPU."""
    seconds = status.get("seconds", "?")
    if not any(line.startswith(BEGIN) for line in tests):
        report.fail(pass_name, f"the guest never started its tests (QEMU exit "
                    f"{status.get('qemu_exit', '?')} after {seconds}s); last log lines:",
                    log_tail(pass_dir, console))
    elif END not in tests:
        report.fail(pass_name, f"the guest never finished its tests (crash, hang or "
                    f"timeout; QEMU exit {status.get('qemu_exit', '?')} after "
                    f"{seconds}s); last log lines:", log_tail(pass_dir, console))
    check_vcpus(report, pass_name, status, console)


def report_pass(report, run_dir, pass_name, cmdline, want_kunit, want_module):
    pass_dir = os.path.join(run_dir, pass_name)
    tests = read_lines(os.path.join(pass_dir, "tests.log"))
    console = read_lines(os.path.join(pass_dir, "console.log"))
    status = read_status(os.path.join(pass_dir, "status"))
    tail = log_tail(pass_dir, console)

    if not os.path.isdir(pass_dir):
        report.fail(pass_name, f"no run in {pass_dir}: the pass never booted")
        return
    check_guest(report, pass_name, pass_dir, tests, console, status)

    kunit_on = kunit_enabled(booted_cmdline(tests, pass_dir, cmdline))
    if want_kunit and kunit_on:
        boot = ktap.strip_console(console)
        if MODULE_RUN in boot:
            boot = boot[:boot.index(MODULE_RUN)]
        if not add_kunit(report, pass_name, "kunit", boot):
            report.fail(pass_name, "the config enables KUnit suites, but the kernel "
                        "log holds no KUnit results")

    steps = split_steps(tests)
    if want_module and kunit_on and "kunit-module" not in steps:
        report.fail(pass_name, "the config enables the zone_device KUnit suite, but the "
                    "guest never ran it as a module (step kunit-module)")
    for name, (lines, rc) in steps.items():
        if rc is None:
            running = running_test(lines)
            where = f" (in {running})" if running else ""
            report.fail(pass_name, f"step {name} never finished{where}; last log lines:",
                        tail)
            # The results it printed still count: those that arrived, and
            # the test it was in the middle of as a failure.
            if name not in ("hmm-tests", "hmm-stress"):
                continue
        if name in ("hmm-tests", "hmm-stress"):
            cases = [leaf for doc in ktap.parse(lines) for leaf in doc.leaves()]
            if not cases:
                report.fail(pass_name, f"{name} reported no results", lines[-TAIL:])
            groups = group_hmm_tests(cases) if name == "hmm-tests" else {"cycles": cases}
            failed = 0
            for group, members in groups.items():
                suite = report.add_cases(pass_name, f"{name}:{group}", members)
                failed += suite.counts["fail"] + suite.counts["xfail"]
            if rc is not None and rc != 0 and failed == 0:
                report.fail(pass_name, f"{name} exited {rc} without a failed test")
        else:
            if name == "left-out":
                add_left_out(report, pass_name, lines)
            if name == "kunit-module" and not add_kunit(
                    report, pass_name, name, ktap.strip_console(lines)):
                report.fail(pass_name, "the KUnit module printed no results", lines[-TAIL:])
            if rc != 0:
                report.fail(pass_name, f"step {name} exited {rc}", lines[-TAIL:])

    report.scan_log(pass_name, ktap.strip_console(console))


def print_report(report, passes_run, expected_path):
    print()
    width = max([len("pass")] + [len(suite.pass_name) for suite in report.suites])
    print(f"{'pass':<{width}} {'suite':<44} {'pass':>5} {'fail':>5} {'skip':>5} {'xfail':>5}")
    for suite in report.suites:
        c = suite.counts
        print(f"{suite.pass_name:<{width}} {suite.name:<44} {c['pass']:>5} {c['fail']:>5} "
              f"{c['skip']:>5} {c['xfail']:>5}")
    skips = [(s, reason, n) for s in report.suites for reason, n in s.skips.items()]
    if skips:
        print("\nskipped:")
        for suite, reason, n in skips:
            print(f"  {suite.pass_name}: {suite.name}: {n} skipped: {reason}")
    print(f"\nexpected failures ({expected_path}):")
    entries = [e for e in report.expected if e.pass_name in passes_run]
    if not entries:
        print("  none")
    for entry in entries:
        print(f"  {entry.pass_name} {entry.kind} /{entry.text}/: {entry.reason} "
              f"[matched {entry.hits}]")
        if entry.hits == 0:
            report.fail(entry.pass_name, f"expected failure '{entry.text}' did not happen: "
                        f"remove it from {entry.where}")
    for pass_name, text, reason in report.xfails:
        print(f"  xfail {pass_name}: {text}")
    if report.failures:
        print("\nFAILURES:")
        for pass_name, text, details in report.failures:
            print(f"  {pass_name}: {text}")
            for line in details:
                print(f"  {pass_name}: | {line}")
    passed = sum(s.counts["pass"] for s in report.suites)
    skipped = sum(s.counts["skip"] for s in report.suites)
    xfailed = len(report.xfails)
    print()
    print(f"{xfailed} expected failures (listed above)")
    print(f"{passed} passed, {len(report.failures)} failed, {skipped} skipped")
    return 1 if report.failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", required=True, help="$WORK/run/PROFILE")
    parser.add_argument("--passes", required=True, help="vm/passes")
    parser.add_argument("--expected", required=True, help="kernel/expected-failures")
    parser.add_argument("--config", help="the kernel .config, to know if KUnit must report")
    parser.add_argument("only", nargs="*", help="passes to report (default: all)")
    args = parser.parse_args()

    want_kunit = want_module = False
    if args.config:
        config = read_lines(args.config)
        want_kunit = any(re.match(r"CONFIG_\w+_KUNIT_TEST=y$", l) for l in config)
        want_module = any(re.match(r"CONFIG_ZONE_DEVICE_KUNIT_TEST=[ym]$", l) for l in config)
    report = Report(read_expected(args.expected))
    passes_run = []
    for pass_name, cmdline in read_passes(args.passes):
        if args.only and pass_name not in args.only:
            continue
        passes_run.append(pass_name)
        report_pass(report, args.run, pass_name, cmdline, want_kunit, want_module)
    return print_report(report, passes_run, args.expected)


if __name__ == "__main__":
    sys.exit(main())
