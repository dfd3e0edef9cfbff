"""Trajectories in a database: SQLite embedded, PostgreSQL for several application servers.

Needs the ``store`` extra (SQLAlchemy Core 2); PostgreSQL needs the ``postgres`` extra too
(psycopg 3). ``import coopflow`` never imports this package, nor SQLAlchemy.

Example:
    >>> import coopflow as cf
    >>> from coopflow.store import Store
    >>> with Store.open("sqlite://") as store:
    ...     t = cf.Trajectory.start(cf.default_process(), id="t-1",
    ...                             parties=[cf.Party("a"), cf.Party("b")])
    ...     _ = store.save(t)
    ...     store.update("t-1", lambda t: t.fire("stall")).revision
    1
"""

try:
    import sqlalchemy as _sqlalchemy  # noqa: F401 - checked here, so the message names the extra
except ImportError as error:
    raise ImportError(
        "coopflow.store needs SQLAlchemy: pip install 'coopflow[store]' "
        "(and 'coopflow[postgres]' for PostgreSQL)"
    ) from error

from coopflow.store._store import Notice, Page, Store, Summary

__all__ = ["Notice", "Page", "Store", "Summary"]
