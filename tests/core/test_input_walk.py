"""Every input of every operation, walked from the app's own OpenAPI.

- Every field of every write endpoint, empty and over-long, as a caller who gets past the door:
  each message is Chinese (no ASCII letter, no field name, no list index in front).
- Every id, text, date and time, out of what the database can hold (ids ≥ 2³¹ and ≥ 2⁶³, NUL
  bytes, year 1 and year 9999): a 4xx in Chinese, never a 500, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.factories import World, staff_headers, wechat_headers

LATIN = re.compile(r"[A-Za-z]")
PUBLIC = {
    "/api/v1/auth/wechat",
    "/api/v1/bind/retiree",
    "/api/v1/bind/family",
    "/api/v1/staff/login",
}
# These end the caller's own session.
SKIPPED = {("post", "/api/v1/auth/logout"), ("post", "/api/v1/staff/logout")}


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def _variants(spec: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    schema = _resolve(spec, schema)
    if "anyOf" in schema:
        return [_resolve(spec, s) for s in schema["anyOf"] if s.get("type") != "null"]
    return [schema]


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, operation in item.items():
            if (method, path) not in SKIPPED:
                yield method, path, operation


def _body_schema(spec: dict[str, Any], operation: dict[str, Any]) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    return _resolve(spec, content["application/json"]["schema"])


def _field_paths(
    spec: dict[str, Any], schema: dict[str, Any], depth: int = 0
) -> Iterator[tuple[list[str | int], dict[str, Any]]]:
    """(path, leaf schema) of every field, into nested objects and lists of objects."""
    for name, prop in schema.get("properties", {}).items():
        for variant in _variants(spec, prop):
            if variant.get("type") == "object" and "properties" in variant and depth < 3:
                for sub, leaf in _field_paths(spec, variant, depth + 1):
                    yield [name, *sub], leaf
            elif variant.get("type") == "array" and depth < 3:
                item = _resolve(spec, variant.get("items", {}))
                if item.get("type") == "object" and "properties" in item:
                    for sub, leaf in _field_paths(spec, item, depth + 1):
                        yield [name, 0, *sub], leaf
                else:
                    yield [name], variant
            else:
                yield [name], variant
            break


def _nest(path: list[str | int], value: Any) -> Any:
    for part in reversed(path):
        value = [value] if isinstance(part, int) else {part: value}
    return value


def _url(path: str, value: Any = 1) -> str:
    return re.sub(r"\{[^}]+\}", str(value), path)


@pytest.fixture
def callers(client: httpx.Client, fake_wechat, world: World) -> dict[str, dict[str, str]]:
    return {
        "anon": {},
        "retiree": wechat_headers(client, fake_wechat.base_url, "openid-a"),
        "staff": staff_headers(client, "admin1"),
    }


def _caller_for(path: str, callers: dict[str, dict[str, str]]) -> dict[str, str]:
    if path in PUBLIC:
        return callers["anon_wechat"] if path.startswith("/api/v1/bind/") else callers["anon"]
    return callers["staff"] if path.startswith("/api/v1/staff/") else callers["retiree"]


def _bad_messages(body: Any) -> list[str]:
    if not isinstance(body, dict):
        return [f"not our error shape: {body!r}"]
    messages = [body.get("message", "")]
    if isinstance(body.get("detail"), list):
        messages += [d.get("message", "") for d in body["detail"]]
    return [m for m in messages if LATIN.search(m) or re.match(r"\d", m) or not m]


def test_every_field_of_every_write_endpoint_is_worded_in_chinese(
    client: httpx.Client, fake_wechat, callers: dict[str, dict[str, str]]
) -> None:
    callers["anon_wechat"] = wechat_headers(client, fake_wechat.base_url, "o-walker")
    spec = client.get("/openapi.json").json()
    problems: list[str] = []
    fields = 0
    for method, path, operation in _operations(spec):
        schema = _body_schema(spec, operation)
        if method not in ("post", "put", "patch", "delete") or schema is None:
            continue
        headers = _caller_for(path, callers)
        for field, _leaf in _field_paths(spec, schema):
            fields += 1
            for value in ("", "长" * 6000):
                response = client.request(
                    method, _url(path), json=_nest(field, value), headers=headers
                )
                if response.status_code >= 500:
                    problems.append(f"{method} {path} {field}={value[:3]!r}: 500")
                elif response.status_code == 422:
                    for bad in _bad_messages(response.json()):
                        problems.append(f"{method} {path} {field}: {bad!r}")
    assert fields > 150
    assert not problems, "\n".join(problems)


def _out_of_range(leaf: dict[str, Any]) -> list[Any]:
    kind = leaf.get("type")
    fmt = leaf.get("format")
    if kind == "integer":
        return [2**31, 2**63, 2**64, -(2**63) - 1]
    if kind == "string" and fmt == "date":
        return ["0001-01-01", "9999-12-31"]
    if kind == "string" and fmt == "date-time":
        return ["0001-01-01T00:00:00", "9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00-14:00"]
    if kind == "string":
        return ["有\x00空字符", "a\x0bb"]
    if kind == "array":
        item = leaf.get("items", {})
        return [[v] for v in _out_of_range(item)] if "type" in item else []
    return []


def _parameter_attempts(
    spec: dict[str, Any], path: str, operation: dict[str, Any]
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(url, what, request kwargs) for every out-of-range path and query parameter."""
    for parameter in operation.get("parameters", []):
        name = parameter["name"]
        for leaf in _variants(spec, parameter["schema"]):
            for value in _out_of_range(leaf):
                if parameter["in"] == "path":
                    yield _url(path.replace("{" + name + "}", str(value))), name, {}
                elif parameter["in"] == "query":
                    yield _url(path), name, {"params": {name: value}}


def _body_attempts(
    spec: dict[str, Any], path: str, operation: dict[str, Any]
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(url, what, request kwargs) for every out-of-range field of the JSON body."""
    schema = _body_schema(spec, operation)
    if schema is None:
        return
    for field, leaf in _field_paths(spec, schema):
        for value in _out_of_range(leaf):
            yield _url(path), str(field), {"json": _nest(field, value)}


WALK_SHARDS = 3  # every WALK_SHARDS-th operation per test, so parallel workers share the walk


@pytest.mark.parametrize("shard", range(WALK_SHARDS))
def test_no_input_makes_a_server_error(
    client: httpx.Client, fake_wechat, callers: dict[str, dict[str, str]], shard: int
) -> None:
    callers["anon_wechat"] = wechat_headers(client, fake_wechat.base_url, "o-walker")
    spec = client.get("/openapi.json").json()
    problems: list[str] = []
    tried = 0
    for index, (method, path, operation) in enumerate(_operations(spec)):
        if index % WALK_SHARDS != shard:
            continue
        headers = _caller_for(path, callers)
        attempts = [
            *_parameter_attempts(spec, path, operation),
            *_body_attempts(spec, path, operation),
        ]
        for url, what, kw in attempts:
            tried += 1
            response = client.request(method, url, headers=headers, **kw)
            if response.status_code >= 500:
                problems.append(f"{method} {url} {what}: {response.status_code}")
            elif response.status_code >= 400:
                bad = _bad_messages(response.json())
                if bad:
                    problems.append(f"{method} {url} {what}: {bad}")
    assert tried > 500 // WALK_SHARDS
    assert not problems, "\n".join(problems)
