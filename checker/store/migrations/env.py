"""Alembic environment: renovcheck always passes an open connection (checker/store/__init__.py opens it inside
the transaction that holds the store's write lock), so there is no offline mode and no URL here."""
from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
