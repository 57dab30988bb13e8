"""Factory helpers with keyword arguments; each writes in its own committed transaction so the
app server (another thread, another connection) sees the rows."""

from __future__ import annotations

import itertools
import ssl
from dataclasses import dataclass
from datetime import date, datetime

import httpx
from argon2 import PasswordHasher
from sqlalchemy.engine import Engine
from sqlmodel import Session

from backend.accounts import units
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
from backend.core.clock import Clock
from backend.core.db import transaction
from backend.core.security import PersonalDataCipher, id_check_digit
from backend.notices.models import Notice

_seq = itertools.count(1)
PASSWORD = "correct-horse-9"
# The factories' staff share one hash made with argon2's cheapest parameters: the product verifies
# whatever parameters a hash names, and its own hash_password (tested in test_security) keeps
# argon2's defaults. A default verify costs ~0.1–0.3 s of CPU here, and the suite logs staff in
# about a thousand times.
_PASSWORD_HASH = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
# Every test client shares one TLS context: httpx otherwise builds one per client (it loads the
# CA bundle: ~35 ms of CPU) even for plain http on the loopback, and the suite makes ~1,000.
TLS = ssl.create_default_context()
# One client for the fake WeChat's test-only endpoints.
_FAKE_WECHAT = httpx.Client(verify=TLS, timeout=30)


def id_number_for(birth: date, serial: int | None = None) -> str:
    serial = next(_seq) if serial is None else serial
    first17 = f"110101{birth:%Y%m%d}{serial % 1000:03d}"
    return first17 + id_check_digit(first17)


def make_unit(
    engine: Engine, clock: Clock, *, name: str, kind: UnitKind, parent: Unit | None = None
) -> Unit:
    with transaction(engine) as db:
        parent_row = db.get(Unit, parent.id) if parent else None
        return units.create_unit(db, clock=clock, name=name, kind=kind, parent=parent_row)


def make_retiree(
    engine: Engine,
    clock: Clock,
    cipher: PersonalDataCipher,
    *,
    unit: Unit,
    name: str = "张建国",
    birth_date: date = date(1936, 3, 12),
    care_flags: tuple[CareFlag, ...] = (),
    id_number: str | None = None,
    phone: str | None = "13800138000",
    wechat_openid: str | None = None,
) -> Retiree:
    from backend.accounts.models import RetireeCareFlag

    id_number = id_number or id_number_for(birth_date)
    now = clock.now()
    with transaction(engine) as db:
        user_id = None
        if wechat_openid:
            user = WechatUser(openid=wechat_openid, created_at=now)
            db.add(user)
            db.flush()
            user_id = user.id
        retiree = Retiree(
            unit_id=unit.id or 0,
            name=name,
            gender=Gender.male,
            birth_date=birth_date,
            category=RetireeCategory.tuixiu,
            level=RetireeLevel.regiment_and_below,
            phone=phone,
            address="北京市东城区和平里北街1号",
            id_number_enc=cipher.encrypt(id_number),
            id_number_hash=cipher.search_hash(id_number),
            id_number_tail=id_number[-4:],
            wechat_user_id=user_id,
            created_at=now,
            updated_at=now,
        )
        db.add(retiree)
        db.flush()
        for flag in care_flags:
            db.add(RetireeCareFlag(retiree_id=retiree.id or 0, flag=flag.value))
        return retiree


def make_staff(
    engine: Engine,
    clock: Clock,
    *,
    unit: Unit,
    username: str,
    role: StaffRole = StaffRole.staff,
    display_name: str = "工作人员",
    medical: bool = False,
) -> StaffAccount:
    with transaction(engine) as db:
        staff = StaffAccount(
            username=username,
            display_name=display_name,
            is_medical=medical,
            password_hash=_PASSWORD_HASH,
            role=role,
            unit_id=unit.id or 0,
            created_at=clock.now(),
        )
        db.add(staff)
        db.flush()
        return staff


def mark_deceased(
    engine: Engine,
    clock: Clock,
    retiree_id: int | None,
    *,
    died_on: date,
    staff: StaffAccount | None = None,
) -> None:
    """Mark a retiree 去世 on a given day, through the service staff use."""
    from backend.accounts import retirees
    from backend.accounts.enums import RetireeStatus

    with transaction(engine) as db:
        row = db.get(Retiree, retiree_id)
        assert row is not None
        retirees.change_status(
            db,
            clock=clock,
            staff=staff,
            retiree=row,
            status=RetireeStatus.deceased,
            note="家属来电",
            died_on=died_on,
        )


