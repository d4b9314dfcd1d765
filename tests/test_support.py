"""Small helpers shared by tests."""

from __future__ import annotations

import io

from PIL import Image


def tiny_png(
    size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (0, 120, 200)
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()
