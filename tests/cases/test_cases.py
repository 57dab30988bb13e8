"""信访, one case one file: a complaint from the phone to a reply and a rating; 不满意 reopens it
with a new due date and the leaders hear; the 意见箱 keeps nothing that names the writer; staff
record phone calls and letters; working days per kind by unit; reminders before the due date
and escalation after it, once each; the file prints; the monthly sheet counts the cases."""

from __future__ import annotations

from datetime import date

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from backend.accounts.models import AuditLog
from backend.cases import service, stats
from backend.cases.models import Case, CaseEvent
from backend.core.clock import FrozenClock
from backend.core.db import transaction
from backend.notices.models import InboxItem, Notice, StaffAlert
from backend.satisfaction.models import SatisfactionRating
from tests.factories import World, staff_headers, wechat_headers
from tests.matters.conftest import shanghai
from tests.pdf_text import pdf_text

MINE = "/api/v1/cases"
STAFF = "/api/v1/staff/cases"


def _alerts(engine: Engine, case_id: int) -> list[str]:
    with Session(engine) as db:
        rows = db.exec(
            select(StaffAlert.dedupe_key).where(
                col(StaffAlert.dedupe_key).startswith(f"cases:{case_id}:")
            )
        ).all()
    return sorted(k for k in rows if k)


def test_a_complaint_from_writing_to_reply_rating_and_follow_up(
    client: httpx.Client, world: World, engine: Engine, clock: FrozenClock, fake_wechat
) -> None:
    clock.set(shanghai(2026, 3, 2, 10))  # a Monday
    me = wechat_headers(client, fake_wechat.base_url, "openid-a")
    a = world.retiree_a.id
    short = client.post(MINE, json={"retiree_id": a, "kind": "投诉", "body": "x"}, headers=me)
    assert short.status_code == 422 and "想说的话" in short.text
    made = client.post(
        MINE, json={"retiree_id": a, "kind": "投诉", "body": "送餐的饭菜总是凉的。"}, headers=me
    )
    assert made.status_code == 201, made.text
    case = made.json()
    assert case["number"] == f"信2026-{case['id']:04d}"
    assert case["due_on"] == "2026-03-19"  # 13 working days after Monday 2 March
    assert case["next_step"] == "工作人员会在3月19日前答复您。"
    early = client.post(
        f"{MINE}/{case['id']}/rating", params={"retiree_id": a}, json={"rating": "满意"}, headers=me
    )
    assert early.status_code == 409

    staff = staff_headers(client, "staff1")
    queue = client.get(STAFF, headers=staff).json()
    assert [c["number"] for c in queue["data"]] == [case["number"]]
    client.put(f"{STAFF}/{case['id']}/handler", json={"staff_id": world.staff1.id}, headers=staff)
    client.post(
        f"{STAFF}/{case['id']}/notes", json={"text": "问了食堂，保温箱坏了。"}, headers=staff
    )
    answered = client.post(
        f"{STAFF}/{case['id']}/reply",
        json={"text": "已换新的保温箱，明天起饭菜是热的。"},
        headers=staff,
    )
    assert answered.status_code == 200 and answered.json()["status"] == "replied"
    again = client.post(f"{STAFF}/{case['id']}/reply", json={"text": "再说一次"}, headers=staff)
    assert again.status_code == 409

    mine = client.get(f"{MINE}/{case['id']}", params={"retiree_id": a}, headers=me).json()
    assert mine["reply"] == "已换新的保温箱，明天起饭菜是热的。" and mine["can_rate"] is True
    # The person's view holds only the pages meant for them: not staff's own notes.
    assert [m["what"] for m in mine["messages"]] == ["收到", "答复"]
    with Session(engine) as db:
        told = db.exec(
            select(Notice.title)
            .join(InboxItem, col(InboxItem.notice_id) == Notice.id)
            .where(InboxItem.retiree_id == a)
        ).all()
    assert "您反映的事有答复了" in told

    clock.set(shanghai(2026, 3, 4, 10))
    unhappy = client.post(
        f"{MINE}/{case['id']}/rating",
        params={"retiree_id": a},
        json={"rating": "不满意", "comment": "还是凉的"},
        headers=me,
    ).json()
    assert unhappy["status"] == "open" and unhappy["due_on"] == "2026-03-23"
    assert unhappy["next_step"].startswith("重新办理中")
    # The leaders (the centre's admin) hear of it.
    with Session(engine) as db:
        leader = db.exec(
            select(StaffAlert).where(
                col(StaffAlert.dedupe_key).startswith(f"cases:{case['id']}:unsatisfied")
            )
        ).one()
    assert leader.unit_id == world.centre.id and "不满意" in leader.title
    staff = staff_headers(client, "staff1")  # a new day, a new staff session
    client.post(
        f"{STAFF}/{case['id']}/reply", json={"text": "已上门看过，换了送餐车。"}, headers=staff
    )
    happy = client.post(
        f"{MINE}/{case['id']}/rating",
        params={"retiree_id": a},
        json={"rating": "基本满意"},
        headers=me,
    ).json()
    assert happy["status"] == "closed" and happy["next_step"].startswith("这件事已办结")
    # The rating counts in the unit's satisfied rate: one row, the latest answer.
    with Session(engine) as db:
        counted = db.exec(
            select(SatisfactionRating).where(SatisfactionRating.source == "case")
        ).all()
    assert [(r.source_id, r.score) for r in counted] == [(case["id"], "基本满意")]

    file = client.get(f"{STAFF}/{case['id']}", headers=staff).json()
    assert [e["what"] for e in file["events"]] == [
        "收到",
        "交办",
        "记录",
        "答复",
        "评价",
        "再办理",
        "答复",
        "评价",
    ]
    printed = client.get(f"{STAFF}/{case['id']}/file.pdf", headers=staff)
    assert printed.headers["content-type"] == "application/pdf"
    text = pdf_text(printed.content)
    for words in (case["number"], "送餐的饭菜总是凉的", "保温箱坏了", "还是凉的", "基本满意"):
        assert words in text, words
    with Session(engine) as db:
        actions = set(db.exec(select(AuditLog.action).where(AuditLog.entity == "case")).all())
    assert {"case.assign", "case.note", "case.reply", "case.print"} <= actions


