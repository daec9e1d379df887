"""What an alert is: a saved search, its filters, its mode, its channels and its backlog rule."""
from __future__ import annotations

import difflib
import ipaddress
import math
import re
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

MODES = ("instant", "hourly", "daily")
BACKLOG_MODES = ("digest", "skip")
# what one message is about: each matching article, or each matching story (its later articles
# go into the story's next digest line)
PER = ("article", "story")
CHANNEL_KINDS = ("webhook", "email", "jsonl", "notify")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$|^[^@\s]+@localhost$")
SOURCE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
# An article published at most this long before newsmon first stored it is news; older ones are
# backlog (a new store, a newly added source, an archive backfill). A day covers sources crawled
# every 30-60 minutes, feeds that list an article hours after its stated time, a date without a
# zone read up to 14 hours off, and a scheduler stopped overnight.
DEFAULT_GRACE = 24 * 3600
MAX_GRACE = 100 * 365 * 86400
# The page offers each search as an alert with these placeholders; saved unchanged they could
# never deliver, so they are refused wherever an alert is made.
PLACEHOLDER_NAME = "NAME"
PLACEHOLDER_WEBHOOK = "https://…"
# underscores too: a container's name on a Docker network (hook_receiver) resolves there
HOST_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")
# what of an apprise URL may be shown: a host that is a name (letters last, as a domain ends) or an
# address, and its port; a token in the host's place (tgram://BOT:TOKEN/CHAT) is no host name
SHOWN_HOST = re.compile(r"^(localhost|(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63})$")
LANGUAGE_NAMES = {"english": "en", "turkish": "tr", "türkçe": "tr", "turkce": "tr", "azerbaijani": "az",
                  "azeri": "az", "azərbaycan": "az", "russian": "ru", "русский": "ru"}


