"""The Store contract: every backend must return exactly these sets, counts and facets.

Ranking may differ between backends; nothing else may. Runs once per backend in conftest.BACKENDS.
"""
from __future__ import annotations

import itertools
import random
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from index.article import Article
from index.query import QueryError
from index.store import Filters

_n = itertools.count(1)


def t(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def art(id, lang, source, published, title, body, matched=(), dup=None, chash=None) -> Article:
    k = next(_n)
    return Article(
        id=id, url=f"https://{source}.example/{id}?utm=x", canonical_url=f"https://{source}.example/{id}",
        source=source, title=title, body=body, language=lang, language_confidence=0.99,
        published_at=t(published) if published else None, crawled_at=t("2024-06-10T00:00:00Z") + timedelta(minutes=k),
        matched=list(matched), duplicate_of=dup, content_hash=chash or f"hash-{id}",
        signature=list(range(k * 1000, k * 1000 + 64)), authors=["Staff"], relevance=1.0,
    )


CORPUS = [
    art("en1", "en", "dailysabah", "2024-01-15T09:00:00Z", "Erdoğan arrives in Shusha",
        "President Erdoğan arrived in Shusha on Monday for talks on energy cooperation with Azerbaijan.",
        ["erdogan", "shusha"]),
    art("en2", "en", "azertac", "2024-01-20T12:00:00Z", "Aliyev opens new airport terminal",
        "President Ilham Aliyev opened the terminal. Officials discussed cooperation on energy & transport.",
        ["ilham-aliyev"]),
    art("en3", "en", "aa", "2024-02-05T08:30:00Z", "Turkey prepares for local elections",
        "Erdogan said the election campaign would focus on the economy. ISTANBUL and Ankara are key battlegrounds.",
        ["erdogan"]),
    # 01:30 in Istanbul is still Sunday 10 March in UTC: buckets must be UTC.
    art("en4", "en", "dailysabah", "2024-03-11T01:30:00+03:00", "Football: Qarabag beat Galatasaray",
        "Qarabag won the football match on Sunday."),
    art("en5", "en", "dailysabah", None, "Energy ministers meet",
        "Ministers discussed the gas pipeline and energy security.", chash="hash-energy"),
    art("en6", "en", "aa", "2024-03-12T10:00:00Z", "Energy ministers meet in Baku",
        "Ministers discussed the gas pipeline and energy security.", dup="en5", chash="hash-energy"),
    art("en7", "en", "azertac", "2024-02-28T10:00:00Z", "Mountain town hosts music festival",
        "The festival in Shusha drew visitors from across the region.", ["shusha"]),
    art("tr1", "tr", "hurriyet", "2024-01-16T07:00:00Z", "Erdoğan'ın Şuşa ziyareti",
        "Cumhurbaşkanı Erdoğan Şuşa'da enerji işbirliğini görüştü. İSTANBUL ve ISPARTA heyetleri de oradaydı.",
        ["erdogan", "shusha"]),
    art("tr2", "tr", "aa", "2024-02-20T10:00:00Z", "Aliyev Ankara'da",
        "Azerbaycan Cumhurbaşkanı Aliyev, Türkiye'deki seçimlerde başarı diledi.", ["ilham-aliyev"]),
    art("tr3", "tr", "hurriyet", "2024-03-05T15:00:00Z", "Futbol: Galatasaray kazandı",
        "Galatasaray, İstanbul'da oynanan futbol maçını kazandı."),
    art("tr4", "tr", "aa", "2024-04-02T09:00:00Z", "Doğalgaz boru hattının kapasitesi artıyor",
        "Boru hattı üzerinden taşınan doğalgaz miktarı arttı."),
    art("az1", "az", "apa", "2024-01-17T11:00:00Z", "Şuşada mədəniyyət festivalı",
        "Şuşa şəhərində festival başladı. Prezident İlham Əliyev açılışda iştirak etdi.",
        ["shusha", "ilham-aliyev"]),
    art("az2", "az", "azertac", "2024-02-21T13:00:00Z", "Əliyev və Ərdoğan telefonla danışdı",
        "Prezidentlər enerji əməkdaşlığını müzakirə etdilər.", ["ilham-aliyev", "erdogan"]),
    art("az3", "az", "report", "2024-04-15T06:00:00Z", "Yeni metro stansiyası açıldı",
        "Paytaxtda yeni stansiya sərnişinlərin istifadəsinə verildi."),
    art("az4", "az", "report", "2023-12-28T08:00:00Z", "Gənclər forumu keçirildi",
        "Forumda gənclər üçün yeni layihələr təqdim olundu."),
    art("ru1", "ru", "trend", "2024-01-18T10:00:00Z", "Фестиваль в Шуше",
        "В Шуше открылся музыкальный фестиваль. Город Шуша принимает гостей.", ["shusha"]),
    art("ru2", "ru", "apa", "2024-02-22T09:00:00Z", "Алиев провел переговоры с Эрдоганом",
        "Президенты обсудили выборы и энергетику.", ["ilham-aliyev", "erdogan"]),
    art("ru3", "ru", "trend", "2024-03-25T18:00:00Z", "Итоги выборов",
        "На выборах победила правящая партия.", chash="hash-vybory"),
    art("ru4", "ru", "apa", "2024-03-26T08:00:00Z", "Итоги выборов",
        "На выборах победила правящая партия.", dup="ru3", chash="hash-vybory"),
    art("ru5", "ru", "trend", "2024-06-03T12:00:00Z", "Новый авиарейс",
        "Открыт новый авиарейс между городами."),
]
BY_ID = {a.id: a for a in CORPUS}
ALL = set(BY_ID)
SHUSHA = {"en1", "en7", "tr1", "az1", "ru1"}
ALIYEV = {"en2", "tr2", "az1", "az2", "ru2"}
ERDOGAN = {"en1", "en3", "tr1", "az2", "ru2"}


@pytest.fixture(scope="module")
def corpus(new_store):
    """A store of each backend holding CORPUS (read-only tests share it)."""
    store = new_store()
    store.upsert(CORPUS)
    return store


def ids(store, query: str, filters: Filters | None = None, concepts: bool = False) -> set[str]:
    """The matching ids. The sets below are of the query language alone: words are widened to the
    beat lexicon's concepts (energy: enerji, энергетика) only where a test asks (test_concepts_*)."""
    result = store.search(query, filters=filters, size=100, facets=(), concepts=concepts)
    found = {h.article.id for h in result.hits}
    assert result.total == len(found)
    return found


def hit(store, query: str, article_id: str):
    return next(h for h in store.search(query, size=100).hits if h.article.id == article_id)


# --- upsert, get, count, stats -----------------------------------------------------------------

def test_upsert_is_idempotent_and_replaces(store):
    assert store.upsert(CORPUS) == len(CORPUS)
    assert store.count() == 20
    store.upsert(CORPUS)
    assert store.count() == 20
    changed = replace(BY_ID["en1"], title="Erdoğan greets the crowd", matched=["erdogan"])
    store.upsert([changed, changed])
    assert store.count() == 20
    assert store.get("en1").title == "Erdoğan greets the crowd"
    assert ids(store, "crowd") == {"en1"}
    assert ids(store, "title:Shusha") == {"tr1", "az1", "ru1"}  # old title terms are gone
    assert ids(store, "entity:shusha") == SHUSHA - {"en1"}


def test_get_many_reads_a_batch_by_id(corpus):
    found = corpus.get_many(["en1", "nosuch", "ru1", "en1"])
    assert set(found) == {"en1", "ru1"}
    assert found["ru1"] == corpus.get("ru1") and found["en1"].title == BY_ID["en1"].title
    assert corpus.get_many([]) == {}


def test_pre_analysed_terms_are_written_and_stale_ones_are_not(store):
    from index.analysis import IndexTerms

    fresh = BY_ID["en1"]
    fresh = replace(fresh, terms=IndexTerms.of(fresh.title, fresh.body, fresh.language))
    # terms made from an earlier text of the article (edited after the stages ran)
    edited = replace(BY_ID["en2"], body=BY_ID["en2"].body + " Later: talks moved to Ganja.",
                     terms=IndexTerms.of(BY_ID["en2"].title, BY_ID["en2"].body, BY_ID["en2"].language))
    store.upsert([fresh, edited])
    assert ids(store, "Ganja") == {"en2"}
    assert ids(store, "title:" + fresh.title.split()[0]) >= {"en1"}


def test_get_round_trips_every_field(corpus):
    for article in CORPUS:
        got = corpus.get(article.id)
        assert got.seq > 0 and got.first_seen_at == article.crawled_at  # the store's own two fields
        assert got == replace(article, seq=got.seq, first_seen_at=got.first_seen_at)
    assert corpus.get("no-such-id") is None
    assert corpus.get("en4").published_at == t("2024-03-10T22:30:00Z")


def test_stats(corpus):
    s = corpus.stats()
    assert s["total"] == 20
    assert s["by_language"] == {"en": 7, "ru": 5, "az": 4, "tr": 4}
    assert s["by_source"] == {"aa": 4, "apa": 3, "azertac": 3, "dailysabah": 3, "trend": 3, "hurriyet": 2, "report": 2}
    assert s["duplicates"] == 2
    assert s["first_published"] == "2023-12-28T08:00:00Z"
    assert s["last_published"] == "2024-06-03T12:00:00Z"
    assert s["last_crawled"] == "2024-06-10T00:20:00Z"
    assert s["last_seq"] == corpus.last_seq() == max(corpus.get(a.id).seq for a in CORPUS)


# --- words across scripts, spellings and inflections -------------------------------------------

@pytest.mark.parametrize("query, expected", [
    ("Shusha", SHUSHA), ("Şuşa", SHUSHA), ("Шуша", SHUSHA), ("Шуше", SHUSHA), ("shushi", SHUSHA),
    ("Aliyev", ALIYEV), ("Əliyev", ALIYEV), ("Алиев", ALIYEV),
    ("Erdogan", ERDOGAN), ("Erdoğan", ERDOGAN), ("Эрдоганом", ERDOGAN), ("ERDOĞAN'IN", ERDOGAN),
])
def test_aliases_cross_scripts(corpus, query, expected):
    assert ids(corpus, query) == expected


@pytest.mark.parametrize("query, expected", [
    ("dogalgaz", {"tr4"}), ("gorustu", {"tr1"}), ("seher", {"az1"}), ("gencler", {"az4"}),
    ("secim", {"tr2"}), ("muzakire", {"az2"}),
])
def test_folding(corpus, query, expected):
    assert ids(corpus, query) == expected


@pytest.mark.parametrize("query, expected", [
    ("elections", {"en3"}), ("election", {"en3"}),
    ("seçim", {"tr2"}), ("seçimler", {"tr2"}), ("kazandı", {"tr3"}),
    ("выборы", {"ru2", "ru3", "ru4"}), ("выборах", {"ru2", "ru3", "ru4"}),
    ("фестивале", {"ru1"}), ("gənc", {"az4"}),
])
def test_stemming(corpus, query, expected):
    assert ids(corpus, query) == expected


@pytest.mark.parametrize("query, expected", [
    ("Isparta", {"tr1"}), ("ISPARTA", {"tr1"}), ("ısparta", {"tr1"}),
    ("istanbul", {"en3", "tr1", "tr3"}), ("İSTANBUL", {"en3", "tr1", "tr3"}), ("Istanbul", {"en3", "tr1", "tr3"}),
])
def test_turkish_casing(corpus, query, expected):
    assert ids(corpus, query) == expected


# --- operators ---------------------------------------------------------------------------------

@pytest.mark.parametrize("query, expected", [
    ("", ALL),
    ("   ", ALL),
    ("energy", {"en1", "en2", "en5", "en6"}),
    ("energy cooperation", {"en1", "en2"}),
    ("energy AND cooperation", {"en1", "en2"}),
    ('"energy cooperation"', {"en1"}),
    ('"cooperation energy"', set()),
    ('"boru hattı"', {"tr4"}),
    ("energy -transport", {"en1", "en5", "en6"}),
    ('energy -"energy cooperation"', {"en2", "en5", "en6"}),
    ("energy -(Shusha OR transport)", {"en5", "en6"}),
    ("energy NOT transport", {"en1", "en5", "en6"}),
    ("-Shusha", ALL - SHUSHA),
    ("futbol OR football", {"tr3", "en4"}),
    ("futbol | football", {"tr3", "en4"}),
    ("Shusha OR выборы", SHUSHA | {"ru2", "ru3", "ru4"}),
    ("Erdogan -Aliyev", {"en1", "en3", "tr1"}),
    ("Erdogan Aliyev", {"az2", "ru2"}),
    ("(Shusha OR Aliyev) lang:ru", {"ru1", "ru2"}),
    ("(Shusha OR Aliyev) (lang:tr OR lang:az)", {"tr1", "tr2", "az1", "az2"}),
    ("energy - cooperation", {"en1", "en2"}),  # a lone dash is punctuation, not an exclusion
])
def test_operators(corpus, query, expected):
    assert ids(corpus, query) == expected


@pytest.mark.parametrize("query, expected", [
    ("lang:tr", {"tr1", "tr2", "tr3", "tr4"}),
    ("LANG:TR", {"tr1", "tr2", "tr3", "tr4"}),
    ("language:az", {"az1", "az2", "az3", "az4"}),
    ("lang:tr -futbol", {"tr1", "tr2", "tr4"}),
    ("lang:tr Shusha", {"tr1"}),
    ("-lang:en -lang:tr -lang:az", {"ru1", "ru2", "ru3", "ru4", "ru5"}),
    ("source:aa", {"en3", "en6", "tr2", "tr4"}),
    ("source:aa lang:en", {"en3", "en6"}),
    ("title:Shusha", {"en1", "tr1", "az1", "ru1"}),
    ("title:(Aliyev OR Erdogan)", {"en1", "en2", "tr1", "tr2", "az2", "ru2"}),
    ('title:"boru hattı"', {"tr4"}),
    ('title:"energy cooperation"', set()),
    ("entity:shusha", SHUSHA),
    ("entity:Şuşa", SHUSHA),
    ("entity:erdogan -lang:ru", {"en1", "en3", "tr1", "az2"}),
    ("entity:nobody", set()),
])
def test_fields(corpus, query, expected):
    assert ids(corpus, query) == expected


def test_filters(corpus):
    feb = Filters(since=t("2024-02-01T00:00:00Z"), until=t("2024-02-29T23:59:59Z"))
    assert ids(corpus, "", feb) == {"en3", "en7", "tr2", "az2", "ru2"}
    assert ids(corpus, "energy", feb) == set()  # en5 has no date: date filters exclude it
    exact = t("2024-02-05T08:30:00Z")
    assert ids(corpus, "", Filters(since=exact, until=exact)) == {"en3"}  # both ends inclusive
    naive = Filters(since=datetime(2024, 6, 1))  # naive means UTC
    assert ids(corpus, "", naive) == {"ru5"}
    assert ids(corpus, "", Filters(languages=["az", "ru"], sources=["apa"])) == {"az1", "ru2", "ru4"}
    assert ids(corpus, "", Filters(include_duplicates=False)) == ALL - {"en6", "ru4"}
    assert ids(corpus, "Shusha", Filters(languages=["en"])) == {"en1", "en7"}


# --- facets ------------------------------------------------------------------------------------

def test_term_facets_cover_the_whole_matching_set(corpus):
    result = corpus.search("Shusha", size=1)
    assert result.total == 5 and len(result.hits) == 1
    assert result.facets["language"] == [("en", 2), ("az", 1), ("ru", 1), ("tr", 1)]
    assert result.facets["source"] == [("apa", 1), ("azertac", 1), ("dailysabah", 1), ("hurriyet", 1), ("trend", 1)]
    assert result.facets["entity"] == [("shusha", 5), ("erdogan", 2), ("ilham-aliyev", 1)]
    assert set(result.facets) == {"date", "language", "source", "entity", "story"}
    assert result.facets["story"] == []  # no article of CORPUS has a story
    assert set(corpus.search("Shusha", facets=["language"]).facets) == {"language"}


def test_facets_keep_twenty_values_by_count_then_key(store):
    store.upsert([art(f"s{i:02}", "en", f"src{i:02}", "2024-01-01T00:00:00Z", "Shusha", "x") for i in range(25)]
                 + [art("extra", "en", "src24", "2024-01-01T00:00:00Z", "Shusha", "x")])
    sources = store.search("Shusha").facets["source"]
    assert sources == [("src24", 2)] + [(f"src{i:02}", 1) for i in range(19)]


def test_date_histogram_with_empty_buckets(corpus):
    def hist(query, interval):
        return corpus.search(query, interval=interval, size=0).facets["date"]

    assert hist("Shusha", "year") == [("2024-01-01", 5)]
    assert hist("Shusha", "month") == [("2024-01-01", 4), ("2024-02-01", 1)]
    assert hist("Shusha", "week") == [("2024-01-15", 4), ("2024-01-22", 0), ("2024-01-29", 0), ("2024-02-05", 0),
                                      ("2024-02-12", 0), ("2024-02-19", 0), ("2024-02-26", 1)]
    days = hist("Shusha", "day")
    assert len(days) == 45 and days[0] == ("2024-01-15", 1) and days[-1] == ("2024-02-28", 1)
    assert {k for k, n in days if n} == {"2024-01-15", "2024-01-16", "2024-01-17", "2024-01-18", "2024-02-28"}
    assert sum(n for _, n in days) == 5
    # undated en5 is a match but has no bucket
    assert hist("", "month") == [("2023-12-01", 1), ("2024-01-01", 5), ("2024-02-01", 5), ("2024-03-01", 5),
                                 ("2024-04-01", 2), ("2024-05-01", 0), ("2024-06-01", 1)]
    assert hist("", "year") == [("2023-01-01", 1), ("2024-01-01", 18)]
    assert hist("football", "day") == [("2024-03-10", 1)]
    assert hist("football", "week") == [("2024-03-04", 1)]
    assert hist("nothing-matches-this", "month") == []
    with pytest.raises(ValueError, match="interval"):
        corpus.search("", interval="hour")


# --- hits: highlights, sorting, paging ---------------------------------------------------------

def test_highlights_mark_the_original_words(corpus):
    tr1 = hit(corpus, "Shusha", "tr1").highlights
    assert tr1["title"] == ["Erdoğan'ın <mark>Şuşa</mark> ziyareti"]
    assert "<mark>Şuşa'da</mark>" in tr1["body"][0]
    ru1 = hit(corpus, "Shusha", "ru1").highlights
    assert ru1["title"] == ["Фестиваль в <mark>Шуше</mark>"]
    assert "<mark>Шуше</mark>" in ru1["body"][0] and "<mark>Шуша</mark>" in ru1["body"][0]
    assert "<mark>energy cooperation</mark>" in hit(corpus, '"energy cooperation"', "en1").highlights["body"][0]
    en2 = hit(corpus, "transport", "en2").highlights["body"][0]
    assert "energy &amp; <mark>transport</mark>" in en2
    title_only = hit(corpus, "title:Shusha", "tr1").highlights
    assert "<mark>" in title_only["title"][0] and "<mark>" not in title_only["body"][0]
    en7 = hit(corpus, "Shusha OR -festival", "en7").highlights["body"][0]
    assert "<mark>Shusha</mark>" in en7 and "<mark>festival" not in en7  # excluded words are not marked


def test_sort_by_date_and_paging(corpus):
    pages = [corpus.search("", sort="date", page=p, size=6) for p in (1, 2, 3, 4)]
    assert [r.total for r in pages] == [20] * 4
    seen = [h.article.id for r in pages for h in r.hits]
    assert len(seen) == 20 and set(seen) == ALL
    assert seen[0] == "ru5" and seen[-1] == "en5"  # newest first, undated last
    dates = [BY_ID[i].published_at for i in seen[:-1]]
    assert dates == sorted(dates, reverse=True)
    assert corpus.search("", page=5, size=6).hits == []


def test_relevance_paging_returns_every_match_once(corpus):
    seen = [h.article.id for p in (1, 2, 3, 4) for h in corpus.search("=energy", page=p, size=1).hits]
    assert sorted(seen) == ["en1", "en2", "en5", "en6"]
    result = corpus.search("energy")
    assert all(h.score >= 0 for h in result.hits) and result.page == 1 and result.size == 10


@pytest.mark.parametrize("query, message", [
    ("(Shusha", "never closed"), ("Shusha)", "no matching"), ('"Shusha', "unterminated quote"),
    ("Shusha OR", "dangling OR"), ("foo:bar", "unknown field 'foo:'"), ("lang:", "empty value"),
])
def test_malformed_queries_raise_query_error(corpus, query, message):
    with pytest.raises(QueryError, match=message):
        corpus.search(query)


def test_bad_arguments_raise_value_error(corpus):
    for kwargs in ({"sort": "random"}, {"facets": ["colour"]}, {"page": 0}, {"page": 2000, "size": 10}):
        with pytest.raises(ValueError):
            corpus.search("Shusha", **kwargs)


def test_random_queries_never_raise_engine_errors(corpus):
    rng = random.Random(7)
    alphabet = ['a', 'Şuşa', 'Шуша', ' ', ' ', '"', '(', ')', '-', '|', 'OR', 'AND', 'NOT', ':', 'lang:', 'title:',
                'entity:', '*', "'", '\\', 'NEAR', '^', '_', '{', '}', '\x00', 'ə', 'x_y', '²']
    for _ in range(300):
        query = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        try:
            corpus.search(query, size=3)
        except QueryError:
            pass


# --- duplicate candidates ----------------------------------------------------------------------

def test_duplicate_candidates(corpus):
    same_hash = corpus.duplicate_candidates("hash-energy", [])
    assert {a.id for a in same_hash} == {"en5", "en6"}
    one_band = BY_ID["en1"].signature[:4] + [-1] * 60  # shares only band 0 with en1
    assert {a.id for a in corpus.duplicate_candidates("hash-new", one_band)} == {"en1"}
    shifted = [-1] * 4 + BY_ID["en1"].signature[:4] + [-1] * 56  # same values, other band: no match
    assert corpus.duplicate_candidates("hash-new", shifted) == []
    assert corpus.duplicate_candidates("", []) == []


def test_duplicate_candidates_oldest_first_also_after_a_rewrite(store):
    """The first copy written is the original on every store, even once it is rewritten."""
    copies = [replace(BY_ID["en5"], id=f"c{i}", content_hash="hash-same", crawled_at=t("2024-06-10T00:00:00Z"))
              for i in range(3)]
    store.upsert([copies[2]])
    store.upsert([copies[0], copies[1]])  # same crawl second: write order decides
    expected = ["c2", "c0", "c1"]
    assert [a.id for a in store.duplicate_candidates("hash-same", [])] == expected
    # a re-crawl rewrites the original with a later crawled_at: it stays first
    store.upsert([replace(copies[2], crawled_at=t("2024-07-01T00:00:00Z"))])
    assert [a.id for a in store.duplicate_candidates("hash-same", [])] == expected


# --- the write-time sequence -------------------------------------------------------------------

def test_seq_grows_with_every_write_and_keeps_first_seen(store):
    assert store.last_seq() == 0 and store.written_after(0) == []
    a, b = BY_ID["en1"], BY_ID["tr1"]
    store.upsert([a, b])
    sa, sb = store.get(a.id).seq, store.get(b.id).seq
    assert 0 < sa < sb == store.last_seq()
    assert [x.id for x in store.written_after(0)] == [a.id, b.id]
    assert [x.id for x in store.written_after(sa)] == [b.id]
    # rewriting an article gives it a new, higher seq; its first-seen time stays
    later = replace(a, title="Erdoğan leaves Shusha", crawled_at=t("2024-09-01T00:00:00Z"))
    store.upsert([later])
    got = store.get(a.id)
    assert got.seq > sb and got.title == "Erdoğan leaves Shusha"
    assert got.first_seen_at == a.crawled_at and got.crawled_at == later.crawled_at
    assert [x.id for x in store.written_after(sb)] == [a.id]
    assert store.written_after(store.last_seq()) == []
    assert store.count() == 2


def test_an_id_twice_in_one_batch_is_stored_once_as_its_last_copy(store):
    """A batch may carry one id twice (a page and its edit): the later copy is the record, written
    after the rest of the batch, with the first copy's first-seen time."""
    a, b = BY_ID["en1"], BY_ID["tr1"]
    edited = replace(a, title="Erdoğan leaves Shusha", crawled_at=t("2024-09-01T00:00:00Z"))
    store.upsert([a, b, edited])
    got = store.get(a.id)
    assert store.count() == 2
    assert got.title == "Erdoğan leaves Shusha" and got.first_seen_at == a.crawled_at
    assert got.seq > store.get(b.id).seq and got.seq == store.last_seq()
    assert [x.id for x in store.written_after(0)] == [b.id, a.id]


def test_search_restricted_to_articles_written_after_a_seq(store):
    store.upsert(CORPUS[:10])
    mark = store.last_seq()
    store.upsert(CORPUS[10:])
    after = ids(store, "", Filters(after_seq=mark))
    assert after == {a.id for a in CORPUS[10:]}
    assert ids(store, "Shusha", Filters(after_seq=mark)) == {"az1", "ru1"}
    assert ids(store, "Shusha", Filters(after_seq=0)) == SHUSHA
    assert ids(store, "", Filters(after_seq=store.last_seq())) == set()


# --- backend specifics -------------------------------------------------------------------------

def test_sqlite_fts_splits_exactly_at_the_analysed_terms(tmp_path):
    from index.analysis import index_text
    from index.store import open_store

    texts = [a.title + " " + a.body for a in CORPUS] + ["snake_case x² 2024-06-01 Ильхам ǅemal ꙮ ß ﬁne"]
    with open_store(str(tmp_path / "tokens.db")) as store:
        store.upsert([art(f"t{i}", "tr", "x", None, "", text) for i, text in enumerate(texts)])
        con = store._con
        con.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, fts, 'instance')")
        for i, text in enumerate(texts):
            seq = con.execute("SELECT seq FROM articles WHERE id = ?", (f"t{i}",)).fetchone()[0]
            stored = [r[0] for r in con.execute(
                "SELECT term FROM temp.vocab WHERE doc = ? AND col = 'body' ORDER BY offset", (seq,))]
            assert stored == index_text(text, "tr").split()


