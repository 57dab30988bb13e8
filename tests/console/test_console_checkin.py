"""The check-in in the console, in real Chromium: open a campaign, review → return →
resubmit → approve, the dashboard counts, and the monthly contact page."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from playwright.sync_api import Page, expect

from backend.checkin import scheduled
from tests.checkin.conftest import FULL_ANSWERS
from tests.console.conftest import login
from tests.factories import PASSWORD, World, make_retiree, wechat_headers

pytestmark = pytest.mark.browser


@pytest.fixture
def ctx_app(app_server):
    return app_server.app.state.ctx


def _submit(
    client: httpx.Client, headers: dict[str, str], retiree_id: int, answers, rid: str
) -> None:
    response = client.post(
        "/api/v1/checkin/submit",
        json={"retiree_id": retiree_id, "answers": answers, "declaration": True, "request_id": rid},
        headers=headers,
    )
    assert response.status_code == 200, response.text


def test_review_return_resubmit_approve(
    page: Page, world: World, client: httpx.Client, fake_wechat, engine, clock, cipher
) -> None:
    make_retiree(engine, clock, cipher, unit=world.unit1, name="孙未交")
    login(page, "staff1", PASSWORD)
    page.click("text=年度登记")
    page.fill("#year", "2026")
    page.click("button:has-text('开启')")
    expect(page.locator(".notice.ok")).to_contain_text("已开启")
    expect(page.locator("#eligible")).to_have_text("2")

    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    _submit(
        client,
        retiree,
        world.retiree_a.id,
        {**FULL_ANSWERS, "same_address": False, "new_address": "和平里"},
        "req-first-01",
    )
    page.click("text=去审核")
    expect(page.locator("#queue tbody tr")).to_have_count(1)
    page.click("#queue a:has-text('审核')")
    expect(page.locator("tr[data-field=new_address]")).to_contain_text("和平里")
    expect(page.locator("tr[data-field=new_address]")).to_contain_text("（去年没有记录）")
    page.select_option("#reason_field", "new_address")
    page.fill("#reason_new_address", "请写到门牌号")
    page.click("button[value=return]")
    expect(page.locator(".notice.ok")).to_contain_text("已退回")
    expect(page.locator("#status")).to_have_text("退回需补正")

    state = client.get(f"/api/v1/checkin?retiree_id={world.retiree_a.id}", headers=retiree).json()
    assert state["return_reasons"] == {"new_address": "请写到门牌号"}
    _submit(
        client,
        retiree,
        world.retiree_a.id,
        {"new_address": "和平里北街1号3单元201"},
        "req-second-1",
    )

    page.reload()
    expect(page.locator("#status")).to_have_text("已提交待审核")
    expect(page.locator("tr[data-field=new_address]")).to_have_class("changed")
    expect(page.locator("tr[data-field=new_address] td").nth(1)).to_contain_text("改过")
    expect(page.locator("tr[data-field=phone] td").nth(1)).not_to_contain_text("改过")
    page.click("button[value=approve]")
    expect(page.locator(".notice.ok")).to_contain_text("已通过")
    expect(page.locator("#status")).to_have_text("已通过")
    inbox = client.get("/api/v1/inbox", headers=retiree).json()["data"]
    assert inbox[0]["title"] == "年度登记已通过"

    page.click("text=年度登记")
    page.click("text=看进度")
    expect(page.locator("#approved")).to_have_text("1")
    expect(page.locator("#units")).to_contain_text("50.0%")


def test_stale_review_tells_the_second_staff(
    page: Page, world: World, client, fake_wechat, browser
) -> None:
    staff = client.post(
        "/api/v1/staff/login", json={"username": "admin1", "password": PASSWORD}
    ).json()["token"]
    headers = {"Authorization": f"Bearer {staff}"}
    campaign = client.post(
        "/api/v1/staff/checkin/campaigns",
        json={"year": 2026, "unit_id": world.unit1.id},
        headers=headers,
    ).json()
    retiree = wechat_headers(client, fake_wechat.base_url, "openid-a")
    _submit(client, retiree, world.retiree_a.id, FULL_ANSWERS, "req-first-01")
    row = client.get(
        f"/api/v1/staff/checkin/campaigns/{campaign['id']}/submissions", headers=headers
    ).json()["data"][0]
    login(page, "staff1", PASSWORD)
    page.goto(f"/console/checkin/submissions/{row['id']}")
    # Meanwhile the admin approves it through the API.
    version = client.get(f"/api/v1/staff/checkin/submissions/{row['id']}", headers=headers).json()[
        "version"
    ]
    assert (
        client.post(
            f"/api/v1/staff/checkin/submissions/{row['id']}/approve",
            json={"version": version},
            headers=headers,
        ).status_code
        == 200
    )
    page.fill("#talk_note", "想当面谈谈")
    page.click("button[value=talk]")
    expect(page.locator(".notice.error")).to_contain_text("刚被别人处理过")


def test_contacts_page_logs_and_pauses(page: Page, world: World, engine, clock, cipher) -> None:
    make_retiree(engine, clock, cipher, unit=world.unit1, name="郑失联")
    clock.set(datetime(2026, 10, 5, 2, 0, tzinfo=UTC))
    login(page, "staff1", PASSWORD)
    page.click("text=每月联系")
    row = page.locator("#due tr", has_text="王建国")
    row.locator("select[name=channel]").select_option("电话")
    row.locator("button:has-text('记下')").click()
    expect(page.locator(".notice.ok")).to_contain_text("已记下")
    expect(page.locator("#due")).not_to_contain_text("王建国")
    lost = page.locator("#due tr", has_text="郑失联")
    expect(lost.locator(".badge.lost")).to_have_text("失联")
    page.on("dialog", lambda d: d.accept())
    lost.locator("button:has-text('暂停发放')").click()
    expect(page.locator(".notice.ok")).to_contain_text("已暂停")
    page.locator("#due tr", has_text="郑失联").locator("button:has-text('恢复发放')").click()
    expect(page.locator(".notice.ok")).to_contain_text("已恢复")


def test_overdue_alert_on_the_home_page(page: Page, world: World, client, ctx_app, clock) -> None:
    headers = {
        "Authorization": "Bearer "
        + client.post(
            "/api/v1/staff/login", json={"username": "staff1", "password": PASSWORD}
        ).json()["token"]
    }
    client.post(
        "/api/v1/staff/checkin/campaigns",
        json={"year": 2026, "closes_on": "2026-03-10"},
        headers=headers,
    )
    clock.set(datetime(2026, 3, 11, 2, 0, tzinfo=UTC))
    scheduled.send_reminders(ctx_app)
    login(page, "staff1", PASSWORD)
    expect(page.locator("#alerts")).to_contain_text("逾期未完成")
    page.click("#alerts >> text=去处理")
    expect(page.locator("#queue")).to_contain_text("王建国")


def test_in_person_record_picks_the_retiree_by_name(
    page: Page, world: World, client: httpx.Client, engine, clock, cipher
) -> None:
    from tests.checkin.conftest import open_campaign
    from tests.console.conftest import pick
    from tests.factories import staff_headers

    make_retiree(engine, clock, cipher, unit=world.unit1, name="孙未交")
    campaign = open_campaign(client, staff_headers(client, "staff1"))
    login(page, "staff1", PASSWORD)
    # From the queue's 代为登记 link the person is already chosen, shown by name.
    page.goto(f"/console/checkin/{campaign['id']}/record?retiree_id={world.retiree_a.id}")
    expect(page.locator("#retiree .chip")).to_contain_text("王建国")
    page.locator("#retiree .chip-remove").click()
    page.click("button:has-text('登记并通过')")
    expect(page.get_by_role("alert")).to_contain_text("请先在「老同志」一栏输入姓名")
    pick(page, "孙未", "孙未交")
    page.click("button:has-text('登记并通过')")
    expect(page.locator(".notice.ok")).to_contain_text("已登记并通过")
    expect(page.locator("main")).to_contain_text("孙未交")
