"""Small real image files for the article image tests (Pillow writes all but the PNG), and
files that only pretend to be."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image


def png(width: int = 3, height: int = 2, shade: int = 0) -> bytes:
    """A valid RGB PNG of one colour (``shade`` changes its bytes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\x00" + bytes([shade, 120, 200]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                             0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _written(image_format: str, width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(buffer, image_format)
    return buffer.getvalue()


def jpeg(width: int = 40, height: int = 30) -> bytes:
    return _written("JPEG", width, height)


def gif(width: int = 5, height: int = 4) -> bytes:
    return _written("GIF", width, height)


def webp(width: int = 7, height: int = 6) -> bytes:
    return _written("WEBP", width, height)


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML_NAMED_PNG = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
# the PNG signature in front of a page: no image header follows it
PNG_SIGNATURE_THEN_HTML = b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>"