def test_open_store_urls(tmp_path, monkeypatch):
    from index.sqlite import SqliteStore
    from index.store import open_store

    monkeypatch.chdir(tmp_path)
    for url, path in ((f"sqlite:///{tmp_path}/a/b.db", tmp_path / "a" / "b.db"), ("sqlite:///rel.db", tmp_path / "rel.db"),
                      (str(tmp_path / "plain.db"), tmp_path / "plain.db")):
        with open_store(url) as store:
            assert isinstance(store, SqliteStore) and store.count() == 0
        assert path.exists()
    with pytest.raises(ValueError, match="unknown store"):
        open_store("ftp://x")


@pytest.mark.parametrize("interval", ["day", "week", "month", "year"])
def test_search_and_histograms_survive_dates_at_the_ends_of_the_calendar(store, interval):
    """Nothing stored may break a search: dates of year 1, 1900, 2099 and 9999 included."""
    odd = [replace(BY_ID["en1"], id=f"odd{y}", content_hash=f"odd{y}",
                   published_at=datetime(y, 1, 2, 12, tzinfo=timezone.utc)) for y in (1, 1900, 2099, 9999)]
    store.upsert([BY_ID["tr1"], *odd])
    result = store.search("Shusha", interval=interval, size=10)
    assert result.total == 5 and {h.article.id for h in result.hits} == {"tr1", *(a.id for a in odd)}
    buckets = dict(result.facets["date"])
    assert sum(buckets.values()) == 5 and len(buckets) < 10_000  # the odd dates, not a 9,999-year axis


