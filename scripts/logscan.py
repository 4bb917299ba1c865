"""Find the kernel's own reports of trouble in a console log.

Any of them fails a run, whatever the tests said: a WARN_ON in the free
path or a bad-page report is exactly how a broken folio_free contract
shows up while the test that caused it still passes.
"""

import re

# (what, pattern): one finding per matching line.
REPORTS = [
    ("warning", re.compile(r"WARNING:")),
    ("bug", re.compile(r"BUG:|kernel BUG at")),
    ("oops", re.compile(r"Oops")),
    ("kasan", re.compile(r"KASAN")),
    ("ubsan", re.compile(r"UBSAN:")),
    ("bad page", re.compile(r"bad page", re.IGNORECASE)),
    ("list corruption", re.compile(r"list_\w+ corruption|list corruption", re.IGNORECASE)),
    ("hung task", re.compile(r"blocked for more than \d+ seconds")),
    ("rcu stall", re.compile(r"rcu: INFO: .*stall|detected stalls? on CPU|self-detected stall")),
    ("gpf", re.compile(r"general protection fault")),
    ("panic", re.compile(r"Kernel panic")),
]


# What differs between repeats of the same report: CPU, task and pid, and
# the oops counter.
VOLATILE = re.compile(r"CPU#?:? ?\d+|PID: \d+|(?<=/)\d+\b|\[#\d+\]")


class Finding:
    def __init__(self, kind, line_number, text):
        self.kind = kind
        self.line_number = line_number
        self.text = text
        self.count = 1

    @property
    def key(self):
        return (self.kind, VOLATILE.sub("*", self.text))

    def __str__(self):
        repeats = f" ({self.count} times, first at line {self.line_number})" \
            if self.count > 1 else f" (line {self.line_number})"
        return f"[{self.kind}] {self.text}{repeats}"


def scan(lines):
    """Return one Finding for each distinct report of trouble in the log,
    counting how often it repeats."""
    findings = {}
    for number, line in enumerate(lines, 1):
        text = line.rstrip("\r\n")
        for kind, pattern in REPORTS:
            if pattern.search(text):
                finding = Finding(kind, number, text.strip())
                if finding.key in findings:
                    findings[finding.key].count += 1
                else:
                    findings[finding.key] = finding
                break
    return list(findings.values())
