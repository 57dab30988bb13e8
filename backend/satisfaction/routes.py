"""The satisfaction domain's part of the app: its routes."""

from backend.core.domain import Domain
from backend.satisfaction.router import router
from backend.satisfaction.staff_router import router as staff_router

DOMAIN = Domain(name="satisfaction", routers=(router, staff_router))
