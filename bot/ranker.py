"""Ranking: word and character n-gram BM25 over the clauses and over the questions asked about
them, fused with weights fit on the tune half (knowledge/ranker.yaml), document priors for the
asker's province and audience, and the features the refusal model reads."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from bot import yamlfile
from bot.docs import PROVINCES, DocMeta, province_short
from bot.text import char_grams

if TYPE_CHECKING:
    from bot.index import BotIndex
    from bot.normalise import Query

SIGNALS = ("wc", "cc", "wq", "cq")
# When the asker's province is neither known nor named, a national clause within this share of
# the best score goes first: the rule "the national rule first when none is known". An
# additive prior cannot say this — scores differ in scale from question to question. A product
# rule, not a fitted value.
NATIONAL_SHARE = 0.05
# Length enters only above six content words ("long"): a long, rambling question dilutes every
# score, but a short one must not be refused for being short (the tune half's out-of-scope
# questions are shorter than its policy ones; people really type short questions too).
REFUSAL_FEATURES = (
    "score",
    "margin",
    "cov",
    "wq",
    "cq",
    "wc",
    "cc",
    "unknown",
    "long",
    "oos",
    "oos_gap",
    "oos_cover",
)


@dataclass
class RankerParams:
    weights: dict[str, float] = field(
        default_factory=lambda: {"wc": 0.25, "cc": 0.2, "wq": 0.35, "cq": 0.2, "cov": 0.3}
    )
    priors: dict[str, float] = field(
        default_factory=lambda: {
            "national": 0.04,
            "own_province": 0.1,
            "other_province": -0.15,
            "named": 0.3,
            "cue": 0.06,
            "audience": 0.05,
        }
    )
    repair_weight: float = 0.7
    synonym_weight: float = 0.5
    gram_max_df: float = 0.3
    # Terms in more than this share of the questions are skipped (they say little, cost most).
    word_max_df: float = 1.0
    # Logistic refusal model: p(answerable) = sigmoid(intercept + Σ coef·(x − mean)/scale).
    refusal_mean: dict[str, float] = field(default_factory=dict)
    refusal_scale: dict[str, float] = field(default_factory=dict)
    refusal_coef: dict[str, float] = field(
        default_factory=lambda: {"score": 3.0, "cov": 3.0, "unknown": -2.0}
    )
    refusal_intercept: float = -2.4
    refusal_threshold: float = 0.5
    # App requests by example (bot/intent_model.py): taken before ranking when the nearest app
    # example is this near and this much nearer than any counter-example; when the policy answer
    # would be refused, the fallback pair applies instead.
    intent_threshold: float = 0.3
    intent_margin: float = 0.1
    intent_fallback_threshold: float = 0.2
    intent_fallback_margin: float = 0.0

    def p_answerable(self, feats: dict[str, float]) -> float:
        z = self.refusal_intercept
        for name, coef in self.refusal_coef.items():
            x = feats.get(name, 0.0)
            z += coef * (x - self.refusal_mean.get(name, 0.0)) / (self.refusal_scale.get(name) or 1)
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def load_params(knowledge_dir: Path) -> RankerParams:
    path = knowledge_dir / "ranker.yaml"
    params = RankerParams()
    if not path.exists():
        return params
    data = yamlfile.load(path.read_text(encoding="utf-8")) or {}
    for key, value in data.items():
        if hasattr(params, key) and value is not None:
            setattr(params, key, value)
    return params


def dump_params(params: RankerParams, path: Path, header: str) -> None:
    data = {
        "weights": params.weights,
        "priors": params.priors,
        "repair_weight": params.repair_weight,
        "synonym_weight": params.synonym_weight,
        "gram_max_df": params.gram_max_df,
        "word_max_df": params.word_max_df,
        "refusal_mean": params.refusal_mean,
        "refusal_scale": params.refusal_scale,
        "refusal_coef": params.refusal_coef,
        "refusal_intercept": params.refusal_intercept,
        "refusal_threshold": params.refusal_threshold,
        "intent_threshold": params.intent_threshold,
        "intent_margin": params.intent_margin,
        "intent_fallback_threshold": params.intent_fallback_threshold,
        "intent_fallback_margin": params.intent_fallback_margin,
    }
    rounded = yaml.safe_dump(_round(data), allow_unicode=True, sort_keys=False)
    path.write_text(header + rounded, encoding="utf-8")


def _round(value: object) -> object:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _round(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Context:
    """Who is asking, when known (from their retiree record through the API)."""

    province: str | None = None  # 吉林省 / 北京市 / 吉林
    audience: str | None = None  # 离休 / 退休 / 退休军士 / 逐月领取退役金
    unit_id: int | None = None
    unit_path: str | None = None  # materialised path "/1/4/9/" of the asker's unit


@dataclass
class Candidate:
    clause: int
    score: float
    feats: dict[str, float]
    faq: int | None = None  # the FAQ entry whose phrasing matched best, when one did
    question: int | None = None  # the best-matching question document


def query_weights(index: BotIndex, query: Query) -> tuple[dict[str, float], dict[str, float]]:
    """Word weights for scoring (typed 1, heard 0.7, synonyms 0.5) and the mass they are
    normalised by (typed and heard words only: a synonym is an alternative, not more asked)."""
    p = index.params
    weights: dict[str, float] = {}
    for t in query.expanded:
        weights[t] = p.synonym_weight
    for t in query.repairs:
        weights[t] = p.repair_weight
    for t in query.terms:
        weights[t] = 1.0
    mass = {t: w for t, w in weights.items() if t in query.terms or t in query.repairs}
    return weights, mass


_NUMBER_ASKED = re.compile(
    r"多少钱|几块钱|多少元|给多少|补多少|发多少|补助多少|多少补助|标准是多少"
    r"|多少费用|具体数|具体金额|金额|多少万|能领多少|能拿多少|拿多少|领多少|涨多少"
    r"|一个月多少|每月多少|每个月多少|一年多少|多少工资|多少退休费|百分之多少|多少比例|报多少"
    r"|能报多少|给多少钱|有多少钱|多少慰问金|拿多少钱"
    r"|比例是多少|比例多少|报销比例|能报百分之|标准多少|收多少|要多少钱|花多少|贴多少|贷多少"
    r"|多少利息|最多能.{0,3}多少|差多少|便宜多少|补多少钱|几块|多少块"
)
_NUMBER_STATED = re.compile(r"\d|[一二三四五六七八九十百千万两]+(元|%|万|倍|成)|百分之")


# How often / how many: answerable only when the text gives a count or a period.
_COUNT_ASKED = re.compile(
    r"几次|几回|多少次|几趟|多少回|一年.{0,4}几|多少人|几个人|多大面积|多少平|几天|多少天"
    r"|(?<![好前这那头十])(几个月|几年)|多少个月|多少年|几个小时|多少小时"
)
_COUNT_STATED = re.compile(
    r"\d|[一二两三四五六七八九十半]+(次|个|年|月|季度|周|人|名|天|日)|每(年|月|季度|半年|周|天|日)"
)


def asks_amount(text: str) -> bool:
    return bool(_NUMBER_ASKED.search(text))


def asks_count(text: str) -> bool:
    return bool(_COUNT_ASKED.search(text))


def states_count(text: str) -> bool:
    return bool(_COUNT_STATED.search(text))


def states_amount(text: str) -> bool:
    return bool(_NUMBER_STATED.search(text))


# A province the asker goes to or comes from (回山东老家, 去海南过冬, 在广东那边看病) is a place,
# not whose rule is asked about.
_PLACE_BEFORE = "回去到在往来从"
_PLACE_AFTER = ("老家", "那边", "那儿", "那里", "过冬", "住", "旅游", "看病", "探亲")


def named_provinces(text: str) -> set[str]:
    out = set()
    for p in PROVINCES:
        at = text.find(p)
        while at >= 0:
            before = text[at - 1] if at else ""
            after = text[at + len(p) : at + len(p) + 2]
            if not (before and before in _PLACE_BEFORE and after.startswith(_PLACE_AFTER)):
                out.add(p)
                break
            at = text.find(p, at + 1)
    return out


def cued_audience(index: BotIndex, query: Query) -> set[str]:
    """Who the words say the asker is (逐月领退役金 → 逐月领取退役金), from the documents' cues."""
    out: set[str] = set()
    for doc in index.docs.values():
        if doc.cue is not None and doc.cue.search(query.text):
            out.update(doc.audience)
    return out


