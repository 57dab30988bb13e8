"""The one place that words a validation error for people: the field's Chinese label from its
schema (`Field(title="绑定码")`) and a short sentence for what is wrong.

No English, no field name, no list index, never the label twice. The API's 422 handler and the
console's form errors both come here.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any, Union

from fastapi import params
from pydantic import BaseModel
from pydantic.fields import FieldInfo

# Path and query parameters are plain function arguments with no schema to carry a title; a
# schema field without a title falls back to this table too.
PARAM_LABELS = {
    "q": "搜索内容",
    "limit": "每页条数",
    "offset": "翻页位置",
    "before_id": "翻页位置",
    "status": "状态",
    "category": "类别",
    "care_flag": "照顾类型",
    "entity": "记录类型",
    "date": "日期",
    "start": "开始日期",
    "days": "天数",
    "meal": "餐次",
    "version": "版本",
    "unread_after_days": "天数",
    "on_behalf": "是否代办",
    "can_join": "是否能报名",
    "retiree_id": "老同志",
    "unit_id": "单位",
    "driver_id": "司机",
    "file": "文件",
    # Fields of schemas written on other branches at the same time, until they carry a title.
    "helpful": "“有用”或“没用”",
    "everyone": "发给所有人",
    "body": "内容",
}

_ID_LABEL = "编号"
_LATIN = re.compile(r"[A-Za-z]")


def _unwrap(tp: Any) -> list[Any]:
    """The concrete types behind Annotated / Optional / unions."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (Union, types.UnionType):
        return [t for arg in typing.get_args(tp) for t in _unwrap(arg) if t is not type(None)]
    return [tp]


def _step(tp: Any, part: str | int) -> tuple[Any, FieldInfo | None] | None:
    """Follow one location part into a type: a model's field, a list item or a dict value."""
    for candidate in _unwrap(tp):
        origin = typing.get_origin(candidate)
        args = typing.get_args(candidate)
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            field = candidate.model_fields.get(str(part))
            if field is not None:
                return field.annotation, field
        elif origin in (list, set, frozenset, tuple, Sequence) and isinstance(part, int):
            return (args[part] if origin is tuple and len(args) > part else args[0]), None
        elif origin is dict and args:
            return args[1], None
    return None


def _label_in(tp: Any, path: Sequence[str | int]) -> str:
    label = ""
    for part in path:
        step = _step(tp, part)
        if step is None:
            break  # a union's tag or an unknown key: keep the deepest label found
        tp, field = step
        if field is not None:
            label = field.title or PARAM_LABELS.get(str(part), "")
            if not label and str(part).endswith(("_id", "_ids")):
                label = _ID_LABEL
    return label


@lru_cache(maxsize=512)
def _endpoint_inputs(endpoint: Callable[..., Any]) -> dict[str, Any]:
    """{"body": [(name, type)], "query"/"path"/…: {name: label}} of an endpoint and its
    dependencies."""
    found: dict[str, Any] = {"body": [], "params": {}}

    def visit(call: Callable[..., Any], depth: int) -> None:
        if depth > 5:
            return
        try:
            hints = typing.get_type_hints(call, include_extras=True)
            signature = inspect.signature(call)
        except (TypeError, ValueError, NameError):
            return
        for name, parameter in signature.parameters.items():
            tp = hints.get(name, Any)
            extras = (
                list(typing.get_args(tp)[1:]) if typing.get_origin(tp) is typing.Annotated else []
            )
            markers = [*extras, parameter.default]
            depends = next((m for m in markers if isinstance(m, params.Depends)), None)
            if depends is not None:
                target = depends.dependency or typing.get_args(tp)[0]
                if callable(target):
                    visit(target, depth + 1)
                continue
            info = next((m for m in markers if isinstance(m, FieldInfo)), None)
            if isinstance(info, params.Body) or (
                info is None
                and any(isinstance(t, type) and issubclass(t, BaseModel) for t in _unwrap(tp))
            ):
                found["body"].append((info.alias if info and info.alias else name, tp, info))
            else:
                key = info.alias if info is not None and info.alias else name
                title = info.title if info is not None else None
                found["params"][key] = (
                    title or PARAM_LABELS.get(key) or (_ID_LABEL if key.endswith("_id") else "")
                )

    visit(endpoint, 0)
    return found


def _is_model(tp: Any) -> bool:
    return any(isinstance(t, type) and issubclass(t, BaseModel) for t in _unwrap(tp))


def _request_label(endpoint: Callable[..., Any] | None, loc: Sequence[str | int]) -> str:
    if endpoint is None or not loc:
        return ""
    inputs = _endpoint_inputs(endpoint)
    where, rest = loc[0], list(loc[1:])
    if where != "body":
        return inputs["params"].get(str(rest[0]), "") if rest else ""
    body = inputs["body"]
    # One JSON model is the body itself; form fields and several parts are named in the body.
    info = body[0][2] if len(body) == 1 else None
    if len(body) == 1 and not (isinstance(info, params.Form) or getattr(info, "embed", False)):
        return _label_in(body[0][1], rest)
    if len(body) == 1 and _is_model(body[0][1]):
        return _label_in(body[0][1], rest)  # a form model: its fields are the form's fields
    for name, tp, info in body:
        if rest and rest[0] == name:
            own = info.title if info is not None and info.title else PARAM_LABELS.get(name, "")
            return _label_in(tp, rest[1:]) or own
    return ""


