"""Seeded generator of the sample news web: articles, their discovery flags and the truth.

Pure: no I/O, no clock, no global random state. Everything follows from the seed
(and from the sequence of publish() calls).
"""
from __future__ import annotations

import math
import random
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sampleweb import text_az, text_en, text_ru, text_tr
from sampleweb.outlets import BY_ID, OUTLETS, Outlet

TEXTS = {"en": text_en, "tr": text_tr, "az": text_az, "ru": text_ru}

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


def _cap(sentence: str, lang: str) -> str:
    """Upper-case the first letter (Turkish/Azerbaijani dotted İ for i)."""
    if not sentence or not sentence[0].islower():
        return sentence
    first = "İ" if sentence[0] == "i" and lang in ("tr", "az") else sentence[0].upper()
    return first + sentence[1:]


def _fits(tag, angle: int, slots: dict) -> bool:
    """Whether a tagged body sentence suits this article (see text_en's docstring)."""
    if tag is None:
        return True
    if tag == "away_scored":
        return slots["g2"] != "0"
    return tag == angle


def _jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def slot_values(mod, when: datetime, rng: random.Random) -> dict[str, str]:
    """Numbers, names and phrases for one article's templates, formatted for its language."""
    raw = {
        "num": rng.randint(3, 12), "num2": rng.randint(15, 60), "pct": rng.randint(5, 45),
        "pct2": rng.choice((38, 40, 42, 43, 45, 46, 47, 50)), "pct3": rng.randint(18, 30),
        "mn": rng.randrange(100, 900, 10), "k": rng.randrange(1200, 4900, 100),
        "crowd": rng.randrange(12000, 52000, 500), "bn": rng.randint(11, 98) / 10,
        "fx": rng.randint(320, 425) / 10, "wind": rng.randint(18, 32),
        "temp": rng.choice((35, 36, 37, 38, 39, 40, 42, 43)), "share": rng.randint(24, 34),
        "turnout": rng.randint(68, 84), "gdp": rng.randint(2, 29) / 10,
        "rate": rng.choice((0.25, 0.5, 0.75)), "yen": rng.randint(138, 162),
        "pct_small": rng.randint(3, 39) / 10, "minute": rng.randint(70, 89), "year": when.year,
    }
    g1 = rng.randint(1, 4)
    g2 = rng.randint(0, g1 - 1)
    city = rng.randrange(5)
    kb = rng.randrange(len(mod.KB))
    tr_home, tr_away = rng.sample(mod.TEAMS_TR, 2)
    az_home, az_away = rng.sample(mod.TEAMS_AZ, 2)

    def dec(x: float) -> str:
        return (f"{x:.2f}".rstrip("0") if x < 1 else f"{x:.1f}").replace(".", mod.DECIMAL)

    def big(n: int) -> str:
        return f"{n:,}".replace(",", mod.THOUSANDS)

    slots = {key: str(raw[key]) for key in ("num", "num2", "pct", "pct2", "pct3", "mn", "wind", "temp",
                                             "share", "turnout", "yen", "year")}
    slots.update(
        k=big(raw["k"]), crowd=big(raw["crowd"]), bn=dec(raw["bn"]), fx=dec(raw["fx"]), gdp=dec(raw["gdp"]),
        rate=dec(raw["rate"]), pct_small=dec(raw["pct_small"]), next_year=str(when.year + 1),
        g1=str(g1), g2=str(g2), day=mod.WEEKDAYS[when.weekday()], month=mod.MONTHS[(when.month - 2) % 12],
        in_tr_city=mod.IN_TR_CITY[city], in_az_city=mod.IN_AZ_CITY[(city + kb) % 5],
        kb=mod.KB[kb], in_kb=mod.IN_KB[kb], tr_home=tr_home, tr_away=tr_away, az_home=az_home, az_away=az_away,
    )
    mod.extra_slots(slots, raw, rng)
    return slots


