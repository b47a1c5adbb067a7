"""The deck's slide counts and fill, measured on LibreOffice's rendering, for every style and size.

    python benchmarks/deck_fill.py [BRIEFING] [--style NAME ...] [--size 16:9|4:3 ...] [-v]

For each deck: its slides (and the most the targets allow), the median content-slide fill, the
content slides under 20% and, with -v, every content slide's fill. The measure itself is
``tests/test_deck_fill.py``'s, so the script and the test suite report the same numbers.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

import briefgen  # noqa: E402
from pptx import Presentation  # noqa: E402
from test_deck_fill import SPARSE, deck_fill, slide_budget  # noqa: E402

TARGET = {"16:9": 15, "4:3": 17}


def to_pdf(deck: Path, out: Path) -> Path:
    subprocess.run(["soffice", f"-env:UserInstallation=file://{out / 'lo-profile'}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(out), str(deck)], capture_output=True, timeout=300, check=True)
    return out / (deck.stem + ".pdf")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("briefing", nargs="?")
    ap.add_argument("--style", action="append")
    ap.add_argument("--size", action="append")
    ap.add_argument("-v", action="store_true", help="every content slide's fill")
    args = ap.parse_args()
    budget = slide_budget(briefgen.load_briefing(args.briefing))
    print(f"{'style':8} {'size':5} {'slides':>6} {'most':>4} {'median':>6} {'<20%':>4} {'all':>5} {'<20%':>4}"
          "  (content slides: a section's; all: with agenda and sources)")
    for style in args.style or ["formal", "modern", "print"]:
        for size in args.size or ["16:9", "4:3"]:
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp)
                deck = briefgen.build(args.briefing, format="pptx", style=style, slide_size=size, output_dir=out,
                                      cache=False).files[0]
                n = len(Presentation(deck).slides)
                fills = deck_fill(deck, to_pdf(deck, out))
            most = min(budget, TARGET[size]) if args.briefing is None else budget
            content = [f for f in fills if f.kind == "content"]
            median = statistics.median(f.fill for f in content)
            median_all = statistics.median(f.fill for f in fills)
            sparse = [f for f in content if f.fill < SPARSE]
            sparse_all = [f for f in fills if f.fill < SPARSE]
            print(f"{style:8} {size:5} {n:6d} {most:4d} {median:6.0%} {len(sparse):4d} {median_all:5.0%} "
                  f"{len(sparse_all):4d}  under 20%: " + ", ".join(f"{f.number}:{f.fill:.0%}" for f in sparse_all))
            if args.v:
                for f in fills:
                    print(f"    {f.number:3d} {f.fill:4.0%}  {f.kind:8} {f.title}")


if __name__ == "__main__":
    main()