# Kinds whose sentence is always the same, with the field's label (or 填写的内容) as {what}.
_FIXED = {
    **dict.fromkeys(
        ("string_pattern_mismatch", "string_type", "url_parsing"), "{what}格式不对，请检查"
    ),
    **dict.fromkeys(
        ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type"),
        "{what}格式不对（例：2026-05-01）",
    ),
    "date_range": "{what}不对，请填1900年到2100年之间的日期",
    "text_control": "{what}里有无法显示的字符，请删掉后重新输入",
    **dict.fromkeys(("enum", "literal_error"), "{what}请从给出的选项里选"),
    **dict.fromkeys(("bool_parsing", "bool_type"), "{what}请选“是”或“否”"),
    "extra_forbidden": "有多余的内容，请去掉后再提交",
    "json_invalid": "内容格式不对",
    **dict.fromkeys(
        (
            "list_type",
            "tuple_type",
            "set_type",
            "dict_type",
            "model_type",
            "model_attributes_type",
        ),
        "{what}格式不对",
    ),
    **dict.fromkeys(
        (
            "int_parsing",
            "int_type",
            "int_from_float",
            "float_parsing",
            "float_type",
            "decimal_parsing",
            "decimal_type",
            "finite_number",
        ),
        "{what}请填数字",
    ),
}
_BOUNDS = ("greater_than_equal", "greater_than", "less_than_equal", "less_than")


def _own_sentence(kind: str, ctx: Mapping[str, Any]) -> str | None:
    """Our validators raise whole sentences (「回来的日期不能早于出发的日期」); a library's
    English one is replaced by the plain sentence of its kind."""
    if kind == "value_error" and ctx.get("error"):
        sentence = str(ctx["error"])
        if not _LATIN.search(sentence):
            return sentence
    return None


def _size_sentence(kind: str, ctx: Mapping[str, Any], label: str, what: str) -> str | None:
    """Missing, too short or too long (text and lists)."""
    if kind == "missing":
        return f"{label}必须填写" if label else "有一项必须填写"
    if kind == "string_too_short":
        n = ctx.get("min_length")
        return f"{label}必须填写" if n in (None, 1) and label else f"{what}太短了，至少{n}个字"
    if kind == "string_too_long":
        return f"{what}太长了，最多{ctx.get('max_length')}个字"
    if kind == "too_short":
        n = ctx.get("min_length")
        return f"{what}至少要有{n}项" if n not in (None, 1) else f"请至少选一项{label}"
    if kind == "too_long":
        return f"{what}最多{ctx.get('max_length')}项"
    return None


def _bound_sentence(kind: str, ctx: Mapping[str, Any], what: str) -> str:
    bound = ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt"))))
    if isinstance(bound, int | float) and abs(bound) < 100_000:
        lower = kind.startswith("greater")
        return f"{what}不能{'小' if lower else '大'}于{bound:g}"
    return f"{what}不对，请检查"


def _sentence(err: Mapping[str, Any], label: str) -> str:
    kind = err.get("type", "")
    if kind in ("too_short", "too_long") and isinstance(err.get("input"), str):
        # A text type with its own validator (inputs.Line, Text) has its length checked after
        # that validator, and pydantic then reports it as a list's ("at least 8 items").
        kind = f"string_{kind}"
    ctx = err.get("ctx") or {}
    own = _own_sentence(kind, ctx)
    if own is not None:
        return own
    what = label or "填写的内容"
    size = _size_sentence(kind, ctx, label, what)
    if size is not None:
        return size
    if kind in _BOUNDS:
        return _bound_sentence(kind, ctx, what)
    if kind in _FIXED:
        return _FIXED[kind].format(what=what)
    if kind.startswith("datetime") or kind.startswith("time") or kind == "timezone_aware":
        return f"{what}格式不对（例：2026-05-01 09:30）"
    return f"{what}不对，请检查" if label else "填写的内容不对，请检查"


def messages(
    errors: Sequence[Mapping[str, Any]],
    *,
    model: type[BaseModel] | None = None,
    endpoint: Callable[..., Any] | None = None,
) -> list[str]:
    """One sentence per error. Locations are relative to `model` (a form), or start with
    "body"/"query"/"path" of `endpoint` (the API)."""
    out = []
    for err in errors:
        loc = list(err.get("loc", ()))
        if model is not None:
            label = _label_in(model, loc)
        else:
            label = _request_label(endpoint, loc)
        out.append(_sentence(err, label))
    return out
