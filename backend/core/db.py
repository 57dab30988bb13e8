"""Engine creation and the request-scoped session that owns the transaction."""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.pool import ConnectionPoolEntry, QueuePool
from sqlmodel import Session, create_engine

from backend.core.errors import AppError, ServiceUnavailable
from backend.core.settings import POOL_CONNECTIONS

log = logging.getLogger(__name__)


def normalise_url(url: str) -> str:
    """Accept postgres:// and postgresql:// and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


# The planner is told that reading a row by its index costs about what reading it in turn does
# (1.1 against PostgreSQL's default 4, which models spinning disks): our tables live in memory
# or on SSD. With the default, a page of a person's inbox joined its 41 rows to the notices by
# reading every notice (a hash join over a full scan), and every personal notice the service
# writes made that longer — 640 notices 1.5 ms; 15.2 ms of database CPU a request after 4,000
# sign-ups in the bench — until the table grew large enough for the default costs to turn to
# the key by themselves. With 1.1 the 41 are looked up by key (0.7 ms) at every size.
# tests/core/test_planner.py.
PLANNER_OPTIONS = "-c random_page_cost=1.1"


def make_engine(url: str, *, pool_connections: int = POOL_CONNECTIONS, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    # A failing statement's error never repeats its parameters (names, phones, openids): they
    # would reach the logs with the traceback.
    kwargs.setdefault("hide_parameters", True)
    if is_sqlite(url):
        return _make_sqlite_engine(url, kwargs)
    kwargs.setdefault("pool_pre_ping", True)
    # Every connection a worker may hold is kept, none opened for a moment: at most
    # pool_connections at once, as before, but an idle one stays open. With 10 kept and 20
    # "overflow" ones closed as they came back, a busy minute opened a new connection for one
    # request in five: a new PostgreSQL process each time, and none of the statements psycopg
    # had prepared on the old one (the activity list was planned again, ~3 ms).
    kwargs.setdefault("pool_size", pool_connections)
    kwargs.setdefault("max_overflow", 0)
    kwargs.setdefault("poolclass", FairQueuePool)
    connect_args = kwargs.setdefault("connect_args", {})
    connect_args.setdefault("options", PLANNER_OPTIONS)
    return create_engine(url, **kwargs)


class FairQueuePool(QueuePool):
    """A QueuePool whose waiters get connections in the order they asked.

    SQLAlchemy's queue wakes a waiter when a connection comes back, but a thread that asks just
    then takes it first, and the woken one waits again at the back. Under a burst (2,000 people
    signing up for one activity: ~100 requests per worker for 30 connections, most of them
    queued on the activity's row lock) a few requests were overtaken again and again until their
    30 s ran out (503) while the rest went through in a few seconds. Here each connection that
    comes back is handed to the longest waiter: a request waits for the requests ahead of it,
    never for ones that came later."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._turns = threading.Lock()
        # No limit (pool_size 0, or max_overflow -1): nobody ever waits, so there is no order.
        self._limited = self._pool.maxsize > 0 and self._max_overflow >= 0
        self._free = self._pool.maxsize + max(self._max_overflow, 0)
        self._waiting: deque[threading.Event] = deque()

    def _take_turn(self) -> None:
        with self._turns:
            if self._free > 0 and not self._waiting:
                self._free -= 1
                return
            mine = threading.Event()
            self._waiting.append(mine)
        if mine.wait(self._timeout):
            return  # handed over by _give_turn: counted there
        with self._turns:
            if mine.is_set():  # handed over between the timeout and this line
                return
            self._waiting.remove(mine)
        raise sa_exc.TimeoutError(
            f"QueuePool limit of size {self.size()} overflow {self._max_overflow} reached, "
            f"connection timed out, timeout {self._timeout:0.2f}",
            code="3o7r",
        )

    def _give_turn(self) -> None:
        with self._turns:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._free += 1

    def _do_get(self) -> ConnectionPoolEntry:
        if not self._limited:
            return super()._do_get()
        self._take_turn()
        try:
            return super()._do_get()  # never waits: a turn means a connection is free
        except BaseException:
            self._give_turn()
            raise

    def _do_return_conn(self, record: ConnectionPoolEntry) -> None:
        try:
            super()._do_return_conn(record)
        finally:
            if self._limited:
                self._give_turn()


def _make_sqlite_engine(url: str, kwargs: dict[str, Any]) -> Engine:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("poolclass", FairQueuePool)
    # As many connections as the server has worker threads (40), so a thread waiting for
    # the write gate never starves another of a connection.
    kwargs.setdefault("pool_size", 45)
    kwargs.setdefault("max_overflow", 10)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
    gate = threading.Semaphore(1)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn: Any, _: Any) -> None:
        # Let the driver's implicit BEGIN be replaced by our explicit BEGIN IMMEDIATE below,
        # so concurrent writers queue on the database lock instead of failing mid-transaction.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn: Any) -> None:
        # SQLite has one writer. Threads of this process queue on a semaphore (woken at
        # once when it is free) instead of polling the file lock, which collapses under
        # load; other processes still queue on the lock itself (busy_timeout).
        if not gate.acquire(timeout=30):
            raise ServiceUnavailable("系统正忙，请稍后再试。", code="database_busy")
        conn.info["junxiu_gate"] = True
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(conn.info)
            raise

    def _release(info: dict[str, Any]) -> None:
        if info.pop("junxiu_gate", False):
            gate.release()

    @event.listens_for(engine, "commit")
    def _sqlite_commit(conn: Any) -> None:
        _release(conn.info)

    @event.listens_for(engine, "rollback")
    def _sqlite_rollback(conn: Any) -> None:
        _release(conn.info)

    @event.listens_for(engine.pool, "checkin")
    def _sqlite_checkin(_dbapi_conn: Any, record: Any) -> None:
        if record is not None:
            _release(record.info)

    return engine