def make_family(
    engine: Engine,
    clock: Clock,
    *,
    retiree: Retiree,
    openid: str,
    relation: Relation = Relation.child,
    can_receive_notices: bool = True,
    can_submit_checkin: bool = False,
    can_book: bool = False,
    can_see_health: bool = False,
) -> FamilyBinding:
    from sqlmodel import select

    with transaction(engine) as db:
        user = db.exec(select(WechatUser).where(WechatUser.openid == openid)).first()
        if user is None:
            user = WechatUser(openid=openid, created_at=clock.now())
            db.add(user)
            db.flush()
        binding = FamilyBinding(
            retiree_id=retiree.id or 0,
            wechat_user_id=user.id or 0,
            relation=relation,
            display_name="家属",
            can_receive_notices=can_receive_notices,
            can_submit_checkin=can_submit_checkin,
            can_book=can_book,
            can_see_health=can_see_health,
            created_at=clock.now(),
        )
        db.add(binding)
        db.flush()
        return binding


def staff_headers(client: httpx.Client, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/v1/staff/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


def login_code(fake_base_url: str, openid: str) -> str:
    response = _FAKE_WECHAT.post(f"{fake_base_url}/_fake/login-code", json={"openid": openid})
    assert response.status_code == 200, response.text
    return str(response.json()["code"])


def wechat_headers(client: httpx.Client, fake_base_url: str, openid: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/wechat", json={"code": login_code(fake_base_url, openid)})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['token']}"}


@dataclass
class World:
    """Two 军休所 under one centre, a retiree and a family member in each, staff in each."""

    centre: Unit
    unit1: Unit
    station1: Unit
    unit2: Unit
    retiree_a: Retiree
    retiree_b: Retiree
    family_a: FamilyBinding
    family_b: FamilyBinding
    staff1: StaffAccount
    staff2: StaffAccount
    admin: StaffAccount


def build_world(engine: Engine, clock: Clock, cipher: PersonalDataCipher) -> World:
    centre = make_unit(engine, clock, name="服务管理中心", kind=UnitKind.center)
    unit1 = make_unit(engine, clock, name="第一军休所", kind=UnitKind.institute, parent=centre)
    station1 = make_unit(engine, clock, name="和平里服务站", kind=UnitKind.station, parent=unit1)
    unit2 = make_unit(engine, clock, name="第二军休所", kind=UnitKind.institute, parent=centre)
    retiree_a = make_retiree(
        engine,
        clock,
        cipher,
        unit=station1,
        name="王建国",
        wechat_openid="openid-a",
        care_flags=(CareFlag.living_alone,),
    )
    retiree_b = make_retiree(
        engine, clock, cipher, unit=unit2, name="李秀兰", wechat_openid="openid-b"
    )
    family_a = make_family(engine, clock, retiree=retiree_a, openid="openid-fa")
    family_b = make_family(engine, clock, retiree=retiree_b, openid="openid-fb", can_book=True)
    # Both unit staff are the units' medical staff (the health record); the admin is not.
    staff1 = make_staff(engine, clock, unit=unit1, username="staff1", medical=True)
    staff2 = make_staff(engine, clock, unit=unit2, username="staff2", medical=True)
    admin = make_staff(engine, clock, unit=centre, username="admin1", role=StaffRole.admin)
    return World(
        centre,
        unit1,
        station1,
        unit2,
        retiree_a,
        retiree_b,
        family_a,
        family_b,
        staff1,
        staff2,
        admin,
    )


def sending_announcement(db: Session, *, unit_id: int, now: datetime) -> Notice:
    """An announcement to everyone in the unit's subtree (family copies too), flushed in the
    state a send leaves it before the fan-out: "sending", cursor 0."""
    notice = Notice(
        kind="announcement",
        unit_id=unit_id,
        title="重阳节慰问",
        body="10月11日上午9点，在活动室。",
        category="通知",
        audience="{}",
        status="sending",
        include_family=True,
        created_at=now,
        updated_at=now,
    )
    db.add(notice)
    db.flush()
    return notice
