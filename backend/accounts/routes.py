"""The accounts domain's part of the app: login and binding, staff, the roster import."""

from backend.accounts import open_items
from backend.accounts.router import router as accounts_router
from backend.core.domain import Domain

DOMAIN = Domain(
    name="accounts",
    routers=(accounts_router,),
    staff_routers=("backend.accounts.staff_router", "backend.accounts.roster_router"),
    install_hooks=open_items.install,
)
