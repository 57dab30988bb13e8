"""python -m bot build | answer --jsonl | eval [FILE] | fit TUNE | ask "问题"."""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

from bot.answer import answer_question
from bot.evaluate import Row, evaluate, read_rows, row_context
from bot.index import BotIndex, build_index, default_knowledge_dir, load_index, save_index

REPO = Path(__file__).resolve().parents[1]
DEFAULT_INDEX = Path("var/bot_index.pkl")
TEST_HALF = REPO / "tests" / "bot" / "eval" / "test.jsonl"
TUNE_HALF = REPO / "tests" / "bot" / "eval" / "tune.jsonl"

__all__ = ["evaluate", "main"]


def dev_set() -> Path:
    """../shared/bot/dev_questions.jsonl beside the repo (or beside the worktrees' parent)."""
    for base in (REPO.parent, REPO.parent.parent):
        path = base / "shared" / "bot" / "dev_questions.jsonl"
        if path.exists():
            return path
    return REPO.parent / "shared" / "bot" / "dev_questions.jsonl"


def _index(path: Path | None, knowledge: Path) -> BotIndex:
    if path is not None and path.exists():
        try:
            return load_index(path, knowledge)
        except (ValueError, OSError, EOFError, AttributeError):
            pass
    return build_index(knowledge)


def cmd_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    index = build_index(args.knowledge)
    save_index(index, args.out)
    took = time.perf_counter() - started
    summary = (
        f"built {len(index.clauses)} clauses, {len(index.questions)} questions, "
        f"{len(index.faq)} FAQ topics"
    )
    print(f"{summary} in {took:.2f}s → {args.out}")
    return 0


def cmd_answer(args: argparse.Namespace) -> int:
    index = _index(args.index, args.knowledge)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        item = json.loads(line)
        ans = answer_question(index, str(item.get("question", "")), context=row_context(item))
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


def _verbose(index: BotIndex, rows: list[Row]) -> None:
    for row in rows:
        ans = answer_question(index, row["question"], context=row_context(row))
        got = [f"{s.doc_id[:2]}:{s.clause}" for s in ans.sources]
        exp = [f"{e['doc_id'][:2]}:{e['clause']}" for e in row.get("expected", [])]
        ok = (
            (got[:1] and any(g == got[0] for g in exp))
            if row["kind"] == "policy"
            else (
                not ans.answered if row["kind"] == "out_of_scope" else ans.intent == row["intent"]
            )
        )
        print(
            f"{'✓' if ok else '✗'} {row['kind'][:6]:6} {str(ans.answered):5} {ans.confidence:.2f} "
            f"{row['question']} | got {got[:3]} {ans.intent or ''} | want {exp} "
            f"{row.get('intent') or ''}"
        )


def cmd_eval(args: argparse.Namespace) -> int:
    index = _index(args.index, args.knowledge)
    if args.file:
        rows = read_rows(Path(args.file))
        if args.verbose:
            _verbose(index, rows)
        result = evaluate(index, rows)
        if result["n_by_number"]:
            print(f"by-number {result['by_number']:.2f} ({result['n_by_number']})")
        print(f"questions: {len(rows)} ({result['policy']} policy)")
        print(
            f"policy top-1 {result['top1']:.2f}  top-3 {result['top3']:.2f}  "
            f"wrongly abstained {result['wrongly_abstained']:.2f}"
        )
        print(f"out-of-scope abstained {result['out_of_scope_abstained']:.2f}")
        print(f"intents {result['intent_accuracy']:.2f}")
        return 0
    columns: list[tuple[str, dict[str, float]]] = []
    for name, path in (("test half", TEST_HALF), ("dev set", dev_set()), ("tune half", TUNE_HALF)):
        if not path.exists():
            print(f"({name}: {path} not found, skipped)")
            continue
        columns.append((f"{name} ({len(read_rows(path))})", evaluate(index, read_rows(path))))
    if not columns:
        return 0
    measures = [
        ("policy top-1", "top1"),
        ("policy top-3", "top3"),
        ("answerable refused", "wrongly_abstained"),
        ("out-of-scope refused", "out_of_scope_abstained"),
        ("intents", "intent_accuracy"),
        ("by-number questions", "by_number"),
    ]
    width = max(len(name) for name, _ in columns) + 2
    print(f"{'':22}" + "".join(f"{name:>{width}}" for name, _ in columns))
    for label, key in measures:
        cells = "".join(
            f"{('—' if math.isnan(r[key]) else f'{r[key]:.2f}'):>{width}}" for _, r in columns
        )
        print(f"{label:22}{cells}")
    return 0


def cmd_fit(args: argparse.Namespace) -> int:
    from bot.fit import fit_command

    return fit_command(args)


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.ranker import Context

    index = _index(args.index, args.knowledge)
    context = Context(province=args.province, audience=args.audience)
    ans = answer_question(index, args.question, context=context)
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
    ev = sub.add_parser("eval", help="accuracy: one file, or test half / dev set / tune half")
    ev.add_argument("file", nargs="?")
    ev.add_argument("-v", "--verbose", action="store_true")
    ev.set_defaults(func=cmd_eval)
    fit = sub.add_parser("fit", help="fit ranking weights and the refusal model (tune half only)")
    fit.add_argument("file", type=Path, nargs="?", default=TUNE_HALF)
    fit.add_argument("--folds", type=int, default=5)
    fit.add_argument("--write", action="store_true", help="write knowledge/ranker.yaml")
    fit.add_argument("--word-max-df", type=float, default=1.0)
    fit.add_argument("--gram-max-df", type=float, default=0.3)
    fit.set_defaults(func=cmd_fit)
    ask = sub.add_parser("ask", help="ask one question")
    ask.add_argument("question")
    ask.add_argument("--province")
    ask.add_argument("--audience")
    ask.set_defaults(func=cmd_ask)
    args = parser.parse_args(argv)
    return int(args.func(args))
