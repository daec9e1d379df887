"""`newsmon index migrate|replay`: manage the Elasticsearch index (versioned indices behind an alias)."""
from __future__ import annotations

import typer

from monitor.cli.session import fail, out, session


def build() -> typer.Typer:
    group = typer.Typer(help="Manage the Elasticsearch index (versioned indices behind an alias).")
    group.command("migrate")(index_migrate)
    group.command("replay")(index_replay)
    return group


def _require_elastic(store) -> None:
    if not hasattr(store, "migrate"):
        fail("index commands need an Elasticsearch store: --store http://host:9200")


def index_migrate(ctx: typer.Context):
    """Copy every article into a new versioned index, then switch the alias to it atomically."""
    with session(ctx).opened_store(read_only=True) as store:
        _require_elastic(store)
        old, new, count = store.migrate()
    out.print(f"migrated {count} articles: {old} → {new}; alias {store.alias} now points at {new}")


def index_replay(ctx: typer.Context):
    """Send articles spooled while Elasticsearch was away."""
    with session(ctx).opened_store(read_only=True) as store:
        _require_elastic(store)
        store.replay_spool()  # opening the store already replays when the cluster answers: count both
        out.print(f"replayed {store.replayed} spooled articles")