def other_audience(cued: set[str], doc: DocMeta) -> bool:
    """The asker's words say they are someone this document is not about (cued: from
    cued_audience): its national rule is not the one to put first."""
    return bool(cued) and cued.isdisjoint(doc.audience)


# Who a document is about when it is about every veteran (the service centres' standard): a
# document for them is never "about someone else".
EVERY_VETERAN = "退役军人"


def about_someone_else(index: BotIndex, query: Query, context: Context | None) -> set[str]:
    """The documents that are about other people than the asker, when the asker is known (their
    record's category, from the API): the 山西 standard for those who draw 退役金 monthly, for
    a retired cadre; the cadres' rules, for one who draws 退役金. They do not answer — a rule for
    someone else, quoted as the answer, misleads (「我爸的党组织关系在哪」 got the 山西 draft's
    退役金 clause) — unless the question names the document or says the asker is one of its
    people (its cue: 退役金, 逐月 …). A product rule, not a fitted value: no evaluation set
    says who is asking."""
    if context is None or not context.audience:
        return set()
    if not any(context.audience in doc.audience for doc in index.docs.values()):
        return set()  # someone no document is about: nothing to tell apart
    out = set()
    for doc in index.docs.values():
        if context.audience in doc.audience or EVERY_VETERAN in doc.audience:
            continue
        if any(n in query.raw for n in doc.names):
            continue
        if doc.cue is not None and doc.cue.search(query.text):
            continue
        out.add(doc.id)
    return out


