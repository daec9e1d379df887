"""`newsmon sources`: list the configured outlets, or probe that they answer (`sources check`)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from monitor.cli.session import err, out, select_sources


def build() -> typer.Typer:
    """The `sources` group: the list as its callback, `check` as its command."""
    group = typer.Typer(help="The configured outlets: list them, or check that they answer.")
    group.callback(invoke_without_command=True)(list_sources)
    group.command("check")(check_sources)
    return group


def list_sources(typer_ctx: typer.Context,
                 sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file.")):
    """List the configured outlets (`newsmon sources check` probes them)."""
    if typer_ctx.invoked_subcommand is not None:
        return
    table = Table(title="Sources")
    for column in ("id", "name", "country", "languages", "feeds", "sitemaps", "sections", "every"):
        table.add_column(column)
    for s in select_sources(sources, []):
        table.add_row(s.id, s.name, s.country, ",".join(s.languages), str(len(s.feeds)),
                      str(len(s.sitemaps)) + (" +robots" if s.robots_sitemaps else ""), str(len(s.sections)),
                      s.crawl_interval)
    out.print(table)


def check_sources(
    source: list[str] = typer.Option([], "--source", "-s", help="Check only these source ids."),
    sources: Optional[Path] = typer.Option(None, "--sources", help="Sources file (default: the packaged one)."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Seconds allowed per request."),
    as_json: bool = typer.Option(False, "--json", help="Print the probes as JSON."),
):
    """Probe every source now: robots.txt, feeds and sitemaps (fallbacks too), one article.

    Exit status: 0 all sources ok, 1 some source is not ok, 3 no network at all.
    """
    from collections import Counter

    from monitor import health

    chosen = select_sources(sources, source)
    try:
        health.preflight(chosen, timeout=min(timeout, health.PREFLIGHT_TIMEOUT))
    except health.NoNetwork as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(3)
    report = health.check_sources(chosen, timeout=timeout)
    if as_json:
        print(json.dumps([h.to_dict() for h in report], ensure_ascii=False, indent=2))
    else:
        for h in report:
            out.print(health.health_table(h))
        verdicts = Counter(h.verdict for h in report)
        out.print("sources: " + ", ".join(f"{n} {v}" for v, n in sorted(verdicts.items())))
    if any(h.verdict != "ok" for h in report):
        raise typer.Exit(1)
