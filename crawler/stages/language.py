"""Language detection: langdetect first, lingua to arbitrate between languages langdetect confuses.

langdetect has no Azerbaijani profile (it calls Azerbaijani `tr`) and on short Russian texts
answers `bg`/`mk`. When its answer falls in such a confusable group, lingua restricted to that
group decides; the confidence is then P(group) from langdetect × P(language | group) from lingua.
Letter evidence settles what the models cannot, with confidence 1: ə is Azerbaijani (Turkish has
no ə), ә/ғ/қ/ң/ө/ұ/ү/һ are Kazakh, ъ before a consonant or at a word's end is Bulgarian (Russian
writes ъ only before е/ё/ю/я), Armenian and Georgian have scripts of their own.

Headlines and other short Latin-script texts (under LONG_TEXT_LETTERS letters) go to lingua
restricted to SHORT_LATIN: on six words langdetect answers French, Catalan, Czech, Indonesian
for English and Turkish headlines about one time in thirty (a short text in another Latin-script
language is answered as the closest of the five). Short Cyrillic texts that langdetect
calls Bulgarian or Macedonian, and that have none of Russian's ы/э/ё, go to lingua with
Bulgarian and Macedonian in the group. Measured in benchmarks/language_accuracy.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from langdetect import DetectorFactory, LangDetectException, detect_langs
from lingua import IsoCode639_3, Language, LanguageDetector, LanguageDetectorBuilder

# langdetect samples randomly; a fixed seed makes every answer repeatable.
DetectorFactory.seed = 0

# An article's opening is enough: on 2000-character texts, 1000 characters kept accuracy at 100%
# in each beat language and about halved the time (3-5 ms instead of 5-10 per article).
SAMPLE_CHARS = 1000

# Share of letters that must be ə (Azerbaijani) before Turkish is ruled out: a Turkish article
# quoting "Əliyev" once stays far below it, an Azerbaijani sentence is typically at 5-10%.
SCHWA_SHARE = 0.01
# Same rule for the letters of the Kazakh alphabet that Russian and Ukrainian lack.
KAZAKH_LETTERS = frozenset("әғқңөұүһ")
KAZAKH_SHARE = 0.01

# langdetect is reliable on paragraphs; its bg/mk/sr answers for Russian were all on texts
# under 80 characters. Past this length those answers are trusted, below it lingua arbitrates.
LONG_TEXT_LETTERS = 200



@dataclass(frozen=True)
class LanguageOptions:
    """The language stage's knobs (the defaults are the measured ones above)."""

    sample_chars: int = SAMPLE_CHARS  # the opening of the text that is read
    schwa_share: float = SCHWA_SHARE  # share of ə that makes a Latin text Azerbaijani
    kazakh_share: float = KAZAKH_SHARE  # share of Kazakh letters that makes a Cyrillic text Kazakh
    long_text_letters: int = LONG_TEXT_LETTERS  # below it, lingua arbitrates langdetect's answer


DEFAULT_LANGUAGE = LanguageOptions()

TURKIC = ("tr", "az")
# Bulgarian, Macedonian, Serbian and Kazakh are not in lingua's Cyrillic group: with them the
# group got Russian sentences wrong more often (97.6% vs 99.2%) and lingua called Ukrainian
# sentences containing щ Kazakh with confidence 1.0. Kazakh is decided by letters instead.
CYRILLIC = ("ru", "uk", "be")
CYRILLIC_TRIGGERS = frozenset({"ru", "uk", "be", "bg", "mk", "sr", "kk"})

# Short Latin texts: the beat's Latin languages and the neighbours news of the region quotes.
# Six-word inputs, lingua on these five against langdetect: en 98.8% vs 96.2%, tr 99.4% vs 96.6%.
SHORT_LATIN = ("en", "tr", "az", "de", "fr")
# Short Cyrillic texts langdetect calls bg/mk and that lack ы/э/ё (which Bulgarian, Macedonian
# and Ukrainian do not write) are decided among these.
# Macedonian stays out of the group (with it Russian and Ukrainian sentences fell under 99%);
# it is answered by its own letters ѓ ќ ѕ љ њ џ ј instead.
SOUTH_SLAVIC = ("ru", "uk", "bg")
_MACEDONIAN_LETTERS = re.compile(r"[ѓќѕљњџј]")
# ... where Russian, the beat's language, needs only to come within this factor of the best:
# a few words ("Итак, прощайте и помните меня.") are often equally good Bulgarian.
RUSSIAN_PRIOR = {"ru": 1.5}
_RUSSIAN_LETTERS = re.compile(r"[ыэё]")
_BULGARIAN_HARD_SIGN = re.compile(r"ъ(?![еёюя])")
# Function words Bulgarian has and Russian and Ukrainian do not ("is", "are", "this", "will", ...):
# one of them sends a short text to the South Slavic group even when langdetect says ru or uk.
_BULGARIAN_WORDS = re.compile(r"(?<!\w)(?:е|са|това|тази|ще|ги|се|които|който|която|във|със|според|след)(?!\w)")

