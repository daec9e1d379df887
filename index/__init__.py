"""Storage and search: the Store protocol (index/store.py), the query language, the SQLite (index/sqlite/) and Elasticsearch (index/elastic/) stores."""
from index.article import Article
from index.query import QueryError, parse
from index.store import Filters, Hit, SearchResult, Store, open_store

__all__ = ["Article", "Filters", "Hit", "QueryError", "SearchResult", "Store", "open_store", "parse"]
