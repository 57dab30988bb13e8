"""Demo data: 2 军休所 under one centre, 40 retirees (distinct names, gender as the name reads),
family bindings, 3 staff accounts, and a season's activities, a week of meals, rides, notices.

Loading is idempotent: if the centre exists nothing is added, so `make run` twice keeps data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session, select

from backend.accounts import binding, retirees, units
from backend.accounts.enums import (
    CareFlag,
    Gender,
    Relation,
    RetireeCategory,
    RetireeLevel,
    StaffRole,
    UnitKind,
)
from backend.accounts.models import FamilyBinding, Retiree, StaffAccount, Unit, WechatUser
from backend.accounts.schemas import FamilyInviteCreate, RetireeCreate
from backend.checkin import campaigns, records
from backend.checkin.schemas import CampaignIn
from backend.core.actors import Actor
from backend.core.clock import Clock, local_today
from backend.core.security import PersonalDataCipher, hash_password, id_check_digit

CENTRE_NAME = "北京市军休服务管理中心"
DEMO_STAFF = [
    # username, password, display name, role, unit key
    ("admin", "junxiu-admin-2026", "王主任", StaffRole.admin, "centre"),
    ("zhangmin", "junxiu-staff-2026", "张敏", StaffRole.staff, "first"),
    ("liqiang", "junxiu-staff-2026", "李强", StaffRole.staff, "second"),
]
# The duty phones of the staff who keep the demo roster (backend/contact/demo.py).
DEMO_STAFF_PHONES = {"zhangmin": "13901010001", "liqiang": "13901010002"}
DEMO_RETIREE_OPENID = "demo-retiree-openid"
DEMO_FAMILY_OPENID = "demo-family-openid"

# Forty distinct people, each name with the gender it is read as (veterans are mostly men).
# Index 0 is on WeChat and index 3 is his wife: their daughter 王小红 follows both.
DEMO_PEOPLE: list[tuple[str, Gender]] = [
    ("王建国", Gender.male),
    ("李振华", Gender.male),
    ("张志强", Gender.male),
    ("李秀兰", Gender.female),
    ("刘德明", Gender.male),
    ("陈国庆", Gender.male),
    ("张玉兰", Gender.female),
    ("杨永福", Gender.male),
    ("赵卫东", Gender.male),
    ("刘桂英", Gender.female),
    ("黄立新", Gender.male),
    ("周保国", Gender.male),
    ("陈淑珍", Gender.female),
    ("吴海军", Gender.male),
    ("徐长林", Gender.male),
    ("杨凤英", Gender.female),
    ("孙广田", Gender.male),
    ("胡建军", Gender.male),
    ("赵素芳", Gender.female),
    ("朱福生", Gender.male),
    ("高树森", Gender.male),
    ("黄春梅", Gender.female),
    ("林振东", Gender.male),
    ("何忠义", Gender.male),
    ("周秀英", Gender.female),
    ("郭宝山", Gender.male),
    ("马得胜", Gender.male),
    ("吴兰芳", Gender.female),
    ("罗光明", Gender.male),
    ("郑春生", Gender.male),
    ("徐玉珍", Gender.female),
    ("梁志远", Gender.male),
    ("宋文斌", Gender.male),
    ("孙桂芳", Gender.female),
    ("谢国华", Gender.male),
    ("韩庆丰", Gender.male),
    ("胡淑英", Gender.female),
    ("唐继业", Gender.male),
    ("高秀珍", Gender.female),
    ("何玉梅", Gender.female),
]
_STREETS = ["和平里北街", "安定门外大街", "交道口南大街", "雍和宫大街", "万寿路", "复兴路"]


@dataclass
class DemoSummary:
    created: bool
    retirees: int
    staff: list[tuple[str, str, str]]


def _id_number(rng: random.Random, birth: date, gender: Gender) -> str:
    seq = rng.randint(10, 99)
    sex_digit = rng.choice("13579" if gender == Gender.male else "02468")
    first17 = f"110101{birth:%Y%m%d}{seq:02d}{sex_digit}"
    return first17 + id_check_digit(first17)


def load_demo(
    db: Session, *, clock: Clock, cipher: PersonalDataCipher, upload_dir: Path | None = None
) -> DemoSummary:
    """The demo centre. `upload_dir`: where the demo's photos go (receipts of a medical claim);
    without it the demo has no photos."""
    staff_logins = [(u, p, name) for u, p, name, _, _ in DEMO_STAFF]
    existing = db.exec(select(Unit).where(Unit.name == CENTRE_NAME)).first()
    if existing is not None:
        count = len(db.exec(select(Retiree.id)).all())
        return DemoSummary(created=False, retirees=count, staff=staff_logins)

    centre = units.create_unit(db, clock=clock, name=CENTRE_NAME, kind=UnitKind.center)
    first = units.create_unit(
        db,
        clock=clock,
        name="第一军休所",
        kind=UnitKind.institute,
        parent=centre,
        phone="010-64210001",
    )
    station = units.create_unit(
        db, clock=clock, name="和平里服务站", kind=UnitKind.station, parent=first
    )
    second = units.create_unit(
        db,
        clock=clock,
        name="第二军休所",
        kind=UnitKind.institute,
        parent=centre,
        phone="010-68210002",
    )
    unit_by_key = {"centre": centre, "first": first, "second": second}
    staff_rows: dict[str, StaffAccount] = {}
    for username, password, name, role, key in DEMO_STAFF:
        account = StaffAccount(
            username=username,
            display_name=name,
            password_hash=hash_password(password),
            role=role,
            unit_id=unit_by_key[key].id or 0,
            phone=DEMO_STAFF_PHONES.get(username),
            created_at=clock.now(),
        )
        db.add(account)
        staff_rows[username] = account
    # 张敏 is the first 军休所's medical staff member: she alone reads health records there.
    staff_rows["zhangmin"].is_medical = True
    db.flush()

    rng = random.Random(20261123)
    flags_pool = list(CareFlag)
    created: list[Retiree] = []
    today = local_today(clock)
    for i, (name, gender) in enumerate(DEMO_PEOPLE):
        birth = date(rng.randint(1928, 1958), rng.randint(1, 12), rng.randint(1, 28))
        category = (
            RetireeCategory.lixiu
            if birth.year < 1935
            else rng.choice(
                [RetireeCategory.tuixiu, RetireeCategory.tuixiu, RetireeCategory.retired_nco]
            )
        )
        flags = rng.sample(flags_pool, k=rng.choice([0, 0, 1, 1, 2]))
        if today.year - birth.year >= 80 and CareFlag.advanced_age not in flags:
            flags.append(CareFlag.advanced_age)
        unit = [first, station, second][i % 3]
        data = RetireeCreate(
            name=name,
            gender=gender,
            birth_date=birth,
            category=category,
            level=RetireeLevel.division if i % 5 == 0 else RetireeLevel.regiment_and_below,
            unit_id=unit.id or 0,
            phone=f"139{rng.randint(10000000, 99999999)}",
            address=created[0].address  # husband and wife share a home
            if i == 3
            else f"北京市东城区{rng.choice(_STREETS)}{rng.randint(1, 60)}号院"
            f"{rng.randint(1, 9)}号楼",
            care_flags=flags,
            id_number=_id_number(rng, birth, gender),
        )
        created.append(
            retirees.create(
                db,
                clock=clock,
                cipher=cipher,
                staff=staff_rows["zhangmin"],
                scope=centre,
                data=data,
            )
        )

    # One retiree already on WeChat, with a daughter who follows two retirees.
    now = clock.now()
    retiree_user = WechatUser(openid=DEMO_RETIREE_OPENID, created_at=now)
    family_user = WechatUser(openid=DEMO_FAMILY_OPENID, created_at=now)
    db.add(retiree_user)
    db.add(family_user)
    db.flush()
    created[0].wechat_user_id = retiree_user.id
    db.add(created[0])
    # Her father let her see his health record; her mother has not (the page says how to ask).
    for retiree, relation, health in (
        (created[0], Relation.child, True),
        (created[3], Relation.child, False),
    ):
        invite = binding.issue_family_invite(
            db,
            clock=clock,
            retiree=retiree,
            issued_by=Actor.staff("demo").label,
            data=FamilyInviteCreate(
                relation=relation, can_submit_checkin=True, can_book=True, can_see_health=health
            ),
        )
        binding.redeem_family_invite(
            db, clock=clock, user=family_user, code=invite.code, display_name="王小红"
        )
    db.flush()
    _demo_checkin(db, clock=clock, staff=staff_rows["admin"], centre=centre, created=created)
    from backend.activities import demo as activities_demo

    activities_demo.load(
        db,
        clock=clock,
        staff=staff_rows["zhangmin"],
        unit=first,
        retirees=[r for r in created if r.unit_id in (first.id, station.id)],
    )
    from backend.meals import demo as meals_demo

    meals_demo.load(
        db,
        clock=clock,
        staff=staff_rows["zhangmin"],
        unit=first,
        retirees=[r for r in created if r.unit_id in (first.id, station.id)],
    )
    from backend.rides import demo as rides_demo

    rides_demo.load(
        db,
        clock=clock,
        staff=staff_rows["zhangmin"],
        unit=first,
        retirees=[r for r in created if r.unit_id in (first.id, station.id)],
    )
    from backend.safecheck import demo as safecheck_demo

    safecheck_demo.load(db, clock=clock, retirees=created)
    from backend.visits import demo as visits_demo

    # The demo family's parent first: the family page shows a visit and a follow-up.
    visits_demo.load(
        db,
        clock=clock,
        staff=staff_rows["zhangmin"],
        unit=first,
        retirees=[created[3], created[1], created[0], created[4], created[6]],
    )
    from backend.contact import demo as contact_demo

    contact_demo.load(
        db,
        clock=clock,
        staff=staff_rows["admin"],
        scope=centre,
        rota=[(first, staff_rows["zhangmin"]), (second, staff_rows["liqiang"])],
    )
    from backend.matters import demo as matters_demo

    matters_demo.load(db, clock=clock, staff=staff_rows["admin"], scope=centre, retirees=created)
    _demo_notices(db, clock=clock, staff=staff_rows["zhangmin"], unit=first)
    from backend.satisfaction import demo as satisfaction_demo

    satisfaction_demo.load(
        db,
        clock=clock,
        staff=staff_rows["zhangmin"],
        unit=first,
        retirees=[r for r in created if r.unit_id in (first.id, station.id)],
    )
    if upload_dir is not None:
        from backend.medical import demo as medical_demo

        medical_demo.load(
            db,
            clock=clock,
            staff=staff_rows["zhangmin"],
            scope=first,
            retirees=[r for r in created if r.unit_id in (first.id, station.id)],
            upload_dir=upload_dir,
        )
    from backend.health_record import demo as health_demo

    if created[0].unit_id in (first.id, station.id):
        health_demo.load(
            db,
            clock=clock,
            staff=staff_rows["zhangmin"],
            scope=first,
            retiree=created[0],
            upload_dir=upload_dir,
        )
    from backend.cases import demo as cases_demo

    if created[0].unit_id in (first.id, station.id) and created[1].unit_id in (
        first.id,
        station.id,
    ):
        cases_demo.load(
            db,
            clock=clock,
            staff=staff_rows["zhangmin"],
            scope=first,
            retiree=created[0],
            other=created[1],
        )
    return DemoSummary(created=True, retirees=len(created), staff=staff_logins)


def _season_tip(month: int) -> tuple[str, str]:
    if month in (11, 12, 1, 2):
        return (
            "冬季取暖和防滑提醒",
            "天冷路滑，出门请穿防滑鞋，雪天尽量不出门。家里暖气不热、燃气有异味，"
            "请马上打所里电话010-64210001，我们派人上门。",
        )
    if month in (6, 7, 8):
        return (
            "夏季防暑提醒",
            "天热请多喝水，中午别出门。家里空调坏了请打所里电话010-64210001，我们派人上门。",
        )
    return (
        "换季注意身体",
        "早晚温差大，请及时添减衣服，按时吃药。身体不舒服请打所里电话010-64210001。",
    )


def _demo_notices(db: Session, *, clock: Clock, staff: StaffAccount, unit: Unit) -> None:
    """Two announcements already sent to the first 军休所: a tip for the season and the
    year's health check."""
    from backend.notices import service as notices_service
    from backend.notices.schemas import Audience, NoticeCategory, NoticeIn

    title, body = _season_tip(local_today(clock).month)
    for data in (
        NoticeIn(title=title, body=body, category=NoticeCategory.tip),
        NoticeIn(
            title="年度健康体检安排",
            body="今年的体检在下个月，所里统一坐车去301医院。体检前一天晚上10点以后别吃东西。"
            "要报名或者有问题，请打所里电话010-64210001。",
            category=NoticeCategory.notice,
        ),
    ):
        data.audience = Audience(unit_ids=[unit.id or 0])
        notice = notices_service.create(db, clock=clock, staff=staff, scope=unit, data=data)
        notices_service.send(db, clock=clock, staff=staff, notice=notice)


