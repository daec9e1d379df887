"""Turkish texts for the sample outlets (see text_en for the structure).

Slots never carry case suffixes: place names come ready-made in the locative
(İstanbul'da, Bakü'de) so vowel harmony is always right.
"""
from __future__ import annotations

import random

LANG = "tr"
DECIMAL = ","
THOUSANDS = "."
WEEKDAYS = ("pazartesi günü", "salı günü", "çarşamba günü", "perşembe günü", "cuma günü", "cumartesi günü",
            "pazar günü")
MONTHS = ("ocak", "şubat", "mart", "nisan", "mayıs", "haziran", "temmuz", "ağustos", "eylül", "ekim", "kasım",
          "aralık")
DATE_MONTHS = ("Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim",
               "Kasım", "Aralık")
IN_TR_CITY = ("Ankara'da", "İstanbul'da", "İzmir'de", "Antalya'da", "Kars'ta")
IN_AZ_CITY = ("Bakü'de", "Şuşa'da", "Gence'de", "Nahçıvan'da", "Füzuli'de")
KB = ("Ağdam", "Füzuli", "Laçın", "Kelbecer", "Zengilan", "Cebrail")
IN_KB = ("Ağdam'da", "Füzuli'de", "Laçın'da", "Kelbecer'de", "Zengilan'da", "Cebrail'de")
TEAMS_TR = ("Galatasaray", "Fenerbahçe", "Beşiktaş", "Trabzonspor", "Başakşehir", "Samsunspor",
            "Göztepe", "Kasımpaşa", "Konyaspor", "Antalyaspor")
TEAMS_AZ = ("Neftçi", "Sabah", "Zira", "Turan Tovuz", "Sumgayıt", "Kepez", "Sabail", "Şamahı")


def extra_slots(slots: dict, raw: dict, rng: random.Random) -> None:
    slots["minute"] = f"{raw['minute']}."


def format_date(dt) -> str:
    return f"{dt.day} {DATE_MONTHS[dt.month - 1]} {dt.year} {dt:%H:%M}"


