"""Answers: clause lookup, intents, greetings, homophones, scope notes, honest abstention."""

from __future__ import annotations

import pytest

from bot.answer import ABSTAIN_TEXT, answer_question
from bot.index import BotIndex


@pytest.mark.parametrize(
    ("question", "doc_id", "clause"),
    [
        ("第二十条", "mva-order-5-2021", "第二十条"),
        ("第20条讲的啥", "mva-order-5-2021", "第二十条"),
        ("吉林的第15条", "jl-junxiu-rules-2021", "第十五条"),
        ("山西标准6.4.2", "sx-monthly-pension-spec", "6.4.2"),
        ("湖南 6.6.3 是什么", "hn-veterans-center-spec", "6.6.3"),
        ("第３７条", "mva-order-5-2021", "第三十七条"),
    ],
)
def test_clause_asked_by_number(
    bot_index: BotIndex, question: str, doc_id: str, clause: str
) -> None:
    answer = answer_question(bot_index, question)
    assert answer.answered
    assert (answer.sources[0].doc_id, answer.sources[0].clause) == (doc_id, clause)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("我要报名下周的书法活动", "activity"),
        ("帮我约个车去医院", "ride"),
        ("明天中午给我订一份饭", "meal"),
        ("年度登记我现在就想办", "checkin"),
        ("有新通知吗", "notice"),
        ("转人工", "handoff"),
    ],
)
def test_intents(bot_index: BotIndex, question: str, intent: str) -> None:
    answer = answer_question(bot_index, question)
    assert answer.intent == intent and answer.answered


@pytest.mark.parametrize(
    ("question", "doc_id"),
    [
        # 参加 + 在哪 read as "sign me up"; it asks where the insurance is joined.
        ("领逐月退役金的人，社保医保在哪参加", "sx-monthly-pension-spec"),
        # 当面说 read as "put me through to a person"; it asks about the centre's meetings.
        ("我对所里的服务有意见，又不想当面说，所里一年开几回座谈会", None),
    ],
)
def test_a_question_about_the_rule_with_an_app_word_is_not_an_app_request(
    bot_index: BotIndex, question: str, doc_id: str | None
) -> None:
    answer = answer_question(bot_index, question)
    assert answer.intent is None
    if doc_id:
        assert answer.answered and answer.sources[0].doc_id == doc_id


@pytest.mark.parametrize(
    "question",
    ["帮我报名参加下周的书法活动，在哪报", "我想找个人当面说说，能不能", "有新通知吗，在哪看"],
)
def test_asking_for_it_to_be_done_stays_an_app_request(bot_index: BotIndex, question: str) -> None:
    assert answer_question(bot_index, question).intent is not None


def test_policy_question_about_the_same_topic_is_not_an_intent(bot_index: BotIndex) -> None:
    answer = answer_question(bot_index, "年度登记审核都查哪些内容")
    assert answer.intent is None


@pytest.mark.parametrize("greeting", ["你好", "您好！", "谢谢", "谢谢您"])
def test_greetings_get_a_kind_reply(bot_index: BotIndex, greeting: str) -> None:
    answer = answer_question(bot_index, greeting)
    assert answer.answered and not answer.sources and answer.intent is None


def test_voice_homophones_are_understood(bot_index: BotIndex) -> None:
    answer = answer_question(bot_index, "每年的体简是怎么安排的")
    assert answer.answered
    assert any(s.clause in {"第十一条", "第十九条", "6.4.1"} for s in answer.sources)


def test_abstains_honestly_with_suggestions_and_handoff(bot_index: BotIndex) -> None:
    answer = answer_question(bot_index, "今天股票行情怎么样")
    assert not answer.answered
    assert answer.answer.startswith(ABSTAIN_TEXT)
    assert answer.handoff_offered
    assert 1 <= len(answer.suggestions) <= 3
    second = answer_question(bot_index, "今天股票行情怎么样", abstentions_before=1)
    assert "转给工作人员" in second.answer.split("。")[1]


def test_local_rules_say_where_they_apply(bot_index: BotIndex) -> None:
    jilin = answer_question(bot_index, "自付医疗费太多了补助比例是多少")
    assert jilin.sources[0].doc_id == "jl-junxiu-rules-2021"
    assert "吉林省" in jilin.answer
    draft = answer_question(bot_index, "逐月领取的退役金每月几号发")
    assert draft.sources[0].doc_id == "sx-monthly-pension-spec"
    assert "征求意见稿" in draft.answer


def test_national_rule_comes_first(bot_index: BotIndex) -> None:
    answer = answer_question(bot_index, "流动党员在外地怎么过组织生活")
    assert answer.answered
    assert answer.sources[0].doc_id == "mva-order-5-2021"
    assert len({s.doc_id for s in answer.sources}) >= 2


def test_answers_cite_their_sources(bot_index: BotIndex) -> None:
    answer = answer_question(bot_index, "荣誉疗养需要什么条件")
    assert answer.answered and answer.sources
    assert answer.sources[0].title.startswith("《")
    assert "依据" in answer.answer
    assert 0 < len(answer.sources[0].excerpt) <= 122


