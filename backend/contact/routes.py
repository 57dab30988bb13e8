"""The contact domain's part of the app: who to call, the duty roster and units' phones."""

from backend.contact.router import router
from backend.core.domain import Domain

DOMAIN = Domain(name="contact", routers=(router,), staff_routers=("backend.contact.staff_router",))
