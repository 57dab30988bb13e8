"""The 医疗费补助 domain's part of the app."""

from backend.core.domain import Domain
from backend.medical.router import router

DOMAIN = Domain(name="medical", routers=(router,), staff_routers=("backend.medical.staff_router",))
