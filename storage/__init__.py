"""Storage stage: SQLAlchemy 2 models, Alembic migrations and every query warta runs.

>>> from storage import Database
>>> with Database.open() as db:
...     db.store_batch(records)
...     db.query_articles("open source", lang="en")
"""

from storage.database import Database, default_database_url
from storage.migrate import SchemaError
from storage.records import (
    CrawlRunRecord,
    Outcome,
    PageRecord,
    RawPage,
    Revision,
    StoredArticle,
    StoreResult,
)

__all__ = [
    "CrawlRunRecord",
    "Database",
    "Outcome",
    "PageRecord",
    "RawPage",
    "Revision",
    "SchemaError",
    "StoreResult",
    "StoredArticle",
    "default_database_url",
]
