"""The emergency domain's part of the app: emergency contacts, 一键求助 and its escalation."""

from backend.core.domain import Domain
from backend.sos import scheduled
from backend.sos.router import router
from backend.sos.staff_router import router as staff_router

DOMAIN = Domain(name="sos", routers=(router, staff_router), jobs=tuple(scheduled.JOBS))
