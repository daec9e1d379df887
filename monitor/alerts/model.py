"""What an alert is: a saved search, its filters, its mode and its channels."""
from __future__ import annotations

import re
import secrets
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

MODES = ("instant", "hourly", "daily")
CHANNEL_KINDS = ("webhook", "email", "jsonl")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$|^[^@\s]+@localhost$")


class AlertError(ValueError):
    """An alert that cannot be saved or found; the message says why, in one line."""


@dataclass(frozen=True)
class Channel:
    kind: str  # webhook, email, jsonl
    target: str  # URL, address or path

    @property
    def key(self) -> str:
        """The channel's part of a delivery's (alert, article, channel) key."""
        return f"{self.kind}:{self.target}"

    @classmethod
    def from_key(cls, key: str) -> "Channel":
        kind, _, target = key.partition(":")
        return cls(kind, target)


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

    def full_query(self) -> str:
        """The query with the entity filters added, in the search query language."""
        if not self.entities:
            return self.query
        entities = " OR ".join(f"entity:{e}" for e in self.entities)
        return f"({self.query}) ({entities})" if self.query.strip() else f"({entities})"

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

    def validate(self) -> None:
        if not NAME.match(self.name):
            raise AlertError(f"alert name {self.name!r}: use letters, digits, '.', '_' or '-' (at most 64)")
        if self.mode not in MODES:
            raise AlertError(f"mode {self.mode!r}: use instant, hourly or daily")
        if not self.channels:
            raise AlertError("an alert needs a channel: --webhook URL, --email ADDR or --jsonl PATH")
        for c in self.channels:
            if c.kind == "webhook" and (urlsplit(c.target).scheme not in ("http", "https")
                                        or not urlsplit(c.target).hostname):
                raise AlertError(f"--webhook {c.target!r} is not an http(s) URL")
            if c.kind == "email" and not EMAIL.match(c.target):
                raise AlertError(f"--email {c.target!r} is not an e-mail address")
            if c.kind not in CHANNEL_KINDS:
                raise AlertError(f"unknown channel kind {c.kind!r}")
