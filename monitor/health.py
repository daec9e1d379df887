"""Source health: probe each outlet's endpoints now (`newsmon sources check`), and sum up past crawls.

The probe is deliberately not Scrapy: one short GET per endpoint with the source's User-Agent,
many at once in threads, so a dead outlet costs one timeout and not a crawl.
"""
from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from lxml import html as lxml_html
from protego import Protego
from rich.table import Table

from crawler import settings as crawl_settings
from crawler.discovery import DiscoveryError, parse_feed, parse_sitemap, robots_sitemaps
from crawler.sources import Source
from crawler.state import open_state
from index.store import sqlite_path
from crawler.urls import canonical

MAX_BODY = 8 * 1024 * 1024  # the biggest real feed seen (Sabah, 984 items) is far below this
PREFLIGHT_TIMEOUT = 3.0


class NoNetwork(RuntimeError):
    """No outlet can be reached at all: the machine is offline (or DNS is down)."""


@dataclass
class Probe:
    kind: str  # robots | feed | sitemap | section | article
    url: str
    fallback: bool = False
    status: int | None = None  # HTTP status, None when nothing came back
    items: int | None = None  # feed items, sitemap entries, section links, robots Sitemap: lines
    articles: int | None = None  # of the items, those matching the article patterns
    seconds: float = 0.0
    error: str = ""  # empty when the endpoint works
    evidence: str = ""  # what sources.toml says about it

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass
class SourceHealth:
    source: str
    name: str
    probes: list[Probe] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """ok | fallback only | no articles | down."""
        discovery = [p for p in self.probes if p.kind in ("feed", "sitemap", "section")]
        if any(p.ok and not p.fallback for p in discovery):
            article = [p for p in self.probes if p.kind == "article"]
            return "ok" if article and article[0].ok else "no articles"
        if any(p.ok for p in discovery):
            return "fallback only"
        return "down"

    def to_dict(self) -> dict:
        return {"source": self.source, "name": self.name, "verdict": self.verdict,
                "probes": [asdict(p) | {"ok": p.ok} for p in self.probes]}


# --- the network ---------------------------------------------------------------------------
def _in_daemon_threads(jobs: dict[str, Callable[[], object]], timeout: float) -> dict[str, object]:
    """Run jobs at once and collect what finished within `timeout`; stragglers are abandoned.

    Daemon threads, not an executor: a resolver that hangs must not hold up interpreter exit.
    """
    results: dict[str, object] = {}

    def run(key, job):
        try:
            results[key] = job()
        except OSError as exc:
            results[key] = exc

    threads = [threading.Thread(target=run, args=item, daemon=True) for item in jobs.items()]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return dict(results)


def preflight(sources: list[Source], timeout: float = PREFLIGHT_TIMEOUT) -> None:
    """Raise NoNetwork within about 2 × `timeout` seconds when no outlet host resolves or connects."""
    hosts = {}
    for source in sources:
        for _, url, _ in [("", source.base_url, False), *source.endpoints()]:
            parts = urlsplit(url)
            if parts.hostname:
                hosts[parts.hostname] = parts.port or (443 if parts.scheme == "https" else 80)
    if not hosts:
        return
    resolved = _in_daemon_threads(
        {h: (lambda h=h, p=p: socket.getaddrinfo(h, p, type=socket.SOCK_STREAM)) for h, p in hosts.items()}, timeout)
    addresses = {h: r[0][4] for h, r in resolved.items() if isinstance(r, list) and r}
    if not addresses:
        raise NoNetwork("no network: cannot reach any outlet (DNS lookups fail)")

    def connect(address):
        with socket.create_connection(address[:2], timeout=timeout):
            return True

    connected = _in_daemon_threads({h: (lambda a=a: connect(a)) for h, a in addresses.items()}, timeout)
    if not any(r is True for r in connected.values()):
        raise NoNetwork(f"no network: cannot reach any outlet (names resolve, but none of "
                        f"{len(addresses)} hosts accepts a connection)")


def _classify(exc: BaseException) -> str:
    reason = getattr(exc, "reason", exc)
    if reason == "scheme":
        return "scheme"
    if isinstance(reason, socket.gaierror):
        return "dns"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timeout"
    if isinstance(reason, ConnectionRefusedError):
        return "refused"
    if isinstance(reason, ConnectionResetError):
        return "reset"
    if "ssl" in type(reason).__name__.lower() or "certificate" in str(reason).lower():
        return "tls"
    return f"{type(reason).__name__}: {reason}"[:80]


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only: a probe never reads file:// or ftp:// (as a crawl never does)."""

    def http_error_302(self, req, fp, code, msg, headers):
        location = urllib.parse.urljoin(req.full_url, headers.get("location") or headers.get("uri") or "")
        if urllib.parse.urlsplit(location).scheme not in ("http", "https"):
            raise urllib.error.URLError("scheme")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects)


