"""Images a briefing or style uses: confined to their folder, checked, and their pixel sizes read, so that
renderers never open an image to learn its size."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from .files import is_file, leads_outside


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
        full = base / p
        if leads_outside(full, root):
            report(f"image '{ref}' leads outside the briefing's folder")
            return None
        if is_file(full):
            return full.resolve()
    report(f"image '{ref}' does not exist (paths are relative to the section file or the briefing's folder)")
    return None


IMAGE_FORMATS = ("PNG", "JPEG", "GIF")
MAX_IMAGE_BYTES = 25 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # about 7,700 x 5,200; more is a decompression bomb, not a figure
# Pixel modes both outputs draw with their colours (tests/test_images.py renders each and reads the
# colours back). A 16-bit greyscale PNG ("I;16") is drawn white by the PDF writer, for one.
DRAWN_MODES = {"1": "black and white", "L": "greyscale", "LA": "greyscale with transparency",
               "P": "palette", "RGB": "RGB", "RGBA": "RGB with transparency", "CMYK": "CMYK"}
_MODE_NAMES = {"I;16": "16-bit greyscale", "I;16B": "16-bit greyscale", "I;16L": "16-bit greyscale",
               "I": "32-bit integer greyscale", "F": "floating-point greyscale", "PA": "palette with alpha",
               "YCbCr": "YCbCr", "LAB": "Lab", "HSV": "HSV", "La": "greyscale with premultiplied alpha",
               "RGBa": "RGB with premultiplied alpha", "RGBX": "RGBX"}


def check_image(path: Path, ref: str, report) -> tuple[int, int] | None:
    """The pixel size of ``path`` if it is a PNG, JPEG or GIF of sane size that decodes in full, else None
    (``report`` says why, naming ``ref``).

    The byte size is checked before the file is opened and the pixel count is read
    from the header before anything is decoded; then the image is decoded to its
    end, so a truncated or damaged file, or a text chunk that unpacks to more than
    Pillow's limit (1 MB), is refused here rather than drawn half grey or failing
    in a renderer. JPEGs are decoded at an eighth of their size, which reads every
    byte of the data at a sixty-fourth of the memory.
    """
    from PIL import Image as PILImage

    try:
        size = path.stat().st_size
    except OSError as exc:
        report(f"image '{ref}' cannot be read: {exc.strerror or exc}")
        return None
    if size > MAX_IMAGE_BYTES:
        report(f"image '{ref}' is {size:,} bytes; the limit is {MAX_IMAGE_BYTES:,}")
        return None
    try:
        with PILImage.open(path, formats=IMAGE_FORMATS) as im:
            (w, h), mode = im.size, im.mode
            if w * h > MAX_IMAGE_PIXELS:
                report(f"image '{ref}' has {w}x{h} pixels; the limit is {MAX_IMAGE_PIXELS:,} pixels")
                return None
            if mode not in DRAWN_MODES:
                name = _MODE_NAMES.get(mode, mode)
                report(f"image '{ref}' is {name} (pixel mode {mode}), which would not be drawn with its "
                       "colours; save it as an 8-bit RGB or greyscale PNG or JPEG")
                return None
            im.verify()
        with PILImage.open(path, formats=IMAGE_FORMATS) as im:
            if im.format == "JPEG":
                im.draft(im.mode, (max(1, w // 8), max(1, h // 8)))
            im.load()  # the first frame, to its end, and (PNG) the chunks after the image data
    except PILImage.UnidentifiedImageError:
        report(f"image '{ref}' is not an image briefgen reads; use PNG, JPEG or GIF")
        return None
    except PILImage.DecompressionBombError:
        report(f"image '{ref}' has too many pixels; the limit is {MAX_IMAGE_PIXELS:,} pixels")
        return None
    except ValueError as exc:  # Pillow's limits on text chunks ("Decompressed data too large ...")
        if "too large" in str(exc):
            report(f"image '{ref}' holds a text chunk that unpacks to more than Pillow allows (a compression "
                   "bomb); save the image again without its metadata")
        else:
            report(f"image '{ref}' is damaged ({exc}); save it again as PNG or JPEG")
        return None
    except (OSError, SyntaxError, EOFError) as exc:  # Pillow's words for truncated or corrupt data
        what = "truncated" if "truncated" in str(exc).lower() or isinstance(exc, EOFError) else "damaged"
        report(f"image '{ref}' is {what} ({' '.join(str(exc).split())[:80]}); save it again as PNG or JPEG")
        return None
    except Exception as exc:  # Pillow raises many kinds for a damaged file  # noqa: BLE001
        report(f"image '{ref}' cannot be read ({type(exc).__name__}); save it again as PNG or JPEG")
        return None
    return (w, h)
