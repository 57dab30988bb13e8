"""What the retiree (and family with notice permission) are told at each step of a ride.

Every message goes through notices.notify with a dedupe key, so a retry or a restarted job
never tells anyone twice."""

from __future__ import annotations

from sqlmodel import Session

from backend.core.clock import Clock, format_local
from backend.notices import service as notices_service
from backend.rides.models import RideDriver, RideRequest, RideSeries, RideVehicle

WEEKDAY_NAMES = {1: "周一", 2: "周二", 3: "周三", 4: "周四", 5: "周五", 6: "周六", 7: "周日"}
_WHEN = "%m月%d日 %H:%M"

_MESSAGES = {
    "requested": (
        "约车申请已收到",
        "您{when}去“{where}”的用车申请已收到。工作人员派车后会再告诉您车牌和司机电话。"
        "如要取消，请在出发2小时前在小程序里取消。",
    ),
    "dispatched": (
        "已派车",
        "您{when}去“{where}”的车已派好：{vehicle}，司机{driver}，电话{phone}。"
        "请提前几分钟在“{pickup}”等候。",
    ),
    "completed": ("用车已完成", "您{when}去“{where}”的用车已完成。谢谢！"),
    "cancelled_self": (
        "约车已取消",
        "您{when}去“{where}”的用车已取消。如还要用车，请重新申请。",
    ),
    "cancelled_staff": (
        "约车已取消",
        "工作人员取消了您{when}去“{where}”的用车。原因：{reason}。如有疑问请打电话给工作人员。",
    ),
    "unarranged": (
        "这次用车没能安排",
        "很抱歉，您{when}去“{where}”的用车没能安排。原因：{reason}。"
        "请打电话给工作人员商量别的办法。",
    ),
    "reminder": (
        "快出发了",
        "今天{time}有车接您去“{where}”：{vehicle}，司机{driver}，电话{phone}。请在“{pickup}”等候。",
    ),
}


def tell(
    db: Session,
    *,
    clock: Clock,
    ride: RideRequest,
    event: str,
    vehicle: RideVehicle | None = None,
    driver: RideDriver | None = None,
    key_suffix: str = "",
) -> bool:
    title, body = _MESSAGES[event]
    text = body.format(
        when=format_local(ride.pickup_at, _WHEN),
        time=format_local(ride.pickup_at, "%H:%M"),
        where=ride.destination,
        pickup=ride.pickup_address,
        reason=ride.status_reason or "未说明",
        vehicle=f"{vehicle.plate}（{vehicle.description}）" if vehicle else "",
        driver=driver.name if driver else "",
        phone=driver.phone if driver else "",
    )
    notice = notices_service.notify(
        db,
        clock=clock,
        retiree_id=ride.retiree_id,
        title=title,
        body=text,
        dedupe_key=f"ride:{ride.id}:{event}{key_suffix}",
        link_page=f"pages/rides/rides?retiree_id={ride.retiree_id}",
    )
    return notice is not None


def tell_series(
    db: Session, *, clock: Clock, series: RideSeries, first: RideRequest, count: int
) -> None:
    days = "、".join(WEEKDAY_NAMES[int(d)] for d in series.weekdays.split(","))
    notices_service.notify(
        db,
        clock=clock,
        retiree_id=series.retiree_id,
        title="定期用车申请已收到",
        body=(
            f"您每{days} {format_local(first.pickup_at, '%H:%M')}去“{first.destination}”的用车"
            f"已申请，到{series.until:%m月%d日}共{count}次。每次派车后会告诉您车牌和司机电话。"
            "不用了可以在小程序里取消一次或全部取消。"
        ),
        dedupe_key=f"ride-series:{series.id}:requested",
        link_page=f"pages/rides/rides?retiree_id={series.retiree_id}",
    )