def test_the_suggestion_box_keeps_no_name(
    client: httpx.Client, world: World, engine: Engine, fake_wechat
) -> None:
    family = wechat_headers(client, fake_wechat.base_url, "openid-fa")
    sent = client.post(
        "/api/v1/suggestion-box", json={"body": "活动室的灯太暗了。"}, headers=family
    )
    assert sent.status_code == 201 and "不记名字" in sent.json()["message"]
    with Session(engine) as db:
        case = db.exec(select(Case)).one()
    assert case.retiree_id is None and case.submitted_by == "匿名" and case.channel == "意见箱"
    assert case.unit_id == world.retiree_a.unit_id
    # Not in anybody's own list.
    me = wechat_headers(client, fake_wechat.base_url, "openid-a")
    assert (
        client.get(MINE, params={"retiree_id": world.retiree_a.id}, headers=me).json()["count"] == 0
    )
    staff = staff_headers(client, "staff1")
    shown = client.get(f"{STAFF}/{case.id}", headers=staff).json()
    assert shown["retiree_name"] == "匿名"
    done = client.post(
        f"{STAFF}/{case.id}/reply", json={"text": "已换了灯。"}, headers=staff
    ).json()
    assert done["status"] == "closed"
    for _ in range(4):
        client.post("/api/v1/suggestion-box", json={"body": "还有一条意见。"}, headers=family)
    flood = client.post("/api/v1/suggestion-box", json={"body": "再一条。"}, headers=family)
    assert flood.status_code == 429


