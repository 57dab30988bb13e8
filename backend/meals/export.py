"""The kitchen sheet and the delivery list as one .xlsx workbook (two sheets)."""

from __future__ import annotations

from backend.core.clock import format_local
from backend.core.xlsx import Book
from backend.meals.schemas import DeliveryList, KitchenSheet


def kitchen_xlsx(sheet_data: KitchenSheet, delivery: DeliveryList) -> bytes:
    book = Book("厨房统计")
    sheet = book.first
    day = f"{sheet_data.date.isoformat()} {sheet_data.meal}"
    sheet.bold(sheet.append([f"{day} 厨房统计"]))
    if not sheet_data.menus:
        sheet.append(["这一顿没有菜单。"])
    for menu in sheet_data.menus:
        sheet.append([])
        sheet.bold(
            sheet.append(
                [menu.unit_name, f"共{menu.total}份", f"截止 {format_local(menu.cutoff_at)}"]
                + ([] if menu.closed else ["（还没截止，数字还会变）"])
            )
        )
        for title, counts in (
            ("按套餐", menu.by_option),
            ("按菜品", menu.by_dish),
            ("按饮食要求", menu.by_diet_note),
            ("按用餐方式", menu.by_mode),
        ):
            sheet.bold(sheet.append([title, "份数"]))
            for count in counts:
                sheet.append([count.label, count.portions])
    sheet.widths([28])
    route = book.add_sheet("送餐名单")
    route.append(["楼栋", "姓名", "电话", "地址", "套餐", "份数", "饮食要求", "应付(元)", "已付"])
    for group in delivery.groups:
        for stop in group.stops:
            route.append(
                [
                    group.building,
                    stop.retiree_name,
                    stop.phone or "",
                    stop.address,
                    stop.option_name,
                    stop.quantity,
                    stop.diet_notes or "",
                    float(stop.amount_due),
                    "是" if stop.paid else "否",
                ]
            )
    route.widths([22, 10, 14, 36, 10, 6, 16, 10, 6])
    return book.to_bytes()
