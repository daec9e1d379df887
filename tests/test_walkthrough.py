"""The README as a new user follows it: `newsmon demo`, then the commands the README shows next."""
from __future__ import annotations

import json
import re
import shlex
import sys

from tests.test_cli import ROOT, newsmon

README = (ROOT / "README.md").read_text(encoding="utf-8")


def after_demo_commands() -> list[list[str]]:
    """The arguments of each `newsmon ...` line in the README's block marked `after-demo`."""
    block = re.search(r"<!-- after-demo.*?-->\s*```sh\n(.*?)```", README, re.S)
    assert block, "README.md lost its after-demo block"
    lines = [line.split("#", 1)[0].strip() for line in block.group(1).splitlines()]
    commands = [shlex.split(line) for line in lines if line]
    assert commands and all(c[0] == "newsmon" for c in commands), commands
    return [c[1:] for c in commands]


def test_readme_walkthrough_on_a_fresh_home(tmp_path):
    home = tmp_path / "home"  # nothing there: a first hour
    demo = newsmon("demo", home=home)
    demo_out = demo.stdout.decode()
    assert demo.returncode == 0, demo.stderr.decode()[-2000:]
    assert "Traceback" not in demo_out + demo.stderr.decode()
    assert (home / "demo.db").exists() and (home / "demo.crawlstate.db").exists()
    # source -> new articles (stored + duplicate), from the summary's pages, articles, stored, duplicate columns
    stored = {source: str(int(a) + int(b)) for source, a, b in
              re.findall(r"│ (\w+)\s+│\s+\d+ │\s+\d+ │\s+(\d+) │\s+(\d+) │", demo_out)}
    assert len(stored) == 6 and all(int(n) > 0 for n in stored.values()), demo_out

    outputs = {}
    for args in after_demo_commands():
        result = newsmon(*args, home=home)
        out, err = result.stdout.decode(), result.stderr.decode()
        assert result.returncode == 0, (args, err[-2000:])
        assert "Traceback" not in out + err
        assert "demo's store" in err  # it says which store answers
        outputs[" ".join(args)] = out
        sys.stdout.write(f"$ newsmon {' '.join(args)}\n{out[:1500]}\n")  # the closing note's walk-through

    searches = [out for command, out in outputs.items() if command.startswith("search")]
    assert searches
    for out in searches:
        total = int(re.search(r"(\d+) matching articles", out).group(1))
        assert total > 0 and "Coverage by" in out
    assert "Шуш" in outputs["search Shusha"] or "Şuşa" in outputs["search Shusha"]

    stats = next(out for command, out in outputs.items() if command.startswith("stats"))
    assert int(re.search(r"(\d+) articles in sqlite:///", stats).group(1)) == sum(map(int, stored.values()))
    by_source = dict(re.findall(r"│ (\w+)\s+│\s+(\d+) │", stats.split("by source")[1].split("crawl health")[0]))
    assert by_source == stored  # the store holds what the crawl summary said it stored
    health_table = stats.split("crawl health by source")[1]
    health = dict(re.findall(r"│ (\w+)\s+│ (ok|some errors|failing)\s+│", health_table))
    assert set(health) == set(stored), stats  # every demo outlet's crawl health, none "never crawled"
    for source, n in stored.items():  # stats and the crawl summary agree on what was stored
        row = re.search(rf"│ {source}\s+│[^\n]*", health_table).group(0)
        cells = [c.strip() for c in row.strip("│").split("│")]
        assert cells[6] == n, (source, cells, n)
    # the default store is untouched: still nothing there for a real crawl to find
    assert not (home / "newsmon.db").exists()


def test_demo_into_elasticsearch_then_the_same_store_answers(es_node, tmp_path):
    """`--store http://…` demo: the demo crawls into that store, and the next commands name it too."""
    home = tmp_path / "home"
    url = f"{es_node.url}?index=demo-walkthrough"
    demo = newsmon("--store", url, "demo", home=home)
    assert demo.returncode == 0, demo.stderr.decode()[-2000:]
    assert f"newsmon --store {url} stats" in demo.stdout.decode()
    assert not (home / "demo.db").exists()  # nothing went to SQLite
    stats = newsmon("--store", url, "stats", "--json", home=home)
    assert stats.returncode == 0, stats.stderr.decode()[-2000:]
    data = json.loads(stats.stdout)
    crawled = {sid: row for sid, row in data["sources_health"].items() if row["verdict"] != "never crawled"}
    assert len(crawled) == 6 and data["total"] == sum(data["by_source"].values()) > 0
    assert {sid: row["stored"] for sid, row in crawled.items()} == data["by_source"]