ON_TOPIC = {
    "summit": {
        "category": "politics",
        "angles": [
            {"titles": ["Erdoğan ile Aliyev {in_az_city} bir araya geldi: {num} anlaşma imzalandı",
                        "Erdoğan ve Aliyev {in_az_city} stratejik ittifakı görüştü"],
             "leads": ["Cumhurbaşkanı Recep Tayyip Erdoğan ile Azerbaycan Cumhurbaşkanı İlham Aliyev {day} {in_az_city} bir araya gelerek Türkiye ile Azerbaycan arasındaki stratejik ittifakı ele aldı."]},
            {"titles": ["Cumhurbaşkanı Erdoğan, Aliyev'i {in_tr_city} resmi törenle karşıladı",
                        "Aliyev {in_tr_city}: Türkiye ile Azerbaycan arasında {num} yeni anlaşma"],
             "leads": ["Azerbaycan Cumhurbaşkanı İlham Aliyev, {day} {in_tr_city} Cumhurbaşkanı Recep Tayyip Erdoğan ile görüştü; görüşmenin ardından {num} anlaşma imzalandı."]},
            {"titles": ["Şuşa Beyannamesi'ne bağlılık vurgusu: Erdoğan ve Aliyev {in_az_city} buluştu",
                        "Erdoğan ve Aliyev'den {in_az_city} 'tek millet, iki devlet' mesajı"],
             "leads": ["Türkiye ve Azerbaycan'ın liderleri Recep Tayyip Erdoğan ile İlham Aliyev, {day} {in_az_city} yaptıkları görüşmede Şuşa Beyannamesi'ne bağlılıklarını yineledi."]},
        ],
        "body": [
            "Görüşme önce baş başa formatta gerçekleşti, ardından heyetlerarası toplantıyla devam etti.",
            "Cumhurbaşkanlığından yapılan açıklamaya göre imzalanan belgeler enerji, ulaştırma, eğitim ve savunma sanayii alanlarını kapsıyor.",
            "Erdoğan, ortak basın toplantısında Türkiye'nin her koşulda Azerbaycan'ın yanında olmaya devam edeceğini söyledi.",
            "Aliyev ise 2020'deki savaş sırasında Türk halkının verdiği destek için teşekkür ederek iki ülkenin birliğinin Güney Kafkasya'daki dengeleri değiştirdiğini belirtti.",
            "Liderler, Azerbaycan ile Ermenistan arasındaki barış sürecini ve uzun süredir kapalı olan bölgesel ulaşım hatlarının açılmasını da görüştü.",
            "Görüşmenin ardından yayımlanan ortak bildiride, Yüksek Düzeyli Stratejik İşbirliği Konseyi'nin bir sonraki toplantısının {next_year} yılında yapılacağı kaydedildi.",
            "Konuk lider resmi törenle karşılandı; iki cumhurbaşkanı daha sonra şehitliği ziyaret ederek çelenk bıraktı.",
            "İki cumhurbaşkanı {year} yılının başından bu yana {num} kez bir araya geldi.",
            "Her iki taraftan yetkililer, görüşmenin geleneğe uygun şekilde samimi bir havada geçtiğini ifade etti.",
        ],
    },
    "diplomacy": {
        "category": "politics",
        "angles": [
            {"titles": ["Dışişleri Bakanı Fidan, Azerbaycanlı mevkidaşı Bayramov ile {in_tr_city} görüştü",
                        "Fidan ve Bayramov {in_tr_city} Güney Kafkasya'daki barış sürecini ele aldı"],
             "leads": ["Dışişleri Bakanı Hakan Fidan, Azerbaycan Dışişleri Bakanı Ceyhun Bayramov ile {day} {in_tr_city} bir araya gelerek ikili ilişkileri ve Güney Kafkasya'daki son durumu değerlendirdi."]},
            {"titles": ["Türkiye, Azerbaycan ve Gürcistan dışişleri bakanları {in_az_city} toplandı",
                        "Ankara ile Bakü, Türk Devletleri Teşkilatı zirvesi öncesi istişarede bulundu"],
             "leads": ["Türkiye ve Azerbaycan dışişleri bakanları {day} {in_az_city} yaptıkları görüşmede uluslararası kuruluşlarda ortak hareket etme konusunda mutabık kaldı."]},
            {"titles": ["Fidan: Azerbaycan'ın toprak bütünlüğü bizim için kırmızı çizgidir",
                        "Bayramov: Türkiye ile dış politikada tam eşgüdüm içindeyiz"],
             "leads": ["Dışişleri Bakanı Hakan Fidan ve Azerbaycanlı mevkidaşı Ceyhun Bayramov, {day} {in_az_city} düzenlenen toplantının ardından Türkiye ile Azerbaycan arasındaki diplomatik eşgüdümün artırılacağını açıkladı."]},
        ],
        "body": [
            "Bayramov, Ermenistan ile yürütülen barış müzakerelerinin son aşaması ve sınırın belirlenmesi çalışmaları hakkında bilgi verdi.",
            "Fidan, Ankara'nın Azerbaycan'ın toprak bütünlüğüne saygı gösteren kalıcı bir barış anlaşmasını desteklediğini vurguladı.",
            "Bakanlar, enerji ve ulaştırma alanındaki işbirliğine yön veren Gürcistan ile üçlü formatın bir sonraki toplantısının hazırlıklarını da gözden geçirdi.",
            "Taraflar, Türk Devletleri Teşkilatı'nın artan rolünü memnuniyetle karşılayarak bir sonraki zirvede ortak girişimler sunma kararı aldı.",
            "Dışişleri Bakanlığının açıklamasına göre görüşme iki saatten fazla sürdü ve çalışma yemeğiyle sona erdi.",
            "Görüşmede Orta Doğu'daki gelişmeler ve Ukrayna'daki savaş da ele alındı.",
            "Diplomatik kaynaklar, {next_year} yılına kadar geçerli olacak yeni bir siyasi istişare planının imzalanmasının beklendiğini belirtti.",
            "Bayramov, Fidan'ı Bakü Küresel Forumu'na davet etti; Türk bakan daveti kabul etti.",
            "Yetkililere göre iki bakan neredeyse her hafta telefonda görüşüyor.",
        ],
    },
    "defence": {
        "category": "politics",
        "angles": [
            {"titles": ["Türkiye ile Azerbaycan'dan {k} askerin katıldığı ortak tatbikat",
                        "Türk ve Azerbaycan ordularının ortak tatbikatı {num} gün sürecek"],
             "leads": ["Türk ve Azerbaycan silahlı kuvvetleri, {day} {in_az_city} yaklaşık {k} askerin yanı sıra zırhlı araçlar, topçu birlikleri ve insansız hava araçlarının katıldığı ortak tatbikata başladı."]},
            {"titles": ["Türkiye ile Azerbaycan arasında {bn} milyar dolarlık savunma sanayii anlaşması",
                        "Baykar, Azerbaycan'a yeni Bayraktar TB2 teslimatı yapacak"],
             "leads": ["Türkiye ile Azerbaycan, Türk şirketlerinin Azerbaycan ordusunun modernizasyonuna katkı sağlayacağı yeni bir savunma sanayii işbirliği anlaşması imzaladı."]},
            {"titles": ["Azerbaycan askeri heyeti {in_tr_city} ASELSAN ve TUSAŞ tesislerini gezdi",
                        "Azerbaycanlı komutanlar {in_tr_city} Baykar'ı ziyaret etti"],
             "leads": ["Azerbaycan askeri heyeti {day} {in_tr_city} Baykar, ASELSAN ve TUSAŞ başta olmak üzere Türk savunma sanayii şirketlerini ziyaret etti."]},
        ],
        "body": [
            "Baykar tarafından üretilen Bayraktar TB2 insansız hava araçları, 2020'deki Karabağ savaşında önemli rol oynamış ve iki ülke arasındaki askeri işbirliğinin sembolü haline gelmişti.",
            "Yetkililer, tatbikatın iki ordu arasındaki birlikte çalışabilirliği artırmayı ve dağlık arazide komuta kontrol yeteneklerini sınamayı amaçladığını belirtti.",
            "ASELSAN, Azerbaycan ordusuna haberleşme ve elektro-optik sistemler tedarik ederken TUSAŞ ile uçak parçalarının ortak üretimi konusunda görüşmeler sürüyor.",
            "Azerbaycan Silahlı Kuvvetleri uzun süredir Türk ordusu modeline geçiyor ve yüzlerce Azerbaycanlı subay Türkiye'deki askeri akademilerde eğitim aldı.",
            "Tatbikatın {num} gün sürmesi ve iki ordunun üst düzey komutanlarının izleyeceği bir gösteriyle tamamlanması planlanıyor.",
            "Şuşa Beyannamesi'nde iki ülke, taraflardan birinin üçüncü bir devletin tehdidi ya da saldırısıyla karşılaşması halinde birbirine yardım etme taahhüdünde bulunmuştu.",
            "Milli Savunma Bakanı Yaşar Güler, Azerbaycan ile işbirliğinin üçüncü ülkelere karşı olmadığını ve bölgesel istikrara hizmet ettiğini söyledi.",
            "Uzmanlar, Azerbaycan'ın Türk savunma sanayiinin en önemli müşterilerinden biri haline geldiğine dikkat çekiyor.",
            "Türk eğitmenler, Azerbaycan'da insansız hava aracı operatörleri ve özel kuvvetler için eğitim merkezlerinin kurulmasına da yardımcı oldu.",
        ],
    },
    "karabakh": {
        "category": "politics",
        "angles": [
            {"titles": ["Türk şirketi {in_kb} {num} konut bloğunu teslim etti",
                        "Karabağ'da yeniden inşa: {kb} şehir merkezini Türk firması yapacak"],
             "leads": ["Bir Türk inşaat şirketi, Azerbaycan'ın Türkiye'nin desteğiyle yürüttüğü Karabağ'ı yeniden inşa programı kapsamında {in_kb} {num} konut bloğunu tamamladı."]},
            {"titles": ["Şuşa'da Türkiye-Azerbaycan yeniden yapılanma forumu düzenlendi",
                        "Karabağ'ın yeniden inşasında Türk firmalarının payı artıyor"],
             "leads": ["Türk ve Azerbaycanlı yetkililer {day} Şuşa'da bir araya gelerek Türk şirketlerinin önemli pay sahibi olduğu Karabağ'daki yeniden yapılanma projelerini değerlendirdi."]},
            {"titles": ["Azerbaycan, {kb} için Türk konsorsiyumuyla sözleşme imzaladı",
                        "Türkiye'nin desteğiyle {in_kb} yeni okul açıldı"],
             "leads": ["Azerbaycan, {in_kb} yol, su ve enerji şebekelerinin yeniden inşası için bir Türk konsorsiyumuyla yeni bir sözleşme imzaladı; açıklama {day} Bakü'de yapıldı."]},
        ],
        "body": [
            "Bölge, yaklaşık otuz yıl süren Ermeni işgali sırasında büyük ölçüde tahrip edilmişti ve Bakü, 2020'den bu yana yeniden inşayı ulusal öncelik ilan etti.",
            "Türk şirketleri bölgede yollar, tüneller, enerji hatları ve 2021'de Erdoğan ile Aliyev'in katılımıyla açılan Füzuli Uluslararası Havalimanı'nı inşa etti.",
            "Yeniden inşa edilen köylere ilk aileler dönmeye başladı; yetkililer {year} yılı sonuna kadar yaklaşık {k} kişinin yerleşmesini bekliyor.",
            "Yeni binalar arasında, Türk hükümetinin Azerbaycan'a hediye olarak finanse ettiği {mn} öğrenci kapasiteli bir okul da bulunuyor.",
            "İki ülkeden mühendisler, tarım arazilerinin mayınlardan temizlenmesinin hâlâ en büyük engel olduğunu söylüyor.",
            "Türk uzmanlar Şuşa'daki camiler ve eski tüccar konakları dahil olmak üzere tarihi eserlerin restorasyonuna da yardım ediyor.",
            "Azerbaycan hükümeti bu yıl yeniden inşa projelerine yaklaşık {bn} milyar manat ayırdı.",
            "Yerel yetkililer, projelerin bölgeye dönen sakinler için yaklaşık {mn} kişilik istihdam yarattığını belirtti.",
            "Mimarlar, yeni mahallelerde geleneksel taş cephelerin modern ısıtma ve su sistemleriyle birleştirildiğini anlattı.",
        ],
    },
    "energy": {
        "category": "economy",
        "angles": [
            {"titles": ["TANAP üzerinden Türkiye'ye gaz akışı yüzde {pct} arttı",
                        "Azerbaycan'dan Türkiye'ye gaz sevkiyatı {year} yılında yüzde {pct} yükseldi"],
             "leads": ["Trans Anadolu Doğal Gaz Boru Hattı (TANAP) üzerinden Azerbaycan'dan Türkiye'ye yapılan gaz sevkiyatı {year} yılının ilk aylarında yüzde {pct} arttı."]},
            {"titles": ["Bakan Bayraktar ve Şahbazov {in_az_city} enerji işbirliğini görüştü",
                        "SOCAR'dan Türkiye'ye {bn} milyar dolarlık yeni yatırım planı"],
             "leads": ["Enerji ve Tabii Kaynaklar Bakanı Alparslan Bayraktar ile Azerbaycan Enerji Bakanı Pervin Şahbazov, {day} {in_az_city} gaz arzı, petrol transiti ve yenilenebilir enerjiyi görüştü."]},
            {"titles": ["Iğdır-Nahçıvan Doğal Gaz Boru Hattı'nda ilk gaz {next_year} yılında",
                        "Türkiye ile Azerbaycan doğal gaz anlaşmasını {num} yıl uzattı"],
             "leads": ["Türkiye ve Azerbaycan, {day} imzalanan anlaşmayla yeni gaz hacimleri ve Iğdır-Nahçıvan boru hattının inşası dahil enerji işbirliğini genişletme kararı aldı."]},
        ],
        "body": [
            "Gürcistan sınırından Yunanistan'a kadar Türkiye topraklarını geçen TANAP, Azerbaycan'ın Şah Deniz sahasından Avrupa'ya gaz taşıyan Güney Gaz Koridoru'nun ana parçasıdır.",
            "2006'dan bu yana faaliyette olan Bakü-Tiflis-Ceyhan (BTC) Ham Petrol Boru Hattı, Azerbaycan petrolünü Akdeniz kıyısındaki Ceyhan limanına taşıyor.",
            "Azerbaycan devlet petrol şirketi SOCAR, İzmir'deki STAR Rafinerisi ve Petkim ile Türkiye'deki en büyük yabancı yatırımcılardan biri konumunda.",
            "Nahçıvan'a uzanan boru hattı, bu özerk bölgeyi Türk doğal gaz şebekesine bağlayacak ve yılda yaklaşık {mn} milyon metreküp gaz taşıyacak.",
            "Görüşmede Azerbaycan'daki yeni rüzgar ve güneş santrallerinde üretilen elektriğin Türkiye üzerinden Avrupa'ya ihraç edilmesi de ele alındı.",
            "Ankara, Azerbaycan gazını arz kaynaklarını çeşitlendirmenin bir yolu olarak görürken Bakü de Avrupa pazarına ulaşmak için Türkiye topraklarına güveniyor.",
            "Bakanlık verilerine göre Türkiye geçen yıl Azerbaycan'dan yaklaşık {bn} milyar metreküp gaz ithal etti.",
            "Taraflar, {num} ay içinde iki bakana rapor sunacak bir çalışma grubu kurma konusunda anlaştı.",
            "Piyasa uzmanları, yeni hacimlerin talebin zirve yaptığı kış aylarında Türk sanayisini rahatlatacağını belirtti.",
            "TANAP, Yunanistan sınırında Azerbaycan gazını Arnavutluk üzerinden İtalya'nın güneyine taşıyan Trans Adriyatik Boru Hattı'na (TAP) bağlanıyor.",
        ],
    },
    "transport": {
        "category": "economy",
        "angles": [
            {"titles": ["Bakü-Tiflis-Kars demiryolunda yük taşımacılığı yüzde {pct} arttı",
                        "Bakü-Tiflis-Kars hattında Türkiye ile Azerbaycan arasında rekor yük"],
             "leads": ["Azerbaycan ile Türkiye'yi Gürcistan üzerinden birbirine bağlayan Bakü-Tiflis-Kars demiryolunda {year} yılının ilk yarısında taşınan yük miktarı yüzde {pct} arttı."]},
            {"titles": ["Zengezur Koridoru Türkiye'yi Azerbaycan üzerinden Orta Asya'ya bağlayacak",
                        "Kars-Iğdır-Nahçıvan demiryolu için Türkiye ile Azerbaycan protokol imzaladı"],
             "leads": ["Türkiye ve Azerbaycan, {day} anakara Azerbaycan'ı Nahçıvan'a ve Türkiye sınırına bağlayacak Zengezur Koridoru çalışmalarını hızlandırma kararı aldı."]},
            {"titles": ["Bakan Uraloğlu {in_az_city} Azerbaycanlı mevkidaşıyla görüştü",
                        "İstanbul-Bakü hattına haftada {num} ek sefer planlanıyor"],
             "leads": ["Ulaştırma ve Altyapı Bakanı Abdulkadir Uraloğlu, {day} {in_az_city} Azerbaycan Dijital Kalkınma ve Ulaştırma Bakanı Reşad Nebiyev ile iki ülke arasındaki demiryolu, karayolu ve hava bağlantılarını görüştü."]},
        ],
        "body": [
            "2017'de açılan Bakü-Tiflis-Kars hattı, Çin ile Avrupa arasında Rusya'yı bypass eden Orta Koridor'un kilit parçalarından biri.",
            "Yaklaşık 224 kilometre uzunluğundaki Kars-Iğdır-Nahçıvan demiryolu, Türk demiryolu ağını Nahçıvan'a bağlayacak.",
            "Yetkililer, Gürcistan kesiminin modernizasyonu tamamlandığında hattın yılda {num} milyon tona kadar yük taşıyabileceğini belirtti.",
            "Ankara ve Bakü, Zengezur Koridoru'nun uzun süredir kapalı olan sınırları açarak Ermenistan dahil tüm bölgeye fayda sağlayacağını savunuyor.",
            "İstanbul ile Bakü arasındaki doğrudan uçuşlar, hem THY hem de Azerbaycan Hava Yolları için en yoğun uluslararası hatlar arasında yer alıyor.",
            "Lojistik firmaları sınır işlemlerinin hâlâ teslimatları yavaşlattığını belirtirken bakanlar elektronik gümrük beyannamesine geçileceği sözünü verdi.",
            "İki ülkenin kurduğu ortak lojistik şirketinin {next_year} yılında faaliyete geçmesi bekleniyor.",
            "Yetkililere göre yeni bağlantılar tamamlandığında Bakü ile Türkiye sınırı arasındaki yolculuk süresi {num} saatin altına inecek.",
            "Taşımacılar, kuzeydeki geleneksel güzergâhların pahalılaşmasından bu yana Orta Asyalı ihracatçıların talebinin hızla arttığını söylüyor.",
        ],
    },
    "trade": {
        "category": "economy",
        "angles": [
            {"titles": ["Türkiye-Azerbaycan ticaret hacmi {year} yılında {bn} milyar dolara ulaştı",
                        "Türkiye ile Azerbaycan arasındaki ticaret {bn} milyar doları aştı"],
             "leads": ["Türkiye ile Azerbaycan arasındaki ticaret hacmi {year} yılının ilk {num} ayında {bn} milyar dolara ulaştı."]},
            {"titles": ["Türkiye-Azerbaycan İş Forumu'na {mn} şirket katıldı",
                        "İş forumunda Türk ve Azerbaycanlı şirketler {num} anlaşma imzaladı"],
             "leads": ["{in_tr_city} {day} düzenlenen ve Türkiye ile Azerbaycan arasındaki ticareti yıllık 15 milyar dolara çıkarmayı amaçlayan iş forumuna {mn} şirket katıldı."]},
            {"titles": ["Azerbaycan ile tercihli ticaret anlaşması {num2} yeni ürünü kapsayacak",
                        "Bakan Bolat: Azerbaycan ile 15 milyar dolarlık ticaret hedefine yaklaşıyoruz"],
             "leads": ["Ticaret Bakanı Ömer Bolat, {day} Azerbaycan Ekonomi Bakanı Mikayıl Cabbarov ile yaptığı görüşmenin ardından Türkiye ile Azerbaycan arasındaki tercihli ticaret anlaşmasının genişletileceğini açıkladı."]},
        ],
        "body": [
            "Türkiye'nin Azerbaycan'a ihracatında makine, tekstil, mobilya ve gıda ürünleri öne çıkarken Azerbaycan Türkiye'ye ağırlıklı olarak petrol, gaz ve kimyasal ürün satıyor.",
            "2021'den bu yana yürürlükte olan tercihli ticaret anlaşması yüzlerce üründe gümrük vergilerini düşürdü.",
            "Türk şirketlerinin Azerbaycan'daki yatırımları 15 milyar doları aşarken Azerbaycan'ın Türkiye'deki yatırımları 20 milyar doların üzerinde.",
            "Forumda tarım, tekstil ve turizm alanlarında {num} işbirliği anlaşması imzalandı.",
            "İş insanları daha fazla doğrudan uçuş ve tır şoförleri için daha kolay vize işlemleri talep etti.",
            "Azerbaycan tarafı, 2020'de geri alınan bölgelerdeki projeleri finanse etmek için ortak bir yatırım fonu kurulmasını önerdi.",
            "Ekonomistler iki ekonominin birbirini tamamladığını söylüyor: Türkiye sanayi kapasitesi sunarken Azerbaycan enerji ve Orta Asya pazarlarına erişim sağlıyor.",
            "Bakanlar sonuçları değerlendirmek için {next_year} yılında yeniden bir araya gelme kararı aldı.",
            "İhracatçılar, planlanan ortak gümrük veri tabanının tırların sınırda beklediği süreyi birkaç saat kısaltacağını belirtti.",
        ],
    },
}

