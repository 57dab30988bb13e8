"""What the monthly sheet shows, in order (sx-monthly-pension-spec 7.1.1–7.1.3: regular
evaluation of the service; mva-order-5-2021 第三十五条: satisfaction is the main measure)."""

from __future__ import annotations

from backend.accounts import stats as accounts_stats
from backend.activities import stats as activities_stats
from backend.cases import stats as cases_stats
from backend.checkin import stats as checkin_stats
from backend.matters import stats as matters_stats
from backend.meals import stats as meals_stats
from backend.reports.registry import Column, Section, register
from backend.rides import stats as rides_stats
from backend.satisfaction import stats as satisfaction_stats
from backend.visits import stats as visits_stats

register(
    Section(
        "roll",
        "在册",
        (Column("retirees", "在册人数"),),
        accounts_stats.monthly_figures,
    )
)
register(
    Section(
        "contacts",
        "联系与失联",
        (
            Column("contacts", "联系人次"),
            Column("contacted", "联系人数"),
            Column("contact_rate", "联系覆盖率", ratio=("contacted", "retirees"), chart=True),
            Column("lost_open", "失联在册"),
            Column("lost_new", "本月新增失联"),
            Column("checkin_submitted", "年度登记已交"),
            Column("checkin_approved", "年度登记已审核"),
            Column("checkin_rate", "年度登记完成率", ratio=("checkin_approved", "checkin_total")),
        ),
        checkin_stats.monthly_figures,
    )
)
register(
    Section(
        "visits",
        "走访",
        (Column("visits", "走访次数", chart=True), Column("home_visits", "其中上门")),
        visits_stats.monthly_figures,
    )
)
register(
    Section(
        "activities",
        "文体活动",
        (Column("activities_held", "举办活动"), Column("attendance", "参加人次", chart=True)),
        activities_stats.monthly_figures,
    )
)
register(
    Section(
        "meals",
        "助餐",
        (Column("meals_served", "供餐份数"), Column("meals_delivered", "其中送餐")),
        meals_stats.monthly_figures,
    )
)
register(
    Section(
        "rides",
        "用车",
        (Column("rides_completed", "完成用车"), Column("ride_passengers", "乘车人次")),
        rides_stats.monthly_figures,
    )
)
register(
    Section(
        "cases",
        "信访",
        (
            Column("cases_opened", "新收信访"),
            Column("cases_closed", "办结"),
            Column("cases_late", "超期"),
        ),
        cases_stats.sheet_figures,
    )
)
register(
    Section(
        "satisfaction",
        "满意度",
        (
            Column("ratings", "评价人次"),
            Column(
                "satisfaction_rate",
                "满意率",
                ratio=("satisfied", "ratings"),
                chart=True,
                line=0.9,
            ),
        ),
        satisfaction_stats.sheet_figures,
    )
)
register(
    Section(
        "matters",
        "事项报告",
        (Column("matters_reported", "报告事项"), Column("matters_approved", "审批通过")),
        matters_stats.sheet_figures,
    )
)
