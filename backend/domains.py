"""Every domain the app is made of, in the order their routes are matched. A new domain adds a
`routes.py` exporting DOMAIN (backend/core/domain.py) and one line here; app.py, the scheduler
and the CLI's event hooks loop over this list. The console is a door onto these domains, not
one of them: app.py mounts it after them (its /console routes and static files come last)."""

from __future__ import annotations

from backend.accounts.routes import DOMAIN as ACCOUNTS
from backend.activities.routes import DOMAIN as ACTIVITIES
from backend.bereavement.routes import DOMAIN as BEREAVEMENT
from backend.bookings.routes import DOMAIN as BOOKINGS
from backend.botchat.routes import DOMAIN as BOTCHAT
from backend.cases.routes import DOMAIN as CASES
from backend.checkin.routes import DOMAIN as CHECKIN
from backend.contact.routes import DOMAIN as CONTACT
from backend.core.domain import Domain
from backend.core.scheduler import IntervalJob
from backend.health.routes import DOMAIN as HEALTH
from backend.health_record.routes import DOMAIN as HEALTH_RECORD
from backend.matters.routes import DOMAIN as MATTERS
from backend.meals.routes import DOMAIN as MEALS
from backend.medical.routes import DOMAIN as MEDICAL
from backend.notices.routes import DOMAIN as NOTICES
from backend.reports.routes import DOMAIN as REPORTS
from backend.rides.routes import DOMAIN as RIDES
from backend.safecheck.routes import DOMAIN as SAFECHECK
from backend.satisfaction.routes import DOMAIN as SATISFACTION
from backend.sos.routes import DOMAIN as SOS
from backend.visits.routes import DOMAIN as VISITS
from backend.workdays.routes import DOMAIN as WORKDAYS

DOMAINS: tuple[Domain, ...] = (
    HEALTH,
    ACCOUNTS,
    NOTICES,
    CHECKIN,
    BOOKINGS,
    ACTIVITIES,
    MEALS,
    RIDES,
    VISITS,
    SOS,
    BOTCHAT,
    SAFECHECK,
    CONTACT,
    MATTERS,
    CASES,
    MEDICAL,
    HEALTH_RECORD,
    WORKDAYS,
    SATISFACTION,
    BEREAVEMENT,
    REPORTS,
)


def all_jobs() -> list[IntervalJob]:
    return [job for domain in DOMAINS for job in domain.jobs]


def install_hooks() -> None:
    """Every domain's reactions to core/events.py facts (idempotent): the app and the CLI."""
    for domain in DOMAINS:
        if domain.install_hooks is not None:
            domain.install_hooks()
