"""The check-in domain's part of the app: the yearly check-in routes, reminders, monthly
contact and 失联 cases."""

from backend.checkin import lost_actions, open_items, scheduled
from backend.checkin.router import router
from backend.core import events
from backend.core.domain import Domain


def install_hooks() -> None:
    events.subscribe(events.RETIREE_DECEASED, lost_actions.on_retiree_deceased)
    open_items.install()


DOMAIN = Domain(
    name="checkin",
    routers=(router,),
    staff_routers=("backend.checkin.staff_router", "backend.checkin.lost_router"),
    jobs=tuple(scheduled.JOBS),
    install_hooks=install_hooks,
)
