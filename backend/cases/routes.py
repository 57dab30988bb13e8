"""The 信访 domain's part of the app: the mini-program's cases and 意见箱, the staff queue, and
the reminder and escalation job."""

from backend.cases import scheduled
from backend.cases.router import router
from backend.core.domain import Domain

DOMAIN = Domain(
    name="cases",
    routers=(router,),
    staff_routers=("backend.cases.staff_router",),
    jobs=tuple(scheduled.JOBS),
)
