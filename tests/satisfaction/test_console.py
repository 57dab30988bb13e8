"""The console: write a survey on the page (question rows, audience as for a notice), send it,
read its results as bars; each unit's rate against the 90% line as a chart and a PDF."""

from __future__ import annotations

from urllib.parse import unquote

from backend.core.db import transaction
from backend.satisfaction import surveys
from backend.satisfaction.schemas import AnswersIn, Score, Source
from tests.console.test_console_forms import _console
from tests.factories import World
from tests.pdf_text import pdf_text
from tests.satisfaction.conftest import rate


def _form(csrf: str, **extra: object) -> dict[str, object]:
    return {
        "csrf": csrf,
        "form_token": "s1",
        "title": "助餐满意度",
        "intro": "",
        "closes_at": "2026-03-20T18:00",
        "include_family": "1",
        "audience_mode": "all",
        "q_kind": ["满意度", "单选", "文字", "单选"],
        "q_text": ["您满意吗？", "口味怎么样", "意见", ""],
        "q_options": ["", "偏咸、正好，偏淡", "", ""],
        "action": "send",
        **extra,
    }


def test_write_send_and_read_a_survey_on_the_page(app_server, engine, clock, world: World) -> None:
    with _console(app_server.base_url) as (console, csrf):
        assert "新建问卷" in console.get("/console/surveys").text
        blank = console.get("/console/surveys/new").text
        assert blank.count('name="q_text"') == 10 and "本单位全部老同志" in blank
        bad = console.post("/console/surveys/new", data=_form(csrf, q_options=["", "只有一个"]))
        assert bad.status_code == 422 and "至少要有两个选项" in bad.text
        sent = console.post("/console/surveys/new", data=_form(csrf, form_token="s2"))
        assert sent.status_code == 303, sent.text
        assert "问卷已发出" in unquote(sent.headers["location"])
        survey_id = int(sent.headers["location"].split("/")[3].split("?")[0])
        with transaction(engine) as db:
            surveys.answer(
                db,
                clock=clock,
                survey_id=survey_id,
                data=AnswersIn(retiree_id=world.retiree_a.id, answers=[0, 2, "少放盐"]),
                unit_id=world.station1.id,
                retiree_name="王建国",
                by="self",
            )
        page = console.get(f"/console/surveys/{survey_id}").text
        assert "<svg" in page and "偏淡" in page and "少放盐" in page and "已收回 1 份" in page
        assert "助餐满意度" in console.get("/console/surveys").text
        closed = console.post(f"/console/surveys/{survey_id}/close", data={"csrf": csrf})
        assert "问卷已结束" in unquote(closed.headers["location"])
        xlsx = console.get(f"/console/surveys/{survey_id}/results.xlsx")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_rates_page_chart_line_and_pdf(app_server, engine, clock, world: World) -> None:
    for i, score in enumerate([Score.good, Score.fair, Score.poor]):
        rate(
            engine,
            clock,
            retiree_id=world.retiree_a.id,
            unit_id=world.station1.id,
            score=score,
            source=Source.ride,
            source_id=i + 1,
        )
    with _console(app_server.base_url) as (console, csrf):
        page = console.get("/console/satisfaction?start=2026-03-01&end=2026-03-31").text
        assert "66.7%" in page and "未达到" in page and "stroke-dasharray" in page
        assert "#c0392b" in page  # under the 90% line: red
        assert "和平里服务站" in page
        bad = console.get("/console/satisfaction?start=2026-03-31&end=2026-03-01")
        assert bad.status_code == 422 and "结束日期不能早于开始日期" in bad.text
        pdf = console.get("/console/satisfaction/rates.pdf?start=2026-03-01&end=2026-03-31")
        assert pdf.headers["content-type"] == "application/pdf"
        text = pdf_text(pdf.content)
        assert "满意率统计" in text and "66.7%" in text