class AlertError(ValueError):
    """An alert that cannot be saved or found; the message says why, in one line.

    `field` names the alert field at fault (languages, sources, min_relevance, ...) when one is.
    """

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def check_alert_fields(languages: Iterable[str] = (), sources: Iterable[str] = (),
                       min_relevance: float | None = None, known_sources: Iterable[str] | None = None,
                       backlog: str = "digest", grace: int | float = DEFAULT_GRACE) -> tuple[list[str], list[str]]:
    """Check an alert's filters as search checks its own; return (languages, sources) normalised.

    Languages are codes the language stage tags ("english" is refused, naming "en"); sources must
    be `known_sources` (configured or stored) when those are given; min_relevance a finite number
    of 0 or more. Raises AlertError naming the field. The CLI and the HTTP API both call this.
    """
    from monitor.search import known_languages  # langdetect's profiles: loaded only when checking

    codes: list[str] = []
    for value in _items(languages):
        code = value.lower()
        if code in LANGUAGE_NAMES:
            raise AlertError(f"--lang {value!r}: use the language code {LANGUAGE_NAMES[code]!r}", "languages")
        if not re.fullmatch(r"[a-z]{2,3}", code) or code not in known_languages():
            raise AlertError(f"--lang {value!r} is not a language code newsmon tags "
                             "(en, tr, az, ru, or another ISO 639-1 code its detector knows)", "languages")
        codes.append(code)
    ids = _items(sources)
    known = None if known_sources is None else set(known_sources)
    for sid in ids:
        if not SOURCE_ID.match(sid):
            raise AlertError(f"--source {sid!r} is not a source id (letters, digits, - _ .)", "sources")
        if known is not None and sid not in known:
            close = difflib.get_close_matches(sid, sorted(known), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise AlertError(f"--source {sid!r} is not a configured or stored source: the alert could never "
                             f"match; {hint}`newsmon sources` lists them", "sources")
    if min_relevance is not None:
        if isinstance(min_relevance, bool) or not isinstance(min_relevance, (int, float)) \
                or not math.isfinite(min_relevance) or min_relevance < 0:
            raise AlertError(f"--min-relevance {min_relevance!r}: use a number of 0 or more "
                             "(relevance is points of evidence; articles are kept from 3.0)", "min_relevance")
    if backlog not in BACKLOG_MODES:
        raise AlertError(f"--backlog {backlog!r}: use digest or skip", "backlog")
    if isinstance(grace, bool) or not isinstance(grace, (int, float)) or not math.isfinite(grace) or grace < 0 \
            or grace > MAX_GRACE:  # beyond dates can reach: every match of the alert would fail
        raise AlertError(f"--grace {grace!r}: use a duration like 24h or 7d, at most 100 years", "grace")
    return list(dict.fromkeys(codes)), list(dict.fromkeys(ids))


def _items(values: Iterable[str]) -> list[str]:
    """Repeated values and comma lists ("tr,az") alike, stripped, empty ones dropped."""
    values = [values] if isinstance(values, str) else list(values or [])
    return [v.strip() for item in values for v in str(item).split(",") if v.strip()]


@dataclass(frozen=True)
class Channel:
    kind: str  # webhook, email, jsonl, notify (an apprise URL)
    target: str  # URL, address or path

    @property
    def key(self) -> str:
        """The channel's part of a delivery's (alert, article, channel) key."""
        return f"{self.kind}:{self.target}"

    @property
    def label(self) -> str:
        """The key as printed and served: an apprise URL without its secrets."""
        return f"notify:{notify_label(self.target)}" if self.kind == "notify" else self.key

    @classmethod
    def from_key(cls, key: str) -> "Channel":
        kind, _, target = key.partition(":")
        return cls(kind, target)


def channel_label(key: str) -> str:
    """A channel key (an outbox row's) as printed and served: see Channel.label."""
    return Channel.from_key(key).label


def notify_label(url: str) -> str:
    """An apprise URL with everything but its scheme and host masked: `json://127.0.0.1:8080/…`,
    `tgram://…` (the bot token stands where a host would). Passwords, tokens, paths, queries and
    anything that is not plainly a host name or an address are never shown."""
    scheme, sep, rest = url.partition("://")
    if not sep or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]{0,31}", scheme):
        return "…"
    netloc = re.split(r"[/?#]", rest, maxsplit=1)[0].rpartition("@")[2]
    hidden = netloc != rest  # a user, a password, a path or a query
    host, port = netloc, ""
    if not netloc.startswith("[") and netloc.count(":") == 1:
        host, _, port = netloc.partition(":")
    elif netloc.startswith("[") and "]" in netloc:
        host, _, after = netloc[1:].partition("]")
        port = after[1:] if after.startswith(":") else after
    try:
        shown = str(ipaddress.ip_address(host))
        shown = f"[{shown}]" if ":" in shown else shown
    except ValueError:
        shown = host if SHOWN_HOST.match(host) else ""  # as written: a token mixes cases
    if not shown or (port and not port.isdigit()):
        return f"{scheme.lower()}://…"
    return f"{scheme.lower()}://{shown}{':' + port if port else ''}" + ("/…" if hidden else "")


