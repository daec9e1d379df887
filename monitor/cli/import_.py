"""`newsmon import FILE.jsonl`: articles from a JSON-lines file into the store, as a crawl would write them."""
from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Optional

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from monitor.cli.session import err, fail, home, out, select_sources, session


def import_articles(
    ctx: typer.Context,
    file: str = typer.Argument(..., metavar="FILE.jsonl",
                               help="One article a JSON line (url, title, text or body; optional published_at, "
                                    "language, source); - reads standard input."),
    keep_all: bool = typer.Option(False, "--all", help="Keep the articles that are off the beat too."),
    sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file naming the outlets "
                                           "(default: the packaged one)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    alerts_wait: float = typer.Option(10.0, "--alerts-wait", min=0,
                                      help="Seconds to keep retrying failed alert deliveries after the import."),
):
    """Import articles from a JSON-lines file: language, relevance and dedup as in a crawl, then the store.

    A line that is not an article is one error on stderr (`line 17: ...`); the rest are imported.
    Run again, nothing is written twice.
    """
    from monitor.alerts.runner import alerts_during
    from monitor.importer import import_lines

    s = session(ctx)
    chosen = select_sources(sources, [])
    stream = _open(file)
    reader = LineReader(stream)
    with stream, s.opened_store() as store, _log_file() as log_file:
        with alerts_during(s.store_url, wait=alerts_wait) as alerts, _progress() as progress:
            summary = import_lines(reader.lines(progress), store, s.store_url, chosen, keep_off_topic=keep_all,
                                   on_error=lambda n, why: err.print(f"line {n}: {why}", markup=False, highlight=False),
                                   on_batch=alerts.on_flush if alerts is not None else None)
    if alerts is not None:
        err.print(alerts.summary())
    if as_json:
        out.print_json(json.dumps({"file": file, **summary.document()}, ensure_ascii=False))
    else:
        out.print(summary.line(), highlight=False)
    _report_ending(s, summary, reader, log_file)


def _report_ending(s, summary, reader: "LineReader", log_file: Path | None) -> None:
    """Warnings and the one-line reason for a non-zero exit: a store that cannot be written, an unreadable file."""
    if summary.spooled:  # safe on disk, not yet searchable: never reported as stored
        err.print(f"[yellow]warning:[/yellow] {summary.spooled} article(s) went to the spool {s.config().spool_path}: "
                  f"the store {s.store_url} is not answering; `newsmon index replay` sends them once it is back",
                  highlight=False)
    if log_file is not None and log_file.exists():
        err.print(f"log: {log_file}", highlight=False)
    if summary.unwritable:
        err.print(f"error: the import stopped after line {summary.last_line}, {summary.not_written} article(s) not "
                  f"written: {summary.unwritable}; import the file again once it can be written (what is stored "
                  "is not written twice)", highlight=False)
        raise typer.Exit(1)
    if reader.failure:
        fail(f"reading {reader.name} failed after line {summary.last_line}: {reader.failure}")
    if summary.not_written:
        raise typer.Exit(1)  # each line said so above


def _open(file: str) -> BinaryIO:
    if file == "-":
        return sys.stdin.buffer
    try:
        return open(file, "rb")  # never written: the file is only read
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}")


class LineReader:
    """The lines of a file as it is read; a read that fails ends them, and says why (`failure`)."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.name = "standard input" if stream is sys.stdin.buffer else getattr(stream, "name", "the file")
        self.failure = ""

    def lines(self, progress: Progress) -> Iterator[bytes]:
        task = progress.add_task("import", total=None, n=0)
        try:
            for n, line in enumerate(self.stream, 1):
                progress.update(task, n=n)
                yield line
        except OSError as exc:
            self.failure = exc.strerror or str(exc)


@contextmanager
def _progress() -> Iterator[Progress]:
    with Progress(SpinnerColumn(), TextColumn("importing: {task.fields[n]} lines"), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as progress:
        yield progress


class _LogFile(logging.FileHandler):
    """The import's log, made on its first record; a log that cannot be written is not a traceback on stderr."""

    def handleError(self, record) -> None:
        pass


@contextmanager
def _log_file() -> Iterator[Path | None]:
    """Warnings and errors (with their tracebacks) go to $NEWSMON_HOME/logs/import-….log, not to the terminal."""
    from monitor.crawl import crawl_log_path

    try:
        path = crawl_log_path(home() / "logs", kind="import")
        handler: logging.Handler = _LogFile(path, encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
    except OSError:
        path, handler = None, logging.NullHandler()
    handler.setLevel(logging.WARNING)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        handler.close()
