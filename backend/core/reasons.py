"""A reason staff must give (cancelling, 无法安排): the same rule through the API and the console,
so the two doors cannot disagree. Blank or only spaces is no reason."""

from __future__ import annotations

from backend.core.errors import BadRequest

MAX_REASON = 200


def given(reason: str | None, message: str, *, limit: int = MAX_REASON) -> str:
    """The reason, trimmed; `message` (what to write and who will read it) when there is none."""
    text = (reason or "").strip()
    if not text:
        raise BadRequest(message)
    return text[:limit]
