"""`newsmon import FILE.jsonl`, run as a user runs it (a real process), on real news texts.

The file is built at test time from ../shared/realdata/stories/dev.jsonl (173 real articles in
en, tr, az, ru; never copied into the project), with malformed lines among them.
"""
from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.urls import canonical
from index.article import article_id
from index.store import open_store
from tests.realdata import realdata

ROOT = Path(__file__).resolve().parents[1]
SOURCE = "stories-dev"  # the `source` some lines name (the others are named after their host)

# line → the cause its error must name
MALFORMED = [
    (b'{"url": "https://example.az/cut", "title": "Aliyev', "not JSON"),
    (b'["https://example.az/a-list"]', "not a JSON object"),
    (b'{"title": "Erdogan in Baku", "text": "No address."}', "no url"),
    (b'{"url": "ftp://example.az/1", "title": "Erdogan in Baku"}', "not an http(s) URL"),
    (b'{"url": "https://example.az/blank", "title": " ", "text": ""}', "neither a title nor a text"),
    (b'{"url": "https://example.az/d", "title": "Aliyev", "text": "x", "published_at": "next Tuesday"}',
     "published_at 'next Tuesday' is not a date"),
    (b'{"url": "https://example.az/l", "title": "Aliyev", "text": "x", "language": "Klingon!"}', "language"),
    (b'{"url": 17, "title": "Aliyev"}', "url is not a string"),
    (b'{"url": "https://example.az/\xff", "title": "Aliyev"}', "not UTF-8"),
]


def newsmon(*args: str, home: Path, stdin: bytes | None = None, **popen) -> subprocess.CompletedProcess:
    env = {**os.environ, "NEWSMON_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "monitor.cli", *args], input=stdin, capture_output=True,
                          timeout=600, cwd=ROOT, env=env, **popen)


