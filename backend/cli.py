"""`junxiu`: admin tasks — migrate, demo, serve, create-staff, import-roster, backup."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from sqlalchemy.engine import Engine

from backend.core.actors import persisted_id
from backend.core.clock import SystemClock
from backend.core.db import is_sqlite, make_engine, normalise_url, transaction
from backend.core.migrate import upgrade_to_head
from backend.core.security import PersonalDataCipher
from backend.core.settings import REPO_ROOT, get_settings

app = typer.Typer(help="军休服务助手 管理命令", no_args_is_help=True, add_completion=False)


def _engine() -> Engine:
    """The database, with this command's changes bumping the versions of every worker's cached
    identities in Redis (core/versions.py), as a change made in the app does."""
    from backend.accounts import identity_cache  # noqa: F401 - its flush listener
    from backend.core import versions
    from backend.core.cache import create_cache

    settings = get_settings()
    engine = make_engine(settings.database_url)
    versions.register(engine, create_cache(settings.redis_url))
    return engine


def _cipher() -> PersonalDataCipher:
    settings = get_settings()
    return PersonalDataCipher(settings.secret_key, settings.id_encryption_key)


@app.command()
def migrate() -> None:
    """Upgrade the database to the newest schema."""
    upgrade_to_head(get_settings().database_url)
    typer.echo("数据库已是最新结构。")


@app.command()
def demo() -> None:
    """Load demo data (idempotent)."""
    from backend.demo import load_demo

    engine = _engine()
    with transaction(engine) as db:
        summary = load_demo(
            db, clock=SystemClock(), cipher=_cipher(), upload_dir=get_settings().upload_dir
        )
    engine.dispose()
    if summary.created:
        typer.echo(f"演示数据已载入：{summary.retirees} 位老同志。")
    else:
        typer.echo(f"演示数据已存在（{summary.retirees} 位老同志），未重复载入。")


def port_in_use(host: str, port: int) -> str | None:
    """A Chinese sentence saying the port is taken and how to choose another, or None if free.

    Checked before anything is printed: uvicorn would otherwise fail after 「已启动」 with an
    English error."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            other = 8100 if port != 8100 else 8200
            return (
                f"端口 {port} 已被占用，可能已经有一个服务在运行。\n"
                f"请先关掉它，或者换一个端口启动，例如：PORT={other} make run"
            )
    return None


def compile_bytecode() -> None:
    """Write the backend's and the bot's bytecode caches before the workers start, as a deployed
    install has them: without them (PYTHONDONTWRITEBYTECODE, a read-only checkout) every worker
    compiles every module at each start (~0.7 s of a cold start on the 2-core machine). Only
    stale files are compiled, so a second serve costs a directory walk."""
    import compileall

    for package in ("backend", "bot"):
        if (REPO_ROOT / package).is_dir():
            compileall.compile_dir(REPO_ROOT / package, quiet=2, workers=1)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", envvar="HOST", help="监听地址"),
    port: int = typer.Option(8000, envvar="PORT", help="端口（也可用环境变量 PORT）"),
    workers: int = typer.Option(
        1, help="Several workers need REDIS_URL and an external WeChat API"
    ),
) -> None:
    """Start the API server and print where everything is."""
    from backend.core.serving import run_server
    from backend.demo import DEMO_FAMILY_OPENID, DEMO_RETIREE_OPENID, DEMO_STAFF, demo_binding_code

    busy = port_in_use(host, port)
    if busy:
        typer.echo(busy, err=True)
        raise typer.Exit(code=1)
    base = f"http://{host}:{port}"
    if get_settings().mount_fake_wechat and "WECHAT_API_BASE" not in os.environ:
        # The fake WeChat API is served by this same server: point the client at it.
        os.environ["WECHAT_API_BASE"] = f"{base}/fake-wechat"
        get_settings.cache_clear()
    settings = get_settings()
    engine = make_engine(settings.database_url)
    with transaction(engine) as db:
        bind = demo_binding_code(db, clock=SystemClock())
    engine.dispose()
    lines = [
        "",
        "军休服务助手 已启动",
        f"  接口文档     {base}/docs",
        f"  工作人员后台 {base}/console",
        f"  健康检查     {base}/readyz",
        "  演示工作人员账号：",
    ]
    lines += [f"    {u} / {p}  （{name}）" for u, p, name, _, _ in DEMO_STAFF]
    fake = f"{base}/fake-wechat/_fake/login-code"
    lines += [
        "  演示小程序登录（模拟 wx.login 拿 code，再登录）：",
        f"    curl -s -X POST {fake} -H 'Content-Type: application/json' "
        f'-d \'{{"openid": "{DEMO_RETIREE_OPENID}"}}\'',
        f"    curl -s -X POST {base}/api/v1/auth/wechat -H 'Content-Type: application/json' "
        '-d \'{"code": "<上一步的 code>"}\'',
        f"    已绑定老同志本人：openid={DEMO_RETIREE_OPENID}；家属：openid={DEMO_FAMILY_OPENID}",
    ]
    if bind:
        lines.append(f"  演示绑定码：{bind[0]}（{bind[1]}，身份证后4位 {bind[2]}），7天有效")
    typer.echo("\n".join(lines) + "\n")
    compile_bytecode()
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "limit_concurrency": settings.max_concurrent_requests,
        "log_level": settings.log_level,
        "log_json": settings.log_json,
    }
    if workers > 1:
        status = run_server("backend.main:app", workers=workers, **options)
    else:
        from backend.main import app as asgi_app

        status = run_server(asgi_app, **options)
    raise typer.Exit(code=status)


