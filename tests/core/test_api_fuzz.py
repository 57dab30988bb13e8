"""The standing guard: schemathesis over the app's own OpenAPI, as every kind of caller.

Every operation is tried as anonymous, a retiree, a family member and staff, with data that fits
the schema and data that does not. It fails on any server error and on any answer the OpenAPI
does not describe (status code, content type, body). Bounded and derandomised, so a run takes the
same requests each time and stays within the CI budget on both databases.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections import Counter
from http.cookiejar import DefaultCookiePolicy
from importlib.metadata import version
from typing import Any

import httpx
import hypothesis
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.bot_index_cache import CACHE_DIR
from tests.factories import World, staff_headers, wechat_headers

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Examples per operation, caller and mode: small, the point is breadth (every operation, every
# caller, valid and invalid input), not depth; a fixed seed makes every run the same. A caller
# the operation is not for is turned away at the door, so one example of each mode is enough.
EXAMPLES = {GenerationMode.POSITIVE: 3, GenerationMode.NEGATIVE: 2}
AT_THE_DOOR = {GenerationMode.POSITIVE: 1, GenerationMode.NEGATIVE: 1}
PUBLIC = {"/api/v1/auth/wechat", "/api/v1/staff/login", "/healthz", "/readyz"}
# These end the caller's own session; the rest of the run needs it.
SKIPPED = {("POST", "/api/v1/auth/logout"), ("POST", "/api/v1/staff/logout")}


def _callers(client: httpx.Client, fake_base_url: str) -> dict[str, dict[str, str]]:
    return {
        "anon": {},
        "retiree": wechat_headers(client, fake_base_url, "openid-a"),
        "family": wechat_headers(client, fake_base_url, "openid-fb"),
        "staff": staff_headers(client, "admin1"),
    }


def _home_callers(path: str) -> set[str]:
    """Who an operation is for; the others are turned away at the door."""
    if path in PUBLIC:
        return {"anon"}
    if path.startswith("/api/v1/staff/"):
        return {"staff"}
    return {"retiree", "family"}


def _generate(operation: Any, mode: GenerationMode, examples: int) -> list[Any]:
    """The operation's first `examples` cases in this mode. Derandomised, so they are the same
    whoever sends them: generated once and sent as each caller (hypothesis's set-up per run
    cost more than the requests)."""
    cases: list[Any] = []

    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    @hypothesis.settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    def run(case: Any) -> None:
        cases.append(case)

    try:
        run()
    except hypothesis.errors.Unsatisfiable:  # nothing to make invalid (no parameters, no body)
        pass
    return cases


# What a case is made of, kept between runs (the body apart: "no body" is a sentinel object).
_FIELDS = ("method", "path_parameters", "cookies", "query", "media_type", "_meta")


class GeneratedCases:
    """The cases of a shard, generated once per spec and kept in var/test-cache/ beside the bot's
    index: generation is derandomised, so the PostgreSQL run would generate exactly what the
    SQLite run did (hypothesis's set-up is about half of the walk's time). The file's name is a
    hash of the spec, the example counts and schemathesis's and hypothesis's versions; a change
    to any of them generates afresh."""

    def __init__(self, spec: dict[str, Any], shard: int) -> None:
        digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode())
        digest.update(repr((EXAMPLES, AT_THE_DOOR, SHARDS)).encode())
        digest.update(f"{version('schemathesis')} {version('hypothesis')}".encode())
        self.path = CACHE_DIR / f"fuzz-{digest.hexdigest()[:16]}-{shard}.pkl"
        self.saved: dict[str, list[dict[str, Any]]] = {}
        if self.path.exists():
            self.saved = pickle.loads(self.path.read_bytes())
        self.fresh: dict[str, list[dict[str, Any]]] = {}

    def cases(self, operation: Any, mode: GenerationMode, examples: int) -> list[Any]:
        key = f"{operation.label} {mode.value}"
        if key in self.saved:
            return [
                operation.Case(
                    **{f: data[f] for f in _FIELDS},
                    headers=data["headers"],
                    body=data["body"] if data["has_body"] else NOT_SET,
                )
                for data in self.saved[key]
            ]
        cases = _generate(operation, mode, examples)
        self.fresh[key] = [
            {
                **{f: getattr(c, f) for f in _FIELDS},
                "headers": dict(c.headers or {}),
                "has_body": c.body is not NOT_SET,
                "body": None if c.body is NOT_SET else c.body,
            }
            for c in cases
        ]
        return cases

    def keep(self) -> None:
        if not self.fresh:
            return
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        partial = self.path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(pickle.dumps({**self.saved, **self.fresh}))
        partial.replace(self.path)


def _send(
    case: Any, headers: dict[str, str], base_url: str, session: requests.Session
) -> list[tuple[str, int, str]]:
    response = case.call(base_url=base_url, headers=headers, timeout=30, session=session)
    try:
        case.validate_response(response, checks=CHECKS)
    except FailureGroup as group:
        return [
            (type(failure).__name__, response.status_code, failure.title)
            for failure in group.exceptions
        ]
    return []


def _cookieless_session() -> requests.Session:
    """One keep-alive session for the walk; it keeps no cookies, so no caller's answer can
    speak for the next caller."""
    session = requests.Session()
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    return session


# The walk is split into shards (every SHARDS-th operation) so parallel workers share it; each
# shard starts from a fresh world.
SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_server_error_and_no_schema_violation(
    world: World, client: httpx.Client, app_server, fake_wechat, shard: int
) -> None:
    spec = client.get("/openapi.json").json()
    schema = schemathesis.openapi.from_dict(spec)
    generated = GeneratedCases(spec, shard)
    callers = _callers(client, fake_wechat.base_url)
    failures: Counter[tuple[str, str, str, str, int]] = Counter()
    operations = 0
    session = _cookieless_session()
    for index, result in enumerate(schema.get_all_operations()):
        operation = result.ok()
        if index % SHARDS != shard or (operation.method.upper(), operation.path) in SKIPPED:
            continue
        operations += 1
        home = _home_callers(operation.path)
        for mode, examples in EXAMPLES.items():
            for number, case in enumerate(generated.cases(operation, mode, examples)):
                for caller, headers in callers.items():
                    if caller not in home and number >= AT_THE_DOOR[mode]:
                        continue
                    for kind, status, title in _send(case, headers, app_server.base_url, session):
                        failures[(operation.label, caller, kind, title, status)] += 1
    session.close()
    generated.keep()
    report = "\n".join(
        f"{n}× {label} as {caller}: {kind} {status} {title}"
        for (label, caller, kind, title, status), n in sorted(failures.items())
    )
    print(f"{operations} operations, {len(failures)} distinct failures")  # noqa: T201
    assert operations > 100 // SHARDS
    assert not failures, report
