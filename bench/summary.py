#!/usr/bin/env python3
"""Summarise make bench: medians per kernel and the series/base ratios.

Reads RESULTS/{base,series}/ROUND/bench/{tests.log,console.log} as
bench/run.sh leaves them. Prints one row per measure with the median of
the rounds for each kernel, their ratio and the goal of issue 7. Exits 1
when a round gave no numbers, its kernel log reports trouble or its kernel
kept time with another clocksource than the TSC (zdbench's ns are then
counted in ticks, which TCG delivers late); a missed goal is printed as
such, it is a finding, not a failure of the run.
"""

import os
import re
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
import logscan  # noqa: E402

KINDS = ("base", "series")
ZDBENCH = re.compile(r"zdbench: ((?:anon )?order (\d+)): (\d+) cycles, (\d+) ns/cycle, (\d+) ns/page")
SECTION = re.compile(r"^=== (.+) \([\d.]+ MB\) ===$")
THROUGHPUT = re.compile(r"^(S->D|D->S) Throughput\s*\|\s*([\d.]+) GB/s")
THP_SECTION = "One twenty eight THP Size"
CLOCKSOURCE = re.compile(r"clocksource: Switched to clocksource (\S+)")
RESULT = re.compile(r"^(ok|not ok) \d+ hmm\.hmm_device_private\.benchmark_thp_migration")

# (measure, lower is better, goal as (ratio bound, "<=" or ">="), unit)
# zdbench times each order twice: a folio as zone_device_folio_init() left
# it, and an anonymous one with every page PageAnonExclusive (as freed
# after migrate_vma mapped it); the goals hold for both.
MEASURES = [
    ("order 0 cycle", "ns", ("<=", 1.02)),
    ("order 4 cycle", "ns", None),
    ("order 9 cycle", "ns", ("<=", 0.85)),
    ("order 9 per page", "ns", None),
    ("anon order 0 cycle", "ns", ("<=", 1.02)),
    ("anon order 4 cycle", "ns", None),
    ("anon order 9 cycle", "ns", ("<=", 0.85)),
    ("anon order 9 per page", "ns", None),
    ("THP migration S->D", "GB/s", (">=", 0.97)),
    ("THP migration D->S", "GB/s", (">=", 0.97)),
]


def read(path):
    with open(path, errors="replace") as f:
        return [line.rstrip("\n") for line in f]


def parse_round(pass_dir):
    """The measures of one boot, what went wrong with it, and its CPU count."""
    values, problems = {}, []
    tests = read(os.path.join(pass_dir, "tests.log"))
    section = None
    for line in tests:
        match = ZDBENCH.search(line)
        if match:
            name, order = match.group(1), int(match.group(2))
            values[f"{name} cycle"] = int(match.group(4))
            if order == 9:
                values[f"{name} per page"] = int(match.group(5))
        match = SECTION.match(line)
        if match:
            section = match.group(1)
        match = THROUGHPUT.match(line)
        if match and section == THP_SECTION:
            values[f"THP migration {match.group(1)}"] = float(match.group(2))
        match = RESULT.match(line)
        if match and match.group(1) != "ok":
            problems.append("benchmark_thp_migration failed")
    for name, unit, _ in MEASURES:
        if name not in values:
            problems.append(f"no '{name}' in {pass_dir}/tests.log")
    console = read(os.path.join(pass_dir, "console.log"))
    clocks = [m.group(1) for m in map(CLOCKSOURCE.search, console) if m]
    if not clocks or clocks[-1] != "tsc":
        clock = clocks[-1] if clocks else "none"
        problems.append(f"its kernel kept time with clocksource {clock}, not tsc")
    cpus = logscan.cpus_brought_up(console)
    for finding in logscan.scan(console):
        problems.append(f"kernel log {finding}")
    return values, problems, str(cpus[-1]) if cpus else "?"


def main():
    results = sys.argv[1]
    rounds = {kind: sorted(os.listdir(os.path.join(results, kind)), key=int) for kind in KINDS}
    samples = {kind: {} for kind in KINDS}
    problems = []
    cpus = set()
    for kind in KINDS:
        for rnd in rounds[kind]:
            values, found, round_cpus = parse_round(os.path.join(results, kind, rnd, "bench"))
            problems += [f"{kind} round {rnd}: {p}" for p in found]
            cpus.add(round_cpus)
            for name, value in values.items():
                samples[kind].setdefault(name, []).append(value)
    if problems:
        print("bench: the runs are not usable:")
        for problem in problems:
            print(f"  {problem}")
        return 1

    print(f"\nmedians of {len(rounds['base'])} rounds (QEMU TCG, vCPUs per guest: "
          f"{'/'.join(sorted(cpus))}), "
          f"series/base ratio and the goal of issue 7")
    print(f"{'measure':<22} {'unit':>5} {'base':>10} {'series':>10} {'ratio':>7}  goal")
    for name, unit, goal in MEASURES:
        base = statistics.median(samples["base"][name])
        series = statistics.median(samples["series"][name])
        ratio = series / base
        verdict = ""
        if goal:
            sign, bound = goal
            met = ratio <= bound if sign == "<=" else ratio >= bound
            verdict = f"{sign} {bound:.2f} {'met' if met else 'MISSED'}"
        print(f"{name:<22} {unit:>5} {base:>10.2f} {series:>10.2f} {ratio:>7.3f}  {verdict}")
    print("\nall rounds:")
    for kind in KINDS:
        for name, _, _ in MEASURES:
            print(f"  {kind:<6} {name:<22} {samples[kind][name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
