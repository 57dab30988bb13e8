"""Answering: greetings, app intents, a clause asked by number, the staff overlay, ranking,
calibrated abstention, and composing a reply that says whose rule it is."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.index import BotIndex, IndexHolder
from bot.intent_model import IntentScores
from bot.intents import Intent, IntentRules, greeting_reply, rules
from bot.kb import Clause, chinese_number
from bot.normalise import Query
from bot.overlay import LocalAnswers, LocalEntry
from bot.ranker import (
    Candidate,
    Context,
    asks_amount,
    asks_count,
    rank,
    refusal_features,
    states_amount,
    states_count,
)
from bot.text import char_grams, fold

ABSTAIN_TEXT = "这个问题我还答不好。"
LOCAL_CITE = "所里的答复"
# Another clause is cited beside the best one when it scores at least this share of it.
SECOND_SOURCE_RATIO = 0.5
_STANDARD_LABEL = re.compile(r"(?<![\d.])(\d{1,2}(?:\.\d{1,2}){1,3})(?![\d.万元%倍千百])")
_ARTICLE_LABEL = re.compile(r"第([零一二三四五六七八九十百]+)条")
_TOP_LABEL = re.compile(r"(?<![\d.])(\d{1,2})(?![\d.万元%倍千百年月日号岁个次条])")
_BARE_ARTICLE = re.compile(r"(?<![\d.第])(\d{1,3})\s*条")

__all__ = ["ABSTAIN_TEXT", "Bot", "BotAnswer", "Context", "Source", "answer_question"]


@dataclass
class Source:
    doc_id: str
    clause: str
    title: str
    excerpt: str


@dataclass
class BotAnswer:
    answer: str
    answered: bool
    confidence: float
    intent: str | None
    sources: list[Source] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    handoff_offered: bool = False
    candidates: list[dict[str, object]] = field(default_factory=list)
    # The asker wants the centre's phone / who is on duty: the backend adds the unit's number.
    contact_request: bool = False
    # Answered from a staff-written answer of the asker's centre (not a regulation).
    local_answer_id: str | None = None
    kind: str = "policy"  # policy / lookup / local / intent / greeting / abstain


# A deferred app request is opened unless the policy answer is more likely right than not.
DEFERRED_INTENT_BELOW = 0.5


def _intent_rules(index: BotIndex) -> IntentRules:
    return rules(index.knowledge_dir)


def _words_of(index: BotIndex) -> tuple[Mapping[str, int], Callable[[str], list[str]]]:
    """jieba's word frequencies and cut, for matching keywords by sound (bot/intents.py)."""
    proc = index.text()
    return proc.tokenizer.FREQ, lambda s: proc.tokenizer.lcut(s, HMM=False)


def app_intent(index: BotIndex, text: str) -> Intent | None:
    """What the asker wants the app to do, read after dialect words are rewritten."""
    return _intent_rules(index).detect(index.norm().dialect_only(text), *_words_of(index))


def intent_scores(index: BotIndex, text: str) -> IntentScores:
    """How near the question is to each app feature's examples (bot/intent_model.py)."""
    return index.intent_model.score(index.norm().without_fillers(text))


def example_intent(
    index: BotIndex, text: str, scores: IntentScores, *, fallback: bool = False
) -> Intent | None:
    """The app feature the examples point to: before ranking only when clearly near; as the
    fallback (the policy answer would be refused) with the looser pair. A question worded about
    a rule (规定, 标准 …) is about the rule, unless it asks for a person."""
    if not scores.best:
        return None
    p = index.params
    threshold = p.intent_fallback_threshold if fallback else p.intent_threshold
    margin = p.intent_fallback_margin if fallback else p.intent_margin
    # Nearer to the app's examples than to any counter-example: a tie is no request.
    if scores.score < threshold or scores.margin < margin or scores.margin <= 0:
        return None
    if scores.best == "contact":
        return Intent("handoff", contact_request=True)
    rules_ = _intent_rules(index)
    if not rules_.is_about(scores.best, index.norm().dialect_only(text), *_words_of(index)):
        return None
    if (
        scores.best != "handoff"
        and rules_.policy.found(fold(text))
        # … unless it asks for something to be done or shown to the asker (给我看看新文件)
        and not rules_.own_request.found(index.norm().dialect_only(text))
    ):
        return None
    return Intent(scores.best)


