"""JSON-LD on a page: every object node, nested ones and `@graph` members included.

One walker for every reader (headline in extract.py, dates in dates.py): outlets put the
NewsArticle at the top, in a list, inside `@graph`, or under `mainEntity`.
"""
from __future__ import annotations

import json
from collections.abc import Iterator


def nodes(tree) -> Iterator[dict]:
    """Every JSON object in the page's ld+json scripts, depth first, in page order."""
    for script in tree.xpath('//script[@type="application/ld+json"]/text()'):
        try:
            data = json.loads(script)
        except ValueError:
            continue  # broken JSON-LD is common; the other sources remain
        yield from _walk(data)


def _walk(node) -> Iterator[dict]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)
