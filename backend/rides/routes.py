"""The rides domain's part of the app: ride requests, dispatch, the fleet and reminders."""

from backend.core.domain import Domain
from backend.rides import hooks, scheduled
from backend.rides.router import router
from backend.rides.staff_router import router as staff_router

DOMAIN = Domain(
    name="rides",
    routers=(router, staff_router),
    jobs=tuple(scheduled.JOBS),
    install_hooks=hooks.install,
)
