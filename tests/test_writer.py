"""The shared batched writer: what a fetched article is to the store, decided the same on both stores."""
from dataclasses import replace
from datetime import datetime, timezone

from crawler.stages import dedup
from crawler import writer as writers
from index.article import Article
from index.store import Filters

BODY = " ".join(f"Line {i}: Azerbaijan and Türkiye agreed on new gas deliveries through TANAP." for i in range(30))
FIRST = datetime(2025, 5, 1, 8, 0, tzinfo=timezone.utc)


def article(url: str, body: str = BODY, crawled_at: datetime = FIRST) -> Article:
    return Article(url=url, canonical_url=url, source="s", title="TANAP deal", body=body, language="en",
                   content_hash=dedup.content_hash(body), signature=dedup.signature(body), crawled_at=crawled_at)


def write(writer: writers.ArticleWriter, *articles: Article) -> list[str]:
    """Add and flush; the outcomes in order."""
    outcomes: list[str] = []
    for a in articles:
        writer.add(a, outcomes.append)
    writer.flush()
    return outcomes


def test_copy_waiting_in_the_batch_is_linked_and_settled_after_the_write(new_store):
    writer = writers.ArticleWriter(new_store())
    settled = []
    original, copy = article("https://a.az/1"), article("https://b.tr/2", "(Reported by A.) " + BODY)
    writer.add(original, lambda outcome: settled.append(("original", outcome)))
    writer.add(copy, lambda outcome: settled.append(("copy", outcome)))
    assert settled == [] and writer.store.count() == 0  # still waiting in the batch
    writer.flush()
    assert copy.duplicate_of == original.id  # decided when the batch is written, against the batch too
    assert settled == [("original", "stored"), ("copy", "duplicate")]
    assert writer.store.get(copy.id).duplicate_of == original.id


