"""Dedup stage: exact (content hash) and near-duplicate (MinHash) signatures and linking."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

from index.analysis import fold, lower

NUM_PERM = 64
SHINGLE = 4  # words per shingle: long enough that unrelated texts share few
# Estimated Jaccard similarity above which a text counts as a copy (edited intros, bylines)
NEAR_THRESHOLD = 0.7

_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class DedupOptions:
    """The dedup stage's knob. NUM_PERM and SHINGLE are not knobs: they make the signatures the
    store already holds (and its LSH bands), so changing them would hide every older copy."""

    near_threshold: float = NEAR_THRESHOLD  # estimated Jaccard similarity from which a text is a copy


DEFAULT_DEDUP = DedupOptions()


# a news text repeats its words: folding each distinct word once is most of the saving
_fold = lru_cache(maxsize=100_000)(fold)


def _words(text: str) -> list[str]:
    return [_fold(w) for w in _WORDS.findall(lower(text))]


def fingerprints(text: str) -> tuple[str, list[int]]:
    """content_hash and signature of a text, from one pass over its words."""
    words = _words(text)
    return _hash(words), _signature(words)


def content_hash(text: str) -> str:
    """Hash of the normalised text: equal for exact copies despite whitespace or case."""
    return _hash(_words(text))


def signature(text: str) -> list[int]:
    """MinHash signature over word shingles, for near-duplicate detection."""
    return _signature(_words(text))


def _hash(words: list[str]) -> str:
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def _signature(words: list[str]) -> list[int]:
    # imported here: datasketch loads scipy (half a second), which only the stage workers need
    # (their fork server preloads it); the crawl process and the CLI only compare signatures
    from datasketch import MinHash

    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    mh = MinHash(num_perm=NUM_PERM, seed=1)
    mh.update_batch(s.encode("utf-8") for s in shingles)
    return [int(v) for v in mh.hashvalues]


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two signatures."""
    if not a or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b)) / len(a)


def find_original(article_id: str, chash: str, sig: list[int], candidates: Iterable,
                  threshold: float = NEAR_THRESHOLD) -> str | None:
    """Id of the stored article this one copies (exact hash or near signature), if any.

    The first stored copy is the original; a chain is followed to its root so every copy
    points at the same record. Candidates come oldest first (the store's first-write order),
    so among equally close copies the oldest wins.
    """
    best, best_score = None, threshold
    for other in candidates:
        root = other.duplicate_of or other.id
        if article_id in (other.id, root):
            continue  # the article itself, or a copy of it: never its own original
        score = 1.0 if other.content_hash == chash else similarity(sig, other.signature)
        if score >= best_score and (best is None or score > best_score):
            best, best_score = root, score
    return best
