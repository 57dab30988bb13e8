"""The contract over HTTP: the family's 遗属 page after the death, the staff API (queue, detail,
a benefit moved back is a 409 in Chinese, the printable PDF, a document), and the console pages
(the queue, the checklist, its forms; another unit's checklist is not found)."""

from __future__ import annotations

from urllib.parse import unquote

import httpx
from sqlmodel import Session, col, select

from backend.accounts.models import AuditLog
from tests.bereavement.conftest import mark_deceased
from tests.console.test_console_forms import _console
from tests.factories import PASSWORD, TLS, World, staff_headers, wechat_headers
from tests.pdf_text import pdf_text

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _dead(engine, clock, world: World) -> int:
    from backend.domains import install_hooks

    install_hooks()
    with Session(engine) as db:
        return mark_deceased(db, clock, world.staff1, world.retiree_a.id)


def test_family_keep_their_binding_and_see_the_survivor_page(
    client: httpx.Client, world: World, engine, clock, fake_wechat
) -> None:
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    a = world.retiree_a.id
    before = client.get("/api/v1/bereavement", params={"retiree_id": a}, headers=family).json()
    assert (before["has_case"], before["next_step"]) == (False, "这里没有需要办理的事情。")
    _dead(engine, clock, world)
    page = client.get("/api/v1/bereavement", params={"retiree_id": a}, headers=family)
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["has_case"] and body["retiree_name"] == "王建国"
    assert [b["status"] for b in body["benefits"]] == ["正在申请"] * 3
    assert "慰问吊唁" in body["what_we_do"][0]
    other = wechat_headers(client, fake_wechat.base_url, "openid-fb")
    hidden = client.get("/api/v1/bereavement", params={"retiree_id": a}, headers=other)
    assert hidden.status_code == 404


def test_staff_api_checklist_forward_only_pdf_and_documents(
    client: httpx.Client, world: World, engine, clock
) -> None:
    case_id = _dead(engine, clock, world)
    staff1, staff2 = staff_headers(client, "staff1"), staff_headers(client, "staff2")
    base = "/api/v1/staff/bereavement"
    queue = client.get(f"{base}/funerals", headers=staff1).json()
    assert [r["id"] for r in queue["data"]] == [case_id]
    assert client.get(f"{base}/funerals", headers=staff2).json()["count"] == 0
    assert client.get(f"{base}/funerals/{case_id}", headers=staff2).status_code == 404
    detail = client.get(f"{base}/funerals/{case_id}", headers=staff1).json()
    grant = detail["benefits"][0]["id"]
    moved = client.put(
        f"{base}/benefits/{grant}", json={"status": "审核", "amount": "5000"}, headers=staff1
    )
    assert moved.status_code == 200, moved.text
    back = client.put(f"{base}/benefits/{grant}", json={"status": "申请"}, headers=staff1)
    assert back.status_code == 409
    assert back.json()["message"].startswith("这项待遇已经到了「审核」，不能退回「申请」")
    bad = client.put(
        f"{base}/benefits/{grant}", json={"status": "审核", "amount": "1.234"}, headers=staff1
    )
    assert bad.status_code == 422 and "两位小数" in bad.text
    pdf = client.get(f"{base}/funerals/{case_id}/obituary.pdf", headers=staff1)
    assert pdf.headers["content-type"] == "application/pdf"
    assert "王建国" in pdf_text(pdf.content)
    up = client.post(
        f"{base}/benefits/{grant}/documents",
        files={"file": ("证明.jpg", JPEG)},
        headers=staff1,
    )
    assert up.status_code == 201, up.text
    doc = up.json()["benefits"][0]["documents"][0]
    assert doc["title"] == "证明.jpg"
    got = client.get(f"{base}/documents/{doc['id']}", headers=staff1)
    assert (got.status_code, got.content) == (200, JPEG)
    assert client.get(f"{base}/documents/{doc['id']}", headers=staff2).status_code == 404
    wrong = client.post(
        f"{base}/benefits/{grant}/documents", files={"file": ("x.txt", b"hello")}, headers=staff1
    )
    assert wrong.status_code == 415 and "PDF" in wrong.json()["message"]


def test_console_queue_checklist_and_forms(app_server, world: World, engine, clock) -> None:
    case_id = _dead(engine, clock, world)
    with Session(engine) as db:
        from backend.bereavement import service

        tasks = service.tasks_of(db, [case_id])[case_id]
        benefits = service.benefits_of(db, [case_id])[case_id]
    with _console(app_server.base_url) as (console, csrf):
        queue = console.get("/console/funerals").text
        assert f'href="/console/funerals/{case_id}"' in queue and "办理中" in queue
        page = console.get(f"/console/funerals/{case_id}").text
        assert "慰问吊唁" in page and "享年" in page and "遗属生活补助" in page
        saved = console.post(
            f"/console/funerals/{case_id}/tasks/{tasks[0].id}",
            data={
                "csrf": csrf,
                "owner_staff_id": str(world.staff1.id),
                "due_on": "2026-03-04",
                "note": "",
                "done": "true",
            },
        )
        assert "已保存" in unquote(saved.headers["location"])
        money = console.post(
            f"/console/funerals/{case_id}/benefits/{benefits[0].id}",
            data={"csrf": csrf, "status": "已发放", "amount": "", "note": ""},
        )
        assert "请先填金额" in unquote(money.headers["location"])
        added = console.post(
            f"/console/funerals/{case_id}/survivors",
            data={
                "csrf": csrf,
                "name": "刘桂芳",
                "relation": "配偶",
                "phone": "13912345678",
                "address": "",
                "without_income": "true",
                "subsidy": "800",
                "status": "在册",
                "note": "",
                "form_token": "s1",
            },
        )
        assert "已登记遗属刘桂芳" in unquote(added.headers["location"])
        told = console.post(
            f"/console/funerals/{case_id}/family-notices",
            data={"csrf": csrf, "body": "告别仪式定在3月6日上午9点。", "form_token": "n1"},
        )
        assert "告诉1位家属" in unquote(told.headers["location"])
        page = console.get(f"/console/funerals/{case_id}").text
        assert "刘桂芳" in page and "13912345678" in page and "每月800.00元" in page
        assert "已办好" in page
        printed = console.get(f"/console/funerals/{case_id}/biography.pdf")
        assert "王建国同志生平" in pdf_text(printed.content)
    # Another unit's staff: the checklist is not found, and their posts change nothing.
    with httpx.Client(base_url=app_server.base_url, verify=TLS) as other:
        other.post("/console/login", data={"username": "staff2", "password": PASSWORD})
        assert other.get(f"/console/funerals/{case_id}").status_code == 404
    with Session(engine) as db:
        actions = db.exec(
            select(AuditLog.action)
            .where(col(AuditLog.entity) == "funeral_case")
            .order_by(col(AuditLog.id))
        ).all()
    assert actions == ["funeral.task", "survivor.add", "funeral.tell_family"]
