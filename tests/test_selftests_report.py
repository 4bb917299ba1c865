"""Tests of selftests-report.py, the comparison of the mm selftests on the
base's kernel and the series', on small guest logs written here in the
format of vm/init and run_vmtests.sh."""

import io
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "..", "scripts", "selftests-report.py")

CMDLINE = "zdfolio: cmdline console=ttyS0 zdfolio.selftests=cow:thp"
CONSOLE = ["[    0.100000] smp: Brought up 2 nodes, 3 CPUs", "[    9.000000] reboot: Restarting system"]


def cow(sub3="ok 3 Extra pages 16", sub2="ok 2 Basic COW after fork() with THP"):
    return [
        "zdfolio: step mm-cow start",
        "TAP version 13",
        "# SKIP ./on-fault-limit",
        "# -------------",
        "# running ./cow",
        "# -------------",
        "# TAP version 13",
        "# 1..3",
        "# ok 1 Basic COW after fork()",
        "# " + sub2,
        "# " + sub3,
        "# # Totals: pass:3 fail:0 xfail:0 xpass:0 skip:0 error:0",
        "# [PASS]",
        "ok 1 cow",
        "# SUMMARY: PASS=1 SKIP=0 FAIL=0",
        "1..1",
        "zdfolio: step mm-cow exit=0",
        "zdfolio: step mm-cow took 12 s",
    ]


def thp(khugepaged="ok 1 khugepaged", exit_code=0):
    return [
        "zdfolio: step mm-thp start",
        "TAP version 13",
        "# ---------------",
        "# running ./khugepaged",
        "# ---------------",
        "# ok 1 collapse fully populated PTE table # SKIP no swap",
        "# [PASS]",
        khugepaged,
        "# [SKIP] ./khugepaged all:file",
        "# -----------------",
        "# running ./migration",
        "# -----------------",
        "# 1..0 # SKIP Not enough threads or NUMA nodes available",
        "# [SKIP]",
        "ok 2 migration # SKIP",
        "1..2",
        f"zdfolio: step mm-thp exit={exit_code}",
    ]


def guest(steps, end=True, again=None):
    """The test line of a guest; AGAIN: the categories of a second run,
    given after the pass's own as selftests-mm.sh gives them."""
    cmdline = CMDLINE + (f" zdfolio.selftests={again}" if again else "")
    lines = ["zdfolio: begin pass=mm", cmdline, "zdfolio: step mm-setup start",
             "zdfolio: step mm-setup exit=0"] + steps
    return lines + (["zdfolio: end"] if end else [])


class SelftestsReportTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)

    def write(self, name, tests, console=CONSOLE, vcpus=3):
        folder = os.path.join(self.dir, name)
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        with open(os.path.join(folder, "tests.log"), "w") as f:
            f.write("\n".join(tests) + "\n")
        with open(os.path.join(folder, "console.log"), "w") as f:
            f.write("\n".join(console) + "\n")
        with open(os.path.join(folder, "status"), "w") as f:
            f.write(f"qemu_exit=0\nseconds=9\nvcpus={vcpus}\n")
        return folder

    def run_report(self, base, series, *options, again=None, **kwargs):
        base_dir = self.write("base", base, **kwargs.get("base_args", {}))
        series_dir = self.write("series", series, **kwargs.get("series_args", {}))
        table = os.path.join(self.dir, "table.txt")
        if again:
            options += ("--again-base", self.write("again-base", again[0]),
                        "--again-series", self.write("again-series", again[1]))
        done = subprocess.run([sys.executable, SCRIPT, "--base", base_dir, "--series",
                               series_dir, "--table", table, *options],
                              capture_output=True, text=True)
        self.assertEqual(done.stderr, "")
        return done.returncode, done.stdout

    def test_same_results_pass(self):
        rc, out = self.run_report(guest(cow() + thp()), guest(cow() + thp()))
        self.assertEqual(rc, 0, out)
        self.assertIn("cow                    1/0/0       3/0/0          1/0/0       3/0/0   12/12", out)
        self.assertIn("thp                    1/0/2       0/0/1          1/0/2       0/0/1   -/-", out)
        self.assertIn("base: 5 passed, 0 failed, 3 skipped; series: 5 passed, 0 failed, 3 skipped", out)
        self.assertTrue(out.endswith("0 regressions, 0 failing on both, 0 fixed, 0 flaky, "
                                     "0 other failures\n"), out)

    def test_subtest_failing_on_the_series_only_fails(self):
        rc, out = self.run_report(guest(cow() + thp()), guest(
            cow(sub2="not ok 2 Basic COW after fork() with THP") + thp()))
        self.assertEqual(rc, 1)
        self.assertIn("REGRESSION (does not fail on the base, fails or is lost on the series): 1\n"
                      "  cow: cow: Basic COW after fork() with THP: base passed, series failed", out)

    def test_regressed_names_the_categories_to_run_again(self):
        bad_cow = cow(sub2="not ok 2 Basic COW after fork() with THP")
        bad_thp = thp(khugepaged="not ok 1 khugepaged # exit=1", exit_code=1)
        rc, out = self.run_report(guest(cow() + thp()), guest(bad_cow + bad_thp), "--regressed")
        self.assertEqual((rc, out), (0, "cow:thp\n"))
        rc, out = self.run_report(guest(cow() + thp()), guest(cow() + thp()), "--regressed")
        self.assertEqual((rc, out), (0, "\n"))
        warning = CONSOLE + ["[    5.000000] BUG: Bad rss-counter state mm:00000000534a108d"]
        rc, out = self.run_report(guest(cow() + thp()), guest(bad_cow + bad_thp), "--regressed",
                                  series_args={"console": warning})
        self.assertEqual((rc, out), (0, "\n"), "a run failing anyway is not run again")

    def run_twice(self, series_first, base_again, series_again):
        """The report of a first run where the series' cow step is
        SERIES_FIRST, and a second run of cow alone."""
        return self.run_report(guest(cow() + thp()), guest(series_first + thp()),
                               again=(guest(base_again, again="cow"),
                                      guest(series_again, again="cow")))

    def test_regression_that_does_not_come_again_is_flaky(self):
        bad_cow = cow(sub2="not ok 2 Basic COW after fork() with THP")
        rc, out = self.run_twice(bad_cow, cow(), cow())
        self.assertEqual(rc, 0, out)
        self.assertIn("flaky: regressions of a category that has none when both kernels run it "
                      "again: 1\n"
                      "  cow: cow: Basic COW after fork() with THP: base passed, series failed", out)

    def test_regression_that_comes_again_fails(self):
        bad_cow = cow(sub2="not ok 2 Basic COW after fork() with THP")
        rc, out = self.run_twice(bad_cow, cow(), bad_cow)
        self.assertEqual(rc, 1, out)
        self.assertIn("REGRESSION (does not fail on the base, fails or is lost on the series): 1\n"
                      "  cow: cow: Basic COW after fork() with THP", out)

    def test_another_regression_of_the_category_in_the_second_run_fails(self):
        first = cow(sub2="not ok 2 Basic COW after fork() with THP")
        second = cow(sub3="not ok 3 Extra pages 16")
        rc, out = self.run_twice(first, cow(), second)
        self.assertEqual(rc, 1, out)
        self.assertIn("REGRESSION (does not fail on the base, fails or is lost on the series): 2\n"
                      "  cow: cow: Basic COW after fork() with THP: base passed, series failed\n"
                      "  cow: cow: Extra pages 16: base passed, series failed", out)

    def test_the_base_failing_in_the_second_run_excuses_nothing(self):
        bad_cow = cow(sub2="not ok 2 Basic COW after fork() with THP")
        rc, out = self.run_twice(bad_cow, bad_cow, bad_cow)
        self.assertEqual(rc, 1, out)

    def test_a_nameless_skip_is_a_skip_with_its_reason(self):
        rc, out = self.run_report(guest(cow(sub3="ok 3 # SKIP Pagecache folio split skipped") + thp()),
                                  guest(cow() + thp()))
        self.assertIn("     1 Pagecache folio split skipped: cow: cow: Pagecache folio split skipped",
                      out)
        rc, out = self.run_report(guest(cow() + thp()),
                                  guest(cow(sub3="ok 3 # SKIP Pagecache folio split skipped") + thp()))
        self.assertEqual(rc, 1, out)

    def test_a_program_that_cannot_run_fails_even_on_both(self):
        gone = thp(khugepaged="not ok 1 khugepaged # exit=127", exit_code=1)
        rc, out = self.run_report(guest(cow() + gone), guest(cow() + gone))
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL base: thp: khugepaged could not run (exit code 127)", out)

    def test_a_running_line_inside_a_program_keeps_its_subtests(self):
        inside = cow(sub2="ok 2 Basic COW after fork() with THP\n# running ./something")
        inside = [line for item in inside for line in item.split("\n")]
        bad = cow(sub2="not ok 2 Basic COW after fork() with THP\n# running ./something")
        bad = [line for item in bad for line in item.split("\n")]
        rc, out = self.run_report(guest(inside + thp()), guest(bad + thp()))
        self.assertEqual(rc, 1, out)

    def test_the_benchmark_is_listed_not_judged(self):
        def hmm(result):
            return ["zdfolio: step mm-hmm start", "# running bash ./test_hmm.sh smoke",
                    f"# {result} 35 hmm.hmm_device_private.benchmark_thp_migration",
                    "ok 1 test_hmm.sh smoke", "zdfolio: step mm-hmm exit=0"]
        cmdline = "zdfolio.selftests=cow:thp:hmm"
        rc, out = self.run_report(guest(cow() + thp() + hmm("ok"), again=cmdline[18:]),
                                  guest(cow() + thp() + hmm("not ok"), again=cmdline[18:]))
        self.assertEqual(rc, 0, out)
        self.assertIn("not judged: hmm: test_hmm.sh smoke: hmm.hmm_device_private."
                      "benchmark_thp_migration: base passed, series failed (a benchmark", out)

    def test_the_ksm_unmerge_race_is_listed_not_judged(self):
        def ksm(unmerge, merge="ok"):
            lines = ["zdfolio: step mm-ksm start"]
            for n, (command, subtest, result) in enumerate(
                    (("./ksm_tests -M -p 10", "KSM merging", merge),
                     ("./ksm_tests -U", "KSM unmerging", unmerge)), 1):
                lines += [f"# running {command}", "# TAP version 13", "# 1..1",
                          f"# {result} 1 {subtest}",
                          f"{result} {n} {command[2:]}" + (" # exit=1" if result != "ok" else "")]
            return lines + ["zdfolio: step mm-ksm exit=0"]
        cmdline = "zdfolio.selftests=cow:thp:ksm"
        rc, out = self.run_report(guest(cow() + thp() + ksm("ok"), again=cmdline[18:]),
                                  guest(cow() + thp() + ksm("not ok"), again=cmdline[18:]))
        self.assertEqual(rc, 0, out)
        self.assertIn("not judged: ksm: ksm_tests -U: base passed, series failed (exit code 1) (races ksmd", out)
        self.assertIn("not judged: ksm: ksm_tests -U: KSM unmerging: base passed, series failed", out)
        # The rest of the category is judged as ever.
        rc, out = self.run_report(guest(cow() + thp() + ksm("ok"), again=cmdline[18:]),
                                  guest(cow() + thp() + ksm("ok", merge="not ok"),
                                        again=cmdline[18:]))
        self.assertEqual(rc, 1, out)
        self.assertIn("ksm: ksm_tests -M -p 10: base passed, series failed", out)

    def test_the_second_run_has_its_kernel_log_scanned(self):
        bad_cow = cow(sub2="not ok 2 Basic COW after fork() with THP")
        warning = CONSOLE + ["[    5.000000] BUG: Bad page state in process cow  pfn:1234"]
        base_dir = self.write("again-base", guest(cow(), again="cow"), console=warning)
        rc, out = self.run_report(guest(cow() + thp()), guest(bad_cow + thp()),
                                  "--again-base", base_dir,
                                  "--again-series", self.write("again-series", guest(cow(), again="cow")))
        self.assertEqual(rc, 1, out)
        self.assertIn("FAIL base: kernel log [bug]", out)

    def test_numbers_in_a_subtest_name_do_not_make_it_another(self):
        rc, out = self.run_report(guest(cow() + thp()), guest(cow(sub3="ok 3 Extra pages 21") + thp()))
        self.assertEqual(rc, 0, out)

    def test_subtest_lost_on_the_series_fails(self):
        rc, out = self.run_report(guest(cow() + thp()), guest(cow(sub3="") + thp()))
        self.assertEqual(rc, 1)
        self.assertIn("  cow: cow: Extra pages 16: base passed, series did not run", out)

    def test_pass_on_the_base_skip_on_the_series_fails(self):
        rc, out = self.run_report(guest(cow() + thp()), guest(
            cow(sub2="ok 2 Basic COW after fork() with THP # SKIP THP not available") + thp()))
        self.assertEqual(rc, 1)
        self.assertIn("base passed, series skipped (THP not available)", out)

    def test_failing_on_both_is_listed_and_passes(self):
        failing = thp(khugepaged="not ok 1 khugepaged # exit=1", exit_code=1)
        rc, out = self.run_report(guest(cow() + failing), guest(cow() + failing))
        self.assertEqual(rc, 0, out)
        self.assertIn("failing on both kernels (not the series' doing): 1\n"
                      "  thp: khugepaged: base failed (exit code 1), series failed (exit code 1)", out)

    def test_fixed_by_the_series_is_listed(self):
        failing = thp(khugepaged="not ok 1 khugepaged # exit=1", exit_code=1)
        rc, out = self.run_report(guest(cow() + failing), guest(cow() + thp()))
        self.assertEqual(rc, 0, out)
        self.assertIn("failing on the base only (fixed by the series, or flaky there): 1", out)

    def test_skips_say_why(self):
        rc, out = self.run_report(guest(cow() + thp()), guest(cow() + thp()))
        self.assertIn("skipped on the base: 3, by the reason the test gives:", out)
        self.assertIn("Not enough threads or NUMA nodes available: thp: migration", out)
        self.assertIn("no swap: thp: khugepaged: collapse fully populated PTE table", out)
        self.assertIn("no XFS image to collapse file THPs on", out)
        self.assertNotIn("on-fault-limit", out)

    def test_kernel_log_report_of_either_fails(self):
        warning = CONSOLE + ["[    5.000000] WARNING: CPU: 1 PID: 80 at mm/huge_memory.c:3000 foo+0x1/0x2"]
        rc, out = self.run_report(guest(cow() + thp()), guest(cow() + thp()),
                                  base_args={"console": warning})
        self.assertEqual(rc, 1)
        self.assertIn("FAIL base: kernel log [warning] [    5.000000] WARNING: CPU: 1", out)

    def test_guest_that_never_finished_fails(self):
        rc, out = self.run_report(guest(cow() + thp()), guest(cow() + thp()[:5], end=False))
        self.assertEqual(rc, 1)
        self.assertIn("FAIL series: the guest never finished its tests", out)
        self.assertIn("FAIL series: thp: khugepaged never ended (the guest crashed or hung)", out)

    def test_category_that_never_ran_fails(self):
        rc, out = self.run_report(guest(cow() + thp()), guest(cow()))
        self.assertEqual(rc, 1)
        self.assertIn("FAIL series: thp: never ran", out)

    def test_failing_exit_without_a_failed_test_fails(self):
        rc, out = self.run_report(guest(cow() + thp()), guest(cow() + thp(exit_code=1)))
        self.assertEqual(rc, 1)
        self.assertIn("FAIL series: thp: run_vmtests.sh exited 1 and no test failed", out)

    def test_a_command_the_guest_lacks_fails(self):
        lacking = thp()
        lacking.insert(2, "./run_vmtests.sh: line 224: tr: command not found")
        rc, out = self.run_report(guest(cow() + thp()), guest(cow() + lacking))
        self.assertEqual(rc, 1)
        self.assertIn("FAIL series: thp: the guest has no tr: "
                      "'./run_vmtests.sh: line 224: tr: command not found'", out)

    def test_missing_vcpus_fail(self):
        rc, out = self.run_report(guest(cow() + thp()), guest(cow() + thp()),
                                  series_args={"vcpus": 4})
        self.assertEqual(rc, 1)
        self.assertIn("FAIL series: the guest brought up 3 of its 4 vCPUs", out)


if __name__ == "__main__":
    unittest.main()
