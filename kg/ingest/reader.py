"""Read an issue file into text: UTF-8 (with or without BOM), GB18030/GBK, Big5.

A file that is empty, binary or undecodable raises InputError naming the file
and the cause; the caller reports it and goes on with the next file.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError

# Tried in this order; GB18030 decodes any GBK text, so GBK needs no entry.
ENCODINGS = ("utf-8-sig", "gb18030", "big5")
MAX_BAD_SHARE = 0.001  # see _few
TEXT_SUFFIXES = {".txt", ".text", ""}


@dataclass
class DecodedFile:
    path: str
    text: str
    encoding: str
    sha256: str
    bad_spans: list[tuple[int, int]] = field(default_factory=list)  # byte offsets replaced with U+FFFD


def read_issue_file(path: str | Path, encoding: str | None = None) -> DecodedFile:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    encoding = encoding or _utf16(data)
    _check_content(str(path), data, utf16=encoding == "utf-16")
    digest = hashlib.sha256(data).hexdigest()

    def decoded(text: str, enc: str, bad: list[tuple[int, int]]) -> DecodedFile:
        return DecodedFile(str(path), _normalise_newlines(text), _name(enc), digest, bad)

    if encoding:
        text, bad = _decode_lenient(data, encoding)
        return decoded(text, encoding, bad)
    chosen = choose_encoding(data)
    if chosen is None:
        raise InputError(str(path), f"not decodable as {', '.join(map(_name, ENCODINGS))}")
    return decoded(*chosen)


def choose_encoding(data: bytes, final: bool = True) -> tuple[str, str, list[tuple[int, int]]] | None:
    """(text, encoding, bad byte spans) of the likeliest reading of `data`, or None.

    UTF-8 first, and a UTF-8 file with a torn character or a few damaged bytes
    stays UTF-8 (GB18030 would decode it cleanly, into nonsense). Then the
    likeliest clean reading; then any encoding with only a few bad bytes.
    `final=False` reads a sample that may end inside a character."""
    text, bad = _decode_lenient(data, "utf-8-sig", final)
    if _few(bad, data) and _looks_like_text(text):
        return text, "utf-8", bad
    best = best_reading(data, ENCODINGS[1:], final)
    if best:
        return best[1], best[0], []
    enc = min(ENCODINGS[1:], key=lambda e: len(_decode_lenient(data, e, final)[1]))
    text, bad = _decode_lenient(data, enc, final)
    return (text, enc, bad) if _few(bad, data) and _looks_like_text(text) else None


def _utf16(data: bytes) -> str | None:
    """"utf-16" for a file that starts with a UTF-16 byte-order mark (Windows' "Unicode")."""
    return "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else None


def _check_content(path: str, data: bytes, utf16: bool = False) -> None:
    if not data.strip() or (utf16 and not data[2:].replace(b"\x00", b"").strip()):
        raise InputError(path, "empty file")
    if b"\x00" in data[:4096] and not utf16:
        raise InputError(path, "binary file (NUL bytes), not issue text")


def _few(bad: list[tuple[int, int]], data: bytes) -> bool:
    """A few bad bytes in a long file are a damaged file, not a wrong encoding."""
    return sum(e - s for s, e in bad) <= max(4, MAX_BAD_SHARE * len(data))


def best_reading(data: bytes, encodings: tuple[str, ...] = ENCODINGS, final: bool = True) -> tuple[str, str] | None:
    """(encoding, text) of the likeliest clean decoding of `data`, or None.
    GB18030 decodes most Big5 bytes without error, into nonsense: among clean
    readings the one that looks most like Chinese text wins; UTF-8 wins outright."""
    readings = []
    for enc in encodings:
        try:
            text = codecs.getincrementaldecoder(enc)().decode(data, final=final)
        except UnicodeDecodeError:
            continue
        if not _looks_like_text(text):
            continue
        if enc == "utf-8-sig":
            return enc, text
        readings.append((_plausibility(text), enc, text))
    if not readings:
        return None
    _, enc, text = max(readings)
    return enc, text


def _name(enc: str) -> str:
    return "utf-8" if enc == "utf-8-sig" else enc


# One error handler for every lenient decode: it records the bad byte spans in
# the list the current decode set (registering a handler per call would grow
# the codecs registry without end).
_BAD_BYTES: ContextVar[tuple[list[tuple[int, int]], int]] = ContextVar("kg_bad_bytes")


def _record_bad_bytes(err: UnicodeDecodeError):
    spans, base = _BAD_BYTES.get()
    spans.append((base + err.start, base + err.end))
    return ("\ufffd", err.end)


codecs.register_error("kg-record", _record_bad_bytes)


def _decode_recording(decode, spans: list[tuple[int, int]], base: int = 0) -> str:
    token = _BAD_BYTES.set((spans, base))
    try:
        return decode()
    finally:
        _BAD_BYTES.reset(token)


def _decode_lenient(data: bytes, encoding: str, final: bool = True) -> tuple[str, list[tuple[int, int]]]:
    bad: list[tuple[int, int]] = []
    decoder = codecs.getincrementaldecoder(encoding)(errors="kg-record")
    text = _decode_recording(lambda: decoder.decode(data, final=final), bad)
    return text.removeprefix("\ufeff"), bad


def _plausibility(text: str) -> float:
    """Share of characters that ordinary Chinese text is made of."""
    sample = text[:20000]
    ok = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff" or c.isascii() or "\u3000" <= c <= "\u303f"
             or "\uff00" <= c <= "\uff5e" or c in "“”‘’—…·")
    return ok / max(1, len(sample))


