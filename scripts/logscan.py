"""Find the kernel's own reports of trouble in a console log.

Any of them fails a run, whatever the tests said: a WARN_ON in the free
path or a bad-page report is exactly how a broken folio_free contract
shows up while the test that caused it still passes.
"""

import re

# The CPUs the kernel brought up at boot ("smp: Brought up 1 node, 2 CPUs");
# a raw serial console log ends the line with \r.
BROUGHT_UP = re.compile(r"smp: Brought up \d+ nodes?, (\d+) CPUs?\r?$")


def cpus_brought_up(console):
    """Each CPU count the console log says the kernel brought up, in order."""
    return [int(m.group(1)) for m in map(BROUGHT_UP.search, console) if m]


# (what, pattern): one finding per matching line.
REPORTS = [
    ("warning", re.compile(r"WARNING:")),
    ("bug", re.compile(r"BUG:|kernel BUG at")),
    ("oops", re.compile(r"Oops")),
    ("kasan", re.compile(r"KASAN")),
    ("ubsan", re.compile(r"UBSAN:")),
    ("bad page", re.compile(r"bad page", re.IGNORECASE)),
    # pgd_ERROR() to pte_ERROR(): an entry that page table walkers cannot be
    # given, e.g. one left behind in a page table being freed.
    ("bad page table entry", re.compile(r": bad (pgd|p4d|pud|pmd|pte) [0-9a-f]+\(")),
    ("list corruption", re.compile(r"list_\w+ corruption|list corruption", re.IGNORECASE)),
    ("hung task", re.compile(r"blocked for more than \d+ seconds")),
    ("rcu stall", re.compile(r"rcu: INFO: .*stall|detected stalls? on CPU|self-detected stall")),
    ("gpf", re.compile(r"general protection fault")),
    ("panic", re.compile(r"Kernel panic")),
]


# What differs between repeats of the same report: CPU, task and pid, and
# the oops counter.
VOLATILE = re.compile(r"CPU#?:? ?\d+|PID: \d+|(?<=/)\d+\b|\[#\d+\]")


# A report's own lines after its first: the CI log keeps the report, not
# the guest's console, so these say where the trouble was. Register dumps
# and the code bytes say little there and are left out.
TRACE_LINES = 30
TRACE_END = re.compile(r"---\[ end ")
REGISTERS = re.compile(r"^\s*((?!RIP)R[A-Z0-9]{2}|RSP|FS|CS|CR2|DR[0-9]|Code):")


class Finding:
    def __init__(self, kind, line_number, text):
        self.kind = kind
        self.line_number = line_number
        self.text = text
        self.count = 1
        self.trace = []

    @property
    def key(self):
        return (self.kind, VOLATILE.sub("*", self.text))

    def __str__(self):
        repeats = f" ({self.count} times, first at line {self.line_number})" \
            if self.count > 1 else f" (line {self.line_number})"
        return f"[{self.kind}] {self.text}{repeats}"


def trace_after(lines, number):
    """The lines of the report that begins at line NUMBER (counted from 1):
    up to its end marker, at most TRACE_LINES of them. Return them, register
    dumps left out, and the number of the last line they cover."""
    trace = []
    last = number
    for last, line in enumerate(lines[number:number + TRACE_LINES], number + 1):
        text = line.rstrip("\r\n")
        if not REGISTERS.match(text):
            trace.append(text)
        if TRACE_END.search(text):
            break
    return trace, last


def scan(lines):
    """Return one Finding for each distinct report of trouble in the log,
    counting how often it repeats. The first finding of each report keeps
    the lines that follow it (its trace); findings within those lines, such
    as the Oops after a BUG, keep none of their own."""
    findings = {}
    traced_to = 0
    for number, line in enumerate(lines, 1):
        text = line.rstrip("\r\n")
        for kind, pattern in REPORTS:
            if pattern.search(text):
                finding = Finding(kind, number, text.strip())
                if finding.key in findings:
                    findings[finding.key].count += 1
                    break
                findings[finding.key] = finding
                if number > traced_to:
                    finding.trace, traced_to = trace_after(lines, number)
                break
    return list(findings.values())
