"""English texts for the sample outlets: headlines, sentences and page furniture.

Templates use {slots} filled per article (see compose.slot_values). Each topic has
"angles" (a headline family with matching lead sentences) and a pool of body sentences.
On-topic leads always name both countries; off-topic pools name at most one.
A body entry may be (tag, sentence): tag 0/1/2 limits it to that angle, "away_scored"
to match reports where the losing side scored at least once.
"""
from __future__ import annotations

import random

LANG = "en"
DECIMAL = "."
THOUSANDS = ","
WEEKDAYS = ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
IN_TR_CITY = ("in Ankara", "in Istanbul", "in Izmir", "in Antalya", "in Kars")
IN_AZ_CITY = ("in Baku", "in Shusha", "in Ganja", "in Nakhchivan", "in Fuzuli")
KB = ("Aghdam", "Fuzuli", "Lachin", "Kalbajar", "Zangilan", "Jabrayil")
IN_KB = tuple(f"in {t}" for t in KB)
TEAMS_TR = ("Galatasaray", "Fenerbahçe", "Beşiktaş", "Trabzonspor", "Başakşehir", "Samsunspor",
            "Göztepe", "Kasımpaşa", "Konyaspor", "Antalyaspor")
TEAMS_AZ = ("Neftchi", "Sabah", "Zira", "Turan Tovuz", "Sumgayit", "Kapaz", "Sabail", "Shamakhi")


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def extra_slots(slots: dict, raw: dict, rng: random.Random) -> None:
    # Spelling varies between articles on purpose: crawlers must match both forms.
    slots["tr"] = rng.choice(("Turkey", "Türkiye"))
    slots["erdogan"] = rng.choice(("Erdoğan", "Erdogan"))
    slots["minute"] = ordinal(raw["minute"])


def format_date(dt) -> str:
    return f"{dt.day} {MONTHS[dt.month - 1]} {dt.year}, {dt:%H:%M}"


