"""The emergency domain's part of the app: emergency contacts, 一键求助 and its escalation."""

from backend.core.domain import Domain
from backend.sos import scheduled
from backend.sos.router import router

DOMAIN = Domain(
    name="sos",
    routers=(router,),
    staff_routers=("backend.sos.staff_router",),
    jobs=tuple(scheduled.JOBS),
)
