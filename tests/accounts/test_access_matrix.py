"""Every /api/v1 endpoint against every kind of caller.

A retiree sees only their own data, a family member only what the binding allows, staff only
their unit subtree; everything else is 404 (401 without a session of the right kind). Adding an
endpoint without a row here fails `test_matrix_covers_every_endpoint`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import select

from backend.accounts.models import RosterImport
from backend.activities import codes
from backend.activities.models import Activity, ActivitySession
from backend.bookings.models import Bookable, Booking
from backend.botchat.models import BotAnswerLog, BotQuestion
from backend.checkin.models import CheckinCampaign, CheckinSubmission
from backend.core.clock import SystemClock
from backend.core.db import transaction
from backend.notices import service as notices_service
from backend.notices.models import InboxItem, Notice
from tests import snapshot
from tests.factories import TLS, World, build_world, id_number_for, staff_headers, wechat_headers

# The matrix's tests keep the world between them (`Ready.again` restores it when needed) instead
# of the suite's emptying after every test; the module's fixture empties it when done.
pytestmark = pytest.mark.keeps_world


ACTORS = [
    "anon",
    "unbound",
    "retiree_a",
    "family_a",
    "retiree_b",
    "family_b",
    "staff1",
    "staff2",
    "admin",
]
WECHAT = {"unbound", "retiree_a", "family_a", "retiree_b", "family_b"}
STAFF = {"staff1", "staff2", "admin"}
OK = {200, 201, 204}


@dataclass
class Case:
    method: str
    path: str
    allowed: set[str]
    # Non-default outcomes for specific actors (e.g. family without a permission → 403)
    special: dict[str, int] = field(default_factory=dict)
    body: Callable[[World], Any] | None = None
    files: bool = False
    public: bool = False
    params: Callable[[World], dict[str, Any]] | None = None
    photo: bool = False
    # A body that needs the ids of seeded records (rides: request ids, vehicle, driver)
    seeded_body: Callable[[World, Any], Any] | None = None
    # A path id filled from another seeded record ({"matter_id": "signed_matter_id"}): one
    # route, a record in the state its allowed callers need
    ids: dict[str, str] = field(default_factory=dict)
    pdf: bool = False  # a PDF file as `file`


CHECKIN: dict[str, Any] = {
    "same_address": True,
    "phone": "13800138000",
    "party_life": True,
    "trips_abroad": [],
    "care_needs": [],
}
ACTIVITY: dict[str, Any] = {
    "category": "文体活动",
    "title": "书法课",
    "place": "活动室",
    "starts_at": "2026-04-01T09:00:00+08:00",
    "capacity": 10,
}
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
SECRET = "test-secret-key-test-secret-key-0123456789"  # tests/conftest.py settings


def _for_a(world: World) -> dict[str, Any]:
    return {"retiree_id": world.retiree_a.id}


def _retiree_body(world: World) -> dict[str, Any]:
    from datetime import date

    return {
        "name": "周永福",
        "gender": "男",
        "birth_date": "1940-01-01",
        "category": "退休",
        "level": "团级及以下",
        "unit_id": world.unit1.id,
        "id_number": id_number_for(date(1940, 1, 1)),
    }


def _staff_body(world: World) -> dict[str, Any]:
    return {
        "username": "matrix-new",
        "display_name": "新人",
        "password": "long-enough-1",
        "unit_id": world.unit1.id,
    }


# Staff who are not medical are refused the health record even inside their scope.
NOT_MEDICAL = {"admin": 403}
ENTRY = {"entry_id": "health_entry_id"}

CASES = [
    Case("POST", "/api/v1/auth/wechat", set(), public=True),
    Case("POST", "/api/v1/staff/login", set(), public=True),
    Case("POST", "/api/v1/auth/logout", WECHAT),
    Case("GET", "/api/v1/me", WECHAT),
    Case("POST", "/api/v1/bind/retiree", set(), public=True),
    Case("POST", "/api/v1/bind/family", set(), public=True),
    Case("GET", "/api/v1/retirees/{retiree_id}", {"retiree_a", "family_a"}),
    Case("GET", "/api/v1/retirees/{retiree_id}/family", {"retiree_a", "family_a"}),
    Case(
        "PUT",
        "/api/v1/retirees/{retiree_id}/family/{binding_id}/rights",
        {"retiree_a"},
        special={"family_a": 403},
        body=lambda w: {
            "can_receive_notices": True,
            "can_submit_checkin": False,
            "can_book": False,
            "can_see_health": True,
        },
    ),
    Case(
        "POST",
        "/api/v1/retirees/{retiree_id}/family-invites",
        {"retiree_a"},
        special={"family_a": 403},
        body=lambda w: {"relation": "子女"},
    ),
    Case("DELETE", "/api/v1/retirees/{retiree_id}/family/{binding_id}", {"retiree_a", "family_a"}),
    Case("POST", "/api/v1/staff/logout", STAFF),
    Case("GET", "/api/v1/staff/me", STAFF),
    Case("GET", "/api/v1/staff/units", STAFF),
    Case("GET", "/api/v1/staff/retirees", STAFF),
    Case(
        "POST",
        "/api/v1/staff/retirees",
        {"staff1", "admin"},
        special={"staff2": 400},
        body=_retiree_body,
    ),
    Case("GET", "/api/v1/staff/retirees/{retiree_id}", {"staff1", "admin"}),
    Case(
        "PATCH",
        "/api/v1/staff/retirees/{retiree_id}",
        {"staff1", "admin"},
        body=lambda w: {"phone": "13700000000"},
    ),
    Case(
        "POST",
        "/api/v1/staff/retirees/{retiree_id}/status",
        {"staff1", "admin"},
        body=lambda w: {"status": "暂停", "note": "住院"},
    ),
    # Retiree A is alive: the admin is told there is nothing to take back; other staff may not.
    Case(
        "POST",
        "/api/v1/staff/retirees/{retiree_id}/revoke-death",
        set(),
        special={"staff1": 403, "admin": 409},
        body=lambda w: {"reason": "登记错了"},
    ),
    Case("POST", "/api/v1/staff/retirees/{retiree_id}/binding-code", {"staff1", "admin"}),
    Case("DELETE", "/api/v1/staff/retirees/{retiree_id}/wechat", {"staff1", "admin"}),
    Case("GET", "/api/v1/staff/retirees/{retiree_id}/family", {"staff1", "admin"}),
    Case(
        "POST",
        "/api/v1/staff/retirees/{retiree_id}/family-invites",
        {"staff1", "admin"},
        body=lambda w: {"relation": "配偶"},
    ),
    Case("DELETE", "/api/v1/staff/retirees/{retiree_id}/family/{binding_id}", {"staff1", "admin"}),
    Case("GET", "/api/v1/staff/accounts", {"admin"}, special={"staff1": 403, "staff2": 403}),
    Case(
        "POST",
        "/api/v1/staff/accounts",
        {"admin"},
        special={"staff1": 403, "staff2": 403},
        body=_staff_body,
    ),
    Case(
        "PUT",
        "/api/v1/staff/accounts/{staff_id}/medical",
        {"admin"},
        special={"staff1": 403, "staff2": 403},
        ids={"staff_id": "staff1_id"},
        body=lambda w: {"is_medical": True},
    ),
    Case("GET", "/api/v1/staff/audit", {"admin"}, special={"staff1": 403, "staff2": 403}),
    Case("GET", "/api/v1/staff/roster-imports/sample.xlsx", STAFF),
    Case("POST", "/api/v1/staff/roster-imports", STAFF, files=True),
    Case("GET", "/api/v1/staff/roster-imports/{import_id}", {"staff1", "admin"}),
    Case("POST", "/api/v1/staff/roster-imports/{import_id}/confirm", {"staff1", "admin"}),
    Case("GET", "/api/v1/inbox", WECHAT),
    Case("GET", "/api/v1/inbox/{item_id}", {"retiree_a"}),
    Case("POST", "/api/v1/inbox/{item_id}/read", {"retiree_a"}),
    Case(
        "POST",
        "/api/v1/notices/subscriptions",
        WECHAT,
        body=lambda w: {"results": {"tmpl-notice-demo": "accept"}},
    ),
    Case("GET", "/api/v1/notices/preferences", WECHAT),
    Case(
        "PUT", "/api/v1/notices/preferences", WECHAT, body=lambda w: {"wechat_categories": ["通知"]}
    ),
    Case("POST", "/api/v1/staff/notices/preview", STAFF, body=lambda w: {"everyone": True}),
    Case("GET", "/api/v1/staff/notices", STAFF),
    Case(
        "POST",
        "/api/v1/staff/notices",
        STAFF,
        body=lambda w: {"title": "t", "body": "b", "audience": {"everyone": True}},
    ),
    Case("GET", "/api/v1/staff/notices/{notice_id}", {"staff1", "admin"}),
    Case(
        "PUT",
        "/api/v1/staff/notices/{notice_id}",
        {"staff1", "admin"},
        body=lambda w: {"title": "t2", "body": "b2", "audience": {"everyone": True}},
    ),
    Case("POST", "/api/v1/staff/notices/{notice_id}/send", {"staff1", "admin"}),
    Case("POST", "/api/v1/staff/notices/{notice_id}/withdraw", {"staff1", "admin"}),
    Case("GET", "/api/v1/staff/notices/{notice_id}/report", {"staff1", "admin"}),
    Case("GET", "/api/v1/staff/notices/{notice_id}/report.xlsx", {"staff1", "admin"}),
    Case("POST", "/api/v1/bot/ask", WECHAT, body=lambda w: {"question": "体检多久一次"}),
    Case("POST", "/api/v1/bot/handoff", WECHAT, body=lambda w: {"question": "想找人问问"}),
    Case("GET", "/api/v1/bot/questions", WECHAT),
    # Only the asker rates an answer the bot gave them (the seeded answer is retiree A's).
    Case(
        "POST",
        "/api/v1/bot/answers/{answer_id}/feedback",
        {"retiree_a"},
        body=lambda w: {"helpful": False},
    ),
    Case("GET", "/api/v1/staff/bot/questions", STAFF),
    Case("GET", "/api/v1/staff/bot/unhelpful", STAFF),
    Case(
        "POST",
        "/api/v1/staff/bot/questions/{question_id}/answer",
        {"staff1", "admin"},
        body=lambda w: {"answer": "您好，已电话联系您。"},
    ),
    Case("POST", "/api/v1/staff/bot/questions/{question_id}/dismiss", {"staff1", "admin"}),
    # Annual check-in: the seeded submission is retiree A's, already submitted.
    Case("GET", "/api/v1/checkin", {"retiree_a", "family_a"}, params=_for_a),
    Case(
        "PUT",
        "/api/v1/checkin/draft",
        set(),
        special={"retiree_a": 409, "family_a": 403},
        body=lambda w: {"retiree_id": w.retiree_a.id, "answers": {"phone": "13800138000"}},
    ),
    Case(
        "POST",
        "/api/v1/checkin/submit",
        {"retiree_a"},
        special={"family_a": 403},
        body=lambda w: {"retiree_id": w.retiree_a.id, "answers": CHECKIN, "declaration": True},
    ),
    Case(
        "POST",
        "/api/v1/checkin/photo",
        set(),
        special={"retiree_a": 409, "family_a": 403},
        params=_for_a,
        photo=True,
    ),
    Case("GET", "/api/v1/checkin/photo", {"retiree_a", "family_a"}, params=_for_a),
    Case("GET", "/api/v1/staff/checkin/campaigns", STAFF),
    Case("POST", "/api/v1/staff/checkin/campaigns", STAFF, body=lambda w: {"year": 2027}),
    Case(
        "PATCH",
        "/api/v1/staff/checkin/campaigns/{campaign_id}",
        {"staff1", "admin"},
        body=lambda w: {"closes_on": "2026-04-30"},
    ),
    Case("GET", "/api/v1/staff/checkin/campaigns/{campaign_id}/progress", {"staff1", "admin"}),
    Case("GET", "/api/v1/staff/checkin/campaigns/{campaign_id}/export.xlsx", {"staff1", "admin"}),
    Case("GET", "/api/v1/staff/checkin/campaigns/{campaign_id}/submissions", {"staff1", "admin"}),
    Case(
        "POST",
        "/api/v1/staff/checkin/campaigns/{campaign_id}/approve-unchanged",
        {"staff1", "admin"},
    ),
    Case(
        "POST",
        "/api/v1/staff/checkin/campaigns/{campaign_id}/records",
        {"staff1", "admin"},
        body=lambda w: {"retiree_id": w.retiree_a.id, "channel": "电话"},
    ),
    Case("GET", "/api/v1/staff/checkin/submissions/{submission_id}", {"staff1", "admin"}),
    Case("GET", "/api/v1/staff/checkin/submissions/{submission_id}/photo", {"staff1", "admin"}),
    Case(
        "POST",
        "/api/v1/staff/checkin/submissions/{submission_id}/approve",
        {"staff1", "admin"},
        body=lambda w: {"version": 1},
    ),
    Case(
        "POST",
        "/api/v1/staff/checkin/submissions/{submission_id}/return",
        {"staff1", "admin"},
        body=lambda w: {"version": 1, "reasons": {"general": "请补充"}},
    ),
    Case(
        "POST",
        "/api/v1/staff/checkin/submissions/{submission_id}/talk",
        {"staff1", "admin"},
        body=lambda w: {"version": 1, "note": "当面谈谈"},
    ),
    Case(
        "POST",
        "/api/v1/staff/contacts",
        {"staff1", "admin"},
        body=lambda w: {"retiree_id": w.retiree_a.id, "channel": "电话"},
    ),
    Case("GET", "/api/v1/staff/contacts/due", STAFF),
    # 报平安: retiree A (独居) has it on at 09:00 and a trip away next week; family A lacks 代办.
    Case("GET", "/api/v1/safecheck", {"retiree_a", "family_a"}, params=_for_a),
    Case(
        "POST",
        "/api/v1/safecheck/checkin",
        {"retiree_a"},
        special={"family_a": 403},
        body=lambda w: {"retiree_id": w.retiree_a.id},
    ),
    Case(
        "PUT",
        "/api/v1/safecheck/plan",
        {"retiree_a"},
        special={"family_a": 403},
        body=lambda w: {"retiree_id": w.retiree_a.id, "due_time": "08:30"},
    ),
    Case(
        "POST",
        "/api/v1/safecheck/pauses",
        {"retiree_a"},
        special={"family_a": 403},
        body=lambda w: {"retiree_id": w.retiree_a.id, "kind": "住院", "starts_on": "2026-03-02"},
    ),
    Case(
        "DELETE",
        "/api/v1/safecheck/pauses/{pause_id}",
        {"retiree_a"},
        special={"family_a": 403},
        params=_for_a,
    ),
    Case("GET", "/api/v1/staff/safecheck/today", STAFF),
    Case(
        "PUT",
        "/api/v1/staff/safecheck/{retiree_id}/plan",
        {"staff1", "admin"},
        body=lambda w: {"due_time": "08:00"},
    ),
    Case("POST", "/api/v1/staff/safecheck/{retiree_id}/confirm", {"staff1", "admin"}),
    Case(
        "POST",
        "/api/v1/staff/safecheck/{retiree_id}/pauses",
        {"staff1", "admin"},
        body=lambda w: {"kind": "外出", "starts_on": "2026-03-03", "ends_on": "2026-03-05"},
    ),
    Case("DELETE", "/api/v1/staff/safecheck/{retiree_id}/pauses/{pause_id}", {"staff1", "admin"}),
    Case("POST", "/api/v1/staff/retirees/{retiree_id}/pause-payments", {"staff1", "admin"}),
    # Satisfaction: a ride rating offered to retiree A, an open survey of 第一军休所 sent to all
    # there and a draft; family A lacks 预约 (ratings) and 代办 (surveys).
    Case("GET", "/api/v1/satisfaction/ratings/pending", {"retiree_a", "family_a"}, params=_for_a),
    Case(
        "GET",
        "/api/v1/satisfaction/ratings",
        {"retiree_a", "family_a"},
        params=lambda w: {"source": "ride", "source_id": 4242, "retiree_id": w.retiree_a.id},
    ),
    Case(
        "POST",
        "/api/v1/satisfaction/ratings",
        {"retiree_a"},
        special={"family_a": 403},
        body=lambda w: {
            "source": "ride",
            "source_id": 4242,
            "retiree_id": w.retiree_a.id,
            "score": "满意",
        },
    ),
    Case("GET", "/api/v1/satisfaction/surveys", {"retiree_a", "family_a"}, params=_for_a),
    Case(
        "GET", "/api/v1/satisfaction/surveys/{survey_id}", {"retiree_a", "family_a"}, params=_for_a
    ),
    Case(
        "POST",
        "/api/v1/satisfaction/surveys/{survey_id}/answers",
        {"retiree_a"},
        special={"family_a": 403},
        body=lambda w: {"retiree_id": w.retiree_a.id, "answers": [0]},
    ),
    Case(
        "GET",
        "/api/v1/staff/satisfaction/rates",
        STAFF,
        params=lambda w: {"start": "2026-03-01", "end": "2026-03-31"},
    ),
    Case(
        "GET",
        "/api/v1/staff/satisfaction/rates.pdf",
        STAFF,
        params=lambda w: {"start": "2026-03-01", "end": "2026-03-31"},
    ),
    Case("GET", "/api/v1/staff/satisfaction/surveys", STAFF),
    Case(
        "POST",
        "/api/v1/staff/satisfaction/surveys",
        STAFF,
        body=lambda w: {
            "title": "问卷",
            "questions": [{"kind": "文字", "text": "意见"}],
            "closes_at": "2026-03-20T18:00:00+08:00",
            "audience": {"everyone": True},
        },
    ),
    Case("GET", "/api/v1/staff/satisfaction/surveys/{survey_id}", {"staff1", "admin"}),
    Case("GET", "/api/v1/staff/satisfaction/surveys/{survey_id}/results.xlsx", {"staff1", "admin"}),
    Case("GET", "/api/v1/staff/satisfaction/surveys/{survey_id}/results.pdf", {"staff1", "admin"}),
    Case(
        "POST",
        "/api/v1/staff/satisfaction/surveys/{survey_id}/send",
        {"staff1", "admin"},
        ids={"survey_id": "draft_survey_id"},
    ),
    Case("POST", "/api/v1/staff/satisfaction/surveys/{survey_id}/close", {"staff1", "admin"}),
    # 事项报告: retiree A's (团级及以下); family A lacks 代办; nobody here heads 第一军休所.
    Case("GET", "/api/v1/matters", {"retiree_a", "family_a"}, params=_for_a),
    Case(
        "POST",
        "/api/v1/matters",
        {"retiree_a"},
        special={"family_a": 403},
        body=lambda w: {
            "retiree_id": w.retiree_a.id,
            "kind": "再婚",
            "spouse_name": "张兰",
            "on_date": "2026-02-01",
        },
    ),
    Case(
        "POST",
        "/api/v1/matters/{matter_id}/withdraw",
        {"retiree_a"},
        ids={"matter_id": "report_matter_id"},
        special={"family_a": 403},
        body=_for_a,
    ),
    Case(
        "POST",
        "/api/v1/matters/{matter_id}/return",
        {"retiree_a"},
        ids={"matter_id": "trip_matter_id"},
        special={"family_a": 403},
        body=lambda w: {"retiree_id": w.retiree_a.id, "returned_on": "2026-03-01"},
    ),
    Case(
        "POST",
        "/api/v1/matters/{matter_id}/quarterly",
        {"retiree_a"},
        ids={"matter_id": "trip_matter_id"},
        special={"family_a": 403},
        body=lambda w: {"retiree_id": w.retiree_a.id, "text": "一切都好"},
    ),
    Case("GET", "/api/v1/staff/matters", STAFF),
    Case("GET", "/api/v1/staff/matters/export.xlsx", STAFF),
    Case(
        "POST",
        "/api/v1/staff/matters",
        {"staff1", "admin"},
        special={"staff2": 404},
        body=lambda w: {"retiree_id": w.retiree_a.id, "kind": "出版/讲学", "title": "回忆录"},
    ),
    Case("GET", "/api/v1/staff/matters/{matter_id}", {"staff1", "admin"}),
    Case("GET", "/api/v1/staff/matters/{matter_id}/form.pdf", {"staff1", "admin"}),
    Case(
        "POST",
        "/api/v1/staff/matters/{matter_id}/sign",
        set(),
        special={"staff1": 403, "admin": 403},
        body=lambda w: {"agree": True},
    ),
    Case(
        "POST",
        "/api/v1/staff/matters/{matter_id}/decide",
        {"admin"},
        ids={"matter_id": "signed_matter_id"},
        special={"staff1": 403},
        body=lambda w: {"agree": True},
    ),
    Case(
        "POST",
        "/api/v1/staff/matters/{matter_id}/acknowledge",
        {"staff1", "admin"},
        ids={"matter_id": "report_matter_id"},
        body=lambda w: {},
    ),
    Case(
        "POST",
        "/api/v1/staff/matters/{matter_id}/return",
        {"staff1", "admin"},
        ids={"matter_id": "trip_matter_id"},
        body=lambda w: {"returned_on": "2026-03-01"},
    ),
    Case(
        "POST",
        "/api/v1/staff/matters/{matter_id}/quarterly",
        {"staff1", "admin"},
        ids={"matter_id": "trip_matter_id"},
        body=lambda w: {"text": "电话里说一切都好"},
    ),
    # 失联: the seeded open case is retiree A's (和平里服务站, reported to 第一军休所).
    Case("GET", "/api/v1/staff/lost-cases", STAFF),
    Case("GET", "/api/v1/staff/lost-cases/reports", STAFF),
    Case("GET", "/api/v1/staff/lost-cases/reports.xlsx", STAFF),
    Case("GET", "/api/v1/staff/lost-cases/{lost_case_id}", {"staff1", "admin"}),
    Case(
        "POST",
        "/api/v1/staff/lost-cases/{lost_case_id}/investigation",
        {"staff1", "admin"},
        body=lambda w: {"investigator_staff_id": w.staff1.id, "due_on": "2030-01-01"},
    ),
    Case(
        "POST",
        "/api/v1/staff/lost-cases/{lost_case_id}/notes",
        {"staff1", "admin"},
        body=lambda w: {"text": "上门没人"},
    ),
    Case(
        "POST",
        "/api/v1/staff/lost-cases/{lost_case_id}/pause-decision",
        {"staff1", "admin"},
        body=lambda w: {"decision": "不暂停", "reason": "正在核实"},
    ),
    Case(
        "POST",
        "/api/v1/staff/lost-cases/{lost_case_id}/close",
        {"staff1", "admin"},
        body=lambda w: {"how": "电话联系上", "restored_on": "2026-03-01"},
    ),
    # Activities: the seeded activity belongs to 第一军休所; retiree A has a confirmed place.
    Case("GET", "/api/v1/activities", {"retiree_a", "family_a"}, params=_for_a),
    Case("GET", "/api/v1/activities/{activity_id}", {"retiree_a", "family_a"}, params=_for_a),
    Case(
        "POST",
        "/api/v1/activities/{activity_id}/signup",
        set(),
        special={"retiree_a": 409, "family_a": 403},
        body=lambda w: {"retiree_id": w.retiree_a.id},
    ),
    Case("GET", "/api/v1/bookings", {"retiree_a", "family_a"}, params=_for_a),
    Case("POST", "/api/v1/bookings/{booking_id}/cancel", {"retiree_a"}, special={"family_a": 403}),
    Case(
        "POST",
        "/api/v1/bookings/{booking_id}/rating",
        set(),
        special={"retiree_a": 400, "family_a": 403},
        body=lambda w: {"rating": "满意"},
    ),
    Case("POST", "/api/v1/staff/activities", STAFF, body=lambda w: ACTIVITY),
    Case("GET", "/api/v1/staff/activities", STAFF),
    Case("GET", "/api/v1/staff/activities/{activity_id}/roster", {"staff1", "admin"}),
    Case("GET", "/api/v1/staff/activities/{activity_id}/roster.xlsx", {"staff1", "admin"}),
    Case(
        "PATCH",
        "/api/v1/staff/activities/{activity_id}/capacity",
        {"staff1", "admin"},
        body=lambda w: {"capacity": 5},
    ),
    Case(
        "POST",
        "/api/v1/staff/activities/{activity_id}/cancel",
        {"staff1", "admin"},
        body=lambda w: {"reason": "下雨"},
    ),
    Case(
        "POST",
        "/api/v1/staff/activities/{activity_id}/signups",
        set(),
        special={"staff1": 409, "admin": 409},
        body=lambda w: {"retiree_id": w.retiree_a.id, "channel": "电话"},
    ),
    Case(
        "POST",
        "/api/v1/staff/bookings/{booking_id}/attendance",
        {"staff1", "admin"},
        seeded_body=lambda w, s: {"attended": True, "session_id": s.session_id},
    ),
    # The seeded activity is a weekly class with one session, a photo and a sign-in code.
    Case(
        "GET",
        "/api/v1/staff/activities/{activity_id}/sessions/{session_id}/roster",
        {"staff1", "admin"},
    ),
    Case(
        "POST",
        "/api/v1/staff/activities/{activity_id}/scan",
        {"staff1", "admin"},
        seeded_body=lambda w, s: {
            "code": codes.code_for(SECRET, s.booking_id),
            "session_id": s.session_id,
        },
    ),
    Case("POST", "/api/v1/staff/activities/{activity_id}/photo", {"staff1", "admin"}, photo=True),
    Case("GET", "/api/v1/staff/activities/{activity_id}/photo", {"staff1", "admin"}),
    Case("GET", "/api/v1/activities/{activity_id}/photo", {"retiree_a", "family_a"}, params=_for_a),
    Case("GET", "/api/v1/bookings/{booking_id}/code", {"retiree_a", "family_a"}),
    Case(
        "POST",
        "/api/v1/staff/bookings/{booking_id}/cancel",
        {"staff1", "admin"},
        body=lambda w: {"reason": "身体不适"},
    ),
    Case(
        "POST",
        "/api/v1/staff/retirees/{retiree_id}/resume-payments",
        set(),
        special={"staff1": 400, "admin": 400},
    ),
]

# Rides: retiree A has a recurring ride whose first date is dispatched ({ride_id}, {series_id},
# on {trip_id}) and an open request; the fleet belongs to 第一军休所.
_RIDE: dict[str, Any] = {"destination_text": "北京医院", "pickup_at": "2026-03-12T09:00:00+08:00"}
CASES += [
    Case("GET", "/api/v1/rides/destinations", {"retiree_a", "family_a"}, params=_for_a),
    Case(
        "POST",
        "/api/v1/rides",
        {"retiree_a"},
        special={"family_a": 403},
        body=lambda w: {"retiree_id": w.retiree_a.id, **_RIDE},
    ),
    Case("GET", "/api/v1/rides", {"retiree_a", "family_a"}, params=_for_a),
    Case("POST", "/api/v1/rides/{ride_id}/cancel", {"retiree_a"}, special={"family_a": 403}),
    Case(
        "POST",
        "/api/v1/rides/series/{series_id}/cancel",
        {"retiree_a"},
        special={"family_a": 403},
    ),
    Case("GET", "/api/v1/staff/rides/vehicles", STAFF),
    Case(
        "POST", "/api/v1/staff/rides/vehicles", STAFF, body=lambda w: {"plate": "京B1", "seats": 4}
    ),
    Case(
        "PATCH",
        "/api/v1/staff/rides/vehicles/{vehicle_id}",
        {"staff1", "admin"},
        body=lambda w: {"description": "白色面包车"},
    ),
    Case("GET", "/api/v1/staff/rides/drivers", STAFF),
    Case(
        "POST",
        "/api/v1/staff/rides/drivers",
        STAFF,
        body=lambda w: {"name": "郑师傅", "phone": "13900000009"},
    ),
    Case(
        "PATCH",
        "/api/v1/staff/rides/drivers/{driver_id}",
        {"staff1", "admin"},
        body=lambda w: {"active": False},
    ),
    Case("GET", "/api/v1/staff/rides/destinations", STAFF),
    Case(
        "POST",
        "/api/v1/staff/rides/destinations",
        STAFF,
        body=lambda w: {"name": "积水潭医院", "address": "新街口东街31号"},
    ),
    Case(
        "PATCH",
        "/api/v1/staff/rides/destinations/{destination_id}",
        {"staff1", "admin"},
        body=lambda w: {"kind": "其他"},
    ),
    Case("GET", "/api/v1/staff/rides", STAFF),
    Case(
        "POST",
        "/api/v1/staff/rides",
        {"staff1", "admin"},
        special={"staff2": 404},
        body=lambda w: {"retiree_id": w.retiree_a.id, **_RIDE},
    ),
    Case("GET", "/api/v1/staff/rides/run-sheet", STAFF),
    Case(
        "POST",
        "/api/v1/staff/rides/dispatch",
        {"staff1", "admin"},
        seeded_body=lambda w, s: {
            "request_ids": [s.rides["open_ride_id"]],
            "vehicle_id": s.rides["spare_vehicle_id"],
            "driver_id": s.rides["spare_driver_id"],
        },
    ),
    Case(
        "POST",
        "/api/v1/staff/rides/trips/{trip_id}/requests",
        {"staff1", "admin"},
        seeded_body=lambda w, s: {"request_ids": [s.rides["open_ride_id"]]},
    ),
    # Completing is refused before the pickup time: past the access check, a 400.
    Case(
        "POST",
        "/api/v1/staff/rides/{ride_id}/complete",
        set(),
        special={"staff1": 400, "admin": 400},
    ),
    Case(
        "POST",
        "/api/v1/staff/rides/{ride_id}/cannot-arrange",
        {"staff1", "admin"},
        body=lambda w: {"reason": "车坏了"},
    ),
    Case(
        "POST",
        "/api/v1/staff/rides/{ride_id}/cancel",
        {"staff1", "admin"},
        body=lambda w: {"reason": "家人送"},
    ),
]

# Meals: retiree A has an order ({order_id}) on Tuesday's lunch ({menu_id}, {option_id}) and a
# standing dinner order ({standing_id}); Tuesday's dinner option is free to order.
_MEAL_KITCHEN = {"date": "2026-03-03", "meal": "午餐"}
_MENU: dict[str, Any] = {
    "date": "2026-03-05",
    "meal": "午餐",
    "options": [
        {"name": "A", "dishes": ["米饭"], "price": "10", "subsidised_price": "6", "portions": 5}
    ],
}
CASES += [
    Case("GET", "/api/v1/meals/menus", {"retiree_a", "family_a"}, params=_for_a),
    Case(
        "POST",
        "/api/v1/meals/orders",
        {"retiree_a"},
        special={"family_a": 403},
        seeded_body=lambda w, s: {
            "retiree_id": w.retiree_a.id,
            "option_id": s.meals["free_option_id"],
        },
    ),
    Case("GET", "/api/v1/meals/orders", {"retiree_a", "family_a"}, params=_for_a),
    Case(
        "POST", "/api/v1/meals/orders/{order_id}/cancel", {"retiree_a"}, special={"family_a": 403}
    ),
    Case("GET", "/api/v1/meals/standing-orders", {"retiree_a", "family_a"}, params=_for_a),
    Case(
        "POST",
        "/api/v1/meals/standing-orders",
        {"retiree_a"},
        special={"family_a": 403},
        body=lambda w: {"retiree_id": w.retiree_a.id, "meal": "午餐", "weekdays": [1, 2]},
    ),
    Case(
        "POST",
        "/api/v1/meals/standing-orders/{standing_id}/stop",
        {"retiree_a"},
        special={"family_a": 403},
    ),
    Case("POST", "/api/v1/staff/meals/menus", STAFF, body=lambda w: _MENU),
    Case("GET", "/api/v1/staff/meals/menus", STAFF),
    Case("GET", "/api/v1/staff/meals/menus/{menu_id}", {"staff1", "admin"}),
    Case(
        "PATCH",
        "/api/v1/staff/meals/menus/{menu_id}",
        {"staff1", "admin"},
        body=lambda w: {"note": "今天加汤", "reason": "加汤"},
    ),
    Case(
        "POST",
        "/api/v1/staff/meals/menus/{menu_id}/cancel",
        {"staff1", "admin"},
        body=lambda w: {"reason": "停水"},
    ),
    Case("GET", "/api/v1/staff/meals/menus/{menu_id}/orders", {"staff1", "admin"}),
    Case(
        "PATCH",
        "/api/v1/staff/meals/options/{option_id}",
        {"staff1", "admin"},
        body=lambda w: {"portions": 20},
    ),
    Case(
        "POST",
        "/api/v1/staff/meals/options/{option_id}/cancel",
        {"staff1", "admin"},
        body=lambda w: {"reason": "没买到鱼"},
    ),
    Case("GET", "/api/v1/staff/meals/kitchen", STAFF, params=lambda w: _MEAL_KITCHEN),
    Case("GET", "/api/v1/staff/meals/kitchen.xlsx", STAFF, params=lambda w: _MEAL_KITCHEN),
    Case("GET", "/api/v1/staff/meals/delivery", STAFF, params=lambda w: _MEAL_KITCHEN),
    Case(
        "POST",
        "/api/v1/staff/meals/orders",
        {"staff1", "admin"},
        seeded_body=lambda w, s: {
            "retiree_id": w.retiree_a.id,
            "option_id": s.meals["free_option_id"],
        },
    ),
    Case("POST", "/api/v1/staff/meals/orders/{order_id}/paid", {"staff1", "admin"}),
    Case(
        "POST",
        "/api/v1/staff/meals/orders/{order_id}/cancel",
        {"staff1", "admin"},
        body=lambda w: {"reason": "住院"},
    ),
]

# Emergency (sos): retiree A has one emergency contact and an acknowledged alert ({alert_id}).
_CONTACTS: dict[str, Any] = {
    "contacts": [{"name": "王小红", "relation": "女儿", "phone": "13900000001"}]
}
CASES += [
    Case("GET", "/api/v1/sos/contacts", {"retiree_a", "family_a"}, params=_for_a),
    Case(
        "PUT",
        "/api/v1/sos/contacts",
        {"retiree_a"},
        special={"family_a": 403},
        body=lambda w: {"retiree_id": w.retiree_a.id, **_CONTACTS},
    ),
    Case(
        "POST",
        "/api/v1/sos/alerts",
        {"retiree_a", "family_a"},
        body=lambda w: {"retiree_id": w.retiree_a.id},
    ),
    Case("GET", "/api/v1/sos/alerts/current", {"retiree_a", "family_a"}, params=_for_a),
    Case("GET", "/api/v1/staff/sos/alerts", STAFF),
    Case("GET", "/api/v1/staff/sos/alerts/{alert_id}", {"staff1", "admin"}),
    Case(
        "POST",
        "/api/v1/staff/sos/alerts/{alert_id}/acknowledge",
        set(),
        special={"staff1": 409, "admin": 409},
    ),
    Case(
        "POST",
        "/api/v1/staff/sos/alerts/{alert_id}/close",
        {"staff1", "admin"},
        body=lambda w: {"outcome": "联系上了"},
    ),
    Case("GET", "/api/v1/staff/sos/contacts/{retiree_id}", {"staff1", "admin"}),
    Case(
        "PUT",
        "/api/v1/staff/sos/contacts/{retiree_id}",
        {"staff1", "admin"},
        body=lambda w: _CONTACTS,
    ),
]


# Visits: retiree A is looked after by staff1 and has a visit ({visit_id}) with a follow-up
# ({follow_up_id}), an open 住院 task ({task_id}); 第一军休所 ({unit_id}, seeded by contact) has
# a 春节 campaign.
_VISIT: dict[str, Any] = {"kind": "上门", "visitors": "张干事", "met": "本人"}
CASES += [
    Case("GET", "/api/v1/visits/care", {"retiree_a", "family_a"}, params=_for_a),
    Case("POST", "/api/v1/visits/callback", {"retiree_a", "family_a"}, body=_for_a),
    Case(
        "POST",
        "/api/v1/visits/events",
        {"retiree_a", "family_a"},
        body=lambda w: {"retiree_id": w.retiree_a.id, "kind": "家庭变故"},
    ),
    Case("GET", "/api/v1/staff/visits/due", STAFF),
    Case(
        "POST",
        "/api/v1/staff/visits",
        {"staff1", "admin"},
        body=lambda w: {"retiree_id": w.retiree_a.id, **_VISIT},
    ),
    Case("GET", "/api/v1/staff/visits/retirees/{retiree_id}", {"staff1", "admin"}),
    Case(
        "POST",
        "/api/v1/staff/visits/{visit_id}/follow-ups",
        {"staff1", "admin"},
        body=lambda w: {"text": "送药", "owner_staff_id": w.staff1.id, "due_on": "2026-03-09"},
    ),
    Case("GET", "/api/v1/staff/visits/follow-ups", STAFF),
    Case("POST", "/api/v1/staff/visits/follow-ups/{follow_up_id}/close", {"staff1", "admin"}),
    Case(
        "POST",
        "/api/v1/staff/visits/assignments",
        {"staff1", "admin"},
        special={"staff2": 400},
        body=lambda w: {"retiree_ids": [w.retiree_a.id], "staff_id": w.staff1.id},
    ),
    Case("GET", "/api/v1/staff/visits/frequencies/{unit_id}", {"staff1", "admin"}),
    Case(
        "PUT",
        "/api/v1/staff/visits/frequencies/{unit_id}",
        {"staff1", "admin"},
        body=lambda w: {"flag": "空巢", "every_months": 2, "at_home": True},
    ),
    Case(
        "POST",
        "/api/v1/staff/visits/events",
        {"staff1", "admin"},
        body=lambda w: {"retiree_id": w.retiree_a.id, "kind": "住院"},
    ),
    Case("POST", "/api/v1/staff/visits/tasks/{task_id}/close", {"staff1", "admin"}),
    Case("GET", "/api/v1/staff/visits/campaigns", STAFF),
    Case(
        "POST",
        "/api/v1/staff/visits/campaigns",
        {"staff1", "admin"},
        special={"staff2": 400},
        body=lambda w: {
            "festival": "重阳",
            "unit_id": w.unit1.id,
            "starts_on": "2026-10-20",
            "ends_on": "2026-10-31",
        },
    ),
    Case("GET", "/api/v1/staff/visits/campaigns/{visit_campaign_id}", {"staff1", "admin"}),
    Case(
        "GET",
        "/api/v1/staff/visits/campaigns/{visit_campaign_id}/export.xlsx",
        {"staff1", "admin"},
    ),
]

# The monthly statistics sheet: any staff member, for their own subtree (no id to guess).
CASES += [
    Case("GET", "/api/v1/staff/reports/monthly", STAFF),
    Case("GET", "/api/v1/staff/reports/monthly.xlsx", STAFF),
    Case("GET", "/api/v1/staff/reports/monthly.pdf", STAFF),
]

# Contact (值班表): staff1 has a shift on Monday ({shift_id}) and 第一军休所 another number
# ({phone_id}); {unit_id} is 第一军休所.
_SHIFT: dict[str, Any] = {
    "day": "2026-03-04",
    "start": "08:00",
    "end": "12:00",
    "phone": "13900000008",
}
CASES += [
    Case("GET", "/api/v1/contact/call", {"retiree_a", "family_a"}, params=_for_a),
    Case("GET", "/api/v1/staff/contact/roster", STAFF),
    Case(
        "POST",
        "/api/v1/staff/contact/shifts",
        {"staff1", "admin"},
        special={"staff2": 400},  # staff1 is not a person staff2 may put on duty
        body=lambda w: {**_SHIFT, "staff_id": w.staff1.id},
    ),
    Case(
        "PUT",
        "/api/v1/staff/contact/shifts/{shift_id}",
        {"staff1", "admin"},
        body=lambda w: {**_SHIFT, "staff_id": w.staff1.id},
    ),
    Case("DELETE", "/api/v1/staff/contact/shifts/{shift_id}", {"staff1", "admin"}),
    Case("GET", "/api/v1/staff/contact/units/{unit_id}/phones", {"staff1", "admin"}),
    Case(
        "PUT",
        "/api/v1/staff/contact/units/{unit_id}/phone",
        {"staff1", "admin"},
        body=lambda w: {"phone": "0431-80000001"},
    ),
    Case(
        "POST",
        "/api/v1/staff/contact/units/{unit_id}/phones",
        {"staff1", "admin"},
        body=lambda w: {"label": "办公室", "phone": "0431-80000003"},
    ),
    Case("DELETE", "/api/v1/staff/contact/phones/{phone_id}", {"staff1", "admin"}),
]


def _api_routes(app: Any) -> set[tuple[str, str]]:
    """Every /api/v1 operation, read from the OpenAPI schema (FastAPI's route objects change
    shape between versions; the schema does not)."""
    found = set()
    for path, operations in app.openapi()["paths"].items():
        if path.startswith("/api/v1"):
            for method in operations:
                found.add((method.upper(), path))
    assert len(found) > 50, "the route walk found too few endpoints"
    return found


def test_matrix_covers_every_endpoint(app_server) -> None:
    listed = {(c.method, c.path) for c in CASES}
    missing = _api_routes(app_server.app) - listed
    assert not missing, f"endpoints without an access rule: {sorted(missing)}"


def _expected(case: Case, actor: str) -> int | set[int]:
    if actor in case.special:
        return case.special[actor]
    if actor in case.allowed:
        return OK
    if actor == "anon":
        return 401
    if case.path.startswith("/api/v1/staff"):
        return 401 if actor not in STAFF else 404
    return 401 if actor not in WECHAT else 404


# A session of the wrong kind (WeChat on a staff endpoint, staff on a WeChat one) is refused at the
# door by the same dependency whoever holds it: one holder of each kind stands for the others
# there. Past the door every actor is tried, and anonymous callers always.
DOOR_STAND_INS = {"retiree_a", "admin"}


def _at_the_door(case: Case, actor: str) -> bool:
    """The actor holds a session of the kind the endpoint does not take."""
    if actor in case.allowed or actor in case.special or actor == "anon":
        return False
    return (actor in STAFF) != case.path.startswith("/api/v1/staff")


def _denied_callers(case: Case) -> list[str]:
    return [
        a
        for a in ACTORS
        if a not in case.allowed and (not _at_the_door(case, a) or a in DOOR_STAND_INS)
    ]


def _headers(client: httpx.Client, fake_base: str, actor: str) -> dict[str, str]:
    if actor == "anon":
        return {}
    if actor in STAFF:
        return staff_headers(
            client, {"staff1": "staff1", "staff2": "staff2", "admin": "admin1"}[actor]
        )
    openid = {
        "unbound": "openid-unbound",
        "retiree_a": "openid-a",
        "family_a": "openid-fa",
        "retiree_b": "openid-b",
        "family_b": "openid-fb",
    }[actor]
    return wechat_headers(client, fake_base, openid)


# Bereavement: retiree A's side has a funeral checklist ({funeral_id}) with its tasks
# ({funeral_task_id}), a benefit ({benefit_id}) holding a document ({document_id}), and a
# survivor ({survivor_id}).
_SURVIVOR: dict[str, Any] = {"name": "刘桂芳", "relation": "配偶", "phone": "13912345678"}
CASES += [
    Case("GET", "/api/v1/bereavement", {"retiree_a", "family_a"}, params=_for_a),
    Case("GET", "/api/v1/staff/bereavement/funerals", STAFF),
    Case("GET", "/api/v1/staff/bereavement/funerals/{funeral_id}", {"staff1", "admin"}),
    Case(
        "PUT",
        "/api/v1/staff/bereavement/tasks/{funeral_task_id}",
        {"staff1", "admin"},
        body=lambda w: {"due_on": "2026-03-05", "done": True},
    ),
    Case(
        "PUT",
        "/api/v1/staff/bereavement/funerals/{funeral_id}/texts",
        {"staff1", "admin"},
        body=lambda w: {"obituary": "讣告", "biography": "生平"},
    ),
    Case(
        "GET", "/api/v1/staff/bereavement/funerals/{funeral_id}/obituary.pdf", {"staff1", "admin"}
    ),
    Case(
        "GET", "/api/v1/staff/bereavement/funerals/{funeral_id}/biography.pdf", {"staff1", "admin"}
    ),
    Case(
        "PUT",
        "/api/v1/staff/bereavement/benefits/{benefit_id}",
        {"staff1", "admin"},
        body=lambda w: {"status": "审核", "amount": "5000"},
    ),
    Case(
        "POST",
        "/api/v1/staff/bereavement/benefits/{benefit_id}/documents",
        {"staff1", "admin"},
        photo=True,
    ),
    Case("GET", "/api/v1/staff/bereavement/documents/{document_id}", {"staff1", "admin"}),
    Case(
        "POST",
        "/api/v1/staff/bereavement/funerals/{funeral_id}/survivors",
        {"staff1", "admin"},
        body=lambda w: _SURVIVOR,
    ),
    Case(
        "PUT",
        "/api/v1/staff/bereavement/survivors/{survivor_id}",
        {"staff1", "admin"},
        body=lambda w: {**_SURVIVOR, "without_income": True, "subsidy": "800"},
    ),
    Case(
        "POST",
        "/api/v1/staff/bereavement/funerals/{funeral_id}/family-notices",
        {"staff1", "admin"},
        body=lambda w: {"body": "告别仪式定在周五上午。"},
    ),
    # 医疗费补助: retiree A (退休) adds receipts; family A lacks 代办; one receipt still waits,
    # so approval is refused to the unit's staff.
    Case("GET", "/api/v1/medical/claims", {"retiree_a", "family_a"}, params=_for_a),
    Case(
        "POST",
        "/api/v1/medical/receipts",
        {"retiree_a"},
        special={"family_a": 403},
        params=lambda w: {
            "retiree_id": w.retiree_a.id,
            "year": 2026,
            "amount": 120000,
            "category": "门诊",
        },
        photo=True,
    ),
    Case("GET", "/api/v1/staff/medical/claims", STAFF),
    Case("GET", "/api/v1/staff/medical/claims/{claim_id}", {"staff1", "admin"}),
    Case(
        "POST",
        "/api/v1/staff/medical/receipts/{receipt_id}/check",
        {"staff1", "admin"},
        body=lambda w: {"accept": True},
    ),
    Case("GET", "/api/v1/staff/medical/receipts/{receipt_id}/photo", {"staff1", "admin"}),
    Case(
        "POST",
        "/api/v1/staff/medical/claims/{claim_id}/approve",
        set(),
        special={"staff1": 409, "admin": 409},
        body=lambda w: {"pay_on": "2026-04-10"},
    ),
    Case(
        "PUT",
        "/api/v1/staff/medical/setting",
        STAFF,
        body=lambda w: {"cover_other_categories": False},
    ),
    Case("GET", "/api/v1/staff/medical/summary", STAFF),
    Case("GET", "/api/v1/staff/medical/summary.xlsx", STAFF),
    Case(
        "GET",
        "/api/v1/staff/medical/retirees/{retiree_id}/rescue.pdf",
        {"staff1", "admin"},
    ),
    # 健康档案: the retiree, family with the 看健康档案 right (family A lacks it: 403), and the
    # unit's medical staff (staff 1 and 2 are medical, the admin is not: 403 even in scope).
    Case("GET", "/api/v1/health-record", {"retiree_a"}, special={"family_a": 403}, params=_for_a),
    Case(
        "GET",
        "/api/v1/health-record/entries/{entry_id}/report",
        {"retiree_a"},
        ids=ENTRY,
        special={"family_a": 403},
        params=_for_a,
    ),
    Case(
        "GET", "/api/v1/staff/health-record/retirees/{retiree_id}", {"staff1"}, special=NOT_MEDICAL
    ),
    Case(
        "POST",
        "/api/v1/staff/health-record/entries",
        {"staff1"},
        special={"admin": 403, "staff2": 404},
        body=lambda w: {
            "retiree_id": w.retiree_a.id,
            "kind": "住院",
            "happened_on": "2026-03-01",
            "place": "北京医院",
        },
    ),
    Case(
        "PUT",
        "/api/v1/staff/health-record/entries/{entry_id}",
        {"staff1"},
        ids=ENTRY,
        special=NOT_MEDICAL,
        body=lambda w: {"place": "解放军总医院", "summary": "血压偏高。"},
    ),
    Case(
        "POST",
        "/api/v1/staff/health-record/entries/{entry_id}/report",
        {"staff1"},
        ids=ENTRY,
        special=NOT_MEDICAL,
        pdf=True,
    ),
    Case(
        "GET",
        "/api/v1/staff/health-record/entries/{entry_id}/report",
        {"staff1"},
        ids=ENTRY,
        special=NOT_MEDICAL,
    ),
    Case("GET", "/api/v1/staff/health-record/checkups", {"staff1", "staff2"}, special=NOT_MEDICAL),
    Case(
        "GET",
        "/api/v1/staff/health-record/checkups/{activity_id}",
        {"staff1"},
        ids={"activity_id": "checkup_id"},
        special=NOT_MEDICAL,
    ),
    # 信访: retiree A's cases; bound family write and rate for him in their own name. The
    # 意见箱 takes anyone bound (unbound: 400, nobody to file it under).
    Case("GET", "/api/v1/cases", {"retiree_a", "family_a"}, params=_for_a),
    Case(
        "POST",
        "/api/v1/cases",
        {"retiree_a", "family_a"},
        body=lambda w: {"retiree_id": w.retiree_a.id, "kind": "咨询", "body": "体检几点开始？"},
    ),
    Case("GET", "/api/v1/cases/{case_id}", {"retiree_a", "family_a"}, params=_for_a),
    Case(
        "POST",
        "/api/v1/cases/{case_id}/rating",
        {"retiree_a", "family_a"},
        params=_for_a,
        body=lambda w: {"rating": "满意"},
    ),
    Case(
        "POST",
        "/api/v1/suggestion-box",
        {"retiree_a", "family_a", "retiree_b", "family_b"},
        special={"unbound": 400},
        body=lambda w: {"body": "活动室的灯太暗了。"},
    ),
    Case("GET", "/api/v1/staff/cases", STAFF),
    Case(
        "POST",
        "/api/v1/staff/cases",
        {"staff1", "admin"},
        body=lambda w: {
            "retiree_id": w.retiree_a.id,
            "kind": "求助",
            "channel": "电话",
            "body": "家里水管坏了。",
        },
    ),
    Case("GET", "/api/v1/staff/cases/settings", STAFF),
    Case(
        "PUT",
        "/api/v1/staff/cases/settings",
        {"admin"},
        special={"staff1": 403, "staff2": 403},
        body=lambda w: {"question": 3, "request": 5, "complaint": 10, "suggestion": 10},
    ),
    Case("GET", "/api/v1/staff/cases/{case_id}", {"staff1", "admin"}),
    Case(
        "PUT",
        "/api/v1/staff/cases/{case_id}/handler",
        {"staff1", "admin"},
        body=lambda w: {"staff_id": w.staff1.id},
    ),
    Case(
        "POST",
        "/api/v1/staff/cases/{case_id}/notes",
        {"staff1", "admin"},
        body=lambda w: {"text": "已电话联系。"},
    ),
    Case(
        "POST",
        "/api/v1/staff/cases/{case_id}/reply",
        {"staff1", "admin"},
        ids={"case_id": "open_case_id"},
        body=lambda w: {"text": "体检3月20日开始。"},
    ),
    Case("POST", "/api/v1/staff/cases/{case_id}/attachments", {"staff1", "admin"}, pdf=True),
    Case(
        "GET",
        "/api/v1/staff/cases/attachments/{event_id}",
        {"staff1", "admin"},
        ids={"event_id": "case_event_id"},
    ),
    Case("GET", "/api/v1/staff/cases/{case_id}/file.pdf", {"staff1", "admin"}),
]


@dataclass
class Seeded:
    import_id: int
    question_id: int
    notice_id: int
    item_id: int
    campaign_id: int
    submission_id: int
    activity_id: int
    booking_id: int
    session_id: int
    rides: dict[str, int] = field(default_factory=dict)
    meals: dict[str, int] = field(default_factory=dict)
    answer_id: int = 0
    safecheck: dict[str, int] = field(default_factory=dict)
    visits: dict[str, int] = field(default_factory=dict)
    sos: dict[str, int] = field(default_factory=dict)
    contact: dict[str, int] = field(default_factory=dict)
    lost_case_id: int = 0
    satisfaction: dict[str, int] = field(default_factory=dict)
    matters: dict[str, int] = field(default_factory=dict)
    bereavement: dict[str, int] = field(default_factory=dict)
    medical: dict[str, int] = field(default_factory=dict)
    health: dict[str, int] = field(default_factory=dict)
    cases: dict[str, int] = field(default_factory=dict)


def _seed_files(upload_dir: Path) -> None:
    """The photos the seeded submission and activity point at (a call may replace them)."""
    for folder in ("checkin", "activities", "funeral", "medical"):
        (upload_dir / folder).mkdir(parents=True, exist_ok=True)
        (upload_dir / folder / "matrix.jpg").write_bytes(JPEG)
    from tests.cases.matrix_seed import seed_files as seed_case_files
    from tests.health_record.matrix_seed import seed_files

    seed_files(upload_dir)
    seed_case_files(upload_dir)


def _seed(engine, world: World, upload_dir: Path) -> Seeded:
    """Records that belong to retiree A's side of the world."""
    _seed_files(upload_dir)
    with transaction(engine) as db:  # the inbox rows are written when this commits
        system = notices_service.notify(
            db,
            clock=SystemClock(),
            retiree_id=world.retiree_a.id,
            title="提醒",
            body="b",
            dedupe_key="matrix",
        )
        assert system is not None
    with transaction(engine) as db:
        row = RosterImport(
            staff_id=world.staff1.id,
            unit_id=world.unit1.id,
            filename="x.xlsx",
            status="ready",
            payload_enc=None,
            created_at=datetime.now(UTC),
        )
        question = BotQuestion(
            at=datetime.now(UTC),
            channel="miniprogram",
            wechat_user_id=world.retiree_a.wechat_user_id,
            unit_id=world.retiree_a.unit_id,
            retiree_id=world.retiree_a.id,
            question="护理费怎么申请",
            kind="abstained",
            check_state="passed",
        )
        answer = BotAnswerLog(
            at=datetime.now(UTC),
            wechat_user_id=world.retiree_a.wechat_user_id or 0,
            unit_id=world.retiree_a.unit_id,
            retiree_id=world.retiree_a.id,
            question="体检多久一次",
            answer="每年一次。",
        )
        db.add(row)
        db.add(question)
        db.add(answer)
        db.flush()
        draft = Notice(
            kind="announcement",
            unit_id=world.unit1.id,
            title="草稿",
            body="b",
            category="通知",
            audience='{"everyone": true}',
            created_at=datetime.now(UTC),
            updated_at=datetime.now(UTC),
        )
        db.add(draft)
        item = db.exec(
            select(InboxItem).where(
                InboxItem.notice_id == system.id, InboxItem.copy_binding_id == 0
            )
        ).one()
        now = datetime.now(UTC)
        campaign = CheckinCampaign(
            year=2026,
            unit_id=world.unit1.id,
            opens_on=date(2026, 1, 1),
            closes_on=date(2026, 3, 31),
            created_by_staff_id=world.staff1.id,
            created_at=now,
            updated_at=now,
        )
        db.add(campaign)
        db.flush()
        answers = json.dumps(CHECKIN, ensure_ascii=False, sort_keys=True)
        submission = CheckinSubmission(
            campaign_id=campaign.id,
            retiree_id=world.retiree_a.id,
            unit_id=world.retiree_a.unit_id,
            status="submitted",
            answers=answers,
            submitted_answers=answers,
            photo_path="checkin/matrix.jpg",
            submitted_at=now,
            created_at=now,
            updated_at=now,
        )
        db.add(submission)
        bookable = Bookable(
            kind="activity",
            unit_id=world.unit1.id,
            title="春游",
            capacity=10,
            confirmed_count=1,
            starts_at=datetime(2026, 3, 10, 1, 0, tzinfo=UTC),
            opens_at=datetime(2026, 1, 1, tzinfo=UTC),
            closes_at=datetime(2026, 3, 10, 1, 0, tzinfo=UTC),
            cancel_deadline=datetime(2026, 3, 9, 1, 0, tzinfo=UTC),
            created_at=now,
            updated_at=now,
        )
        db.add(bookable)
        db.flush()
        activity = Activity(
            bookable_id=bookable.id,
            category="文体活动",
            place="颐和园",
            photo_path="activities/matrix.jpg",
        )
        booking = Booking(
            bookable_id=bookable.id,
            retiree_id=world.retiree_a.id,
            unit_id=world.retiree_a.unit_id,
            status="confirmed",
            booked_by="self",
            created_at=now,
        )
        db.add(activity)
        db.add(booking)
        db.flush()
        # A session under way at the test clock's START (Monday 10:00), so a code scan is
        # inside its sign-in window.
        session = ActivitySession(
            activity_id=activity.id or 0,
            starts_at=datetime(2026, 3, 2, 1, 30, tzinfo=UTC),
            ends_at=datetime(2026, 3, 2, 3, 30, tzinfo=UTC),
        )
        db.add(session)
        db.flush()
        from tests.rides.matrix_seed import seed_rides

        rides = seed_rides(
            db, retiree_id=world.retiree_a.id, staff_id=world.staff1.id, unit_id=world.unit1.id
        )
        from tests.meals.matrix_seed import seed_meals

        meals = seed_meals(
            db, retiree_id=world.retiree_a.id, staff_id=world.staff1.id, unit_id=world.unit1.id
        )
        from tests.safecheck.matrix_seed import seed_safecheck

        safecheck = seed_safecheck(db, retiree_id=world.retiree_a.id)
        from tests.visits.matrix_seed import seed_visits

        visits = seed_visits(
            db, retiree_id=world.retiree_a.id, staff_id=world.staff1.id, unit_id=world.unit1.id
        )
        from tests.sos.matrix_seed import seed_sos

        sos = seed_sos(
            db, retiree_id=world.retiree_a.id, staff_id=world.staff1.id, unit_id=world.unit1.id
        )
        from tests.contact.matrix_seed import seed_contact

        contact = seed_contact(db, staff_id=world.staff1.id, unit_id=world.unit1.id)
        from tests.matters.matrix_seed import seed_matters

        matters = seed_matters(db, retiree_id=world.retiree_a.id)
        from tests.checkin.matrix_seed import seed_lost_case

        lost_case_id = seed_lost_case(
            db,
            retiree_id=world.retiree_a.id,
            unit_id=world.station1.id,
            report_unit_id=world.unit1.id,
        )
        from tests.satisfaction.matrix_seed import seed_satisfaction

        satisfaction = seed_satisfaction(
            db,
            retiree_id=world.retiree_a.id,
            staff_id=world.staff1.id,
            unit_id=world.unit1.id,
            station_id=world.station1.id,
        )

        from tests.bereavement.matrix_seed import seed_bereavement

        bereavement = seed_bereavement(
            db, retiree_id=world.retiree_a.id, unit_id=world.retiree_a.unit_id
        )
        from tests.medical.matrix_seed import seed_medical

        medical = seed_medical(db, retiree_id=world.retiree_a.id, unit_id=world.retiree_a.unit_id)
        from tests.health_record.matrix_seed import seed_health

        health = seed_health(db, retiree_id=world.retiree_a.id, unit_id=world.retiree_a.unit_id)
        from tests.cases.matrix_seed import seed_cases

        cases = seed_cases(db, retiree_id=world.retiree_a.id, unit_id=world.retiree_a.unit_id)
        return Seeded(
            medical=medical,
            health=health,
            cases=cases,
            satisfaction=satisfaction,
            bereavement=bereavement,
            lost_case_id=lost_case_id,
            matters=matters,
            contact=contact,
            import_id=row.id or 0,
            question_id=question.id or 0,
            notice_id=draft.id or 0,
            item_id=item.id or 0,
            campaign_id=campaign.id or 0,
            submission_id=submission.id or 0,
            activity_id=activity.id or 0,
            booking_id=booking.id or 0,
            session_id=session.id or 0,
            rides=rides,
            meals=meals,
            sos=sos,
            answer_id=answer.id or 0,
            safecheck=safecheck,
            visits=visits,
        )