def _priors(index: BotIndex, query: Query, context: Context | None) -> dict[str, float]:
    pri = index.params.priors
    named = named_provinces(query.raw)
    named_docs = {d.id for d in index.docs.values() if any(n in query.raw for n in d.names)}
    ctx_province = province_short(context.province) if context and context.province else None
    cued = cued_audience(index, query)
    out: dict[str, float] = {}
    for doc in index.docs.values():
        s = 0.0
        own = doc.province_short
        if doc.id in named_docs:
            s += pri.get("named", 0.0)
        elif own and named and own not in named:
            s += pri.get("other_province", 0.0)  # the asker named somewhere else
        if ctx_province:
            if own == ctx_province:
                s += pri.get("own_province", 0.0)
            elif own:
                s += pri.get("other_province", 0.0)
        elif doc.national and not named and not other_audience(cued, doc):
            s += pri.get("national", 0.0)
        if doc.cue is not None and doc.cue.search(query.text):
            s += pri.get("cue", 0.0)
        if context and context.audience:
            s += pri.get("audience", 0.0) * (1 if context.audience in doc.audience else -1)
        out[doc.id] = s
    return out


def _coverage_terms(
    index: BotIndex, query: Query
) -> tuple[list[tuple[float, set[str], str]], float]:
    """Per asked word, once per question: its weight (rarity), the words that count as it
    (itself, its synonyms, what it was heard as) and the word itself when it may be found as a
    substring (two characters or more, else ""); and the total weight."""
    syn = index.text().synonyms
    idf = index.question_words.idf
    default = index.question_words.max_idf
    spec: list[tuple[float, set[str], str]] = []
    total = 0.0
    for term in query.terms:
        weight = idf(term, default) * (0.5 if len(term) == 1 else 1.0)
        total += weight
        alts = {term} | syn.get(term, set())
        alts |= query.alternatives(term)
        spec.append((weight, alts, term if len(term) >= 2 else ""))
    return spec, total


def _coverage(
    index: BotIndex,
    query: Query,
    clause: int,
    terms: tuple[list[tuple[float, set[str], str]], float] | None = None,
) -> float:
    """How much of what was asked (words weighted by rarity) the clause and its questions hold."""
    spec, total = terms if terms is not None else _coverage_terms(index, query)
    own = index.clause_terms[clause]
    plain = index.clause_plain[clause]
    got = 0.0
    for weight, alts, word in spec:
        if not alts.isdisjoint(own) or (word and word in plain):
            got += weight
    return got / total if total else 0.0


