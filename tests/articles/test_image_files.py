"""Image files are told by their bytes, and their size read from their headers, as image
software writes them (Pillow, which fpdf2 brings, writes the samples)."""

from __future__ import annotations

import io
import re

import pytest

from kb.articles.image_files import identify, image_name
from kb.errors import Invalid
from tests.articles import image_samples

Image = pytest.importorskip("PIL.Image")


def written(image_format: str, mode: str = "RGB", **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (123, 45), (10, 20, 30, 40)[:len(mode)]).save(buffer, image_format, **options)
    return buffer.getvalue()


@pytest.mark.parametrize("data, content_type", [
    (written("PNG"), "image/png"),
    (written("PNG", "RGBA"), "image/png"),
    (written("JPEG"), "image/jpeg"),
    (written("JPEG", progressive=True), "image/jpeg"),
    (written("JPEG", exif=b"Exif\x00\x00" + bytes(20000)), "image/jpeg"),  # frame far in
    (written("GIF"), "image/gif"),
    (written("WEBP"), "image/webp"),
    (written("WEBP", lossless=True), "image/webp"),
    (written("WEBP", "RGBA"), "image/webp"),
])
def test_images_as_software_writes_them(data, content_type):
    kind = identify(data, "sample")
    assert (kind.content_type, kind.width, kind.height) == (content_type, 123, 45)


@pytest.mark.parametrize("data, message", [
    (image_samples.SVG, "is an SVG image"),
    (b"\xef\xbb\xbf  <svg xmlns='http://www.w3.org/2000/svg'/>", "is an SVG image"),
    (image_samples.HTML_NAMED_PNG, "is not a PNG, JPEG, GIF or WebP image"),
    (written("BMP"), "is not a PNG, JPEG, GIF or WebP image"),
    (written("PNG")[:20], "is damaged"),
    (b"\xff\xd8\xff\xe0\x00", "is damaged"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8Z", "is damaged"),
])
def test_anything_else_is_refused_with_its_reason(data, message):
    with pytest.raises(Invalid, match=message):
        identify(data, "upload.png")


TRUNCATED_GIF = b"GIF89a" + bytes.fromhex("206e6f7400000000000000")  # 17 bytes, 28192×29807


def _png_header(width: int, height: int) -> bytes:
    """A PNG's signature and size, and no image data."""
    return image_samples.png()[:16] + width.to_bytes(4, "big") + height.to_bytes(4, "big") \
        + image_samples.png()[24:]


@pytest.mark.parametrize("data, message", [
    (TRUNCATED_GIF, "says it is 28,192 × 29,807 pixels; an image may be at most 10,000 pixels "
                    "on a side and 40 megapixels in all"),
    (image_samples.png(10_001, 1), "says it is 10,001 × 1 pixels"),
    (_png_header(6_400, 6_400), "says it is 6,400 × 6,400 pixels"),  # 41 megapixels
    (b"GIF89a" + bytes.fromhex("1c001d0000000000000000"), "is damaged: its image data does "
                                                         "not decode"),  # 28×29, no data
    (written("GIF")[:-8], "its image data does not decode"),
    (written("PNG")[:-20], "its image data does not decode"),
    (written("JPEG")[:200], "its image data does not decode"),
    (written("WEBP")[:-10], "its image data does not decode"),
    (_png_header(40, 30), "its image data does not decode"),  # IDAT of 3×2 pixels
])
def test_a_broken_or_absurdly_large_image_is_refused(data, message):
    with pytest.raises(Invalid, match=re.escape(message)):
        identify(data, "upload.gif")


def test_an_image_at_the_limit_on_a_side_is_accepted():
    kind = identify(image_samples.png(10_000, 1), "wide.png")
    assert (kind.width, kind.height) == (10_000, 1)


@pytest.mark.parametrize("raw, content_type, name", [
    ("flow.png", "image/png", "flow.png"),
    ("photo.JPEG", "image/jpeg", "photo.JPEG"),
    ("photo.png", "image/jpeg", "photo.jpg"),
    ("diagram", "image/webp", "diagram.webp"),
    ("C:\\Users\\me\\..\\shot 1.gif", "image/gif", "shot_1.gif"),
    ("../../etc/passwd.png", "image/png", "passwd.png"),
])
def test_names_are_safe_and_end_as_the_image_is(raw, content_type, name):
    assert image_name(raw, content_type) == name
