"""The gazetteer: mentions in four languages, declined forms, look-alike words, alias expansion."""
from __future__ import annotations

import tomllib

import pytest

from index.gazetteer import DEFAULT_GAZETTEER, Entity, Gazetteer, load_gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


MENTIONS = [
    ("en", "Turkish President Erdoğan met Ilham Aliyev in Baku; Turkey's and Azerbaijan's ministers "
           "discussed the BTC pipeline and the Zangezur corridor.",
     {"turkey": 2, "erdogan": 1, "ilham-aliyev": 1, "baku": 1, "azerbaijan": 1, "btc-pipeline": 1,
      "zangezur-corridor": 1}),
    ("tr", "Cumhurbaşkanı Erdoğan, Türkiye'nin Azerbaycan'la ilişkilerini Şuşa Beyannamesi'nin "
           "yıl dönümünde Bakü'de değerlendirdi. Erdoğan'ın ziyareti Nahçıvan'ı da kapsıyor.",
     {"erdogan": 2, "turkey": 1, "azerbaijan": 1, "shusha-declaration": 1, "baku": 1, "nakhchivan": 1}),
    ("az", "Azərbaycanın Prezidenti İlham Əliyev Türkiyənin nümayəndə heyətini Bakıda qəbul edib. "
           "Qonaqlar Şuşada və Qarabağın digər bölgələrində olublar.",
     {"azerbaijan": 1, "ilham-aliyev": 1, "turkey": 1, "baku": 1, "shusha": 1, "karabakh": 1}),
    ("ru", "Президент Азербайджана Ильхам Алиев встретился в Шуше с Эрдоганом. Турция и "
           "Азербайджан подписали Шушинскую декларацию; Алиеву вручили орден.",
     {"azerbaijan": 2, "ilham-aliyev": 2, "shusha": 1, "erdogan": 1, "turkey": 1,
      "shusha-declaration": 1}),
]


@pytest.mark.parametrize("lang,text,expected", MENTIONS, ids=[m[0] for m in MENTIONS])
def test_mentions_in_each_language(gaz, lang, text, expected):
    assert gaz.find(text, lang) == expected


DECLINED = [
    ("ru", "Азербайджаном", "azerbaijan"), ("ru", "азербайджанского", "azerbaijan"),
    ("ru", "Эрдогана", "erdogan"), ("ru", "Алиевым", "ilham-aliyev"), ("ru", "в Шуше", "shusha"),
    ("ru", "Турции", "turkey"), ("ru", "турецкого", "turkey"), ("ru", "Нахичевани", "nakhchivan"),
    ("ru", "Карабахе", "karabakh"), ("ru", "Анкаре", "ankara"), ("ru", "Закира Гасанова", "zakir-hasanov"),
    ("ru", "Зангезурского коридора", "zangezur-corridor"),
    ("ru", "Трансанатолийскому газопроводу", "tanap"),
    ("ru", "Организации тюркских государств", "turkic-states"),
    ("tr", "Türkiye'nin", "turkey"), ("tr", "Türklerin", "turkey"), ("tr", "Azerbaycan'ın", "azerbaijan"),
    ("tr", "Azerbaycanlılar", "azerbaijan"), ("tr", "Bakü'de", "baku"), ("tr", "Şuşa'da", "shusha"),
    ("tr", "Karabağ'da", "karabakh"), ("tr", "Erdoğan'ın", "erdogan"), ("tr", "Aliyev'le", "ilham-aliyev"),
    ("tr", "Zengezur Koridoru'nun", "zangezur-corridor"),
    ("tr", "Türk Devletleri Teşkilatı'nın", "turkic-states"),
    ("az", "Azərbaycanın", "azerbaijan"), ("az", "Azərbaycandakı", "azerbaijan"), ("az", "Bakıda", "baku"), ("az", "Bakını", "baku"),
    ("az", "Bakının", "baku"), ("az", "Şuşada", "shusha"), ("az", "Şuşanın", "shusha"), ("az", "Şuşanı", "shusha"),
    ("az", "Türkiyəyə", "turkey"), ("az", "Ərdoğanla", "erdogan"), ("az", "Əliyevin", "ilham-aliyev"),
    ("az", "Qarabağda", "karabakh"), ("az", "Naxçıvana", "nakhchivan"), ("az", "Yaşar Güleri", "yasar-guler"),
    ("az", "Şuşa Bəyannaməsinin", "shusha-declaration"), ("az", "bir millət, iki dövlət", "one-nation-two-states"),
    ("en", "Azerbaijan's", "azerbaijan"), ("en", "Turks", "turkey"), ("en", "Nagorno-Karabakh", "karabakh"),
    ("en", "Baku-Tbilisi-Kars", "btk-railway"), ("en", "one nation, two states", "one-nation-two-states"),
    # places and projects where the two countries meet
    ("tr", "Kars'ta", "kars"), ("az", "Qarsda", "kars"), ("ru", "в Карсе", "kars"), ("tr", "Iğdır'da", "igdir"),
    ("ru", "Игдыре", "igdir"), ("tr", "Kahramanmaraş'ta", "kahramanmaras"), ("ru", "Кахраманмараше", "kahramanmaras"),
    ("az", "Qəhrəmanmaraşda", "kahramanmaras"), ("az", "Gəncədə", "ganja"), ("ru", "Гяндже", "ganja"),
    ("az", "Füzulidə", "fuzuli"), ("ru", "Лачине", "lachin"), ("az", "Laçının", "lachin"), ("tr", "Laçın'da", "lachin"),
    ("az", "Kəlbəcərdə", "kalbajar"), ("ru", "Агдаме", "aghdam"), ("az", "Zəngilana", "zangilan"),
    ("az", "Xocalıda", "khojaly"), ("ru", "Степанакерте", "khankendi"),
    ("tr", "Füzuli Havalimanı'nın", "fuzuli-airport"), ("ru", "аэропорту Физули", "fuzuli-airport"),
    ("az", "Zəngilan Beynəlxalq Hava Limanında", "zangilan-airport"),
    ("az", "Bakı-Tiflis-Qars dəmir yolu", "btk-railway"), ("tr", "Kars-Iğdır-Aralık-Dilucu Demiryolu", "kars-nakhchivan-railway"),
    ("ru", "в азербайджанском квартале", "azerbaijan-quarter"), ("tr", "Azerbaycan Mahallesi'nde", "azerbaijan-quarter"),
    ("en", "the Azerbaijani Quarter", "azerbaijan-quarter"), ("az", "TurAz Qartalı - 2022", "turaz"),
    ("ru", "учения «ТурАз Шахин»", "turaz"), ("az", "Texnofestdə", "teknofest"), ("tr", "TEKNOFEST'in", "teknofest"),
    ("ru", "на Технофесте", "teknofest"),
]


