"""Where the store tests put a store: a SQLite file always; a fresh database on the PostgreSQL server named by
RENOVCHECK_TEST_POSTGRES_URL (.ci/run starts a throwaway cluster and sets it). Without the variable a PostgreSQL
test skips, and under CI=true it fails (tests/conftest.py skip_unless_ci)."""
from __future__ import annotations

import atexit
import os
import uuid

from tests.conftest import skip_unless_ci

POSTGRES_ENV = "RENOVCHECK_TEST_POSTGRES_URL"


def postgres_url() -> str:
    """A new, empty database on the test server, dropped again when the test session ends."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        skip_unless_ci(f"no PostgreSQL server: {POSTGRES_ENV} is not set (.ci/run starts one)")
    import psycopg

    name = "renovcheck_test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    if not _created:
        atexit.register(drop_created)
    _created.append((base, name))
    from sqlalchemy.engine import make_url

    return make_url(base.replace("postgresql://", "postgresql+psycopg://", 1)).set(database=name) \
        .render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://", 1)


_created: list = []


def drop_created() -> None:
    import psycopg

    while _created:
        base, name = _created.pop()
        with psycopg.connect(base, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def backends(tmp_path) -> dict:
    return {"sqlite": lambda: str(tmp_path / "renovcheck.db"), "postgresql": postgres_url}
