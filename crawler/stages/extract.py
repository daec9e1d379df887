"""Extraction stage: HTML in, article fields out (trafilatura for text, dates.py for dates)."""
from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from datetime import datetime
from urllib.parse import urlsplit

import trafilatura
from lxml import html as lxml_html
from w3lib.encoding import html_to_unicode

from trafilatura.utils import load_html

from crawler.stages import dates, jsonld
from crawler.stages.boilerplate import drop_furniture, prose_chars
from crawler.urls import canonical
from index.analysis import fold

# Below this many characters of body text a page is navigation or an error page, not an article.
# Only prose counts: lines that are a reprint, copyright or subscription notice or a bare URL do
# not, so a 260-character "This copy is for your personal, non-commercial use" page fails the
# precision pass and gets the recall pass.
MIN_BODY_CHARS = 200


@dataclass(frozen=True)
class ExtractionOptions:
    """How trafilatura is asked for the body (the defaults are the ones benchmarks/extraction.py measured)."""

    min_body_chars: int = MIN_BODY_CHARS  # prose below this is no article
    include_tables: bool = True
    # a page where the precision pass finds less than min_body_chars of prose gets a recall pass
    recall_fallback: bool = True
    # the recall pass's blocks between the precision pass's lines (subheadings) are put back;
    # a second, fast trafilatura pass: about 7 ms a page on the benchmark's pages (21 -> 28)
    restore_interior: bool = True


DEFAULT_EXTRACTION = ExtractionOptions()
TRAFILATURA_DATE = {"extensive_search": False, "original_date": True}
# Teaser cards: a link that wraps a picture and a heading is another article's promotion, even
# inside the article's container (Billboard's "promo-item" list under the body).
TEASER_CARDS = "//a[.//img][.//h2 or .//h3 or .//h4]"

# Trafilatura reads the first element whose class names an article body; some outlets split
# one article into several such blocks with ads between them (Wired's body__container).
_BODY_CLASS = re.compile(r"(?:^|\s)(?:article(?:-|__)?body|articleBody|article-content|body__container|entry-content|post-content)(?:\s|$)")


class ExtractionError(ValueError):
    """A page that yields no article, with the reason."""


@dataclass
class Extracted:
    url: str
    canonical_url: str
    title: str
    body: str
    authors: list[str] = field(default_factory=list)
    sitename: str = ""
    tags: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    modified_at: datetime | None = None
    date_source: str = ""
    date_flags: list[str] = field(default_factory=list)
    html_lang: str = ""


UTF8 = ("utf-8", "utf8")


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode page bytes by HTTP header, BOM, meta tag, then detection; returns (encoding, text).

    A declared legacy charset loses to UTF-8 when the bytes are valid, non-ASCII UTF-8: text
    in windows-1254 or -1251 is practically never valid UTF-8, so such a page was mislabelled
    (decoding it as declared would give mojibake like "TÃ¼rkiye").
    """
    encoding, text = html_to_unicode(content_type, body)
    if encoding.lower().replace("_", "-") not in UTF8 and not body.isascii():
        try:
            return "utf-8", body.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return encoding, text


def canonical_link(html: str, url: str) -> str:
    """The page's rel=canonical target (canonicalised), or the URL itself."""
    match = re.search(r"<link[^>]+rel=[\"']?canonical[\"']?[^>]*>", html[:200_000], re.I)
    if match:
        href = re.search(r"href=[\"']([^\"']+)[\"']", match.group(0), re.I)
        if href and href.group(1).strip():
            return canonical(href.group(1), base=url)
    return canonical(url)


def is_truncated(html: str) -> bool:
    """True when the document stops before its closing </html> (a cut-off transfer)."""
    return "</html>" not in html[-2000:].lower()


def _html_lang(html: str) -> str:
    match = re.search(r"<html[^>]*\blang=[\"']?([a-zA-Z]{2})", html[:5000])
    return match.group(1).lower() if match else ""


_SITE_SEPARATORS = re.compile(r"\s+[|\-–—:•·]+\s+")


def _norm(text: str) -> str:
    return " ".join(text.split())


def _site_names(tree, url: str) -> set[str]:
    """Lowercase names the site goes by: og:site_name, application-name, its host's main label."""
    names = {_norm(t).lower() for t in tree.xpath(
        '//meta[@property="og:site_name"]/@content | //meta[@name="application-name"]/@content') if _norm(t)}
    host = (urlsplit(url).hostname or "").split(".")
    labels = [h for h in host if h not in ("www", "m", "amp", "com", "net", "org", "tr", "az", "ru", "ua", "kz", "am")]
    names.update(label for label in labels if len(label) >= 2)
    return names


def _strip_site(text: str, sites: set[str]) -> str:
    """Drop a trailing "| NTV Haber" style segment when it names the site."""
    parts = _SITE_SEPARATORS.split(text)
    if len(parts) < 2:
        return text
    tail = fold(parts[-1].lower())
    if any(fold(site) in tail or tail in fold(site) for site in sites):
        return _norm(text[: text.rfind(parts[-1])].rstrip(" |-–—:•·"))
    return text


