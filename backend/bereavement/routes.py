"""The bereavement domain's part of the app: its routes and its reaction to a death."""

from backend.bereavement import hooks
from backend.bereavement.router import router
from backend.core.domain import Domain

DOMAIN = Domain(
    name="bereavement",
    routers=(router,),
    staff_routers=("backend.bereavement.staff_router",),
    install_hooks=hooks.install,
)
