"""The durable local file where writes wait, in order, while the cluster is away."""
from __future__ import annotations

import json
import os
from pathlib import Path


class Spool:
    """Documents appended one JSON line each and fsynced; read back oldest first; removed once sent."""

    def __init__(self, path: str | Path):
        self.path = Path(path)

    def append(self, docs: list[dict]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as fh:
            for d in docs:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def read(self) -> list[dict]:
        """Documents waiting in the spool, oldest first."""
        if not self.path.exists():
            return []
        with open(self.path, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]

    def clear(self) -> None:
        self.path.unlink()
