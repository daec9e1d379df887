"""HTTP serving of the sample web: one ThreadingHTTPServer per outlet on its own loopback IP.

Each outlet gets 127.0.0.{10 + n} so robots.txt and per-host politeness are per outlet;
all listen on the same port number. Every request is logged (method, URL, status).
"""
from __future__ import annotations

import hashlib
import sys
import threading
import time
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sampleweb import listings, site
from sampleweb.articles import TruthArticle
from sampleweb.generator import SampleWeb
from sampleweb.outlets import BY_ID, OUTLETS, Outlet

HOST_PREFIX = "127.0.0."
HOST_OFFSET = 10
_CACHE_LIMIT = 4000


class _Handler(BaseHTTPRequestHandler):
    """Serves one outlet; the owning SampleWebServer is reachable through self.server."""

    protocol_version = "HTTP/1.1"
    server_version = "SampleNews/1.0"
    timeout = 30  # idle keep-alive connections give their thread back eventually

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(send_body=False)

    def _respond(self, send_body: bool) -> None:
        owner: SampleWebServer = self.server.owner  # type: ignore[attr-defined]
        outlet: Outlet = self.server.outlet  # type: ignore[attr-defined]
        response, etag = owner._lookup(outlet, self.path)
        if outlet.id in owner.failing:
            response, etag = site.Response(500, site.HTML, b"<html><body>Internal Server Error</body></html>"), ""
        if owner._stopped:  # a kept-alive connection outliving stop(): answer, then hang up
            self.close_connection = True
        status = response.status
        headers = {"Content-Type": response.content_type}
        if response.location:
            headers["Location"] = response.location
        if status == 200 and response.last_modified is not None:
            headers["ETag"] = etag
            headers["Last-Modified"] = _http_date(response.last_modified)
            headers["Cache-Control"] = "max-age=60"
            if self._not_modified(etag, response.last_modified):
                status = 304
        body = response.body if status != 304 else b""
        self.send_response(status)
        for name, value in headers.items():
            if status == 304 and name == "Content-Type":
                continue
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)

    def _not_modified(self, etag: str, last_modified: datetime) -> bool:
        # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2)
        match = self.headers.get("If-None-Match")
        if match is not None:
            return etag in [tag.strip() for tag in match.split(",")] or match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return int(last_modified.timestamp()) <= int(parsedate_to_datetime(since).timestamp())
            except (TypeError, ValueError):
                return False
        return False

    def log_request(self, code="-", size="-") -> None:
        # Called by send_response for every status, including errors the base class sends.
        host, port = self.server.server_address[:2]
        owner: SampleWebServer = self.server.owner  # type: ignore[attr-defined]
        target = getattr(self, "path", "")  # unset when the request line itself was unreadable
        url = f"http://{host}:{port}{target}"
        owner._record(self.command or "-", url, int(code) if isinstance(code, int) else 0,
                      self.headers.get("User-Agent", "") if getattr(self, "headers", None) else "")

    def log_message(self, format: str, *args) -> None:  # quiet: no stderr noise
        pass


def _http_date(dt: datetime) -> str:
    return format_datetime(dt.astimezone(timezone.utc), usegmt=True)


class _OutletServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # a crawler killed mid-request resets its connections: expected here, not worth a traceback
        if not isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            super().handle_error(request, client_address)


