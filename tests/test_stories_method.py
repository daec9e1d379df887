"""The story-assignment method (crawler/stages/stories.py): its decisions, and its figures on real data."""
from __future__ import annotations

import pickle
from datetime import date

import pytest

from crawler.stages.stories import (StoryCandidate, Vocabulary, choose_story, should_merge, similarity, story_features,
                                    text_dates, vector)
from crawler.stages.story_keys import count_keys
from tests.realdata import realdata

# Texts written for these tests: one event (a pipeline opened on 12 March) in three languages,
# and the same leaders at another event (a parade on 8 November).
PIPELINE_EN = ("Erdoğan and Aliyev open Iğdır–Nakhchivan gas pipeline",
               "Presidents Recep Tayyip Erdoğan and Ilham Aliyev on 12 March opened the Iğdır–Nakhchivan "
               "gas pipeline, which will carry 500 million cubic metres of gas a year to Nakhchivan. "
               "The 85-kilometre pipeline was built by BOTAŞ and SOCAR.", "en")
PIPELINE_RU = ("Эрдоган и Алиев открыли газопровод Игдыр — Нахчыван",
               "Президенты Реджеп Тайип Эрдоган и Ильхам Алиев 12 марта открыли газопровод Игдыр — "
               "Нахчыван, по которому в Нахчыван будут поставлять 500 миллионов кубометров газа в год. "
               "Газопровод длиной 85 километров построили BOTAŞ и SOCAR.", "ru")
PIPELINE_TR = ("Erdoğan ve Aliyev Iğdır-Nahçıvan doğal gaz boru hattını açtı",
               "Cumhurbaşkanı Recep Tayyip Erdoğan ve İlham Aliyev 12 Mart'ta Iğdır-Nahçıvan doğal gaz boru "
               "hattını açtı. Hat yılda 500 milyon metreküp gazı Nahçıvan'a taşıyacak. 85 kilometrelik "
               "hattı BOTAŞ ve SOCAR inşa etti.", "tr")
PARADE_EN = ("Erdoğan attends Victory Day parade in Baku",
             "President Recep Tayyip Erdoğan joined Ilham Aliyev on 8 November at the Victory Day parade "
             "on Azadliq Square in Baku, where 3,000 troops marched and Turkish drones flew past.", "en")
PARADE_RU = ("Эрдоган на параде Победы в Баку",
             "Реджеп Тайип Эрдоган вместе с Ильхамом Алиевым 8 ноября принял участие в параде Победы на "
             "площади Азадлыг в Баку: прошли 3000 военнослужащих, пролетели турецкие беспилотники.", "ru")

OPENED, PARADE_DAY = date(2025, 3, 12), date(2025, 11, 8)


def features(article, day=None):
    title, body, lang = article
    return story_features(title, body, lang, day)


@pytest.fixture(scope="module")
def vocab():
    vocabulary = Vocabulary()
    for article in (PIPELINE_EN, PIPELINE_RU, PIPELINE_TR, PARADE_EN, PARADE_RU):
        vocabulary.add(features(article))
    return vocabulary


def story(story_id, vocabulary, *dated_articles):
    out = StoryCandidate(story_id)
    for article, day in dated_articles:
        feats = features(article, day)
        out.absorb(feats, vocabulary)
    return out


def test_dates_named_in_every_language_become_one_key():
    assert text_dates("Baku , December 10".split()) == ["d:12-10"]
    assert text_dates("В четверг , 10 декабря".split()) == ["d:12-10"]
    assert text_dates("Dekabrın 10 -da".split()) == ["d:12-10"]
    assert text_dates("the market 12 , decided 10 , mayor 5".split()) == []  # words that begin like months
    # capital İ lowers to i and a combining dot; Azerbaijani May takes a genitive
    assert text_dates("İyunun 19 -da , Mayın 28 -də , 5 EKİM".split()) == ["d:06-19", "d:05-28", "d:10-05"]


def test_a_kind_of_happening_is_one_key_in_every_language():
    said = {lang: count_keys(text, lang) for lang, text in (
        ("en", "Joint military drills began"), ("tr", "Ortak askeri tatbikat başladı"),
        ("az", "Birgə hərbi təlimlər başlayıb"), ("ru", "Начались совместные военные учения"))}
    for keys in said.values():
        assert keys.get("c:exercise") == 1 and keys.get("c:military") == 1
    # a word that only begins like a stem of three letters names nothing (газета is no газ)
    assert "c:gas" in count_keys("поставки газа", "ru") and "c:gas" not in count_keys("газета пишет", "ru")
    # a name is not a happening: the foreign minister Bayramov is no holiday
    assert "c:holiday" not in count_keys("Ceyhun Bayramov", "az")


def test_a_number_is_one_key_whatever_its_thousands_separator():
    keys = [count_keys(text, lang) for text, lang in (("3,000 troops", "en"), ("3 000 военных", "ru"),
                                                     ("3.000 asker", "tr"), ("3000 hərbçi", "az"))]
    assert all(k.get("n:3000") == 1 and "n:0" not in k for k in keys)
    assert "n:3000" not in count_keys("1,5 млрд, 10.12.2020", "ru")  # decimals and dates are not thousands


