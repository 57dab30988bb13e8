"""`junxiu serve`: the port comes from PORT, and a busy port is refused in Chinese before start."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from backend import cli


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        yield holder.getsockname()[1]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_busy_port_is_named_in_chinese_and_nothing_starts(
    taken_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: started.append(kw["port"]))
    result = CliRunner().invoke(cli.app, ["serve"], env={"PORT": str(taken_port)})
    assert result.exit_code == 1
    assert f"端口 {taken_port} 已被占用" in result.output
    assert "PORT=" in result.output
    assert "已启动" not in result.output
    assert started == []


def test_port_in_use_answers_none_for_a_free_port() -> None:
    assert cli.port_in_use("127.0.0.1", _free_port()) is None


def test_the_port_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    port = _free_port()
    seen: dict[str, object] = {}
    monkeypatch.setattr("uvicorn.run", lambda *a, **kw: seen.update(kw))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("WECHAT_API_BASE", "http://127.0.0.1:9/fake-wechat")
    cli.get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli.app, ["serve"], env={"PORT": str(port)})
    finally:
        cli.get_settings.cache_clear()
    assert seen.get("port") == port, result.output
    assert f"http://127.0.0.1:{port}/console" in result.output
