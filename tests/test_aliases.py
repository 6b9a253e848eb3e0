from __future__ import annotations

from kg.aliases import alias_table, entity_id


def test_profile_and_gazetteer_short_forms():
    t = alias_table()
    assert t.canonical("市委", "Organization") == "中共聊城市委"
    assert t.canonical("本报", "Organization") == "聊城日报"
    assert t.canonical("时风", "Organization") == "时风集团"
    assert t.canonical("市工信局", "Organization") == "聊城市工信局"
    assert t.canonical("省商务厅", "Organization") == "山东省商务厅"
    assert t.canonical("市场监管局", "Organization") == "市场监管局"  # 市场 is no jurisdiction prefix
    assert t.canonical("聊城", "Place") == "聊城市"
    assert t.canonical("王 刚", "Person") == "王刚"


def test_ids_are_stable_hashes_of_type_and_name():
    assert entity_id("Person", "王刚") == entity_id("Person", " 王刚 ")
    assert entity_id("Person", "王刚") != entity_id("Organization", "王刚")
    assert entity_id("Organization", "时风集团").startswith("org-")
    # a fixed value: ids must not change between runs, machines or versions
    assert entity_id("Person", "王刚") == "per-" + __import__("hashlib").sha1(
        "Person\x1f王刚".encode()).hexdigest()[:16]
