"""Clauses by number (every label), province and audience preference, whose rule it is,
amounts never stated, staff overlay scoping."""

from __future__ import annotations

import re

import pytest

from bot.answer import Bot, answer_question
from bot.index import BotIndex
from bot.overlay import LocalEntry
from bot.ranker import Context


def test_every_clause_can_be_asked_by_number(bot_index: BotIndex) -> None:
    assert len(bot_index.clauses) >= 304
    for clause in bot_index.clauses:
        doc = bot_index.docs[clause.doc_id]
        for question in (f"{doc.names[0]}{clause.label}", f"{doc.names[0]}的{clause.label}讲的啥"):
            answer = answer_question(bot_index, question)
            got = (answer.sources[0].doc_id, answer.sources[0].clause) if answer.sources else None
            assert got == clause.key, question


def test_article_without_a_document_is_the_national_one_then_the_asker_province(
    bot_index: BotIndex,
) -> None:
    assert answer_question(bot_index, "第十五条").sources[0].doc_id == "mva-order-5-2021"
    jilin = answer_question(bot_index, "第十五条", context=Context(province="吉林省"))
    assert jilin.sources[0].doc_id == "jl-junxiu-rules-2021"
    only_jilin = answer_question(bot_index, "第四十条说的什么")
    assert only_jilin.sources[0].doc_id == "jl-junxiu-rules-2021"


def test_definitions_are_their_own_clauses(bot_index: BotIndex) -> None:
    keys = set(bot_index.clause_by_key)
    for key in (
        ("hn-veterans-center-spec", "3.1"),
        ("hn-veterans-center-spec", "3.2"),
        ("bj-junxiu-service-spec", "3.1"),
        ("bj-junxiu-service-spec", "3.3"),
        ("sx-monthly-pension-spec", "3.2"),
    ):
        assert key in keys
    hn31 = bot_index.clauses[bot_index.clause_by_key[("hn-veterans-center-spec", "3.1")]]
    assert "优抚对象" in hn31.text and "**" not in hn31.text


def test_the_askers_province_is_preferred(bot_index: BotIndex) -> None:
    question = "体检多久一次"
    jilin = answer_question(bot_index, question, context=Context(province="吉林省"))
    beijing = answer_question(bot_index, question, context=Context(province="北京市"))
    assert jilin.sources[0].doc_id == "jl-junxiu-rules-2021"
    assert beijing.sources[0].doc_id == "bj-junxiu-service-spec"


def test_provincial_answers_say_whose_rule_it_is(bot_index: BotIndex) -> None:
    answer = answer_question(bot_index, "自付医疗费太多了补助比例是多少")
    assert answer.sources[0].doc_id == "jl-junxiu-rules-2021" and "吉林" in answer.answer
    draft = answer_question(bot_index, "逐月领取的退役金每月几号发")
    assert draft.sources[0].doc_id == "sx-monthly-pension-spec" and "征求意见稿" in draft.answer


def test_faq_answers_never_present_a_provincial_rule_as_national(bot_index: BotIndex) -> None:
    for item in bot_index.faq:
        docs = [bot_index.docs[d] for d, _ in item.sources]
        if all(not d.national for d in docs):
            assert any(d.province_short in item.answer for d in docs), item.id
        elif len(docs) > 1:
            # A figure only a province states is said to be that province's.
            national = " ".join(
                bot_index.clauses[bot_index.clause_by_key[k]].text
                for k in item.sources
                if bot_index.docs[k[0]].national
            )
            figures = re.findall(r"\d+|每年|每月|[一二三四五六七八九十]+[次个年月]", item.answer)
            if any(f not in national for f in figures):
                assert any(d.province_short and d.province_short in item.answer for d in docs), (
                    item.id
                )


@pytest.mark.parametrize("question", ["丧葬费标准到底是多少钱", "我爸的离休费具体一个月多少钱"])
def test_amounts_the_text_never_states_are_refused(bot_index: BotIndex, question: str) -> None:
    assert not answer_question(bot_index, question).answered


def test_a_province_we_hold_no_rule_for_is_not_answered_with_another(bot_index: BotIndex) -> None:
    answer = answer_question(bot_index, "上海的军休干部医疗补助比例是多少")
    assert not answer.sources or answer.sources[0].doc_id == "mva-order-5-2021"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("能叫所里派个车接我吗", "ride"),
        ("明天派车接我去医院复查", "ride"),
        ("中午的饭给我送一份", "meal"),
        ("下礼拜的书法课给我报个名", "activity"),
        ("所里最近说了啥", "notice"),
        ("今年的年审咋弄", "checkin"),
        ("找个人说", "handoff"),
        ("帮我约撤", "ride"),
    ],
)
def test_everyday_app_requests(bot_index: BotIndex, question: str, intent: str) -> None:
    assert answer_question(bot_index, question).intent == intent


