"""python -m sampleweb: serve the sample news web in the foreground."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from sampleweb import SampleWeb, SampleWebServer
from sampleweb.outlets import BY_ID


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sampleweb", description=__doc__)
    parser.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    parser.add_argument("--port", type=int, default=0, help="port for every outlet (default: a free one)")
    parser.add_argument("--sources", type=Path, help="also write the crawler's sources.toml here")
    parser.add_argument("--publish-every", type=float, default=0, metavar="SECONDS",
                        help="publish one new article this often (default: never)")
    parser.add_argument("--articles", type=int, default=0, metavar="N",
                        help="scale the web to N articles, every page rendered before serving")
    parser.add_argument("--urls", type=Path,
                        help="write the reachable article pages here, one JSON line each (url, source, country)")
    args = parser.parse_args(argv)

    web = SampleWeb(seed=args.seed)
    web.scale_to(args.articles)
    with SampleWebServer(web, port=args.port, cache_limit=max(4000, 4 * args.articles)) as server:
        if args.articles:
            print(f"{server.prerender()} responses rendered", flush=True)
        if args.urls:
            with args.urls.open("w", encoding="utf-8") as out:
                for art in web.articles:
                    if art.normal:
                        row = {"url": server.base_url(art.outlet) + art.path, "source": art.outlet,
                               "country": BY_ID[art.outlet].country}
                        out.write(json.dumps(row) + "\n")
        for outlet in web.outlets:
            print(f"{outlet.id:10} {server.base_url(outlet.id)}/  ({', '.join(outlet.languages)})", flush=True)
        if args.sources:
            args.sources.write_text(server.sources_toml(), encoding="utf-8")
            print(f"sources written to {args.sources}", flush=True)
        print(f"{len(web.articles)} articles; Ctrl-C to stop", flush=True)
        try:
            while True:
                if args.publish_every > 0:
                    time.sleep(args.publish_every)
                    for art in web.publish(1):
                        print(f"published {server.base_url(art.outlet)}{art.path}", flush=True)
                else:
                    time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
