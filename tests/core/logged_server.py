"""The app as production runs it — settings from the environment, `create_app()` configuring the
logs, uvicorn started by `run_server()` like `junxiu serve` — plus two test-only routes that fail
with personal data in the exception and in a failing SQL statement's parameters.

Run by tests/core/test_log_redaction.py in a subprocess whose stdout and stderr it reads:
`python -m tests.core.logged_server PORT`.
"""

from __future__ import annotations

import sys

from sqlalchemy import text

from backend.app import create_app
from backend.core.deps import SessionDep
from backend.core.serving import run_server
from backend.core.settings import Settings


def main(port: int) -> None:
    settings = Settings()
    app = create_app(settings)

    @app.get("/_test/boom")
    def boom(id_number: str, phone: str, openid: str) -> None:
        raise RuntimeError(f"处理 {id_number} 时出错，电话 {phone}，openid {openid}")

    @app.get("/_test/bad-sql")
    def bad_sql(db: SessionDep, id_number: str, phone: str, openid: str) -> None:
        # NOT NULL columns left out: the database refuses the row, parameters and all.
        db.execute(
            text("INSERT INTO staff_account (username, display_name) VALUES (:u, :d)"),
            {"u": openid, "d": f"{id_number} {phone}"},
        )

    run_server(
        app,
        host="127.0.0.1",
        port=port,
        log_level=settings.log_level,
        log_json=settings.log_json,
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