# --- crawl coordination ------------------------------------------------------------------------

def test_locks_are_exclusive_renewable_and_expire(store):
    assert store.acquire_lock("source:a", "one", ttl=30)
    assert not store.acquire_lock("source:a", "two", ttl=30)
    assert store.acquire_lock("source:a", "one", ttl=30)  # the holder renews
    assert store.acquire_lock("source:b", "two", ttl=30)  # locks are per name
    store.release_lock("source:a", "two")  # not its lock: nothing happens
    assert not store.acquire_lock("source:a", "two", ttl=30)
    store.release_lock("source:a", "one")
    assert store.acquire_lock("source:a", "two", ttl=0.5)
    import time
    time.sleep(0.8)  # a crashed holder: its lock expires
    assert store.acquire_lock("source:a", "three", ttl=30)


def test_a_lock_carries_a_fencing_token_that_grows_when_it_changes_hands(store):
    first = store.acquire_lock("crawl:a", "one", ttl=30)
    assert first >= 1 and store.acquire_lock("crawl:a", "one", ttl=30) == first  # a renewal keeps it
    assert store.holds_lock("crawl:a", "one", first)
    store.release_lock("crawl:a", "one")
    assert not store.holds_lock("crawl:a", "one", first)
    second = store.acquire_lock("crawl:a", "two", ttl=0.5)
    assert second == first + 1
    import time
    time.sleep(0.8)  # "two" stalls past its expiry; "three" takes over
    third = store.acquire_lock("crawl:a", "three", ttl=30)
    assert third == second + 1
    assert not store.holds_lock("crawl:a", "two", second)  # the stalled holder learns it lost the lock
    assert store.acquire_lock("crawl:a", "two", ttl=30) == 0
    assert store.lock_state("crawl:a").holder == "three" and store.lock_state("nosuch") is None
    store.acquire_lock("scheduler:x", "x", ttl=30)
    store.acquire_lock("scheduler:y", "y", ttl=0.01)
    time.sleep(0.05)
    assert store.live_locks("scheduler:") == ["scheduler:x"]  # y's expired


