"""The 事项报告 domain's part of the app: the mini-program's reports, the staff queue and its
deadline reminders."""

from backend.core.domain import Domain
from backend.matters import hooks, scheduled
from backend.matters.router import router

DOMAIN = Domain(
    name="matters",
    routers=(router,),
    staff_routers=("backend.matters.staff_router",),
    jobs=tuple(scheduled.JOBS),
    install_hooks=hooks.install,
)