def _call(
    client: httpx.Client, case: Case, world: World, seeded: Seeded, headers: dict
) -> httpx.Response:
    values: dict[str, Any] = dict(
        retiree_id=world.retiree_a.id,
        binding_id=world.family_a.id,
        staff1_id=world.staff1.id,
        import_id=seeded.import_id,
        question_id=seeded.question_id,
        answer_id=seeded.answer_id,
        notice_id=seeded.notice_id,
        item_id=seeded.item_id,
        campaign_id=seeded.campaign_id,
        submission_id=seeded.submission_id,
        activity_id=seeded.activity_id,
        booking_id=seeded.booking_id,
        session_id=seeded.session_id,
        lost_case_id=seeded.lost_case_id,
        **seeded.rides,
        **seeded.meals,
        **seeded.safecheck,
        **seeded.visits,
        **seeded.sos,
        **seeded.contact,
        **seeded.satisfaction,
        **seeded.matters,
        **seeded.bereavement,
        **seeded.medical,
        **seeded.health,
        **seeded.cases,
    )
    values.update({name: values[source] for name, source in case.ids.items()})
    path = case.path.format(**values)
    kwargs: dict[str, Any] = {"headers": headers}
    if case.params is not None:
        kwargs["params"] = case.params(world)
    if case.photo:
        kwargs["files"] = {"file": ("photo.jpg", JPEG)}
    if case.pdf:
        from tests.health_record.matrix_seed import PDF

        kwargs["files"] = {"file": ("report.pdf", PDF)}
    if case.body is not None:
        kwargs["json"] = case.body(world)
    if case.seeded_body is not None:
        kwargs["json"] = case.seeded_body(world, seeded)
    if case.files:
        from backend.accounts.roster import sample_workbook

        kwargs["files"] = {"file": ("roster.xlsx", sample_workbook(["第一军休所"]))}
    return client.request(case.method, path, **kwargs)


