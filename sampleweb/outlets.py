"""Static description of the sample outlets: who they are and how their URLs look."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

CATEGORIES = ("politics", "economy", "sports", "world", "society")


@dataclass(frozen=True)
class Outlet:
    """One sample outlet. Paths are relative; the server supplies scheme, host and port."""

    id: str
    name: str  # name in sources.toml
    site_name: str  # name printed on the pages
    country: str
    languages: tuple[str, ...]
    utc_offset: int  # hours; Istanbul and Baku have kept fixed offsets since 2016
    host_index: int  # served on 127.0.0.{10 + host_index}
    path_style: str  # see article_path()
    section_slugs: dict[str, str]  # category -> path segment
    feed_kind: str | None  # "rss", "atom" or None
    feed_path: str  # may contain {lang}
    sitemap_index: str
    month_sitemap: str  # format with y, m
    news_sitemap: str
    list_sitemaps: bool  # name the sitemap index in sources.toml (else robots.txt only)
    disallow: tuple[str, ...]
    search_path: str
    amp_style: str | None = None  # "prefix" (/amp/<path>) or "query" (<path>?amp=1)
    article_pattern: str = ""
    count: int = 50  # articles per edition at build time
    staff: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def tz(self) -> timezone:
        return timezone(timedelta(hours=self.utc_offset))

    @property
    def multi(self) -> bool:
        return len(self.languages) > 1

    def section_path(self, lang: str, category: str) -> str:
        slug = self.section_slugs[category]
        return f"/{lang}/{slug}" if self.multi else f"/{slug}"

    def home_path(self, lang: str) -> str:
        return f"/{lang}/" if self.multi else "/"

    def feed_url_path(self, lang: str) -> str | None:
        return self.feed_path.format(lang=lang) if self.feed_kind else None

    def article_path(self, lang: str, category: str, when: datetime, slug: str, num: int) -> str:
        """The canonical path of an article (when is local publication time)."""
        section = self.section_slugs[category]
        if self.path_style == "dated":
            return f"/{when:%Y/%m/%d}/{slug}"
        if self.path_style == "news-id":
            return f"/news/{num}-{slug}"
        if self.path_style == "section-slug-id":
            return f"/{section}/{slug}-{num}"
        if self.path_style == "xeber":
            return f"/xeber/{num}/{slug}"
        if self.path_style == "news-date-html":
            return f"/news/{when:%Y-%m-%d}/{slug}-{num}.html"
        if self.path_style == "edition":
            return f"/{lang}/{section}/{when:%Y-%m-%d}/{slug}"
        raise ValueError(self.path_style)

    def amp_path(self, path: str) -> str | None:
        if self.amp_style == "prefix":
            return "/amp" + path
        if self.amp_style == "query":
            return path + "?amp=1"
        return None


# A trailing optional query lets tracking parameters (?utm_source=...) and ?amp=1 through;
# section pages (/politics?page=2) never match because they lack the article shape.
_Q = r"(?:\?.*)?$"

OUTLETS: tuple[Outlet, ...] = (
    Outlet(
        id="trdaily", name="TR Daily (sample)", site_name="TR Daily", country="TR", languages=("en",),
        utc_offset=3, host_index=1, path_style="dated",
        section_slugs={"politics": "politics", "economy": "economy", "sports": "sports",
                       "world": "world", "society": "life"},
        feed_kind="rss", feed_path="/rss.xml",
        sitemap_index="/sitemap.xml", month_sitemap="/sitemaps/{y}-{m:02d}.xml",
        news_sitemap="/sitemaps/news.xml", list_sitemaps=True,
        disallow=("/private/", "/search"), search_path="/search", amp_style="prefix",
        # not anchored at the start: /amp/... and /private/... copies match too
        article_pattern=r"/\d{4}/\d{2}/\d{2}/[a-z0-9-]+" + _Q, count=72,
        staff={"en": ("Selin Kaya", "Murat Demir", "Elif Şahin", "Can Öztürk", "Deniz Arslan", "Burak Yıldız")},
    ),
    Outlet(
        id="azerpress", name="AzerPress (sample)", site_name="AzerPress", country="AZ", languages=("en",),
        utc_offset=4, host_index=2, path_style="news-id",
        section_slugs={"politics": "politics", "economy": "business", "sports": "sports",
                       "world": "world", "society": "society"},
        feed_kind="atom", feed_path="/atom.xml",
        sitemap_index="/sitemap_index.xml", month_sitemap="/sitemap-posts-{y}-{m:02d}.xml",
        news_sitemap="/news-sitemap.xml", list_sitemaps=False,
        disallow=("/search", "/admin/"), search_path="/search", amp_style="query",
        article_pattern=r"^/news/\d+-[a-z0-9-]+" + _Q, count=58,
        staff={"en": ("Leyla Mammadova", "Rashad Huseynov", "Nigar Hasanova", "Elnur Guliyev",
                      "Aytan Ismayilova", "Farid Karimov")},
    ),
    Outlet(
        id="haberler", name="Haberler Gazetesi (sample)", site_name="Haberler", country="TR", languages=("tr",),
        utc_offset=3, host_index=3, path_style="section-slug-id",
        section_slugs={"politics": "gundem", "economy": "ekonomi", "sports": "spor",
                       "world": "dunya", "society": "yasam"},
        feed_kind="rss", feed_path="/rss/anasayfa.xml",
        sitemap_index="/sitemap.xml", month_sitemap="/sitemap/{y}/{m:02d}.xml",
        news_sitemap="/sitemap/news.xml", list_sitemaps=True,
        disallow=("/arama", "/uye/"), search_path="/arama",
        article_pattern=r"^/(?:gundem|ekonomi|spor|dunya|yasam)/[a-z0-9-]+-\d{6}" + _Q, count=56,
        staff={"tr": ("Ayşe Yılmaz", "Mehmet Çelik", "Zeynep Aydın", "Emre Koç", "Fatma Kurt", "Hakan Polat")},
    ),
    Outlet(
        id="xeberler", name="Xəbərlər (sample)", site_name="Xəbərlər", country="AZ", languages=("az",),
        utc_offset=4, host_index=4, path_style="xeber",
        section_slugs={"politics": "siyaset", "economy": "iqtisadiyyat", "sports": "idman",
                       "world": "dunya", "society": "cemiyyet"},
        feed_kind=None, feed_path="",
        sitemap_index="/sitemap_index.xml", month_sitemap="/sitemaps/xeber-{y}-{m:02d}.xml",
        news_sitemap="/sitemaps/google-news.xml", list_sitemaps=True,
        disallow=("/axtaris",), search_path="/axtaris",
        article_pattern=r"^/xeber/\d+/[a-z0-9-]+" + _Q, count=48,
        staff={"az": ("Aynur Məmmədova", "Tural Həsənov", "Günel Quliyeva", "Elvin Rzayev",
                      "Səbinə Cəfərova", "Orxan Nəsirov")},
    ),
    Outlet(
        id="novosti", name="Novosti Kaspiya (sample)", site_name="Новости Каспия", country="AZ",
        languages=("ru",), utc_offset=4, host_index=5, path_style="news-date-html",
        section_slugs={"politics": "politika", "economy": "ekonomika", "sports": "sport",
                       "world": "mir", "society": "obshchestvo"},
        feed_kind="atom", feed_path="/feed.atom",
        sitemap_index="/sitemap.xml", month_sitemap="/sitemaps/{y}-{m:02d}.xml",
        news_sitemap="/sitemaps/news.xml", list_sitemaps=False,
        disallow=("/poisk",), search_path="/poisk",
        article_pattern=r"^/news/\d{4}-\d{2}-\d{2}/[a-z0-9-]+-\d+\.html" + _Q, count=48,
        staff={"ru": ("Анна Воронова", "Эльнур Гасанов", "Игорь Смирнов", "Лала Керимова",
                      "Сергей Белов", "Севиндж Мамедова")},
    ),
    Outlet(
        id="multinews", name="MultiNews (sample)", site_name="MultiNews", country="AZ",
        languages=("en", "tr", "ru", "az"), utc_offset=4, host_index=6, path_style="edition",
        section_slugs={"politics": "politics", "economy": "economy", "sports": "sports",
                       "world": "world", "society": "society"},
        feed_kind="rss", feed_path="/{lang}/rss.xml",
        sitemap_index="/sitemap_index.xml", month_sitemap="/sitemaps/{y}-{m:02d}.xml",
        news_sitemap="/sitemaps/news.xml", list_sitemaps=True,
        disallow=("/private/", "/search"), search_path="/search",
        article_pattern=r"/(?:en|tr|ru|az)/[a-z]+/\d{4}-\d{2}-\d{2}/[a-z0-9-]+" + _Q, count=12,
        staff={"en": ("Sarah Collins", "Kamran Abbasov", "Emma Price"),
               "tr": ("Ozan Erdem", "Seda Güneş", "Kerem Aksoy"),
               "ru": ("Ольга Морозова", "Тимур Алекперов", "Дмитрий Орлов"),
               "az": ("Ləman Əhmədova", "Kənan Babayev", "Nərgiz Qasımova")},
    ),
)

BY_ID: dict[str, Outlet] = {o.id: o for o in OUTLETS}