RELATION = [
    "Türkiye ile Azerbaycan arasındaki ilişkiler, Haydar Aliyev'in sözleriyle “tek millet, iki devlet” olarak tanımlanıyor.",
    "İki cumhurbaşkanının Haziran 2021'de imzaladığı Şuşa Beyannamesi, Ankara ile Bakü arasındaki ilişkileri resmen müttefiklik düzeyine taşıdı.",
    "Türkiye, 1991'de Azerbaycan'ın bağımsızlığını tanıyan ilk ülke olmuştu ve iki ülke o günden bu yana dış politikada yakın işbirliği yapıyor.",
    "Türkiye ile Azerbaycan arasındaki ticaret istikrarlı şekilde büyüyor ve iki hükümet yıllık 15 milyar dolarlık hedef belirlemiş durumda.",
    "Bakü'deki analistler, Türkiye ile ortaklığın Azerbaycan'a hem enerjisi için bir pazar hem de güvenilir bir güvenlik müttefiki sağladığını belirtiyor.",
    "Türk yetkililer, Azerbaycan'ı ülkelerinin Asya ile Avrupa arasında enerji ve ulaştırma merkezi olma hedefinde kilit ortak olarak görüyor.",
    "İki ülke, Türk dili konuşan ülkeleri bir araya getiren Türk Devletleri Teşkilatı içinde de yakın işbirliği yapıyor.",
    "Dışişleri bakanları Hakan Fidan ile Ceyhun Bayramov arasındaki düzenli temaslar, zirveler arasında da ikili gündemin canlı kalmasını sağlıyor.",
    "Ankara'daki diplomatlar, Bakü'den bir heyetin Türkiye'ye gelmediği ya da bir Türk heyetinin Azerbaycan'a gitmediği neredeyse hiçbir ay olmadığını belirtiyor.",
    "Vizesiz seyahat ve İstanbul ile Bakü arasındaki sık uçuşlar turizmi de ilişkilerin önemli ayaklarından biri haline getirdi.",
    "Binlerce Azerbaycanlı öğrenci Türk üniversitelerinde eğitim görüyor ve iki hükümet bu sayıyı daha da artırmayı hedefliyor.",
    "İki cumhurbaşkanının başkanlık ettiği Yüksek Düzeyli Stratejik İşbirliği Konseyi, enerji, savunma, ulaştırma ve ticaret alanlarındaki ortak projeleri yönlendiriyor.",
]