class SampleWebServer:
    """Serves a SampleWeb on loopback; also a context manager (start on enter, stop on exit)."""

    def __init__(self, web: SampleWeb, port: int = 0, cache_limit: int = _CACHE_LIMIT):
        self.web = web
        self.port = port
        self.cache_limit = cache_limit  # rendered responses kept; raise it for a scaled web
        self._servers: list[ThreadingHTTPServer] = []
        self._threads: list[threading.Thread] = []
        self._log: list[tuple[str, str, int]] = []
        self.agents: list[tuple[str, str, float]] = []  # (User-Agent, URL, time.time()): who asked, when
        self._log_lock = threading.Lock()
        self._cache: dict[tuple[str, str], tuple[site.Response, str]] = {}
        self._cache_version = -1
        self._stopped = False
        self.failing: set[str] = set()  # outlets answering 500 to everything (a site gone wrong)

    # --- lifecycle ---------------------------------------------------------------------
    def start(self) -> SampleWebServer:
        """Bind every outlet to its IP on one shared free port, then serve in threads."""
        if self._servers:
            return self
        self._stopped = False
        for attempt in range(50):
            servers: list[ThreadingHTTPServer] = []
            try:
                port = self.port
                for outlet in OUTLETS:
                    server = _OutletServer((self.host(outlet.id), port), _Handler)
                    port = server.server_address[1]  # the first bind picks it when port was 0
                    server.daemon_threads = True
                    server.owner = self  # type: ignore[attr-defined]
                    server.outlet = outlet  # type: ignore[attr-defined]
                    servers.append(server)
            except OSError:
                for server in servers:
                    server.server_close()
                if self.port:  # a fixed port that is taken: nothing to retry
                    raise
                continue
            self.port = port
            self._servers = servers
            break
        else:
            raise OSError("no port free on all sample-web addresses")
        for server in self._servers:
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                      name=f"sampleweb-{server.outlet.id}", daemon=True)  # type: ignore[attr-defined]
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Shut down every listener and wait for the serving threads."""
        self._stopped = True
        for server in self._servers:
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers, self._threads = [], []

    def __enter__(self) -> SampleWebServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- addresses and truth -----------------------------------------------------------
    @staticmethod
    def host(outlet_id: str) -> str:
        """Loopback address of an outlet: 127.0.0.{10 + n}."""
        return f"{HOST_PREFIX}{HOST_OFFSET + BY_ID[outlet_id].host_index}"

    def base_url(self, outlet_id: str) -> str:
        """'http://127.0.0.11:43123' (no trailing slash)."""
        if not self.port:
            raise RuntimeError("server not started")
        return f"http://{self.host(outlet_id)}:{self.port}"

    def base_urls(self) -> dict[str, str]:
        return {o.id: self.base_url(o.id) for o in OUTLETS}

    def truth(self) -> list[TruthArticle]:
        return self.web.truth(self.base_urls())

    def sources_toml(self) -> str:
        with self.web.lock:
            return site.sources_toml(self.web, self.base_urls())

    # --- request log -------------------------------------------------------------------
    @property
    def request_log(self) -> list[tuple[str, str, int]]:
        """(method, absolute URL with query, status) of every request so far (a copy)."""
        with self._log_lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._log_lock:
            self._log.clear()
            self.agents.clear()

    def _record(self, method: str, url: str, status: int, agent: str = "") -> None:
        with self._log_lock:
            self._log.append((method, url, status))
            self.agents.append((agent, url, time.time()))

    # --- responses ---------------------------------------------------------------------
    def _lookup(self, outlet: Outlet, target: str) -> tuple[site.Response, str]:
        """Rendered response and its ETag, cached until the web changes (publish)."""
        with self.web.lock:
            if self._cache_version != self.web.version or len(self._cache) > self.cache_limit:
                self._cache.clear()
                self._cache_version = self.web.version
            key = (outlet.id, target)
            hit = self._cache.get(key)
            if hit is None:
                response = site.resolve(self.web, outlet, self.base_url(outlet.id), target)
                # strong validator: changes exactly when the bytes change
                etag = '"' + hashlib.sha1(response.body).hexdigest()[:20] + '"'
                hit = self._cache[key] = (response, etag)
            return hit

    def prerender(self) -> int:
        """Render every article page, AMP copy and sitemap into the cache; returns how many.

        A throughput benchmark then measures the crawler, not the rendering (call after start()).
        """
        with self.web.lock:
            for outlet in OUTLETS:
                self._lookup(outlet, outlet.sitemap_index)
                self._lookup(outlet, outlet.news_sitemap)
                for y, m in listings.sitemap_months(self.web, outlet):
                    self._lookup(outlet, outlet.month_sitemap.format(y=y, m=m))
            for art in self.web.articles:
                outlet = BY_ID[art.outlet]
                for path in {art.path, self.web.entry_path(art), outlet.amp_path(art.path) if art.amp else None}:
                    if path:
                        self._lookup(outlet, path)
            return len(self._cache)
