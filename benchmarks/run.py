"""briefgen's benchmark: whole-process medians against the bare-library floor, at 1x, 10x and 100x content.

    python benchmarks/run.py [--runs N] [--quick]

Every case runs as its own process (what a user waits for), timed with the
floor script in the same loop, interleaved, so machine noise hits both alike.
The table reports medians, ratios, PDF pages per second, the cost of 100x
against 10x content, and each case's peak resident memory.

briefgen runs with a cache that one earlier build of the same briefing filled
(the usual case: a briefing rebuilt with other sections or formats); "after an
edit" touches a section file just before each run, so the briefing and style
are read afresh while font metrics come from the cache; "no cache" sets
``BRIEFGEN_NO_CACHE=1`` (nothing cached at all, as on a fresh machine).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR = ROOT / "benchmarks" / "floor.py"
DEFAULT = ROOT / "content" / "us-mexico"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one process; a leading "NO_CACHE" runs it without the cache."""
    env = ENV
    if cmd[0] == "NO_CACHE":
        cmd, env = cmd[1:], {**ENV, "BRIEFGEN_NO_CACHE": "1"}
    elif cmd[0] == "EDITED":  # a section just saved: the briefing is read afresh, font metrics come cached
        Path(cmd[1]).touch()
        cmd = cmd[2:]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()}")
    # ru_maxrss of a child also counts children it waited for (the forked deck renderer)
    return wall, usage.ru_maxrss / 1024


def medians(cases: dict[str, list[str]], runs: int) -> dict[str, tuple[float, float]]:
    """Median wall time and the largest peak memory per case, the cases interleaved run by run."""
    times: dict[str, list[float]] = {k: [] for k in cases}
    peaks: dict[str, float] = {k: 0.0 for k in cases}
    for _ in range(runs):
        for name, cmd in cases.items():
            wall, peak = run(cmd)
            times[name].append(wall)
            peaks[name] = max(peaks[name], peak)
    return {k: (statistics.median(v), peaks[k]) for k, v in times.items()}


def scaled(factor: int, where: Path) -> Path:
    """The default briefing with every section repeated ``factor`` times (ids suffixed), as a new folder."""
    import yaml

    meta = yaml.safe_load((DEFAULT / "briefing.yaml").read_text(encoding="utf-8"))
    root = where / f"us-mexico-x{factor}"
    (root / "sections").mkdir(parents=True)
    ids = []
    for k in range(1, factor + 1):
        for sid in meta["sections"]:
            new = f"{sid}-{k}"
            ids.append(new)
            shutil.copy(DEFAULT / "sections" / f"{sid}.md", root / "sections" / f"{new}.md")
    meta["sections"] = ids
    meta.pop("presets", None)
    meta["date"] = str(meta["date"])
    # the floor script reads the section list one id per line, as in the shipped briefing.yaml
    text = yaml.safe_dump({k: v for k, v in meta.items() if k != "sections"}, allow_unicode=True, sort_keys=False)
    text += "sections:\n" + "".join(f"  - {i}\n" for i in ids)
    (root / "briefing.yaml").write_text(text, encoding="utf-8")
    # content is written before anyone builds it: files written moments before a build are never cached
    then = time.time() - 60
    for p in [root, *root.rglob("*")]:
        os.utime(p, (then, then))
    return root


def pages(pdf: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(pdf).pages)


