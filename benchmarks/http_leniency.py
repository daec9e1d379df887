"""Which sloppy HTTP responses each Scrapy download handler takes (the choice of HTTP client).

    python -m benchmarks.http_leniency

A raw socket server on loopback answers each path with one hand-made response (a clean one,
then shapes real servers send: bare LF line ends, folded headers, a non-UTF-8 byte in a header,
a duplicated Content-Length...). The same bare spider fetches them all through Scrapy's default
handler (Twisted) and through Scrapy 2.19's experimental aiohttp handler, each in its own
process, and a table says what each made of every response. Not a timing: benchmarks/README.md
says why it is here (the throughput section).
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading

BODY = b"<html><body><article><p>Baku and Ankara</p></article></body></html>"
LENGTH = str(len(BODY)).encode()
HTML = b"Content-Type: text/html\r\n"
CHUNK = hex(len(BODY))[2:].encode()
RESPONSES = {
    "clean": b"HTTP/1.1 200 OK\r\n" + HTML + b"Content-Length: " + LENGTH + b"\r\n\r\n" + BODY,
    "bare LF line ends": b"HTTP/1.1 200 OK\nContent-Type: text/html\nContent-Length: " + LENGTH + b"\n\n" + BODY,
    "folded header": b"HTTP/1.1 200 OK\r\n" + HTML + b"X-Long: a\r\n  b\r\nContent-Length: " + LENGTH + b"\r\n\r\n" + BODY,
    "Latin-1 byte in a header": b"HTTP/1.1 200 OK\r\n" + HTML + b"X-Title: Bak\xfc\r\nContent-Length: " + LENGTH
                                + b"\r\n\r\n" + BODY,
    "Content-Length twice": b"HTTP/1.1 200 OK\r\n" + HTML + (b"Content-Length: " + LENGTH + b"\r\n") * 2 + b"\r\n" + BODY,
    "Content-Length and chunked": b"HTTP/1.1 200 OK\r\n" + HTML + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                                  + CHUNK + b"\r\n" + BODY + b"\r\n0\r\n\r\n",
    "body longer than Content-Length": b"HTTP/1.1 200 OK\r\n" + HTML + b"Content-Length: 10\r\n\r\n" + BODY,
    "lower-case status line": b"http/1.1 200 OK\r\n" + HTML + b"Content-Length: " + LENGTH + b"\r\n\r\n" + BODY,
    "status without reason": b"HTTP/1.1 200\r\n" + HTML + b"Content-Length: " + LENGTH + b"\r\n\r\n" + BODY,
    "HTTP/1.0, no length": b"HTTP/1.0 200 OK\r\n" + HTML + b"\r\n" + BODY,
    "control byte in a header": b"HTTP/1.1 200 OK\r\n" + HTML + b"X-Ctl: a\x01b\r\nContent-Length: " + LENGTH
                                + b"\r\n\r\n" + BODY,
    "chunk extension": b"HTTP/1.1 200 OK\r\n" + HTML + b"Transfer-Encoding: chunked\r\n\r\n" + CHUNK + b";x=y\r\n"
                       + BODY + b"\r\n0\r\n\r\n",
    "space before a colon": b"HTTP/1.1 200 OK\r\nContent-Type : text/html\r\nContent-Length: " + LENGTH + b"\r\n\r\n" + BODY,
}
PATHS = {f"case{i}": name for i, name in enumerate(RESPONSES)}
HANDLERS = ("twisted", "aiohttp")


def serve(listener: socket.socket) -> None:
    while True:
        conn, _ = listener.accept()
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                head += chunk
            path = head.split(b" ")[1].decode().strip("/") if head.count(b" ") >= 2 else ""
            conn.sendall(RESPONSES[PATHS.get(path, "clean")])


def fetch_all(port: int, handler: str) -> dict[str, str]:
    """(Child process) fetch every case with one handler; what each became."""
    import scrapy
    from scrapy.core.downloader.handlers._aiohttp import AiohttpDownloadHandler
    from scrapy.crawler import CrawlerProcess

    class LazyAiohttp(AiohttpDownloadHandler):
        lazy = True  # aiohttp's session needs the running loop

    sys.modules[__name__].LazyAiohttp = LazyAiohttp
    seen: dict[str, str] = {}

    class Probe(scrapy.Spider):
        name = "probe"

        async def start(self):
            for path, case in PATHS.items():
                yield scrapy.Request(f"http://127.0.0.1:{port}/{path}", callback=self.answered, errback=self.failed,
                                     dont_filter=True, meta={"case": case})

        def answered(self, response):
            seen[response.meta["case"]] = f"{response.status}, {len(response.body)} of {len(BODY)} bytes"

        def failed(self, failure):
            seen[failure.request.meta["case"]] = f"error: {type(failure.value).__name__}"

    settings = {"LOG_LEVEL": "CRITICAL", "RETRY_ENABLED": False, "TELNETCONSOLE_ENABLED": False, "DOWNLOAD_TIMEOUT": 5}
    if handler == "aiohttp":
        settings["DOWNLOAD_HANDLERS"] = {"http": f"{__name__}.LazyAiohttp"}
    process = CrawlerProcess(settings)
    process.crawl(Probe)
    process.start()
    return seen


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(fetch_all(int(sys.argv[2]), sys.argv[3])))
        return 0
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    threading.Thread(target=serve, args=(listener,), daemon=True).start()
    port = listener.getsockname()[1]
    results = {}
    for handler in HANDLERS:
        child = subprocess.run([sys.executable, "-m", "benchmarks.http_leniency", "--child", str(port), handler],
                               capture_output=True, text=True, timeout=120, env=dict(os.environ))
        results[handler] = json.loads(child.stdout.strip().splitlines()[-1])
    print("| response | Scrapy's default handler (Twisted) | aiohttp handler (experimental) |")
    print("| --- | --- | --- |")
    for case in RESPONSES:
        print(f"| {case} | {results['twisted'].get(case, '-')} | {results['aiohttp'].get(case, '-')} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