@dataclass
class Ready:
    """World, seed and every actor's session, built once per worker; `again()` puts all of it
    back (rows, sequences, photo files) on an emptied database, cache and fake WeChat, when a
    call since the last time could have changed it (`call` tracks that: any method but GET)."""

    world: World
    seeded: Seeded
    headers: dict[str, dict[str, str]]
    put_back: Callable[[], None]
    dirty: bool = True

    def again(self) -> None:
        if self.dirty:
            self.put_back()
            self.dirty = False

    def call(self, client: httpx.Client, case: Case, actor: str) -> httpx.Response:
        """The case as this actor. A GET changes nothing another actor's answer depends on
        (sliding expiry and read audits aside), so only other methods dirty the world."""
        if case.method != "GET":
            self.dirty = True
        return _call(client, case, self.world, self.seeded, self.headers[actor])


@pytest.fixture(scope="module")
def ready(app_server, fake_wechat, engine, cache, clock, cipher, settings) -> Iterator[Ready]:
    from tests.conftest import reset_state

    reset_state(engine, cache, clock, fake_wechat)
    world = build_world(engine, clock, cipher)
    seeded = _seed(engine, world, settings.upload_dir)
    with httpx.Client(verify=TLS, base_url=app_server.base_url, timeout=30) as client:
        headers = {actor: _headers(client, fake_wechat.base_url, actor) for actor in ACTORS}
    copy = snapshot.take(engine)

    def put_back() -> None:
        reset_state(engine, cache, clock, fake_wechat)
        snapshot.put_back(engine, copy)
        _seed_files(settings.upload_dir)

    yield Ready(world, seeded, headers, put_back)
    reset_state(engine, cache, clock, fake_wechat)
    snapshot.drop(engine, copy)


