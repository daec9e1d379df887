"""Writing one sample article: templates filled with numbers and names in its language, kept unlike its topic's others."""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from sampleweb import text_az, text_en, text_ru, text_tr
from sampleweb.articles import (
    LEGACY_ENCODING, MAX_SIMILARITY, MAX_WORDS, MIN_WORDS, SCALED_COMPARED, SCALED_DRAWS, Article,
)
from sampleweb.outlets import Outlet

TEXTS = {"en": text_en, "tr": text_tr, "az": text_az, "ru": text_ru}


def cap_first(sentence: str, lang: str) -> str:
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


class Composer:
    """How SampleWeb writes an article (a part of SampleWeb: it uses its random source and registries)."""

    def _compose(self, outlet: Outlet, lang: str, on_topic: bool, when: datetime,
                 topic: str | None = None, scaled: bool = False, facts: dict | None = None,
                 family: int | None = None) -> Article:
        """Write one article: unique title, body unlike earlier articles of the same topic.

        `scaled` (scale_to): a title already taken gets a number instead of another draw, and
        the body is compared with the topic's recent articles only, in fewer draws, so thousands
        stay cheap. `facts`, `family`: the slot values and headline family (a follow-up's), or drawn.
        """
        rng, mod = self._rng, TEXTS[lang]
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
            slots = facts if facts is not None else slot_values(mod, when, rng)
            ai = family if family is not None else rng.randrange(len(spec["angles"]))
            angle = spec["angles"][ai]
            title = cap_first(rng.choice(angle["titles"]).format_map(slots), lang)
            if title in self._titles:
                if not scaled and facts is None:  # a follow-up's facts allow a few titles: numbered
                    continue
                title = self._numbered(title)
            li = rng.randrange(len(angle["leads"]))
            sentences, signature = self._body(mod, spec, on_topic, ai, li, slots)
            worst = max((_jaccard(signature, s) for s in compared), default=0.0)
            if best is None or worst < best[0]:
                best = (worst, title, sentences, signature, slots, ai)
            if worst <= MAX_SIMILARITY:
                break
        if best is None:  # every title taken: vanishingly rare, but stay unique
            raise RuntimeError(f"no unique title for {lang}/{topic}")
        _, title, sentences, signature, slots, ai = best
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
            modified=modified, author=author, signature=signature, slots=slots, angle=ai,
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
            return cap_first(template.format_map(slots), lang)

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
