"""The policy bot's part of the app: asking, staff answers, the official account, and the job
that runs WeChat's content check on the questions kept for staff."""

from backend.botchat import scheduled
from backend.botchat.official import router as official_router
from backend.botchat.router import router
from backend.core.domain import Domain

DOMAIN = Domain(
    name="botchat",
    routers=(router, official_router),
    staff_routers=("backend.botchat.router:staff_router",),
    jobs=tuple(scheduled.JOBS),
)
