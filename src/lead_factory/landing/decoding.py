"""Turning a landed file's bytes into UTF-8 text: decompression, byte-order marks, encoding detection.

Exports do not all come as UTF-8: Excel on Windows writes Windows-1252, its "Unicode text" is
UTF-16 with a byte-order mark, and a list may arrive gzip-compressed under a ``.csv`` name. The
loader calls :func:`decode` before parsing; it returns the file's text re-encoded as UTF-8 together
with what it found (the encoding and any compression), which the loader records per file.

The order of decisions, most certain first:

1. compressed content (gzip, bzip2, xz by their magic bytes) is decompressed, whatever the file's
   name; a ZIP archive (an ``.xlsx`` workbook is one) cannot be read as text and refuses the file;
2. a byte-order mark names the encoding (UTF-8, UTF-16 or UTF-32);
3. bytes that are valid UTF-8 are UTF-8;
4. a file that has valid multi-byte UTF-8 on some lines and not on others is UTF-8 with a few
   damaged lines: it stays UTF-8 and the parser rejects exactly those lines;
5. otherwise the encoding is detected with charset-normalizer, preferring Windows-1252 (a superset
   of Latin-1's printable characters, and what Western Excel writes) when it decodes the file
   cleanly; a file no encoding reads cleanly stays UTF-8 so that its bad lines are rejected, not
   silently mis-read.
"""

from __future__ import annotations

import bz2
import codecs
import lzma
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import charset_normalizer
from charset_normalizer.md import mess_ratio

MAX_DECOMPRESSED_BYTES = 4 * 2**30
"""A compressed file that expands beyond this is refused (a decompression bomb, or not a lead list)."""

CLEAN_MESS_RATIO = 0.1
"""charset-normalizer's "mess" of the decoded text at or below which a legacy encoding is accepted."""

PREFERRED_LEGACY = "cp1252"

_COMPRESSED: tuple[tuple[bytes, str, Callable[[], Decompressor]], ...] = (
    (b"\x1f\x8b", "gzip", lambda: zlib.decompressobj(wbits=31)),
    (b"BZh", "bzip2", bz2.BZ2Decompressor),
    (b"\xfd7zXZ\x00", "xz", lzma.LZMADecompressor),
)
_ARCHIVES = (
    (b"PK\x03\x04", "a ZIP archive (an .xlsx workbook is one)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class Decompressor(Protocol):
    def decompress(self, data: bytes, max_length: int = ..., /) -> bytes: ...


class UndecodableFile(Exception):
    """The file's bytes cannot be turned into text (an archive, or too large once decompressed)."""


@dataclass(frozen=True)
class Decoded:
    """A file's text as UTF-8 bytes, the encoding it was read with and the compression removed."""

    data: bytes
    encoding: str
    compression: str | None = None


def decode(data: bytes) -> Decoded:
    """The text of a landed file's bytes, as UTF-8 (see the module's docstring for the rules)."""
    compression = None
    for magic, name, opener in _COMPRESSED:
        if data.startswith(magic):
            data, compression = _decompress(data, name, opener), name
            break
    for magic, what in _ARCHIVES:
        if data.startswith(magic):
            raise UndecodableFile(f"{what}, not a text file: extract or export it as CSV first")
    encoding = detect_encoding(data)
    if encoding in ("utf-8", "utf-8-sig"):
        return Decoded(data.removeprefix(codecs.BOM_UTF8), "utf-8", compression)
    return Decoded(data.decode(encoding).encode("utf-8"), encoding, compression)


def detect_encoding(data: bytes) -> str:
    """The encoding to read ``data`` with; ``utf-8`` when in doubt (bad lines are then rejected)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    try:
        data.decode("utf-8")
        if not _looks_like_utf16(data):
            return "utf-8"
    except UnicodeDecodeError:
        if _has_valid_multibyte_line(data):
            return "utf-8"
    if _looks_like_utf16(data):
        return _utf16_order(data)
    if _decodes_cleanly(data, PREFERRED_LEGACY):
        return PREFERRED_LEGACY
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.chaos <= CLEAN_MESS_RATIO and _decodes_cleanly(data, best.encoding):
        return best.encoding
    return "utf-8"


def _decompress(data: bytes, name: str, new: Callable[[], Decompressor]) -> bytes:
    try:
        out = new().decompress(data, MAX_DECOMPRESSED_BYTES + 1)
    except (OSError, EOFError, ValueError, zlib.error, lzma.LZMAError) as error:
        raise UndecodableFile(f"{name}-compressed, and the compressed data is damaged: {error}") from error
    if len(out) > MAX_DECOMPRESSED_BYTES:
        limit = MAX_DECOMPRESSED_BYTES // 2**30
        raise UndecodableFile(f"{name}-compressed, and expands to more than {limit} GiB")
    return out


def _has_valid_multibyte_line(data: bytes) -> bool:
    """Whether some line with non-ASCII bytes is valid UTF-8 (so the file is UTF-8 with damage)."""
    for line in data.splitlines():
        if not line.isascii():
            try:
                line.decode("utf-8")
                return True
            except UnicodeDecodeError:
                continue
    return False


def _looks_like_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: text whose every other byte is mostly NUL."""
    sample = data[:4096]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return max(even.count(0) / len(even), odd.count(0) / max(len(odd), 1)) > 0.4


def _utf16_order(data: bytes) -> str:
    sample = data[:4096]
    return "utf-16-le" if sample[1::2].count(0) >= sample[0::2].count(0) else "utf-16-be"


def _decodes_cleanly(data: bytes, encoding: str) -> bool:
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return mess_ratio(text, maximum_threshold=1.0) <= CLEAN_MESS_RATIO
