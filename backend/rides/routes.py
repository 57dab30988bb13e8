"""The rides domain's part of the app: ride requests, dispatch, the fleet and reminders."""

from backend.core.domain import Domain
from backend.rides import hooks, scheduled
from backend.rides.router import router

DOMAIN = Domain(
    name="rides",
    routers=(router,),
    staff_routers=("backend.rides.staff_router",),
    jobs=tuple(scheduled.JOBS),
    install_hooks=hooks.install,
)
