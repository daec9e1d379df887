"""URL canonicalisation: one spelling per article, so one fetch and one record."""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urljoin, urlsplit

from w3lib.url import canonicalize_url, url_query_cleaner

# Parameters that only say where a reader came from; they never change the article.
TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|yclid|mc_cid|mc_eid|_ga|ref|ref_src|cmpid|ocid|from)$", re.I)


# one URL is canonicalised several times on its way (spider, state, writer), within moments:
# a few thousand recent ones catch those, and the cache stays small in a crawl of a year
@lru_cache(maxsize=8192)
def canonical(url: str, base: str | None = None) -> str:
    """Absolute URL with tracking parameters and the fragment dropped, query sorted."""
    if base:
        url = urljoin(base, url.strip())
    keys = [k for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)]
    drop = [k for k in keys if TRACKING.match(k)]
    if drop:
        url = url_query_cleaner(url, drop, remove=True, keep_fragments=False)
    return canonicalize_url(url, keep_fragments=False)
