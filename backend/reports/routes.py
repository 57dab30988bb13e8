"""The reports domain's part of the app: the monthly statistics sheet for the higher
department (its JSON staff API; the console page is in backend/console/pages_reports.py)."""

from backend.core.domain import Domain

DOMAIN = Domain(name="reports", staff_routers=("backend.reports.staff_router",))
