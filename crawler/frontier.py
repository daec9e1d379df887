"""The crawl's frontier on disk: the requests waiting for a download are pickled to a folder of
their crawl's own (Scrapy's disk queues, as with JOBDIR), not held in the crawl process's memory.

A backfill lists a year of articles at once (every sitemap of its window); held in memory, each
waiting request (its headers, meta and discovery record) made the crawl process grow with the
crawl. On disk, a waiting request costs a pickle in a file.

The folder is this crawl's alone and is removed when the crawl closes: it is not how a crawl
resumes. A crawl killed at any moment resumes from the crawl state, where every listed URL is
due until its outcome is recorded (crawler/state.py); a killed crawl's folder is removed by the
next crawl that starts (its process is gone).

    scrapy crawl news -a source=trdaily -s NEWSMON_FRONTIER_DIR=/var/tmp/newsmon
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from scrapy.core.scheduler import Scheduler
from scrapy.utils.misc import build_from_crawler, load_object

PREFIX = "newsmon-frontier-"


class DiskFrontier(Scheduler):
    """Scrapy's scheduler with its disk queues in a folder made for this crawl (NEWSMON_FRONTIER_DIR,
    else the system's temporary folder), removed when the crawl closes."""

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        base = Path(settings.get("NEWSMON_FRONTIER_DIR") or tempfile.gettempdir())
        base.mkdir(parents=True, exist_ok=True)
        remove_stale(base)
        folder = tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=base)
        scheduler = cls(dupefilter=build_from_crawler(load_object(settings["DUPEFILTER_CLASS"]), crawler),
                        jobdir=folder, dqclass=load_object(settings["SCHEDULER_DISK_QUEUE"]),
                        mqclass=load_object(settings["SCHEDULER_MEMORY_QUEUE"]),
                        logunser=settings.getbool("SCHEDULER_DEBUG"), stats=crawler.stats,
                        pqclass=load_object(settings["SCHEDULER_PRIORITY_QUEUE"]), crawler=crawler)
        scheduler.folder = folder
        return scheduler

    def close(self, reason: str):
        try:
            return super().close(reason)
        finally:  # what was still waiting is due in the crawl state: the next crawl asks for it
            shutil.rmtree(self.folder, ignore_errors=True)


def remove_stale(base: Path) -> None:
    """Remove the frontier folders of crawl processes that are gone (killed before they closed)."""
    for folder in base.glob(f"{PREFIX}*"):
        match = re.match(rf"{PREFIX}(\d+)-", folder.name)
        if match and not _alive(int(match.group(1))):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