@pytest.mark.parametrize("lang,text,entity", DECLINED)
def test_declined_forms_match(gaz, lang, text, entity):
    assert entity in gaz.find(text, lang)


def test_longest_alias_wins(gaz):
    # Heydar Aliyev is not counted as Ilham Aliyev; the declaration is not counted as the city.
    assert gaz.find("Heydar Aliyev International Airport", "en") == {"heydar-aliyev": 1}
    assert gaz.find("Şuşa Beyannamesi", "tr") == {"shusha-declaration": 1}
    assert gaz.find("Türk Devletleri Teşkilatı", "tr") == {"turkic-states": 1}


# Common words whose stems equal an alias's stem once letters are folded or suffixes cut.
LOOKALIKES = [
    ("tr", "Bakan baktı; bakınca bakiye ve yeni bağlantı yollarını gördü."),  # bakınca ~ Bakı
    ("tr", "Köyler susuz kaldı, silahlar sustu."),  # susuz ~ Şuşa
    ("tr", "Roket saldırısı düzenlendi; fidan dikildi; Ayşe güler."),  # roket ~ Roketsan, fidan, güler
    ("az", "Müqavilə bağlanıb, bağlarda bağlantı yaradılıb, kənd susuz qalıb."),  # bağ- ~ Bakı
    ("az", "Azər müəllim türk dünyası və türk xalqları haqqında danışdı."),  # Azər, türk = Turkic
    ("en", "The tap water in the bitcoin (BTC) office was cold."),
    ("ru", "Курбан-байрам отметили 6 июня."),  # байрам ~ Байрамов
    ("tr", "Karşı karşıya geldiler; hocalık yaptı, hocalar ve gençler Laçin'e gitti."),  # Kars, Hocalı, Gence, Laçın
    ("tr", "Fuzûlî ve Füzuli, divan şiirinin ustalarıdır."),  # the poet, not the town (Turkish text)
    ("en", "Karst caves and karate clubs."),  # Kars
]


@pytest.mark.parametrize("lang,text", LOOKALIKES)
def test_lookalike_words_do_not_match(gaz, lang, text):
    assert gaz.find(text, lang) == {}


def test_expand_across_scripts(gaz):
    assert {"Şuşa", "Шуша"} <= set(gaz.expand("Shusha"))
    assert {"Əliyev", "Алиев"} <= set(gaz.expand("Aliyev"))
    assert "Эрдоган" in gaz.expand("Erdogan")
    assert {"Baku", "Баку"} <= set(gaz.expand("Bakı"))
    assert {"Bakı", "Bakü"} <= set(gaz.expand("Баку"))
    assert "Shusha" in gaz.expand("Шуше")  # a declined query names the entity too


def test_expand_leaves_lookalikes_alone(gaz):
    for word in ("Bakan", "bakınca", "sustu", "susuz", "roket", "pipeline"):
        assert gaz.expand(word) == [word]


def test_alias_languages_limit_matching():
    entity = Entity("x", "X", "city", "AZ", ["Bakı", "Baku"], {"Bakı": ["az"]})
    gaz = Gazetteer([entity])
    assert gaz.find("Bakıda", "az") == {"x": 1}
    assert gaz.find("Bakan", "tr") == {}
    assert gaz.find("Baku", "tr") == {"x": 1}


def test_data_is_well_formed(gaz):
    data = tomllib.loads(DEFAULT_GAZETTEER.read_text(encoding="utf-8"))
    ids = [e["id"] for e in data["entity"]]
    assert len(ids) == len(set(ids))
    for entity in gaz.entities:
        assert entity.side in ("TR", "AZ", "BOTH"), entity.id
        assert entity.aliases, entity.id
        assert set(entity.alias_languages) <= set(entity.aliases), entity.id
    bilateral = {e.id for e in gaz.entities if e.side == "BOTH"}
    assert {"shusha-declaration", "tanap", "btc-pipeline", "btk-railway", "one-nation-two-states",
            "kars-nakhchivan-railway", "azerbaijan-quarter", "turaz"} <= bilateral


@pytest.mark.parametrize("lang", ["en", "tr", "az", "ru"])
def test_no_alias_names_two_entities(gaz, lang):
    for seq, entries in gaz._table(lang).items():
        assert len({e.entity_id for e in entries}) == 1, seq
