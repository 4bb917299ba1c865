#!/usr/bin/env python3
"""Run the KUnit suite against each mutant of kernel/mutants.

A mutant takes statements out of the kernel sources (an empty statement in
their place), kunit.py rebuilds and boots the kernel, and the suite must
then fail a case, with no crash, hang or timeout; a mutant marked
equivalent must pass the suite instead. The unmutated tree runs first and
must pass. Prints one line per mutant and fails unless each did as its
line says. Every mutant is checked against the sources before anything is
built, and the sources are put back after each run.
"""

import argparse
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402
import logscan  # noqa: E402

SUITE = "zone_device"
# A kernel report that means the suite did not get to fail by itself.
CRASHES = {"oops", "gpf", "panic", "hung task", "rcu stall"}
SUMMARY = re.compile(r"Testing complete\. Ran (\d+) tests?: (.*)$")
# The first line of a failed expectation that says what was expected.
DIAGNOSTIC = re.compile(r"\bexpected\b", re.IGNORECASE)


class ListError(Exception):
    pass


class Edit:
    def __init__(self, where, path, function, statement):
        self.where = where  # "kernel/mutants:LINE", for errors
        self.path = path
        self.function = function
        self.statement = statement


class Mutant:
    def __init__(self, name):
        self.name = name
        self.edits = []
        self.equivalent = None  # the reason, for an equivalent mutant


def read_list(path):
    """The mutants of the list file, in order, lines of one NAME merged."""
    mutants = {}
    with open(path) as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            where = f"{os.path.basename(path)}:{number}"
            fields = [field.strip() for field in line.split(" | ")]
            if len(fields) not in (4, 5) or not all(fields):
                raise ListError(f"{where}: expected NAME | FILE | FUNCTION | "
                                f"STATEMENT [| equivalent: WHY]")
            name, source, function, statement = fields[:4]
            mutant = mutants.setdefault(name, Mutant(name))
            mutant.edits.append(Edit(where, source, function, statement))
            if len(fields) == 5:
                if not fields[4].startswith("equivalent: "):
                    raise ListError(f"{where}: the fifth field must be "
                                    f"'equivalent: WHY'")
                mutant.equivalent = fields[4][len("equivalent: "):]
    if not mutants:
        raise ListError(f"{path}: no mutants")
    return list(mutants.values())


def function_body(lines, function):
    """(first, last) line numbers of FUNCTION's body: from its definition,
    a line at column 0 that names it and is no declaration, to the first
    closing brace at column 0."""
    start = re.compile(r"^(?:[A-Za-z_].*\b)?" + re.escape(function) + r"\(")
    for first, line in enumerate(lines):
        if start.match(line) and not line.rstrip().endswith(";"):
            for last in range(first + 1, len(lines)):
                if lines[last].startswith("}"):
                    return first, last
    return None


def mutate(sources, edit):
    """Put an empty statement in place of EDIT's statement in SOURCES
    (path -> list of lines), or raise ListError saying why it cannot."""
    lines = sources[edit.path]
    body = function_body(lines, edit.function)
    if body is None:
        raise ListError(f"{edit.where}: no function {edit.function}() in {edit.path}")
    hits = [i for i in range(*body) if lines[i].strip() == edit.statement]
    if len(hits) != 1:
        raise ListError(f"{edit.where}: '{edit.statement}' is {len(hits)} times "
                        f"in {edit.function}() of {edit.path}, not once")
    line = lines[hits[0]]
    indent = line[:len(line) - len(line.lstrip())]
    lines[hits[0]] = f"{indent};\t/* mutant */\n"


def read_sources(source_dir, mutants):
    sources = {}
    for mutant in mutants:
        for edit in mutant.edits:
            if edit.path not in sources:
                path = os.path.join(source_dir, edit.path)
                if not os.path.isfile(path):
                    raise ListError(f"{edit.where}: no file {edit.path} in {source_dir}")
                with open(path) as f:
                    sources[edit.path] = f.readlines()
    return sources


