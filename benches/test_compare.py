"""Tests of compare.py's SVG chart: python3 -m unittest benches/test_compare.py"""
import os, re, sys, unittest
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402

NS = "{http://www.w3.org/2000/svg}"
META = {"date": "2026-01-02", "cores": 2, "cpu": "Test CPU <x> & co", "runs": 3}


def row(notes, tool, median, peak):
    return {"corpus": "synthetic", "notes": notes, "tool": tool, "walls": [median], "median": median, "peak_mib": peak}


ROWS = [
    {"corpus": "book", "notes": 45, "tool": "handbook", "walls": [0.05], "median": 0.05, "peak_mib": 22.0},
    row(1000, "handbook", 0.23, 82.0), row(1000, "hugo", 2.1, 343.0), row(1000, "mdbook", 4.1, 387.0),
    row(1000, "zola", 1.5, 250.0),
    row(5000, "handbook", 1.28, 362.0), row(5000, "hugo", 10.2, 1620.0),
    {"corpus": "synthetic", "notes": 5000, "tool": "mdbook", "did_not_finish": 60},
    row(5000, "zola", 8.0, 1100.0),
    row(50000, "handbook", 13.0, 3500.0), row(50000, "hugo", 110.0, 16000.0),
    {"corpus": "synthetic", "notes": 50000, "tool": "mdbook", "not_run_after": 5000},
    row(50000, "zola", 90.0, 11000.0),
]


class SvgPlot(unittest.TestCase):
    def setUp(self):
        self.svg = compare.svg_plot(ROWS, META)
        self.root = ET.fromstring(self.svg)

    def test_parses_as_svg(self):
        self.assertEqual(self.root.tag, NS + "svg")

    def test_one_line_per_tool_per_chart(self):
        lines = self.root.findall(f".//{NS}polyline")
        tools = [l.get("data-tool") for l in lines]
        self.assertEqual(len(lines), 2 * 4)
        for tool in ("handbook", "hugo", "mdbook", "zola"):
            self.assertEqual(tools.count(tool), 2)
        self.assertEqual(self.root.findall(f".//{NS}path"), [])

    def test_no_point_where_a_tool_did_not_finish(self):
        for line in self.root.findall(f".//{NS}polyline"):
            points = line.get("points").split()
            self.assertEqual(len(points), 1 if line.get("data-tool") == "mdbook" else 3)

    def test_lines_stay_inside_the_plot_areas(self):
        areas = [r for r in self.root.findall(f"{NS}rect") if r.get("fill") == "none"]
        self.assertEqual(len(areas), 2)
        for line in self.root.findall(f".//{NS}polyline"):
            for p in line.get("points").split():
                x, y = map(float, p.split(","))
                self.assertTrue(any(float(a.get("x")) - 0.5 <= x <= float(a.get("x")) + float(a.get("width")) + 0.5
                                    and float(a.get("y")) - 0.5 <= y <= float(a.get("y")) + float(a.get("height")) + 0.5
                                    for a in areas), p)

    def test_self_contained(self):
        self.assertEqual(set(re.findall(r"https?://[^\s\"'<>]*", self.svg)), {"http://www.w3.org/2000/svg"})
        self.assertNotIn("<script", self.svg)
        self.assertNotIn("href", self.svg)
        self.assertNotIn("@import", self.svg)

    def test_title_names_date_and_cores(self):
        self.assertIn("2026-01-02, 2 cores", self.svg)
        self.assertIn("Did not finish in 60 s", self.svg)


class Table(unittest.TestCase):
    def test_per_note_and_ratios(self):
        text = compare.table(ROWS)
        self.assertIn("| 1000 notes | hugo | 2100 ms | 2,100 µs | 343 MiB | 351 KiB | 9.1x | 4.2x |", text)
        self.assertIn("| 5000 notes | mdbook | did not finish in 60 s |", text)


if __name__ == "__main__":
    unittest.main()
