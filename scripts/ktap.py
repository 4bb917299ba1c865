"""Parse KTAP and TAP as KUnit and the kselftest harness print them.

Results nest by indentation: the lines of a subtest are indented deeper
than the "ok"/"not ok" line that closes it. A subtest whose closing line
never came (the kernel crashed, the guest hung) and a plan whose results
did not all arrive are failures, never silent passes.
"""

import re

CONSOLE_TIME = re.compile(r"^\[\s*\d+\.\d+\] ?")
RESULT = re.compile(
    r"^(?P<indent>\s*)(?P<status>ok|not ok)\s+(?P<number>\d+)\s*(?:-\s*)?"
    r"(?P<name>[^#]*?)\s*(?:#\s*(?P<directive>.*))?$"
)
PLAN = re.compile(r"^(?P<indent>\s*)1\.\.(?P<count>\d+)\s*(?:#.*)?$")
SUBTEST = re.compile(r"^(?P<indent>\s*)#\s*Subtest:\s*(?P<name>.*?)\s*$")
VERSION = re.compile(r"^(?P<indent>\s*)(?:KTAP|TAP) version \d+\s*$")


class Case:
    """One result line; children holds the subtest that it closes."""

    def __init__(self, name, status, reason="", children=None):
        self.name = name
        self.status = status  # "pass", "fail" or "skip"
        self.reason = reason
        self.children = children

    def leaves(self, prefix=""):
        """The innermost results, named by their path."""
        path = prefix + self.name
        if self.children and self.children.cases:
            yield from self.children.leaves(path + ".")
            if self.status == "fail" and all(
                leaf.status != "fail" for leaf in self.children.leaves()
            ):
                yield Case(path, "fail", self.reason or "subtest reported not ok")
        else:
            yield Case(path, self.status, self.reason)


class Block:
    """The lines at one indentation: a plan, and the results it expects."""

    def __init__(self, name=""):
        self.name = name
        self.plan = None
        self.cases = []
        self.unclosed = None  # a subtest that started and never ended

    def leaves(self, prefix=""):
        for case in self.cases:
            yield from case.leaves(prefix)
        if self.unclosed is not None:
            unclosed = self.unclosed
            name = unclosed.name or "(unnamed subtest)"
            yield from unclosed.leaves(prefix + name + ".")
            yield Case(prefix + name, "fail", "subtest never finished (crash or hang)")
        if self.plan is not None and len(self.cases) < self.plan:
            missing = self.plan - len(self.cases)
            yield Case(
                prefix + "(missing)",
                "fail",
                f"{missing} of {self.plan} planned results never reported",
            )


def _classify(line):
    """Return (indent, kind, match) for a KTAP line, or None."""
    for kind, pattern in (("result", RESULT), ("plan", PLAN), ("subtest", SUBTEST),
                          ("version", VERSION)):
        match = pattern.match(line)
        if match:
            return len(match.group("indent").expandtabs(8)), kind, match
    return None


def _status(match):
    directive = (match.group("directive") or "").strip()
    if directive.upper().startswith("SKIP"):
        return "skip", directive[4:].strip()
    if match.group("status") == "ok":
        return "pass", ""
    return "fail", directive


def _parse(items, pos, indent, name=""):
    block = Block(name)
    pending = None
    while pos < len(items):
        depth, kind, match = items[pos]
        if depth < indent:
            break
        if depth > indent:
            pending, pos = _parse(items, pos, depth)
            continue
        if kind == "version" and (block.plan is not None or block.cases):
            break  # a new KTAP document at the same level
        if kind == "plan":
            block.plan = int(match.group("count"))
        elif kind == "subtest":
            block.name = match.group("name")
        elif kind == "result":
            status, reason = _status(match)
            block.cases.append(Case(match.group("name"), status, reason, pending))
            pending = None
        pos += 1
    block.unclosed = pending
    return block, pos


def strip_console(lines):
    """Drop the printk timestamps of a kernel console log."""
    return [CONSOLE_TIME.sub("", line, count=1) for line in lines]


def parse(lines):
    """Parse KTAP lines into a list of top-level Blocks (documents)."""
    items = []
    for line in lines:
        item = _classify(line.rstrip("\r\n"))
        if item:
            items.append(item)
    documents = []
    pos = 0
    while pos < len(items):
        indent = items[pos][0]
        block, pos = _parse(items, pos, indent)
        documents.append(block)
    return documents
