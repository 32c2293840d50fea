"""The data layer: every SQL statement of the project lives in this package.

``open_db`` returns a ``sqlite_utils.Database`` with WAL on and the schema migrated; the modules
beside it hold verb-named functions over it, one module per concern.
"""

from crawler.store.db import open_db, utcnow

__all__ = ["open_db", "utcnow"]