QUOTES = [
    "Bir Türk diplomat, “Azerbaycan'ın sevinci sevincimiz, kederi kederimizdir” dedi.",
    "Cumhurbaşkanı Aliyev'in bir danışmanı, “Türkiye ile ittifakımız Azerbaycan dış politikasının temel taşıdır” ifadesini kullandı.",
    "Bakü'deki bir düşünce kuruluşunda görev yapan bir araştırmacı, “Bölgede bu kadar yakın ilişkilere sahip başka iki ülke yok” değerlendirmesinde bulundu.",
    "Etkinliğe katılan bir Türk iş insanı, “Neredeyse aynı dili konuşuyoruz, şimdi de aynı geleceği inşa ediyoruz” dedi.",
    "Azerbaycanlı bir yetkili, “Türkiye ile tamamladığımız her proje Azerbaycan'ı daha da güçlendiriyor” diye konuştu.",
    "Bir siyaset analisti, “Ankara ile Bakü arasındaki işbirliği tüm Güney Kafkasya için bir istikrar unsuru haline geldi” yorumunu yaptı.",
]

CLOSINGS = [
    "Yetkililer, {year} yılı sona ermeden yeni görüşmelerin yapılmasının planlandığını belirtti.",
    "Taraflar anlaşmaların mali ayrıntılarını açıklamadı.",
    "Hükümetlerarası karma komisyonun bir sonraki toplantısının {next_year} yılında yapılması bekleniyor.",
    "İki hükümet, yeni projelerin ayrıntılarını önümüzdeki haftalarda kamuoyuyla paylaşacağını bildirdi.",
    "Heyetlerin önümüzdeki aylarda yeniden bir araya gelmesi öngörülüyor.",
]