def test_a_syndicated_copy_joins_its_originals_story(vocab):
    pipeline = story("s1", vocab, (PIPELINE_EN, OPENED))
    parade = story("s2", vocab, (PARADE_EN, PARADE_DAY))
    title, body, lang = PIPELINE_EN
    copy = story_features(title, "(Reuters) " + body + " Photo: AA.", lang, OPENED)
    assert choose_story(copy, [parade, pipeline], vocab) == "s1"
    # and whatever the scores, when the dedup stage has found the original
    assert choose_story(copy, [parade, pipeline], vocab, original_story="s1") == "s1"


def test_the_same_event_in_another_script_joins(vocab):
    pipeline = story("s1", vocab, (PIPELINE_EN, OPENED), (PIPELINE_TR, OPENED))
    parade = story("s2", vocab, (PARADE_EN, PARADE_DAY))
    assert choose_story(features(PIPELINE_RU, OPENED), [pipeline, parade], vocab) == "s1"
    assert choose_story(features(PIPELINE_RU), [pipeline, parade], vocab) == "s1"  # undated: content alone


def test_the_same_leaders_at_another_event_start_a_new_story(vocab):
    pipeline = story("s1", vocab, (PIPELINE_EN, OPENED), (PIPELINE_RU, OPENED), (PIPELINE_TR, OPENED))
    assert choose_story(features(PARADE_RU, PARADE_DAY), [pipeline], vocab) is None
    assert choose_story(features(PARADE_RU), [pipeline], vocab) is None  # no dates: the text differs
    parade = story("s2", vocab, (PARADE_EN, PARADE_DAY))
    assert not should_merge(pipeline, parade, vocab) and not should_merge(parade, pipeline, vocab)


def test_the_decision_is_deterministic(vocab):
    candidates = [story("s2", vocab, (PARADE_EN, PARADE_DAY)), story("s1", vocab, (PIPELINE_EN, OPENED))]
    feats = features(PIPELINE_TR, OPENED)
    assert feats == features(PIPELINE_TR, OPENED)
    assert pickle.loads(pickle.dumps(feats)) == feats  # made in the stage worker, sent to the writer
    first = choose_story(feats, candidates, vocab)
    assert first == "s1"
    assert choose_story(feats, candidates[::-1], vocab) == first
    # two equal stories: the lower id wins, whatever the order they come in
    twins = [story(i, vocab, (PIPELINE_EN, OPENED)) for i in ("s9", "s3")]
    assert choose_story(feats, twins, vocab) == choose_story(feats, twins[::-1], vocab) == "s3"


def test_figures_on_the_real_dev_set():
    """benchmarks/stories.py's measure on ../shared/realdata/stories/dev.jsonl: what the method reaches.

    The issue's targets (F1 0.90, cross-language 0.85, near misses 0.95) are not all met yet: these
    floors are today's figures, so that a change that loses ground fails.
    """
    from benchmarks import stories as bench

    rows = bench.load(realdata("stories", "dev.jsonl"))
    dated, undated = bench.measure(rows, True), bench.measure(rows, False)
    assert dated["f1"] >= 0.89 and dated["cross_language_grouped"] >= 0.84 and dated["near_misses_apart"] >= 0.94
    assert undated["f1"] >= 0.72 and undated["cross_language_grouped"] >= 0.56 and undated["near_misses_apart"] >= 0.74


def test_figures_on_the_product_path_from_an_empty_store():
    """The dev file imported with --all (every article through the stages and the crawl's writer,
    in publication order, into an empty store whose vocabulary grows as it is written): a story
    begun before the vocabulary knew its words is weighed with today's (0.867 / 0.817 / 0.913
    when its summary kept the IDF of the day it was written)."""
    from benchmarks import stories as bench

    rows = bench.load(realdata("stories", "dev.jsonl"))
    figures = bench.measure_store(rows, True, keep_off_topic=True)
    assert figures["off_topic"] == 0
    assert figures["f1"] >= 0.89 and figures["cross_language_grouped"] >= 0.86 and figures["near_misses_apart"] >= 0.93


def test_a_summary_saved_weighted_is_unweighed_once_not_weighed_twice(vocab):
    """A story record saved before summaries were kept before IDF holds its members' IDF-weighted
    vectors: read as it is, it would be weighed again (IDF squared)."""
    feats = features(PIPELINE_EN, OPENED)
    old = StoryCandidate("s1")
    old.absorb(feats, vocab)
    record = {**old.to_record(), "centroids": {"en": vector(feats, vocab)}}
    del record["form"]
    twice = StoryCandidate.from_record(record)
    article = vector(feats, vocab)

    def off(story):  # how far the story's weighted summary is from its one member's vector
        weighted = story.weighted(vocab)["en"]
        return max(abs(weighted.get(k, 0.0) - article.get(k, 0.0)) for k in set(weighted) | set(article))
    assert twice.legacy and off(twice) > 0.02  # weighed twice (a five-article vocabulary: IDFs close together)
    twice.unweigh(vocab)
    assert not twice.legacy and off(twice) < 1e-9 and similarity(article, twice, vocab) == pytest.approx(1.0)
    assert StoryCandidate.from_record(old.to_record()).legacy is False
