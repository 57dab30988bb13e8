"""The 报平安 domain's part of the app: its routes, its job, its reaction to a death."""

from backend.core.domain import Domain
from backend.safecheck import hooks, scheduled
from backend.safecheck.router import router

DOMAIN = Domain(
    name="safecheck",
    routers=(router,),
    staff_routers=("backend.safecheck.staff_router",),
    jobs=tuple(scheduled.JOBS),
    install_hooks=hooks.install,
)
