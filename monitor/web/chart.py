"""The search page's date chart: bars of matches in front of every stored article, a y-axis of
counts with round ticks, date labels along the x-axis, and each bar's link narrowing the dates.

Drawn in one SVG of fixed proportions (the page's policy allows no inline style, so nothing is
placed by CSS): `date_chart` returns every coordinate, the template only writes them out.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from index.histogram import bucket_end

FINER = {"year": "month", "month": "day", "week": "day", "day": "day"}
WIDTH, HEIGHT = 760, 190  # the SVG's own units; it scales to the page's width, text with it
LEFT, TOP, BOTTOM = 46, 24, 22  # room for the y-axis labels, a tooltip over the highest bar, the dates
MAX_BAR = 60  # a bar of a few is a bar, not a wall
MAX_LABELS = 8  # date labels along the x-axis: about one per 90 units, so they never overlap


def nice_ticks(peak: int, most: int = 5) -> list[int]:
    """Round y-axis values from 0 up to at least `peak`: 0, 5, 10, 15 or 0, 200, 400 ..."""
    if peak <= 0:
        return [0, 1]
    step = 1
    while True:
        for factor in (1, 2, 5):
            if -(-peak // (step * factor)) <= most - 1:
                size = step * factor
                return [size * i for i in range(-(-peak // size) + 1)]
        step *= 10


def _label(key: str, interval: str) -> str:
    return {"month": key[:7], "year": key[:4]}.get(interval, key)


def label_positions(count: int, most: int = MAX_LABELS) -> list[int]:
    """Which bars get a date label: all of a few, else evenly spread, the first and last included."""
    if count <= most:
        return list(range(count))
    return sorted({round(i * (count - 1) / (most - 1)) for i in range(most)})


def date_chart(matches: dict[str, int], volume: dict[str, int], interval: str,
               link: Callable[..., str]) -> dict | None:
    """The chart of a search's date facet (`matches`) against the stored volume of the same buckets,
    from the first to the last bucket with a match; `link(since=, until=, interval=)` makes a bar's URL."""
    if not matches:
        return None
    first, last = min(matches), max(matches)
    keys = [k for k in sorted(volume) if first <= k <= last] or sorted(matches)
    ticks = nice_ticks(max([volume.get(k, 0) for k in keys] + [matches.get(k, 0) for k in keys]))
    top, plot_height = ticks[-1], HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT) / len(keys)
    width = min(max(step * 0.86, 0.5), MAX_BAR)

    def y(count: int) -> float:
        return round(TOP + plot_height * (1 - count / top), 2)

    bars = []
    for i, key in enumerate(keys):
        start = date.fromisoformat(key)
        found, stored = matches.get(key, 0), volume.get(key, 0)
        bars.append({
            "key": key, "label": _label(key, interval), "matches": found, "volume": stored,
            "sx": round(LEFT + i * step, 2), "slot": round(step, 2),  # the bar's slot: what a pointer hits
            "x": round(LEFT + i * step + (step - width) / 2, 2), "w": round(width, 2),
            "y": y(found), "h": round(HEIGHT - BOTTOM - y(found), 2),
            "vy": y(stored), "vh": round(HEIGHT - BOTTOM - y(stored), 2),
            "href": link(since=start.isoformat(), until=bucket_end(start, interval).isoformat(),
                         interval=FINER[interval]),
        })
    labels = [_placed(bars[i]["x"] + width / 2, bars[i]["label"]) for i in label_positions(len(bars))]
    return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "top": TOP, "base": HEIGHT - BOTTOM,
            "bars": bars, "ticks": [{"value": t, "y": y(t)} for t in ticks], "labels": labels,
            "interval": interval}


def _placed(x: float, text: str) -> dict:
    """A date label centred under its bar, or ending at the chart's right edge when it would cross it."""
    half = 3.2 * len(text)  # digits at the labels' 11 units are about 6.2 wide
    anchor = "end" if x + half > WIDTH else "start" if x - half < 0 else "middle"
    return {"x": round(min(x, WIDTH) if anchor != "start" else x, 2), "text": text, "anchor": anchor}
