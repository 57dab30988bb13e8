"""Console page for the working-day calendar (节假日安排): each year's national holidays and
调休 make-up days, which every deadline counted in working days reads (事项审批 10 个工作日).
Admins add, change and remove days through backend.workdays.service; every change audited."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from backend.console.auth import ConsoleAdmin
from backend.console.forms import attempt, outcome
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.clock import local_today
from backend.core.deps import ClockDep, SessionDep
from backend.core.inputs import Day, Line
from backend.workdays import service as workdays

router = page_router("/calendar")
HERE = "/console/calendar"


class DayForm(BaseModel):
    day: Day = Field(title="日期")
    working: bool = Field(default=False, title="这天上班")
    name: Annotated[Line, Field(max_length=30)] = Field(default="", title="名称")


class RemoveForm(BaseModel):
    day: Day = Field(title="日期")


@router.get("", response_class=HTMLResponse)
def calendar_page(
    request: Request, db: SessionDep, clock: ClockDep, _: ConsoleAdmin, year: int = 0
) -> HTMLResponse:
    this_year = local_today(clock).year
    year = year if 2000 <= year <= 2100 else this_year
    return page(
        request,
        "calendar.html",
        {
            "nav": "calendar",
            "year": year,
            "days": workdays.year_exceptions(db, year),
            "weekdays": "一二三四五六日",
        },
    )


def _back(day: date) -> str:
    return f"{HERE}?year={day.year}"


@router.post("")
def set_day(
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleAdmin,
    form: Annotated[DayForm, Form()],
) -> Response:
    row, error = attempt(
        db,
        lambda: workdays.set_day(
            db, clock=clock, staff=me, day=form.day, working=form.working, name=form.name
        ),
    )
    kind = "上班" if form.working else "放假"
    done = (
        f"已保存：{form.day.month}月{form.day.day}日{kind}。"
        if row
        else "这天和平常一样，已去掉特别安排。"
    )
    return outcome(_back(form.day), error, done)


@router.post("/remove")
def remove_day(
    db: SessionDep,
    clock: ClockDep,
    me: ConsoleAdmin,
    form: Annotated[RemoveForm, Form()],
) -> Response:
    _, error = attempt(db, lambda: workdays.remove_day(db, clock=clock, staff=me, day=form.day))
    return outcome(_back(form.day), error, f"已去掉{form.day.month}月{form.day.day}日的特别安排。")