def slides(deck: Path) -> int:
    import zipfile

    with zipfile.ZipFile(deck) as z:
        return sum(1 for n in z.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="runs per case at 1x (3 at 10x and 100x)")
    parser.add_argument("--quick", action="store_true", help="skip the 100x case")
    args = parser.parse_args()
    py = sys.executable
    bg = [py, "-m", "briefgen"]
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        out = str(tmp / "out")
        ENV["BRIEFGEN_CACHE_DIR"] = str(tmp / "cache")
        run(bg + ["build", "-o", out, "-q"])  # what any earlier build of this briefing leaves in the cache
        edited = scaled(1, tmp)
        # a book of the default briefing whole and its trade preset: against building the two apart
        book = tmp / "two-meetings.yaml"
        book.write_text("title: Two Meetings\nbriefings:\n  - briefing: us-mexico\n  - briefing: us-mexico\n"
                        "    preset: trade\n", encoding="utf-8")
        run(bg + ["book", str(book), "-o", out, "-q"])
        one = medians({
            "briefgen build (pdf+pptx)": bg + ["build", "-o", out, "-q"],
            "briefgen build (pdf+pptx), after an edit": ["EDITED", str(edited / "sections" / "overview-1.md"),
                                                         *bg, "build", str(edited), "-o", out, "-q"],
            "briefgen build (pdf+pptx), no cache": ["NO_CACHE", *bg, "build", "-o", out, "-q"],
            "floor: bare script (pdf+pptx)": [py, str(FLOOR), str(DEFAULT), out, "all"],
            "briefgen build --format pdf": bg + ["build", "-f", "pdf", "-o", out, "-q"],
            "briefgen build --format pdf --no-tags": bg + ["build", "-f", "pdf", "--no-tags", "-o", out, "-q"],
            "floor: bare reportlab": [py, str(FLOOR), str(DEFAULT), out, "pdf"],
            "briefgen build --format pptx": bg + ["build", "-f", "pptx", "-o", out, "-q"],
            "floor: bare python-pptx": [py, str(FLOOR), str(DEFAULT), out, "pptx"],
            "briefgen build --format slides-pdf": bg + ["build", "-f", "slides-pdf", "-o", out, "-q"],
            "briefgen build --format slides-pdf --no-tags": bg + ["build", "-f", "slides-pdf", "--no-tags", "-o", out,
                                                                  "-q"],
            "briefgen build --format handout": bg + ["build", "-f", "handout", "-o", out, "-q"],
            "briefgen build --format summary": bg + ["build", "-f", "summary", "-o", out, "-q"],
            "briefgen build --preset trade (pdf+pptx)": bg + ["build", "-p", "trade", "-o", out, "-q"],
            "briefgen book of both (pdf+pptx)": bg + ["book", str(book), "-o", out, "-q"],
            "briefgen --help": bg + ["--help"],
            "briefgen sections": bg + ["sections"],
            "briefgen check": bg + ["check"],
        }, args.runs)
        for name, (t, peak) in one.items():
            rows.append((f"1x: {name}", f"{t:.3f} s", f"{peak:.0f} MiB"))
        floor_both = one["floor: bare script (pdf+pptx)"][0]
        for label in ("", ", after an edit", ", no cache"):
            case = f"briefgen build (pdf+pptx){label}"
            rows.append((f"1x: ratio briefgen / floor (pdf+pptx){label}", f"{one[case][0] / floor_both:.2f}x", ""))
        # the deck as a PDF should cost no more than the printed briefing
        slides_pdf, pdf = one["briefgen build --format slides-pdf"][0], one["briefgen build --format pdf"][0]
        rows.append(("1x: ratio slides-pdf / pdf", f"{slides_pdf / pdf:.2f}x", ""))
        # the one-pager is fitted by measuring it at several sizes: it should cost no more than the briefing
        summary, pdf = one["briefgen build --format summary"][0], one["briefgen build --format pdf"][0]
        rows.append(("1x: ratio summary / pdf", f"{summary / pdf:.2f}x", ""))
        # binding two briefings into one book should cost no more than building them one after the other
        apart = one["briefgen build (pdf+pptx)"][0] + one["briefgen build --preset trade (pdf+pptx)"][0]
        rows.append(("1x: ratio book / the two builds", f"{one['briefgen book of both (pdf+pptx)'][0] / apart:.2f}x",
                     ""))
        for kind in ("pdf", "slides-pdf"):  # what the tagged PDF (structure tree, marked content) costs
            tagged, untagged = (one[f"briefgen build --format {kind}{x}"][0] for x in ("", " --no-tags"))
            rows.append((f"1x: cost of tagging, {kind}", f"{(tagged - untagged) * 1000:+.0f} ms",
                         f"{tagged / untagged - 1:+.1%}"))

        factors = [10] if args.quick else [10, 100]
        cost: dict[tuple[int, str], float] = {}
        for factor in factors:
            root = scaled(factor, tmp)
            run(bg + ["build", str(root), "-o", out, "-q"])  # fills the cache
            big_book = tmp / f"book-x{factor}.yaml"
            big_book.write_text(f"title: A Long Book\nbriefings:\n  - briefing: {root}\n  - briefing: us-mexico\n",
                                encoding="utf-8")
            res = medians({
                "pdf": bg + ["build", str(root), "-f", "pdf", "-o", out, "-q"],
                "pdf, no tags": bg + ["build", str(root), "-f", "pdf", "--no-tags", "-o", out, "-q"],
                "pdf, no cache": ["NO_CACHE", *bg, "build", str(root), "-f", "pdf", "-o", out, "-q"],
                "pptx": bg + ["build", str(root), "-f", "pptx", "-o", out, "-q"],
                "slides-pdf": bg + ["build", str(root), "-f", "slides-pdf", "-o", out, "-q"],
                "slides-pdf, no tags": bg + ["build", str(root), "-f", "slides-pdf", "--no-tags", "-o", out, "-q"],
                # room for every key point at the style's sizes: the fewest pages that hold them are searched
                "summary": bg + ["build", str(root), "-f", "summary", "--pages", str(2 * factor), "-o", out, "-q"],
                # the scaled briefing and the default one bound into a book
                "book pdf": bg + ["book", str(big_book), "-f", "pdf", "-o", out, "-q"],
                "floor pptx": [py, str(FLOOR), str(root), out, "pptx"],
                "floor pdf": [py, str(FLOOR), str(root), out, "pdf"],
            }, 3)
            n_pages = pages(Path(out) / f"{root.name}.pdf")
            n_slides = slides(Path(out) / f"{root.name}.pptx")
            floor_slides = slides(Path(out) / "floor.pptx")
            for kind in ("pdf", "pptx", "floor pdf", "floor pptx"):
                cost[(factor, kind)] = res[kind][0]
            t_pdf, m_pdf = res["pdf"]
            t_ppt, m_ppt = res["pptx"]
            rows.append((f"{factor}x: briefgen pdf ({n_pages} pages)", f"{t_pdf:.2f} s",
                         f"{m_pdf:.0f} MiB; {n_pages / t_pdf:.0f} pages/s"))
            t_cold, m_cold = res["pdf, no cache"]
            rows.append((f"{factor}x: briefgen pdf, no cache", f"{t_cold:.2f} s",
                         f"{m_cold:.0f} MiB; {n_pages / t_cold:.0f} pages/s"))
            rows.append((f"{factor}x: floor: bare reportlab", f"{res['floor pdf'][0]:.2f} s", f"{res['floor pdf'][1]:.0f} MiB"))
            rows.append((f"{factor}x: briefgen pptx ({n_slides} slides)", f"{t_ppt:.2f} s",
                         f"{m_ppt:.0f} MiB; {n_slides / t_ppt:.0f} slides/s"))
            t_sp, m_sp = res["slides-pdf"]
            n_sp = pages(Path(out) / f"{root.name}.slides.pdf")
            rows.append((f"{factor}x: briefgen slides-pdf ({n_sp} pages)", f"{t_sp:.2f} s",
                         f"{m_sp:.0f} MiB; {n_sp / t_sp:.0f} pages/s"))
            for kind in ("pdf", "slides-pdf"):
                tagged, untagged = res[kind][0], res[f"{kind}, no tags"][0]
                rows.append((f"{factor}x: cost of tagging, {kind}", f"{tagged - untagged:+.2f} s",
                             f"{tagged / untagged - 1:+.1%}"))
            t_sum, m_sum = res["summary"]
            n_sum = pages(Path(out) / f"{root.name}.summary.pdf")
            rows.append((f"{factor}x: briefgen summary ({n_sum} pages)", f"{t_sum:.2f} s",
                         f"{m_sum:.0f} MiB; {n_sum / t_sum:.0f} pages/s"))
            t_book, m_book = res["book pdf"]
            n_book = pages(Path(out) / f"{big_book.stem}.pdf")
            rows.append((f"{factor}x: briefgen book pdf, with the default briefing ({n_book} pages)", f"{t_book:.2f} s",
                         f"{m_book:.0f} MiB; {n_book / t_book:.0f} pages/s"))
            t_floor, m_floor = res["floor pptx"]
            rows.append((f"{factor}x: floor: bare python-pptx ({floor_slides} slides)", f"{t_floor:.2f} s",
                         f"{m_floor:.0f} MiB; {floor_slides / t_floor:.0f} slides/s"))
        if 100 in factors:
            for kind in ("pdf", "pptx", "floor pptx"):
                rows.append((f"growth 100x / 10x: {kind}", f"{cost[(100, kind)] / cost[(10, kind)]:.1f}x", ""))

    width = max(len(r[0]) for r in rows)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {sys.platform}")
    print(f"| {'case'.ljust(width)} | median | notes |")
    print(f"| {'-' * width} | ------ | ----- |")
    for name, value, note in rows:
        print(f"| {name.ljust(width)} | {value} | {note} |")


if __name__ == "__main__":
    main()