def story_rows() -> list[dict]:
    with open(realdata("stories", "dev.jsonl"), encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def as_line(i: int, row: dict) -> dict:
    """A story as an import line, in the shapes a user's file may have: text or body, a language
    given (in several spellings) or left to detect, a date or none, a source or none."""
    line = {"url": row["url"], "title": row["title"], ("text" if i % 2 else "body"): row["text"]}
    if i % 3 == 0:
        line["language"] = {"en": "en-GB", "tr": "TR", "az": "aze", "ru": "Russian"}[row["lang"]]
    if row["date"]:
        line["published_at"] = row["date"]
    if i % 4 == 0:
        line["source"] = SOURCE
    return line


def build_file(path: Path, rows: list[dict]) -> dict[int, str]:
    """Write the import file: the stories with a malformed line after every 19th and a blank line;
    return the malformed lines' numbers with the cause each must be reported with."""
    lines, bad = [], {}
    for i, row in enumerate(rows):
        lines.append(json.dumps(as_line(i, row), ensure_ascii=False).encode("utf-8"))
        if i % 19 == 18 and len(bad) < len(MALFORMED):
            raw, cause = MALFORMED[len(bad)]
            lines.append(raw)
            bad[len(lines)] = cause
    lines.insert(40, b"")  # blank: no article, no error
    bad = {n + (n > 40): cause for n, cause in bad.items()}
    path.write_bytes(b"\n".join(lines) + b"\n")
    assert len(bad) == len(MALFORMED)
    return bad


def summary_of(run: subprocess.CompletedProcess) -> dict:
    assert run.returncode == 0, run.stderr.decode()[-3000:]
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The file imported twice into one SQLite store, then with --all into another."""
    folder = tmp_path_factory.mktemp("import")
    rows = story_rows()
    path = folder / "stories.jsonl"
    bad = build_file(path, rows)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    store = f"sqlite:///{folder / 'store.db'}"
    first = newsmon("--store", store, "import", str(path), "--json", home=folder / "home")
    again = newsmon("--store", store, "import", str(path), "--json", home=folder / "home")
    everything = f"sqlite:///{folder / 'all.db'}"
    kept = newsmon("--store", everything, "import", "--all", str(path), "--json", home=folder / "home")
    return {"folder": folder, "rows": rows, "path": path, "bad": bad, "digest": digest, "store": store,
            "first": first, "again": again, "all_store": everything, "all": kept}


def test_every_line_is_counted_and_each_malformed_one_is_an_error_naming_its_line(imported):
    first, rows = imported["first"], imported["rows"]
    summary = summary_of(first)
    stderr = first.stderr.decode()
    assert "Traceback" not in stderr
    error_lines = [line for line in stderr.splitlines() if line.startswith("line ")]
    assert [int(line.split(":")[0][5:]) for line in error_lines] == sorted(imported["bad"])
    for line in error_lines:
        number = int(line.split(":")[0][5:])
        assert imported["bad"][number] in line, line
    assert [e["line"] for e in summary["error_lines"]] == sorted(imported["bad"])
    assert summary["read"] == len(rows) + len(MALFORMED)  # the blank line is no article
    assert summary["errors"] == len(MALFORMED) and summary["not_written"] == 0
    assert summary["off_topic"] > 0 and summary["stored"] > len(rows) // 2
    assert summary["stored"] + summary["off_topic"] + summary["errors"] == summary["read"]
    with open_store(imported["store"]) as store:
        assert store.count() == summary["stored"]
    assert hashlib.sha256(imported["path"].read_bytes()).hexdigest() == imported["digest"]  # never modified


def test_importing_the_same_file_again_writes_nothing_twice(imported):
    first, again = summary_of(imported["first"]), summary_of(imported["again"])
    assert again["stored"] == again["updated"] == 0
    assert again["unchanged"] == first["stored"] and again["off_topic"] == first["off_topic"]
    assert again["error_lines"] == first["error_lines"]
    with open_store(imported["store"]) as store:
        assert store.count() == first["stored"]


def test_an_edited_article_is_updated_in_place(imported, tmp_path):
    """A line whose text changed is `updated`: the same record (its canonical URL), the new text."""
    with open_store(imported["store"]) as store:
        stored = [a for a in store.scan("Aliyev") if not a.duplicate_of]
    edited = stored[0]
    line = {"url": edited.url, "title": edited.title, "text": edited.body + "\nUpdated: Aliyev thanked Erdogan."}
    path = tmp_path / "edit.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    summary = summary_of(newsmon("--store", imported["store"], "import", str(path), "--json", home=tmp_path))
    assert (summary["read"], summary["updated"], summary["stored"]) == (1, 1, 0)
    with open_store(imported["store"]) as store:
        assert store.get(edited.id).body.endswith("Aliyev thanked Erdogan.")
        assert store.count() == summary_of(imported["first"])["stored"]


def test_imported_articles_are_found_by_search_in_every_script(imported):
    run = newsmon("--store", imported["store"], "search", "Shusha", "--size", "100", "--json",
                  home=imported["folder"] / "home")
    found = summary_of(run)
    urls = {canonical(row["url"]): row for row in imported["rows"]}
    assert found["total"] >= 5 and found["total"] == len(found["hits"])
    assert {hit["url"] for hit in found["hits"]} <= urls.keys()
    assert len({hit["language"] for hit in found["hits"]}) >= 3  # Shusha, Şuşa, Шуша
    for hit in found["hits"]:  # the date each line gave, and the language it gave or that was detected
        row = urls[hit["url"]]
        assert hit["language"] == row["lang"]
        if row["date"]:  # a day read at midnight in the outlet's zone (UTC when no configured source names it)
            day = datetime.fromisoformat(row["date"]).replace(tzinfo=timezone.utc)
            assert timedelta(0) <= day - datetime.fromisoformat(hit["published_at"]) <= timedelta(hours=4)
        else:
            assert hit["published_at"] is None
        assert hit["date_source"] == ("given" if row["date"] else "")


def test_off_topic_articles_are_skipped_unless_all(imported):
    first, kept = summary_of(imported["first"]), summary_of(imported["all"])
    rows = imported["rows"]
    assert kept["stored"] == len(rows) and kept["off_topic"] == first["off_topic"]
    with open_store(imported["store"]) as store, open_store(imported["all_store"]) as everything:
        skipped = {a.url for a in everything.scan("")} - {a.url for a in store.scan("")}
        assert len(skipped) == first["off_topic"]
        assert all(everything.get(article_id(url)).relevance < 3.0 for url in skipped)
    # the source a line names is kept; search finds every article of it once off-topic ones are kept
    named = sum(1 for i, _ in enumerate(rows) if i % 4 == 0)
    run = newsmon("--store", imported["all_store"], "search", f"source:{SOURCE}", "--size", "100", "--json",
                  home=imported["folder"] / "home")
    assert summary_of(run)["total"] == named


def test_standard_input_a_given_language_and_an_unreadable_file(tmp_path):
    """`-` reads standard input; a language the line gives is the article's (normalised), not detected."""
    rows = story_rows()
    english = next(row for row in rows[3:] if row["lang"] == "en")
    told = {**as_line(1, english), "language": "tr-TR"}  # the file's word is kept, even against the text
    data = b"".join(json.dumps(line, ensure_ascii=False).encode() + b"\n"
                    for line in [as_line(1, row) for row in rows[:3]] + [told])
    store = f"sqlite:///{tmp_path / 'stdin.db'}"
    run = newsmon("--store", store, "import", "-", "--all", home=tmp_path, stdin=data)
    assert run.returncode == 0, run.stderr.decode()
    line = run.stdout.decode().strip()
    assert line.startswith("read 4, stored 4 ") and "errors 0" in line
    with open_store(store) as opened:
        article = opened.get(article_id(canonical(english["url"])))
    assert (article.language, article.language_confidence) == ("tr", 1.0)
    missing = newsmon("--store", store, "import", str(tmp_path / "nowhere.jsonl"), home=tmp_path)
    assert missing.returncode == 2
    assert missing.stderr.decode().strip().splitlines() == [
        f"error: cannot read {tmp_path / 'nowhere.jsonl'}: No such file or directory"]


def test_a_store_that_cannot_be_written_stops_the_import_with_a_non_zero_exit(tmp_path):
    """The disk refuses writes past a size (RLIMIT_FSIZE: as a full disk, the write fails with the
    store half-way): one line says so and the exit code is 1; with room again, the same file stores
    everything, once."""
    rows = story_rows()[:120]
    path = tmp_path / "stories.jsonl"
    path.write_bytes(b"".join(json.dumps(as_line(i, r), ensure_ascii=False).encode() + b"\n"
                              for i, r in enumerate(rows)))
    store = f"sqlite:///{tmp_path / 'store.db'}"
    first = summary_of(newsmon("--store", store, "import", "-", "--json", home=tmp_path,
                               stdin=path.read_bytes().split(b"\n", 1)[0]))
    assert first["stored"] == 1  # the store exists, holding one article

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails (EFBIG) instead of killing the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))

    full = newsmon("--store", store, "import", str(path), home=tmp_path, preexec_fn=small_disk)
    stderr = full.stderr.decode()
    assert full.returncode == 1, stderr
    assert "Traceback" not in stderr
    last = stderr.strip().splitlines()[-1]
    assert last.startswith("error: the import stopped after line ") and "cannot be written" in last, stderr
    assert str(tmp_path / "store.db") in last
    again = summary_of(newsmon("--store", store, "import", str(path), "--json", home=tmp_path))
    assert again["stored"] + again["unchanged"] + again["off_topic"] == len(rows)
    assert again["unchanged"] == 1
    with open_store(store) as opened:
        assert opened.count() == len(rows) - again["off_topic"]


