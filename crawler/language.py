"""Language detection: langdetect first, lingua to arbitrate between languages langdetect confuses.

langdetect has no Azerbaijani profile (it calls Azerbaijani `tr`) and on short Russian texts
answers `bg`/`mk`. When its answer falls in such a confusable group, lingua restricted to that
group decides; the confidence is then P(group) from langdetect × P(language | group) from lingua.
Letter evidence settles what the models cannot, with confidence 1: ə is Azerbaijani (Turkish has
no ə), ә/ғ/қ/ң/ө/ұ/ү/һ are Kazakh, Armenian and Georgian have scripts of their own.
Measured in benchmarks/language_accuracy.py.
"""
from __future__ import annotations

from functools import lru_cache

from langdetect import DetectorFactory, LangDetectException, detect_langs
from lingua import Language, LanguageDetector, LanguageDetectorBuilder

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

TURKIC = ("tr", "az")
# Bulgarian, Macedonian, Serbian and Kazakh are not in lingua's Cyrillic group: with them the
# group got Russian sentences wrong more often (97.6% vs 99.2%) and lingua called Ukrainian
# sentences containing щ Kazakh with confidence 1.0. Kazakh is decided by letters instead.
CYRILLIC = ("ru", "uk", "be")
CYRILLIC_TRIGGERS = frozenset({"ru", "uk", "be", "bg", "mk", "sr", "kk"})

_LINGUA = {"tr": Language.TURKISH, "az": Language.AZERBAIJANI, "ru": Language.RUSSIAN,
           "uk": Language.UKRAINIAN, "be": Language.BELARUSIAN}


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


def _arbitrate(text: str, group: tuple[str, ...]) -> tuple[str, float]:
    """The most likely language of the group by lingua, with its share within the group."""
    best = _lingua(group).compute_language_confidence_values(text)[0]
    return best.language.iso_code_639_1.name.lower(), best.value


def detect_language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, confidence 0..1) of a text; ("", 0.0) when empty or undecidable."""
    lang, confidence = _detect(text)
    # lingua's parallel sums differ in the last bits from call to call; three places repeat.
    return lang, round(confidence, 3)


def _detect(text: str) -> tuple[str, float]:
    """detect_language before rounding."""
    sample = (text or "")[:SAMPLE_CHARS]
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

    if top in TURKIC or schwas >= SCHWA_SHARE * letters:
        if schwas + lowered.count("ә") >= SCHWA_SHARE * letters:
            return "az", 1.0
        lang, p = _arbitrate(sample, TURKIC)
        return lang, sum(guesses.get(c, 0.0) for c in TURKIC) * p

    if top in CYRILLIC_TRIGGERS:
        if sum(ch in KAZAKH_LETTERS for ch in lowered) >= KAZAKH_SHARE * letters:
            return "kk", 1.0
        if top not in CYRILLIC and letters >= LONG_TEXT_LETTERS:
            return top, guesses[top]
        lang, p = _arbitrate(sample, CYRILLIC)
        group_p = sum(prob for code, prob in guesses.items() if code in CYRILLIC_TRIGGERS)
        return lang, group_p * p

    return top, guesses[top]
