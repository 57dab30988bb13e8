"""Quiet hours asked in Python (the settings page) and in SQL (the job) give the same answer."""

from __future__ import annotations

from sqlalchemy import literal, select

from backend.safecheck import timing


def test_quiet_hours_in_python() -> None:
    night = (timing.parse("21:00"), timing.parse("07:00"))
    assert timing.is_quiet(timing.parse("21:00"), *night)
    assert timing.is_quiet(timing.parse("00:00"), *night)
    assert not timing.is_quiet(timing.parse("07:00"), *night)
    assert not timing.is_quiet(timing.parse("20:59"), *night)
    noon = (timing.parse("12:00"), timing.parse("14:00"))
    assert timing.is_quiet(timing.parse("13:59"), *noon)
    assert not timing.is_quiet(timing.parse("14:00"), *noon)
    assert not timing.is_quiet(600, 600, 600)  # equal ends: no quiet hours


def test_sql_agrees_with_python_on_every_boundary(engine) -> None:
    cases = [
        (m, s, e)
        for s, e in ((1260, 420), (720, 840), (600, 600), (0, 1), (1439, 0))
        for m in sorted({0, 1, 419, 420, 421, 719, 720, 839, 840, 1259, 1260, 1439, s, e})
    ]
    with engine.connect() as conn:
        for m, s, e in cases:
            got = conn.execute(select(timing.quiet_sql(m, literal(s), literal(e)))).scalar()
            assert bool(got) == timing.is_quiet(m, s, e), (m, s, e)
