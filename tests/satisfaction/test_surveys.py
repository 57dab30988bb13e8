"""A survey goes out through notices, each recipient answers once in the mini-program, staff
read the results live (counts, average, written answers), as a chart, an .xlsx and a PDF."""

from __future__ import annotations

import io
from typing import Any

import httpx
from openpyxl import load_workbook
from sqlmodel import Session, select

from backend.accounts.models import AuditLog
from backend.notices.models import Notice
from tests.factories import World, make_family, staff_headers, wechat_headers
from tests.pdf_text import pdf_text
from tests.satisfaction.conftest import shanghai

BASE = "/api/v1/staff/satisfaction/surveys"


def survey_body(**extra: Any) -> dict[str, Any]:
    return {
        "title": "三月服务满意度调查",
        "intro": "请您说说这个月的感受。",
        "questions": [
            {"kind": "满意度", "text": "您对所里这个月的服务满意吗？"},
            {"kind": "单选", "text": "您最常用哪项服务？", "options": ["助餐", "用车", "活动"]},
            {"kind": "打分", "text": "请给助餐打分"},
            {"kind": "文字", "text": "还有什么意见？"},
        ],
        "closes_at": "2026-03-20T18:00:00+08:00",
        "audience": {"everyone": True},
        **extra,
    }


def sent_survey(client: httpx.Client, staff1: dict[str, str]) -> dict[str, Any]:
    created = client.post(BASE, json=survey_body(), headers=staff1)
    assert created.status_code == 201, created.text
    survey_id = created.json()["survey"]["id"]
    sent = client.post(f"{BASE}/{survey_id}/send", headers=staff1)
    assert sent.status_code == 200, sent.text
    return sent.json()


def test_survey_goes_out_is_answered_once_and_comes_back_as_a_chart(
    client: httpx.Client, engine, clock, world: World, staff1, retiree_a
) -> None:
    sent = sent_survey(client, staff1)
    survey_id = sent["survey"]["id"]
    assert (sent["survey"]["status"], sent["survey"]["recipients"]) == ("open", 1)
    inbox = client.get("/api/v1/inbox", headers=retiree_a).json()["data"]
    assert inbox[0]["title"] == "问卷：三月服务满意度调查"
    assert inbox[0]["link_page"] == f"pages/survey/survey?id={survey_id}"

    a = world.retiree_a.id
    mine = client.get("/api/v1/satisfaction/surveys", params={"retiree_id": a}, headers=retiree_a)
    assert [s["id"] for s in mine.json()["data"]] == [survey_id]
    shown = client.get(
        f"/api/v1/satisfaction/surveys/{survey_id}", params={"retiree_id": a}, headers=retiree_a
    ).json()
    assert shown["questions"][0]["options"] == ["满意", "基本满意", "不满意"]
    assert (shown["open"], shown["answered"]) == (True, False)

    url = f"/api/v1/satisfaction/surveys/{survey_id}/answers"
    bad = client.post(url, json={"retiree_id": a, "answers": [0, 5, 3, ""]}, headers=retiree_a)
    assert bad.status_code == 400 and "第2题" in bad.json()["message"]
    body = {"retiree_id": a, "answers": [1, 0, 4, "饭菜再淡一点"]}
    done = client.post(url, json=body, headers=retiree_a)
    assert done.status_code == 200, done.text
    assert done.json()["answered"] is True
    again = client.post(url, json={**body, "answers": [2, 1, 1, None]}, headers=retiree_a)
    assert again.status_code == 409 and "已经答过了" in again.json()["message"]

    results = client.get(f"{BASE}/{survey_id}", headers=staff1).json()
    q1, q2, q3, q4 = results["questions"]
    assert [(o["label"], o["count"]) for o in q1["options"]] == [
        ("满意", 0),
        ("基本满意", 1),
        ("不满意", 0),
    ]
    assert q2["options"][0] == {"label": "助餐", "count": 1, "share": 1.0}
    assert (q3["average"], q4["texts"]) == (4.0, ["饭菜再淡一点"])
    assert results["survey"]["responses"] == 1 and results["response_rate"] == 1.0

    # The 满意度 answer counts in the unit's satisfied rate.
    rates = client.get(
        "/api/v1/staff/satisfaction/rates",
        params={"start": "2026-03-01", "end": "2026-03-31", "source": "survey"},
        headers=staff1,
    ).json()
    assert (rates["total"]["rated"], rates["total"]["rate"]) == (1, 1.0)

    book = load_workbook(
        io.BytesIO(client.get(f"{BASE}/{survey_id}/results.xlsx", headers=staff1).content)
    )
    cells = [c for row in book.active.iter_rows(values_only=True) for c in row if c]
    assert "饭菜再淡一点" in cells and "基本满意" in cells
    pdf = client.get(f"{BASE}/{survey_id}/results.pdf", headers=staff1)
    assert pdf.headers["content-type"] == "application/pdf"
    assert "三月服务满意度调查" in pdf_text(pdf.content)

    with Session(engine) as db:
        actions = db.exec(
            select(AuditLog.action).where(AuditLog.entity == "survey").order_by(AuditLog.id)
        ).all()
    assert actions == ["survey.create", "survey.send"]