_LINGUA = {"tr": Language.TURKISH, "az": Language.AZERBAIJANI, "ru": Language.RUSSIAN,
           "uk": Language.UKRAINIAN, "be": Language.BELARUSIAN, "bg": Language.BULGARIAN,
           "mk": Language.MACEDONIAN, "en": Language.ENGLISH, "de": Language.GERMAN,
           "fr": Language.FRENCH}


@lru_cache(maxsize=None)
def _lingua(group: tuple[str, ...]) -> LanguageDetector:
    # Built once per process; lingua loads each language's models on first use, so a worker
    # that never sees Cyrillic text never pays for the Cyrillic models.
    return LanguageDetectorBuilder.from_languages(*(_LINGUA[c] for c in group)).build()


def _script_language(text: str) -> str:
    """hy or ka when most letters are Armenian or Georgian (langdetect knows neither)."""
    letters = [ch for ch in text if ch.isalpha()]
    armenian = sum("\u0530" <= ch <= "\u058f" for ch in letters)
    georgian = sum("\u10a0" <= ch <= "\u10ff" or "\u1c90" <= ch <= "\u1cbf" for ch in letters)
    if armenian * 2 > len(letters):
        return "hy"
    if georgian * 2 > len(letters):
        return "ka"
    return ""


def _arbitrate(text: str, group: tuple[str, ...], prior: dict[str, float] | None = None) -> tuple[str, float]:
    """The most likely language of the group by lingua (times `prior`), with its share within the group."""
    values = {v.language.iso_code_639_1.name.lower(): v.value
              for v in _lingua(group).compute_language_confidence_values(text)}
    best = max(values, key=lambda code: values[code] * (prior or {}).get(code, 1.0))
    return best, values[best]


def normalise_language(value: str) -> str | None:
    """A language named as a tag (`en-US`, `TR`), an ISO 639-3 code (`aze`) or in English
    (`Russian`), as the ISO 639-1 code articles carry (`en`, `tr`, `az`, `ru`); None if it names none."""
    primary = re.split(r"[-_\s]", value.strip(), maxsplit=1)[0].lower()
    if re.fullmatch(r"[a-z]{2}", primary):
        return primary
    try:
        language = (Language.from_iso_code_639_3(IsoCode639_3.from_str(primary)) if len(primary) == 3
                    else Language.from_str(value.strip()))
    except ValueError:
        return None
    return language.iso_code_639_1.name.lower()


def detect_language(text: str, options: LanguageOptions = DEFAULT_LANGUAGE) -> tuple[str, float]:
    """(ISO 639-1 code, confidence 0..1) of a text; ("", 0.0) when empty or undecidable."""
    lang, confidence = _detect(text, options)
    # lingua's parallel sums differ in the last bits from call to call; three places repeat.
    return lang, round(confidence, 3)


def _detect(text: str, options: LanguageOptions) -> tuple[str, float]:
    """detect_language before rounding."""
    sample = (text or "")[:options.sample_chars]
    letters = sum(ch.isalpha() for ch in sample)
    if not letters:
        return "", 0.0
    script = _script_language(sample)
    if script:
        return script, 1.0
    try:
        guesses = {g.lang: g.prob for g in detect_langs(sample)}
    except LangDetectException:
        return "", 0.0
    top = max(guesses, key=guesses.get)
    lowered = sample.lower()
    # Latin ə; the Cyrillic ә also counts once the text is Turkic, as some Azerbaijani
    # texts are typed with it (Kazakh uses it too, so it cannot open the Turkic branch).
    schwas = lowered.count("ə")

    short = letters < options.long_text_letters
    latin = sum(ch <= "\u024f" or ch in "əƏ" for ch in sample if ch.isalpha()) * 2 > letters

    if latin and (top in TURKIC or schwas >= options.schwa_share * letters or short):
        if schwas + lowered.count("ә") >= options.schwa_share * letters:
            return "az", 1.0
        if short:
            lang, p = _arbitrate(sample, SHORT_LATIN)
            return lang, max(guesses.get(lang, 0.0), p)
        lang, p = _arbitrate(sample, TURKIC)
        return lang, sum(guesses.get(c, 0.0) for c in TURKIC) * p

    if top in CYRILLIC_TRIGGERS:
        if sum(ch in KAZAKH_LETTERS for ch in lowered) >= options.kazakh_share * letters:
            return "kk", 1.0
        if top not in CYRILLIC and not short:
            return top, guesses[top]
        group_p = sum(prob for code, prob in guesses.items() if code in CYRILLIC_TRIGGERS)
        if not _RUSSIAN_LETTERS.search(lowered):
            if _BULGARIAN_HARD_SIGN.search(lowered):
                return "bg", 1.0
            if _MACEDONIAN_LETTERS.search(lowered):
                return ("sr" if top == "sr" else "mk"), group_p
        south = top in ("bg", "mk") or _BULGARIAN_WORDS.search(lowered)
        group = SOUTH_SLAVIC if south and not _RUSSIAN_LETTERS.search(lowered) else CYRILLIC
        lang, p = _arbitrate(sample, group, RUSSIAN_PRIOR if group == SOUTH_SLAVIC else None)
        return lang, group_p * p

    return top, guesses[top]