ON_TOPIC = {
    "summit": {
        "category": "politics",
        "angles": [
            {"titles": ["{erdogan} and Aliyev hold talks {in_az_city}, sign {num} agreements",
                        "Aliyev hosts {erdogan} {in_az_city} as {tr} and Azerbaijan deepen alliance"],
             "leads": ["Turkish President Recep Tayyip {erdogan} and Azerbaijani President Ilham Aliyev held talks {in_az_city} {day}, pledging to take the alliance between {tr} and Azerbaijan to a new level."]},
            {"titles": ["Aliyev arrives {in_tr_city} for talks with {erdogan}, {num} deals on the table",
                        "{erdogan} welcomes Aliyev {in_tr_city} with official ceremony"],
             "leads": ["Azerbaijani President Ilham Aliyev met his Turkish counterpart Recep Tayyip {erdogan} {in_tr_city} {day}, and the two leaders signed {num} agreements covering energy, transport and defence."]},
            {"titles": ["{tr} and Azerbaijan leaders reaffirm Shusha Declaration {in_az_city}",
                        "'One nation, two states': {erdogan} and Aliyev meet again {in_az_city}"],
             "leads": ["The leaders of {tr} and Azerbaijan, Recep Tayyip {erdogan} and Ilham Aliyev, reaffirmed their commitment to the Shusha Declaration at a meeting {in_az_city} {day}."]},
        ],
        "body": [
            "The talks began in a one-on-one format and continued with the participation of ministers from both delegations.",
            "According to the presidential office, the documents signed after the meeting cover cooperation in energy, transport, education and the defence industry.",
            "{erdogan} told reporters that Ankara would continue to stand by Baku “in good times and bad”, describing the relationship as a model for the whole region.",
            "Aliyev thanked the Turkish people for their support during the 2020 war and said the unity of the two countries had changed the balance of power in the South Caucasus.",
            "The leaders also discussed the peace process between Azerbaijan and Armenia and the opening of regional transport links that have been closed for decades.",
            "A joint statement issued after the talks said the next meeting of the High-Level Strategic Cooperation Council would be held in {next_year}.",
            "Before the talks the guest was welcomed with a guard of honour, and the two presidents later laid wreaths at a memorial to fallen soldiers.",
            "The two presidents have met {num} times since the start of {year}, a pace that reflects the intensity of their personal diplomacy.",
            "Officials from both sides said the atmosphere of the talks had been “warm and sincere”, in keeping with the tradition of their meetings.",
        ],
    },
    "diplomacy": {
        "category": "politics",
        "angles": [
            {"titles": ["Foreign ministers of {tr} and Azerbaijan meet {in_tr_city}",
                        "Fidan and Bayramov discuss South Caucasus peace {in_tr_city}"],
             "leads": ["Turkish Foreign Minister Hakan Fidan and his Azerbaijani counterpart Jeyhun Bayramov met {in_tr_city} {day} to discuss bilateral relations and the situation in the South Caucasus."]},
            {"titles": ["{tr}, Azerbaijan and Georgia foreign ministers agree {num}-point plan {in_az_city}",
                        "Baku and Ankara coordinate positions ahead of Turkic States summit"],
             "leads": ["The foreign ministers of {tr} and Azerbaijan held talks {in_az_city} {day}, agreeing to coordinate their positions in international organisations."]},
            {"titles": ["Fidan: {tr} will always back Azerbaijan's territorial integrity",
                        "Bayramov says Azerbaijan and {tr} act as one on foreign policy"],
             "leads": ["{tr} and Azerbaijan will step up diplomatic coordination, Foreign Ministers Hakan Fidan and Jeyhun Bayramov said after a meeting {in_az_city} {day}."]},
        ],
        "body": [
            "Bayramov briefed his Turkish colleague on the latest stage of the peace talks with Armenia, including work on the delimitation of the border.",
            "Fidan said Ankara supported a lasting peace agreement based on respect for Azerbaijan's territorial integrity.",
            "The ministers also reviewed preparations for the next trilateral meeting with Georgia, a format that has shaped energy and transport cooperation in the region.",
            "Both sides welcomed the growing role of the Organization of Turkic States and agreed to present joint initiatives at its next summit.",
            "According to a statement from the Turkish Foreign Ministry, the talks lasted more than two hours and ended with a working dinner.",
            "The ministers exchanged views on the situation in the Middle East and on the war in Ukraine.",
            "Diplomats said the sides would sign a new plan of political consultations covering the period until {next_year}.",
            "Bayramov invited Fidan to attend the Baku Global Forum, and the Turkish minister accepted the invitation.",
            "The two ministers speak by phone almost every week, according to officials familiar with their schedules.",
        ],
    },
    "defence": {
        "category": "politics",
        "angles": [
            {"titles": ["{tr} and Azerbaijan launch joint exercise with {k} troops",
                        "Joint {tr}-Azerbaijan military drills to last {num} days"],
             "leads": ["Turkish and Azerbaijani armed forces began a joint exercise {in_az_city} {day}, involving about {k} troops as well as armoured vehicles, artillery and drones."]},
            {"titles": ["{tr}, Azerbaijan sign defence industry deal worth ${bn} billion",
                        "Baykar to deliver new Bayraktar TB2 drones to Azerbaijan under {tr} deal"],
             "leads": ["{tr} and Azerbaijan have signed a new agreement on defence industry cooperation, under which Turkish companies will help Baku modernise its armed forces."]},
            {"titles": ["Azerbaijani military delegation tours Aselsan and TUSAŞ plants {in_tr_city}",
                        "Azerbaijan's generals visit Turkish drone maker Baykar {in_tr_city}"],
             "leads": ["An Azerbaijani military delegation visited Turkish defence companies {in_tr_city} {day}, including the drone maker Baykar, the electronics group Aselsan and the aerospace firm TUSAŞ."]},
        ],
        "body": [
            "Bayraktar TB2 drones built by Baykar played a prominent role in the 2020 Karabakh war and remain a symbol of military cooperation between the two countries.",
            "Officials said the drills were designed to improve the interoperability of the two armies and to test command and control in mountainous terrain.",
            "Aselsan has supplied communications and electro-optical systems to the Azerbaijani army, while TUSAŞ is discussing the joint production of aircraft components.",
            "The Azerbaijani armed forces have gradually moved to the Turkish military model, and hundreds of officers have been trained at academies in {tr}.",
            "The exercise will continue for {num} days and end with a demonstration attended by senior commanders of both armies.",
            "Under the Shusha Declaration, the two countries pledged to assist each other if either faced a threat or an attack from a third state.",
            "Defence Minister Yaşar Güler said cooperation with Azerbaijan was “not directed against any third country” and served stability in the region.",
            "Experts note that defence exports to Azerbaijan have made the country one of the most important customers of the Turkish defence industry.",
            "Turkish instructors have also helped to set up training centres for drone operators and special forces in Azerbaijan.",
        ],
    },
    "karabakh": {
        "category": "politics",
        "angles": [
            {"titles": ["Turkish company hands over {num} apartment blocks {in_kb}",
                        "Turkish builders to rebuild {kb} town centre, Azerbaijan says"],
             "leads": ["A Turkish construction company has completed {num} residential buildings {in_kb}, part of Azerbaijan's programme to rebuild the Karabakh region with support from {tr}."]},
            {"titles": ["Shusha hosts {tr}-Azerbaijan forum on Karabakh reconstruction",
                        "Turkish firms win bigger share of Karabakh rebuilding, Baku officials say"],
             "leads": ["Turkish and Azerbaijani officials gathered in Shusha {day} to review reconstruction projects in Karabakh, where Turkish firms hold a large share of the contracts."]},
            {"titles": ["Azerbaijan signs contract with Turkish consortium to rebuild {kb}",
                        "New school {in_kb} opens with funding from {tr}"],
             "leads": ["Azerbaijan has signed a new contract with a Turkish consortium to rebuild roads, water and power networks {in_kb}, officials in Baku said {day}."]},
        ],
        "body": [
            "The region was largely destroyed during three decades of Armenian occupation, and Baku has made its reconstruction a national priority since 2020.",
            "Turkish companies have built roads, tunnels, power lines and the international airport in Fuzuli, which opened in 2021 with {erdogan} and Aliyev attending the ceremony.",
            "The first families have already returned to the rebuilt villages, and officials expect about {k} residents to move in by the end of {year}.",
            "Among the new buildings is a school with places for {mn} pupils, funded by the Turkish government as a gift to Azerbaijan.",
            "Engineers from both countries say the clearing of landmines from farmland remains the main obstacle to faster progress.",
            "Turkish experts are also helping to restore historical monuments in Shusha, including mosques and old merchant mansions.",
            "The Azerbaijani government has allocated about {bn} billion manats to reconstruction projects this year.",
            "Local officials said the projects had created about {mn} jobs for people returning to the region.",
            "Architects said the new districts combine traditional stone facades with modern heating and water systems.",
        ],
    },
    "energy": {
        "category": "economy",
        "angles": [
            {"titles": ["TANAP gas flows to {tr} rise {pct} percent as Azerbaijan boosts output",
                        "Azerbaijani gas exports to {tr} up {pct} percent in {year}"],
             "leads": ["Gas deliveries from Azerbaijan to {tr} through the Trans-Anatolian Natural Gas Pipeline (TANAP) increased by {pct} percent in the first months of {year}, energy officials said {day}."]},
            {"titles": ["Energy ministers of {tr} and Azerbaijan discuss gas and green power {in_az_city}",
                        "SOCAR plans ${bn} billion of new investment in {tr}"],
             "leads": ["Turkish Energy Minister Alparslan Bayraktar and Azerbaijani Energy Minister Parviz Shahbazov met {in_az_city} {day} to discuss gas supplies, oil transit and renewable energy."]},
            {"titles": ["Igdir-Nakhchivan gas pipeline to carry first gas in {next_year}",
                        "Azerbaijan and {tr} extend gas supply deal by {num} years"],
             "leads": ["{tr} and Azerbaijan signed an agreement {day} to expand energy cooperation, including new gas volumes and the construction of the Igdir-Nakhchivan pipeline."]},
        ],
        "body": [
            "TANAP, which crosses Turkish territory from the Georgian border to Greece, is the central part of the Southern Gas Corridor that carries gas from Azerbaijan's Shah Deniz field to Europe.",
            "The Baku-Tbilisi-Ceyhan (BTC) oil pipeline, in operation since 2006, carries Azerbaijani crude to the Turkish Mediterranean port of Ceyhan.",
            "SOCAR, Azerbaijan's state oil company, is one of the largest foreign investors in {tr}, owning the STAR refinery and the Petkim petrochemical complex near Izmir.",
            "The pipeline to Nakhchivan will connect the Azerbaijani exclave to the Turkish gas network and is expected to carry about {mn} million cubic metres a year.",
            "Officials also discussed exporting electricity from new wind and solar farms in Azerbaijan to {tr} and on to Europe.",
            "Ankara sees Azerbaijani gas as a way to diversify its supply, while Baku relies on Turkish territory to reach European customers.",
            "According to the Energy Ministry, {tr} imported about {bn} billion cubic metres of Azerbaijani gas last year.",
            "The sides agreed to set up a working group that will report to the two ministers within {num} months.",
            "Traders said the new volumes would help Turkish industry during the winter months, when demand for gas peaks.",
            "At the Greek border TANAP connects with the Trans Adriatic Pipeline (TAP), which carries Azerbaijani gas across Albania to southern Italy.",
        ],
    },
    "transport": {
        "category": "economy",
        "angles": [
            {"titles": ["Freight on Baku-Tbilisi-Kars railway up {pct} percent, officials say",
                        "Baku-Tbilisi-Kars line carries record cargo between Azerbaijan and {tr}"],
             "leads": ["Cargo traffic on the Baku-Tbilisi-Kars railway, which links Azerbaijan and {tr} through Georgia, rose by {pct} percent in the first half of {year}, officials said {day}."]},
            {"titles": ["Zangezur corridor will link {tr} to Central Asia via Azerbaijan, ministers say",
                        "Work on Kars-Nakhchivan railway speeds up as {tr} and Azerbaijan sign protocol"],
             "leads": ["{tr} and Azerbaijan agreed {day} to speed up work on the Zangezur corridor, a planned route that would connect mainland Azerbaijan with Nakhchivan and the Turkish border."]},
            {"titles": ["Transport ministers of {tr} and Azerbaijan meet {in_az_city}",
                        "{num} extra weekly flights planned between Istanbul and Baku"],
             "leads": ["Turkish Transport Minister Abdulkadir Uraloğlu met Azerbaijan's Minister of Digital Development and Transport Rashad Nabiyev {in_az_city} {day} to discuss rail, road and air links between the two countries."]},
        ],
        "body": [
            "The Baku-Tbilisi-Kars line opened in 2017 and forms a key part of the Middle Corridor, a trade route between China and Europe that bypasses Russia.",
            "The planned Kars-Igdir-Nakhchivan railway, about 224 kilometres long, will connect the Turkish rail network with the Azerbaijani exclave.",
            "Officials said the modernisation of the Georgian section would allow the line to handle up to {num} million tonnes of freight a year.",
            "Ankara and Baku argue that the Zangezur corridor will benefit the whole region, including Armenia, by reopening long-closed borders.",
            "Direct flights between Istanbul and Baku are among the busiest international routes for both Turkish Airlines and Azerbaijan Airlines.",
            "Logistics companies complain that border procedures still slow down deliveries, and the ministers promised to introduce electronic customs declarations.",
            "A joint logistics company set up by the two countries is expected to begin operations in {next_year}.",
            "Transport officials estimate that journey times between Baku and the Turkish border could fall below {num} hours once the new links are completed.",
            "Freight forwarders say demand from Central Asian exporters has grown sharply since traditional northern routes became more expensive.",
        ],
    },
    "trade": {
        "category": "economy",
        "angles": [
            {"titles": ["Trade between {tr} and Azerbaijan reaches ${bn} billion in {year}",
                        "{tr}-Azerbaijan trade keeps growing, reaching ${bn} billion"],
             "leads": ["Trade turnover between {tr} and Azerbaijan reached ${bn} billion in the first {num} months of {year}, according to official statistics published {day}."]},
            {"titles": ["{mn} companies attend {tr}-Azerbaijan business forum {in_tr_city}",
                        "Turkish and Azerbaijani firms sign {num} deals at business forum"],
             "leads": ["More than {mn} Turkish and Azerbaijani companies took part in a business forum {in_tr_city} {day}, aimed at raising bilateral trade to $15 billion a year."]},
            {"titles": ["Azerbaijan and {tr} add {num2} products to preferential trade deal",
                        "Bolat: {tr} and Azerbaijan close in on $15 billion trade target"],
             "leads": ["{tr} and Azerbaijan have agreed to expand their preferential trade agreement, Trade Minister Ömer Bolat said {day} after talks with Azerbaijani Economy Minister Mikayil Jabbarov."]},
        ],
        "body": [
            "Turkish exports to Azerbaijan are dominated by machinery, textiles, furniture and food products, while Azerbaijan mainly sells oil, gas and chemicals to {tr}.",
            "The preferential trade agreement, in force since 2021, cut customs duties on several hundred products.",
            "Turkish companies have invested more than $15 billion in Azerbaijan, mostly in construction, telecommunications and banking, while Azerbaijani investment in {tr} exceeds $20 billion.",
            "Participants signed {num} cooperation agreements in agriculture, textiles and tourism.",
            "Business leaders called for more direct flights and simpler visa procedures for lorry drivers.",
            "The Azerbaijani side proposed a joint investment fund to finance projects in the regions regained in 2020.",
            "Economists say the two economies complement each other: {tr} offers industrial capacity, and Azerbaijan provides energy and access to Central Asian markets.",
            "The ministers agreed to meet again in {next_year} to review the results.",
            "Exporters said a planned joint customs database would cut the time trucks spend at the border by several hours.",
        ],
    },
}

