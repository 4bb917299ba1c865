"""Tests of the KTAP parser, the kernel log scanner and the report, on
recorded logs in tests/data."""

import io
import os
import shutil
import sys
import tempfile
import unittest
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "scripts"))
import ktap  # noqa: E402
import logscan  # noqa: E402
import report  # noqa: E402


def data(name):
    with open(os.path.join(HERE, "data", name)) as f:
        return f.read().splitlines()


def leaves(lines):
    return [(c.name, c.status) for doc in ktap.parse(lines) for c in doc.leaves()]


class KtapTest(unittest.TestCase):
    def test_kunit_all_pass_nested_and_parameterised(self):
        got = leaves(ktap.strip_console(data("kunit-pass.console")))
        self.assertEqual(got, [
            ("resource.resource_test_union", "pass"),
            ("resource.resource_test_intersection", "pass"),
            ("resource.resource_test_insert_resource", "pass"),
            ("zone_device_folio.free_restores_base_pages.order 0", "pass"),
            ("zone_device_folio.free_restores_base_pages.order 4", "pass"),
            ("zone_device_folio.free_restores_base_pages.order 9", "skip"),
            ("zone_device_folio.reuse_at_other_order", "pass"),
        ])

    def test_skip_reason_is_kept(self):
        cases = [c for doc in ktap.parse(data("hmm-tests-skips.log")) for c in doc.leaves()]
        self.assertEqual([c.reason for c in cases if c.status == "skip"],
                         ["DEVICE_COHERENT not available"] * 2)

    def test_kunit_failure(self):
        got = leaves(ktap.strip_console(data("kunit-fail.console")))
        self.assertEqual(got, [
            ("zone_device_folio.callback_once", "pass"),
            ("zone_device_folio.reuse", "fail"),
            ("zone_device_folio.refcount", "skip"),
        ])

    def test_crash_mid_suite_fails_the_unfinished_suite(self):
        got = leaves(ktap.strip_console(data("kunit-crash.console")))
        self.assertIn(("zone_device_folio.callback_once", "pass"), got)
        self.assertIn(("zone_device_folio.(missing)", "fail"), got)
        self.assertIn(("zone_device_folio", "fail"), got)
        self.assertIn(("(missing)", "fail"), got)  # the top plan said 2 suites

    def test_hang_mid_plan_reports_missing_results(self):
        got = leaves(data("hmm-tests-hang.log"))
        self.assertEqual(got[0], ("hmm.hmm_device_private.open_close", "pass"))
        self.assertEqual(got[-1], ("(missing)", "fail"))

    def test_recorded_coherent_run_on_the_base(self):
        cases = [c for doc in ktap.parse(data("hmm-tests-coherent-7.3.4.log"))
                 for c in doc.leaves()]
        self.assertEqual(len(cases), 78)
        failed = sorted(c.name for c in cases if c.status == "fail")
        self.assertEqual(len(failed), 9)
        self.assertIn("hmm2.hmm2_device_coherent.snapshot", failed)

    def test_no_output_at_all(self):
        self.assertEqual(ktap.parse([]), [])
        self.assertEqual(ktap.parse(data("clean.console")), [])

    def test_a_failing_subtest_with_passing_children_still_fails(self):
        lines = ["1..1", "    1..1", "    ok 1 inner", "not ok 1 outer"]
        self.assertIn(("outer", "fail"), leaves(lines))


