"""Fitting the fusion weights and the refusal model on the tune half only, with k-fold cross
validation so the figure reported is one the fit never saw. `python -m bot fit [--write]`."""

from __future__ import annotations

import argparse
import copy
import math
import random
from dataclasses import dataclass, replace
from pathlib import Path

from bot.answer import answer_question, app_intent, intent_scores, lookup
from bot.evaluate import Row, evaluate, read_rows, row_context
from bot.index import BotIndex, build_index
from bot.intents import greeting_reply
from bot.normalise import Query
from bot.ranker import (
    REFUSAL_FEATURES,
    SIGNALS,
    Candidate,
    RankerParams,
    candidate_pool,
    dump_params,
    refusal_features,
    score_pool,
)
from bot.text import fold

GRID = (0.0, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8, 1.0)
SEED = 20261127
TOP3_CREDIT = 0.3  # a right clause in second or third place is worth something when fitting


@dataclass
class Prepared:
    row: Row
    pool: list[Candidate]
    expected: set[int]
    query: Query


def _reaches_ranking(index: BotIndex, question: str) -> bool:
    """Questions answered before ranking (greetings, app intents, by number) don't shape it."""
    text = fold(question)
    if greeting_reply(text) or not text:
        return False
    if app_intent(index, text) is not None:
        return False
    return not lookup(index, text)


def prepare(index: BotIndex, rows: list[Row]) -> list[Prepared]:
    out = []
    for row in rows:
        if row["kind"] == "intent" or not _reaches_ranking(index, row["question"]):
            continue
        query = index.norm().analyse(fold(row["question"]), index.vocabulary)
        pool = candidate_pool(index, query, row_context(row), per_signal=15)
        expected = {
            index.clause_by_key[(e["doc_id"], e["clause"])]
            for e in row.get("expected") or []
            if (e["doc_id"], e["clause"]) in index.clause_by_key
        }
        out.append(Prepared(row, pool, expected, query))
    return out


def _ranking_score(prepared: list[Prepared], weights: dict[str, float]) -> float:
    got = 0.0
    for p in prepared:
        if p.row["kind"] != "policy" or not p.pool:
            continue
        ranked = score_pool(p.pool, weights, limit=3)
        if ranked[0].clause in p.expected:
            got += 1.0
        elif any(c.clause in p.expected for c in ranked):
            got += TOP3_CREDIT
    return got


def fit_weights(prepared: list[Prepared], start: dict[str, float]) -> dict[str, float]:
    weights = dict(start)
    best = _ranking_score(prepared, weights)
    for _ in range(3):
        improved = False
        for name in (*SIGNALS, "cov"):
            for value in GRID:
                trial = dict(weights, **{name: value})
                s = _ranking_score(prepared, trial)
                if s > best + 1e-9:
                    best, weights, improved = s, trial, True
        if not improved:
            break
    return weights


Features = list[dict[str, float]]
Logistic = tuple[dict[str, float], dict[str, float], dict[str, float], float]


def _features(
    index: BotIndex, prepared: list[Prepared], weights: dict[str, float]
) -> tuple[Features, list[int]]:
    xs: Features = []
    ys: list[int] = []
    for p in prepared:
        ranked = score_pool(p.pool, weights, limit=5)
        xs.append(refusal_features(index, p.query, ranked))
        ys.append(1 if p.row["kind"] == "policy" else 0)
    return xs, ys


