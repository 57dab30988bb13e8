"""The reports domain's part of the app: the monthly statistics sheet for the higher
department (its JSON staff API; the console page is in backend/console/pages_reports.py)."""

from backend.core.domain import Domain
from backend.reports.staff_router import router as staff_router

DOMAIN = Domain(name="reports", routers=(staff_router,))