class LogScanTest(unittest.TestCase):
    def test_clean_log_has_no_findings(self):
        self.assertEqual(logscan.scan(data("clean.console")), [])

    def test_every_kind_of_report_is_found(self):
        kinds = [f.kind for f in logscan.scan(data("dirty.console"))]
        self.assertEqual(kinds, ["warning", "bug", "list corruption", "hung task",
                                 "rcu stall", "bug", "oops", "bad page"])

    def test_a_bad_page_table_entry_is_found(self):
        line = ("[    9.846107] ../../linux/mm/pgtable-generic.c:56: bad pmd "
                "00000000f772c6f6(dfffffe00417fe00)")
        self.assertEqual([f.kind for f in logscan.scan([line])], ["bad page table entry"])
        self.assertEqual(logscan.scan(["a bad pmd is what pmd_ERROR() reports"]), [])

    def test_repeats_of_one_report_are_counted_once(self):
        lines = [f"WARNING: mm/memremap.c:158 at memremap_pages+0x1a7/0x473, CPU#{c}: "
                 f"hmm-tests/{pid}" for c, pid in ((0, 212), (1, 214), (0, 212))]
        lines.append("WARNING: mm/memremap.c:529 at zone_device_page_init+0x1/0x2, CPU#0: x/1")
        findings = logscan.scan(lines)
        self.assertEqual([(f.count, f.line_number) for f in findings], [(3, 1), (1, 4)])
        self.assertIn("(3 times, first at line 1)", str(findings[0]))

    def test_a_report_keeps_its_trace_up_to_its_end(self):
        lines = ["kernel BUG at include/linux/page-flags.h:345!",
                 "Oops: invalid opcode: 0000 [#1] SMP KASAN",
                 "RIP: 0010:migrate_device_range+0x2f3/0x3a0",
                 "RAX: 0000000000000000 RBX: ffffea0000000000",
                 "Code: 89 fa 48 c1 e0 2a <0f> 0b 48 89 d8 5b c3",
                 "Call Trace:",
                 " dmirror_device_evict_chunk+0x9a/0x341 [test_hmm]",
                 "---[ end trace 0000000000000000 ]---",
                 "WARNING: mm/memremap.c:158 at memremap_pages+0x1a7/0x473"]
        bug, oops, warning = logscan.scan(lines)
        self.assertEqual(bug.trace, [lines[1], lines[2], lines[5], lines[6], lines[7]])
        self.assertEqual(oops.trace, [])
        self.assertEqual(warning.trace, [])

    def test_a_trace_without_an_end_is_cut(self):
        lines = ["BUG: KASAN: slab-use-after-free in rmap_walk_anon+0x101/0x3c4"]
        lines += [f" frame{i}+0x1/0x2" for i in range(100)]
        (finding,) = logscan.scan(lines)
        self.assertEqual(finding.trace, lines[1:1 + logscan.TRACE_LINES])


