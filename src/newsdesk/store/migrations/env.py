"""Alembic environment: runs newsdesk's migrations on the connection the caller passes.

`newsdesk.store.migrate.upgrade_database` opens the connection (with newsdesk's SQLite
settings) and hands it over in `config.attributes["connection"]`; there is no alembic.ini.
Search objects that live only in the database are hidden from autogenerate so that it
does not propose dropping them.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from newsdesk.store.migrate import include_object
from newsdesk.store.schema import metadata


def _run(connection: Connection) -> None:
    """Run the pending migrations in one transaction."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


_connection = context.config.attributes.get("connection")
if _connection is None:
    raise RuntimeError("run newsdesk migrations through newsdesk.store.upgrade_database(url)")
_run(_connection)