def unknown_share(index: BotIndex, query: Query) -> float:
    """The share of the asked words of two or more characters that no clause or question ever
    uses (股票, 电视剧): a sign the question is about something else."""
    words = [t for t in query.terms if len(t) >= 2]
    # A word heard in what was typed (退修费 → 退休费) is a known word that was asked.
    heard = [r for r in query.repairs if r not in words]
    if not words:
        return 0.0 if query.terms or heard else 1.0
    known = index.vocabulary
    syn = index.text().synonyms
    unknown = [
        t
        for t in words
        if t not in known and not (syn.get(t, set()) & known) and not query.alternatives(t)
    ]
    return len(unknown) / (len(words) + len(heard))


def out_of_scope_nearness(index: BotIndex, query: Query) -> tuple[float, float]:
    """How well the nearest example of a question the regulations do not answer matches, scored
    as the clauses' questions are (word and character-gram BM25, each over its query mass), and
    the share of that example's character bigrams the question holds (what the example asks
    beyond the question — 出国旅游 … 买旅游保险 against 出国要报备吗 — makes it another
    question)."""
    if not index.oos_words.n_docs or not index.oos_words.postings:
        return 0.0, 0.0
    p = index.params
    weights, mass = query_weights(index, query)
    grams = dict.fromkeys(char_grams(query.gram_text), 1.0)
    words = index.oos_words.scores(weights, p.word_max_df)
    grams_s = index.oos_grams.scores(grams, p.gram_max_df)
    w_mass = index.oos_words.mass(mass)
    g_mass = index.oos_grams.mass(grams)
    best, nearest = 0.0, -1
    w_get, g_get = words.get, grams_s.get
    for d in words.keys() | grams_s.keys():
        near = w_get(d, 0.0) / w_mass + g_get(d, 0.0) / g_mass
        if near > best:
            best, nearest = near, d
    if nearest < 0:
        return 0.0, 0.0
    example = index.oos_bigrams[nearest]
    asked = set(char_grams(query.gram_text, (2,)))
    cover = len(example & asked) / len(example) if example else 0.0
    return min(best, 3.0), cover


def _by_clause(
    clauses: list[tuple[int, ...]],
    qw: dict[int, float],
    qg: dict[int, float],
    qw_mass: float,
    qg_mass: float,
) -> tuple[dict[int, float], dict[int, float], dict[int, float]]:
    """Per clause: the best word score (wq) and the best gram score (cq) of its questions, each
    over its query mass, and the question (as a float) with the best sum of the two (the first
    met of equals: the walk's order decides ties, so it stays the set's order)."""
    per_w: dict[int, float] = {}
    per_g: dict[int, float] = {}
    best_q: dict[int, float] = {}
    best_v: dict[int, float] = {}
    w_get, g_get = qw.get, qg.get
    pw_get, pg_get, bv_get = per_w.get, per_g.get, best_v.get
    for q in qw.keys() | qg.keys():
        a = w_get(q, 0.0) / qw_mass
        b = g_get(q, 0.0) / qg_mass
        v = a + b
        for c in clauses[q]:
            if a > pw_get(c, 0.0):
                per_w[c] = a
            if b > pg_get(c, 0.0):
                per_g[c] = b
            if v > bv_get(c, -1.0):
                best_v[c] = v
                best_q[c] = float(q)
    return per_w, per_g, best_q


def signals(index: BotIndex, query: Query) -> dict[str, dict[int, float]]:
    """The four normalised BM25 signals per clause, and the best question per clause."""
    p = index.params
    weights, mass = query_weights(index, query)
    grams = dict.fromkeys(char_grams(query.gram_text), 1.0)
    out: dict[str, dict[int, float]] = {}
    cw = index.clause_words.scores(weights)
    cw_mass = index.clause_words.mass(mass)
    out["wc"] = {c: s / cw_mass for c, s in cw.items()}
    cg = index.clause_grams.scores(grams, p.gram_max_df)
    cg_mass = index.clause_grams.mass(grams)
    out["cc"] = {c: s / cg_mass for c, s in cg.items()}
    qw = index.question_words.scores(weights, p.word_max_df)
    qg = index.question_grams.scores(grams, p.gram_max_df)
    qw_mass = index.question_words.mass(mass)
    qg_mass = index.question_grams.mass(grams)
    per_w, per_g, best_q = _by_clause(index.question_clauses(), qw, qg, qw_mass, qg_mass)
    out["wq"] = per_w
    out["cq"] = per_g
    out["_best_q"] = best_q
    return out


