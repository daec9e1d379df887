"""Language detection: real sentences per language, handwritten news, determinism, edge cases."""
from __future__ import annotations

from pathlib import Path

import pytest

from crawler.stages.language import detect_language

LANGID = Path(__file__).resolve().parents[2] / "shared" / "realdata" / "langid"


def sentences(lang: str) -> list[str]:
    """The 500 real sentences of a language; skips when ../shared/realdata is absent."""
    path = LANGID / "sentences" / f"{lang}.txt"
    if not path.is_file():
        pytest.skip("../shared/realdata not present")
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# Lines of langid/sentences/bg.txt that are Russian sentences, not Bulgarian (ы, ЖКХ, россиян).
NOT_BULGARIAN = {53, 388}


@pytest.mark.parametrize("lang", ["en", "tr", "az", "ru", "uk", "kk", "bg"])
def test_sentence_accuracy_per_language(lang):
    items = sentences(lang)
    if lang == "bg":
        assert all(detect_language(items[n - 1])[0] == "ru" for n in NOT_BULGARIAN)
        items = [text for n, text in enumerate(items, 1) if n not in NOT_BULGARIAN]
    wrong = [(text, detect_language(text)[0]) for text in items]
    wrong = [(text, got) for text, got in wrong if got != lang]
    accuracy = 1 - len(wrong) / len(items)
    assert accuracy >= 0.99, f"{lang}: {accuracy:.3f}, e.g. {wrong[:5]}"


@pytest.mark.parametrize("lang", ["en", "tr", "az", "ru"])
def test_six_word_inputs_per_language(lang):
    """Headline length: the real sentences cut to their first six words."""
    items = [" ".join(text.split()[:6]) for text in sentences(lang)]
    wrong = [(text, got) for text in items if (got := detect_language(text)[0]) != lang]
    accuracy = 1 - len(wrong) / len(items)
    assert accuracy >= 0.97, f"{lang}: {accuracy:.3f}, e.g. {wrong[:5]}"


def test_real_feed_headlines():
    from benchmarks.language_accuracy import feed_headlines

    if not (LANGID.parent / "feeds").is_dir():
        pytest.skip("../shared/realdata not present")
    headlines = feed_headlines()
    assert len(headlines) == 120
    wrong = [(lang, title) for _, lang, title in headlines if detect_language(title)[0] != lang]
    assert len(wrong) <= 1, wrong


def test_bulgarian_is_answered_when_it_is_bulgarian():
    assert detect_language("Министърът на външните работи пристигна в София")[0] == "bg"
    assert detect_language("Българските власти обявиха нови мерки за икономиката.")[0] == "bg"
    # Russian with the same Cyrillic look stays Russian
    assert detect_language("Министр иностранных дел прибыл в Софию")[0] == "ru"


NEWS = {
    "en": "Turkish President Recep Tayyip Erdoğan arrived in Baku on Tuesday for talks with "
          "Azerbaijani President Ilham Aliyev on energy, trade and regional security. The two "
          "leaders were expected to sign agreements on transport links and on new gas supplies "
          "through the TANAP pipeline.",
    "tr": "Cumhurbaşkanı Recep Tayyip Erdoğan, Azerbaycan Cumhurbaşkanı İlham Aliyev ile Bakü'de "
          "bir araya geldi. İki lider enerji, ticaret ve bölgesel güvenlik konularında yeni "
          "anlaşmalar imzaladı; görüşmenin ardından ortak bir basın toplantısı düzenlendi.",
    "az": "Prezident İlham Əliyev Türkiyə Prezidenti Rəcəb Tayyib Ərdoğanı Bakıda qarşılayıb. "
          "Görüşdə iki ölkə arasında enerji, nəqliyyat və müdafiə sahələrində əməkdaşlığın "
          "genişləndirilməsi məsələləri müzakirə olunub, sonra dövlət başçıları mətbuata "
          "bəyanatlarla çıxış ediblər.",
    "ru": "Президент Турции Реджеп Тайип Эрдоган прибыл в Баку, где провёл переговоры с "
          "президентом Азербайджана Ильхамом Алиевым. Стороны обсудили сотрудничество в области "
          "энергетики, транспорта и обороны и подписали ряд межправительственных соглашений.",
}

HEADLINES = [
    ("en", "Aliyev and Erdogan open new gas pipeline section"),
    ("tr", "Dışişleri Bakanı Fidan, Azerbaycanlı mevkidaşıyla görüştü"),
    ("tr", "Merkez Bankası faiz kararını açıkladı"),
    ("az", "Bakıda yeni park istifadəyə verilib"),
    ("az", "Prezident Türkiyəyə səfər edib"),
    ("ru", "Эрдоган прибыл в Баку с официальным визитом"),
    ("ru", "В Шуше прошёл музыкальный фестиваль"),
]


@pytest.mark.parametrize("lang", sorted(NEWS))
def test_handwritten_news_paragraphs(lang):
    got, confidence = detect_language(NEWS[lang])
    assert got == lang
    assert 0.5 < confidence <= 1.0


@pytest.mark.parametrize("lang,headline", HEADLINES)
def test_headlines(lang, headline):
    assert detect_language(headline)[0] == lang


def test_turkish_text_quoting_an_azerbaijani_name_stays_turkish():
    text = ("Azerbaycan Cumhurbaşkanı İlham Əliyev, Ankara'da düzenlenen törende yaptığı "
            "konuşmada iki ülke arasındaki ticaretin bu yıl rekor kıracağını söyledi.")
    assert detect_language(text)[0] == "tr"


def test_azerbaijani_without_schwa_goes_to_lingua():
    # No ə: only the model can tell it from Turkish (Azerbaijani q, x and -ıb endings).
    assert detect_language("Qarabağda yeni yaşayış binası tikilib")[0] == "az"
    assert detect_language("Bakıda güclü yağış yağıb, yollarda tıxac yaranıb")[0] == "az"


def test_long_bulgarian_text_is_not_called_russian():
    text = ("Президентът на Турция Реджеп Тайип Ердоган пристигна в Баку, където проведе "
            "разговори с президента на Азербайджан Илхам Алиев. Двамата лидери обсъдиха "
            "енергийното сътрудничество, търговията и регионалната сигурност, както и "
            "изграждането на нови газопроводи към Европа. България следи отблизо проекта, "
            "тъй като част от доставките ще минават през нейна територия.")
    assert detect_language(text)[0] == "bg"


def test_armenian_and_georgian_by_script():
    assert detect_language("Հայաստանի կառավարությունը հայտարարեց")[0] == "hy"
    assert detect_language("საქართველოს მთავრობამ განაცხადა")[0] == "ka"


def test_deterministic():
    texts = [*NEWS.values(), "На грани истерики.", "Amerika buna ağlamalı idi.", "Вир смотрит на меня."]
    first = [detect_language(t) for t in texts]
    assert [detect_language(t) for t in texts] == first


@pytest.mark.parametrize("text", ["", "   \n\t", "12345 67 — !!!", None])
def test_empty_or_undecidable(text):
    assert detect_language(text) == ("", 0.0)


def test_only_the_opening_is_read():
    # A long article is judged by its opening (crawler.stages.language.SAMPLE_CHARS).
    text = NEWS["az"] * 3 + NEWS["en"] * 50
    assert detect_language(text)[0] == "az"