def test_closed_survey_takes_no_answers_and_leaves_the_list(
    client: httpx.Client, clock, world: World, staff1, retiree_a
) -> None:
    survey_id = sent_survey(client, staff1)["survey"]["id"]
    a = world.retiree_a.id
    clock.set(shanghai(2026, 3, 20, 18, 0))  # the closing time
    res = client.post(
        f"/api/v1/satisfaction/surveys/{survey_id}/answers",
        json={"retiree_id": a, "answers": [0, None, None, None]},
        headers=retiree_a,
    )
    assert res.status_code == 400 and "已经结束" in res.json()["message"]
    mine = client.get("/api/v1/satisfaction/surveys", params={"retiree_id": a}, headers=retiree_a)
    assert mine.json()["data"] == []
    again = staff_headers(client, "staff1")  # 18 days later: a new login
    assert client.get(f"{BASE}/{survey_id}", headers=again).json()["survey"]["status"] == "closed"


def test_staff_close_early_and_drafts_are_not_seen(
    client: httpx.Client, world: World, staff1, retiree_a
) -> None:
    draft = client.post(BASE, json=survey_body(), headers=staff1).json()["survey"]["id"]
    seen = client.get(
        f"/api/v1/satisfaction/surveys/{draft}",
        params={"retiree_id": world.retiree_a.id},
        headers=retiree_a,
    )
    assert seen.status_code == 404
    client.post(f"{BASE}/{draft}/send", headers=staff1)
    closed = client.post(f"{BASE}/{draft}/close", headers=staff1)
    assert closed.json()["survey"]["status_label"] == "已结束"
    assert client.post(f"{BASE}/{draft}/close", headers=staff1).status_code == 409
    assert client.post(f"{BASE}/{draft}/send", headers=staff1).status_code == 409


def test_who_may_see_and_answer(
    client: httpx.Client, engine, clock, cipher, world: World, fake_wechat, staff1, retiree_a
) -> None:
    survey_id = sent_survey(client, staff1)["survey"]["id"]
    # Another unit's staff: not found, never "forbidden".
    staff2 = staff_headers(client, "staff2")
    assert client.get(f"{BASE}/{survey_id}", headers=staff2).status_code == 404
    assert client.post(f"{BASE}/{survey_id}/close", headers=staff2).status_code == 404
    # Not sent to 李秀兰 (another unit): not found for her.
    b = wechat_headers(client, fake_wechat.base_url, "openid-b")
    res = client.get(
        f"/api/v1/satisfaction/surveys/{survey_id}",
        params={"retiree_id": world.retiree_b.id},
        headers=b,
    )
    assert res.status_code == 404
    # Family without the 代办 right sees it but may not answer; with it, answers for the retiree.
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    a = world.retiree_a.id
    url = f"/api/v1/satisfaction/surveys/{survey_id}/answers"
    body = {"retiree_id": a, "answers": [0, None, 5, None]}
    assert client.post(url, json=body, headers=family).status_code == 403
    make_family(
        engine, clock, retiree=world.retiree_a, openid="openid-fa2", can_submit_checkin=True
    )
    helper = wechat_headers(client, fake_wechat.base_url, "openid-fa2")
    assert client.post(url, json=body, headers=helper).status_code == 200


def test_bad_surveys_are_refused_in_chinese(client: httpx.Client, world: World, staff1) -> None:
    one_option = survey_body(questions=[{"kind": "单选", "text": "选哪个？", "options": ["甲"]}])
    res = client.post(BASE, json=one_option, headers=staff1)
    assert res.status_code == 422 and "至少要有两个选项" in res.json()["message"]
    eleven = survey_body(questions=[{"kind": "文字", "text": f"第{i}题"} for i in range(11)])
    assert client.post(BASE, json=eleven, headers=staff1).status_code == 422
    past = client.post(
        BASE, json=survey_body(closes_at="2026-03-01T10:00:00+08:00"), headers=staff1
    )
    assert past.status_code == 400 and "截止时间" in past.json()["message"]
    nobody = client.post(BASE, json=survey_body(audience={}), headers=staff1)
    assert nobody.status_code == 422 and "发给谁" in nobody.json()["message"]


def test_the_survey_notice_is_one_announcement(engine, client, world, staff1) -> None:
    survey_id = sent_survey(client, staff1)["survey"]["id"]
    with Session(engine) as db:
        notices = db.exec(select(Notice).where(Notice.kind == "announcement")).all()
    assert [(n.title, n.link_page) for n in notices] == [
        ("问卷：三月服务满意度调查", f"pages/survey/survey?id={survey_id}")
    ]