def _app_request(
    index: BotIndex, text: str, scores: IntentScores
) -> tuple[Intent | None, Intent | None]:
    """(the app request to open now, the one to open only if the policy answer is weak).
    A question about the rule that names an app feature ("所里多长时间开一回座谈会") waits for
    the ranking: answered from the regulations when that is more likely right than not."""
    intent = app_intent(index, text) or example_intent(index, text, scores)
    if intent is None or intent.contact_request:
        return intent, None
    if _intent_rules(index).asks_about_rule(intent.name, index.norm().dialect_only(text)):
        return None, intent
    return intent, None


def _intent_answer(index: BotIndex, intent: Intent) -> BotAnswer:
    replies = _intent_rules(index).replies
    key = "contact" if intent.contact_request else intent.name
    return BotAnswer(
        answer=replies.get(key) or replies[intent.name],
        answered=True,
        confidence=1.0,
        intent=intent.name,
        handoff_offered=intent.name == "handoff",
        contact_request=intent.contact_request,
        kind="intent",
    )


def scope_note(index: BotIndex, doc_id: str) -> str:
    return index.docs[doc_id].note


def _title(index: BotIndex, clause: Clause) -> str:
    return f"《{index.docs[clause.doc_id].title}》{clause.label}"


# A clause longer than this is quoted from the sentences that match the question, not its start.
QUOTE_WHOLE_UP_TO = 80
_HOW_OFTEN = re.compile(r"多久|多长时间|多少时间|隔多长|一年几|每年几")
_SENTENCE_END = re.compile(r"(?<=[。；;！？])")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def quote(clause: Clause, query: Query | None, limit: int = QUOTE_WHOLE_UP_TO) -> str:
    """The part of a long clause that answers: the sentence holding most of what was asked
    (asked words and their synonyms and repairs, then shared character bigrams), with the
    sentence after it while the quote stays short; "……" marks what was left out."""
    text = clause.text
    parts = _sentences(text)
    if query is None or len(text) <= limit or len(parts) < 2:
        return text
    words = [t for t in dict.fromkeys(query.expanded) if len(t) >= 2]
    grams = set(char_grams(query.gram_text, (2,)))

    wants_number = bool(
        asks_amount(query.raw) or asks_count(query.raw) or _HOW_OFTEN.search(query.raw)
    )

    def weight(sentence: str) -> tuple[float, float]:
        hit = sum(len(w) for w in words if w in sentence)
        if wants_number and (states_amount(sentence) or states_count(sentence)):
            hit += 2  # asked how much / how often: the sentence that gives the number
        return hit, len(grams & set(char_grams(sentence, (2,)))) / (1 + len(sentence) / 40)

    best = max(range(len(parts)), key=lambda i: weight(parts[i]))
    if weight(parts[best]) == (0, 0) or best == 0:
        start = 0
    else:
        start = best
    end = start + 1
    while end < len(parts) and len("".join(parts[start : end + 1])) <= limit:
        end += 1
    out = "".join(parts[start:end])
    if start > 0:
        out = "……" + out
    if end < len(parts):
        out = out.rstrip("。；;") + "……"
    return out


def _source(index: BotIndex, clause: Clause, query: Query | None = None) -> Source:
    text = quote(clause, query, 120)
    excerpt = text if len(text) <= 120 else text[:118] + "……"
    return Source(clause.doc_id, clause.label, _title(index, clause), excerpt)


def names_a_clause(index: BotIndex, text: str) -> bool:
    """An article (第二十条 / 20条), a numbered section of three parts (6.3.2), or a document
    by name: the question points at a clause, not at an app feature."""
    text = fold(text)
    if _ARTICLE_LABEL.search(text) or _BARE_ARTICLE.search(text):
        return True
    if any(label.count(".") >= 2 for label in _STANDARD_LABEL.findall(text)):
        return True
    return any(n in text for d in index.docs.values() for n in d.names)


