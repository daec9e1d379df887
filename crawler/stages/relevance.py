"""Topic relevance: is Turkey–Azerbaijan relations a subject of the article?

Two names that happen to co-occur are not enough. The scorer reads an article the way an
analyst skims it and adds up points of evidence that the *relationship* is the subject
(weights in RelevanceOptions):

    headline   title_points      the headline names both sides
    lead       lead_points       one of the first lead_units sentences names both sides
    sentences  sentence_points   per body sentence naming both sides, relation_bonus more when
                                 it also has a relationship word (visit, talks, agreement, ...
                                 in four languages, crawler/stages/relevance.toml); a headline-like
                                 short line in the lead counts heading_points, past the lead
                                 (related headlines, sidebars) nothing, nor do bullet lines;
                                 at most sentence_cap in all

A side is named by any gazetteer entity of that side (Türkiye, Erdoğan, Ankara, Kars,
TEKNOFEST / Azerbaijan, Aliyev, Baku, Fuzuli); a bilateral entity (the Shusha Declaration, TANAP,
the TurAz exercises) names both by itself. A sentence also names both sides when:

    quotation  a quotation naming one side is attributed to the other ('“…Türkiyə…”. Bunu
               Azərbaycan Prezidenti bildirib.': the quoted sentences name what the attribution
               names, whether it follows the closing quote or is the next sentence);
    reference  it says "the two presidents", "iki lider", "две страны" (relevance.toml: pair),
               in an article naming each side pair_min times or more, and more than any third
               country (else the two may be Russia and Turkey);
    adjacent   (counted apart, split_points + relation_bonus) it names one side and the sentence
               next to it the other, one of them with a relationship word, in such an article;
               one beginning in the lead gives the lead's points too.

pair_min keeps a passing mention of the other side from pairing with anything.

    raw   = headline + lead + sentences
    focus = min(1, weaker side's mentions / the most-mentioned third country's mentions)
    score = raw × focus, or 0 for a sports report (sports_min or more sports words)

`focus` keeps out stories about a third country's relations that name the pair on the way
(Turkey–Armenia normalisation, India–Turkey–Pakistan, Azerbaijan–Russia); mentions in the
headline weigh title_weight. A single-country story scores 0. An article is on the beat when
score ≥ threshold (3.0: a headline naming both sides, or a relationship sentence in the lead);
alerts can ask for a higher minimum. `reasons` says which evidence counted (`newsmon extract`
prints it). Measured on real labelled texts, cross-validated, by benchmarks/relevance.py.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from index.gazetteer import Entity, Gazetteer, load_gazetteer


@dataclass(frozen=True)
class RelevanceOptions:
    """The scorer's weights and threshold (the defaults are the measured ones)."""

    title_points: float = 3.0
    lead_points: float = 2.0
    lead_units: int = 3
    sentence_points: float = 1.0
    relation_bonus: float = 0.5
    heading_points: float = 0.5
    sentence_cap: float = 5.0
    title_weight: float = 3.0
    # Two adjacent sentences naming one side each, one with a relationship word, count
    # split_points + relation_bonus (and the lead's points when the first is in the lead); they,
    # and "the two presidents", count only in an article naming each side pair_min times or more
    # and more than any third country (headline mentions weighed title_weight): a passing
    # mention of the other side pairs nothing.
    split_points: float = 1.0
    pair_min: float = 2.0
    # A headline naming both sides, or one relationship sentence in the lead, passes; a lone
    # sentence naming both deep in the body does not (benchmarks/README.md has the measurement).
    threshold: float = 3.0
    sports_min: int = 3


DEFAULT_OPTIONS = RelevanceOptions()
THRESHOLD = DEFAULT_OPTIONS.threshold

TERMS_FILE = Path(__file__).with_name("relevance.toml")

# A sentence ends at . ! ? … (or a newline); some outlets omit the space after the stop. A stop
# followed by a lowercase word ends none: a quote's attribution ('…olacağız." dedi').
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'»”)]*\s+(?![a-zа-яёəğışöüç])|(?<=[a-zа-яəğışöüç]{3}[.!?])(?=[A-ZА-ЯƏÇĞİÖŞÜ])")
_BULLET = re.compile(r"^\s*[-•*·–—►▪]\s")
_HEADING_WORDS = 14


@dataclass
class Relevance:
    score: float
    matched: list[str] = field(default_factory=list)  # entity ids, most mentioned first
    relevant: bool = False
    reasons: list[str] = field(default_factory=list)  # the evidence behind the score, in words