def mutated(sources, mutant):
    """The files MUTANT changes, path -> mutated text."""
    copies = {path: list(lines) for path, lines in sources.items()}
    for edit in mutant.edits:
        mutate(copies, edit)
    return {edit.path: "".join(copies[edit.path]) for edit in mutant.edits}


def write_files(source_dir, texts):
    for path, text in texts.items():
        with open(os.path.join(source_dir, path), "w") as f:
            f.write(text)


class Outcome:
    """What one run of the suite showed."""

    def __init__(self, counts, failed_cases, diagnostic, crashes, reports, seconds):
        self.counts = counts  # {"passed": N, ...}, or None: no summary
        self.failed_cases = failed_cases
        self.diagnostic = diagnostic
        self.crashes = crashes
        self.reports = reports
        self.seconds = seconds

    @property
    def passed(self):
        """Every case passed or was skipped, and the log is clean."""
        return (self.counts is not None and not self.crashes and not self.reports and
                self.counts.get("passed", 0) > 0 and
                not self.counts.get("failed") and not self.counts.get("crashed"))

    @property
    def caught(self):
        """A case failed, and the kernel did not crash or hang."""
        return (self.counts is not None and not self.crashes and
                self.counts.get("failed", 0) > 0 and not self.counts.get("crashed"))

    def describe(self):
        if self.counts is None:
            what = "no result (kunit.py did not finish: timeout or crash)"
        else:
            what = ", ".join(f"{k} {v}" for k, v in self.counts.items())
        if self.crashes:
            what += "; kernel: " + ", ".join(sorted(self.crashes))
        if self.failed_cases:
            what += f"; failed: {self.failed_cases[0]}"
            if len(self.failed_cases) > 1:
                what += f" and {len(self.failed_cases) - 1} more"
        if self.diagnostic:
            what += f": {self.diagnostic}"
        if self.reports:
            what += "; log also has: " + ", ".join(sorted(self.reports))
        return what


def failed_leaves(blocks, prefix=""):
    for block in blocks:
        for case in block.cases:
            name = f"{prefix}{case.name}"
            if case.children is not None:
                yield from failed_leaves([case.children], name + ".")
            elif case.status == "fail":
                yield name


# gcc through ccache, as use_ccache (lib.sh) gives it to every build.
CACHED_CC = os.environ.get("CACHED_CC") or \
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "ccache-cc") + " gcc"


def forget_objects(build, paths):
    """Delete the objects of BUILD whose kbuild .cmd file names any of PATHS
    (sources of the tree), so that make compiles them again.  A mutant
    changes a file and puts it back within moments, and an object built
    from one version once passed for the other (ccache and make both go by
    file metadata); compiling afresh, with ccache told to recache, leaves
    no such doubt."""
    needles = [f"/{path}" for path in paths]
    for folder, _, files in os.walk(build):
        for name in files:
            if not (name.startswith(".") and name.endswith(".o.cmd")):
                continue
            cmd = os.path.join(folder, name)
            with open(cmd, errors="replace") as f:
                text = f.read()
            if any(needle in text for needle in needles):
                obj = os.path.join(folder, name[1:-len(".cmd")])
                if os.path.exists(obj):
                    os.remove(obj)