def lookup(index: BotIndex, text: str, context: Context | None = None) -> list[Clause]:
    """A clause asked for by number: 第二十条 / 第20条 / 20条 / 6.3.2, with or without the
    document named; the named document first, then the asker's province, then the national."""
    text = fold(text)
    labels = [f"第{m}条" for m in _ARTICLE_LABEL.findall(text)]
    labels += [f"第{chinese_number(int(m))}条" for m in _BARE_ARTICLE.findall(text) if int(m)]
    labels += _STANDARD_LABEL.findall(text)
    named = [d.id for d in index.docs.values() if any(n in text for n in d.names)]
    if named:
        # A top-level clause of a named standard: 北京标准第1章 / 山西 3.
        labels += [m for m in _TOP_LABEL.findall(text) if m not in labels]
    if not labels:
        return []
    province = context.province if context and context.province else ""
    local = [
        d.id
        for d in index.docs.values()
        if d.province and province and d.province_short and d.province_short in province
    ]
    order = list(dict.fromkeys(named + local + list(index.docs)))
    found = []
    for label in labels:
        for doc_id in order:
            idx = index.clause_by_key.get((doc_id, label))
            if idx is not None:
                found.append(index.clauses[idx])
                break
    return found


def _suggestions(index: BotIndex, ranked: list[Candidate], question: str) -> list[str]:
    out: list[str] = []
    for cand in ranked:
        if cand.faq is not None:
            q = index.faq[cand.faq].questions[0]
            if q not in out and q != question:
                out.append(q)
    if len(out) < 3 and index.faq:
        firsts = [f.questions[0] for f in index.faq]
        for q, _, _ in process.extract(question, firsts, scorer=fuzz.partial_ratio, limit=6):
            if q not in out:
                out.append(q)
    return out[:3]


def _candidates(index: BotIndex, ranked: list[Candidate]) -> list[dict[str, object]]:
    return [
        {
            "doc_id": index.clauses[c.clause].doc_id,
            "clause": index.clauses[c.clause].label,
            "score": round(c.score, 3),
            "coverage": round(c.feats.get("cov", 0.0), 3),
            "faq": index.faq[c.faq].id if c.faq is not None else None,
        }
        for c in ranked[:5]
    ]


def _abstain(
    index: BotIndex, question: str, ranked: list[Candidate], confidence: float, before: int
) -> BotAnswer:
    if before >= 1:
        text = (
            f"{ABSTAIN_TEXT}我帮您转给工作人员吧，他们会尽快回复您。"
            "点“找工作人员”就行；您也可以试试下面的问题。"
        )
    else:
        text = (
            f"{ABSTAIN_TEXT}您可以换个说法再问，或点下面的问题看看。"
            "需要的话，我可以帮您转给工作人员。"
        )
    return BotAnswer(
        answer=text,
        answered=False,
        confidence=round(confidence, 3),
        intent=None,
        suggestions=_suggestions(index, ranked, question),
        handoff_offered=True,
        candidates=_candidates(index, ranked),
        kind="abstain",
    )


def _clause_reply(index: BotIndex, clause: Clause, query: Query | None = None) -> str:
    doc = index.docs[clause.doc_id]
    note = "" if doc.national else doc.note
    return f"{doc.lead}{quote(clause, query)}{note}"


def _faq_reply(index: BotIndex, faq: int) -> str:
    item = index.faq[faq]
    body = item.answer
    docs = [index.docs[d] for d, _ in item.sources if d in index.docs]
    if docs and all(not d.national for d in docs):
        # A provincial rule is never presented as national: say whose it is if the text doesn't.
        if not any(d.province_short and d.province_short in body for d in docs):
            body += docs[0].note
        elif any(d.draft for d in docs) and "征求意见稿" not in body:
            body += docs[0].note
    return body


def _order_sources(index: BotIndex, ranked: list[Candidate]) -> list[Clause]:
    top = ranked[0]
    chosen = [index.clauses[top.clause]]
    for cand in ranked[1:3]:
        if cand.score >= top.score * SECOND_SOURCE_RATIO:
            chosen.append(index.clauses[cand.clause])
    if top.faq is not None:
        for key in index.faq[top.faq].sources:
            idx = index.clause_by_key.get(key)
            if idx is not None:
                chosen.append(index.clauses[idx])
    out: list[Clause] = []
    for clause in chosen:
        if clause not in out:
            out.append(clause)
    return out[:3]


def _clause_or_request(
    index: BotIndex, text: str, context: Context | None, scores: IntentScores
) -> tuple[list[Clause], Intent | None, Intent | None]:
    """(the clause asked for by number, the app request to open, the one deferred). A clause
    named by its number is what is asked for, whatever verb asks for it (给我看看第十五条 is no
    request for the notices); a bare 3.2 may be a date, so it waits for the app requests."""
    if names_a_clause(index, text):
        found = lookup(index, text, context)
        if found:
            return found, None, None
        return [], *_app_request(index, text, scores)
    intent, deferred = _app_request(index, text, scores)
    if intent is not None:
        return [], intent, deferred
    return lookup(index, text, context), None, deferred


