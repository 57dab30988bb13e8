"""Demo data: 2 军休所 under one centre, ~40 retirees, family bindings, 3 staff accounts.

Loading is idempotent: if the centre exists nothing is added, so `make run` twice keeps data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

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
from backend.core.clock import Clock, local_today
from backend.core.security import PersonalDataCipher, hash_password, id_check_digit

CENTRE_NAME = "北京市军休服务管理中心"
DEMO_STAFF = [
    # username, password, display name, role, unit key
    ("admin", "junxiu-admin-2026", "王主任", StaffRole.admin, "centre"),
    ("zhangmin", "junxiu-staff-2026", "张敏", StaffRole.staff, "first"),
    ("liqiang", "junxiu-staff-2026", "李强", StaffRole.staff, "second"),
]
DEMO_RETIREE_OPENID = "demo-retiree-openid"
DEMO_FAMILY_OPENID = "demo-family-openid"

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = [
    "建国",
    "秀兰",
    "振华",
    "玉兰",
    "志强",
    "桂英",
    "德明",
    "淑珍",
    "国庆",
    "凤英",
    "永福",
    "素芳",
    "卫东",
    "金花",
    "立新",
    "秀英",
    "保国",
    "兰芳",
    "海军",
    "春梅",
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


def load_demo(db: Session, *, clock: Clock, cipher: PersonalDataCipher) -> DemoSummary:
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
            created_at=clock.now(),
        )
        db.add(account)
        staff_rows[username] = account
    db.flush()

    rng = random.Random(20261123)
    flags_pool = list(CareFlag)
    created: list[Retiree] = []
    for i in range(40):
        gender = Gender.male if i % 3 else Gender.female
        birth = date(rng.randint(1928, 1958), rng.randint(1, 12), rng.randint(1, 28))
        category = (
            RetireeCategory.lixiu
            if birth.year < 1935
            else rng.choice(
                [RetireeCategory.tuixiu, RetireeCategory.tuixiu, RetireeCategory.retired_nco]
            )
        )
        flags = rng.sample(flags_pool, k=rng.choice([0, 0, 1, 1, 2]))
        if date.today().year - birth.year >= 80 and CareFlag.advanced_age not in flags:
            flags.append(CareFlag.advanced_age)
        unit = [first, station, second][i % 3]
        data = RetireeCreate(
            name=_SURNAMES[i % len(_SURNAMES)] + _GIVEN[(i * 7) % len(_GIVEN)],
            gender=gender,
            birth_date=birth,
            category=category,
            level=RetireeLevel.division if i % 5 == 0 else RetireeLevel.regiment_and_below,
            unit_id=unit.id or 0,
            phone=f"139{rng.randint(10000000, 99999999)}",
            address=f"北京市东城区{rng.choice(_STREETS)}{rng.randint(1, 60)}号院"
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
    for retiree, relation in ((created[0], Relation.child), (created[3], Relation.child)):
        invite = binding.issue_family_invite(
            db,
            clock=clock,
            retiree=retiree,
            issued_by="staff:demo",
            data=FamilyInviteCreate(relation=relation, can_submit_checkin=True, can_book=True),
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
    return DemoSummary(created=True, retirees=len(created), staff=staff_logins)


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
        answers = {
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
