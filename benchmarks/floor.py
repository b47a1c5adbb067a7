"""The floor: a bare script that writes the same briefing as PDF and/or PPTX with the same libraries.

No validation, no styles, no measuring, standard fonts: what reportlab and
python-pptx cost on their own. ``python floor.py BRIEFING_DIR OUT_DIR pdf|pptx|all``
"""

import re
import sys
from pathlib import Path


def sections(root: Path):
    ids = re.findall(r"^\s*-\s*([\w-]+)\s*$", (root / "briefing.yaml").read_text(), flags=re.M)
    for sid in ids:
        text = (root / "sections" / f"{sid}.md").read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        title = re.search(r"^title:\s*(.+)$", front, flags=re.M).group(1)
        points = re.findall(r"^\s+-\s+\"?(.+?)\"?$", front.split("facts:")[0], flags=re.M)
        paras = [p.strip() for p in body.split("\n\n") if p.strip()]
        yield title, points, paras


def pdf(root: Path, out: Path) -> None:
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from xml.sax.saxutils import escape

    styles = getSampleStyleSheet()
    story = []
    for title, points, paras in sections(root):
        story.append(Paragraph(escape(title), styles["Heading1"]))
        story.extend(Paragraph(escape(p), styles["BodyText"]) for p in points + paras)
    SimpleDocTemplate(str(out / "floor.pdf")).build(story)


def pptx(root: Path, out: Path) -> None:
    from pptx import Presentation
    from pptx.util import Pt

    prs = Presentation()
    layout = prs.slide_layouts[1]
    for title, points, paras in sections(root):
        for k in range(0, max(len(points), 1), 6):
            slide = prs.slides.add_slide(layout)
            slide.shapes.title.text = title
            body = slide.placeholders[1].text_frame
            for i, point in enumerate(points[k:k + 6]):
                p = body.paragraphs[0] if i == 0 else body.add_paragraph()
                p.text = point
                p.font.size = Pt(20)
            slide.notes_slide.notes_text_frame.text = "\n\n".join(paras)
    prs.save(out / "floor.pptx")


if __name__ == "__main__":
    root, out, kind = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    out.mkdir(parents=True, exist_ok=True)
    if kind in ("pdf", "all"):
        pdf(root, out)
    if kind in ("pptx", "all"):
        pptx(root, out)
