"""The monthly sheet: the staff member's subtree and a total, a Shanghai calendar month (the
current one up to now), "—" for domains not landed yet, files for the higher department
(audited), and a constant number of queries whatever the number of units."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import event
from sqlmodel import Session, col, select

from backend.accounts import units as units_service
from backend.accounts.enums import UnitKind
from backend.accounts.models import AuditLog, Unit
from backend.core.errors import BadRequest
from backend.reports import export, monthly, registry, views
from backend.reports.registry import Column, Section
from tests.factories import World, make_retiree, make_unit
from tests.pdf_text import pdf_text
from tests.reports import seed
from tests.reports.seed import INSIDE


def _unit(db: Session, unit: Unit) -> Unit:
    row = db.get(Unit, unit.id)
    assert row is not None
    return row


def _column(sheet, key: str) -> int:
    return [c.key for c in sheet.columns].index(key)


def test_rows_are_the_staff_members_subtree_plus_a_total(db: Session, world: World) -> None:
    station, a = world.station1.id or 0, world.retiree_a.id or 0
    seed.contact(db, retiree_id=a, unit_id=station, at=INSIDE)
    seed.contact(db, retiree_id=a, unit_id=world.unit1.id or 0, at=INSIDE)
    seed.contact(db, retiree_id=world.retiree_b.id or 0, unit_id=world.unit2.id or 0, at=INSIDE)
    db.commit()
    sheet = monthly.build(db, clock=_clock(), scope=_unit(db, world.unit1), month="2026-02")
    assert [r.unit_name for r in sheet.rows] == ["第一军休所", "和平里服务站"]
    assert [r.depth for r in sheet.rows] == [0, 1]
    contacts = _column(sheet, "contacts")
    assert [r.values[contacts] for r in sheet.rows] == [1, 1]
    assert sheet.total.values[contacts] == 2  # 第二军休所's contact is not in staff1's sheet
    rate = _column(sheet, "contact_rate")
    assert sheet.rows[1].values[rate] == 1.0  # 王建国 is the station's one retiree
    assert sheet.rows[0].values[rate] is None  # nobody on the roll: no rate, "—"
    assert sheet.period == "2026-02-01 至 2026-02-28"
    centre = monthly.build(db, clock=_clock(), scope=_unit(db, world.centre), month="2026-02")
    assert len(centre.rows) == 4 and centre.total.values[contacts] == 3


class _Clock:
    def __init__(self, now: datetime) -> None:
        self._now = now

    def now(self) -> datetime:
        return self._now


def _clock(now: datetime = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)) -> _Clock:
    return _Clock(now)


def test_the_current_month_counts_up_to_now(db: Session, world: World) -> None:
    station, a = world.station1.id or 0, world.retiree_a.id or 0
    now = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 2026-03-02 10:00 in Shanghai
    seed.contact(db, retiree_id=a, unit_id=station, at=now - timedelta(hours=1))
    seed.ride(db, retiree_id=a, unit_id=station, at=now + timedelta(days=3), status="completed")
    db.commit()
    sheet = monthly.build(db, clock=_clock(now), scope=_unit(db, world.unit1), month=None)
    assert sheet.month == "2026-03"
    assert sheet.period == "2026-03-01 至 2026-03-02"
    assert sheet.total.values[_column(sheet, "contacts")] == 1
    assert sheet.total.values[_column(sheet, "rides_completed")] == 0


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2026-13", monthly.BAD_MONTH),
        ("去年", monthly.BAD_MONTH),
        ("1999-12", monthly.BAD_MONTH),
        ("2026-04", monthly.FUTURE_MONTH),
    ],
)
def test_a_month_that_is_not_one_or_still_to_come_is_refused(
    db: Session, world: World, month: str, message: str
) -> None:
    with pytest.raises(BadRequest) as refused:
        monthly.build(db, clock=_clock(), scope=_unit(db, world.unit1), month=month)
    assert refused.value.message == message


def test_sections_not_landed_show_a_dash_until_registered(
    db: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every section has landed today; a placeholder stands for the next one that has not.
    monkeypatch.setattr(registry, "_SECTIONS", dict(registry._SECTIONS))
    registry.register(Section("cases", "信访", (Column("cases_opened", "新收信访"),)))
    sheet = monthly.build(db, clock=_clock(), scope=_unit(db, world.unit1), month="2026-02")
    pending = [c for c in sheet.columns if not c.ready]
    assert {c.section for c in pending} == {"cases"}
    header, body = views.table(sheet)
    index = header.index("新收信访")
    assert body[-1][index] == "—"

    def satisfaction(db, *, unit_ids, start, end):  # noqa: ARG001 - the one signature
        return {world.station1.id: {"satisfied": 9, "ratings": 10}}

    before = [s.key for s in registry.sections()]
    registry.register(
        Section(
            "satisfaction",
            "满意度",
            (
                Column("ratings", "评价人次"),
                Column("satisfaction_rate", "满意率", ("satisfied", "ratings"), True, 0.9),
            ),
            satisfaction,
        )
    )
    assert [s.key for s in registry.sections()] == before  # replaced where it stood
    sheet = monthly.build(db, clock=_clock(), scope=_unit(db, world.unit1), month="2026-02")
    header, body = views.table(sheet)
    assert body[-1][header.index("满意率")] == "90.0%"
    assert body[-1][header.index("评价人次")] == "10"
    chart = next(c for c in sheet.charts if "满意率" in c.title)
    assert chart.line == 0.9 and chart.values == [0.0, 0.9]


def test_the_sheet_costs_the_same_queries_for_3_units_and_15(
    db: Session, world: World, engine, clock, cipher
) -> None:
    statements: list[str] = []

    def count(_conn, _cursor, statement: str, *_rest: object) -> None:
        if not statement.startswith("BEGIN"):
            statements.append(statement)

    def measure() -> int:
        db.expire_all()
        scope = _unit(db, world.unit1)
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            monthly.build(db, clock=_clock(), scope=scope, month="2026-02")
        finally:
            event.remove(engine, "before_cursor_execute", count)
            db.rollback()  # SQLite has one writer: end the read before the factories write
        return len(statements)

    small = measure()
    for i in range(13):
        unit = make_unit(
            engine, clock, name=f"服务站{i}", kind=UnitKind.station, parent=world.unit1
        )
        retiree = make_retiree(engine, clock, cipher, unit=unit, name=f"老同志{i}")
        seed.contact(db, retiree_id=retiree.id or 0, unit_id=unit.id or 0, at=INSIDE)
        seed.visit(
            db,
            retiree_id=retiree.id or 0,
            unit_id=unit.id or 0,
            staff_id=world.staff1.id or 0,
            at=INSIDE,
        )
        seed.ride(db, retiree_id=retiree.id or 0, unit_id=unit.id or 0, at=INSIDE)
    db.commit()
    assert len(units_service.subtree(db, _unit(db, world.unit1))) == 15
    assert measure() == small


def _audits(db: Session) -> list[AuditLog]:
    return list(
        db.exec(
            select(AuditLog)
            .where(AuditLog.action == "report.monthly.export")
            .order_by(col(AuditLog.id))
        ).all()
    )


def test_xlsx_holds_the_table_and_the_export_is_audited(db: Session, world: World) -> None:
    station, a = world.station1.id or 0, world.retiree_a.id or 0
    seed.visit(db, retiree_id=a, unit_id=station, staff_id=world.staff1.id or 0, at=INSIDE)
    db.commit()
    staff = world.staff1
    name, data = export.xlsx(
        db, clock=_clock(), staff=staff, scope=_unit(db, world.unit1), month="2026-02"
    )
    db.commit()
    assert name == "月报-2026-02.xlsx"
    ws = load_workbook(io.BytesIO(data)).active
    assert ws is not None
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert rows[0][0] == "2026年2月军休服务情况统计表"
    header = rows[3]
    total = next(r for r in rows if r[0] == "合计")
    assert total[header.index("走访次数")] == 1  # a number the department can add up
    assert total[header.index("新收信访")] == 0  # 信访 has landed: a count, not "—"
    [entry] = _audits(db)
    assert entry.staff_id == staff.id and entry.entity_id == "2026-02"
    assert entry.unit_id == world.unit1.id and '"xlsx"' in (entry.after or "")


def test_pdf_prints_the_tables_and_charts_and_is_audited(db: Session, world: World) -> None:
    station, a = world.station1.id or 0, world.retiree_a.id or 0
    seed.contact(db, retiree_id=a, unit_id=station, at=INSIDE)
    db.commit()
    name, data = export.pdf(
        db, clock=_clock(), staff=world.admin, scope=_unit(db, world.centre), month="2026-02"
    )
    db.commit()
    assert name == "月报-2026-02.pdf"
    text = pdf_text(data)
    for words in ("2026年2月军休服务情况统计表", "和平里服务站", "第二军休所", "合计"):
        assert words in text
    assert "各单位联系覆盖率" in text  # a chart's title
    assert "上级主管部门" in text  # signature line
    [entry] = _audits(db)
    assert '"pdf"' in (entry.after or "")
