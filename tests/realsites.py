"""The real outlets on loopback: real pages and feeds from ../shared/realdata at their real paths.

Each real host gets its own address (127.0.0.21, .22, …) on one shared port. A host serves
  - the real article pages of html/manifest.tsv at their real path,
  - the real RSS captures of feeds/ (AZERTAC /rss, APA /rss, Haqqin /rss.xml),
  - at every other feed, sitemap or section URL the outlet's configuration names, a generated
    feed, sitemap or front page listing the outlet's real pages (no dates: the page decides),
  - a permissive robots.txt, and 404 for anything else.
Absolute links to any served real host are rewritten to its loopback base, so a crawl stays on
loopback. AZERTAC answers 400 to a request without a browser-like User-Agent, as the real site does.
"""
from __future__ import annotations

import csv
import json
import re
import socket
import threading
from dataclasses import dataclass
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from crawler.sources import Source
from crawler.urls import canonical

FIRST_HOST = 21
BROWSER_ONLY = {"azertag.az"}
ROBOTS = b"User-agent: *\nAllow: /\n"


@dataclass
class Page:
    url: str  # the real URL
    file: Path
    row: dict  # the manifest row


def _target(url: str) -> str:
    """Path plus query of a canonicalised URL: how the server keys what it serves."""
    parts = urlsplit(canonical(url))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def real_pages(realdata: Path) -> list[Page]:
    with open(realdata / "html" / "manifest.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [Page(r["url"], realdata / "html" / r["file"], r) for r in rows]


def real_feeds(realdata: Path) -> dict[str, Path]:
    """Real feed URL -> its capture."""
    with open(realdata / "feeds" / "manifest.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return {r["feed_url"].split()[0]: realdata / "feeds" / r["file"] for r in rows}


def sources_with_data(sources: list[Source], realdata: Path) -> list[Source]:
    """The configured sources that have a real page or a real feed capture in realdata."""
    pages, feeds = real_pages(realdata), real_feeds(realdata)
    return [s for s in sources
            if any(s.is_article_url(p.url) for p in pages) or any(f in s.feeds for f in feeds)]


def _hosts(source: Source) -> set[str]:
    urls = [source.base_url] + [url for _, url, _ in source.endpoints()]
    return {urlsplit(u).hostname for u in urls} | set(source.allowed_domains)


class RealSites:
    """Serve the real data for `sources` (their real configuration) on loopback; a context manager."""

    def __init__(self, sources: list[Source], realdata: Path):
        self.sources = sources
        self.realdata = realdata
        self.pages = [p for p in real_pages(realdata) if any(s.is_article_url(p.url) for s in sources)]
        self.feeds = {url: path for url, path in real_feeds(realdata).items()
                      if any(url in s.feeds for s in sources)}
        hosts = set().union(*(_hosts(s) for s in sources)) | {urlsplit(u).hostname for u in self.feeds}
        self.hosts = {h: f"127.0.0.{FIRST_HOST + n}" for n, h in enumerate(sorted(hosts))}
        self.port = 0
        self._servers: list[ThreadingHTTPServer] = []
        self._content: dict[tuple[str, str], tuple[bytes, str]] = {}
        self.log: list[dict] = []  # host, method, target, status, user_agent
        self._lock = threading.Lock()

    # --- addresses and rewriting -------------------------------------------------------
    def base(self, host: str) -> str:
        return f"http://{self.hosts[host]}:{self.port}"

    def loopback_url(self, url: str) -> str:
        """The real URL with its scheme and host replaced by the host's loopback base."""
        parts = urlsplit(url)
        rest = url[len(f"{parts.scheme}://{parts.netloc}"):]
        return self.base(parts.hostname) + rest

    def real_host(self, address: str) -> str:
        return {ip: h for h, ip in self.hosts.items()}[address]

    def rewrite(self, data: bytes) -> bytes:
        """Point absolute links at served real hosts to their loopback bases."""
        for host in sorted(self.hosts, key=len, reverse=True):
            pattern = rb"(?:https?:)?//" + re.escape(host.encode()) + rb"(?=[/:\"'\s<?#]|$)"
            data = re.sub(pattern, self.base(host).encode(), data)
        return data

    # --- content -----------------------------------------------------------------------
    def _build(self) -> None:
        put = lambda url, body, ctype: self._content.setdefault((urlsplit(url).hostname, _target(url)), (body, ctype))  # noqa: E731
        for page in self.pages:
            put(page.url, self.rewrite(page.file.read_bytes()), "text/html; charset=utf-8")
        for url, path in self.feeds.items():
            put(url, self.rewrite(path.read_bytes()), "application/rss+xml; charset=utf-8")
        for source in self.sources:
            links = [(self.loopback_url(p.url), p.row["expected_headline"].split("  [")[0])
                     for p in self.pages if source.is_article_url(p.url)]
            for url in source.feeds:
                put(url, _rss(source.name, links), "application/rss+xml; charset=utf-8")
            for url in source.sitemaps:
                put(url, _sitemap(links), "application/xml; charset=utf-8")
            for url in source.sections:
                put(url, _front_page(source.name, links), "text/html; charset=utf-8")

    def respond(self, host: str, target: str, user_agent: str) -> tuple[int, bytes, str]:
        if host in BROWSER_ONLY and "Mozilla/" not in user_agent:
            return 400, b"Bad Request", "text/plain"
        if target == "/robots.txt":
            return 200, ROBOTS, "text/plain"
        found = self._content.get((host, _target(f"http://{host}{target}")))
        if found is None:
            return 404, b"<html><body>Not found</body></html>", "text/html"
        return 200, *found

    # --- sources on loopback -----------------------------------------------------------
    def sources_toml(self) -> str:
        """The sources' real configuration with only scheme+host(+port) moved to loopback."""
        blocks = ["# Real sources rebased to loopback by tests/realsites.py\n"]
        for source in self.sources:
            entry = {}
            for name, value in _fields(source).items():
                if name == "base_url":
                    value = self.loopback_url(value)
                elif name in ("feeds", "sitemaps", "sections", "fallback_feeds", "fallback_sitemaps"):
                    value = [self.loopback_url(u) for u in value]
                elif name == "allowed_domains":
                    value = [self.hosts[h] for h in value]
                elif name == "evidence":
                    value = {self.loopback_url(u): note for u, note in value.items()}
                entry[name] = value
            blocks.append(_toml_entry(entry))
        return "\n".join(blocks)

    # --- lifecycle ---------------------------------------------------------------------
    def start(self) -> "RealSites":
        for _ in range(50):
            servers = []
            try:
                port = 0
                for host, address in self.hosts.items():
                    server = ThreadingHTTPServer((address, port), _Handler)
                    port = server.server_address[1]
                    server.daemon_threads = True
                    server.owner, server.real_host = self, host  # type: ignore[attr-defined]
                    servers.append(server)
            except OSError:
                for server in servers:
                    server.server_close()
                continue
            self.port, self._servers = port, servers
            break
        else:
            raise OSError("no port free on all real-site addresses")
        self._build()
        for server in self._servers:
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers = []

    def __enter__(self) -> "RealSites":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def requests(self, host: str | None = None) -> list[dict]:
        with self._lock:
            return [r for r in self.log if host is None or r["host"] == host]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "RealSites/1.0"
    timeout = 30

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        owner: RealSites = self.server.owner  # type: ignore[attr-defined]
        host = self.server.real_host  # type: ignore[attr-defined]
        user_agent = self.headers.get("User-Agent", "")
        status, body, ctype = owner.respond(host, self.path, user_agent)
        with owner._lock:
            owner.log.append({"host": host, "method": "GET", "target": self.path, "status": status,
                              "user_agent": user_agent})
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # quiet
        pass


class SilentServer:
    """Accepts connections on loopback and never answers: a hanging outlet."""

    def __init__(self, address: str = "127.0.0.99"):
        self.sock = socket.socket()
        self.sock.bind((address, 0))
        self.sock.listen(16)
        self.url = f"http://{address}:{self.sock.getsockname()[1]}"
        self._held: list[socket.socket] = []
        self._stop = threading.Event()

    def _accept(self) -> None:
        self.sock.settimeout(0.1)
        while not self._stop.is_set():
            try:
                self._held.append(self.sock.accept()[0])
            except OSError:
                continue

    def __enter__(self) -> "SilentServer":
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for conn in self._held:
            conn.close()
        self.sock.close()


# --- generated documents ------------------------------------------------------------------
def _rss(title: str, links: list[tuple[str, str]]) -> bytes:
    items = "".join(f"<item><title>{escape(t)}</title><link>{escape(u)}</link></item>" for u, t in links)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"{items}</channel></rss>").encode()


def _sitemap(links: list[tuple[str, str]]) -> bytes:
    urls = "".join(f"<url><loc>{escape(u)}</loc></url>" for u, _ in links)
    return ('<?xml version="1.0" encoding="utf-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>').encode()


def _front_page(title: str, links: list[tuple[str, str]]) -> bytes:
    anchors = "".join(f'<li><a href="{escape(u)}">{escape(t)}</a></li>' for u, t in links)
    return f"<html><head><title>{escape(title)}</title></head><body><ul>{anchors}</ul></body></html>".encode()


# --- TOML out (values are str, int, bool, lists of str, tables of str) ----------------------
def _fields(source: Source) -> dict:
    return {name: getattr(source, name) for name in Source.__dataclass_fields__
            if getattr(source, name) not in (None, [], {}, "")}


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _toml_entry(entry: dict) -> str:
    table = entry.pop("evidence", {})
    lines = ["[[source]]"] + [f"{k} = {_toml_value(v)}" for k, v in entry.items()]
    if table:
        lines.append("[source.evidence]")
        lines += [f"{_toml_value(k)} = {_toml_value(v)}" for k, v in table.items()]
    return "\n".join(lines) + "\n"
