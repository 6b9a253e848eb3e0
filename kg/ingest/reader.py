"""Read an issue file into text: UTF-8 (with or without BOM), GB18030/GBK, Big5.

A file that is empty, binary or undecodable raises InputError naming the file
and the cause; the caller reports it and goes on with the next file.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError

# Tried in this order; GB18030 decodes any GBK text, so GBK needs no entry.
ENCODINGS = ("utf-8-sig", "gb18030", "big5")
# A few bad bytes in a long file are a damaged file, not a wrong encoding.
MAX_BAD_SHARE = 0.001
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
    if not data.strip():
        raise InputError(str(path), "empty file")
    if b"\x00" in data[:4096]:
        raise InputError(str(path), "binary file (NUL bytes), not issue text")
    digest = hashlib.sha256(data).hexdigest()
    if encoding:
        text, bad = _decode_lenient(data, encoding)
        return DecodedFile(str(path), _normalise_newlines(text), encoding, digest, bad)
    utf8, bad = _decode_lenient(data, "utf-8-sig")
    if bad and sum(e - s for s, e in bad) <= max(4, MAX_BAD_SHARE * len(data)):
        # UTF-8 with a torn character or a few damaged bytes: still UTF-8, damage reported
        return DecodedFile(str(path), _normalise_newlines(utf8), "utf-8", digest, bad)
    clean = []
    for enc in ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            if enc == "utf-8-sig":  # UTF-8 that decodes is UTF-8
                return DecodedFile(str(path), _normalise_newlines(text), "utf-8", digest)
            clean.append((_plausibility(text), enc, text))
    if clean:
        # GB18030 decodes most Big5 bytes without error, into nonsense: keep the likelier reading.
        _, enc, text = max(clean, key=lambda c: c[0])
        return DecodedFile(str(path), _normalise_newlines(text), _name(enc), digest)
    # Not cleanly decodable: accept the best encoding if only a few bytes are bad.
    best = min(ENCODINGS, key=lambda enc: len(_decode_lenient(data, enc)[1]))
    text, bad = _decode_lenient(data, best)
    if sum(e - s for s, e in bad) > max(4, MAX_BAD_SHARE * len(data)) or not _looks_like_text(text):
        raise InputError(str(path), f"not decodable as {', '.join(map(_name, ENCODINGS))}")
    return DecodedFile(str(path), _normalise_newlines(text), _name(best), digest, bad)


def _name(enc: str) -> str:
    return "utf-8" if enc == "utf-8-sig" else enc


def _decode_lenient(data: bytes, encoding: str) -> tuple[str, list[tuple[int, int]]]:
    bad: list[tuple[int, int]] = []

    def handler(err: UnicodeDecodeError):
        bad.append((err.start, err.end))
        return ("\ufffd", err.end)

    name = f"kg-replace-{id(bad)}"
    codecs.register_error(name, handler)
    text = data.decode(encoding, errors=name)
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, bad


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


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


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


def detect_encoding(path: str | Path) -> str:
    """The encoding of a large file, from its first bytes."""
    with open(path, "rb") as f:
        sample = f.read(SAMPLE)
    if not sample.strip():
        raise InputError(str(path), "empty file")
    if b"\x00" in sample[:4096]:
        raise InputError(str(path), "binary file (NUL bytes), not issue text")
    readings = []
    for enc in ENCODINGS:
        try:
            text = codecs.getincrementaldecoder(enc)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            if enc == "utf-8-sig":
                return enc
            readings.append((_plausibility(text), enc))
    if not readings:
        raise InputError(str(path), f"not decodable as {', '.join(map(_name, ENCODINGS))}")
    return max(readings)[1]


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
    def handler(err: UnicodeDecodeError):
        bad.append((err.start, err.end))
        return ("\ufffd", err.end)

    name = f"kg-stream-{id(bad)}"
    codecs.register_error(name, handler)
    decoder = codecs.getincrementaldecoder(encoding)(errors=name)
    carry, base, pending_cr = "", 0, False
    with open(path, "rb") as f:
        while True:
            chunk = f.read(STREAM_CHUNK)
            text = decoder.decode(chunk, final=not chunk)
            if pending_cr:
                text, pending_cr = "\r" + text, False
            if text.endswith("\r") and chunk:
                text, pending_cr = text[:-1], True
            carry += _normalise_newlines(text)
            if base == 0 and carry.startswith("\ufeff"):
                carry = carry[1:]
            if not chunk:
                if carry.strip():
                    yield StreamedPart(carry, base)
                return
            cut = _cut(carry, pattern)
            if cut > 2:
                yield StreamedPart(carry[:cut], base)
                base += cut
                carry = carry[cut:]