def _looks_like_text(text: str) -> bool:
    """Control characters other than white space mean a wrong guess or a binary file."""
    sample = text[:20000]
    if not sample:
        return False
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    return controls / len(sample) < 0.01


# Control characters (a NUL, a form feed pdftotext puts between pages) and invisible format
# characters (zero-width space and joiners, direction marks, soft hyphens) become a space:
# one character for one, so every offset into the text still points into the file, and
# the layout repair drops a space between Chinese characters. No name is ever split or
# doubled by an invisible character, and no store sees a NUL.
_INVISIBLE = {c: " " for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0xAD,
                              *range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2060, 0x2065), 0xFEFF]}


def clean_invisible(text: str) -> str:
    return text.translate(_INVISIBLE)


def _normalise_newlines(text: str) -> str:
    return clean_invisible(text.replace("\r\n", "\n").replace("\r", "\n"))


STREAM_CHUNK = 1 << 20  # bytes read at a time from a large file
SAMPLE = 1 << 18


@dataclass
class StreamedPart:
    text: str
    base: int  # offset of text[0] in the whole decoded file


def file_digest(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(STREAM_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def detect_encoding(path: str | Path) -> tuple[str, str]:
    """The encoding of a large file, from its first bytes, and those bytes decoded."""
    with open(path, "rb") as f:
        sample = f.read(SAMPLE)
    if _utf16(sample):
        _check_content(str(path), sample, utf16=True)
        text = codecs.getincrementaldecoder("utf-16")().decode(sample, final=False)
        return "utf-16", _normalise_newlines(text)
    _check_content(str(path), sample)
    chosen = choose_encoding(sample, final=False)
    if chosen is None:
        raise InputError(str(path), f"not decodable as {', '.join(map(_name, ENCODINGS))}")
    return chosen[1], chosen[0]


# Parts are cut where an article starts: before a byline, or, where headlines
# come first, before the headline lines above a byline.
CUT_BEFORE_BYLINE = re.compile(r"\n\n(?=[ \t\u3000]*(?:本报讯|■|新华社))")
CUT_BEFORE_HEADLINE = re.compile(r"\n\n(?=[^\n]{1,40}\n(?:[^\n]{1,40}\n)?\n*[ \t\u3000]*(?:本报讯|■|新华社))")
MAX_CARRY = 4 << 20  # characters; past this a part is cut at any blank line


def _cut(text: str, pattern: re.Pattern) -> int:
    starts = [m.start() for m in pattern.finditer(text)]
    if starts:
        return starts[-1] + 2
    return text.rfind("\n\n") + 2 if len(text) > MAX_CARRY and "\n\n" in text else -1


def stream_issue_file(path: str | Path, encoding: str, bad: list[tuple[int, int]],
                      headline_first: bool = False) -> Iterator[StreamedPart]:
    """Decoded text of a large file in parts cut where articles start, so memory
    stays bounded by the part size. Undecodable bytes are replaced and recorded in `bad`."""
    pattern = CUT_BEFORE_HEADLINE if headline_first else CUT_BEFORE_BYLINE
    decoder = codecs.getincrementaldecoder(encoding)(errors="kg-record")
    carry, base, pending_cr, read = "", 0, False, 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(STREAM_CHUNK)
            # bad spans as file offsets: the decoder still holds the last chunk's partial bytes
            chunk_base = read - len(decoder.getstate()[0])
            read += len(chunk)
            text = _decode_recording(lambda c=chunk: decoder.decode(c, final=not c), bad, chunk_base)
            if pending_cr:
                text, pending_cr = "\r" + text, False
            if text.endswith("\r") and chunk:
                text, pending_cr = text[:-1], True
            if base == 0 and not carry and text.startswith("\ufeff"):
                text = text[1:]
            carry += _normalise_newlines(text)
            if not chunk:
                if carry.strip():
                    yield StreamedPart(carry, base)
                return
            cut = _cut(carry, pattern)
            if cut > 2:
                yield StreamedPart(carry[:cut], base)
                base += cut
                carry = carry[cut:]