# Set on a session's info once its transaction has written (an ORM flush, or an ORM-enabled
# INSERT / UPDATE / DELETE); cleared when the transaction ends. See wrote().
_WROTE = "junxiu_wrote"


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _flush_context: Any) -> None:
    session.info[_WROTE] = True


@event.listens_for(Session, "do_orm_execute")
def _on_orm_execute(state: Any) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[_WROTE] = True


# Set on a session's info while its transaction holds a database connection (begun on one);
# cleared when the transaction ends. See idle().
_CONNECTED = "junxiu_connected"

# Marks the session core/deps.get_db made for a request (core/routing.py commits it).
REQUEST_SESSION = "junxiu_request_session"


@event.listens_for(Session, "after_begin")
def _after_begin(session: Session, _transaction: Any, _connection: Any) -> None:
    session.info[_CONNECTED] = True


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction: the next one starts clean
        session.info.pop(_WROTE, None)
        session.info.pop(_CONNECTED, None)


def wrote(session: Session) -> bool:
    """Whether the session's current transaction has written anything, or has writes pending."""
    return bool(session.info.get(_WROTE) or session.new or session.dirty or session.deleted)


def read_columns(db: Session, statement: Any, params: Mapping[str, Any] | None = None) -> Any:
    """A read of plain columns run on the session's own connection and transaction (Core): no
    ORM execution context built for the call, which cost more than the statement on a hot list
    (the inbox page: 0.60 -> 0.42 ms of CPU in-process). Flushes first, as an ORM query would.
    Reads only: a write sent this way would not be seen by wrote()."""
    db.flush()
    return db.connection().execute(statement, params or {})


_AFTER_COMMIT = "junxiu_after_commit"
_COMMITTED = "junxiu_committed"


def idle(session: Session) -> bool:
    """Whether ending the session's transaction sends nothing and runs nothing: it holds no
    connection, has no change to flush and no after-commit step waiting. Then committing or
    rolling it back and closing it is bookkeeping in this process (core/deps.get_db does it
    without a thread-pool hop)."""
    return not (
        session.info.get(_CONNECTED)
        or session.info.get(_AFTER_COMMIT)
        or session.info.get(_COMMITTED)
        or session.new
        or session.dirty
        or session.deleted
    )


def after_commit(session: Session, fn: Callable[[], None]) -> None:
    """Run fn once this session's transaction has committed and ended (its connection back in
    the pool), in the same thread: for a request, before its response is sent. Rolled back:
    dropped. An error in fn is logged, never raised (the transaction is committed already)."""
    queued: list[Callable[[], None]] | None = session.info.get(_AFTER_COMMIT)
    if queued is None:
        queued = session.info[_AFTER_COMMIT] = []
        event.listen(session, "after_commit", _mark_committed)
        event.listen(session, "after_transaction_end", _run_committed)
        event.listen(session, "after_rollback", _forget_queued)
    queued.append(fn)


def _mark_committed(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint was released: the caller's transaction goes on
    queued: list[Callable[[], None]] = session.info.get(_AFTER_COMMIT) or []
    session.info.setdefault(_COMMITTED, []).extend(queued)
    queued.clear()


def _run_committed(session: Session, transaction: Any) -> None:
    if transaction.parent is not None:
        return
    committed: list[Callable[[], None]] = session.info.get(_COMMITTED) or []
    while committed:
        fn = committed.pop(0)
        try:
            fn()
        except Exception:  # noqa: BLE001 - committed already; the caller's fallback applies
            log.exception("after-commit step failed")


def _forget_queued(session: Session) -> None:
    if session.get_nested_transaction() is None:
        session.info.get(_AFTER_COMMIT, []).clear()


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on error. Services never commit."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except AppError as exc:
            if exc.keep_changes:
                session.commit()
            else:
                session.rollback()
            raise
        except BaseException:
            session.rollback()
            raise


def insert_for(db: Session, table: Any) -> postgresql.Insert | sqlite.Insert:
    """An INSERT in the session's own dialect, for ON CONFLICT DO NOTHING / RETURNING (the two
    databases we run on both have them; SQLAlchemy's generic insert has neither)."""
    module = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    return module.insert(table)


def send_with_commit(db: Session, statement: str, params: dict[str, Any]) -> tuple[Any, ...]:
    """PostgreSQL only: run one statement (psycopg's %(name)s parameters) that returns one row,
    and COMMIT the session's transaction with it, in one round trip (psycopg's pipeline mode).

    Why: a statement that takes a row lock every request queues on holds it until the COMMIT
    reaches the server. Sent apart, the COMMIT waits for this process to read the reply — and,
    on a busy worker, for its thread to get the GIL back: milliseconds per round trip, during
    which every other request for the same row waits. Sent together, the server commits as
    soon as the statement ends.

    On return the session's transaction is committed (its db.commit() sends nothing: the
    transaction has ended on the server) and its after-commit steps have run. A failed statement
    is raised as SQLAlchemy's error, with nothing committed; the session must then roll back."""
    session_conn = db.connection()
    raw: Any = session_conn.connection.driver_connection
    try:
        with raw.pipeline():
            cursor = raw.cursor()
            cursor.execute(statement, params)
            raw.commit()
        row = cursor.fetchone()
    except raw.Error as exc:  # psycopg.Error, raised as the session's own statements are
        raise sa_exc.DBAPIError.instance(
            statement,
            None,
            exc,
            type(raw).Error,
            hide_parameters=True,
            dialect=session_conn.dialect,
        ) from exc
    db.info[_WROTE] = True
    db.commit()
    if row is None:
        raise RuntimeError("the statement returned no row")
    return tuple(row)
