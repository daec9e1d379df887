"""The shared batched writer: copies linked within a batch, state settled only after writing."""
from crawler import dedup
from crawler import writer as writers
from index.article import Article

BODY = " ".join(f"Line {i}: Azerbaijan and Türkiye agreed on new gas deliveries through TANAP." for i in range(30))


def article(url: str, body: str = BODY) -> Article:
    return Article(url=url, canonical_url=url, source="s", title="TANAP deal", body=body, language="en",
                   content_hash=dedup.content_hash(body), signature=dedup.signature(body))


def test_copy_waiting_in_the_batch_is_linked_and_settled_after_the_write(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    writer = writers.acquire(url)
    settled = []
    original, copy = article("https://a.az/1"), article("https://b.tr/2", "(Reported by A.) " + BODY)
    writer.link_duplicate(original)
    writer.add(original, lambda: settled.append("original"))
    writer.link_duplicate(copy)
    writer.add(copy, lambda: settled.append("copy"))
    assert copy.duplicate_of == original.id
    assert settled == [] and writer.store.count() == 0  # still waiting in the batch
    writers.release(url)
    assert settled == ["original", "copy"]
    assert url not in writers._writers


def test_batch_is_written_when_full(tmp_path):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    writer = writers.acquire(url)
    for i in range(writers.BATCH_SIZE):
        writer.add(article(f"https://a.az/{i}", f"{BODY} {i}"), lambda: None)
    assert writer.store.count() == writers.BATCH_SIZE and not writer.pending
    writers.release(url)
