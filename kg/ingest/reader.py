"""Read an issue file into text: UTF-8 (with or without BOM), GB18030/GBK, Big5.

A file that is empty, binary or undecodable raises InputError naming the file
and the cause; the caller reports it and goes on with the next file.
"""

from __future__ import annotations

import codecs
import hashlib
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
