"""Application settings, read from the environment (and an optional `.env` file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


# PostgreSQL connections per worker process (DATABASE_POOL_SIZE). Two workers hold at most 60
# of the server's 100 (its default max_connections), leaving room for jobs and psql.
POOL_CONNECTIONS = 30


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{REPO_ROOT / 'var' / 'junxiu.db'}",
        description="SQLAlchemy URL: a SQLite file by default, or postgresql+psycopg://…",
    )
    database_pool_size: int = Field(
        default=POOL_CONNECTIONS,
        ge=1,
        le=500,
        description="PostgreSQL connections each worker keeps and uses at most. Workers × this "
        "must stay below the server's max_connections (100 by default), with room to spare.",
    )
    redis_url: str = Field(
        default="",
        description="Redis URL. Empty: an in-process cache (one worker only).",
    )
    secret_key: str = Field(
        default="dev-secret-change-me-dev-secret-change-me",
        description="Signs console CSRF tokens and keys the 身份证号 search hash.",
    )
    id_encryption_key: str = Field(
        default="",
        description="Fernet key for 身份证号 at rest. Empty: derived from SECRET_KEY (dev only).",
    )
    wechat_appid: str = Field(default="wx-demo-appid", description="Mini-program AppID.")
    wechat_secret: str = Field(default="demo-secret", description="Mini-program AppSecret.")
    wechat_api_base: str = Field(
        default="http://127.0.0.1:8000/fake-wechat",
        description="WeChat API base URL; https://api.weixin.qq.com in production.",
    )
    mount_fake_wechat: bool = Field(
        default=True,
        description="Serve the fake WeChat API under /fake-wechat on this server (demo, tests).",
    )
    wechat_notice_template_id: str = Field(
        default="tmpl-notice-demo", description="Subscribe-message template id for notices."
    )
    wechat_sends_per_second: int = Field(
        default=20, description="Global rate limit for WeChat subscribe-message sends."
    )
    wechat_sends_per_user_hour: int = Field(
        default=6, description="Per-user rate limit for WeChat messages (the inbox has the rest)."
    )
    official_appid: str = Field(default="wx-demo-official", description="Official account AppID.")
    official_token: str = Field(
        default="junxiu-official-token", description="Official account callback token."
    )
    official_aes_key: str = Field(
        default="",
        description="Official account EncodingAESKey (43 chars) for safe mode; empty: plaintext.",
    )
    session_ttl_days: int = Field(default=30, description="Mini-program session sliding expiry.")
    staff_session_hours: int = Field(default=12, description="Staff console session lifetime.")
    sos_escalate_minutes: int = Field(
        default=5,
        ge=1,
        le=120,
        description="An emergency alert nobody has acknowledged after this many minutes goes "
        "to the unit's leaders.",
    )
    timezone: str = Field(default="Asia/Shanghai", description="Time zone shown and scheduled in.")
    upload_dir: Path = Field(
        default=REPO_ROOT / "var" / "uploads", description="Where uploaded files are stored."
    )
    bot_index_path: Path = Field(
        default=REPO_ROOT / "var" / "bot_index.pkl", description="The policy bot's index file."
    )
    knowledge_dir: Path = Field(
        default=REPO_ROOT / "knowledge", description="Regulations, FAQ and dictionaries."
    )
    log_level: str = Field(default="INFO", description="Log level.")
    log_json: bool = Field(default=False, description="Structured JSON logs (one object a line).")
    bind_attempts_per_hour: int = Field(
        default=10, description="Binding attempts allowed per openid and per IP in an hour."
    )
    bot_asks_per_minute: int = Field(
        default=30, ge=1, description="Questions one person may ask the bot in a minute."
    )
    run_scheduler: bool = Field(
        default=True, description="Run the job scheduler in this process (one holder at a time)."
    )
    safecheck_grace_minutes: int = Field(
        default=60,
        ge=5,
        le=720,
        description="报平安: minutes after the reminder before the named staff and the emergency "
        "contacts are told.",
    )
    worker_threads: int = Field(
        default=300,
        ge=10,
        description="Threads for blocking request work. Keep it above MAX_CONCURRENT_REQUESTS: "
        "a request holding a database lock must always find a thread to finish on.",
    )
    max_concurrent_requests: int = Field(
        default=250, ge=1, description="Requests served at once per process; more get 503."
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
