"""讣告 and 生平 (jl 第四十条): a first draft filled from the record, which staff edit, and the
printable PDF of whichever text is saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backend.core.clock import full_date
from backend.core.pdf import PdfDoc


@dataclass(frozen=True)
class Record:
    """What the templates are filled from."""

    name: str
    gender: str
    birth_date: date
    died_on: date
    unit_name: str
    category: str
    level: str
    farewell_on: date | None = None


def age_at(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def obituary(r: Record) -> str:
    farewell = (
        f"兹定于{full_date(r.farewell_on)}举行遗体告别仪式。"
        if r.farewell_on
        else "遗体告别仪式的时间和地点另行通知。"
    )
    return (
        f"{r.unit_name}{r.category}干部（{r.level}）{r.name}同志，"
        f"于{full_date(r.died_on)}逝世，享年{age_at(r.birth_date, r.died_on)}岁。\n\n"
        f"{r.name}同志，{r.gender}，{full_date(r.birth_date)}出生。\n\n"
        f"{farewell}\n\n"
        "特此讣告。\n\n"
        f"{r.unit_name}"
    )


def biography(r: Record) -> str:
    return (
        f"{r.name}同志，{r.gender}，{full_date(r.birth_date)}出生，"
        f"{r.category}干部，{r.level}，生前在{r.unit_name}休养。\n\n"
        "（请在这里补写入伍时间、主要经历、立功受奖情况，请家属核对。）\n\n"
        f"{r.name}同志于{full_date(r.died_on)}逝世，享年{age_at(r.birth_date, r.died_on)}岁。\n\n"
        f"{r.name}同志的一生，是革命的一生、奋斗的一生。我们深切怀念{r.name}同志！"
    )


def pdf(title: str, text: str, *, unit_name: str) -> bytes:
    doc = PdfDoc(title, subtitle=unit_name)
    for part in (p.strip() for p in text.split("\n\n")):
        if part:
            doc.paragraph(part)
    return doc.render()
