"""Avatar images: checking and squaring an upload (SET-1), drawing the initials avatar."""

from __future__ import annotations

import hashlib
import io
import warnings
from html import escape

from PIL import Image, ImageOps, UnidentifiedImageError

from teamline.core.errors import InvalidInput

SIZE = 256
ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP"}
PALETTE = ["#1e88e5", "#43a047", "#e53935", "#8e24aa", "#fb8c00", "#00897b", "#3949ab", "#6d4c41"]


class InvalidImage(InvalidInput):
    code = "invalid-image"


def square_png(data: bytes, *, max_pixels: int) -> bytes:
    """Check an uploaded image and return it as a 256x256 PNG, centre-cropped.

    Refuses anything that is not PNG, JPEG or WebP, and images whose pixel count exceeds
    ``max_pixels`` (a decompression bomb expands a small file to gigabytes in memory).
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise InvalidImage(
                        f"{probe.format or 'This'} images are not accepted; "
                        "upload a PNG, JPEG or WebP picture."
                    )
                width, height = probe.size
                if width * height > max_pixels:
                    raise InvalidImage(
                        f"The picture is {width}x{height} pixels, too large to process; "
                        "upload a smaller one."
                    )
                probe.load()
                image = ImageOps.exif_transpose(probe)
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        ValueError,
        SyntaxError,
    ) as exc:
        raise InvalidImage(
            "This file is not a picture we can read; upload a PNG, JPEG or WebP picture."
        ) from exc
    image = ImageOps.fit(image.convert("RGBA"), (SIZE, SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def initials(display_name: str) -> str:
    words = [w for w in display_name.replace("-", " ").split() if w[:1].isalnum()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


def initials_svg(user_id: str, display_name: str) -> bytes:
    """A round-friendly square SVG with the user's initials on a colour from the user's id."""
    colour = PALETTE[hashlib.sha256(user_id.encode()).digest()[0] % len(PALETTE)]
    text = escape(initials(display_name))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 {SIZE} {SIZE}"><rect width="{SIZE}" height="{SIZE}" fill="{colour}"/>'
        f'<text x="50%" y="50%" dy=".35em" text-anchor="middle" fill="#fff" '
        f'font-family="system-ui,-apple-system,Segoe UI,Roboto,sans-serif" font-size="104" '
        f'font-weight="600">{text}</text></svg>'
    ).encode()