@pytest.mark.parametrize("question", ["所里的电话是多少", "今天谁值班"])
def test_phone_and_duty_questions_ask_the_backend_for_the_units_number(
    bot_index: BotIndex, question: str
) -> None:
    answer = answer_question(bot_index, question)
    assert answer.intent == "handoff" and answer.contact_request


def test_sound_alike_common_words_are_not_intents(bot_index: BotIndex) -> None:
    answer = answer_question(bot_index, "老同志去世了丧葬费找谁领")
    assert answer.intent is None


def test_staff_overlay_is_scoped_swapped_and_cited_as_the_centres(bot_index: BotIndex) -> None:
    bot = Bot(bot_index)
    question = "所里的棋牌室几点开门"
    inside = Context(unit_id=9, unit_path="/1/4/9/")
    outside = Context(unit_id=7, unit_path="/1/5/7/")
    assert not bot.answer(question, inside).answered
    bot.set_local_answers(
        [
            LocalEntry(
                id="staff-1",
                questions=("棋牌室几点开门", "棋牌室开放时间"),
                answer="棋牌室每天上午8点开门。",
                unit_paths=("/1/4/",),
                unit_name="第一军休所",
            )
        ]
    )
    mine = bot.answer(question, inside)
    assert mine.answered and "上午8点" in mine.answer and "所里的答复" in mine.answer
    assert mine.sources == [] and mine.local_answer_id == "staff-1"
    assert not bot.answer(question, outside).answered, "another unit's answer stays there"
    assert not bot.answer(question).answered, "nobody known, no unit's answer"
    assert not bot.answer("体检多久一次", inside).local_answer_id
    bot.set_local_answers([])
    assert not bot.answer(question, inside).answered


def test_a_province_travelled_to_is_a_place_not_whose_rule() -> None:
    from bot.ranker import named_provinces

    assert named_provinces("我妈要去海南那边住半年") == set()
    assert named_provinces("回山东老家看病要备案吗") == set()
    assert named_provinces("海南的军休所管不管助餐") == {"海南"}


def test_a_question_naming_where_the_asker_travels_is_still_answered(bot_index: BotIndex) -> None:
    ans = answer_question(bot_index, "我妈要去海南那边住半年，异地就医备案所里能帮着办吗")
    assert ans.answered and "6.4.2" in [s.clause for s in ans.sources]


def test_the_national_rule_goes_first_only_for_those_it_is_about(bot_index: BotIndex) -> None:
    """The national rule is for 军休干部: a question whose words say the asker draws 退役金
    monthly gets no national preference for it (the 山西 standard is about them)."""
    from bot.ranker import candidate_pool
    from bot.text import fold

    def national(question: str) -> set[float]:
        query = bot_index.norm().analyse(fold(question), bot_index.vocabulary)
        pool = candidate_pool(bot_index, query)
        return {
            c.feats["national"] + c.feats["prior"]
            for c in pool
            if bot_index.docs[bot_index.clauses[c.clause].doc_id].national
        }

    assert national("档案放在哪里保管") == {1.0 + bot_index.params.priors["national"]}
    assert national("逐月领退役金的人，档案放在哪里保管") == {0.0}


def test_asking_politely_is_no_request_for_a_person(bot_index: BotIndex) -> None:
    """我想问问… asks about what follows: the app examples are compared without the politeness
    (an example 我想问问所里的工作人员 once opened the hand-off for 我想问问体检一年几次)."""
    ans = answer_question(bot_index, "我想问问体检一年几次")
    assert ans.intent is None and ans.answered
    assert answer_question(bot_index, "我想问问所里的工作人员").intent == "handoff"


def test_an_out_of_scope_example_asking_more_than_the_question_is_held_apart(
    bot_index: BotIndex,
) -> None:
    """The nearest out-of-scope example's share held by the question: low when the example asks
    something more (出国旅游 … 买旅游保险), whole when the question is that example."""
    from bot.ranker import out_of_scope_nearness
    from bot.text import fold

    def cover(question: str) -> float:
        query = bot_index.norm().analyse(fold(question), bot_index.vocabulary)
        return out_of_scope_nearness(bot_index, query)[1]

    assert cover("出国要跟所里说吗") < 0.3
    assert cover("军休干部出国旅游，军休所给不给买旅游保险") == 1.0
    ans = answer_question(bot_index, "出国旅游要跟所里说一声吗")
    assert ans.answered and ans.sources[0].clause == "第十五条"


def test_a_clause_named_by_number_beats_the_verb_that_asks_for_it(bot_index: BotIndex) -> None:
    """给我看看 / 麻烦找一下 are how people ask to be shown a clause; a bare 3.2 may be a date."""
    for question in ("给我看看第十五条", "麻烦找一下第四十条", "我想看看办法第十一条写的什么"):
        ans = answer_question(bot_index, question)
        assert ans.intent is None and ans.kind == "lookup", question
    assert answer_question(bot_index, "帮我订3.2号的午饭").intent == "meal"
