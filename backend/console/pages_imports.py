"""Console pages for the roster import: upload, progress, row report, confirm."""

from __future__ import annotations

from fastapi import BackgroundTasks, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from backend.accounts import roster
from backend.accounts.models import RosterImport
from backend.accounts.scope import get_scoped
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import attempt, redirect
from backend.console.page_router import page_router
from backend.console.render import page
from backend.core.deps import CipherDep, ClockDep, CtxDep, SessionDep
from backend.core.xlsx import xlsx_response

router = page_router("/import")


@router.get("", response_class=HTMLResponse)
def upload_form(request: Request, _: ConsoleStaff) -> HTMLResponse:
    return page(request, "import.html", {"nav": "import", "error": None})


@router.post("", response_class=HTMLResponse)
def upload(
    request: Request,
    background: BackgroundTasks,
    db: SessionDep,
    ctx: CtxDep,
    clock: ClockDep,
    cipher: CipherDep,
    me: ConsoleStaff,
    file: UploadFile | None = None,
) -> Response:
    scope = scope_of(request)
    if file is None or not file.filename:
        return page(request, "import.html", {"nav": "import", "error": "请先选择文件。"}, 400)
    data = file.file.read(roster.MAX_BYTES + 1)
    row, error = attempt(
        db,
        lambda: roster.start(
            db, clock=clock, staff=me, scope=scope, filename=file.filename or "", size=len(data)
        ),
    )
    if error is not None or row is None:
        message = error.message if error else "上传失败"
        return page(request, "import.html", {"nav": "import", "error": message}, 400)
    if roster.needs_background(data):
        background.add_task(
            roster.process_in_background, ctx.engine, cipher, row.id or 0, scope.id or 0, data
        )
    else:
        roster.process(db, cipher=cipher, row=row, scope=scope, data=data)
    return redirect(f"/console/import/{row.id}")


@router.get("/sample.xlsx")
def sample(request: Request, db: SessionDep, _: ConsoleStaff) -> Response:
    """The sample roster, for the console's own login (the staff API's copy wants its token)."""
    return xlsx_response(roster.sample_for(db, scope_of(request)), roster.SAMPLE_NAME)


@router.get("/{import_id}", response_class=HTMLResponse)
def report(request: Request, import_id: int, db: SessionDep, _: ConsoleStaff) -> HTMLResponse:
    row = get_scoped(db, RosterImport, import_id, scope_of(request))
    return page(
        request,
        "import_report.html",
        {
            "nav": "import",
            "row": row,
            "problems": roster.problems_of(row),
            "error": None,
        },
    )


@router.post("/{import_id}/confirm", response_class=HTMLResponse)
def confirm(
    request: Request,
    import_id: int,
    db: SessionDep,
    clock: ClockDep,
    cipher: CipherDep,
    me: ConsoleStaff,
) -> Response:
    scope = scope_of(request)
    row = get_scoped(db, RosterImport, import_id, scope)
    _, error = attempt(
        db, lambda: roster.confirm(db, clock=clock, cipher=cipher, staff=me, scope=scope, row=row)
    )
    if error is not None:
        row = get_scoped(db, RosterImport, import_id, scope)
        return page(
            request,
            "import_report.html",
            {
                "nav": "import",
                "row": row,
                "problems": roster.problems_of(row),
                "msg": None,
                "error": error.message,
            },
            status_code=error.status_code,
        )
    return redirect(
        f"/console/import/{import_id}",
        f"导入完成：新增 {row.created_count} 人，更新 {row.updated_count} 人。",
    )
