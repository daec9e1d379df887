"""`newsmon serve`: the search page and the JSON API over the store, with uvicorn."""
from __future__ import annotations

import errno
import os
from typing import Optional

import typer

from index.store import check_store_url
from monitor.cli.session import err, fail, session
from monitor.config import load_config


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", help="Interface to listen on (loopback by default)."),
    port: int = typer.Option(8000, help="TCP port."),
    workers: Optional[int] = typer.Option(
        None, min=1, help="Worker processes, each opening the store once with a pool of reading connections "
                          "[default: one per core]."),
    store: Optional[str] = typer.Option(None, "--store", help="Store URL (as the global --store)."),
):
    """Serve the search page at / and the JSON API at /api (OpenAPI schema at /docs)."""
    import logging

    import uvicorn

    s = session(ctx)
    if store:
        s.store_url, s.given = load_config(store).store_url, True
        try:
            check_store_url(s.store_url)
        except ValueError as exc:
            fail(f"{exc} (--store)")
    # the one rule of every reading command: the demo's store until a crawl fills the default,
    # and a missing SQLite file is an error, never created (a typo would serve an empty store)
    s.use_demo_store_if_default_is_empty()
    s.require_existing_store()
    _check_port_free(host, port)
    cfg = s.config()
    # request errors (their traces never reach clients) go to the log file and to stderr
    cfg.log_path.parent.mkdir(parents=True, exist_ok=True)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(levelname)s %(message)s",
                        handlers=[logging.FileHandler(cfg.log_path), logging.StreamHandler()])
    if host not in ("127.0.0.1", "localhost", "::1") and not cfg.api_key:
        err.print(f"[yellow]listening on {host}: reading endpoints are open to whoever can reach it; "
                  "write endpoints stay off until NEWSMON_API_KEY is set[/yellow]")
    workers = workers or default_workers()
    err.print(f"newsmon serving {cfg.store_url} at http://{host}:{port}/ with {workers} worker"
              f"{'s' if workers > 1 else ''}  (API docs: /docs; log: {cfg.log_path})")
    if workers > 1:
        cfg.publish_store()  # each worker process builds its app from the environment
        uvicorn.run("monitor.web.app:from_environment", factory=True, host=host, port=port, workers=workers,
                    log_level="warning")
    else:
        from monitor.web.app import create_app

        uvicorn.run(create_app(cfg), host=host, port=port, log_level="warning")


def default_workers() -> int:
    """One worker process per core this process may use: a search's Python (parsing, highlighting,
    the response) holds its process's GIL, so one process keeps about one core busy."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _check_port_free(host: str, port: int) -> None:
    """Fail in one line before saying "serving" when the address is taken or cannot be had.

    uvicorn would print its own error and exit 3 after our banner; binding once here (as uvicorn
    will, with SO_REUSEADDR) answers first. The port may still be taken in the moment between.
    """
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        fail(f"--host {host}: {exc.strerror}")
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            taken = exc.errno == errno.EADDRINUSE
            fail(f"cannot serve on {host}:{port}: " + ("the port is in use (another `newsmon serve`?); pick one with --port"
                                                       if taken else exc.strerror or str(exc)))
