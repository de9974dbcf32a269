"""What an uploaded or imported image file is: PNG, JPEG, GIF or WebP, told by its bytes (never
by its name or the type a browser claims), with its width and height read from its header. SVG
is refused (it can carry script), and so is anything whose header is not what its signature
promises (an HTML page renamed ``.png``), a size no article shows (a damaged header's
28192×29807), and data that does not decode (a truncated file): the header is read here, and
only a header within the limits is handed to Pillow, which decodes the whole image."""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass
from pathlib import PurePosixPath

from PIL import Image

from kb.errors import Invalid
from kb.storage.names import safe_file_name

ACCEPTED = "PNG, JPEG, GIF or WebP"
EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
              "image/webp": ".webp"}
KNOWN_SUFFIXES = {".png", ".jpg", ".jpeg", ".jpe", ".gif", ".webp"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers (baseline, progressive, lossless...): they carry the size
JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
# far past any screenshot or diagram; decoding more would take hundreds of megabytes
MAX_SIDE = 10_000
MAX_PIXELS = 40_000_000
PILLOW_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF",
                  "image/webp": "WEBP"}


@dataclass(frozen=True)
class ImageKind:
    content_type: str
    width: int
    height: int


def identify(data: bytes, label: str) -> ImageKind:
    """The kind and size of the image ``data`` holds; ``Invalid`` naming ``label`` otherwise."""
    readers = ((PNG_SIGNATURE, _png), (b"\xff\xd8\xff", _jpeg), (b"GIF87a", _gif),
               (b"GIF89a", _gif))
    for signature, reader in readers:
        if data.startswith(signature):
            return _decoded(data, _checked(reader(data), label), label)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _decoded(data, _checked(_webp(data), label), label)
    if _looks_like_svg(data):
        raise Invalid(f"{label} is an SVG image, which may hold scripts: export it as PNG.")
    raise Invalid(f"{label} is not a {ACCEPTED} image: upload one of those.")


def image_name(raw_name: str, content_type: str) -> str:
    """A safe name (no directory parts) ending in the extension of what the file really is."""
    name = safe_file_name(raw_name)
    path = PurePosixPath(name)
    suffix, wanted = path.suffix.lower(), EXTENSIONS[content_type]
    if suffix == wanted or (content_type == "image/jpeg" and suffix in (".jpeg", ".jpe")):
        return name
    return (path.stem if suffix in KNOWN_SUFFIXES else name) + wanted


def _checked(kind: ImageKind | None, label: str) -> ImageKind:
    if kind is None or kind.width <= 0 or kind.height <= 0:
        raise Invalid(f"{label} is damaged: its header does not describe an image.")
    return kind


def _decoded(data: bytes, kind: ImageKind, label: str) -> ImageKind:
    """``kind`` once its size is within the limits and Pillow decodes all of ``data`` as the
    image its header describes; ``Invalid`` otherwise."""
    if max(kind.width, kind.height) > MAX_SIDE or kind.width * kind.height > MAX_PIXELS:
        raise Invalid(
            f"{label} says it is {kind.width:,} × {kind.height:,} pixels; an image may be at "
            f"most {MAX_SIDE:,} pixels on a side and {MAX_PIXELS // 1_000_000} megapixels in "
            "all. Scale it down (or export it again, if it is damaged) and upload it again.")
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()  # structure and checksums, without decoding
        with Image.open(io.BytesIO(data)) as image:
            same = (image.format, image.size) == (PILLOW_FORMATS[kind.content_type],
                                                  (kind.width, kind.height))
            image.load()  # the pixels themselves: a truncated file fails here
    except Exception:  # Pillow's decoders fail with OSError, SyntaxError, ValueError, ...
        same = False
    if not same:
        raise Invalid(f"{label} is damaged: its image data does not decode. Export or save "
                      "it again, then upload it again.")
    return kind


def _png(data: bytes) -> ImageKind | None:
    if data[12:16] != b"IHDR" or len(data) < 24:
        return None
    width, height = struct.unpack(">II", data[16:24])
    return ImageKind("image/png", width, height)


def _gif(data: bytes) -> ImageKind | None:
    if len(data) < 10:
        return None
    width, height = struct.unpack("<HH", data[6:10])
    return ImageKind("image/gif", width, height)


def _jpeg(data: bytes) -> ImageKind | None:
    """Walk the marker segments up to the first frame header."""
    position = 2
    while position + 9 < len(data):
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        length = struct.unpack(">H", data[position + 2:position + 4])[0]
        if marker in JPEG_FRAMES:
            height, width = struct.unpack(">HH", data[position + 5:position + 9])
            return ImageKind("image/jpeg", width, height)
        if length < 2:
            return None
        position += 2 + length
    return None


def _webp(data: bytes) -> ImageKind | None:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
    elif chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = (value & 0x3FFF for value in struct.unpack("<HH", data[26:30]))
    elif chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    else:
        return None
    return ImageKind("image/webp", width, height)


def _looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return b"<svg" in head or (head.startswith(b"<?xml") and b"svg" in head)
