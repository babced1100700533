"""Storage stage: SQLAlchemy 2 models, Alembic migrations and every query warta runs.

>>> from storage import Database
>>> with Database.open() as db:
...     db.store_batch(records)
...     hits = db.search('"open source" -crypto', lang="en")   # ranked, with snippets
...     for article in db.articles(query="model", since=week_ago):  # streamed
...         print(article.title)
"""

from storage.database import Database, default_database_url
from storage.filters import ArticleFilter
from storage.migrate import SchemaError
from storage.records import (
    CrawlRunRecord,
    Outcome,
    PageRecord,
    RawPage,
    Revision,
    SearchHit,
    StoredArticle,
    StoreResult,
)
from storage.search_syntax import QuerySyntaxError

__all__ = [
    "ArticleFilter",
    "CrawlRunRecord",
    "Database",
    "Outcome",
    "PageRecord",
    "QuerySyntaxError",
    "RawPage",
    "Revision",
    "SchemaError",
    "SearchHit",
    "StoreResult",
    "StoredArticle",
    "default_database_url",
]