def test_staff_record_calls_and_letters_in_their_own_units(
    client: httpx.Client, world: World
) -> None:
    staff = staff_headers(client, "staff1")
    body = {
        "retiree_id": world.retiree_a.id,
        "kind": "求助",
        "channel": "意见箱",
        "body": "水管坏了",
    }
    assert client.post(STAFF, json=body, headers=staff).status_code == 422
    made = client.post(STAFF, json={**body, "channel": "电话"}, headers=staff)
    assert made.status_code == 201
    assert made.json()["submitted_by"] == "工作人员工作人员（电话）"
    assert made.json()["due_on"] == "2026-03-09"  # 求助: 5 working days
    other = staff_headers(client, "staff2")
    assert client.post(STAFF, json={**body, "channel": "来信"}, headers=other).status_code == 404
    assert client.get(f"{STAFF}/{made.json()['id']}", headers=other).status_code == 404


def test_working_days_per_kind_are_set_by_unit_and_inherited(
    client: httpx.Client, world: World, engine: Engine, clock: FrozenClock, fake_wechat
) -> None:
    admin = staff_headers(client, "admin1")
    refused = client.put(
        f"{STAFF}/settings",
        json={"question": 2, "request": 5, "complaint": 5, "suggestion": 10},
        headers=staff_headers(client, "staff1"),
    )
    assert refused.status_code == 403
    zero = client.put(
        f"{STAFF}/settings",
        json={"question": 0, "request": 5, "complaint": 5, "suggestion": 10},
        headers=admin,
    )
    assert zero.status_code == 422
    saved = client.put(
        f"{STAFF}/settings",
        json={"question": 2, "request": 5, "complaint": 5, "suggestion": 10},
        headers=admin,
    )
    assert saved.json()["complaint"] == 5
    # Unit 1 set nothing of its own: the centre's days apply.
    assert (
        client.get(f"{STAFF}/settings", headers=staff_headers(client, "staff1")).json()["complaint"]
        == 5
    )
    me = wechat_headers(client, fake_wechat.base_url, "openid-a")
    made = client.post(
        MINE, json={"retiree_id": world.retiree_a.id, "kind": "投诉", "body": "太吵了"}, headers=me
    ).json()
    assert made["due_on"] == "2026-03-09"


def test_reminders_before_the_due_date_and_escalation_after_once_each(
    client: httpx.Client, world: World, engine: Engine, clock: FrozenClock, fake_wechat
) -> None:
    clock.set(shanghai(2026, 3, 2, 10))
    me = wechat_headers(client, fake_wechat.base_url, "openid-a")
    case = client.post(
        MINE,
        json={"retiree_id": world.retiree_a.id, "kind": "咨询", "body": "体检几点开始？"},
        headers=me,
    ).json()
    assert case["due_on"] == "2026-03-05"

    def run() -> None:
        with transaction(engine) as db:
            service.remind(db, clock=clock)

    run()
    assert _alerts(engine, case["id"]) == [f"cases:{case['id']}:new"]
    clock.set(shanghai(2026, 3, 4, 9))  # one working day left
    run()
    run()
    clock.set(shanghai(2026, 3, 6, 9))  # past it
    run()
    run()
    keys = _alerts(engine, case["id"])
    assert keys == [
        f"cases:{case['id']}:late:2026-03-05:u{world.centre.id}",
        f"cases:{case['id']}:new",
        f"cases:{case['id']}:soon:2026-03-05",
    ]
    with Session(engine) as db:
        escalations = db.exec(
            select(CaseEvent).where(CaseEvent.case_id == case["id"], CaseEvent.what == "督办")
        ).all()
    assert len(escalations) == 1
    staff = staff_headers(client, "staff1")
    late = client.get(STAFF, params={"which": "late"}, headers=staff).json()
    assert [c["id"] for c in late["data"]] == [case["id"]] and late["data"][0]["late"] is True


