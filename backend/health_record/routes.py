"""The health record domain's part of the app."""

from backend.core import events
from backend.core.domain import Domain
from backend.health_record import service
from backend.health_record.router import router


def install_hooks() -> None:
    events.subscribe(events.HOSPITAL_ADMITTED, service.on_hospital_admitted)


DOMAIN = Domain(
    name="health_record",
    routers=(router,),
    staff_routers=("backend.health_record.staff_router",),
    install_hooks=install_hooks,
)
