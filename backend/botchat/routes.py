"""The policy bot's part of the app: asking, staff answers and the official account."""

from backend.botchat.official import router as official_router
from backend.botchat.router import router, staff_router
from backend.core.domain import Domain

DOMAIN = Domain(name="botchat", routers=(router, staff_router, official_router))
