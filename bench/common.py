"""Shared by the benchmark scripts: a fresh PostgreSQL database, a free port, bulk retirees."""

from __future__ import annotations

import os
import socket
from datetime import date, datetime
from typing import Any

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import Connection

from backend.accounts.models import Retiree, WechatUser


def fresh_pg_database(name: str = "junxiu_bench") -> str | None:
    """BENCH_DATABASE_URL, else a new `junxiu_bench` database on the local server; None (with a
    note) when no server answers, so the other rows of a table still run."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        return url
    admin = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    try:
        engine = create_engine(admin, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {name}"))
        engine.dispose()
    except Exception as exc:
        print(f"(PostgreSQL not reachable, skipped: {type(exc).__name__})")
        return None
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def insert_people(
    conn: Connection, *, count: int, unit_for: Any, now: datetime, prefix: str = "p"
) -> tuple[list[int], list[int]]:
    """`count` WeChat users and one bound retiree each; unit_for(i) gives the unit id.
    Returns (user ids, retiree ids) in order."""
    conn.execute(
        insert(WechatUser), [{"openid": f"{prefix}-{i}", "created_at": now} for i in range(count)]
    )
    users = [
        r[0]
        for r in conn.execute(
            text("SELECT id FROM wechat_user WHERE openid LIKE :p ORDER BY id"),
            {"p": f"{prefix}-%"},
        )
    ]
    conn.execute(
        insert(Retiree),
        [
            {
                "unit_id": unit_for(i),
                "name": f"老同志{i}",
                "gender": "男",
                "birth_date": date(1940, 1, 1),
                "category": "退休",
                "level": "团级及以下",
                "id_number_enc": "x",
                "id_number_hash": f"{prefix}{i}",
                "id_number_tail": "0000",
                "status": "在册",
                "wechat_user_id": users[i],
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for i in range(count)
        ],
    )
    retirees = [r[0] for r in conn.execute(text("SELECT id FROM retiree ORDER BY id"))]
    return users, retirees