def fit_logistic(xs: Features, ys: list[int], l2: float = 0.05) -> Logistic:
    names = list(REFUSAL_FEATURES)
    n = len(xs)
    mean = {k: sum(x[k] for x in xs) / n for k in names}
    scale = {k: math.sqrt(sum((x[k] - mean[k]) ** 2 for x in xs) / n) or 1.0 for k in names}
    z = [[(x[k] - mean[k]) / scale[k] for k in names] for x in xs]
    pos = sum(ys) or 1
    neg = (n - sum(ys)) or 1
    cw = {1: n / (2 * pos), 0: n / (2 * neg)}  # balance the classes
    coef = [0.0] * len(names)
    b = 0.0
    lr = 0.3
    for _ in range(600):
        gc = [0.0] * len(names)
        gb = 0.0
        for row, y in zip(z, ys, strict=True):
            s = b + sum(c * v for c, v in zip(coef, row, strict=True))
            pr = 1 / (1 + math.exp(-max(-30, min(30, s))))
            err = (pr - y) * cw[y]
            gb += err
            for j, v in enumerate(row):
                gc[j] += err * v
        b -= lr * gb / n
        coef = [c - lr * (g / n + l2 * c) for c, g in zip(coef, gc, strict=True)]
    return mean, scale, dict(zip(names, coef, strict=True)), b


# The targets allow 5% of answerable questions refused and 7% of the others answered.
# The threshold is the one whose worse error, each measured against its own allowance, is least.
# The allowance for refusals is 1% here, not 5%: the tune half's answerable questions are easier
# than new ones (keyword rules and synonyms were written while reading it), and at 5% on the tune
# half every other set refused two to three times as many (own + held-out sets 0.14, the writer's
# 20 questions 6 of 13). 1% was chosen on those sets — never on the test half.
REFUSED_ALLOWANCE = 0.01
ANSWERED_ALLOWANCE = 0.07
# The threshold is chosen on held-out probabilities (each question scored by a model fit
# without it, THRESHOLD_FOLDS folds inside the rows being fit), where the allowance can be the
# issue's own: those scores are as low as a new question's.
THRESHOLD_FOLDS = 5
HELD_OUT_REFUSED_ALLOWANCE = 0.02


def choose_threshold(params: RankerParams, xs: list[dict[str, float]], ys: list[int]) -> float:
    """The threshold that keeps both errors furthest inside their allowances (in-sample)."""
    return threshold_for([params.p_answerable(x) for x in xs], ys, REFUSED_ALLOWANCE)


def highest_threshold_within(ps: list[float], ys: list[int], refused_allowance: float) -> float:
    """The highest threshold (the most out-of-scope questions refused) that refuses no more
    answerable questions than the allowance."""
    answerable = sorted(p for p, y in zip(ps, ys, strict=True) if y == 1)
    best = 0.05
    for i in range(5, 96):
        t = i / 100
        refused = sum(1 for p in answerable if p < t) / (len(answerable) or 1)
        if refused <= refused_allowance:
            best = t
    return best


def threshold_for(
    ps: list[float], ys: list[int], refused_allowance: float = HELD_OUT_REFUSED_ALLOWANCE
) -> float:
    """The threshold that keeps both errors furthest inside their allowances."""
    pos = sum(ys) or 1
    neg = (len(ys) - sum(ys)) or 1
    best_t, best = 0.5, (math.inf, math.inf)
    for i in range(5, 96):
        t = i / 100
        refused = sum(1 for p, y in zip(ps, ys, strict=True) if y == 1 and p < t) / pos
        answered = sum(1 for p, y in zip(ps, ys, strict=True) if y == 0 and p >= t) / neg
        key = (
            max(refused / refused_allowance, answered / ANSWERED_ALLOWANCE),
            refused + answered,
        )
        if key < best:
            best, best_t = key, t
    return best_t


def _set_logistic(params: RankerParams, model: Logistic) -> None:
    mean, scale, coef, b = model
    params.refusal_mean, params.refusal_scale = mean, scale
    params.refusal_coef, params.refusal_intercept = coef, b


def held_out_probabilities(
    params: RankerParams, prepared: list[Prepared], index: BotIndex, folds: int
) -> tuple[list[float], list[int]]:
    """p(answerable) of every question from weights and a refusal model fit without it: how
    the model scores questions it has not seen (in-sample scores are higher than that)."""
    order = list(range(len(prepared)))
    random.Random(SEED + 1).shuffle(order)
    ps: list[float] = []
    ys: list[int] = []
    for k in range(folds):
        held = [prepared[i] for j, i in enumerate(order) if j % folds == k]
        train = [prepared[i] for j, i in enumerate(order) if j % folds != k]
        trial = copy.deepcopy(params)
        trial.weights = fit_weights(train, params.weights)
        _set_logistic(trial, fit_logistic(*_features(index, train, trial.weights)))
        xs, held_ys = _features(index, held, trial.weights)
        ps += [trial.p_answerable(x) for x in xs]
        ys += held_ys
    return ps, ys


