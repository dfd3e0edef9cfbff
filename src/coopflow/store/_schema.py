"""The store's tables and the steps that create or upgrade them, one per schema version.

A new database runs every step; one of an older coopflow runs the steps it lacks. The version
lives in ``coopflow_schema``; a database of a newer coopflow is refused.
"""

import json
from collections.abc import Callable

import sqlalchemy as sa

from coopflow._text import Phrase
from coopflow.exceptions import StoreError

METADATA = sa.MetaData()

SCHEMA = sa.Table("coopflow_schema", METADATA, sa.Column("version", sa.Integer, nullable=False))

TRAJECTORIES = sa.Table(
    "coopflow_trajectories",
    METADATA,
    sa.Column("id", sa.String(200), primary_key=True),
    sa.Column("process_id", sa.String(200), nullable=False, index=True),
    sa.Column("process_version", sa.String(200), nullable=False),
    sa.Column("fingerprint", sa.String(100), nullable=False, index=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("state", sa.String(200), nullable=False, index=True),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("generation", sa.Integer, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("updated", sa.String(40), nullable=False),
    sa.Column("snapshot", sa.Text, nullable=False),
    # The serialised format the snapshot was written in (0: by a store of schema 2 or older).
    sa.Column("format", sa.Integer, nullable=False, server_default="0"),
)

RECORDS = sa.Table(
    "coopflow_records",
    METADATA,
    sa.Column("trajectory_id", sa.String(200), primary_key=True),
    sa.Column("generation", sa.Integer, primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("outcome", sa.String(20), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("format", sa.Integer, nullable=False, server_default="0"),
)

PARTIES = sa.Table(
    "coopflow_parties",
    METADATA,
    sa.Column("trajectory_id", sa.String(200), primary_key=True),
    sa.Column("party_id", sa.String(200), primary_key=True, index=True),
)

OUTBOX = sa.Table(
    "coopflow_outbox",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("trajectory_id", sa.String(200), nullable=False),
    sa.Column("generation", sa.Integer, nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("trigger", sa.String(200), nullable=False),
    sa.Column("source", sa.String(200), nullable=False),
    sa.Column("dest", sa.String(200), nullable=False),
    sa.Column("automatic", sa.Boolean, nullable=False),
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("acknowledged", sa.Boolean, nullable=False, index=True),
    sa.UniqueConstraint("trajectory_id", "generation", "seq", "position"),
)


def _version_1(connection: sa.Connection) -> None:
    """Trajectories with their snapshots, and the append-only records."""
    for table in (TRAJECTORIES, RECORDS):
        table.create(connection, checkfirst=True)


def _version_2(connection: sa.Connection) -> None:
    """Who takes part (for find by party), and the outbox of transitions."""
    for table in (PARTIES, OUTBOX):
        table.create(connection, checkfirst=True)
    # Trajectories saved by version 1 get their parties from their snapshots.
    rows = connection.execute(sa.select(TRAJECTORIES.c.id, TRAJECTORIES.c.snapshot)).all()
    parties = [
        {"trajectory_id": row.id, "party_id": party_id}
        for row in rows
        for party_id in sorted({party["id"] for party in json.loads(row.snapshot)["parties"]})
    ]
    if parties:
        connection.execute(PARTIES.insert(), parties)


def _version_3(connection: sa.Connection) -> None:
    """The format each snapshot and record was written in.

    The store reads its own rows of the current format without checking them again; older rows
    get 0 and are read strictly.
    """
    inspector = sa.inspect(connection)
    for table in (TRAJECTORIES, RECORDS):
        if "format" not in {column["name"] for column in inspector.get_columns(table.name)}:
            connection.execute(
                sa.text(f"ALTER TABLE {table.name} ADD COLUMN format INTEGER NOT NULL DEFAULT 0")
            )


STEPS: tuple[Callable[[sa.Connection], None], ...] = (_version_1, _version_2, _version_3)
"""Step n brings a database from schema version n to n + 1."""

VERSION = len(STEPS)
"""The schema version this coopflow writes."""


def installed(connection: sa.Connection) -> int:
    """The schema version of the database (0 when it has no coopflow tables)."""
    if not sa.inspect(connection).has_table(SCHEMA.name):
        return 0
    version = connection.execute(sa.select(SCHEMA.c.version)).scalar_one_or_none()
    return 0 if version is None else int(version)


def upgrade(connection: sa.Connection, to: int = VERSION) -> int:
    """Create or upgrade the schema to version `to`, in the caller's transaction."""
    if connection.dialect.name == "postgresql":
        # Several servers opening one new database at once: one creates, the others wait.
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(8231007)"))
    current = installed(connection)
    if current > VERSION:
        raise StoreError(
            Phrase(
                "the database has coopflow schema version {current}; this coopflow knows up to "
                "{version}: upgrade coopflow",
                current=current,
                version=VERSION,
            )
        )
    if current >= to:
        return current
    SCHEMA.create(connection, checkfirst=True)
    for step in STEPS[current:to]:
        step(connection)
    if current == 0:
        connection.execute(SCHEMA.insert().values(version=to))
    else:
        connection.execute(SCHEMA.update().values(version=to))
    return to
