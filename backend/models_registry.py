"""Imports every table so SQLModel.metadata is complete (Alembic, tests)."""

from sqlalchemy import Column, Float, LargeBinary, Table, Unicode
from sqlmodel import SQLModel

from backend.accounts import models as accounts_models  # noqa: F401
from backend.activities import models as activities_models  # noqa: F401
from backend.bereavement import models as bereavement_models  # noqa: F401
from backend.bookings import models as bookings_models  # noqa: F401
from backend.botchat import models as botchat_models  # noqa: F401
from backend.cases import models as cases_models  # noqa: F401
from backend.checkin import models as checkin_models  # noqa: F401
from backend.contact import models as contact_models  # noqa: F401
from backend.core import idempotency as idempotency_models  # noqa: F401
from backend.core import models as core_models  # noqa: F401
from backend.health_record import models as health_record_models  # noqa: F401
from backend.matters import models as matters_models  # noqa: F401
from backend.meals import models as meals_models  # noqa: F401
from backend.medical import models as medical_models  # noqa: F401
from backend.notices import models as notices_models  # noqa: F401
from backend.rides import models as rides_models  # noqa: F401
from backend.safecheck import models as safecheck_models  # noqa: F401
from backend.satisfaction import models as satisfaction_models  # noqa: F401
from backend.sos import models as sos_models  # noqa: F401
from backend.visits import models as visits_models  # noqa: F401
from backend.wechat import models as wechat_models  # noqa: F401
from backend.workdays import models as workdays_models  # noqa: F401

metadata = SQLModel.metadata

# APScheduler's job store table, owned by our migrations (same shape APScheduler creates).
apscheduler_jobs = Table(
    "apscheduler_jobs",
    metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)
