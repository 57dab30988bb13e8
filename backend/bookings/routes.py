"""The bookings mechanism's part of the app: no routes of its own, only its reaction to facts
(a retiree's death ends everything they hold)."""

from backend.bookings import hooks
from backend.core.domain import Domain

DOMAIN = Domain(name="bookings", install_hooks=hooks.install)
