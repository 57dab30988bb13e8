"""Console pages for the day of an activity: scanning sign-in codes and the activity's photo."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, UploadFile
from fastapi.responses import FileResponse, Response

from backend.activities import attendance, service
from backend.activities.schemas import ScanIn
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.forms import attempt, outcome, redirect
from backend.console.page_router import page_router
from backend.core.deps import ClockDep, SessionDep, SettingsDep
from backend.core.uploads import PHOTO_MAX_BYTES

router = page_router("/activities")


def _back(activity_id: int, session_id: int | None) -> str:
    url = f"/console/activities/{activity_id}"
    return f"{url}?session={session_id}" if session_id else url


@router.post("/{activity_id}/scan")
def scan(
    request: Request,
    activity_id: int,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    me: ConsoleStaff,
    form: Annotated[ScanIn, Form()],
) -> Response:
    activity, bookable = service.get_in_scope(db, activity_id, scope_of(request))
    result, error = attempt(
        db,
        lambda: attendance.scan(
            db,
            clock=clock,
            staff=me,
            secret_key=settings.secret_key,
            activity=activity,
            bookable=bookable,
            code=form.code,
            session_id=form.session_id,
        ),
    )
    return outcome(_back(activity_id, form.session_id), error, result.message if result else None)


@router.post("/{activity_id}/photo")
def upload_photo(
    request: Request,
    activity_id: int,
    db: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    me: ConsoleStaff,
    file: UploadFile | None = None,
) -> Response:
    activity, bookable = service.get_in_scope(db, activity_id, scope_of(request))
    url = f"/console/activities/{activity_id}"
    if file is None or not file.filename:
        return redirect(url, err="请先选择照片。")
    data = file.file.read(PHOTO_MAX_BYTES + 1)
    _, error = attempt(
        db,
        lambda: attendance.set_photo(
            db,
            clock=clock,
            staff=me,
            activity=activity,
            unit_id=bookable.unit_id,
            data=data,
            upload_dir=settings.upload_dir,
        ),
    )
    return outcome(url, error, "照片已上传，老同志在小程序里能看到。")


@router.get("/{activity_id}/photo")
def photo(
    request: Request, activity_id: int, db: SessionDep, settings: SettingsDep, _: ConsoleStaff
) -> FileResponse:
    activity, _bookable = service.get_in_scope(db, activity_id, scope_of(request))
    path, media_type = attendance.photo_of(activity, settings.upload_dir)
    return FileResponse(path, media_type=media_type)
