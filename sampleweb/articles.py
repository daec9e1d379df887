"""The sample web's article record, its truth record, and the plan of its broken, odd and syndicated pages."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

START = datetime(2024, 5, 1)  # local wall-clock time of each outlet
END = datetime(2025, 11, 30, 23, 0)
FEED_SIZE = 30
ON_TOPIC_SHARE = 0.6
# Template-level Jaccard above which two articles of one topic count as too alike: keeps
# unrelated articles far from the near-duplicate range that only syndicated copies occupy.
MAX_SIMILARITY = 0.45
MIN_WORDS, MAX_WORDS = 128, 380
# scale_to(): body draws per article and how many recent articles of its topic they are compared with
SCALED_DRAWS, SCALED_COMPARED = 12, 40

# First article number per outlet; numbers grow with publication time like real CMS ids.
FIRST_NUM = {"trdaily": 1000, "azerpress": 41200, "haberler": 301500, "xeberler": 52300,
             "novosti": 87100, "multinews": 6100}

# Outlets that serve part of their pages in a pre-Unicode code page.
LEGACY_ENCODING = {"haberler": "windows-1254", "novosti": "windows-1251"}

# (outlet, language, kind): deliberately broken or forbidden pages, all on-topic looking.
EXTRAS = (
    ("trdaily", "en", "500"),
    ("trdaily", "en", "disallowed"),
    ("azerpress", "en", "redirect_loop"),
    ("haberler", "tr", "truncated"),
    ("novosti", "ru", "404"),
    ("multinews", "en", "404"),
    ("multinews", "en", "disallowed"),
)

# (outlet, language, quirk): on-topic articles served normally but reached or labelled the way
# real CMSes do it, each a way a crawler can lose or mislabel an article. Published in the last
# days before END, so they are in the feeds too.
QUIRKS = (
    ("trdaily", "en", "slash_redirect"),      # the listed URL 301s to a trailing slash; canonical names the listed one
    ("azerpress", "en", "tracking_redirect"), # the listed URL 301s to itself with tracking parameters
    ("xeberler", "az", "two_hop_redirect"),   # listed under an old slug: two 301s to the article
    ("novosti", "ru", "canonical_home"),      # rel=canonical wrongly names the home page
    ("haberler", "tr", "relative_canonical"), # rel=canonical written as a root-relative path
    ("multinews", "en", "upper_canonical"),   # rel=canonical with an upper-case scheme
)

# (source outlet, language, target outlet, edit): "exact" copies the body verbatim; the
# others are near-duplicates with a credit line prepended and/or the last sentence changed.
SYNDICATION = (
    ("trdaily", "en", "azerpress", "exact"),
    ("trdaily", "en", "azerpress", "prefix"),
    ("trdaily", "en", "multinews", "ending"),
    ("azerpress", "en", "multinews", "exact"),
    ("azerpress", "en", "trdaily", "both"),
    ("haberler", "tr", "multinews", "exact"),
    ("multinews", "tr", "haberler", "both"),
    ("novosti", "ru", "multinews", "prefix"),
    ("xeberler", "az", "multinews", "exact"),
)


@dataclass
class Article:
    """One article as the generator knows it (times are local to the outlet)."""

    uid: int
    outlet: str
    language: str
    category: str
    topic: str
    on_topic: bool
    title: str
    paragraphs: list[list[str]]  # sentences of each paragraph; the first is the lead
    published: datetime
    modified: datetime
    author: str | None
    num: int = 0
    path: str = ""
    amp: bool = False
    encoding: str = "utf-8"
    broken: str | None = None  # "truncated", "500", "404", "redirect_loop"
    quirk: str | None = None  # one of QUIRKS: served as an article, reached or labelled oddly
    revision: int = 0  # bumped by update(): the text changed after publication
    disallowed: bool = False
    in_sitemap: bool = True
    in_sections: bool = True
    date_markup: str = "both"  # "both", "og", "jsonld" or "time" (only <time datetime>)
    syndicated_from: int | None = None
    exact_copy: bool = False
    signature: frozenset = field(default_factory=frozenset, repr=False)
    slots: dict = field(default_factory=dict, repr=False)  # the facts its templates were filled with
    angle: int = 0  # which of its topic's headline families it was written in
    follow_up_of: int | None = None  # add_follow_ups(): the uid of the article whose event it follows

    @property
    def text(self) -> str:
        return "\n\n".join(" ".join(p) for p in self.paragraphs)

    @property
    def lead(self) -> str:
        return " ".join(self.paragraphs[0])

    @property
    def word_count(self) -> int:
        return sum(len(s.split()) for p in self.paragraphs for s in p)

    @property
    def normal(self) -> bool:
        """Served as a plain 200 article at its canonical URL."""
        return self.broken is None and not self.disallowed


@dataclass(frozen=True)
class TruthArticle:
    """What a perfect crawler should know about one canonical article URL."""

    url: str
    outlet: str
    language: str
    published_at: datetime  # UTC
    modified_at: datetime  # UTC
    title: str
    on_topic: bool
    reachable: bool
    disallowed: bool
    broken: str | None
    syndicated_from: str | None
    exact_copy: bool
    amp_url: str | None
    encoding: str
    quirk: str | None = None
    follow_up_of: str | None = None  # the URL of the article whose event this one follows up
    revision: int = 0


_FOLD = str.maketrans({"ı": "i", "İ": "i", "ş": "s", "Ş": "s", "ğ": "g", "Ğ": "g", "ç": "c", "Ç": "c",
                       "ö": "o", "Ö": "o", "ü": "u", "Ü": "u", "ə": "e", "Ə": "e", "â": "a", "î": "i",
                       "û": "u"})
_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p",
                      "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]))


def slugify(title: str, limit: int = 64) -> str:
    """ASCII URL slug of a title in any of the four languages."""
    text = title.translate(_FOLD).lower()
    text = "".join(_CYRILLIC.get(ch, ch) for ch in text)
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w]
    slug = ""
    for word in words:
        if slug and len(slug) + 1 + len(word) > limit:
            break
        slug = f"{slug}-{word}" if slug else word
    return slug or "article"