@app.command("create-staff")
def create_staff(
    username: str,
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
    name: str = typer.Option(..., help="显示名"),
    unit: str = typer.Option(..., help="所属单位名称"),
    admin: bool = typer.Option(False, help="管理员"),
) -> None:
    """Create a staff account (the first admin, or a password-less bootstrap)."""
    from sqlmodel import select

    from backend.accounts.enums import StaffRole
    from backend.accounts.models import StaffAccount, Unit
    from backend.core.security import hash_password

    engine = _engine()
    with transaction(engine) as db:
        unit_row = db.exec(select(Unit).where(Unit.name == unit)).first()
        if unit_row is None:
            raise typer.BadParameter(f"没有叫“{unit}”的单位")
        if db.exec(select(StaffAccount).where(StaffAccount.username == username)).first():
            raise typer.BadParameter("用户名已存在")
        db.add(
            StaffAccount(
                username=username,
                display_name=name,
                password_hash=hash_password(password),
                role=StaffRole.admin if admin else StaffRole.staff,
                unit_id=persisted_id(unit_row),
                created_at=SystemClock().now(),
            )
        )
    typer.echo(f"已创建账号 {username}。")


@app.command("import-roster")
def import_roster(
    file: Path,
    staff_username: str = typer.Option(..., "--as", help="以哪个工作人员身份导入（记入操作记录）"),
    yes: bool = typer.Option(False, "--yes", help="不询问，直接导入有效行"),
) -> None:
    """Check a roster .xlsx and import its valid rows."""
    from sqlmodel import select

    from backend.accounts import roster
    from backend.accounts.models import StaffAccount, Unit
    from backend.domains import install_hooks

    install_hooks()  # a re-import that changes an address moves open rides and deliveries

    engine = _engine()
    clock = SystemClock()
    data = file.read_bytes()
    with transaction(engine) as db:
        staff = db.exec(select(StaffAccount).where(StaffAccount.username == staff_username)).one()
        scope = db.get(Unit, staff.unit_id)
        assert scope is not None
        row = roster.start(
            db, clock=clock, staff=staff, scope=scope, filename=file.name, size=len(data)
        )
        roster.process(db, cipher=_cipher(), row=row, scope=scope, data=data)
        for problem in roster.problems_of(row):
            typer.echo(f"第{problem['row']}行 {problem['name']}：{problem['reason']}")
        typer.echo(f"有效 {row.valid_rows} 行，有问题 {len(roster.problems_of(row))} 行。")
        if row.status != "ready" or not (yes or typer.confirm("导入有效行？")):
            typer.echo(row.message or "未导入。")
            return
        roster.confirm(db, clock=clock, cipher=_cipher(), staff=staff, scope=scope, row=row)
        typer.echo(f"新增 {row.created_count}，更新 {row.updated_count}。")


@app.command()
def backup(out_dir: Path = typer.Option(REPO_ROOT / "var" / "backups")) -> None:
    """A consistent copy of the database (SQLite online backup; pg_dump for PostgreSQL)."""
    url = normalise_url(get_settings().database_url)
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    if is_sqlite(url):
        source_path = url.split("///", 1)[-1]
        target = out_dir / f"junxiu-{stamp}.db"
        source = sqlite3.connect(source_path)
        dest = sqlite3.connect(target)
        with dest:
            source.backup(dest)
        source.close()
        dest.close()
        typer.echo(f"备份完成：{target}")
        return
    target = out_dir / f"junxiu-{stamp}.dump"
    pg_url = url.replace("postgresql+psycopg://", "postgresql://")
    if shutil.which("pg_dump") is None:
        typer.echo(f"PostgreSQL 请用：pg_dump --format=custom --file={target} '{pg_url}'")
        raise typer.Exit(1)
    subprocess.run(["pg_dump", "--format=custom", f"--file={target}", pg_url], check=True)
    typer.echo(f"备份完成：{target}")


@app.command("fake-wechat")
def fake_wechat(host: str = "127.0.0.1", port: int = 8001) -> None:
    """Run the fake WeChat API on its own (for several API workers)."""
    from backend.core.serving import run_server
    from backend.wechat.fake_api import create_fake_wechat_app

    settings = get_settings()
    run_server(
        create_fake_wechat_app(),
        host=host,
        port=port,
        log_level=settings.log_level,
        log_json=settings.log_json,
    )


if __name__ == "__main__":
    app()