RELATION = [
    "Relations between {tr} and Azerbaijan are often summed up by the phrase “one nation, two states”, coined by the late Azerbaijani leader Heydar Aliyev.",
    "The Shusha Declaration, signed by the two presidents in June 2021, formally raised ties between Ankara and Baku to the level of an alliance.",
    "{tr} was the first country to recognise Azerbaijan's independence in 1991, and the two have coordinated closely on foreign policy ever since.",
    "Bilateral trade between {tr} and Azerbaijan has grown steadily, and both governments have set a target of $15 billion a year.",
    "Analysts in Baku say the partnership with {tr} gives Azerbaijan both a market for its energy and a reliable security ally.",
    "Turkish officials describe Azerbaijan as a key partner in their country's ambition to become an energy and transport hub between Asia and Europe.",
    "The two countries also work together in the Organization of Turkic States, which brings together several Turkic-speaking nations.",
    "Regular contacts between the foreign ministers, Hakan Fidan and Jeyhun Bayramov, keep the bilateral agenda moving between summits.",
    "Diplomats in Ankara note that hardly a month passes without a delegation from Baku visiting {tr}, or a Turkish delegation travelling to Azerbaijan.",
    "Visa-free travel and frequent flights between Istanbul and Baku have turned tourism into another pillar of the relationship.",
    "Thousands of Azerbaijani students are enrolled at Turkish universities, a number both governments hope to raise further.",
    "The High-Level Strategic Cooperation Council, chaired by the two presidents, oversees joint projects in energy, defence, transport and trade.",
]