def fit(index: BotIndex, rows: list[Row], threshold_folds: int = THRESHOLD_FOLDS) -> RankerParams:
    prepared = prepare(index, rows)
    params = copy.deepcopy(index.params)
    start = dict(params.weights)
    params.weights = fit_weights(prepared, start)
    xs, ys = _features(index, prepared, params.weights)
    _set_logistic(params, fit_logistic(xs, ys))
    if threshold_folds > 1:
        start_params = copy.deepcopy(params)
        start_params.weights = start
        held_ps, held_ys = held_out_probabilities(start_params, prepared, index, threshold_folds)
        params.refusal_threshold = highest_threshold_within(
            held_ps, held_ys, HELD_OUT_REFUSED_ALLOWANCE
        )
    else:
        params.refusal_threshold = choose_threshold(params, xs, ys)
    fit_intent_thresholds(index, params, rows)
    return params


@dataclass
class IntentCase:
    want: str | None  # the app feature asked for, None for a policy or out-of-scope question
    rule: str | None  # what the keyword rules say (they come first)
    policy_answers: bool  # the policy path would answer (so the fallback does not apply)
    best: str
    score: float
    margin: float
    policy_worded: bool


def _intent_cases(index: BotIndex, params: RankerParams, rows: list[Row]) -> list[IntentCase]:
    from bot.answer import _intent_rules

    saved = index.params
    probe = copy.deepcopy(params)
    probe.intent_threshold = probe.intent_fallback_threshold = 9.0  # examples switched off
    index.params = probe
    out = []
    try:
        for row in rows:
            text = fold(row["question"])
            if not text or greeting_reply(text) or lookup(index, text):
                continue
            rule = app_intent(index, text)
            ans = answer_question(index, row["question"], context=row_context(row))
            scores = intent_scores(index, text)
            best = "handoff" if scores.best == "contact" else scores.best
            out.append(
                IntentCase(
                    want=row.get("intent") if row["kind"] == "intent" else None,
                    rule=rule.name if rule else None,
                    policy_answers=ans.answered and ans.kind != "intent",
                    best=best,
                    score=scores.score,
                    margin=scores.margin,
                    policy_worded=_intent_rules(index).policy.found(text)
                    and not _intent_rules(index).own_request.found(index.norm().dialect_only(text)),
                )
            )
    finally:
        index.params = saved
    return out


# An app page opened for a question that was no request costs more than a missed request (which
# is refused with the offer of a person).
HIJACK_COST = 2


def _intent_right(cases: list[IntentCase], t: float, m: float, tf: float, mf: float) -> int:
    right = 0
    for c in cases:
        got = c.rule
        usable = bool(c.best) and (c.best == "handoff" or not c.policy_worded)
        if got is None and usable and c.score >= t and c.margin >= m and c.margin > 0:
            got = c.best
        if (
            got is None
            and usable
            and not c.policy_answers
            and c.score >= tf
            and c.margin >= mf
            and c.margin > 0
        ):
            got = c.best
        if got == c.want:
            right += 1
        elif c.want is None:
            right -= HIJACK_COST - 1
    return right


THRESHOLDS = tuple(i / 40 for i in range(4, 31))  # 0.10 … 0.75
# Never nearer to a counter-example than to the app example (a negative margin fit on the tune
# half opened app pages for chit-chat that merely shares a word like 今天).
MARGINS = tuple(i / 20 for i in range(0, 9))  # 0 … 0.40


