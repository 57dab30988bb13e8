"""The notices domain's part of the app: inbox and staff routes, fan-out and WeChat jobs, and
what it does when a retiree dies."""

from backend.core.domain import Domain
from backend.notices import hooks, scheduled
from backend.notices.router import router

DOMAIN = Domain(
    name="notices",
    routers=(router,),
    staff_routers=("backend.notices.staff_router",),
    jobs=tuple(scheduled.JOBS),
    install_hooks=hooks.install,
)