def test_a_claim_is_won_once_and_finished_work_is_never_claimed_again(store):
    assert store.claim("delivery:x", "one", ttl=30) == "ours"
    assert store.claim("delivery:x", "two", ttl=30) == "held"
    store.release_lock("delivery:x", "one")  # the send failed: free for whoever tries next
    assert store.claim("delivery:x", "two", ttl=30) == "ours"
    assert not store.finish_lock("delivery:x", "one")  # not its claim any more
    assert store.finish_lock("delivery:x", "two")
    assert store.claim("delivery:x", "one", ttl=30) == "done"
    assert store.claim("delivery:x", "two", ttl=30) == "done"
    store.release_lock("delivery:x", "two")  # finished stays finished
    assert store.claim("delivery:x", "three", ttl=30) == "done"


def test_runs_are_kept_newest_first_by_source_and_date(store):
    for i, (source, day) in enumerate([("a", "01"), ("b", "02"), ("a", "03"), ("a", "05")]):
        store.record_run({"source": source, "started_at": f"2025-06-{day}T10:00:00Z", "pages": i,
                          "outcomes": {"stored": i}})
    assert [r["pages"] for r in store.runs()] == [3, 2, 1, 0]
    assert [r["pages"] for r in store.runs(source="a")] == [3, 2, 0]
    assert [r["started_at"][:10] for r in store.runs(source="a", since="2025-06-03T00:00:00Z")] == \
        ["2025-06-05", "2025-06-03"]
    assert store.runs(source="a", limit=1)[0]["outcomes"] == {"stored": 3}
    assert store.runs(source="nobody") == []