QUOTES = [
    "“Azerbaijan's joy is our joy and its sorrow is our sorrow,” a Turkish diplomat said, repeating a phrase often heard in Ankara.",
    "“Our alliance with {tr} is the cornerstone of Azerbaijan's foreign policy,” an adviser to President Aliyev told journalists.",
    "“There is no other pair of countries in the region with such close ties,” said a researcher at a think tank in Baku.",
    "“We speak almost the same language, and now we are building the same future,” said a Turkish businessman attending the event.",
    "“Every project we complete with {tr} makes Azerbaijan stronger,” an Azerbaijani official said.",
    "“Cooperation between Ankara and Baku has become a factor of stability in the whole South Caucasus,” a political analyst told reporters.",
]

CLOSINGS = [
    "Officials said further talks were planned before the end of {year}.",
    "Neither side disclosed the financial details of the agreements.",
    "The next meeting of the joint intergovernmental commission is expected to take place in {next_year}.",
    "Both governments said they would publish details of the new projects in the coming weeks.",
    "The delegations are due to meet again in the coming months.",
]

OFF_TOPIC = {
    "tr_inflation": {
        "home": "TR", "category": "economy",
        "angles": [
            {"titles": ["Turkish annual inflation slows to {pct} percent in {month}",
                        "TurkStat: consumer prices in {tr} up {pct} percent year on year"],
             "leads": ["Annual consumer price inflation in {tr} slowed to {pct} percent in {month}, the Turkish Statistical Institute (TurkStat) said {day}, extending a gradual decline that began last year."]},
            {"titles": ["Turkish central bank holds key rate at {pct2} percent",
                        "Central bank keeps tight policy as Turkish lira trades at {fx} per dollar"],
             "leads": ["The Central Bank of the Republic of Turkey kept its policy rate at {pct2} percent {day}, saying it would maintain a tight stance until inflation falls durably."]},
        ],
        "body": [
            "Food and housing costs remained the main drivers of price growth, while clothing prices fell on a monthly basis.",
            "Economists polled before the data release had expected a slightly higher figure.",
            "The Turkish lira traded at around {fx} against the US dollar after the announcement.",
            "Finance Minister Mehmet Şimşek said the disinflation programme was working and that fiscal discipline would continue.",
            "Rents in Istanbul and Izmir have risen far faster than official inflation, putting heavy pressure on household budgets.",
            "Business groups called for cheaper credit, arguing that high interest rates are hurting exporters and small firms.",
            "The central bank's year-end inflation forecast currently stands at {pct3} percent.",
            "Pensioners and minimum-wage earners have been hit hardest by the rise in living costs over the past two years.",
            "Analysts expect the monetary policy committee to begin cutting rates gradually if the monthly figures keep improving.",
            "Independent economists at the ENAG research group published a considerably higher estimate of annual inflation.",
            "Supermarket chains said shoppers were switching to cheaper brands and buying smaller quantities.",
            "The government plans to review the minimum wage again at the start of {next_year}.",
        ],
    },
    "tr_football": {
        "home": "TR", "category": "sports",
        "angles": [
            {"titles": ["{tr_home} beat {tr_away} {g1}-{g2} in Süper Lig",
                        "Süper Lig: {tr_home} see off {tr_away} {g1}-{g2}"],
             "leads": ["{tr_home} beat {tr_away} {g1}-{g2} in the Turkish Süper Lig {day}, moving closer to the top of the table."]},
            {"titles": ["Late goal gives {tr_home} {g1}-{g2} win over {tr_away}",
                        "{tr_home} edge {tr_away} in front of {crowd} fans"],
             "leads": ["A crowd of about {crowd} watched {tr_home} defeat {tr_away} {g1}-{g2} in a lively Süper Lig match {day}."]},
        ],
        "body": [
            "The home side took the lead in the first half after a well-worked move down the left wing.",
            ("away_scored", "The visitors equalised shortly after the break, but the hosts regained control in the final half-hour."),
            "The winning goal came from a header following a corner in the {minute} minute.",
            "The referee showed {num} yellow cards in a tense second half.",
            "The coach praised his players' character but said the team still had to improve its finishing.",
            "Fans celebrated in the streets around the stadium long after the final whistle.",
            "The result leaves the visitors in mid-table, {num} points behind the European places.",
            "The Turkish Football Federation is expected to review the incidents that stopped the match for several minutes.",
            "Next week the winners travel to face one of their title rivals, while the losers host a team fighting relegation.",
            "The goalkeeper made three important saves in the closing stages to protect the lead.",
            "Both teams had complained about the state of the pitch after heavy rain earlier in the week.",
            "Several regular starters were missing through injury, forcing the coach to field two teenagers.",
            "Both sides played cautiously in the opening half-hour.",
            "The home team's pressure in midfield paid off in the second half.",
            "The visiting coach complained about the refereeing and said his side should have had a penalty.",
            "A new signing impressed on his first start for the club.",
        ],
    },
    "istanbul_city": {
        "home": "TR", "category": "society",
        "angles": [
            {"titles": ["Istanbul opens new metro line with {num} stations",
                        "New Istanbul metro line to ease commute on the Asian side"],
             "leads": ["Istanbul opened a new metro line {day}, adding {num} stations to the rail network of {tr}'s largest city and promising relief for commuters on the Asian side."]},
            {"titles": ["Istanbul earthquake drill involves {k} rescue workers",
                        "Istanbul stages large earthquake exercise with {k} volunteers"],
             "leads": ["About {k} rescue workers and volunteers took part in a large earthquake drill in Istanbul {day}, as officials warned that the city must prepare for a major quake."]},
        ],
        "body": [
            (0, "The city of about 16 million people loses more hours in traffic than almost any other European metropolis, according to several studies."),
            (0, "Officials said the line would carry about {mn} thousand passengers a day once it reaches full capacity."),
            (0, "Commuters welcomed the new service but complained about crowded trains during rush hour."),
            (0, "Ferries across the Bosphorus remain one of the most popular ways to travel between the European and Asian sides of the city."),
            (0, "Construction of two further metro lines is expected to be completed by {next_year}."),
            (0, "Taxi drivers said the new line had already reduced demand on some of their busiest routes."),
            (0, "Trains will run every four minutes at peak times and every eight minutes late in the evening."),
            (0, "The municipality said fares on the new line would be the same as on the rest of the network."),
            (0, "Residents of nearby districts said house prices had started to rise as soon as construction began."),
            (1, "Seismologists have long warned that a strong earthquake on the North Anatolian Fault near Istanbul is likely in the coming decades."),
            (1, "The municipality has strengthened or rebuilt more than {k} school buildings since the 2023 earthquakes in the south of the country."),
            (1, "The governor's office said emergency teams would hold similar exercises in every district by the end of {year}."),
            (1, "Residents were asked to prepare emergency bags with water, a torch and copies of important documents."),
            (1, "The drill also tested mobile phone alerts, which reached most residents within a minute."),
            (1, "Volunteers practised pulling people from a collapsed building and setting up field kitchens in parks."),
            (1, "Engineers estimate that tens of thousands of older buildings in the city still need to be reinforced."),
            (1, "Hospitals tested emergency power supplies and their procedures for receiving large numbers of injured people."),
            (1, "Officials urged residents to check whether their homes had been inspected under the urban renewal programme."),
            "Urban planners say the city also needs more green spaces and affordable housing.",
        ],
    },
    "az_culture": {
        "home": "AZ", "category": "society",
        "angles": [
            {"titles": ["Baku hosts international mugham festival with performers from {num} countries",
                        "Mugham festival opens in Baku to a full house"],
             "leads": ["The international mugham festival opened in Baku {day}, bringing together singers and musicians from {num} countries to celebrate Azerbaijan's traditional musical art."]},
            {"titles": ["Azerbaijan Carpet Museum opens exhibition of {mn} rare carpets",
                        "Carpets from four centuries on show at new Baku exhibition"],
             "leads": ["The Azerbaijan National Carpet Museum in Baku has opened a new exhibition featuring {mn} carpets made between the 17th and the 20th century."]},
        ],
        "body": [
            (0, "Mugham, a complex form of improvised vocal and instrumental music, is included in UNESCO's list of intangible cultural heritage."),
            (0, "Organisers said the programme included concerts, master classes and a competition for young performers."),
            (0, "Tickets for the evening concerts at the Azerbaijan State Philharmonic Hall sold out within days."),
            (0, "The festival closed with a gala concert featuring a symphony orchestra and a choir."),
            (0, "Young tar and kamancha players from music schools across the country performed on the first evening."),
            (0, "Local television broadcast the opening concert live, and recordings will be available online."),
            (0, "Among the guests were ensembles from Central Asia, the Middle East and Europe, who performed their own traditional music."),
            (0, "Critics praised the young singers, several of whom are students of the Baku Music Academy."),
            (0, "Organisers said that about {k} people attended the opening night."),
            (1, "The museum building on the Baku seafront, designed in the shape of a rolled carpet, has become one of the city's landmarks."),
            (1, "Curators said several of the exhibited pieces had been restored over the past {num} years."),
            (1, "The Ministry of Culture said it planned to take the exhibition to several regions of the country next year."),
            (1, "Many visitors came from Ganja, Sheki and Lankaran, and guides offered free tours in three languages."),
            (1, "The museum's director said interest had exceeded expectations and opening hours would be extended."),
            (1, "A series of lectures explains the symbols woven into the carpets and the schools of weaving they come from."),
            (1, "The oldest carpet on display was woven in the late 17th century and was donated to the museum by a private collector."),
            (1, "Visitors can also watch weavers at work on traditional looms in a workshop on the ground floor."),
            (1, "Entrance to the exhibition is free for schoolchildren and students until the end of the month."),
            "The event is part of a cultural programme that the city organises every year.",
        ],
    },
    "baku_weather": {
        "home": "AZ", "category": "society",
        "angles": [
            {"titles": ["Strong wind hits Baku, gusts reach {wind} metres per second",
                        "Khazri wind topples trees across Baku"],
             "leads": ["A strong northern wind known locally as the khazri swept through Baku {day}, with gusts reaching {wind} metres per second, the National Hydrometeorology Service of Azerbaijan said."]},
            {"titles": ["Heatwave in Azerbaijan: temperatures climb to {temp} degrees",
                        "Forecasters warn heat in Azerbaijan will last several more days"],
             "leads": ["Temperatures in parts of Azerbaijan rose to {temp} degrees Celsius {day}, and forecasters warned that the heat would last for several more days."]},
        ],
        "body": [
            (0, "Several trees were brought down in central Baku, and some flights at the city's airport were delayed."),
            (0, "Forecasters advised residents not to park cars under trees and to stay away from the seafront boulevard."),
            (0, "In mountainous districts such as Gusar and Gabala, temperatures fell below zero at night."),
            (0, "Rainfall on the Absheron peninsula was {pct} percent above the monthly average."),
            (0, "Ferries to the Caspian islands were cancelled because of high waves."),
            (0, "City services worked through the night to clear fallen branches from the main roads."),
            (0, "Meteorologists said such strong winds are typical for the capital in late autumn and early spring."),
            (0, "Gusts tore roofing sheets off several buildings in the suburbs, but no injuries were reported."),
            (0, "Waves splashed over the promenade as the water level near the boulevard rose briefly."),
            (0, "Temperatures dropped sharply as the wind strengthened, and residents were advised to dress warmly."),
            (1, "Doctors urged elderly people and children to stay indoors during the hottest hours of the day."),
            (1, "Farmers in the central lowlands said the dry weather was threatening cotton and grain harvests."),
            (1, "Electricity consumption reached a seasonal record as air conditioners ran around the clock."),
            (1, "Water consumption in the capital rose sharply, and utility companies asked residents to use water sparingly."),
            (1, "Beaches on the Absheron coast were crowded from early morning until late in the evening."),
            (1, "Some employers allowed staff to start work earlier so that they could avoid the midday heat."),
            (1, "Forecasters said the hot air mass had arrived from the south and would move away by the weekend."),
            "The Ministry of Emergency Situations said rescue teams were on alert in all regions.",
            "Weather conditions are expected to improve by the middle of next week.",
        ],
    },
    "az_football": {
        "home": "AZ", "category": "sports",
        "angles": [
            {"titles": ["{az_home} beat {az_away} {g1}-{g2} in Azerbaijan Premier League",
                        "Premier League: {az_home} overcome {az_away} {g1}-{g2}"],
             "leads": ["{az_home} defeated {az_away} {g1}-{g2} in the Azerbaijan Premier League {day}, strengthening their position in the race for European places."]},
            {"titles": ["Late goal gives {az_home} victory over {az_away}",
                        "{az_home} win in front of {crowd} supporters"],
             "leads": ["In front of about {crowd} supporters, {az_home} beat {az_away} {g1}-{g2} {day} to extend their unbeaten run."]},
        ],
        "body": [
            "The hosts opened the scoring in the first half after a fine move down the left flank.",
            ("away_scored", "The visitors levelled soon after the interval, but the home side took control again in the last half-hour."),
            "The winner was a header from a corner in the {minute} minute.",
            "The referee booked {num} players in a tense second half.",
            "The head coach praised his players' spirit but said they still wasted too many chances.",
            "Supporters celebrated outside the stadium long after the final whistle.",
            "The defeat leaves the visitors in mid-table, {num} points off the European places.",
            "The disciplinary committee of the AFFA will look into the incidents that halted play for several minutes.",
            "Next round the winners travel to one of their rivals for the title.",
            "The club's young striker scored for the third match in a row.",
            "The match was played on a heavy pitch after a day of rain.",
            "Both clubs are preparing for the winter break, when the transfer window reopens.",
            "Both teams were cautious in the first thirty minutes.",
            "The hosts' pressure in midfield finally told after the break.",
            "The visitors' head coach criticised the referee, saying his team had been denied a penalty.",
            "Security around the stadium was stepped up before kick-off.",
        ],
    },
    "germany_election": {
        "home": None, "category": "world",
        "angles": [
            {"titles": ["Germany's conservatives lead with {share} percent in federal election",
                        "German election turnout reaches {turnout} percent"],
             "leads": ["Germany's centre-right CDU/CSU alliance won the largest share of the vote in the federal election, with about {share} percent, according to preliminary results published {day}."]},
            {"titles": ["Coalition talks in Berlin drag on for {num} weeks",
                        "German parties aim to agree coalition deal within {num} weeks"],
             "leads": ["Coalition negotiations in Berlin continued {day}, with party leaders saying they hoped to agree on a government programme within {num} weeks."]},
        ],
        "body": [
            "Turnout was estimated at {turnout} percent, higher than at the previous election.",
            "The Social Democrats suffered heavy losses, while the far-right Alternative for Germany (AfD) gained ground, particularly in the east of the country.",
            "The Greens said they were ready to take responsibility but would not accept cuts to climate policy.",
            "Economic stagnation, energy prices and migration dominated the campaign.",
            "Smaller parties struggled to pass the five percent threshold required to enter the Bundestag.",
            "Analysts said a coalition between the conservatives and the Social Democrats was the most likely outcome.",
            "Business associations urged the next government to cut red tape and invest in railways, bridges and digital networks.",
            "European partners are watching the talks closely, as Germany's position will shape EU debates on defence and the budget.",
            "Party members of the Social Democrats will have the final say on any coalition agreement in a postal vote.",
            "The outgoing cabinet remains in office in a caretaker capacity until a new chancellor is elected.",
            "Opinion polls suggest that many voters decided only in the last days of the campaign.",
            "Negotiators have set up working groups on taxes, pensions, migration and foreign policy.",
            "In the eastern states, a large share of voters cast a protest vote.",
            "The Left party won unexpected support among young voters.",
            "The election result had only a limited effect on European stock markets.",
        ],
    },
    "japan_economy": {
        "home": None, "category": "world",
        "angles": [
            {"titles": ["Japan's economy grows {gdp} percent in latest quarter",
                        "Consumer spending lifts Japanese growth to {gdp} percent"],
             "leads": ["Japan's economy expanded at an annualised rate of {gdp} percent in the latest quarter, government data showed {day}, helped by stronger consumer spending and exports."]},
            {"titles": ["Bank of Japan raises interest rate to {rate} percent",
                        "Yen firms to {yen} per dollar after Bank of Japan decision"],
             "leads": ["The Bank of Japan {day} raised its short-term interest rate to {rate} percent, continuing its gradual exit from decades of ultra-loose monetary policy."]},
        ],
        "body": [
            "Economists said rising wages were finally feeding through to household consumption.",
            "The yen traded at about {yen} to the US dollar after the announcement.",
            "Exporters such as carmakers and electronics manufacturers benefited from strong demand in the United States and Southeast Asia.",
            "The Nikkei 225 stock index closed {pct_small} percent higher in Tokyo.",
            "Governor Kazuo Ueda said the central bank would adjust policy carefully, depending on economic data.",
            "Japan faces a shrinking and ageing population, which limits its long-term growth prospects.",
            "Annual spring wage negotiations resulted in the largest pay rises in three decades.",
            "The government is preparing a stimulus package to help households cope with higher food and energy prices.",
            "Tourism also supported growth, with foreign visitor numbers reaching a new record.",
            "Rice prices have risen sharply this year, prompting the government to release reserves.",
            "Some analysts warned that weaker demand from China could weigh on exports in the coming months.",
            "Bond yields rose to their highest level in more than a decade after the decision.",
            "Private investment was supported by spending on semiconductors and automation.",
            "The consumer confidence index rose for the third month in a row.",
            "Unemployment remained low at around 2.5 percent.",
        ],
    },
}

