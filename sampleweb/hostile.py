"""A hostile outlet on loopback: every way a site can hang, blow up or misdirect a crawler.

One outlet on 127.0.0.40 and a "foreign" host on 127.0.0.41 that nothing may ever reach; both
log every request. Its good articles are on-topic stories borrowed from the sample web's
generator; the truth says which URL must end in which outcome.
"""
from __future__ import annotations

import html
import json
import threading
import zlib
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sampleweb.generator import SampleWeb

HOST, FOREIGN = "127.0.0.40", "127.0.0.41"
METADATA = "http://169.254.169.254/latest/meta-data/"
BOMB_BYTES = 300_000_000  # what the gzip bomb inflates to (it is about 300 KB on the wire)
HUGE_BYTES = 30_000_000  # a page far over the page limit, sent without Content-Length
# 1.86 MB of short paragraphs: about 24 s of extraction on a quiet 2-core machine (2026), against
# the outlet's 5 s budget; a good page takes 20 ms, so a loaded machine cannot blur the two
SLOW_PARAGRAPHS = 60_000


@dataclass(frozen=True)
class Expect:
    path: str
    outcome: str  # the outcome the article request must end in


# article path -> the one outcome a correct crawler reports for it
GOOD = ("/news/good-1", "/news/good-2", "/news/good-3")
DATED = {"/news/dated-1": 1, "/news/dated-1900": 1900, "/news/dated-2099": 2099, "/news/dated-9999": 9999}
EXPECTED = (
    *(Expect(p, "stored") for p in GOOD),
    *(Expect(p, "stored") for p in DATED),
    Expect("/news/mislabelled", "stored"),  # UTF-8 bytes under a windows-1254 label
    Expect("/news/huge", "error:too_large"),
    Expect("/news/bomb", "error:too_large"),
    Expect("/news/slow", "error:extraction_timeout"),
    Expect("/news/to-foreign", "error:offsite"),
    Expect("/news/to-metadata", "error:offsite"),  # refused before its address is even looked up
    Expect("/news/to-file", "error:scheme"),
    Expect("/news/to-long", "error:url_too_long"),  # a redirect to a URL longer than URLLENGTH_LIMIT
    Expect("/news/loop-a", "error:redirect_loop"),
    Expect("/news/empty", "empty"),
    Expect("/private/news/secret", "robots_forbidden"),
)


def _article_page(title: str, body: str, published: str, charset: str = "utf-8") -> str:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n"))
    ld = json.dumps({"@type": "NewsArticle", "headline": title, "datePublished": published})
    return (f'<!doctype html><html lang="en"><head><meta charset="{charset}"><title>{html.escape(title)}</title>'
            f'<script type="application/ld+json">{ld}</script></head><body><article><h1>{html.escape(title)}</h1>'
            f"{paragraphs}</article></body></html>")