# --- coverage and export scan ------------------------------------------------------------------

def test_coverage_counts_crawled_articles_per_source_per_day(store):
    from datetime import date

    def crawled(article, when):
        return replace(article, crawled_at=t(when))

    store.upsert([crawled(BY_ID["en1"], "2024-06-10T23:59:00Z"), crawled(BY_ID["en4"], "2024-06-10T08:00:00Z"),
                  crawled(BY_ID["en3"], "2024-06-11T00:01:00Z"), crawled(BY_ID["tr1"], "2024-06-11T12:00:00Z"),
                  crawled(BY_ID["en5"], "2024-06-12T09:00:00Z"), replace(BY_ID["az1"], crawled_at=None)])
    assert store.coverage() == [("2024-06-10", "dailysabah", 2), ("2024-06-11", "aa", 1),
                                ("2024-06-11", "hurriyet", 1), ("2024-06-12", "dailysabah", 1)]
    assert store.coverage(since=date(2024, 6, 11), until=date(2024, 6, 11)) == [
        ("2024-06-11", "aa", 1), ("2024-06-11", "hurriyet", 1)]
    assert store.coverage(sources=["dailysabah"]) == [("2024-06-10", "dailysabah", 2),
                                                      ("2024-06-12", "dailysabah", 1)]