SYND_PREFIX = [
    "(Reported by {source}.)",
    "This story was first published by {source} and is republished under a content-sharing agreement.",
    "(Originally published by {source}.)",
]
SYND_ENDING = [
    "Additional reporting by the {target} newsroom.",
    "The {target} desk contributed to this report.",
    "This article has been edited for length by {target}.",
]

COMMENTERS = ("mehmet_k", "reader1987", "Aysel B.", "john_in_london", "Orhan", "Nigar", "tom.w", "caspian_fan",
              "s.novak", "Elvin")
COMMENTS = (
    "Thanks for the detailed report.",
    "Good article, but I would like to see more background next time.",
    "Let's wait and see what happens next.",
    "Very informative, I shared it with my friends.",
    "I have been following this story for weeks, glad to finally see some numbers.",
    "Does anyone know where to find the full statement?",
    "This is why I keep reading this site.",
    "Not sure I agree with the conclusions, but it is well written.",
    "The headline is a bit dramatic, in my opinion.",
    "Hope there will be a follow-up soon.",
)

SECTIONS = {"politics": "Politics", "economy": "Economy", "sports": "Sports", "world": "World",
            "society": "Life"}

UI = {
    "home": "Home", "latest": "Latest news", "related": "Related articles", "most_read": "Most read",
    "comments": "Comments", "leave_comment": "Leave a comment", "name": "Name", "post": "Post comment",
    "cookie": "We use cookies to improve your experience and to show personalised advertising. "
              "By continuing to browse the site you agree to our use of cookies.",
    "accept": "Accept all", "cookie_settings": "Cookie settings",
    "newsletter": "Get the morning briefing in your inbox", "subscribe": "Subscribe", "email": "Your e-mail",
    "next": "Next page", "prev": "Previous page", "page": "Page", "by": "By", "updated": "Updated",
    "read_more": "Read more", "share": "Share", "tags": "Tags", "rights": "All rights reserved.",
    "search": "Search", "about": "About us", "contact": "Contact", "advertise": "Advertise",
    "privacy": "Privacy policy", "terms": "Terms of use", "careers": "Careers", "video": "Video",
    "opinion": "Opinion", "gallery": "Photo galleries", "subscribe_page": "Subscriptions",
    "not_found": "Page not found", "not_found_text": "The page you are looking for does not exist or has been moved.",
    "error": "Internal server error", "error_text": "Something went wrong on our side. Please try again later.",
    "breaking": "Breaking", "photo": "Photo", "editions": "Editions", "rss": "RSS",
    "static_text": "This page is part of our website. Contact the editorial office for more information.",
}
