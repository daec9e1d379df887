"""`newsmon demo`: serve the sample news web on loopback, crawl it into the demo store, search it."""
from __future__ import annotations

from pathlib import Path

import typer

from crawler.sources import load_sources
from crawler.state import state_path_for
from monitor.cli.crawl import print_summary, run_with_progress
from monitor.cli.search import print_histogram, print_hits
from monitor.cli.session import demo_store_path, err, home, out, session, sqlite_url


def demo(
    ctx: typer.Context,
    query: str = typer.Option("Shusha", help="What to search for after the crawl."),
    seed: int = typer.Option(7, help="Seed of the sample news web."),
    port: int = typer.Option(8765, help="Port of the sample news web (a free one when taken)."),
):
    """Serve the sample news web on loopback, crawl it into the demo store, search it.

    The store is $NEWSMON_HOME/demo.db, made afresh each time (or --store, crawled into as it
    is); until a crawl fills the default store, `search` and `stats` read the demo's.
    """
    import tempfile

    from monitor.crawl import LOOPBACK_SETTINGS
    from sampleweb import SampleWeb, SampleWebServer

    s = session(ctx)
    if not s.given:
        s.store_url = sqlite_url(demo_store_path())
        _remove_demo_store()
    try:  # one known port, so `python -m sampleweb --port 8765` serves the stored articles' links again
        server = SampleWebServer(SampleWeb(seed=seed), port=port).start()
    except OSError:
        server = SampleWebServer(SampleWeb(seed=seed)).start()
    with server, tempfile.TemporaryDirectory() as scratch:
        # the outlets' ports change with every run, so their sources file lives only as long as the server
        sources_file = Path(scratch) / "sources.toml"
        sources_file.write_text(server.sources_toml(), encoding="utf-8")
        chosen = load_sources(sources_file)
        err.print(f"sample news web: {len(chosen)} outlets on 127.0.0.x; store {s.store_url}")
        summaries = run_with_progress(s, chosen, "", LOOPBACK_SETTINGS)
    print_summary(summaries)
    out.print(f"\n[bold]newsmon search {query!r}[/bold]")
    from monitor.app import Newsmon
    from monitor.search import SearchRequest

    with Newsmon(s.config()) as newsmon:
        doc = newsmon.search(SearchRequest.from_params({"q": query, "size": "5"}))
    print_hits(doc)
    print_histogram([(b["key"], b["count"]) for b in doc["facets"].get("date", [])], "month")
    store_flag = f"--store {s.store_url} " if s.given else ""
    out.print(f"\nNext: newsmon {store_flag}search 'Erdogan lang:ru' --interval week   ·   "
              f"newsmon {store_flag}stats")
    seed_flag = f" --seed {seed}" if seed != 7 else ""
    out.print(f"The sample web stopped with the demo; the articles' links work again while "
              f"`python -m sampleweb --port {server.port}{seed_flag}` runs.", highlight=False)


def _remove_demo_store() -> None:
    db = demo_store_path()
    for path in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"),
                 state_path_for(sqlite_url(db), home())):
        path.unlink(missing_ok=True)
    for path in db.parent.glob(f"{db.stem}.crawlstate.db-*"):
        path.unlink()