@dataclass
class Alert:
    name: str
    query: str
    languages: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    min_relevance: float | None = None
    mode: str = "instant"
    channels: list[Channel] = field(default_factory=list)
    allow_private: bool = False
    secret: str = field(default_factory=lambda: secrets.token_hex(32))  # signs webhook bodies
    created_at: str = ""
    backlog: str = "digest"  # articles published long before they were found: one digest, or skip
    grace: int = DEFAULT_GRACE  # seconds: published this long before being found still counts as new
    per: str = "article"  # article: a message per article; story: per story, its later articles digested

    def is_backlog(self, published_at: datetime | None, found_at: datetime | None,
                   not_before: datetime | None = None) -> bool:
        """True for an article published more than `grace` before it was found (or before
        `not_before`, the alert's making, for articles stored earlier); undated ones are news."""
        if published_at is None:
            return False
        reference = found_at or datetime.now(timezone.utc)
        if not_before is not None:
            reference = max(reference, not_before)
        return _utc(published_at) < _utc(reference) - timedelta(seconds=self.grace)

    def created(self) -> datetime | None:
        try:
            return _utc(datetime.fromisoformat(self.created_at.replace("Z", "+00:00"))) if self.created_at else None
        except ValueError:
            return None

    def full_query(self) -> str:
        """The query with the entity filters added, in the search query language."""
        if not self.entities:
            return self.query
        entities = " OR ".join(f"entity:{e}" for e in self.entities)
        return f"({self.query}) ({entities})" if self.query.strip() else f"({entities})"

    @classmethod
    def from_fields(cls, name: str, query: str, languages=(), sources=(), entities=(), min_relevance=None,
                    webhooks=(), emails=(), jsonl=(), digest: str | None = None, allow_private: bool = False,
                    backlog: str = "digest", grace: float = DEFAULT_GRACE, per: str = "article",
                    notify=()) -> "Alert":
        """An alert from the fields `newsmon alerts add` and POST /api/alerts both take (one path)."""
        channels = ([Channel("webhook", u) for u in webhooks] + [Channel("email", a) for a in emails]
                    + [Channel("notify", u) for u in notify] + [Channel("jsonl", p) for p in jsonl])
        return cls(name=name, query=query, languages=list(languages), sources=list(sources),
                   entities=list(entities), min_relevance=min_relevance, mode=digest or "instant",
                   channels=channels, allow_private=allow_private, backlog=backlog, grace=grace, per=per)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["channels"] = [c.key for c in self.channels]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Alert":
        data = dict(data)
        data["channels"] = [Channel.from_key(k) for k in data.get("channels", [])]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    def validate(self, known_sources: Iterable[str] | None = None) -> None:
        """Refuse what cannot work (one line, AlertError); normalises languages and sources in place."""
        if not NAME.match(self.name):
            raise AlertError(f"alert name {self.name!r}: use letters, digits, '.', '_' or '-' (at most 64)", "name")
        if self.name == PLACEHOLDER_NAME:
            raise AlertError("'NAME' is the page's placeholder: choose a name for the alert", "name")
        if self.mode not in MODES:
            raise AlertError(f"mode {self.mode!r}: use instant, hourly or daily", "mode")
        if self.per not in PER:
            raise AlertError(f"--per {self.per!r}: use article or story", "per")
        self.languages, self.sources = check_alert_fields(self.languages, self.sources, self.min_relevance,
                                                          known_sources, self.backlog, self.grace)
        if not self.channels:
            raise AlertError("an alert needs a channel: --webhook URL, --email ADDR, --notify URL or --jsonl PATH",
                             "channels")
        for c in self.channels:
            problem = webhook_problem(c.target) if c.kind == "webhook" else None
            if problem:
                raise AlertError(f"--webhook {c.target!r} {problem}", "webhooks")
            if c.kind == "email" and not EMAIL.match(c.target):
                raise AlertError(f"--email {c.target!r} is not an e-mail address", "emails")
            if c.kind == "notify":
                from monitor.alerts.notify import notify_problem  # apprise: loaded only for its channels

                problem = notify_problem(c.target)
                if problem:
                    raise AlertError(f"--notify {notify_label(c.target)} {problem}", "notify")
            if c.kind not in CHANNEL_KINDS:
                raise AlertError(f"unknown channel kind {c.kind!r}", "channels")


def webhook_problem(url: str) -> str | None:
    """Why a webhook URL can never be delivered to, or None ("https://…" has the host '…')."""
    if url == PLACEHOLDER_WEBHOOK:
        return "is the page's placeholder: give your receiver's URL"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not an http(s) URL"
    try:
        ipaddress.ip_address(parts.hostname)
        return None
    except ValueError:
        pass
    try:
        labels = parts.hostname.encode("idna").decode("ascii").split(".")
    except UnicodeError:
        labels = [""]
    if not all(HOST_LABEL.match(label) for label in labels):
        return f"has no valid host name ({parts.hostname!r})"
    return None


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=timezone.utc) if when.tzinfo is None else when.astimezone(timezone.utc)


def format_duration(seconds: float) -> str:
    """24h, 7d, 90m: the way --grace takes it."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0 and (unit != "d" or seconds >= 2 * 86400):  # 24h, not 1d
            return f"{int(seconds // size)}{unit}"
    return f"{int(seconds)}s"