@pytest.mark.parametrize(
    "case", [c for c in CASES if not c.public], ids=lambda c: f"{c.method} {c.path}"
)
def test_access(case: Case, client: httpx.Client, ready: Ready) -> None:
    # Denied callers first, in one world: none of them may change anything.
    ready.again()
    for actor in _denied_callers(case):
        response = ready.call(client, case, actor)
        expected = _expected(case, actor)
        ok = (
            response.status_code in expected
            if isinstance(expected, set)
            else response.status_code == expected
        )
        assert ok, f"{actor}: {response.status_code} {response.text[:200]}"
        assert "message" in response.json() or response.status_code in OK
    # Each allowed caller in a fresh world, since a success may change it.
    for actor in case.allowed:
        ready.again()
        response = ready.call(client, case, actor)
        assert response.status_code in OK, f"{actor}: {response.status_code} {response.text[:300]}"


MISSING_ID = 2_000_000_000


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if not c.public and "{" in c.path],
    ids=lambda c: f"{c.method} {c.path}",
)
def test_someone_elses_record_looks_like_a_missing_one(
    case: Case, client: httpx.Client, ready: Ready
) -> None:
    """Someone else's id and an id that does not exist get the same answer: status, code and
    message, so a caller cannot learn that a record exists."""
    ready.again()
    missing = Case(**{**case.__dict__, "path": re.sub(r"\{[a-z_]+\}", str(MISSING_ID), case.path)})
    for actor in _denied_callers(case):
        if _expected(case, actor) != 404:
            continue
        theirs = ready.call(client, case, actor)
        nothing = ready.call(client, missing, actor)
        assert (theirs.status_code, theirs.json()) == (nothing.status_code, nothing.json()), (
            f"{actor}: someone else's {theirs.status_code} {theirs.text[:160]} / "
            f"missing {nothing.status_code} {nothing.text[:160]}"
        )
