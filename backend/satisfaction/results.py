"""A survey's results as they come in: per question the count of each option, the average of
a 1–5 rating, the written answers; the same as an .xlsx and as a PDF with charts."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from sqlmodel import Session

from backend.core.clock import Clock, format_local
from backend.core.pdf import PdfDoc
from backend.core.xlsx import Book
from backend.satisfaction import surveys
from backend.satisfaction.schemas import (
    OptionCount,
    QuestionKind,
    QuestionResult,
    SurveyResults,
)

if TYPE_CHECKING:
    from backend.satisfaction.models import Survey

RATING_LABELS = ["1分", "2分", "3分", "4分", "5分"]


def build(db: Session, *, clock: Clock, survey: Survey) -> SurveyResults:
    responses = surveys.responses_of(db, survey.id or 0)
    answers = [json.loads(r.answers) for r in responses]
    questions: list[QuestionResult] = []
    for number, question in enumerate(surveys.questions_of(survey)):
        given = [a[number] for a in answers if number < len(a) and a[number] is not None]
        options: list[OptionCount] = []
        average = None
        texts: list[str] = []
        if question.kind == QuestionKind.text:
            texts = [str(t) for t in given]
        else:
            labels = RATING_LABELS if question.kind == QuestionKind.rating else question.options
            offset = 1 if question.kind == QuestionKind.rating else 0
            counts = [0] * len(labels)
            for value in given:
                if isinstance(value, int) and 0 <= value - offset < len(labels):
                    counts[value - offset] += 1
            total = sum(counts)
            options = [
                OptionCount(label=label, count=n, share=n / total if total else 0.0)
                for label, n in zip(labels, counts, strict=True)
            ]
            if question.kind == QuestionKind.rating and total:
                average = round(sum(int(v) for v in given) / total, 2)
        questions.append(
            QuestionResult(
                number=number + 1,
                kind=question.kind,
                text=question.text,
                answered=len(given),
                options=options,
                average=average,
                texts=texts,
            )
        )
    row = surveys.row_of(survey, clock.now(), len(responses))
    return SurveyResults(
        survey=row,
        intro=survey.intro,
        questions=questions,
        response_rate=len(responses) / survey.recipients if survey.recipients else None,
    )


def _share(value: float) -> str:
    return f"{value * 100:.0f}%"


def to_xlsx(results: SurveyResults) -> bytes:
    book = Book("结果汇总")
    sheet = book.first
    sheet.bold(sheet.append([results.survey.title]))
    sheet.append(["发出", results.survey.recipients, "回收", results.survey.responses])
    for q in results.questions:
        sheet.append([])
        sheet.bold(sheet.append([f"第{q.number}题（{q.kind}）", q.text, f"{q.answered}人答"]))
        for option in q.options:
            sheet.append(["", option.label, option.count, _share(option.share)])
        if q.average is not None:
            sheet.append(["", "平均分", q.average])
        for text in q.texts:
            sheet.append(["", text])
    sheet.widths([16, 50, 10, 10])
    return book.to_bytes()


def to_pdf(results: SurveyResults) -> bytes:
    row = results.survey
    doc = PdfDoc(f"问卷结果：{row.title}", subtitle=f"截止 {format_local(row.closes_at)}")
    doc.fields(
        [
            ("状态", row.status_label),
            ("发出", f"{row.recipients}份"),
            ("回收", f"{row.responses}份"),
        ]
    )
    for q in results.questions:
        doc.heading(f"第{q.number}题 {q.text}")
        if q.options and q.answered:
            doc.bar_chart(
                f"{q.answered}人答",
                [o.label for o in q.options],
                [o.share for o in q.options],
                percent=True,
            )
        if q.average is not None:
            doc.paragraph(f"平均 {q.average} 分（满分5分）")
        if q.texts:
            doc.table(["写下的意见"], [[t] for t in q.texts])
        if not q.answered:
            doc.paragraph("还没有人答这道题。")
    return doc.render()
