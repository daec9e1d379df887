"""What every command shares: the consoles, the one way to fail, and the invocation's store (a Session)."""
from __future__ import annotations

import sqlite3
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, NoReturn, Optional

import typer
from rich.console import Console

from index.store import Store, open_store, sqlite_path
from monitor.config import Config, load_config, newsmon_home
from monitor.errors import UserError

if TYPE_CHECKING:  # imported when a command needs it: `import monitor.cli` stays light (stage workers re-import it)
    from monitor.app import Newsmon

# wide enough for the summary table when piped (Rich assumes 80 columns off a terminal)
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True)
LOOPBACK_HELP = ("Crawl servers on this machine (127.0.0.0/8, e.g. `python -m sampleweb`), which are "
                 "refused otherwise, with no politeness delays.")


def fail(message: str, param: str | None = None, position: int | None = None) -> NoReturn:
    """Stop with a user error: one line on stderr, exit code 2 (and with --json the error document)."""
    raise UserError(message, param, position)


def home() -> Path:
    """Where newsmon keeps its default store and crawl state."""
    return newsmon_home()


def sqlite_url(path: Path) -> str:
    """sqlite:/// followed by the path: four slashes for an absolute one."""
    return f"sqlite:///{path}"


def demo_store_path() -> Path:
    return home() / "demo.db"


def parse_day(value: Optional[str], name: str) -> Optional[datetime]:
    """A --since/--until day (or ISO time), UTC when no zone is given."""
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        fail(f"--{name} {value!r} is not a date like 2025-03-01")
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


def select_sources(sources_file: Optional[Path], ids: list[str]):
    """The configured sources (of `sources_file`, else the packaged file), only `ids` when given."""
    from crawler.sources import load_sources

    all_sources = load_sources(sources_file)  # a SourcesError is a user error (monitor.errors)
    if not ids:
        return all_sources
    unknown = set(ids) - {s.id for s in all_sources}
    if unknown:
        fail(f"unknown source(s) {', '.join(sorted(unknown))}; run `newsmon sources` to list them")
    return [s for s in all_sources if s.id in ids]


def session(ctx: typer.Context) -> "Session":
    """The invocation's Session, made by the main callback (monitor.cli.main_options)."""
    return ctx.find_root().obj


class Session:
    """The store this invocation works on: --store, NEWSMON_STORE, or the default file."""

    def __init__(self, store_url: str, given: bool):
        self.store_url = store_url
        self.given = given  # by --store or NEWSMON_STORE, not the default

    def config(self) -> Config:
        """The configuration of the current store (see monitor/config.py)."""
        return load_config(self.store_url)

    def use_demo_store_if_default_is_empty(self) -> None:
        """Read commands use the demo's store until a crawl has filled the default one (said on stderr)."""
        default = sqlite_path(self.store_url)
        if self.given or default is None or not demo_store_path().exists() or not _is_empty_sqlite(default):
            return
        self.store_url = sqlite_url(demo_store_path())
        err.print(f"[dim]{default} holds no articles yet, so this is the demo's store {demo_store_path()} "
                  f"(`newsmon crawl` fills {default.name}; --store picks any store)[/dim]")

    def require_existing_store(self) -> None:
        """Reading commands and serve never create a SQLite store: one that is missing is an error."""
        path = sqlite_path(self.store_url)
        if path is not None and not path.exists():
            fail(_missing_store_message(self.store_url, path))

    @contextmanager
    def opened_store(self, read_only: bool = False) -> Iterator[Store]:
        """The store of --store; a read-only command never creates one (a missing store is an error)."""
        if read_only:
            self.require_existing_store()
        with opened(self.store_url) as store:
            yield store

    @contextmanager
    def newsmon(self, read_only: bool = False) -> Iterator["Newsmon"]:
        """The application over the opened store (its opening errors are one line each)."""
        from monitor.app import Newsmon

        with self.opened_store(read_only) as store:
            yield Newsmon.over(store, self.config())


def _is_empty_sqlite(path: Path) -> bool:
    if not path.exists():
        return True
    with opened(sqlite_url(path)) as store:
        return store.count() == 0


def _missing_store_message(url: str, path: Path) -> str:
    message = f"no store at {path.absolute()}"
    if url.startswith("sqlite:///") and not path.is_absolute():
        message += (f" (sqlite:///{path} is relative to the current folder; "
                    f"write sqlite:////{path} for /{path})")
    return message + ": run `newsmon crawl` or `newsmon demo` first, or pass --store URL"


@contextmanager
def opened(url: str) -> Iterator[Store]:
    """The store at `url` with its configured spool and credentials; failing to open it is one line."""
    try:
        store = open_store(url, **load_config(url).store_options())
    except ValueError as exc:  # an unknown scheme or a path that is not a store
        fail(f"{exc} (--store or NEWSMON_STORE)")
    except (sqlite3.Error, OSError) as exc:
        fail(f"cannot open the SQLite store {sqlite_path(url)}: {exc}")
    except RuntimeError as exc:
        fail(str(exc))
    with store:
        yield store
