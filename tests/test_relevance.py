"""Relevance: handwritten on- and off-topic snippets in English, Turkish, Azerbaijani and Russian."""
from __future__ import annotations

import pytest

from crawler.stages.relevance import THRESHOLD, Relevance, score_relevance

ON_TOPIC = {
    "en-summit": (
        "en", "Erdoğan and Aliyev sign defence pact in Shusha",
        "Turkish President Recep Tayyip Erdoğan and Azerbaijani President Ilham Aliyev signed a new "
        "defence cooperation agreement on Tuesday. The leaders said the pact builds on the Shusha "
        "Declaration of 2021 and on the principle of one nation, two states.",
        {"erdogan", "ilham-aliyev", "shusha", "turkey", "azerbaijan", "shusha-declaration",
         "one-nation-two-states"},
    ),
    "en-bilateral-entity-only": (
        "en", "TANAP gas flows reach a record",
        "The Trans-Anatolian Natural Gas Pipeline carried a record volume last year, its operator "
        "said. TANAP is now studying an expansion of its capacity.",
        {"tanap"},
    ),
    "tr-ministers": (
        "tr", "Dışişleri Bakanı Fidan, Azerbaycanlı mevkidaşı Bayramov ile görüştü",
        "Dışişleri Bakanı Hakan Fidan, Azerbaycan Dışişleri Bakanı Ceyhun Bayramov'u Ankara'da kabul "
        "etti. Görüşmede Türkiye ile Azerbaycan arasındaki enerji ve ulaştırma projeleri, özellikle "
        "Zengezur koridoru ele alındı.",
        {"hakan-fidan", "jeyhun-bayramov", "azerbaijan", "ankara", "turkey", "zangezur-corridor"},
    ),
    "tr-declension": (
        "tr", "Ankara ile Bakü arasında yeni ticaret anlaşması",
        "Türkiye'nin Bakü Büyükelçiliği'nde imzalanan anlaşmaya göre Azerbaycan'ın Türkiye'ye "
        "ihracatı gümrüksüz olacak.",
        {"ankara", "baku", "turkey", "azerbaijan"},
    ),
    "az-defence": (
        "az", "Prezident İlham Əliyev Türkiyənin müdafiə nazirini qəbul edib",
        "Azərbaycan Prezidenti İlham Əliyev Türkiyə Respublikasının milli müdafiə naziri Yaşar "
        "Güleri Bakıda qəbul edib. Görüşdə Azərbaycan ilə Türkiyə arasında hərbi əməkdaşlığın "
        "inkişafı müzakirə olunub.",
        {"ilham-aliyev", "turkey", "azerbaijan", "yasar-guler", "baku"},
    ),
    "az-declaration": (
        "az", "Şuşa Bəyannaməsinin imzalanmasından dörd il ötür",
        "Şuşa Bəyannaməsi iki ölkə arasında müttəfiqlik münasibətlərini hüquqi əsasa qoyub.",
        {"shusha-declaration"},
    ),
    "ru-call": (
        "ru", "Алиев и Эрдоган обсудили Зангезурский коридор",
        "Президент Азербайджана Ильхам Алиев провёл телефонный разговор с президентом Турции "
        "Реджепом Тайипом Эрдоганом. Стороны обсудили строительство железной дороги через "
        "Нахичевань и поставки газа по Трансанатолийскому газопроводу.",
        {"ilham-aliyev", "erdogan", "zangezur-corridor", "azerbaijan", "turkey", "nakhchivan", "tanap"},
    ),
    "ru-shusha": (
        "ru", "В Шуше прошла встреча министров обороны Азербайджана и Турции",
        "Министр обороны Азербайджана Закир Гасанов и его турецкий коллега Яшар Гюлер провели "
        "переговоры в Шуше.",
        {"shusha", "azerbaijan", "turkey", "zakir-hasanov", "yasar-guler"},
    ),
}

