"""Scoring the bot on labelled questions (JSONL: kind policy / out_of_scope / intent, expected
clauses, intent, optional styles and context)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.answer import BotAnswer, answer_question
from bot.index import BotIndex
from bot.ranker import Context

Row = dict[str, Any]
Answerer = Callable[[Row], BotAnswer]


def read_rows(path: Path) -> list[Row]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def row_context(row: Row) -> Context | None:
    ctx = row.get("context")
    if not ctx:
        return None
    return Context(
        province=ctx.get("province"), audience=ctx.get("audience"), unit_id=ctx.get("unit_id")
    )


def default_answerer(index: BotIndex) -> Answerer:
    return lambda row: answer_question(index, row["question"], context=row_context(row))


def judge(row: Row, ans: BotAnswer) -> dict[str, bool]:
    """What this answer got right, per measure (only the measures that apply to the row)."""
    kind = row["kind"]
    if kind == "policy":
        expected = {(e["doc_id"], e["clause"]) for e in row["expected"]}
        got = [(s.doc_id, s.clause) for s in ans.sources] if ans.answered else []
        out = {
            "top1": bool(got[:1]) and got[0] in expected,
            "top3": bool(expected & set(got[:3])),
            "refused": not ans.answered,
        }
        if "by_number" in (row.get("styles") or []):
            out["by_number"] = out["top1"]
        return out
    if kind == "out_of_scope":
        return {"oos_refused": not ans.answered}
    return {"intent": ans.intent == row.get("intent")}


def evaluate(
    index: BotIndex, rows: list[Row], answerer: Answerer | None = None
) -> dict[str, float]:
    answerer = answerer or default_answerer(index)
    sums: dict[str, list[int]] = {}
    for row in rows:
        for key, ok in judge(row, answerer(row)).items():
            total = sums.setdefault(key, [0, 0])
            total[0] += int(ok)
            total[1] += 1
    policy = sums.get("top1", [0, 0])[1]

    def rate(key: str) -> float:
        got, n = sums.get(key, [0, 0])
        return got / n if n else float("nan")

    return {
        "questions": len(rows),
        "policy": policy,
        "top1": rate("top1"),
        "top3": rate("top3"),
        "wrongly_abstained": rate("refused"),
        "out_of_scope_abstained": rate("oos_refused"),
        "intent_accuracy": rate("intent"),
        "by_number": rate("by_number"),
        "n_oos": sums.get("oos_refused", [0, 0])[1],
        "n_intent": sums.get("intent", [0, 0])[1],
        "n_by_number": sums.get("by_number", [0, 0])[1],
    }