def test_scan_returns_every_match_past_the_result_window(corpus):
    assert {a.id for a in corpus.scan("Shusha")} == SHUSHA
    assert {a.id for a in corpus.scan("", Filters(languages=["ru"], entities=["shusha"]))} == {"ru1"}
    everything = list(corpus.scan(""))
    assert len(everything) == 20 and {a.id for a in everything} == ALL
    got = next(a for a in everything if a.id == "en1")
    assert got == replace(BY_ID["en1"], seq=got.seq, first_seen_at=got.first_seen_at) and got.seq > 0
    with pytest.raises(QueryError):
        list(corpus.scan("(Shusha"))


def test_entity_filter_takes_ids_and_names(corpus):
    assert ids(corpus, "", Filters(entities=["erdogan"])) == ERDOGAN
    assert ids(corpus, "", Filters(entities=["Şuşa"])) == SHUSHA
    assert ids(corpus, "energy", Filters(entities=["erdogan", "ilham-aliyev"])) == {"en1", "en2"}


# --- stories: the story facet and hits grouped by story ------------------------------------------

STORY_OF = {"en1": "visit", "tr1": "visit", "en7": "fest", "az1": "fest", "ru1": "fest",
            "tr2": "talks", "az2": "talks", "ru2": "talks"}  # the other twelve have no story