class SampleWeb:
    """The whole sample news web: outlets, articles, and what is listed where."""

    def __init__(self, seed: int = 7):
        self.seed = seed
        self.lock = threading.RLock()  # held by publish() and by the server while rendering
        self.version = 0  # bumped by publish(); lets the server drop cached pages
        self.outlets: tuple[Outlet, ...] = OUTLETS
        self.articles: list[Article] = []
        self.by_uid: dict[int, Article] = {}
        self.by_path: dict[tuple[str, str], Article] = {}  # (outlet, canonical path)
        self.loop_paths: dict[tuple[str, str], Article] = {}  # (outlet, /go/N) -> loop article
        self.redirects: dict[tuple[str, str], str] = {}  # (outlet, path) -> path it 301s to
        self._rng = random.Random(seed)
        self._titles: set[str] = set()
        self._signatures: dict[tuple[str, str], list[frozenset]] = {}
        self._next_num = dict(FIRST_NUM)
        self._uid = 0
        self._build()

    # --- building -------------------------------------------------------------------
    def _build(self) -> None:
        drafts: list[Article] = []
        for outlet in OUTLETS:
            for lang in outlet.languages:
                drafts += self._edition(outlet, lang, outlet.count)
        for outlet_id, lang, kind in EXTRAS:
            outlet = BY_ID[outlet_id]
            when = self._random_time(outlet, datetime(2025, 3, 1), datetime(2025, 10, 31))
            art = self._compose(outlet, lang, True, when)
            art.amp, art.encoding = False, "utf-8"
            if kind == "disallowed":
                art.disallowed, art.in_sitemap = True, False
            else:
                art.broken = kind
                art.in_sections = kind != "404"  # the 404 one is linked from the feed only
                art.in_sitemap = kind in ("500", "truncated")
            drafts.append(art)
        for outlet_id, lang, quirk in QUIRKS:
            outlet = BY_ID[outlet_id]
            art = self._compose(outlet, lang, True, self._random_time(outlet, END - timedelta(days=8), END))
            art.amp, art.encoding, art.quirk = False, "utf-8", quirk
            drafts.append(art)
        drafts += self._syndicate(drafts)
        drafts.sort(key=lambda a: (a.published.astimezone(timezone.utc), a.uid))
        for art in drafts:
            self._register(art)
        self._set_listing_flags()
        for outlet_id, encoding in LEGACY_ENCODING.items():
            # at least one page in the legacy encoding, whatever the dice said
            pages = [a for a in self.articles if a.outlet == outlet_id and a.normal]
            if not any(a.encoding == encoding for a in pages):
                pages[0].encoding = encoding

    def _edition(self, outlet: Outlet, lang: str, count: int) -> list[Article]:
        rng = self._rng
        n_on = round(count * ON_TOPIC_SHARE)
        flags = [True] * n_on + [False] * (count - n_on)
        rng.shuffle(flags)
        times = sorted(self._random_time(outlet, START, END) for _ in range(count))
        mod = TEXTS[lang]
        on_topics = self._topic_cycle(list(mod.ON_TOPIC), n_on)
        allowed = [t for t, spec in mod.OFF_TOPIC.items() if outlet.multi or spec["home"] in (None, outlet.country)]
        off_topics = self._topic_cycle(allowed, count - n_on)
        out = []
        for when, on in zip(times, flags):
            topic = on_topics.pop() if on else off_topics.pop()
            out.append(self._compose(outlet, lang, on, when, topic))
        return out

    def _topic_cycle(self, topics: list[str], n: int) -> list[str]:
        """n topics spread evenly over the list, in random order."""
        out = (topics * (n // len(topics) + 1))[:n] if topics else []
        self._rng.shuffle(out)
        return out

    def _random_time(self, outlet: Outlet, start: datetime, end: datetime) -> datetime:
        rng = self._rng
        days = (end - start).days
        day = start + timedelta(days=rng.randrange(days + 1))
        return day.replace(hour=rng.randint(7, 22), minute=rng.randrange(60), tzinfo=outlet.tz)

    def _compose(self, outlet: Outlet, lang: str, on_topic: bool, when: datetime,
                 topic: str | None = None, scaled: bool = False) -> Article:
        """Write one article: unique title, body unlike earlier articles of the same topic.

        `scaled` (scale_to): a title already taken gets a number instead of another draw, and
        the body is compared with the topic's recent articles only, in fewer draws, so
        thousands of articles stay cheap to generate.
        """
        rng = self._rng
        mod = TEXTS[lang]
        pool = mod.ON_TOPIC if on_topic else mod.OFF_TOPIC
        if topic is None:
            if on_topic:
                topic = rng.choice(list(pool))
            else:
                topic = rng.choice([t for t, s in pool.items()
                                    if outlet.multi or s["home"] in (None, outlet.country)])
        spec = pool[topic]
        earlier = self._signatures.setdefault((lang, topic), [])
        compared = earlier[-SCALED_COMPARED:] if scaled else earlier
        best = None
        for _ in range(SCALED_DRAWS if scaled else 80):
            slots = slot_values(mod, when, rng)
            ai = rng.randrange(len(spec["angles"]))
            angle = spec["angles"][ai]
            title = _cap(rng.choice(angle["titles"]).format_map(slots), lang)
            if title in self._titles:
                if not scaled:
                    continue
                title = self._numbered(title)
            li = rng.randrange(len(angle["leads"]))
            sentences, signature = self._body(mod, spec, on_topic, ai, li, slots)
            worst = max((_jaccard(signature, s) for s in compared), default=0.0)
            if best is None or worst < best[0]:
                best = (worst, title, sentences, signature)
            if worst <= MAX_SIMILARITY:
                break
        if best is None:  # every title taken: vanishingly rare, but stay unique
            raise RuntimeError(f"no unique title for {lang}/{topic}")
        _, title, sentences, signature = best
        earlier.append(signature)
        self._titles.add(title)
        self._uid += 1
        modified = when
        if rng.random() < 0.45:
            modified = when + timedelta(minutes=rng.randint(10, 60 * 72))
        staff = outlet.staff.get(lang, ())
        author = rng.choice(staff) if staff and rng.random() < 0.85 else None
        art = Article(
            uid=self._uid, outlet=outlet.id, language=lang, category=spec["category"], topic=topic,
            on_topic=on_topic, title=title, paragraphs=self._paragraphs(sentences), published=when,
            modified=modified, author=author, signature=signature,
            date_markup=rng.choices(("both", "og", "jsonld", "time"), weights=(60, 15, 15, 10))[0],
        )
        if outlet.amp_style:
            art.amp = rng.random() < 0.4
        legacy = LEGACY_ENCODING.get(outlet.id)
        if legacy and rng.random() < 0.35:
            art.encoding = legacy
        return art

    def _numbered(self, title: str) -> str:
        """A taken title made unique the way outlets number running stories: 'Title (2)'."""
        n = 2
        while f"{title} ({n})" in self._titles:
            n += 1
        return f"{title} ({n})"

    def _body(self, mod, spec: dict, on_topic: bool, ai: int, li: int,
              slots: dict) -> tuple[list[str], frozenset]:
        """Lead, shuffled middle and closing sentences, and their template signature."""
        rng = self._rng
        lang = mod.LANG

        def fill(template: str) -> str:
            return _cap(template.format_map(slots), lang)

        lead = fill(spec["angles"][ai]["leads"][li])
        body = [entry if isinstance(entry, tuple) else (None, entry) for entry in spec["body"]]
        body_idx = [i for i, (tag, _) in enumerate(body) if _fits(tag, ai, slots)]
        rng.shuffle(body_idx)
        take = rng.randint(4, 5) if on_topic else rng.randint(5, 6)
        chosen = body_idx[:take]
        ids = [("lead", ai, li)] + [("body", i) for i in chosen]
        middle = [fill(body[i][1]) for i in chosen]
        closing = None
        if on_topic:
            for i in rng.sample(range(len(mod.RELATION)), rng.randint(2, 3)):
                ids.append(("rel", i))
                middle.append(fill(mod.RELATION[i]))
            if rng.random() < 0.7:
                i = rng.randrange(len(mod.QUOTES))
                ids.append(("quote", i))
                middle.append(fill(mod.QUOTES[i]))
            if rng.random() < 0.8:
                i = rng.randrange(len(mod.CLOSINGS))
                ids.append(("close", i))
                closing = fill(mod.CLOSINGS[i])
        rng.shuffle(middle)
        sentences = [lead] + middle + ([closing] if closing else [])
        spare = body_idx[take:]
        while sum(len(s.split()) for s in sentences) < MIN_WORDS and spare:
            i = spare.pop(0)
            ids.append(("body", i))
            sentences.insert(len(sentences) - (1 if closing else 0), fill(body[i][1]))
        while sum(len(s.split()) for s in sentences) > MAX_WORDS and len(sentences) > 4:
            sentences.pop(-2)
        return sentences, frozenset(ids)

    def _paragraphs(self, sentences: list[str]) -> list[list[str]]:
        """Lead on its own, then paragraphs of two or three sentences."""
        rng = self._rng
        paragraphs = [[sentences[0]]]
        rest = sentences[1:]
        while rest:
            size = min(len(rest), rng.choice((2, 2, 3)))
            if len(rest) - size == 1:  # no orphan one-sentence paragraph at the end
                size += 1
            paragraphs.append(rest[:size])
            rest = rest[size:]
        return paragraphs

    def _syndicate(self, drafts: list[Article]) -> list[Article]:
        """Copies of on-topic stories on other outlets of the same language, hours later."""
        rng = self._rng
        used: set[int] = set()
        copies = []
        for source_id, lang, target_id, edit in SYNDICATION:
            candidates = [a for a in drafts if a.outlet == source_id and a.language == lang and a.on_topic
                          and a.normal and a.uid not in used and a.published.replace(tzinfo=None) < END]
            original = rng.choice(candidates)
            used.add(original.uid)
            source, target = BY_ID[source_id], BY_ID[target_id]
            when = (original.published + timedelta(hours=rng.randint(2, 9), minutes=rng.randrange(60)))
            when = when.astimezone(target.tz)
            paragraphs = [list(p) for p in original.paragraphs]
            mod = TEXTS[lang]
            names = {"source": source.site_name, "target": target.site_name}
            if edit in ("prefix", "both"):
                paragraphs[0].insert(0, rng.choice(mod.SYND_PREFIX).format_map(names))
            if edit in ("ending", "both"):
                paragraphs[-1][-1] = rng.choice(mod.SYND_ENDING).format_map(names)
            self._uid += 1
            staff = target.staff.get(lang, ())
            copy = Article(
                uid=self._uid, outlet=target_id, language=lang, category=original.category,
                topic=original.topic, on_topic=True, title=original.title, paragraphs=paragraphs,
                published=when, modified=when, author=original.author or (staff[0] if staff else None),
                syndicated_from=original.uid, exact_copy=edit == "exact",
                date_markup=rng.choice(("both", "og", "jsonld")),
            )
            if target.amp_style:
                copy.amp = rng.random() < 0.4
            if target_id == "haberler" and rng.random() < 0.5:
                copy.encoding = "windows-1254"
            copies.append(copy)
        return copies

    def _register(self, art: Article) -> None:
        """Give the article its number and canonical path, and index it."""
        outlet = BY_ID[art.outlet]
        art.num = self._next_num[art.outlet]
        self._next_num[art.outlet] += 1
        slug = slugify(art.title)
        prefix = "/private" if art.disallowed else ""
        path = prefix + outlet.article_path(art.language, art.category, art.published, slug, art.num)
        n = 2
        while (art.outlet, path) in self.by_path:  # only number-less styles can collide
            path = prefix + outlet.article_path(art.language, art.category, art.published, f"{slug}-{n}", art.num)
            n += 1
        art.path = path
        self.articles.append(art)
        self.by_uid[art.uid] = art
        self.by_path[(art.outlet, path)] = art
        if art.broken == "redirect_loop":
            self.loop_paths[(art.outlet, f"/go/{art.num}")] = art
        if art.quirk == "two_hop_redirect":
            old, mid = self.entry_path(art), path + "-v2"
            self.redirects[(art.outlet, old)] = mid
            self.redirects[(art.outlet, mid)] = path

    @staticmethod
    def entry_path(art: Article) -> str:
        """The path listings link to: the canonical path, except for an article under an old slug."""
        return art.path + "-v1" if art.quirk == "two_hop_redirect" else art.path

    def _set_listing_flags(self) -> None:
        """Older articles: some only in the sitemap, some only on section pages."""
        rng = self._rng
        for outlet in OUTLETS:
            for lang in outlet.languages:
                normal = self._newest(outlet.id, lang, lambda a: a.normal)
                for art in normal[FEED_SIZE + 5:]:
                    roll = rng.random()
                    if roll < 0.12:
                        art.in_sections = False
                    elif roll < 0.24:
                        art.in_sitemap = False

    # --- publishing -----------------------------------------------------------------
    def publish(self, n: int) -> list[Article]:
        """Add n new articles after the newest one; feeds, sitemaps and sections follow."""
        return self._publish(n, scaled=False)

    def scale_to(self, n: int) -> list[Article]:
        """Publish until the web holds n articles (thousands: for throughput benchmarks).

        Past the few hundred unique titles the templates allow, titles are numbered; the web
        up to the current articles is untouched, so SampleWeb(seed).scale_to(n) starts with
        exactly the articles SampleWeb(seed) has. New articles are in sitemaps and sections.
        """
        with self.lock:
            missing = n - len(self.articles)
            return self._publish(missing, scaled=True) if missing > 0 else []

    def _publish(self, n: int, scaled: bool) -> list[Article]:
        with self.lock:
            rng = self._rng
            clock = max(a.published for a in self.articles).astimezone(timezone.utc)
            n_on = math.floor(n * ON_TOPIC_SHARE + 0.5)
            flags = [True] * n_on + [False] * (n - n_on)
            rng.shuffle(flags)
            # every outlet once per round, in shuffled order, so new stories spread evenly
            outlets: list[Outlet] = []
            while len(outlets) < n:
                round_ = list(OUTLETS)
                rng.shuffle(round_)
                outlets += round_
            new = []
            for on, outlet in zip(flags, outlets):
                clock += timedelta(minutes=rng.randint(20, 150))
                lang = rng.choice(outlet.languages)
                art = self._compose(outlet, lang, on, clock.astimezone(outlet.tz), scaled=scaled)
                art.modified = art.published
                self._register(art)
                new.append(art)
            self.version += 1
            return new

    def update(self, n: int, when: datetime) -> list[Article]:
        """Rewrite n stories after publication (a correction paragraph), modified at `when`.

        The originals of syndicated pairs on outlets that list their sitemaps go first: a
        re-crawl must find the change through the sitemap and keep the pair linked.
        """
        with self.lock:
            rng = self._rng
            copied = {a.syndicated_from for a in self.articles if a.syndicated_from}
            pool = [a for a in self.articles if a.normal and a.on_topic and a.in_sitemap and not a.quirk
                    and BY_ID[a.outlet].list_sitemaps and a.syndicated_from is None]
            pool.sort(key=lambda a: (a.uid not in copied, a.uid))
            changed = pool[:n]
            for art in changed:
                mod = TEXTS[art.language]
                slots = slot_values(mod, art.published, rng)
                sentence = _cap(rng.choice(mod.RELATION).format_map(slots), art.language)
                art.paragraphs = art.paragraphs + [[sentence]]
                art.modified = when.astimezone(BY_ID[art.outlet].tz)
                art.revision += 1
            self.version += 1
            return changed

    def repair(self, broken: str) -> list[Article]:
        """Serve the articles broken this way whole from now on (a site fixed its truncation)."""
        with self.lock:
            fixed = [a for a in self.articles if a.broken == broken]
            for art in fixed:
                art.broken = None
            self.version += 1
            return fixed

    # --- views used by the pages ----------------------------------------------------
    def _newest(self, outlet_id: str, lang: str | None, keep) -> list[Article]:
        found = [a for a in self.articles if a.outlet == outlet_id and (lang is None or a.language == lang)
                 and keep(a)]
        found.sort(key=lambda a: (a.published, a.uid), reverse=True)
        return found

    def feed_articles(self, outlet_id: str, lang: str) -> list[Article]:
        """Newest FEED_SIZE articles of an edition, plus the entry whose page is gone (404)."""
        items = self._newest(outlet_id, lang, lambda a: a.normal)[:FEED_SIZE]
        items += self._newest(outlet_id, lang, lambda a: a.broken == "404")
        items.sort(key=lambda a: (a.published, a.uid), reverse=True)
        return items

    def section_articles(self, outlet_id: str, lang: str, category: str) -> list[Article]:
        return self._newest(outlet_id, lang, lambda a: a.in_sections and a.category == category)

    def sitemap_articles(self, outlet_id: str) -> list[Article]:
        return self._newest(outlet_id, None, lambda a: a.in_sitemap)

    def related(self, art: Article, n: int = 5) -> list[Article]:
        """Neighbours in time from the same section (only ones section pages list too)."""
        pool = [a for a in self.section_articles(art.outlet, art.language, art.category)
                if a.normal and a.uid != art.uid]
        pool.sort(key=lambda a: abs((a.published - art.published).total_seconds()))
        return pool[:n]

    def in_feed(self, art: Article) -> bool:
        outlet = BY_ID[art.outlet]
        return bool(outlet.feed_kind) and any(a.uid == art.uid for a in self.feed_articles(art.outlet, art.language))

    # --- truth ----------------------------------------------------------------------
    def truth(self, base_urls: dict[str, str]) -> list[TruthArticle]:
        """One record per canonical article URL; base_urls maps outlet id -> 'http://host:port'."""
        with self.lock:
            feeds = {(o.id, lang): {a.uid for a in self.feed_articles(o.id, lang)}
                     for o in OUTLETS if o.feed_kind for lang in o.languages}
            out = []
            for art in sorted(self.articles, key=lambda a: a.uid):
                outlet = BY_ID[art.outlet]
                base = base_urls[art.outlet].rstrip("/")
                listed = art.in_sitemap or art.in_sections or art.uid in feeds.get((art.outlet, art.language), ())
                origin = self.by_uid[art.syndicated_from] if art.syndicated_from else None
                amp = outlet.amp_path(art.path) if art.amp else None
                out.append(TruthArticle(
                    url=base + art.path, outlet=art.outlet, language=art.language,
                    published_at=art.published.astimezone(timezone.utc),
                    modified_at=art.modified.astimezone(timezone.utc), title=art.title, on_topic=art.on_topic,
                    reachable=art.normal and listed, disallowed=art.disallowed, broken=art.broken,
                    syndicated_from=base_urls[origin.outlet].rstrip("/") + origin.path if origin else None,
                    exact_copy=art.exact_copy, amp_url=base + amp if amp else None, encoding=art.encoding,
                    quirk=art.quirk, revision=art.revision,
                ))
            return out