def test_monthly_sheet_counts_opened_closed_and_late(
    client: httpx.Client, world: World, engine: Engine, clock: FrozenClock, fake_wechat
) -> None:
    clock.set(shanghai(2026, 3, 2, 10))
    me = wechat_headers(client, fake_wechat.base_url, "openid-a")
    staff = staff_headers(client, "staff1")
    ids = [
        client.post(
            MINE,
            json={"retiree_id": world.retiree_a.id, "kind": "咨询", "body": f"问题{i}"},
            headers=me,
        ).json()["id"]
        for i in range(3)
    ]
    client.post(f"{STAFF}/{ids[0]}/reply", json={"text": "好的"}, headers=staff)  # in time
    client.post(
        f"{MINE}/{ids[0]}/rating",
        params={"retiree_id": world.retiree_a.id},
        json={"rating": "满意"},
        headers=me,
    )
    clock.set(shanghai(2026, 3, 9, 10))
    staff = staff_headers(client, "staff1")  # a new day, a new staff session
    late = client.post(f"{STAFF}/{ids[1]}/reply", json={"text": "晚了"}, headers=staff)
    assert late.status_code == 200  # after its due date, 5 March
    with Session(engine) as db:
        figures = stats.sheet_figures(
            db,
            unit_ids=[world.retiree_a.unit_id],
            start=shanghai(2026, 3, 1, 0),
            end=shanghai(2026, 4, 1, 0),
        )
    assert figures[world.retiree_a.unit_id] == {
        "cases_opened": 3,
        "cases_closed": 1,
        "cases_late": 2,
    }
    monthly = client.get(
        "/api/v1/staff/reports/monthly", params={"month": "2026-03"}, headers=staff
    )
    assert monthly.status_code == 200
    assert "新收信访" in monthly.text


def test_a_handler_is_picked_from_the_units_own_staff(client: httpx.Client, world: World) -> None:
    staff = staff_headers(client, "staff1")
    made = client.post(
        STAFF,
        json={"retiree_id": world.retiree_a.id, "kind": "咨询", "channel": "来访", "body": "问事"},
        headers=staff,
    ).json()
    assert date.fromisoformat(made["due_on"]) == date(2026, 3, 5)
    other = client.put(
        f"{STAFF}/{made['id']}/handler", json={"staff_id": world.staff2.id}, headers=staff
    )
    assert other.status_code == 400 and "请从列表里选承办人" in other.json()["message"]
    ok = client.put(
        f"{STAFF}/{made['id']}/handler", json={"staff_id": world.staff1.id}, headers=staff
    )
    assert ok.json()["handler_name"] == "工作人员"


def test_a_case_reopened_after_not_satisfied_is_late_when_its_new_day_passes(
    client: httpx.Client, world: World, engine: Engine, clock: FrozenClock, fake_wechat
) -> None:
    clock.set(shanghai(2026, 3, 2, 10))
    me = wechat_headers(client, fake_wechat.base_url, "openid-a")
    a = world.retiree_a.id
    case = client.post(MINE, json={"retiree_id": a, "kind": "咨询", "body": "问一件事"}, headers=me)
    case_id = case.json()["id"]
    staff = staff_headers(client, "staff1")
    client.post(f"{STAFF}/{case_id}/reply", json={"text": "答复了"}, headers=staff)
    again = client.post(
        f"{MINE}/{case_id}/rating", params={"retiree_id": a}, json={"rating": "不满意"}, headers=me
    ).json()
    assert again["due_on"] == "2026-03-05" and again["status"] == "open"
    # Nobody answers the follow-up: its due day passes inside March.
    with Session(engine) as db:
        figures = stats.sheet_figures(
            db,
            unit_ids=[world.retiree_a.unit_id],
            start=shanghai(2026, 3, 1, 0),
            end=shanghai(2026, 3, 10, 0),
        )
    assert figures[world.retiree_a.unit_id]["cases_late"] == 1
