"""bench/table.py and bench/rows.py, the code that turns the benchmarks' rows
into the one table of `make bench`: medians, min-max, ratios, missed targets,
and the rows bench/run.py reads back. No benchmark runs here."""
import io
import json
import os
import sys
import unittest
from contextlib import redirect_stdout

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "bench"))
import rows  # noqa: E402
import run  # noqa: E402
import table  # noqa: E402


class MedianAndFigure(unittest.TestCase):
    def test_median_odd_and_even(self):
        self.assertEqual(table.median([5, 1, 3]), 3)
        self.assertEqual(table.median([4, 1, 3, 2]), 2.5)
        with self.assertRaises(ValueError):
            table.median([])

    def test_figure_shows_min_and_max(self):
        self.assertEqual(table.figure([0.03, 0.01, 0.02], "s"), "0.02 s (0.01–0.03 s)")
        self.assertEqual(table.figure([2048, 2048], "KiB"), "2.0 MiB")
        self.assertEqual(table.figure([12.0], "ms"), "12.0 ms")
        self.assertEqual(table.figure([0.015, 0.02], "share"), "1.8 % (1.5–2.0 %)")


class Rows(unittest.TestCase):
    def row(self, **kw):
        r = {"figure": "Export: wall", "unit": "s", "ours": [1.0, 2.0, 3.0], "peer": "boto3",
             "peer_values": [4.0, 8.0, 6.0]}
        r.update(kw)
        return table.check(r)

    def test_ratio_is_ours_over_peer_medians(self):
        self.assertAlmostEqual(table.ratio(self.row()), 2.0 / 6.0)
        self.assertIsNone(table.ratio(self.row(peer_values=[0.0])))
        self.assertIsNone(table.ratio({"figure": "x", "unit": "s", "ours": [1.0]}))

    def test_markdown_has_one_line_a_row_under_the_header(self):
        md = table.markdown([self.row(), {"figure": "Lonely", "unit": "count", "ours": [1.0]}])
        lines = md.splitlines()
        self.assertEqual(lines[0], "| figure | ours | peer | peer's figure | ratio (ours / peer) |")
        self.assertEqual(lines[2], "| Export: wall | 2.00 s (1.00–3.00 s) | boto3 | 6.00 s (4.00–8.00 s) | 0.33× |")
        self.assertEqual(lines[3], "| Lonely | 1 | — | — | — |")
        self.assertEqual(len(lines), 4)

    def test_missed_targets_and_bounds_become_notes(self):
        target = self.row(peer="target", peer_values=[1.5], kind="target", source="issue 6", unit="ms")
        self.assertIn("misses the target < 1.50 ms (issue 6)", table.missed(target))
        self.assertIsNone(table.missed(self.row(peer="target", peer_values=[5.0], kind="target")))
        higher = self.row(peer="target", peer_values=[5.0], kind="target", better="higher")
        self.assertIn("> 5.00 s", table.missed(higher))
        bound = self.row(peer="quota bound", peer_values=[1.5], kind="bound", max_ratio=1.15)
        self.assertIn("1.33× the bound, over the target of 1.15×", table.missed(bound))
        self.assertIsNone(table.missed(self.row(peer="quota bound", peer_values=[1.9], kind="bound",
                                                max_ratio=1.15)))
        behind = self.row(ours=[7.0], max_ratio=1.0)
        self.assertIn("boto3's", table.missed(behind))
        self.assertIsNone(table.missed(self.row()))

    def test_bad_rows_are_refused_by_name(self):
        with self.assertRaisesRegex(ValueError, "'unit'"):
            table.check({"figure": "x", "ours": [1]})
        with self.assertRaisesRegex(ValueError, "non-numeric"):
            table.check({"figure": "x", "unit": "s", "ours": ["fast"]})
        with self.assertRaisesRegex(ValueError, "no peer"):
            table.check({"figure": "x", "unit": "s", "ours": [1], "peer_values": [2]})


class RoundTrip(unittest.TestCase):
    def test_what_a_script_emits_the_driver_reads(self):
        buf = io.StringIO()
        with redirect_stdout(buf):
            print("a line for the log")
            rows.emit("Call: wall", "ms", [3, 1, 2], "aws", [30, 10, 20])
            rows.note("a note")
        parsed = [run.parse(line.encode()) for line in buf.getvalue().splitlines()]
        self.assertIsNone(parsed[0])
        self.assertEqual(table.markdown_row(table.check(parsed[1])),
                         "| Call: wall | 2.00 ms (1.00–3.00 ms) | aws | 20.0 ms (10.0–30.0 ms) | 0.10× |")
        self.assertEqual(parsed[2], {"note": "a note"})
        self.assertIsNone(run.parse(b"{not json"))
        self.assertIsNone(run.parse(json.dumps({"other": 1}).encode()))

    def test_alternate_takes_turns(self):
        order = []
        a, b = rows.alternate(3, lambda: order.append("a") or 1, lambda: order.append("b") or 2)
        self.assertEqual(order, ["a", "b"] * 3)
        self.assertEqual((a, b), ([1, 1, 1], [2, 2, 2]))

    def test_measure_reports_the_child(self):
        c = rows.measure(["/bin/sh", "-c", "echo out; exit 3"])
        self.assertEqual((c.code, c.out), (3, b"out\n"))
        self.assertGreater(c.rss_kib, 0)
        self.assertGreaterEqual(c.wall, 0)

    def test_measured_rss_is_the_childs_not_ours(self):
        ballast = bytearray(96 << 20)  # this process large and resident: a fork inherits it
        for i in range(0, len(ballast), 4096):
            ballast[i] = 1
        c = rows.measure(["/bin/sh", "-c", "exit 0"])
        self.assertLess(c.rss_kib, 48 << 10)
        del ballast


if __name__ == "__main__":
    unittest.main()
