"""失联 cases (Jilin 第十五条): "对失联6个月（含）以上的军休干部，暂停发放其离退休费，积极调查摸清
有关情况，并报告上级退役军人工作部门".

A daily job opens a case for each retiree six whole calendar months (Shanghai dates) after the
last contact — one open case per retiree, however often it runs. The case carries the
investigation (who, by when, what was found), the pause decision, and is reported to the parent
unit, whose staff see the cases of their subtree. Recording a contact closes nothing; the case
page shows it and offers closing (lost_actions.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, and_, col, func, or_, select

from backend.accounts import audit, directory
from backend.accounts.models import Unit
from backend.accounts.scope import unit_in
from backend.checkin import contacts
from backend.checkin.lost_schemas import LostCaseRow, LostCasesPage
from backend.checkin.models import LostContactCase, LostContactEvent
from backend.core.clock import Clock, local_today, to_local
from backend.notices import alerts

INVESTIGATE_DAYS = 15  # the default time to find out what happened
PAUSE_LABELS = {None: "待决定", "paused": "已暂停发放", "not_paused": "不暂停"}
STATUS_LABELS = {"open": "处理中", "closed": "已结案"}


def event(
    db: Session, *, clock: Clock, case: LostContactCase, kind: str, text: str, staff_id: int | None
) -> None:
    db.add(
        LostContactEvent(
            case_id=case.id or 0, at=clock.now(), kind=kind, text=text, staff_id=staff_id
        )
    )


def open_due(db: Session, *, clock: Clock, root: Unit) -> list[LostContactCase]:
    """Open a case for everyone in `root`'s subtree who is 失联 today and has none open."""
    ids = directory.ids_under(root, statuses=contacts.DUE_STATUSES)
    people = directory.people_under(db, root, statuses=contacts.DUE_STATUSES)
    last = contacts.last_contacts(db, ids)
    restored = contacts.restored_dates(db, ids)
    already = contacts.open_case_ids(db, ids)
    now = clock.now()
    due = []
    for person in people:
        if person.id in already:
            continue
        latest = last.get(person.id)
        heard = contacts.last_heard(
            person.created_at, latest[0] if latest else None, restored.get(person.id)
        )
        if contacts.is_lost(heard, now):
            due.append((person, heard))
    parents = {u.id: u.parent_id for u in directory.units(db, {p.unit_id for p, _ in due}).values()}
    opened = []
    for person, heard in due:
        case = _open(
            db,
            clock=clock,
            person=person,
            heard=heard,
            report_unit_id=parents.get(person.unit_id),
        )
        if case is not None:
            opened.append(case)
    return opened


def _open(
    db: Session,
    *,
    clock: Clock,
    person: directory.Person,
    heard: datetime,
    report_unit_id: int | None,
) -> LostContactCase | None:
    now = clock.now()
    today = local_today(clock)
    case = LostContactCase(
        retiree_id=person.id,
        unit_id=person.unit_id,
        report_unit_id=report_unit_id,
        open_retiree_id=person.id,
        last_contact_at=heard,
        lost_on=contacts.add_months(to_local(heard).date(), contacts.LOST_AFTER_MONTHS),
        opened_at=now,
        investigation_due=today + timedelta(days=INVESTIGATE_DAYS),
    )
    try:
        with db.begin_nested():  # another worker opened it a moment ago: leave theirs
            db.add(case)
            db.flush()
    except IntegrityError:
        return None
    last_day = f"{to_local(heard):%Y年%m月%d日}"
    event(
        db,
        clock=clock,
        case=case,
        kind="opened",
        text=f"从{last_day}起满6个月没有联系上，自动立案，并报告上级单位。",
        staff_id=None,
    )
    audit.record(
        db,
        clock=clock,
        staff=None,
        action="lost_case.open",
        entity="lost_case",
        entity_id=case.id,
        unit_id=person.unit_id,
        after={"retiree_id": person.id, "last_contact_at": heard, "lost_on": case.lost_on},
    )
    alerts.alert_staff(
        db,
        clock=clock,
        unit_id=person.unit_id,
        title=f"失联：{person.name}已6个月没有联系上",
        body=f"{person.name}（{person.unit_name}）{last_day}以后一直没有联系上，已满6个月。"
        "按规定要调查清楚、决定是否暂停发放，并报告上级。请打开失联记录，定下调查人。",
        dedupe_key=f"lost:{case.id}:opened",
        link=f"/console/lost/{case.id}",
    )
    return case


