"""Language identification accuracy and speed: langdetect alone vs newsmon's detect_language.

Run: .venv/bin/python benchmarks/language_accuracy.py [--lingua]
Data: ../shared/realdata/langid/{sentences,word-pairs,single-words}/<lang>.txt (500 lines each);
headline-length inputs: the same sentences cut to their first 6 and 9 words, and the item titles
of the real feeds in ../shared/realdata/feeds (AZERTAC and APA in az, Haqqin.az in ru).
--lingua adds a third detector for comparison: lingua alone, restricted to the data's languages.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from langdetect import DetectorFactory, LangDetectException, detect_langs  # noqa: E402

from crawler.stages.language import SAMPLE_CHARS, detect_language  # noqa: E402

LANGID = ROOT.parent / "shared" / "realdata" / "langid"
DATASETS = ("sentences", "6 words", "9 words", "word-pairs", "single-words")
FEEDS = ROOT.parent / "shared" / "realdata" / "feeds"
TARGETS = ("en", "tr", "az", "ru")  # the beat's languages; the others are neighbours


def rss_mb() -> int:
    """Resident memory of this process in MB (Linux)."""
    status = Path("/proc/self/status").read_text()
    return int(status.split("VmRSS:")[1].split()[0]) // 1024


def langdetect_only(text: str) -> str:
    """Seeded langdetect's top answer on newsmon's sample, as newsmon would get it unarbitrated."""
    DetectorFactory.seed = 0
    try:
        return detect_langs(text[:SAMPLE_CHARS])[0].lang
    except LangDetectException:
        return ""


def lingua_only(languages: list[str]) -> Callable[[str], str]:
    """lingua restricted to the given ISO codes (all preloaded: the memory cost is its own)."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, c.upper()) for c in languages]
    detector = (LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
                .with_preloaded_language_models().build())

    def detect(text: str) -> str:
        lang = detector.detect_language_of(text)
        return lang.iso_code_639_1.name.lower() if lang else ""

    return detect


def read(dataset: str, lang: str) -> list[str]:
    """Items of a dataset; "6 words" and "9 words" are the sentences cut to their first words."""
    if dataset.endswith(" words"):
        n = int(dataset.split()[0])
        return [" ".join(s.split()[:n]) for s in read("sentences", lang)]
    lines = (LANGID / dataset / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip()]


def feed_headlines() -> list[tuple[str, str, str]]:
    """(feed file, language, title) of every item of the real feeds."""
    import csv

    from crawler.discovery import parse_feed

    with open(FEEDS / "manifest.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return [(r["file"], r["language"], item.title) for r in rows
            for item in parse_feed((FEEDS / r["file"]).read_bytes(), "http://localhost/") if item.title]


def evaluate(detect: Callable[[str], str], dataset: str, lang: str) -> tuple[float, float]:
    """(accuracy, ms per item) of a detector on one file."""
    items = read(dataset, lang)
    start = time.perf_counter()
    right = sum(detect(item) == lang for item in items)
    return right / len(items), (time.perf_counter() - start) * 1000 / len(items)


def articles(lang: str, size: int = 2000, count: int = 50) -> list[str]:
    """Article-sized texts: shuffled sentences of one language joined to `size` characters."""
    sentences = read("sentences", lang)
    rng = random.Random(lang)
    out = []
    for _ in range(count):
        rng.shuffle(sentences)
        out.append(" ".join(sentences)[:size])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lingua", action="store_true", help="also measure lingua alone")
    args = parser.parse_args()
    if not LANGID.is_dir():
        sys.exit(f"{LANGID} not found")
    languages = sorted(p.stem for p in (LANGID / "sentences").glob("*.txt"))
    detectors: dict[str, Callable[[str], str]] = {
        "langdetect": langdetect_only,
        "newsmon": lambda text: detect_language(text)[0],
    }
    base = rss_mb()
    langdetect_only("warm up"), detect_language("Azərbaycan"), detect_language("Москва")
    print(f"memory: {base} MB at start, {rss_mb()} MB after loading langdetect and lingua (lazy)")
    if args.lingua:
        before = rss_mb()
        detectors["lingua"] = lingua_only(languages)
        print(f"memory: lingua alone with {len(languages)} languages preloaded: +{rss_mb() - before} MB")

    names = list(detectors)
    for dataset in DATASETS:
        print(f"\n{dataset}: accuracy (ms per item)")
        print(f"{'lang':<6}" + "".join(f"{n:>20}" for n in names))
        for lang in languages:
            cells = []
            for name in names:
                acc, ms = evaluate(detectors[name], dataset, lang)
                cells.append(f"{acc:>12.1%} ({ms:4.1f})")
            mark = "*" if lang in TARGETS else " "
            print(f"{lang + mark:<6}" + "".join(f"{c:>20}" for c in cells))

    print("\nreal feed headlines: right / items (ms per item)")
    headlines = feed_headlines()
    print(f"{'feed':<22}" + "".join(f"{n:>20}" for n in names))
    for feed in sorted({f for f, _, _ in headlines}):
        items = [(lang, title) for f, lang, title in headlines if f == feed]
        cells = []
        for name in names:
            start = time.perf_counter()
            right = sum(detectors[name](title) == lang for lang, title in items)
            ms = (time.perf_counter() - start) * 1000 / len(items)
            cells.append(f"{right:>7}/{len(items)} ({ms:4.1f})")
        print(f"{feed + ' ' + items[0][0]:<22}" + "".join(f"{c:>20}" for c in cells))

    print("\narticle-sized texts (2000 chars, 50 per language): accuracy (ms per article)")
    print(f"{'lang':<6}" + "".join(f"{n:>20}" for n in names))
    for lang in TARGETS:
        texts = articles(lang)
        cells = []
        for name in names:
            start = time.perf_counter()
            right = sum(detectors[name](t) == lang for t in texts)
            ms = (time.perf_counter() - start) * 1000 / len(texts)
            cells.append(f"{right / len(texts):>12.1%} ({ms:4.1f})")
        print(f"{lang + '*':<6}" + "".join(f"{c:>20}" for c in cells))
    print(f"\n* the beat's languages; memory at the end: {rss_mb()} MB")


if __name__ == "__main__":
    main()
