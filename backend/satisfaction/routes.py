"""The satisfaction domain's part of the app: its routes."""

from backend.core.domain import Domain
from backend.satisfaction.router import router

DOMAIN = Domain(
    name="satisfaction", routers=(router,), staff_routers=("backend.satisfaction.staff_router",)
)
