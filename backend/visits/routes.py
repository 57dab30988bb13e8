"""The visits domain's part of the app: 定人包户, visit lists and records, visit tasks,
festival campaigns and what family see."""

from backend.core.domain import Domain
from backend.visits import hooks
from backend.visits.router import router

DOMAIN = Domain(
    name="visits",
    routers=(router,),
    staff_routers=("backend.visits.staff_router",),
    install_hooks=hooks.install,
)