OFF_TOPIC = {
    # A Turkish outlet's domestic story: Türkiye and Ankara many times, Azerbaijan never.
    "tr-domestic-economy": (
        "tr", "Merkez Bankası politika faizini sabit tuttu",
        "Türkiye Cumhuriyet Merkez Bankası, Ankara'daki toplantısında politika faizini yüzde 45'te "
        "sabit tuttu. Bakan Şimşek, Türkiye ekonomisinin dengelendiğini ve Türk lirasının güç "
        "kazandığını söyledi. Cumhurbaşkanı Erdoğan da kararı Ankara'da değerlendirdi; bakanlar "
        "yeni bağlantı yollarına baktı.",
        {"turkey", "ankara", "erdogan"},
    ),
    "tr-domestic-politics": (
        "tr", "Erdoğan: Yeni anayasa için çalışmalar sürüyor",
        "Cumhurbaşkanı Recep Tayyip Erdoğan, Ankara'da partisinin grup toplantısında konuştu. "
        "Erdoğan, İstanbul seçimlerini ve Türkiye'nin yeni anayasasını değerlendirdi. Köyler susuz "
        "kaldı, muhalefet ise sustu.",
        {"erdogan", "ankara", "istanbul", "turkey"},
    ),
    "az-culture": (
        "az", "Bakıda muğam festivalı başlayıb",
        "Azərbaycan Mədəniyyət Nazirliyinin təşkilatçılığı ilə Bakıda və Şuşada muğam festivalı "
        "başlayıb. Festivalda türk dünyasının ifaçıları da çıxış edəcək. Müqavilə bağlanıb, "
        "bağlarda konsertlər olacaq.",
        {"baku", "shusha", "azerbaijan"},
    ),
    "az-reports-turkish-domestic": (
        "az", "Türkiyədə inflyasiya azalıb",
        "Türkiyə Statistika İnstitutunun məlumatına görə, ölkədə illik inflyasiya azalıb. Ankarada "
        "yeni müqavilə bağlanıb, bağlantı yolları tikilir.",
        {"turkey", "ankara"},
    ),
    # Azerbaijan–Armenia peace talks that never name Turkey.
    "ru-armenia-talks": (
        "ru", "Азербайджан и Армения продолжили переговоры о мирном договоре",
        "Министр иностранных дел Азербайджана Джейхун Байрамов и глава МИД Армении Арарат Мирзоян "
        "обсудили в Вашингтоне открытие Зангезурского коридора и делимитацию границы. Баку "
        "настаивает на изменении конституции Армении.",
        {"azerbaijan", "jeyhun-bayramov", "zangezur-corridor", "baku"},
    ),
    # The two national teams meeting is sports, not relations (see crawler/stages/relevance.py).
    "en-football": (
        "en", "Turkey beat Azerbaijan 2-1 in World Cup qualifier",
        "Turkey's national team came from behind to beat Azerbaijan in Baku. The Turkish striker "
        "scored twice after the break, and Azerbaijan's goalkeeper was sent off late in the match. "
        "The stadium was full.",
        {"turkey", "azerbaijan", "baku"},
    ),
    "tr-football": (
        "tr", "A Milli Takım, Azerbaycan'ı 2-1 yendi",
        "Dünya Kupası elemelerinde Türkiye, Bakü'de Azerbaycan ile karşılaştı. Maçın ikinci "
        "yarısında iki gol atan milli takım, grubunda liderliğe yükseldi.",
        {"turkey", "azerbaijan", "baku"},
    ),
    "en-weather": (
        "en", "Heatwave grips Baku",
        "Temperatures in Baku and across Azerbaijan are expected to reach 40C this week, "
        "forecasters said.",
        {"baku", "azerbaijan"},
    ),
    "ru-other-countries": (
        "ru", "Путин и Си Цзиньпин обсудили торговлю",
        "Президенты России и Китая встретились в Пекине и обсудили рост товарооборота.",
        set(),
    ),
    # One passing mention of the other side in a story about something else.
    "en-passing-mention": (
        "en", "Turkish inflation slows for a third month",
        "Annual inflation in Turkey slowed to 38 percent, the Turkish Statistical Institute said. "
        "Economists in Ankara expect the central bank to cut rates. Fuel prices, partly driven by "
        "imports from Azerbaijan, remained stable. Turkey's lira was little changed.",
        {"turkey", "ankara", "azerbaijan"},
    ),
}


@pytest.mark.parametrize("case", sorted(ON_TOPIC))
def test_on_topic(case):
    lang, title, body, entities = ON_TOPIC[case]
    result = score_relevance(title, body, lang)
    assert result.relevant, result
    assert result.score >= THRESHOLD
    assert set(result.matched) == entities


