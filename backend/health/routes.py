"""The health domain's part of the app."""

from backend.core.domain import Domain
from backend.health.router import router

DOMAIN = Domain(name="health", routers=(router,))
