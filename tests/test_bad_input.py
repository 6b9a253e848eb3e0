"""Bad input: every good issue is loaded, every bad file is named with its
reason, the exit status says "partial", and a second run does no duplicate work."""

from __future__ import annotations

import json
import os

from kg.ingest import read_issue, read_issue_parts
from tests.conftest import EXAMPLES, kg_out, run_kg

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def make_corpus(folder):
    one = (EXAMPLES / "lcrb-2031-03-15.txt").read_text(encoding="utf-8")
    two = (EXAMPLES / "lcrb-2031-03-16.txt").read_text(encoding="utf-8")
    folder.mkdir()
    (folder / "lcrb-2031-03-15.txt").write_text(one, encoding="utf-8")
    (folder / "lcrb-2031-03-16.txt").write_bytes(two.encode("gbk"))
    (folder / "lcrb-2031-03-17.txt").write_bytes(b"\xef\xbb\xbf" + one.replace("\n", "\r\n").encode("utf-8"))
    cut = two.encode("utf-8")
    assert cut.endswith("会\n".encode())
    (folder / "lcrb-2031-03-18.txt").write_bytes(cut[: len(cut) - 2])  # torn write: cut inside 会
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.txt").write_bytes(PNG)
    return folder


def test_build_on_a_folder_of_good_and_bad_files(tmp_path):
    corpus = make_corpus(tmp_path / "in")
    env = {"KG_STREAM_OVER": "2000"}  # read the larger issues as streams too
    first = run_kg("build", str(corpus), "--no-progress", env=env)
    assert first.returncode == 3, first.stderr
    assert "empty.txt: empty file" in first.stderr
    assert "photo.txt: binary file" in first.stderr
    assert "Loaded 4 issue(s)" in first.stdout
    assert "lcrb-2031-03-18.txt: 1 undecodable byte span" in first.stderr
    stats = json.loads(kg_out("stats", "--json"))
    assert stats["nodes"]["Issue"] == 4
    second = run_kg("build", str(corpus), "--no-progress", env=env)
    assert second.returncode == 3
    assert "Loaded 0 issue(s), 0 article(s)" in second.stdout and "4 unchanged file(s) skipped" in second.stdout
    assert json.loads(kg_out("stats", "--json")) == stats


def test_encodings_read_alike(tmp_path):
    corpus = make_corpus(tmp_path / "in")
    utf8 = read_issue(corpus / "lcrb-2031-03-15.txt")
    bom_crlf = read_issue(corpus / "lcrb-2031-03-17.txt")
    gbk = read_issue(corpus / "lcrb-2031-03-16.txt")
    assert gbk.encoding == "gb18030"
    assert [a.text for a in bom_crlf.articles] == [a.text for a in utf8.articles]
    assert [a.title for a in gbk.articles] == [a.title for a in read_issue(EXAMPLES / "lcrb-2031-03-16.txt").articles]


def test_a_50_mb_file_is_read_as_a_stream(tmp_path):
    unit = ((EXAMPLES / "lcrb-2031-03-15.txt").read_text(encoding="utf-8") + "\n\n").encode("utf-8")
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        for _ in range(50 * 1024 * 1024 // len(unit) + 1):
            f.write(unit)
    assert big.stat().st_size >= 50 * 1024 * 1024
    parts = 0
    seqs: list[int] = []
    size = os.path.getsize(big)
    for part in read_issue_parts(big, date="2031-03-15"):
        parts += 1
        assert len(part.text) == 0, "a streamed part keeps no copy of the file"
        seqs += [a.seq for a in part.articles]
        assert all(0 <= a.raw_start < a.raw_end <= size for a in part.articles)
    assert parts > 40, "read in parts of about 1 MiB"
    assert seqs == list(range(1, len(seqs) + 1)), "articles are numbered on across parts"
    assert len(seqs) == 3 * (50 * 1024 * 1024 // len(unit) + 1)


def test_a_damaged_file_reads_alike_whole_and_streamed(tmp_path):
    data = (EXAMPLES / "lcrb-2031-03-16.txt").read_bytes()
    damaged = tmp_path / "lcrb-2031-03-16.txt"
    damaged.write_bytes(data[:301] + b"\xff" + data[301:])
    whole = list(read_issue_parts(damaged))
    streamed = list(read_issue_parts(damaged, stream_over=10))
    assert len(whole) == 1 and whole[0].encoding == "utf-8" and streamed[0].encoding == "utf-8"
    assert whole[0].warnings[0].startswith(f"{damaged}: 1 undecodable byte span(s) at 301-302")
    assert [w for p in streamed for w in p.warnings] == whole[0].warnings, "spans are file offsets in both"
    assert [a.title for p in streamed for a in p.articles] == [a.title for a in whole[0].articles]
