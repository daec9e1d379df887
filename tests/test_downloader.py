"""A host never gets more than CONCURRENT_REQUESTS_PER_DOMAIN requests at once, also with no delay.

Scrapy 2.19's own downloader started a host's whole queue at once when DOWNLOAD_DELAY was 0
(crawler/downloader.py says why); a real server over loopback counts what arrives.
"""
from __future__ import annotations

import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SPIDER = '''
import sys
import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from crawler import settings as newsmon_settings

base, per_host = sys.argv[1], int(sys.argv[2])

class Burst(scrapy.Spider):
    name = "burst"

    async def start(self):
        for i in range(40):
            yield scrapy.Request(f"{base}/page/{i}", dont_filter=True)

    def parse(self, response):
        pass

settings = Settings()
settings.setmodule(newsmon_settings, priority="project")
settings.setdict({"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_REQUESTS": 32,
                  "CONCURRENT_REQUESTS_PER_DOMAIN": per_host, "ITEM_PIPELINES": {}, "LOG_LEVEL": "ERROR"},
                 priority="cmdline")
process = CrawlerProcess(settings)
process.crawl(Burst)
process.start()
'''


class Counting(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a request per connection would show as connections

    def setup(self):
        with self.server.lock:
            self.server.connections += 1
        super().setup()

    def do_GET(self):  # noqa: N802
        with self.server.lock:
            self.server.in_flight += 1
            self.server.peak = max(self.server.peak, self.server.in_flight)
            self.server.requests += 1
        time.sleep(0.05)  # long enough that a burst overlaps
        body = b"<html><body>ok</body></html>"
        with self.server.lock:
            self.server.in_flight -= 1
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def crawl_burst(tmp_path: Path, per_host: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    server.daemon_threads = True
    server.lock, server.in_flight, server.peak, server.requests, server.connections = threading.Lock(), 0, 0, 0, 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    script = tmp_path / "burst.py"
    script.write_text(SPIDER, encoding="utf-8")
    try:
        proc = subprocess.run([sys.executable, str(script), f"http://127.0.0.1:{server.server_address[1]}",
                               str(per_host)], cwd=ROOT, capture_output=True, text=True, timeout=120,
                              env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
        assert proc.returncode == 0, proc.stderr[-3000:]
    finally:
        server.shutdown()
        server.server_close()
    return server


def test_no_delay_keeps_the_per_host_limit_and_reuses_its_connections(tmp_path):
    server = crawl_burst(tmp_path, per_host=3)
    print(f"40 requests: peak {server.peak} at once, {server.connections} connections")
    assert server.requests == 40
    assert server.peak == 3  # the limit, used in full
    assert server.connections <= 3  # each connection kept alive for the next request