def _cut_short(prefix: str, text: str) -> bool:
    """True when `text` continues `prefix` with more words (not with a "- Site" segment)."""
    if prefix == text or not text.startswith(prefix):
        return False
    return _SITE_SEPARATORS.match(text[len(prefix):]) is None


def headline_candidates(tree, url: str) -> list[tuple[str, str]]:
    """(source, text) for the page's headline sources: <title>, JSON-LD, og:, twitter:, <h1>, site names cut."""
    def texts(xpath: str) -> list[str]:
        return [_norm(t) for t in tree.xpath(xpath) if isinstance(t, str) and _norm(t)]

    ld = [_norm(html_lib.unescape(n["headline"])) for n in jsonld.nodes(tree)
          if isinstance(n.get("headline"), str) and _norm(n["headline"])]
    sites = _site_names(tree, url)
    sources = {
        "title": texts("//title/text()")[:1],
        "ld": ld[:1],
        "og": texts('//meta[@property="og:title"]/@content')[:1],
        "twitter": texts('//meta[@name="twitter:title"]/@content')[:1],
        "h1": [_norm(h.text_content()) for h in tree.xpath("//h1") if _norm(h.text_content())][:2],
    }
    return [(name, _strip_site(text, sites)) for name, values in sources.items() for text in values]


def headline(tree, url: str, fallback: str = "", candidates: list[tuple[str, str]] | None = None) -> str:
    """The headline most of the page's own sources agree on.

    Candidates: JSON-LD headline, og:title, twitter:title, <title>, <h1>, each without a
    trailing site name. A candidate gets a vote from every other source that says the same;
    ties go to the page <title>, which also beats an og:title that is only its cut-short
    beginning (a template or a truncation).
    """
    candidates = headline_candidates(tree, url) if candidates is None else candidates
    if not candidates:
        return fallback

    def score(item: tuple[str, str]) -> tuple[int, int]:
        name, text = item
        votes = sum(1 for other_name, other in candidates if other_name != name and other == text)
        if name == "title" and any(n in ("og", "twitter") and _cut_short(t, text) for n, t in candidates):
            votes += 1  # og:title is the beginning of <title>, cut short mid-sentence
        return votes, 1 if name == "title" else 0

    return max(candidates, key=score)[1]


def _split_authors(author: str | None) -> list[str]:
    if not author:
        return []
    return [a.strip() for a in re.split(r";|\s+and\s+|,\s*(?=[A-ZА-ЯƏÇĞİÖŞÜ])", author) if a.strip()]


def _merge_split_body(tree) -> None:
    """Join article-body blocks that share one class into the first (in place), ads left out."""
    groups: dict[str, list] = {}
    for el in tree.xpath("//div[@class] | //section[@class]"):
        if _BODY_CLASS.search(el.get("class", "")):
            groups.setdefault(el.get("class"), []).append(el)
    for blocks in groups.values():
        # only sibling blocks of one article, not a block nested in another
        blocks = [b for b in blocks if not any(a in blocks for a in b.iterancestors())]
        if len(blocks) < 2 or len({b.getparent().getparent() for b in blocks}) > 1:
            continue
        first = blocks[0]
        for block in blocks[1:]:
            for child in list(block):
                first.append(child)
            block.getparent().remove(block)


def _is_headline(line: str, title: str, sites: set[str]) -> bool:
    """True when a body line repeats the headline: the same words, or most of them from its start."""
    words = re.findall(r"\w+", _strip_site(_norm(line), sites).casefold())
    wanted = re.findall(r"\w+", title.casefold())
    if not words or not wanted:
        return False
    # "Headline!" before a headline that carries a "- Güncel haberler" tail, or the reverse
    shorter, longer = sorted((words, wanted), key=len)
    return longer[:len(shorter)] == shorter and len(shorter) >= 0.6 * len(longer)


def _clean_body(body: str, titles: list[str], sites: set[str], tree) -> str:
    """The body without page furniture (boilerplate.py) and without the headline repeated in it.

    `titles` are the chosen headline and the page's other headline candidates: a page whose
    og:title differs from its <title> may open the body with either, or repeat it under the lead.
    """
    lines = drop_furniture(body.splitlines(), tree)
    while lines and any(_is_headline(lines[0], title, sites) for title in titles):
        lines.pop(0)
    # further down, only a line that is a headline word for word (a teaser or the og:title
    # repeated under the lead)
    wanted = {tuple(re.findall(r"\w+", title.casefold())) for title in titles} - {()}
    lines = [line for line in lines if tuple(re.findall(r"\w+", line.casefold())) not in wanted]
    return "\n".join(lines).strip()


def parse_html(html: str):
    """The page's lxml tree (trafilatura's parser: comments and processing instructions dropped), or None."""
    try:
        return load_html(html)
    except (ValueError, TypeError, lxml_html.etree.LxmlError):
        return None


