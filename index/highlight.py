"""Highlights marked on the original text in Python, so every store returns the same ones."""
from __future__ import annotations

import html
import re
from functools import lru_cache

from index import analysis
from index.article import Article
from index.query import Node, positive_terms

SNIPPET_CHARS = 160
MAX_SNIPPETS = 3
_SPACES = re.compile(r"\s+")


def highlight(article: Article, node: Node) -> dict[str, list[str]]:
    """The title with <mark>s, and up to three body snippets around matches (HTML-escaped)."""
    title_seqs: set[tuple[str, ...]] = set()
    body_seqs: set[tuple[str, ...]] = set()
    for leaf in positive_terms(node):
        title_seqs |= leaf.sequences
        if leaf.field != "title":
            body_seqs |= leaf.sequences
    title_spans = match_spans(article.title, article.language, title_seqs)
    body_spans = match_spans(article.body, article.language, body_seqs)
    return {"title": [_render(article.title, title_spans, 0, len(article.title))],
            "body": snippets(article.body, body_spans)}


def match_spans(text: str, lang: str, sequences: set[tuple[str, ...]] | frozenset) -> list[tuple[int, int]]:
    """Character spans of the token runs whose index terms form one of `sequences`."""
    if not text or not sequences:
        return []
    tokens, terms, places = _analysed(text, lang)
    longest: dict[int, int] = {}  # where a sequence starts -> the longest one starting there
    for seq in sequences:
        for i in places.get(seq[0], ()):
            if len(seq) > longest.get(i, 0) and tuple(terms[i:i + len(seq)]) == seq:
                longest[i] = len(seq)
    spans: list[tuple[int, int]] = []
    for i in sorted(longest):
        start, end = tokens[i].start, tokens[i + longest[i] - 1].end
        if spans and start < spans[-1][1]:  # overlapping phrase matches: one mark
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


@lru_cache(maxsize=512)
def _analysed(text: str, lang: str) -> tuple[list[analysis.Token], list[str], dict[str, list[int]]]:
    # alert matching highlights one article for every alert it matches: analysed once, with
    # where each term stands, so each of a query's sequences is looked up, not every position tried
    tokens = analysis.tokenize(text)
    terms = [analysis.term(t.text, lang) for t in tokens]
    return tokens, terms, analysis.term_places(terms)


def mark_text(text: str, lang: str, sequences: set[tuple[str, ...]] | frozenset) -> str:
    """The whole text HTML-escaped, with every match wrapped in <mark>."""
    return _render(text, match_spans(text, lang, sequences), 0, len(text)) if text else ""


def snippets(text: str, spans: list[tuple[int, int]], width: int = SNIPPET_CHARS,
             limit: int = MAX_SNIPPETS) -> list[str]:
    """Up to `limit` windows of about `width` characters around the spans; the opening if none."""
    if not text:
        return []
    if not spans:
        return [_render(text, [], 0, _word_end(text, min(len(text), width), width // 2))]
    windows: list[tuple[int, int]] = []
    for start, end in spans:
        if windows and start < windows[-1][1]:
            # begins in the previous window: widen that one rather than split the mark
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
            continue
        if len(windows) == limit:
            break
        lo = max(0, (start + end) // 2 - width // 2)
        hi = min(len(text), lo + width)
        lo = max(0, hi - width)  # clipped at the end: show more before the match
        lo, hi = min(lo, start), max(hi, end)  # a long match is shown whole
        if windows:
            lo = max(lo, windows[-1][1])  # windows never overlap
        windows.append((_word_start(text, lo, start), _word_end(text, hi, end)))
    return [_render(text, spans, lo, hi) for lo, hi in windows]


def _word_start(text: str, lo: int, limit: int) -> int:
    """Move a cut forward to the next word start so no word is shown in part."""
    while 0 < lo < limit and not text[lo - 1].isspace():
        lo += 1
    return lo


def _word_end(text: str, hi: int, limit: int = 0) -> int:
    """Move a cut back to the previous word end so no word is shown in part."""
    while limit < hi < len(text) and not text[hi].isspace():
        hi -= 1
    return hi


def _render(text: str, spans: list[tuple[int, int]], lo: int, hi: int) -> str:
    """Escape text[lo:hi], wrap the spans inside it in <mark>, add … where the text was cut."""
    out, pos = [], lo
    for start, end in spans:
        if end <= lo or start >= hi:
            continue
        start, end = max(start, lo), min(end, hi)
        out.append(_escape(text[pos:start]))
        out.append(f"<mark>{_escape(text[start:end])}</mark>")
        pos = end
    out.append(_escape(text[pos:hi]))
    body = _SPACES.sub(" ", "".join(out)).strip()
    return ("…" if lo > 0 else "") + body + ("…" if hi < len(text) else "")


def _escape(text: str) -> str:
    # Highlights are element content, never attribute values: quotes may stay readable.
    return html.escape(text, quote=False)
