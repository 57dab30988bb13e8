"""The meals domain's part of the app: menus, orders, standing orders and their jobs."""

from backend.core.domain import Domain
from backend.meals import hooks, scheduled, wording
from backend.meals.router import router


def _install_hooks() -> None:
    wording.install()
    hooks.install()


DOMAIN = Domain(
    name="meals",
    routers=(router,),
    staff_routers=("backend.meals.staff_router",),
    jobs=tuple(scheduled.JOBS),
    install_hooks=_install_hooks,
)