def _trafilatura(page, url: str, options: ExtractionOptions, metadata: bool = True, **mode):
    """One trafilatura pass over the page (a tree, or the HTML when it did not parse)."""
    try:
        return trafilatura.bare_extraction(
            # no deduplicate: its cache spans calls, so a re-fetched or syndicated page
            # would lose the paragraphs seen before
            page, url=url, with_metadata=metadata,
            include_comments=False, include_tables=options.include_tables, deduplicate=False,
            # trafilatura's own date goes unused (crawler/stages/dates.py chooses the date): its quick
            # pass only, not the dateparser search that was a fifth of the stages' CPU
            date_extraction_params=TRAFILATURA_DATE, prune_xpath=TEASER_CARDS, **mode,
        )
    except (ValueError, TypeError, lxml_html.etree.LxmlError) as exc:
        raise ExtractionError(f"trafilatura failed: {exc}") from exc


def restore_interior(precise: str, full: str) -> str:
    """The precise text with the lines only the fuller text has where they fall between its lines.

    The precision pass drops some short blocks inside the article (subheadings, the names of
    the products a guide goes through); the recall pass keeps them, and also boilerplate before
    and after the article. Lines the recall pass adds before the first or after the last line
    both passes share are left out; so are lines it has instead of the precise ones.
    """
    kept, ours = [], precise.splitlines()
    for op, i1, i2, j1, j2 in SequenceMatcher(None, ours, full.splitlines(), autojunk=False).get_opcodes():
        if op == "insert" and 0 < i1 < len(ours):
            kept += full.splitlines()[j1:j2]
        kept += ours[i1:i2]
    return "\n".join(kept)


def _bare_extraction(page, url: str, options: ExtractionOptions):
    """trafilatura's document for the page: the precision pass, helped by the recall pass.

    Pages where the precision pass finds less than `min_body_chars` of prose take the recall
    pass's text; the others get the blocks inside the article only the recall pass found.
    """
    if not options.recall_fallback:
        doc = _trafilatura(page, url, options)
    else:
        doc = _trafilatura(page, url, options, favor_precision=True)
        if doc is None or prose_chars(doc.text or "") < options.min_body_chars:
            doc = _trafilatura(page, url, options, favor_recall=True)
        elif options.restore_interior:
            # fast: without trafilatura's fallback extractors, about half the pass's time; the
            # lines put back were the same on the benchmark's 90 pages (the precision pass
            # keeps its fallbacks: without them the held-out half fell from 0.974 to 0.946)
            full = _trafilatura(page, url, options, metadata=False, favor_recall=True, fast=True)
            if full is not None and full.text:
                doc.text = restore_interior(doc.text, full.text)
    if doc is None or not (doc.text or "").strip():
        raise ExtractionError("no article text found")
    return doc


def _chosen_date(html: str, url: str, zone: str | None, title: str, tree, external_dates, options) -> dates.ChosenDate:
    """The page's own date candidates and the ones seen outside it, chosen by the dates stage."""
    published, modified = dates.page_candidates(html, url, zone, title, tree)
    published += external_dates or []
    if not published:
        fallback = dates.htmldate_candidate(tree if tree is not None else html, url)
        if fallback:
            published.append(fallback)
    return dates.choose(published, modified, options=options)


def extract_article(
    html: str,
    url: str,
    zone: str | None = None,
    external_dates: list[dates.DateCandidate] | None = None,
    options: ExtractionOptions = DEFAULT_EXTRACTION,
    date_options: dates.DateOptions = dates.DEFAULT_DATES,
) -> Extracted:
    """Extract title, body, authors and dates from one article page.

    `external_dates` are candidates seen outside the page (feed pubDate, news sitemap);
    `zone` is the outlet's time zone for times written without one. The HTML is parsed once:
    trafilatura copies the tree it is given, and the headline, site names and dates read the
    same tree.
    """
    if not html or not html.strip():
        raise ExtractionError("empty page")
    tree = parse_html(html)
    if tree is not None:
        _merge_split_body(tree)
    doc = _bare_extraction(tree if tree is not None else html, url, options)
    title = (doc.title or "").strip()
    sites, candidates = set(), []
    if tree is not None:
        candidates = headline_candidates(tree, url)
        title = headline(tree, url, title, candidates)
        sites = _site_names(tree, url)
    # a page's second <h1> may be a subheading of the article: only the first is a headline here
    titles = [title] + [text for i, (name, text) in enumerate(candidates)
                        if name != "h1" or all(n != "h1" for n, _ in candidates[:i])]
    body = _clean_body(doc.text, titles, sites, tree)
    if prose_chars(body) < options.min_body_chars:
        raise ExtractionError(f"body too short ({prose_chars(body)} chars of prose)")
    chosen = _chosen_date(html, url, zone, title, tree, external_dates, date_options)
    return Extracted(
        url=canonical(url),
        canonical_url=canonical_link(html, url),
        title=title,
        body=body,
        authors=_split_authors(doc.author),
        sitename=doc.sitename or "",
        tags=[t.strip() for tag in (doc.tags or []) for t in tag.split(",") if t.strip()],
        published_at=chosen.published_at,
        modified_at=chosen.modified_at,
        date_source=chosen.source,
        date_flags=list(chosen.flags),
        html_lang=_html_lang(html),
    )
