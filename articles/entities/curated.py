"""Names Arabic news uses that CLDR and iso-codes lack, written by hand.

Entries whose key is a country (`country:XX`) or a city (`city:<tz id>`) add
aliases to that entry; the others are entities of their own.
"""

# Other English names translations commonly use, by key.
ENGLISH_ALIASES = {
    "country:TR": ["Turkey"],
    "country:US": ["USA", "America"],
    "country:GB": ["Britain", "UK"],
    "country:AE": ["UAE", "Emirates"],
    "country:PS": ["Palestinian Territories"],
    "country:CD": ["Democratic Republic of the Congo"],
    "curated:hamas": ["Hamas movement"],
    "curated:nato": ["North Atlantic Treaty Organization"],
    "curated:afp": ["AFP", "France-Presse"],
    "curated:anadolu": ["Anadolu"],
}

# (key, Arabic name, English name, type, aliases)
ALIASES = [
    ("country:AE", "الإمارات", "United Arab Emirates", "LOC", ["دولة الإمارات"]),
    ("country:SA", "السعودية", "Saudi Arabia", "LOC", ["المملكة العربية السعودية"]),
    ("country:SY", "سورية", "Syria", "LOC", ["سوريا"]),
    ("country:PS", "فلسطين", "Palestine", "LOC", ["دولة فلسطين", "الأراضي الفلسطينية"]),
    ("country:US", "الولايات المتحدة", "United States", "LOC", ["أميركا", "أمريكا", "الولايات المتحدة الأميركية"]),
    ("country:GB", "بريطانيا", "United Kingdom", "LOC", ["المملكة المتحدة"]),
    ("country:TR", "تركيا", "Türkiye", "LOC", []),
    ("country:KR", "كوريا الجنوبية", "South Korea", "LOC", []),
    ("country:KP", "كوريا الشمالية", "North Korea", "LOC", []),
    ("country:CD", "الكونغو الديمقراطية", "DR Congo", "LOC", []),
    ("country:IR", "إيران", "Iran", "LOC", []),
    ("country:RU", "روسيا", "Russia", "LOC", []),
]

ENTITIES = [
    # Places
    ("curated:doha", "الدوحة", "Doha", "LOC", []),
    ("curated:ankara", "أنقرة", "Ankara", "LOC", []),
    ("curated:washington", "واشنطن", "Washington", "LOC", []),
    ("curated:abu-dhabi", "أبوظبي", "Abu Dhabi", "LOC", ["أبو ظبي"]),
    ("curated:ramallah", "رام الله", "Ramallah", "LOC", []),
    ("curated:west-bank", "الضفة الغربية", "West Bank", "LOC", []),
    ("curated:gaza-strip", "قطاع غزة", "Gaza Strip", "LOC", []),
    ("curated:quneitra", "القنيطرة", "Quneitra", "LOC", []),
    ("curated:deir-ez-zor", "دير الزور", "Deir ez-Zor", "LOC", []),
    ("curated:aleppo", "حلب", "Aleppo", "LOC", []),
    ("curated:sanaa", "صنعاء", "Sanaa", "LOC", []),
    ("curated:tripoli", "طرابلس", "Tripoli", "LOC", []),
    ("curated:rafah", "رفح", "Rafah", "LOC", []),
    ("curated:khan-younis", "خانيونس", "Khan Younis", "LOC", ["خان يونس"]),
    ("curated:golan", "الجولان", "Golan Heights", "LOC", ["هضبة الجولان"]),
    ("curated:sinai", "سيناء", "Sinai", "LOC", []),
    ("curated:darfur", "دارفور", "Darfur", "LOC", []),
    # Regions news names that CLDR's list of territories does not hold
    ("curated:middle-east", "الشرق الأوسط", "Middle East", "LOC", []),
    ("curated:north-africa", "شمال أفريقيا", "North Africa", "LOC", ["شمال إفريقيا"]),
    ("curated:arabian-gulf", "الخليج العربي", "Arabian Gulf", "LOC", []),
    ("curated:far-east", "الشرق الأقصى", "Far East", "LOC", []),
    # Organisations
    ("curated:hamas", "حماس", "Hamas", "ORG", ["حركة حماس"]),
    ("curated:hezbollah", "حزب الله", "Hezbollah", "ORG", []),
    ("curated:nato", "الناتو", "NATO", "ORG", ["حلف الناتو", "حلف شمال الأطلسي"]),
    ("curated:un-security-council", "مجلس الأمن", "UN Security Council", "ORG", ["مجلس الأمن الدولي"]),
    ("curated:arab-league", "جامعة الدول العربية", "Arab League", "ORG", ["الجامعة العربية"]),
    ("curated:plo", "منظمة التحرير الفلسطينية", "Palestine Liberation Organization", "ORG", []),
    ("curated:palestinian-authority", "السلطة الفلسطينية", "Palestinian Authority", "ORG", []),
    ("curated:unrwa", "أونروا", "UNRWA", "ORG", ["الأونروا"]),
    ("curated:who", "منظمة الصحة العالمية", "World Health Organization", "ORG", []),
    ("curated:imf", "صندوق النقد الدولي", "International Monetary Fund", "ORG", []),
    ("curated:red-cross", "الصليب الأحمر", "Red Cross", "ORG", ["اللجنة الدولية للصليب الأحمر"]),
    ("curated:afp", "فرانس برس", "Agence France-Presse", "ORG", ["وكالة فرانس برس"]),
    ("curated:reuters", "رويترز", "Reuters", "ORG", ["وكالة رويترز"]),
    ("curated:anadolu", "وكالة الأناضول", "Anadolu Agency", "ORG", []),
    ("curated:oic", "منظمة التعاون الإسلامي", "Organisation of Islamic Cooperation", "ORG", []),
    ("curated:gcc", "مجلس التعاون الخليجي", "Gulf Cooperation Council", "ORG", []),
]