@pytest.fixture(scope="module")
def storied(new_store):
    """CORPUS with three stories (STORY_OF)."""
    store = new_store()
    store.upsert([replace(a, story_id=STORY_OF.get(a.id)) for a in CORPUS])
    return store


def groups(result) -> dict[str, tuple[int, list[str]]]:
    """A grouped page as {story id, or a lone article's id: (more, more's languages)}."""
    keys = [h.article.story_id or h.article.id for h in result.hits]
    assert len(keys) == len(set(keys)), keys  # one hit per group
    return {key: (h.more, h.more_languages) for key, h in zip(keys, result.hits)}


def test_the_story_facet_counts_matching_articles_per_story(storied):
    assert storied.search("Shusha").facets["story"] == [("fest", 3), ("visit", 2)]
    assert storied.search("", Filters(languages=["az", "ru"])).facets["story"] == [("fest", 2), ("talks", 2)]
    assert storied.search("football").facets["story"] == []


def test_a_storys_headline_is_its_first_articles_title(storied):
    from index.stories import story_record

    records = {s: story_record(s, found) for s, found in storied.story_articles(["fest", "visit", "talks"]).items()}
    assert storied.story_headlines(["fest", "visit", "talks", "absent"]) == {s: r.headline for s, r in records.items()}
    assert storied.story_headlines(["visit"]) == {"visit": "Erdoğan arrives in Shusha"}