def _demo_checkin(
    db: Session, *, clock: Clock, staff: StaffAccount, centre: Unit, created: list[Retiree]
) -> None:
    """An open check-in for this year, a few submissions waiting for review, one returned."""
    today = local_today(clock)
    campaign = campaigns.create(
        db,
        clock=clock,
        staff=staff,
        scope=centre,
        data=CampaignIn(
            year=today.year,
            opens_on=max(date(today.year, 1, 1), today - timedelta(days=14)),
            closes_on=today + timedelta(days=30),
        ),
    )
    for index, retiree in enumerate(created[5:11]):
        row = records.get_or_create(db, clock=clock, campaign=campaign, retiree=retiree)
        answers: dict[str, object] = {
            "same_address": index != 2,
            "new_address": None if index != 2 else "北京市东城区和平里北街8号院2号楼301",
            "phone": retiree.phone,
            "party_life": True,
            "trips_abroad": [],
            "care_needs": [],
        }
        row.answers = records.dump_json(answers)
        row.submitted_answers = row.answers
        row.status = "submitted" if index != 5 else "returned"
        row.return_reasons = (
            records.dump_json({"phone": "电话打不通，请核对"}) if index == 5 else None
        )
        row.submit_count = 1
        row.submitted_at = clock.now()
        db.add(row)
    db.flush()


def demo_binding_code(db: Session, *, clock: Clock) -> tuple[str, str, str] | None:
    """A fresh binding code for the first unbound demo retiree: (code, name, id tail)."""
    retiree = db.exec(
        select(Retiree)
        .where(Retiree.wechat_user_id == None)  # noqa: E711
        .order_by(Retiree.id)  # type: ignore[arg-type]
    ).first()
    staff = db.exec(select(StaffAccount).where(StaffAccount.username == "zhangmin")).first()
    if retiree is None or staff is None:
        return None
    code = binding.issue_binding_code(db, clock=clock, staff=staff, retiree=retiree)
    return code.code, retiree.name, retiree.id_number_tail


def demo_family_count(db: Session) -> int:
    return len(db.exec(select(FamilyBinding.id)).all())
