"""The kg spaCy components on hand-built Docs (words and LAC tags written here, no
model run), the pkuseg switch, and a pkuseg model trained twice the same way."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from kg.errors import ConfigError
from kg.gazetteer import PROFILE
from kg.nlp import build_nlp, process
from kg.nlp.components import DomainRules, LacNer, tag_from_words
from kg.nlp.lac import Word

ROOT = Path(__file__).resolve().parent.parent
VOCAB = spacy.blank("zh").vocab


@pytest.fixture(scope="module")
def rules() -> DomainRules:
    component = DomainRules(PROFILE)
    component.initialize()
    return component


def tagged(*pairs: str) -> Doc:
    """A Doc from "word/TAG" strings, as the LAC tokenizer would make it."""
    words = [p.rsplit("/", 1)[0] for p in pairs]
    doc = Doc(VOCAB, words=words, spaces=[False] * len(words))
    for token, pair in zip(doc, pairs, strict=True):
        token.tag_ = pair.rsplit("/", 1)[1]
    doc.user_data["kg_lac_tagged"] = True
    return doc


def run(rules: DomainRules, *pairs: str) -> set[tuple[str, str]]:
    doc = rules(LacNer()(tagged(*pairs)))
    return {(e.text, e.label_) for e in doc.ents}


def test_items_of_a_list_of_companies_are_organisations(rules):
    found = run(rules, "，/w", "魏氏/nz", "熏鸡/n", "、/w", "正信/n", "味业/n", "、/w", "万家/nz", "烧鸡/n", "等/u",
                "25家/m", "企业/n", "获/v", "认定/v", "。/w")
    assert {("魏氏熏鸡", "Organization"), ("正信味业", "Organization"), ("万家烧鸡", "Organization")} <= found


def test_a_list_item_opened_by_a_verb_is_not_taken_whole(rules):
    found = run(rules, "，/w", "支持/v", "希杰/nz", "生物/n", "、/w", "正信/n", "味业/n", "等/u", "企业/n", "发展/v")
    assert ("正信味业", "Organization") in found
    assert "支持希杰生物" not in {t for t, _ in found}  # (希杰生物 itself is found by its suffix)


def test_a_list_of_projects_names_no_companies(rules):
    found = run(rules, "，/w", "望岳/nz", "湖/n", "壹号/n", "、/w", "裕厨/nz", "之家/n", "等/u", "30余家/m", "企业/n",
                "项目/n", "受益/v")
    assert not {t for t, _ in found} & {"裕厨之家", "望岳湖壹号"}


def test_places_lac_alone_proposes_need_a_place_ending(rules):
    found = run(rules, "各部门/r", "团结协作/LOC", "，/w", "东关米市街/LOC", "入选/v", "。/w")
    assert ("东关米市街", "Place") in found
    assert "团结协作" not in {t for t, _ in found}


def test_a_quoted_figure_of_speech_is_no_place(rules):
    found = run(rules, "架起/v", "“/w", "连心桥/LOC", "”/w", "，/w", "走到/v", "北环路/LOC", "。/w")
    assert ("北环路", "Place") in found
    assert "连心桥" not in {t for t, _ in found}


def test_a_verb_glued_to_a_name_is_split_off(rules):
    found = run(rules, "，/w", "联合人民银行聊城市中心支行/ORG", "、/w", "聊城银保监分局/ORG", "走访/v")
    assert ("人民银行聊城市中心支行", "Organization") in found
    assert "联合人民银行聊城市中心支行" not in {t for t, _ in found}


def test_two_companies_joined_by_he_stay_two_but_a_department_is_one_name(rules):
    companies = run(rules, "以/p", "通盛汽车/ORG", "和/c", "端子/n", "电器/n", "为/v", "龙头/n")
    assert ("通盛汽车", "Organization") in companies
    assert "通盛汽车和端子电器" not in {t for t, _ in companies}
    department = run(rules, "聊城市商务/ORG", "和/c", "投资促进局/n", "局长/n", "盛强/PER", "表示/v")
    assert ("聊城市商务和投资促进局", "Organization") in department


def test_a_known_body_is_split_from_words_glued_after_it(rules):
    found = run(rules, "落实/v", "党中央新冠/ORG", "肺炎/n", "疫情/n", "防控/vn", "要求/n")
    assert ("党中央", "Organization") in found
    assert "党中央新冠" not in {t for t, _ in found}


def test_the_rules_data_travels_with_the_pipeline(tmp_path):
    nlp = build_nlp()
    nlp.to_disk(tmp_path / "model")
    data = json.loads((tmp_path / "model" / "kg_domain" / "domain.json").read_text(encoding="utf-8"))
    assert data["phrases"]["时风"] == ["Organization", "company"]
    again = DomainRules(PROFILE).from_disk(tmp_path / "model" / "kg_domain")
    assert again.phrases == nlp.get_pipe("kg_domain").phrases


def test_lac_tags_onto_another_segmentation():
    doc = Doc(VOCAB, words=["时风", "集团", "董事长", "刘成", "强", "说"], spaces=[False] * 6)
    words = [Word("时风集团", "ORG", 0, 4), Word("董事长", "n", 4, 7), Word("刘成强", "PER", 7, 10),
             Word("说", "v", 10, 11)]
    tag_from_words(doc, words)
    assert [(t.text, t.tag_) for t in doc] == [("时风集团", "ORG"), ("董事长", "n"), ("刘成强", "PER"), ("说", "v")]


def test_pkuseg_without_a_local_model_is_refused_not_downloaded(tmp_path):
    with pytest.raises(ConfigError, match="pkuseg needs a model directory"):
        build_nlp(segmenter="pkuseg", pkuseg_model=tmp_path)
    with pytest.raises(ConfigError, match="unknown segmenter"):
        build_nlp(segmenter="jieba")


SEGMENTED = [
    "时风 集团 董事长 刘成强 出席 会议 。",
    "聊城市 商务局 局长 在 会上 讲话 。",
    "鲁西 集团 的 新 项目 正式 开工 。",
    "记者 从 市 科技局 获悉 ， 全市 企业 创新 能力 提升 。",
    "中通 客车 出口 订单 持续 增长 。",
    "东昌府区 举办 农产品 展销会 。",
]


def load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pkuseg_training_is_reproducible_and_the_model_drives_the_pipeline(tmp_path):
    train_pkuseg = load_script("train_pkuseg")
    lines = SEGMENTED * 5
    for run_dir in ("a", "b"):
        train_pkuseg.train_model(lines, SEGMENTED, tmp_path / run_dir, iterations=2)
    for name in ("features.msgpack", "weights.npz"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    nlp = build_nlp(segmenter="pkuseg", pkuseg_model=tmp_path / "a")
    doc = process(nlp, ["时风集团董事长刘成强出席会议。"])[0]
    assert ("时风集团", "Organization") in {(e.text, e.label_) for e in doc.ents}
    assert ("刘成强", "Person") in {(e.text, e.label_) for e in doc.ents}
