"""The activities domain's part of the app: activities, weekly classes and their attendance."""

from backend.activities import scheduled, wording
from backend.activities.router import router
from backend.core.domain import Domain

DOMAIN = Domain(
    name="activities",
    routers=(router,),
    staff_routers=("backend.activities.staff_router", "backend.activities.attendance_router"),
    jobs=tuple(scheduled.JOBS),
    install_hooks=wording.install,
)
