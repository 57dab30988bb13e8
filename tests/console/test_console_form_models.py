"""The console's bigger forms (publish an activity, publish a menu) read through form models:
repeated checkboxes and numbered option rows arrive whole, and what the domain's schema refuses
is said in Chinese on the re-rendered form with what was typed kept. Filters in a page's address
that cannot be read are no filter, never an error page."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import unquote

import httpx
import pytest

from backend.checkin.schemas import clean_return_reasons
from backend.console.pages_checkin import ReviewForm
from backend.core.clock import Clock, local_today
from tests.activities.conftest import create_activity
from tests.console.test_console_forms import _console
from tests.factories import World, staff_headers


def _activity(world: World, **extra: str | list[str]) -> dict[str, str | list[str]]:
    return {
        "category": "老年大学",
        "title": "书法班",
        "place": "活动室",
        "unit_id": str(world.unit1.id),
        "starts_at": "2026-03-10T09:00",
        "capacity": "20",
        **extra,
    }


def test_activity_publish_reads_its_checkboxes_and_says_what_is_wrong(
    app_server, client: httpx.Client, world: World
) -> None:
    with _console(app_server.base_url) as (console, csrf):
        weekly = _activity(
            world,
            weekdays=["2", "4"],
            weekly_until="2026-04-30",
            categories=["离休", "退休"],
            min_age="70",
        )
        done = console.post("/console/activities", data={"csrf": csrf, **weekly})
        assert done.status_code == 303, done.text
        assert "已发布" in unquote(done.headers["location"])
        shown = console.get(done.headers["location"])
        assert "每周二、四" in shown.text
        assert "70岁以上" in shown.text

        no_end = console.post(
            "/console/activities", data={"csrf": csrf, **_activity(world, weekdays="1")}
        )
        assert no_end.status_code == 422
        assert "每周上课请填写学期结束日期" in no_end.text
        assert 'value="书法班"' in no_end.text  # what was typed is kept

        for box, value, said in (
            ("capacity", "很多", "名额请填数字"),
            ("min_age", "七十", "最低年龄请填数字"),
            ("starts_at", "明天上午", "开始时间格式不对"),
        ):
            refused = console.post(
                "/console/activities", data={"csrf": csrf, **_activity(world, **{box: value})}
            )
            assert refused.status_code == 422, box
            assert said in refused.text, refused.text


def test_menu_publish_gathers_the_numbered_rows(app_server, world: World, clock: Clock) -> None:
    day = (local_today(clock) + timedelta(days=2)).isoformat()
    menu = {"date": day, "meal": "午餐", "unit_id": str(world.unit1.id)}
    rows = {
        "name_1": "套餐A",
        "dishes_1": "清蒸鱼、炒青菜",
        "tags_1": ["低盐", "软烂"],
        "price_1": "１５",  # full-width digits, as a Chinese input method may type them
        "subsidised_1": "8",
        "portions_1": "30",
        "name_2": "套餐B",
        "dishes_2": "素三鲜 米饭",
        "tags_2": "素食",
        "price_2": "12",
        "portions_2": "20",
    }
    with _console(app_server.base_url) as (console, csrf):
        no_price = console.post(
            "/console/meals", data={"csrf": csrf, **menu, **rows, "price_2": "十二"}
        )
        assert no_price.status_code == 422
        assert "“套餐B”的价格请填数字" in no_price.text
        assert 'value="素三鲜 米饭"' in no_price.text

        no_rows = console.post("/console/meals", data={"csrf": csrf, **menu})
        assert no_rows.status_code == 422
        assert "请至少填一个套餐" in no_rows.text

        bad_portions = console.post(
            "/console/meals", data={"csrf": csrf, **menu, **rows, "portions_1": "许多"}
        )
        assert bad_portions.status_code == 422
        assert "份数请填数字" in bad_portions.text

        done = console.post("/console/meals", data={"csrf": csrf, **menu, **rows})
        assert done.status_code == 303, done.text
        shown = console.get(done.headers["location"]).text
        for text in ("套餐A", "套餐B", "低盐", "软烂", "素食", "素三鲜"):
            assert text in shown, text


def test_unreadable_filters_are_no_filter(app_server, client: httpx.Client, world: World) -> None:
    activity = create_activity(client, staff_headers(client, "staff1"))
    unit = world.unit1.id
    with _console(app_server.base_url) as (console, _):
        for address in (
            "/console/retirees?unit_id=abc",
            "/console/retirees?unit_id=",
            f"/console/retirees?unit_id={unit}",
            "/console/rides/run-sheet?driver_id=x",
            "/console/meals?start=someday",
            "/console/meals/kitchen?date=2026-02-30&meal=早餐",
            f"/console/activities/{activity['id']}?session=abc",
        ):
            response = console.get(address)
            assert response.status_code == 200, address
        chosen = console.get(f"/console/retirees?unit_id={unit}").text
        assert f'value="{unit}" selected' in chosen
        assert f"unit_id={unit}&" in chosen or "下一页" not in chosen


def test_review_form_gathers_the_reason_boxes() -> None:
    form = ReviewForm.model_validate(
        {
            "action": "return",
            "version": "3",
            "reason_phone": " 打不通 ",
            "reason_new_address": "",
            "reason_nonsense": "不是一项",
            "common_reason": ["地址没写清楚，请写到门牌号", "照片看不清，请重新拍一张"],
            "reason_general": "谢谢",
        }
    )
    assert form.version == 3
    # The form only gathers the boxes; the rules are the service's (clean_return_reasons, which
    # review.return_for_correction applies to the API's and the console's reasons alike).
    assert clean_return_reasons(form.return_reasons()) == {
        "phone": "打不通",
        "general": "地址没写清楚，请写到门牌号；照片看不清，请重新拍一张；谢谢",
    }
    for unreadable in ("", "abc", "-1"):
        assert ReviewForm.model_validate({"version": unreadable}).version is None
    with pytest.raises(ValueError, match="请写明退回的原因"):
        clean_return_reasons(
            ReviewForm.model_validate({"version": "1", "reason_phone": "  "}).return_reasons()
        )
    with pytest.raises(ValueError, match="200字以内"):
        clean_return_reasons(
            ReviewForm.model_validate({"version": "1", "reason_phone": "长" * 201}).return_reasons()
        )