def test_batch_is_written_when_full(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    pool = writers.WriterPool()  # a crawl process's writers (monitor/crawl.py owns one)
    writer = pool.acquire(url)
    for i in range(writers.BATCH_SIZE):
        writer.add(article(f"https://a.az/{i}", f"{BODY} {i}"), lambda outcome: None)
    assert writer.store.count() == writers.BATCH_SIZE and not writer.pending
    pool.release(url)
    assert url not in pool.writers


def test_refetched_original_is_never_its_own_duplicate(new_store):
    """Re-crawling the original of a syndicated pair must not hide it from search."""
    store = new_store()
    writer = writers.ArticleWriter(store)
    original, copy = article("https://a.az/1"), article("https://b.tr/2", "(Reported by A.) " + BODY)
    assert write(writer, original) == ["stored"]
    assert write(writer, copy) == ["duplicate"]
    edited = article("https://a.az/1", BODY + " Update: the first gas arrived.", datetime(2025, 5, 2, tzinfo=timezone.utc))
    assert write(writer, edited) == ["updated"]
    assert store.get(original.id).duplicate_of is None
    assert store.get(copy.id).duplicate_of == original.id
    originals = store.search("TANAP", Filters(include_duplicates=False), facets=()).hits
    assert [h.article.id for h in originals] == [original.id]


def test_recrawl_updated_unchanged_and_linked_as_before(new_store):
    store = new_store()
    writer = writers.ArticleWriter(store)
    original, copy = article("https://a.az/1"), article("https://b.tr/2", "(Reported by A.) " + BODY)
    write(writer, original, copy)
    before = {a.id: store.get(a.id) for a in (original, copy)}
    # the same pages fetched again: nothing is written, so no new seq
    assert write(writer, replace(original, duplicate_of=None), replace(copy, duplicate_of=None)) == ["unchanged"] * 2
    assert store.get(copy.id).seq == before[copy.id].seq
    # the copy's text changes: same id, new seq, first-seen time kept, still linked
    later = datetime(2025, 6, 1, tzinfo=timezone.utc)
    edited = article("https://b.tr/2", "(Reported by A.) " + BODY + " Officials confirmed it.", later)
    assert write(writer, edited) == ["updated"]
    got = store.get(copy.id)
    assert got.id == before[copy.id].id and got.seq > store.get(original.id).seq
    assert got.first_seen_at == FIRST and got.crawled_at == later
    assert got.duplicate_of == original.id
    assert [a.id for a in store.written_after(before[copy.id].seq)] == [copy.id]


def test_a_failed_write_is_an_error_outcome_not_a_silent_loss(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    writer = writers.ArticleWriter(writers.open_store(url))
    outcomes: list[str] = []
    writer.add(article("https://a.az/1"), outcomes.append)
    writer.store.close()  # the store goes away between queueing and writing
    writer.flush()
    assert outcomes == ["error:store"]


class CountingStore:
    """A real store, with its reads by id counted."""

    def __init__(self, store):
        self.store, self.single, self.batches = store, 0, 0
        self.lookups: list[int] = []  # duplicate lookups: how many articles each call asked about

    def duplicate_candidates(self, content_hash, signature):
        self.lookups.append(1)
        return self.store.duplicate_candidates(content_hash, signature)

    def duplicate_candidates_many(self, fingerprints):
        self.lookups.append(len(fingerprints))
        return self.store.duplicate_candidates_many(fingerprints)

    def get(self, article_id):
        self.single += 1
        return self.store.get(article_id)

    def get_many(self, ids):
        self.batches += 1
        return self.store.get_many(ids)

    def __getattr__(self, name):
        return getattr(self.store, name)


def test_a_batch_reads_the_store_once(new_store):
    store = CountingStore(new_store())
    writer = writers.ArticleWriter(store)
    words = "gas oil rail road port trade talks visit deal plan grid loan bank fund army".split()
    bodies = [" ".join(words[(i * 7 + k * k) % len(words)] + str(k % (i + 3)) for k in range(120)) for i in range(20)]
    first = [article(f"https://a.az/{i}", bodies[i]) for i in range(20)]
    assert write(writer, *first) == ["stored"] * 20
    again = [article(f"https://a.az/{i}", bodies[i]) for i in range(20)]
    again[3] = article("https://a.az/3", bodies[3] + " Corrected.")
    assert write(writer, *again) == ["unchanged"] * 3 + ["updated"] + ["unchanged"] * 16
    assert store.batches == 2 and store.single == 0
    assert store.lookups == [20]  # the new ones, in one call; none for articles already stored


def test_one_article_twice_in_a_batch_settles_both_and_keeps_the_last(new_store):
    store = new_store()
    writer = writers.ArticleWriter(store)
    first = article("https://a.az/1")
    same = article("https://a.az/1")
    edited = article("https://a.az/1", BODY + " Update: the first gas arrived.")
    assert write(writer, first, same, edited) == ["stored", "unchanged", "updated"]
    assert store.count() == 1 and "first gas arrived" in store.get(first.id).body


def test_a_crawls_sqlite_connections_keep_a_small_page_cache_and_searches_a_large_one(tmp_path):
    """SQLite fills each connection's page cache as the file grows: a crawl's process, which writes
    and looks up, holds WRITE_CACHE_MIB per connection, not the 64 MiB a server facets with."""
    from index.store import open_store

    url = f"sqlite:///{tmp_path / 'store.db'}"
    pool = writers.WriterPool()
    writer = pool.acquire(url)
    try:
        write(writer, article("https://a.az/1"))
        with writer.store._reading() as con:
            assert con.execute("PRAGMA cache_size").fetchone()[0] == -1024 * writers.WRITE_CACHE_MIB
        assert writer.store._con.execute("PRAGMA cache_size").fetchone()[0] == -1024 * writers.WRITE_CACHE_MIB
    finally:
        pool.release(url)
    with open_store(url) as store, store._reading() as con:
        assert con.execute("PRAGMA cache_size").fetchone()[0] == -64 * 1024