def fetch(url: str, user_agent: str, timeout: float) -> tuple[int | None, bytes, str]:
    """(status, body, error) of one GET; the whole answer must arrive within `timeout` seconds."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        return None, b"", "scheme"
    request = urllib.request.Request(url, headers={"User-Agent": user_agent, "Accept": "*/*"})
    deadline = time.monotonic() + timeout
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            chunks, size = [], 0
            while size < MAX_BODY:
                if time.monotonic() > deadline:
                    return response.status, b"", "timeout"
                chunk = response.read(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            return response.status, b"".join(chunks), ""
    except urllib.error.HTTPError as exc:
        return exc.code, b"", f"http_{exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, b"", _classify(exc)


# --- probing -------------------------------------------------------------------------------
def _user_agent(source: Source) -> str:
    return source.user_agent or crawl_settings.USER_AGENT


def _probe_robots(source: Source, timeout: float) -> tuple[Probe, Protego | None]:
    url = canonical("/robots.txt", base=source.base_url)
    started = time.monotonic()
    status, body, error = fetch(url, _user_agent(source), timeout)
    probe = Probe("robots", url, status=status, seconds=time.monotonic() - started, error=error)
    if status in (404, 410):  # no robots.txt: everything is allowed
        probe.error = ""
        return probe, None
    if error:
        return probe, None
    text = body.decode("utf-8", "replace")
    probe.items = len(robots_sitemaps(text, url))
    # Protego, as the crawl reads robots.txt (crawler/guard.py): wildcards and `$` included, so
    # the probe never asks for what the crawl would not
    return probe, Protego.parse(text)


def _probe_endpoint(source: Source, kind: str, url: str, fallback: bool, timeout: float,
                    rules: Protego | None) -> tuple[Probe, list[str]]:
    """One feed, sitemap or section: fetched, parsed, its article URLs returned."""
    probe = Probe(kind, url, fallback, evidence=source.evidence.get(url, ""))
    if not _allowed(source, url, rules):
        probe.error = "disallowed by robots.txt"
        return probe, []
    started = time.monotonic()
    probe.status, body, probe.error = fetch(canonical(url), _user_agent(source), timeout)
    probe.seconds = time.monotonic() - started
    if probe.error:
        return probe, []
    try:
        if kind == "feed":
            urls = [c.url for c in parse_feed(body, url)]
        elif kind == "sitemap":
            sitemap_kind, entries = parse_sitemap(body, url)
            if sitemap_kind == "index":  # children are not walked: their count says enough
                probe.items = len(entries)
                probe.error = "" if entries else "empty sitemap index"
                return probe, []
            urls = [e.url for e in entries]
        else:
            urls = [canonical(href, base=url) for href in lxml_html.fromstring(body).xpath("//a/@href")]
    except (DiscoveryError, ValueError, lxml_html.etree.LxmlError) as exc:
        probe.error = f"not a {kind}: {str(exc)[:60]}"
        return probe, []
    articles = list(dict.fromkeys(u for u in urls if source.is_article_url(u) and _allowed(source, u, rules)))
    probe.items, probe.articles = len(urls), len(articles)
    if not articles:
        probe.error = f"no article URLs among {len(urls)} items" if urls else "no items"
    return probe, articles


def _allowed(source: Source, url: str, rules: Protego | None) -> bool:
    return rules is None or rules.can_fetch(url, _user_agent(source))


def _probe_article(source: Source, url: str, timeout: float) -> Probe:
    started = time.monotonic()
    status, body, error = fetch(url, _user_agent(source), timeout)
    probe = Probe("article", url, status=status, seconds=time.monotonic() - started, error=error)
    if not error and b"<" not in body[:2048]:
        probe.error = "not HTML"
    return probe


def check_sources(sources: list[Source], timeout: float = 10.0, workers: int = 16) -> list[SourceHealth]:
    """Probe robots.txt, every feed, sitemap and section (fallbacks too) and one article per source.

    Three rounds, each concurrent: robots.txt (its rules apply to the endpoints), the endpoints,
    then one article URL per source taken from a primary endpoint if any works, else a fallback.
    """
    by_id = {s.id: s for s in sources}
    jobs = [(s, kind, url, fallback) for s in sources for kind, url, fallback in s.endpoints()]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="probe") as pool:
        robots = dict(zip(by_id, pool.map(lambda s: _probe_robots(s, timeout), sources)))
        done = list(pool.map(lambda job: _probe_endpoint(*job, timeout, robots[job[0].id][1]), jobs))
        article_url: dict[str, str] = {}
        for (source, _, _, _), (_, articles) in sorted(zip(jobs, done), key=lambda pair: pair[0][3]):
            if articles:
                article_url.setdefault(source.id, articles[0])
        article_probes = dict(zip(article_url, pool.map(
            lambda sid: _probe_article(by_id[sid], article_url[sid], timeout), article_url)))
    report = {sid: SourceHealth(sid, s.name, [robots[sid][0]]) for sid, s in by_id.items()}
    for (source, _, _, _), (probe, _) in zip(jobs, done):
        report[source.id].probes.append(probe)
    for sid, health in report.items():
        health.probes.append(article_probes.get(sid) or Probe("article", "", error="no article URL found"))
    return list(report.values())


def health_table(health: SourceHealth) -> Table:
    """One source's probes as a Rich table: what works, what fails."""
    colour = {"ok": "green", "fallback only": "yellow", "no articles": "yellow"}.get(health.verdict, "red")
    table = Table(title=f"{health.source} — {health.name}: [{colour}]{health.verdict}[/{colour}]",
                  title_justify="left")
    for column in ("what", "url", "status", "items", "articles", "time", "result", "evidence"):
        table.add_column(column, justify="right" if column in ("status", "items", "articles", "time") else "left")
    for p in health.probes:
        what = p.kind + (" (fallback)" if p.fallback else "")
        result = "[green]ok[/green]" if p.ok else f"[red]{p.error}[/red]"
        table.add_row(what, p.url, "-" if p.status is None else str(p.status),
                      "-" if p.items is None else str(p.items), "-" if p.articles is None else str(p.articles),
                      f"{p.seconds:.2f}s", result, _verified(p.evidence))
    return table