@pytest.mark.parametrize("sort", ["date", "relevance"])
def test_hits_grouped_by_story_are_one_per_story_with_the_rest_counted(storied, sort):
    result = storied.search("Shusha", group="story", sort=sort, size=10)
    plain = storied.search("Shusha", sort=sort, size=10)
    assert (result.total, result.groups, result.facets) == (plain.total, 2, plain.facets)  # total counts articles
    assert {k: m for k, (m, _) in groups(result).items()} == {"fest": 2, "visit": 1}
    for h in result.hits:  # the others' languages: the story's matching languages, less the hit's if it was alone
        others = [BY_ID[i].language for i in SHUSHA if STORY_OF.get(i) == h.article.story_id and i != h.article.id]
        assert h.more_languages == sorted(set(others))
    everything = storied.search("", group="story", sort=sort, size=100)
    assert everything.total == 20 and everything.groups == 15 == len(everything.hits)  # 3 stories, 12 alone
    assert groups(everything)["talks"][0] == 2 and groups(everything)["en3"] == (0, [])
    assert all(h.article.id in STORY_OF or h.more == 0 for h in everything.hits)


def test_grouped_by_date_the_newest_article_stands_for_its_story(storied):
    result = storied.search("Shusha", group="story", sort="date", size=10)
    assert [(h.article.id, h.more, h.more_languages) for h in result.hits] == \
        [("en7", 2, ["az", "ru"]), ("tr1", 1, ["en"])]
    assert [h.article.id for h in storied.search("", Filters(languages=["az"]), group="story", sort="date").hits] \
        == ["az3", "az2", "az1", "az4"]


@pytest.mark.parametrize("sort", ["date", "relevance"])
def test_grouped_pages_hold_every_group_once(storied, sort):
    whole = [h.article.story_id or h.article.id for h in storied.search("", group="story", sort=sort, size=100).hits]
    paged = []
    for page in range(1, 5):
        result = storied.search("", group="story", sort=sort, size=4, page=page)
        assert result.groups == 15 and result.total == 20
        paged += [h.article.story_id or h.article.id for h in result.hits]
    assert paged == whole and len(set(paged)) == 15
    assert storied.search("", group="story", size=0).hits == []


def test_an_unknown_grouping_is_refused(storied):
    with pytest.raises(ValueError, match="unknown group 'bogus'"):
        storied.search("", group="bogus")


def test_grouped_by_date_a_tie_goes_to_the_lower_id_on_every_store(new_store):
    """Articles published at one moment (a day with no time is midnight): the lower id stands for the
    story on either store, so the groups' other languages are the same too."""
    store = new_store()
    store.upsert([replace(art(i, lang, "x", "2024-01-15T00:00:00Z", f"Şuşa {i}", "Shusha festival opens in Shusha."), story_id="S")
                  for i, lang in (("c3", "ru"), ("a1", "en"), ("b2", "tr"))])
    (hit,) = store.search("Shusha", group="story", sort="date").hits
    assert (hit.article.id, hit.more, hit.more_languages) == ("a1", 2, ["ru", "tr"])
    assert [h.article.id for h in store.search("Shusha", sort="date").hits] == ["a1", "b2", "c3"]


RECONSTRUCTION = [
    art("k-en", "en", "azertac", "2024-05-01T10:00:00Z", "Karabakh reconstruction plan", "The reconstruction of Karabakh goes on."),
    art("k-az", "az", "apa", "2024-05-02T10:00:00Z", "Qarabağın bərpası", "Qarabağın bərpası üçün yeni layihələr."),
    art("k-ru", "ru", "trend", "2024-05-03T10:00:00Z", "Восстановление Карабаха", "Восстановление Карабаха продолжается."),
    art("k-tr", "tr", "aa", "2024-05-04T10:00:00Z", "Karabağ'da imar", "Karabağ'da imar çalışmaları sürüyor."),
    art("k-other", "az", "apa", "2024-05-05T10:00:00Z", "Qarabağda futbol", "Qarabağ komandası qalib gəldi."),
]


def test_concepts_widen_a_word_to_every_language_and_the_switch_turns_them_off(store):
    store.upsert(RECONSTRUCTION)
    everywhere = {"k-en", "k-az", "k-ru", "k-tr"}
    assert ids(store, "Karabakh reconstruction", concepts=True) == everywhere
    assert ids(store, "Qarabağın bərpası", concepts=True) == everywhere  # from any language
    assert ids(store, "восстановление", concepts=True) == everywhere
    assert ids(store, "Karabakh reconstruction") == {"k-en"}  # concepts off: the word's own forms
    assert ids(store, "Karabakh =reconstruction", concepts=True) == {"k-en"}  # one word kept exact
    assert ids(store, "Karabakh -reconstruction", concepts=True) == {"k-other"}
