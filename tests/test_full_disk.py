"""A store on a disk that fills mid-crawl: the crawl stops, says where and why, and exits non-zero;
with room again, the next crawl stores everything, once, and both databases are intact.

The disk is a real file system: a 1 MB tmpfs mounted by the test (root, as in CI), grown with
`mount -o remount` once the first crawl has failed on it.
"""
from __future__ import annotations

import os
import sqlite3
import subprocess

import pytest

from sampleweb import SampleWeb, SampleWebServer
from testkit import faultkit


pytestmark = pytest.mark.faults  # the second step of the test suite: `make test-faults`
@pytest.fixture
def small_disk(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        why = f"cannot mount a small tmpfs here: {mounted.stderr.strip()}"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.mark.parametrize("state_on", ["same disk", "another disk"])
def test_a_full_disk_stops_the_crawl_with_its_path_and_the_next_crawl_stores_everything_once(
        small_disk, tmp_path, state_on):
    store_url = f"sqlite:///{small_disk / 'store.db'}"
    state = small_disk / "store.crawlstate.db" if state_on == "same disk" else tmp_path / "state.db"
    with SampleWebServer(SampleWeb(seed=7)) as server:
        sources = tmp_path / "sources.toml"
        sources.write_text(server.sources_toml(), encoding="utf-8")
        env = faultkit.home_env(tmp_path / "home")  # logs off the small disk
        argv = faultkit.crawl_argv(store_url, sources, "--state", str(state))
        full = faultkit.full_crawl(argv, env, server)
        assert full.returncode == 1, (full.returncode, full.stderr[-2000:])
        last_line = full.stderr.strip().splitlines()[-1]
        assert str(small_disk) in last_line and "full" in last_line, full.stderr[-2000:]
        assert "Traceback" not in full.stderr
        subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
        again = faultkit.full_crawl(argv, env, server)
        assert again.returncode == 0, again.stderr[-3000:]
        run = faultkit.judge("full disk", server.truth(), store_url, [full.returncode, again.returncode])
    print(f"full disk, state on {state_on}: {last_line}; then {run.stored}/{run.expected} stored")
    assert not run.lost, f"{len(run.lost)} of {run.expected} lost: {run.lost[:5]}"
    assert not run.duplicated and run.stored == run.expected
    for db in (small_disk / "store.db", state):
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", db