OFF_TOPIC = {
    "tr_inflation": {
        "home": "TR", "category": "economy",
        "angles": [
            {"titles": ["Yıllık enflasyon {month} ayında yüzde {pct} oldu",
                        "TÜİK açıkladı: Enflasyonda düşüş sürüyor, yıllık oran yüzde {pct}"],
             "leads": ["Türkiye İstatistik Kurumu (TÜİK) verilerine göre tüketici fiyatları {month} ayında yıllık bazda yüzde {pct} arttı ve enflasyondaki kademeli düşüş devam etti."]},
            {"titles": ["Merkez Bankası politika faizini yüzde {pct2} seviyesinde sabit tuttu",
                        "Faiz kararı sonrası dolar/TL {fx} seviyesinde"],
             "leads": ["Türkiye Cumhuriyet Merkez Bankası Para Politikası Kurulu {day} politika faizini yüzde {pct2} seviyesinde sabit tutarak enflasyon kalıcı olarak düşene kadar sıkı duruşunu koruyacağını bildirdi."]},
        ],
        "body": [
            "Fiyat artışlarında gıda ve konut harcamaları başı çekerken giyim fiyatları aylık bazda geriledi.",
            "Veriler açıklanmadan önce anket yapılan ekonomistler biraz daha yüksek bir oran bekliyordu.",
            "Açıklamanın ardından dolar/TL kuru {fx} seviyesinden işlem gördü.",
            "Hazine ve Maliye Bakanı Mehmet Şimşek, dezenflasyon programının sonuç verdiğini ve mali disiplinin süreceğini söyledi.",
            "İstanbul ve İzmir'de kiralar resmi enflasyonun çok üzerinde artarak hane halkı bütçeleri üzerinde ciddi baskı oluşturdu.",
            "İş dünyası temsilcileri, yüksek faizlerin ihracatçıları ve küçük işletmeleri zorladığını belirterek daha ucuz kredi çağrısında bulundu.",
            "Merkez Bankası'nın yıl sonu enflasyon tahmini şu anda yüzde {pct3} seviyesinde bulunuyor.",
            "Son iki yılda hayat pahalılığından en çok emekliler ve asgari ücretliler etkilendi.",
            "Analistler, aylık veriler iyileşmeye devam ederse Kurul'un faizleri kademeli olarak indirmeye başlamasını bekliyor.",
            "Bağımsız ekonomistlerden oluşan ENAG grubu yıllık enflasyonu çok daha yüksek hesapladı.",
            "Market zincirleri, tüketicilerin daha ucuz markalara yöneldiğini ve daha az miktarda alışveriş yaptığını bildirdi.",
            "Hükümetin asgari ücreti {next_year} yılı başında yeniden değerlendirmesi bekleniyor.",
            "Ulaştırma ve eğitim harcamalarındaki artış da yıllık enflasyonu yukarı çeken kalemler arasında yer aldı.",
            "Üretici fiyatlarındaki yavaşlamanın önümüzdeki aylarda tüketici fiyatlarına da yansıması bekleniyor.",
            "Borsa İstanbul'da bankacılık hisseleri açıklamanın ardından değer kazandı.",
            "Ekonomistler, hizmet enflasyonundaki katılığın dezenflasyon sürecini yavaşlattığına dikkat çekiyor.",
            "Kredi kartı harcamalarına getirilen sınırlamaların iç talebi dizginlemeye yardımcı olduğu belirtiliyor.",
            "Doğal gaz ve elektrik tarifelerinde yapılabilecek zamlar, piyasaların yakından izlediği riskler arasında bulunuyor.",
        ],
    },
    "tr_football": {
        "home": "TR", "category": "sports",
        "angles": [
            {"titles": ["Süper Lig'de {tr_home} - {tr_away} maçı {g1}-{g2} sona erdi",
                        "{tr_home}, {tr_away} karşısında {g1}-{g2} galip geldi"],
             "leads": ["Trendyol Süper Lig'de {day} oynanan maçta {tr_home}, {tr_away} karşısında {g1}-{g2} galip gelerek üst sıralara bir adım daha yaklaştı."]},
            {"titles": ["Son dakika golü güldürdü: {tr_home} {g1}, {tr_away} {g2}",
                        "{tr_home}, {crowd} taraftar önünde {tr_away} engelini geçti"],
             "leads": ["Yaklaşık {crowd} taraftarın izlediği mücadelede {tr_home}, {tr_away} ile oynadığı maçı {g1}-{g2} kazandı."]},
        ],
        "body": [
            "Ev sahibi ekip, sol kanattan gelişen güzel bir atakla ilk yarıda öne geçti.",
            ("away_scored", "Konuk ekip ikinci yarının hemen başında eşitliği sağlasa da ev sahibi son yarım saatte oyunun kontrolünü yeniden ele aldı."),
            "Galibiyet golü {minute} dakikada korner sonrası kafa vuruşuyla geldi.",
            "Hakem gergin geçen ikinci yarıda {num} oyuncuya sarı kart gösterdi.",
            "Teknik direktör maçın ardından oyuncularının mücadelesini övdü ancak takımın bitiricilik konusunda gelişmesi gerektiğini söyledi.",
            "Taraftarlar maç sonunda stadyum çevresinde uzun süre galibiyeti kutladı.",
            "Bu sonucun ardından konuk ekip ligin orta sıralarında kaldı ve Avrupa kupaları hattının {num} puan gerisine düştü.",
            "Türkiye Futbol Federasyonu'nun maçın birkaç dakika durmasına neden olan olayları incelemesi bekleniyor.",
            "Kazanan ekip gelecek hafta şampiyonluk yarışındaki rakiplerinden birine konuk olacak.",
            "Kaleci son dakikalarda yaptığı üç önemli kurtarışla takımının galibiyetini korudu.",
            "İki takım da hafta başındaki yoğun yağış sonrası zeminin kötü durumundan şikayet etmişti.",
            "Sakatlıklar nedeniyle birçok as oyuncunun forma giyemediği maçta teknik direktör iki genç futbolcuya şans verdi.",
            "Maçın ilk yarım saatinde iki takım da kontrollü oynamayı tercih etti.",
            "Ev sahibinin orta sahadaki baskısı özellikle ikinci yarıda etkili oldu.",
            "Konuk takımın teknik direktörü hakem kararlarından şikayet ederek penaltı beklediklerini söyledi.",
            "Maç öncesinde stadyum çevresinde yoğun güvenlik önlemleri alındı.",
            "Takım kaptanı, kupada oynanacak maç öncesinde bu galibiyetle moral bulduklarını ifade etti.",
            "Yeni transfer, ilk kez ilk on birde forma giydiği maçta beğeni topladı.",
        ],
    },
    "istanbul_city": {
        "home": "TR", "category": "society",
        "angles": [
            {"titles": ["İstanbul'da yeni metro hattı hizmete açıldı: {num} istasyon",
                        "Anadolu Yakası'nda yeni metro hattı ulaşımı rahatlatacak"],
             "leads": ["İstanbul'da yeni bir metro hattı {day} hizmete açıldı; {num} istasyondan oluşan hat özellikle Anadolu Yakası'ndaki yolcuların işini kolaylaştıracak."]},
            {"titles": ["İstanbul'da {k} kişinin katıldığı deprem tatbikatı yapıldı",
                        "Olası İstanbul depremi için {k} gönüllüyle kapsamlı tatbikat"],
             "leads": ["İstanbul'da {day} düzenlenen büyük deprem tatbikatına yaklaşık {k} arama kurtarma görevlisi ve gönüllü katıldı; yetkililer kentin olası büyük bir depreme hazırlanması gerektiği uyarısında bulundu."]},
        ],
        "body": [
            (0, "Yaklaşık 16 milyon nüfuslu kent, yapılan araştırmalara göre trafikte en çok zaman kaybedilen Avrupa metropolleri arasında yer alıyor."),
            (0, "Yetkililer, hattın tam kapasiteye ulaştığında günde yaklaşık {mn} bin yolcu taşıyacağını açıkladı."),
            (0, "Yolcular yeni hattı memnuniyetle karşılasa da yoğun saatlerde trenlerin kalabalık olmasından şikayet etti."),
            (0, "Boğaz'ı geçen vapurlar, kentin Avrupa ve Anadolu yakaları arasında en çok tercih edilen ulaşım yollarından biri olmayı sürdürüyor."),
            (0, "İki yeni metro hattının daha {next_year} yılında tamamlanması bekleniyor."),
            (0, "Taksiciler, yeni hattın en yoğun güzergâhlarındaki talebi şimdiden azalttığını söylüyor."),
            (0, "Yoğun saatlerde trenler dört dakikada bir, gece saatlerinde ise sekiz dakikada bir sefer yapacak."),
            (0, "Belediye, yeni hatta ücretlerin ağın geri kalanıyla aynı olacağını açıkladı."),
            (0, "Hattın geçtiği semtlerde yaşayanlar, inşaat başladığından bu yana konut fiyatlarının yükselmeye başladığını söylüyor."),
            (1, "Sismologlar, Kuzey Anadolu Fayı'nın İstanbul'a yakın kesiminde önümüzdeki on yıllarda büyük bir deprem olmasının muhtemel olduğu konusunda uzun süredir uyarıyor."),
            (1, "Belediye, 2023 depremlerinin ardından {k} okul binasını güçlendirdi ya da yeniden inşa etti."),
            (1, "Valilik, {year} yılı sonuna kadar tüm ilçelerde benzer tatbikatlar düzenleneceğini bildirdi."),
            (1, "Vatandaşlardan su, el feneri ve önemli belgelerin kopyalarını içeren bir deprem çantası hazırlamaları istendi."),
            (1, "Tatbikat sırasında cep telefonlarına gönderilen uyarı mesajları da test edildi."),
            (1, "Gönüllüler çökmüş bir binadan yaralı çıkarma ve parklarda seyyar mutfak kurma tatbikatı yaptı."),
            (1, "Mühendisler, kentte on binlerce eski binanın hâlâ güçlendirilmesi gerektiğini tahmin ediyor."),
            (1, "Hastaneler acil durum güç kaynaklarını ve çok sayıda yaralıyı kabul etme prosedürlerini test etti."),
            (1, "Yetkililer vatandaşları, oturdukları binaların kentsel dönüşüm kapsamında incelenip incelenmediğini kontrol etmeye çağırdı."),
            "Şehir plancıları kentin daha fazla yeşil alana ve uygun fiyatlı konuta ihtiyaç duyduğunu belirtiyor.",
            (0, "Yeni hat, Marmaray ve diğer raylı sistemlerle aktarma imkânı sunuyor."),
            (0, "Açılış törenine katılan yetkililer, hattın inşasının yaklaşık beş yıl sürdüğünü hatırlattı."),
            (0, "Engelli yolcular için tüm istasyonlarda asansör ve hissedilebilir yüzeyler bulunuyor."),
            (1, "Tatbikatta okullarda öğrencilerin binaları tahliye etmesi de prova edildi."),
            (1, "Arama kurtarma köpekleri ve termal kameralar da tatbikatta kullanıldı."),
            (1, "İtfaiye ekipleri, dar sokaklara ulaşım sorununa karşı motosikletli müdahale birimlerini tanıttı."),
            "Belediye meclisi, gelecek yılın bütçesinde ulaşım ve afet hazırlığına ayrılan payın artırılmasını onayladı.",
        ],
    },
    "tr_weather": {
        "home": "TR", "category": "society",
        "angles": [
            {"titles": ["Karadeniz'de sağanak alarmı: {num} ilde sarı kod",
                        "Meteoroloji uyardı: Doğu Karadeniz'de kuvvetli yağış bekleniyor"],
             "leads": ["Meteoroloji Genel Müdürlüğü, Doğu Karadeniz'de {day} etkili olması beklenen kuvvetli sağanak nedeniyle {num} il için sarı kodlu uyarı yayımladı."]},
            {"titles": ["Sıcak hava dalgası: Termometreler {temp} dereceyi gösterdi",
                        "Ege ve Akdeniz'de kavurucu sıcaklar sürüyor"],
             "leads": ["Ege ve Akdeniz bölgelerinde {day} hava sıcaklığı {temp} dereceye kadar yükseldi; uzmanlar sıcak havanın birkaç gün daha süreceğini açıkladı."]},
        ],
        "body": [
            (0, "Yetkililer dere yataklarının yakınında yaşayan vatandaşları dikkatli olmaları konusunda uyardı."),
            (0, "AFAD ekipleri su baskını ve heyelan riskine karşı bölgede hazır bekletiliyor."),
            (0, "Bazı ilçelerde okullar bir gün süreyle tatil edildi."),
            (0, "Karayollarında bazı güzergâhlar heyelan nedeniyle kısa süreliğine trafiğe kapatıldı."),
            (0, "Meteoroloji, yağış miktarının bazı noktalarda mevsim normallerinin yüzde {pct} üzerine çıktığını bildirdi."),
            (0, "Bazı köy yollarında taşan dereler nedeniyle ulaşım sağlanamıyor."),
            (0, "Rize ve Artvin'de bazı evlerin bodrum katlarını su bastı."),
            (0, "Fındık bahçelerinde çalışan tarım işçileri yağış nedeniyle işlerine ara vermek zorunda kaldı."),
            (0, "Yağışların hafta ortasından itibaren etkisini kaybetmesi bekleniyor."),
            (1, "Doktorlar yaşlıların ve çocukların günün en sıcak saatlerinde dışarı çıkmaması gerektiğini hatırlattı."),
            (1, "Çiftçiler uzun süren kuraklığın pamuk ve zeytin hasadını olumsuz etkileyebileceğini söylüyor."),
            (1, "Orman yangını riskine karşı ormanlık alanlara girişler geçici olarak yasaklandı."),
            (1, "Elektrik tüketimi klimaların yoğun kullanımı nedeniyle mevsim rekoru kırdı."),
            (1, "Sahil kentlerinde belediyeler vatandaşlar için serinleme noktaları kurdu."),
            (1, "Havaların hafta ortasından itibaren serinlemesi bekleniyor."),
            (1, "Plajlar sabahın erken saatlerinden akşama kadar doldu."),
            (1, "Bazı işyerleri çalışanları öğle sıcağından korumak için mesai saatlerini değiştirdi."),
            (1, "Su tüketimi hızla artarken belediyeler vatandaşları suyu tasarruflu kullanmaya çağırdı."),
            "Uzmanlar, bu tür aşırı hava olaylarının son yıllarda daha sık yaşandığını vurguluyor.",
            (0, "Sağanak nedeniyle bazı tarım arazilerinin su altında kaldığı bildirildi."),
            (0, "Karadeniz Sahil Yolu'nda görüş mesafesi zaman zaman 50 metreye kadar düştü."),
            (0, "Vali, vatandaşlardan zorunlu olmadıkça yolculuk yapmamalarını istedi."),
            (1, "Antalya'da gölgede ölçülen sıcaklık son yılların en yüksek değerlerinden biri oldu."),
            (1, "Hayvancılıkla uğraşan üreticiler, hayvanlarını sıcaktan korumak için ek önlemler aldıklarını anlattı."),
            (1, "Belediyeler toplu taşıma araçlarında klimaların sürekli çalıştırılması talimatı verdi."),
            "Meteoroloji uzmanları vatandaşlara güncel uyarıları resmi kanallardan takip etmelerini tavsiye etti.",
        ],
    },
    "germany_election": {
        "home": None, "category": "world",
        "angles": [
            {"titles": ["Almanya'da seçim: CDU/CSU yüzde {share} ile ilk sırada",
                        "Almanya'da seçime katılım oranı yüzde {turnout} oldu"],
             "leads": ["Almanya'daki federal seçimlerin {day} açıklanan ilk sonuçlarına göre merkez sağdaki CDU/CSU ittifakı yaklaşık yüzde {share} oyla birinci parti oldu."]},
            {"titles": ["Berlin'de koalisyon görüşmeleri {num} haftadır sürüyor",
                        "Alman partiler {num} hafta içinde hükümet kurmayı hedefliyor"],
             "leads": ["Berlin'de koalisyon görüşmeleri {day} devam etti; parti liderleri hükümet programı üzerinde {num} hafta içinde uzlaşmayı umduklarını söyledi."]},
        ],
        "body": [
            "Katılım oranının yüzde {turnout} olduğu ve bir önceki seçimin üzerinde gerçekleştiği açıklandı.",
            "Sosyal Demokratlar ağır kayıp yaşarken aşırı sağcı Almanya için Alternatif (AfD) özellikle ülkenin doğusunda oylarını artırdı.",
            "Yeşiller sorumluluk almaya hazır olduklarını, ancak iklim politikalarında kesintiyi kabul etmeyeceklerini açıkladı.",
            "Seçim kampanyasına ekonomik durgunluk, enerji fiyatları ve göç konuları damga vurdu.",
            "Küçük partiler Federal Meclis'e girmek için gereken yüzde beşlik barajı aşmakta zorlandı.",
            "Analistler, muhafazakârlar ile Sosyal Demokratlar arasında bir koalisyonun en olası seçenek olduğunu değerlendiriyor.",
            "İş dünyası örgütleri yeni hükümete bürokrasiyi azaltma ve demiryolu, köprü ve dijital altyapıya yatırım yapma çağrısında bulundu.",
            "Avrupalı ortaklar, Almanya'nın tutumu AB'deki savunma ve bütçe tartışmalarını şekillendireceği için görüşmeleri yakından izliyor.",
            "Sosyal Demokrat Parti üyeleri olası koalisyon anlaşmasını posta yoluyla yapılacak oylamada onaylayacak.",
            "Görevdeki kabine, yeni başbakan seçilene kadar geçici olarak görevini sürdürüyor.",
            "Anketler, seçmenlerin önemli bir kısmının kararını kampanyanın son günlerinde verdiğini gösteriyor.",
            "Müzakereciler vergi, emeklilik, göç ve dış politika konularında çalışma grupları oluşturdu.",
            "Seçim gecesi Berlin'deki parti merkezlerinde sonuçlar farklı duygularla karşılandı.",
            "Doğu eyaletlerinde seçmenlerin önemli bir kısmı protesto oyu verdi.",
            "Sol Parti, özellikle genç seçmenler arasında beklenmedik bir destek gördü.",
            "Liberal FDP'nin meclise girip giremeyeceği gece yarısına kadar belirsizliğini korudu.",
            "Seçim sonuçları Avrupa borsalarında sınırlı bir etki yarattı.",
            "Yeni hükümetin önündeki en önemli konular arasında ekonominin canlandırılması ve savunma harcamaları bulunuyor.",
        ],
    },
    "japan_economy": {
        "home": None, "category": "world",
        "angles": [
            {"titles": ["Japonya ekonomisi son çeyrekte yüzde {gdp} büyüdü",
                        "Tüketim harcamaları Japonya'da büyümeyi yüzde {gdp} seviyesine taşıdı"],
             "leads": ["Japonya ekonomisi güçlenen tüketim harcamaları ve ihracatın etkisiyle son çeyrekte yıllıklandırılmış bazda yüzde {gdp} büyüdü; veriler {day} açıklandı."]},
            {"titles": ["Japonya Merkez Bankası faizi yüzde {rate} seviyesine çıkardı",
                        "Faiz kararı sonrası Japon yeni dolar karşısında {yen} seviyesinde"],
             "leads": ["Japonya Merkez Bankası {day} kısa vadeli faiz oranını yüzde {rate} seviyesine yükselterek on yıllardır süren ultra gevşek para politikasından kademeli çıkışını sürdürdü."]},
        ],
        "body": [
            "Ekonomistler, ücret artışlarının nihayet hane halkı tüketimine yansımaya başladığını belirtiyor.",
            "Açıklamanın ardından Japon yeni dolar karşısında {yen} seviyesinden işlem gördü.",
            "Otomobil ve elektronik üreticileri gibi ihracatçılar ABD ve Güneydoğu Asya'daki güçlü talepten yararlandı.",
            "Tokyo borsasında Nikkei 225 endeksi günü yüzde {pct_small} yükselişle tamamladı.",
            "Banka Başkanı Kazuo Ueda, politikanın ekonomik verilere bağlı olarak temkinli şekilde ayarlanacağını söyledi.",
            "Japonya, uzun vadeli büyüme potansiyelini sınırlayan azalan ve yaşlanan bir nüfusla karşı karşıya.",
            "Yıllık bahar ücret müzakereleri son otuz yılın en yüksek maaş artışlarıyla sonuçlandı.",
            "Hükümet, hane halklarının artan gıda ve enerji fiyatlarıyla başa çıkmasına yardımcı olmak için yeni bir teşvik paketi hazırlıyor.",
            "Yabancı ziyaretçi sayısının rekor kırdığı turizm sektörü de büyümeye katkı sağladı.",
            "Pirinç fiyatlarının bu yıl keskin şekilde yükselmesi üzerine hükümet stoklarını piyasaya sürdü.",
            "Bazı analistler Çin'den gelen talebin zayıflamasının önümüzdeki aylarda ihracatı olumsuz etkileyebileceği uyarısında bulundu.",
            "Karar sonrasında tahvil getirileri on yılı aşkın sürenin en yüksek seviyesine çıktı.",
            "Çeyreklik bazda bakıldığında büyümenin beklentilerin biraz üzerinde gerçekleştiği görüldü.",
            "Özel sektör yatırımları, yarı iletken ve otomasyon alanındaki harcamalarla desteklendi.",
            "Tüketici güven endeksi art arda üçüncü ay yükseldi.",
            "İşsizlik oranı yüzde 2,5 civarında seyrederek düşük seviyesini korudu.",
            "Ekonomistler, Japon yenindeki dalgalanmaların ithalat fiyatlarını doğrudan etkilediğini hatırlatıyor.",
            "Hükümet, bütçe açığını azaltmak için orta vadeli bir mali plan üzerinde çalışıyor.",
        ],
    },
}

