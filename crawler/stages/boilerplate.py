"""Lines of an extracted body that are about the page, not the article (en, tr, az, ru).

Trafilatura keeps some of a page's furniture when it sits inside the article's container:
reprint and copyright notices, newsletter and subscription pitches, "follow us" lines, reading
times, labelled links ("Listen: https://..."), and "Related" / "Read more" blocks of links to
other articles. These are dropped line by line, after extraction; each rule was kept where it
raised benchmarks/extraction.py's dev half without lowering its held-out half.
"""
from __future__ import annotations

import re

# A line below 400 characters that says one of these is page furniture; prose_chars skips it
# too. Patterns that hold at the start of a line are tried only there (cheaper than a search
# along every line).
_NOTICE_ANYWHERE = re.compile(
    r"for your personal,? non-commercial use|djreprints|presentation-ready copies|all rights reserved"
    r"|subscribe (?:now |today )?to (?:continue|read)|to continue reading"
    r"|tüm hakları saklıdır|izinsiz kopyalanamaz|bütün hüquqlar qorunur|istinad zəruridir"
    r"|все права защищены|перепечатка .{0,40}запрещена"
    # newsletter and membership pitches
    r"|\bsign up (?:for|to) (?:our|the|a)\b.{0,80}\b(?:newsletter|briefing|email)"
    r"|\bdelivered (?:straight |directly )?to your inbox|\bif you enjoyed this article"
    r"|bültenimize abone ol|e-?bültene? (?:abone|kaydol)|подпиш(?:итесь|ись) на наш",
    re.I,
)
_NOTICE_AT_START = re.compile(
    r"©|copyright\b|https?://\S+$"
    # a link with a label of a few words: "Listen: https://...", "Download: https://..."
    r"|[\w'’ ]{1,24}:\s*https?://\S+$"
    # "follow us" lines and "write to the author" lines
    r"|follow (?:us|[\w'’. ]{1,60}) on (?:facebook|twitter|instagram|telegram)"
    r"|follow [\w'’. ]{1,40} coverage of |write to [\w'’. ]{1,60} at \S+@\S+"
    r"|bizi (?:takip edin|izləyin)|читайте нас в |подписывайтесь на нас"
    # reading times
    r"|(?:reading time|tempo de leitura|tiempo de lectura|okuma süresi|oxuma müddəti|время чтения)\b"
    r"|\d+\s*(?:min(?:ute)?s?|dk|dakika|dəq|мин)\.?\s+(?:read|okuma|oxu|чтения)\b",
    re.I,
)
# A line that announces links to other articles: "Related:", "You may also like...",
# "SEE MORE: <a headline>", "Читайте также". The label and the linked lines right after it go,
# and so does a label with a link after it on the same line ("По теме <a headline>").
_LABELS = (
    r"see more|read more|more|also read|read also|related(?: posts?| articles?| stories| news)?"
    r"|you (?:may|might) also like|don['’]?t miss|recommended(?: for you)?|more on this(?: story)?"
    r"|ilgili haberler?|ayrıca okuyun|bunlar da ilginizi çekebilir|həmçinin oxuyun|oxşar xəbərlər"
    r"|читайте также|смотрите также|по теме|до теми|читайте також"
)
RELATED_LABEL = re.compile(rf"^[-•*\s]*(?:{_LABELS})\W*(?::|\.\.\.|…|$)", re.I)
# (a bare "More" before a linked text is too often prose: "More than 100 ...")
_LABEL_THEN = re.compile(rf"^[-•*\s]*(?!more\s)(?:{_LABELS})\s+(?=\w)", re.I)
# Share and print tools that sit inside some article containers.
_TOOL = re.compile(
    r"^[-•*\s]*(?:print(?: this)? article|order reprints|text size|share this article"
    r"|an error has occurred, please try again later\.?|this article has been sent to)$",
    re.I,
)
# A line counts as a link when one link's text covers this share of its words.
LINKED_SHARE = 0.7


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def link_texts(tree) -> set[str]:
    """The page's link texts, each as its lowercase words joined by single spaces."""
    texts = {" ".join(_words(a.text_content())) for a in tree.xpath("//a[@href]")} if tree is not None else set()
    texts.discard("")
    return texts


def is_linked(line: str, links: set[str]) -> bool:
    """True when one link's text makes up most of the line's words."""
    words = _words(line)
    if not words or not links:
        return False
    padded = f" {' '.join(words)} "
    longest = max((len(text.split()) for text in links if f" {text} " in padded), default=0)
    return longest >= LINKED_SHARE * len(words)


def is_notice(line: str) -> bool:
    """True for a line (below 400 characters) that is a notice, a pitch or a share tool."""
    line = line.strip()
    return len(line) < 400 and bool(
        _NOTICE_AT_START.match(line) or _TOOL.match(line) or _NOTICE_ANYWHERE.search(line))


def drop_furniture(lines: list[str], tree) -> list[str]:
    """The lines without notices, share tools, related-links labels with the links after them,
    and the links that end the body.

    `tree` is the page's lxml tree (or None), whose link texts say which lines are links.
    """
    kept, in_related, links = [], False, None
    for line in lines:
        label, lead = RELATED_LABEL.match(line.strip()), _LABEL_THEN.match(line.strip())
        if label or lead:
            links = link_texts(tree) if links is None else links
        if label or (lead and is_linked(line.strip()[lead.end():], links)):
            in_related = True
            continue
        if in_related and line.strip() and is_linked(line, links):
            continue
        in_related = False
        if not is_notice(line):
            kept.append(line)
    return _without_linked_tail(kept, link_texts(tree) if links is None else links)


def _without_linked_tail(lines: list[str], links: set[str]) -> list[str]:
    """The lines without the run of links that ends them (promotions, other articles' headlines)."""
    end = len(lines)
    while end and (not lines[end - 1].strip() or is_linked(lines[end - 1], links)):
        end -= 1
    return lines[:end] if end else lines  # all links: not this rule's to judge


def prose_chars(body: str) -> int:
    """Characters of the body outside notice lines (reprint, copyright, subscription, bare URLs, share tools).

    A line of 400 characters or more is prose whatever it says (and the patterns are not tried on it).
    """
    return sum(len(line) for line in body.splitlines() if line.strip() and not is_notice(line))
