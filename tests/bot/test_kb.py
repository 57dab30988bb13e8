"""The regulations become clean clauses with the labels the bot cites."""

from __future__ import annotations

from collections import Counter

from bot.index import BotIndex


def test_every_document_is_split_into_clauses(bot_index: BotIndex) -> None:
    per_doc = Counter(c.doc_id for c in bot_index.clauses)
    assert per_doc["mva-order-5-2021"] == 37  # 第一条 … 第三十七条
    assert per_doc["jl-junxiu-rules-2021"] == 59  # 第一条 … 第五十九条
    for doc in ("bj-junxiu-service-spec", "hn-veterans-center-spec", "sx-monthly-pension-spec"):
        assert per_doc[doc] > 40


def test_extraction_artifacts_are_gone(bot_index: BotIndex) -> None:
    for clause in bot_index.clauses:
        text = clause.text
        assert "地方标准信息服务平台" not in text
        assert "灯箱、灯箱" not in text
        assert "XXX" not in text and "CCS" not in text
        assert "....." not in text
        assert "﹝2020﹞" not in text, f"reference list leaked into {clause.key}"


def test_wrapped_lines_and_lettered_items_join_their_clause(bot_index: BotIndex) -> None:
    clauses = {c.key: c for c in bot_index.clauses}
    jl_first = clauses[("jl-junxiu-rules-2021", "第一条")].text
    assert "移交政府安置" in jl_first, "a line wrapped mid-word is joined"
    evaluation = clauses[("bj-junxiu-service-spec", "8.1.2")].text
    assert "自我评价" in evaluation and "第三方评估机构评价" in evaluation
    assert ("bj-junxiu-service-spec", "8.1.2 a)") not in clauses
    assert clauses[("bj-junxiu-service-spec", "6.5.5")].text.count("灯箱") == 1


def test_titles_above_a_clause_are_kept(bot_index: BotIndex) -> None:
    clauses = {c.key: c for c in bot_index.clauses}
    assert clauses[("mva-order-5-2021", "第十一条")].titles == ["服务管理内容"]
    assert clauses[("sx-monthly-pension-spec", "6.4.2")].titles[-1] == "退役金发放管理"


def test_faq_covers_eighty_topics_with_valid_sources(bot_index: BotIndex) -> None:
    assert len(bot_index.faq) >= 80
    docs = {doc for item in bot_index.faq for doc, _ in item.sources}
    assert len(docs) == 5, "every document is covered"
    for item in bot_index.faq:
        assert len(item.questions) >= 2, item.id
        for key in item.sources:
            assert key in bot_index.clause_by_key, (item.id, key)
