"""Saved alerts kept in the store itself, so every process that opens the store sees the same alerts.

An alert is stored as an opaque JSON record (its meaning belongs to monitor/alerts) plus two
numbers the matcher needs: the `floor` (the store's last seq when the alert was made: nothing
at or below it is ever matched) and the `watermark` (every article up to it has been matched
and its deliveries are in the outbox).
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from index.store import Store


@dataclass
class AlertRecord:
    name: str
    data: dict = field(default_factory=dict)
    floor: int = 0
    watermark: int = 0


class AlertStore(ABC):
    """Where a store keeps its alerts. One implementation per backend."""

    # seqs below the watermark re-scanned on every match: writers whose seqs may become
    # visible out of order (Elasticsearch's counter document) need this; SQLite does not
    overlap: int = 0

    @abstractmethod
    def save(self, record: AlertRecord) -> None:
        """Create or replace an alert by name."""

    @abstractmethod
    def get(self, name: str) -> AlertRecord | None:
        """The alert with this name, or None."""

    @abstractmethod
    def all(self) -> list[AlertRecord]:
        """Every alert, by name."""

    @abstractmethod
    def remove(self, name: str) -> bool:
        """Delete an alert; False when there was none."""

    @abstractmethod
    def set_watermarks(self, seqs: dict[str, int]) -> None:
        """Move alerts' watermarks forward (never back), in one write."""

    def fingerprint(self, after_seq: int) -> tuple | None:
        """What the article store holds after `after_seq`, cheaply (one request): equal on two rounds
        only if no article was written or became visible there in between. None: not known (the
        overlap is re-read every round)."""
        return None


def alert_store_for(store: Store) -> AlertStore:
    """The alert storage that lives beside an opened article store (index/sqlite/alerts.py, index/elastic/alerts.py)."""
    return store.alert_store()
