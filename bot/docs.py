"""What the bot knows about each document (knowledge/documents.yaml): province, audience, draft."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bot import yamlfile

# Every province-level name, so a question about a place we have no rule for is recognised.
PROVINCES = (
    "北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 "
    "广东 广西 海南 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 香港 澳门 台湾"
).split()
_FULL = {"北京": "北京市", "天津": "天津市", "上海": "上海市", "重庆": "重庆市"}
_REGION = {
    "内蒙古": "内蒙古自治区",
    "广西": "广西壮族自治区",
    "西藏": "西藏自治区",
    "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区",
    "香港": "香港特别行政区",
    "澳门": "澳门特别行政区",
}


def province_full(short: str) -> str:
    return _FULL.get(short) or _REGION.get(short) or f"{short}省"


def province_short(name: str) -> str | None:
    """吉林省 / 吉林 / 吉林省长春市军休所 → 吉林 (the first province named), else None."""
    for short in PROVINCES:
        if short in name:
            # 山西 is inside 陕西? no; but 江西/山西 etc. are distinct strings, so `in` is safe.
            return short
    return None


@dataclass(frozen=True)
class DocMeta:
    id: str
    title: str
    short: str
    kind: str
    province: str | None
    audience: tuple[str, ...]
    draft: bool
    names: tuple[str, ...]
    lead: str
    note: str
    cue: re.Pattern[str] | None = field(default=None, compare=False)

    @property
    def national(self) -> bool:
        return self.province is None

    @property
    def province_short(self) -> str | None:
        return province_short(self.province) if self.province else None


def load_documents(knowledge_dir: Path) -> dict[str, DocMeta]:
    data = yamlfile.load((knowledge_dir / "documents.yaml").read_text(encoding="utf-8")) or []
    out: dict[str, DocMeta] = {}
    for entry in data:
        out[str(entry["id"])] = DocMeta(
            id=str(entry["id"]),
            title=str(entry["title"]),
            short=str(entry.get("short") or f"《{entry['title']}》"),
            kind=str(entry["kind"]),
            province=entry.get("province") or None,
            audience=tuple(str(a) for a in entry.get("audience") or ()),
            draft=bool(entry.get("draft")),
            names=tuple(str(n) for n in entry.get("names") or ()),
            lead=str(entry.get("lead") or ""),
            note=str(entry.get("note") or ""),
            cue=re.compile(entry["cue"]) if entry.get("cue") else None,
        )
    return out