@dataclass(frozen=True)
class _Unit:
    text: str
    kind: str  # sentence | heading | bullet


@lru_cache(maxsize=1)
def _terms() -> dict:
    return tomllib.loads(TERMS_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _word_lists() -> Gazetteer:
    terms = _terms()
    entities = [Entity("relation", "relation", "topic", "", terms["relation"]),
                Entity("sports", "sports", "topic", "", terms["sports"])]
    entities += [Entity(name, name, "country", "OTHER", aliases) for name, aliases in terms["third_countries"].items()]
    return Gazetteer(entities)


@lru_cache(maxsize=1)
def _pair_phrases() -> Gazetteer:
    """ "The two presidents" and the like, apart from the word lists: "iki qardaş ölkə" is both."""
    return Gazetteer([Entity("pair", "pair", "topic", "", _terms()["pair"])])


def _paragraphs(body: str) -> list[str]:
    """Body lines with hard-wrapped sentences joined: a line continues when the next starts in lowercase."""
    out: list[str] = []
    for raw in body.splitlines():
        line = " ".join(raw.split())
        if out and out[-1] and line and line[0].islower() and not out[-1].endswith((".", "!", "?", "…")):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _units(body: str, title: str) -> list[_Unit]:
    """The body as sentences, headline-like short lines and bullet lines; title repeats dropped."""
    wanted = " ".join(title.split()).lower()
    units = []
    for line in _paragraphs(body):
        if not line or (wanted and line.lower() == wanted):
            continue
        if _BULLET.match(line):
            units.append(_Unit(line, "bullet"))
        elif len(line.split()) <= _HEADING_WORDS and not line.endswith((".", "!", "?", "…", ".»", '."', ':')):
            units.append(_Unit(line, "heading"))
        else:
            units.extend(_Unit(s, "sentence") for s in _SENTENCE_END.split(line) if s.strip())
    return units


def _weighted(in_title: dict[str, int], in_body: dict[str, int], title_weight: float) -> dict[str, float]:
    """Mentions of each name, those in the headline weighed title_weight."""
    return {e: title_weight * in_title.get(e, 0) + in_body.get(e, 0) for e in in_title.keys() | in_body.keys()}


def _found(text: str, gaz: Gazetteer, lang: str) -> tuple[dict[str, int], str]:
    """Mentions of each entity, and the text with them blanked out."""
    counts: dict[str, int] = {}
    chars = list(text)
    for ids, start, end in gaz.mentions(text, lang):
        for entity_id in ids:
            counts[entity_id] = counts.get(entity_id, 0) + 1
        chars[start:end] = " " * (end - start)
    return counts, "".join(chars)


_OPENING = "“«„"
_CLOSING = "”»"
_QUOTE_RUN = 6  # sentences a quotation may span


def _quote_end(text: str, depth: int) -> tuple[int, int]:
    """Where the quotation open at `depth` closes in `text` (-1: it does not), and the depth after."""
    for at, char in enumerate(text):
        if char in _OPENING or (char == '"' and depth == 0):
            depth += 1
        elif char in _CLOSING or char == '"':
            depth -= 1
            if depth <= 0:
                return at, 0
    return -1, depth


def _attributions(units: list[_Unit]) -> dict[int, str]:
    """Each quoted sentence's attribution: what follows the closing quote, or else the next sentence.

    A quotation and the words that say who said it are one statement ('“…Türkiyə…”. Bunu
    Azərbaycan Prezidenti bildirib.'), so the quoted sentences name what the attribution names.
    """
    out: dict[int, str] = {}
    i = 0
    while i < len(units):
        text = units[i].text.lstrip()
        if units[i].kind != "sentence" or not text or text[0] not in _OPENING + '"':
            i += 1
            continue
        j, (end, depth) = i, _quote_end(text, 0)
        while end < 0 and j + 1 < min(len(units), i + _QUOTE_RUN):
            j += 1
            end, depth = _quote_end(units[j].text, depth)
        if end < 0:
            i = j + 1
            continue
        tail = (text if j == i else units[j].text)[end + 1:]
        attribution = tail if len(tail.split()) >= 2 else ""
        if not attribution and j + 1 < len(units) and units[j + 1].kind == "sentence":
            attribution = units[j + 1].text if units[j + 1].text.lstrip()[:1] not in _OPENING + '"' else ""
        for k in range(i, j + 1):
            out[k] = attribution
        i = j + 1
    return out


def _sides(found: dict[str, int], gaz: Gazetteer) -> tuple[int, int]:
    """Mentions of the Turkish and the Azerbaijani side (bilateral entities count for both)."""
    tr = az = 0
    for entity_id, n in found.items():
        side = gaz.by_id[entity_id].side
        tr += n if side in ("TR", "BOTH") else 0
        az += n if side in ("AZ", "BOTH") else 0
    return tr, az


@dataclass
class Evidence:
    """What the scorer counted in one article, before any weight is applied."""

    title_pair: bool = False
    lead_pair: bool = False
    sentences: int = 0  # sentences naming both sides without a relationship word
    relation_sentences: int = 0  # ... with one
    headings: int = 0  # headline-like short lines of the lead naming both sides
    split_pairs: int = 0  # adjacent sentences naming one side each, with a relationship word
    lead_split: bool = False  # such a pair begins in the lead
    references: int = 0  # of the pairs, those naming both sides as "the two presidents"
    quotations: int = 0  # ... those naming one side in a quotation attributed to the other
    side_mentions: tuple[dict, dict] = ({}, {})  # (title, body) counts of the pair's entities
    third_mentions: tuple[dict, dict] = ({}, {})  # (title, body) counts of third countries
    sports: int = 0

    def score(self, options: RelevanceOptions = DEFAULT_OPTIONS, gaz: Gazetteer | None = None) -> tuple[float, list[str]]:
        """The score under `options`, and the reasons in words."""
        gaz = gaz or load_gazetteer()
        o, reasons, raw = options, [], 0.0
        if self.title_pair:
            raw += o.title_points
            reasons.append(f"headline names both sides (+{o.title_points:g})")
        if self.lead_pair or self.lead_split:
            raw += o.lead_points
            where = "in one sentence" if self.lead_pair else "in two adjacent sentences"
            reasons.append(f"the lead names both sides {where} (+{o.lead_points:g})")
        pairs = self.sentences + self.relation_sentences + self.headings
        splits = self.split_pairs
        if pairs or splits:
            points = min(o.sentence_cap, self.sentences * o.sentence_points + self.headings * o.heading_points
                         + self.relation_sentences * (o.sentence_points + o.relation_bonus)
                         + splits * (o.split_points + o.relation_bonus))
            raw += points
            refs = "".join(f" ({n} {what})" for n, what in ((self.references, 'as "the two presidents" or the like'),
                                                           (self.quotations, "by a quotation's attribution")) if n)
            said = [f"{pairs} sentence(s) name both sides{refs}, {self.relation_sentences} with a relationship word"] if pairs else []
            said += [f"{splits} pair(s) of adjacent sentences name one side each, with a relationship word"] if splits else []
            reasons.append(f"{'; '.join(said)} (+{points:g})")
        tr, az = _sides(_weighted(*self.side_mentions, o.title_weight), gaz)
        weaker = min(tr, az)
        if not raw:
            side = "the Turkish side is" if not tr else "the Azerbaijani side is" if not az else ""
            return 0.0, [f"{side} never named" if side else "no sentence names both sides"]
        third = _weighted(*self.third_mentions, o.title_weight)
        focus = 1.0
        if third:
            top = max(sorted(third), key=third.get)
            if third[top] > weaker:
                focus = weaker / third[top]
                reasons.append(f"{top} is named more than the weaker side ({third[top]:g} vs {weaker:g}: ×{focus:.2f})")
        score = round(raw * focus, 3)
        if self.sports >= o.sports_min:
            reasons.append(f"a sports report ({self.sports} sports words): 0")
            score = 0.0
        return score, reasons


def gather_evidence(title: str, body: str, lang: str, gazetteer: Gazetteer | None = None,
                    options: RelevanceOptions = DEFAULT_OPTIONS) -> Evidence:
    """Count where and how an article names the two sides, third countries and sports."""
    gaz = gazetteer or load_gazetteer()
    words = _word_lists()
    title, body = title or "", body or ""
    (in_title, bare_title), (in_body, bare_body) = _found(title, gaz, lang), _found(body, gaz, lang)
    # a third country inside the pair's own names (the Baku–Tbilisi–Kars railway) is not named
    other_title, other_body = words.find(bare_title, lang), words.find(bare_body, lang)
    countries = [e for e in other_title.keys() | other_body.keys() if words.by_id[e].side == "OTHER"]
    ev = Evidence(
        side_mentions=(in_title, in_body),
        third_mentions=({e: other_title[e] for e in countries if e in other_title},
                        {e: other_body[e] for e in countries if e in other_body}),
        sports=other_title.get("sports", 0) + other_body.get("sports", 0),
    )
    weaker = min(_sides(_weighted(in_title, in_body, options.title_weight), gaz))
    third = max(_weighted(*ev.third_mentions, options.title_weight).values(), default=0)
    # Both sides named more than in passing, and more than any third country: then "the two
    # presidents" are theirs, and two adjacent sentences naming one each are about the pair.
    both_named = weaker >= options.pair_min and weaker > third
    tr, az = _sides(in_title, gaz)
    ev.title_pair = bool(tr and az) or (both_named and bool(_pair_phrases().find(title, lang)))
    if in_body:
        _read_body(ev, _units(body, title), lang, gaz, options, both_named)
    return ev


def _read_body(ev: Evidence, units: list[_Unit], lang: str, gaz: Gazetteer, options: RelevanceOptions,
               both_named: bool) -> None:
    """Add the body's pairs to `ev`: sentences naming both sides, and adjacent sentences naming one each."""
    words = _word_lists()
    read: list[tuple[int, _Unit, bool, bool, bool, bool]] = []  # place, unit, TR, AZ, relation word, in lead
    said_by = {k: _sides(gaz.find(text, lang), gaz) for k, text in _attributions(units).items() if text}
    sentences_seen = 0
    for place, unit in enumerate(units):
        if unit.kind == "bullet":
            continue  # related-article lists and sidebars
        # the lead is the first lead_units sentences: short lines above them (dates, counters,
        # a repeated headline) do not use it up
        in_lead = sentences_seen < options.lead_units
        sentences_seen += unit.kind == "sentence"
        if unit.kind == "heading" and not in_lead:
            continue  # short lines past the lead: related headlines, sidebars, photo titles
        tr, az = _sides(gaz.find(unit.text, lang), gaz)
        speaker_tr, speaker_az = said_by.get(place, (0, 0))
        ev.quotations += bool((speaker_tr and not tr and az) or (speaker_az and not az and tr))
        tr, az = tr + speaker_tr, az + speaker_az
        if not (tr or az or both_named):
            continue  # names neither side, and cannot complete a pair
        found = words.find(unit.text, lang)
        reference = both_named and not (tr and az) and bool(_pair_phrases().find(unit.text, lang))
        tr, az = bool(tr) or reference, bool(az) or reference
        read.append((place, unit, tr, az, bool(found.get("relation")), in_lead))
        if not (tr and az):
            continue
        ev.references += reference
        ev.lead_pair = ev.lead_pair or in_lead
        if unit.kind == "heading":
            ev.headings += 1
        elif found.get("relation"):
            ev.relation_sentences += 1
        else:
            ev.sentences += 1
    if both_named:
        _split_pairs(ev, read)


def _split_pairs(ev: Evidence, read: list[tuple[int, _Unit, bool, bool, bool, bool]]) -> None:
    """Adjacent sentences, one naming only the Turkish side and one only the Azerbaijani, with a relationship word.

    "Erdoğan attended the parade. Aliyev thanked his brother for his support." Without the
    relationship word two adjacent sentences pair by chance too often (a biography that names a
    trip to Istanbul next to a degree from Baku).
    """
    i = 0
    while i + 1 < len(read):
        (at, first, tr1, az1, rel1, lead1), (next_at, second, tr2, az2, rel2, _) = read[i], read[i + 1]
        adjacent = next_at == at + 1 and first.kind == second.kind == "sentence"
        if adjacent and (tr1 != az1) and (tr2 != az2) and tr1 != tr2 and (rel1 or rel2):
            ev.split_pairs += 1
            ev.lead_split = ev.lead_split or lead1
            i += 2
        else:
            i += 1


def score_relevance(title: str, body: str, lang: str, gazetteer: Gazetteer | None = None,
                    options: RelevanceOptions = DEFAULT_OPTIONS) -> Relevance:
    """Score how much an article is about Turkey–Azerbaijan relations, with the reasons."""
    gaz = gazetteer or load_gazetteer()
    ev = gather_evidence(title, body, lang, gaz, options)
    in_title, in_body = ev.side_mentions
    mentions = {e: in_title.get(e, 0) + in_body.get(e, 0) for e in in_title.keys() | in_body.keys()}
    matched = sorted(mentions, key=lambda e: (-mentions[e], e))
    if not mentions:
        return Relevance(0.0, matched)
    score, reasons = ev.score(options, gaz)
    return Relevance(score=score, matched=matched, relevant=score >= options.threshold, reasons=reasons)
