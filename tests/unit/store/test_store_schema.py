"""The migrations make exactly the tables checker/store/tables.py describes, on SQLite and on PostgreSQL."""
from __future__ import annotations

import pytest

from tests.unit.store.store_backends import backends


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migrations_match_the_tables(backend, tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from checker.store import open_store, schema_head
    from checker.store.tables import metadata

    target = backends(tmp_path)[backend]()
    store = open_store(target, write=True)
    try:
        assert store.schema_version() == schema_head()
        with store.reading() as connection:
            assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    finally:
        store.close()
