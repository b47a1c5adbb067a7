"""Images are drawn with their own colours, or refused by name: every pixel mode the loader accepts is
rendered into a PDF, and the colours a reader sees (the page rasterised by poppler) are compared with the
colours the file holds."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

import briefgen
from briefgen.errors import ContentError
from briefgen.load import images
from conftest import need, run

DARK, LIGHT = (40, 90, 160), (230, 200, 60)  # a blue and a yellow, one half of the image each


def _halves() -> Image.Image:
    im = Image.new("RGB", (200, 100), LIGHT)
    im.paste(DARK, (0, 0, 100, 100))
    return im


def _grey(c: tuple[int, int, int]) -> tuple[int, int, int]:
    v = round(0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2])
    return (v, v, v)


def _png16(grey: bool, alpha: bool) -> bytes:
    """A 16-bit PNG of the two halves, written by hand (Pillow writes no 16-bit colour PNG)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b""
    for _ in range(100):
        row = b"\0"
        for x in range(200):
            c = DARK if x < 100 else LIGHT
            samples = [_grey(c)[0]] if grey else list(c)
            row += b"".join(struct.pack(">H", v * 257) for v in samples + ([255] if alpha else []))
        rows += row
    color_type = (4 if alpha else 0) if grey else (6 if alpha else 2)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 200, 100, 16, color_type, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _saved(im: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


# name: (file bytes, the two colours a reader should see)
ACCEPTED = {
    "rgb.png": (lambda: _saved(_halves(), "PNG"), (DARK, LIGHT)),
    "rgba.png": (lambda: _saved(_halves().convert("RGBA"), "PNG"), (DARK, LIGHT)),
    "grey.png": (lambda: _saved(_halves().convert("L"), "PNG"), (_grey(DARK), _grey(LIGHT))),
    "grey-alpha.png": (lambda: _saved(_halves().convert("LA"), "PNG"), (_grey(DARK), _grey(LIGHT))),
    "palette.png": (lambda: _saved(_halves().quantize(4), "PNG"), (DARK, LIGHT)),
    "bilevel.png": (lambda: _saved(_halves().convert("L").point(lambda v: 255 if v > 128 else 0).convert("1"),
                                   "PNG"), ((0, 0, 0), (255, 255, 255))),
    "rgb16.png": (lambda: _png16(grey=False, alpha=False), (DARK, LIGHT)),
    "rgba16.png": (lambda: _png16(grey=False, alpha=True), (DARK, LIGHT)),
    "grey-alpha16.png": (lambda: _png16(grey=True, alpha=True), (_grey(DARK), _grey(LIGHT))),
    "rgb.jpg": (lambda: _saved(_halves(), "JPEG", quality=95), (DARK, LIGHT)),
    "grey.jpg": (lambda: _saved(_halves().convert("L"), "JPEG", quality=95), (_grey(DARK), _grey(LIGHT))),
    "palette.gif": (lambda: _saved(_halves().quantize(4), "GIF"), (DARK, LIGHT)),
}


def _pixels(im: Image.Image) -> list[tuple[int, int, int]]:
    rgb = im.convert("RGB")
    return list(getattr(rgb, "get_flattened_data", rgb.getdata)())


def _seen_colours(pdf: Path, tmp: Path) -> list[list[tuple[int, int, int]]]:
    """For each image in the PDF, in reading order, the pixels of its place on the page as poppler draws
    it at 72 dpi (one PDF point, one pixel)."""
    import pdfplumber

    run(need("pdftoppm"), "-r", "72", "-png", str(pdf), str(tmp / "page"))
    pages = sorted(tmp.glob("page*.png"))
    out = []
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages):
            with Image.open(pages[number]) as raster:
                for placed in page.images:
                    box = tuple(round(v) + d for v, d in zip((placed["x0"], placed["top"], placed["x1"],
                                                              placed["bottom"]), (2, 2, -2, -2)))
                    out.append(_pixels(raster.crop(box)))
    return out


def _drawn_share(pixels, colour, tolerance: int = 14) -> float:
    """The share of ``pixels`` within ``tolerance`` of ``colour`` in each channel."""
    return sum(1 for p in pixels if all(abs(p[i] - colour[i]) <= tolerance for i in range(3))) / len(pixels)


def _build_with(tmp: Path, files: dict[str, bytes]) -> Path:
    """A PDF of a briefing with one section per image, in the order given."""
    root = tmp / "b"
    (root / "sections").mkdir(parents=True)
    ids = [f"s{i}" for i in range(len(files))]
    (root / "briefing.yaml").write_text(f"title: T\nsections: [{', '.join(ids)}]\n")
    for sid, (name, data) in zip(ids, files.items()):
        (root / "sections" / name).write_bytes(data)
        (root / "sections" / f"{sid}.md").write_text(f"---\ntitle: {sid}\n---\n![A figure]({name})\n")
    result = briefgen.build(root, format="pdf", output_dir=tmp / "out", cache=False)
    return result.files[0]


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> dict[str, list]:
    """Every accepted kind of image built into one PDF: name -> the pixels a reader sees where it is drawn."""
    tmp = tmp_path_factory.mktemp("images")
    files = {name: make() for name, (make, _) in sorted(ACCEPTED.items())}
    seen = _seen_colours(_build_with(tmp, files), tmp)
    assert len(seen) == len(files)
    return dict(zip(files, seen))


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_an_accepted_image_is_drawn_with_its_colours(name, drawn):
    make, (dark, light) = ACCEPTED[name]
    with Image.open(io.BytesIO(make())) as im:
        assert im.mode in images.DRAWN_MODES, im.mode
    # each colour fills one half of the image (a palette or JPEG blurs the seam a little)
    assert _drawn_share(drawn[name], dark) > 0.4, name
    assert _drawn_share(drawn[name], light) > 0.4, name


def test_the_colour_comparison_sees_an_image_drawn_wrong(tmp_path, monkeypatch):
    """The 16-bit greyscale PNG the loader refuses comes out blank when let through: the check above sees it."""
    monkeypatch.setitem(images.DRAWN_MODES, "I;16", "let through for this test")
    (pixels,) = _seen_colours(_build_with(tmp_path, {"grey16.png": _png16(grey=True, alpha=False)}), tmp_path)
    assert _drawn_share(pixels, _grey(DARK)) < 0.05


def test_a_16_bit_greyscale_png_is_refused_naming_its_mode(tmp_path):
    with pytest.raises(ContentError, match=r"'grey16.png' is 16-bit greyscale \(pixel mode I;16\)"):
        _build_with(tmp_path, {"grey16.png": _png16(grey=True, alpha=False)})


def test_a_cmyk_jpeg_is_drawn(tmp_path):
    """CMYK is printed as CMYK: a viewer converts it with its own profile, so only the hues are compared."""
    pdf = _build_with(tmp_path, {"cmyk.jpg": _saved(_halves().convert("CMYK"), "JPEG", quality=95)})
    (pixels,) = _seen_colours(pdf, tmp_path)
    blueish = sum(1 for r, g, b in pixels if b > r + 40) / len(pixels)
    yellowish = sum(1 for r, g, b in pixels if r > b + 100 and g > b + 80) / len(pixels)
    assert blueish > 0.4 and yellowish > 0.4
