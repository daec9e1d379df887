"""Azerbaijani (Latin script) texts for the sample outlets (see text_en for the structure).

Ordinal suffixes after numbers follow the last spoken word of the number
(2024-cü, 2025-ci, 2026-cı), so years and minutes are rendered by ordinal().
"""
from __future__ import annotations

import random

LANG = "az"
DECIMAL = ","
THOUSANDS = " "
WEEKDAYS = ("bazar ertəsi", "çərşənbə axşamı", "çərşənbə günü", "cümə axşamı", "cümə günü", "şənbə günü",
            "bazar günü")
MONTHS = ("yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avqust", "sentyabr", "oktyabr", "noyabr",
          "dekabr")
IN_TR_CITY = ("Ankarada", "İstanbulda", "İzmirdə", "Antalyada", "Qarsda")
IN_AZ_CITY = ("Bakıda", "Şuşada", "Gəncədə", "Naxçıvanda", "Füzulidə")
KB = ("Ağdam", "Füzuli", "Laçın", "Kəlbəcər", "Zəngilan", "Cəbrayıl")
IN_KB = ("Ağdamda", "Füzulidə", "Laçında", "Kəlbəcərdə", "Zəngilanda", "Cəbrayılda")
TEAMS_TR = ("Qalatasaray", "Fənərbağça", "Beşiktaş", "Trabzonspor")
TEAMS_AZ = ("Neftçi", "Sabah", "Zirə", "Turan Tovuz", "Sumqayıt", "Kəpəz", "Səbail", "Şamaxı")

_UNIT = {1: "ci", 2: "ci", 3: "cü", 4: "cü", 5: "ci", 6: "cı", 7: "ci", 8: "ci", 9: "cu"}
_TENS = {1: "cu", 2: "ci", 3: "cu", 4: "cı", 5: "ci", 6: "cı", 7: "ci", 8: "ci", 9: "cı"}