def fit_intent_thresholds(index: BotIndex, params: RankerParams, rows: list[Row]) -> None:
    """Before-ranking pair first (fallback off), then the fallback pair; the strictest of the
    best is kept (an app page opened for a policy question costs the asker more).

    The examples are fit as if they were the only detector: the keyword rules were written while
    looking at the tune half, so beside them the tune half cannot show what the examples add on
    questions nobody has seen."""
    cases = [replace(c, rule=None) for c in _intent_cases(index, params, rows)]
    off = 9.0
    best = (-1, 0.0, 0.0)
    for t in reversed(THRESHOLDS):
        for m in reversed(MARGINS):
            r = _intent_right(cases, t, m, off, off)
            if r > best[0]:
                best = (r, t, m)
    _, t, m = best
    best_f = (-1, off, off)
    for tf in reversed(THRESHOLDS):
        for mf in reversed(MARGINS):
            r = _intent_right(cases, t, m, tf, mf)
            if r > best_f[0]:
                best_f = (r, tf, mf)
    params.intent_threshold, params.intent_margin = t, m
    params.intent_fallback_threshold, params.intent_fallback_margin = best_f[1], best_f[2]


def cross_validate(index: BotIndex, rows: list[Row], folds: int) -> dict[str, float]:
    order = list(range(len(rows)))
    random.Random(SEED).shuffle(order)
    original = index.params
    totals: dict[str, list[float]] = {}
    try:
        for k in range(folds):
            held = [rows[i] for j, i in enumerate(order) if j % folds == k]
            train = [rows[i] for j, i in enumerate(order) if j % folds != k]
            index.params = original
            params = fit(index, train)
            index.params = params
            result = evaluate(index, held)
            for key, value in result.items():
                if isinstance(value, float) and not math.isnan(value):
                    n = _weight(result, key)
                    acc = totals.setdefault(key, [0.0, 0.0])
                    acc[0] += value * n
                    acc[1] += n
    finally:
        index.params = original
    return {k: v[0] / v[1] for k, v in totals.items() if v[1]}


def _weight(result: dict[str, float], key: str) -> float:
    if key in ("top1", "top3", "wrongly_abstained"):
        return float(result["policy"])
    if key == "out_of_scope_abstained":
        return float(result["n_oos"])
    if key == "intent_accuracy":
        return float(result["n_intent"])
    if key == "by_number":
        return float(result["n_by_number"])
    return 1.0


def fit_command(args: argparse.Namespace) -> int:
    path: Path = args.file
    if not path.exists():
        print(f"{path} not found")
        return 1
    rows = read_rows(path)
    index = build_index(args.knowledge)
    index.params = RankerParams(  # start from the defaults, not a previous fit
        word_max_df=args.word_max_df, gram_max_df=args.gram_max_df
    )
    cv = cross_validate(index, rows, args.folds)
    print(f"{args.folds}-fold cross-validation on {path.name} ({len(rows)} questions):")
    for key in (
        "top1",
        "top3",
        "wrongly_abstained",
        "out_of_scope_abstained",
        "intent_accuracy",
        "by_number",
    ):
        if key in cv:
            print(f"  {key:24} {cv[key]:.3f}")
    params = fit(index, rows)
    print("weights", params.weights, "threshold", params.refusal_threshold)
    print(
        "intents: before ranking",
        params.intent_threshold,
        params.intent_margin,
        "fallback",
        params.intent_fallback_threshold,
        params.intent_fallback_margin,
    )
    if args.write:
        header = (
            "# Fusion weights and the refusal model, fit by `python -m bot fit --write` on the\n"
            f"# tune half only ({path.name}, {len(rows)} questions; {args.folds}-fold CV: "
            f"top-1 {cv.get('top1', float('nan')):.2f}, answerable refused "
            f"{cv.get('wrongly_abstained', float('nan')):.2f}, out-of-scope refused "
            f"{cv.get('out_of_scope_abstained', float('nan')):.2f}).\n"
        )
        dump_params(params, args.knowledge / "ranker.yaml", header)
        print(f"wrote {args.knowledge / 'ranker.yaml'}")
    _ = answer_question  # the CV above answers through the full path
    return 0
