"""Story keys: the words of an article that survive a change of language or script.

Every word is folded, Cyrillic is transliterated and a few spellings of one sound are merged
(Qartal, Kartal, Картал → kartal), then cut to its first PREFIX letters (parad, paradı, парада →
parad). Numbers (n:3000, whatever the thousands separator), years (y:2020), day-month dates named
in the text in any of the four languages (d:12-10) and kinds of happening named in any of them
(c:exercise for "учения", "tatbikat", "təlim", "drill": crawler/stages/stories.toml) are keys
too. crawler/stages/stories.py weighs them and adds the gazetteer's entities.
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from crawler.stages.dates import MONTHS
from index.analysis import fold, lower

# Letters of a key kept after folding: the Turkic and Russian case endings (-ın, -da, -ом) fall
# away while words stay apart (parad, paradı, парада meet). On the dev file (best threshold,
# with dates / without, before DATE_WEIGHT) 4 letters gave F1 0.86 / 0.68, 5 gave 0.83 / 0.68,
# 6 gave 0.85 / 0.66: no difference the 173 articles can resolve, so the middle one.
PREFIX = 5
# Kinds of happening in four languages (see the file's head).
CONCEPTS = Path(__file__).with_name("stories.toml")

_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     ["a", "b", "v", "g", "d", "e", "e", "j", "z", "i", "y", "k", "l", "m", "n", "o",
                      "p", "r", "s", "t", "u", "f", "h", "ts", "c", "s", "s", "", "i", "", "e", "yu", "ya"]))
# Spellings of one sound across the four languages' Latin and transliterated forms.
_SOUNDS = [("dzh", "c"), ("dj", "c"), ("sh", "s"), ("ch", "c"), ("kh", "h"), ("zh", "j"), ("x", "h"),
           ("q", "k"), ("w", "v")]
_WORD = re.compile(r"\w+")
# A number written with thousands separators (3,000 / 3 000 / 3.000): one number, whatever the language's way.
_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:[,. \u00a0\u202f]\d{3})+(?![\d]|[.,]\d)")
# The months of crawler/stages/dates.py, and Azerbaijani May with its genitive (mayın 28-də), which
# the rule for names of three letters (may, but not mayor) would miss.
_MONTH = {name: number for number, names in MONTHS.items() for name in names.split()} | {"mayın": 5}
_MONTH_WORD = re.compile(r"[^\W\d_]{3,}")


def skeleton(word: str) -> str:
    """A word as a cross-script key: folded, transliterated, one spelling per sound."""
    word = fold(word)
    word = "".join(_CYRILLIC.get(ch, ch) for ch in word)
    for a, b in _SOUNDS:
        word = word.replace(a, b)
    return word


def _month(word: str) -> int | None:
    """The month a word names (декабря, Dekabrın, Aralık, Dec): its longest known beginning.

    What may follow is a case ending: up to three letters after a full name (noyabrın, марте),
    one after an abbreviation (Sept), so that market, decided and mayor name no month.
    """
    word = lower(word).replace("\u0307", "").rstrip(".")  # İyun lowers to i + combining dot
    for cut in range(min(len(word), 9), 2, -1):
        number = _MONTH.get(word[:cut])
        if number:
            return number if len(word) - cut <= (3 if cut >= 4 else 1) else None
    return None


def text_dates(words: list[str]) -> list[str]:
    """Day-month keys of the dates a text names: '10 декабря', 'Dec. 10', 'noyabrın 8-də'."""
    out = []
    for i, word in enumerate(words):
        month = _month(word) if _MONTH_WORD.fullmatch(word) else None
        if not month:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(words) and words[j].isdigit() and 1 <= int(words[j]) <= 31:
                out.append(f"d:{month:02d}-{int(words[j]):02d}")
                break
    return out


@lru_cache(maxsize=1)
def _concept_stems() -> dict[str, dict[str, list[tuple[str, str]]]]:
    """language -> first three letters of a stem's skeleton -> (stem skeleton, concept)."""
    with open(CONCEPTS, "rb") as fh:
        table = tomllib.load(fh)["concepts"]
    out: dict[str, dict[str, list[tuple[str, str]]]] = {}
    for concept, by_lang in table.items():
        for lang, stems in by_lang.items():
            for stem in stems:
                sk = skeleton(lower(stem, lang))
                out.setdefault(lang, {}).setdefault(sk[:3], []).append((sk, concept))
    return out


def concepts(word_skeleton: str, lang: str) -> set[str]:
    """The concepts a word (as a skeleton) names in its language: a stem must begin it, and a
    stem of three letters (gas, газ) may be followed by one letter at most (gases, газа)."""
    found = set()
    for stem, concept in _concept_stems().get(lang, {}).get(word_skeleton[:3], ()):
        if word_skeleton.startswith(stem) and (len(stem) > 3 or len(word_skeleton) <= 4):
            found.add(concept)
    return found


def count_keys(text: str, lang: str) -> dict[str, int]:
    """How often each key occurs in a text (words, numbers, years, named dates, concepts)."""
    text = _THOUSANDS.sub(lambda m: re.sub(r"\D", "", m.group()), text)
    words = _WORD.findall(text)
    counts: dict[str, int] = {}
    for word in words:
        if word.isdigit():
            # numbers count (3,000 troops, 1,000 houses): without them F1 0.83 / 0.71, not 0.87 / 0.72
            key = f"y:{word}" if len(word) == 4 and word[:2] in ("19", "20") else f"n:{int(word)}"
        else:
            full = skeleton(lower(word, lang))
            key = full[:PREFIX]
            if len(key) < 3:
                continue  # particles and stray letters
            for concept in concepts(full, lang):
                counts[f"c:{concept}"] = counts.get(f"c:{concept}", 0) + 1
        counts[key] = counts.get(key, 0) + 1
    for key in text_dates(words):
        counts[key] = counts.get(key, 0) + 1
    return counts