SYND_PREFIX = [
    "({source} tarafından haberleştirilmiştir.)",
    "Bu haber ilk olarak {source} tarafından yayımlanmış ve içerik paylaşım anlaşması kapsamında yeniden yayımlanmıştır.",
    "(Kaynak: {source})",
]
SYND_ENDING = [
    "Habere {target} muhabirleri de katkı sağladı.",
    "Haber, {target} editörlerince kısaltılarak yayımlanmıştır.",
    "Gelişmeleri {target} olarak takip etmeye devam edeceğiz.",
]

COMMENTERS = ("ahmet_34", "Zeynep K.", "gurbetci", "Mert", "ayse.y", "okur1975", "Serkan", "deniz_mavi",
              "Hülya", "Kadir T.")
COMMENTS = (
    "Detaylı haber için teşekkürler.",
    "Güzel bir yazı olmuş, elinize sağlık.",
    "Bakalım ilerleyen günlerde neler olacak.",
    "Çok bilgilendirici, arkadaşlarımla paylaştım.",
    "Bu konuyu haftalardır takip ediyorum, sonunda rakamlar da geldi.",
    "Açıklamanın tamamını nerede bulabiliriz?",
    "Haberin devamını bekliyoruz.",
    "Yorumlara katılmıyorum ama haber iyi hazırlanmış.",
    "Başlık biraz abartılı olmuş bence.",
    "Emeği geçenlere teşekkürler.",
)

