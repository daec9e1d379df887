"""`newsmon extract`: the stages on one saved page, as a crawl would run them."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from monitor.cli.session import fail, select_sources


def extract(
    url: str = typer.Option("http://localhost/page", "--url", help="The page's URL (for links and dates)."),
    country: str = typer.Option("", "--country", help="Outlet country (TR, AZ, RU) for zone-less times "
                                "(default: that of the configured source the URL belongs to)."),
    file: Optional[Path] = typer.Argument(None, help="Saved page (default: standard input)."),
    sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file (default: the packaged one)."),
):
    """Run extraction, language and relevance on one saved page; print the record as JSON.

    The status is what a crawl would do with the page: on_topic (stored), off_topic or empty.
    """
    from crawler.stages.extract import decode
    from crawler.stages import build_article

    try:
        raw = file.read_bytes() if file else sys.stdin.buffer.read()
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror or exc}")
    owner = next((s for s in select_sources(sources, []) if s.is_article_url(url)), None)
    encoding, html = decode(raw)
    outcome = build_article(html, url, source_id=owner.id if owner else "",
                            country=country or (owner.country if owner else ""))
    reason = outcome.reason
    if outcome.status == "off_topic":  # a crawl would drop it
        reason = f"{reason}: not about both countries"
    record = {"status": outcome.status, "reason": reason, "encoding": encoding}
    if outcome.article is not None:
        data = outcome.article.to_dict()
        data.pop("signature")
        record.update(data)
        record["relevant"] = outcome.relevant
        record["relevance_reasons"] = outcome.relevance_reasons
    print(json.dumps(record, ensure_ascii=False, indent=2))
    if outcome.article is None:
        raise typer.Exit(1)
