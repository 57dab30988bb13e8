"""The check-in domain's part of the app: the yearly check-in routes and reminders."""

from backend.checkin import scheduled
from backend.checkin.router import router
from backend.checkin.staff_router import router as staff_router
from backend.core.domain import Domain

DOMAIN = Domain(name="checkin", routers=(router, staff_router), jobs=tuple(scheduled.JOBS))