def test_alerts_see_imported_articles(tmp_path):
    """An alert saved before the import gets what the import wrote: news one by one, the dated
    backlog as one digest, a copy of a story not again."""
    path = tmp_path / "stories.jsonl"
    build_file(path, story_rows())
    store = f"sqlite:///{tmp_path / 'store.db'}"
    added = newsmon("--store", store, "alerts", "add", "beat", "Aliyev", "--jsonl", str(tmp_path / "beat.jsonl"),
                    home=tmp_path)
    assert added.returncode == 0, added.stderr.decode()
    run = newsmon("--store", store, "import", str(path), home=tmp_path)
    assert run.returncode == 0, run.stderr.decode()
    assert "alerts: " in run.stderr.decode() and " sent" in run.stderr.decode()
    sent = [json.loads(line) for line in (tmp_path / "beat.jsonl").read_text(encoding="utf-8").splitlines()]
    singles = {m["article"]["id"] for m in sent if m["kind"] == "article"}
    digests = [m for m in sent if m["kind"] == "backlog"]
    assert len(digests) == 1
    with open_store(store) as opened:
        matching = [a for a in opened.scan("Aliyev") if not a.duplicate_of]
    assert {i["id"] for i in digests[0]["items"]} == {a.id for a in matching if a.published_at}
    assert singles == {a.id for a in matching if not a.published_at}


def test_sqlite_and_elasticsearch_hold_the_same_articles_after_the_same_import(tmp_path, es_node):
    path = tmp_path / "stories.jsonl"
    build_file(path, story_rows())
    stores = {"sqlite": f"sqlite:///{tmp_path / 'store.db'}", "elasticsearch": f"{es_node.url}?index=import-both"}
    summaries, held = {}, {}
    for name, url in stores.items():
        summaries[name] = summary_of(newsmon("--store", url, "import", str(path), "--json", home=tmp_path / name))
        options = {"spool": str(tmp_path / "spool.jsonl")} if name == "elasticsearch" else {}
        with open_store(url, **options) as store:
            held[name] = {a.url: (a.language, a.published_at, bool(a.duplicate_of)) for a in store.scan("")}
    assert summaries["sqlite"] == summaries["elasticsearch"]
    assert held["sqlite"] == held["elasticsearch"]
    assert len(held["sqlite"]) == summaries["sqlite"]["stored"] > 100
