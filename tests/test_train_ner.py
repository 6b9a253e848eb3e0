"""scripts/train_ner.py is reproducible: trained again on the same gold, it writes the
very weights the package ships (so they are current with the rules that make its
features), and the gold's surfaces become character labels as the scorer reads them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from kg.nlp.learned import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from train_ner import gold_spans  # noqa: E402


def test_training_again_gives_the_shipped_weights(shared, tmp_path):
    out = tmp_path / "entities.crfsuite"
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_ner.py"), "--gold", str(shared / "gold"),
                             "--out", str(out)], capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == DEFAULT_MODEL.read_bytes(), \
        "kg/nlp/models/entities.crfsuite is not what scripts/train_ner.py trains now: retrain it"


def test_gold_surfaces_become_spans_longest_first():
    text = "聊城大学位于聊城，聊城市委书记到聊城大学调研。"
    spans = gold_spans(text, [{"name": "聊城大学", "type": "Organization", "aliases": ["聊城大学"]},
                              {"name": "聊城市", "type": "Place", "aliases": ["聊城"]},
                              {"name": "中共聊城市委", "type": "Organization", "aliases": ["聊城市委"]}])
    assert [(text[a:b], label) for a, b, label in spans] == [
        ("聊城大学", "Organization"), ("聊城", "Place"), ("聊城市委", "Organization"), ("聊城大学", "Organization")]


def test_half_width_gold_finds_full_width_text():
    text = "出席（聊城）峰会"
    assert gold_spans(text, [{"name": "(聊城)峰会", "type": "Event", "aliases": []}]) == [(2, 8, "Event")]