def candidate_pool(
    index: BotIndex, query: Query, context: Context | None = None, per_signal: int = 12
) -> list[Candidate]:
    """The clauses any signal puts near the top, with every feature the score is made of
    (independent of the weights, so fitting can re-score them)."""
    if not query.terms and not query.repairs and not char_grams(query.gram_text):
        return []
    sig = signals(index, query)
    pool: set[int] = set()
    for name in SIGNALS:
        scores = sig[name]
        # the same as sorted by -score (stable: the first met of equals first), without a lambda
        pool.update(sorted(scores, key=scores.__getitem__, reverse=True)[:per_signal])
    priors = _priors(index, query, context)
    best_q = sig["_best_q"]
    # A province named that we hold no rule for: no other province's rule answers for it.
    named = named_provinces(query.raw)
    covered = {d.province_short for d in index.docs.values() if d.province_short}
    if named - covered:
        pool = {c for c in pool if index.docs[index.clauses[c].doc_id].national}
    others = about_someone_else(index, query, context)
    if others:
        pool = {c for c in pool if index.clauses[c].doc_id not in others}
    open_question = not (context and context.province) and not named
    cued = cued_audience(index, query)
    national_first = {
        d.id for d in index.docs.values() if d.national and not other_audience(cued, d)
    }
    cov_terms = _coverage_terms(index, query)
    out = []
    for c in pool:
        feats = {name: min(sig[name].get(c, 0.0), 1.5) for name in SIGNALS}
        national = index.clauses[c].doc_id in national_first
        feats["national"] = 1.0 if open_question and national else 0.0
        feats["cov"] = _coverage(index, query, c, cov_terms)
        feats["prior"] = priors.get(index.clauses[c].doc_id, 0.0)
        q = int(best_q[c]) if c in best_q else None
        faq = index.questions[q].faq if q is not None else None
        out.append(Candidate(c, 0.0, feats, faq, q))
    return out


def score_pool(pool: list[Candidate], weights: dict[str, float], limit: int = 5) -> list[Candidate]:
    for cand in pool:
        f = cand.feats
        base = sum(weights.get(k, 0.0) * f[k] for k in (*SIGNALS, "cov"))
        cand.score = base * (1 + NATIONAL_SHARE * f.get("national", 0.0)) + f["prior"]
    return sorted(pool, key=lambda cand: (-cand.score, cand.clause))[:limit]


def rank(
    index: BotIndex, query: Query, context: Context | None = None, limit: int = 5
) -> list[Candidate]:
    return score_pool(candidate_pool(index, query, context), index.params.weights, limit)


def refusal_features(index: BotIndex, query: Query, ranked: list[Candidate]) -> dict[str, float]:
    if not ranked:
        return dict.fromkeys(REFUSAL_FEATURES, 0.0) | {"unknown": 1.0}
    top = ranked[0]
    second = ranked[1].score if len(ranked) > 1 else 0.0
    feats = {name: top.feats.get(name, 0.0) for name in ("wq", "cq", "wc", "cc", "cov")}
    feats["score"] = top.score - top.feats.get("prior", 0.0)
    feats["margin"] = top.score - second
    feats["unknown"] = unknown_share(index, query)
    feats["long"] = max(0.0, math.log(1 + len(query.terms)) - math.log(1 + 6))
    feats["oos"], feats["oos_cover"] = out_of_scope_nearness(index, query)
    feats["oos_gap"] = feats["oos"] - min(top.feats.get("wq", 0.0) + top.feats.get("cq", 0.0), 3.0)
    return feats
