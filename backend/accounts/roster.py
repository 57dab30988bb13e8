"""Roster import from the .xlsx staff already keep.

Two steps: upload → every row checked and reported (row number and reason), valid rows kept
encrypted; confirm → valid rows written (created, or updated by 身份证号, so re-importing the
same file changes nothing). Large files are checked in the background with progress.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from backend.accounts import audit, retirees, units
from backend.accounts.enums import CareFlag, Gender, RetireeCategory, RetireeLevel
from backend.accounts.models import RosterImport, StaffAccount, Unit
from backend.accounts.schemas import PHONE_RE, RetireeCreate, RetireeUpdate
from backend.accounts.scope import contains
from backend.core.clock import Clock
from backend.core.db import transaction
from backend.core.errors import BadRequest, Conflict
from backend.core.security import PersonalDataCipher, id_number_problem, normalise_id_number
from backend.core.xlsx import Book

COLUMNS = [
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "类别",
    "职级",
    "电话",
    "住址",
    "所属单位",
    "关注标记",
]
REQUIRED = ["姓名", "性别", "出生日期", "身份证号", "类别", "职级", "所属单位"]
MAX_BYTES = 10 * 1024 * 1024
SYNC_ROW_LIMIT = 500
PROGRESS_EVERY = 200
_FLAG_SPLIT = re.compile(r"[,，、;；\s]+")


@dataclass
class ParsedRow:
    row: int
    name: str
    gender: str
    birth_date: str
    id_number: str
    category: str
    level: str
    phone: str | None
    address: str | None
    unit_id: int
    care_flags: list[str] = field(default_factory=list)


@dataclass
class RowProblem:
    row: int
    name: str
    reason: str


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text)
    if not match and re.fullmatch(r"\d{8}", text):
        match = re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _rows(data: bytes) -> tuple[list[str], Iterator[tuple[Any, ...]], int]:
    from openpyxl import load_workbook  # here: only a roster upload needs it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not xlsx
        raise BadRequest("文件打不开。请上传 Excel 的 .xlsx 文件（可先下载样表照着填）。") from exc
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = [_text(c) for c in next(iterator)]
    except StopIteration:
        raise BadRequest("表格是空的，请填好后再上传。") from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise BadRequest(f"表头缺少这些列：{'、'.join(missing)}。请按样表的表头填写。")
    total = max((sheet.max_row or 1) - 1, 0)
    return header, iterator, total


def _person_reasons(
    name: str, gender: str, birth: date | None, id_number: str, seen_ids: dict[str, int]
) -> list[str]:
    reasons: list[str] = []
    if not name:
        reasons.append("缺少姓名")
    if gender not in {g.value for g in Gender}:
        reasons.append("性别应填“男”或“女”")
    if birth is None:
        reasons.append("出生日期不对（例：1940-05-01）")
    problem = id_number_problem(id_number)
    if problem:
        reasons.append(problem)
    elif id_number in seen_ids:
        reasons.append(f"身份证号与第{seen_ids[id_number]}行重复")
    return reasons


def _grade_reasons(category: str, level: str, phone: str | None) -> list[str]:
    reasons: list[str] = []
    if category not in {c.value for c in RetireeCategory}:
        reasons.append("类别应为：离休、退休、退休军士、逐月领取退役金")
    if level not in {v.value for v in RetireeLevel}:
        reasons.append("职级应为：师级、团级及以下")
    if phone and not PHONE_RE.match(phone):
        reasons.append("电话格式不对")
    return reasons


def _unit_reasons(unit_name: str, unit: Unit | None) -> list[str]:
    if unit is not None:
        return []
    return [f"所属单位“{unit_name}”不存在或不归您管理" if unit_name else "缺少所属单位"]


def _flag_reasons(flags: list[str]) -> list[str]:
    bad_flags = [f for f in flags if f not in {c.value for c in CareFlag}]
    return [f"关注标记“{'、'.join(bad_flags)}”不认识"] if bad_flags else []


def check_rows(
    db: Session,
    *,
    data: bytes,
    scope: Unit,
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[list[ParsedRow], list[RowProblem], int]:
    header, iterator, total = _rows(data)
    index = {name: header.index(name) for name in COLUMNS if name in header}
    unit_cache: dict[str, Unit | None] = {}
    seen_ids: dict[str, int] = {}
    valid: list[ParsedRow] = []
    problems: list[RowProblem] = []
    processed = 0
    for offset, raw in enumerate(iterator):
        row_no = offset + 2
        cells = {name: raw[i] if i < len(raw) else None for name, i in index.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        processed += 1
        name = _text(cells.get("姓名"))
        gender = _text(cells.get("性别"))
        birth = _parse_date(cells.get("出生日期"))
        id_number = normalise_id_number(_text(cells.get("身份证号")))
        category = _text(cells.get("类别"))
        level = _text(cells.get("职级"))
        phone = _text(cells.get("电话")).replace(" ", "") or None
        unit_name = _text(cells.get("所属单位"))
        if unit_name not in unit_cache:
            unit_cache[unit_name] = units.find_by_name(db, unit_name, scope) if unit_name else None
        unit = unit_cache[unit_name]
        flags = [f for f in _FLAG_SPLIT.split(_text(cells.get("关注标记"))) if f]
        reasons = [
            *_person_reasons(name, gender, birth, id_number, seen_ids),
            *_grade_reasons(category, level, phone),
            *_unit_reasons(unit_name, unit),
            *_flag_reasons(flags),
        ]
        if reasons:
            problems.append(RowProblem(row=row_no, name=name, reason="；".join(reasons)))
        else:
            assert birth is not None and unit is not None and unit.id is not None
            seen_ids[id_number] = row_no
            valid.append(
                ParsedRow(
                    row=row_no,
                    name=name,
                    gender=gender,
                    birth_date=birth.isoformat(),
                    id_number=id_number,
                    category=category,
                    level=level,
                    phone=phone,
                    address=_text(cells.get("住址")) or None,
                    unit_id=unit.id,
                    care_flags=flags,
                )
            )
        if on_progress and processed % PROGRESS_EVERY == 0:
            on_progress(processed, total)
    return valid, problems, processed


def start(
    db: Session, *, clock: Clock, staff: StaffAccount, scope: Unit, filename: str, size: int
) -> RosterImport:
    if size == 0:
        raise BadRequest("文件是空的，请重新选择。")
    if size > MAX_BYTES:
        raise BadRequest("文件太大了（最大10MB）。请分成几个文件上传。")
    if not filename.lower().endswith(".xlsx"):
        raise BadRequest("请上传 Excel 的 .xlsx 文件（旧版 .xls 请先另存为 .xlsx）。")
    assert staff.id is not None and scope.id is not None
    row = RosterImport(
        staff_id=staff.id, unit_id=scope.id, filename=filename[:200], created_at=clock.now()
    )
    db.add(row)
    db.flush()
    return row


def process(
    db: Session,
    *,
    cipher: PersonalDataCipher,
    row: RosterImport,
    scope: Unit,
    data: bytes,
    commit_progress: bool = False,
) -> RosterImport:
    """Check every row and store the report. In the background, progress is committed as it
    goes so the page that polls can show it."""

    def progress(done: int, total: int) -> None:
        row.processed_rows = done
        row.total_rows = total
        db.add(row)
        if commit_progress:
            db.commit()
        else:
            db.flush()

    try:
        valid, problems, processed = check_rows(db, data=data, scope=scope, on_progress=progress)
    except BadRequest as exc:
        row.status = "failed"
        row.message = exc.message
        db.add(row)
        return row
    row.total_rows = processed
    row.processed_rows = processed
    row.valid_rows = len(valid)
    row.report = json.dumps([asdict(p) for p in problems], ensure_ascii=False)
    row.payload_enc = cipher.encrypt(json.dumps([asdict(v) for v in valid], ensure_ascii=False))
    row.status = "ready"
    db.add(row)
    return row


def process_in_background(
    engine: Engine, cipher: PersonalDataCipher, import_id: int, scope_id: int, data: bytes
) -> None:
    with transaction(engine) as db:
        row = db.get(RosterImport, import_id)
        scope = db.get(Unit, scope_id)
        if row is not None and scope is not None:
            process(db, cipher=cipher, row=row, scope=scope, data=data, commit_progress=True)


def needs_background(data: bytes) -> bool:
    """Cheap size test: small files are checked inside the upload request."""
    try:
        _, _, total = _rows(data)
    except BadRequest:
        return False
    return total > SYNC_ROW_LIMIT


def problems_of(row: RosterImport) -> list[dict[str, Any]]:
    return json.loads(row.report) if row.report else []


def confirm(
    db: Session,
    *,
    clock: Clock,
    cipher: PersonalDataCipher,
    staff: StaffAccount,
    scope: Unit,
    row: RosterImport,
) -> RosterImport:
    if row.status == "confirmed":
        raise Conflict("这次导入已经确认过了。", code="already_confirmed")
    if row.status != "ready":
        raise BadRequest("表格还没检查完，或检查失败，不能确认。")
    payload = json.loads(cipher.decrypt(row.payload_enc or "") or "[]")
    created = updated = 0
    for item in payload:
        parsed = ParsedRow(**item)
        existing = retirees.get_by_id_number(db, cipher, parsed.id_number)
        if existing is None:
            retirees.create(
                db,
                clock=clock,
                cipher=cipher,
                staff=staff,
                scope=scope,
                data=RetireeCreate(
                    name=parsed.name,
                    gender=Gender(parsed.gender),
                    birth_date=date.fromisoformat(parsed.birth_date),
                    category=RetireeCategory(parsed.category),
                    level=RetireeLevel(parsed.level),
                    unit_id=parsed.unit_id,
                    phone=parsed.phone,
                    address=parsed.address,
                    care_flags=[CareFlag(f) for f in parsed.care_flags],
                    id_number=parsed.id_number,
                ),
            )
            created += 1
            continue
        existing_unit = db.get(Unit, existing.unit_id)
        if existing_unit is None or not contains(scope, existing_unit):
            continue  # someone else's retiree: never touched from here
        version_before = existing.version
        retirees.update(
            db,
            clock=clock,
            staff=staff,
            scope=scope,
            retiree=existing,
            data=RetireeUpdate(
                name=parsed.name,
                gender=Gender(parsed.gender),
                birth_date=date.fromisoformat(parsed.birth_date),
                category=RetireeCategory(parsed.category),
                level=RetireeLevel(parsed.level),
                unit_id=parsed.unit_id,
                phone=parsed.phone,
                address=parsed.address,
                care_flags=[CareFlag(f) for f in parsed.care_flags],
            ),
        )
        if existing.version != version_before:
            updated += 1
    row.status = "confirmed"
    row.created_count = created
    row.updated_count = updated
    row.confirmed_at = clock.now()
    row.payload_enc = None  # the 身份证号 copies are no longer needed
    db.add(row)
    audit.record(
        db,
        clock=clock,
        staff=staff,
        action="roster_import.confirm",
        entity="roster_import",
        entity_id=row.id,
        unit_id=row.unit_id,
        after={"created": created, "updated": updated, "file": row.filename},
    )
    return row


SAMPLE_NAME = "roster-sample.xlsx"


def sample_for(db: Session, scope: Unit) -> bytes:
    """The sample for staff of `scope`: the units below it as the examples (itself if none)."""
    names = [u.name for u in units.subtree(db, scope) if u.id != scope.id] or [scope.name]
    return sample_workbook(names)


def sample_workbook(unit_names: list[str]) -> bytes:
    """The sample file staff download and fill in."""
    book = Book("花名册")
    ws = book.first
    ws.append(COLUMNS)
    unit = unit_names[0] if unit_names else "第一军休所"
    ws.append(
        [
            "张建国",
            "男",
            "1936-03-12",
            "110101193603120011",
            "离休",
            "师级",
            "13800138000",
            "北京市东城区和平里1号",
            unit,
            "高龄、独居",
        ]
    )
    ws.append(
        [
            "李秀兰",
            "女",
            "1942-11-02",
            "110101194211020024",
            "退休",
            "团级及以下",
            "",
            "北京市东城区和平里2号",
            unit,
            "",
        ]
    )
    ws.widths([10, 6, 12, 22, 14, 12, 14, 28, 14, 14])
    return book.to_bytes()
