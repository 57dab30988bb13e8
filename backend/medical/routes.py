"""The 医疗费补助 domain's part of the app."""

from backend.core.domain import Domain
from backend.medical.router import router
from backend.medical.staff_router import router as staff_router

DOMAIN = Domain(name="medical", routers=(router, staff_router))