def test_a_long_clause_is_quoted_from_the_sentence_that_answers(bot_index: BotIndex) -> None:
    from bot.answer import quote

    clause = bot_index.clauses[bot_index.clause_by_key[("jl-junxiu-rules-2021", "第十五条")]]
    query = bot_index.norm().analyse("失联半年会停发吗", bot_index.vocabulary)
    got = quote(clause, query)
    assert "失联" in got and got.startswith("……"), "the 失联 sentence, not the 出国 part"
    assert not got.startswith("……军休干部出国") and len(got) < len(clause.text)
    assert quote(clause, None) == clause.text


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("能叫所里派个车接我吗", "ride"),
        ("我想跟所里的工作人员直接说", "handoff"),
        ("所里最近发了啥消息", "notice"),
    ],
)
def test_app_requests_in_everyday_words(bot_index: BotIndex, question: str, intent: str) -> None:
    assert answer_question(bot_index, question).intent == intent


@pytest.mark.parametrize("question", ["股票今天涨了吗", "帮我买张去北京的火车票", "明天会下雨吗"])
def test_chat_and_other_services_open_no_app_page(bot_index: BotIndex, question: str) -> None:
    assert answer_question(bot_index, question).intent is None


def test_a_number_of_months_the_texts_never_state_is_not_answered_with_a_clause(
    bot_index: BotIndex,
) -> None:
    # The texts say who handles 丧葬费, never how many months' pay it is.
    assert not answer_question(bot_index, "军休干部去世了，丧葬费能发几个月的工资").answered
    # "好几个月" tells how long ago, it asks no number.
    assert answer_question(bot_index, "我爸去世好几个月了，丧葬费找谁领").answered


@pytest.mark.parametrize("question", ["有新文件吗，给我看看", "上面来了啥新文件，念给我听听"])
def test_asking_to_be_shown_new_documents_opens_the_notices(
    bot_index: BotIndex, question: str
) -> None:
    assert answer_question(bot_index, question).intent == "notice"


def test_an_app_example_no_nearer_than_a_counter_example_is_no_request(
    bot_index: BotIndex,
) -> None:
    from bot.answer import example_intent
    from bot.intent_model import IntentScores

    tie = IntentScores("ride", score=0.5, other=0.5, policy=0.5)
    assert example_intent(bot_index, "周末出去转转，坐车去", tie) is None
    nearer = IntentScores("ride", score=0.5, other=0.2, policy=0.2)
    assert example_intent(bot_index, "周末出去转转，坐车去", nearer) is not None


def test_near_a_feature_s_examples_but_saying_nothing_of_it_is_no_request(
    bot_index: BotIndex,
) -> None:
    """我腿脚不方便 shares its words with a ride example (腿脚不方便，要个车送我过去) but asks
    for no ride: a feature is opened from its examples only when the question says something
    it is about (knowledge/intents.yaml `about:`), typed or by sound."""
    from bot.answer import example_intent
    from bot.intent_model import IntentScores

    near = IntentScores("ride", score=0.9, other=0.1, policy=0.1)
    assert example_intent(bot_index, "我腿脚不方便", near) is None
    assert example_intent(bot_index, "我腿脚不方便，谁能把我拉过去", near) is not None
    assert answer_question(bot_index, "我腿脚不方便").intent is None
    assert answer_question(bot_index, "我腿脚不方便，你们能上门来看看我不").intent != "ride"
    assert answer_question(bot_index, "我坐轮椅，出门得有车，帮我安排一下").intent == "ride"
    assert (
        answer_question(bot_index, "明天帮我月个车去医院").intent == "ride"
    )  # a voice slip: 约 → 月


def test_a_day_named_does_not_choose_the_feature(bot_index: BotIndex) -> None:
    """今天/下午 go with every feature: what is asked for decides (活动 here, not 约车)."""
    assert answer_question(bot_index, "今天下午有啥活动").intent == "activity"
    assert answer_question(bot_index, "明天上午去医院，派个车").intent == "ride"
    assert not answer_question(bot_index, "今天股票行情怎么样").answered


@pytest.mark.parametrize("question", ["军休所管不管我们看病拿药", "看病拿药所里管吗"])
def test_getting_medicine_is_asked_as_seeing_a_doctor(bot_index: BotIndex, question: str) -> None:
    """拿药 / 开药 / 取药 / 配药 are 看病 here (knowledge/synonyms.yaml): 医疗 clauses answer."""
    assert answer_question(bot_index, question).answered


def test_a_rule_about_other_people_does_not_answer_a_known_asker(bot_index: BotIndex) -> None:
    """The 山西 standard is about those who draw 退役金 monthly; the cadres' rules are not: for an
    asker whose record says who they are, a document about other people answers only when the
    question names it or says the asker is one of its people (bot/ranker.about_someone_else)."""
    from bot.ranker import Context

    cadre, pension = Context(audience="退休"), Context(audience="逐月领取退役金")
    sx = "sx-monthly-pension-spec"

    def docs(question: str, context: Context | None) -> set[str]:
        return {s.doc_id for s in answer_question(bot_index, question, context=context).sources}

    assert sx in docs("我爸的党组织关系在哪", None)  # nobody known: every document may answer
    assert sx not in docs("我爸的党组织关系在哪", cadre)
    assert docs("我是逐月领退役金的，党组织关系在哪", cadre) >= {sx}  # says who the asker is
    assert docs("山西的标准里党组织关系怎么管", cadre) >= {sx}  # names the document
    cadres_rules = {"mva-order-5-2021", "jl-junxiu-rules-2021", "bj-junxiu-service-spec"}
    assert docs("体检一年几次", None) & cadres_rules
    assert not docs("体检一年几次", pension) & cadres_rules
