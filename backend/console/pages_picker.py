"""The JSON behind the console's retiree picker (static/picker.js)."""

from __future__ import annotations

from fastapi import Query, Request

from backend.accounts import picker
from backend.console.auth import ConsoleStaff, scope_of
from backend.console.page_router import page_router
from backend.core.deps import CipherDep, SessionDep

router = page_router("/pick")


@router.get("/retirees")
def pick_retirees(
    request: Request,
    db: SessionDep,
    cipher: CipherDep,
    _: ConsoleStaff,
    q: str = Query(""),
) -> dict[str, list[picker.PickPerson]]:
    return {"data": picker.find(db, cipher=cipher, scope=scope_of(request), q=q)}
