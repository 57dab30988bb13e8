"""python -m bot build | answer --jsonl | eval FILE | ask "问题"."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bot.answer import answer_question
from bot.index import BotIndex, build_index, default_knowledge_dir, load_index, save_index

DEFAULT_INDEX = Path("var/bot_index.pkl")


def _index(path: Path | None, knowledge: Path) -> BotIndex:
    if path is not None and path.exists():
        try:
            return load_index(path, knowledge)
        except (ValueError, OSError, EOFError):
            pass
    return build_index(knowledge)


def cmd_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    index = build_index(args.knowledge)
    save_index(index, args.out)
    took = time.perf_counter() - started
    summary = f"built {len(index.clauses)} clauses, {len(index.faq)} FAQ topics"
    print(f"{summary} in {took:.2f}s → {args.out}")
    return 0


def cmd_answer(args: argparse.Namespace) -> int:
    index = _index(args.index, args.knowledge)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        item = json.loads(line)
        ans = answer_question(index, str(item.get("question", "")))
        out = {
            "id": item.get("id"),
            "answered": ans.answered,
            "intent": ans.intent,
            "sources": [{"doc_id": s.doc_id, "clause": s.clause} for s in ans.sources],
            "answer": ans.answer,
            "confidence": ans.confidence,
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


def evaluate(index: BotIndex, rows: list[dict]) -> dict[str, float]:  # type: ignore[type-arg]
    policy = [r for r in rows if r["kind"] == "policy"]
    oos = [r for r in rows if r["kind"] == "out_of_scope"]
    intents = [r for r in rows if r["kind"] == "intent"]
    top1 = top3 = wrong_abstain = 0
    for row in policy:
        ans = answer_question(index, row["question"])
        expected = {(e["doc_id"], e["clause"]) for e in row["expected"]}
        got = [(s.doc_id, s.clause) for s in ans.sources] if ans.answered else []
        if not ans.answered:
            wrong_abstain += 1
        if got[:1] and got[0] in expected:
            top1 += 1
        if expected & set(got[:3]):
            top3 += 1
    abstained = sum(1 for r in oos if not answer_question(index, r["question"]).answered)
    intent_ok = sum(
        1 for r in intents if answer_question(index, r["question"]).intent == r["intent"]
    )
    n = max(len(policy), 1)
    return {
        "policy": len(policy),
        "top1": top1 / n,
        "top3": top3 / n,
        "wrongly_abstained": wrong_abstain / n,
        "out_of_scope_abstained": abstained / max(len(oos), 1),
        "intent_accuracy": intent_ok / max(len(intents), 1),
    }


def cmd_eval(args: argparse.Namespace) -> int:
    index = _index(args.index, args.knowledge)
    rows = [json.loads(line) for line in Path(args.file).read_text("utf-8").splitlines() if line]
    if args.verbose:
        for row in rows:
            ans = answer_question(index, row["question"])
            got = [f"{s.doc_id[:3]}:{s.clause}" for s in ans.sources]
            exp = [f"{e['doc_id'][:3]}:{e['clause']}" for e in row.get("expected", [])]
            print(
                f"{row['kind'][:6]:6} {str(ans.answered):5} {ans.confidence:.2f} "
                f"{row['question']} | got {got[:3]} {ans.intent or ''} | want {exp} "
                f"{row.get('intent') or ''}"
            )
    result = evaluate(index, rows)
    print(f"questions: {len(rows)} ({result['policy']} policy)")
    print(
        f"policy top-1 {result['top1']:.2f}  top-3 {result['top3']:.2f}  "
        f"wrongly abstained {result['wrongly_abstained']:.2f}"
    )
    print(f"out-of-scope abstained {result['out_of_scope_abstained']:.2f}")
    print(f"intents {result['intent_accuracy']:.2f}")
    return 0


def cmd_ask(args: argparse.Namespace) -> int:
    index = _index(args.index, args.knowledge)
    ans = answer_question(index, args.question)
    print(ans.answer)
    for s in ans.sources:
        print(f"  · {s.title}")
    if ans.suggestions:
        print("  您也可以问：" + " / ".join(ans.suggestions))
    print(f"  (answered={ans.answered} intent={ans.intent} confidence={ans.confidence})")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="军休政策问答机器人")
    parser.add_argument("--knowledge", type=Path, default=default_knowledge_dir())
    parser.add_argument("--index", type=Path, default=DEFAULT_INDEX)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build the index")
    build.add_argument("--out", type=Path, default=DEFAULT_INDEX)
    build.set_defaults(func=cmd_build)
    answer = sub.add_parser("answer", help="answer JSON lines from stdin")
    answer.add_argument("--jsonl", action="store_true", required=True)
    answer.set_defaults(func=cmd_answer)
    ev = sub.add_parser("eval", help="accuracy on a labelled JSONL file")
    ev.add_argument("file")
    ev.add_argument("-v", "--verbose", action="store_true")
    ev.set_defaults(func=cmd_eval)
    ask = sub.add_parser("ask", help="ask one question")
    ask.add_argument("question")
    ask.set_defaults(func=cmd_ask)
    args = parser.parse_args(argv)
    return int(args.func(args))
