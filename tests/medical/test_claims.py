"""A retiree adds receipts, staff accept or reject each (a reason required), approve with a pay
date: the subsidy follows 第二十条 and the retiree is told once; family need the 代办 right;
other categories only where the unit says so; another unit's claim is a 404; the yearly summary
and the 第二十三条 certificate."""

from __future__ import annotations

import httpx
from sqlalchemy import update
from sqlmodel import Session, col, select

from backend.accounts.models import AuditLog, Retiree
from backend.notices.models import Notice
from tests.accounts.test_access_matrix import JPEG
from tests.factories import World, make_family, staff_headers, wechat_headers
from tests.pdf_text import pdf_text

WAN = 1_000_000


def _add(client: httpx.Client, headers, retiree_id: int, amount: int, year: int = 2026):
    return client.post(
        "/api/v1/medical/receipts",
        params={"retiree_id": retiree_id, "year": year, "amount": amount, "category": "住院"},
        files={"file": ("r.jpg", JPEG)},
        headers=headers,
    )


def test_claim_end_to_end(client: httpx.Client, world: World, engine, fake_wechat) -> None:
    me = wechat_headers(client, fake_wechat.base_url, "openid-a")
    a = world.retiree_a.id
    assert _add(client, me, a, 8 * WAN).status_code == 201
    made = _add(client, me, a, 4 * WAN).json()["data"][0]
    assert made["next_step"].startswith("票据已交")
    staff = staff_headers(client, "staff1")
    first, second = (r["id"] for r in made["receipts"])
    no_reason = client.post(
        f"/api/v1/staff/medical/receipts/{second}/check", json={"accept": False}, headers=staff
    )
    assert no_reason.status_code == 400 and "原因" in no_reason.json()["message"]
    early = client.post(
        f"/api/v1/staff/medical/claims/{made['id']}/approve",
        json={"pay_on": "2026-04-10"},
        headers=staff,
    )
    assert early.status_code == 409
    client.post(
        f"/api/v1/staff/medical/receipts/{first}/check", json={"accept": True}, headers=staff
    )
    client.post(
        f"/api/v1/staff/medical/receipts/{second}/check",
        json={"accept": False, "reason": "照片看不清"},
        headers=staff,
    )
    ok = client.post(
        f"/api/v1/staff/medical/claims/{made['id']}/approve",
        json={"pay_on": "2026-04-10"},
        headers=staff,
    )
    assert ok.status_code == 200
    assert ok.json()["subsidy"] == 2_100_000  # (8万 − 5万) × 70%
    again = client.post(
        f"/api/v1/staff/medical/claims/{made['id']}/approve",
        json={"pay_on": "2026-04-10"},
        headers=staff,
    )
    assert again.status_code == 409
    mine = client.get("/api/v1/medical/claims", params={"retiree_id": a}, headers=me).json()
    assert mine["data"][0]["next_step"] == "补助21000.00元，4月10日发放。"
    other = client.post(
        f"/api/v1/staff/medical/claims/{made['id']}/approve",
        json={"pay_on": "2026-04-10"},
        headers=staff_headers(client, "staff2"),
    )
    assert other.status_code == 404
    with Session(engine) as db:
        notices = db.exec(
            select(Notice).where(col(Notice.dedupe_key).like("medical:%")).order_by(col(Notice.id))
        ).all()
        bodies = [n.body for n in notices]
        assert sum("21000.00元，4月10日发放" in b for b in bodies) == 1
        assert any("照片看不清" in b for b in bodies)
        actions = db.exec(
            select(AuditLog.action)
            .where(col(AuditLog.action).like("medical.%"))
            .order_by(col(AuditLog.id))
        ).all()
        assert actions == ["medical.receipt", "medical.receipt", "medical.approve"]
    summary = client.get(
        "/api/v1/staff/medical/summary", params={"year": 2026}, headers=staff
    ).json()
    assert summary["data"][0]["subsidy_yuan"] == "21000.00"
    book = client.get("/api/v1/staff/medical/summary.xlsx", headers=staff)
    assert book.status_code == 200 and book.content[:2] == b"PK"


def test_family_needs_the_agency_right_and_other_categories_need_the_setting(
    client: httpx.Client, world: World, engine, clock, fake_wechat
) -> None:
    a = world.retiree_a.id
    make_family(engine, clock, retiree=world.retiree_a, openid="fam-x")
    make_family(engine, clock, retiree=world.retiree_a, openid="fam-y", can_submit_checkin=True)
    plain = wechat_headers(client, fake_wechat.base_url, "fam-x")
    agent = wechat_headers(client, fake_wechat.base_url, "fam-y")
    assert _add(client, plain, a, WAN).status_code == 403
    assert _add(client, agent, a, WAN).status_code == 201
    with Session(engine) as db:
        db.execute(update(Retiree).where(col(Retiree.id) == a).values(category="离休"))
        db.commit()
    refused = _add(client, agent, a, WAN)
    assert refused.status_code == 400 and "退休" in refused.json()["message"]
    put = client.put(
        "/api/v1/staff/medical/setting",
        json={"cover_other_categories": True},
        headers=staff_headers(client, "staff1"),
    )
    assert put.status_code == 200
    assert _add(client, agent, a, WAN).status_code == 201
    assert _add(client, agent, a, WAN, year=2020).status_code == 400


def test_rescue_certificate_quotes_article_23(client: httpx.Client, world: World) -> None:
    a = world.retiree_a.id
    got = client.get(
        f"/api/v1/staff/medical/retirees/{a}/rescue.pdf", headers=staff_headers(client, "staff1")
    )
    assert got.status_code == 200
    text = pdf_text(got.content)
    assert "先救治后补手续证明" in text and "第二十三条" in text
    assert world.retiree_a.name in text
    hidden = client.get(
        f"/api/v1/staff/medical/retirees/{a}/rescue.pdf", headers=staff_headers(client, "staff2")
    )
    assert hidden.status_code == 404


def test_console_prints_the_certificate_from_the_retiree_page(app_server, world: World) -> None:
    from tests.matters.conftest import console_as

    a = world.retiree_a.id
    with console_as(app_server.base_url, "staff1") as (client, _):
        page = client.get(f"/console/retirees/{a}")
        assert f"/console/medical/retirees/{a}/rescue.pdf" in page.text
        got = client.get(f"/console/medical/retirees/{a}/rescue.pdf")
        assert got.status_code == 200 and "第二十三条" in pdf_text(got.content)
    with console_as(app_server.base_url, "staff2") as (client, _):
        assert client.get(f"/console/medical/retirees/{a}/rescue.pdf").status_code == 404
