"""Images a briefing or style uses: confined to their folder, checked, and their pixel sizes read, so that
renderers never open an image to learn its size."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit


def resolve_inside(ref: str, base_dir: Path, root: Path, report) -> Path | None:
    """The file ``ref`` names, if it is a relative path that stays inside ``root``.

    The path is looked up beside the section file first, then from the briefing's folder.
    URLs, ``file:``, absolute paths and ``..`` are refused, and so is a symlink that
    leads outside; ``report`` is called with a message for each refusal.
    """
    if not ref:
        report("an image needs a path")
        return None
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc:
        report(f"image '{ref}' is a URL; briefgen fetches nothing: put the file in the briefing's folder")
        return None
    p = Path(ref)
    if p.is_absolute() or ref.startswith(("/", "\\")) or ".." in p.parts:
        report(f"image '{ref}' must be a relative path inside the briefing's folder (no '..', no absolute path)")
        return None
    for base in (base_dir, root):  # beside the section file, else from the briefing's folder
        full = (base / p).resolve()
        if not full.is_relative_to(root.resolve()):
            report(f"image '{ref}' leads outside the briefing's folder")
            return None
        if full.is_file():
            return full
    report(f"image '{ref}' does not exist (paths are relative to the section file or the briefing's folder)")
    return None


IMAGE_FORMATS = {"PNG", "JPEG", "GIF"}
MAX_IMAGE_BYTES = 25 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # about 7,700 x 5,200; more is a decompression bomb, not a figure


def check_image(path: Path, ref: str, report) -> tuple[int, int] | None:
    """The pixel size of ``path`` if it is a PNG, JPEG or GIF of sane size that decodes, else None
    (``report`` says why).

    The pixel count is read from the header before anything is decoded.
    """
    from PIL import Image as PILImage

    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        report(f"image '{ref}' is {size:,} bytes; the limit is {MAX_IMAGE_BYTES:,}")
        return None
    try:
        with PILImage.open(path) as im:
            fmt, (w, h) = im.format, im.size
            if fmt not in IMAGE_FORMATS:
                report(f"image '{ref}' is {fmt or 'not an image'}; use PNG, JPEG or GIF")
                return None
            if w * h > MAX_IMAGE_PIXELS:
                report(f"image '{ref}' has {w}x{h} pixels; the limit is {MAX_IMAGE_PIXELS:,} pixels")
                return None
            im.verify()
    except PILImage.UnidentifiedImageError:
        report(f"image '{ref}' is not an image; use PNG, JPEG or GIF")
        return None
    except Exception as exc:  # PIL raises many kinds for a damaged file
        report(f"image '{ref}' cannot be read ({type(exc).__name__}); save it again as PNG or JPEG")
        return None
    return (w, h)