class RunFolder(unittest.TestCase):
    """A made-up run folder for report.py, and report.py run on it."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        self.passes = os.path.join(self.dir, "passes")
        with open(self.passes, "w") as f:
            f.write("# pass memory cmdline hmm\nprivate 2G - -\n")
        self.expected = os.path.join(self.dir, "expected")
        self.config = os.path.join(self.dir, "config")
        with open(self.config, "w") as f:
            f.write("CONFIG_RESOURCE_KUNIT_TEST=y\n")
        self.expect("")

    def expect(self, text):
        with open(self.expected, "w") as f:
            f.write(text)

    def run_pass(self, tests, console, status="qemu_exit=0\nseconds=3\n"):
        pass_dir = os.path.join(self.dir, "run", "private")
        os.makedirs(pass_dir, exist_ok=True)
        for name, content in (("tests.log", tests), ("console.log", console),
                              ("status", status)):
            with open(os.path.join(pass_dir, name), "w") as f:
                f.write(content)
        argv = sys.argv
        sys.argv = ["report.py", "--run", os.path.join(self.dir, "run"),
                    "--passes", self.passes, "--expected", self.expected,
                    "--config", self.config]
        out = io.StringIO()
        try:
            with redirect_stdout(out):
                rc = report.main()
        finally:
            sys.argv = argv
        return rc, out.getvalue()

    def joined(self, name):
        return "\n".join(data(name)) + "\n"


class ReportTest(RunFolder):
    """report.py end to end on made-up run folders."""

    def test_all_good(self):
        rc, out = self.run_pass(self.joined("hmm-tests-skips.log"),
                                self.joined("kunit-pass.console"))
        self.assertEqual(rc, 0, out)
        self.assertEqual(out.splitlines()[-1], "8 passed, 0 failed, 3 skipped")
        self.assertIn("2 skipped: DEVICE_COHERENT not available", out)

    def test_warning_in_kernel_log_fails_although_tests_pass(self):
        console = self.joined("kunit-pass.console") + "[ 9.0] WARNING: CPU: 0 PID: 1 at x\n"
        rc, out = self.run_pass(self.joined("hmm-tests-skips.log"), console)
        self.assertEqual(rc, 1)
        self.assertEqual(out.splitlines()[-1], "8 passed, 1 failed, 3 skipped")
        self.assertIn("[warning] WARNING: CPU: 0 PID: 1 at x (line 26)", out)

    def test_a_kernel_log_failure_shows_its_trace(self):
        console = self.joined("kunit-pass.console") + (
            "[ 9.0] kernel BUG at include/linux/page-flags.h:345!\n"
            "[ 9.1] Call Trace:\n"
            "[ 9.2]  migrate_device_range+0x2f3/0x3a0\n")
        rc, out = self.run_pass(self.joined("hmm-tests-skips.log"), console)
        self.assertEqual(rc, 1)
        self.assertIn("private: |  migrate_device_range+0x2f3/0x3a0", out)

    def test_every_vcpu_came_up(self):
        console = self.joined("kunit-pass.console") + "[ 0.5] smp: Brought up 1 node, 2 CPUs\n"
        rc, out = self.run_pass(self.joined("hmm-tests-skips.log"), console,
                                "qemu_exit=0\nseconds=3\nvcpus=2\n")
        self.assertEqual(rc, 0, out)

    def test_a_guest_on_fewer_vcpus_than_it_was_given_fails(self):
        console = self.joined("kunit-pass.console") + "[ 0.5] smp: Brought up 1 node, 1 CPU\n"
        rc, out = self.run_pass(self.joined("hmm-tests-skips.log"), console,
                                "qemu_exit=0\nseconds=3\nvcpus=2\n")
        self.assertEqual(rc, 1)
        self.assertIn("the guest brought up 1 of its 2 vCPUs", out)

    def test_a_guest_that_never_says_how_many_vcpus_came_up_fails(self):
        rc, out = self.run_pass(self.joined("hmm-tests-skips.log"),
                                self.joined("kunit-pass.console"),
                                "qemu_exit=0\nseconds=3\nvcpus=2\n")
        self.assertEqual(rc, 1)
        self.assertIn("never says how many of the 2 vCPUs came up", out)

    def test_guest_that_never_reports_fails_with_the_last_lines(self):
        rc, out = self.run_pass("", "[ 0.1] Booting\n[ 0.2] last words\n",
                                "qemu_exit=124\nseconds=900\n")
        self.assertEqual(rc, 1)
        self.assertIn("never started its tests (QEMU exit 124 after 900s)", out)
        self.assertIn("| [ 0.2] last words", out)
        self.assertIn("holds no KUnit results", out)
        self.assertEqual(out.splitlines()[-1], "0 passed, 2 failed, 0 skipped")

    def test_hang_in_hmm_tests(self):
        rc, out = self.run_pass(self.joined("hmm-tests-hang.log"),
                                self.joined("kunit-pass.console"))
        self.assertEqual(rc, 1)
        self.assertIn("never finished its tests", out)
        self.assertIn("step hmm-tests never finished (in hmm.hmm_device_private.migrate)",
                      out)
        # What it printed before still counts.
        self.assertRegex(out, r"hmm-tests:hmm.hmm_device_private +1 +0 +0")

    def test_failed_test_and_expected_failure_list(self):
        tests = self.joined("hmm-tests-fail.log").replace("pass=coherent", "pass=private")
        rc, out = self.run_pass(tests, self.joined("kunit-pass.console"))
        self.assertEqual(rc, 1)
        self.assertIn("hmm-tests:hmm.hmm_device_coherent.migrate: failed", out)

        self.expect("private test /hmm-tests:hmm\\.hmm_device_coherent\\.migrate/ "
                    "oopses on the base\n")
        rc, out = self.run_pass(tests, self.joined("kunit-pass.console"))
        self.assertEqual(rc, 0, out)
        self.assertIn("[matched 1]", out)
        self.assertIn("1 expected failures", out)

    def test_expected_failure_that_no_longer_happens_fails(self):
        self.expect("private log /Oops/ fixed by now\n")
        rc, out = self.run_pass(self.joined("hmm-tests-skips.log"),
                                self.joined("kunit-pass.console"))
        self.assertEqual(rc, 1)
        self.assertIn("expected failure 'Oops' did not happen", out)

    def test_crash_during_kunit(self):
        rc, out = self.run_pass("", self.joined("kunit-crash.console"))
        self.assertEqual(rc, 1)
        self.assertIn("kunit:zone_device_folio", out)
        self.assertIn("[oops]", out)
        self.assertIn("[panic]", out)

    LEFT_OUT = ("zdfolio: begin pass=private\nzdfolio: step left-out start\n{}"
                "zdfolio: step left-out exit={}\n")

    def run_left_out(self, lines, rc):
        tests = self.LEFT_OUT.format(lines, rc) + \
            self.joined("hmm-tests-skips.log").split("\n", 1)[1]
        return self.run_pass(tests, self.joined("kunit-pass.console"))

    def test_cases_left_out_by_the_command_line_are_skips(self):
        rc, out = self.run_left_out(
            "zdfolio: left out hmm.hmm_device_private.benchmark_thp_migration\n"
            "zdfolio: left out hmm.hmm_device_coherent.benchmark_thp_migration\n"
            "zdfolio: left out hmm2.hmm2_device_private.other\n", 0)
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"private +hmm-tests:left-out +0 +0 +3")
        self.assertIn("2 skipped: benchmark_thp_migration left out on this kernel "
                      "(zdfolio.skip=; kernel/PROFILE.cmdline says why)", out)
        self.assertIn("1 skipped: other left out on this kernel", out)
        self.assertEqual(out.splitlines()[-1], "8 passed, 0 failed, 6 skipped")

    def test_a_skip_that_names_no_test_fails(self):
        rc, out = self.run_left_out(
            "zdfolio.skip=benchmark_thp_migraton: hmm-tests has no such test\n", 1)
        self.assertEqual(rc, 1, out)
        self.assertIn("step left-out exited 1", out)
        self.assertIn("zdfolio.skip=benchmark_thp_migraton: hmm-tests has no such test", out)

    def test_a_left_out_step_that_names_nothing_fails(self):
        rc, out = self.run_left_out("", 0)
        self.assertEqual(rc, 1, out)
        self.assertIn("step left-out named no hmm-tests case", out)

    STRESS = ("zdfolio: begin pass=private\nzdfolio: step hmm-stress start\n{}"
              "zdfolio: step hmm-stress exit={}\nzdfolio: end\n")

    def test_stress_run_counts_its_results(self):
        out_ok = "TAP version 13\n1..2\nok 1 thread_0_cycles # 10 of 10\n" \
                 "ok 2 device_pages_all_back\n"
        rc, out = self.run_pass(self.STRESS.format(out_ok, 0),
                                self.joined("kunit-pass.console"))
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"private +hmm-stress:cycles +2 +0 +0")

    def test_stress_leak_fails(self):
        leak = "TAP version 13\n1..2\nok 1 thread_0_cycles\n" \
               "not ok 2 device_pages_all_back # 512 device pages leaked\n"
        rc, out = self.run_pass(self.STRESS.format(leak, 1),
                                self.joined("kunit-pass.console"))
        self.assertEqual(rc, 1)
        self.assertIn("device_pages_all_back: failed (512 device pages leaked)", out)

    def test_stress_program_missing_fails(self):
        missing = "sh: /bin/hmm-stress: not found\n"
        rc, out = self.run_pass(self.STRESS.format(missing, 127),
                                self.joined("kunit-pass.console"))
        self.assertEqual(rc, 1)
        self.assertIn("hmm-stress reported no results", out)
        self.assertIn("/bin/hmm-stress: not found", out)


class KunitSwitchTest(RunFolder):
    """Whether KUnit had to report is read from the command line the guest
    booted with, not only from vm/passes."""

    def test_kunit_switched_off_by_the_guests_command_line_is_not_missed(self):
        tests = self.joined("hmm-tests-skips.log").replace(
            "zdfolio: begin pass=private\n",
            "zdfolio: begin pass=private\nzdfolio: cmdline console=ttyS0 kunit.enable=0\n")
        rc, out = self.run_pass(tests, "[ 0.1] smpboot: Total of 2 processors activated\n")
        self.assertEqual(rc, 0, out)

    def test_kunit_switched_back_on_must_report(self):
        tests = self.joined("hmm-tests-skips.log").replace(
            "zdfolio: begin pass=private\n",
            "zdfolio: begin pass=private\n"
            "zdfolio: cmdline kunit.enable=0 quiet kunit.enable=1\n")
        rc, out = self.run_pass(tests, "[ 0.1] smpboot: Total of 2 processors activated\n")
        self.assertEqual(rc, 1)
        self.assertIn("the config enables KUnit suites", out)

    def test_without_the_guests_line_the_given_command_line_counts(self):
        pass_dir = os.path.join(self.dir, "run", "private")
        os.makedirs(pass_dir)
        with open(os.path.join(pass_dir, "cmdline"), "w") as f:
            f.write("console=ttyS0 zdfolio.pass=private kunit.enable=0\n")
        rc, out = self.run_pass(self.joined("hmm-tests-skips.log"),
                                "[ 0.1] smpboot: Total of 2 processors activated\n")
        self.assertEqual(rc, 0, out)


class KunitModuleTest(RunFolder):
    """The zone_device suite also runs as a module, after boot."""

    MODULE_KTAP = [
        "[ 5.1] KTAP version 1", "[ 5.1] 1..1",
        "[ 5.1]     KTAP version 1", "[ 5.1]     # Subtest: zone_device_folio",
        "[ 5.1]     1..2", "[ 5.1]     ok 1 reuse_at_other_order",
        "[ 5.1]     {} 2 pgmap_unmaps", "[ 5.1] {} 1 zone_device_folio",
    ]

    def setUp(self):
        super().setUp()
        with open(self.config, "a") as f:
            f.write("CONFIG_ZONE_DEVICE_KUNIT_TEST=y\n")

    def module_run(self, status="ok"):
        """tests.log and console.log of a pass whose module run ended so."""
        ktap_lines = [line.format(status) for line in self.MODULE_KTAP]
        tests = self.joined("hmm-tests-skips.log").replace(
            "zdfolio: begin pass=private\n",
            "zdfolio: begin pass=private\nzdfolio: step kunit-module start\n" +
            "\n".join(ktap_lines) + "\nzdfolio: step kunit-module exit=0\n")
        console = (self.joined("kunit-pass.console") +
                   "[ 5.0] zdfolio: KUnit module run follows\n" + "\n".join(ktap_lines) + "\n")
        return tests, console

    def test_module_results_are_counted_once_under_their_own_name(self):
        rc, out = self.run_pass(*self.module_run())
        self.assertEqual(rc, 0, out)
        self.assertRegex(out, r"private +kunit-module:zone_device_folio +2 +0 +0")
        self.assertRegex(out, r"private +kunit:zone_device_folio +3 +0 +1")
        self.assertEqual(out.splitlines()[-1], "10 passed, 0 failed, 3 skipped")

    def test_failing_module_case_fails(self):
        rc, out = self.run_pass(*self.module_run("not ok"))
        self.assertEqual(rc, 1)
        self.assertIn("kunit-module:zone_device_folio.pgmap_unmaps: failed", out)

    def test_module_run_that_never_happened_fails(self):
        rc, out = self.run_pass(self.joined("hmm-tests-skips.log"),
                                self.joined("kunit-pass.console"))
        self.assertEqual(rc, 1)
        self.assertIn("never ran it as a module", out)

    def test_module_that_printed_nothing_fails(self):
        tests, console = self.module_run()
        tests = "\n".join(line for line in tests.splitlines()
                          if not line.startswith("[ 5.1]")) + "\n"
        rc, out = self.run_pass(tests, console)
        self.assertEqual(rc, 1)
        self.assertIn("the KUnit module printed no results", out)


class MarkersTest(unittest.TestCase):
    """report.py reads the guest's marker lines from vm/markers, strictly."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        with open(report.MARKERS_PATH) as f:
            self.lines = f.read().splitlines()

    def read(self, lines):
        path = os.path.join(self.dir, "markers")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path, report.read_markers(path)

    def refused(self, lines, message):
        with self.assertRaises(SystemExit) as raised:
            self.read(lines)
        self.assertIn(os.path.join(self.dir, "markers"), str(raised.exception))
        self.assertIn(message, str(raised.exception))

    def test_the_values_of_recorded_logs(self):
        self.assertEqual(report.MARKERS, {
            "MARK_BEGIN": "zdfolio: begin", "MARK_CMDLINE": "zdfolio: cmdline",
            "MARK_STEP": "zdfolio: step", "MARK_STEP_START": "start",
            "MARK_STEP_EXIT": "exit=", "MARK_LEFT_OUT": "zdfolio: left out",
            "MARK_MODULE_RUN": "zdfolio: KUnit module run follows",
            "MARK_END": "zdfolio: end"})

    def test_values_are_strings_not_regexes(self):
        lines = [line.replace("'zdfolio: step'", "'zd.+ step'") for line in self.lines]
        _, markers = self.read(lines)
        self.assertEqual(markers["MARK_STEP"], "zd.+ step")

    def test_an_unknown_marker_is_an_error(self):
        self.refused(self.lines + ["MARK_NEW='zdfolio: new'"], "unknown marker MARK_NEW")

    def test_a_missing_marker_is_an_error(self):
        self.refused([line for line in self.lines if not line.startswith("MARK_END=")],
                     "no MARK_END")

    def test_a_marker_twice_is_an_error(self):
        self.refused(self.lines + ["MARK_END='zdfolio: end'"], "MARK_END again")

    def test_what_sh_would_read_otherwise_is_an_error(self):
        for line in ('MARK_END="zdfolio: end"', "MARK_END=zdfolio", "MARK_END='a\\tb'",
                     "MARK_END=''", " MARK_END='zdfolio: end'", "export MARK_END"):
            with self.subTest(line=line):
                self.refused(self.lines + [line], "want NAME='VALUE'")

    def test_no_file_is_an_error(self):
        with self.assertRaises(SystemExit) as raised:
            report.read_markers(os.path.join(self.dir, "none"))
        self.assertIn(os.path.join(self.dir, "none"), str(raised.exception))


if __name__ == "__main__":
    unittest.main()