def _verified(note: str) -> str:
    """'LIVE-OK 2026-10-10 [P] 46 items' -> 'LIVE-OK 2026-10-10': the level and when it was seen."""
    words = note.split()
    return " ".join(w for w in words[:2] if w != "-")


# --- crawl history -------------------------------------------------------------------------


def crawl_health(state_path: str | Path, source_ids: list[str],
                 stored_by_source: dict[str, int] | None = None, store_url: str | None = None,
                 store_options: dict | None = None) -> dict[str, dict]:
    """Per-source crawl health from the crawl state (URL outcomes by kind, a verdict), for `newsmon stats`.

    Rows for `source_ids` and for every source the state knows. `stored` is the store's own
    count when given (the state marks a stored but truncated page as an error, to refetch it),
    so stats and the crawl summary show one number. Verdict: "never crawled" (no URLs
    recorded), "failing" (half or more of the articles tried ended in an error), "some
    errors", or "ok".
    """
    counts: dict[str, dict[tuple[str, str], int]] = {}
    shared = store_url is not None and sqlite_path(store_url) is None  # the cluster's own state
    if shared or Path(state_path).exists():  # do not create a state file just to read it
        state = open_state(state_path, store_url, store_options, shared=shared)
        try:
            counts = state.counts()
        finally:
            state.close()
    ids = list(dict.fromkeys([*source_ids, *counts]))
    return {sid: _health_row(counts.get(sid, {}), (stored_by_source or {}).get(sid)) for sid in ids}


def _health_row(counts: dict[tuple[str, str], int], stored_in_store: int | None = None) -> dict:
    def total(kinds: tuple[str, ...], status: str | None = None, error: bool = False) -> int:
        return sum(n for (k, s), n in counts.items() if k in kinds
                   and (status is None or s == status) and (not error or s.startswith("error:")))

    errors: dict[str, int] = {}
    for (_, status), n in counts.items():
        if status.startswith("error:"):
            errors[status[len("error:"):]] = errors.get(status[len("error:"):], 0) + n
    # an alias is a URL that led to another (its canonical page): not an article tried
    tried = sum(n for (k, s), n in counts.items() if k == "article" and s != "alias")
    failed = total(("article",), error=True)
    if not counts:
        verdict = "never crawled"
    elif tried and failed * 2 >= tried:
        verdict = "failing"
    elif errors:
        verdict = "some errors"
    else:
        verdict = "ok"
    endpoints = {kind: {"ok": total((kind,), "ok"), "failed": total((kind,), error=True)}
                 for kind in ("feed", "sitemap", "section")}
    return {"verdict": verdict, "endpoints": endpoints, "articles": tried,
            "stored": total(("article",), "stored") if stored_in_store is None else stored_in_store,
            "off_topic": total(("article",), "off_topic"), "errors": sum(errors.values()), "error_kinds": errors}


def crawl_health_table(health: dict[str, dict]) -> Table:
    """crawl_health() of the sources crawled so far as a Rich table (never_crawled() names the rest)."""
    table = Table(title="crawl health by source")
    for column in ("source", "verdict", "feeds ok", "sitemaps ok", "sections ok", "articles", "stored",
                   "off-topic", "errors"):
        table.add_column(column, justify="left" if column in ("source", "verdict", "errors") else "right")

    def endpoint(row: dict, kind: str) -> str:
        e = row["endpoints"][kind]
        return f"{e['ok']}/{e['ok'] + e['failed']}" if e["ok"] + e["failed"] else "-"

    for sid, row in health.items():
        if row["verdict"] == "never crawled":
            continue
        errors = ", ".join(f"{k} {v}" for k, v in sorted(row["error_kinds"].items())) or "-"
        table.add_row(sid, row["verdict"], endpoint(row, "feed"), endpoint(row, "sitemap"), endpoint(row, "section"),
                      str(row["articles"]), str(row["stored"]), str(row["off_topic"]), errors)
    return table


def never_crawled(health: dict[str, dict]) -> list[str]:
    """The sources with nothing in the crawl state."""
    return [sid for sid, row in health.items() if row["verdict"] == "never crawled"]
