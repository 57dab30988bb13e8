"""Printable documents: Chinese text, tables, charts and signature lines come out readable."""

from __future__ import annotations

from backend.core.pdf import PdfDoc, pdf_response
from tests.pdf_text import pdf_text


def test_a_document_says_what_was_put_in_it() -> None:
    doc = PdfDoc("出国（境）审批表", subtitle="吉林省军休服务管理中心")
    doc.heading("基本情况").paragraph("王建国同志拟赴新加坡探亲。<b>&\x0b")
    doc.fields([("姓名", "王建国"), ("职级", "师级"), ("去向", "新加坡")])
    doc.table(["日期", "事项"], [["2026-11-01", "提交"]], [0.3, 0.7])
    doc.bar_chart("各单位满意率", ["第一军休所", "二所"], [0.93, 0.88], line=0.90, percent=True)
    doc.bar_chart("走访次数", ["一所"], [12])
    doc.signatures(["军休所负责人"])
    doc.page_break().paragraph("第二页的话")
    text = pdf_text(doc.render())
    for expected in (
        "出国（境）审批表",
        "吉林省军休服务管理中心",
        "王建国同志拟赴新加坡探亲。<b>&",
        "师级",
        "所负责人",
        "93.0%",
        "90%",
        "12",
        "第二页的话",
        "第 2 页",
    ):
        assert expected in text, expected


def test_an_empty_chart_and_table_still_render() -> None:
    doc = PdfDoc("空表").table(["甲"], []).bar_chart("无数据", [], [])
    assert pdf_text(doc.render()).startswith("第 1 页") or "空表" in pdf_text(doc.render())


def test_the_response_is_inline_with_a_safe_chinese_name() -> None:
    response = pdf_response(b"%PDF-1.4", '审批表/../"x".pdf')
    assert response.media_type == "application/pdf"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("inline;")
    assert "%2F" not in disposition and "%22" not in disposition
