"""Stage quality on the sample news web: language accuracy and relevance precision/recall.

    .venv/bin/python -m benchmarks.quality [--seed 7]

Every article page the generator serves (broken ones aside) is fetched over loopback and run
through extract → language → relevance; the answers are compared with the generator's truth.
"""
from __future__ import annotations

import argparse
import urllib.request
from dataclasses import dataclass, field

from crawler.stages.extract import decode
from crawler.stages import build_article
from sampleweb import SampleWeb, SampleWebServer


@dataclass
class Quality:
    pages: int = 0
    language_right: int = 0
    language_wrong: list[tuple[str, str, str]] = field(default_factory=list)
    true_pos: int = 0
    false_pos: list[str] = field(default_factory=list)
    false_neg: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_pos / max(1, self.true_pos + len(self.false_pos))

    @property
    def recall(self) -> float:
        return self.true_pos / max(1, self.true_pos + len(self.false_neg))

    @property
    def language_accuracy(self) -> float:
        return self.language_right / max(1, self.pages)


def measure(seed: int = 7) -> Quality:
    result = Quality()
    with SampleWebServer(SampleWeb(seed=seed)) as server:
        for truth in server.truth():
            if truth.broken:
                continue
            with urllib.request.urlopen(truth.url, timeout=10) as response:
                _, html = decode(response.read(), response.headers.get("Content-Type"))
            outcome = build_article(html, truth.url, truth.outlet)
            if outcome.article is None:
                result.failed.append(truth.url)
                continue
            result.pages += 1
            if outcome.article.language == truth.language:
                result.language_right += 1
            else:
                result.language_wrong.append((truth.url, outcome.article.language, truth.language))
            relevant = outcome.status == "on_topic"
            if relevant and truth.on_topic:
                result.true_pos += 1
            elif relevant:
                result.false_pos.append(truth.url)
            elif truth.on_topic:
                result.false_neg.append(truth.url)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    q = measure(args.seed)
    print(f"sample web seed {args.seed}: {q.pages} article pages, {len(q.failed)} not extracted")
    print(f"language accuracy: {q.language_right}/{q.pages} = {q.language_accuracy:.3f}")
    print(f"relevance precision: {q.precision:.3f} ({len(q.false_pos)} false positives)")
    print(f"relevance recall:    {q.recall:.3f} ({len(q.false_neg)} false negatives)")
    for url in q.false_pos + q.false_neg:
        print("  wrong:", url)


if __name__ == "__main__":
    main()