def answer_question(
    index: BotIndex,
    question: str,
    *,
    abstentions_before: int = 0,
    context: Context | None = None,
) -> BotAnswer:
    text = fold(question)
    if not text:
        return _abstain(index, question, [], 0.0, abstentions_before)
    reply = greeting_reply(text)
    if reply:
        return BotAnswer(answer=reply, answered=True, confidence=1.0, intent=None, kind="greeting")
    scores = intent_scores(index, text)
    looked_up, intent, deferred = _clause_or_request(index, text, context, scores)
    if intent is not None:
        return _intent_answer(index, intent)
    if looked_up:
        clause = looked_up[0]
        body = f"{_title(index, clause)}：{clause.text}{scope_note(index, clause.doc_id)}"
        return BotAnswer(
            answer=body,
            answered=True,
            confidence=1.0,
            intent=None,
            sources=[_source(index, c) for c in looked_up[:3]],
            kind="lookup",
        )
    query = index.norm().analyse(text, index.vocabulary)
    local = index.local.match(query, context)
    if local is not None:
        entry, sim = local
        who = f"（{entry.unit_name}）" if entry.unit_name else ""
        return BotAnswer(
            answer=f"{entry.answer}\n——{LOCAL_CITE}{who}",
            answered=True,
            confidence=round(sim, 3),
            intent=None,
            local_answer_id=entry.id,
            kind="local",
        )
    ranked = rank(index, query, context)
    fallback = deferred or example_intent(index, text, scores, fallback=True)
    if not ranked:
        if fallback is not None:
            return _intent_answer(index, fallback)
        return _abstain(index, question, [], 0.0, abstentions_before)
    feats = refusal_features(index, query, ranked)
    p = index.params.p_answerable(feats)
    top = ranked[0]
    top_clause = index.clauses[top.clause]
    use_faq = top.faq is not None and max(top.feats["wq"], top.feats["cq"]) >= 0.5
    if deferred is not None and p < DEFERRED_INTENT_BELOW:
        return _intent_answer(index, deferred)
    if p < index.params.refusal_threshold:
        if fallback is not None:
            return _intent_answer(index, fallback)
        return _abstain(index, question, ranked, p, abstentions_before)
    stated = top_clause.text + (
        index.faq[top.faq].answer if use_faq and top.faq is not None else ""
    )
    if (asks_amount(query.text) and not states_amount(stated)) or (
        asks_count(query.text) and not states_count(stated)
    ):
        # An amount or a count the documents never state: say so instead of quoting a clause.
        return _abstain(index, question, ranked, p, abstentions_before)
    sources = _order_sources(index, ranked)
    body = (
        _faq_reply(index, top.faq)
        if use_faq and top.faq is not None
        else _clause_reply(index, top_clause, query)
    )
    cited = "、".join(_title(index, c) for c in sources[:2])
    answer = f"{body}\n依据：{cited}。如需办理，请联系您所在的军休所。"
    return BotAnswer(
        answer=answer,
        answered=True,
        confidence=round(p, 3),
        intent=None,
        sources=[_source(index, c, query) for c in sources],
        candidates=_candidates(index, ranked),
        kind="policy",
    )


class Bot:
    """The running bot: the current index, swapped atomically on rebuild, and the staff overlay,
    swapped atomically when staff add or withdraw an answer (no rebuild)."""

    def __init__(self, index: BotIndex) -> None:
        self.holder = IndexHolder(index)

    @property
    def index(self) -> BotIndex:
        return self.holder.get()

    def answer(
        self, question: str, context: Context | None = None, *, abstentions_before: int = 0
    ) -> BotAnswer:
        return answer_question(
            self.holder.get(), question, context=context, abstentions_before=abstentions_before
        )

    def set_local_answers(self, entries: Iterable[LocalEntry]) -> None:
        local = LocalAnswers.build(entries, self.holder.get().norm())
        self.holder.set_local_answers(local)

    def swap(self, index: BotIndex) -> None:
        self.holder.swap(index)
