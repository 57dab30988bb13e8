"""Staff API for roster import: upload and check, poll progress, confirm."""

from __future__ import annotations

from fastapi import BackgroundTasks, UploadFile
from fastapi.responses import Response

from backend.accounts import roster
from backend.accounts.deps import CurrentStaff, StaffScope
from backend.accounts.models import RosterImport
from backend.accounts.schemas import RosterImportPublic, RowProblemPublic
from backend.accounts.scope import get_scoped
from backend.core.deps import CipherDep, ClockDep, CtxDep, SessionDep
from backend.core.inputs import Id
from backend.core.openapi import XLSX_DOWNLOAD
from backend.core.routing import APIRouter
from backend.core.xlsx import xlsx_response

router = APIRouter(prefix="/api/v1/staff/roster-imports", tags=["工作人员：花名册导入"])


def to_public(row: RosterImport) -> RosterImportPublic:
    problems = [RowProblemPublic(**p) for p in roster.problems_of(row)]
    assert row.id is not None
    return RosterImportPublic(
        id=row.id,
        status=row.status,
        filename=row.filename,
        total_rows=row.total_rows,
        processed_rows=row.processed_rows,
        valid_rows=row.valid_rows,
        invalid_rows=len(problems),
        problems=problems,
        created_count=row.created_count,
        updated_count=row.updated_count,
        message=row.message,
    )


@router.get(
    "/sample.xlsx", summary="下载花名册样表", responses=XLSX_DOWNLOAD, response_class=Response
)
def sample(db: SessionDep, scope: StaffScope) -> Response:
    return xlsx_response(roster.sample_for(db, scope), roster.SAMPLE_NAME)


@router.post("", response_model=RosterImportPublic, status_code=201, summary="上传花名册并检查")
def upload(
    file: UploadFile,
    background: BackgroundTasks,
    db: SessionDep,
    ctx: CtxDep,
    me: CurrentStaff,
    scope: StaffScope,
    clock: ClockDep,
    cipher: CipherDep,
) -> RosterImportPublic:
    data = file.file.read(roster.MAX_BYTES + 1)
    row = roster.start(
        db, clock=clock, staff=me, scope=scope, filename=file.filename or "", size=len(data)
    )
    if roster.needs_background(data):
        assert row.id is not None and scope.id is not None
        # Runs after the response, so after this request's transaction has committed.
        background.add_task(
            roster.process_in_background, ctx.engine, cipher, row.id, scope.id, data
        )
    else:
        roster.process(db, cipher=cipher, row=row, scope=scope, data=data)
    return to_public(row)


@router.get("/{import_id}", response_model=RosterImportPublic, summary="检查进度和结果")
def get_import(import_id: Id, db: SessionDep, scope: StaffScope) -> RosterImportPublic:
    return to_public(get_scoped(db, RosterImport, import_id, scope))


@router.post("/{import_id}/confirm", response_model=RosterImportPublic, summary="确认导入有效行")
def confirm(
    import_id: Id,
    db: SessionDep,
    me: CurrentStaff,
    scope: StaffScope,
    clock: ClockDep,
    cipher: CipherDep,
) -> RosterImportPublic:
    row = get_scoped(db, RosterImport, import_id, scope)
    return to_public(roster.confirm(db, clock=clock, cipher=cipher, staff=me, scope=scope, row=row))