SECTIONS = {"politics": "Gündem", "economy": "Ekonomi", "sports": "Spor", "world": "Dünya", "society": "Yaşam"}

UI = {
    "home": "Ana Sayfa", "latest": "Son Dakika", "related": "İlgili Haberler", "most_read": "En Çok Okunanlar",
    "comments": "Yorumlar", "leave_comment": "Yorum yazın", "name": "Adınız", "post": "Gönder",
    "cookie": "Size daha iyi hizmet sunabilmek ve kişiselleştirilmiş reklamlar gösterebilmek için çerezler "
              "kullanıyoruz. Siteyi kullanmaya devam ederek çerez politikamızı kabul etmiş olursunuz.",
    "accept": "Kabul et", "cookie_settings": "Çerez ayarları",
    "newsletter": "Günün özeti her sabah e-posta kutunuzda", "subscribe": "Abone ol", "email": "E-posta adresiniz",
    "next": "Sonraki sayfa", "prev": "Önceki sayfa", "page": "Sayfa", "by": "", "updated": "Güncelleme",
    "read_more": "Devamını oku", "share": "Paylaş", "tags": "Etiketler", "rights": "Tüm hakları saklıdır.",
    "search": "Ara", "about": "Hakkımızda", "contact": "İletişim", "advertise": "Reklam",
    "privacy": "Gizlilik politikası", "terms": "Kullanım koşulları", "careers": "Kariyer", "video": "Video",
    "opinion": "Yazarlar", "gallery": "Foto Galeri", "subscribe_page": "Abonelik",
    "not_found": "Sayfa bulunamadı", "not_found_text": "Aradığınız sayfa kaldırılmış ya da hiç var olmamış olabilir.",
    "error": "Sunucu hatası", "error_text": "Bir sorun oluştu. Lütfen daha sonra tekrar deneyin.",
    "breaking": "Son dakika", "photo": "Fotoğraf", "editions": "Sürümler", "rss": "RSS",
    "static_text": "Bu sayfa sitemizin bir parçasıdır. Ayrıntılı bilgi için yazı işleri ile iletişime geçebilirsiniz.",
}
