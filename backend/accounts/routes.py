"""The accounts domain's part of the app: login and binding, staff, the roster import."""

from backend.accounts import open_items
from backend.accounts.roster_router import router as roster_router
from backend.accounts.router import router as accounts_router
from backend.accounts.staff_router import router as staff_router
from backend.core.domain import Domain

DOMAIN = Domain(
    name="accounts",
    routers=(accounts_router, staff_router, roster_router),
    install_hooks=open_items.install,
)