def list_cases(
    db: Session,
    *,
    clock: Clock,
    scope: Unit,
    status: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> LostCasesPage:
    """The cases of the scope's subtree: open ones first, the longest lost first."""
    where: list[ColumnElement[bool]] = [unit_in(LostContactCase.unit_id, scope)]
    if status in STATUS_LABELS:
        where.append(col(LostContactCase.status) == status)
    return _page(db, clock=clock, where=where, limit=limit, offset=offset)


def reports(
    db: Session, *, clock: Clock, scope: Unit, limit: int = 100, offset: int = 0
) -> LostCasesPage:
    """The report rows the scope's units received from the units below them (a top unit also
    has its own cases here: it reports them to the 退役军人工作部门 outside the system)."""
    where: list[ColumnElement[bool]] = [
        or_(
            unit_in(LostContactCase.report_unit_id, scope),
            and_(
                col(LostContactCase.report_unit_id).is_(None),
                col(LostContactCase.unit_id) == scope.id,
            ),
        )
    ]
    return _page(db, clock=clock, where=where, limit=limit, offset=offset)


def _page(
    db: Session, *, clock: Clock, where: Sequence[ColumnElement[bool]], limit: int, offset: int
) -> LostCasesPage:
    count = db.exec(select(func.count()).select_from(LostContactCase).where(*where)).one()
    cases = db.exec(
        select(LostContactCase)
        .where(*where)
        .order_by(
            col(LostContactCase.status).desc(),  # "open" before "closed"
            col(LostContactCase.lost_on),
            col(LostContactCase.id),
        )
        .limit(limit)
        .offset(offset)
    ).all()
    return LostCasesPage(data=rows(db, clock=clock, cases=list(cases)), count=count)


def rows(db: Session, *, clock: Clock, cases: list[LostContactCase]) -> list[LostCaseRow]:
    """Cases as both doors show them: a constant number of queries for a page."""
    ids = [c.retiree_id for c in cases]
    people = directory.people(db, ids)
    last = contacts.last_contacts(db, ids)
    names = directory.unit_names(
        db, {c.report_unit_id for c in cases if c.report_unit_id} | {c.unit_id for c in cases}
    )
    staff_names = directory.staff_names(db, {c.investigator_staff_id for c in cases})
    today = local_today(clock)
    out = []
    for case in cases:
        person = people.get(case.retiree_id)
        latest = last.get(case.retiree_id)
        heard = max(
            [case.last_contact_at]
            + ([latest[0]] if latest else [])
            + (
                [contacts.last_heard(case.last_contact_at, None, case.restored_on)]
                if case.restored_on
                else []
            )
        )
        out.append(
            LostCaseRow(
                id=case.id or 0,
                retiree_id=case.retiree_id,
                retiree_name=person.name if person else "",
                unit_name=names.get(case.unit_id, ""),
                status=STATUS_LABELS[case.status],
                last_contact_at=heard,
                days_since_contact=max(0, (today - to_local(heard).date()).days),
                lost_on=case.lost_on,
                investigator=staff_names.get(case.investigator_staff_id or 0),
                investigation_due=case.investigation_due,
                investigation_overdue=case.status == "open" and today > case.investigation_due,
                pause_decision=PAUSE_LABELS.get(case.pause_decision, "待决定"),
                restored_how=case.restored_how,
                restored_on=case.restored_on,
                report_unit_name=names.get(case.report_unit_id or 0, "上级退役军人工作部门"),
            )
        )
    return out


def report_xlsx(db: Session, *, clock: Clock, scope: Unit) -> bytes:
    from backend.core.xlsx import Book

    page = reports(db, clock=clock, scope=scope, limit=10_000)
    book = Book("失联情况报告")
    sheet = book.first
    head = sheet.append(
        [
            "姓名",
            "所在单位",
            "最后联系",
            "满6个月",
            "已失联天数",
            "调查人",
            "查清期限",
            "是否暂停发放",
            "状态",
            "怎么联系上的",
            "联系上的日期",
        ]
    )
    for column in range(1, 12):
        sheet.bold(head, column)
    for r in page.data:
        sheet.append(
            [
                r.retiree_name,
                r.unit_name,
                f"{to_local(r.last_contact_at):%Y-%m-%d}",
                r.lost_on.isoformat(),
                r.days_since_contact,
                r.investigator or "未定",
                r.investigation_due.isoformat(),
                r.pause_decision,
                r.status,
                r.restored_how or "",
                r.restored_on.isoformat() if r.restored_on else "",
            ]
        )
    sheet.widths([10, 16, 12, 12, 10, 10, 12, 12, 8, 12, 12])
    return book.to_bytes()