@pytest.mark.parametrize("case", sorted(OFF_TOPIC))
def test_off_topic(case):
    lang, title, body, entities = OFF_TOPIC[case]
    result = score_relevance(title, body, lang)
    assert not result.relevant, result
    assert set(result.matched) == entities


def test_single_country_stories_score_zero():
    for case in ("tr-domestic-economy", "az-culture", "ru-armenia-talks", "ru-other-countries"):
        lang, title, body, _ = OFF_TOPIC[case]
        assert score_relevance(title, body, lang).score == 0


def test_matched_is_sorted_by_mentions():
    result = score_relevance("", "Azerbaijan, Azerbaijan, Azerbaijan and Turkey, Turkey; Baku.", "en")
    assert result.matched == ["azerbaijan", "turkey", "baku"]


def test_headline_and_lead_weigh_more_than_a_passing_sentence():
    assert score_relevance("Turkey and Azerbaijan sign deal", "Officials met on Monday.", "en").relevant
    # the relationship in the lead passes; the same sentence after three others does not
    assert score_relevance("Officials sign deal", "Turkey and Azerbaijan signed a deal.", "en").relevant
    filler = "Officials met on Monday. The weather was fine. Markets were calm. "
    late = score_relevance("Officials sign deal", filler + "Turkey and Azerbaijan signed a deal.", "en")
    assert not late.relevant and late.score == 1.5, late


def test_bullet_lists_do_not_count():
    """Related-article lists under a Turkish domestic story (as on Azerbaijani portals)."""
    body = ("Türkiyənin İzmir və Manisa şəhərlərində meşə yanğınları davam edir.\n"
            "Hadisə nəticəsində 1 nəfər ölüb.\n"
            "- İlham Əliyev Ərdoğana başsağlığı verdi\n"
            "- Zakir Həsənov türkiyəli həmkarına başsağlığı verdi\n")
    result = score_relevance("", body, "az")
    assert result.score == 0 and not result.relevant, result
    # the same line as a sentence of the article counts
    assert score_relevance("", "İlham Əliyev Ərdoğana başsağlığı verdi.", "az").score > 0


def test_a_dominant_third_country_scales_the_score_down():
    """Turkey–Armenia normalisation that names Azerbaijan's peace talks on the way."""
    body = ("Turkey and Armenia held a new round of normalisation talks in Yerevan. "
            "Armenia hopes Turkey will open the border. Turkey ties the opening to a peace deal "
            "between Azerbaijan and Armenia. Armenian and Turkish envoys met. Armenia welcomed it.")
    result = score_relevance("Turkey, Armenia resume talks", body, "en")
    assert not result.relevant, result
    assert any("armenia is named more" in reason for reason in result.reasons), result.reasons


def test_reasons_explain_the_score():
    lang, title, body, _ = ON_TOPIC["en-summit"]
    result = score_relevance(title, body, lang)
    assert result.reasons[0].startswith("headline names both sides")
    assert any("relationship word" in reason for reason in result.reasons)
    assert score_relevance("Heatwave grips Baku", "Temperatures in Baku rose.", "en").reasons == [
        "the Turkish side is never named"]
    lang, title, body, _ = OFF_TOPIC["en-passing-mention"]
    assert score_relevance(title, body, lang).reasons == ["no sentence names both sides"]


def test_threshold_is_documented_and_used():
    from crawler.stages.relevance import RelevanceOptions

    lang, title, body, _ = ON_TOPIC["ru-call"]
    score = score_relevance(title, body, lang).score
    assert score_relevance(title, body, lang, options=RelevanceOptions(threshold=score + 0.1)).relevant is False
    assert score_relevance(title, body, lang, options=RelevanceOptions(threshold=score)).relevant is True


def test_empty_article():
    assert score_relevance("", "", "") == Relevance(score=0.0, matched=[], relevant=False)


def test_hard_wrapped_sentences_are_read_whole():
    """Agency copy wrapped at 65 columns: the sentence naming both sides spans three lines."""
    filler = "Officials met on Monday. The weather was fine. Markets were calm.\n"
    wrapped = filler + ("The President of Azerbaijan received the\nvisiting Turkish energy minister, who\n"
                        "signed a gas agreement.\n")
    result = score_relevance("Officials meet", wrapped, "en")
    assert "1 sentence(s) name both sides, 1 with a relationship word (+1.5)" in result.reasons, result.reasons