def ordinal(n: int) -> str:
    """2025 -> '2025-ci', 78 -> '78-ci', 2026 -> '2026-cı'."""
    if n % 10:
        suffix = _UNIT[n % 10]
    elif n % 100:
        suffix = _TENS[(n // 10) % 10]
    elif n % 1000:
        suffix = "cü"  # yüz
    else:
        suffix = "ci"  # min
    return f"{n}-{suffix}"


def extra_slots(slots: dict, raw: dict, rng: random.Random) -> None:
    slots["year_ord"] = ordinal(raw["year"])
    slots["next_year_ord"] = ordinal(raw["year"] + 1)
    slots["minute"] = ordinal(raw["minute"])


def format_date(dt) -> str:
    return f"{dt.day} {MONTHS[dt.month - 1]} {dt.year}, {dt:%H:%M}"


ON_TOPIC = {
    "summit": {
        "category": "politics",
        "angles": [
            {"titles": ["İlham Əliyev və Rəcəb Tayyib Ərdoğan {in_az_city} görüşüb, {num} sənəd imzalanıb",
                        "Əliyev və Ərdoğan {in_az_city} strateji müttəfiqliyi müzakirə ediblər"],
             "leads": ["Azərbaycan Prezidenti İlham Əliyev və Türkiyə Prezidenti Rəcəb Tayyib Ərdoğan {day} {in_az_city} görüşərək iki ölkə arasında müttəfiqlik münasibətlərinin inkişafını müzakirə ediblər."]},
            {"titles": ["Prezident İlham Əliyev {in_tr_city} Türkiyə Prezidenti ilə görüşüb",
                        "Ərdoğan Əliyevi {in_tr_city} rəsmi mərasimlə qarşılayıb, {num} sənəd imzalanıb"],
             "leads": ["Prezident İlham Əliyev {day} {in_tr_city} Türkiyə Prezidenti Rəcəb Tayyib Ərdoğan ilə görüşüb, görüşdən sonra Azərbaycan ilə Türkiyə arasında {num} sənəd imzalanıb."]},
            {"titles": ["Əliyev və Ərdoğan {in_az_city} Şuşa Bəyannaməsinə sadiqliyi təsdiqləyiblər",
                        "“Bir millət, iki dövlət”: Azərbaycan və Türkiyə liderləri {in_az_city} görüşüb"],
             "leads": ["Azərbaycan və Türkiyə liderləri İlham Əliyev və Rəcəb Tayyib Ərdoğan {day} {in_az_city} keçirilən görüşdə Şuşa Bəyannaməsinə sadiq olduqlarını bir daha təsdiqləyiblər."]},
        ],
        "body": [
            "Görüş əvvəlcə təkbətək formatda keçib, sonra nümayəndə heyətlərinin iştirakı ilə davam edib.",
            "Prezidentin mətbuat xidmətinin məlumatına görə, imzalanan sənədlər enerji, nəqliyyat, təhsil və müdafiə sənayesi sahələrini əhatə edir.",
            "Ərdoğan birgə mətbuat konfransında Türkiyənin hər zaman Azərbaycanın yanında olacağını bildirib.",
            "İlham Əliyev 2020-ci ildəki müharibə zamanı göstərilən dəstəyə görə türk xalqına təşəkkür edib və iki ölkənin birliyinin Cənubi Qafqazda güc balansını dəyişdiyini vurğulayıb.",
            "Liderlər Azərbaycan ilə Ermənistan arasında sülh prosesini və onilliklər boyu bağlı qalan regional nəqliyyat yollarının açılmasını da müzakirə ediblər.",
            "Görüşdən sonra yayılan birgə bəyanatda Yüksək Səviyyəli Strateji Əməkdaşlıq Şurasının növbəti iclasının {next_year_ord} ildə keçiriləcəyi bildirilib.",
            "Qonaq rəsmi mərasimlə qarşılanıb, daha sonra iki prezident şəhidlərin xatirəsini ehtiramla yad edib.",
            "İki prezident {year_ord} ilin əvvəlindən bəri {num} dəfə görüşüb.",
            "Hər iki tərəfin rəsmiləri görüşün ənənəvi olaraq səmimi şəraitdə keçdiyini bildiriblər.",
        ],
    },
    "diplomacy": {
        "category": "politics",
        "angles": [
            {"titles": ["Ceyhun Bayramov {in_tr_city} Hakan Fidan ilə görüşüb",
                        "Bayramov və Fidan {in_tr_city} Cənubi Qafqazda sülh prosesini müzakirə ediblər"],
             "leads": ["Azərbaycanın xarici işlər naziri Ceyhun Bayramov {day} {in_tr_city} türkiyəli həmkarı Hakan Fidan ilə görüşərək ikitərəfli münasibətləri və Cənubi Qafqazdakı vəziyyəti müzakirə edib."]},
            {"titles": ["Azərbaycan, Türkiyə və Gürcüstan xarici işlər nazirləri {in_az_city} toplaşıb",
                        "Bakı və Ankara Türk Dövlətləri Təşkilatının zirvəsi öncəsi məsləhətləşmə aparıb"],
             "leads": ["Azərbaycan və Türkiyənin xarici işlər nazirləri {day} {in_az_city} keçirilən görüşdə beynəlxalq təşkilatlarda mövqelərini əlaqələndirmək barədə razılığa gəliblər."]},
            {"titles": ["Fidan: Azərbaycanın ərazi bütövlüyü bizim üçün qırmızı xətdir",
                        "Bayramov: Türkiyə ilə xarici siyasətdə tam həmrəyik"],
             "leads": ["Türkiyənin xarici işlər naziri Hakan Fidan və azərbaycanlı həmkarı Ceyhun Bayramov {day} {in_az_city} keçirilən görüşdən sonra Azərbaycan ilə Türkiyə arasında diplomatik koordinasiyanın gücləndiriləcəyini açıqlayıblar."]},
        ],
        "body": [
            "Bayramov Ermənistanla aparılan sülh danışıqlarının son mərhələsi və sərhədin delimitasiyası üzrə iş barədə məlumat verib.",
            "Fidan Ankaranın Azərbaycanın ərazi bütövlüyünə hörmətə əsaslanan davamlı sülh sazişini dəstəklədiyini vurğulayıb.",
            "Nazirlər enerji və nəqliyyat sahəsində əməkdaşlığa istiqamət verən Gürcüstanla üçtərəfli formatın növbəti görüşünə hazırlığı da nəzərdən keçiriblər.",
            "Tərəflər Türk Dövlətləri Təşkilatının artan rolunu alqışlayıb və növbəti zirvədə birgə təşəbbüslər irəli sürmək qərarına gəliblər.",
            "Xarici İşlər Nazirliyinin məlumatına görə, görüş iki saatdan çox davam edib və işgüzar şam yeməyi ilə başa çatıb.",
            "Görüşdə Yaxın Şərqdəki vəziyyət və Ukraynadakı müharibə də müzakirə olunub.",
            "Diplomatik mənbələr {next_year_ord} ilədək qüvvədə olacaq yeni siyasi məsləhətləşmələr planının imzalanacağını bildirib.",
            "Bayramov Fidanı Bakı Qlobal Forumuna dəvət edib və türkiyəli nazir dəvəti qəbul edib.",
            "Rəsmilərin sözlərinə görə, iki nazir demək olar ki, hər həftə telefonla danışır.",
        ],
    },
    "defence": {
        "category": "politics",
        "angles": [
            {"titles": ["Azərbaycan və Türkiyə {k} hərbçinin iştirakı ilə birgə təlimlərə başlayıb",
                        "Azərbaycan və Türkiyə ordularının birgə təlimləri {num} gün davam edəcək"],
             "leads": ["Azərbaycan və Türkiyə silahlı qüvvələri {day} {in_az_city} təxminən {k} hərbçinin, zirehli texnikanın, artilleriyanın və pilotsuz uçuş aparatlarının cəlb olunduğu birgə təlimlərə başlayıb."]},
            {"titles": ["Azərbaycan və Türkiyə arasında {bn} milyard dollarlıq müdafiə sənayesi sazişi imzalanıb",
                        "Baykar Azərbaycana yeni Bayraktar TB2 təslim edəcək"],
             "leads": ["Azərbaycan və Türkiyə türk şirkətlərinin Azərbaycan ordusunun modernləşdirilməsinə töhfə verəcəyi yeni müdafiə sənayesi sazişi imzalayıb."]},
            {"titles": ["Azərbaycan hərbi nümayəndə heyəti {in_tr_city} ASELSAN və TUSAŞ müəssisələrində olub",
                        "Azərbaycan generalları {in_tr_city} Baykar şirkətini ziyarət ediblər"],
             "leads": ["Azərbaycanın hərbi nümayəndə heyəti {day} {in_tr_city} Baykar, ASELSAN və TUSAŞ daxil olmaqla Türkiyənin aparıcı müdafiə sənayesi şirkətlərini ziyarət edib."]},
        ],
        "body": [
            "Baykar şirkətinin istehsal etdiyi Bayraktar TB2 pilotsuz uçuş aparatları 2020-ci ildə Qarabağ müharibəsində mühüm rol oynayıb və iki ölkə arasında hərbi əməkdaşlığın simvoluna çevrilib.",
            "Rəsmilərin sözlərinə görə, təlimlərin məqsədi iki ordu arasında qarşılıqlı fəaliyyəti artırmaq və dağlıq ərazidə idarəetməni sınaqdan keçirməkdir.",
            "ASELSAN Azərbaycan ordusunu rabitə və elektro-optik sistemlərlə təchiz edir, TUSAŞ ilə isə təyyarə hissələrinin birgə istehsalı müzakirə olunur.",
            "Azərbaycan Silahlı Qüvvələri tədricən türk ordusu modelinə keçir və yüzlərlə azərbaycanlı zabit Türkiyənin hərbi akademiyalarında təhsil alıb.",
            "Təlimlərin {num} gün davam etməsi və hər iki ordunun yüksək rütbəli komandirlərinin izləyəcəyi nümayişlə başa çatması planlaşdırılır.",
            "Şuşa Bəyannaməsində iki ölkə tərəflərdən biri üçüncü dövlətin təhdidi və ya hücumu ilə üzləşəcəyi təqdirdə bir-birinə yardım göstərməyi öhdəsinə götürüb.",
            "Türkiyənin milli müdafiə naziri Yaşar Gülər Azərbaycanla əməkdaşlığın heç bir üçüncü ölkəyə qarşı yönəlmədiyini və regional sabitliyə xidmət etdiyini bildirib.",
            "Ekspertlər Azərbaycanın Türkiyə müdafiə sənayesinin ən mühüm müştərilərindən birinə çevrildiyini qeyd edirlər.",
            "Türkiyəli təlimatçılar Azərbaycanda pilotsuz uçuş aparatı operatorları və xüsusi təyinatlılar üçün təlim mərkəzlərinin yaradılmasına da kömək ediblər.",
        ],
    },
    "karabakh": {
        "category": "politics",
        "angles": [
            {"titles": ["Türkiyə şirkəti {in_kb} {num} yaşayış binasını təhvil verib",
                        "{kb} şəhərinin mərkəzini türk şirkəti yenidən quracaq"],
             "leads": ["Türkiyənin tikinti şirkətlərindən biri Azərbaycanın Türkiyənin dəstəyi ilə həyata keçirdiyi Qarabağın bərpası proqramı çərçivəsində {in_kb} {num} yaşayış binasının tikintisini başa çatdırıb."]},
            {"titles": ["Şuşada Azərbaycan-Türkiyə bərpa forumu keçirilib",
                        "Qarabağın bərpasında türk şirkətlərinin payı artır"],
             "leads": ["Azərbaycan və Türkiyə rəsmiləri {day} Şuşada toplaşaraq türk şirkətlərinin mühüm yer tutduğu Qarabağdakı bərpa layihələrinin gedişatını müzakirə ediblər."]},
            {"titles": ["{kb} üçün Türkiyə konsorsiumu ilə yeni müqavilə imzalanıb",
                        "Türkiyənin dəstəyi ilə {in_kb} yeni məktəb açılıb"],
             "leads": ["Azərbaycan {in_kb} yol, su və enerji şəbəkələrinin bərpası üçün Türkiyə konsorsiumu ilə yeni müqavilə imzalayıb, bu barədə {day} Bakıda məlumat verilib."]},
        ],
        "body": [
            "Bölgə otuz ilə yaxın davam edən erməni işğalı dövründə demək olar ki, tamamilə dağıdılıb və 2020-ci ildən bəri onun bərpası milli prioritet elan olunub.",
            "Türk şirkətləri bölgədə yollar, tunellər, elektrik xətləri və 2021-ci ildə Əliyev və Ərdoğanın iştirakı ilə açılan Füzuli Beynəlxalq Hava Limanını inşa ediblər.",
            "Bərpa olunan kəndlərə ilk ailələr artıq qayıdıb, rəsmilər {year_ord} ilin sonunadək təxminən {k} nəfərin köçəcəyini gözləyirlər.",
            "Yeni binalar arasında Türkiyə hökumətinin Azərbaycana hədiyyə olaraq maliyyələşdirdiyi {mn} şagird yerlik məktəb də var.",
            "Hər iki ölkənin mühəndisləri kənd təsərrüfatı torpaqlarının minalardan təmizlənməsinin hələ də əsas maneə olduğunu deyirlər.",
            "Türk mütəxəssislər Şuşadakı məscidlər və köhnə tacir malikanələri də daxil olmaqla tarixi abidələrin bərpasına da kömək edirlər.",
            "Azərbaycan hökuməti bu il bərpa layihələrinə təxminən {bn} milyard manat ayırıb.",
            "Yerli rəsmilərin sözlərinə görə, layihələr bölgəyə qayıdan sakinlər üçün təxminən {mn} iş yeri yaradıb.",
            "Memarlar yeni məhəllələrdə ənənəvi daş fasadların müasir istilik və su sistemləri ilə birləşdirildiyini deyirlər.",
        ],
    },
    "energy": {
        "category": "economy",
        "angles": [
            {"titles": ["TANAP vasitəsilə Türkiyəyə qaz ixracı {pct} faiz artıb",
                        "Azərbaycandan Türkiyəyə nəql olunan qazın həcmi {year_ord} ildə {pct} faiz artıb"],
             "leads": ["Trans-Anadolu Təbii Qaz Boru Kəməri (TANAP) vasitəsilə Azərbaycandan Türkiyəyə qaz ixracı {year_ord} ilin ilk aylarında {pct} faiz artıb."]},
            {"titles": ["Pərviz Şahbazov və Alparslan Bayraktar {in_az_city} enerji əməkdaşlığını müzakirə ediblər",
                        "SOCAR Türkiyəyə {bn} milyard dollar əlavə sərmayə yatıracaq"],
             "leads": ["Azərbaycanın energetika naziri Pərviz Şahbazov və Türkiyənin energetika və təbii sərvətlər naziri Alparslan Bayraktar {day} {in_az_city} qaz təchizatı, neft tranziti və bərpa olunan enerji məsələlərini müzakirə ediblər."]},
            {"titles": ["İğdır-Naxçıvan qaz kəmərinə ilk qaz {next_year_ord} ildə veriləcək",
                        "Azərbaycan və Türkiyə qaz sazişini {num} il uzadıb"],
             "leads": ["Azərbaycan və Türkiyə {day} imzalanan sazişlə yeni qaz həcmləri və İğdır-Naxçıvan qaz kəmərinin tikintisi də daxil olmaqla enerji əməkdaşlığını genişləndirmək qərarına gəliblər."]},
        ],
        "body": [
            "Gürcüstan sərhədindən Yunanıstana qədər Türkiyə ərazisindən keçən TANAP Azərbaycanın Şahdəniz yatağından Avropaya qaz nəql edən Cənub Qaz Dəhlizinin əsas hissəsidir.",
            "2006-cı ildən fəaliyyət göstərən Bakı-Tbilisi-Ceyhan neft kəməri Azərbaycan neftini Türkiyənin Aralıq dənizi sahilindəki Ceyhan limanına çatdırır.",
            "Azərbaycanın dövlət neft şirkəti SOCAR İzmir yaxınlığındakı STAR neft emalı zavodu və Petkim kompleksi ilə Türkiyədə ən böyük xarici investorlardan biridir.",
            "Naxçıvana çəkilən kəmər muxtar respublikanı Türkiyənin qaz şəbəkəsinə birləşdirəcək və ildə təxminən {mn} milyon kubmetr qaz nəql edəcək.",
            "Görüşdə Azərbaycanda yeni külək və günəş elektrik stansiyalarında istehsal olunan elektrik enerjisinin Türkiyə vasitəsilə Avropaya ixracı da müzakirə olunub.",
            "Ankara Azərbaycan qazını təchizat mənbələrini şaxələndirmək vasitəsi kimi görür, Bakı isə Avropa bazarına çıxış üçün Türkiyə ərazisinə güvənir.",
            "Nazirliyin məlumatına görə, ötən il Türkiyə Azərbaycandan təxminən {bn} milyard kubmetr qaz idxal edib.",
            "Tərəflər {num} ay ərzində hər iki nazirə hesabat təqdim edəcək işçi qrupu yaratmağa razılaşıblar.",
            "Bazar ekspertləri yeni həcmlərin tələbatın ən yüksək olduğu qış aylarında türk sənayesinə dəstək olacağını bildiriblər.",
            "TANAP Yunanıstan sərhədində Azərbaycan qazını Albaniya vasitəsilə İtaliyanın cənubuna çatdıran Trans-Adriatik Boru Kəmərinə (TAP) birləşir.",
        ],
    },
    "transport": {
        "category": "economy",
        "angles": [
            {"titles": ["Bakı-Tbilisi-Qars dəmir yolu ilə yükdaşıma {pct} faiz artıb",
                        "Bakı-Tbilisi-Qars xəttində Azərbaycan ilə Türkiyə arasında rekord yük həcmi"],
             "leads": ["Azərbaycanı Gürcüstan vasitəsilə Türkiyə ilə birləşdirən Bakı-Tbilisi-Qars dəmir yolu ilə daşınan yüklərin həcmi {year_ord} ilin birinci yarısında {pct} faiz artıb."]},
            {"titles": ["Zəngəzur dəhlizi Türkiyəni Azərbaycan vasitəsilə Orta Asiya ilə birləşdirəcək",
                        "Qars-İğdır-Naxçıvan dəmir yolu üzrə Azərbaycan və Türkiyə protokol imzalayıb"],
             "leads": ["Azərbaycan və Türkiyə {day} ölkənin əsas ərazisini Naxçıvanla və Türkiyə sərhədi ilə birləşdirəcək Zəngəzur dəhlizi üzrə işləri sürətləndirmək qərarına gəlib."]},
            {"titles": ["Rəşad Nəbiyev və Abdulkadir Uraloğlu {in_az_city} görüşüb",
                        "Bakı-İstanbul marşrutunda həftədə {num} əlavə reys planlaşdırılır"],
             "leads": ["Azərbaycanın rəqəmsal inkişaf və nəqliyyat naziri Rəşad Nəbiyev {day} {in_az_city} Türkiyənin nəqliyyat və infrastruktur naziri Abdulkadir Uraloğlu ilə iki ölkə arasında dəmir yolu, avtomobil və hava əlaqələrini müzakirə edib."]},
        ],
        "body": [
            "2017-ci ildə istifadəyə verilən Bakı-Tbilisi-Qars xətti Çin ilə Avropa arasında Rusiyadan yan keçən Orta Dəhlizin əsas hissələrindən biridir.",
            "Uzunluğu təxminən 224 kilometr olan Qars-İğdır-Naxçıvan dəmir yolu Türkiyənin dəmir yolu şəbəkəsini Naxçıvanla birləşdirəcək.",
            "Rəsmilərin sözlərinə görə, Gürcüstan hissəsinin modernləşdirilməsi başa çatdıqdan sonra xətt ildə {num} milyon tona qədər yük daşıya biləcək.",
            "Bakı və Ankara hesab edir ki, Zəngəzur dəhlizi uzun müddətdir bağlı olan sərhədləri açaraq Ermənistan da daxil olmaqla bütün regiona fayda verəcək.",
            "Bakı ilə İstanbul arasında birbaşa uçuşlar həm AZAL, həm də Türk Hava Yolları üçün ən sıx beynəlxalq marşrutlar sırasındadır.",
            "Logistika şirkətləri sərhəd prosedurlarının hələ də daşımaları ləngitdiyini bildirir, nazirlər isə elektron gömrük bəyannaməsinə keçid vəd ediblər.",
            "İki ölkənin yaratdığı birgə logistika şirkətinin {next_year_ord} ildə fəaliyyətə başlaması gözlənilir.",
            "Yeni xətlər tamamlandıqdan sonra Bakı ilə Türkiyə sərhədi arasında yol {num} saatdan az vaxt aparacaq.",
            "Ekspeditorlar ənənəvi şimal marşrutları bahalaşandan sonra Orta Asiya ixracatçılarının tələbatının kəskin artdığını deyirlər.",
        ],
    },
    "trade": {
        "category": "economy",
        "angles": [
            {"titles": ["Azərbaycan-Türkiyə ticarət dövriyyəsi {bn} milyard dollara çatıb",
                        "Türkiyə ilə ticarət dövriyyəsi {year_ord} ildə {bn} milyard dolları ötüb"],
             "leads": ["Azərbaycan ilə Türkiyə arasında ticarət dövriyyəsi {year_ord} ilin ilk {num} ayında {bn} milyard dollara çatıb."]},
            {"titles": ["Azərbaycan-Türkiyə biznes forumunda {mn} şirkət iştirak edib",
                        "Biznes forumunda Azərbaycan və Türkiyə şirkətləri {num} saziş imzalayıb"],
             "leads": ["{in_tr_city} {day} keçirilən və Azərbaycan ilə Türkiyə arasında ticarəti illik 15 milyard dollara çatdırmağı hədəfləyən biznes forumunda {mn} şirkət iştirak edib."]},
            {"titles": ["Azərbaycan və Türkiyə güzəştli ticarət sazişini {num2} yeni məhsulla genişləndirir",
                        "Mikayıl Cabbarov: Türkiyə ilə 15 milyard dollarlıq hədəfə yaxınlaşırıq"],
             "leads": ["İqtisadiyyat naziri Mikayıl Cabbarov {day} Türkiyənin ticarət naziri Ömər Bolat ilə görüşdən sonra Azərbaycan ilə Türkiyə arasında güzəştli ticarət sazişinin genişləndiriləcəyini açıqlayıb."]},
        ],
        "body": [
            "Türkiyənin Azərbaycana ixracında maşın və avadanlıq, tekstil, mebel və ərzaq məhsulları üstünlük təşkil edir, Azərbaycan isə Türkiyəyə əsasən neft, qaz və kimya məhsulları satır.",
            "2021-ci ildən qüvvədə olan güzəştli ticarət sazişi yüzlərlə məhsul üzrə gömrük rüsumlarını azaldıb.",
            "Türk şirkətlərinin Azərbaycana sərmayələri 15 milyard dolları ötüb, Azərbaycanın Türkiyədəki investisiyaları isə 20 milyard dollardan çoxdur.",
            "Forumda kənd təsərrüfatı, tekstil və turizm sahələrində {num} əməkdaşlıq sazişi imzalanıb.",
            "İş adamları daha çox birbaşa uçuş və tır sürücüləri üçün sadələşdirilmiş viza prosedurları tələb ediblər.",
            "Azərbaycan tərəfi işğaldan azad edilmiş ərazilərdəki layihələrin maliyyələşdirilməsi üçün birgə investisiya fondunun yaradılmasını təklif edib.",
            "İqtisadçıların fikrincə, iki iqtisadiyyat bir-birini tamamlayır: Türkiyə sənaye potensialı, Azərbaycan isə enerji və Orta Asiya bazarlarına çıxış təklif edir.",
            "Nazirlər nəticələri müzakirə etmək üçün {next_year_ord} ildə yenidən görüşmək qərarına gəliblər.",
            "İxracatçılar planlaşdırılan birgə gömrük məlumat bazasının yük maşınlarının sərhəddə gözləmə vaxtını bir neçə saat azaldacağını bildiriblər.",
        ],
    },
}

RELATION = [
    "Azərbaycan ilə Türkiyə arasındakı münasibətlər ümummilli lider Heydər Əliyevin sözləri ilə “bir millət, iki dövlət” kimi xarakterizə olunur.",
    "İki prezidentin 2021-ci ilin iyununda imzaladığı Şuşa Bəyannaməsi Bakı ilə Ankara arasındakı münasibətləri rəsmi olaraq müttəfiqlik səviyyəsinə qaldırıb.",
    "Türkiyə 1991-ci ildə Azərbaycanın müstəqilliyini ilk tanıyan ölkə olub və o vaxtdan bəri iki dövlət xarici siyasətdə sıx əməkdaşlıq edir.",
    "Azərbaycan ilə Türkiyə arasında ticarət sabit şəkildə artır və iki hökumət illik 15 milyard dollarlıq hədəf müəyyənləşdirib.",
    "Ekspertlərin fikrincə, Türkiyə ilə tərəfdaşlıq Azərbaycana həm enerji resursları üçün bazar, həm də etibarlı təhlükəsizlik müttəfiqi verir.",
    "Türkiyə rəsmiləri Azərbaycanı ölkələrinin Asiya ilə Avropa arasında enerji və nəqliyyat mərkəzinə çevrilmək hədəfində əsas tərəfdaş hesab edirlər.",
    "İki ölkə türkdilli dövlətləri birləşdirən Türk Dövlətləri Təşkilatı çərçivəsində də sıx əməkdaşlıq edir.",
    "Xarici işlər nazirləri Ceyhun Bayramov və Hakan Fidan arasında müntəzəm təmaslar zirvə görüşləri arasında da ikitərəfli gündəliyin canlı qalmasını təmin edir.",
    "Diplomatların sözlərinə görə, demək olar ki, hər ay Bakıdan Türkiyəyə və ya Ankaradan Azərbaycana hansısa nümayəndə heyəti səfər edir.",
    "Vizasız səfər rejimi və Bakı ilə İstanbul arasında tez-tez yerinə yetirilən uçuşlar turizmi də münasibətlərin mühüm sütunlarından birinə çevirib.",
    "Minlərlə azərbaycanlı tələbə Türkiyə universitetlərində təhsil alır və iki hökumət bu sayı daha da artırmağı planlaşdırır.",
    "İki prezidentin sədrlik etdiyi Yüksək Səviyyəli Strateji Əməkdaşlıq Şurası enerji, müdafiə, nəqliyyat və ticarət sahələrində birgə layihələri istiqamətləndirir.",
]

QUOTES = [
    "Türkiyəli diplomat “Azərbaycanın sevinci bizim sevincimiz, kədəri bizim kədərimizdir” deyib.",
    "Prezident İlham Əliyevin köməkçisi “Türkiyə ilə müttəfiqliyimiz Azərbaycanın xarici siyasətinin təməl daşıdır” deyə bildirib.",
    "Bakıdakı analitik mərkəzlərdən birinin əməkdaşı “Regionda bu qədər yaxın münasibətləri olan ikinci cüt ölkə yoxdur” deyə qeyd edib.",
    "Tədbirə qatılan türk iş adamı “Demək olar ki, eyni dildə danışırıq, indi isə eyni gələcəyi qururuq” deyib.",
    "Azərbaycanlı rəsmi “Türkiyə ilə başa çatdırdığımız hər layihə Azərbaycanı daha da gücləndirir” deyə vurğulayıb.",
    "Siyasi analitik “Bakı ilə Ankara arasında əməkdaşlıq bütün Cənubi Qafqaz üçün sabitlik amilinə çevrilib” fikrini bildirib.",
]

CLOSINGS = [
    "Rəsmilər {year_ord} ilin sonunadək yeni görüşlərin keçirilməsinin planlaşdırıldığını bildiriblər.",
    "Tərəflər sazişlərin maliyyə təfərrüatlarını açıqlamayıblar.",
    "Hökumətlərarası birgə komissiyanın növbəti iclasının {next_year_ord} ildə keçirilməsi gözlənilir.",
    "Hər iki hökumət yeni layihələrin təfərrüatlarını yaxın həftələrdə ictimaiyyətə açıqlayacağını bildirib.",
    "Nümayəndə heyətlərinin yaxın aylarda yenidən görüşməsi nəzərdə tutulur.",
]

OFF_TOPIC = {
    "az_culture": {
        "home": "AZ", "category": "society",
        "angles": [
            {"titles": ["Bakıda beynəlxalq muğam festivalı başlayıb: {num} ölkədən ifaçılar iştirak edir",
                        "Muğam festivalının açılış konserti anşlaqla keçib"],
             "leads": ["Bakıda {day} beynəlxalq muğam festivalı açılıb, festivala Azərbaycanın ənənəvi musiqi sənətini qeyd etmək üçün {num} ölkədən müğənni və musiqiçilər qatılıb."]},
            {"titles": ["Xalça Muzeyində {mn} nadir xalçadan ibarət sərgi açılıb",
                        "Dörd əsrin xalçaları Bakıda yeni sərgidə nümayiş olunur"],
             "leads": ["Bakıdakı Azərbaycan Milli Xalça Muzeyində XVII-XX əsrlərə aid {mn} xalçanın nümayiş olunduğu yeni sərgi açılıb."]},
        ],
        "body": [
            (0, "Muğam improvizasiyaya əsaslanan mürəkkəb vokal-instrumental sənət növüdür və UNESCO-nun qeyri-maddi mədəni irs siyahısına daxil edilib."),
            (0, "Təşkilatçıların sözlərinə görə, proqrama konsertlər, ustad dərsləri və gənc ifaçılar üçün müsabiqə daxildir."),
            (0, "Azərbaycan Dövlət Filarmoniyasında keçirilən axşam konsertlərinə biletlər bir neçə gün ərzində satılıb qurtarıb."),
            (0, "Festival simfonik orkestr və xorun iştirakı ilə qala-konsertlə başa çatıb."),
            (0, "Birinci axşam ölkənin musiqi məktəblərindən olan gənc tarzən və kamançaçalanlar çıxış ediblər."),
            (0, "Açılış konserti yerli televiziya ilə canlı yayımlanıb, yazılar isə internetdə də yerləşdiriləcək."),
            (0, "Qonaqlar arasında Orta Asiya, Yaxın Şərq və Avropadan gələn və öz ənənəvi musiqilərini ifa edən ansambllar da var."),
            (0, "Musiqi tənqidçiləri bir neçəsi Bakı Musiqi Akademiyasının tələbəsi olan gənc xanəndələri yüksək qiymətləndiriblər."),
            (0, "Təşkilatçıların sözlərinə görə, açılış axşamında təxminən {k} nəfər iştirak edib."),
            (1, "Bakı dənizkənarı bulvarında yerləşən, bükülmüş xalça formasında inşa olunan muzey binası şəhərin rəmzlərindən birinə çevrilib."),
            (1, "Kuratorların sözlərinə görə, nümayiş olunan əsərlərin bir neçəsi son {num} ildə bərpa edilib."),
            (1, "Mədəniyyət Nazirliyi sərgini gələn il ölkənin bir neçə regionunda nümayiş etdirməyi planlaşdırdığını bildirib."),
            (1, "Qonaqların çoxu Gəncə, Şəki və Lənkərandan gəlmişdi, bələdçilər isə üç dildə pulsuz ekskursiyalar təşkil edirdilər."),
            (1, "Muzeyin direktoru sərgiyə marağın gözləniləndən yüksək olduğunu və iş saatlarının uzadılacağını bildirib."),
            (1, "Silsilə mühazirələrdə xalçalara toxunmuş rəmzlər və onların aid olduğu toxuculuq məktəbləri barədə danışılır."),
            (1, "Sərgidəki ən qədim xalça XVII əsrin sonunda toxunub və muzeyə şəxsi kolleksiyaçı tərəfindən hədiyyə edilib."),
            (1, "Ziyarətçilər birinci mərtəbədəki emalatxanada xalçaçıların ənənəvi dəzgahlarda necə işlədiyini də izləyə bilərlər."),
            (1, "Ay sonunadək məktəblilər və tələbələr üçün sərgiyə giriş pulsuzdur."),
            "Tədbir şəhərdə hər il təşkil olunan mədəniyyət proqramının bir hissəsidir.",
            (0, "Festival çərçivəsində Şəkidə də açıq havada konsert təşkil olunub."),
            (0, "Xanəndələr klassik muğam dəstgahlarından nümunələr ifa ediblər."),
            (0, "Festivalın proqramına muğamın tarixinə həsr olunmuş elmi konfrans da daxildir."),
            (1, "Sərgidə Quba, Şirvan və Qazax məktəblərinə aid xalçalar da nümayiş olunur."),
            (1, "Muzey əməkdaşları sərgi üçün xüsusi audio bələdçi hazırlayıblar."),
            (1, "Bəzi xalçalar ilk dəfə geniş ictimaiyyətə təqdim olunur."),
            "Tədbirə həm yerli sakinlər, həm də xarici turistlər böyük maraq göstərib.",
        ],
    },
    "baku_city": {
        "home": "AZ", "category": "society",
        "angles": [
            {"titles": ["Bakı metrosunda yeni stansiya istifadəyə verilib",
                        "Paytaxtda {num} yeni avtobus marşrutu açılır"],
             "leads": ["Bakıda {day} metronun yeni stansiyası istifadəyə verilib, bu isə paytaxtın bir neçə yaşayış massivinin sakinləri üçün gediş-gəlişi xeyli asanlaşdıracaq."]},
            {"titles": ["Bakıda {mn} yeni elektrik avtobusu xəttə çıxıb",
                        "Paytaxtda tıxacları azaltmaq üçün yeni nəqliyyat planı hazırlanıb"],
             "leads": ["Bakı Nəqliyyat Agentliyi {day} paytaxtın küçələrinə {mn} yeni elektrik avtobusunun çıxarıldığını və köhnə avtobusların mərhələlərlə dəyişdiriləcəyini açıqlayıb."]},
        ],
        "body": [
            "Paytaxt sakinləri xüsusilə səhər və axşam saatlarında yaranan tıxaclardan şikayətlənirlər.",
            "Rəsmilərin sözlərinə görə, yeni xətt tam gücü ilə işlədikdə gündə təxminən {k} sərnişin daşıyacaq.",
            "Bakı metrosu 1967-ci ildən fəaliyyət göstərir və hazırda şəhərin ən populyar nəqliyyat vasitələrindən biridir.",
            "Şəhər planlaşdırıcıları paytaxta daha çox yaşıllıq zonası və velosiped yolu lazım olduğunu deyirlər.",
            "Sərnişinlər yeniliyi alqışlasalar da, pik saatlarda vaqonların həddindən artıq dolu olduğunu qeyd ediblər.",
            "Dənizkənarı Milli Parkda yeni piyada zonaları yaradılıb, burada həftə sonları çoxlu ailə gəzinti edir.",
            "Agentlik {year_ord} ilin sonunadək daha {num} dayanacağın yenidən qurulacağını bildirib.",
            "Ekspertlər ictimai nəqliyyatın inkişafının şəhərdə havanın çirklənməsini azaltmağa kömək edəcəyini bildirirlər.",
            "Yeni avtobuslarda pulsuz internet və əlilliyi olan sərnişinlər üçün xüsusi platformalar var.",
            "Gediş haqqının ödənilməsi üçün bank kartları ilə ödəniş sistemi də sınaqdan keçirilir.",
            "Taksi sürücüləri yeni xəttin bəzi marşrutlarda sifarişlərin sayını artıq azaltdığını deyirlər.",
            "Növbəti mərhələdə şəhərin şimal rayonlarında iki yeni stansiyanın tikintisinə başlanılacaq.",
            "Yeni stansiyanın vestibülü milli ornamentlərlə bəzədilib.",
            "Metronun gündəlik sərnişin sayı son illərdə əhəmiyyətli dərəcədə artıb.",
            "Sürücülər bəzi küçələrdə parklanma qaydalarının sərtləşdirilməsindən narazıdırlar.",
            "Şəhərin mərkəzində bir neçə küçə piyadalar üçün ayrılıb.",
            "Agentlik mobil tətbiq vasitəsilə avtobusların hərəkətini real vaxtda izləmək imkanı yaradıb.",
            "Nəqliyyat mütəxəssisləri avtobus zolaqlarının sayının artırılmasını təklif edirlər.",
        ],
    },
    "az_weather": {
        "home": "AZ", "category": "society",
        "angles": [
            {"titles": ["Bakıda güclü xəzri əsir, küləyin sürəti saniyədə {wind} metrə çatıb",
                        "Güclü külək Bakıda ağacları aşırıb"],
             "leads": ["Milli Hidrometeorologiya Xidməti bildirib ki, {day} Bakıda güclü şimal küləyi – xəzri əsib, küləyin sürəti ara-sıra saniyədə {wind} metrə çatıb."]},
            {"titles": ["Azərbaycanda havanın temperaturu {temp} dərəcəyə qədər yüksəlib",
                        "Sinoptiklər istiliyin Azərbaycanda bir neçə gün davam edəcəyini proqnozlaşdırır"],
             "leads": ["Azərbaycanın bəzi rayonlarında havanın temperaturu {day} {temp} dərəcəyə qədər yüksəlib, sinoptiklər istiliyin daha bir neçə gün davam edəcəyini bildiriblər."]},
        ],
        "body": [
            (0, "Bakının mərkəzində bir neçə ağac aşıb, hava limanında bəzi reyslər gecikib."),
            (0, "Sinoptiklər sakinlərə avtomobilləri ağacların altında saxlamamağı və dənizkənarı bulvardan uzaq durmağı tövsiyə ediblər."),
            (0, "Qusar və Qəbələ kimi dağlıq rayonlarda gecə temperatur sıfırdan aşağı düşüb."),
            (0, "Abşeron yarımadasında yağıntının miqdarı aylıq normadan {pct} faiz çox olub."),
            (0, "Güclü dalğalar səbəbindən Xəzər adalarına gedən bərə reysləri ləğv olunub."),
            (0, "Kommunal xidmətlər gecə ərzində əsas yollardan aşmış budaqları təmizləyib."),
            (0, "Meteoroloqlar bu cür güclü küləklərin paytaxt üçün payızın sonu və yazın əvvəlində səciyyəvi olduğunu bildirirlər."),
            (0, "Şəhərətrafı qəsəbələrdə külək bir neçə binanın damını qoparıb, lakin xəsarət alan olmayıb."),
            (0, "Bulvar yaxınlığında dənizin səviyyəsi qısa müddətə qalxıb və dalğalar gəzinti yoluna çatıb."),
            (0, "Külək gücləndikcə hava kəskin soyuyub və sakinlərə isti geyinmək tövsiyə olunub."),
            (1, "Həkimlər yaşlılara və uşaqlara günün ən isti saatlarında evdə qalmağı tövsiyə edirlər."),
            (1, "Aran bölgəsində fermerlər quraqlığın pambıq və taxıl məhsuluna təhlükə yaratdığını deyirlər."),
            (1, "Kondisionerlərin fasiləsiz işləməsi səbəbindən elektrik enerjisi istehlakı mövsüm rekorduna çatıb."),
            (1, "Paytaxtda su istehlakı kəskin artıb və kommunal şirkətlər sakinləri sudan qənaətlə istifadə etməyə çağırıb."),
            (1, "Abşeron sahillərindəki çimərliklər səhər tezdən gec axşamadək dolu olub."),
            (1, "Bəzi işəgötürənlər günorta istisindən qorunmaq üçün işçilərin işə daha tez başlamasına icazə veriblər."),
            (1, "Sinoptiklərin sözlərinə görə, isti hava kütləsi cənubdan gəlib və həftə sonuna qədər regiondan uzaqlaşacaq."),
            "Fövqəladə Hallar Nazirliyi xilasedici qrupların bütün regionlarda hazır vəziyyətdə olduğunu bildirib.",
            "Hava şəraitinin gələn həftənin ortalarından yaxşılaşacağı gözlənilir.",
            (0, "Külək səbəbindən bəzi ərazilərdə elektrik enerjisinin verilişində qısamüddətli fasilələr yaranıb."),
            (0, "Limanda gəmilərin hərəkəti müvəqqəti dayandırılıb."),
            (1, "Gecə saatlarında da temperatur 28 dərəcədən aşağı düşməyib."),
            (1, "Çimmək istəyənlərin sayı kəskin artıb, xilasedicilər ehtiyatlı olmağa çağırıb."),
            (1, "Bəzi rayonlarda meşə yanğını təhlükəsi ilə bağlı xəbərdarlıq edilib."),
            (1, "Şəhərdə ictimai nəqliyyatda kondisionerlərin işləməsinə nəzarət gücləndirilib."),
            "Meteoroloqlar sakinləri rəsmi proqnozları izləməyə çağırırlar.",
        ],
    },
    "az_football": {
        "home": "AZ", "category": "sports",
        "angles": [
            {"titles": ["Premyer Liqa: {az_home} – {az_away} oyunu {g1}:{g2} hesabı ilə başa çatıb",
                        "{az_home} {az_away} komandasını {g1}:{g2} hesabı ilə məğlub edib"],
             "leads": ["Azərbaycan Premyer Liqasında {day} keçirilən oyunda {az_home} {az_away} komandasını {g1}:{g2} hesabı ilə məğlub edərək avrokuboklara vəsiqə uğrunda mübarizədə mövqeyini möhkəmləndirib."]},
            {"titles": ["Son dəqiqələrdə vurulan qol {az_home} komandasına qələbə gətirib",
                        "{az_home} {crowd} azarkeşin qarşısında qələbə qazanıb"],
             "leads": ["Təxminən {crowd} azarkeşin izlədiyi oyunda {az_home} {az_away} üzərində {g1}:{g2} hesablı qələbə qazanaraq məğlubiyyətsiz seriyasını davam etdirib."]},
        ],
        "body": [
            "Ev sahibləri birinci hissədə sol cinahdan qurulan gözəl hücumdan sonra hesabı açıblar.",
            ("away_scored", "Qonaqlar fasilədən dərhal sonra hesabı bərabərləşdirsələr də, ev sahibləri son yarım saatda oyuna nəzarəti bərpa ediblər."),
            "Qələbə qolu {minute} dəqiqədə künc zərbəsindən sonra başla vurulub.",
            "Hakim gərgin keçən ikinci hissədə {num} futbolçuya sarı vərəqə göstərib.",
            "Baş məşqçi futbolçularının mübarizliyini tərifləyib, lakin komandanın hələ də çox fürsət əldən verdiyini deyib.",
            "Azarkeşlər final fitindən sonra uzun müddət stadionun ətrafında qələbəni qeyd ediblər.",
            "Bu nəticədən sonra qonaqlar turnir cədvəlinin ortasında qalıb və avrokuboklara vəsiqə verən yerlərdən {num} xal geridədirlər.",
            "AFFA-nın İntizam Komitəsi oyunun bir neçə dəqiqə dayanmasına səbəb olan hadisələri araşdıracaq.",
            "Növbəti turda qaliblər çempionluq uğrunda rəqiblərindən birinin qonağı olacaq.",
            "Klubun gənc hücumçusu ardıcıl üçüncü oyunda qol vurub.",
            "Oyun gün boyu yağan yağışdan sonra ağırlaşmış meydançada keçirilib.",
            "Hər iki klub transfer pəncərəsinin açılacağı qış fasiləsinə hazırlaşır.",
            "Oyunun ilk yarım saatında hər iki komanda ehtiyatlı oynamağa üstünlük verib.",
            "Ev sahiblərinin yarımmüdafiədəki təzyiqi xüsusilə ikinci hissədə nəticə verib.",
            "Qonaqların baş məşqçisi hakim qərarlarından narazılığını bildirib və penalti gözlədiklərini deyib.",
            "Oyun öncəsi stadion ətrafında təhlükəsizlik tədbirləri gücləndirilib.",
            "Komandanın kapitanı bu qələbənin kubok oyunu öncəsi ruh yüksəkliyi yaratdığını deyib.",
            "Yeni transfer ilk dəfə əsas heyətdə meydana çıxdığı oyunda diqqət çəkib.",
        ],
    },
    "germany_election": {
        "home": None, "category": "world",
        "angles": [
            {"titles": ["Almaniyada seçki: CDU/CSU bloku {share} faiz səslə öndədir",
                        "Almaniyada seçkilərdə iştirak {turnout} faizə çatıb"],
             "leads": ["İlkin nəticələrə əsasən, Almaniyada keçirilən federal seçkilərdə mərkəz sağ CDU/CSU bloku təxminən {share} faiz səs toplayaraq birinci yeri tutub, bu barədə {day} məlumat verilib."]},
            {"titles": ["Berlində koalisiya danışıqları {num} həftədir davam edir",
                        "Alman partiyaları {num} həftə ərzində hökumət qurmağa çalışır"],
             "leads": ["Berlində koalisiya danışıqları {day} davam edib, partiya liderləri hökumət proqramı üzrə {num} həftə ərzində razılığa gələcəklərinə ümid etdiklərini bildiriblər."]},
        ],
        "body": [
            "Seçkilərdə iştirak {turnout} faiz təşkil edib ki, bu da əvvəlki seçkilərdən yüksəkdir.",
            "Sosial-demokratlar ciddi itki veriblər, ifrat sağçı “Almaniya üçün Alternativ” partiyası isə xüsusilə ölkənin şərqində mövqelərini gücləndirib.",
            "Yaşıllar məsuliyyət götürməyə hazır olduqlarını, lakin iqlim siyasətində güzəştə getməyəcəklərini bildiriblər.",
            "Seçki kampaniyasında iqtisadi durğunluq, enerji qiymətləri və miqrasiya əsas mövzular olub.",
            "Kiçik partiyalar Bundestaqa keçmək üçün tələb olunan beş faizlik baryeri keçməkdə çətinlik çəkiblər.",
            "Analitiklər mühafizəkarlar və sosial-demokratlar arasında koalisiyanın ən real variant olduğunu hesab edirlər.",
            "Biznes birlikləri gələcək hökuməti bürokratiyanı azaltmağa və dəmir yollarına, körpülərə və rəqəmsal şəbəkələrə sərmayə qoymağa çağırıb.",
            "Avropa tərəfdaşları danışıqları diqqətlə izləyir, çünki Almaniyanın mövqeyi müdafiə və büdcə ilə bağlı müzakirələrə təsir göstərəcək.",
            "Sosial-demokratların üzvləri koalisiya sazişi barədə son sözü poçt vasitəsilə keçiriləcək səsvermədə deyəcəklər.",
            "Yeni kansler seçilənədək hazırkı hökumət müvəqqəti olaraq fəaliyyətini davam etdirir.",
            "Sorğular seçicilərin xeyli hissəsinin qərarını kampaniyanın son günlərində verdiyini göstərir.",
            "Danışıqlar aparan tərəflər vergilər, pensiyalar, miqrasiya və xarici siyasət üzrə işçi qrupları yaradıblar.",
            "Seçki gecəsi Berlindəki partiya qərargahlarında nəticələr fərqli emosiyalarla qarşılanıb.",
            "Şərq əyalətlərində seçicilərin xeyli hissəsi etiraz səsi verib.",
            "Sol partiya xüsusilə gənc seçicilər arasında gözlənilməz dəstək qazanıb.",
            "Liberal FDP-nin parlamentə keçib-keçməyəcəyi gecəyarısınadək məlum olmayıb.",
            "Seçkinin nəticələri Avropa birjalarında məhdud təsir doğurub.",
            "Yeni hökumətin qarşısında duran əsas məsələlər sırasında iqtisadiyyatın canlandırılması və müdafiə xərcləri var.",
        ],
    },
    "japan_economy": {
        "home": None, "category": "world",
        "angles": [
            {"titles": ["Yaponiya iqtisadiyyatı son rübdə {gdp} faiz böyüyüb",
                        "İstehlak xərcləri Yaponiyada iqtisadi artımı {gdp} faizə çatdırıb"],
             "leads": ["Hökumətin {day} açıqladığı məlumatlara görə, Yaponiya iqtisadiyyatı istehlak xərcləri və ixracın artması sayəsində son rübdə illik hesabla {gdp} faiz böyüyüb."]},
            {"titles": ["Yaponiya Bankı uçot dərəcəsini {rate} faizə qaldırıb",
                        "Yaponiya Bankının qərarından sonra yen dollara qarşı {yen} səviyyəsində"],
             "leads": ["Yaponiya Bankı {day} qısamüddətli faiz dərəcəsini {rate} faizə qaldıraraq onilliklər boyu davam edən yumşaq pul siyasətindən tədricən imtina etməyə davam edib."]},
        ],
        "body": [
            "İqtisadçıların fikrincə, əmək haqlarının artması nəhayət ev təsərrüfatlarının istehlakına təsir göstərməyə başlayıb.",
            "Açıqlamadan sonra yapon yeni ABŞ dollarına qarşı təxminən {yen} səviyyəsində alınıb-satılıb.",
            "Avtomobil və elektronika istehsalçıları kimi ixracatçılar ABŞ və Cənub-Şərqi Asiyada güclü tələbatdan faydalanıblar.",
            "Tokio birjasında Nikkei 225 indeksi günü {pct_small} faiz artımla başa vurub.",
            "Bankın rəhbəri Kazuo Ueda mərkəzi bankın siyasəti iqtisadi göstəricilərdən asılı olaraq ehtiyatla dəyişəcəyini bildirib.",
            "Yaponiya əhalinin azalması və qocalması problemi ilə üzləşir ki, bu da uzunmüddətli artım imkanlarını məhdudlaşdırır.",
            "İllik yaz danışıqları son otuz ildə ən böyük əmək haqqı artımı ilə nəticələnib.",
            "Hökumət ev təsərrüfatlarına ərzaq və enerji qiymətlərinin artımının öhdəsindən gəlməyə kömək etmək üçün yeni stimul paketi hazırlayır.",
            "Xarici turistlərin sayının rekord həddə çatması da iqtisadi artıma töhfə verib.",
            "Bu il düyünün qiyməti kəskin bahalaşıb və hökumət ehtiyatlarını bazara çıxarıb.",
            "Bəzi analitiklər Çindən tələbatın zəifləməsinin yaxın aylarda ixraca mənfi təsir göstərə biləcəyi barədə xəbərdarlıq ediblər.",
            "Qərardan sonra istiqraz gəlirliliyi son on ildən çox müddətdə ən yüksək səviyyəyə qalxıb.",
            "Rüblük müqayisədə artımın proqnozlardan bir qədər yüksək olduğu bildirilib.",
            "Özəl sektor investisiyaları yarımkeçiricilər və avtomatlaşdırma sahəsindəki xərclərlə dəstəklənib.",
            "İstehlakçı inamı indeksi ardıcıl üçüncü ay yüksəlib.",
            "İşsizlik səviyyəsi təxminən 2,5 faiz təşkil edərək aşağı olaraq qalıb.",
            "İqtisadçılar yen məzənnəsindəki dəyişikliklərin idxal qiymətlərinə birbaşa təsir etdiyini xatırladırlar.",
            "Hökumət büdcə kəsirini azaltmaq üçün ortamüddətli maliyyə planı üzərində işləyir.",
        ],
    },
}

SYND_PREFIX = [
    "({source} xəbər verir.)",
    "Bu xəbər ilk dəfə {source} tərəfindən dərc olunub və məzmun mübadiləsi razılaşması əsasında yayımlanır.",
    "(Mənbə: {source})",
]
SYND_ENDING = [
    "Xəbərin hazırlanmasında {target} əməkdaşları da iştirak edib.",
    "Xəbər {target} redaksiyası tərəfindən ixtisarla dərc olunub.",
    "{target} hadisələrin gedişatını izləməyə davam edəcək.",
]

COMMENTERS = ("Rauf", "Günel M.", "Elvin", "Aytac_88", "Nərmin", "Tural", "Samirə", "kamran.h", "Leyla", "Vüqar")
COMMENTS = (
    "Ətraflı məlumat üçün təşəkkürlər.",
    "Çox gözəl yazıdır, əməyinizə sağlıq.",
    "Görək bundan sonra nə olacaq.",
    "Çox maraqlıdır, dostlarımla paylaşdım.",
    "Bu mövzunu neçə həftədir izləyirəm, nəhayət rəqəmlər də açıqlandı.",
    "Bəyanatın tam mətnini harada tapmaq olar?",
    "Davamını gözləyirik.",
    "Nəticələrlə razı deyiləm, amma yazı yaxşı hazırlanıb.",
    "Başlıq bir az şişirdilib.",
    "Əməyi keçənlərə təşəkkür edirəm.",
)

SECTIONS = {"politics": "Siyasət", "economy": "İqtisadiyyat", "sports": "İdman", "world": "Dünya",
            "society": "Cəmiyyət"}

UI = {
    "home": "Ana səhifə", "latest": "Son xəbərlər", "related": "Əlaqəli xəbərlər", "most_read": "Ən çox oxunanlar",
    "comments": "Şərhlər", "leave_comment": "Şərh yazın", "name": "Adınız", "post": "Göndər",
    "cookie": "Saytdan istifadəni rahatlaşdırmaq və fərdi reklam göstərmək üçün kukilərdən istifadə edirik. "
              "Sayta baxmağa davam etməklə kuki siyasətimizlə razılaşırsınız.",
    "accept": "Qəbul et", "cookie_settings": "Kuki parametrləri",
    "newsletter": "Günün əsas xəbərləri hər səhər e-poçtunuzda", "subscribe": "Abunə ol", "email": "E-poçt ünvanınız",
    "next": "Növbəti səhifə", "prev": "Əvvəlki səhifə", "page": "Səhifə", "by": "Müəllif:", "updated": "Yenilənib",
    "read_more": "Ətraflı", "share": "Paylaş", "tags": "Teqlər", "rights": "Bütün hüquqlar qorunur.",
    "search": "Axtarış", "about": "Haqqımızda", "contact": "Əlaqə", "advertise": "Reklam",
    "privacy": "Məxfilik siyasəti", "terms": "İstifadə qaydaları", "careers": "Karyera", "video": "Video",
    "opinion": "Müsahibə", "gallery": "Foto", "subscribe_page": "Abunə",
    "not_found": "Səhifə tapılmadı", "not_found_text": "Axtardığınız səhifə mövcud deyil və ya silinib.",
    "error": "Server xətası", "error_text": "Xəta baş verdi. Bir az sonra yenidən cəhd edin.",
    "breaking": "Təcili", "photo": "Foto", "editions": "Dillər", "rss": "RSS",
    "static_text": "Bu səhifə saytımızın bir hissəsidir. Ətraflı məlumat üçün redaksiya ilə əlaqə saxlayın.",
}
