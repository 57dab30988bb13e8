"""Answering: direct clause lookup, ranking, abstention, intents, and composing the reply."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from bot.index import BotIndex, doc_title
from bot.intents import INTENT_REPLIES, detect_intent, greeting_reply
from bot.kb import DOC_ORDER, DOCS, Clause
from bot.text import bigrams, normalise

NATIONAL = "mva-order-5-2021"
TOP_UNITS = 24  # coverage is computed for the best-scoring units only
# Calibrated on the development questions (see README): below these, say "I don't know".
MIN_CONFIDENCE = 0.385
MIN_COVERAGE = 0.30
ABSTAIN_TEXT = "这个问题我还答不好。"
_STANDARD_LABEL = re.compile(r"(?<![\d.])(\d{1,2}\.\d{1,2}(?:\.\d{1,2}){0,2})(?![\d.])")
_ARTICLE_LABEL = re.compile(r"第[零一二三四五六七八九十百]+条")
_PROVINCE = {
    "吉林": "jl-junxiu-rules-2021",
    "北京": "bj-junxiu-service-spec",
    "湖南": "hn-veterans-center-spec",
    "山西": "sx-monthly-pension-spec",
}


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


def scope_note(doc_id: str) -> str:
    if doc_id == "jl-junxiu-rules-2021":
        return "（这是吉林省的规定，只在吉林省适用；其他地方请问当地军休所。）"
    if doc_id == "bj-junxiu-service-spec":
        return "（这是北京市的地方标准，只在北京市适用；其他地方请问当地军休所。）"
    if doc_id == "hn-veterans-center-spec":
        return "（这是湖南省的地方标准。）"
    if doc_id == "sx-monthly-pension-spec":
        return "（这是山西省的地方标准征求意见稿，还不是正式文件，仅供参考。）"
    return ""


def _source(clause: Clause) -> Source:
    excerpt = clause.text if len(clause.text) <= 120 else clause.text[:118] + "……"
    return Source(
        doc_id=clause.doc_id,
        clause=clause.label,
        title=f"《{doc_title(clause.doc_id)}》{clause.label}",
        excerpt=excerpt,
    )


def _lookup(index: BotIndex, text: str) -> list[Clause]:
    """A clause asked for by number: 第二十条 / 第20条 / 6.3.2."""
    labels = _ARTICLE_LABEL.findall(text) + _STANDARD_LABEL.findall(text)
    if not labels:
        return []
    named = [doc for word, doc in _PROVINCE.items() if word in text]
    order = named + [d for d in DOC_ORDER if d not in named]
    found = []
    for label in labels:
        for doc_id in order:
            idx = index.clause_by_key.get((doc_id, label))
            if idx is not None:
                found.append(index.clauses[idx])
                break
    return found


# Who each document is about (regulations README): words that say the asker is in its audience.
_AUDIENCE_CUES: dict[str, tuple[re.Pattern[str], float]] = {
    "sx-monthly-pension-spec": (re.compile(r"逐月|退役金"), 1.3),
    "hn-veterans-center-spec": (
        re.compile(
            r"(?<!军休)服务(中心|站)|退役军人服务|村里|县里|乡镇|街道|退伍|返乡|回乡|退役军人之家"
        ),
        1.15,
    ),
}


def _doc_prior(doc_id: str, cue_text: str) -> float:
    prior = 1.0
    cue = _AUDIENCE_CUES.get(doc_id)
    if cue is not None and cue[0].search(cue_text):
        prior *= cue[1]
    for word, province_doc in _PROVINCE.items():
        if province_doc == doc_id and word in cue_text:
            prior *= 1.3
    return prior


@dataclass
class _Scored:
    clause: int
    score: float
    coverage: float
    faq: int | None


def _query_terms(index: BotIndex, question: str) -> tuple[list[str], list[str], str]:
    text = index.text()
    typed = text.terms(question)
    heard = text.sound_alikes(question, set(typed) | set(index.words.idf))
    return typed, text.expand(typed + heard), question + " " + " ".join(heard)


def _alternatives(index: BotIndex, typed: list[str]) -> dict[str, tuple[float, set[str]]]:
    """Each typed term with its weight (rarer = heavier) and the words that count as it."""
    text = index.text()
    out: dict[str, tuple[float, set[str]]] = {}
    for term in dict.fromkeys(typed):
        weight = index.words.idf.get(term, index.max_idf)
        if len(term) == 1:
            weight *= 0.5
        alts = {term} | text.synonyms.get(term, set()) | set(text.sound_alikes(term, set()))
        out[term] = (weight, alts)
    return out


def _coverage(index: BotIndex, alternatives: dict[str, tuple[float, set[str]]], unit: int) -> float:
    """How much of what the user asked about (weighted by rarity) the matched text covers.

    Matching only single characters is no evidence at all: coverage is then 0."""
    own = index.unit_terms[unit]
    domain = index.text().domain_terms
    total = got = 0.0
    strong = False
    for term, (weight, alts) in alternatives.items():
        total += weight
        hit = bool(alts & own)
        if not hit and len(term) >= 2:
            hit = any(term in t for t in own) or (
                len(term) >= 3 and any(len(t) >= 2 and t in term and t in domain for t in own)
            )
        if hit:
            got += weight
            strong = strong or len(term) >= 2
    return got / total if total and strong else 0.0


def rank(index: BotIndex, question: str, limit: int = 5) -> list[_Scored]:
    typed, query, cue_text = _query_terms(index, question)
    if not query:
        return []
    grams = list(dict.fromkeys(bigrams(question)))
    lengths = [u.length for u in index.units]
    gram_lengths = [u.gram_length for u in index.units]
    word_scores = index.words.scores(query, lengths)
    gram_scores = index.grams.scores(grams, gram_lengths)
    word_norm = index.words.self_score(typed or query, index.max_idf)
    gram_norm = index.grams.self_score(grams, 1.0) if grams else 1.0
    fuzzy: dict[int, float] = {}
    if index.faq_phrasings:
        joined = " ".join(typed)
        for _, score, pos in process.extract(
            joined,
            [p[2] for p in index.faq_phrasings],
            scorer=fuzz.token_sort_ratio,
            processor=None,
            limit=10,
        ):
            faq_idx = index.faq_phrasings[pos][0]
            fuzzy[faq_idx] = max(fuzzy.get(faq_idx, 0.0), score / 100)
    n_clauses = len(index.clauses)
    unit_scores: dict[int, float] = {}
    candidates = set(word_scores) | set(gram_scores) | {n_clauses + f for f in fuzzy}
    for unit in candidates:
        w = min(word_scores.get(unit, 0.0) / word_norm, 1.0)
        g = min(gram_scores.get(unit, 0.0) / gram_norm, 1.0)
        info = index.units[unit]
        if info.kind == "faq":
            unit_scores[unit] = 0.5 * w + 0.2 * g + 0.3 * fuzzy.get(info.ref, 0.0)
        else:
            prior = _doc_prior(index.clauses[info.ref].doc_id, cue_text)
            unit_scores[unit] = (0.65 * w + 0.35 * g) * prior
    top_units = sorted(unit_scores, key=lambda u: -unit_scores[u])[:TOP_UNITS]
    alternatives = _alternatives(index, typed)
    best: dict[int, _Scored] = {}
    for unit in top_units:
        info = index.units[unit]
        score = unit_scores[unit]
        cov = _coverage(index, alternatives, unit)
        if info.kind == "faq":
            targets = [
                index.clause_by_key[k]
                for k in index.faq[info.ref].sources
                if k in index.clause_by_key
            ]
            for rank_pos, clause in enumerate(targets):
                prior = _doc_prior(index.clauses[clause].doc_id, cue_text)
                s = (score * (1.0 if rank_pos == 0 else 0.97) + 0.02) * prior
                if clause not in best or s > best[clause].score:
                    best[clause] = _Scored(clause, s, cov, info.ref)
        elif info.ref not in best or score > best[info.ref].score:
            best[info.ref] = _Scored(info.ref, score, cov, None)
    ranked = sorted(best.values(), key=lambda s: (-s.score, s.clause))
    return ranked[:limit]


def _confidence(top: _Scored, second: _Scored | None) -> float:
    margin = top.score - (second.score if second else 0.0)
    return max(0.0, min(1.0, 0.6 * top.score + 0.3 * top.coverage + 0.5 * margin))


def _suggestions(index: BotIndex, ranked: list[_Scored], question: str) -> list[str]:
    out: list[str] = []
    for scored in ranked:
        if scored.faq is not None:
            q = index.faq[scored.faq].questions[0]
            if q not in out and q != question:
                out.append(q)
    if len(out) < 3 and index.faq_phrasings:
        for _, _, pos in process.extract(
            question, [p[1] for p in index.faq_phrasings], scorer=fuzz.partial_ratio, limit=6
        ):
            q = index.faq[index.faq_phrasings[pos][0]].questions[0]
            if q not in out:
                out.append(q)
    return out[:3]


def _abstain(
    index: BotIndex, question: str, ranked: list[_Scored], confidence: float, before: int
) -> BotAnswer:
    suggestions = _suggestions(index, ranked, question)
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
        suggestions=suggestions,
        handoff_offered=True,
        candidates=_candidates(index, ranked),
    )


def _candidates(index: BotIndex, ranked: list[_Scored]) -> list[dict[str, object]]:
    return [
        {
            "doc_id": index.clauses[s.clause].doc_id,
            "clause": index.clauses[s.clause].label,
            "score": round(s.score, 3),
            "coverage": round(s.coverage, 3),
            "faq": index.faq[s.faq].id if s.faq is not None else None,
        }
        for s in ranked[:5]
    ]


def _order_sources(index: BotIndex, ranked: list[_Scored]) -> list[Clause]:
    top = ranked[0]
    close = [s for s in ranked if s.score >= top.score * 0.85]
    chosen = [index.clauses[s.clause] for s in close]
    if top.faq is not None:
        for key in index.faq[top.faq].sources:
            idx = index.clause_by_key.get(key)
            if idx is not None and index.clauses[idx] not in chosen:
                chosen.append(index.clauses[idx])
    # The national rule first when it is among the answers.
    chosen.sort(key=lambda c: c.doc_id != NATIONAL)
    out: list[Clause] = []
    for clause in chosen:
        if clause not in out:
            out.append(clause)
    return out[:3]


def answer_question(index: BotIndex, question: str, *, abstentions_before: int = 0) -> BotAnswer:
    text = normalise(question)
    if not text:
        return _abstain(index, question, [], 0.0, abstentions_before)
    reply = greeting_reply(text)
    if reply:
        return BotAnswer(answer=reply, answered=True, confidence=1.0, intent=None)
    intent = detect_intent(text)
    if intent is not None:
        return BotAnswer(
            answer=INTENT_REPLIES[intent],
            answered=True,
            confidence=1.0,
            intent=intent,
            handoff_offered=intent == "handoff",
        )
    looked_up = _lookup(index, text)
    if looked_up:
        clause = looked_up[0]
        body = f"{_source(clause).title}：{clause.text}{scope_note(clause.doc_id)}"
        return BotAnswer(
            answer=body,
            answered=True,
            confidence=1.0,
            intent=None,
            sources=[_source(c) for c in looked_up[:3]],
        )
    ranked = rank(index, text)
    if not ranked:
        return _abstain(index, question, [], 0.0, abstentions_before)
    top = ranked[0]
    confidence = _confidence(top, ranked[1] if len(ranked) > 1 else None)
    if confidence < MIN_CONFIDENCE or top.coverage < MIN_COVERAGE:
        return _abstain(index, question, ranked, confidence, abstentions_before)
    sources = _order_sources(index, ranked)
    lead = sources[0]
    if top.faq is not None:
        body = index.faq[top.faq].answer
    else:
        body = f"根据{_source(lead).title}：{lead.text}"
    note = scope_note(lead.doc_id) if lead.doc_id != NATIONAL else ""
    if top.faq is not None and not any(s.doc_id == NATIONAL for s in sources[:1]):
        note = scope_note(lead.doc_id)
    cited = "、".join(_source(c).title for c in sources[:2])
    answer = f"{body}{note}\n依据：{cited}。如需办理，请联系您所在的军休所。"
    return BotAnswer(
        answer=answer,
        answered=True,
        confidence=round(confidence, 3),
        intent=None,
        sources=[_source(c) for c in sources],
        suggestions=[],
        candidates=_candidates(index, ranked),
    )


__all__ = ["BotAnswer", "Source", "answer_question", "rank", "DOCS"]