class HostileWeb:
    """Serves the hostile outlet and the foreign host; `local_dir` holds files only file:// names."""

    def __init__(self, local_dir: Path, calendar_days: int = 60):
        self.local_dir = Path(local_dir)
        self.calendar_days = calendar_days
        stories = [a for a in SampleWeb(seed=11).articles if a.on_topic and a.language == "en" and a.normal]
        self.stories = {path: a for path, a in zip([*GOOD, *DATED, "/news/mislabelled"], stories)}
        self.log: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()
        self._servers: list[ThreadingHTTPServer] = []
        self.port = 0
        self._bomb = _gzip_zeros(BOMB_BYTES)

    # --- addresses ---------------------------------------------------------------------
    def url(self, path: str, host: str = HOST) -> str:
        return f"http://{host}:{self.port}{path}"

    def sources_toml(self, sections: list[str] | None = None, feeds: bool = True) -> str:
        """The hostile source; `sections` replaces its section pages (robots tests use that)."""
        sections = sections if sections is not None else ["/calendar?day=0", "/latest"]
        # (a file:// feed in a sources file is refused when the file loads: tests/test_cli.py)
        feed_urls = [self.url("/feed.xml")] if feeds else []
        return (
            '[[source]]\nid = "hostile"\nname = "Hostile News"\ncountry = "TR"\nlanguages = ["en"]\n'
            f'base_url = "{self.url("/")}"\n'
            f"feeds = {json.dumps(feed_urls)}\n"
            f'sitemaps = {json.dumps([self.url("/sitemap-index.xml")] if feeds else [])}\n'
            f"sections = {json.dumps([self.url(s) for s in sections])}\n"
            "article_patterns = ['^/(news|private/news)/[a-z0-9-]+$']\n"
            # a 5 s budget: the slow page takes about 24 s of extraction, a good one about 20 ms
            "max_section_pages = 5\nmax_sitemaps = 10\nextraction_seconds = 5.0\n"
        )

    def write_local_files(self) -> None:
        """Files a crawler must never read: a feed and a sitemap naming an article only they know."""
        self.local_dir.mkdir(parents=True, exist_ok=True)
        secret = self.url("/news/only-in-local-files")
        (self.local_dir / "feed.xml").write_text(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>Secret</title>'
            f"<link>{secret}</link></item></channel></rss>", encoding="utf-8")
        (self.local_dir / "sitemap.xml").write_text(
            f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{secret}</loc></url></urlset>", encoding="utf-8")

    # --- lifecycle ---------------------------------------------------------------------
    def __enter__(self) -> "HostileWeb":
        self.write_local_files()
        first = ThreadingHTTPServer((HOST, 0), _Handler)
        self.port = first.server_address[1]
        for server in (first, ThreadingHTTPServer((FOREIGN, self.port), _Handler)):
            server.owner = self  # type: ignore[attr-defined]
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
            self._servers.append(server)
        return self

    def __exit__(self, *exc) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def record(self, host: str, path: str, status: int) -> None:
        with self._lock:
            self.log.append((host, path, status))

    def requests_to(self, host: str) -> list[str]:
        with self._lock:
            return [path for h, path, _ in self.log if h == host]

    # --- pages -------------------------------------------------------------------------
    def respond(self, path: str) -> tuple[int, dict[str, str], bytes]:
        """(status, headers, body) for a path of the hostile outlet."""
        local = self.local_dir.as_uri()
        listed = [*GOOD, *DATED, "/news/mislabelled", "/news/huge", "/news/bomb", "/news/slow", "/news/to-foreign",
                  "/news/to-metadata", "/news/to-file", "/news/to-long", "/news/loop-a", "/news/empty"]
        page = "text/html; charset=utf-8"
        if path == "/robots.txt":
            lines = ["User-agent: *", "Disallow: /private/", f"Sitemap: {local}/sitemap.xml",
                     f"Sitemap: {self.url('/sitemap.xml', FOREIGN)}", f"Sitemap: {METADATA}",
                     f"Sitemap: {self.url('/sitemap-index.xml')}"]
            return 200, {"Content-Type": "text/plain"}, "\n".join(lines).encode()
        if path in ("/sitemap-index.xml", "/sitemap-b.xml"):
            # an index listing itself and a twin that lists it back, plus places never to go
            locs = [self.url("/sitemap-index.xml"), self.url("/sitemap-b.xml"), f"{local}/sitemap.xml",
                    self.url("/sitemap.xml", FOREIGN), METADATA, self.url("/sitemap-articles.xml")]
            body = "".join(f"<sitemap><loc>{html.escape(u)}</loc></sitemap>" for u in locs)
            return 200, {"Content-Type": "application/xml"}, (
                f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}'
                "</sitemapindex>").encode()
        if path == "/sitemap-articles.xml":
            body = "".join(f"<url><loc>{self.url(p)}</loc></url>" for p in listed)
            return 200, {"Content-Type": "application/xml"}, (
                f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>').encode()
        if path == "/feed.xml":
            items = "".join(f"<item><title>{p}</title><link>{self.url(p)}</link></item>" for p in GOOD)
            items += f"<item><title>x</title><link>{local}/article.html</link></item>"
            items += f"<item><title>y</title><link>{self.url('/news/stolen', FOREIGN)}</link></item>"
            return 200, {"Content-Type": "application/rss+xml"}, (
                f'<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>{items}</channel></rss>').encode()
        if path == "/latest":
            links = "".join(f'<a href="{p}">{p}</a> ' for p in ["/private/news/secret", *GOOD])
            return 200, {"Content-Type": page}, f"<html><body>{links}</body></html>".encode()
        if path.startswith("/calendar"):
            # a calendar trap: every day links the next and the previous, forever
            day = int(path.partition("day=")[2] or 0)
            links = "".join(f'<a href="/calendar?day={d}">{d}</a> ' for d in (day - 1, day + 1, day + 2))
            return 200, {"Content-Type": page}, f"<html><body>{links}</body></html>".encode()
        if path in self.stories:
            story = self.stories[path]
            year = DATED.get(path)
            published = f"{year:04d}-06-15T10:00:00+00:00" if year else story.published.isoformat()
            text = _article_page(story.title, story.text, published,
                                 charset="windows-1254" if path == "/news/mislabelled" else "utf-8")
            charset = "windows-1254" if path == "/news/mislabelled" else "utf-8"
            return 200, {"Content-Type": f"text/html; charset={charset}"}, text.encode("utf-8")
        if path == "/news/huge":
            return 200, {"Content-Type": page, "X-Stream": str(HUGE_BYTES)}, b""
        if path == "/news/bomb":
            return 200, {"Content-Type": page, "Content-Encoding": "gzip"}, self._bomb
        if path == "/news/slow":
            para = "<p>Baku Ankara energy deal.</p>"
            return 200, {"Content-Type": page}, f"<html><body><article>{para * SLOW_PARAGRAPHS}</article></body></html>".encode()
        redirects = {"/news/to-foreign": self.url("/news/stolen", FOREIGN), "/news/to-metadata": METADATA,
                     "/news/to-file": "file:///etc/passwd", "/news/to-long": "/news/" + "x" * 3000,
                     "/news/loop-a": "/news/loop-b", "/news/loop-b": "/news/loop-a"}
        if path in redirects:
            return 301, {"Location": redirects[path]}, b""
        if path == "/news/empty":
            return 200, {"Content-Type": page}, b""
        return 404, {"Content-Type": page}, b"<html><body>not here</body></html>"


def _gzip_zeros(size: int) -> bytes:
    """A gzip stream of `size` zero bytes, built in chunks (never holding the inflated bytes)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
    chunk, out = bytes(1 << 20), []
    for _ in range(size // len(chunk)):
        out.append(packer.compress(chunk))
    out.append(packer.flush())
    return b"".join(out)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # close-delimited bodies: the huge page streams with no length

    def do_GET(self) -> None:  # noqa: N802
        owner: HostileWeb = self.server.owner  # type: ignore[attr-defined]
        host = self.server.server_address[0]
        if host == FOREIGN:
            status, headers, body = 200, {"Content-Type": "text/html"}, b"<html><body>foreign</body></html>"
        else:
            status, headers, body = owner.respond(self.path)
        owner.record(host, self.path, status)
        stream = int(headers.pop("X-Stream", 0))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if not stream:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            if stream:
                block = b"<p>" + b"x" * 65_530 + b"</p>"
                for _ in range(stream // len(block)):
                    self.wfile.write(block)
            else:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler hung up, as it should on a page over its limit

    def log_message(self, format: str, *args) -> None:
        pass

