"""The `newsmon` command line: one module per resource, each command a few lines over monitor.app.Newsmon.

crawl.py (crawl), import_.py (import), search.py (search), stories.py (stories), brief.py (brief), serve.py (serve), extract.py (extract),
sources.py (sources, sources check), stats.py (stats, runs), schedule.py (schedule, backfill), index.py
(index migrate|replay), demo.py (demo), alerts.py (alerts …); session.py holds what they share.
Every failure is one line and an exit code (monitor.errors.run).
"""
from __future__ import annotations

import sys
from typing import Optional

import typer

from index.store import check_store_url
from monitor import errors
from monitor.cli import alerts, brief, crawl, demo, extract, import_, index, schedule, search, serve, sources, stats, stories
from monitor.cli.session import Session, fail, home, sqlite_url
from monitor.config import named_store

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Monitor news coverage of Turkey–Azerbaijan relations.")
# Typer labels a flag `<bool>` in help, which reads as if `--json true` were expected: show flags bare.
_display_type = typer.core.TyperOption.display_type_rich
typer.core.TyperOption.display_type_rich = lambda self, ctx: None if self.is_flag else _display_type(self, ctx)


@app.callback()
def main_options(
    ctx: typer.Context,
    store: Optional[str] = typer.Option(
        None, "--store",
        help="Store URL: sqlite:////absolute/path.db, sqlite:///relative/path.db (default: "
             "$NEWSMON_HOME/newsmon.db) or http://host:9200; else NEWSMON_STORE.",
    ),
):
    store = store or named_store()
    ctx.obj = Session(store or sqlite_url(home() / "newsmon.db"), given=bool(store))
    try:  # one answer for every command, before any of them opens (or serves) anything
        check_store_url(ctx.obj.store_url)
    except ValueError as exc:
        fail(f"{exc} (--store or NEWSMON_STORE)")


app.command()(crawl.crawl)
app.command(name="import")(import_.import_articles)
app.command(context_settings=search.SEARCH_CONTEXT)(search.search)
app.command()(stories.stories)
app.command()(brief.brief)
app.command()(serve.serve)
app.command()(extract.extract)
app.add_typer(sources.build(), name="sources")
app.command()(stats.stats)
app.command()(schedule.schedule)
app.command()(stats.runs)
app.command()(schedule.backfill)
app.add_typer(index.build(), name="index")
app.command()(demo.demo)
app.add_typer(alerts.build(), name="alerts")


def main() -> None:
    sys.exit(errors.run(app, log_dir=lambda: home() / "logs"))
