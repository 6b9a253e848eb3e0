from __future__ import annotations

import numpy as np
import spacy

from kg.nlp import build_nlp, process, shared_nlp
from kg.nlp.lac import shared_model, split_chunks, viterbi

SENTENCE = ("市委常委、常务副市长刘文强出席第三届中国（聊城）国际农机博览会开幕式并讲话。"
            "时风集团董事长刘成强、聊城市商务和投资促进局局长盛强参加。")


def ents(text: str) -> set[tuple[str, str]]:
    doc = process(shared_nlp(), [text])[0]
    return {(e.text, e.label_) for e in doc.ents}


def test_pipeline_is_built_from_config():
    nlp = build_nlp()
    assert nlp.lang == "zh"
    assert nlp.pipe_names == ["sentencizer", "kg_lac_ner", "kg_domain", "kg_learned_ner"]


def test_entities_of_each_type():
    found = ents(SENTENCE)
    assert ("刘文强", "Person") in found and ("刘成强", "Person") in found
    assert ("时风集团", "Organization") in found
    assert ("聊城市商务和投资促进局", "Organization") in found
    assert ("市委", "Organization") in found
    # the expo by its whole name (the tagger, like the gold, may leave 开幕式 out of it)
    assert any(label == "Event" and text.startswith("第三届中国（聊城）国际农机博览会") for text, label in found)


def test_generic_words_are_not_entities():
    found = {t for t, _ in ents("该公司召开会议，研究了发展新格局。各级政府要支持企业。")}
    assert not found & {"公司", "该公司", "会议", "召开会议", "发展新格局", "政府"}


def test_batched_lac_equals_one_at_a_time():
    model = shared_model()
    texts = ["张三在北京市工作。", SENTENCE, "好", "聊城市东昌府区"]
    batched = model.analyse(texts)
    for text, words in zip(texts, batched, strict=True):
        assert [(w.text, w.tag) for w in model.analyse([text])[0]] == [(w.text, w.tag) for w in words]
        assert "".join(w.text for w in words) == text


def test_vectorised_viterbi_matches_brute_force():
    rng = np.random.default_rng(7)
    emissions = rng.normal(size=(3, 4, 3)).astype(np.float32)
    transitions = rng.normal(size=(3, 3)).astype(np.float32)
    lengths = np.array([4, 2, 1])
    paths = viterbi(emissions, transitions, lengths)
    import itertools

    for b, n in enumerate(lengths):
        def score(path, b=b):
            return sum(emissions[b, t, path[t]] for t in range(len(path))) + \
                sum(transitions[path[t - 1], path[t]] for t in range(1, len(path)))
        best = max(itertools.product(range(3), repeat=int(n)), key=score)
        assert paths[b] == list(best)


def test_a_rows_viterbi_path_is_the_same_in_any_batch():
    """kg.nlp.lac decodes chunks of near lengths together, padded: each must get the
    path it gets alone, ties included (float32 values that repeat make ties likely)."""
    rng = np.random.default_rng(11)
    transitions = rng.integers(-2, 3, size=(5, 5)).astype(np.float32) / 4
    rows = [rng.integers(-3, 4, size=(n, 5)).astype(np.float32) / 2 for n in (9, 7, 7, 3, 1)]
    alone = [viterbi(r[None], transitions, np.array([len(r)]))[0] for r in rows]
    padded = np.zeros((len(rows), 9, 5), dtype=np.float32)
    for k, r in enumerate(rows):
        padded[k, : len(r)] = r
    assert viterbi(padded, transitions, np.array([len(r) for r in rows])) == alone


def test_tagging_is_the_same_across_encoder_windows(monkeypatch):
    import kg.nlp.lac as lac

    model = shared_model()
    chunks = [c for _, c in split_chunks(SENTENCE * 3 + "张三在北京市工作。聊城市东昌府区，好。")]
    whole = model.tag_chunks(chunks)
    monkeypatch.setattr(lac, "WINDOW_CHARS", 12)  # a window every chunk or two
    assert model.tag_chunks(chunks) == whole


def test_long_text_is_chunked_at_punctuation():
    text = "聊城市" * 150 + "。" + "东昌府区，" * 60
    chunks = split_chunks(text)
    assert "".join(c for _, c in chunks) == text
    assert all(len(c) <= 200 for _, c in chunks)


def test_to_disk_and_spacy_load_round_trip(tmp_path):
    nlp = build_nlp()
    nlp.to_disk(tmp_path / "model")
    again = spacy.load(tmp_path / "model")
    assert again.pipe_names == nlp.pipe_names
    assert {(e.text, e.label_) for e in again(SENTENCE).ents} == {(e.text, e.label_) for e in nlp(SENTENCE).ents}