def run_suite(args, log_path, paths):
    command = [
        "python3", "tools/testing/kunit/kunit.py", "run", "--arch=x86_64",
        "--kunitconfig=mm/tests", "--kconfig_add", "CONFIG_NO_PAGE_MAPCOUNT=y",
        f"--build_dir={args.build}", f"--jobs={args.jobs}",
        "--make_options", f"CC={CACHED_CC}", "--make_options", f"HOSTCC={CACHED_CC}",
        f"--timeout={args.timeout}", SUITE,
    ]
    console_path = os.path.join(args.build, "test.log")
    if os.path.exists(console_path):
        os.remove(console_path)
    forget_objects(args.build, paths)
    env = dict(os.environ, CCACHE_RECACHE="1")
    start = time.monotonic()
    with open(log_path, "w") as log:
        subprocess.run(command, cwd=args.source, stdout=log, stderr=subprocess.STDOUT,
                       env=env)
    seconds = time.monotonic() - start

    counts = None
    with open(log_path, errors="replace") as f:
        for line in f:
            match = SUMMARY.search(line.rstrip())
            if match:
                counts = {"ran": int(match.group(1))}
                for part in match.group(2).split(", "):
                    key, _, value = part.partition(": ")
                    if value.isdigit():
                        counts[key] = int(value)
    console = []
    if os.path.exists(console_path):
        with open(console_path, errors="replace") as f:
            console = f.readlines()
    else:
        counts = None  # the kernel never ran
    lines = ktap.strip_console(console)
    failed = list(failed_leaves(ktap.parse(lines)))
    diagnostic = next((line.strip().lstrip("# ") for line in lines
                       if DIAGNOSTIC.search(line)), "")
    findings = {finding.kind for finding in logscan.scan(console)}
    return Outcome(counts, failed, diagnostic, findings & CRASHES,
                   findings - CRASHES, seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", required=True, help="kernel/mutants")
    parser.add_argument("--source", required=True, help="kernel tree to mutate")
    parser.add_argument("--build", required=True, help="kunit.py build folder")
    parser.add_argument("--jobs", default="3")
    parser.add_argument("--timeout", default="300")
    parser.add_argument("--only", nargs="*", help="run only these mutants")
    args = parser.parse_args()

    try:
        mutants = read_list(args.list)
        sources = read_sources(args.source, mutants)
        texts = {m.name: mutated(sources, m) for m in mutants}
    except ListError as e:
        sys.exit(f"mutants: error: {e}\nmutants:   update kernel/mutants to the "
                 f"sources of {args.source}")
    if args.only:
        unknown = set(args.only) - set(texts)
        if unknown:
            sys.exit(f"mutants: error: no mutant {', '.join(sorted(unknown))} in {args.list}")
        mutants = [m for m in mutants if m.name in args.only]

    logs = os.path.join(args.build, "logs")
    os.makedirs(logs, exist_ok=True)
    print(f"mutants: the unmutated tree first (log: {logs}/none.log)", flush=True)
    outcome = run_suite(args, os.path.join(logs, "none.log"), list(sources))
    if not outcome.passed:
        sys.exit(f"mutants: error: the suite does not pass without a mutant: "
                 f"{outcome.describe()}\nmutants:   log: {logs}/none.log")
    print(f"mutants: none: {outcome.describe()} ({outcome.seconds:.0f} s)", flush=True)

    wrong = []
    # The files the last run changed and put back: built afresh once more.
    restored = set()
    for mutant in mutants:
        log_path = os.path.join(logs, f"{mutant.name}.log")
        originals = {path: "".join(sources[path]) for path in texts[mutant.name]}
        try:
            write_files(args.source, texts[mutant.name])
            outcome = run_suite(args, log_path, set(texts[mutant.name]) | restored)
        finally:
            write_files(args.source, originals)
            restored = set(originals)
        if mutant.equivalent:
            ok = outcome.passed
            verdict = "equivalent" if ok else "NOT EQUIVALENT"
        else:
            ok = outcome.caught
            verdict = "caught" if ok else "NOT CAUGHT"
        line = f"{mutant.name}: {verdict}: {outcome.describe()} ({outcome.seconds:.0f} s)"
        if mutant.equivalent:
            line += f" [{mutant.equivalent}]"
        print(f"mutants: {line}", flush=True)
        if not ok:
            wrong.append(f"{mutant.name} (log: {log_path})")

    total = len(mutants)
    if wrong:
        print(f"mutants: error: {len(wrong)} of {total} mutants did not do as "
              f"kernel/mutants says:", file=sys.stderr)
        for name in wrong:
            print(f"mutants:   {name}", file=sys.stderr)
        sys.exit(1)
    caught = sum(1 for m in mutants if not m.equivalent)
    print(f"mutants: {caught} caught by a failed case, "
          f"{total - caught} equivalent as stated, of {total}")


if __name__ == "__main__":
    main()
