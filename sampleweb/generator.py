"""Seeded generator of the sample news web: articles, their discovery flags and the truth.

Pure: no I/O, no clock, no global random state. Everything follows from the seed
(and from the sequence of publish() calls).
"""
from __future__ import annotations

import math
import random
import threading
from datetime import datetime, timedelta, timezone

from sampleweb.articles import (
    END,
    EXTRAS,
    FEED_SIZE,
    FIRST_NUM,
    LEGACY_ENCODING,
    ON_TOPIC_SHARE,
    QUIRKS,
    START,
    SYNDICATION,
    Article,
    TruthArticle,
    slugify,
)
from sampleweb.compose import TEXTS, Composer, cap_first, slot_values
from sampleweb.outlets import BY_ID, OUTLETS, Outlet


class SampleWeb(Composer):
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
                sentence = cap_first(rng.choice(mod.RELATION).format_map(slots), art.language)
                art.paragraphs = art.paragraphs + [[sentence]]
                art.modified = when.astimezone(BY_ID[art.outlet].tz)
                art.revision += 1
            self.version += 1
            return changed

    def add_follow_ups(self, stories: int, each: int = 2) -> list[Article]:
        """Publish `each` follow-ups of each of the `stories` newest on-topic stories, after the newest article.

        A follow-up tells its story's facts anew (the same numbers, names, places and day, in
        the same language, on another outlet where one writes in it), in words unlike the
        original's (no near copy). Draws come after every earlier one, so a web made with the
        same seed and the same calls is the same, and one never asked for follow-ups is unchanged.
        """
        with self.lock:
            rng = self._rng
            pool = [a for a in self.articles if a.on_topic and a.normal and not a.quirk and a.slots
                    and a.syndicated_from is None and a.follow_up_of is None]
            pool.sort(key=lambda a: (a.published.astimezone(timezone.utc), a.uid), reverse=True)
            clock = max(a.published for a in self.articles).astimezone(timezone.utc)
            new = []
            for original in pool[:stories]:
                writers = [o for o in OUTLETS if original.language in o.languages and o.id != original.outlet]
                for _ in range(each):
                    outlet = rng.choice(writers or [BY_ID[original.outlet]])
                    clock += timedelta(minutes=rng.randint(20, 150))
                    art = self._compose(outlet, original.language, True, clock.astimezone(outlet.tz),
                                        original.topic, facts=original.slots, family=original.angle)
                    art.modified, art.follow_up_of = art.published, original.uid
                    self._register(art)
                    new.append(art)
            self.version += 1
            return new

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
                follows = self.by_uid[art.follow_up_of] if art.follow_up_of else None
                amp = outlet.amp_path(art.path) if art.amp else None
                out.append(TruthArticle(
                    url=base + art.path, outlet=art.outlet, language=art.language,
                    published_at=art.published.astimezone(timezone.utc),
                    modified_at=art.modified.astimezone(timezone.utc), title=art.title, on_topic=art.on_topic,
                    reachable=art.normal and listed, disallowed=art.disallowed, broken=art.broken,
                    syndicated_from=base_urls[origin.outlet].rstrip("/") + origin.path if origin else None,
                    exact_copy=art.exact_copy, amp_url=base + amp if amp else None, encoding=art.encoding,
                    quirk=art.quirk, revision=art.revision,
                    follow_up_of=base_urls[follows.outlet].rstrip("/") + follows.path if follows else None,
                ))
            return out
