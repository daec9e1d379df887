"""The AMP copy of an article page: the same text in AMP's stripped-down markup."""
from __future__ import annotations

from sampleweb.articles import Article
from sampleweb.compose import TEXTS
from sampleweb.generator import SampleWeb
from sampleweb.outlets import BY_ID
from sampleweb.pages import article_url, esc, iso, json_ld


def amp_page(web: SampleWeb, art: Article, base: str) -> str:
    """Minimal AMP version pointing back at the canonical article."""
    outlet = BY_ID[art.outlet]
    mod = TEXTS[art.language]
    body = "".join(f"<p>{esc(' '.join(p))}</p>" for p in art.paragraphs)
    author = f'{esc(art.author)} · ' if art.author else ""
    return f"""<!doctype html>
<html ⚡ lang="{art.language}">
<head>
<meta charset="utf-8">
<script async src="https://cdn.ampproject.org/v0.js"></script>
<title>{esc(art.title)}</title>
<link rel="canonical" href="{article_url(base, art)}">
<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">
{json_ld(art, outlet, base, mod.SECTIONS[art.category])}
<style amp-boilerplate>body{{visibility:hidden}}</style><noscript><style amp-boilerplate>body{{visibility:visible}}</style></noscript>
<style amp-custom>body{{font-family:Georgia,serif;margin:0 1rem}}header{{border-bottom:1px solid #ccc}}</style>
</head>
<body>
<header><a href="{outlet.home_path(art.language)}">{esc(outlet.site_name)}</a></header>
<article>
<h1>{esc(art.title)}</h1>
<p class="byline">{author}<time datetime="{iso(art.published)}">{esc(mod.format_date(art.published))}</time></p>
<amp-img src="/static/img/{art.num}.jpg" width="960" height="540" layout="responsive"></amp-img>
{body}
</article>
<footer>© 2025 {esc(outlet.site_name)}</footer>
</body>
</html>
"""


# --- listings -------------------------------------------------------------------------
