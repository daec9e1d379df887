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


# Evidence across sentences (issue 26): both sides named, but not in one sentence.

def test_adjacent_sentences_naming_one_side_each_pair_in_an_article_about_both():
    """"Erdoğan attended the parade" next to "Aliyev thanked ... for the support", under a Baku headline."""
    body = ("Turkish President Recep Tayyip Erdoğan attended the parade on Freedom Square. "
            "The Azerbaijani leader thanked his guest for the support during the war. Tanks and jets followed.")
    result = score_relevance("Victory parade held in Baku", body, "en")
    assert result.relevant, result
    assert "the lead names both sides in two adjacent sentences (+2)" in result.reasons, result.reasons
    assert any("1 pair(s) of adjacent sentences name one side each" in r for r in result.reasons), result.reasons
    # without a relationship word in either sentence, two adjacent sentences do not pair
    plain = body.replace("for the support during the war", "on Monday")
    assert not score_relevance("Victory parade held in Baku", plain, "en").relevant


def test_a_quotation_names_what_its_attribution_names():
    body = ("“Bu gün əziz qardaşımın liderliyi sayəsində Türkiyə dünya miqyasında güc mərkəzinə çevrilib”.\n"
            "Bunu Azərbaycan Prezidenti İlham Əliyev söyləyib.\n")
    result = score_relevance("", body, "az")
    assert result.relevant, result
    assert any("by a quotation's attribution" in r for r in result.reasons), result.reasons
    # the attribution must be the quotation's: a quotation after the sentence naming Aliyev pairs nothing
    swapped = ("Azərbaycan Prezidenti İlham Əliyev çıxış edib.\n"
               "“Bu gün əziz qardaşımın liderliyi sayəsində Türkiyə dünya miqyasında güc mərkəzinə çevrilib”.\n")
    assert not score_relevance("", swapped, "az").relevant


@pytest.mark.parametrize("lang,title,body", [
    ("en", "Erdoğan lands at Fuzuli International Airport", "The plane landed shortly after noon."),
    ("tr", "", "Azerbaycan Cumhurbaşkanı İlham Aliyev, Kahramanmaraş'ta depremzedeler için yapılan konutların "
               "açılış törenine katıldı."),
    ("ru", "", "Президент Азербайджана Ильхам Алиев посетил Карс и встретился с губернатором провинции."),
    ("az", "Qarsda türk əsgərləri ilə birgə təlim", "Azərbaycan Ordusunun bölmələri Qarsda təlimə başlayıb."),
])
def test_a_place_of_one_side_names_that_side(lang, title, body):
    """Kars, Kahramanmaraş (Turkey) and the Fuzuli airport (Azerbaijan) stand for their side."""
    result = score_relevance(title, body, lang)
    assert result.relevant, result
    assert set(result.matched) & {"fuzuli-airport", "kahramanmaras", "kars"}, result.matched


@pytest.mark.parametrize("lang,phrase,body", [
    ("en", "The two presidents",
     "{} discussed energy projects. Recep Tayyip Erdoğan gave the dinner in Istanbul. Ilham Aliyev flew in from Baku."),
    ("tr", "İki lider",
     "{} enerji projelerini ele aldı. Recep Tayyip Erdoğan yemeği İstanbul'da verdi. İlham Aliyev Bakü'den geldi."),
    ("ru", "Два президента",
     "{} обсудили энергетические проекты. Реджеп Тайип Эрдоган дал ужин в Стамбуле. Ильхам Алиев прилетел из Баку."),
])
def test_the_two_presidents_name_both_sides(lang, phrase, body):
    result = score_relevance("", body.format(phrase), lang)
    assert result.relevant, result
    assert any('as "the two presidents"' in r for r in result.reasons), result.reasons
    assert not score_relevance("", body.format("They" if lang == "en" else "Они" if lang == "ru" else "Onlar"), lang).relevant


def test_an_article_about_azerbaijan_that_mentions_turkey_once_stays_off():
    """The other side named once in passing pairs with nothing: not the next sentence, not "the two countries"."""
    body = ("Azerbaijan's economy grew by 4 percent in the first half, the statistics committee in Baku said. "
            "Trade rose, with Turkey among the buyers of its gas. The two countries' shares were not given. "
            "Officials in Baku expect the growth to continue.")
    result = score_relevance("Azerbaijan's economy grows 4 percent", body, "en")
    assert not result.relevant and result.score == 0, result
    assert result.reasons == ["no sentence names both sides"]


def test_the_two_leaders_of_another_pair_do_not_name_ours():
    """A Russia–Turkey summit that names Karabakh: "лидеров двух стран" are Putin and Erdoğan."""
    body = ("Многие российские политологи сомневались, что встреча лидеров двух стран состоится. "
            "Но турецкий лидер прилетел в Сочи по приглашению главы Российской Федерации. "
            "Стороны обсудили Сирию, Ливию и Карабах. Путин назвал российско-турецкий центр на границе "
            "между Азербайджаном и Арменией гарантией стабильности.")
    result = score_relevance("Эрдоган и Путин встретились в Сочи", body, "ru")
    assert not result.relevant, result
    assert not any("two presidents" in r for r in result.reasons), result.reasons


def test_a_third_country_inside_the_pairs_own_names_is_not_counted():
    body = ("The Baku-Tbilisi-Kars railway carried a record volume of freight last year. "
            "Azerbaijan Railways expects more trains through the Baku-Tbilisi-Kars line.")
    result = score_relevance("Baku-Tbilisi-Kars railway sets a freight record", body, "en")
    assert result.relevant, result
    assert not any("georgia" in r for r in result.reasons), result.reasons
